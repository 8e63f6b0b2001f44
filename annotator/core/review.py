"""Review: several annotators side by side, adjudicated into a gold set.

A review is an AnnotateSession for the reviewer (default name ``gold``) plus a read-only
view of the reviewed annotators' files. Every change to gold goes through that session,
so it is saved atomically at once, locked, and undoable exactly like annotation; the
only addition is provenance: each gold sentence records which annotators it agrees with
and which it overrules, recomputed whenever the sentence changes (``GoldSession``).

Nothing here ever writes an annotator's file: their documents are loaded, never saved.
With a single annotator there is nothing to adjudicate, so the review is read-only and
writes nothing at all (no gold file, no lock).

Words used throughout:
    tagged      an annotator has a decision for the sentence (labels or "not content")
    disputed    two or more annotators tagged it and their decisions differ
    settled     gold has a decision for the sentence, and it decides every layer
    held        the reviewer has decided some disputed layers of a sentence gold has no
                decision for yet, but not all: kept in memory, shown, not written
    coverage    sentences gold has, out of the sentences any annotator tagged

Gold is written for a sentence only once every layer is decided: a layer the annotators
agree on is filled at once, and each disputed layer must be taken (a prefix then a
digit), settled by majority or edited by hand. Until then the decision is *held* (see
``ReviewSession.held``), so a gold file never has a sentence with a disputed layer left
empty by omission, and "settled" always means a person (or a clear majority) decided it.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any, TypeGuard

from .annotation_file import AnnotationDoc, is_article_file, read_doc
from .annotation_index import AnnotationIndex, FileRecords
from .article import Article
from .article_status import ACCEPTED, Verdict, done_by, set_verdict
from .corpus import CorpusEntry
from .errors import AnnotatorError, Problem, StoreError, UsageError
from .filters import FilterView
from .project import Project
from .review_actions import layer_prefixes
from .review_nothing import KEY as NOTHING_KEY
from .review_nothing import GoldNothingFiles, as_record, is_decided, is_nothing, read_records
from .schema import LabelSchema
from .session import AnnotateSession, Edit
from .store import check_annotator_name
from .tags import SentenceTags

AGREED, DISPUTED, SINGLE, UNTAGGED = "agreed", "disputed", "single", "untagged"
DEFAULT_REVIEWER = "gold"
BATCH_MARK = "⧉"  # marks the edits of one batch command, which undo and redo as one step
CONTENT = "content"  # the pseudo-layer of a tie between "not content" and tagged


# --------------------------------------------------------------------------- comparing


# What an annotator who marked the article done decided for a sentence they left
# untagged: content, with no label in any layer. Compared by identity where it matters.
NOTHING = SentenceTags()


def _tagged(tags: SentenceTags | None) -> TypeGuard[SentenceTags]:
    return tags is not None and (tags.is_tagged or tags is NOTHING)


@dataclass(frozen=True)
class LayerComparison:
    """One layer of one sentence across annotators."""

    layer: str
    values: dict[str, frozenset[str]]  # annotator -> labels, for annotators who tagged content
    status: str  # AGREED / DISPUTED / SINGLE / UNTAGGED

    def groups(self) -> list[tuple[frozenset[str], tuple[str, ...]]]:
        """Each distinct value with who gave it, most supported first (who said what)."""
        by_value: dict[frozenset[str], list[str]] = {}
        for name, value in self.values.items():
            by_value.setdefault(value, []).append(name)
        return sorted(((v, tuple(n)) for v, n in by_value.items()), key=lambda g: -len(g[1]))


@dataclass(frozen=True)
class SentenceComparison:
    """Every reviewed annotator's decision on one sentence, and where they differ."""

    index: int
    tags: dict[str, SentenceTags | None]  # in annotator order; None = not tagged
    status: str
    layers: dict[str, LayerComparison]  # in labels.yaml order
    not_content: tuple[str, ...]  # annotators who marked it not content
    content_disputed: bool  # some said "not content", others tagged it
    nothing: tuple[str, ...] = ()  # annotators for whom it has nothing to tag (article done)

    @property
    def tagged_by(self) -> tuple[str, ...]:
        return tuple(name for name, tags in self.tags.items() if _tagged(tags))


def compare(index: int, tags_by_annotator: Mapping[str, SentenceTags | None],
            layers: Sequence[str]) -> SentenceComparison:
    """Compare one sentence, layer by layer (``layers``: ids in labels.yaml order).

    Annotators keep the order of the mapping. A layer's value is its set of labels, so
    every kind compares alike (a single layer's set has at most one label). NOTHING
    (an annotator's done article, this sentence untagged) is a decision: no label.
    """
    tagged = {name: tags for name, tags in tags_by_annotator.items() if _tagged(tags)}
    content = {name: tags for name, tags in tagged.items() if not tags.not_content}
    not_content = tuple(name for name in tagged if name not in content)
    compared = {}
    for layer in layers:
        values = {name: frozenset(tags.get(layer)) for name, tags in content.items()}
        status = _status(len(values), len(set(values.values())))
        compared[layer] = LayerComparison(layer, values, status)
    if not tagged:
        status = UNTAGGED
    elif len(tagged) == 1:
        status = SINGLE
    else:
        status = AGREED if len({t.decision() for t in tagged.values()}) == 1 else DISPUTED
    nothing = tuple(name for name, tags in tagged.items() if tags is NOTHING)
    return SentenceComparison(index, dict(tags_by_annotator), status, compared, not_content,
                              bool(not_content) and bool(content), nothing)


def _status(voters: int, distinct: int) -> str:
    if voters == 0:
        return UNTAGGED
    if voters == 1:
        return SINGLE
    return AGREED if distinct == 1 else DISPUTED


def sentence_status(decisions: Iterable[SentenceTags | None]) -> str:
    """The status alone, cheaply: for counting disputes over whole articles."""
    seen = [t.decision() for t in decisions if _tagged(t)]
    if not seen:
        return UNTAGGED
    if len(seen) == 1:
        return SINGLE
    return AGREED if len(set(seen)) == 1 else DISPUTED


