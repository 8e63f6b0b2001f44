"""One article: exact text, metadata, and its frozen sentence spans.

Sentences are computed once, at import, and stored with the article. Annotations point
at sentence indexes and offsets, so a better segmenter must never move them: the spans
on disk are the truth, the segmenter only makes new ones.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple, overload

from .article_file import CheckedSpans, load_article_data, parse_yaml_of, read_header
from .errors import CorpusError, Problem

ARTICLE_VERSION = 1
HEADER_END = "sentences:"  # everything before this line is the cheap-to-read header
# Header key: {sentence index: why the importer marked it not content}.  Optional, so files
# written before it existed load unchanged (their reason reads "not content").
REASONS_KEY = "non_content_reasons"


def text_hash(text: str, length: int = 8) -> str:
    """Short content hash: detects drift between an annotation and the text it tags."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


class Sentence(NamedTuple):
    """One sentence of an article, made when shown.
    (Not a dataclass: the editor's start path; README, Start-up.)"""

    index: int  # type: ignore[assignment]  # the field shadows tuple.index, on purpose
    start: int
    end: int
    text: str
    paragraph_start: bool  # a blank line (or the article start) precedes it
    line_start: bool  # a line break precedes it (headlines, captions)

    @property
    def hash(self) -> str:
        return text_hash(self.text)


class Sentences(Sequence[Sentence]):
    """An article's sentences, each made the first time it is asked for: a 5 MB article
    of 60,000 sentences opens without building 60,000 objects first."""

    __slots__ = ("_article", "_made")

    def __init__(self, article: Article) -> None:
        self._article = article
        self._made: dict[int, Sentence] = {}

    def __len__(self) -> int:
        return len(self._article.spans)

    @overload
    def __getitem__(self, index: int) -> Sentence: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Sentence, ...]: ...

    def __getitem__(self, index: int | slice) -> Sentence | tuple[Sentence, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        count = len(self._article.spans)
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError(f"sentence {index} of {count}")
        made = self._made.get(index)
        if made is None:
            made = self._made[index] = self._article.make_sentence(index)
        return made

    def __iter__(self) -> Iterator[Sentence]:
        return (self[index] for index in range(len(self)))


class Article:
    """An imported article, read-only by convention.
    (Not a dataclass: the editor's start path; README, Start-up.)"""

    def __init__(self, id: str, title: str, text: str, spans: tuple[tuple[int, int], ...],
                 published: str | None = None, source: str | None = None,
                 url: str | None = None, non_content: tuple[int, ...] = (),
                 non_content_reasons: tuple[tuple[int, str], ...] = (),
                 extra: dict[str, Any] | None = None) -> None:
        self.id = id
        self.title = title
        self.text = text
        self.spans = spans
        self.published = published
        self.source = source
        self.url = url
        self.non_content = non_content  # sentences the importer knows are not prose
        # Why, for some of them: ((index, "byline"), ...), sorted.  Older files have none.
        self.non_content_reasons = non_content_reasons
        self.extra: dict[str, Any] = {} if extra is None else extra  # other header keys, kept

    def _compared(self) -> tuple[Any, ...]:
        """What makes two articles the same (extra header keys do not)."""
        return (self.id, self.title, self.text, self.spans, self.published, self.source,
                self.url, self.non_content, self.non_content_reasons)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Article) and self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())

    def __repr__(self) -> str:
        return f"Article(id={self.id!r}, title={self.title!r}, {len(self.spans)} sentences)"

    def with_extra(self, extra: dict[str, Any]) -> Article:
        """The same article with these extra header keys."""
        return Article(self.id, self.title, self.text, self.spans, self.published, self.source,
                       self.url, self.non_content, self.non_content_reasons, extra)

    @cached_property
    def text_sha(self) -> str:
        return text_hash(self.text, 16)

    def non_content_reason(self, index: int) -> str | None:
        """Why the importer marked sentence ``index`` as not content ("byline", "photo
        credit", ...; "not content" when it did not say), or None if it did not mark it."""
        if index not in self._reason_of:
            return None
        return self._reason_of[index] or "not content"

    @cached_property
    def _reason_of(self) -> dict[int, str]:
        reasons = dict(self.non_content_reasons)
        return {index: reasons.get(index, "") for index in self.non_content}

    @cached_property
    def sentences(self) -> Sentences:
        return Sentences(self)

    def make_sentence(self, index: int) -> Sentence:
        start, end = self.spans[index]
        newlines = self.text.count("\n", self.spans[index - 1][1], start) if index else 0
        return Sentence(index, start, end, self.text[start:end],
                        paragraph_start=index == 0 or newlines >= 2,
                        line_start=index == 0 or newlines >= 1)

    def to_yaml(self) -> str:
        from .yamlio import FlowList, dump_yaml  # PyYAML: only for writing (start-up reads)

        header = {
            "version": ARTICLE_VERSION,
            "id": self.id,
            "title": self.title,
            "published": self.published,
            "source": self.source,
            "url": self.url,
            "text_sha": self.text_sha,
            "sentence_count": len(self.spans),
            "non_content": FlowList(self.non_content),
        }
        if self.non_content_reasons:
            header[REASONS_KEY] = dict(self.non_content_reasons)
        header.update(self.extra)
        head = dump_yaml(header)
        spans = "".join(f"- [{start}, {end}]\n" for start, end in self.spans)
        body = dump_yaml({"text": self.text})
        return f"{head}{HEADER_END}\n{spans}{body}"


