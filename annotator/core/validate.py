"""Check a whole project at once: labels, corpus, every annotation file.

`annotator validate` is what a lead runs after editing labels.yaml or pulling colleagues'
work: it lists every problem (file:line: message) in one pass, so nothing is discovered
one failure at a time in the editor. It only reads; nothing it finds is ever rewritten
(it writes only its shortcuts under .annotator/).

Every layer rule comes from labels.yaml (schema.layers): a layer id it does not declare,
a label a layer does not have, two labels in a single-choice layer. Annotation files are
read through the one annotation index (project.index), so an unchanged file is not
parsed again, and the checks walk its per-layer columns; only a file with a finding is
read again, for the line numbers the message needs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from .annotation_file import FILE_VERSION, AnnotationDoc, is_article_file, read_doc
from .annotation_index import FileRecords
from .article import Article, read_article
from .atomic import atomic_write
from .errors import CorpusError, Problem, SchemaError, StoreError, UsageError
from .gc_pause import no_gc
from .project import Project
from .schema import CONTENT_LAYER, LabelSchema
from .store import check_annotator_name

_SENTENCE_IN_DRIFT = re.compile(r"^sentence (\d+) ")


@dataclass
class ValidationReport:
    labels: int = 0
    articles: int = 0
    annotation_files: int = 0
    schema_summary: str | None = None  # which labels.yaml version was read, and its layers
    label_problems: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # corpus and annotations
    # Worth knowing but not wrong (older file versions that load as they are).
    notices: list[Problem] = field(default_factory=list)
    hint: str | None = None  # how to start, when there is no labels.yaml at all

    @property
    def all_problems(self) -> list[Problem]:
        return [*self.label_problems, *self.problems]

    @property
    def exit_code(self) -> int:
        """2 for broken labels (as everywhere else), 1 for other problems, 0 when clean."""
        if self.label_problems:
            return SchemaError.exit_code
        return 1 if self.problems else 0


def validate_project(project: Project) -> ValidationReport:
    with no_gc():  # no cycles are made: the collector would only walk the records again
        return _validate(project)


def _validate(project: Project) -> ValidationReport:
    report = ValidationReport()
    schema: LabelSchema | None = None
    try:
        schema = project.schema
    except SchemaError as exc:
        report.label_problems.extend(exc.problems)
        report.hint = exc.hint
    if schema is not None:
        report.labels = sum(len(layer.labels) for layer in schema.layers)
        report.schema_summary = schema_summary(schema)
        report.problems.extend(schema.merge_problems)  # annotators' speakers files
    articles = _check_corpus(project, report)
    _check_annotations(project, schema, articles, report)
    return report


def schema_summary(schema: LabelSchema) -> str:
    """Which labels.yaml was read: "version 2, 3 layers (a, b, c)", or how a v1 file reads."""
    ids = ", ".join(schema.layer_ids)
    if schema.version < 2:
        return f"{schema.path.name}: version {schema.version} (no layers declared; read as {ids})"
    count = len(schema.layers)
    return (f"{schema.path.name}: version {schema.version}, {count} layer"
            f"{'s' if count != 1 else ''} ({ids})")


@dataclass(frozen=True)
class _ArticleFacts:
    """What the annotation checks need of a parsed article (the text itself is not kept)."""

    sentence_count: int
    text_sha: str


def _check_corpus(project: Project, report: ValidationReport) -> dict[str, _ArticleFacts]:
    """Parse every article in full (the editor only reads headers until one is opened),
    except those found sound before and unchanged since (see _SoundArticles)."""
    corpus = project.corpus
    entries = corpus.entries()
    report.problems.extend(corpus.problems)
    articles: dict[str, _ArticleFacts] = {}
    sound = _SoundArticles(project.state_dir / "validated-articles.json")
    for entry in entries:
        path = corpus.folder / entry.file
        if path.stem != entry.id:
            report.problems.append(Problem(
                path, f"the article id {entry.id!r} does not match the file name; rename the "
                f"file to {entry.id}.yaml (annotations find articles by file name)"))
            continue
        facts, stamp = sound.get(path)
        if facts is None:
            try:
                article = read_article(path)
            except CorpusError as exc:
                report.problems.extend(exc.problems)
                continue
            problems = _article_problems(article, path)
            report.problems.extend(problems)
            facts = _ArticleFacts(len(article.spans), article.text_sha)
            if not problems and stamp is not None:
                sound.put(path, stamp, facts)
        articles[entry.id] = facts
    sound.save()
    report.articles = len(articles)
    return articles


class _SoundArticles:
    """Articles parsed in full and found sound, by file size and mtime, under .annotator/.

    Parsing 10,000 articles takes most of ten seconds, and articles are written once, at
    import: a second `annotator validate` re-reads only what changed. Like every file
    under .annotator/ it is only a shortcut (deleting it is always safe); RULES names the
    checks it vouches for, so a change to them re-checks everything.
    """

    RULES = 1

    def __init__(self, path: Path):
        self.path = path
        self.known: dict[str, list[Any]] = {}
        self.fresh: dict[str, list[Any]] = {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("rules") == self.RULES and \
                isinstance(data.get("files"), dict):
            self.known = data["files"]

    @staticmethod
    def _stamp(path: Path) -> list[int] | None:
        try:
            stat = path.stat()
        except OSError:
            return None
        return [stat.st_size, stat.st_mtime_ns]

    def get(self, path: Path) -> tuple[_ArticleFacts | None, list[int] | None]:
        """What was found when this very file was parsed; and its stamp, taken before
        anyone reads it (so a change made while it is read is seen next time)."""
        record = self.known.get(path.name)
        stamp = self._stamp(path)
        if stamp is None or not isinstance(record, list) or len(record) != 4 or \
                record[:2] != stamp:
            return None, stamp
        self.fresh[path.name] = record
        return _ArticleFacts(int(record[2]), str(record[3])), stamp

    def put(self, path: Path, stamp: list[int], facts: _ArticleFacts) -> None:
        self.fresh[path.name] = [*stamp, facts.sentence_count, facts.text_sha]

    def save(self) -> None:
        if self.fresh == self.known:
            return
        try:
            atomic_write(self.path, json.dumps({"rules": self.RULES, "files": self.fresh},
                                               separators=(",", ":")))
        except OSError:
            pass  # a read-only project is still checked, just in full each time


def _article_problems(article: Article, path: Path) -> list[Problem]:
    problems = []
    previous_end = 0
    for index, (start, end) in enumerate(article.spans):
        if start < previous_end:
            problems.append(Problem(
                path, f"sentence {index} [{start}, {end}] overlaps or precedes the one before it"))
        previous_end = end
    bad = [i for i in article.non_content if not isinstance(i, int) or not
           0 <= i < len(article.spans)]
    if bad:
        problems.append(Problem(path, f"non_content lists sentences that do not exist: {bad}"))
    return problems


def _check_annotations(
    project: Project, schema: LabelSchema | None, articles: dict[str, _ArticleFacts],
    report: ValidationReport,
) -> None:
    folder = project.annotations_dir
    if not folder.is_dir():
        return
    known_ids = set(project.corpus.ids())
    labels = {} if schema is None else {layer.id: schema.label_ids(layer.id)
                                        for layer in schema.layers}
    index = project.index
    for annotator_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        if annotator_dir.name.startswith("."):
            continue
        try:
            check_annotator_name(annotator_dir.name)
        except UsageError:
            if any(is_article_file(p.name) for p in annotator_dir.glob("*.yaml")):
                report.problems.append(Problem(
                    annotator_dir, "not a usable annotator name (letters, digits, '.', '_', "
                    "'-'); its files are ignored by the editor"))
            continue
        files = index.annotator(annotator_dir.name).files
        for article_id in sorted(files):
            report.annotation_files += 1
            checker = _FileCheck(annotator_dir / f"{article_id}.yaml", annotator_dir.name,
                                 files[article_id], schema, project, labels)
            report.problems.extend(checker.problems(articles, known_ids))
            report.notices.extend(checker.notices())
        index.release(annotator_dir.name)  # one annotator's records in memory at a time


class _FileCheck:
    """One annotation file's findings, from its index records; the file itself is read
    again only when a finding needs the line it sits on."""

    def __init__(self, path: Path, annotator: str, records: FileRecords,
                 schema: LabelSchema | None, project: Project,
                 known: dict[str, AbstractSet[str]]):
        self.known = known  # layer id -> its label ids
        self.path = path
        self.annotator = annotator
        self.records = records
        self.schema = schema
        self.project = project
        self._doc: AnnotationDoc | None = None
        self._lines: list[str] | None = None

    def problems(self, articles: dict[str, _ArticleFacts], known_ids: set[str]) -> list[Problem]:
        records = self.records
        if records.problem is not None:
            return [records.problem]
        article_id = records.article_id
        facts = articles.get(article_id)
        if facts is None:
            if article_id not in known_ids:
                return [Problem(self.path, f"refers to article {article_id!r}, which is not "
                                           "in the corpus")]
            return []  # an unreadable article is reported with the corpus
        problems: list[Problem] = []
        if self.schema is not None:
            problems.extend(self._layer_problems(self.schema))
            problems.extend(self._span_problems(self.schema))
        count = facts.sentence_count
        sentences = records.sentences
        if sentences and sentences[-1] >= count:
            for index in sentences:
                if index >= count:
                    problems.append(Problem(
                        self.path, f"sentence {index} is out of range (the article has "
                                   f"{count} sentences)", self.entry_line(index)))
        if records.text_sha is not None and records.text_sha != facts.text_sha:
            problems.extend(self._drift(article_id, count))
        return problems

    def notices(self) -> list[Problem]:
        if self.records.problem is not None or self.records.version >= FILE_VERSION:
            return []
        version = self.records.version
        line = next((n for n, text in enumerate(self.text_lines(), 1)
                     if text.startswith("version:")), None)
        what = f"format version {version}" if line else f"no version (read as version {version})"
        return [Problem(self.path, f"{what}: read as it is; the next save writes version "
                                   f"{FILE_VERSION}", line or 1)]

    # ----- layers, from the schema -------------------------------------------------------
    def _layer_problems(self, schema: LabelSchema) -> list[Problem]:
        """Unknown layers, unknown labels, several labels in a single-choice layer: found
        on the columns (one set per layer), then listed per sentence with its line."""
        findings: list[tuple[int, int, Problem]] = []  # (sentence, order, problem)
        records = self.records
        declared = ", ".join(schema.layer_ids) or "none"
        for order, (layer_id, column) in enumerate(records.layers.items()):
            layer = schema.layer_of(layer_id)
            if layer is None:
                for index, ids in zip(records.sentences, column, strict=True):
                    if ids:
                        findings.append((index, order, Problem(
                            self.path, f"sentence {index}: unknown layer {layer_id!r} "
                            f"({schema.path.name} declares {declared})",
                            self.label_line(index, layer_id, None))))
                continue
            unknown = set(chain.from_iterable(column)) - self.known[layer_id]
            crowded = layer.single and max(map(len, column), default=0) > 1
            if not unknown and not crowded:
                continue
            for index, ids in zip(records.sentences, column, strict=True):
                if crowded and len(ids) > 1:
                    findings.append((index, order, Problem(
                        self.path, f"sentence {index}: {layer_id} takes one label ("
                        f"{layer.noun} is a single-choice layer) but has {len(ids)}: "
                        f"{', '.join(ids)}", self.label_line(index, layer_id, None))))
                for label_id in ids:
                    if label_id in unknown:
                        findings.append((index, order, Problem(
                            self.path, f"sentence {index}: unknown {layer_id} label "
                            f"{label_id!r} (not in {schema.path.name})",
                            self.label_line(index, layer_id, label_id))))
        findings.sort(key=lambda item: (item[0], item[1]))
        return [problem for _, _, problem in findings]

    def _span_problems(self, schema: LabelSchema) -> list[Problem]:
        """Spans (mentions, import evidence) in a layer labels.yaml does not declare; the
        codec has already refused malformed spans and spans outside their sentence."""
        problems = []
        for index, row in zip(self.records.sentences, self.records.rows, strict=True):
            for layer in dict.fromkeys(span[0] for span in row[5]):
                if schema.layer_of(layer) is None and layer != CONTENT_LAYER:
                    problems.append(Problem(
                        self.path, f"sentence {index}: a span names unknown layer {layer!r} "
                        f"({schema.path.name} declares {', '.join(schema.layer_ids)})",
                        self.label_line(index, "spans", None)))
        return problems

    def _drift(self, article_id: str, count: int) -> list[Problem]:
        try:
            article = self.project.corpus.load(article_id)
        except CorpusError:
            return []  # reported with the corpus
        doc = self.doc()
        if doc is None:
            return []
        problems = []
        for drift in doc.drift(article):
            match = _SENTENCE_IN_DRIFT.match(drift)
            if match and int(match.group(1)) >= count:
                continue  # already reported as out of range
            line = doc.lines.get(int(match.group(1))) if match else None
            problems.append(Problem(self.path, f"drift: {drift}", line))
        return problems

    # ----- lines, read only for files with a finding ------------------------------------
    def doc(self) -> AnnotationDoc | None:
        if self._doc is None:
            try:
                self._doc = read_doc(self.path, self.records.article_id, self.annotator)
            except StoreError:
                return None  # changed since the index read it: the next run reports it
        return self._doc

    def text_lines(self) -> list[str]:
        if self._lines is None:
            try:
                self._lines = self.path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                self._lines = []
        return self._lines

    def entry_line(self, index: int) -> int | None:
        doc = self.doc()
        return doc.lines.get(index) if doc is not None else None

    def label_line(self, index: int, layer: str, label_id: str | None) -> int | None:
        """The line holding the layer's key (and the label, when given) inside the
        sentence's entry; else the entry's own line."""
        doc = self.doc()
        first = doc.lines.get(index) if doc is not None else None
        if doc is None or first is None:
            return None
        lines = self.text_lines()
        later = [line for line in doc.lines.values() if line > first]
        stop = min(later, default=len(lines) + 1)
        pattern = (re.compile(rf"(?<![\w.-]){re.escape(label_id)}(?![\w.-])")
                   if label_id is not None else None)
        key = None
        for number in range(first, min(stop, len(lines) + 1)):
            text = lines[number - 1]
            match = _KEY_LINE.match(text)
            if match:
                key, text = match.group(1), match.group(2)
                if key == layer and pattern is None:
                    return number
            if key == layer and pattern is not None and pattern.search(text):
                return number
        return first


_KEY_LINE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*:(.*)$")
