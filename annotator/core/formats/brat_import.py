"""Import brat standoff (.txt + .ann) as sentence-level tags.

Two readings of an .ann, both applied:

- Attribution corpora (PARC-style): text-bound `Source`, `Cue` and `Content` spans joined
  by events (`E1<TAB>Cue:T3 Source:T1 Content:T2`) or relations (`R1<TAB>Rel Arg1:T1
  Arg2:T2`, directly or through a shared Cue). Every sentence a Content fragment overlaps
  gets, in the first entity layer of labels.yaml (who says it), the entity its Source
  names. The Source text is matched by name or alias (schema.resolve); an unmatched name
  becomes a new entity marked `imported: true` and is listed, so a lead can merge it. A
  pronoun ("he said") names nobody: it is reported, not turned into an entity. Types are
  matched case-insensitively (Source/Speaker, Content/Quote/Quotation, Cue): these are
  the attribution corpora's conventions, not layer names.
- Our own export (formats/brat_export.py): a `Sentence` span with an attribute per layer
  (`Stance T1 against` for a single layer, `Quote_direct T1` for the others), NotContent
  and an AnnotatorNotes note. Attributes are matched to the layers of labels.yaml by the
  layer's id (AttributeMap), so any layer a project declares comes back as exported.

Everything else (other entity types, N and * lines, unrelated attributes) is counted and
reported as ignored. Each .ann is all-or-nothing: it is read and checked in full, and
its target (article, annotator) is checked, before anything is written.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..article import Article, text_hash
from ..entity_resolve import SourceResolver
from ..errors import AnnotatorError, CorpusError, Problem, UsageError
from ..importer import build_article, check_text
from ..project import Project
from ..schema import CONTENT_LAYER, LabelSchema, Layer
from ..store import check_annotator_name
from ..tags import SentenceTags, Span
from .attach import attach, existing_doc
from .brat import AnnFile, TextBound, parse_ann
from .brat_export import (
    LABEL_SEPARATOR,
    NOT_CONTENT_ATTRIBUTE,
    NOTE_TYPE,
    SENTENCE_TYPE,
    SPAN_LABEL,
    SPAN_SUFFIX,
    layer_attribute,
)
from .source_names import NEW, create_entities, note_resolution

# Attribution corpora's span types (a tool convention, not a layer of ours).
SOURCE_TYPES = frozenset({"source", "speaker"})
CONTENT_TYPES = frozenset({"content", "quote", "quotation"})
CUE_TYPES = frozenset({"cue"})
PRONOUNS = frozenset({
    "i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her", "hers",
    "it", "its", "they", "them", "their", "theirs", "this", "that", "these", "those", "who",
    "whom", "which", "one", "someone", "somebody",
})
_EDGE_PUNCT = "\"'“”‘’«»„‚‹›()[]{},.;:!?-–— \t\r\n"


@dataclass(frozen=True)
class BratInput:
    txt: Path
    ann: Path
    annotator: str | None  # None: --annotator was needed and not given


SUFFIX_SEPARATORS = "._-"
"""How public multi-annotator corpora add the annotator to a document's name:
`doc.alice.ann`, `doc-alice.ann`, `doc_7f3c.ann`, all beside `doc.txt`."""


def split_suffix(name: str, stems: set[str]) -> tuple[str, str] | None:
    """(text stem, annotator) for an .ann name (without .ann): the longest stem of a .txt
    beside it that the name extends by a separator and a suffix, or None."""
    best: tuple[str, str] | None = None
    for cut in range(len(name) - 1, 0, -1):
        if name[cut] in SUFFIX_SEPARATORS and name[:cut] in stems:
            best = (name[:cut], name[cut + 1:])
            break  # from the right: the first found is the longest stem
    return best


def find_inputs(paths: list[Path], annotator: str | None,
                from_suffix: bool) -> tuple[list[BratInput], list[Problem]]:
    """Pair each .ann with its .txt and annotator: doc.ann beside doc.txt is --annotator's;
    doc.NAME.ann, doc-NAME.ann or doc_NAME.ann beside doc.txt is NAME's (the suffix after
    the longest text stem that fits)."""
    anns: list[Path] = []
    problems: list[Problem] = []
    stems_of: dict[Path, set[str]] = {}

    def stems(folder: Path) -> set[str]:
        if folder not in stems_of:
            stems_of[folder] = {p.name[:-4] for p in folder.glob("*.txt") if p.is_file()}
        return stems_of[folder]

    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.glob("*.ann") if p.is_file())
            if not found:
                problems.append(Problem(path, "no .ann files in this folder"))
            anns += found
        elif path.suffix == ".ann":
            anns.append(path)
        elif path.suffix == ".txt":
            siblings = sorted(p for p in path.parent.glob(f"{glob_escape(path.stem)}*.ann")
                              if p.name[:-4] == path.stem
                              or (split_suffix(p.name[:-4], stems(path.parent)) or ("",))[0]
                              == path.stem)
            if not siblings:
                problems.append(Problem(path, "no .ann file beside it"))
            anns += siblings
        else:
            problems.append(Problem(path, "not a brat file (.ann or .txt) or a folder of them"))
    inputs: list[BratInput] = []
    seen: set[Path] = set()
    for ann in anns:
        if ann in seen:
            continue
        seen.add(ann)
        if not ann.exists():
            problems.append(Problem(ann, "no such file"))
            continue
        name = ann.name[:-4]
        plain_txt = ann.with_name(f"{name}.txt")
        split = split_suffix(name, stems(ann.parent))
        if not from_suffix and plain_txt.exists():
            inputs.append(BratInput(plain_txt, ann, annotator))
        elif split is not None:
            base, suffix = split
            try:
                inputs.append(BratInput(ann.with_name(f"{base}.txt"), ann,
                                        check_annotator_name(suffix.lower())))
            except UsageError as exc:
                problems.append(Problem(ann, exc.problems[0].message))
        elif from_suffix:
            problems.append(Problem(ann, "no annotator suffix in the name (expected "
                                         "DOC.NAME.ann, DOC-NAME.ann or DOC_NAME.ann beside "
                                         "DOC.txt)"))
        else:
            problems.append(Problem(ann, f"no text for it: expected {plain_txt.name}, or a "
                                         "DOC.txt that its name extends with .NAME, -NAME "
                                         "or _NAME"))
    return inputs, problems


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


# --------------------------------------------------------------------------- mapping


class AttributeMap:
    """brat attribute names -> layers of labels.yaml, as brat_export names them.

    A name is the layer's attribute (its id, any case) for a valued attribute
    (`Stance T1 for`), or that plus `_label` for a binary one (`Quote_direct T1`); the
    longest layer name that fits wins, as layer and label ids may hold `_` themselves.
    Folders written by earlier versions used the singular (`Topic_x`): a layer's id
    without a final `s` is accepted too, after every exact id.
    """

    def __init__(self, schema: LabelSchema):
        self.names: dict[str, Layer] = {}
        for layer in schema.layers:
            self.names.setdefault(layer_attribute(layer.id).lower(), layer)
        for layer in schema.layers:
            if layer.id.endswith("s") and len(layer.id) > 1:
                self.names.setdefault(layer.id[:-1], layer)

    def resolve(self, name: str, value: str | None) -> tuple[Layer, str] | None:
        """(layer, label id) the attribute stands for, or None (not one of ours)."""
        key = name.lower()
        if value is not None:
            layer = self.names.get(key)
            return (layer, value) if layer is not None else None
        cuts = [i for i, char in enumerate(name) if char == LABEL_SEPARATOR]
        for at in reversed(cuts):
            layer = self.names.get(key[:at])
            if layer is not None and at + 1 < len(name):
                return layer, name[at + 1:]
        return None


@dataclass
class SentencePlan:
    labels: dict[str, list[str]] = field(default_factory=dict)  # layer -> ids (NEW... entities)
    note: str | None = None
    not_content: bool = False
    spans: list[Span] = field(default_factory=list)  # article offsets, inside the sentence

    def add(self, layer: str, label: str) -> None:
        ids = self.labels.setdefault(layer, [])
        if label not in ids:
            ids.append(label)

    @property
    def has_tags(self) -> bool:
        return bool(any(self.labels.values()) or self.note or self.not_content or self.spans)


@dataclass
class FilePlan:
    """One .ann, read and checked, ready to write."""

    input: BratInput
    article: Article
    is_new: bool
    entity_layer: Layer | None = None  # where attributions go: the first entity layer
    layers: tuple[Layer, ...] = ()  # labels.yaml's, for spans of our export
    sentences: dict[int, SentencePlan] = field(default_factory=dict)
    new_entities: dict[str, str] = field(default_factory=dict)  # normalised name -> name
    mentions: Counter[str] = field(default_factory=Counter)  # normalised new name -> uses
    resolved: Counter[str] = field(default_factory=Counter)  # known entity id -> uses
    # entity id (or NEW + name) -> the ways the text named it: aliases (entity_resolve.py)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)  # what was not mapped, and why
    ignored: Counter[str] = field(default_factory=Counter)


def _role(name: str) -> str | None:
    key = name.lower().rstrip("0123456789")
    if key in SOURCE_TYPES:
        return "source"
    if key in CONTENT_TYPES:
        return "content"
    if key in CUE_TYPES:
        return "cue"
    return None


def clean_mention(text: str) -> str:
    """A Source span as a name: no edge quotes or punctuation, no possessive 's."""
    name = " ".join(text.split()).strip(_EDGE_PUNCT)
    name = re.sub(r"['’]s$", "", name).strip(_EDGE_PUNCT)
    return name


