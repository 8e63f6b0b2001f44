"""Which sentences an export writes, article by article, as DESIGN.md export records.

Streaming: one article and its annotation files are read at a time, so memory stays flat
however large the project. The policy (also in docs/formats.md):

- Annotators: every folder under annotations/ (the gold/reviewer folder included: its
  records say `"annotator": "gold"`); `--annotator a,b` or `--gold [NAME]` narrow it.
- A record is written for each sentence an annotator *tagged* (a speaker, a claim or a
  topic). A sentence with only a note is untagged, as in the agreement report.
- Not content is not prose: a sentence the annotator marked not-content is skipped, and
  so is a sentence the importer marked (article `non_content`) unless the annotator gave
  it labels anyway (their decision wins). `include_not_content` keeps both.
- `all_sentences` adds a record with annotator null and no labels for every sentence no
  selected annotator tagged, so the segmentation itself can be exported.
- Unknown labels (ids not in labels.yaml) are exported as they are and counted, so the
  CLI can warn once per label rather than once per sentence.
- Tags made on a different version of the article text are checked sentence by sentence
  against the stored hash; a sentence whose text changed is skipped and reported.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..corpus import CorpusEntry
from ..errors import CorpusError, Problem, StoreError, UsageError
from ..project import Project
from ..schema import LabelSchema
from ..store import check_annotator_name
from .fastread import ArticleText, DocCache, DocRows, Row, read_article_text, read_rows

RECORD_KEYS = ("article", "sentence", "start", "end", "text", "annotator", "speakers",
               "claim", "topics", "note")

Record = tuple[str, int, int, int, str, "str | None", tuple[str, ...], "str | None",
               tuple[str, ...], "str | None"]
"""One export record, values in RECORD_KEYS order."""

DEFAULT_GOLD = "gold"


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
        self.changed += other.changed
        self.orphans += other.orphans
        self.note_only += other.note_only
        self.not_content += other.not_content

    def warnings(self) -> list[str]:
        out = []
        for (layer, label), count in sorted(self.unknown.items()):
            out.append(f"{self.unknown_where[(layer, label)]}: unknown {layer} label {label!r} "
                       f"(not in labels.yaml) exported as is in {count} record(s)")
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
    docs: dict[str, DocRows]  # annotator -> tags; only annotators with a file


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
        self.annotations_dir = str(project.annotations_dir)
        self.cache = DocCache()

    def read(self, work: WorkItem, report: ExportReport) -> AnnotatedArticle | None:
        entry, names = work
        try:
            article = read_article_text(os.path.join(self.corpus_dir, entry.file), entry)
        except CorpusError as exc:
            report.problems.extend(exc.problems)
            return None
        docs: dict[str, DocRows] = {}
        for name in names:
            path = os.path.join(self.annotations_dir, name, f"{entry.id}.yaml")
            try:
                docs[name] = read_rows(path, entry.id, name, self.cache, entry.text_sha)
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
        self._known = {layer: {label.id for label in schema.layer(layer)}
                       for layer in ("speakers", "claim", "topics")}
        # Label lists already found to be all known: a few hundred, checked once each.
        self._ok_speakers: set[tuple[str, ...]] = {()}
        self._ok_topics: set[tuple[str, ...]] = {()}

    def records(self, item: AnnotatedArticle) -> list[Record]:
        article = item.article
        spans, text, article_id = article.spans, article.text, article.id
        include_nc = self.selection.include_not_content
        ok_speakers, ok_topics = self._ok_speakers, self._ok_topics
        known_claims = self._known["claim"]
        all_sentences = self.selection.all_sentences
        usable = {name: usable_rows(article, doc, name, self.annotations_dir, self.report)
                  for name, doc in item.docs.items()}
        order = sorted(usable)
        if all_sentences:
            indexes: list[int] | range = range(len(spans))
        else:
            indexes = sorted(set().union(*(rows.keys() for rows in usable.values())))
        out: list[Record] = []
        for index in indexes:
            start, end = spans[index]
            sentence = text[start:end]
            covered = False  # tagged, or marked not content, by a selected annotator
            for name in order:
                row = usable[name].get(index)
                if row is None:
                    continue
                speakers, claim, topics, note, flag = row
                if flag:
                    covered = True
                    if not include_nc:
                        self.report.not_content += 1
                        continue
                elif not (speakers or claim or topics):
                    if note:
                        self.report.note_only += 1
                    continue
                covered = True
                if not (speakers in ok_speakers and topics in ok_topics
                        and (claim is None or claim in known_claims)):
                    self.check_labels(row, name, article_id)
                out.append((article_id, index, start, end, sentence, name,
                            speakers, claim, topics, note))
            if all_sentences and not covered and (include_nc or index not in article.non_content):
                out.append((article_id, index, start, end, sentence, None,
                            (), None, (), None))
        if out:
            self.report.articles += 1
            self.report.records += len(out)
        return out

    def check_labels(self, row: tuple, name: str, article_id: str) -> None:
        """Count ids missing from labels.yaml; remember lists that are all known."""
        speakers, claim, topics = row[0], row[1], row[2]
        known = self._known
        unknown = []
        for layer, values, ok in (("speakers", speakers, self._ok_speakers),
                                  ("topics", topics, self._ok_topics)):
            missing = [v for v in values if v not in known[layer]]
            if not missing:
                if len(ok) > 100_000:
                    ok.clear()  # a memo, not a store: keep memory flat
                ok.add(values)
            unknown += [(layer, v) for v in missing]
        if claim is not None and claim not in known["claim"]:
            unknown.append(("claim", claim))
        if unknown:
            where = str(self.annotations_dir / name / f"{article_id}.yaml")
            for key in unknown:
                self.report.unknown[key] += 1
                self.report.unknown_where.setdefault(key, where)


def usable_rows(article: ArticleText, doc: DocRows, annotator: str, annotations_dir: Path,
                report: ExportReport) -> dict[int, Row]:
    """The rows whose sentence is still the one that was tagged (the rest are reported)."""
    rows = doc.rows
    count = len(article.spans)
    if doc.text_sha in (None, article.text_sha) and (not rows or max(rows) < count):
        return rows
    path = annotations_dir / annotator / f"{article.id}.yaml"
    kept = {}
    for index, row in rows.items():
        stored = doc.stored.get(index)
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


def record_dict(record: Record) -> dict[str, object]:
    """The DESIGN.md record as a dict (key order as in the contract)."""
    values: list[object] = list(record)
    values[6] = list(record[6])
    values[8] = list(record[8])
    return dict(zip(RECORD_KEYS, values, strict=True))
