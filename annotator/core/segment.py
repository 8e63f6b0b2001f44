"""Rule-based sentence segmentation for English news text.

Why rules and not a library: pysbd (the usual choice) has had no release
since 2021 and fails a quarter of our news-specific hard cases (multi-sentence
quotes, closing quotes, hard-wrapped lines, CRLF, ``D.C.``/``a.m.``); its
offsets are usable once trimmed, but are recovered by re-searching every
sentence from the start of the text, ~35x slower than this module.  See
``bench/segment_quality.py`` for the measurement.

The segmenter returns *spans*, never strings, so annotations always point into
the original text (CRLF, tabs, non-breaking spaces and all).

Boundaries come from four sources, applied in this order of strength:

1. **Blank lines** (or a form feed / U+2029) always end a sentence.
2. **Single line breaks** after a line *without* final punctuation end a
   sentence (headlines, bylines, captions, "Like this:") unless the text
   clearly continues: the next line starts in lowercase or with continuing
   punctuation, or the previous line ends with ``, ; - – — & /``, an opening
   quote/bracket, a lowercase article/preposition/conjunction/auxiliary
   ("the", "of", "and", "was", ...) or a bare title ("Mr").  A line break after
   final punctuation is just whitespace and rule 4 decides.
3. **List items**: a bullet (``•``, ``⁃``, ...) after a space starts a sentence, and
   so does each capitalised item of an enumeration -- a run of markers ``1.)``,
   ``1)``, ``(1)``, ``1.``, ``a.``, ``a)`` numbered 1, 2, 3... (a, b, c...) in one
   shape, even when the items have no final period (``1) Turnout 2) Turnout``).  A
   marker's own period never ends a sentence.  Items that start lowercase
   (``would 1) raise wages, 2) cut taxes``) are one sentence.  ``1.`` only starts a
   list where an item can start (line start, after a colon or a sentence end), so
   ``The score was 1. Then it was 2.`` is no list.
4. **Final punctuation** ``. ? ! … ‽`` plus any closing quotes/brackets, then
   whitespace, ends a sentence unless the next word starts lowercase (quote
   attribution ``"Is it time?" he asked``, ellipsis mid-sentence, "etc. are")
   or with continuing punctuation.  A lone ``.`` after an abbreviation does not
   end a sentence when the abbreviation cannot end one here:

   * titles (Mr., Dr., Gen., Sen., St., ...), ``vs.``, ``e.g.``, ``i.e.``,
     initials (``J. Smith``, ``George W. Bush``, ``J.R.R. Tolkien``) never end;
   * ``No.``, ``N°.``, ``Fig.``, ``Jan.``...``Dec.`` do not end before a number;
   * ``a.m.``/``p.m.`` do not end before a time zone or weekday, nor after a
     sentence-opening time phrase (``At 5 a.m. Mr. Smith went``), but do before
     any other capitalised word (``until 5 p.m. The next day``);
   * ``I.`` after a lowercase word is the pronoun and can end (``you and I.
     Did you see Albert I. Jones``);
   * country acronyms (``U.S.``, ``U.K.``, ``U.N.``, ``D.C.``...) end the
     sentence before a capitalised word *unless* that word is a typical
     attributive continuation (``U.S. Secretary``, ``U.K. Prime Minister``,
     ``U.S. GDP``, a number) -- so ``He moved to the U.S. He liked it.`` splits
     but ``He moved to the U.S. President Trump ...`` cannot be told apart
     from ``the U.S. President`` without parsing and stays one sentence;
   * company suffixes do not end before another suffix (``Co. Ltd.``).

   Decimals, e-mail addresses and URLs need no rule: their inner dots are
   never followed by whitespace.  A period that closes a quote or bracket
   (``"yes." Then``) is final, unless a citation follows the quote
   (``"... existence." (Darwin 62).``).

   Ellipses: ``...`` glued to a word ends a sentence before a capital (``He
   paused... Then``), and one glued to the next word starts it (``waited.
   ...Then``); a spaced three-dot ``. . .`` is an omission inside a sentence,
   while four dots (``. . . .``, ``....``) end it.

Finally a piece with no letter or digit (a stray ``”``, ``...``, ``* * *``) is
merged into the previous sentence (or the next, at the start), so no sentence
is ever punctuation only.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

_OPENERS = "\"'“‘„‚«‹([{¿¡"
_CLOSERS = "\"'”’»›)]}」』）】〕"
_OPEN_CC = re.escape(_OPENERS)
_CLOSE_CC = re.escape(_CLOSERS)

# A candidate end: final punctuation, closing quotes/brackets (also the
# French spaced "»"), then whitespace or end of text.  CJK full stops need no
# following space.
_CANDIDATE = re.compile(
    rf"(?P<term>[.?!…‽]+)(?P<close>[{_CLOSE_CC}]*(?:[ \u00a0\u202f][»›])?)(?=\s|\Z)"
    rf"|[。！？]+[{_CLOSE_CC}]*"
)
# What follows a candidate: whitespace, opening quotes, then a word or symbol.
_NEXT = re.compile(rf"\s*([{_OPEN_CC}]*)(\w+|\S)?")
# Line breaks as str.splitlines() sees them; the paragraph ones end a sentence.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_PARAGRAPH_BREAKS = frozenset("\x0c\x1c\x1d\x1e\u2029")
_LINE_BREAK_CHARS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_TRAILING_WORD = re.compile(r"(\w+)\W*\Z")
_ALNUM = re.compile(r"[^\W_]")
# Enumerations: bullets always start an item; "1.", "1)", "1.)", "(1)", "a." and "a)"
# markers do inside a run (see _list_items).
_BULLETS = "•‣⁃◦▪●■►"
_MARKER_TAIL = r"(?P<shape>\.\)|\)|\.)[ \t\u00a0]+(?=\S)"
_MARKER = re.compile(r"(?P<open>\(?)(?P<value>\d{1,5}|[a-z])" + _MARKER_TAIL)
# Item 1 (a) alone, without its bracket, so that the scan starts at a literal (fast).
_START = re.compile("1" + _MARKER_TAIL)
_LETTER_START = re.compile("a" + _MARKER_TAIL)
_LETTER_SECOND = re.compile(r"b[.)][ \t\u00a0]")
_ITEM_AFTER = frozenset(f" \t\u00a0\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029:;{_BULLETS}")
_NO_MARKERS: frozenset[int] = frozenset()
_QUOTES = "\"'”’»›"
_TOKEN_LEAD = _OPENERS + _BULLETS  # stripped from a word before its period: "(No.", "⁃4."
# "(Smith 55)." right after a closing quote: a citation, part of the quoted sentence.
_CITATION = re.compile(r"\(([^()\n]{1,80})\)[.,;:]")
# An ellipsis glued to the next word starts that sentence: "...Then", "…And".
_LEADING_ELLIPSIS = re.compile(r"(?:\.\.\.|…)(\w+)")

# A sentence continues after a boundary-looking stop if the next token is one
# of these (spaced ellipsis ". . .", "etc.,", stray closers).
_CONTINUING = frozenset(",;:.…?!%)]}”’»›")
# A line ending in these is mid-sentence, whatever follows.
_SOFT_LINE_ENDS = frozenset(",;-–—‐&/([{“‘„‚«‹")
_TERMINATORS = frozenset(".?!…‽。！？")

# Lowercase words that cannot end a sentence or headline: a line ending in
# one of them is hard-wrapped prose.  Particles that can end a clause
# ("on", "up", "over") are deliberately absent.
_FUNCTION_WORDS = frozenset(
    """a an the of to in for with by from into onto at about between through
    during against among within toward towards upon via per amid than as and or
    but nor that which whose whether if because while although though is are
    was were be been being has have had will would shall should can could may
    might must do does did its their his our your my these those every each""".split()
)
# Titles never end a sentence, with or without a period (British "Mr Lavrov").
_TITLES = frozenset(
    """Mr Mrs Ms Mx Messrs Mmes Dr Drs Prof Profs St Ste Mt Ft Gen Lt Col Maj
    Capt Cpt Sgt Cpl Pvt Adm Cmdr Cdr Brig Sen Sens Rep Reps Gov Govs Pres Supt
    Det Insp Rev Fr Hon Rt Amb Atty Sec Msgr Lieut Gens""".split()
)
_NEVER_FINAL = frozenset({"vs", "cf", "viz", "approx", "ca"})
_NEVER_FINAL_DOTTED = frozenset({"eg", "ie", "cf", "nb", "aka", "vs"})
# Abbreviations that introduce a number ("No. 10", "Jan. 5").
_NUMBER_PREFIXES = frozenset(
    """no nos nº nr fig figs vol vols art arts ch chap pp p para paras ex ref tel
    op est jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