def article_from_data(data: Any, path: Path) -> Article:
    """Validate a loaded article mapping; raise CorpusError naming the file."""
    if not isinstance(data, dict):
        raise CorpusError(Problem(path, "not an article file (expected a mapping)"))
    missing = [key for key in ("id", "text", "sentences") if key not in data]
    if missing:
        raise CorpusError(Problem(path, f"missing {', '.join(missing)}"))
    text = data["text"]
    if not isinstance(text, str):
        raise CorpusError(Problem(path, "text must be a string"))
    spans: list[tuple[int, int]] = []
    size = len(text)
    pairs = data["sentences"] or []
    if isinstance(pairs, CheckedSpans) and pairs.size == size:
        spans, pairs = list(pairs), []
    for number, pair in enumerate(pairs):  # 60,000 in a 5 MB article
        if isinstance(pair, list) and len(pair) == 2:
            start, end = pair
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= size:
                spans.append((start, end))
                continue
        raise CorpusError(Problem(path, f"sentence {number}: bad span {pair!r}"))
    known = {"version", "id", "title", "published", "source", "url", "text_sha",
             "sentence_count", "non_content", REASONS_KEY, "sentences", "text"}
    article = Article(
        id=str(data["id"]),
        title=str(data.get("title") or data["id"]),
        text=text,
        spans=tuple(spans),
        published=data.get("published"),
        source=data.get("source"),
        url=data.get("url"),
        non_content=tuple(data.get("non_content") or ()),
        non_content_reasons=_reasons(data.get(REASONS_KEY), path),
        extra={k: v for k, v in data.items() if k not in known},
    )
    stored_sha = data.get("text_sha")
    if stored_sha and stored_sha != article.text_sha:
        raise CorpusError(Problem(
            path, "the text was edited after import (text_sha differs); re-import it as a new "
            "article instead of editing, so annotations keep pointing at the right sentences"))
    return article


def _reasons(raw: Any, path: Path) -> tuple[tuple[int, str], ...]:
    """The stored reasons, checked: a mapping of sentence index to a short text."""
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not all(
        isinstance(k, int) and not isinstance(k, bool) and isinstance(v, str)
        for k, v in raw.items()
    ):
        raise CorpusError(Problem(path, f"{REASONS_KEY} must map sentence numbers to reasons "
                                  "(e.g. `3: photo credit`)"))
    return tuple(sorted(raw.items()))


def read_article(path: Path) -> Article:
    try:
        data = load_article_data(path, HEADER_END)
    except UnicodeDecodeError as exc:
        raise CorpusError(Problem(path, f"not UTF-8 ({exc.reason} at byte {exc.start})"))
    except OSError as exc:
        raise CorpusError(Problem(path, f"cannot read: {exc.strerror}"))
    return article_from_data(data, path)


def read_article_header(path: Path) -> dict[str, Any]:
    """Only the metadata before the sentence list: fast enough for 10,000 articles."""
    lines = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith(HEADER_END):
                break
            lines.append(line)
    text = "".join(lines)
    data = read_header(text)
    if data is None:
        data = parse_yaml_of(text, path)
    if not isinstance(data, dict) or "id" not in data:
        raise CorpusError(Problem(path, "not an article file (no id in its header)"))
    return data
