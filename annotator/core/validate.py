"""Check a whole project at once: labels, corpus, every annotation file.

`annotator validate` is what a lead runs after editing labels.yaml or pulling colleagues'
work: it lists every problem (file:line: message) in one pass, so nothing is discovered
one failure at a time in the editor. It only reads; nothing it finds is ever rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .article import Article, read_article
from .errors import CorpusError, Problem, SchemaError, StoreError, UsageError
from .project import Project
from .schema import LabelSchema
from .annotation_file import AnnotationDoc, read_doc
from .store import check_annotator_name

_SENTENCE_IN_DRIFT = re.compile(r"^sentence (\d+) ")


@dataclass
class ValidationReport:
    labels: int = 0
    articles: int = 0
    annotation_files: int = 0
    label_problems: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # corpus and annotations
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
    report = ValidationReport()
    schema: LabelSchema | None = None
    try:
        schema = project.schema
    except SchemaError as exc:
        report.label_problems.extend(exc.problems)
        report.hint = exc.hint
    if schema is not None:
        report.labels = sum(len(schema.layer(layer)) for layer in ("speakers", "claim", "topics"))
    articles = _check_corpus(project, report)
    _check_annotations(project, schema, articles, report)
    return report


def _check_corpus(project: Project, report: ValidationReport) -> dict[str, Article]:
    """Parse every article in full (the editor only reads headers until one is opened)."""
    corpus = project.corpus
    entries = corpus.entries()
    report.problems.extend(corpus.problems)
    articles: dict[str, Article] = {}
    for entry in entries:
        path = corpus.folder / entry.file
        if path.stem != entry.id:
            report.problems.append(Problem(
                path, f"the article id {entry.id!r} does not match the file name; rename the "
                f"file to {entry.id}.yaml (annotations find articles by file name)"))
            continue
        try:
            article = read_article(path)
        except CorpusError as exc:
            report.problems.extend(exc.problems)
            continue
        report.problems.extend(_article_problems(article, path))
        articles[article.id] = article
    report.articles = len(articles)
    return articles


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
    project: Project, schema: LabelSchema | None, articles: dict[str, Article],
    report: ValidationReport,
) -> None:
    folder = project.annotations_dir
    if not folder.is_dir():
        return
    known_ids = set(project.corpus.ids())
    for annotator_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        if annotator_dir.name.startswith("."):
            continue
        files = sorted(p for p in annotator_dir.glob("*.yaml") if not p.name.startswith("."))
        try:
            check_annotator_name(annotator_dir.name)
        except UsageError:
            if files:
                report.problems.append(Problem(
                    annotator_dir, "not a usable annotator name (letters, digits, '.', '_', "
                    "'-'); its files are ignored by the editor"))
            continue
        for path in files:
            report.annotation_files += 1
            report.problems.extend(
                _check_doc(path, annotator_dir.name, schema, articles, known_ids))


def _check_doc(
    path: Path, annotator: str, schema: LabelSchema | None, articles: dict[str, Article],
    known_ids: set[str],
) -> list[Problem]:
    try:
        doc = read_doc(path, path.stem, annotator)
    except StoreError as exc:
        return list(exc.problems)
    problems: list[Problem] = []
    article = articles.get(doc.article_id)
    if article is None:
        if doc.article_id not in known_ids:
            problems.append(Problem(
                path, f"refers to article {doc.article_id!r}, which is not in the corpus"))
        return problems  # an unreadable article is reported with the corpus
    if schema is not None:
        problems.extend(_unknown_labels(path, doc, schema))
    count = len(article.spans)
    for index in sorted(doc.tags):
        if index >= count:
            problems.append(Problem(
                path, f"sentence {index} is out of range (the article has {count} sentences)",
                doc.lines.get(index)))
    for drift in doc.drift(article):
        match = _SENTENCE_IN_DRIFT.match(drift)
        line = doc.lines.get(int(match.group(1))) if match else None
        if match and int(match.group(1)) >= count:
            continue  # already reported as out of range
        problems.append(Problem(path, f"drift: {drift}", line))
    return problems


def _unknown_labels(path: Path, doc: AnnotationDoc, schema: LabelSchema) -> list[Problem]:
    problems = []
    lines: list[str] | None = None
    for index, tags in sorted(doc.tags.items()):
        for layer, label_id in tags.labels():
            if schema.has(layer, label_id):
                continue
            if lines is None:
                try:
                    lines = path.read_text(encoding="utf-8").splitlines()
                except (OSError, UnicodeDecodeError):
                    lines = []
            problems.append(Problem(
                path, f"sentence {index}: unknown {layer} label {label_id!r} (not in "
                f"{schema.path.name})", _label_line(lines, doc, index, layer, label_id)))
    return problems


_KEY_LINE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_]+)\s*:(.*)$")


def _label_line(lines: list[str], doc: AnnotationDoc, index: int, layer: str,
                label_id: str) -> int | None:
    """The line holding the label inside the sentence's entry (else the entry's own line)."""
    first = doc.lines.get(index)
    if first is None:
        return None
    later = [line for line in doc.lines.values() if line > first]
    stop = min(later, default=len(lines) + 1)
    pattern = re.compile(rf"(?<![\w.-]){re.escape(label_id)}(?![\w.-])")
    key = None
    for number in range(first, min(stop, len(lines) + 1)):
        text = lines[number - 1]
        match = _KEY_LINE.match(text)
        if match:
            key, text = match.group(1), match.group(2)
        if key == layer and pattern.search(text):
            return number
    return first
