"""Import brat standoff (.txt + .ann) as sentence-level tags.

Two readings of an .ann, both applied:

- Attribution corpora (PARC-style): text-bound `Source`, `Cue` and `Content` spans joined
  by events (`E1<TAB>Cue:T3 Source:T1 Content:T2`) or relations (`R1<TAB>Rel Arg1:T1
  Arg2:T2`, directly or through a shared Cue). Every sentence a Content fragment overlaps
  gets the speaker its Source names. The Source text is matched to labels.yaml by name or
  alias (schema.resolve_speaker); an unmatched name becomes a new speaker marked
  `imported: true` and is listed, so a lead can merge it. A pronoun ("he said") names
  nobody: it is reported, not turned into a speaker. Types are matched case-insensitively
  (Source/Speaker, Content/Quote/Quotation, Cue).
- Our own export (formats/brat_export.py): a `Sentence` span with Claim, Speaker_<id>,
  Topic_<id> and NotContent attributes and an AnnotatorNotes note.

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
from ..errors import AnnotatorError, CorpusError, Problem, UsageError
from ..importer import build_article, check_text
from ..labels_edit import add_speaker
from ..project import Project
from ..schema import normalise_name
from ..store import check_annotator_name
from ..tags import SentenceTags
from .attach import attach, existing_doc
from .brat import AnnFile, TextBound, parse_ann
from .brat_export import (
    CLAIM_ATTRIBUTE,
    NOT_CONTENT_ATTRIBUTE,
    NOTE_TYPE,
    SENTENCE_TYPE,
    SPEAKER_PREFIX,
    TOPIC_PREFIX,
)

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


def find_inputs(paths: list[Path], annotator: str | None,
                from_suffix: bool) -> tuple[list[BratInput], list[Problem]]:
    """Pair each .ann with its .txt and annotator (doc.ann, or doc.NAME.ann beside doc.txt)."""
    anns: list[Path] = []
    problems: list[Problem] = []
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
                              if p.name[: -4] == path.stem
                              or p.name[: -4].rsplit(".", 1)[0] == path.stem)
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
        base, _, suffix = name.rpartition(".")
        plain_txt = ann.with_name(f"{name}.txt")
        if not from_suffix and plain_txt.exists():
            inputs.append(BratInput(plain_txt, ann, annotator))
        elif base and ann.with_name(f"{base}.txt").exists():
            try:
                inputs.append(BratInput(ann.with_name(f"{base}.txt"), ann,
                                        check_annotator_name(suffix)))
            except UsageError as exc:
                problems.append(Problem(ann, exc.problems[0].message))
        elif from_suffix and not base:
            problems.append(Problem(ann, "no annotator suffix in the name (expected "
                                         "DOC.NAME.ann beside DOC.txt)"))
        else:
            problems.append(Problem(ann, f"no text for it: expected {plain_txt.name}"
                                         + (f" or {base}.txt" if base else "")))
    return inputs, problems


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


# --------------------------------------------------------------------------- mapping


@dataclass
class SentencePlan:
    speakers: list[str] = field(default_factory=list)  # ids, or "new:<name>" until created
    claim: str | None = None
    topics: list[str] = field(default_factory=list)
    note: str | None = None
    not_content: bool = False


@dataclass
class FilePlan:
    """One .ann, read and checked, ready to write."""

    input: BratInput
    article: Article
    is_new: bool
    sentences: dict[int, SentencePlan] = field(default_factory=dict)
    new_speakers: dict[str, str] = field(default_factory=dict)  # normalised name -> name
    mentions: Counter[str] = field(default_factory=Counter)  # normalised new name -> uses
    resolved: Counter[str] = field(default_factory=Counter)  # known speaker id -> uses
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
              is_new: bool, offset: int = 0) -> FilePlan:
    """Map one parsed .ann onto the article's sentences (nothing written)."""
    schema = project.schema
    plan = FilePlan(source, article, is_new)
    ends = [end for _, end in article.spans]

    def shifted(t: TextBound) -> tuple[tuple[int, int], ...]:
        return tuple((max(s - offset, 0), max(e - offset, 0)) for s, e in t.fragments)

    def sentence(index: int) -> SentencePlan:
        return plan.sentences.setdefault(index, SentencePlan())

    pairs, unpaired = attribution_pairs(ann)
    plan.messages += unpaired
    for source_tb, content_tb in pairs:
        name = clean_mention(" ".join(article.text[s:e] for s, e in shifted(source_tb)))
        where = f"line {source_tb.line}: Source {source_tb.id} {source_tb.text!r}"
        if not name or normalise_name(name) in PRONOUNS:
            plan.messages.append(f"{where} is a pronoun, not a name; its content is left "
                                 "without a speaker")
            continue
        speaker = schema.resolve_speaker(name)
        if speaker is not None:
            plan.resolved[speaker] += 1
        else:
            key = normalise_name(name)
            plan.new_speakers.setdefault(key, name)
            plan.mentions[key] += 1
            speaker = f"new:{key}"
        indexes = _overlapped(article, shifted(content_tb), ends)
        if not indexes:
            plan.messages.append(f"line {content_tb.line}: Content {content_tb.id} overlaps no "
                                 "sentence; ignored")
        for index in indexes:
            if speaker not in sentence(index).speakers:
                sentence(index).speakers.append(speaker)

    # Our own export: Sentence spans with attributes and notes.
    attrs: dict[str, list[tuple[str, str | None, int]]] = {}
    for attribute in ann.attributes:
        attrs.setdefault(attribute.target, []).append((attribute.type, attribute.value,
                                                       attribute.line))
    notes: dict[str, str] = {}
    for note in ann.notes:
        target = ann.textbounds.get(note.target)
        if note.type == NOTE_TYPE and target is not None and target.type.lower() == "sentence":
            notes[note.target] = note.text
        else:
            plan.ignored["notes (#) not on a Sentence"] += 1
    used_attrs: set[int] = set()
    for t in ann.textbounds.values():
        kind = t.type.lower()
        if kind == SENTENCE_TYPE.lower():
            _apply_sentence(plan, t, attrs.get(t.id, []), notes.get(t.id), shifted(t), ends,
                            used_attrs)
        elif _role(t.type) is None:
            plan.ignored[f"{t.type} spans"] += 1
    plan.ignored["attributes not on a Sentence"] += sum(
        1 for a in ann.attributes if a.line not in used_attrs)
    for link in ann.links:
        roles = {(_role(r) or _role(ann.textbounds[t].type)) if t in ann.textbounds else None
                 for r, t in link.args}
        if not roles & {"source", "content", "cue"}:
            plan.ignored[f"{'events' if link.trigger else 'relations'} of type {link.type}"] += 1
    plan.ignored.update(ann.ignored)
    plan.ignored = Counter({k: v for k, v in plan.ignored.items() if v})
    return plan


