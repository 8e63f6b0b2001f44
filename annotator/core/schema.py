"""labels.yaml -> LabelSchema, validated strictly with file:line for every problem.

Strict because a typo in a label file silently changes what annotators can tag: an
unknown field, a duplicate id or a quick key that shadows navigation is refused, and
every problem is listed at once so the lead fixes the file in one pass.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .actions import reserved_keys
from .errors import Problem, SchemaError
from .yamlio import _Loader, yaml_problem

LAYERS = ("speakers", "claim", "topics")
_LABEL_FIELDS = {"id", "name", "key", "description"}
_SPEAKER_FIELDS = _LABEL_FIELDS | {"aliases", "kind", "imported"}
_TOP_FIELDS = {"version", *LAYERS}
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


@dataclass(frozen=True)
class Label:
    id: str
    name: str
    key: str | None = None
    description: str | None = None
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Speaker(Label):
    aliases: tuple[str, ...] = ()
    kind: str | None = None
    imported: bool = False  # created by an import from another tool; a lead may merge it


def normalise_name(name: str) -> str:
    """Fold case, accents, punctuation and spacing so "Sergey Lavrov" finds "sergey  lavrov"."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    folded = re.sub(r"(?<=\w)['’](?=\w)", "", folded)  # don't -> dont, O'Brien -> obrien
    return " ".join(re.sub(r"[^\w\s]", " ", folded.casefold()).split())


def slugify(text: str, max_len: int = 48) -> str:
    """A readable, filesystem-safe id: lowercase ascii words joined by dashes."""
    words = normalise_name(text).split()
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_len:
            break
        slug = candidate
    return slug or "item"


@dataclass(frozen=True)
class LabelSchema:
    path: Path
    speakers: tuple[Speaker, ...]
    claims: tuple[Label, ...]
    topics: tuple[Label, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {
            "speakers": {s.id: s for s in self.speakers},
            "claim": {c.id: c for c in self.claims},
            "topics": {t.id: t for t in self.topics},
        })
        aliases: dict[str, str] = {}
        for speaker in self.speakers:
            for name in (speaker.id, speaker.name, *speaker.aliases):
                aliases.setdefault(normalise_name(name), speaker.id)
        object.__setattr__(self, "_aliases", aliases)

    def layer(self, layer: str) -> tuple[Label, ...]:
        return {"speakers": self.speakers, "claim": self.claims, "topics": self.topics}[layer]

    def get(self, layer: str, label_id: str) -> Label | None:
        return self._by_id[layer].get(label_id)  # type: ignore[attr-defined]

    def has(self, layer: str, label_id: str) -> bool:
        return label_id in self._by_id[layer]  # type: ignore[attr-defined]

    def display(self, layer: str, label_id: str) -> str:
        label = self.get(layer, label_id)
        return label.name if label else f"{label_id} (unknown)"

    def by_key(self, layer: str, key: str) -> Label | None:
        for label in self.layer(layer):
            if label.key == key:
                return label
        return None

    def resolve_speaker(self, mention: str) -> str | None:
        """The speaker id a name or alias refers to, whatever its case or accents."""
        return self._aliases.get(normalise_name(mention))  # type: ignore[attr-defined]

    def search_speakers(self, query: str) -> list[Speaker]:
        """Speakers whose id, name or an alias contains every word of the query, best first."""
        words = normalise_name(query).split()
        if not words:
            return list(self.speakers)
        scored: list[tuple[int, int, Speaker]] = []
        for order, speaker in enumerate(self.speakers):
            names = [normalise_name(n) for n in (speaker.name, speaker.id, *speaker.aliases)]
            best = None
            for name in names:
                if all(w in name for w in words):
                    rank = 0 if name.startswith(words[0]) else 1
                    best = rank if best is None else min(best, rank)
            if best is not None:
                scored.append((best, order, speaker))
        scored.sort(key=lambda item: (item[0], item[1]))
        return [speaker for _, _, speaker in scored]


def load_schema(path: Path) -> LabelSchema:
    """Read and validate labels.yaml; raise SchemaError listing every problem."""
    if not path.exists():
        raise SchemaError(
            Problem(path, "no labels.yaml here"),
            hint=f"Looked in {path.parent.resolve()}. Start a project with `annotator init DIR`, "
            "or point at one with --project DIR.",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SchemaError(Problem(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
    except OSError as exc:
        raise SchemaError(Problem(path, f"cannot read: {exc.strerror}"))
    return parse_schema(text, path)


def parse_schema(text: str, path: Path) -> LabelSchema:
    try:
        root = yaml.compose(text, Loader=_Loader)  # noqa: S506 - safe loader
    except yaml.YAMLError as exc:
        raise SchemaError(yaml_problem(path, exc))
    unsafe = _unsafe_tag_problems(root, path)
    if unsafe:
        raise SchemaError(unsafe)
    checker = _SchemaChecker(path)
    schema = checker.check(root)
    if checker.problems:
        raise SchemaError(checker.problems)
    assert schema is not None
    return schema


_SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


def _unsafe_tag_problems(root: yaml.Node | None, path: Path) -> list[Problem]:
    """Every node carrying a non-standard tag (!!python/..., !custom), anywhere in the file.

    Nothing is ever constructed from them, but a file that asks for objects is not a label
    file we should quietly accept, even where a field's value is otherwise ignored.
    """
    problems: list[Problem] = []
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:  # anchors and aliases can share (or even nest) nodes
            continue
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


class _SchemaChecker:
    """Walks the YAML node tree (which keeps line numbers) and collects problems."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []
        self._nodes: dict[tuple[str, str], yaml.Node] = {}
        self._key_nodes: dict[str, list[tuple[str, str, yaml.Node]]] = {}
        self._alias_nodes: dict[str, list[tuple[str, str, yaml.Node, str]]] = {}

    def fail(self, node: yaml.Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        col = node.start_mark.column + 1 if node is not None else None
        self.problems.append(Problem(self.path, message, line, col))

    def scalar(self, node: yaml.Node, what: str) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, f"{what} must be a single value")
            return None
        if node.tag not in _SAFE_TAGS:
            self.fail(node, f"{what}: tag {node.tag} is not allowed (plain YAML only)")
            return None
        return yaml.constructor.SafeConstructor().construct_object(node)

    def text(self, node: yaml.Node, what: str) -> str | None:
        value = self.scalar(node, what)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(node, f"{what} must be text")
            return None
        return str(value)

    def check(self, root: yaml.Node | None) -> LabelSchema | None:
        if root is None:
            self.fail(None, "the file is empty; it needs speakers, claim and topics")
            return None
        if not isinstance(root, yaml.MappingNode):
            self.fail(root, "the top level must be a mapping with speakers, claim and topics")
            return None
        layers: dict[str, yaml.Node] = {}
        for key_node, value_node in root.value:
            key = self.text(key_node, "field name")
            if key is None:
                continue
            if key not in _TOP_FIELDS:
                self.fail(key_node, f"unknown field {key!r} (expected: {', '.join(LAYERS)})")
            elif key in layers:
                self.fail(key_node, f"field {key!r} appears twice")
            else:
                layers[key] = value_node
        for layer in LAYERS:
            if layer not in layers:
                self.fail(root, f"missing {layer!r} (an empty list is allowed: `{layer}: []`)")
        labels: dict[str, list[Label]] = {layer: [] for layer in LAYERS}
        for layer in LAYERS:
            node = layers.get(layer)
            if node is None:
                continue
            if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
                continue
            if not isinstance(node, yaml.SequenceNode):
                self.fail(node, f"{layer} must be a list of labels (`- id: ...`)")
                continue
            for item in node.value:
                label = self.label(item, layer)
                if label is not None:
                    labels[layer].append(label)
        self.cross_check(labels)
        return LabelSchema(
            path=self.path,
            speakers=tuple(labels["speakers"]),  # type: ignore[arg-type]
            claims=tuple(labels["claim"]),
            topics=tuple(labels["topics"]),
        )

    def label(self, node: yaml.Node, layer: str) -> Label | None:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"each entry of {layer} must be a mapping with at least id and name")
            return None
        allowed = _SPEAKER_FIELDS if layer == "speakers" else _LABEL_FIELDS
        values: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.text(key_node, "field name")
            if key is None:
                continue
            if key not in allowed:
                self.fail(key_node, f"unknown field {key!r} in {layer} (allowed: "
                          f"{', '.join(sorted(allowed))})")
                continue
            if key == "aliases":
                if not isinstance(value_node, yaml.SequenceNode):
                    self.fail(value_node, "aliases must be a list of names")
                    continue
                values[key] = [(self.text(a, "alias"), a) for a in value_node.value]
            elif key == "imported":
                values[key] = bool(self.scalar(value_node, key))
            else:
                values[key] = (self.text(value_node, key), value_node)
        if "id" not in values or values["id"][0] is None:
            self.fail(node, f"a label in {layer} has no id")
            return None
        label_id, id_node = values["id"]
        if not _ID_RE.match(label_id):
            self.fail(id_node, f"id {label_id!r}: use lowercase letters, digits, '-', '_' or '.'")
        name = values.get("name", (None, None))[0] or label_id
        key_value, key_node = values.get("key", (None, None))
        if key_value is not None and len(key_value) != 1:
            self.fail(key_node, f"key {key_value!r}: a quick key is one character")
        description = values.get("description", (None, None))[0]
        line = node.start_mark.line + 1
        self._nodes[(layer, label_id)] = id_node
        if key_value is not None:
            self._key_nodes.setdefault(key_value, []).append((layer, label_id, key_node))
        if layer == "speakers":
            alias_pairs = [(a, n) for a, n in values.get("aliases", []) if a]
            # Ids and names resolve like aliases do, so they may not collide with one either.
            name_node = values.get("name", (None, id_node))[1]
            spellings = [("id", label_id, id_node), ("name", name, name_node),
                         *(("alias", a, n) for a, n in alias_pairs)]
            for what, alias, alias_node in spellings:
                self._alias_nodes.setdefault(normalise_name(alias), []).append(
                    (label_id, alias, alias_node, what)
                )
            kind = values.get("kind", (None, None))[0]
            return Speaker(label_id, name, key_value, description, line,
                           tuple(a for a, _ in alias_pairs), kind, values.get("imported", False))
        return Label(label_id, name, key_value, description, line)

    def cross_check(self, labels: dict[str, list[Label]]) -> None:
        for layer in LAYERS:
            seen: dict[str, Label] = {}
            for label in labels[layer]:
                if label.id in seen:
                    self.problems.append(Problem(
                        self.path,
                        f"duplicate id {label.id!r} in {layer} (first defined at line "
                        f"{seen[label.id].line})",
                        label.line,
                    ))
                else:
                    seen[label.id] = label
        reserved = reserved_keys()
        for key, owners in self._key_nodes.items():
            if key in reserved:
                layer, label_id, node = owners[0]
                self.fail(node, f"key {key!r} of {layer} {label_id!r} is taken by the "
                          f"{reserved[key].replace('_', ' ')} command; pick another key")
            if len(owners) > 1:
                first = owners[0]
                for layer, label_id, node in owners[1:]:
                    self.fail(node, f"key {key!r} of {layer} {label_id!r} is already used by "
                              f"{first[0]} {first[1]!r} (line {first[2].start_mark.line + 1})")
        for spellings in self._alias_nodes.values():
            speakers = {owner for owner, _, _, _ in spellings}
            if len(speakers) > 1:
                first_owner, _, first_node, first_what = spellings[0]
                for owner, alias, node, what in spellings[1:]:
                    if owner != first_owner:
                        self.fail(node, f"{what} {alias!r} of speaker {owner!r} is also claimed by "
                                  f"{first_owner!r} as its {first_what} (line "
                                  f"{first_node.start_mark.line + 1})")
