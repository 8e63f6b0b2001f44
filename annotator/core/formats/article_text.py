"""The fast reader of article files, for exports and imports that read the whole corpus.

The general YAML loader builds a node per value: far too slow to read 10,000 articles for
an export. Files written by core/article.py have a fixed, line-oriented shape, so we
read that shape directly and hand anything else (a hand edit, a comment, another block
style) to the full loader, which stays the reference and produces every error message
(tests/test_export_fastread.py checks that both read the same text).

Texts are checked against the sha256 stored at import, so a text read here is the stored
text exactly, or the full loader reads it instead. Annotation files have one reader, the
codec in core/annotation_file.py; this module reads articles only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from ..article import Article, read_article, text_hash
from ..corpus import CorpusEntry
from ..errors import CorpusError, Problem
from ..yamlio import parse_yaml


@dataclass(frozen=True)
class ArticleText:
    """What an export needs of an article: its id, exact text, frozen spans, non-content marks."""

    id: str
    text: str
    spans: tuple[tuple[int, int], ...]
    non_content: frozenset[int]
    title: str = ""

    @cached_property
    def text_sha(self) -> str:
        return text_hash(self.text, 16)

    def sentence_hash(self, index: int) -> str:
        start, end = self.spans[index]
        return text_hash(self.text[start:end])

    @classmethod
    def from_article(cls, article: Article) -> ArticleText:
        return cls(article.id, article.text, article.spans, frozenset(article.non_content),
                   article.title)


_SPAN_LINE = re.compile(r"- \[(0|[1-9][0-9]*), (0|[1-9][0-9]*)\]\n")
_LITERAL_HEAD = re.compile(r"text: \|([1-9]?)([-+]?)\n")


def read_article_text(path: Path | str, entry: CorpusEntry) -> ArticleText:
    """The article's text and spans; the header comes from the corpus index entry."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return ArticleText.from_article(read_article(Path(path)))  # raises the CorpusError
    article = _fast_article(raw, entry)
    if article is None:
        article = ArticleText.from_article(read_article(Path(path)))
        if article.id != entry.id:
            raise CorpusError(Problem(path, f"its id {article.id!r} differs from its file name"))
    return article


def _fast_article(raw: str, entry: CorpusEntry) -> ArticleText | None:
    head_end = raw.find("\nsentences:\n")
    text_at = raw.find("\ntext: ", head_end)
    if head_end < 0 or text_at < 0 or not entry.text_sha:
        return None
    block = raw[head_end + 12:text_at + 1]
    spans = tuple((int(a), int(b)) for a, b in _SPAN_LINE.findall(block))
    if len(spans) != block.count("\n") or len(spans) != entry.sentence_count:
        return None
    text = _literal_block(raw, text_at + 1)
    if text is None or text_hash(text, 16) != entry.text_sha:
        try:
            body = parse_yaml(raw[text_at + 1:])
        except yaml.YAMLError:
            return None
        if not isinstance(body, dict) or set(body) != {"text"} or not isinstance(body["text"], str):
            return None
        text = body["text"]
        if text_hash(text, 16) != entry.text_sha:
            return None  # the full reader explains what is wrong
    if any(not 0 <= start < end <= len(text) for start, end in spans):
        return None
    return ArticleText(entry.id, text, spans, frozenset(entry.non_content), entry.title)


def _literal_block(raw: str, at: int) -> str | None:
    """`text: |` as the dumper writes it; None for any other style (the sha check backs this)."""
    head = _LITERAL_HEAD.match(raw, at)
    if head is None:
        return None
    indent = int(head.group(1) or 2)
    pad = " " * indent
    lines = raw[head.end():].split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out = []
    for line in lines:
        if line.startswith(pad):
            out.append(line[indent:])
        elif line.strip(" ") == "":
            out.append("")
        else:
            return None
    while out and out[-1] == "" and head.group(2) != "+":
        out.pop()
    text = "\n".join(out)
    if head.group(2) == "+":
        return text + "\n" if out else text
    return text + "\n" if head.group(2) == "" and out else text
