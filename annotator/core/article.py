"""One article: exact text, metadata, and its frozen sentence spans.

Sentences are computed once, at import, and stored with the article. Annotations point
at sentence indexes and offsets, so a better segmenter must never move them: the spans
on disk are the truth, the segmenter only makes new ones.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .errors import CorpusError, Problem
from .yamlio import FlowList, dump_yaml, load_yaml_file, parse_yaml, yaml_problem

ARTICLE_VERSION = 1
HEADER_END = "sentences:"  # everything before this line is the cheap-to-read header


def text_hash(text: str, length: int = 8) -> str:
    """Short content hash: detects drift between an annotation and the text it tags."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph_start: bool  # a blank line (or the article start) precedes it
    line_start: bool  # a line break precedes it (headlines, captions)

    @cached_property
    def hash(self) -> str:
        return text_hash(self.text)


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    text: str
    spans: tuple[tuple[int, int], ...]
    published: str | None = None
    source: str | None = None
    url: str | None = None
    non_content: tuple[int, ...] = ()  # sentences the importer knows are not prose
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @cached_property
    def text_sha(self) -> str:
        return text_hash(self.text, 16)

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        out = []
        prev_end = 0
        for index, (start, end) in enumerate(self.spans):
            gap = self.text[prev_end:start]
            newlines = gap.count("\n")
            out.append(Sentence(
                index, start, end, self.text[start:end],
                paragraph_start=index == 0 or newlines >= 2,
                line_start=index == 0 or newlines >= 1,
            ))
            prev_end = end
        return tuple(out)

    def to_yaml(self) -> str:
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
            **self.extra,
        }
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
    for number, pair in enumerate(data["sentences"] or []):
        if (
            not isinstance(pair, list) or len(pair) != 2
            or not all(isinstance(v, int) for v in pair)
            or not 0 <= pair[0] < pair[1] <= len(text)
        ):
            raise CorpusError(Problem(path, f"sentence {number}: bad span {pair!r}"))
        spans.append((pair[0], pair[1]))
    known = {"version", "id", "title", "published", "source", "url", "text_sha",
             "sentence_count", "non_content", "sentences", "text"}
    article = Article(
        id=str(data["id"]),
        title=str(data.get("title") or data["id"]),
        text=text,
        spans=tuple(spans),
        published=data.get("published"),
        source=data.get("source"),
        url=data.get("url"),
        non_content=tuple(data.get("non_content") or ()),
        extra={k: v for k, v in data.items() if k not in known},
    )
    stored_sha = data.get("text_sha")
    if stored_sha and stored_sha != article.text_sha:
        raise CorpusError(Problem(
            path, "the text was edited after import (text_sha differs); re-import it as a new "
            "article instead of editing, so annotations keep pointing at the right sentences"))
    return article


def read_article(path: Path) -> Article:
    try:
        data = load_yaml_file(path)
    except yaml.YAMLError as exc:
        raise CorpusError(yaml_problem(path, exc))
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
    try:
        data = parse_yaml("".join(lines))
    except yaml.YAMLError as exc:
        raise CorpusError(yaml_problem(path, exc))
    if not isinstance(data, dict) or "id" not in data:
        raise CorpusError(Problem(path, "not an article file (no id in its header)"))
    return data
