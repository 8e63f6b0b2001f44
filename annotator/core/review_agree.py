"""`annotator agree` without the printing: which annotators, their tags, the report.

The figures come from core/agreement.py; this module only chooses whose work to compare,
reads it through the cached AnnotationIndex, and collects what the reader must know
about the input (unreadable files, labels outside labels.yaml, folders left out).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat
from operator import itemgetter, or_
from typing import Any

from .agreement import NONE_LABEL, AgreementReport, report_from_columns
from .errors import Problem, UsageError
from .project import Project
from .annotation_index import FIELDS, AnnotationIndex, AnnotatorFiles, no_gc
from .schema import LabelSchema
from .store import check_annotator_name

Ids = tuple[str, ...]
_UNIT_BITS = 20  # unit key = article number << 20 | sentence index (ints hash fastest)


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
        else:
            chosen.append(files)
    return chosen, excluded


def project_agreement(project: Project, annotators: Sequence[str] | None = None,
                      *, max_disagreements: int = 10) -> AgreeResult:
    # The 600,000 records are freed (by reference counting) when _agreement returns, before
    # the collector is back on: otherwise its first run would crawl them all (~0.1 s).
    with no_gc():
        return _agreement(project, annotators, max_disagreements)


def _agreement(project: Project, annotators: Sequence[str] | None,
               max_disagreements: int) -> AgreeResult:
    index = AnnotationIndex(project.store, project.state_dir / "index")
    chosen, excluded = choose_annotators(project, index, annotators)
    if not chosen:
        raise UsageError(Problem(project.annotations_dir, "no annotations to compare yet"))
    schema = project.schema
    columns = _Columns()
    for annotator in sorted(chosen, key=lambda a: a.name):
        columns.add(annotator)
    report = columns.report([t.id for t in schema.topics], max_disagreements)
    return AgreeResult(
        report=report,
        annotators=report.annotators,
        excluded=excluded,
        problems=columns.problems,
        unknown_labels=columns.unknown_labels(schema),
        files=columns.files,
    )


class _ClaimValues(dict):  # type: ignore[type-arg]
    """claim -> its value for agreement: "(none)" for no claim (a decision, not missing)."""

    def __missing__(self, claim: str | None) -> str:
        value = self[claim] = NONE_LABEL if claim is None else claim
        return value


class _SetValues(dict):  # type: ignore[type-arg]
    """tuple of ids -> one shared frozenset (equal sets compare by identity in agreement)."""

    def __missing__(self, ids: tuple[str, ...]) -> frozenset[str]:
        value = self[ids] = frozenset(ids)
        return value


class _Columns:
    """Cached records -> agreement columns, with C-level steps (map, zip, dict) only.

    Per annotator: parallel lists of unit keys and values, gathered file by file with
    itemgetter; then one dict per layer and ``map(dict.get, units)`` aligns every
    annotator on the same units. 600,000 records, no Python-level loop per record
    (except in the rare file holding a not-content or note-only sentence).
    """

    def __init__(self) -> None:
        self.names: list[str] = []
        self.keys: list[list[int]] = []
        self.idle: list[list[int]] = []  # not-content sentences: units without a value
        # per annotator: (claims, speakers, topics), aligned with self.keys
        self.values: list[tuple[list[str | None], list[Ids], list[Ids]]] = []
        self.articles: dict[str, int] = {}
        self.problems: list[Problem] = []
        self.files = 0

    def add(self, annotator: AnnotatorFiles) -> None:
        idle: list[int] = []
        parts: tuple[list[Iterable[Any]], ...] = ([], [], [], [], [])  # base, index, claim...
        bases, indexes, claims, speakers, topics = parts
        for article_id, found in annotator.files.items():
            self.files += 1
            if found.problem is not None:
                self.problems.append(found.problem)
                continue
            if not found.flat:
                continue
            base = self.articles.setdefault(article_id, len(self.articles)) << _UNIT_BITS
            if found.plain:  # every record is a decision: take the columns as they are
                flat = found.flat
            else:  # not content: a unit, missing in every layer; a note alone: not a unit
                rows = found.raw
                idle.extend(base | r[0] for r in rows if r[4])
                flat = tuple(chain.from_iterable(
                    r for r in rows if (r[1] or r[2] or r[3]) and not r[4]))
            count = len(flat) // FIELDS
            bases.append(repeat(base, count))
            indexes.append(flat[0::FIELDS])
            speakers.append(flat[1::FIELDS])
            claims.append(flat[2::FIELDS])
            topics.append(flat[3::FIELDS])
        self.names.append(annotator.name)
        self.keys.append(list(map(or_, chain.from_iterable(bases), chain.from_iterable(indexes))))
        self.idle.append(idle)
        self.values.append((list(chain.from_iterable(claims)), list(chain.from_iterable(speakers)),
                            list(chain.from_iterable(topics))))

    def report(self, topic_ids: Sequence[str], max_disagreements: int) -> AgreementReport:
        # Position of each unit in each annotator's lists. Their union, in first-seen
        # order, is every unit: merging the dicts reuses their stored hashes.
        positions = [dict(zip(keys, range(len(keys)))) for keys in self.keys]
        union: dict[int, Any] = {}
        for position in positions:
            union.update(position)
        union.update(dict.fromkeys(chain.from_iterable(self.idle)))
        units = list(union)
        del union
        claim_values, set_values = _ClaimValues(), _SetValues()
        claim_cols, speaker_cols, topic_cols = [], [], []
        for position, keys, (claims, speakers, topics) in zip(positions, self.keys, self.values,
                                                              strict=True):
            # The extra last slot is None (missing): one itemgetter then picks every
            # layer's column in C.
            count = len(keys)
            pick = itemgetter(*map(position.get, units, repeat(count)), count)
            claim_cols.append(pick([*map(claim_values.__getitem__, claims), None])[:-1])
            speaker_cols.append(pick([*map(set_values.__getitem__, speakers), None])[:-1])
            topic_cols.append(pick([*map(set_values.__getitem__, topics), None])[:-1])
        return report_from_columns(self.names, claim_cols, speaker_cols, topic_cols, len(units),
                                   topic_ids, max_disagreements=max_disagreements)

    def unknown_labels(self, schema: LabelSchema) -> list[UnknownLabel]:
        """Labels outside labels.yaml, per annotator: counted and reported, never dropped.

        Checks each distinct value once (records share them); counts only when needed.
        """
        found = []
        for name, (claims, speakers, topics) in zip(self.names, self.values, strict=True):
            layers: tuple[tuple[str, list[Any]], ...] = (
                ("speakers", speakers), ("claim", [(c,) if c else () for c in set(claims)]),
                ("topics", topics))
            for layer, values in layers:
                labels = {label for value in set(values) for label in value}
                unknown = sorted(label for label in labels if not schema.has(layer, label))
                if not unknown:
                    continue
                counts: Counter[Any] = Counter(claims if layer == "claim" else values)
                for label in unknown:
                    n = sum(c for value, c in counts.items()
                            if value == label or (isinstance(value, tuple) and label in value))
                    found.append(UnknownLabel(name, layer, label, n))
        return found


