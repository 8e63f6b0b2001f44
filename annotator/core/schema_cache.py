"""labels.yaml as last read and found valid, kept in .annotator/ for the next command.

Checking a labels.yaml of 100,000 speakers means building a YAML node (with its line
number, for messages) for each of ~800,000 values: tens of seconds, on every command.
The file changes rarely (speakers made in the editor go to each annotator's own file), so
the layers of a valid labels.yaml are kept as JSON under the SHA-256 of its exact text.
The next command that finds the same text reads that instead; any edit, however small,
changes the hash and the file is checked again in full. Only a valid file is kept, so
a broken one is always reported, with its lines. JSON, not pickle: nothing in a project
folder can run code.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from operator import attrgetter
from pathlib import Path
from typing import Any

from .atomic import atomic_write

CACHE_NAME = "labels-cache.json"


def _fingerprint() -> str:
    """The shape of the classes stored: a release that changes them ignores old caches."""
    from .schema import Entity, Label, Layer

    return "labels as lists;" + ";".join(
        f"{cls.__name__}:{','.join(_names(cls))}" for cls in (Layer, Label, Entity))


def _names(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def _key(text: str) -> str:
    return hashlib.sha256(f"{_fingerprint()}\n{text}".encode()).hexdigest()


def cache_path(labels_path: Path) -> Path:
    return labels_path.parent / ".annotator" / CACHE_NAME


def cached_layers(labels_path: Path, text: str) -> tuple[tuple[Any, ...], int] | None:
    """(layers, version) kept for exactly this text, or None (no cache, another text,
    or a cache that cannot be read: the caller then checks the file)."""
    try:
        data = json.loads(cache_path(labels_path).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("key") != _key(text):
            return None
        return tuple(_layer(item) for item in data["layers"]), int(data["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def keep_layers(labels_path: Path, text: str, layers: tuple[Any, ...], version: int) -> None:
    """Keep a valid file's layers; a folder that cannot be written just goes without."""
    # each label as its class and its values in its fields' order: half the JSON of dicts
    values = {cls: attrgetter(*_names(cls)) for cls in {type(label) for layer in layers
                                                        for label in layer.labels}}
    record = {"key": _key(text), "version": version,
              "layers": [{**{name: getattr(layer, name) for name in _names(type(layer))},
                          "labels": [[type(label).__name__, values[type(label)](label)]
                                     for label in layer.labels]} for layer in layers]}
    try:
        atomic_write(cache_path(labels_path), json.dumps(record, ensure_ascii=False,
                                                         separators=(",", ":")))
    except OSError:
        pass


def _layer(data: dict[str, Any]) -> Any:
    from .schema import Entity, Label, Layer

    classes = {"Label": Label, "Entity": Entity}
    names = {kind: _names(cls) for kind, cls in classes.items()}
    labels = tuple(made_label(classes[kind], dict(zip(names[kind], values, strict=True)))
                   for kind, values in data.pop("labels"))
    return Layer(labels=labels, **data)


def made_label(cls: type, fields: dict[str, Any]) -> Any:
    """A label from every one of its fields, set directly, without the frozen dataclass's
    __init__ (one setattr per field; 100,000 speakers take seconds). From the cache, the
    class was checked when it was written (the key holds the fields' names)."""
    if "aliases" in fields:
        fields["aliases"] = tuple(fields["aliases"])  # JSON has lists where it holds tuples
    made: Any = object.__new__(cls)
    made.__dict__.update(fields)
    return made