_COMPANY_SUFFIXES = frozenset(
    "inc ltd co corp cos llc llp lp plc pty ag sa nv bv gmbh limited".split()
)
# Dotted acronyms that name places/organisations and are often sentence-final.
_PLACE_ACRONYMS = frozenset("US UK UN EU DC USA USSR UAE PRC NZ NYC".split())
# Capitalised words that typically follow "U.S." / "U.K." attributively.
_PLACE_CONTINUATIONS = frozenset(
    """Secretary President Vice Deputy Chief Special Envoy Ambassador Embassy
    Consulate Consul Senate Senator Senators House Congress Congressman
    Congresswoman Capitol Representative Representatives Treasury Treasuries
    Department State Defense Defence Justice Commerce Trade Energy Labor Labour
    Interior Agriculture Health Homeland Education Transportation Attorney
    General Government Administration Court Courts Supreme District Circuit
    Federal Central National Army Navy Air Marine Marines Coast Border Customs
    Immigration Secret Military Forces Command Intelligence Census Postal
    Geological Patent Food Environmental Securities Chamber Open Olympic Prime
    Parliament Foreign Home Office Ministry Minister Chancellor Conservative
    Conservatives Liberal Democrats Democratic Democrat Republican Republicans
    Dollar Steel Bank Banks Stock Stocks Council Security Human Refugee
    Peacekeeping Mission Agency Institute Geological Strategic Cyber Space
    Olympics Soccer Masters""".split()
)
_SUBJECT_PRONOUNS = frozenset("It He She They We You There This Then".split())
# First words of a time phrase that opens a sentence ("At 5 a.m. Mr. Smith went").
_TIME_OPENERS = frozenset(
    """At By Around About Until Till Before After From Since Shortly Just Sometime Starting
    Approximately Roughly Nearly Almost Early Late On Today Tonight Yesterday Tomorrow
    Then""".split()
)
_TIME_CONTINUATIONS = frozenset(
    """Eastern Central Mountain Pacific Atlantic Greenwich Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday""".split()
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans as (start, end) character offsets into text, in order, non-overlapping,
    each trimmed of surrounding whitespace (text[start:end] never starts/ends with whitespace),
    never empty, together covering every non-whitespace character of text."""
    cuts = set(_line_cuts(text))
    markers = _list_items(text, cuts)
    for m in _CANDIDATE.finditer(text):
        if m.end() not in markers and _ends_sentence(text, m):
            cuts.add(m.end())
    return _spans(text, sorted(cuts))


def _list_items(text: str, cuts: set[int]) -> frozenset[int]:
    """Add a cut before each bullet and each capitalised item of an enumeration; return the
    ends of the item markers, which never end a sentence ("2." in "1. Go. 2. Stop.").

    A run starts at item 1 (or a) and goes on with the next numbers (letters) in the same
    shape.  "1." and "a." start one only where an item can begin (text or line start,
    after a colon, a bullet or a sentence end), so "The score was 1. Then it was 2." is no
    list; "1)" and "1.)" start one after any space.  Linear: one pass over the markers.
    Most news has no list, so the first tests are the cheapest scans there are (str.find,
    and regexes that begin with a rare literal; a scan stopping at every "a" costs 10%).
    """
    for bullet in _BULLETS:
        i = text.find(bullet, 1)
        while i > 0:
            if text[i - 1].isspace():
                cuts.add(i)
            i = text.find(bullet, i + 1)
    starts = [_START.finditer(text)]
    if _LETTER_SECOND.search(text):  # a letter list has a "b." or "b)"
        starts.append(_LETTER_START.finditer(text))
    first = min((i for found in starts for m in found
                 if _marker_can_start(text, i := _bracketed(text, m.start()), m.group("shape"))),
                default=-1)
    if first < 0:
        return _NO_MARKERS
    ends: set[int] = set()
    expected: dict[tuple[bool, str, str], tuple[int, list[re.Match[str]]]] = {}
    runs: list[list[re.Match[str]]] = []
    for m in _MARKER.finditer(text, first):
        opener, value, shape = m.group("open", "value", "shape")
        if m.start() and text[m.start() - 1] not in _ITEM_AFTER or (opener and shape != ")"):
            continue
        if shape == ".)":
            ends.add(m.end("shape"))  # "1.)" is a marker even alone
        number = int(value) if value.isdigit() else ord(value) - ord("a") + 1
        key = (value.isdigit(), opener, shape)
        run = expected.get(key)
        if run is not None and run[0] == number:
            items = run[1]
        elif number == 1 and _marker_can_start(text, m.start(), shape):
            items = []
            runs.append(items)
        else:
            continue
        items.append(m)
        expected[key] = (number + 1, items)
    for items in runs:
        for m in items:
            ends.add(m.end("shape"))
            if len(items) > 1 and not text[m.end()].islower() and (
                    not m.start() or text[m.start() - 1] not in _BULLETS):  # "⁃4." cut at "⁃"
                cuts.add(m.start())
    return frozenset(ends)


def _bracketed(text: str, i: int) -> int:
    return i - 1 if i and text[i - 1] == "(" else i


def _marker_can_start(text: str, i: int, shape: str) -> bool:
    """Whether an item marker at ``i`` ("1.", "(a)", "1.)") can start a list there."""
    if i and text[i - 1] not in _ITEM_AFTER:
        return False  # "x2)", "2(1)", "2021. "
    if shape != ".":
        return True
    j = i - 1
    while j >= 0 and text[j] in " \t\u00a0":
        j -= 1
    if j < 0 or text[j] in _ITEM_AFTER or text[j] in "?!":
        return True  # text or line start, after a colon or a bullet, after a question
    if text[j] != ".":
        return False
    prev = _TRAILING_WORD.search(text, max(0, j - 40), j)  # "No. 1." is no list item
    return not (prev and prev.group(1).lower() in _NUMBER_PREFIXES)


def _line_cuts(text: str) -> list[int]:
    """Cut positions from blank lines and from unpunctuated line ends (rules 1-2)."""
    cuts: list[int] = []
    prev_end = -1  # end of the last non-blank line's content, -1 if none yet
    prev_line = ""
    hard = False  # a blank line or paragraph separator since prev_end
    pos = 0
    for m in _LINE_BREAK.finditer(text):
        line = text[pos : m.start()]
        pos = m.end()
        if line.strip():
            if prev_end >= 0 and (hard or _line_break_ends(prev_line, line)):
                cuts.append(prev_end)
            prev_end, prev_line, hard = m.start(), line, False
        elif prev_end >= 0:
            hard = True
        if m.group() in _PARAGRAPH_BREAKS and prev_end >= 0:
            hard = True
    line = text[pos:]
    if line.strip() and prev_end >= 0 and (hard or _line_break_ends(prev_line, line)):
        cuts.append(prev_end)
    return cuts


def _line_break_ends(prev: str, nxt: str) -> bool:
    """Whether a single line break between two non-blank lines ends a sentence (rule 2)."""
    prev = prev.rstrip()
    bare = prev.rstrip(_CLOSERS)
    if bare and bare[-1] in _TERMINATORS:
        return False  # punctuation rule decides; the break is plain whitespace
    first = nxt.lstrip()[0]
    if first.islower() or first in _CONTINUING:
        return False
    if prev[-1] in _SOFT_LINE_ENDS:
        return False
    m = _TRAILING_WORD.search(bare, max(0, len(bare) - 40))  # bounded: long lines
    if m and (m.group(1) in _FUNCTION_WORDS or m.group(1) in _TITLES):
        return False
    return True


def _ends_sentence(text: str, m: re.Match[str]) -> bool:
    """Whether the candidate stop ``m`` really ends a sentence (rule 3)."""
    nm = _NEXT.match(text, m.end())
    assert nm is not None  # _NEXT can match the empty string, so it always matches
    word = nm.group(2)
    if word is None:
        return True  # end of text
    first = word[0]
    if first in ".…" and not nm.group(1):
        lead = _LEADING_ELLIPSIS.match(text, nm.start(2))  # "waited. ...Then the doors"
        if lead:
            word = lead.group(1)
            first = word[0]
    if first.islower() or (first in _CONTINUING and not nm.group(1)):
        return False
    close = m.group("close")
    if close and nm.group(1) == "(" and any(q in close for q in _QUOTES) and _is_citation(
            text, nm.start(1)):
        return False  # '"... existence." (Darwin 62).'
    term = m.group("term")
    if term != ".":
        return True  # ? ! … ellipsis, CJK stops
    if close:
        return True  # the period closes a quote or bracket
    start = m.start()
    before = text[max(0, start - 64) : start]
    if not before:
        return True
    if before[-1].isspace():
        return _spaced_dots(before) != 3  # ". . . I mean" goes on; ". . . ." ends
    raw = before.rsplit(None, 1)[-1]
    token = raw.lstrip(_TOKEN_LEAD)
    if not token or not token[-1].isalnum():
        return not (token in ("N°", "n°") and first.isdigit())  # "N°. 5"; "Nº" is a word
    return not _is_abbreviation(token, word, text, start - len(token))


def _spaced_dots(before: str) -> int:
    """How many dots a spaced ellipsis has when a '.' follows ``before`` ("word . . ." = 3)."""
    dots, j = 1, len(before)
    while j >= 2 and before[j - 1] in " \u00a0" and before[j - 2] == ".":
        dots += 1
        j -= 2
    return dots


def _is_citation(text: str, i: int) -> bool:
    """Whether a short parenthetical at ``i`` that ends in punctuation cites a source:
    "(Smith 55).", "(Lee & Park, 2019, p. 8)." -- it belongs to the quote before it."""
    c = _CITATION.match(text, i)
    if c is None:
        return False
    inside = c.group(1)
    return any(ch.isdigit() for ch in inside) and "?" not in inside and "!" not in inside


def _is_abbreviation(token: str, word: str, text: str, token_start: int) -> bool:
    """Whether ``token.`` is an abbreviation that does not end the sentence before ``word``."""
    core = token
    for sep in "-/–—":
        if sep in core:
            core = core.rpartition(sep)[2]  # "Russia-U.S" -> "U.S"
    if not core:
        return False
    if "." in core:
        parts = core.split(".")
        if not all(len(p) == 1 and p.isalpha() for p in parts):
            return False  # Ph.D, domain names, e-mail addresses
        letters = "".join(parts)
        low = letters.lower()
        if low in _NEVER_FINAL_DOTTED:
            return True
        if low in ("am", "pm"):
            return (word in _TIME_CONTINUATIONS or _is_acronym(word)
                    or (not _starts_a_clause(word) and _opens_with_time(text, token_start)))
        if not letters.isupper():
            return False
        if letters in _PLACE_ACRONYMS:
            return (
                word[0].isdigit()
                or word in _PLACE_CONTINUATIONS
                or word in _TITLES
                or _is_acronym(word)
            )
        return True  # personal initials: J.R.R. Tolkien
    if core == "I" and not (len(word) == 1 and word.isupper()):
        prev = _TRAILING_WORD.search(text, max(0, token_start - 40), token_start)
        if prev and prev.group(1)[0].islower():
            return False  # the pronoun: "you and I. Did you", not "Albert I. Jones"
    if len(core) == 1 and core.isalpha():
        return True  # initial (George W. Bush), "Roe v. Wade", list "a."
    if core in _TITLES or core in _NEVER_FINAL:
        return True
    low = core.lower()
    if word[0].isdigit() and low in _NUMBER_PREFIXES:
        return True
    if core.isdigit() and len(core) <= 3 and _at_item_start(text, token_start):
        return True  # enumerated list item "1. First", "• 7. Lisbon"
    return low in _COMPANY_SUFFIXES and word.lower() in _COMPANY_SUFFIXES


def _opens_with_time(text: str, i: int) -> bool:
    """Whether the sentence so far, up to ``i``, is a short time phrase ("At 5", "Shortly
    after 6"): then "a.m." is followed by the subject ("At 5 a.m. Mr. Smith went")."""
    head = text[max(0, i - 40) : i]
    cut = max(head.rfind(". "), head.rfind("? "), head.rfind("! "), head.rfind("\n"))
    if cut < 0 and i > 40:
        return False
    words = head[cut + 1 :].split()
    return (1 < len(words) <= 4 and words[0].lstrip(_OPENERS) in _TIME_OPENERS
            and any(ch.isdigit() for ch in words[-1]))


def _starts_a_clause(word: str) -> bool:
    """Capitalised words that begin a sentence, never continue one after "At 5 a.m."."""
    return word.lower() in _FUNCTION_WORDS or word in _SUBJECT_PRONOUNS


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


def _at_item_start(text: str, i: int) -> bool:
    """Whether only spaces/tabs separate position ``i`` from the start of its line or a bullet."""
    j = i - 1
    while j >= 0 and text[j] in " \t\u00a0":
        j -= 1
    return j < 0 or text[j] in _LINE_BREAK_CHARS or text[j] in _BULLETS


def _spans(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    """Trim the pieces between cuts; fold punctuation-only pieces into a neighbour."""
    spans: list[tuple[int, int]] = []
    orphan = -1  # start of a leading punctuation-only piece awaiting a sentence
    prev = 0
    for cut in [*cuts, len(text)]:
        piece = text[prev:cut]
        stripped = piece.lstrip()
        if stripped:
            start = prev + len(piece) - len(stripped)
            end = prev + len(piece.rstrip())
            if not _ALNUM.search(stripped):
                if spans:
                    spans[-1] = (spans[-1][0], end)
                elif orphan < 0:
                    orphan = start
            else:
                if orphan >= 0:
                    start, orphan = orphan, -1
                spans.append((start, end))
        prev = cut
    if orphan >= 0:  # the whole text is punctuation
        spans.append((orphan, len(text.rstrip())))
    return spans
