"""Match label names from other tools to labels.yaml: by id or display name, normalised.

"Direct quote", "direct_quote", "DIRECT" and "direct" all find label `direct` when
labels.yaml says `id: direct, name: Direct quote`. Every layer of labels.yaml is searched: labels of
single and multi layers by id or name, entities (entity layers) by id, name or alias
(schema.resolve), tried only when no other label matches. A name found in two layers is
ambiguous and reported, not guessed. A layer hint (Label Studio's from_name, e.g.
"stance") limits the search to the layer it names: by id or title, singular or plural.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..schema import LabelSchema, Layer, normalise_name

# Field names annotation tools use for "who said it": the first entity layer.
SOURCE_HINTS = frozenset({"source", "sources"})


def label_key(name: str) -> str:
    return " ".join(normalise_name(name).replace("_", " ").split())


def layer_of_hint(hint: str | None, schema: LabelSchema) -> Layer | None:
    """The layer a field name such as Label Studio's from_name stands for, if any."""
    if not hint:
        return None
    key = label_key(hint)
    names: dict[str, Layer] = {}
    for layer in schema.layers:
        for name in (layer.id, layer.title):
            names.setdefault(label_key(name), layer)
    for layer in schema.layers:
        for name in (layer.id, layer.title):
            spelled = label_key(name)
            names.setdefault(spelled[:-1] if spelled.endswith("s") else spelled + "s", layer)
    found = names.get(key)
    if found is None and key in SOURCE_HINTS and schema.entity_layers:
        found = schema.entity_layers[0]
    return found


@dataclass(frozen=True)
class Match:
    layer: str | None  # None: not matched (see reason)
    label: str | None
    reason: str = ""


class LabelMatcher:
    def __init__(self, schema: LabelSchema):
        self.schema = schema
        self._by_layer: dict[str, dict[str, str]] = {}
        for layer in schema.layers:
            if layer.entity:
                continue
            names: dict[str, str] = {}
            for label in layer.labels:
                names.setdefault(label_key(label.id), label.id)
                names.setdefault(label_key(label.name), label.id)
            self._by_layer[layer.id] = names

    def _entity(self, layers: tuple[Layer, ...], name: str) -> list[tuple[str, str]]:
        found = []
        for layer in layers:
            entity = self.schema.resolve(layer.id, name)
            if entity is not None:
                found.append((layer.id, entity))
        return found

    def match(self, name: str, hint: str | None = None) -> Match:
        key = label_key(name)
        hinted = layer_of_hint(hint, self.schema)
        if hinted is not None and hinted.entity:
            entity = self.schema.resolve(hinted.id, name)
            return (Match(hinted.id, entity) if entity
                    else Match(None, None, f"no {hinted.noun} entry by that name or alias"))
        layers = (hinted.id,) if hinted is not None else tuple(self._by_layer)
        found = [(lay, self._by_layer[lay][key]) for lay in layers if key in self._by_layer[lay]]
        if not found and hinted is None:
            found = self._entity(self.schema.entity_layers, name)
        if len(found) == 1:
            return Match(*found[0])
        if len(found) > 1:
            shown = " and ".join(self._noun(lay) for lay, _ in found)
            return Match(None, None, f"ambiguous: a label of {shown}")
        searched = [hinted] if hinted is not None else [
            *(lay for lay in self.schema.layers if not lay.entity), *self.schema.entity_layers]
        nouns = [layer.noun for layer in searched] or ["(no layers)"]
        where = nouns[0] if len(nouns) == 1 else ", ".join(nouns[:-1]) + " or " + nouns[-1]
        return Match(None, None, f"not among the {where} labels of labels.yaml")

    def _noun(self, layer_id: str) -> str:
        layer = self.schema.layer_of(layer_id)
        return layer.noun if layer is not None else layer_id
