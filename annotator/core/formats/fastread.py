"""Fast readers for the files this project writes itself, for exports of whole projects.

The general YAML loader builds a node per value: ~350 annotation files a second, far too
slow to export 30,000 of them. Files written by core/store.py and core/article.py have a
fixed, line-oriented shape, so we read that shape directly and hand anything else (a hand
edit, a comment, a quoted or wrapped note, a newer version) to the full loader, which
stays the reference: whatever this module accepts, the full loader reads the same way
(tests/test_export_fastread.py checks it). Errors always come from the full loader, so
messages are the same whichever path read the file.

Article texts are checked against the sha256 stored at import, so a text read here is
the stored text exactly, or the full loader reads it instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from ..article import Article, read_article, text_hash
from ..corpus import CorpusEntry
from ..errors import CorpusError, Problem
from ..annotation_file import AnnotationDoc, read_doc
from ..store import STORE_VERSION
from ..tags import SentenceTags
from ..yamlio import parse_yaml

# --------------------------------------------------------------------------- articles


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


# --------------------------------------------------------------------------- annotation files

Row = tuple[tuple[str, ...], "str | None", tuple[str, ...], "str | None", bool]
"""One tagged sentence as exports need it: (speakers, claim, topics, note, not_content)."""


@dataclass
class DocRows:
    """One annotator's tags on one article, as plain tuples (cheaper than SentenceTags)."""

    text_sha: str | None
    rows: dict[int, Row] = field(default_factory=dict)
    stored: dict[int, tuple[int, int, str]] = field(default_factory=dict)  # start, end, digest

    @classmethod
    def from_doc(cls, doc: AnnotationDoc) -> DocRows:
        rows = {i: (t.speakers, t.claim, t.topics, t.note, t.not_content)
                for i, t in doc.tags.items()}
        return cls(doc.text_sha, rows, dict(doc.spans))

    def tags(self, index: int) -> SentenceTags:
        speakers, claim, topics, note, flag = self.rows[index]
        return SentenceTags(speakers, claim, topics, note, flag)


_TOP = re.compile(r"(version|article|annotator|text_sha): ?(.*)\n")
# One sentence entry, fields in the order core/store.py writes them.
_ENTRY = re.compile(
    r"(- index: (0|[1-9][0-9]*)\n"
    r"(?:  start: (0|[1-9][0-9]*)\n  end: (0|[1-9][0-9]*)\n  hash: (?:'([0-9a-f]*)'|"
    # digests YAML reads as this very string: a letter keeps them strings (but 0b01 is a
    # binary number), digits alone survive int() and str() unless led by a zero (octal),
    # and a zero-led number with an 8 or 9 is not octal, so it stays a string.
    r"((?!0b[01]*\n)[0-9a-f]*[a-f][0-9a-f]*|[1-9][0-9]*|0[0-9]*[89][0-9]*))\n)?"
    r"(?:  speakers: ([^\n]*)\n)?"
    r"(?:  claim: ([^\n]*)\n)?"
    r"(?:  topics: ([^\n]*)\n)?"
    r"(?:  note: ([^\n]*)\n)?"
    r"(?:  not_content: (true)\n)?"
    r"(?:  agrees_with: ([^\n]*)\n)?"
    r"(?:  overrules: ([^\n]*)\n)?)"
)
_INT = re.compile(r"0|[1-9][0-9]*")
# A plain scalar that YAML reads as this very string: starts with a letter (so never a
# number, date or indicator) and holds no character with a meaning in YAML.
_PLAIN = re.compile(r"[^\W\d_][\w.\-]*")
_PLAIN_TEXT = re.compile(r"[^\W\d_][\w.\-' ,;?()/]*(?<! )")
_HEX = re.compile(r"(?!0b[01]*\Z)[0-9a-f]*[a-f][0-9a-f]*")  # as for digests below
_ZERO_LED = re.compile(r"0[0-9]*[89][0-9]*")  # not octal, so YAML keeps it a string
_QUOTED = re.compile(r"'([^'\n]*)'")
_SPECIAL_WORDS = frozenset({"yes", "no", "true", "false", "on", "off", "null"})
_MISSING = object()


class _Fallback(Exception):
    """The file is not in the exact shape we write: read it with the full loader."""


