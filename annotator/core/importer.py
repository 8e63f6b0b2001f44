"""Raw article text -> Article: title, date, repeated headline, stable id, frozen sentences.

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
# A line that credits a photo or a service rather than saying anything: "Pavel Golovkin/Pool
# via REUTERS", "Photo: AP", "Powered by automated translation". Whole lines only.
_CREDIT_LINE = re.compile(
    r"^(?:(?:photo(?:graph)?|image|picture|credit)s?\s*:.*"
    r"|.*(?:\bvia\b|/)\s*(?:reuters|ap|afp|epa|getty images|tass|ria novosti|sputnik)"
    r"|powered by automated translation)$",
    re.IGNORECASE,
)
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
    non_content: list[int] = []
    found_title: str | None = None
    for index, (start, end) in enumerate(spans[:6]):
        sentence = text[start:end]
        match = _DATE_LINE.match(sentence)
        if match and "\n" not in sentence:
            if published is None:
                published = parse_date(match.group("date"))
            non_content.append(index)
            continue
        if found_title is None and _is_headline(sentence) and "\n" not in sentence:
            found_title = sentence.strip().lstrip("#").strip()
    if title is None:
        title = found_title
    if title is None:
        first = text[spans[0][0]:spans[0][1]]
        title = first if len(first) <= 90 else first[:87].rstrip() + "…"
    # A headline printed twice (scrapers often keep the page title and the h1) is noise.
    seen_title = False
    for index, (start, end) in enumerate(spans):
        candidate = text[start:end].strip().lstrip("#").strip()
        if candidate == title:
            if seen_title:
                non_content.append(index)
            seen_title = True
    # Credit lines (photo agencies, machine translation notices) that end a line of text.
    for index, (start, end) in enumerate(spans):
        sentence = text[start:end]
        ends_line = _LINE_END.match(text, end) is not None
        if ends_line and "\n" not in sentence and _CREDIT_LINE.match(sentence.strip()):
            non_content.append(index)
    # Footer crumbs that scrapers leave behind ("Like this:", "Share this:").
    last = text[spans[-1][0]:spans[-1][1]].strip().lower()
    if last in {"like this:", "share this:", "related", "advertisement"}:
        non_content.append(len(spans) - 1)
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
        non_content=tuple(sorted(set(non_content))),
    )


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
