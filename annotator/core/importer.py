"""Raw article text -> Article: title, date, stable id, frozen sentences, and the sentences
that are not prose (repeated headline, byline, photo credit and caption, ...) with the reason.

The text is kept exactly as given (no trimming, no newline changes) because every offset
that annotations and exports carry points into it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .article import Article, text_hash
from .corpus import Corpus
from .errors import CorpusError, Problem
from .schema import slugify
from .segment import split_sentences

_DATE_LINE = re.compile(
    r"^\s*(?:published|date|posted|updated)\s*(?:on)?\s*[:\-]\s*(?P<date>.+?)\s*$", re.I
)
_DATE_FORMATS = (
    "%a, %b %d, %Y", "%a, %B %d, %Y", "%b %d, %Y", "%B %d, %Y", "%Y-%m-%d", "%d %B %Y",
    "%d %b %Y", "%a, %d %b %Y", "%A, %B %d, %Y", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%SZ",
    "%a, %d %b %Y %H:%M:%S %z", "%d/%m/%Y", "%Y/%m/%d",
)
# Why the importer marks a sentence as not content; stored with the article, shown in the
# editor ("auto: byline").  A sentence gets the first reason that fits, in this order.
DATE_LINE = "date line"
REPEATED_HEADLINE = "repeated headline"
PHOTO_CREDIT = "photo credit"
NOTICE = "service notice"
BYLINE = "byline"
CAPTION = "caption"
FOOTER = "footer"

# Picture agencies and wires as they sign photos.
_AGENCY = (r"(?:reuters|ap|afp|epa(?:-efe)?|efe|getty(?:\simages)?|tass|ria\snovosti|sputnik"
           r"|xinhua|anadolu(?:\sagency)?|bloomberg|shutterstock|alamy|pa(?:\swire|\simages)?"
           r"|aap|dpa|ansa|kyodo|yonhap|nurphoto|sipa|zuma(?:\spress|\swire)?|upi|imago|pool"
           r"|(?:the\s)?associated\spress)")
_AGENCY_NAME = re.compile(_AGENCY + "$", re.IGNORECASE)
# A whole line that credits a photo: "Pavel Golovkin/Pool via REUTERS", "Photo: AP",
# "(AP Photo/John Smith)", "REUTERS/Jane Doe/File Photo", "Picture by Jane Doe/Getty".
_CREDIT_LINE = re.compile(
    rf"""^[(\[]?(?:
        (?:(?:file\ )?photo(?:graph)?s?|images?|pictures?|illustrations?|credits?
           |photo\ credits?|video)\s*(?::|\bby\b).*
      | {_AGENCY}\ photos?\b.*
      | {_AGENCY}\s*/\s*\S.*
      | .*(?:\bvia\b|/)\s*{_AGENCY}
      | (?:©|\(c\)|copyright\b)\s*\S.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_NOTICE_LINE = re.compile(r"^powered by automated translation$", re.IGNORECASE)
# "By Jane Doe, Staff Reporter", "By JANE DOE and John Roe | Reuters", "By Reuters".
_NAME_WORD = r"(?:[A-Z][\w'’-]*\.?|de|da|di|van|von|der|del|la|le|bin|al|el)"
_NAME = rf"[A-Z][\w'’-]*\.?(?:\s+{_NAME_WORD})*"
_BYLINE = re.compile(
    rf"^(?i:by|words by|written by)\s+(?P<names>{_NAME}(?:\s*(?:,|&|\band\b)\s*{_NAME})*)"
    r"(?:\s*(?:,|\||-|–|—|•|\bin\b|\bfor\b)\s*(?P<role>[\w'’.&/ ,:|•-]{1,80}))?$"
)
_ROLE_WORDS = frozenset(
    """staff reporter reporters writer writers correspondent correspondents editor editors
    contributor contributors columnist senior chief political foreign business science
    health special bureau associated press news wire and in for the of to at desk
    international national economics economy technology sports culture
    min mins minute minutes read updated published am pm""".split()
)
_NOT_NAMES = frozenset(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
    May June July August September October November December Christmas Easter The This That
    Then Now Next Last Early Late Midnight Noon Any All No Our Their Its His Her""".split()
)
# Reuters-style end notes: "(Reporting by Jane Doe; Editing by John Roe)".
_STAFF_CREDIT = re.compile(
    r"^\(?(?:additional )?(?:reporting|writing|editing|research|compiled|graphics)\s+by\b.*$",
    re.IGNORECASE,
)
_MAX_BOILERPLATE = 200  # characters: a credit, notice or byline is never longer
_LINE_END = re.compile(r"[ \t\u00a0]*(?:\r|\n|\Z)")
_TERMINAL = tuple(".!?…:;,")
_QUOTES = "\"'“”‘’«»"


def parse_date(raw: str) -> str:
    """ISO date when the format is recognised; otherwise the raw text, kept as given."""
    cleaned = raw.strip().rstrip(".")
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date().isoformat()
        except ValueError:
            continue
    return cleaned


def _is_headline(line: str) -> bool:
    stripped = line.strip().lstrip("#").strip()
    return (
        0 < len(stripped) <= 200
        and not stripped.endswith(_TERMINAL)
        and stripped[0] not in _QUOTES
        and not _DATE_LINE.match(stripped)
    )


def check_text(raw: bytes, source: str) -> str:
    """Decode and sanity-check an article; refuse what cannot be annotated, with the reason."""
    if b"\x00" in raw[:8192]:
        raise CorpusError(Problem(source, "binary file (contains NUL bytes); not imported"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CorpusError(Problem(
            source, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "convert it first, e.g. `iconv -f latin1 -t utf-8`", line))
    if text.startswith("\ufeff"):
        text = text[1:]  # a BOM is an encoding mark, not article text
    if not text.strip():
        raise CorpusError(Problem(source, "empty article (no text); not imported"))
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\x1b\f")
    if controls > max(8, len(text) // 100):
        raise CorpusError(Problem(source, "looks binary (many control characters); not imported"))
    return text


def build_article(
    text: str,
    source: str | None = None,
    *,
    title: str | None = None,
    published: str | None = None,
    url: str | None = None,
    article_id: str | None = None,
) -> Article:
    """Segment once and find the metadata that raw news text carries in its first lines."""
    spans = split_sentences(text)
    if not spans:
        raise CorpusError(Problem(source or "<text>", "no sentences found; not imported"))
    reasons: dict[int, str] = {}
    found_title: str | None = None
    for index, (start, end) in enumerate(spans[:6]):
        sentence = text[start:end]
        match = _DATE_LINE.match(sentence)
        if match and "\n" not in sentence:
            if published is None:
                published = parse_date(match.group("date"))
            reasons[index] = DATE_LINE
            continue
        if found_title is None and _is_headline(sentence) and "\n" not in sentence:
            found_title = sentence.strip().lstrip("#").strip()
    if title is None:
        title = found_title
    if title is None:
        first = text[spans[0][0]:spans[0][1]]
        title = first if len(first) <= 90 else first[:87].rstrip() + "…"
    _mark_boilerplate(text, spans, title, reasons)
    if article_id is None:
        article_id = f"{slugify(title, 32)}-{text_hash(text)}"
    return Article(
        id=article_id,
        title=title,
        text=text,
        spans=tuple(spans),
        published=published,
        source=source,
        url=url,
        non_content=tuple(sorted(reasons)),
        non_content_reasons=tuple(sorted(reasons.items())),
    )


def _mark_boilerplate(text: str, spans: list[tuple[int, int]], title: str,
                      reasons: dict[int, str]) -> None:
    """Add the reason of every sentence that is not prose: a repeated headline, credit
    and notice lines, bylines, photo captions and footer crumbs (``reasons`` holds the
    date line already; an earlier reason wins)."""
    # A headline printed twice (scrapers often keep the page title and the h1) is noise.
    title_index = -1
    for index, (start, end) in enumerate(spans):
        if text[start:end].strip().lstrip("#").strip() == title:
            if title_index < 0:
                title_index = index
            else:
                reasons.setdefault(index, REPEATED_HEADLINE)
    # Whole lines only: a credit, notice or byline never shares its line with prose after it.
    credits = []
    for index, (start, end) in enumerate(spans):
        sentence = text[start:end].strip()
        if (len(sentence) > _MAX_BOILERPLATE or "\n" in sentence or "\r" in sentence
                or index == title_index or _LINE_END.match(text, end) is None):
            continue
        if _CREDIT_LINE.match(sentence):
            reasons.setdefault(index, PHOTO_CREDIT)
            credits.append(index)
        elif _NOTICE_LINE.match(sentence):
            reasons.setdefault(index, NOTICE)
        elif _STAFF_CREDIT.match(sentence) or (_starts_line(text, start) and _is_byline(sentence)):
            reasons.setdefault(index, BYLINE)
    # A byline the segmenter cut at a bullet ("By Jane Doe • 5 min read") is one line of
    # several sentences: all of them are the byline.
    for first, final in _shared_lines(text, spans):
        line = text[spans[first][0]:spans[final][1]]
        if len(line) <= _MAX_BOILERPLATE and _is_byline(line):
            for index in range(first, final + 1):
                reasons.setdefault(index, BYLINE)
    for index in _captions(text, spans, credits, reasons, title_index):
        reasons.setdefault(index, CAPTION)
    # Footer crumbs that scrapers leave behind ("Like this:", "Share this:").
    last = text[spans[-1][0]:spans[-1][1]].strip().lower()
    if last in {"like this:", "share this:", "related", "advertisement"}:
        reasons.setdefault(len(spans) - 1, FOOTER)


def _is_byline(sentence: str) -> bool:
    """Whether a whole line names the writers: "By Jane Doe, Staff Reporter"."""
    m = _BYLINE.match(sentence)
    if m is None:
        return False
    names = m.group("names")
    if names.split()[0] in _NOT_NAMES:
        return False  # "By Monday Night", "By Christmas Day"
    if " " not in names and not (names.isupper() and len(names) > 1) and not (
            _AGENCY_NAME.match(names)):
        return False  # "By Tuesday, ..." -- one capitalised word is no name, an agency is
    role = m.group("role")
    # The role: capitalised words (an outlet, a place), role words, and the numbers of a
    # date, a time or a reading time ("• 5 min read", "| Updated March 3, 2024 4:05 PM").
    return role is None or all(
        word[0].isupper() or word[0].isdigit() or word.lower() in _ROLE_WORDS
        for word in re.sub(r"[,|•]", " ", role).split())


def _shared_lines(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(first, last) sentence of each whole line that holds more than one sentence."""
    runs = []
    first = None
    for index, (start, end) in enumerate(spans):
        if first is None and _starts_line(text, start):
            first = index
        elif first is not None and "\n" in text[spans[index - 1][1]:start]:
            first = index if _starts_line(text, start) else None
        if first is not None and _LINE_END.match(text, end) is not None:
            if index > first:
                runs.append((first, index))
            first = None
    return runs


def _starts_line(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    return i < 0 or text[i] in "\r\n"


def _line_numbers(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Per sentence: (paragraph number, line number) of where it starts."""
    out = []
    paragraph = line = 0
    prev_end = 0
    for start, end in spans:
        gap = text[prev_end:start]
        breaks = gap.count("\n") or gap.count("\r")
        if breaks:
            line += breaks
            if breaks >= 2 or "\f" in gap or "\u2029" in gap:
                paragraph += 1
        out.append((paragraph, line))
        prev_end = end
    return out


def _captions(text: str, spans: list[tuple[int, int]], credits: list[int],
              reasons: dict[int, str], title_index: int) -> list[int]:
    """The captions that credit lines sign: a sentence of prose standing alone next to its
    credit, on the credit's line or on the line just before it; across a blank line only
    before the article's first paragraph (where only headlines and the like come first)."""
    where = _line_numbers(text, spans)
    prose = [i not in reasons and i != title_index for i in range(len(spans))]
    by_line: dict[int, list[int]] = {}
    by_paragraph: dict[int, list[int]] = {}
    last_prose: list[int] = []  # per sentence: the last prose sentence before it, or -1
    latest = -1
    for i, (paragraph, line) in enumerate(where):
        last_prose.append(latest)
        if prose[i]:
            by_line.setdefault(line, []).append(i)
            by_paragraph.setdefault(paragraph, []).append(i)
            latest = i
    first_body = next((i for i, (start, end) in enumerate(spans) if prose[i] and text[
        start:end].rstrip(_QUOTES + ")]").endswith(_TERMINAL)), len(spans))
    found = []
    for credit in credits:
        same_line = by_line.get(where[credit][1], [])
        near = last_prose[credit]
        if same_line:
            if len(same_line) == 1 and same_line[0] < credit:
                found.append(same_line[0])
        elif near >= 0 and where[near][0] == where[credit][0]:  # one line break between
            if by_line[where[near][1]] == [near]:
                found.append(near)
        elif near >= 0 and by_paragraph[where[near][0]] == [near] and near <= first_body:
            found.append(near)
    return found


@dataclass(frozen=True)
class ImportResult:
    article: Article | None
    source: str
    problem: Problem | None = None


def import_texts(corpus: Corpus, items: list[tuple[str, bytes]]) -> list[ImportResult]:
    """Import (source name, raw bytes) pairs; each is all-or-nothing, a bad one spares the rest."""
    results: list[ImportResult] = []
    for source, raw in items:
        try:
            text = check_text(raw, source)
            article = build_article(text, Path(source).name)
            known = corpus.find_text(article.text_sha)  # earlier files of this batch included
            if known is not None:
                raise CorpusError(Problem(source, f"already in the corpus as {known.id}; "
                                          "not imported"))
            if corpus.path_of(article.id).exists():  # e.g. an unreadable file of that name
                raise CorpusError(Problem(source, f"{corpus.path_of(article.id)} already exists "
                                          "and is left as is; not imported"))
            corpus.write(article)
            results.append(ImportResult(article, source))
        except CorpusError as exc:
            results.append(ImportResult(None, source, exc.problems[0]))
    return results


def read_sources(paths: list[Path]) -> list[tuple[str, bytes] | ImportResult]:
    """Read raw files; an unreadable one becomes a failed result rather than an exception."""
    out: list[tuple[str, bytes] | ImportResult] = []
    for path in paths:
        try:
            out.append((str(path), path.read_bytes()))
        except OSError as exc:
            out.append(ImportResult(None, str(path), Problem(path, f"cannot read: {exc.strerror}")))
    return out
