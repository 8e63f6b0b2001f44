"""Who is speaking: suggestions for an entity layer, each with the reason it was made.

A suggestion is not a tag. The editor shows it dim, with its reason ("said Pompeo") on
the status line; only when a person accepts it does it become a label (with its mention
stored as a span). Nothing here is counted as done, exported, agreed or reviewed.

How, per article, in one pass over the text (about 20 ms for 2,000 sentences):

* mentions: every name and alias of the layer's entities, found on token boundaries,
  case and accents ignored (an all-capitals alias such as "US" must be capitals in the
  text too, so "us" is not the US government). Titles, possessive prefixes ("CNN's")
  and appositives need no stripping: the alias inside them is what is found, and a
  mention followed by 's is a possessive, never a speaker;
* attribution patterns on a mention: `<mention> said` (an appositive or a time phrase
  may come between), `said <mention>`, `according to <mention>`, `<mention>: "...`;
* a pronoun subject of a speech verb ("he said") goes to the nearest preceding speaker
  of a fitting kind (he/she: a person; they/it: an organisation or group);
* a sentence inside a quotation continues the speaker of the quotation: a quote that
  runs over several sentences takes its speaker from where it is attributed.

Mentions with no pattern are kept too (pattern=False): the picker lists them first,
unticked. Precision comes first (a wrong suggestion costs more than none): what is
ambiguous is left alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .article import Article
from .schema import Entity, LabelSchema, Layer

# Speech verbs (and what reports a position): the verb after a subject or before it.
_VERBS = (r"said|says|say|told|tells|tell|added|adds|warned|warns|stated|states|insisted|"
          r"insists|argued|argues|noted|notes|explained|explains|claimed|claims|claiming|"
          r"declared|declares|announced|announces|stressed|stresses|wrote|writes|tweeted|"
          r"replied|replies|asked|asks|urged|urges|acknowledged|admitted|suggested|"
          r"cautioned|confirmed|confirms|denied|denies|dismissed|dismisses|called|calls|"
          r"complained|predicted|recalled|conceded|countered|maintained|observed|remarked|"
          r"reiterated|vowed|promised|accused|criticised|criticized|praised|welcomed|"
          r"rejected|condemned|signalled|signaled|voiced|pledged|threatened|blamed")
_AUX = r"(?:also|later|again|then|previously|has|had|have|would|will|did|does|do|not|" \
       r"repeatedly|publicly|reportedly|recently|earlier|once|separately|further|simply)"
_TIME = r"(?:on\s+\w+(?:\s+(?:morning|afternoon|evening|night))?|last\s+\w+|this\s+\w+|" \
        r"in\s+a\s+statement|in\s+an\s+interview)"
# After a mention: optional appositive (", a former negotiator at X," or " - who ... -"),
# optional time phrase and auxiliaries, then the verb.
_SUBJECT = re.compile(
    rf"(?:\s*,[^,\"“”]{{1,90}},|\s+[-–—][^\"“”]{{1,240}}?[-–—])?,?"
    rf"(?:\s+{_TIME},?)?(?:\s+{_AUX}){{0,3}}\s+(?P<verb>{_VERBS})\b", re.IGNORECASE)
# `"...", said Mr Pompeo` (a comma or a closing quote before the verb: "Pompeo says
# President Trump is..." is not inverted), and `according to (the) <mention>`.
_INVERTED = re.compile(
    r"(?:[,\"”’]\s*|^)(?P<verb>said|says|added|adds|wrote|writes|asked|continued|explained|"
    r"noted|warned|insisted|stressed|argued|replied|tweeted|concluded|recalled)"
    r"\s+(?:(?:the\s+)?[A-Z][\w.’'-]*\s+){0,3}$")
_ACCORDING = re.compile(r"\b(?P<verb>according\s+to)\s+(?:(?:the\s+)?[A-Z][\w.’'-]*\s+){0,3}$",
                        re.IGNORECASE)
_COLON = re.compile(r"\s*:\s*[\"“‘']")
_PRONOUN = re.compile(
    rf"\b(?P<pronoun>he|she|they|it)(?:\s+{_AUX}){{0,2}}\s+(?P<verb>{_VERBS})\b|"
    rf"[,\"”]\s*(?P<verb2>said|says|added|wrote|asked|told\s+\w+)\s+(?P<pronoun2>he|she|they)\b",
    re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s?\b")
_TOKEN = re.compile(r"[A-Za-z0-9]+")
_OPEN_QUOTES = "\"“"
_QUOTE_MARK = re.compile("[\"“”]")
_LOOKBACK = 3  # sentences a pronoun may look back
# Longer than this is not a sentence a person wrote (a table, a run-on paste): no
# suggestions, rather than scanning megabytes when it is first shown.
MAX_SENTENCE = 4000


@dataclass(frozen=True)
class Mention:
    label: str
    start: int  # article offsets
    end: int
    possessive: bool


@dataclass(frozen=True)
class Suggestion:
    """One entity suggested for a sentence; start/end: the words that name it in the
    sentence (a name, an alias, or the pronoun), None when the sentence has none (a
    quotation continued)."""

    layer: str
    label: str
    reason: str
    pattern: bool  # False: the entity is only mentioned (offered first, unticked)
    start: int | None = None
    end: int | None = None


# --------------------------------------------------------------------------- mentions


class _Matcher:
    """Every spelling of a layer's entities, by its first token (longest first)."""

    def __init__(self, layer: Layer):
        table: dict[str, list[tuple[tuple[str, ...], tuple[bool, ...], str]]] = {}
        for label in layer.labels:
            for spelling in (label.name, *getattr(label, "aliases", ())):
                tokens = _TOKEN.findall(_fold(spelling))
                if not tokens:
                    continue
                caps = tuple(t.isupper() and len(t) <= 4 for t in tokens)
                table.setdefault(tokens[0].lower(), []).append(
                    (tuple(t.lower() for t in tokens), caps, label.id))
        for entries in table.values():
            entries.sort(key=lambda entry: -len(entry[0]))
        self.table = table
        self.longest = max((len(e[0]) for entries in table.values() for e in entries), default=0)
        self.kinds = {label.id: getattr(label, "kind", None) for label in layer.labels}
        self.names = {label.id: label.name for label in layer.labels}

    def mentions(self, folded: str, lowered: str, text: str,
                 bounds: Sequence[tuple[int, int]]) -> list[list[Mention]]:
        """Every spelling found in each sentence (bounds: their start and end),
        longest first, none overlapping, none across sentences. One pass over each
        sentence's words; `lowered` is `folded` in lower case (see _lower)."""
        out: list[list[Mention]] = [[] for _ in bounds]
        if self.table:
            for number, (start, end) in enumerate(bounds):
                if end > start:
                    self._sentence_mentions(folded, lowered, text, start, end, out[number])
        return out

    def _sentence_mentions(self, folded: str, lowered: str, text: str, start: int,
                           limit: int, found: list[Mention]) -> None:
        table = self.table
        taken = start
        for hit in _TOKEN.finditer(lowered, start, limit):
            entries = table.get(hit.group())
            if entries is None or hit.start() < taken:
                continue
            tokens: list[tuple[str, int, int]] = []
            for m in _TOKEN.finditer(folded, hit.start(), limit):
                tokens.append((m.group(), m.start(), m.end()))
                if len(tokens) == self.longest:
                    break
            for spelling, caps, label in entries:
                size = len(spelling)
                if size > len(tokens):
                    continue
                window = tokens[:size]
                if all(w[0].lower() == s and (not c or w[0].isupper()) for w, s, c in zip(
                        window, spelling, caps, strict=True)) and all(
                        window[n + 1][1] - window[n][2] <= 3 for n in range(size - 1)):
                    last = window[-1][2]
                    found.append(Mention(label, window[0][1], last,
                                         _POSSESSIVE.match(text, last) is not None))
                    taken = last
                    break


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _lower(folded: str) -> str:
    """Lower case, one character for one (a letter whose lower case is longer stays)."""
    lowered = folded.lower()
    if len(lowered) != len(folded):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)
    return lowered