def _scalar(value: str, *, text: bool = False) -> str:
    if (_PLAIN_TEXT if text else _PLAIN).fullmatch(value):
        if value.lower() in _SPECIAL_WORDS:
            raise _Fallback
        return value
    if _HEX.fullmatch(value):
        return value
    quoted = _QUOTED.fullmatch(value)
    if quoted:
        return quoted.group(1)
    raise _Fallback


def _flow_list(value: str) -> tuple[str, ...]:
    if len(value) < 2 or value[0] != "[" or value[-1] != "]":
        raise _Fallback
    inner = value[1:-1]
    return tuple(_scalar(item) for item in inner.split(", ")) if inner else ()


def _claim(value: str) -> str | None:
    return _scalar(value) or None


class DocCache:
    """Parsed label lists and claims, shared across files: a project reuses a few hundred."""

    def __init__(self) -> None:
        self.lists: dict[str, Any] = {"": ()}  # an absent or empty list
        self.claims: dict[str, Any] = {"": None}


def read_rows(path: Path | str, article_id: str, annotator: str,
              cache: DocCache | None = None, current_sha: str | None = None) -> DocRows:
    """One annotation file, as core.store.read_doc reads it (StoreError when unreadable).

    With `current_sha` (the article's text_sha), the stored offsets and digests of a file
    made on that very text are not kept: they only matter for drift, and there is none.
    """
    try:
        with open(path, "rb") as handle:
            raw = handle.read().decode("utf-8")
        return _fast_rows(raw, cache or DocCache(), current_sha)
    except (_Fallback, OSError, UnicodeDecodeError):
        return DocRows.from_doc(read_doc(Path(path), article_id, annotator))


def _fast_rows(raw: str, cache: DocCache, current_sha: str | None = None) -> DocRows:
    body_at = raw.find("sentences:")
    if body_at < 0 or (body_at and raw[body_at - 1] != "\n"):
        raise _Fallback
    text_sha = None
    seen_top: set[str] = set()
    for line in raw[:body_at].splitlines(keepends=True):
        match = _TOP.fullmatch(line)
        if match is None:
            raise _Fallback
        key, value = match.groups()
        if key in seen_top:
            raise _Fallback
        seen_top.add(key)
        if key == "version":
            if not _INT.fullmatch(value) or int(value) > STORE_VERSION:
                raise _Fallback
        elif key == "text_sha":
            text_sha = _scalar(value) if value and not _ZERO_LED.fullmatch(value) else (
                value or None)
    doc = DocRows(text_sha)
    rest = raw[body_at:]
    if rest in ("sentences: []\n", "sentences:\n"):
        return doc
    if not rest.startswith("sentences:\n"):
        raise _Fallback
    lists, claims = cache.lists, cache.claims
    rows, stored = doc.rows, doc.stored
    keep_stored = current_sha is None or text_sha != current_sha
    entries = _ENTRY.findall(rest, 11)
    # findall gives "" for a field that is absent, which is also what YAML makes of an
    # empty value (null): no speakers, no claim, no note.
    covered = 11
    for (whole, index, start, end, quoted, digest, speakers, claim, topics, note, flag,
         agrees, overrules) in entries:
        covered += len(whole)
        speaker_ids = lists.get(speakers)
        if speaker_ids is None:
            speaker_ids = lists[speakers] = _flow_list(speakers)
        topic_ids = lists.get(topics)
        if topic_ids is None:
            topic_ids = lists[topics] = _flow_list(topics)
        claim_id = claims.get(claim, _MISSING)
        if claim_id is _MISSING:
            claim_id = claims[claim] = _claim(claim)
        if agrees and agrees not in lists:
            lists[agrees] = _flow_list(agrees)
        if overrules and overrules not in lists:
            lists[overrules] = _flow_list(overrules)
        rows[int(index)] = (speaker_ids, claim_id, topic_ids,
                            (_scalar(note, text=True) or None) if note else None, flag == "true")
        if start and keep_stored:
            stored[int(index)] = (int(start), int(end), digest or quoted)
    if covered != len(rest) or len(rows) != len(entries):
        raise _Fallback  # something between entries we do not read, or an index twice
    return doc
