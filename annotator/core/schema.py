"""labels.yaml -> LabelSchema, validated strictly with file:line for every problem.

Strict because a typo in a label file silently changes what annotators can tag: an
unknown field, a duplicate id or a quick key that shadows navigation is refused, and
every problem is listed at once so the lead fixes the file in one pass.

The file declares its layers (version 2):

    version: 2
    layers:
      - id: stance          # what annotation files and exports call it
        title: Stance       # what the editor shows
        kind: single        # single (one label or none), multi (any number), entity
        key: S              # opens the layer's picker
        colour: magenta     # its chips in the editor
        labels:
          - {id: for, name: For, key: f}

A version 1 file (top-level `speakers`, `claim`, `topics` lists) still loads: it means
those three layers with their historical keys and colours (see LEGACY_LAYERS in
schema_check.py).
"""

from __future__ import annotations

import functools
import gc
import re
import unicodedata
from collections.abc import Collection, Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, Self

from .errors import Problem, SchemaError
from .schema_cache import cached_layers, keep_layers

if TYPE_CHECKING:
    from .entity_search import EntityIndex

SCHEMA_VERSION = 2
KINDS = ("single", "multi", "entity")
ENTITY_KINDS_HINT = "person or organisation"
# Layer ids become keys in annotation entries and export records: these are taken.
RESERVED_LAYER_IDS = frozenset({
    "index", "start", "end", "hash", "note", "not_content", "agrees_with", "overrules",
    "id", "article", "sentence", "number", "text", "annotator", "spans", "speaker_mentions",
    "version", "layers", "count", "text_sha", "sentences", "split", "title", "labels",
    # top-level keys of `annotator agree --format json`, beside one key per layer id
    "annotators", "units", "files", "excluded", "problems", "unknown_labels",
    "content",  # CONTENT_LAYER below; review's pseudo-layer of not-content ties too
})
# The spans of what a speaker said (brat Content), labelled with the speaker's entity id: the
# layer of no labels.yaml, so never declared (docs/formats.md, "Attribution spans").
CONTENT_LAYER = "content"
# Colours a layer may take (Rich/Textual colour names that read on dark and light themes).
COLOURS = ("cyan", "yellow", "green", "magenta", "blue", "red", "bright_cyan",
           "bright_yellow", "bright_green", "bright_magenta", "bright_blue", "bright_red")


class Label:
    """A label of a layer, read-only by convention. Label, Entity and LabelSchema are plain
    classes and Layer a NamedTuple, not dataclasses: the editor's start path (README,
    Start-up). _fields names every field in order, as a NamedTuple's does (schema_cache.py
    stores them)."""

    _fields: ClassVar[tuple[str, ...]] = ("id", "name", "key", "description", "line")

    def __init__(self, id: str, name: str, key: str | None = None,
                 description: str | None = None, line: int | None = None) -> None:
        self.id = id
        self.name = name
        self.key = key
        self.description = description
        self.line = line  # where labels.yaml declares it: not part of what the label is

    def _compared(self) -> tuple[Any, ...]:
        return self.id, self.name, self.key, self.description

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Label) and type(other) is type(self)
                and self._compared() == other._compared())

    def __hash__(self) -> int:
        return hash(self._compared())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({shown})"

    def _replace(self, **changes: Any) -> Self:
        """A copy with these fields changed (as a NamedTuple's _replace)."""
        return type(self)(**{**self.__dict__, **changes})


class Entity(Label):
    """A label of an entity layer: someone or something named in many ways."""

    _fields = (*Label._fields, "aliases", "kind", "imported", "origin")

    def __init__(self, id: str, name: str, key: str | None = None,
                 description: str | None = None, line: int | None = None,
                 aliases: tuple[str, ...] = (), kind: str | None = None,
                 imported: bool = False, origin: str | None = None) -> None:
        super().__init__(id, name, key, description, line)
        self.aliases = aliases
        self.kind = kind
        self.imported = imported  # created by an import from another tool; a lead may merge it
        # The annotator's speakers file it comes from (None: labels.yaml); see speaker_files.
        # Not part of what the entity is.
        self.origin = origin

    def _compared(self) -> tuple[Any, ...]:
        return *super()._compared(), self.aliases, self.kind, self.imported


Speaker = Entity  # the bundled entity layer's labels; kept as a name for readability


class Layer(NamedTuple):
    """One thing annotators decide per sentence, as labels.yaml declares it (see Label)."""

    id: str
    title: str
    kind: str  # single | multi | entity
    labels: tuple[Label, ...] = ()
    key: str | None = None  # opens the picker
    colour: str = "cyan"
    description: str | None = None
    line: int | None = None  # where labels.yaml declares it

    @property
    def single(self) -> bool:
        return self.kind == "single"

    @property
    def entity(self) -> bool:
        return self.kind == "entity"

    @property
    def noun(self) -> str:
        """The title in running text ("Pick a stance"), lower case."""
        return self.title.lower()


