"""Which sentences an export writes, article by article, as export records (docs/formats.md).

Streaming: one article is read at a time and its records are written before the next
(the annotation index holds the tags of the whole project, as for review). The policy
(also in docs/formats.md):

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

Annotation files are read through the project's annotation index (the cache review and
agree share: a file is parsed once, until it changes), or with the codec
(annotation_file.read_doc) where the index is not at hand (a worker process started
afresh, see export_run.py). Both give the same tags, so the same records.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any, Final

from ..annotation_file import is_article_file, read_doc
from ..annotation_index import AnnotationIndex, FileRecords
from ..corpus import CorpusEntry
from ..errors import CorpusError, Problem, StoreError, UsageError
from ..project import Project
from ..schema import LabelSchema, Layer
from ..store import check_annotator_name
from ..tags import LabelValues, Span
from .article_text import ArticleText, read_article_text

FIXED_KEYS = ("id", "article", "sentence", "number", "start", "end", "text", "annotator",
              "not_content")
"""The record's keys before its layers (docs/formats.md); after them come TAIL_KEYS."""
MENTIONS_KEY, SPANS_KEY, NOTE_KEY = "speaker_mentions", "spans", "note"
TAIL_KEYS = (MENTIONS_KEY, SPANS_KEY, NOTE_KEY)

Labels = tuple[tuple[str, ...], ...]
"""A record's labels: the ids of each layer of labels.yaml, in its order (the writers turn
a single layer's into its one label or null; of several, a hand edit, the first)."""

Mention = tuple[str, int, int]
"""A speaker mention: entity id, start, end (article offsets): a span on an entity layer."""

Record = tuple[str, int, int, int, str, "str | None", bool, Labels, tuple[Mention, ...],
               tuple[Span, ...], "str | None"]
"""One export record: article, sentence, start, end, text, annotator, not_content,
labels, speaker mentions, spans, note (id and number follow from article and sentence)."""

LABELS: Final = 7  # positions in a Record
MENTIONS: Final = 8
SPANS: Final = 9
NOTE: Final = 10

DEFAULT_GOLD = "gold"
_SENTENCE = itemgetter(1)
_MEMO_LIMIT = 100_000  # label lists remembered as fine, per layer (a memo, not a store)


def record_keys(schema: LabelSchema) -> tuple[str, ...]:
    """The keys of an export record, in order: the fixed ones, a key per layer, the tail."""
    return (*FIXED_KEYS, *schema.layer_ids, *TAIL_KEYS)


def record_id(article: str, index: int) -> str:
    """The stable id of a sentence: `<article>#<number>`, number counted from 1."""
    return f"{article}#{index + 1}"


def layer_value(layer: Layer, ids: tuple[str, ...]) -> Any:
    """What a record holds for a layer: a single layer's label (the first) or None, else
    the list of ids."""
    if layer.single:
        return ids[0] if ids else None
    return list(ids)


def mentions_value(mentions: tuple[Mention, ...]) -> list[dict[str, object]]:
    return [{"speaker": who, "start": start, "end": end} for who, start, end in mentions]


def spans_value(spans: tuple[Span, ...]) -> list[dict[str, object]]:
    return [{"layer": layer, "label": label, "start": start, "end": end}
            for layer, label, start, end in spans]


def record_dict(record: Record, layers: Sequence[Layer]) -> dict[str, object]:
    """The export record as a dict (key order as docs/formats.md gives it)."""
    article, index, start, end, text, annotator, not_content = record[:7]
    out: dict[str, object] = {
        "id": record_id(article, index), "article": article, "sentence": index,
        "number": index + 1, "start": start, "end": end, "text": text,
        "annotator": annotator, "not_content": not_content}
    for layer, ids in zip(layers, record[LABELS], strict=True):
        out[layer.id] = layer_value(layer, ids)
    out[MENTIONS_KEY] = mentions_value(record[MENTIONS])
    out[SPANS_KEY] = spans_value(record[SPANS])
    out[NOTE_KEY] = record[NOTE]
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
                    if is_article_file(item.name):
                        ids.add(item.name[:-5])
        except FileNotFoundError:
            pass
        listing[name] = ids
    return listing


@dataclass(frozen=True)
class AnnotatorFile:
    """One annotator's tags on one article, as the export reads them."""

    records: FileRecords  # what the file holds, rows and per-layer columns
    spans: Mapping[int, tuple[int, int, str]]  # stored offsets and digests (drift check)


@dataclass(frozen=True)
class AnnotatedArticle:
    article: ArticleText
    docs: dict[str, AnnotatorFile]  # annotator -> tags; only annotators with a file


WorkItem = tuple[CorpusEntry, tuple[str, ...]]
"""An article to read and the selected annotators who have a file for it."""

AnnotationFiles = Mapping[str, Mapping[str, FileRecords]]
"""Per annotator, what the annotation index holds for each article id."""


