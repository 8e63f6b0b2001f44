"""What `annotator speakers` does: list, merge, rename and promote entities.

The lead's tools for the speakers annotators create (speaker_files.py) and imports bring:
one person named five ways becomes one entity. Every change is planned first (which
definitions change, which annotation files are rewritten), refused as a whole when it
cannot be done (an unknown id, merging a speaker into itself, an editor holding a lock
on a file it must change), and only then written, one file at a time, atomically.
labels.yaml is edited as text (labels_edit.py), so its comments stay.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import atomic_write
from .errors import CorpusError, LockedError, Problem, UsageError
from .labels_edit import (
    add_aliases_text,
    insert_entity_text,
    remove_entity_text,
    rename_entity_text,
)
from .lock import ArticleLock
from .project import Project
from .schema import CONTENT_LAYER, Entity, LabelSchema, Layer
from .schema_check import parse_schema
from .speaker_files import rewrite_speakers, speakers_path
from .tags import SentenceTags


@dataclass
class SpeakerRow:
    entity: Entity
    source: str  # labels.yaml, or "created by <annotator>"
    uses: Counter[str] = field(default_factory=Counter)  # annotator -> sentences


def entity_layer(schema: LabelSchema, layer_id: str | None) -> Layer:
    layers = schema.entity_layers
    if layer_id is not None:
        found = schema.layer_of(layer_id)
        if found is None or not found.entity:
            raise UsageError(f"{layer_id!r} is not an entity layer of labels.yaml (entity "
                             f"layers: {', '.join(layer.id for layer in layers) or 'none'})")
        return found
    if not layers:
        raise UsageError("labels.yaml declares no entity layer")
    return layers[0]


def _annotator_of(origin: str | None) -> str | None:
    return Path(origin).parent.name if origin else None


def list_speakers(project: Project, layer_id: str | None = None) -> tuple[Layer, list[SpeakerRow]]:
    """Every entity of the layer with where it is defined and how often each annotator
    used it (sentences), from the annotation index."""
    schema = project.schema
    layer = entity_layer(schema, layer_id)
    rows = {}
    for label in layer.labels:
        assert isinstance(label, Entity)
        who = _annotator_of(label.origin)
        rows[label.id] = SpeakerRow(label, f"created by {who}" if who else "labels.yaml")
    index = project.index
    for annotator in project.store.annotators():
        for records in index.annotator(annotator).files.values():
            for ids in records.column(layer.id):
                for label_id in ids:
                    row = rows.get(label_id)
                    if row is not None:
                        row.uses[annotator] += 1
        index.release(annotator)
    return layer, list(rows.values())


# --------------------------------------------------------------------------- changes


@dataclass
class Plan:
    """What a merge or rename will change; `files` are annotation files (annotator,
    article id, sentences changed)."""

    layer: str
    labels_text: str | None = None  # labels.yaml's new text, when it changes
    # annotator -> edits of their speakers file: ("drop", id), ("aliases", id, [names]),
    # ("rename", old, new)
    speaker_files: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    files: list[tuple[str, str, int]] = field(default_factory=list)
    describe: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)  # old id -> new id in files


def _find(schema: LabelSchema, layer: Layer, entity_id: str, what: str) -> Entity:
    label = schema.get(layer.id, entity_id)
    if not isinstance(label, Entity):
        raise UsageError(f"{what} {entity_id!r} is not a {layer.noun} entry (see `annotator "
                         "speakers list`); nothing was changed")
    return label


def _locks_in_the_way(project: Project, files: list[tuple[str, str, int]]) -> list[Problem]:
    """Files an editor has open right now (a live lock): changing them under it would be
    overwritten by its next save."""
    problems = []
    for annotator, article_id, _ in files:
        path = project.annotations_dir / annotator / f".{article_id}.lock"
        if not path.exists():
            continue
        lock = ArticleLock(path, annotator)
        holder = lock._read()
        if holder is not None and not lock._stale(holder):
            problems.append(Problem(path, f"{annotator} has {article_id} open in an editor "
                                          f"(pid {holder.get('pid')}); close it first"))
    return problems


def _using_files(project: Project, layer: str, ids: set[str]) -> list[tuple[str, str, int]]:
    found = []
    index = project.index
    for annotator in project.store.annotators():
        for article_id, records in sorted(index.annotator(annotator).files.items()):
            count = sum(1 for labels in records.column(layer) if ids & set(labels))
            count += sum(1 for row in records.rows if any(
                s[0] == layer and s[1] in ids for s in row[5]))
            if count:
                found.append((annotator, article_id, count))
        index.release(annotator)
    return found


def _relabelled(tags: SentenceTags, layer: str, mapping: dict[str, str]) -> SentenceTags:
    """A sentence with speakers renamed or merged: labels, mention spans, and what they
    said (Content spans, layer `content`, labelled with the speaker's id)."""
    ids = tags.get(layer)
    if any(i in mapping for i in ids):
        tags = tags.with_layer(layer, tuple(dict.fromkeys(mapping.get(i, i) for i in ids)))
    named = (layer, CONTENT_LAYER)
    if any(s[0] in named and s[1] in mapping for s in tags.spans):
        tags = tags.with_spans((s[0], mapping.get(s[1], s[1]) if s[0] in named else s[1],
                                s[2], s[3]) for s in tags.spans)
    return tags


def plan_merge(project: Project, keep: str, drops: Sequence[str],
               layer_id: str | None = None) -> Plan:
    """KEEP absorbs each DROP: their names become KEEP's aliases, their definitions go,
    and every annotation file using them says KEEP. UsageError (nothing written) when
    an id is unknown or KEEP is among the DROPs."""
    schema = project.schema
    layer = entity_layer(schema, layer_id)
    if not drops:
        raise UsageError("name at least one speaker to merge into KEEP")
    if keep in drops:
        raise UsageError(f"cannot merge {keep!r} into itself; nothing was changed")
    kept = _find(schema, layer, keep, "KEEP")
    dropped = [_find(schema, layer, d, "DROP") for d in dict.fromkeys(drops)]
    plan = Plan(layer.id)
    known = {s.casefold() for s in (kept.name, *kept.aliases)}
    aliases = []
    for entity in dropped:
        for spelling in (entity.name, *entity.aliases):
            if spelling.casefold() not in known:
                known.add(spelling.casefold())
                aliases.append(spelling)
    labels_text = project.labels_path.read_text(encoding="utf-8")
    changed = labels_text
    for entity in dropped:
        who = _annotator_of(entity.origin)
        if who is None:
            changed = remove_entity_text(changed, layer.id, schema.version, entity.id)
        else:
            plan.speaker_files.setdefault(who, []).append(("drop", entity.id))
    keeper = _annotator_of(kept.origin)
    if keeper is None:
        changed = add_aliases_text(changed, layer.id, schema.version, keep, aliases)
    else:
        plan.speaker_files.setdefault(keeper, []).append(("aliases", keep, aliases))
    if changed != labels_text:
        parse_schema(changed, project.labels_path)  # raises if the edit would break it
        plan.labels_text = changed
    plan.files = _using_files(project, layer.id, {e.id for e in dropped})
    plan.describe = [f"{keep} takes {', '.join(e.id for e in dropped)}"
                     + (f"; new aliases: {', '.join(aliases)}" if aliases else "")]
    plan.mapping = {e.id: keep for e in dropped}
    plan.describe.append(_files_note(plan))
    return plan


def plan_rename(project: Project, old: str, new: str, layer_id: str | None = None) -> Plan:
    """An entity's id changed in its definition and in every annotation file."""
    from .schema_check import _ID_RE

    schema = project.schema
    layer = entity_layer(schema, layer_id)
    entity = _find(schema, layer, old, "speaker")
    if not _ID_RE.match(new):
        raise UsageError(f"{new!r} is not a usable id (lowercase letters, digits, '-', '_', "
                         "'.'); nothing was changed")
    if schema.has(layer.id, new):
        raise UsageError(f"{new!r} is already a {layer.noun} entry: merge instead; nothing "
                         "was changed")
    plan = Plan(layer.id)
    who = _annotator_of(entity.origin)
    if who is None:
        text = project.labels_path.read_text(encoding="utf-8")
        plan.labels_text = rename_entity_text(text, layer.id, schema.version, old, new)
        parse_schema(plan.labels_text, project.labels_path)
    else:
        plan.speaker_files[who] = [("rename", old, new)]
    plan.files = _using_files(project, layer.id, {old})
    plan.mapping = {old: new}
    plan.describe = [f"{old} becomes {new}", _files_note(plan)]
    return plan


def _files_note(plan: Plan) -> str:
    sentences = sum(count for _, _, count in plan.files)
    return (f"{len(plan.files)} annotation file{'s' if len(plan.files) != 1 else ''} "
            f"({sentences} sentence{'s' if sentences != 1 else ''}) to rewrite")


def apply_plan(project: Project, plan: Plan) -> list[str]:
    """Write what the plan says, file by file (each atomically); refused as a whole
    (LockedError, nothing written) while an editor holds a file it must change."""
    problems = _locks_in_the_way(project, plan.files)
    if problems:
        raise LockedError(problems)
    mapping = plan.mapping
    written = []
    for annotator, article_id, _ in plan.files:
        doc = project.store.load(annotator, article_id)
        try:
            article = project.corpus.load(article_id)
        except CorpusError:
            written.append(f"skipped {annotator}/{article_id}.yaml: its article is not in the "
                           "corpus")
            continue
        doc.tags = {i: _relabelled(t, plan.layer, mapping) for i, t in doc.tags.items()}
        if project.store.save(doc, article):
            written.append(str(project.store.path(annotator, article_id)))
        project.index.forget(annotator, article_id)
    for annotator, edits in plan.speaker_files.items():
        rewrite_speakers(speakers_path(project.annotations_dir, annotator),
                         lambda entries, edits=edits: _edit_entries(entries, plan.layer, edits))
        written.append(str(speakers_path(project.annotations_dir, annotator)))
    if plan.labels_text is not None:
        atomic_write(project.labels_path, plan.labels_text)
        written.append(str(project.labels_path))
    project.reload_schema()
    return written


def _edit_entries(entries: dict[str, list[dict[str, Any]]], layer: str,
                  edits: list[tuple[Any, ...]]) -> None:
    items = entries.get(layer, [])
    for edit in edits:
        if edit[0] == "drop":
            items[:] = [i for i in items if not (isinstance(i, dict) and i.get("id") == edit[1])]
        elif edit[0] == "aliases":
            for item in items:
                if isinstance(item, dict) and item.get("id") == edit[1]:
                    item["aliases"] = [*item.get("aliases", []), *edit[2]]
        elif edit[0] == "rename":
            for item in items:
                if isinstance(item, dict) and item.get("id") == edit[1]:
                    item["id"] = edit[2]


def promote(project: Project, annotator: str, ids: Sequence[str] = (),
            layer_id: str | None = None) -> list[str]:
    """Move entities from an annotator's speakers file into labels.yaml (comments kept;
    ids unchanged, so no annotation file changes). All of them when no id is given."""
    schema = project.schema
    layer = entity_layer(schema, layer_id)
    path = speakers_path(project.annotations_dir, annotator)
    mine = [label for label in layer.labels if isinstance(label, Entity)
            and label.origin == str(path)]
    if ids:
        unknown = [i for i in ids if i not in {e.id for e in mine}]
        if unknown:
            raise UsageError(f"{', '.join(unknown)}: not in {path}; nothing was changed")
        mine = [e for e in mine if e.id in ids]
    if not mine:
        return []
    text = project.labels_path.read_text(encoding="utf-8")
    for entity in mine:
        text = insert_entity_text(text, layer.id, schema.version, entity)
    parse_schema(text, project.labels_path)  # raises if the result would be broken
    atomic_write(project.labels_path, text)
    moved = {e.id for e in mine}
    rewrite_speakers(path, lambda entries: _edit_entries(
        entries, layer.id, [("drop", entity_id) for entity_id in moved]))
    project.reload_schema()
    return sorted(moved)
