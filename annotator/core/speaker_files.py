"""Speakers created while annotating: one file per annotator, merged with labels.yaml.

labels.yaml is the lead's file and shared by everyone, so nobody's editor appends to it:
two editors adding a speaker at the same moment would lose one, and two annotators on two
machines would conflict in git. A speaker created in the editor goes to the annotator's
own `annotations/<annotator>/_speakers.yaml` instead (files starting with `_` are not
articles); the schema every command reads is labels.yaml plus every such file, so review
and agreement see everyone's speakers. `annotator speakers promote` moves them into
labels.yaml.

The file is small and only ever written by this module, whole and canonical (so adding a
speaker and removing it again gives back the same bytes): re-read under a lock, changed,
written atomically.

```yaml
version: 1
speakers:            # an entity layer of labels.yaml
- id: jane-doe
  name: Jane Doe
  kind: person
  aliases: [Doe, Ms Doe]
```
"""

from __future__ import annotations

import copy
import fcntl
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from .atomic import atomic_write
from .errors import Problem, SchemaError
from .schema import (
    Entity,
    Label,
    LabelSchema,
    Layer,
    load_schema,
    new_entity_id,
    normalise_name,
)

SPEAKERS_FILE = "_speakers.yaml"
FILE_VERSION = 1
ENTITY_KINDS = ("person", "organisation", "group", "other")
_LOCK = ".speakers.lock"


class SpeakerFile(NamedTuple):
    """One annotator's created entities: layer id -> entities, in file order.
    (Not a dataclass: the editor's start path; README, Start-up.)"""

    path: Path
    layers: dict[str, list[Entity]]
    problems: list[Problem]


def speakers_path(annotations_dir: Path, annotator: str) -> Path:
    return annotations_dir / annotator / SPEAKERS_FILE


def speaker_files(annotations_dir: Path) -> list[Path]:
    """Every annotator's speakers file, in annotator order."""
    try:
        with os.scandir(annotations_dir) as listing:
            folders = sorted(item.name for item in listing
                             if item.is_dir() and not item.name.startswith("."))
    except OSError:
        return []
    return [path for name in folders
            if (path := annotations_dir / name / SPEAKERS_FILE).is_file()]


def read_speaker_file(path: Path, base: LabelSchema) -> SpeakerFile:
    """Entities a speakers file holds, checked as labels.yaml checks entities (same
    fields, same messages with file:line); problems are collected, not raised."""
    found = SpeakerFile(path, {}, [])
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return found
    except (OSError, UnicodeDecodeError) as exc:
        found.problems.append(Problem(path, f"cannot read: {exc}"))
        return found
    # Here and below, YAML loads only where a speakers file exists: not at the editor's start.
    import yaml

    from .schema_check import _SchemaChecker, node_problems
    from .yamlio import checked_yaml

    root, problem = checked_yaml(text, path, nodes=True)
    if problem is not None:
        found.problems.append(problem)
        return found
    unsafe = node_problems(root, path)
    if unsafe:
        found.problems.extend(unsafe)
        return found
    if root is None:
        return found
    if not isinstance(root, yaml.MappingNode):
        found.problems.append(Problem(path, "expected `version: 1` and one list per entity "
                                            "layer", root.start_mark.line + 1))
        return found
    checker = _SchemaChecker(path)
    for key_node, value_node in root.value:
        key = getattr(key_node, "value", None)
        if key == "version":
            if getattr(value_node, "value", None) != str(FILE_VERSION):
                checker.fail(value_node, f"version {getattr(value_node, 'value', None)!r}: "
                                         f"this annotator reads version {FILE_VERSION}")
            continue
        layer = base.layer_of(key) if isinstance(key, str) else None
        if layer is None or not layer.entity:
            entity_ids = ", ".join(layer.id for layer in base.entity_layers) or "none"
            checker.fail(key_node, f"{key!r} is not an entity layer of {base.path.name} "
                                   f"(entity layers: {entity_ids})")
            continue
        labels = checker.labels(value_node, layer.id, "entity")
        found.layers[layer.id] = [label._replace(origin=str(path)) for label in labels
                                  if isinstance(label, Entity)]
    for layer in base.entity_layers:  # ids twice, a spelling claimed twice, in this file
        if layer.id in found.layers:
            checker.cross_check([Layer(layer.id, layer.title, "entity",
                                       tuple(found.layers[layer.id]))])
    found.problems.extend(checker.problems)
    return found


