"""`annotator agree` without the printing: which annotators, their tags, the report.

The figures come from core/agreement.py; this module only chooses whose work to compare,
reads it through the cached AnnotationIndex, and collects what the reader must know
about the input (unreadable files, labels outside labels.yaml, folders left out).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, repeat
from operator import itemgetter, or_, rshift
from typing import Any

from .agreement import (
    AgreementReport,
    ArticleFigure,
    SetValues,
    SingleValues,
    per_article_from_columns,
    report_from_columns,
)
from .annotation_index import AnnotationIndex, AnnotatorFiles, FileRecords
from .article_status import done_by
from .corpus import CorpusEntry
from .errors import Problem, UsageError
from .gc_pause import no_gc
from .project import Project
from .schema import LabelSchema
from .store import check_annotator_name

Ids = tuple[str, ...]
_UNIT_BITS = 20  # unit key = article number << 20 | sentence index (ints hash fastest)
_NO_LABELS: Ids = ()


@dataclass(frozen=True)
class UnknownLabel:
    annotator: str
    layer: str
    label: str
    sentences: int


@dataclass
class AgreeResult:
    report: AgreementReport
    annotators: tuple[str, ...]
    excluded: dict[str, str] = field(default_factory=dict)  # folder -> why it was left out
    problems: list[Problem] = field(default_factory=list)  # files that could not be read
    unknown_labels: list[UnknownLabel] = field(default_factory=list)
    files: int = 0
    # per annotator: untagged sentences of articles they marked done ("nothing to tag")
    nothing: dict[str, int] = field(default_factory=dict)
    # with by_article: article id -> layer id -> its figure, by article id
    articles: dict[str, dict[str, ArticleFigure]] | None = None
    top: int = 10  # how many disagreements (and least agreed articles) a table lists

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `annotator agree --format json` (shape documented in docs/review.md)."""
        data = self.report.to_dict()
        data["files"] = self.files
        data["excluded"] = dict(self.excluded)
        data["problems"] = [
            {"path": str(p.path), "line": p.line, "message": p.message} for p in self.problems]
        data["unknown_labels"] = [
            {"annotator": u.annotator, "layer": u.layer, "label": u.label,
             "sentences": u.sentences} for u in self.unknown_labels]
        data["nothing_to_tag"] = dict(self.nothing)
        if self.articles is not None:
            data["by_article"] = [
                {"article": article_id,
                 **{layer: figure.to_dict() for layer, figure in figures.items()}}
                for article_id, figures in self.articles.items()]
        return data


def choose_annotators(project: Project, index: AnnotationIndex,
                      requested: Sequence[str] | None,
                      ) -> tuple[list[AnnotatorFiles], dict[str, str]]:
    """As asked; by default every folder except reviewers' (gold is not an annotator)."""
    present = project.store.annotators()
    if requested is not None:
        names = list(dict.fromkeys(check_annotator_name(n) for n in requested))
        missing = [n for n in names if n not in present]
        if missing:
            raise UsageError(Problem(project.annotations_dir, f"no annotations by "
                                     f"{', '.join(missing)} (annotators here: "
                                     f"{', '.join(present) or 'none yet'})"))
        return [index.annotator(n) for n in names], {}
    chosen, excluded = [], {}
    for name in present:
        files = index.annotator(name)
        if not files.files:
            excluded[name] = "no annotation files"
        elif files.has_provenance:
            excluded[name] = "a review folder (its sentences record agrees_with/overrules)"
        elif not any(found.sentences or found.problem for found in files.files.values()):
            # nothing to compare (say, a gold folder holding only nothing-to-tag decisions)
            excluded[name] = "no tagged sentence"
        else:
            chosen.append(files)
    return chosen, excluded


def project_agreement(project: Project, annotators: Sequence[str] | None = None,
                      *, max_disagreements: int = 10, by_article: bool = False) -> AgreeResult:
    # The 600,000 records are freed (by reference counting) when _agreement returns, before
    # the collector is back on: otherwise its first run would crawl them all (~0.1 s), and
    # the interpreter's last one at exit (seconds). Hence an index of its own rather than
    # project.index, which would keep them for the life of the process.
    with no_gc():
        return _agreement(project, annotators, max_disagreements, by_article)