@dataclass(frozen=True)
class Tie:
    """A layer the majority could not settle: each candidate value with its supporters."""

    layer: str  # a layer id, or CONTENT (not content vs tagged)
    candidates: tuple[tuple[frozenset[str], tuple[str, ...]], ...]


@dataclass(frozen=True)
class Majority:
    """The layers a majority settles (layer -> value) and the tied ones, left as they were."""

    not_content: bool | None  # True/False when decided, None when tied or nobody tagged
    layers: dict[str, frozenset[str]]
    ties: tuple[Tie, ...]

    @property
    def complete(self) -> bool:
        return not self.ties and self.not_content is not None

    def apply(self, gold: SentenceTags) -> SentenceTags:
        """Gold with the settled layers replaced; the reviewer's note is kept."""
        if self.not_content:
            return SentenceTags(not_content=True, note=gold.note)
        if self.not_content is None:
            return gold
        after = gold.with_(not_content=False)
        for layer, value in self.layers.items():
            after = after.with_layer(layer, _ordered(value, gold.get(layer)))
        return after


def majority(comparison: SentenceComparison) -> Majority:
    """Per layer, the value more annotators gave than any other; equal counts are a tie.

    "Not content" is decided first, among everyone who tagged the sentence; the layers
    are then decided among those who tagged it as content.
    """
    tagged = len(comparison.tagged_by)
    if tagged == 0:
        return Majority(None, {}, ())
    marked = len(comparison.not_content)
    if marked * 2 == tagged:
        content_names = tuple(n for n in comparison.tagged_by if n not in comparison.not_content)
        tie = Tie(CONTENT, ((frozenset({"not content"}), comparison.not_content),
                            (frozenset({"content"}), content_names)))
        return Majority(None, {}, (tie,))
    if marked * 2 > tagged:
        return Majority(True, {}, ())
    layers: dict[str, frozenset[str]] = {}
    ties = []
    for layer, layer_cmp in comparison.layers.items():
        groups = layer_cmp.groups()
        if len(groups) > 1 and len(groups[0][1]) == len(groups[1][1]):
            top = len(groups[0][1])
            ties.append(Tie(layer, tuple(g for g in groups if len(g[1]) == top)))
        elif groups:
            layers[layer] = groups[0][0]
    return Majority(False, layers, tuple(ties))


def _ordered(value: frozenset[str], kept_order: Sequence[str]) -> tuple[str, ...]:
    """A set as a tuple: gold's existing order first, then alphabetical (stable files)."""
    kept = [v for v in kept_order if v in value]
    return tuple(kept + sorted(value - set(kept)))


def with_provenance(tags: SentenceTags, others: Mapping[str, SentenceTags | None], *,
                    nothing: bool = False) -> SentenceTags:
    """Gold tags with agrees_with / overrules recomputed against the reviewed annotators.

    ``nothing``: tags with no label are gold's "nothing to tag" (review_nothing), which
    agrees with whoever left the sentence untagged in an article they marked done;
    otherwise they are no decision and carry no provenance."""
    if not tags.is_tagged and not nothing:
        return tags.with_(agrees_with=(), overrules=())
    agrees: list[str] = []
    overrules: list[str] = []
    mine = tags.decision()
    for name, theirs in others.items():
        if _tagged(theirs):
            (agrees if theirs.decision() == mine else overrules).append(name)
    return tags.with_(agrees_with=tuple(agrees), overrules=tuple(overrules))


# --------------------------------------------------------------------------- summaries


@dataclass(frozen=True)
class ArticleSummary:
    """One row of the review article list."""

    article_id: str
    disputed: int  # sentences the annotators disagree on
    settled: int  # of those, how many gold has decided
    single: int  # sentences only one annotator tagged
    agreed: int
    gold: int  # sentences gold has decided (disputed or not)
    problems: int = 0  # unreadable annotation files for this article

    @property
    def unsettled(self) -> int:
        return self.disputed - self.settled

    @property
    def tagged(self) -> int:
        """Sentences any reviewed annotator tagged: what gold's coverage is out of."""
        return self.disputed + self.single + self.agreed


def coverage_text(gold: int, tagged: int) -> str:
    """ "gold 5/21": how much of the tagged work gold holds."""
    return f"gold {gold:,}/{tagged:,}"


# --------------------------------------------------------------------------- sessions


