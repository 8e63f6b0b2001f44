"""What a split export writes beside its data: the label vocabulary and the column types.

A JSON Lines file says nothing about types: a split whose records all have `claim: null`
loads in `datasets` as `Value('null')`, and the label ids of a layer are numbered
differently in every split an engineer encodes by hand. So `--split` also writes

- `labels.json`: every layer's labels in labels.yaml order (then any id found in the
  export that labels.yaml does not declare, which the export warned about), and
- `features.json`: the `datasets.Features` of a record, as `Features.to_dict()` writes
  it (`Features.from_dict(json.load(...))` reads it back): a single layer is a
  `ClassLabel` over its vocabulary, so its ids become the same integers in every split.

Written here as plain dicts: the tool does not depend on `datasets`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..schema import LabelSchema
from .export_records import FIXED_KEYS, MENTIONS_KEY, NOTE_KEY, SPANS_KEY

_INT_KEYS = {"sentence", "number", "start", "end"}


def vocabulary(schema: LabelSchema,
               seen: Iterable[tuple[str, str]] = ()) -> dict[str, dict[str, object]]:
    """Layer id -> kind and label ids (labels.yaml order, then unknown ids found, sorted)."""
    extra: dict[str, set[str]] = {}
    for layer_id, label in seen:
        extra.setdefault(layer_id, set()).add(label)
    out: dict[str, dict[str, object]] = {}
    for layer in schema.layers:
        ids = [label.id for label in layer.labels]
        known = set(ids)
        ids += sorted(extra.get(layer.id, set()) - known)
        out[layer.id] = {"kind": layer.kind, "labels": ids}
    return out


def _value(dtype: str) -> dict[str, object]:
    return {"dtype": dtype, "_type": "Value"}


def _list(feature: object) -> dict[str, object]:
    return {"feature": feature, "_type": "List"}


def features(schema: LabelSchema,
             vocab: Mapping[str, Mapping[str, object]]) -> dict[str, object]:
    """The record's columns as `datasets.Features.to_dict()` writes them, in record order."""
    out: dict[str, object] = {}
    for key in FIXED_KEYS:
        out[key] = _value("int64" if key in _INT_KEYS else
                          "bool" if key == "not_content" else "string")
    for layer in schema.layers:
        if layer.single:
            out[layer.id] = {"names": list(vocab[layer.id]["labels"]),  # type: ignore[call-overload]
                             "_type": "ClassLabel"}
        else:
            out[layer.id] = _list(_value("string"))
    out[MENTIONS_KEY] = _list({"speaker": _value("string"), "start": _value("int64"),
                               "end": _value("int64")})
    out[SPANS_KEY] = _list({"layer": _value("string"), "label": _value("string"),
                            "start": _value("int64"), "end": _value("int64")})
    out[NOTE_KEY] = _value("string")
    return out


def absent_labels(counts: Mapping[str, Mapping[tuple[str, str], int]], names: tuple[str, ...],
                  schema: LabelSchema) -> list[str]:
    """Warnings: a label of a single or multi layer that occurs in the export but not in
    every split (a model never tested on it, or never trained on it); entity layers,
    with thousands of names, get one line each with how many."""
    totals: dict[tuple[str, str], int] = {}
    for counter in counts.values():
        for key, count in counter.items():
            totals[key] = totals.get(key, 0) + count
    out: list[str] = []
    for layer in schema.layers:
        missing: list[tuple[str, list[str]]] = []
        for key in sorted((k for k in totals if k[0] == layer.id), key=lambda k: k[1]):
            absent = [name for name in names if not counts.get(name, {}).get(key)]
            if absent:
                missing.append((key[1], absent))
        if not missing:
            continue
        if layer.entity:
            out.append(f"{len(missing)} {layer.noun} entries are absent from at least one "
                       f"split (e.g. {missing[0][0]!r}: none in {', '.join(missing[0][1])})")
            continue
        for label, absent in missing:
            out.append(f"{layer.id} label {schema.display(layer.id, label)!r} has no record in "
                       f"{' or '.join(absent)}")
    return out
