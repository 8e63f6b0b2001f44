"""Sentence filters, the same in the editor and in review: untagged, disputed, by label,
by annotator. A filter names sentences of the open article; the screens show only those
(the others are hidden; moving keys go from one to the next; ``{`` / ``}`` wrap), say
"2 of 5" in the status line, and ``esc`` shows every sentence again.

Written as a person types them after ``ctrl+f``:

    untagged            editor: sentences you have not decided; review: not in gold yet
    disputed            two annotators decided differently (in the editor: you and
                        someone else)
    fact | claim:fact   sentences with that label (anyone's, in review; yours, in the
                        editor), by id or name, the layer optional
    @bob                sentences bob tagged
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from .article import Article
from .errors import UsageError
from .project import Project
from .schema import LabelSchema
from .tags import SentenceTags

UNTAGGED, DISPUTED, LABEL, ANNOTATOR = "untagged", "disputed", "label", "annotator"


@dataclass(frozen=True)
class FilterView:
    """What a filter looks at in one open article (built by each mode)."""

    sentence_count: int
    is_done: Callable[[int], bool]  # editor: decided by you; review: settled in gold
    mine: Callable[[int], SentenceTags]  # editor: your tags; review: gold's
    others: Mapping[str, Mapping[int, SentenceTags]]  # other annotators' tags, by sentence
    is_disputed: Callable[[int], bool]


@dataclass(frozen=True)
class SentenceFilter:
    kind: str
    layer: str | None = None
    label: str | None = None
    annotator: str | None = None

    @classmethod
    def parse(cls, text: str, schema: LabelSchema, annotators: Sequence[str]) -> SentenceFilter:
        spec = text.strip()
        word = spec.casefold()
        if word in (UNTAGGED, DISPUTED):
            return cls(word)
        if spec.startswith("@"):
            name = spec[1:].strip()
            if name not in annotators:
                raise UsageError(f"no annotator {name!r} here (annotators: "
                                 f"{', '.join(annotators) or 'nobody else yet'})")
            return cls(ANNOTATOR, annotator=name)
        layer_id, _, label_text = spec.rpartition(":")
        layers = [schema.layer_of(layer_id.strip())] if layer_id else list(schema.layers)
        if layers == [None]:
            raise UsageError(f"no layer {layer_id.strip()!r} (layers: "
                             f"{', '.join(schema.layer_ids)})")
        wanted = label_text.strip().casefold()
        for layer in layers:
            assert layer is not None
            for label in layer.labels:
                if wanted in (label.id.casefold(), label.name.casefold()):
                    return cls(LABEL, layer=layer.id, label=label.id)
        raise UsageError(f"{spec!r}: not a filter. Type untagged, disputed, a label (fact, "
                         "claim:fact) or @annotator")

    def matches(self, view: FilterView, index: int) -> bool:
        if self.kind == UNTAGGED:
            return not view.is_done(index)
        if self.kind == DISPUTED:
            return view.is_disputed(index)
        if self.kind == ANNOTATOR:
            tags = view.others.get(self.annotator or "", {}).get(index)
            return tags is not None and tags.is_tagged
        assert self.layer is not None and self.label is not None
        decisions = [view.mine(index), *(o.get(index) for o in view.others.values())]
        return any(t is not None and self.label in t.get(self.layer) for t in decisions)

    def indexes(self, view: FilterView) -> list[int]:
        return [i for i in range(view.sentence_count) if self.matches(view, i)]

    def __str__(self) -> str:
        if self.kind == LABEL:
            return f"{self.layer}:{self.label}"
        if self.kind == ANNOTATOR:
            return f"tagged by {self.annotator}"
        return f"{self.kind} sentences"


def step(indexes: Sequence[int], cursor: int, forward: bool) -> int | None:
    """The next (or previous) of these sentences after the cursor, wrapping."""
    if not indexes:
        return None
    if forward:
        return next((i for i in indexes if i > cursor), indexes[0])
    return next((i for i in reversed(indexes) if i < cursor), indexes[-1])


def editor_view(session: AnnotateSessionLike) -> FilterView:
    """The editor's view: your tags, and every other folder's for this article (read
    through the cached index)."""
    article = session.article
    assert article is not None
    others: dict[str, Mapping[int, SentenceTags]] = {}
    for name in session.project.store.annotators():
        if name != session.annotator:
            found = session.project.index.file(name, article.id)
            if found.problem is None and found.sentences:
                others[name] = found.tags()

    def disputed(index: int) -> bool:
        mine = session.tags(index)
        if not mine.is_tagged:
            return False
        return any(t.is_tagged and t.decision() != mine.decision()
                   for t in (o.get(index) for o in others.values()) if t is not None)

    return FilterView(len(article.sentences), session.is_done, session.tags, others, disputed)


class AnnotateSessionLike(Protocol):
    annotator: str
    project: Project
    article: Article | None

    def tags(self, index: int | None = None) -> SentenceTags: ...

    def is_done(self, index: int) -> bool: ...