class GoldSession(AnnotateSession):
    """The reviewer's AnnotateSession: every change gets its provenance before it is saved.

    All of AnnotateSession's commands (pickers, quick keys, notes, undo) therefore work
    on gold unchanged; undo restores the earlier tags with their earlier provenance.
    """

    SUGGESTS = False  # review settles what annotators decided: no speaker suggestions

    def __init__(self, review: ReviewSession, project: Project, reviewer: str, *,
                 read_only: bool):
        super().__init__(project, reviewer, read_only=read_only)
        self._review = review

    def tags(self, index: int | None = None) -> SentenceTags:
        """What the reviewer sees for gold: a held decision, else the file's."""
        index = self.cursor if index is None else index
        held = self._review.held.get(index)
        return held[0] if held is not None else super().tags(index)

    def saved_tags(self, index: int) -> SentenceTags:
        """Gold as written (a held decision is not)."""
        return super().tags(index)

    def open_article(self, article_id: str) -> None:
        """Also reads gold's "nothing to tag" decisions from the file's header."""
        super().open_article(article_id)
        assert self.doc is not None and self.article is not None
        records, problems = read_records(self.doc.extra.get(NOTHING_KEY),
                                         len(self.article.sentences))
        path = self.doc_path()
        self.notices.extend(f"{path}: {problem}" for problem in problems)
        for index, tags in records.items():
            entry = self.doc.tags.get(index)
            if entry is None:
                self.doc.tags[index] = tags
            elif not entry.is_tagged:  # a note of the reviewer's on it
                self.doc.tags[index] = entry.with_(agrees_with=tags.agrees_with,
                                                   overrules=tags.overrules)

    def apply_tags(self, tags: SentenceTags, description: str, index: int | None = None,
                   decided: Iterable[str] | None = None) -> Edit:
        """Review's own commands: ``decided`` names the layers they decide even where the
        value stays as it was (taking bob's empty topics decides topics); None: all."""
        self._review._also_decided = frozenset(self._review.layer_ids if decided is None
                                               else decided)
        try:
            return super().apply_tags(tags, description, index)
        finally:
            self._review._also_decided = frozenset()

    def _apply(self, after: SentenceTags, description: str, index: int | None = None) -> Edit:
        """Every change to gold, from any command: held while a disputed layer of a
        sentence gold had no decision for is still open, written once none is."""
        index = self.cursor if index is None else index
        saved = self.saved_tags(index)
        if not is_decided(saved) and not after.not_content and (
                after.is_tagged or self._review._also_decided):
            self._check_writable()
            after, still_open = self._review.hold(index, after, self.tags(index))
            if still_open:
                return Edit(index, saved, saved, description)
        self._review.held.pop(index, None)
        # No label left: "nothing to tag" when a review command decided it so or gold
        # already said so (a note added to it); a plain clear (x) is no decision.
        nothing = not after.is_tagged and (bool(self._review._also_decided)
                                           or is_nothing(after))
        after = with_provenance(after, self._review.others_at(index), nothing=nothing)
        return super()._apply(after, description, index)

    def _set(self, index: int, tags: SentenceTags) -> None:
        """Every write (undo included) keeps the file's ``single`` provenance and its
        ``nothing_to_tag`` decisions in step."""
        assert self.doc is not None and self.article is not None
        before = dict(self.doc.extra)
        merges = len(self.project.store.external_changes)
        try:
            self._record("single", index, self._review.single_source(index, tags))
            self._record(NOTHING_KEY, index, as_record(tags) if is_nothing(tags) else None)
            super()._set(index, tags)
        except AnnotatorError:
            self.doc.extra = before
            raise
        if is_nothing(tags):  # not an entry of the file, but gold's decision all the same
            self.doc.tags[index] = tags
        if len(self.project.store.external_changes) > merges:
            self._after_merge(index, tags)

    def _after_merge(self, index: int, tags: SentenceTags) -> None:
        """The save merged a gold file changed on disk (a pull), taking the file's header:
        its nothing-to-tag decisions become sentences here, and this change's record
        (and source) is written again beside them."""
        assert self.doc is not None and self.article is not None
        records, _ = read_records(self.doc.extra.get(NOTHING_KEY), len(self.article.sentences))
        for other, decided in records.items():
            if other != index and other not in self.doc.tags:
                self.doc.tags[other] = decided
        self._record("single", index, self._review.single_source(index, tags))
        self._record(NOTHING_KEY, index, as_record(tags) if is_nothing(tags) else None)
        self.project.store.save(self.doc, self.article)

    def _record(self, key: str, index: int, value: Any) -> None:
        """Set (or with None, drop) one sentence's value in a header mapping of the gold
        file; a value a hand edit made into something else is refused, not overwritten."""
        assert self.doc is not None
        found = self.doc.extra.get(key)
        if found is not None and not isinstance(found, dict):
            if value is None:
                return
            raise StoreError(Problem(self.doc_path(), f"{key}: not a mapping (edited by "
                                     "hand?); fix it before settling into it"))
        record = dict(found or {})
        if value is None:
            record.pop(index, None)
        else:
            record[index] = value
        if record:
            self.doc.extra[key] = dict(sorted(record.items(), key=_by_index))
        else:
            self.doc.extra.pop(key, None)


def _by_index(item: tuple[Any, Any]) -> tuple[bool, int, str]:
    """Sentence indexes in order; a key a hand edit left (not an index) after them."""
    key = item[0]
    number = isinstance(key, int) and not isinstance(key, bool)
    return (not number, key if number else 0, "" if number else str(key))


@dataclass
class Outcome:
    """What a review command did, in words the UI can show."""

    message: str
    edits: list[Edit] = field(default_factory=list)
    ties: tuple[Tie, ...] = ()
    warning: bool = False