def merge(base: LabelSchema, files: Sequence[SpeakerFile],
          stamps: tuple[tuple[str, int, int], ...] = ()) -> LabelSchema:
    """labels.yaml's schema with every file's entities added to their layers.

    An id already known (labels.yaml, or an earlier file: two annotators who created the
    same name) is the same entity: it gains the file's aliases. A spelling two different
    entities claim is reported with both places; the first keeps it when resolving."""
    problems: list[Problem] = [p for f in files for p in f.problems]
    if not problems and not any(f.layers.get(layer.id) for f in files for layer in base.layers):
        # Nothing to add: keep base's lookup tables (rebuilding them for 100,000 speakers
        # costs about 0.4 s) and only record when the files were read.
        unchanged = copy.copy(base)
        unchanged.stamps = stamps
        return unchanged
    layers = []
    for layer in base.layers:
        if not layer.entity or not any(layer.id in f.layers for f in files):
            layers.append(layer)
            continue
        labels: dict[str, Label] = {label.id: label for label in layer.labels}
        # folded spelling -> its first owner: labels.yaml's (base's name table, built once
        # for 100,000 speakers), then those the files add, with their spelling as written
        claimed = base.alias_table(layer.id)
        owners: dict[str, tuple[str, Entity | Label, str]] = {}
        for f in files:
            for entity in f.layers.get(layer.id, ()):
                known = labels.get(entity.id)
                fresh = [a for a in (entity.name, *entity.aliases)
                         if not isinstance(known, Entity)
                         or normalise_name(a) not in map(normalise_name, _spellings(known))]
                for spelling in (entity.id, entity.name, *entity.aliases):
                    folded = normalise_name(spelling)
                    owner = owners.get(folded) or _owner_in(base, layer, claimed, folded)
                    if owner is not None and owner[0] != entity.id:
                        problems.append(_claimed_twice(layer, entity, spelling, owner, base))
                    elif owner is None:
                        owners[folded] = (entity.id, entity, spelling)
                if isinstance(known, Entity):
                    if fresh:
                        labels[entity.id] = known._replace(aliases=(*known.aliases, *fresh))
                elif known is None:
                    labels[entity.id] = entity
        layers.append(layer._replace(labels=tuple(labels.values())))
    return LabelSchema(base.path, tuple(layers), base.version,
                       merge_problems=tuple(problems), stamps=stamps)


def _spellings(label: Label) -> tuple[str, ...]:
    return (label.id, label.name, *getattr(label, "aliases", ()))


def _owner_in(base: LabelSchema, layer: Layer, claimed: dict[str, str],
              folded: str) -> tuple[str, Entity | Label, str] | None:
    """The labels.yaml entity a folded spelling is first written by, and how."""
    owner_id = claimed.get(folded)
    if owner_id is None:
        return None
    label = base.get(layer.id, owner_id)
    if label is None:
        return None
    spelling = next(s for s in _spellings(label) if normalise_name(s) == folded)
    return owner_id, label, spelling


def _claimed_twice(layer: Layer, entity: Entity, spelling: str,
                   owner: tuple[str, Entity | Label, str], base: LabelSchema) -> Problem:
    owner_id, owner_label, owner_spelling = owner
    where = getattr(owner_label, "origin", None) or str(base.path)
    return Problem(entity.origin or "", f"{layer.id}: {spelling!r} of {entity.id!r} is also "
                   f"claimed by {owner_id!r} ({where}:{owner_label.line}, as "
                   f"{owner_spelling!r}); merge them with `annotator speakers merge`",
                   entity.line)


def load_project_schema(labels_path: Path, annotations_dir: Path) -> LabelSchema:
    """labels.yaml (SchemaError when it is wrong) merged with every speakers file."""
    paths = speaker_files(annotations_dir)
    stamps = _stamps([labels_path, *paths])  # before reading: a change meanwhile is seen
    base = load_schema(labels_path)
    files = [read_speaker_file(path, base) for path in paths] if base.entity_layers else []
    return merge(base, files, stamps)


def _stamps(paths: Sequence[Path]) -> tuple[tuple[str, int, int], ...]:
    found = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        found.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def stale(schema: LabelSchema, labels_path: Path, annotations_dir: Path) -> bool:
    """Whether labels.yaml or a speakers file changed since `schema` was read (a few
    stat calls: the editor asks before each speaker picker opens)."""
    return _stamps([labels_path, *speaker_files(annotations_dir)]) != schema.stamps


# --------------------------------------------------------------------------- writing


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One writer at a time per annotator folder (two editors of one annotator)."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / _LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _raw_entries(path: Path) -> dict[str, list[dict[str, Any]]]:
    """The file as plain data (re-read just before each write); refused when broken."""
    if not path.is_file():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(Problem(path, f"cannot read: {exc}; nothing was changed"))
    from .yamlio import checked_yaml

    data, problem = checked_yaml(text, path)
    if problem is not None:
        raise SchemaError(problem)
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(
            isinstance(v, list) for k, v in data.items() if k != "version"):
        raise SchemaError(Problem(path, "not a speakers file (version and one list per "
                                        "layer); fix it by hand, nothing was changed"))
    return {k: v for k, v in data.items() if k != "version"}


