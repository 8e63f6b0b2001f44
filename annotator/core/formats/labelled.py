"""Texts labelled in another tool (doccano, Label Studio) -> sentence tags.

Where does a labelled text go? In this order:

1. it carries our export's `article` and `sentence` and that sentence has this text: there;
2. it is the full text of an article in the corpus (same text exactly): that article;
3. it is the text of exactly one sentence in the corpus: that sentence (several: reported
   as ambiguous, not guessed);
4. otherwise it is imported as a new article, if any of its labels matched.

Labels on the whole text (classification) tag that sentence when the text is one
sentence; on a longer text they are reported, not spread over every sentence. Span
labels tag every sentence the span overlaps. Label names are matched to the layers of
labels.yaml by id or display name (formats/labelmatch.py); the rest is counted in the
report. A single layer keeps the first label a sentence gets (a second is reported).
A span label also keeps its offsets, as evidence on each sentence it overlaps
(SentenceTags.spans, article offsets, cut at the sentence's bounds). Each
input item is all or nothing, and an annotator's existing tags are protected as in
formats/attach.py.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..article import Article, text_hash
from ..errors import AnnotatorError, CorpusError, Problem
from ..importer import build_article, check_text
from ..project import Project
from ..schema import CONTENT_LAYER
from ..tags import SentenceTags, Span
from .article_text import read_article_text
from .attach import attach, existing_doc
from .labelmatch import LabelMatcher, layer_of_hint
from .source_names import SourceNames


@dataclass(frozen=True)
class SpanLabel:
    start: int
    end: int
    label: str
    hint: str | None  # the field or layer the tool put it under


@dataclass
class LabelledText:
    source: str  # file:line or file: task N, for messages
    text: str
    labels: list[tuple[str, str | None]] = field(default_factory=list)  # (name, hint)
    spans: list[SpanLabel] = field(default_factory=list)
    article: str | None = None
    sentence: int | None = None
    unsupported: list[str] = field(default_factory=list)  # result types we do not read
    extra: dict[str, Any] = field(default_factory=dict)  # header fields of a new article
    annotator: str | None = None  # whose labels, when the file says (Label Studio)


@dataclass
class _Tags:
    """One sentence's labels while items are collected: layer -> ids, in arrival order."""

    layers: dict[str, list[str]] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)  # article offsets, inside the sentence

    def freeze(self) -> SentenceTags:
        return SentenceTags.of(self.layers, spans=self.spans)

    def __bool__(self) -> bool:
        return any(self.layers.values()) or bool(self.spans)


@dataclass
class _ArticlePlan:
    article: Article
    is_new: bool
    tags: dict[int, _Tags] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)


@dataclass
class ArticleOutcome:
    article_id: str
    is_new: bool
    items: int
    sentences: int = 0
    kept: int = 0
    problem: Problem | None = None


@dataclass
class LabelledReport:
    articles: list[ArticleOutcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # items refused
    unmatched: Counter[tuple[str, str]] = field(default_factory=Counter)  # (label, reason)
    messages: list[str] = field(default_factory=list)
    items: int = 0
    placed: Counter[str] = field(default_factory=Counter)  # how items found their place
    # (layer noun, name, mentions): entities Source spans add to labels.yaml (imported: true)
    new_entities: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.problems) or any(a.problem for a in self.articles)


