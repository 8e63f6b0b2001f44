"""Progress and label counts across annotators, computed from files on disk.

Reads article headers (sentence counts, non-content marks) from the corpus index and
annotation files through the one annotation index (project.index), whose cache under
.annotator/index/ means a second `annotator stats` parses only the files that changed.
The counts walk the index's per-layer columns: no tags object is built per sentence,
which is what keeps 600,000 sentences under a second. A file that fails to load is
listed, not skipped silently and not counted as zero work.

Layers are data: the label tables follow labels.yaml's layers in file order, and labels
(or whole layers) found in files but not declared there are listed as unknown.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain

from .article_status import ACCEPTED, done_by, read_statuses
from .assignments import read_assignments
from .errors import AnnotatorError, Problem
from .gc_pause import no_gc
from .project import Project
from .schema import LabelSchema
from .store import check_annotator_name
from .tags import done_among


@dataclass
class AnnotatorProgress:
    annotator: str
    # sentences this annotator decided: tagged or marked not content by them, and every
    # sentence of an article they marked done (what is left there has nothing to tag).
    # What the importer guessed (a dateline) is not their work, so it does not count.
    tagged: int = 0
    total: int = 0  # sentences in the corpus
    articles_touched: int = 0  # articles with at least one tag by this annotator
    articles_done: int = 0  # articles marked done, or with every sentence decided
    articles: int = 0  # articles in the corpus
    # With assignments.yaml: articles assigned to them, of those the ones they finished
    # (marked done, or every sentence decided) and the ones a reviewer accepted.
    assigned: int | None = None
    assigned_done: int = 0
    assigned_accepted: int = 0

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
    # layer id -> rows: labels.yaml's layers in file order, then layers it does not declare
    counts: dict[str, list[LabelCount]] = field(default_factory=dict)
    tagged_sentences: int = 0  # sentences with at least one label, over the annotators shown
    problems: list[Problem] = field(default_factory=list)  # files that could not be read


def compute_stats(project: Project, annotator: str | None = None) -> ProjectStats:
    """Stats over every annotator folder, or only `annotator`'s (refused if not a safe name)."""
    # No cycles are made here; without the collector pausing, it would walk every record
    # of the index again and again while they are read.
    with no_gc():
        return _compute(project, annotator)


def _compute(project: Project, annotator: str | None) -> ProjectStats:
    schema = project.schema
    names = [check_annotator_name(annotator)] if annotator else project.store.annotators()
    entries = project.corpus.entries()
    stats = ProjectStats(problems=list(project.corpus.problems))
    total = sum(entry.sentence_count for entry in entries)
    counters: dict[str, Counter[str]] = {}
    # layer -> one annotator's columns of label ids, counted in one pass (in C) per annotator
    per_layer: dict[str, list[tuple[tuple[str, ...], ...]]] = {}
    index = project.index
    done_articles, status_problems = done_by(project.annotations_dir, names)
    stats.problems.extend(status_problems)
    try:
        assignments = read_assignments(project.root)
    except AnnotatorError as exc:
        stats.problems.extend(exc.problems)
        assignments = None
    accepted: set[str] = set()
    if assignments is not None:
        statuses = read_statuses(project.annotations_dir, None)
        stats.problems.extend(p for p in statuses.problems if p not in stats.problems)
        accepted = {a for a, (_, v) in statuses.verdicts.items() if v.status == ACCEPTED}
    for name in names:
        row = AnnotatorProgress(name, total=total, articles=len(entries))
        files = index.annotator(name).files
        done = done_articles.get(name, set())
        finished: set[str] = set()
        for entry in entries:
            count = entry.sentence_count
            found = files.get(entry.id)
            if found is not None and found.problem is not None:
                stats.problems.append(found.problem)
                continue
            if entry.id in done:  # marked done: every sentence is decided
                row.tagged += count
                row.articles_done += 1
                finished.add(entry.id)
                if found is None:
                    continue
            elif found is None:  # no file: nothing decided yet
                continue
            sentences = found.sentences
            # A plain file (the usual one) has labels on every row and no not-content mark,
            # so every row counts as tagged and has labels: nothing to look at per row.
            tagged = None if found.plain else found.tagged
            # Rows are sorted by sentence: those past the article's end (orphans kept from
            # an edited article) are the tail, and are not counted.
            kept = len(sentences) if not sentences or sentences[-1] < count else \
                bisect_left(sentences, count)
            if entry.id not in done:
                # Decided by this annotator: the rows in range that hold a decision (the
                # importer's not-content marks are not theirs: done_among without them).
                done_count = kept if tagged is None else \
                    len(done_among(sentences, tagged, (), count))
                row.tagged += done_count
                row.articles_done += int(done_count == count)
                if done_count == count:
                    finished.add(entry.id)
            if tagged is None:
                row.articles_touched += int(kept > 0)
                stats.tagged_sentences += kept
            else:
                row.articles_touched += int(any(tagged[:kept]))
                stats.tagged_sentences += sum(1 for r in found.rows[:kept] if r[0])
            whole = kept == len(sentences)
            for layer, column in found.layers.items():
                columns = per_layer.get(layer)
                if columns is None:
                    columns = per_layer[layer] = []
                columns.append(column if whole else column[:kept])
        if assignments is not None:
            mine = set(assignments.of(name))
            row.assigned = len(mine)
            row.assigned_done = len(mine & finished)
            row.assigned_accepted = len(mine & accepted)
        stats.progress.append(row)
        for layer, columns in per_layer.items():
            # Count each distinct tuple of ids first (sentences share a few thousand of them),
            # then the ids in it.
            counter = counters.setdefault(layer, Counter())
            for ids, times in Counter(chain.from_iterable(columns)).items():
                for label_id in ids:
                    counter[label_id] += times
        per_layer.clear()
        index.release(name)  # one annotator's records in memory at a time
    stats.counts = {layer.id: _label_rows(schema, layer.id, counters.get(layer.id, Counter()))
                    for layer in schema.layers}
    for layer_id in sorted(set(counters) - set(schema.layer_ids)):
        stats.counts[layer_id] = _label_rows(schema, layer_id, counters[layer_id])
    return stats


def _label_rows(schema: LabelSchema, layer: str, counter: Counter[str]) -> list[LabelCount]:
    """Every label of the layer in labels.yaml order (zeros matter: unused labels show),
    then ids found in files but unknown to the schema, most used first."""
    rows = [LabelCount(layer, label.id, label.name, counter.get(label.id, 0))
            for label in schema.layer(layer)]
    for label_id, count in sorted(counter.items(), key=lambda item: (-item[1], item[0])):
        if not schema.has(layer, label_id):
            rows.append(LabelCount(layer, label_id, label_id, count, known=False))
    return rows
