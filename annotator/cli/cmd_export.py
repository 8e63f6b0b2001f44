"""`annotator export`: tags out as JSONL (docs/formats.md), CSV or brat, optionally split.

Data goes to stdout or to the files named; everything said about the export (summary,
warnings, problems) goes to stderr when the data is on stdout, so a pipe stays clean.
Label names and file names are data: printed through Text, never markup.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import IO

from rich.table import Table
from rich.text import Text

from annotator.cli import COMMANDS, annotator_flag, project_root
from annotator.cli.output import cell, safe_console, say
from annotator.core.atomic import atomic_open, atomic_write
from annotator.core.errors import Problem, UsageError
from annotator.core.formats import csv_export
from annotator.core.formats.brat_export import export_brat
from annotator.core.formats.export_records import (
    DEFAULT_GOLD,
    ExportReport,
    Selection,
    annotated_ids,
    select_annotators,
)
from annotator.core.formats.export_run import encode_articles
from annotator.core.formats.features import absent_labels, features, vocabulary
from annotator.core.formats.output import check_output_path
from annotator.core.formats.split import (
    SPLIT_NAMES,
    SplitCounts,
    assign_splits,
    parse_ratios,
)
from annotator.core.formats.tool_exports import LIST_CLOSE, LIST_OPEN, LIST_SEPARATOR
from annotator.core.project import Project

FORMATS = ("jsonl", "csv", "brat", "prodigy", "labelstudio", "doccano")
_MAX_WARNINGS = 20
_TOP_ENTITIES = 15  # an entity layer (thousands of names) shows its most frequent only


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser):
    sub = subparsers.add_parser(
        "export", parents=[common], help=COMMANDS["export"],
        description="Export tagged sentences. JSONL writes one record per sentence and "
        "annotator: id, article, sentence (from 0), number (from 1), start, end, text, "
        "annotator, not_content, one field per layer of labels.yaml (in its order), "
        "speaker_mentions, spans, note. By default the gold set when annotations/gold/ "
        "exists, else every annotator folder (a warning says when several are mixed); "
        "--annotator a,b, --gold [NAME] or --all-annotators choose. Sentences marked not "
        "content are skipped. --split also writes labels.json and features.json. See "
        "docs/formats.md.",
    )
    sub.add_argument("--format", choices=FORMATS, default="jsonl",
                     help="jsonl (default), csv (lists joined by |), brat (.txt and .ann "
                          "per article), or for other tools: prodigy, labelstudio (JSON "
                          "tasks with annotations), doccano")
    sub.add_argument("-o", "--output", type=Path, metavar="PATH",
                     help="file to write (default: stdout); a folder with --split or brat")
    sub.add_argument("--gold", nargs="?", const=DEFAULT_GOLD, metavar="REVIEWER",
                     help=f"export the adjudicated set in annotations/REVIEWER/ "
                          f"(default {DEFAULT_GOLD!r}); the default when annotations/"
                          f"{DEFAULT_GOLD}/ exists")
    sub.add_argument("--all-annotators", action="store_true",
                     help="every annotator folder, gold included (records of several "
                          "annotators per sentence)")
    sub.add_argument("--all-sentences", action="store_true",
                     help="also write a record (annotator null, no labels) for every sentence "
                          "nobody tagged: the whole segmentation")
    sub.add_argument("--include-not-content", action="store_true",
                     help="keep sentences marked not content (bylines, credits, ...)")
    sub.add_argument("--split", metavar="TRAIN/DEV/TEST",
                     help="write train/dev/test files, split by article, e.g. 80/10/10")
    sub.add_argument("--seed", type=int, default=0, help="seed of the split (default 0)")
    sub.add_argument("--force", action="store_true",
                     help="brat: overwrite .ann files that hold other annotations")
    sub.add_argument("--jobs", type=int, metavar="N",
                     help="processes for JSONL/CSV, this one and N-1 workers (default: one "
                          "per idle CPU, up to 8, from 2,000 articles; the output is the same "
                          "either way)")
    return sub


def run(args: argparse.Namespace) -> int:
    project = Project(project_root(args))
    _ = project.schema  # a broken labels.yaml stops here, with its own message
    chosen = annotator_flag(args)
    annotators, notice = _annotators(project, chosen, args)
    if not annotators and not args.all_sentences:
        raise UsageError(Problem(project.annotations_dir, "nothing to export: no annotator "
                                 "has tagged anything yet (--all-sentences exports the "
                                 "segmentation alone)"))
    if notice:
        say(f"annotator: {notice}", file=sys.stderr)
    selection = Selection(annotators, args.all_sentences, args.include_not_content)
    if args.output is not None:
        check_output_path(project, args.output)
    ratios = parse_ratios(args.split) if args.split else None
    report = ExportReport()
    if ratios and args.format not in ("jsonl", "csv", "brat"):
        raise UsageError(Problem("--split", "writes jsonl, csv or brat files (training data); "
                                            f"export {args.format} without --split"))
    if args.format == "brat":
        data_on_stdout = False
        _export_brat(project, selection, args, ratios, report)
    elif ratios:
        data_on_stdout = False
        _export_split(project, selection, args, ratios, report)
    else:
        data_on_stdout = args.output is None
        _export_single(project, selection, args, report)
    return _finish(report, data_on_stdout, selection)


def _annotators(project: Project, chosen: str | None,
                args: argparse.Namespace) -> tuple[tuple[str, ...], str]:
    """Whose records, and a line to say about it: gold when it exists and nobody is named;
    a warning when several annotators' records would be mixed without being asked for."""
    if args.all_annotators and (chosen or args.gold):
        raise UsageError("use --all-annotators, --annotator or --gold, not two of them")
    if chosen or args.gold or args.all_annotators:
        return select_annotators(project, chosen, args.gold), ""
    if (project.annotations_dir / DEFAULT_GOLD).is_dir():
        return (select_annotators(project, None, DEFAULT_GOLD),
                f"note: exporting the adjudicated set ({DEFAULT_GOLD}/); --all-annotators "
                "or --annotator NAME for the annotators' own tags")
    everyone = select_annotators(project)
    if len(everyone) > 1:
        return everyone, (f"warning: records of {len(everyone)} annotators "
                          f"({', '.join(everyone)}) are mixed, one per sentence and "
                          "annotator; choose with --annotator NAME (or --all-annotators to "
                          "say you mean it)")
    return everyone, ""