def attribution_pairs(ann: AnnFile) -> tuple[list[tuple[TextBound, TextBound]], list[str]]:
    """(source, content) pairs from events and relations, plus what could not be paired."""
    tb = ann.textbounds
    pairs: list[tuple[TextBound, TextBound]] = []
    cue_sources: dict[str, set[str]] = {}
    cue_contents: dict[str, set[str]] = {}
    linked: set[str] = set()

    def role_of(arg_role: str, target: str) -> str | None:
        if target not in tb:
            return None
        return _role(arg_role) or _role(tb[target].type)

    for link in ann.links:
        members: dict[str, list[str]] = {"source": [], "content": [], "cue": []}
        if link.trigger is not None and link.trigger in tb:
            members.setdefault(_role(tb[link.trigger].type) or _role(link.type) or "other",
                               []).append(link.trigger)
        for arg_role, target in link.args:
            role = role_of(arg_role, target) if link.trigger is not None else (
                _role(tb[target].type) if target in tb else None)
            if role:
                members[role].append(target)
        for source in members["source"]:
            for content in members["content"]:
                pairs.append((tb[source], tb[content]))
                linked.update((source, content))
        for cue in members["cue"]:
            cue_sources.setdefault(cue, set()).update(members["source"])
            cue_contents.setdefault(cue, set()).update(members["content"])
    for cue, sources in cue_sources.items():
        for source in sorted(sources):
            for content in sorted(cue_contents.get(cue, ())):
                pair = (tb[source], tb[content])
                if pair not in pairs:
                    pairs.append(pair)
                    linked.update((source, content))
    unpaired = []
    for t in tb.values():
        role = _role(t.type)
        if role in ("source", "content") and t.id not in linked:
            other = "content" if role == "source" else "source"
            unpaired.append(f"line {t.line}: {t.type} {t.id} {t.text!r} has no {other} "
                            "linked to it; ignored")
    return pairs, unpaired


