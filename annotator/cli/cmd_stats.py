"""`annotator stats [--annotator NAME]`: who has done how much, and which labels are used.

One table per layer of labels.yaml, titled as labels.yaml titles it. Names and label
names are data: they go into cells and titles as Text, never through markup, so a
label called "[bold]" shows as typed.
"""

from __future__ import annotations

import argparse
import sys

from rich.bar import Bar
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from annotator.cli import COMMANDS, annotator_flag, project_root
from annotator.cli.output import cell, safe_console, say
from annotator.core.project import Project
from annotator.core.schema import Layer
from annotator.core.stats import LabelCount, ProjectStats, compute_stats

_BAR_WIDTH = 20
_TOP_ENTITIES = 20


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser):
    return subparsers.add_parser(
        "stats", parents=[common], help=COMMANDS["stats"],
        description="Progress per annotator (tagged/total sentences, articles touched) and "
        "how often each label is used. --annotator limits both to one annotator.",
    )


def run(args: argparse.Namespace) -> int:
    project = Project(project_root(args))
    stats = compute_stats(project, annotator_flag(args))
    console = safe_console()
    console.print(progress_table(stats))
    assignments = assignment_table(stats)
    if assignments is not None:
        console.print(assignments)
    for layer_id, rows in stats.counts.items():
        layer = project.schema.layer_of(layer_id)
        title = layer.title if layer else f"{layer_id} (layer not in labels.yaml)"
        console.print(label_table(title, top_entities(layer, rows)))
    for problem in stats.problems:
        say(f"annotator: skipped {problem}", file=sys.stderr)
    if stats.problems:
        say("annotator: the counts above leave these files out; `annotator validate` lists "
            "every problem", file=sys.stderr)
    return 1 if stats.problems else 0


def progress_table(stats: ProjectStats) -> Table | Text:
    if not stats.progress:
        return Text("No annotations yet: open the editor with `annotator` to start tagging.")
    table = Table(title="Progress", title_justify="left")
    table.add_column("annotator")
    table.add_column("progress", width=_BAR_WIDTH)
    table.add_column("sentences", justify="right")
    table.add_column("%", justify="right")
    table.add_column("articles touched", justify="right")
    table.add_column("done", justify="right")
    for row in stats.progress:
        table.add_row(
            cell(row.annotator),
            ProgressBar(total=max(row.total, 1), completed=row.tagged, width=_BAR_WIDTH),
            f"{row.tagged}/{row.total}",
            f"{row.fraction:.0%}",
            f"{row.articles_touched}/{row.articles}",
            str(row.articles_done),
        )
    return table


def assignment_table(stats: ProjectStats) -> Table | None:
    """With assignments.yaml: each annotator's articles, how many they finished (marked
    done, or every sentence decided) and how many a reviewer accepted."""
    rows = [row for row in stats.progress if row.assigned is not None]
    if not rows:
        return None
    table = Table(title="Assignments (assignments.yaml)", title_justify="left")
    table.add_column("annotator")
    for column in ("assigned", "done", "accepted"):
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(cell(row.annotator), str(row.assigned), str(row.assigned_done),
                      str(row.assigned_accepted))
    return table


def top_entities(layer: Layer | None, rows: list[LabelCount]) -> list[LabelCount]:
    """An entity layer (100,000 speakers) shows its most tagged entries and one line for
    the rest: a table of every name would take minutes to print and nobody reads it."""
    if layer is None or not layer.entity or len(rows) <= _TOP_ENTITIES:
        return rows
    ranked = sorted((row for row in rows if row.known), key=lambda row: -row.count)
    top, rest = ranked[:_TOP_ENTITIES], ranked[_TOP_ENTITIES:]
    unused = sum(1 for row in rest if not row.count)
    unknown = [row for row in rows if not row.known]  # always shown: they need fixing
    return [*top, *unknown, LabelCount(layer.id, "", f"{len(rest):,} more {layer.noun} ({unused:,} "
                             "never tagged)", sum(row.count for row in rest))]


def label_table(title: str, rows: list[LabelCount]) -> Table:
    table = Table(title=cell(title), title_justify="left")
    table.add_column("label")
    table.add_column("id")
    table.add_column("sentences", justify="right")
    table.add_column("", width=_BAR_WIDTH)
    most = max((row.count for row in rows), default=0)
    for row in rows:
        name = cell(row.name)
        if not row.known:
            name.append(" (not in labels.yaml)", style="red")
        table.add_row(
            name,
            cell(row.label_id, style="dim"),
            str(row.count),
            Bar(size=max(most, 1), begin=0, end=row.count, width=_BAR_WIDTH),
        )
    if not rows:
        table.add_row(Text("(no labels in this layer)", style="dim"), "", "", "")
    return table
