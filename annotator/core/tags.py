"""What one annotator said about one sentence. Immutable, so undo can keep old values.

Layers are data (labels.yaml declares them), so a sentence's labels are held per layer id
rather than in one field per layer: a project that adds "stance" needs no code change.
A single-choice layer holds at most one id; the schema, not this type, enforces that.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from itertools import compress
from typing import Any, NamedTuple

LabelValues = tuple[tuple[str, tuple[str, ...]], ...]
"""(layer id, label ids) pairs, one per non-empty layer, sorted by layer id: hashable, and
equal whenever two sentences hold the same labels in each layer."""

# Fields of a sentence entry that are not layers; everything else in an entry is a layer id.
META_FIELDS = ("note", "not_content", "agrees_with", "overrules", "spans")

Span = tuple[str, str, int, int]
"""(layer id, label id, start, end): words of the article that back a label, in article
character offsets (end exclusive). A speaker mention is a span of an entity layer whose
label is the speaker id; other spans are evidence an import brought (a brat Source)."""


def span_values(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Spans in their one order (reading order: start, end, layer, label), each once."""
    found = tuple(set(spans))
    if len(found) > 1:
        return tuple(sorted(found, key=_span_order))
    return found


def _span_order(span: Span) -> tuple[int, int, str, str]:
    return span[2], span[3], span[0], span[1]


def label_values(layers: Mapping[str, Iterable[str] | str | None]) -> LabelValues:
    """Normalise {layer: ids} (a bare string for one id) into LabelValues."""
    out = []
    for layer, ids in layers.items():
        if ids is None:
            continue
        values = (ids,) if isinstance(ids, str) else tuple(dict.fromkeys(ids))
        if values:
            out.append((layer, values))
    out.sort()
    return tuple(out)


class SentenceTags(NamedTuple):
    """A named tuple rather than a dataclass: the annotation index builds one per tagged
    sentence of a whole project (600,000 at 10,000 articles x 3), and its cache stores
    them as plain tuples."""

    values: LabelValues = ()
    note: str | None = None
    not_content: bool = False
    # Review provenance (gold files only): which annotators this decision matches / overrules.
    agrees_with: tuple[str, ...] = ()
    overrules: tuple[str, ...] = ()
    # Evidence, not the decision: which words back a label (see Span; span_values order).
    spans: tuple[Span, ...] = ()

    @classmethod
    def of(cls, layers: Mapping[str, Iterable[str] | str | None] | None = None,
           **fields: Any) -> SentenceTags:
        """Build from layer ids as keywords: ``SentenceTags.of(claim="fact", note="x")``.

        Keywords that are not note/not_content/agrees_with/overrules/spans are layer ids.
        """
        meta = {k: fields.pop(k) for k in META_FIELDS if k in fields}
        merged = {**(layers or {}), **fields}
        for key in ("agrees_with", "overrules"):
            if key in meta:
                meta[key] = tuple(meta[key])
        if "spans" in meta:
            meta["spans"] = span_values(meta["spans"])
        return cls(label_values(merged), **meta)

    def get(self, layer: str) -> tuple[str, ...]:
        for name, ids in self.values:
            if name == layer:
                return ids
        return ()

    def first(self, layer: str) -> str | None:
        """The one label of a single-choice layer (or None)."""
        ids = self.get(layer)
        return ids[0] if ids else None

    @property
    def layers(self) -> dict[str, tuple[str, ...]]:
        return dict(self.values)

    def with_layer(self, layer: str, ids: Iterable[str] | str | None) -> SentenceTags:
        layers = dict(self.values)
        layers[layer] = () if ids is None else ((ids,) if isinstance(ids, str) else tuple(ids))
        return self._replace(values=label_values(layers))

    def with_spans(self, spans: Iterable[Span]) -> SentenceTags:
        return self._replace(spans=span_values(spans))

    def spans_of(self, layer: str, label: str | None = None) -> tuple[Span, ...]:
        """This sentence's spans in one layer (of one label when given)."""
        return tuple(s for s in self.spans
                     if s[0] == layer and (label is None or s[1] == label))

    @property
    def is_tagged(self) -> bool:
        """Counts towards progress: a label or an explicit not-content mark (a note alone is not)."""
        return bool(self.values or self.not_content)

    @property
    def is_empty(self) -> bool:
        """Nothing to save (spans alone are kept: an import's evidence on an untagged sentence)."""
        return not (self.is_tagged or self.note or self.spans)

    def labels(self) -> tuple[tuple[str, str], ...]:
        """(layer, id) pairs, for validation against the schema."""
        return tuple((layer, label) for layer, ids in self.values for label in ids)

    def decision(self) -> tuple[Any, ...]:
        """What an annotator decided, as one hashable value (order within a layer aside)."""
        if self.not_content:
            return (True,)
        return (False, tuple((layer, frozenset(ids)) for layer, ids in self.values))

    def same_tags(self, other: SentenceTags) -> bool:
        """Equal in what an annotator decided (order of sets and notes aside)."""
        return self.decision() == other.decision()

    def with_(self, **changes: object) -> SentenceTags:
        return self._replace(**changes)  # type: ignore[arg-type]


EMPTY = SentenceTags()


def done_indexes(tags: Mapping[int, SentenceTags], non_content: Iterable[int],
                 sentence_count: int) -> set[int]:
    """The sentences that count as done: tagged, or found by the importer not to be prose
    (a dateline, a repeated headline) and left alone by the annotator. The one definition
    of progress, shared by the editor, the article list and `annotator stats`."""
    return done_among(tags, [t.is_tagged for t in tags.values()], non_content, sentence_count)


def done_among(indexes: Collection[int], tagged: Iterable[bool] | None,
               non_content: Iterable[int], sentence_count: int) -> set[int]:
    """done_indexes over the sentence indexes of a file's entries and whether each is
    tagged (None: all are), as the annotation index holds them: `annotator stats` counts
    600,000 sentences without building their tags."""
    done = set(indexes if tagged is None else compress(indexes, tagged))
    if done and (min(done) < 0 or max(done) >= sentence_count):
        done = {i for i in done if 0 <= i < sentence_count}
    if non_content:
        done.update(i for i in non_content if 0 <= i < sentence_count and i not in indexes)
    return done