def _text(entries: dict[str, list[dict[str, Any]]]) -> str:
    from .yamlio import FlowList, dump_yaml

    data: dict[str, Any] = {"version": FILE_VERSION}
    for layer, items in entries.items():
        if items:
            data[layer] = [{k: FlowList(v) if k == "aliases" else v for k, v in item.items()}
                           for item in items]
    return dump_yaml(data)


def entity_entry(entity_id: str, name: str, kind: str | None = None,
                 aliases: Sequence[str] = (), imported: bool = False) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": entity_id, "name": name}
    if kind:
        entry["kind"] = kind
    if aliases:
        entry["aliases"] = list(aliases)
    if imported:
        entry["imported"] = True
    return entry


def rewrite_speakers(path: Path, change: Any) -> bool:
    """Re-read the file under the folder's lock, let `change(entries)` edit the plain
    data in place, write it back atomically (removed when nothing is left). Returns
    whether the file changed."""
    with _locked(path.parent):
        entries = _raw_entries(path)
        before = _text(entries) if entries else None
        change(entries)
        after = _text(entries) if any(entries.values()) else None
        if after == before:
            return False
        if after is None:
            path.unlink(missing_ok=True)
        else:
            atomic_write(path, after)
        return True


def check_new_entity(schema: LabelSchema, layer: str, name: str, kind: str | None,
                     aliases: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """The cleaned name and aliases of a new entity; SchemaError when it cannot be made
    (not an entity layer, no name, an unknown kind, a spelling another entity has)."""
    declared = schema.layer_of(layer)
    if declared is None or not declared.entity:
        raise SchemaError(Problem(schema.path, f"{layer!r} is not an entity layer"))
    name = " ".join(name.split())
    if not name:
        raise SchemaError(Problem(schema.path, f"a new {declared.noun} entry needs a name"))
    if kind is not None and kind not in ENTITY_KINDS:
        raise SchemaError(Problem(schema.path, f"kind {kind!r}: one of "
                                               f"{', '.join(ENTITY_KINDS)}"))
    cleaned = tuple(dict.fromkeys(a for a in (" ".join(a.split()) for a in aliases)
                                  if a and normalise_name(a) != normalise_name(name)))
    for spelling in (name, *cleaned):
        existing = schema.resolve(layer, spelling)
        if existing:
            raise SchemaError(Problem(schema.path, f"{spelling!r} is already "
                                                   f"{schema.display(layer, existing)} "
                                                   f"({existing}); nothing was added"))
    return name, cleaned


def add_speaker(annotations_dir: Path, annotator: str, schema: LabelSchema, layer: str,
                name: str, kind: str | None = None, aliases: Sequence[str] = (),
                imported: bool = False) -> Entity:
    """Create an entity in the annotator's speakers file; returns it (reload the schema)."""
    name, cleaned = check_new_entity(schema, layer, name, kind, aliases)
    entity_id = new_entity_id(schema, layer, name)
    path = speakers_path(annotations_dir, annotator)

    def add(entries: dict[str, list[dict[str, Any]]]) -> None:
        # Another editor of this annotator may have written since `schema` was read.
        nonlocal entity_id
        items = entries.setdefault(layer, [])
        for item in items:
            if isinstance(item, dict) and normalise_name(str(item.get("name"))) == \
                    normalise_name(name):
                entity_id = str(item.get("id"))  # the same name just created there: reuse
                return
        taken = {str(item.get("id")) for item in items if isinstance(item, dict)}
        base, n = entity_id, 2
        while entity_id in taken:
            entity_id, n = f"{base}-{n}", n + 1
        items.append(entity_entry(entity_id, name, kind, cleaned, imported))

    rewrite_speakers(path, add)
    return Entity(entity_id, name, aliases=cleaned, kind=kind, imported=imported,
                  origin=str(path))


def remove_speaker(annotations_dir: Path, annotator: str, layer: str, entity_id: str) -> bool:
    """Take an entity out of the annotator's speakers file (undo of add_speaker)."""
    def drop(entries: dict[str, list[dict[str, Any]]]) -> None:
        items = entries.get(layer, [])
        items[:] = [item for item in items
                    if not (isinstance(item, dict) and item.get("id") == entity_id)]
    return rewrite_speakers(speakers_path(annotations_dir, annotator), drop)


def restore_speaker(annotations_dir: Path, annotator: str, layer: str, entity: Entity) -> bool:
    """Put an entity back (redo of add_speaker), unless the file has it already."""
    entry = entity_entry(entity.id, entity.name, entity.kind, entity.aliases, entity.imported)

    def add(entries: dict[str, list[dict[str, Any]]]) -> None:
        items = entries.setdefault(layer, [])
        if not any(isinstance(item, dict) and item.get("id") == entity.id for item in items):
            items.append(entry)
    return rewrite_speakers(speakers_path(annotations_dir, annotator), add)