class _Utf8Stdout:
    """The contract says UTF-8 whatever the locale: wrap stdout's bytes when it is not."""

    def __enter__(self) -> IO[str]:
        encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
        self.wrapper: io.TextIOWrapper | None = None
        if encoding == "utf8" or not hasattr(sys.stdout, "buffer"):
            return sys.stdout
        sys.stdout.flush()
        self.wrapper = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
        return self.wrapper

    def __exit__(self, *exc: object) -> None:
        if self.wrapper is not None:
            self.wrapper.flush()
            self.wrapper.detach()  # closing it would close the real stdout


def _export_single(project: Project, selection: Selection, args: argparse.Namespace,
                   report: ExportReport) -> None:
    with ExitStack() as stack:
        if args.output is None:
            stream = stack.enter_context(_Utf8Stdout())
        else:
            if args.output.is_dir():
                raise UsageError(Problem(args.output, "is a folder; name a file (or use --split)"))
            stream = stack.enter_context(atomic_open(args.output, newline=""))
        if args.format == "csv":
            stream.write(csv_export.header(project.schema.layer_ids))
        listing = args.format == "labelstudio"  # one JSON list of tasks
        first = True
        if listing:
            stream.write(LIST_OPEN)
        for encoded in encode_articles(project, selection, args.format, report, jobs=args.jobs):
            text = encoded.text
            if listing and first and text:
                text, first = text[len(LIST_SEPARATOR):], False
            stream.write(text)
        if listing:
            stream.write(LIST_CLOSE if not first else "]\n")
        stream.flush()


def _split_ids(project: Project, selection: Selection) -> list[str]:
    if selection.all_sentences:
        return project.corpus.ids()
    listing = annotated_ids(project, selection.annotators)
    known = set(project.corpus.ids())
    return sorted(set().union(*listing.values()) & known)


def _export_split(project: Project, selection: Selection, args: argparse.Namespace,
                  ratios: tuple[int, ...], report: ExportReport) -> None:
    names = SPLIT_NAMES[len(ratios)]
    folder = args.output if args.output is not None else Path.cwd()
    if folder.exists() and not folder.is_dir():
        raise UsageError(Problem(folder, "with --split, -o names a folder (train/dev/test "
                                         "files are written in it)"))
    split_of = assign_splits(_split_ids(project, selection), ratios, args.seed)
    counts = SplitCounts()
    with ExitStack() as stack:
        streams = {}
        for name in names:
            path = check_output_path(project, folder / f"{name}.{args.format}")
            streams[name] = stack.enter_context(atomic_open(path, newline=""))
            if args.format == "csv":
                streams[name].write(csv_export.header(project.schema.layer_ids))
        for encoded in encode_articles(project, selection, args.format, report, jobs=args.jobs,
                                       count_labels=True):
            split = split_of.get(encoded.article_id, names[0])
            streams[split].write(encoded.text)
            assert encoded.labels is not None
            counts.add(split, encoded.records, encoded.labels)
        seen = set().union(*counts.labels.values()) if counts.labels else set()
        vocab = vocabulary(project.schema, seen)
        extras: list[tuple[str, object]] = [("labels.json", vocab)]
        if args.format == "jsonl":  # CSV cells are text: its lists are not typed lists
            extras.append(("features.json", features(project.schema, vocab)))
        for name, value in extras:
            path = check_output_path(project, folder / name)
            atomic_write(path, json.dumps(value, ensure_ascii=False, indent=1) + "\n")
    console = safe_console()
    console.print(_split_table(counts, names, folder, args.format, project))
    say("labels.json (every layer's labels)" + (
        " and features.json (column types for datasets: Features.from_dict)"
        if args.format == "jsonl" else "") + f" written to {folder}")
    for line in absent_labels(counts.labels, names, project.schema):
        say(f"annotator: warning: {line}", file=sys.stderr)