def _overlapped(article: Article, fragments: tuple[tuple[int, int], ...],
                ends: list[int]) -> list[int]:
    hit: list[int] = []
    for start, end in fragments:
        if start >= end:
            continue
        index = bisect.bisect_right(ends, start)
        while index < len(article.spans) and article.spans[index][0] < end:
            if index not in hit:
                hit.append(index)
            index += 1
    return sorted(hit)


def plan_file(project: Project, source: BratInput, ann: AnnFile, article: Article,
              is_new: bool, offset: int = 0, resolver: SourceResolver | None = None
              ) -> FilePlan:
    """Map one parsed .ann onto the article's sentences (nothing written)."""
    schema = project.schema
    entity_layers = schema.entity_layers
    plan = FilePlan(source, article, is_new, entity_layers[0] if entity_layers else None,
                    layers=schema.layers)
    ends = [end for _, end in article.spans]

    def shifted(t: TextBound) -> tuple[tuple[int, int], ...]:
        return tuple((max(s - offset, 0), max(e - offset, 0)) for s, e in t.fragments)

    def sentence(index: int) -> SentencePlan:
        return plan.sentences.setdefault(index, SentencePlan())

    pairs, unpaired = attribution_pairs(ann)
    plan.messages += unpaired
    target = plan.entity_layer
    if pairs and target is None:
        plan.messages.append(f"{len(pairs)} attribution(s) not imported: labels.yaml has no "
                             "entity layer to put who says what in")
        pairs = []
    if target is not None:  # who each Source names: core/entity_resolve.py
        resolver = resolver if resolver is not None else SourceResolver(schema, target)
        resolver.new_article(article.text)
        pairs.sort(key=lambda pair: min(s for s, _ in shifted(pair[0])))
    attrs: dict[str, list[tuple[str, str | None, int]]] = {}
    for attribute in ann.attributes:
        attrs.setdefault(attribute.target, []).append((attribute.type, attribute.value,
                                                       attribute.line))
    used_attrs: set[int] = set()
    for source_tb, content_tb in pairs:
        assert target is not None and resolver is not None
        named = [(value, line) for kind, value, line in attrs.get(source_tb.id, ())
                 if kind == SPAN_LABEL and value]
        if len(named) == 1:  # our export says which entity (brat_export.py): no guessing
            entity: str | None = named[0][0]
            used_attrs.add(named[0][1])
        else:
            entity = _resolve_source(plan, resolver, target, source_tb,
                                     " ".join(article.text[s:e] for s, e in shifted(source_tb)),
                                     min(s for s, _ in shifted(source_tb)))
        if entity is None:
            continue
        indexes = _overlapped(article, shifted(content_tb), ends)
        if not indexes:
            plan.messages.append(f"line {content_tb.line}: Content {content_tb.id} overlaps no "
                                 "sentence; ignored")
        for index in indexes:
            sentence(index).add(target.id, entity)
            start, end = article.spans[index]
            for low, high in shifted(content_tb):  # what was said: a Content span, linked
                if max(low, start) < min(high, end):  # to its Source by the entity
                    sentence(index).spans.append((CONTENT_LAYER, entity, max(low, start),
                                                  min(high, end)))
        if indexes:  # the Source's words: a speaker mention where they stand
            for low, high in shifted(source_tb):
                for index in _overlapped(article, ((low, high),), ends):
                    start, end = article.spans[index]
                    sentence(index).spans.append((target.id, entity, max(low, start),
                                                  min(high, end)))

    # Our own export: Sentence spans with attributes and notes.
    notes: dict[str, str] = {}
    for note in ann.notes:
        noted = ann.textbounds.get(note.target)
        if note.type == NOTE_TYPE and noted is not None and noted.type.lower() == "sentence":
            notes[note.target] = note.text
        else:
            plan.ignored["notes (#) not on a Sentence"] += 1
    names = AttributeMap(schema)
    for t in ann.textbounds.values():
        kind = t.type.lower()
        if kind == SENTENCE_TYPE.lower():
            _apply_sentence(plan, names, t, attrs.get(t.id, []), notes.get(t.id), shifted(t),
                            ends, used_attrs)
        elif _apply_span(plan, t, attrs.get(t.id, []), shifted(t), used_attrs):
            continue
        elif _role(t.type) is None:
            plan.ignored[f"{t.type} spans"] += 1
    plan.ignored["attributes not on a Sentence or not of a layer"] += sum(
        1 for a in ann.attributes if a.line not in used_attrs)
    for link in ann.links:
        roles = {(_role(r) or _role(ann.textbounds[t].type)) if t in ann.textbounds else None
                 for r, t in link.args}
        if not roles & {"source", "content", "cue"}:
            plan.ignored[f"{'events' if link.trigger else 'relations'} of type {link.type}"] += 1
    plan.ignored.update(ann.ignored)
    plan.ignored = Counter({k: v for k, v in plan.ignored.items() if v})
    return plan