_APOSTROPHE = re.compile(r"(?<=\w)['’](?=\w)")
_PUNCTUATION = re.compile(r"[^\w\s]")
# What _PUNCTUATION turns into spaces, for ASCII text: all but letters, digits, _ and spaces.
_ASCII_PUNCTUATION = str.maketrans({chr(c): " " for c in range(128)
                                    if not (chr(c).isalnum() or chr(c) == "_" or chr(c).isspace())})
# The same as a bytes table (several times faster than str.translate's dict), lower-casing
# too; the separators str.split() knows and bytes.split() does not (\x1c-\x1f) become spaces.
_ASCII_FOLD = bytes(
    ord(" ") if (c in _ASCII_PUNCTUATION or chr(c).isspace()) and c < 128
    else ord(chr(c).lower()) if c < 128 else c for c in range(256))


@functools.cache  # a schema is built again on merge and re-read: same names
def normalise_name(name: str) -> str:
    """Fold case, accents, punctuation and spacing so "Sergey Lavrov" finds "sergey  lavrov"."""
    if name.isascii() and "'" not in name:  # most names: one C pass instead of two regexes
        return b" ".join(name.encode().translate(_ASCII_FOLD).split()).decode()
    folded = name if name.isascii() else (
        unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode())
    folded = _APOSTROPHE.sub("", folded)  # don't -> dont, O'Brien -> obrien
    return " ".join(_PUNCTUATION.sub(" ", folded.casefold()).split())


# _ASCII_FOLD with line breaks kept: fold_names folds many names at once, a line each.
_ASCII_FOLD_LINES = _ASCII_FOLD[:10] + b"\n" + _ASCII_FOLD[11:]


def fold_names(names: Sequence[str]) -> list[str]:
    """normalise_name of each name: the plain ASCII ones (most) folded together in one
    pass over their text, a line each, the others one by one. One by one, the 300,000
    spellings of 100,000 speakers take most of a second; together, a tenth of that."""
    if not names:
        return []
    plain = "\n".join(names)
    if not (plain.isascii() and "'" not in plain and plain.count("\n") == len(names) - 1):
        odd = [number for number, name in enumerate(names)
               if not name.isascii() or "'" in name or "\n" in name]
        rest = list(names)
        for number in odd:
            rest[number] = ""
        folded = fold_names(rest)
        for number in odd:
            folded[number] = normalise_name(names[number])
        return folded
    text = plain.encode().translate(_ASCII_FOLD_LINES)
    while b"  " in text:  # runs of spaces: each pass halves them
        text = text.replace(b"  ", b" ")
    text = text.replace(b" \n", b"\n").replace(b"\n ", b"\n").strip(b" ")
    return text.decode().split("\n")


NO_MATCH = 5


def match_rank(query: str, name: str) -> int:
    """How well a folded query names a folded name: 0 equal, 1 prefix, 2 every query word
    starts a word of the name, 3 every query word inside it, 4 a one-word query of three
    letters or more whose letters a word of the name starting like it holds in order
    ("pmpeo"), NO_MATCH otherwise."""
    if name == query:
        return 0
    if name.startswith(query):
        return 1
    words = query.split()
    name_words = name.split()
    if all(any(part.startswith(word) for part in name_words) for word in words):
        return 2
    if all(word in name for word in words):
        return 3
    if len(words) == 1 and len(query) >= 3:
        for part in name_words:
            if part[:1] != query[:1]:
                continue
            position = 0
            for char in query:
                position = part.find(char, position) + 1
                if not position:
                    break
            else:
                return 4
    return NO_MATCH


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


