"""Checking a labels.yaml in full: its YAML nodes (or the fast reader's Entries) walked
field by field, every problem collected with its line.

Only a labels.yaml not seen before needs this (schema.load_schema keeps the layers of a
valid file in a cache, schema_cache.py), so the editor's start does not import it, nor
PyYAML with it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import compress, count, groupby
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import yaml

from .actions import reserved_keys
from .errors import Problem, SchemaError
from .labels_fastread import Entry, read_labels
from .schema import (
    COLOURS,
    KINDS,
    RESERVED_LAYER_IDS,
    SCHEMA_VERSION,
    Entity,
    Label,
    LabelSchema,
    Layer,
    fold_names,
    normalise_name,
)
from .yamlio import checked_yaml


class LegacyLayer(NamedTuple):
    id: str
    title: str
    kind: str
    key: str
    colour: str


# What a version 1 file's three top-level lists mean.
LEGACY_LAYERS = (
    LegacyLayer("speakers", "Speakers", "entity", "s", "cyan"),
    LegacyLayer("claim", "Claim", "single", "c", "yellow"),
    LegacyLayer("topics", "Topics", "multi", "t", "green"),
)


_LABEL_FIELDS = {"id", "name", "key", "description"}
_ENTITY_FIELDS = _LABEL_FIELDS | {"aliases", "kind", "imported"}
_LAYER_FIELDS = {"id", "title", "kind", "key", "colour", "description", "labels"}
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_LAYER_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_STR_TAG = "tag:yaml.org,2002:str"


def parse_schema(text: str, path: Path) -> LabelSchema:
    root = read_labels(text)  # the usual shape, read fast (labels_fastread.py); else YAML
    if root is None:
        root = compose_labels(text, path)
    checker = _SchemaChecker(path)
    schema = checker.check(root)
    if checker.problems:
        raise SchemaError(checker.problems)
    assert schema is not None
    return schema


def compose_labels(text: str, path: Path) -> yaml.Node | None:
    """The node tree of any YAML text, by PyYAML: the reference, with its error messages.
    The fast reader never builds what is refused here (anchors, aliases, tags)."""
    root, problem = checked_yaml(text, path, nodes=True)
    if problem is not None:
        raise SchemaError(problem)
    unsafe = node_problems(root, path)
    if unsafe:
        raise SchemaError(unsafe)
    return root


_SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


def node_problems(root: yaml.Node | None, path: Path) -> list[Problem]:
    """Anchors, aliases and non-standard tags (!!python/..., !custom), anywhere in the file.

    Nothing is ever constructed from them, but a file that asks for objects is not a label
    file we should quietly accept, even where a field's value is otherwise ignored. Data
    files never use anchors, and an alias bomb would expand into gigabytes.
    """
    problems: list[Problem] = []
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:  # an alias: the node was met before
            problems.append(Problem(path, "YAML anchors and aliases (&name, *name) are not "
                                    "allowed: write each value out", node.start_mark.line + 1))
            return problems
        seen.add(id(node))
        tag = node.tag or ""
        if not tag.startswith("tag:yaml.org,2002:") or tag.startswith("tag:yaml.org,2002:python/"):
            problems.append(Problem(
                path, f"tag {tag} is not allowed (plain YAML only; tags like !!python/object "
                "are refused)", node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((value, key))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


Place = tuple[int, int]  # (line, column), 0-based like a yaml.Mark: where an Entry's value is


def _place(at: yaml.Node | Place) -> tuple[int, int]:
    """1-based (line, column) of a node or of a place in an Entry."""
    if isinstance(at, tuple):
        return at[0] + 1, at[1] + 1
    return at.start_mark.line + 1, at.start_mark.column + 1


Where = yaml.Node | Place  # where a value is, for messages


class _Spelled:
    """One entity layer's spellings (ids, names, aliases) in file order, folded, with
    their entities: check_aliases finds two entities claiming one spelling from them.
    Where each is written is only needed for a message, so a run of Entries keeps its
    Entries and works it out when asked (spelling()): a place and a record for each of
    300,000 spellings took nearly half a second."""

    def __init__(self) -> None:
        self.folded: list[str] = []
        self.owners: list[str] = []
        self.written: dict[int, tuple[str, str, Where]] = {}  # (what, spelling, where)
        # (first spelling's number, the Entries, each Entry's first number in the run)
        self.runs: list[tuple[int, list[Entry], list[int]]] = []

    def add(self, owner: str, what: str, spelling: str, where: Where) -> None:
        self.written[len(self.folded)] = (what, spelling, where)
        self.folded.append(normalise_name(spelling))
        self.owners.append(owner)

    def spelling(self, number: int) -> tuple[str, str, Where]:
        """(what, spelling, where) of spelling `number`: id, name or alias, as written."""
        if number in self.written:
            return self.written[number]
        start, entries, firsts = self.runs[bisect_right(self.runs, number,
                                                        key=itemgetter(0)) - 1]
        index = bisect_right(firsts, number - start) - 1
        entry, nth = entries[index], number - start - firsts[index]
        line, column = entry.line, entry.indent + 6
        if nth == 0:
            return "id", entry.id, (line, column)
        if nth == 1:
            return "name", entry.name or entry.id, (line + 1, column + 2)
        at = line + 2 + (entry.kind is not None)
        alias, place = [item for item in zip(entry.aliases or (), entry.alias_columns())
                        if item[0]][nth - 2]
        return "alias", alias, (at, place)


class _SchemaChecker:
    """Walks the YAML node tree (which keeps line numbers) and collects problems."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []
        self._key_nodes: dict[str, list[tuple[str, str, Where]]] = {}
        self._spelled: dict[str, _Spelled] = {}  # entity layer -> its spellings

    def fail(self, node: yaml.Node | Place | None, message: str) -> None:
        line, col = _place(node) if node is not None else (None, None)
        self.problems.append(Problem(self.path, message, line, col))

    def scalar(self, node: yaml.Node, what: str) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, f"{what} must be a single value")
            return None
        if node.tag not in _SAFE_TAGS:
            self.fail(node, f"{what}: tag {node.tag} is not allowed (plain YAML only)")
            return None
        if node.tag == _STR_TAG:  # most values (ids, names, aliases): no constructor needed
            return node.value
        return yaml.constructor.SafeConstructor().construct_object(node)

    def text(self, node: yaml.Node, what: str) -> str | None:
        value = self.scalar(node, what)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(node, f"{what} must be text")
            return None
        return str(value)

    def mapping(self, node: yaml.MappingNode, allowed: set[str], where: str,
                ) -> dict[str, tuple[str, yaml.Node, yaml.Node]]:
        """field -> (name, key node, value node); unknown and repeated fields reported."""
        out: dict[str, tuple[str, yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = self.text(key_node, "field name")
            if key is None:
                continue
            if key not in allowed:
                self.fail(key_node, f"unknown field {key!r} in {where} (allowed: "
                          f"{', '.join(sorted(allowed))})")
            elif key in out:
                self.fail(key_node, f"field {key!r} appears twice in {where}")
            else:
                out[key] = (key, key_node, value_node)
        return out

    def check(self, root: yaml.Node | None) -> LabelSchema | None:
        if root is None:
            self.fail(None, "the file is empty; it needs `layers:` (or speakers, claim and "
                            "topics in a version 1 file)")
            return None
        if not isinstance(root, yaml.MappingNode):
            self.fail(root, "the top level must be a mapping with version and layers")
            return None
        top_keys = {getattr(k, "value", None) for k, _ in root.value}
        if "layers" in top_keys:
            fields = self.mapping(root, {"version", "layers"}, "the top level")
            version = self.version(fields, default=SCHEMA_VERSION)
            layers = self.declared_layers(fields["layers"][2])
        else:
            legacy = {layer.id for layer in LEGACY_LAYERS}
            fields = self.mapping(root, {"version", *legacy}, "a version 1 file (no `layers:`)")
            version = self.version(fields, default=1)
            layers = self.legacy_layers(root, fields)
        self.cross_check(layers)
        return LabelSchema(self.path, tuple(layers), version)

    def version(self, fields: dict[str, tuple[str, yaml.Node, yaml.Node]], default: int) -> int:
        if "version" not in fields:
            return default
        node = fields["version"][2]
        value = self.scalar(node, "version")
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            self.fail(node, f"version {value!r}: a whole number (1 or {SCHEMA_VERSION})")
            return default
        if value > SCHEMA_VERSION:
            self.fail(node, f"version {value} is newer than this annotator understands "
                            f"(it reads up to {SCHEMA_VERSION}); upgrade annotator")
        if value == 1 and default == SCHEMA_VERSION:
            self.fail(node, "version 1 files have no `layers:`; say `version: 2`")
        return value

    def legacy_layers(self, root: yaml.Node,
                      fields: dict[str, tuple[str, yaml.Node, yaml.Node]]) -> list[Layer]:
        layers = []
        for spec in LEGACY_LAYERS:  # their picker keys first: a label key may not shadow one
            if spec.id in fields:
                self._key_nodes.setdefault(spec.key, []).append(
                    ("layer", spec.id, fields[spec.id][1]))
        for spec in LEGACY_LAYERS:
            if spec.id not in fields:
                self.fail(root, f"missing {spec.id!r} (an empty list is allowed: `{spec.id}: []`)")
                continue
            labels = self.labels(fields[spec.id][2], spec.id, spec.kind)
            layers.append(Layer(spec.id, spec.title, spec.kind, tuple(labels), spec.key,
                                spec.colour, line=fields[spec.id][1].start_mark.line + 1))
        return layers

    def declared_layers(self, node: yaml.Node) -> list[Layer]:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, "layers must be a list (`- id: ...`)")
            return []
        if not node.value:
            self.fail(node, "layers is empty: declare at least one layer")
        layers: list[Layer] = []
        for item in node.value:
            if not isinstance(item, yaml.MappingNode):
                self.fail(item, "each layer must be a mapping with id, title, kind and labels")
                continue
            layer = self.layer(item)
            if layer is not None:
                layers.append(layer)
        return layers

    def layer(self, node: yaml.MappingNode) -> Layer | None:
        fields = self.mapping(node, _LAYER_FIELDS, "a layer")
        values = {name: self.text(value, name) for name, (_, _, value) in fields.items()
                  if name != "labels"}
        layer_id = values.get("id")
        if layer_id is None:
            self.fail(node, "a layer has no id")
            return None
        id_node = fields["id"][2]
        if not _LAYER_ID_RE.match(layer_id):
            self.fail(id_node, f"layer id {layer_id!r}: use lowercase letters, digits and '_', "
                               "starting with a letter")
        elif layer_id in RESERVED_LAYER_IDS:
            self.fail(id_node, f"layer id {layer_id!r} is a field name annotation files and "
                               "exports already use; pick another id")
        kind = values.get("kind")
        if kind is None:
            self.fail(node, f"layer {layer_id!r} has no kind (one of: {', '.join(KINDS)})")
            kind = "multi"
        elif kind not in KINDS:
            self.fail(fields["kind"][2], f"layer {layer_id!r}: unknown kind {kind!r} (one of: "
                                         f"{', '.join(KINDS)})")
            kind = "multi"
        key = values.get("key")
        if key is not None:
            if len(key) != 1:
                self.fail(fields["key"][2], f"key {key!r}: a picker key is one character")
            else:
                self._key_nodes.setdefault(key, []).append(("layer", layer_id, fields["key"][2]))
        colour = values.get("colour") or COLOURS[0]
        if colour not in COLOURS:
            self.fail(fields["colour"][2], f"colour {colour!r}: one of {', '.join(COLOURS)}")
        labels: list[Label] = []
        if "labels" in fields:
            labels = self.labels(fields["labels"][2], layer_id, kind)
        return Layer(layer_id, values.get("title") or layer_id.replace("_", " ").title(), kind,
                     tuple(labels), key, colour, values.get("description"),
                     node.start_mark.line + 1)

    def labels(self, node: yaml.Node, layer: str, kind: str) -> list[Label]:
        if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"{layer} labels must be a list (`- id: ...`)")
            return []
        labels: list[Label] = []
        for entries, run in groupby(node.value, key=lambda item: isinstance(item, Entry)):
            if entries and kind == "entity":
                labels.extend(self.entity_entries(list(run), layer))
                continue
            for item in run:
                label = self.label(item, layer, kind)
                if label is not None:
                    labels.append(label)
        return labels

    def label(self, node: yaml.Node | Entry, layer: str, kind: str) -> Label | None:
        if isinstance(node, Entry):
            return self.entry(node, layer, kind)
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"each label of {layer} must be a mapping with at least id and name")
            return None
        allowed = _ENTITY_FIELDS if kind == "entity" else _LABEL_FIELDS
        fields = self.mapping(node, allowed, f"a label of {layer}")
        values: dict[str, Any] = {}
        for name, (_, _, value_node) in fields.items():
            if name == "aliases":
                if not isinstance(value_node, yaml.SequenceNode):
                    self.fail(value_node, "aliases must be a list of names")
                    continue
                values[name] = [(self.text(a, "alias"), a) for a in value_node.value]
            elif name == "imported":
                values[name] = bool(self.scalar(value_node, name))
            else:
                values[name] = (self.text(value_node, name), value_node)
        if "id" not in values or values["id"][0] is None:
            self.fail(node, f"a label in {layer} has no id")
            return None
        none = (None, None)
        (label_id, id_node), (name, name_node) = values["id"], values.get("name", none)
        key, key_node = values.get("key", none)
        return self.label_values(
            node.start_mark.line + 1, layer, kind, label_id, id_node, name, name_node, key,
            key_node, values.get("description", none)[0], values.get("kind", none)[0],
            values.get("aliases", ()), values.get("imported", False))

    def entry(self, entry: Entry, layer: str, kind: str) -> Label | None:
        """A label the fast reader found in its usual lines: fields all text, none twice."""
        if kind == "entity":
            raise AssertionError("entity Entries are read by entity_entries, a run at once")
        line, column = entry.line, entry.indent + 2
        for name, at_line, at_column in entry.fields()[2:]:  # kind, aliases: unknown here
            self.fail((at_line, at_column - len(name) - 2),
                      f"unknown field {name!r} in a label of {layer} (allowed: "
                      f"{', '.join(sorted(_LABEL_FIELDS))})")
        return self.label_values(line + 1, layer, kind, entry.id, (line, column + 4),
                                 entry.name, (line + 1, column + 6))

    def entity_entries(self, entries: list[Entry], layer: str) -> list[Label]:
        """What label_values does for each of a run of entity Entries, in the same order
        (so the same problems, spellings and labels), at a fraction of the cost: every
        spelling is folded in one pass (fold_names)."""
        spelled = self._spelled.setdefault(layer, _Spelled())
        spellings: list[str] = []
        owners: list[str] = []
        firsts: list[int] = []
        labels: list[Label] = []
        for entry in entries:
            label_id = entry.id
            if not _ID_RE.match(label_id):
                self.fail((entry.line, entry.indent + 6), f"id {label_id!r}: use lowercase "
                                                          "letters, digits, '-', '_' or '.'")
            name = entry.name or label_id
            firsts.append(len(spellings))
            aliases: tuple[str, ...] = ()
            if entry.aliases:
                aliases = tuple(filter(None, entry.aliases))
                spellings += (label_id, name, *aliases)
                owners += [label_id] * (2 + len(aliases))
            else:
                spellings += (label_id, name)
                owners += (label_id, label_id)
            labels.append(Entity(label_id, name, None, None, entry.line + 1, aliases,
                                 entry.kind))
        spelled.runs.append((len(spelled.folded), entries, firsts))
        spelled.folded += fold_names(spellings)
        spelled.owners += owners
        return labels

    def label_values(self, line: int, layer: str, kind: str, label_id: str, id_node: Where,
                     name: str | None, name_node: Where | None, key_value: str | None = None,
                     key_node: Where | None = None, description: str | None = None,
                     entity_kind: str | None = None,
                     aliases: Sequence[tuple[str | None, Where]] = (),
                     imported: bool = False) -> Label | None:
        """The checks of one label's fields, each with where it is, and the label they make
        (the same whether the fields come from YAML nodes or from an Entry of a plain
        layer; entity_entries does the same for a run of an entity layer's Entries)."""
        if not _ID_RE.match(label_id):
            self.fail(id_node, f"id {label_id!r}: use lowercase letters, digits, '-', '_' or '.'")
        name = name or label_id
        if key_value is not None and len(key_value) != 1:
            self.fail(key_node, f"key {key_value!r}: a quick key is one character")
        elif key_value is not None and key_node is not None:
            self._key_nodes.setdefault(key_value, []).append((layer, label_id, key_node))
        if kind == "entity":
            alias_pairs = [(alias, at) for alias, at in aliases if alias]
            if name_node is None:
                name_node = id_node
            spelled = self._spelled.setdefault(layer, _Spelled())
            for what, spelling, at in (("id", label_id, id_node), ("name", name, name_node),
                                       *[("alias", a, n) for a, n in alias_pairs]):
                spelled.add(label_id, what, spelling, at)
            return Entity(label_id, name, key_value, description, line,
                          tuple([alias for alias, _ in alias_pairs]), entity_kind, imported)
        return Label(label_id, name, key_value, description, line)

    def cross_check(self, layers: list[Layer]) -> None:
        repeated = {id(layer): first for layer, first in _repeated_ids(layers)}
        for layer in layers:
            if id(layer) in repeated:
                self.problems.append(Problem(
                    self.path, f"duplicate layer id {layer.id!r} (first declared at line "
                               f"{repeated[id(layer)].line})", layer.line))
            # whether any id is there twice, asked of a set first (quick for 100,000)
            if len(set(map(attrgetter("id"), layer.labels))) < len(layer.labels):
                for label, earlier in _repeated_ids(layer.labels):
                    self.problems.append(Problem(
                        self.path, f"duplicate id {label.id!r} in {layer.id} (first "
                                   f"defined at line {earlier.line})", label.line))
            if layer.entity:
                self.check_aliases(layer)
        reserved = reserved_keys()
        for key, owners in self._key_nodes.items():
            if key in reserved:
                what, owner_id, node = owners[0]
                owner = f"layer {owner_id!r}" if what == "layer" else f"{what} {owner_id!r}"
                self.fail(node, f"key {key!r} of {owner} is taken by the "
                          f"{reserved[key].replace('_', ' ')} command; pick another key")
            if len(owners) > 1:
                first = owners[0]
                first_name = (f"layer {first[1]!r}" if first[0] == "layer"
                              else f"{first[0]} {first[1]!r}")
                for what, owner_id, node in owners[1:]:
                    owner = f"layer {owner_id!r}" if what == "layer" else f"{what} {owner_id!r}"
                    self.fail(node, f"key {key!r} of {owner} is already used by {first_name} "
                                    f"(line {_place(first[2])[0]})")

    def check_aliases(self, layer: Layer) -> None:
        """Ids, names and aliases resolve alike, so no two entities may share one."""
        spelled = self._spelled.get(layer.id)
        if spelled is None:
            return
        folded, owners = spelled.folded, spelled.owners
        if len(set(folded)) == len(folded):
            return
        repeated = {spelling for spelling, times in Counter(folded).items() if times > 1}
        first: dict[str, int] = {}  # a repeated spelling -> the number of its first
        claimed = []
        for number in compress(count(), map(repeated.__contains__, folded)):
            earlier = first.setdefault(folded[number], number)
            # an entity may spell itself twice ("Pompeo", "pompeo"): only another is wrong
            if owners[number] != owners[earlier]:
                claimed.append(number)
        # grouped by spelling, in the order spellings first appear (a stable sort)
        for number in sorted(claimed, key=lambda number: first[folded[number]]):
            earlier = first[folded[number]]
            what, spelling, node = spelled.spelling(number)
            first_what, _, first_node = spelled.spelling(earlier)
            self.fail(node, f"{what} {spelling!r} of {owners[number]!r} is also claimed by "
                            f"{owners[earlier]!r} as its {first_what} (line "
                            f"{_place(first_node)[0]})")


_WithId = TypeVar("_WithId", Layer, Label)


def _repeated_ids(items: Iterable[_WithId]) -> Iterator[tuple[_WithId, _WithId]]:
    """Each item whose id an earlier one has, with that first one."""
    seen: dict[str, _WithId] = {}
    for item in items:
        first = seen.setdefault(item.id, item)
        if first is not item:
            yield item, first
