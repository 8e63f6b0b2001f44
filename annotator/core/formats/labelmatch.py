"""Match label names from other tools to labels.yaml: by id or display name, normalised.

"Factual claim", "factual_claim", "FACT" and "fact" all find claim `fact` when labels.yaml
says `id: fact, name: Factual claim`. A name found in both claim and topics is ambiguous
and reported, not guessed. A layer hint (Label Studio's from_name, e.g. "claim" or
"topics") limits the search to that layer. Speakers match by id, name or alias
(schema.resolve_speaker) when the hint names them or no claim/topic matches.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..schema import LabelSchema, normalise_name

_LAYER_NAMES = {
    "claim": "claim", "claims": "claim", "claim type": "claim",
    "topic": "topics", "topics": "topics",
    "speaker": "speakers", "speakers": "speakers", "source": "speakers", "sources": "speakers",
}


def label_key(name: str) -> str:
    return " ".join(normalise_name(name).replace("_", " ").split())


def layer_of_hint(hint: str | None) -> str | None:
    """The layer a field name such as Label Studio's from_name stands for, if any."""
    return _LAYER_NAMES.get(label_key(hint)) if hint else None


@dataclass(frozen=True)
class Match:
    layer: str | None  # None: not matched (see reason)
    label: str | None
    reason: str = ""


class LabelMatcher:
    def __init__(self, schema: LabelSchema):
        self.schema = schema
        self._by_layer: dict[str, dict[str, str]] = {}
        for layer in ("claim", "topics"):
            names: dict[str, str] = {}
            for label in schema.layer(layer):
                names.setdefault(label_key(label.id), label.id)
                names.setdefault(label_key(label.name), label.id)
            self._by_layer[layer] = names

    def match(self, name: str, hint: str | None = None) -> Match:
        key = label_key(name)
        layer = layer_of_hint(hint)
        if layer == "speakers":
            speaker = self.schema.resolve_speaker(name)
            return (Match("speakers", speaker) if speaker
                    else Match(None, None, "no speaker by that name or alias"))
        layers = (layer,) if layer else ("claim", "topics")
        found = [(lay, self._by_layer[lay][key]) for lay in layers if key in self._by_layer[lay]]
        if len(found) == 1:
            return Match(*found[0])
        if len(found) > 1:
            return Match(None, None, "ambiguous: both a claim and a topic")
        if layer is None:
            speaker = self.schema.resolve_speaker(name)
            if speaker:
                return Match("speakers", speaker)
        where = {"claim": "claims", "topics": "topics"}.get(layer or "",
                                                           "claims, topics or speakers")
        return Match(None, None, f"not among the {where} of labels.yaml")
