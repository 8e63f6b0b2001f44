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

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from ..article import Article, read_article, text_hash
from ..article_file import literal_text, span_numbers
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
    numbers = span_numbers(raw[head_end + 12:text_at + 1])
    if numbers is None or len(numbers) != 2 * entry.sentence_count:
        return None
    spans = tuple(zip(numbers[0::2], numbers[1::2]))
    text = literal_text(raw, text_at + 1)
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