def _fold(text: str) -> str:
    """Accents off, one character for one (offsets stay those of the text)."""
    if text.isascii():
        return text
    return _NON_ASCII.sub(_fold_char, text)


def _fold_char(match: re.Match[str]) -> str:
    char = match.group()
    base = unicodedata.normalize("NFKD", char)[:1]
    return base if base and base.isascii() else char


_MATCHERS: dict[int, tuple[Layer, _Matcher]] = {}


def _matcher(layer: Layer) -> _Matcher:
    found = _MATCHERS.get(id(layer))
    if found is None or found[0] is not layer:
        if len(_MATCHERS) > 16:
            _MATCHERS.clear()
        found = _MATCHERS[id(layer)] = (layer, _Matcher(layer))
    return found[1]


# --------------------------------------------------------------------------- patterns


@dataclass
class _Sentence:
    index: int
    start: int
    end: int
    mentions: list[Mention]
    own: list[Suggestion]  # from patterns on the sentence itself
    speaker: Suggestion | None = None  # the top suggestion once context is applied
    starts_inside: bool = False  # begins inside an open quotation
    ends_inside: bool = False
    quoted: bool = False  # holds a quotation


def _own_patterns(layer: str, text: str, sentence: _Sentence, matcher: _Matcher
                  ) -> list[Suggestion]:
    found: list[tuple[int, Suggestion]] = []
    inside: list[tuple[int, int]] = []  # appositives of a subject: no speaker in there
    for mention in sentence.mentions:
        if mention.possessive:
            continue
        name = text[mention.start:mention.end]
        before = text[max(sentence.start, mention.start - 80):mention.start]
        after_at = mention.end
        inverted = _INVERTED.search(before) or _ACCORDING.search(before)
        colon = _COLON.match(text, after_at, sentence.end)
        subject = _SUBJECT.match(text, after_at, sentence.end)
        if colon:
            rank, reason = 0, f"{name}: “…”"
        elif inverted:
            verb = " ".join(inverted.group("verb").split())
            rank, reason = (1, f"{verb.lower()} {name}")
        elif subject:
            rank, reason = 2, f"{name} {subject.group('verb').lower()}"
            inside.append((mention.end, subject.start("verb")))
        else:
            continue
        found.append((rank, Suggestion(layer, mention.label, reason, True, mention.start,
                                       mention.end)))
    found = [(rank, s) for rank, s in found if not any(
        low <= (s.start or 0) < high for low, high in inside)]
    found.sort(key=lambda item: item[0])
    seen: set[str] = set()
    out = []
    for _, suggestion in found:
        if suggestion.label not in seen:
            seen.add(suggestion.label)
            out.append(suggestion)
    return out