class LabelledImporter:
    def __init__(self, project: Project, annotator: str, *, merge: bool = False,
                 dry_run: bool = False):
        self.project = project
        self.annotator = annotator
        self.merge = merge
        self.dry_run = dry_run
        self.matcher = LabelMatcher(project.schema)
        self.single = project.schema.single_layers
        self.entries = {entry.id: entry for entry in project.corpus.entries()}
        self.by_sha = {entry.text_sha: entry.id for entry in self.entries.values()}
        self._sentence_index: dict[str, list[tuple[str, int]]] | None = None
        self._articles: dict[str, Article] = {}
        self.plans: dict[str, _ArticlePlan] = {}
        self.report = LabelledReport()
        self.sources: dict[str, SourceNames] = {}  # entity layer -> its Source spans' names

    # ----- finding the place of a text -----------------------------------------------
    def _load(self, article_id: str) -> Article:
        if article_id not in self._articles:
            self._articles[article_id] = self.project.corpus.load(article_id)
        return self._articles[article_id]

    def _sentences(self) -> dict[str, list[tuple[str, int]]]:
        """Sentence text -> places, built once and only when a text needs it."""
        if self._sentence_index is None:
            index: dict[str, list[tuple[str, int]]] = {}
            folder = self.project.corpus.folder
            for entry in self.entries.values():
                try:
                    article = read_article_text(folder / entry.file, entry)
                except CorpusError as exc:
                    self.report.messages += [str(p) for p in exc.problems]
                    continue
                for number, (start, end) in enumerate(article.spans):
                    key = text_hash(article.text[start:end].strip(), 16)
                    index.setdefault(key, []).append((entry.id, number))
            self._sentence_index = index
        return self._sentence_index

    def _place(self, item: LabelledText) -> tuple[_ArticlePlan | None, int | None, str]:
        """(plan, sentence index or None for the whole text, how it was found)."""
        if item.article and item.article in self.entries:
            article = self._load(item.article)
            if item.sentence is not None and 0 <= item.sentence < len(article.spans):
                start, end = article.spans[item.sentence]
                if article.text[start:end].strip() == item.text.strip():
                    return self._plan(article, False), item.sentence, "sentence (export ids)"
        sha = text_hash(item.text, 16)
        if sha in self.by_sha:
            article_id = self.by_sha[sha]
            if article_id in self.plans:
                return self.plans[article_id], None, "article (same text)"
            return self._plan(self._load(article_id), False), None, "article (same text)"
        places = self._sentences().get(text_hash(item.text.strip(), 16), [])
        if len(places) == 1:
            article_id, number = places[0]
            return self._plan(self._load(article_id), False), number, "sentence (same text)"
        if len(places) > 1:
            shown = ", ".join(f"{a}#{n}" for a, n in places[:3])
            raise CorpusError(Problem(item.source, f"its text is a sentence of {len(places)} "
                                                   f"articles ({shown}); not imported"))
        return None, None, "new article"

    def _plan(self, article: Article, is_new: bool) -> _ArticlePlan:
        plan = self.plans.get(article.id)
        if plan is None:
            plan = self.plans[article.id] = _ArticlePlan(article, is_new)
        return plan

    # ----- labels --------------------------------------------------------------------
    def _add(self, into: _Tags, name: str, hint: str | None, where: str,
             index: int) -> tuple[str, str] | None:
        """Add a label by its name in the other tool; (layer, label id) when it matched."""
        match = self.matcher.match(name, hint)
        if match.layer is None:
            self.report.unmatched[(name, match.reason)] += 1
            return None
        assert match.label is not None
        held = self._put(into, match.layer, match.label)
        if held is not None:
            self.report.messages.append(
                f"{where}: sentence {index} has {self._noun(match.layer)} {held!r} and "
                f"{match.label!r}; kept {held!r}")
            return None
        return match.layer, match.label

    def _put(self, into: _Tags, layer: str, label: str) -> str | None:
        """Add a label; a single layer keeps the one it has (returned: a clash to report)."""
        held = into.layers.setdefault(layer, [])
        if label in held:
            return None
        if held and layer in self.single:
            return held[0]
        held.append(label)
        return None

    def _noun(self, layer_id: str) -> str:
        layer = self.project.schema.layer_of(layer_id)
        return layer.noun if layer is not None else layer_id

    def add(self, item: LabelledText) -> None:
        """Place one item and collect its tags (nothing written yet); all or nothing."""
        self.report.items += 1
        for kind in item.unsupported:
            self.report.unmatched[(f"({kind} result)", "result type not imported")] += 1
        for span in item.spans:
            if not 0 <= span.start < span.end <= len(item.text):
                raise CorpusError(Problem(item.source, f"span {span.start}-{span.end} "
                                          f"({span.label!r}) is outside its text of "
                                          f"{len(item.text)} characters; not imported"))
        plan, sentence, how = self._place(item)
        if plan is None:
            text = check_text(item.text.encode("utf-8", "surrogatepass"), item.source)
            article = build_article(text, Path(item.source.split(":")[0]).name)
            if item.extra:
                article = article.with_extra(item.extra)
            plan, sentence = _ArticlePlan(article, True), None
            if len(article.spans) == 1:
                sentence = 0
        offset = plan.article.spans[sentence][0] if sentence is not None else 0
        if sentence is not None and item.text.strip() != item.text:
            offset -= len(item.text) - len(item.text.lstrip())
        staged: dict[int, _Tags] = {}
        matched = 0
        whole = sentence if sentence is not None else (
            0 if len(plan.article.spans) == 1 else None)
        for name, hint in item.labels:
            if whole is None:
                self.report.unmatched[(name, "label on a whole multi-sentence text")] += 1
                continue
            matched += self._add(staged.setdefault(whole, _Tags()), name, hint, item.source,
                                 whole) is not None
        ends = [end for _, end in plan.article.spans]
        for span in item.spans:
            start, end = span.start + offset, span.end + offset
            if span.hint == CONTENT_LAYER:  # what a speaker said, from our own export
                matched += self._content(staged, plan.article, span.label, start, end,
                                         sentence)
                continue
            source = self._source(span, item, plan.article, start)
            if source is False:
                continue  # a Source that names nobody (reported)
            index = bisect.bisect_right(ends, start)
            while index < len(plan.article.spans) and plan.article.spans[index][0] < end:
                if sentence is None or index == sentence:
                    into = staged.setdefault(index, _Tags())
                    found = (self._add(into, span.label, span.hint, item.source, index)
                             if source is None else self._put_source(into, source))
                    if found is not None:
                        matched += 1
                        low, high = plan.article.spans[index]
                        if max(start, low) < min(end, high):  # the part in this sentence
                            into.spans.append((*found, max(start, low), min(end, high)))
                index += 1
        if plan.is_new and plan.article.id not in self.plans:
            if not matched:
                self.report.messages.append(f"{item.source}: not in the corpus and no label "
                                            "matched; skipped")
                return
            self.plans[plan.article.id] = plan
            self.by_sha[plan.article.text_sha] = plan.article.id
        self.report.placed[how] += 1
        plan.sources.append(item.source)
        for index, tags in staged.items():
            target = plan.tags.setdefault(index, _Tags())
            target.spans += tags.spans
            for layer, labels in tags.layers.items():
                for label in labels:
                    held = self._put(target, layer, label)
                    if held is not None:
                        self.report.messages.append(
                            f"{item.source}: sentence {index} already has {self._noun(layer)} "
                            f"{held!r} from another item; {label!r} ignored")

    def _source(self, span: SpanLabel, item: LabelledText, article: Article,
                start: int) -> tuple[str, str] | Literal[False] | None:
        """(entity layer, entity) when the span's label names an entity layer ("Source",
        "Speaker"): its words say who, resolved as brat Sources are (source_names.py);
        False when they name nobody; None for any other span."""
        layer = layer_of_hint(span.label, self.project.schema)
        if layer is None or not layer.entity or self.project.schema.resolve(layer.id,
                                                                           span.label):
            return None
        names = self.sources.get(layer.id)
        if names is None:
            names = self.sources[layer.id] = SourceNames(self.project, layer)
        entity = names.resolve(article.id, article.text, item.text[span.start:span.end],
                               start, item.source)
        return False if entity is None else (layer.id, entity)

    def _content(self, staged: dict[int, _Tags], article: Article, entity: str, start: int,
                 end: int, sentence: int | None) -> int:
        """A Content span (layer `content`, labelled with its speaker's id) on each sentence
        it overlaps, cut at its bounds; the speaker comes with the mention span."""
        placed = 0
        for index, (low, high) in enumerate(article.spans):
            if max(start, low) < min(end, high) and sentence in (None, index):
                staged.setdefault(index, _Tags()).spans.append(
                    (CONTENT_LAYER, entity, max(start, low), min(end, high)))
                placed = 1
        return placed

    def _put_source(self, into: _Tags, source: tuple[str, str]) -> tuple[str, str] | None:
        self._put(into, *source)
        return source

    def new_entities(self) -> list[tuple[str, str, int]]:
        """(layer noun, name, mentions) of the entities this import adds to labels.yaml."""
        return [(names.layer.noun, name, count) for names in self.sources.values()
                for name, count in names.listing()]

    def _create_sources(self) -> dict[str, str]:
        """NEW + key -> entity id, once the import writes (labels.yaml gains them)."""
        ids: dict[str, str] = {}
        for names in self.sources.values():
            ids.update(names.create())
        return ids

    def run(self, items: list[LabelledText]) -> LabelledReport:
        for item in items:
            try:
                self.add(item)
            except AnnotatorError as exc:
                self.report.problems.extend(exc.problems)
        for names in self.sources.values():
            self.report.messages += names.messages
        self.report.new_entities = self.new_entities()
        ready: list[tuple[_ArticlePlan, ArticleOutcome]] = []
        for article_id, plan in self.plans.items():
            if not plan.sources:
                continue  # its only items were refused
            outcome = ArticleOutcome(article_id, plan.is_new, len(plan.sources))
            self.report.articles.append(outcome)
            try:
                if not plan.is_new:
                    existing_doc(self.project, self.annotator, article_id, merge=self.merge)
                ready.append((plan, outcome))
            except AnnotatorError as exc:
                outcome.problem = exc.problems[0]
        ids: dict[str, str] = {}
        if self.sources and ready and not self.dry_run:  # only for tags that get written
            try:
                ids = self._create_sources()
            except AnnotatorError as exc:
                self.report.problems.extend(exc.problems)
                return self.report
        for plan, outcome in ready:
            tags = {i: _with_ids(t, ids).freeze() for i, t in plan.tags.items() if t}
            if self.dry_run:
                outcome.sentences = len(tags)
                continue
            try:
                if plan.is_new:
                    self.project.corpus.write(plan.article)
                result = attach(self.project, self.annotator, plan.article, tags,
                                merge=self.merge)
                outcome.sentences, outcome.kept = result.written, result.kept
            except AnnotatorError as exc:
                outcome.problem = exc.problems[0]
        return self.report


def _with_ids(tags: _Tags, ids: dict[str, str]) -> _Tags:
    """Entities created by this import under their ids (NEW + key until then)."""
    if not ids:
        return tags
    return _Tags({layer: list(dict.fromkeys(ids.get(label, label) for label in labels))
                  for layer, labels in tags.layers.items()},
                 [(layer, ids.get(label, label), low, high)
                  for layer, label, low, high in tags.spans])
