"""Who a Source span names: import resolution that does not fragment entities.

An attribution corpus names one person many ways in one article: "Mr. Okafor",
"Okafor", "CNN's Maria Okafor", "Maria Okafor, the city's mayor", "she". Imported as
written, each way becomes its own speaker. Here each Source text is resolved, in article
order, to one entity:

1. as written (a name or alias of labels.yaml, or a name met earlier in the import);
2. stripped of possessive prefixes ("CNN's"), appositives (", a former negotiator at
   ..."), titles and roles ("Mr.", "Secretary of State", "former negotiator") and
   leading determiners, then looked up again;
3. a surname or short form matches the one full name that ends with it or starts with
   it, in labels.yaml or earlier in the same article;
4. a pronoun or relative pronoun (he, she, they, who, which...) goes to the nearest
   preceding source of the article that fits (he/she/who: a person; it/which: an
   organisation; they: either), reported as inferred;
5. anything else is a new entity under its stripped name. A description ("the CNN
   host", "officials") stays its own entity and is listed for merging.

The variants seen (the written forms) become aliases of the entity they resolved to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .schema import Entity, LabelSchema, Layer, normalise_name

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "who", "whom", "i", "me"})
GROUP_PRONOUNS = frozenset({"it", "which", "that", "its"})
EITHER_PRONOUNS = frozenset({"they", "them", "we", "us", "you"})
PRONOUNS = PERSON_PRONOUNS | GROUP_PRONOUNS | EITHER_PRONOUNS
# Words of a title or role before a name ("Secretary of State Mike Pompeo"): dropped from
# the front while a name is left. Lower-case words before a capitalised one go as well.
TITLES = frozenset(normalise_name(t) for t in """
Mr Mrs Ms Miss Mx Dr Prof Professor Sir Dame Lord Lady Rev Reverend Fr Father Sister
President Vice Prime Minister Secretary of State Foreign Defence Defense Home Interior
Finance Health Chancellor Senator Sen Representative Rep Congressman Congresswoman
Governor Gov Mayor Councillor Councilman Councilwoman Judge Justice Chief General Gen
Colonel Col Major Maj Captain Capt Lieutenant Lt Admiral Adm Sergeant Sgt Ambassador Envoy
Special Deputy Assistant Acting Former Spokesman Spokeswoman Spokesperson Director CEO
Chairman Chairwoman Chair King Queen Prince Princess Pope Cardinal Bishop Rabbi Imam Sheikh
Analyst Economist Lawyer Attorney Activist Expert Researcher Official Author Host Anchor
Reporter Correspondent Commentator Candidate Leader Negotiator Executive Founder
US U.S. UK EU UN British American Russian Chinese French German Iranian Israeli
""".split())
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_POSSESSIVE_PREFIX = re.compile(r"^.*?['’]s\s+(?=\S)")
_APPOSITIVE = re.compile(r"\s*(?:,|\s[-–—]\s|\()")
_EDGE = " \t\n\"'“”‘’.,;:!?()[]{}-–—"
_PERSON_KINDS = frozenset({"person", None})
_GROUP_KINDS = frozenset({"organisation", "organization", "group", None})


@dataclass(frozen=True)
class Resolution:
    """What one Source names. `entity`: an id of labels.yaml (None: a new entity, known
    within the import by `key`); `name`: the new entity's name; `variant`: the text as
    written, for an alias; `how` and `inferred` for the report."""

    entity: str | None
    key: str
    name: str
    variant: str
    how: str  # "name", "stripped", "short form", "pronoun", "description", "new"
    inferred: bool = False
    kind: str | None = None


@dataclass
class _Known:
    key: str
    name: str
    entity: str | None
    kind: str | None
    offset: int
    gender: str | None = None  # "f" / "m" when a title said so (Ms., Mr.)


_FEMALE = frozenset({"ms", "mrs", "miss", "madam", "dame", "lady", "she", "her"})
_MALE = frozenset({"mr", "sir", "lord", "he", "him"})
_NAME_BEFORE = r"((?:[A-Z][\w’'.-]*\s+){1,3})"


def gender_of(text: str) -> str | None:
    first = normalise_name(text).split()[:1]
    if first and first[0] in _FEMALE:
        return "f"
    if first and first[0] in _MALE:
        return "m"
    return None


def clean(text: str) -> str:
    return " ".join(text.split()).strip(_EDGE)


def strip_name(text: str) -> str:
    """A name without possessive prefix, appositive, title, role or determiner."""
    name = clean(text)
    cut = _APPOSITIVE.search(name)
    if cut is not None and cut.start() > 0:
        name = name[:cut.start()]
    possessive = _POSSESSIVE_PREFIX.match(name)
    if possessive is not None and possessive.end() < len(name):
        rest = name[possessive.end():]
        if rest[:1].isupper():  # "CNN's Jake Tapper" (not "the party's leader")
            name = rest
    name = re.sub(r"['’]s$", "", clean(name))
    words = name.split()
    while len(words) > 1 and (normalise_name(words[0]) in TITLES
                              or normalise_name(words[0]) in _DETERMINERS
                              or (words[0][:1].islower()
                                  and any(w[:1].isupper() for w in words[1:]))):
        words.pop(0)
    return clean(" ".join(words))


def is_description(name: str) -> bool:
    """No capitalised word once titles and determiners are gone: "the host", "officials"."""
    words = [w for w in name.split() if normalise_name(w) not in _DETERMINERS]
    return not any(w[:1].isupper() for w in words)


@dataclass
class SourceResolver:
    """Resolves an article's Sources in order; new_article() between articles."""

    schema: LabelSchema
    layer: Layer
    _article: list[_Known] = field(default_factory=list)  # this article's sources so far
    _import: dict[str, _Known] = field(default_factory=dict)  # new names of this import
    _text: str = ""  # the article's text (names met before a source count)
    _genders: dict[str, str] = field(default_factory=dict)  # key -> f/m, from titles

    def new_article(self, text: str = "") -> None:
        self._article = []
        self._text = text

    def _kind(self, entity: str | None, key: str) -> str | None:
        if entity is not None:
            label = self.schema.get(self.layer.id, entity)
            return label.kind if isinstance(label, Entity) else None
        known = self._import.get(key)
        return known.kind if known else None

    def resolve(self, text: str, offset: int = 0) -> Resolution | None:
        """None: a pronoun with no fitting source before it (reported by the caller)."""
        variant = clean(text)
        folded = normalise_name(variant)
        if not folded:
            return None
        if folded in PRONOUNS:
            return self._pronoun(folded, variant, offset)
        found = self._lookup(variant)
        how = "name"
        name = variant
        if found is None:
            name = strip_name(variant) or variant
            found = self._lookup(name)
            how = "stripped"
        words = name.split()
        for start in range(1, len(words) - 1):  # "Analyst Tom Achebe": a known tail
            if found is None:
                found = self._lookup(" ".join(words[start:]))
        if found is None:
            found = self._short_form(name)
            how = "short form"
        if found is None:
            found = self._named_before(name, offset)
            how = "short form"
        if found is not None:
            entity, key, shown = found
            result = Resolution(entity, key, shown, variant, how if variant != shown else "name",
                                kind=self._kind(entity, key))
        else:
            description = is_description(name)
            key = normalise_name(name)
            kind = None if description else ("person" if len(name.split()) >= 2 else None)
            result = Resolution(None, key, name, variant, "description" if description else "new",
                                kind=kind)
            self._import.setdefault(key, _Known(key, name, None, kind, offset))
        gender = gender_of(variant) or self._title_in_text(result.name)
        if gender:
            self._genders.setdefault(result.key, gender)
        self._article.append(_Known(result.key, result.name, result.entity, result.kind, offset,
                                    self._genders.get(result.key)))
        return result

    def _named_before(self, name: str, offset: int) -> tuple[str | None, str, str] | None:
        """A surname whose full name the article wrote earlier ("CNN's Jake Tapper ...
        Tapper said"): that full name, looked up or new to the import."""
        if len(name.split()) != 1 or not self._text or is_description(name):
            return None
        found = None
        for match in re.finditer(_NAME_BEFORE + re.escape(name) + r"\b", self._text[:offset]):
            found = match
        if found is None:
            return None
        full = strip_name(found.group(1) + name)
        if len(full.split()) < 2 or normalise_name(full.split()[0]) in TITLES:
            return None
        known = self._lookup(full)
        if known is not None:
            return known
        key = normalise_name(full)
        self._import.setdefault(key, _Known(key, full, None, "person", offset))
        return None, key, full

    def _title_in_text(self, name: str) -> str | None:
        """Ms./Mr. written before the surname anywhere in the article."""
        surname = name.split()[-1] if name.split() else ""
        if not surname or not self._text:
            return None
        match = re.search(r"\b(Ms|Mrs|Miss|Mr)\.?\s+" + re.escape(surname) + r"\b", self._text)
        return None if match is None else ("m" if match.group(1) == "Mr" else "f")

    def _lookup(self, name: str) -> tuple[str | None, str, str] | None:
        entity = self.schema.resolve(self.layer.id, name)
        if entity is not None:
            label = self.schema.get(self.layer.id, entity)
            return entity, normalise_name(label.name if label else name), \
                label.name if label else name
        known = self._import.get(normalise_name(name))
        if known is not None:
            return known.entity, known.key, known.name
        return None

    def _short_form(self, name: str) -> tuple[str | None, str, str] | None:
        """A surname or first part matching exactly one full name: this article's
        sources first, then labels.yaml."""
        words = normalise_name(name).split()
        if not words or is_description(name):
            return None

        def fits(full: str) -> bool:
            parts = normalise_name(full).split()
            return len(parts) > len(words) and (parts[-len(words):] == words
                                                or parts[:len(words)] == words)

        found = {(k.entity, k.key, k.name) for k in reversed(self._article) if fits(k.name)}
        if len(found) == 1:
            return found.pop()
        if found:
            return None  # two people share the surname in this article: do not guess
        matches = []
        for label in self.layer.labels:
            if fits(label.name) or any(fits(a) for a in getattr(label, "aliases", ())):
                matches.append(label)
        if len(matches) == 1:
            return matches[0].id, normalise_name(matches[0].name), matches[0].name
        return None

    def _relative(self, pronoun: str, variant: str, offset: int) -> Resolution | None:
        """who/which right after a name ("Okafor, who has led..."): that name."""
        match = re.search(r"([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})\s*,?\s*$",
                          self._text[max(0, offset - 80):offset])
        if match is None:
            return None
        name = strip_name(match.group(1))
        found = (self._lookup(name) or self._short_form(name)
                 or self._named_before(name, offset - len(match.group(0))))
        if found is None:
            return None
        entity, key, shown = found
        return Resolution(entity, key, shown, variant, "pronoun", inferred=True,
                          kind=self._kind(entity, key))

    def _pronoun(self, pronoun: str, variant: str, offset: int) -> Resolution | None:
        if pronoun in ("who", "whom", "which", "that") and self._text:
            found = self._relative(pronoun, variant, offset)
            if found is not None:
                return found
        wanted = (_PERSON_KINDS if pronoun in PERSON_PRONOUNS else
                  _GROUP_KINDS if pronoun in GROUP_PRONOUNS else None)
        gender = {"he": "m", "him": "m", "she": "f", "her": "f"}.get(pronoun)
        before = [k for k in reversed(self._article) if k.offset <= offset
                  and (wanted is None or k.kind in wanted)]
        if gender is not None:  # a title said Ms./Mr.: that beats a nearer unknown
            before = ([k for k in before[:4] if k.gender == gender]
                      + [k for k in before if k.gender is None])
        if not before:
            return None
        known = before[0]
        return Resolution(known.entity, known.key, known.name, variant, "pronoun",
                          inferred=True, kind=known.kind)
