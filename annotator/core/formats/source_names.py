"""Who a labelled Source span names, for the imports that read span text (doccano, Label
Studio): the span's words are resolved with core/entity_resolve.py, as brat Sources are.

A span whose label names an entity layer ("Source", "Speaker", "speakers") says "these
words name who speaks"; the words, not the label, decide the entity. Resolution runs in
article order within each article; entities new to labels.yaml are created (marked
`imported: true`) only when the import writes, and listed, with the descriptions that
should be merged; the ways the text named a known entity become its aliases.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from ..atomic import atomic_write
from ..entity_resolve import Resolution, SourceResolver
from ..labels_edit import add_aliases_text, add_entity
from ..project import Project
from ..schema import Layer, normalise_name
from ..schema_check import parse_schema

NEW = "\x00new:"  # an entity to create, until it has an id (no .ann attribute can hold \0)


class ResolutionBook(Protocol):
    """Where an import keeps what resolving its Sources found (brat's FilePlan, SourceNames)."""

    new_entities: dict[str, str]
    mentions: Counter[str]
    resolved: Counter[str]
    aliases: dict[str, list[str]]
    messages: list[str]


def note_resolution(book: ResolutionBook, found: Resolution | None, shown: str, layer: Layer,
                    unplaced: str, kinds: dict[str, str] | None = None) -> str | None:
    """The entity `found` names (an id, or NEW + key for one to create), noting in `book`
    what was inferred, what is only a description, and the variants for aliases. `shown`
    names the span in messages; `unplaced` says what a pronoun with nobody before it
    leaves ("left", "its content is left")."""
    if found is None:
        book.messages.append(f"{shown}: a pronoun with no fitting source before it; "
                             f"{unplaced} without {layer.noun}")
        return None
    if found.inferred:
        book.messages.append(f"{shown} → {found.name} (inferred: the nearest source "
                             "before it)")
    elif found.how == "description" and found.key not in book.mentions:
        book.messages.append(f"{shown} is a description, not a name: kept as its own "
                             f"{layer.noun}; merge it with `annotator speakers merge` "
                             "if it is someone known")
    if found.entity is not None:
        book.resolved[found.entity] += 1
        entity = found.entity
    else:
        book.new_entities.setdefault(found.key, found.name)
        if kinds is not None and found.kind:
            kinds.setdefault(found.key, found.kind)
        book.mentions[found.key] += 1
        entity = f"{NEW}{found.key}"
    if (not found.inferred and normalise_name(found.variant) != normalise_name(found.name)
            and "," not in found.variant and len(found.variant.split()) <= 6):
        variants = book.aliases.setdefault(entity, [])
        if found.variant not in variants:
            variants.append(found.variant)
    return entity


@dataclass
class SourceNames:
    """One import's resolution of Source spans into one entity layer."""

    project: Project
    layer: Layer
    resolver: SourceResolver = field(init=False)
    new_entities: dict[str, str] = field(default_factory=dict)  # key -> name
    kinds: dict[str, str] = field(default_factory=dict)  # key -> kind, where one is known
    mentions: Counter[str] = field(default_factory=Counter)  # key -> uses
    resolved: Counter[str] = field(default_factory=Counter)  # known entity id -> uses
    aliases: dict[str, list[str]] = field(default_factory=dict)  # entity (or NEW+key) -> variants
    messages: list[str] = field(default_factory=list)
    _article: str | None = None

    def __post_init__(self) -> None:
        self.resolver = SourceResolver(self.project.schema, self.layer)

    def resolve(self, article_id: str, article_text: str, words: str, at: int,
                where: str) -> str | None:
        """The entity the words at article offset `at` name: an id, NEW + key for one to
        create, or None (a pronoun with nobody fitting before it; reported)."""
        if article_id != self._article:
            self.resolver.new_article(article_text)
            self._article = article_id
        shown = f"{where}: {self.layer.noun} span {words!r}"
        return note_resolution(self, self.resolver.resolve(words, at), shown, self.layer,
                               "left", self.kinds)

    def listing(self) -> list[tuple[str, int]]:
        """(name, mentions) of the entities this import adds to labels.yaml."""
        return [(name, self.mentions[key]) for key, name in self.new_entities.items()]

    def create(self) -> dict[str, str]:
        """NEW + key -> id (see create_entities)."""
        ids, _created = create_entities(self.project, self.layer, self.new_entities,
                                        self.aliases, self.kinds)
        return ids


def create_entities(project: Project, layer: Layer, new_entities: dict[str, str],
                    aliases: dict[str, list[str]], kinds: dict[str, str] | None = None,
                    ) -> tuple[dict[str, str], dict[str, str]]:
    """What an import found to create: NEW + key -> id. An entity another file of the
    import made meanwhile is found by name; the others are added to labels.yaml
    (imported: true, their variants as aliases). Then variants of known entities become
    their aliases. Also returns id -> key of the entities added here."""
    ids: dict[str, str] = {}
    created: dict[str, str] = {}
    for key, name in new_entities.items():
        schema = project.schema
        found = schema.resolve(layer.id, name)
        if found is None:
            variants = tuple(dict.fromkeys(a for a in aliases.get(f"{NEW}{key}", ())
                                           if schema.resolve(layer.id, a) is None))
            _schema, entity = add_entity(project.labels_path, schema, layer.id, name,
                                         kind=(kinds or {}).get(key), aliases=variants,
                                         imported=True)
            project.reload_schema()
            found = created_id = entity.id
            created[created_id] = key
        ids[f"{NEW}{key}"] = found
    add_variants(project, layer, aliases, ids)
    return ids, created


def add_variants(project: Project, layer: Layer, aliases: dict[str, list[str]],
                 ids: dict[str, str]) -> None:
    """Ways the text named a known entity ("Mr. Okafor", "CNN's Maria Okafor") become its
    aliases in labels.yaml (comments kept), unless another entity has one. `aliases`:
    entity id (or NEW + key, looked up in `ids`) -> the variants."""
    schema = project.schema
    path = project.labels_path
    text = changed = path.read_text(encoding="utf-8")
    for entity, variants in aliases.items():
        entity = ids.get(entity, entity)
        label = schema.get(layer.id, entity)
        if label is None or getattr(label, "origin", None):
            continue  # not in labels.yaml (an annotator's speakers file)
        fresh = list(dict.fromkeys(v for v in variants if schema.resolve(layer.id, v) is None))
        if fresh:
            changed = add_aliases_text(changed, layer.id, schema.version, entity, fresh)
    if changed != text:
        parse_schema(changed, path)  # raises rather than break it
        atomic_write(path, changed)
        project.reload_schema()