def _resolve_source(plan: FilePlan, resolver: SourceResolver, target: Layer,
                    source_tb: TextBound, text: str, at: int) -> str | None:
    """The entity a Source names (an id, or NEW + name for one to create)."""
    where = f"line {source_tb.line}: Source {source_tb.id} {source_tb.text!r}"
    return note_resolution(plan, resolver.resolve(text, at), where, target,
                           "its content is left")


def _apply_span(plan: FilePlan, t: TextBound, attributes: list[tuple[str, str | None, int]],
                fragments: tuple[tuple[int, int], ...], used: set[int]) -> bool:
    """Our export's spans (`SpeakersSpan 110 116` with `Label T5 pompeo`): kept as spans
    of that layer on each sentence they overlap, cut at its bounds. False: not one."""
    if not t.type.endswith(SPAN_SUFFIX):
        return False
    wanted = t.type[: -len(SPAN_SUFFIX)].lower()
    layer = next((lay.id for lay in plan.layers if lay.id.lower() == wanted),
                 CONTENT_LAYER if wanted == CONTENT_LAYER else None)
    labels = [(value, line) for kind, value, line in attributes if kind == SPAN_LABEL and value]
    if layer is None or len(labels) != 1:
        return False
    label, line = labels[0]
    used.add(line)
    low = min(s for s, _ in fragments)
    high = max(e for _, e in fragments)
    for index, (start, end) in enumerate(plan.article.spans):
        if max(low, start) < min(high, end):
            plan.sentences.setdefault(index, SentencePlan()).spans.append(
                (layer, label, max(low, start), min(high, end)))
    return True