def plan_articles(project: Project, selection: Selection, report: ExportReport,
                  files: AnnotationFiles | None = None) -> list[WorkItem]:
    """What to read, in corpus order; orphan files and unreadable articles are reported.

    Who has a file for which article comes from `files` (the index, when loaded), else
    from a listing of each annotator's folder."""
    corpus = project.corpus
    entries = corpus.entries()
    report.problems.extend(corpus.problems)
    listing = ({name: set(files[name]) for name in selection.annotators} if files is not None
               else annotated_ids(project, selection.annotators))
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


def indexed_files(project: Project,
                  annotators: Sequence[str]) -> dict[str, dict[str, FileRecords]]:
    """The selected annotators' files through the annotation index: read from its cache
    (.annotator/index/), parsing only files that changed since it was saved.

    An index of its own rather than the one cached on the project: a whole project's
    tags take hundreds of MB, and an export hands them back when it ends (reference
    counting frees them as the caller drops the result). Kept on the project, they would
    stay as long as the project does, and the interpreter would walk them again at exit.
    """
    index = AnnotationIndex(project.store, project.index.cache_dir)
    return {name: index.annotator(name).files for name in annotators}


class ArticleReader:
    """Reads one planned article and its annotation files (problems go to the report).

    Annotation files come from `files` (the annotation index) when given; a file the
    index does not hold, or one made on another text of the article (the drift check
    needs its stored offsets), is read with the codec, as every file is without `files`.
    """

    def __init__(self, project: Project, files: AnnotationFiles | None = None):
        self.corpus_dir = str(project.corpus_dir)
        self.annotations_dir = project.annotations_dir
        self.files = files

    def read(self, work: WorkItem, report: ExportReport) -> AnnotatedArticle | None:
        entry, names = work
        try:
            article = read_article_text(os.path.join(self.corpus_dir, entry.file), entry)
        except CorpusError as exc:
            report.problems.extend(exc.problems)
            return None
        docs: dict[str, AnnotatorFile] = {}
        for name in names:
            found = self._file(name, entry, report)
            if found is not None:
                docs[name] = found
        return AnnotatedArticle(article, docs)

    def _file(self, name: str, entry: CorpusEntry, report: ExportReport) -> AnnotatorFile | None:
        known = self.files.get(name) if self.files is not None else None
        found = known.get(entry.id) if known is not None else None
        if found is not None:
            if found.problem is not None:
                report.problems.append(found.problem)
                return None
            if found.text_sha is None or found.text_sha == entry.text_sha:
                return AnnotatorFile(found, {})
        try:
            doc = read_doc(self.annotations_dir / name / f"{entry.id}.yaml", entry.id, name)
        except StoreError as exc:
            report.problems.extend(exc.problems)
            return None
        return AnnotatorFile(FileRecords.of_tags(entry.id, doc.tags.items(),
                                                 text_sha=doc.text_sha), doc.spans)


def iter_articles(project: Project, selection: Selection,
                  report: ExportReport) -> Iterator[AnnotatedArticle]:
    """Articles in corpus order with the selected annotators' tags, one at a time."""
    files = indexed_files(project, selection.annotators)
    reader = ArticleReader(project, files)
    for work in plan_articles(project, selection, report, files):
        item = reader.read(work, report)
        if item is not None:
            yield item


def usable_sentences(article: ArticleText, file: AnnotatorFile, annotator: str,
                     annotations_dir: Path, report: ExportReport) -> set[int] | None:
    """The sentences whose text is still the one that was tagged (None: all of them);
    the others are reported."""
    records = file.records
    count = len(article.spans)
    drifted = records.text_sha not in (None, article.text_sha)
    if not drifted and (not records.sentences or records.sentences[-1] < count):
        return None
    path = annotations_dir / annotator / f"{article.id}.yaml"
    kept = set()
    for index in records.sentences:
        stored = file.spans.get(index)
        if index >= count:
            report.changed.append(f"{path}: sentence {index} no longer exists; skipped")
        elif drifted and stored is not None and (stored[:2] != article.spans[index]
                                                 or stored[2] != article.sentence_hash(index)):
            report.changed.append(f"{path}: sentence {index} changed since it was tagged; skipped")
        else:
            kept.add(index)
    return kept


