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

import hashlib
import json
from operator import attrgetter
from pathlib import Path
from typing import Any

from .atomic import atomic_write

CACHE_NAME = "labels-cache.json"
_HEAD = '{"key":"'  # how a kept record starts: its key comes first


def _fingerprint() -> str:
    """The shape of the classes stored: a release that changes them ignores old caches."""
    from .schema import Entity, Label, Layer

    return "labels as columns;" + ";".join(
        f"{cls.__name__}:{','.join(_names(cls))}" for cls in (Layer, Label, Entity))


def _names(cls: Any) -> list[str]:
    """Field names in order (Layer is a NamedTuple; Label and Entity name theirs the same way)."""
    return list(cls._fields)


def _key(text: str) -> str:
    return hashlib.sha256(f"{_fingerprint()}\n{text}".encode()).hexdigest()


def cache_path(labels_path: Path) -> Path:
    return labels_path.parent / ".annotator" / CACHE_NAME


def cached_layers(labels_path: Path, text: str) -> tuple[tuple[Any, ...], int] | None:
    """(layers, version) kept for exactly this text, or None (no cache, another text,
    or a cache that cannot be read: the caller then checks the file)."""
    key = _key(text)
    try:
        with cache_path(labels_path).open("rb") as kept:
            # keep_layers writes the key first: a cache of another text (the file was just
            # edited) is known by its first bytes, without reading megabytes of JSON
            head = kept.read(len(_HEAD) + len(key))
            if head != (_HEAD + key).encode():
                return None
            data = json.loads(head + kept.read())
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        return tuple(_layer(item) for item in data["layers"]), int(data["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def keep_layers(labels_path: Path, text: str, layers: tuple[Any, ...], version: int) -> None:
    """Keep a valid file's layers; a folder that cannot be written just goes without."""
    from .schema import Label

    # A layer's labels as one list per field (all of one class): a third less JSON than a
    # list per label, and read back with one call per label.
    kept = []
    for layer in layers:
        classes = {type(label) for label in layer.labels}
        if len(classes) > 1:
            return  # never made by the checker; the file is then just checked each time
        cls = classes.pop() if classes else Label
        kept.append({**{name: getattr(layer, name) for name in _names(type(layer))},
                     "labels": [cls.__name__, [list(map(attrgetter(name), layer.labels))
                                               for name in _names(cls)]]})
    record = {"key": _key(text), "version": version, "layers": kept}
    data = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    assert data.startswith(_HEAD), "cached_layers reads the key first"
    try:
        atomic_write(cache_path(labels_path), data)
    except OSError:
        pass


def _layer(data: dict[str, Any]) -> Any:
    from .schema import Entity, Label, Layer

    kind, columns = data.pop("labels")
    cls = {"Label": Label, "Entity": Entity}[kind]
    names = _names(cls)
    if len(columns) != len(names) or len({len(column) for column in columns}) > 1:
        raise ValueError("a cache of another shape")
    if "aliases" in names:  # JSON has lists where labels hold tuples
        at = names.index("aliases")
        columns[at] = list(map(tuple, columns[at]))
    # _fields is the order of the classes' parameters: a column per parameter
    return Layer(labels=tuple(map(cls, *columns)), **data)
