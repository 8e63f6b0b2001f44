"""`annotator import FILE...`: articles (text, Markdown, JSON Lines) and other tools' tags.

Formats (docs/formats.md): plain text and Markdown articles; JSON Lines articles
(`text` plus optional id, title, published, url, source); brat standoff (.txt + .ann);
doccano JSONL and Label Studio JSON exports. `--format auto` (the default) goes by the
file: .jsonl/.ndjson are articles, .json a Label Studio export, .ann or a folder of them
brat, anything else one article of text. A doccano export is named with --format
doccano. Every refused item is printed with file:line and the exit status is 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from annotator.cli import COMMANDS, annotator_flag, project_root
from annotator.core.errors import Problem, UsageError
from annotator.core.formats.brat_import import BratImporter, BratReport, find_inputs
from annotator.core.formats.doccano import read_doccano
from annotator.core.formats.jsonl_articles import import_jsonl_articles
from annotator.core.formats.labelled import (
    LabelledImporter,
    LabelledReport,
    LabelledText,
)
from annotator.core.formats.labelstudio import read_labelstudio
from annotator.core.importer import ImportResult, import_texts, read_sources
from annotator.core.project import Project
from annotator.core.store import check_annotator_name

FORMATS = ("auto", "text", "jsonl", "brat", "doccano", "labelstudio")
_JSONL_SUFFIXES = {".jsonl", ".ndjson"}
_TAG_FORMATS = {"brat", "doccano", "labelstudio"}
_MAX_LINES = 30


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser):
    sub = subparsers.add_parser(
        "import", parents=[common], help=COMMANDS["import"],
        description="Add articles (plain text, Markdown, JSON Lines) to the corpus, or import "
        "tags from brat, doccano or Label Studio under an annotator's name (--annotator NAME, "
        "never guessed from $ANNOTATOR). Existing tags are "
        "never overwritten: an article the annotator already tagged is refused unless --merge "
        "(which fills only the sentences left empty). See docs/formats.md.",
    )
    sub.add_argument("files", nargs="+", type=Path, metavar="FILE",
                     help="files (or, for brat, folders) to import")
    sub.add_argument("--format", choices=FORMATS, default="auto",
                     help="what the files are (default: by file name)")
    sub.add_argument("--annotator-from-suffix", action="store_true",
                     help="brat: the annotator is the last part of DOC.NAME.ann")
    sub.add_argument("--merge", action="store_true",
                     help="add to an annotator's existing tags, filling only empty sentences")
    sub.add_argument("--dry-run", action="store_true",
                     help="check and report what would be imported; write nothing")
    return sub


def run(args: argparse.Namespace) -> int:
    project = Project(project_root(args))
    if not project.labels_path.exists():
        _ = project.schema  # "no labels.yaml here", with how to start a project
    groups = _group(args.files, args.format)
    project.corpus_dir.mkdir(parents=True, exist_ok=True)
    failed = False
    for fmt, files in groups.items():
        if fmt in _TAG_FORMATS:
            _ = project.schema  # a broken labels.yaml stops here, with its own message
        if fmt == "text":
            failed |= _import_text(project, files, args.dry_run)
        elif fmt == "jsonl":
            failed |= _import_jsonl(project, files, args.dry_run)
        elif fmt == "brat":
            failed |= _import_brat(project, files, args)
        else:
            failed |= _import_labelled(project, files, fmt, args)
    return 1 if failed else 0


def _group(files: list[Path], fmt: str) -> dict[str, list[Path]]:
    """Files by format, in the order given; `auto` looks at names (and a first line)."""
    groups: dict[str, list[Path]] = {}
    for path in files:
        kind = fmt if fmt != "auto" else _detect(path)
        groups.setdefault(kind, []).append(path)
    return groups


def _detect(path: Path) -> str:
    if path.is_dir() or path.suffix == ".ann":
        return "brat"
    if path.suffix == ".json":
        return "labelstudio"
    if path.suffix in _JSONL_SUFFIXES:
        first = _first_object(path)
        if first is not None and "text" in first and (
            {"label", "labels", "entities"} & set(first)
        ) and not ({"title", "url", "published", "source"} & set(first)):
            raise UsageError(Problem(path, "looks like a doccano export (text with labels): "
                                           "import it with --format doccano --annotator NAME, "
                                           "or with --format jsonl to take only the texts"))
        return "jsonl"
    return "text"


def _first_object(path: Path) -> dict | None:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            for line in handle:
                if line.strip():
                    value = json.loads(line)
                    return value if isinstance(value, dict) else None
    except (OSError, UnicodeDecodeError, ValueError):
        return None  # the import itself reports what is wrong, with the line
    return None


def _print_problems(problems: list[Problem | str]) -> None:
    for problem in problems:
        print(f"annotator: {problem}", file=sys.stderr)


# --------------------------------------------------------------------------- articles


def _import_text(project: Project, files: list[Path], dry_run: bool) -> bool:
    if dry_run:
        raise UsageError(Problem("--dry-run", "applies to JSON Lines articles and tag imports"))
    sources = read_sources(files)
    readable = [item for item in sources if isinstance(item, tuple)]
    results = [item for item in sources if isinstance(item, ImportResult)]
    results += import_texts(project.corpus, readable)
    return print_results(results) != 0


def _import_jsonl(project: Project, files: list[Path], dry_run: bool) -> bool:
    results: list[ImportResult] = []
    for path in files:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            results.append(ImportResult(None, str(path), Problem(path,
                                                                 f"cannot read: {exc.strerror}")))
            continue
        results += import_jsonl_articles(project.corpus, path, raw, dry_run=dry_run)
    return print_results(results, dry_run=dry_run) != 0


def print_results(results: list[ImportResult], *, dry_run: bool = False) -> int:
    """The batch table (id, title, sentences), then one line per refused item."""
    console = Console()
    done = [r for r in results if r.article is not None]
    if done:
        verb = "Would import" if dry_run else "Imported"
        table = Table(title=f"{verb} {len(done)} article(s)", title_justify="left")
        table.add_column("id", overflow="fold")
        table.add_column("title", overflow="fold")
        table.add_column("sentences", justify="right")
        for result in done:
            assert result.article is not None
            table.add_row(Text(result.article.id), Text(result.article.title),
                          str(len(result.article.spans)))
        console.print(table)
    failed = [r for r in results if r.problem is not None]
    _print_problems([r.problem for r in failed if r.problem is not None])
    if failed and done:
        print(f"annotator: {len(failed)} refused, {len(done)} imported", file=sys.stderr)
    return 1 if failed else 0


# --------------------------------------------------------------------------- tags


def _annotator(args: argparse.Namespace, required: bool) -> str | None:
    name = annotator_flag(args)
    if name is None:
        if required:
            raise UsageError(Problem("--annotator", "whose tags are these? name the annotator "
                                                    "they are imported as: --annotator NAME"))
        return None
    return check_annotator_name(name)


def _import_brat(project: Project, files: list[Path], args: argparse.Namespace) -> bool:
    annotator = _annotator(args, required=False)
    inputs, problems = find_inputs(files, annotator, args.annotator_from_suffix)
    importer = BratImporter(project, merge=args.merge, dry_run=args.dry_run)
    report = importer.run(inputs, problems)
    _print_brat(report, args.dry_run)
    return bool(report.failed)


def _print_brat(report: BratReport, dry_run: bool) -> None:
    console = Console()
    done = [f for f in report.files if f.problem is None]
    if done:
        verb = "Would import" if dry_run else "Imported"
        table = Table(title=f"{verb} {len(done)} brat file(s)", title_justify="left")
        table.add_column(".ann", overflow="fold")
        table.add_column("annotator")
        table.add_column("article", overflow="fold")
        table.add_column("sentences", justify="right")
        table.add_column("kept", justify="right")
        for outcome in done:
            article = f"{outcome.article_id}{' (new)' if outcome.is_new else ''}"
            table.add_row(Text(outcome.ann.name), Text(outcome.annotator or ""), Text(article),
                          str(outcome.sentences), str(outcome.kept) if outcome.kept else "")
        console.print(table)
    if report.new_entities:
        title = report.entity_layer.title if report.entity_layer is not None else "Entries"
        table = Table(title=f"{title} that would be added" if dry_run else
                      f"New {title} in labels.yaml (imported: true)", title_justify="left")
        table.add_column("name", overflow="fold")
        table.add_column("mentions", justify="right")
        table.add_column("files", overflow="fold")
        for name, count, files in sorted(report.new_entities.values(), key=lambda v: v[0]):
            table.add_row(Text(name), str(count), Text(", ".join(Path(f).name for f in files)))
        console.print(table)
        print("Review them in labels.yaml (each is marked imported: true); one that duplicates "
              "a known entry can be merged there.")
    _print_notes(report.messages + report.unknown, report.ignored)
    _print_problems([f.problem for f in report.failed if f.problem is not None])


def _print_notes(messages: list[str], ignored: Counter[str]) -> None:
    for line in messages[:_MAX_LINES]:
        print(f"annotator: note: {line}", file=sys.stderr)
    if len(messages) > _MAX_LINES:
        print(f"annotator: note: ... and {len(messages) - _MAX_LINES} more", file=sys.stderr)
    if ignored:
        shown = ", ".join(f"{count} {what}" for what, count in sorted(ignored.items()))
        print(f"annotator: note: not imported (no meaning here): {shown}", file=sys.stderr)


def _import_labelled(project: Project, files: list[Path], fmt: str,
                     args: argparse.Namespace) -> bool:
    annotator = _annotator(args, required=True)
    assert annotator is not None
    items: list[LabelledText] = []
    problems: list[Problem] = []
    extra = 0
    for path in files:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(path, f"cannot read: {exc.strerror}"))
            continue
        if fmt == "doccano":
            found, bad = read_doccano(path, raw)
        else:
            found, bad, skipped = read_labelstudio(path, raw)
            extra += skipped
        items += found
        problems += bad
    importer = LabelledImporter(project, annotator, merge=args.merge, dry_run=args.dry_run)
    report = importer.run(items)
    report.problems[:0] = problems
    if extra:
        report.messages.append(f"{extra} more annotation(s) on tasks with several were not "
                               "imported (the first one of each task was)")
    _print_labelled(report, annotator, args.dry_run, fmt)
    return report.failed


def _print_labelled(report: LabelledReport, annotator: str, dry_run: bool, fmt: str) -> None:
    console = Console()
    done = [a for a in report.articles if a.problem is None]
    name = {"doccano": "doccano", "labelstudio": "Label Studio"}[fmt]
    verb = "Would tag" if dry_run else "Tagged"
    if done:
        table = Table(title=f"{name}: {verb} {len(done)} article(s) as {annotator}",
                      title_justify="left")
        table.add_column("article", overflow="fold")
        table.add_column("items", justify="right")
        table.add_column("sentences", justify="right")
        table.add_column("kept", justify="right")
        for outcome in done:
            table.add_row(Text(f"{outcome.article_id}{' (new)' if outcome.is_new else ''}"),
                          str(outcome.items), str(outcome.sentences),
                          str(outcome.kept) if outcome.kept else "")
        console.print(table)
    if report.unmatched:
        table = Table(title="Labels not mapped", title_justify="left")
        table.add_column("label", overflow="fold")
        table.add_column("why", overflow="fold")
        table.add_column("times", justify="right")
        for (label, reason), count in sorted(report.unmatched.items(),
                                             key=lambda kv: (-kv[1], kv[0])):
            table.add_row(Text(label), Text(reason), str(count))
        console.print(table)
    placed = ", ".join(f"{count} by {how}" for how, count in sorted(report.placed.items()))
    if placed:
        print(f"{report.items} item(s) read; placed {placed}")
    _print_notes(report.messages, Counter())
    _print_problems([*report.problems, *(a.problem for a in report.articles if a.problem)])