class ReviewSession:
    """Adjudicate the reviewed annotators' tags into the reviewer's folder."""

    def __init__(self, project: Project, reviewer: str = DEFAULT_REVIEWER,
                 annotators: Sequence[str] | None = None, *, read_only: bool | None = None):
        self.project = project
        self.reviewer = check_annotator_name(reviewer)
        self.annotators = tuple(resolve_annotators(project, self.reviewer, annotators))
        self.read_only = len(self.annotators) == 1 if read_only is None else read_only
        self.gold = GoldSession(self, project, self.reviewer, read_only=self.read_only)
        self.index: AnnotationIndex = project.index
        self.docs: dict[str, AnnotationDoc] = {}  # the open article, per reviewed annotator
        self.problems: dict[str, StoreError] = {}  # reviewed files that failed to load
        self.notices: list[str] = []
        self._comparisons: dict[int, SentenceComparison] = {}
        self._undeclared: list[str] = []  # layers in the open article's files, not declared
        self._statuses: list[str] = []
        self._batches = count(1)
        self._summaries: dict[str, ArticleSummary] = {}
        self.done_here: frozenset[str] = frozenset()  # annotators done with the open article
        self._done_all: dict[str, set[str]] | None = None  # every reviewed annotator's done
        # Held decisions of the open article: sentence -> (gold so far, layers decided).
        self.held: dict[int, tuple[SentenceTags, frozenset[str]]] = {}
        self._gold_nothing_files = GoldNothingFiles()

    # ----- articles -------------------------------------------------------------------
    @property
    def schema(self) -> LabelSchema:
        return self.gold.schema

    @property
    def layer_ids(self) -> tuple[str, ...]:
        """The layers compared: labels.yaml's in its order, then any other layer the open
        article's files hold (shown, like an unknown label, rather than hidden)."""
        declared = self.schema.layer_ids
        return declared + tuple(layer for layer in self._undeclared if layer not in declared)

    @property
    def article(self) -> Article | None:
        return self.gold.article

    @property
    def cursor(self) -> int:
        return self.gold.cursor

    def entries(self) -> list[CorpusEntry]:
        return self.gold.entries()

    @property
    def last_article_id(self) -> str | None:
        return self.gold.last_article_id

    def open_article(self, article_id: str) -> None:
        """Open an article for review: gold (locked unless read-only) and everyone's tags."""
        self.gold.open_article(article_id)
        assert self.article is not None
        self.docs, self.problems = {}, {}
        self.held = {}
        self.notices = [f"{self.reviewer}: {n}" for n in self.gold.notices]
        for name in self.annotators:
            self.docs[name] = self._load_theirs(name, article_id)
        self._comparisons = {}
        self._undeclared = sorted({layer for doc in self.docs.values() for tags in doc.tags.values()
                                   for layer, _ in tags.values} - set(self.schema.layer_ids))
        done, status_problems = done_by(self.project.annotations_dir, list(self.annotators))
        self._done_all = done
        self.notices.extend(str(p) for p in status_problems)
        self.done_here = frozenset(name for name in self.annotators if article_id in done[name])
        self._statuses = [
            sentence_status(self.others_at(index).values())
            for index in range(len(self.article.sentences))]
        self._refresh_summary()

    def _load_theirs(self, name: str, article_id: str) -> AnnotationDoc:
        """An annotator's doc, read-only: the fast reader (cached by stamp), never saved."""
        assert self.article is not None
        found = self.index.file(name, article_id)
        path = self.project.store.path(name, article_id)
        if found.problem is not None:
            error = StoreError(found.problem)
            self.problems[name] = error
            self.notices.append(f"{error} ({name}'s tags for this article are not shown)")
            return AnnotationDoc(article_id, name)
        doc = AnnotationDoc(article_id, name, tags=found.tags(), text_sha=found.text_sha)
        if doc.text_sha and doc.text_sha != self.article.text_sha:
            try:  # the full read knows which sentences moved
                doc = read_doc(path, article_id, name)
            except StoreError:
                pass
            self.notices.extend(f"{path}: {d}" for d in doc.drift(self.article)[:2])
        self.notices.extend(self._unknown_labels(name, doc))
        return doc

    def _unknown_labels(self, name: str, doc: AnnotationDoc) -> list[str]:
        unknown = sorted({(layer, label) for tags in doc.tags.values()
                          for layer, label in tags.labels() if not self.schema.has(layer, label)})
        if not unknown:
            return []
        shown = ", ".join(f"{layer} {label!r}" for layer, label in unknown[:4])
        more = f" and {len(unknown) - 4} more" if len(unknown) > 4 else ""
        path = self.project.store.path(name, doc.article_id)
        return [f"{path}: labels not in labels.yaml: {shown}{more} (shown with '?')"]

    def close(self) -> None:
        self.gold.close()
        self.index.save_cache()

    # ----- reading --------------------------------------------------------------------
    @property
    def sentences(self):
        return self.gold.sentences

    def others_at(self, index: int) -> dict[str, SentenceTags | None]:
        """Each reviewed annotator's tags for a sentence (None where they did not tag it;
        NOTHING where they marked the article done and left it untagged)."""
        found: dict[str, SentenceTags | None] = {}
        non_content = self.article.non_content if self.article is not None else ()
        for name in self.annotators:
            tags = self.docs[name].tags.get(index) if name in self.docs else None
            if (name in self.done_here and (tags is None or not tags.is_tagged)
                    and index not in non_content):
                tags = NOTHING
            found[name] = tags
        return found

    def comparison(self, index: int | None = None) -> SentenceComparison:
        index = self.cursor if index is None else index
        found = self._comparisons.get(index)
        if found is None:
            found = self._comparisons[index] = compare(index, self.others_at(index),
                                                       self.layer_ids)
        return found

    def gold_tags(self, index: int | None = None) -> SentenceTags:
        return self.gold.tags(index)

    # The sentence view and article list read a review like an annotate session (gold's
    # tags inline; "progress" = settled/disputed): tui/target.py protocols.
    tags = gold_tags

    @property
    def current(self):
        return self.gold.current

    def review_mark(self, index: int) -> tuple[str, str]:
        """The gutter mark of a sentence: (character, style role)."""
        status = self.status(index)
        if self.is_settled(index):
            return ("✓", "done")
        if status == DISPUTED:
            return ("!", "unknown")
        if status == AGREED:
            return ("=", "dim")
        if status == SINGLE:
            return ("·", "dim")
        return (" ", "base")

    def article_progress(self, entry: CorpusEntry) -> tuple[int, int]:
        summary = self.article_summary(entry.id)
        return (summary.settled, summary.disputed)

    def is_settled(self, index: int) -> bool:
        return is_decided(self.gold.saved_tags(index))

    def open_layers(self, index: int) -> tuple[str, ...]:
        """The disputed layers a held decision still lacks (empty when nothing is held)."""
        held = self.held.get(index)
        if held is None:
            return ()
        return tuple(layer for layer, compared in self.comparison(index).layers.items()
                     if compared.status == DISPUTED and layer not in held[1])

    def hold(self, index: int, after: SentenceTags,
             shown: SentenceTags) -> tuple[SentenceTags, tuple[str, ...]]:
        """A change to a sentence gold has no decision for: record which layers it
        decided (those it changes, and those every annotator agrees on, filled in);
        returns the tags and the disputed layers still open. While any is open the
        change is held here, not written."""
        _, decided = self.held.get(index, (SentenceTags(), frozenset()))
        decided = decided | {layer for layer in self.layer_ids if after.get(layer) != shown.get(layer)}
        decided |= self._also_decided
        for layer, value in self.agreed_layers(index).items():
            if layer not in decided:
                after = after.with_layer(layer, _ordered(value, ()))
                decided |= {layer}
        self.held[index] = (after, frozenset(decided))
        still_open = self.open_layers(index)
        if not still_open:
            del self.held[index]
        return after, still_open

    _also_decided: frozenset[str] = frozenset()  # set while take() decides a layer as it is

    def single_source(self, index: int, tags: SentenceTags) -> str | None:
        """The one annotator gold took a sentence from when nobody else tagged it."""
        if not is_decided(tags):
            return None
        tagged = [name for name, theirs in self.others_at(index).items() if _tagged(theirs)]
        if len(tagged) != 1:
            return None
        theirs = self.others_at(index)[tagged[0]]
        assert theirs is not None
        return tagged[0] if theirs.decision() == tags.decision() else None

    def status(self, index: int) -> str:
        """AGREED / DISPUTED / SINGLE / UNTAGGED (computed once per article: theirs is fixed)."""
        return self._statuses[index]

    def disputed(self) -> list[int]:
        return [i for i, status in enumerate(self._statuses) if status == DISPUTED]

    def summary(self) -> ArticleSummary:
        """Disputes and settled counts of the open article, from what is in memory."""
        assert self.article is not None
        return self._summaries.get(self.article.id) or self._refresh_summary()

    def _refresh_summary(self) -> ArticleSummary:
        """Recount after gold changed: O(sentences), statuses are not recomputed."""
        assert self.article is not None and self.gold.doc is not None
        gold = self.gold.doc.tags
        counts = Counter(self._statuses)
        settled = sum(1 for i, status in enumerate(self._statuses)
                      if status == DISPUTED and is_decided(gold.get(i)))
        result = ArticleSummary(self.article.id, counts[DISPUTED], settled, counts[SINGLE],
                                counts[AGREED], sum(1 for t in gold.values() if is_decided(t)),
                                len(self.problems))
        self._summaries[self.article.id] = result
        return result

    def article_summary(self, article_id: str) -> ArticleSummary:
        """For the article list: from the files on disk, each re-read only when it changed."""
        if self.article is not None and article_id == self.article.id:
            return self._summaries.get(article_id) or self._refresh_summary()
        files = [self.index.file(name, article_id) for name in self.annotators]
        gold = self.index.file(self.reviewer, article_id)
        return _summary_of(article_id, files, gold, self._nothing_in(article_id),
                           self._gold_nothing(article_id))

    def _gold_nothing(self, article_id: str) -> frozenset[int]:
        """The sentences gold's file (not the open one: that is in memory) says have
        nothing to tag."""
        return self._gold_nothing_files.of(self.project.store.path(self.reviewer, article_id))

    def _nothing_in(self, article_id: str) -> list[tuple[int, ...]] | None:
        """Per reviewed annotator, the sentences with nothing to tag in this article (their
        done mark, read once per review), or None when nobody marked it done."""
        if self._done_all is None:
            self._done_all, _ = done_by(self.project.annotations_dir, list(self.annotators))
        done = [article_id in self._done_all.get(name, ()) for name in self.annotators]
        if not any(done):
            return None
        entry = self.project.corpus.entry(article_id)
        if entry is None:
            return None
        everything = tuple(i for i in range(entry.sentence_count) if i not in entry.non_content)
        return [everything if is_done else () for is_done in done]

    def all_summaries(self) -> dict[str, ArticleSummary]:
        """Every article at once (the bulk, cached index): for sorting and jumping."""
        per_annotator = [self.index.annotator(name) for name in self.annotators]
        gold = self.index.annotator(self.reviewer)
        result = {}
        for entry in self.entries():
            if self.article is not None and entry.id == self.article.id:
                result[entry.id] = self.summary()
                continue
            files = [a.files.get(entry.id) or FileRecords(entry.id) for a in per_annotator]
            found = gold.files.get(entry.id)
            result[entry.id] = _summary_of(entry.id, files, found or FileRecords(entry.id),
                                           self._nothing_in(entry.id),
                                           self._gold_nothing(entry.id) if found else frozenset())
        return result

    # ----- moving ---------------------------------------------------------------------
    def goto(self, index: int) -> int:
        return self.gold.goto(index)

    def move(self, delta: int) -> int:
        return self.gold.move(delta)

    def search(self, query: str, *, forward: bool = True) -> int | None:
        """Next sentence (wrapping) containing query: the editor's search, on gold's text."""
        return self.gold.search(query, forward=forward)

    def next_dispute(self, *, forward: bool = True, unsettled: bool = False) -> int | None:
        """The next (or previous) disputed sentence in this article, wrapping; None if none.
        With a dispute filter (``--dispute``), only the disputes it names."""
        total = len(self.sentences)
        for step in range(1, total + 1):
            index = (self.cursor + (step if forward else -step)) % total
            if self.status(index) == DISPUTED and not (unsettled and self.is_settled(index)) \
                    and self._wanted(index):
                return self.goto(index)
        return None

    # ----- the dispute filter (annotator review --dispute LAYER[:A,B]) ------------------
    dispute_filter: DisputeFilter | None = None

    def set_dispute_filter(self, spec: str | None) -> DisputeFilter | None:
        """``claim`` (every claim dispute) or ``claim:fact,opinion`` (fact against opinion);
        UsageError naming the layers or labels there are when the spec names none."""
        self.dispute_filter = None if spec is None else DisputeFilter.parse(spec, self.schema)
        return self.dispute_filter

    def filter_view(self) -> FilterView:
        """What the sentence filters (F) look at here: gold as "mine", everyone's tags."""
        assert self.article is not None
        return FilterView(len(self.sentences), self.is_settled, self.gold_tags,
                          {name: doc.tags for name, doc in self.docs.items()},
                          lambda index: self.status(index) == DISPUTED)

    def is_open_dispute(self, index: int) -> bool:
        """Disputed, not settled, and named by the dispute filter if there is one."""
        return self.status(index) == DISPUTED and not self.is_settled(index) \
            and self._wanted(index)

    def _wanted(self, index: int) -> bool:
        return self.dispute_filter is None or self.dispute_filter.matches(
            self.others_at(index).values())

    def _filtered_unsettled(self, article_id: str) -> bool:
        """An article has an unsettled dispute the filter names (read from the files)."""
        wanted = self.dispute_filter
        assert wanted is not None
        gold = self.index.file(self.reviewer, article_id)
        settled = {i for i, t in zip(gold.sentences, gold.tagged, strict=True) if t}
        settled |= self._gold_nothing(article_id)
        by_sentence: dict[int, list[SentenceTags]] = {}
        for name in self.annotators:
            found = self.index.file(name, article_id)
            for index, row, is_tagged in zip(found.sentences, found.rows, found.tagged,
                                             strict=True):
                if is_tagged and index not in settled:
                    by_sentence.setdefault(index, []).append(SentenceTags._make(row))
        return any(wanted.matches(tags) for tags in by_sentence.values())

    def next_unsettled_article(self) -> str | None:
        """The first later article (wrapping) with an unsettled dispute, from the files."""
        ids = self.project.corpus.ids()
        if not ids:
            return None
        start = ids.index(self.article.id) if self.article and self.article.id in ids else -1
        for step in range(1, len(ids)):
            article_id = ids[(start + step) % len(ids)]
            if self.article_summary(article_id).unsettled and (
                    self.dispute_filter is None or self._filtered_unsettled(article_id)):
                return article_id
        return None

    # ----- settling -------------------------------------------------------------------
    def annotator_at(self, number: int) -> str:
        """Annotator by column number (1-based), as the digit keys name them."""
        if not 1 <= number <= len(self.annotators):
            raise AnnotatorError(f"there is no annotator {number} (columns 1-"
                                 f"{len(self.annotators)})")
        return self.annotators[number - 1]

    def take(self, annotator: str | int, layer: str | None = None,
             index: int | None = None) -> Outcome:
        """Gold takes an annotator's decision: the whole sentence, or one layer of it.

        Taking one layer into a sentence gold has not decided yet also fills the layers
        every annotator who tagged it agrees on: settling the one disputed layer must not
        leave gold without what nobody disputed. Once gold has a decision, only the
        layer taken changes.
        """
        name = self.annotator_at(annotator) if isinstance(annotator, int) else annotator
        index = self.cursor if index is None else index
        theirs = self.others_at(index).get(name)
        if not _tagged(theirs):
            raise AnnotatorError(f"{name} did not tag sentence {index + 1}; nothing to take")
        gold = self.gold_tags(index)
        if layer is None:
            after = theirs.with_(note=gold.note)
            what = f"{name}'s tags" if theirs is not NOTHING else \
                f"{name}'s \"nothing to tag\""
        else:
            noun = self.layer_noun(layer)
            if theirs.not_content:
                raise AnnotatorError(f"{name} marked sentence {index + 1} as not content; "
                                     f"there is no {noun} to take (press the digit alone "
                                     "to take that)")
            after = gold.with_(not_content=False)
            what = f"{name}'s {noun}"
            if not self.is_settled(index):
                agreed = {other: value for other, value in
                          self.agreed_layers(index, but=layer).items()
                          if value and other not in self.held.get(index, ((), frozenset()))[1]}
                if agreed:
                    what += f" (and the agreed {', '.join(map(self.layer_noun, agreed))})"
            after = after.with_layer(layer, theirs.get(layer))
        edit = self.gold.apply_tags(after, f"take {what}", index,
                                    decided=None if layer is None else (layer,))
        return self._outcome(f"Took {what}", edit, index)

    def _outcome(self, message: str, edit: Edit, index: int) -> Outcome:
        """A command's result, saying what is still open when the decision is held."""
        still_open = self.open_layers(index)
        if still_open:
            return Outcome(f"{message}; held until every disputed layer is decided "
                           f"({', '.join(map(self.layer_noun, still_open))} still open)",
                           [edit], warning=True)
        self.refresh_after_edit()
        return Outcome(message, [edit])

    def still_to_decide(self, layers: Sequence[str]) -> str:
        """ "open: claim (C), topics (T)": what a held sentence lacks, with the prefix
        keys that take each layer."""
        prefixes = layer_prefixes(self.schema.layers, self.schema.quick_keys())
        parts = []
        for layer in layers:
            key = prefixes[layer].key if layer in prefixes else None
            parts.append(f"{self.layer_noun(layer)} ({key})" if key else self.layer_noun(layer))
        return "open: " + ", ".join(parts)

    def agreed_layers(self, index: int, but: str | None = None) -> dict[str, frozenset[str]]:
        """The layers (other than ``but``) on which everyone who tagged the sentence as
        content gave the same value (one such annotator included), with that value."""
        return {layer: next(iter(compared.values.values()))
                for layer, compared in self.comparison(index).layers.items()
                if layer != but and compared.status in (AGREED, SINGLE)}

    def layer_noun(self, layer: str) -> str:
        """How messages name a layer: its title in lower case (the id if undeclared)."""
        found = self.schema.layer_of(layer)
        return found.noun if found else layer

    def take_majority(self, index: int | None = None) -> Outcome:
        """Settle each layer by majority; a tie is reported and its layer left as it was.

        On a sentence gold has not decided yet, a tie leaves the whole sentence unsettled
        (nothing is written): "settled" must mean a person decided every layer. Once gold
        has a decision (say the reviewer took one side of the tie with C 1), the majority
        fills the other layers and keeps gold's value where the annotators tie.
        """
        index = self.cursor if index is None else index
        comparison = self.comparison(index)
        result = majority(comparison)
        if result.not_content is None and not result.ties:
            raise AnnotatorError(f"nobody tagged sentence {index + 1}; no majority to take")
        gold = self.gold_tags(index)
        held = self.held.get(index)
        if held is not None:  # what the reviewer decided already stays decided
            result = Majority(result.not_content, {
                layer: value for layer, value in result.layers.items() if layer not in held[1]},
                tuple(tie for tie in result.ties if tie.layer not in held[1]))
        after = result.apply(gold)
        tie_text = describe_ties(result.ties, self.schema)
        if result.not_content is None:
            return Outcome(f"No majority: {tie_text}; left unsettled", ties=result.ties,
                           warning=True)
        if result.ties and not self.is_settled(index):
            if after != gold:  # the layers a majority decides are held
                self.gold.apply_tags(after, "take the majority", index, decided=result.layers)
            winners = "; ".join(f"{self.layer_noun(layer)}: {'+'.join(sorted(value)) or '(none)'}"
                                for layer, value in result.layers.items())
            return Outcome(f"Left unsettled: {tie_text}. Take a side ({self._side_keys(result.ties)}"
                           f" then N); the rest is held ({winners})", ties=result.ties,
                           warning=True)
        edits = []
        if after != gold or held is not None or not self.is_settled(index):
            edits.append(self.gold.apply_tags(after, "take the majority", index,
                                              decided=result.layers))
            self.refresh_after_edit()
        if result.ties:
            return Outcome(f"Majority taken; {tie_text}: left as it was, settle it by hand",
                           edits, result.ties, warning=True)
        return Outcome("Majority taken" if edits else "Gold already has the majority", edits)

    def _side_keys(self, ties: Sequence[Tie]) -> str:
        """The prefix keys that take a side of these ties ("C", "S/C")."""
        prefixes = layer_prefixes(self.schema.layers, self.schema.quick_keys())
        keys = [prefixes[tie.layer].key for tie in ties if tie.layer in prefixes]
        return "/".join(key for key in keys if key) or "a digit"

    def settle_article(self) -> Outcome:
        """Majority for every unsettled sentence two or more annotators tagged, as one step.

        Sentences with any tie, and sentences only one annotator tagged, are skipped and
        counted: a batch never decides what a person should look at.
        """
        self.gold._check_writable()
        batch = f"{BATCH_MARK}{next(self._batches)} settle the article by majority"
        edits, tied, single = [], 0, 0
        for index in range(len(self.sentences)):
            if self.is_settled(index):
                continue
            comparison = self.comparison(index)
            if comparison.status == SINGLE:
                single += 1
                continue
            if comparison.status == UNTAGGED:
                continue
            result = majority(comparison)
            if not result.complete:
                tied += 1
                continue
            edits.append(self.gold.apply_tags(result.apply(self.gold_tags(index)), batch, index))
        if edits:
            self.refresh_after_edit()
        parts = [f"Settled {len(edits)} sentence(s) by majority"]
        if tied:
            parts.append(f"{tied} tied (left unsettled)")
        if single:
            parts.append(f"{single} tagged by one annotator only (skipped)")
        return Outcome("; ".join(parts), edits, warning=bool(tied))

    def take_singles(self) -> Outcome:
        """Gold takes every unsettled sentence of the article that exactly one annotator
        tagged, as they tagged it (the reviewer's note kept), as one undo step. Each is
        recorded with its source (``single: {sentence: annotator}`` in the gold file, and
        agrees_with), so a single annotator's word is never mistaken for agreement."""
        self.gold._check_writable()
        batch = f"{BATCH_MARK}{next(self._batches)} take single-annotator sentences"
        edits: list[Edit] = []
        taken: Counter[str] = Counter()
        for index in range(len(self.sentences)):
            if self.is_settled(index) or self.status(index) != SINGLE:
                continue
            name = self.comparison(index).tagged_by[0]
            theirs = self.others_at(index)[name]
            assert theirs is not None
            after = theirs.with_(note=self.gold_tags(index).note)
            edits.append(self.gold.apply_tags(after, batch, index))
            taken[name] += 1
        if edits:
            self.refresh_after_edit()
            who = ", ".join(f"{name} {n}" for name, n in sorted(taken.items()))
            return Outcome(f"Took {len(edits)} single-annotator sentence(s) ({who})", edits)
        return Outcome("No unsettled sentence here was tagged by one annotator only", edits)

    def set_verdict(self, status: str | None, comment: str | None = None) -> Outcome:
        """The reviewer's verdict on the open article (None clears it), written to the
        reviewer's _status.yaml, apart from the annotators' own "done"."""
        self.gold._check_writable()
        assert self.article is not None
        verdict = Verdict(status, comment.strip() or None if comment else None) \
            if status is not None else None
        set_verdict(self.project.annotations_dir, self.reviewer, self.article.id, verdict)
        if verdict is None:
            return Outcome("Verdict cleared")
        return Outcome(f"Article {verdict}" if verdict.status == ACCEPTED
                       else f"Sent back: {verdict}")

    def coverage(self) -> tuple[int, int, int]:
        """(unsettled disputes, gold sentences, tagged sentences) over the whole project."""
        summaries = self.all_summaries().values()
        return (sum(s.unsettled for s in summaries), sum(s.gold for s in summaries),
                sum(s.tagged for s in summaries))

    def all_settled_message(self) -> str:
        """What "no dispute left" means for the gold set: how much of the work it holds."""
        unsettled, gold, tagged = self.coverage()
        if unsettled:
            return f"{unsettled} dispute(s) left; {coverage_text(gold, tagged)}"
        text = f"Every dispute in the project is settled; {coverage_text(gold, tagged)} tagged"
        if gold >= tagged:
            return text + " sentences: gold is complete."
        return (text + f" sentences ({tagged - gold:,} not in gold yet: M takes the agreed, "
                "O the single-annotator ones, article by article).")

    def undo(self) -> list[Edit]:
        """Undo the last step (a batch command is one step)."""
        return self._step(self.gold.undo, lambda: self.gold.history.undo)

    def redo(self) -> list[Edit]:
        return self._step(self.gold.redo, lambda: self.gold.history.redo)

    def _step(self, run, stack) -> list[Edit]:
        if self.article is None:
            return []
        pending = stack()
        if not pending:
            return []
        batch = pending[-1].description if pending[-1].description.startswith(BATCH_MARK) else None
        done = []
        while True:
            edit = run()
            if edit is None:
                break
            done.append(edit)
            pending = stack()
            if batch is None or not pending or pending[-1].description != batch:
                break
        if done:
            self.refresh_after_edit()
        return done

    def refresh_after_edit(self) -> None:
        """After gold changed (also through a picker): the list's counts follow (the
        session's save has already told the index)."""
        assert self.article is not None and self.gold.doc is not None
        self._refresh_summary()


