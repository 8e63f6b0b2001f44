"""Which sentences an export writes, article by article, as DESIGN.md export records.

Streaming: one article and its annotation files are read at a time, so memory stays flat
however large the project. The policy (also in docs/formats.md):

- Annotators: every folder under annotations/ (the gold/reviewer folder included: its
  records say `"annotator": "gold"`); `--annotator a,b` or `--gold [NAME]` narrow it.
- A record is written for each sentence an annotator *tagged* (a label in any layer of
  labels.yaml). A sentence with only a note is untagged, as in the agreement report.
- Not content is not prose: a sentence the annotator marked not-content is skipped, and
  so is a sentence the importer marked (article `non_content`) unless the annotator gave
  it labels anyway (their decision wins). `include_not_content` keeps both.
- `all_sentences` adds a record with annotator null and no labels for every sentence no
  selected annotator tagged, so the segmentation itself can be exported.
- The layers are labels.yaml's, in its order: a record has one field per layer (a single
  layer's label or null, a list for the others). Unknown labels (ids not in labels.yaml)
  are exported as they are and counted, so the CLI can warn once per label rather than
  once per sentence; a layer labels.yaml does not declare has no field and is warned
  about the same way.
- Tags made on a different version of the article text are checked sentence by sentence
  against the stored hash; a sentence whose text changed is skipped and reported.

Annotation files are read with the codec (annotation_file.read_doc), one at a time, in
this process or in a worker (export_run.py): the same code whatever the number of jobs.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..annotation_file import AnnotationDoc, read_doc
from ..corpus import CorpusEntry
from ..errors import CorpusError, Problem, StoreError, UsageError
from ..project import Project
from ..schema import LabelSchema
from ..store import check_annotator_name
from ..tags import LabelValues, SentenceTags
from .article_text import ArticleText, read_article_text

FIXED_KEYS = ("article", "sentence", "start", "end", "text", "annotator")
NOTE_KEY = "note"

Labels = tuple[Any, ...]
"""A record's labels, one value per layer of labels.yaml in its order: a single layer's
label id or None, a tuple of ids for the others."""

Record = tuple[str, int, int, int, str, "str | None", Labels, "str | None"]
"""One export record: article, sentence, start, end, text, annotator, labels, note."""

DEFAULT_GOLD = "gold"
_MEMO_LIMIT = 100_000  # distinct label combinations remembered (a memo: memory stays flat)


def record_keys(schema: LabelSchema) -> tuple[str, ...]:
    """The keys of an export record, in order: the fixed ones, a key per layer, note."""
    return (*FIXED_KEYS, *schema.layer_ids, NOTE_KEY)


def record_dict(record: Record, layers: Sequence[str]) -> dict[str, object]:
    """The DESIGN.md record as a dict (key order as in the contract; lists as lists)."""
    out: dict[str, object] = dict(zip(FIXED_KEYS, record[:6], strict=True))
    for layer, value in zip(layers, record[6], strict=True):
        out[layer] = list(value) if isinstance(value, tuple) else value
    out[NOTE_KEY] = record[7]
    return out


@dataclass(frozen=True)
class Selection:
    """What to export: whose tags, and which sentences."""

    annotators: tuple[str, ...]
    all_sentences: bool = False
    include_not_content: bool = False


@dataclass
class ExportReport:
    """What an export did and what it could not do; the CLI prints it."""

    articles: int = 0  # articles that produced at least one record
    records: int = 0
    problems: list[Problem] = field(default_factory=list)  # unreadable files: export incomplete
    unknown: Counter[tuple[str, str]] = field(default_factory=Counter)  # (layer, id) -> uses
    unknown_where: dict[tuple[str, str], str] = field(default_factory=dict)  # first file
    unknown_layers: Counter[str] = field(default_factory=Counter)  # layer -> sentences
    several: Counter[str] = field(default_factory=Counter)  # single layer -> sentences
    layer_where: dict[str, str] = field(default_factory=dict)  # first file, for both
    changed: list[str] = field(default_factory=list)  # sentences skipped: text changed
    orphans: list[str] = field(default_factory=list)  # annotation files without an article
    note_only: int = 0  # sentences with a note and no labels (untagged)
    not_content: int = 0  # tagged sentences skipped as not content

    def merge(self, other: ExportReport) -> None:
        """Add what another part of the same export (a worker's share) found."""
        self.articles += other.articles
        self.records += other.records
        self.problems += other.problems
        self.unknown.update(other.unknown)
        for key, where in other.unknown_where.items():
            self.unknown_where.setdefault(key, where)
        self.unknown_layers.update(other.unknown_layers)
        self.several.update(other.several)
        for layer, where in other.layer_where.items():
            self.layer_where.setdefault(layer, where)
        self.changed += other.changed
        self.orphans += other.orphans
        self.note_only += other.note_only
        self.not_content += other.not_content

    def warnings(self) -> list[str]:
        out = []
        for (layer, label), count in sorted(self.unknown.items()):
            out.append(f"{self.unknown_where[(layer, label)]}: unknown {layer} label {label!r} "
                       f"(not in labels.yaml) exported as is in {count} record(s)")
        for layer, count in sorted(self.unknown_layers.items()):
            out.append(f"{self.layer_where[layer]}: layer {layer!r} is not in labels.yaml; "
                       f"its labels on {count} sentence(s) are not exported")
        for layer, count in sorted(self.several.items()):
            out.append(f"{self.layer_where[layer]}: {layer} takes one label, but "
                       f"{count} sentence(s) have several; the first is exported")
        out.extend(self.changed)
        out.extend(f"{path}: no such article in the corpus; skipped" for path in self.orphans)
        return out


def select_annotators(project: Project, names: str | None = None,
                      gold: str | None = None) -> tuple[str, ...]:
    """`--annotator a,b`, `--gold NAME`, or every annotator folder (sorted)."""
    if names and gold:
        raise UsageError("use either --annotator or --gold, not both")
    if gold:
        check_annotator_name(gold)
        if not (project.annotations_dir / gold).is_dir():
            raise UsageError(Problem(
                project.annotations_dir / gold,
                "no gold annotations here (nothing adjudicated yet?); name the reviewer's "
                "folder with --gold NAME"))
        return (gold,)
    available = project.store.annotators()
    if not names:
        return tuple(available)
    chosen = []
    for name in (part.strip() for part in names.split(",")):
        check_annotator_name(name)
        if name not in available:
            known = ", ".join(available) or "none yet"
            raise UsageError(Problem(project.annotations_dir / name,
                                     f"no annotations by {name!r} (annotators: {known})"))
        if name not in chosen:
            chosen.append(name)
    return tuple(chosen)


def annotated_ids(project: Project, annotators: tuple[str, ...]) -> dict[str, set[str]]:
    """Article ids each annotator has a file for: one directory listing per annotator."""
    listing: dict[str, set[str]] = {}
    for name in annotators:
        folder = project.annotations_dir / name
        ids: set[str] = set()
        try:
            with os.scandir(folder) as entries:
                for item in entries:
                    if item.name.endswith(".yaml") and not item.name.startswith("."):
                        ids.add(item.name[:-5])
        except FileNotFoundError:
            pass
        listing[name] = ids
    return listing


@dataclass(frozen=True)
class AnnotatedArticle:
    article: ArticleText
    docs: dict[str, AnnotationDoc]  # annotator -> tags; only annotators with a file


WorkItem = tuple[CorpusEntry, tuple[str, ...]]
"""An article to read and the selected annotators who have a file for it."""


def plan_articles(project: Project, selection: Selection,
                  report: ExportReport) -> list[WorkItem]:
    """What to read, in corpus order; orphan files and unreadable articles are reported."""
    corpus = project.corpus
    entries = corpus.entries()
    report.problems.extend(corpus.problems)
    listing = annotated_ids(project, selection.annotators)
    known_ids = {entry.id for entry in entries}
    for name, ids in listing.items():
        for article_id in sorted(ids - known_ids):
            report.orphans.append(str(project.annotations_dir / name / f"{article_id}.yaml"))
    plan: list[WorkItem] = []
    for entry in entries:
        names = tuple(name for name in selection.annotators if entry.id in listing[name])
        if names or selection.all_sentences:
            plan.append((entry, names))
    return plan


class ArticleReader:
    """Reads one planned article and its annotation files (problems go to the report)."""

    def __init__(self, project: Project):
        self.corpus_dir = str(project.corpus_dir)
        self.annotations_dir = project.annotations_dir

    def read(self, work: WorkItem, report: ExportReport) -> AnnotatedArticle | None:
        entry, names = work
        try:
            article = read_article_text(os.path.join(self.corpus_dir, entry.file), entry)
        except CorpusError as exc:
            report.problems.extend(exc.problems)
            return None
        docs: dict[str, AnnotationDoc] = {}
        for name in names:
            path = self.annotations_dir / name / f"{entry.id}.yaml"
            try:
                docs[name] = read_doc(path, entry.id, name)
            except StoreError as exc:
                report.problems.extend(exc.problems)
        return AnnotatedArticle(article, docs)


def iter_articles(project: Project, selection: Selection,
                  report: ExportReport) -> Iterator[AnnotatedArticle]:
    """Articles in corpus order with the selected annotators' tags, one at a time."""
    reader = ArticleReader(project)
    for work in plan_articles(project, selection, report):
        item = reader.read(work, report)
        if item is not None:
            yield item


class RecordBuilder:
    """Turns one article's tags into export records, applying the policy above."""

    def __init__(self, schema: LabelSchema, selection: Selection, report: ExportReport,
                 annotations_dir: Path):
        self.selection = selection
        self.report = report
        self.annotations_dir = annotations_dir
        self.layers = schema.layer_ids
        self._single = schema.single_layers
        self._known = {layer.id: frozenset(label.id for label in layer.labels)
                       for layer in schema.layers}
        self.empty: Labels = tuple(None if layer.single else () for layer in schema.layers)
        # Label values seen before -> (record labels, what is odd about them): a project
        # reuses a limited number of label combinations, each converted and checked once.
        self._memo: dict[LabelValues, tuple[Labels | None, tuple[tuple[str, str], ...]]] = {}

    def labels(self, values: LabelValues) -> tuple[Labels | None, tuple[tuple[str, str], ...]]:
        """The record's labels (None when no layer of labels.yaml has one) and what is
        odd about them: (layer, id) for an unknown label, ("", layer) for a layer
        labels.yaml does not declare, ("+", layer) for a single layer with several."""
        found = self._memo.get(values)
        if found is None:
            if len(self._memo) > _MEMO_LIMIT:
                self._memo.clear()
            found = self._memo[values] = self._convert(values)
        return found

    def _convert(self, values: LabelValues) -> tuple[Labels | None, tuple[tuple[str, str], ...]]:
        present = dict(values)
        notes: list[tuple[str, str]] = []
        for layer, ids in values:
            known = self._known.get(layer)
            if known is None:
                notes.append(("", layer))
                continue
            notes += [(layer, label) for label in ids if label not in known]
            if layer in self._single and len(ids) > 1:
                notes.append(("+", layer))
        out: list[Any] = []
        tagged = False
        for layer in self.layers:
            ids = present.get(layer, ())
            tagged = tagged or bool(ids)
            out.append((ids[0] if ids else None) if layer in self._single else ids)
        return (tuple(out) if tagged else None), tuple(notes)

    def note(self, findings: tuple[tuple[str, str], ...], name: str, article_id: str) -> None:
        """Count what was odd about one sentence's labels (once per sentence)."""
        where = str(self.annotations_dir / name / f"{article_id}.yaml")
        report = self.report
        for kind, value in findings:
            if kind == "":
                report.unknown_layers[value] += 1
                report.layer_where.setdefault(value, where)
            elif kind == "+":
                report.several[value] += 1
                report.layer_where.setdefault(value, where)
            else:
                report.unknown[(kind, value)] += 1
                report.unknown_where.setdefault((kind, value), where)

    def records(self, item: AnnotatedArticle) -> list[Record]:
        article = item.article
        spans, text, article_id = article.spans, article.text, article.id
        include_nc = self.selection.include_not_content
        all_sentences = self.selection.all_sentences
        labels_of, note = self.labels, self.note
        usable = {name: usable_tags(article, doc, name, self.annotations_dir, self.report)
                  for name, doc in item.docs.items()}
        order = sorted(usable)
        if all_sentences:
            indexes: Sequence[int] = range(len(spans))
        else:
            indexes = sorted(set().union(*(tags.keys() for tags in usable.values())))
        out: list[Record] = []
        for index in indexes:
            start, end = spans[index]
            sentence = text[start:end]
            covered = False  # tagged, or marked not content, by a selected annotator
            for name in order:
                tags = usable[name].get(index)
                if tags is None:
                    continue
                values, comment, flag = tags[0], tags[1], tags[2]
                if flag:
                    covered = True
                    if not include_nc:
                        self.report.not_content += 1
                        continue
                elif not values:
                    if comment:
                        self.report.note_only += 1
                    continue
                labels = None
                if values:
                    labels, findings = labels_of(values)
                    if findings:
                        note(findings, name, article_id)
                if labels is None:
                    covered = True
                    if not flag:
                        continue  # labels only in layers labels.yaml does not declare
                    labels = self.empty
                covered = True
                out.append((article_id, index, start, end, sentence, name, labels, comment))
            if all_sentences and not covered and (include_nc or index not in article.non_content):
                out.append((article_id, index, start, end, sentence, None, self.empty, None))
        if out:
            self.report.articles += 1
            self.report.records += len(out)
        return out


def usable_tags(article: ArticleText, doc: AnnotationDoc, annotator: str,
                annotations_dir: Path, report: ExportReport) -> dict[int, SentenceTags]:
    """The tags whose sentence is still the one that was tagged (the rest are reported)."""
    tags = doc.tags
    count = len(article.spans)
    if doc.text_sha in (None, article.text_sha) and (not tags or max(tags) < count):
        return tags
    path = annotations_dir / annotator / f"{article.id}.yaml"
    kept = {}
    for index, row in tags.items():
        stored = doc.spans.get(index)
        if index >= count:
            report.changed.append(f"{path}: sentence {index} no longer exists; skipped")
        elif (doc.text_sha not in (None, article.text_sha) and stored is not None
              and (stored[:2] != article.spans[index]
                   or stored[2] != article.sentence_hash(index))):
            report.changed.append(f"{path}: sentence {index} changed since it was tagged; skipped")
        else:
            kept[index] = row
    return kept


def iter_records(project: Project, selection: Selection,
                 report: ExportReport) -> Iterator[list[Record]]:
    """Records, a list per article, in corpus order."""
    builder = RecordBuilder(project.schema, selection, report, project.annotations_dir)
    for item in iter_articles(project, selection, report):
        records = builder.records(item)
        if records:
            yield records