def _fits(kind: str | None, pronoun: str) -> bool:
    if kind is None or kind == "other":
        return True
    if pronoun in ("he", "she"):
        return kind == "person"
    return kind in ("organisation", "organization", "group")


def _quote_state(text: str, sentences: Sequence[_Sentence], paragraph_starts: Sequence[bool]
                 ) -> None:
    inside = False
    for sentence, paragraph in zip(sentences, paragraph_starts, strict=True):
        body = text[sentence.start:sentence.end]
        if paragraph and inside and body[:1] not in _OPEN_QUOTES:
            inside = False  # a paragraph that does not open a quote ends the last one
        sentence.starts_inside = inside
        skip_first = paragraph and inside and body[:1] in _OPEN_QUOTES  # "…\n\n"… continues
        for mark in _QUOTE_MARK.finditer(text, sentence.start, sentence.end):
            char = mark.group()
            if char == '"' and not (skip_first and mark.start() == sentence.start):
                inside = not inside
            elif char == "“":
                inside = True
            elif char == "”":
                inside = False
        sentence.ends_inside = inside
        sentence.quoted = sentence.starts_inside or any(c in body for c in "\"“”")


def _opens_quoted(text: str, sentence: _Sentence) -> bool:
    """Starts inside a quotation or with one: its words are a speaker's."""
    return sentence.starts_inside or text[sentence.start:sentence.start + 1] in _OPEN_QUOTES