class RecordBuilder:
    """Turns one article's tags into export records, applying the policy above.

    The hot loop of an export: labels come from the index's per-layer columns, zipped
    into one tuple per sentence in labels.yaml order (no per-sentence conversion), and
    checked against labels.yaml a file at a time (see odd).
    """

    def __init__(self, schema: LabelSchema, selection: Selection, report: ExportReport,
                 annotations_dir: Path):
        self.selection = selection
        self.report = report
        self.annotations_dir = annotations_dir
        self.layers = schema.layer_ids
        self._single = schema.single_layers
        self._entity = frozenset(layer.id for layer in schema.entity_layers)
        self._known = {layer.id: frozenset(label.id for label in layer.labels)
                       for layer in schema.layers}
        self._layer_ids = frozenset(self.layers)
        self._ok: dict[str, set[tuple[str, ...]]] = {layer: {()} for layer in self.layers}
        self.empty: Labels = tuple(() for _ in schema.layers)

    def odd(self, records: FileRecords) -> bool:
        """Whether a file holds anything to warn about: a layer labels.yaml does not
        declare, an unknown label, several labels in a single layer. Label lists found
        fine are remembered per layer (a project repeats a few thousand at most), so a
        file usually costs one set comparison per layer, in C."""
        columns = records.layers
        if not self._layer_ids.issuperset(columns):
            return True
        odd = False
        for layer, column in columns.items():
            ok = self._ok[layer]
            if ok.issuperset(column):
                continue
            known, single = self._known[layer], layer in self._single
            for ids in set(column).difference(ok):
                if (single and len(ids) > 1) or not known.issuperset(ids):
                    odd = True
                else:
                    if len(ok) > _MEMO_LIMIT:
                        ok.clear()
                    ok.add(ids)
        return odd

    def findings(self, values: LabelValues, name: str, article_id: str) -> None:
        """Count what is odd about one exported sentence's labels."""
        where = str(self.annotations_dir / name / f"{article_id}.yaml")
        report = self.report
        for layer, ids in values:
            known = self._known.get(layer)
            if known is None:
                report.unknown_layers[layer] += 1
                report.layer_where.setdefault(layer, where)
                continue
            for label in ids:
                if label not in known:
                    report.unknown[(layer, label)] += 1
                    report.unknown_where.setdefault((layer, label), where)
            if layer in self._single and len(ids) > 1:
                report.several[layer] += 1
                report.layer_where.setdefault(layer, where)

    def spans_of(self, spans: tuple[Span, ...]) -> tuple[tuple[Mention, ...], tuple[Span, ...]]:
        """A sentence's spans (article offsets): those on entity layers are speaker
        mentions, the others evidence for their labels; each in reading order."""
        entity = self._entity
        mentions: list[Mention] = []
        other: list[Span] = []
        for span in spans:
            if span[0] in entity:
                mentions.append(span[1:])  # type: ignore[arg-type]
            else:
                other.append(span)
        if not mentions:
            return (), spans
        return tuple(mentions), tuple(other)

    def records(self, item: AnnotatedArticle) -> list[Record]:
        article = item.article
        spans, text, article_id = article.spans, article.text, article.id
        include_nc = self.selection.include_not_content
        empty, layers, report = self.empty, self.layers, self.report
        covered: set[int] | None = set() if self.selection.all_sentences else None
        out: list[Record] = []
        # Each sentence's text is cut once for all annotators (every one of them: cheaper
        # than asking which), and equal spans are split once (the writers then see the
        # same tuples and reuse their encoding).
        texts = [text[start:end] for start, end in spans]
        split = _SplitSpans(self.spans_of)
        for name in sorted(item.docs):  # within a sentence, annotators in name order
            file = item.docs[name]
            records = file.records
            keep = usable_sentences(article, file, name, self.annotations_dir, report)
            odd = self.odd(records)  # usually not: then no sentence needs a check
            columns = [records.column(layer) for layer in layers]
            labels_of = zip(*columns) if columns else repeat(empty)
            rows = zip(records.sentences, records.rows, labels_of)
            for index, (values, note, flag, _agrees, _overrules, tag_spans), labels in rows:
                if keep is not None and index not in keep:
                    continue
                if flag:
                    if covered is not None:
                        covered.add(index)
                    if not include_nc:
                        report.not_content += 1
                        continue
                elif not values:
                    if note:
                        report.note_only += 1
                    continue
                if covered is not None:
                    covered.add(index)
                if odd:
                    self.findings(values, name, article_id)
                    if labels == empty and not flag:
                        continue  # labels only in layers labels.yaml does not declare
                start, end = spans[index]
                mentions, evidence = split[tag_spans]
                out.append((article_id, index, start, end, texts[index], name, bool(flag),
                            labels, mentions, evidence, note))
        if covered is not None:
            marked = article.non_content
            out += [(article_id, index, start, end, texts[index], None, index in marked,
                     empty, (), (), None)
                    for index, (start, end) in enumerate(spans)
                    if index not in covered and (include_nc or index not in marked)]
        out.sort(key=_SENTENCE)  # stable: annotators keep their order within a sentence
        if out:
            report.articles += 1
            report.records += len(out)
        return out


class _SplitSpans(dict[tuple[Span, ...], tuple[tuple[Mention, ...], tuple[Span, ...]]]):
    """A sentence's spans -> (speaker mentions, evidence), split once per distinct value:
    annotators who agree share the tuples, and the writers reuse their encoding."""

    def __init__(self, split: Callable[[tuple[Span, ...]], tuple[tuple[Mention, ...],
                                                                  tuple[Span, ...]]]):
        super().__init__()
        self.split = split
        self[()] = ((), ())

    def __missing__(self, spans: tuple[Span, ...]) -> tuple[tuple[Mention, ...], tuple[Span, ...]]:
        parts = self[spans] = self.split(spans)
        return parts