def _agreement(project: Project, annotators: Sequence[str] | None,
               max_disagreements: int, by_article: bool = False) -> AgreeResult:
    index = AnnotationIndex(project.store, project.state_dir / "index")
    chosen, excluded = choose_annotators(project, index, annotators)
    if not chosen:
        raise UsageError(Problem(project.annotations_dir, "no annotations to compare yet"))
    schema = project.schema
    columns = _Columns(schema)
    names = sorted(a.name for a in chosen)
    done, status_problems = done_by(project.annotations_dir, names)
    columns.problems.extend(status_problems)
    if any(done.values()):
        columns.articles_done = {entry.id: entry for entry in project.corpus.entries()}
    for annotator in sorted(chosen, key=lambda a: a.name):
        columns.add(annotator, done.get(annotator.name, set()))
    report = columns.report(max_disagreements, by_article=by_article)
    articles = None
    if by_article:  # by article id (the corpus index is not read for an order)
        number_to_id = {number: article_id for article_id, number in columns.articles.items()}
        articles = {number_to_id[number]: figures for number, figures in sorted(
            columns.per_article.items(), key=lambda item: number_to_id[item[0]])}
    return AgreeResult(
        report=report,
        annotators=report.annotators,
        excluded=excluded,
        problems=columns.problems,
        unknown_labels=columns.unknown_labels(),
        files=columns.files,
        nothing=columns.nothing,
        articles=articles,
        top=max_disagreements,
    )