_CHUNK = 48  # sentences computed together, when one of them is first asked for
_CONTEXT = 12  # sentences before a chunk read for its context (pronouns, open quotes)


class ArticleSuggestions:
    """The suggestions of one article for one entity layer, computed lazily: a chunk
    of sentences (with some context before it) when one of them is first asked for,
    so opening a 2,000-sentence article costs a few milliseconds, not the whole text."""

    def __init__(self, article: Article, layer: Layer):
        self.layer = layer
        self.article = article
        self._matcher = _matcher(layer)
        self._names = self._matcher.names
        self._folded: tuple[str, str] | None = None  # the text folded, and lower case
        self._sentences: dict[int, _Sentence] = {}
        self._of: dict[int, tuple[Suggestion, ...]] = {}

    def _sentence(self, index: int) -> _Sentence:
        found = self._sentences.get(index)
        if found is None:
            chunk = index // _CHUNK
            self._compute(chunk * _CHUNK, min((chunk + 1) * _CHUNK, len(self.article.spans)))
            found = self._sentences[index]
        return found

    def _compute(self, low: int, high: int) -> None:
        article, matcher = self.article, self._matcher
        text = article.text
        if self._folded is None:
            folded = _fold(text)
            self._folded = (folded, _lower(folded))
        first, last = max(0, low - _CONTEXT), min(len(article.spans), high + 2)
        spans = [(start, end if end - start <= MAX_SENTENCE else start)  # see MAX_SENTENCE
                 for start, end in article.spans[first:last]]
        found = matcher.mentions(*self._folded, text, spans)
        sentences = []
        for number, ((start, end), mentions) in enumerate(zip(spans, found, strict=True)):
            item = _Sentence(first + number, start, end, mentions, [])
            if mentions:
                item.own = _own_patterns(self.layer.id, text, item, matcher)
            sentences.append(item)
        _quote_state(text, sentences,
                     [s.paragraph_start for s in article.sentences[first:last]])
        self._resolve(text, sentences, matcher)
        for item in sentences[low - first:high - first]:
            self._sentences[item.index] = item

    def _resolve(self, text: str, sentences: list[_Sentence], matcher: _Matcher) -> None:
        kinds = matcher.kinds
        for index, sentence in enumerate(sentences):
            if sentence.own:
                sentence.speaker = sentence.own[0]
                continue
            found = self._pronoun(text, index, sentences, kinds, matcher)
            if found is not None:
                sentence.own = [found]
                sentence.speaker = found
                continue
            previous = sentences[index - 1] if index else None
            if (previous is not None and previous.speaker is not None
                    and _opens_quoted(text, previous)
                    and (sentence.starts_inside or _opens_quoted(text, sentence))):
                sentence.speaker = Suggestion(
                    self.layer.id, previous.speaker.label,
                    f"continues the quote of sentence {previous.index + 1} "
                    f"({matcher.names.get(previous.speaker.label, previous.speaker.label)})",
                    True)
        for index in range(len(sentences) - 2, -1, -1):  # a quote attributed at its end
            sentence, following = sentences[index], sentences[index + 1]
            if (sentence.speaker is None and sentence.ends_inside and following.starts_inside
                    and following.speaker is not None):
                name = matcher.names.get(following.speaker.label, following.speaker.label)
                sentence.speaker = Suggestion(
                    self.layer.id, following.speaker.label,
                    f"in the quote attributed to {name} in sentence {following.index + 1}",
                    True)

    def _pronoun(self, text: str, index: int, sentences: list[_Sentence],
                 kinds: dict[str, str | None], matcher: _Matcher) -> Suggestion | None:
        sentence = sentences[index]
        match = _PRONOUN.search(text, sentence.start, sentence.end)
        if match is None:
            return None
        pronoun = (match.group("pronoun") or match.group("pronoun2")).lower()
        where = match.start("pronoun") if match.group("pronoun") else match.start("pronoun2")
        said = "“" + " ".join(text[where if match.group("pronoun") else match.start("verb2"):
                                   match.end("verb") if match.group("pronoun")
                                   else match.end("pronoun2")].split()) + "”"
        for back in range(0, _LOOKBACK + 1):
            if index - back < 0:
                break
            earlier = sentences[index - back]
            if back == 0:
                candidates = [m.label for m in earlier.mentions
                              if m.end <= where and not m.possessive]
            elif earlier.speaker is not None:
                candidates = [earlier.speaker.label]
            else:
                distinct = list(dict.fromkeys(m.label for m in earlier.mentions
                                              if not m.possessive))
                candidates = distinct if len(distinct) == 1 else []
                if len(distinct) > 1:
                    break  # several named: too ambiguous to guess
            fitting = [label for label in candidates if _fits(kinds.get(label), pronoun)]
            if fitting:
                label = fitting[0]
                name = matcher.names.get(label, label)
                from_where = "this sentence" if back == 0 else f"sentence {earlier.index + 1}"
                return Suggestion(self.layer.id, label, f"{said} → {name} ({from_where})",
                                  True, where, where + len(pronoun))
        return None

    def of(self, index: int) -> tuple[Suggestion, ...]:
        """The sentence's suggestions: with a pattern first (the top one first), then
        entities only mentioned (pattern False)."""
        found = self._of.get(index)
        if found is not None:
            return found
        if not 0 <= index < len(self.article.spans):
            return ()
        found = self._of[index] = self._suggestions(index)
        return found

    def _suggestions(self, index: int) -> tuple[Suggestion, ...]:
        sentence = self._sentence(index)
        out: list[Suggestion] = []
        if sentence.speaker is not None:
            out.append(sentence.speaker)
        for suggestion in sentence.own:
            if all(s.label != suggestion.label for s in out):
                out.append(suggestion)
        for mention in sentence.mentions:
            if all(s.label != mention.label for s in out):
                out.append(Suggestion(self.layer.id, mention.label,
                                      f"mentions {self._names.get(mention.label, mention.label)}",
                                      False, mention.start, mention.end))
        return tuple(out)

    def top(self, index: int) -> Suggestion | None:
        found = self.of(index)
        return found[0] if found and found[0].pattern else None