def _apply_sentence(plan: FilePlan, t: TextBound, attributes: list[tuple[str, str | None, int]],
                    note: str | None, fragments: tuple[tuple[int, int], ...], ends: list[int],
                    used: set[int]) -> None:
    indexes = _overlapped(plan.article, fragments, ends)
    if not indexes:
        plan.messages.append(f"line {t.line}: Sentence {t.id} overlaps no sentence; ignored")
        return
    for index in indexes:
        target = plan.sentences.setdefault(index, SentencePlan())
        for kind, value, line in attributes:
            used.add(line)
            if kind == CLAIM_ATTRIBUTE and value:
                if target.claim not in (None, value):
                    plan.messages.append(f"line {line}: sentence {index} already has claim "
                                         f"{target.claim!r}; {value!r} ignored")
                else:
                    target.claim = value
            elif kind.startswith(SPEAKER_PREFIX) and len(kind) > len(SPEAKER_PREFIX):
                speaker = kind[len(SPEAKER_PREFIX):]
                if speaker not in target.speakers:
                    target.speakers.append(speaker)
            elif kind.startswith(TOPIC_PREFIX) and len(kind) > len(TOPIC_PREFIX):
                topic = kind[len(TOPIC_PREFIX):]
                if topic not in target.topics:
                    target.topics.append(topic)
            elif kind == NOT_CONTENT_ATTRIBUTE:
                target.not_content = True
            else:
                used.discard(line)
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
    new_speakers: dict[str, tuple[str, int, list[str]]] = field(default_factory=dict)
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
        self.new_ids: dict[str, str] = {}  # speaker id added by this import -> normalised name
        self.report = BratReport()
        self.report.messages += [str(p) for p in project.corpus.problems]

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
        plan = plan_file(self.project, item, ann, article, is_new, offset)
        outcome.article_id, outcome.is_new = article.id, is_new
        if not must_write and not (self.dry_run and is_new):  # its files are on disk
            existing_doc(self.project, item.annotator, article.id, merge=self.merge)
        self._note_plan(plan)
        if must_write:
            self.created[article.text_sha] = article
        if self.dry_run:
            outcome.sentences = sum(1 for s in plan.sentences.values() if _has_tags(s))
            return
        if must_write:
            self.project.corpus.write(article)
            self.by_sha[article.text_sha] = article.id
        ids = self._create_speakers(plan)
        tags = {
            index: SentenceTags(
                speakers=tuple(dict.fromkeys(ids.get(s, s) for s in sp.speakers)),
                claim=sp.claim, topics=tuple(sp.topics), note=sp.note,
                not_content=sp.not_content)
            for index, sp in plan.sentences.items()
        }
        result = attach(self.project, item.annotator, article, tags, merge=self.merge)
        outcome.sentences, outcome.kept = result.written, result.kept

    def _note_plan(self, plan: FilePlan) -> None:
        where = str(plan.input.ann)
        self.report.messages += [f"{where}: {m}" for m in plan.messages]
        self.report.ignored.update(plan.ignored)
        schema = self.project.schema
        for index, sp in sorted(plan.sentences.items()):
            known_speakers = [s for s in sp.speakers if not s.startswith("new:")]
            for layer, values in (("speakers", known_speakers),
                                  ("claim", [sp.claim] if sp.claim else []),
                                  ("topics", sp.topics)):
                for value in values:
                    if not schema.has(layer, value):
                        self.report.unknown.append(
                            f"{where}: sentence {index}: {layer} {value!r} is not in labels.yaml "
                            "(kept as is)")
        mentions = Counter(plan.mentions)
        names = dict(plan.new_speakers)
        for speaker_id, count in plan.resolved.items():  # found: made by an earlier file
            key = self.new_ids.get(speaker_id)
            if key is not None:
                mentions[key] += count
                names.setdefault(key, self.report.new_speakers[key][0])
        for key, name in names.items():
            shown, count, files = self.report.new_speakers.get(key, (name, 0, []))
            if where not in files:
                files.append(where)
            self.report.new_speakers[key] = (shown, count + mentions[key], files)

    def _create_speakers(self, plan: FilePlan) -> dict[str, str]:
        """`new:<name>` -> id: found by now (an earlier file made it) or added to labels.yaml."""
        ids: dict[str, str] = {}
        for key, name in plan.new_speakers.items():
            schema = self.project.schema
            found = schema.resolve_speaker(name)
            if found is None:
                _schema, speaker = add_speaker(self.project.labels_path, schema, name,
                                               imported=True)
                self.project.reload_schema()
                found = speaker.id
                self.new_ids[found] = key
            ids[f"new:{key}"] = found
        return ids


def _has_tags(plan: SentencePlan) -> bool:
    return bool(plan.speakers or plan.claim or plan.topics or plan.note or plan.not_content)