def _export_brat(project: Project, selection: Selection, args: argparse.Namespace,
                 ratios: tuple[int, ...] | None, report: ExportReport) -> None:
    if args.output is None:
        raise UsageError(Problem("-o", "brat writes a folder of .txt/.ann files: name it "
                                       "with -o DIR"))
    if selection.all_sentences:
        raise UsageError(Problem("--all-sentences", "applies to jsonl and csv (brat shows "
                                                    "the whole text anyway)"))
    split_of = None
    if ratios:
        split_of = assign_splits(_split_ids(project, selection), ratios, args.seed)
    result = export_brat(project, selection, args.output, report, force=args.force,
                         split_of=split_of)
    console = safe_console()
    table = Table(title="brat export", title_justify="left")
    table.add_column("folder", overflow="fold")
    table.add_column(".ann files", justify="right")
    for folder, count in sorted(result.folders.items()):
        table.add_row(cell(folder), str(count))
    console.print(table)


def _split_table(counts: SplitCounts, names: tuple[str, ...], folder: Path, fmt: str,
                 project: Project) -> Table:
    schema = project.schema
    table = Table(title=cell(f"Split by article into {folder}"), title_justify="left")
    table.add_column("layer")
    table.add_column("label", overflow="fold")
    for name in names:
        table.add_column(f"{name}.{fmt}", justify="right")
    table.add_row(Text("articles", style="bold"), "", *(str(counts.articles[n]) for n in names))
    table.add_row(Text("records", style="bold"), "", *(str(counts.records[n]) for n in names),
                  end_section=True)
    totals: Counter[tuple[str, str]] = Counter()
    for counter in counts.labels.values():
        totals.update(counter)
    for layer in schema.layers:
        keys = sorted((k for k in totals if k[0] == layer.id), key=lambda k: (-totals[k], k[1]))
        shown = keys[:_TOP_ENTITIES] if layer.entity else keys
        for index, key in enumerate(shown):
            table.add_row(cell(layer.id if index == 0 else ""),
                          cell(schema.display(layer.id, key[1])),
                          *(str(counts.labels.get(n, Counter())[key]) for n in names),
                          end_section=index == len(shown) - 1 and len(shown) == len(keys))
        rest = keys[len(shown):]
        if rest:
            table.add_row("", Text(f"{len(rest)} other {layer.noun}"),
                          *(str(sum(counts.labels.get(n, Counter())[k] for k in rest))
                            for n in names), end_section=True)
    return table


def _finish(report: ExportReport, data_on_stdout: bool, selection: Selection) -> int:
    """Summary, warnings, problems: plain lines (no wrapping, no markup) a user can grep."""
    warnings = report.warnings()
    for line in warnings[:_MAX_WARNINGS]:
        say(f"annotator: warning: {line}", file=sys.stderr)
    if len(warnings) > _MAX_WARNINGS:
        say(f"annotator: warning: ... and {len(warnings) - _MAX_WARNINGS} more",
            file=sys.stderr)
    skipped = []
    if report.not_content:
        skipped.append(f"{report.not_content} marked not content")
    if report.note_only:
        skipped.append(f"{report.note_only} with only a note")
    summary = (f"exported {report.records} record(s) from {report.articles} article(s); "
               f"annotators: {', '.join(selection.annotators)}")
    if skipped:
        summary += f" (skipped: {'; '.join(skipped)})"
    say(summary, file=sys.stderr if data_on_stdout else sys.stdout)
    for problem in report.problems:
        say(f"annotator: {problem}", file=sys.stderr)
    if report.problems:
        say(f"annotator: export incomplete: {len(report.problems)} file(s) could not be read "
            "(listed above); `annotator validate` explains each", file=sys.stderr)
        return 1
    return 0