def _summary_of(article_id: str, files: Sequence[FileRecords], gold: FileRecords,
                nothing: Sequence[tuple[int, ...]] | None = None,
                gold_nothing: frozenset[int] = frozenset()) -> ArticleSummary:
    """An article's disputes from the cached records, building no SentenceTags unless two
    annotators wrote the same sentence differently: the list counts 10,000 of these in the
    background, so this is the per-article cost of a full count. ``nothing``: per file,
    the sentences where an untagged one means "nothing to tag" (a done article);
    ``gold_nothing``: the sentences gold decided have nothing to tag."""
    problems = sum(1 for f in (*files, gold) if f.problem is not None)
    tagged: dict[int, list[tuple[Any, ...]]] = {}
    for number, found in enumerate(files):
        seen = set()
        for index, row, is_tagged in zip(found.sentences, found.rows, found.tagged, strict=True):
            if is_tagged:  # a note alone is not a decision
                tagged.setdefault(index, []).append(row)
                seen.add(index)
        if nothing is not None and found.problem is None:
            for index in nothing[number]:
                if index not in seen:
                    tagged.setdefault(index, []).append(NOTHING)
    settled_at = {index for index, is_tagged in zip(gold.sentences, gold.tagged, strict=True)
                  if is_tagged} | gold_nothing
    disputed = single = agreed = settled = 0
    make = SentenceTags._make
    for index, rows in tagged.items():
        if len(rows) == 1:
            single += 1
            continue
        first = rows[0]
        if all(r[0] == first[0] and r[2] == first[2] for r in rows):
            agreed += 1  # identical as written: no need to compare as sets
        elif len({make(r).decision() for r in rows}) == 1:
            agreed += 1  # the same labels in another order
        else:
            disputed += 1
            settled += index in settled_at
    return ArticleSummary(article_id, disputed, settled, single, agreed, len(settled_at), problems)