def _apply_sentence(plan: FilePlan, names: AttributeMap, t: TextBound,
                    attributes: list[tuple[str, str | None, int]], note: str | None,
                    fragments: tuple[tuple[int, int], ...], ends: list[int],
                    used: set[int]) -> None:
    indexes = _overlapped(plan.article, fragments, ends)
    if not indexes:
        plan.messages.append(f"line {t.line}: Sentence {t.id} overlaps no sentence; ignored")
        return
    for index in indexes:
        target = plan.sentences.setdefault(index, SentencePlan())
        for kind, value, line in attributes:
            if kind == NOT_CONTENT_ATTRIBUTE and value is None:
                target.not_content = True
                used.add(line)
                continue
            found = names.resolve(kind, value)
            if found is None:
                continue
            used.add(line)
            layer, label = found
            held = target.labels.get(layer.id)
            if layer.single and held and label not in held:
                plan.messages.append(f"line {line}: sentence {index} already has {layer.noun} "
                                     f"{held[0]!r}; {label!r} ignored")
            else:
                target.add(layer.id, label)
        if note:
            target.note = note


# --------------------------------------------------------------------------- running


@dataclass
class FileOutcome:
    ann: Path
    annotator: str | None
    article_id: str | None = None
    is_new: bool = False
    sentences: int = 0  # sentences given tags
    kept: int = 0  # sentences left as they were (--merge)
    problem: Problem | None = None


@dataclass
class BratReport:
    files: list[FileOutcome] = field(default_factory=list)
    entity_layer: Layer | None = None  # where attributions went (the first entity layer)
    # normalised name -> (name, mentions, files): entities added to that layer
    new_entities: dict[str, tuple[str, int, list[str]]] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)  # "file: what was not mapped"
    unknown: list[str] = field(default_factory=list)  # labels not in labels.yaml, kept
    ignored: Counter[str] = field(default_factory=Counter)

    @property
    def failed(self) -> list[FileOutcome]:
        return [f for f in self.files if f.problem is not None]