def suggestion_layer(schema: LabelSchema) -> Layer | None:
    """The layer suggestions are made for: the first entity layer (who speaks)."""
    layers = schema.entity_layers
    return layers[0] if layers else None


_CACHE: dict[tuple[str, str, int], tuple[Layer, ArticleSuggestions]] = {}


def article_suggestions(article: Article, schema: LabelSchema) -> ArticleSuggestions | None:
    """The article's suggestions, computed on first use and kept (a few articles)."""
    layer = suggestion_layer(schema)
    if layer is None:
        return None
    key = (article.id, article.text_sha, id(layer))
    found = _CACHE.get(key)
    if found is None or found[0] is not layer:
        if len(_CACHE) > 8:
            _CACHE.clear()
        found = _CACHE[key] = (layer, ArticleSuggestions(article, layer))
    return found[1]


def accepted_tags_spans(suggestions: Sequence[Suggestion]) -> tuple[tuple[str, ...],
                                                                    tuple[tuple[str, str, int, int], ...]]:
    """The labels and mention spans accepting these suggestions adds (patterns only)."""
    labels = tuple(dict.fromkeys(s.label for s in suggestions if s.pattern))
    spans = tuple((s.layer, s.label, s.start, s.end) for s in suggestions
                  if s.pattern and s.start is not None and s.end is not None)
    return labels, spans


__all__ = ["ArticleSuggestions", "Entity", "Mention", "Suggestion", "accepted_tags_spans",
           "article_suggestions", "suggestion_layer"]
