"""annotations/<annotator>/<article-id>.yaml: load, check against the article, save atomically.

One file per annotator per article, so people sharing a project through git never edit
the same file. Each tagged sentence carries its index, offsets and a short hash of its
text: if the article changed underneath, the drift is detected, not guessed. Saving an
unchanged document rewrites nothing, and a file that failed to load is never written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .article import Article
from .errors import Problem, StoreError, UsageError
from .tags import SentenceTags, done_indexes
from .yamlio import FlowList, _Loader, atomic_write_text, dump_yaml, yaml_problem

STORE_VERSION = 1
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$")
_SENTENCE_FIELDS = ("index", "start", "end", "hash", "speakers", "claim", "topics", "note",
                    "not_content", "agrees_with", "overrules")


def check_annotator_name(name: str) -> str:
    """Annotator names become folder names: no '/', '..', control characters or spaces."""
    if not name or not _NAME_RE.match(name) or ".." in name:
        shown = name.encode("unicode_escape").decode("ascii")
        raise UsageError(
            f"{shown!r} is not a usable annotator name: use letters, digits, "
            "'.', '_', '-' (up to 64, no '/', '..' or control characters)")
    return name


@dataclass
class AnnotationDoc:
    """One annotator's tags on one article, as held in memory while editing."""

    article_id: str
    annotator: str
    tags: dict[int, SentenceTags] = field(default_factory=dict)
    text_sha: str | None = None  # the article text the tags were made on
    lines: dict[int, int] = field(default_factory=dict)  # sentence index -> line in the file
    spans: dict[int, tuple[int, int, str]] = field(default_factory=dict)  # as stored on disk
    extra: dict[str, Any] = field(default_factory=dict)  # unknown top-level keys, kept
    _fragments: dict[int, tuple[Any, str]] = field(
        default_factory=dict, repr=False, compare=False)  # sentence index -> (key, YAML)

    def get(self, index: int) -> SentenceTags:
        return self.tags.get(index, SentenceTags())

    def tagged_count(self, article: Article | None = None) -> int:
        if article is None:
            return sum(1 for t in self.tags.values() if t.is_tagged)
        return len(done_indexes(self.tags, article.non_content, len(article.spans)))

    def drift(self, article: Article) -> list[str]:
        """What changed in the article since these tags were made (empty when nothing)."""
        if self.text_sha is None or self.text_sha == article.text_sha:
            return []
        moved = []
        for index, (start, end, digest) in sorted(self.spans.items()):
            if index >= len(article.sentences):
                moved.append(f"sentence {index} no longer exists")
                continue
            sentence = article.sentences[index]
            if sentence.hash != digest or (sentence.start, sentence.end) != (start, end):
                moved.append(f"sentence {index} changed")
        return moved or ["the article text changed (the tagged sentences still match)"]

    def to_yaml(self, article: Article) -> str:
        """The file's text. Each sentence's YAML is cached, so a save in a long article
        only serialises the sentence that changed (the output is the same as dumping whole).
        """
        fragments = []
        for index in sorted(self.tags):
            tags = self.tags[index]
            if tags.is_empty:
                continue
            key = (tags, article.text_sha)
            cached = self._fragments.get(index)
            if cached is None or cached[0] != key:
                cached = (key, dump_yaml([self._entry(index, tags, article)]))
                self._fragments[index] = cached
            fragments.append(cached[1])
        header = dump_yaml({
            "version": STORE_VERSION,
            "article": self.article_id,
            "annotator": self.annotator,
            "text_sha": article.text_sha,
            **self.extra,
        })
        return header + ("sentences:\n" + "".join(fragments) if fragments else "sentences: []\n")

    def _entry(self, index: int, tags: SentenceTags, article: Article) -> dict[str, Any]:
        if index < len(article.sentences):
            sentence = article.sentences[index]
            start, end, digest = sentence.start, sentence.end, sentence.hash
        else:  # an orphan kept from a changed article: keep what the file said
            start, end, digest = self.spans.get(index, (0, 0, ""))
        entry: dict[str, Any] = {"index": index, "start": start, "end": end, "hash": digest}
        if tags.speakers:
            entry["speakers"] = FlowList(tags.speakers)
        if tags.claim:
            entry["claim"] = tags.claim
        if tags.topics:
            entry["topics"] = FlowList(tags.topics)
        if tags.note:
            entry["note"] = tags.note
        if tags.not_content:
            entry["not_content"] = True
        if tags.agrees_with:
            entry["agrees_with"] = FlowList(tags.agrees_with)
        if tags.overrules:
            entry["overrules"] = FlowList(tags.overrules)
        return entry


