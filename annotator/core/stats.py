"""Progress and label counts across annotators, computed from files on disk.

Reads only article headers (sentence counts, non-content marks) and the annotation files,
so it stays quick on a large corpus. A file that fails to load is listed, not skipped
silently and not counted as zero work.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem, StoreError
from .project import Project
from .schema import LAYERS, LabelSchema
from .annotation_file import read_doc
from .store import check_annotator_name
from .tags import SentenceTags, done_indexes
from .atomic import atomic_write


@dataclass
class AnnotatorProgress:
    annotator: str
    tagged: int = 0  # sentences tagged or known not to be content, over all articles
    total: int = 0  # sentences in the corpus
    articles_touched: int = 0  # articles with at least one tag by this annotator
    articles_done: int = 0  # articles with every sentence done
    articles: int = 0  # articles in the corpus

    @property
    def fraction(self) -> float:
        return self.tagged / self.total if self.total else 0.0


@dataclass
class LabelCount:
    layer: str
    label_id: str
    name: str
    count: int
    known: bool = True  # False: used in files but missing from labels.yaml


@dataclass
class ProjectStats:
    progress: list[AnnotatorProgress] = field(default_factory=list)
    counts: dict[str, list[LabelCount]] = field(default_factory=dict)  # layer -> rows
    tagged_sentences: int = 0  # sentences with at least one label, over the annotators shown
    problems: list[Problem] = field(default_factory=list)  # files that could not be read


def compute_stats(project: Project, annotator: str | None = None) -> ProjectStats:
    """Stats over every annotator folder, or only `annotator`'s (refused if not a safe name)."""
    schema = project.schema
    names = [check_annotator_name(annotator)] if annotator else project.store.annotators()
    entries = project.corpus.entries()
    stats = ProjectStats(problems=list(project.corpus.problems))
    total = sum(entry.sentence_count for entry in entries)
    counters: dict[str, Counter[str]] = {layer: Counter() for layer in LAYERS}
    cache = _SummaryCache(project.state_dir / "stats-cache.json")
    for name in names:
        row = AnnotatorProgress(name, total=total, articles=len(entries))
        for entry in entries:
            path = project.store.path(name, entry.id)
            try:
                tags = cache.tags(path, f"{name}/{entry.id}", entry.id, name)
            except StoreError as exc:
                stats.problems.extend(exc.problems)
                continue
            if tags is None:  # no file: nothing tagged yet
                auto = done_indexes({}, entry.non_content, entry.sentence_count)
                row.tagged += len(auto)
                row.articles_done += int(0 < len(auto) == entry.sentence_count)
                continue
            in_range = {i: t for i, t in tags.items() if i < entry.sentence_count}
            done = done_indexes(tags, entry.non_content, entry.sentence_count)
            row.tagged += len(done)
            row.articles_touched += int(any(t.is_tagged for t in in_range.values()))
            row.articles_done += int(len(done) == entry.sentence_count)
            for sentence_tags in in_range.values():
                labels = sentence_tags.labels()
                stats.tagged_sentences += int(bool(labels))
                for layer, label_id in labels:
                    counters[layer][label_id] += 1
        stats.progress.append(row)
    cache.save(keep=lambda key: key.split("/", 1)[0] not in names)
    stats.counts = {layer: _label_rows(schema, layer, counters[layer]) for layer in LAYERS}
    return stats


class _SummaryCache:
    """Parsed tags per annotation file, keyed by size and mtime, under .annotator/.

    PyYAML needs a few milliseconds per file, so 10,000 files take most of a minute;
    with this shortcut a second `annotator stats` only parses what changed. Like the
    corpus index it is never needed: deleting it is always safe.
    """

    VERSION = 1

    def __init__(self, path: Path):
        self.path = path
        self.old: dict[str, dict] = {}
        self.fresh: dict[str, dict] = {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("version") == self.VERSION and isinstance(
                data.get("files"), dict):
            self.old = data["files"]

    def tags(self, path: Path, key: str, article_id: str,
             annotator: str) -> dict[int, SentenceTags] | None:
        """The file's tags (None when there is no file); StoreError when it cannot be read."""
        try:
            stat = path.stat()
        except OSError:
            return None
        stamp = [stat.st_size, stat.st_mtime_ns]
        cached = self.old.get(key)
        if isinstance(cached, dict) and cached.get("stamp") == stamp:
            try:
                tags = {int(i): SentenceTags(tuple(sp), claim, tuple(tp), None, bool(nc))
                        for i, sp, claim, tp, nc in cached["tags"]}
            except (KeyError, TypeError, ValueError):
                tags = None
            if tags is not None:
                self.fresh[key] = cached
                return tags
        doc = read_doc(path, article_id, annotator)
        self.fresh[key] = {"stamp": stamp, "tags": [
            [i, list(t.speakers), t.claim, list(t.topics), t.not_content]
            for i, t in sorted(doc.tags.items())]}
        return doc.tags

    def save(self, keep: Callable[[str], bool]) -> None:
        """Write what was read now, plus old entries of annotators not looked at this time."""
        files = {k: v for k, v in self.old.items() if keep(k)} | self.fresh
        if files == self.old:
            return
        try:
            atomic_write(self.path, json.dumps({"version": self.VERSION, "files": files},
                                                    separators=(",", ":")))
        except OSError:
            pass  # a read-only project still gets its stats, just without the shortcut


def _label_rows(schema: LabelSchema, layer: str, counter: Counter[str]) -> list[LabelCount]:
    """Every label of the layer in labels.yaml order (zeros matter: unused labels show),
    then ids found in files but unknown to the schema."""
    rows = [LabelCount(layer, label.id, label.name, counter.get(label.id, 0))
            for label in schema.layer(layer)]
    for label_id, count in sorted(counter.items(), key=lambda item: (-item[1], item[0])):
        if not schema.has(layer, label_id):
            rows.append(LabelCount(layer, label_id, label_id, count, known=False))
    return rows