class _Columns:
    """Cached records -> agreement columns, with C-level steps (map, zip, dict) only.

    Per annotator: a list of unit keys and, per layer, a parallel list of label tuples,
    gathered file by file from the index's columns (FileRecords.column); then one dict
    per annotator and ``itemgetter`` aligns every annotator on the same units. 600,000
    records, no Python-level loop per record (except in the rare file holding a
    not-content or note-only sentence).
    """

    def __init__(self, schema: LabelSchema) -> None:
        self.schema = schema
        self.layers = schema.layers
        self.names: list[str] = []
        self.keys: list[list[int]] = []
        self.idle: list[list[int]] = []  # not-content sentences: units without a value
        # per annotator: layer id -> label tuples, aligned with self.keys
        self.values: list[dict[str, list[Ids]]] = []
        # per annotator: layers in the files that labels.yaml does not declare -> values
        self.undeclared: list[dict[str, list[Ids]]] = []
        self.makers: dict[str, dict[Any, Any]] = {}  # per layer: each distinct value, once
        self.articles: dict[str, int] = {}
        self.problems: list[Problem] = []
        self.files = 0
        self.articles_done: dict[str, CorpusEntry] = {}  # the corpus, when anyone is done
        self.per_article: dict[int, dict[str, ArticleFigure]] = {}
        self.nothing: dict[str, int] = {}

    def add(self, annotator: AnnotatorFiles, done: set[str] | frozenset[str] = frozenset()) -> None:
        idle: list[int] = []
        layer_ids = [layer.id for layer in self.layers]
        bases: list[Iterable[int]] = []
        indexes: list[Iterable[int]] = []
        parts: dict[str, list[Iterable[Ids]]] = {layer_id: [] for layer_id in layer_ids}
        appends = [(layer_id, parts[layer_id].append) for layer_id in layer_ids]
        declared = parts.keys()
        undeclared: dict[str, list[Ids]] = {}
        for article_id, found in annotator.files.items():
            self.files += 1
            if found.problem is not None:
                self.problems.append(found.problem)
                continue
            if not found.sentences:
                continue
            base = self.articles.setdefault(article_id, len(self.articles)) << _UNIT_BITS
            if found.plain:  # every record is a decision: take the columns as they are
                count = len(found.sentences)
                bases.append(repeat(base, count))
                indexes.append(found.sentences)
                columns = found.layers  # what FileRecords.column reads, without a call per layer
                for layer_id, append in appends:
                    column = columns.get(layer_id)
                    append(column if column is not None else repeat(_NO_LABELS, count))
                selector = None
            else:  # not content: a unit, missing in every layer; a note alone: not a unit
                idle.extend(base | i for i, mark in zip(found.sentences, found.not_content,
                                                        strict=True) if mark)
                selector = [bool(row[0]) and not row[2] for row in found.rows]
                kept = list(compress(found.sentences, selector))
                bases.append(repeat(base, len(kept)))
                indexes.append(kept)
                for layer_id, append in appends:
                    append(compress(found.column(layer_id), selector))
            if not found.layers.keys() <= declared:
                self._undeclared(found, selector, undeclared)
        keys = list(map(or_, chain.from_iterable(bases), chain.from_iterable(indexes)))
        values = {layer_id: list(chain.from_iterable(columns))
                  for layer_id, columns in parts.items()}
        nothing = self._nothing_to_tag(annotator, done)
        if nothing:  # a value in every layer: no label
            keys.extend(nothing)
            for layer_values in values.values():
                layer_values.extend(repeat(_NO_LABELS, len(nothing)))
            self.nothing[annotator.name] = len(nothing)
        self.names.append(annotator.name)
        self.keys.append(keys)
        self.idle.append(idle)
        self.values.append(values)
        self.undeclared.append(undeclared)

    def _nothing_to_tag(self, annotator: AnnotatorFiles, done: set[str] | frozenset[str],
                        ) -> list[int]:
        """Units of the sentences this annotator left untagged in articles they marked
        done: "nothing to tag" is their decision there, not missing data. Sentences the
        importer knows are not prose stay out, like any sentence marked not content."""
        units: list[int] = []
        for article_id in sorted(done):
            entry = self.articles_done.get(article_id)
            if entry is None:
                continue
            found = annotator.files.get(article_id)
            if found is not None and found.problem is not None:
                continue  # an unreadable file is reported, never read as "nothing"
            decided = set()
            if found is not None:
                decided = {i for i, is_tagged in zip(found.sentences, found.tagged, strict=True)
                           if is_tagged}
            skip = decided | set(entry.non_content)
            base = self.articles.setdefault(article_id, len(self.articles)) << _UNIT_BITS
            units.extend(base | i for i in range(entry.sentence_count) if i not in skip)
        return units

    def _undeclared(self, found: FileRecords, selector: list[bool] | None,
                    into: dict[str, list[Ids]]) -> None:
        """Layers labels.yaml does not declare: no figures, but their labels are reported."""
        for layer_id, column in found.layers.items():
            if self.schema.layer_of(layer_id) is None:
                values = column if selector is None else compress(column, selector)
                into.setdefault(layer_id, []).extend(values)

    def report(self, max_disagreements: int, *, by_article: bool = False) -> AgreementReport:
        # Position of each unit in each annotator's lists. Their union, in first-seen
        # order, is every unit: merging the dicts reuses their stored hashes.
        positions = [dict(zip(keys, range(len(keys)))) for keys in self.keys]
        union: dict[int, Any] = {}
        for position in positions:
            union.update(position)
        union.update(dict.fromkeys(chain.from_iterable(self.idle)))
        units = list(union)
        del union
        makers = self.makers = {layer.id: SingleValues() if layer.single else SetValues()
                                for layer in self.layers}
        columns: dict[str, list[Any]] = {layer.id: [] for layer in self.layers}
        for position, keys, values in zip(positions, self.keys, self.values, strict=True):
            # The extra last slot is None (missing): one itemgetter then picks every
            # layer's column in C.
            count = len(keys)
            pick = itemgetter(*map(position.get, units, repeat(count)), count)
            for layer_id, value_of in makers.items():
                columns[layer_id].append(
                    pick([*map(value_of.__getitem__, values[layer_id]), None])[:-1])
        if by_article:  # units are article number << _UNIT_BITS | sentence
            self.per_article = per_article_from_columns(
                list(map(rshift, units, repeat(_UNIT_BITS))), columns, self.layers)
        return report_from_columns(self.names, columns, len(units), self.layers,
                                   max_disagreements=max_disagreements)

    def unknown_labels(self) -> list[UnknownLabel]:
        """Labels outside labels.yaml, per annotator: counted and reported, never dropped.

        Checks each distinct value once (records share them); counts only when needed.
        A layer labels.yaml does not declare has every one of its labels reported.
        """
        # The distinct values of all annotators together (report() met each once): a
        # declared layer whose labels are all known needs no look at any column.
        if not self.makers:
            self.report(0)
        suspect = {layer_id for layer_id, seen in self.makers.items()
                   if any(not self.schema.has(layer_id, label) for value in seen for label in value)}
        found = []
        for name, values, undeclared in zip(self.names, self.values, self.undeclared,
                                            strict=True):
            columns = [(layer_id, values[layer_id]) for layer_id in values if layer_id in suspect]
            for layer_id, column in chain(columns, sorted(undeclared.items())):
                distinct = set(column)
                labels = {label for value in distinct for label in value}
                unknown = sorted(label for label in labels
                                 if not self.schema.has(layer_id, label))
                if not unknown:
                    continue
                counts: Counter[Ids] = Counter(column)
                for label in unknown:
                    n = sum(c for value, c in counts.items() if label in value)
                    found.append(UnknownLabel(name, layer_id, label, n))
        return found