class BratImporter:
    def __init__(self, project: Project, *, merge: bool = False, dry_run: bool = False):
        self.project = project
        self.merge = merge
        self.dry_run = dry_run
        self.by_sha = {entry.text_sha: entry.id for entry in project.corpus.entries()}
        self.created: dict[str, Article] = {}  # text sha -> article made in this batch
        self.new_ids: dict[str, str] = {}  # entity id added by this import -> normalised name
        self.report = BratReport()
        self.report.messages += [str(p) for p in project.corpus.problems]
        self.resolver: SourceResolver | None = None  # one for the import: names carry over

    def run(self, inputs: list[BratInput], problems: list[Problem]) -> BratReport:
        for problem in problems:
            self.report.files.append(FileOutcome(Path(str(problem.path)), None, problem=problem))
        for item in inputs:
            outcome = FileOutcome(item.ann, item.annotator)
            try:
                self._one(item, outcome)
            except AnnotatorError as exc:
                outcome.problem = exc.problems[0]
            self.report.files.append(outcome)
        return self.report

    def _read(self, item: BratInput) -> tuple[str, AnnFile, int]:
        try:
            raw = item.txt.read_bytes()
        except OSError as exc:
            raise CorpusError(Problem(item.txt, f"cannot read: {exc.strerror}"))
        text = check_text(raw, str(item.txt))
        offset = 1 if raw.startswith(b"\xef\xbb\xbf") else 0  # brat counts a BOM as a character
        try:
            content = item.ann.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CorpusError(Problem(item.ann, f"not UTF-8 (byte {exc.start}); not imported"))
        except OSError as exc:
            raise CorpusError(Problem(item.ann, f"cannot read: {exc.strerror}"))
        ann = parse_ann(content, item.ann, "\ufeff" * offset + text)
        return text, ann, offset

    def _article(self, text: str, item: BratInput) -> tuple[Article, bool, bool]:
        """(article, new to the corpus, to be written now)."""
        sha = text_hash(text, 16)
        if sha in self.created:  # an earlier file of this import brought the same text
            return self.created[sha], True, False
        if sha in self.by_sha:
            return self.project.corpus.load(self.by_sha[sha]), False, False
        return build_article(text, item.txt.name), True, True

    def _one(self, item: BratInput, outcome: FileOutcome) -> None:
        if item.annotator is None:
            raise UsageError(Problem(item.ann, "whose annotations are these? pass --annotator "
                                               "NAME (or name the file DOC.NAME.ann)"))
        text, ann, offset = self._read(item)
        article, is_new, must_write = self._article(text, item)
        layers = self.project.schema.entity_layers
        if self.resolver is None and layers:
            self.resolver = SourceResolver(self.project.schema, layers[0])
        plan = plan_file(self.project, item, ann, article, is_new, offset, self.resolver)
        outcome.article_id, outcome.is_new = article.id, is_new
        if not must_write and not (self.dry_run and is_new):  # its files are on disk
            existing_doc(self.project, item.annotator, article.id, merge=self.merge)
        self._note_plan(plan)
        if must_write:
            self.created[article.text_sha] = article
        if self.dry_run:
            outcome.sentences = sum(1 for s in plan.sentences.values() if s.has_tags)
            return
        if must_write:
            self.project.corpus.write(article)
            self.by_sha[article.text_sha] = article.id
        ids = self._create_entities(plan)
        tags = {
            index: SentenceTags.of(
                {layer: tuple(dict.fromkeys(ids.get(label, label) for label in labels))
                 for layer, labels in sp.labels.items()},
                note=sp.note, not_content=sp.not_content,
                spans=[(lay, ids.get(label, label), low, high)
                       for lay, label, low, high in sp.spans])
            for index, sp in plan.sentences.items()
        }
        result = attach(self.project, item.annotator, article, tags, merge=self.merge)
        outcome.sentences, outcome.kept = result.written, result.kept

    def _note_plan(self, plan: FilePlan) -> None:
        where = str(plan.input.ann)
        self.report.messages += [f"{where}: {m}" for m in plan.messages]
        self.report.ignored.update(plan.ignored)
        if plan.entity_layer is not None:
            self.report.entity_layer = plan.entity_layer
        schema = self.project.schema
        for index, sp in sorted(plan.sentences.items()):
            for layer, labels in sp.labels.items():
                for label in labels:
                    if not label.startswith(NEW) and not schema.has(layer, label):
                        self.report.unknown.append(
                            f"{where}: sentence {index}: {layer} {label!r} is not in "
                            "labels.yaml (kept as is)")
        mentions = Counter(plan.mentions)
        names = dict(plan.new_entities)
        for entity_id, count in plan.resolved.items():  # found: made by an earlier file
            key = self.new_ids.get(entity_id)
            if key is not None:
                mentions[key] += count
                names.setdefault(key, self.report.new_entities[key][0])
        for key, name in names.items():
            shown, count, files = self.report.new_entities.get(key, (name, 0, []))
            if where not in files:
                files.append(where)
            self.report.new_entities[key] = (shown, count + mentions[key], files)

    def _create_entities(self, plan: FilePlan) -> dict[str, str]:
        """NEW + name -> id: found by now (an earlier file made it) or added to labels.yaml."""
        if plan.entity_layer is None:
            return {}
        ids, created = create_entities(self.project, plan.entity_layer, plan.new_entities,
                                       plan.aliases)
        self.new_ids.update(created)
        return ids
