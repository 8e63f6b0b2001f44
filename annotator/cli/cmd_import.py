"""`annotator import FILE...`: articles (text, Markdown, JSON Lines) and other tools' tags.

Formats (docs/formats.md): plain text and Markdown articles; JSON Lines articles
(`text` plus optional id, title, published, url, source); brat standoff (.txt + .ann);
doccano and Prodigy JSONL; Label Studio JSON, JSON-MIN and CSV exports; our own JSONL
export. `--format auto` (the default) sniffs each file's content (formats/sniff.py) and
refuses what we do not read (WebAnno TSV, CoNLL, XMI, tables, spreadsheets, binary
data, text that is not prose) with the way in. Every refused item is printed with
file:line and the exit status is 1; so is an import that imports nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from rich.table import Table

from annotator.cli import COMMANDS, annotator_flag, project_root
from annotator.cli.output import cell, safe_console, say
from annotator.core.errors import Problem, UsageError
from annotator.core.formats import sniff
from annotator.core.formats.brat_import import BratImporter, BratReport, find_inputs
from annotator.core.formats.doccano import read_doccano
from annotator.core.formats.jsonl_articles import import_jsonl_articles
from annotator.core.formats.labelled import (
    LabelledImporter,
    LabelledReport,
    LabelledText,
)
from annotator.core.formats.labelstudio import (
    read_labelstudio,
    read_labelstudio_csv,
    read_labelstudio_min,
)
from annotator.core.formats.prodigy import read_prodigy
from annotator.core.formats.records_import import RecordsReport, import_records
from annotator.core.importer import ImportResult, import_texts, read_sources
from annotator.core.project import Project
from annotator.core.store import check_annotator_name

FORMATS = ("auto", "text", "jsonl", "brat", "doccano", "prodigy", "labelstudio",
           "labelstudio-min", "labelstudio-csv", "annotator-jsonl")
_TAG_FORMATS = {"brat", "doccano", "prodigy", "labelstudio", "labelstudio-min",
                "labelstudio-csv", sniff.OURS}
_MAX_LINES = 30
_ANSWERED = {"accept": "accepted", "reject": "rejected", "ignore": "ignored"}


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
                     help="brat: every .ann names its annotator after its text's name "
                          "(DOC.NAME.ann, DOC-NAME.ann, DOC_NAME.ann beside DOC.txt); "
                          "the names found are listed")
    sub.add_argument("--text-key", metavar="KEY",
                     help="Label Studio: the task's text is data.KEY (e.g. reviewText for "
                          "$reviewText; default text)")
    sub.add_argument("--merge", action="store_true",
                     help="add to an annotator's existing tags, filling only empty sentences")
    sub.add_argument("--dry-run", action="store_true",
                     help="check and report what would be imported; write nothing")
    return sub


def run(args: argparse.Namespace) -> int:
    project = Project(project_root(args))
    if not project.labels_path.exists():
        _ = project.schema  # "no labels.yaml here", with how to start a project
    groups, refused = _group(args.files, args.format, args)
    _print_problems(refused)
    project.corpus_dir.mkdir(parents=True, exist_ok=True)
    failed = bool(refused)
    imported = 0
    for fmt, files in groups.items():
        if fmt in _TAG_FORMATS:
            _ = project.schema  # a broken labels.yaml stops here, with its own message
        if fmt == "text":
            bad, done = _import_text(project, files, args.dry_run)
        elif fmt == "jsonl":
            bad, done = _import_jsonl(project, files, args.dry_run)
        elif fmt == "brat":
            bad, done = _import_brat(project, files, args)
        elif fmt == sniff.OURS:
            bad, done = _import_ours(project, files, args)
        else:
            bad, done = _import_labelled(project, files, fmt, args)
        failed |= bad
        imported += done
    if not imported:
        verb = "would import" if args.dry_run else "imported"
        say(f"annotator: nothing {verb} (no article and no tag)", file=sys.stderr)
        return 1
    return 1 if failed else 0


def _group(files: list[Path], fmt: str,
           args: argparse.Namespace) -> tuple[dict[str, list[Path]], list[Problem]]:
    """Files by format, in the order given; `auto` sniffs each file's content. Files in a
    format we do not read are refused, each with the way in."""
    groups: dict[str, list[Path]] = {}
    refused: list[Problem] = []
    for path in files:
        if fmt != "auto":
            kind = fmt
            if fmt == "labelstudio" and path.is_file():
                _check_forced_labelstudio(path)
        else:
            found = _detect(path, args)
            if isinstance(found, Problem):
                refused.append(found)
                continue
            kind = found
        groups.setdefault(kind, []).append(path)
    return groups, refused


def _detect(path: Path, args: argparse.Namespace) -> str | Problem:
    if path.is_dir() or path.suffix == ".ann":
        return "brat"
    try:
        with open(path, "rb") as handle:
            head = handle.read(sniff.HEAD_BYTES)
    except OSError:
        return "text"  # the text import reports why it cannot be read
    found = sniff.sniff(path, head)
    if found.kind is None:
        return Problem(path, f"looks like {found.what}; not imported: {found.hint}")
    if found.kind in {"doccano", "prodigy"} and annotator_flag(args) is None:
        raise UsageError(Problem(path, f"looks like {found.what} (text with labels): import "
                                       f"it with --format {found.kind} --annotator NAME, or "
                                       "with --format jsonl to take only the texts"))
    return found.kind


def _check_forced_labelstudio(path: Path) -> None:
    """JSON-MIN is a different shape: name it rather than report every task as broken."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(sniff.HEAD_BYTES)
    except OSError:
        return
    found = sniff.sniff(path, head)
    if found.kind == sniff.LS_MIN:
        raise UsageError(Problem(path, "this is a Label Studio JSON-MIN export (flat tasks "
                                       "without \"data\"/\"annotations\"), not the JSON export: "
                                       "import it with --format labelstudio-min"))