class LabelSchema:
    """The layers of a labels.yaml (and the entities annotators made), with lookups built
    once. Read-only by convention: commands make a new one rather than change it."""

    def __init__(self, path: Path, layers: tuple[Layer, ...], version: int = SCHEMA_VERSION,
                 merge_problems: tuple[Problem, ...] = (),
                 stamps: tuple[tuple[str, int, int], ...] = ()) -> None:
        self.path = path
        self.layers = layers
        self.version = version  # the version the file was read as
        # Merged in from annotators' speakers files (speaker_files.py): what they hold that
        # cannot be used (reported by validate), and each file's (size, mtime) when read.
        self.merge_problems = merge_problems
        self.stamps = stamps
        self._layers = {layer.id: layer for layer in layers}
        self._by_id = {layer.id: {label.id: label for label in layer.labels} for layer in layers}
        # Built on first use: validate, stats and export never resolve a name.
        self._aliases: dict[str, dict[str, str]] = {}  # layer -> folded spelling -> entity id
        self._indexes: dict[str, EntityIndex] = {}  # layer -> EntityIndex, built on first search

    @property
    def layer_ids(self) -> tuple[str, ...]:
        return tuple(layer.id for layer in self.layers)

    def layer_of(self, layer_id: str) -> Layer | None:
        return self._layers.get(layer_id)

    def kind(self, layer_id: str) -> str | None:
        layer = self.layer_of(layer_id)
        return layer.kind if layer else None

    @property
    def single_layers(self) -> frozenset[str]:
        return frozenset(layer.id for layer in self.layers if layer.single)

    @property
    def entity_layers(self) -> tuple[Layer, ...]:
        return tuple(layer for layer in self.layers if layer.entity)

    def layer(self, layer_id: str) -> tuple[Label, ...]:
        """The labels of a layer, in file order (empty for a layer not declared)."""
        found = self.layer_of(layer_id)
        return found.labels if found else ()

    def get(self, layer: str, label_id: str) -> Label | None:
        return self._by_id.get(layer, {}).get(label_id)

    def label_ids(self, layer: str) -> AbstractSet[str]:
        """The ids of a layer's labels (empty for a layer not declared), as a set."""
        return self._by_id.get(layer, {}).keys()

    def has(self, layer: str, label_id: str) -> bool:
        return label_id in self._by_id.get(layer, ())

    def display(self, layer: str, label_id: str) -> str:
        label = self.get(layer, label_id)
        return label.name if label else f"{label_id} (unknown)"

    def by_key(self, layer: str, key: str) -> Label | None:
        for label in self.layer(layer):
            if label.key == key:
                return label
        return None

    def quick_keys(self) -> dict[str, tuple[Layer, Label]]:
        """Every label quick key, across layers (the validator keeps them unique)."""
        return {label.key: (layer, label) for layer in self.layers for label in layer.labels
                if label.key}

    def resolve(self, layer: str, mention: str) -> str | None:
        """The entity id a name or alias refers to, whatever its case or accents."""
        return self.alias_table(layer).get(normalise_name(mention))

    def alias_table(self, layer: str) -> dict[str, str]:
        """Folded spelling -> entity id for an entity layer (empty for any other): each
        entity's id, name and aliases, the first entity in file order keeping a spelling
        two share."""
        tables = self._aliases
        if layer not in tables:
            found = self.layer_of(layer)
            spellings: list[str] = []
            owners: list[str] = []
            for label in found.labels if found is not None and found.entity else ():
                names = (label.id, label.name, *getattr(label, "aliases", ()))
                spellings += names
                owners += [label.id] * len(names)
            # the last value given a key stays: given from the end, the first entity's
            tables[layer] = dict(zip(reversed(fold_names(spellings)), reversed(owners),
                                     strict=True))
        return tables[layer]

    def search(self, layer: str, query: str, used: Collection[str] = ()) -> list[Label]:
        """Labels matching the query, best first: a name, id or alias equal to it, then
        one starting with it, then one whose words start with the query's words, then one
        containing them (or, from three letters, holding its letters in order). Within a
        rank, labels in `used` (say, speakers already tagged in this article) come first,
        then the closest spelling, then file order."""
        return self.entity_index(layer).search(query, used).labels

    def entity_index(self, layer: str) -> EntityIndex:
        """The layer's spellings folded once, for search (entity_search.py); pickers ask
        it for one page of matches and their count."""
        indexes = self._indexes
        if layer not in indexes:
            from .entity_search import EntityIndex  # it ranks with match_rank, from here

            indexes[layer] = EntityIndex(self.layer(layer))
            self.alias_table(layer)  # a picker resolves what is typed: ready for the first key
        return indexes[layer]


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
    # Hundreds of thousands of objects and not one cycle among them: the garbage collector
    # would walk them all again at every few thousand made (it tripled the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        cached = cached_layers(path, text)  # the same text, checked before: schema_cache.py
        if cached is not None:
            return LabelSchema(path, *cached)
        from .schema_check import parse_schema  # a file not seen before: checked in full

        schema = parse_schema(text, path)
        keep_layers(path, text, schema.layers, schema.version)
        return schema
    finally:
        if collecting:
            gc.enable()


def new_entity_id(schema: LabelSchema, layer: str, name: str) -> str:
    """A readable id no entity of the layer has (labels.yaml or any speakers file)."""
    base = slugify(name, 40)
    candidate, n = base, 2
    while schema.has(layer, candidate):
        candidate, n = f"{base}-{n}", n + 1
    return candidate