class AnnotationStore:
    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, annotator: str, article_id: str) -> Path:
        return self.folder / check_annotator_name(annotator) / f"{article_id}.yaml"

    def annotators(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(
            p.name for p in self.folder.iterdir()
            if p.is_dir() and not p.name.startswith(".") and _NAME_RE.match(p.name)
        )

    def article_ids(self, annotator: str) -> list[str]:
        folder = self.folder / check_annotator_name(annotator)
        if not folder.is_dir():
            return []
        return sorted(p.stem for p in folder.glob("*.yaml") if not p.name.startswith("."))

    def load(self, annotator: str, article_id: str) -> AnnotationDoc:
        """The annotator's doc for an article (empty if none yet); StoreError if unreadable."""
        path = self.path(annotator, article_id)
        if not path.exists():
            return AnnotationDoc(article_id, annotator)
        return load_doc(path, article_id, annotator)

    def save(self, doc: AnnotationDoc, article: Article) -> bool:
        """Atomic; returns False when nothing changed on disk. Never creates an empty file."""
        path = self.path(doc.annotator, doc.article_id)
        if not path.exists() and all(t.is_empty for t in doc.tags.values()):
            return False
        written = atomic_write_text(path, doc.to_yaml(article))
        doc.text_sha = article.text_sha
        return written


def load_doc(path: Path, article_id: str | None = None, annotator: str | None = None) -> AnnotationDoc:
    """Parse and check one annotation file, keeping the line of every sentence for messages."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise StoreError(Problem(path, f"not UTF-8 ({exc.reason} at byte {exc.start}); left as is"))
    except OSError as exc:
        raise StoreError(Problem(path, f"cannot read: {exc.strerror}"))
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        problem = yaml_problem(path, exc)
        problem.message += "; the file is left as is"
        raise StoreError(problem)
    article_id = article_id or path.stem
    annotator = annotator or path.parent.name

    def fail(message: str, at: yaml.Node | None = None) -> StoreError:
        line = at.start_mark.line + 1 if at is not None else None
        return StoreError(Problem(path, f"{message}; the file is left as is", line))

    if data is None:
        return AnnotationDoc(article_id, annotator)
    if not isinstance(data, dict):
        raise fail("not an annotation file (expected a mapping with sentences)", node)
    version = data.get("version", STORE_VERSION)
    if not isinstance(version, int) or version > STORE_VERSION:
        raise fail(f"format version {version!r} is newer than this annotator understands", node)
    raw_sentences = data.get("sentences") or []
    if not isinstance(raw_sentences, list):
        raise fail("'sentences' must be a list", node)
    seq_node = _child(node, "sentences")
    doc = AnnotationDoc(article_id, annotator, text_sha=data.get("text_sha"))
    doc.extra = {k: v for k, v in data.items()
                 if k not in {"version", "article", "annotator", "text_sha", "sentences"}}
    for position, entry in enumerate(raw_sentences):
        entry_node = seq_node.value[position] if isinstance(seq_node, yaml.SequenceNode) else None
        if not isinstance(entry, dict):
            raise fail("each sentence must be a mapping with index, speakers, claim, topics",
                       entry_node)
        index = entry.get("index")
        if not isinstance(index, int) or index < 0:
            raise fail(f"sentence entry without a valid index ({index!r})", entry_node)
        unknown = set(entry) - set(_SENTENCE_FIELDS)
        if unknown:
            raise fail(f"sentence {index}: unknown field(s) {', '.join(sorted(map(str, unknown)))}",
                       entry_node)
        try:
            tags = SentenceTags(
                speakers=_str_tuple(entry.get("speakers")),
                claim=_opt_str(entry.get("claim")),
                topics=_str_tuple(entry.get("topics")),
                note=_opt_str(entry.get("note")),
                not_content=bool(entry.get("not_content", False)),
                agrees_with=_str_tuple(entry.get("agrees_with")),
                overrules=_str_tuple(entry.get("overrules")),
            )
        except TypeError as exc:
            raise fail(f"sentence {index}: {exc}", entry_node)
        if index in doc.tags:
            raise fail(f"sentence {index} appears twice", entry_node)
        doc.tags[index] = tags
        if entry_node is not None:
            doc.lines[index] = entry_node.start_mark.line + 1
        start, end = entry.get("start"), entry.get("end")
        if isinstance(start, int) and isinstance(end, int):
            doc.spans[index] = (start, end, str(entry.get("hash", "")))
    return doc


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if getattr(key_node, "value", None) == key:
            return value_node
    return None


def _str_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise TypeError(f"expected a list of label ids, got {value!r}")
    return tuple(str(v) for v in value)


def _opt_str(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (dict, list)):
        raise TypeError(f"expected text, got {value!r}")
    return str(value)