@dataclass(frozen=True)
class DisputeFilter:
    """The disputes agree lists, as review opens on them: a layer, and optionally the
    two sides ("(none)" for no label), as in ``claim:fact,opinion``."""

    layer: str
    sides: tuple[str, str] | None = None

    @classmethod
    def parse(cls, spec: str, schema: LabelSchema) -> DisputeFilter:
        layer_id, _, labels = spec.partition(":")
        layer = schema.layer_of(layer_id.strip())
        if layer is None:
            raise UsageError(f"--dispute {spec!r}: no layer {layer_id.strip()!r} in "
                             f"labels.yaml (layers: {', '.join(schema.layer_ids)})")
        if not labels:
            return cls(layer.id)
        sides = tuple(label.strip() for label in labels.split(","))
        if len(sides) != 2 or not all(sides):
            raise UsageError(f"--dispute {spec!r}: name two labels, e.g. "
                             f"{layer.id}:A,B (or the layer alone)")
        unknown = [side for side in sides if side != "(none)" and not schema.has(layer.id, side)]
        if unknown:
            known = ", ".join(label.id for label in layer.labels[:12])
            raise UsageError(f"--dispute {spec!r}: {', '.join(map(repr, unknown))} is not a "
                             f"{layer.noun} label in labels.yaml ({known}, or (none))")
        return cls(layer.id, (sides[0], sides[1]))

    def matches(self, decisions: Iterable[SentenceTags | None]) -> bool:
        """Two annotators tagged the sentence as content and differ on the layer (and, with
        sides, one of them has the first label where the other has the second)."""
        values = [frozenset(t.get(self.layer)) for t in decisions
                  if _tagged(t) and not t.not_content]
        if len(set(values)) < 2:
            return False
        if self.sides is None:
            return True
        first, second = (_side(values, label) for label in self.sides)
        return any(a != b for a in first for b in second)

    def __str__(self) -> str:
        return f"{self.layer}: {self.sides[0]} vs {self.sides[1]}" if self.sides \
            else f"{self.layer} disputes"