def _print_problems(problems: list[Problem | str]) -> None:
    for problem in problems:
        say(f"annotator: {problem}", file=sys.stderr)


# --------------------------------------------------------------------------- articles


def _import_text(project: Project, files: list[Path], dry_run: bool) -> tuple[bool, int]:
    if dry_run:
        raise UsageError(Problem("--dry-run", "applies to JSON Lines articles and tag imports"))
    sources = read_sources(files)
    readable = [item for item in sources if isinstance(item, tuple)]
    results = [item for item in sources if isinstance(item, ImportResult)]
    results += import_texts(project.corpus, readable)
    return print_results(results) != 0, _done(results)


def _done(results: list[ImportResult]) -> int:
    return sum(1 for result in results if result.article is not None)


def _import_jsonl(project: Project, files: list[Path], dry_run: bool) -> tuple[bool, int]:
    results: list[ImportResult] = []
    for path in files:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            results.append(ImportResult(None, str(path), Problem(path,
                                                                 f"cannot read: {exc.strerror}")))
            continue
        results += import_jsonl_articles(project.corpus, path, raw, dry_run=dry_run)
    return print_results(results, dry_run=dry_run) != 0, _done(results)


def print_results(results: list[ImportResult], *, dry_run: bool = False) -> int:
    """The batch table (id, title, sentences), then one line per refused item."""
    console = safe_console()
    done = [r for r in results if r.article is not None]
    if done:
        verb = "Would import" if dry_run else "Imported"
        table = Table(title=f"{verb} {len(done)} article(s)", title_justify="left")
        table.add_column("id", overflow="fold")
        table.add_column("title", overflow="fold")
        table.add_column("sentences", justify="right")
        for result in done:
            assert result.article is not None
            table.add_row(cell(result.article.id), cell(result.article.title),
                          str(len(result.article.spans)))
        console.print(table)
    failed = [r for r in results if r.problem is not None]
    _print_problems([r.problem for r in failed if r.problem is not None])
    if failed and done:
        say(f"annotator: {len(failed)} refused, {len(done)} imported", file=sys.stderr)
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


def _import_brat(project: Project, files: list[Path],
                 args: argparse.Namespace) -> tuple[bool, int]:
    annotator = _annotator(args, required=False)
    inputs, problems = find_inputs(files, annotator, args.annotator_from_suffix)
    by_suffix = Counter(i.annotator for i in inputs if i.annotator and i.annotator != annotator)
    if by_suffix or args.annotator_from_suffix:
        found = ", ".join(f"{name} ({count} file(s))" for name, count in sorted(by_suffix.items()))
        say(f"annotators from file names: {found or 'none'}")
    importer = BratImporter(project, merge=args.merge, dry_run=args.dry_run)
    report = importer.run(inputs, problems)
    _print_brat(report, args.dry_run)
    return bool(report.failed), sum(1 for f in report.files
                                     if f.problem is None and (f.sentences or f.is_new))


def _print_brat(report: BratReport, dry_run: bool) -> None:
    console = safe_console()
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
            table.add_row(cell(outcome.ann.name), cell(outcome.annotator or ""), cell(article),
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
            table.add_row(cell(name), str(count), cell(", ".join(Path(f).name for f in files)))
        console.print(table)
        say("Review them in labels.yaml (each is marked imported: true); one that duplicates "
            "a known entry can be merged there.")
    _print_notes(report.messages + report.unknown, report.ignored)
    _print_problems([f.problem for f in report.failed if f.problem is not None])


def _print_notes(messages: list[str], ignored: Counter[str]) -> None:
    for line in messages[:_MAX_LINES]:
        say(f"annotator: note: {line}", file=sys.stderr)
    if len(messages) > _MAX_LINES:
        say(f"annotator: note: ... and {len(messages) - _MAX_LINES} more", file=sys.stderr)
    if ignored:
        shown = ", ".join(f"{count} {what}" for what, count in sorted(ignored.items()))
        say(f"annotator: note: not imported (no meaning here): {shown}", file=sys.stderr)


def _import_labelled(project: Project, files: list[Path], fmt: str,
                     args: argparse.Namespace) -> tuple[bool, int]:
    items: list[LabelledText] = []
    problems: list[Problem] = []
    answers: Counter[str] = Counter()
    for path in files:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(path, f"cannot read: {exc.strerror}"))
            continue
        if fmt == "doccano":
            found, bad = read_doccano(path, raw)
        elif fmt == "prodigy":
            found, bad, skipped = read_prodigy(path, raw)
            answers.update(skipped)
        elif fmt == "labelstudio-min":
            found, bad, _ = read_labelstudio_min(path, raw, args.text_key)
        elif fmt == "labelstudio-csv":
            found, bad, _ = read_labelstudio_csv(path, raw, args.text_key)
        else:
            found, bad, _ = read_labelstudio(path, raw, args.text_key)
        items += found
        problems += bad
    groups = _by_annotator(items, args)
    failed, done = bool(problems), 0
    _print_problems(list(problems))
    for annotator, group in groups.items():
        importer = LabelledImporter(project, annotator, merge=args.merge, dry_run=args.dry_run)
        report = importer.run(group)
        if answers:
            shown = ", ".join(f"{count} {_ANSWERED[answer]}"
                              for answer, count in sorted(answers.items()))
            report.messages.append(f"tasks not imported by their answer: {shown}")
            answers = Counter()
        _print_labelled(report, annotator, args.dry_run, fmt)
        failed |= report.failed
        done += sum(1 for a in report.articles if a.problem is None and (a.sentences or a.is_new))
    return failed, done


