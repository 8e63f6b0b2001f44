"""Add an entity to labels.yaml without disturbing anything else in the file.

The lead's comments, order and formatting are theirs: rather than re-emitting the whole
file (which loses comments with PyYAML and reformats with round-trip libraries), we
insert the new entry as text right after the layer's last entity, then re-validate the result
before writing it atomically.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from .atomic import atomic_write
from .errors import Problem, SchemaError
from .schema import Entity, LabelSchema, new_entity_id
from .schema_check import parse_schema
from .yamlio import _Loader


def add_entity(
    path: Path, schema: LabelSchema, layer: str, name: str, *, kind: str | None = None,
    aliases: tuple[str, ...] = (), imported: bool = False,
) -> tuple[LabelSchema, Entity]:
    """Append an entity to an entity layer; returns the reloaded schema and the entity."""
    declared = schema.layer_of(layer)
    if declared is None or not declared.entity:
        raise SchemaError(Problem(path, f"{layer!r} is not an entity layer of this file"))
    name = " ".join(name.split())
    if not name:
        raise SchemaError(Problem(path, f"a new {declared.noun} entry needs a name"))
    existing = schema.resolve(layer, name)
    if existing:
        raise SchemaError(Problem(path, f"{name!r} is already {layer} {existing!r}"))
    entity_id = new_entity_id(schema, layer, name)
    text = path.read_text(encoding="utf-8")
    new_text = _insert_entity(text, layer, schema.version, entity_id, name, kind, aliases,
                              imported)
    new_schema = parse_schema(new_text, path)  # raises if we would break the file
    atomic_write(path, new_text)
    entity = new_schema.get(layer, entity_id)
    assert isinstance(entity, Entity)
    return new_schema, entity


def _labels_node(root: yaml.Node | None, layer: str,
                 version: int) -> tuple[yaml.Node | None, yaml.Node | None]:
    """(key node, value node) of the layer's label list: top level in a version 1 file,
    `labels:` of the declared layer in version 2."""
    if not isinstance(root, yaml.MappingNode):
        return None, None
    if version < 2:
        for key, value in root.value:
            if getattr(key, "value", None) == layer:
                return key, value
        return None, None
    for key, value in root.value:
        if getattr(key, "value", None) == "layers" and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                if not isinstance(item, yaml.MappingNode):
                    continue
                fields = {getattr(k, "value", None): (k, v) for k, v in item.value}
                if getattr(fields.get("id", (None, None))[1], "value", None) == layer:
                    return fields.get("labels", (None, None))
    return None, None


def _insert_entity(text: str, layer: str, version: int, entity_id: str, name: str,
                   kind: str | None, aliases: tuple[str, ...], imported: bool) -> str:
    root = yaml.compose(text, Loader=_Loader)  # noqa: S506 - safe loader
    key_node, entries = _labels_node(root, layer, version)
    fields = [f"id: {entity_id}", f"name: {json.dumps(name, ensure_ascii=False)}"]
    if kind:
        fields.append(f"kind: {kind}")
    if aliases:
        fields.append("aliases: [" + ", ".join(json.dumps(a, ensure_ascii=False)
                                              for a in aliases) + "]")
    if imported:
        fields.append("imported: true")
    if (
        isinstance(entries, yaml.SequenceNode)
        and entries.value
        and not entries.flow_style
        and isinstance(entries.value[-1], yaml.MappingNode)
    ):
        last = entries.value[-1]
        column = last.start_mark.column
        dash = " " * max(column - 2, 0) + "- "
        pad = " " * column
        block = dash + f"\n{pad}".join(fields)
        # The last value's end mark sits right after it (a mapping's own end mark would be
        # past any trailing comments and blank lines, which belong to what follows).
        value_end = last.value[-1][1].end_mark.index if last.value else last.end_mark.index
        insert_at = (value_end - 1 if value_end and text[value_end - 1] == "\n"  # block scalar
                     else text.find("\n", value_end))
        if insert_at == -1:
            return text + "\n" + block + "\n"
        return text[:insert_at] + "\n" + block + text[insert_at:]
    col = key_node.start_mark.column if key_node is not None else 0
    block = " " * (col + 2) + "- " + ("\n" + " " * (col + 4)).join(fields)
    if isinstance(entries, yaml.SequenceNode) and entries.value and entries.flow_style:
        # A non-empty inline list: add one more inline entry before the closing bracket.
        close = entries.end_mark.index - 1
        before = text[:close].rstrip()
        separator = " " if before.endswith(",") else ", "
        return before + separator + "{" + ", ".join(fields) + "}" + text[close:]
    if key_node is not None and entries is not None:
        # Empty list or no value: replace the value with a block list holding the new entry.
        start, end = entries.start_mark.index, entries.end_mark.index
        if isinstance(entries, yaml.ScalarNode) and entries.value == "":
            # `<layer>:` or `labels:` (perhaps with a comment): keep the line, the list goes below it.
            line_end = text.find("\n", key_node.end_mark.index)
            start = end = len(text) if line_end == -1 else line_end
        return text[:start].rstrip(" ") + "\n" + block + text[end:]
    if version < 2:
        return text.rstrip("\n") + f"\n{layer}:\n" + block + "\n"
    raise SchemaError(Problem("labels.yaml", f"layer {layer!r} has no `labels:` list to add to; "
                                             "add `labels: []` to it"))


# ----- changing an entity already in the file (annotator speakers merge/rename/promote) -----
def _entity_node(root: yaml.Node | None, layer: str, version: int,
                 entity_id: str) -> tuple[yaml.SequenceNode, yaml.MappingNode]:
    _key, entries = _labels_node(root, layer, version)
    if isinstance(entries, yaml.SequenceNode):
        for item in entries.value:
            if isinstance(item, yaml.MappingNode) and any(
                    getattr(k, "value", None) == "id" and getattr(v, "value", None) == entity_id
                    for k, v in item.value):
                return entries, item
    raise SchemaError(Problem("labels.yaml", f"{layer} {entity_id!r} is not in this file"))


def _field(item: yaml.MappingNode, name: str) -> tuple[yaml.Node, yaml.Node] | None:
    for key, value in item.value:
        if getattr(key, "value", None) == name:
            return key, value
    return None


def _line_end(text: str, index: int) -> int:
    """Just past the line break ending the line `index` is on (or the end of the text)."""
    found = text.find("\n", index)
    return len(text) if found == -1 else found + 1


def add_aliases_text(text: str, layer: str, version: int, entity_id: str,
                     aliases: list[str]) -> str:
    """The file with `aliases` added to an entity, everything else byte for byte."""
    if not aliases:
        return text
    root = yaml.compose(text, Loader=_Loader)  # noqa: S506 - safe loader
    _entries, item = _entity_node(root, layer, version, entity_id)
    quoted = [json.dumps(a, ensure_ascii=False) for a in aliases]
    found = _field(item, "aliases")
    if found is not None and isinstance(found[1], yaml.SequenceNode):
        seq = found[1]
        if seq.flow_style or not seq.value:
            close = seq.end_mark.index - 1
            if text[close] != "]":
                raise SchemaError(Problem("labels.yaml", f"cannot add aliases to {entity_id!r}"))
            before = text[:close].rstrip()
            joined = ", ".join(quoted)
            return (before + ("" if before.endswith("[") else ", ") + joined + text[close:])
        last = seq.value[-1]
        dash = " " * max(last.start_mark.column - 2, 0) + "- "
        at = _line_end(text, last.end_mark.index - 1)
        return text[:at] + "".join(f"{dash}{q}\n" for q in quoted) + text[at:]
    if found is not None:
        raise SchemaError(Problem("labels.yaml", f"aliases of {entity_id!r} are not a list"))
    line = "aliases: [" + ", ".join(quoted) + "]"
    if item.flow_style:
        close = item.end_mark.index - 1
        return text[:close].rstrip() + ", " + line + text[close:]
    column = item.value[0][0].start_mark.column
    value_end = item.value[-1][1].end_mark.index
    at = (value_end - 1 if value_end and text[value_end - 1] == "\n"
          else text.find("\n", value_end))
    if at == -1:
        return text + "\n" + " " * column + line + "\n"
    return text[:at] + "\n" + " " * column + line + text[at:]


def remove_entity_text(text: str, layer: str, version: int, entity_id: str) -> str:
    """The file without one entity's entry (its lines), everything else byte for byte."""
    root = yaml.compose(text, Loader=_Loader)  # noqa: S506 - safe loader
    entries, item = _entity_node(root, layer, version, entity_id)
    if entries.flow_style:
        raise SchemaError(Problem("labels.yaml", f"{layer} is an inline list: remove "
                                  f"{entity_id!r} by hand"))
    start = text.rfind("\n", 0, item.start_mark.index) + 1  # the line of its `- `
    value_end = item.value[-1][1].end_mark.index if item.value else item.end_mark.index
    end = value_end if value_end and text[value_end - 1] == "\n" else _line_end(text, value_end)
    return text[:start] + text[end:]


def rename_entity_text(text: str, layer: str, version: int, entity_id: str, new_id: str) -> str:
    """The file with one entity's id changed."""
    root = yaml.compose(text, Loader=_Loader)  # noqa: S506 - safe loader
    _entries, item = _entity_node(root, layer, version, entity_id)
    found = _field(item, "id")
    assert found is not None
    node = found[1]
    return text[:node.start_mark.index] + new_id + text[node.end_mark.index:]


def insert_entity_text(text: str, layer: str, version: int, entity: Entity) -> str:
    """The file with an entity appended to its layer (promote: ids kept as they are)."""
    return _insert_entity(text, layer, version, entity.id, entity.name, entity.kind,
                          entity.aliases, entity.imported)