def _side(values: list[frozenset[str]], label: str) -> list[frozenset[str]]:
    return [v for v in values if (not v if label == "(none)" else label in v)]


def describe_ties(ties: Sequence[Tie], schema: LabelSchema | None = None) -> str:
    """ "claim tied: fact (alice) vs opinion (bob)": each layer by its noun (its id
    without a schema), each side by its label ids."""
    parts = []
    for tie in ties:
        sides = " vs ".join(
            f"{'+'.join(sorted(value)) or '(none)'} ({', '.join(names)})"
            for value, names in tie.candidates)
        found = schema.layer_of(tie.layer) if schema is not None else None
        parts.append(f"{found.noun if found else tie.layer} tied: {sides}")
    return "; ".join(parts)


def _has_annotations(folder: Path) -> bool:
    """At least one annotation file (stops at the first: folders hold 10,000)."""
    try:
        with os.scandir(folder) as listing:
            return any(is_article_file(e.name) for e in listing)
    except OSError:
        return False


def resolve_annotators(project: Project, reviewer: str,
                       requested: Sequence[str] | None) -> list[str]:
    """The annotators to review: as asked, or every folder except the reviewer's own."""
    present = project.store.annotators()
    if requested is None:  # folders with no annotation file yet (a lock alone) are not work
        names = [name for name in present
                 if name != reviewer and _has_annotations(project.annotations_dir / name)]
        if not names:
            raise UsageError(Problem(project.annotations_dir, "no annotations to review: no "
                                     f"annotator folder here other than {reviewer!r}"))
        return names
    names = list(dict.fromkeys(check_annotator_name(name) for name in requested))
    if not names:
        raise UsageError("--annotators needs at least one name")
    if reviewer in names:
        raise UsageError(f"{reviewer!r} is the reviewer: review others' work into it, or pick "
                         "another reviewer name with --as")
    missing = [name for name in names if name not in present]
    if missing:
        known = ", ".join(present) or "none yet"
        raise UsageError(Problem(project.annotations_dir, f"no annotations by "
                                 f"{', '.join(missing)} (annotators here: {known})"))
    return names