def _by_annotator(items: list[LabelledText],
                  args: argparse.Namespace) -> dict[str, list[LabelledText]]:
    """Items by whose they are: the file's own annotators (Label Studio), else --annotator."""
    if not items:
        return {}
    named = sorted({item.annotator for item in items if item.annotator})
    given = annotator_flag(args)
    if len(named) > 1 and given:
        raise UsageError(Problem("--annotator", f"this file has {len(named)} annotators "
                                 f"({', '.join(named)}); each is imported under its own name, "
                                 "so leave out --annotator"))
    if len(named) <= 1:
        annotator = _annotator(args, required=not named) or named[0]
        return {annotator: items} if items else {}
    groups: dict[str, list[LabelledText]] = {}
    for item in items:
        if not item.annotator:
            raise UsageError(Problem(item.source, "this annotation names no annotator while "
                                                  "others do; not guessed"))
        groups.setdefault(check_annotator_name(item.annotator), []).append(item)
    return groups


def _print_labelled(report: LabelledReport, annotator: str, dry_run: bool, fmt: str) -> None:
    console = safe_console()
    done = [a for a in report.articles if a.problem is None]
    name = {"doccano": "doccano", "labelstudio": "Label Studio", "prodigy": "Prodigy",
            "labelstudio-min": "Label Studio JSON-MIN",
            "labelstudio-csv": "Label Studio CSV"}[fmt]
    verb = "Would tag" if dry_run else "Tagged"
    if done:
        table = Table(title=f"{name}: {verb} {len(done)} article(s) as {annotator}",
                      title_justify="left")
        table.add_column("article", overflow="fold")
        table.add_column("items", justify="right")
        table.add_column("sentences", justify="right")
        table.add_column("kept", justify="right")
        for outcome in done:
            table.add_row(cell(f"{outcome.article_id}{' (new)' if outcome.is_new else ''}"),
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
            table.add_row(cell(label), cell(reason), str(count))
        console.print(table)
    if report.new_entities:
        table = Table(title="Would be added to labels.yaml" if dry_run else
                      "Added to labels.yaml (imported: true)", title_justify="left")
        table.add_column("layer")
        table.add_column("name", overflow="fold")
        table.add_column("mentions", justify="right")
        for noun, entity, count in sorted(report.new_entities):
            table.add_row(cell(noun), cell(entity), str(count))
        console.print(table)
        say("Review them in labels.yaml; merge one that is someone known with "
            "`annotator speakers merge`.")
    placed = ", ".join(f"{count} by {how}" for how, count in sorted(report.placed.items()))
    if placed:
        say(f"{report.items} item(s) read; placed {placed}")
    _print_notes(report.messages, Counter())
    _print_problems([*report.problems, *(a.problem for a in report.articles if a.problem)])


def _import_ours(project: Project, files: list[Path],
                 args: argparse.Namespace) -> tuple[bool, int]:
    """Our own JSONL export: every record under its own annotator (--annotator is not used)."""
    report = RecordsReport()
    for path in files:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            report.problems.append(Problem(path, f"cannot read: {exc.strerror}"))
            continue
        import_records(project, path, raw, merge=args.merge, dry_run=args.dry_run,
                       report=report)
    done = {key: count for key, count in report.written.items() if count}
    if done:
        table = Table(title=f"{'Would tag' if args.dry_run else 'Tagged'} from an export",
                      title_justify="left")
        table.add_column("annotator")
        table.add_column("article", overflow="fold")
        table.add_column("sentences", justify="right")
        for (annotator, article), count in sorted(done.items()):
            table.add_row(cell(annotator), cell(article), str(count))
        safe_console().print(table)
    if report.kept:
        say(f"annotator: note: {report.kept} sentence(s) already tagged were kept (--merge)",
            file=sys.stderr)
    _print_problems(list(report.problems))
    return bool(report.problems), len(done)
