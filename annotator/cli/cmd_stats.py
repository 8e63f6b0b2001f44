"""`annotator stats [--annotator NAME]`: who has done how much, and which labels are used.

One table per layer of labels.yaml, titled as labels.yaml titles it. Names and label
names are data: they go into cells and titles as Text, never through markup, so a
label called "[bold]" shows as typed.
"""

from __future__ import annotations

import argparse
import sys

from rich.bar import Bar
from rich.console import Console
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from annotator.cli import COMMANDS, annotator_flag, project_root
from annotator.core.project import Project
from annotator.core.stats import LabelCount, ProjectStats, compute_stats

_BAR_WIDTH = 20


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser):
    return subparsers.add_parser(
        "stats", parents=[common], help=COMMANDS["stats"],
        description="Progress per annotator (tagged/total sentences, articles touched) and "
        "how often each label is used. --annotator limits both to one annotator.",
    )


def run(args: argparse.Namespace) -> int:
    project = Project(project_root(args))
    stats = compute_stats(project, annotator_flag(args))
    console = Console()
    console.print(progress_table(stats))
    for layer_id, rows in stats.counts.items():
        layer = project.schema.layer_of(layer_id)
        title = layer.title if layer else f"{layer_id} (layer not in labels.yaml)"
        console.print(label_table(title, rows))
    for problem in stats.problems:
        print(f"annotator: skipped {problem}", file=sys.stderr)
    if stats.problems:
        print("annotator: the counts above leave these files out; `annotator validate` lists "
              "every problem", file=sys.stderr)
    return 0


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
            Text(row.annotator),
            ProgressBar(total=max(row.total, 1), completed=row.tagged, width=_BAR_WIDTH),
            f"{row.tagged}/{row.total}",
            f"{row.fraction:.0%}",
            f"{row.articles_touched}/{row.articles}",
            str(row.articles_done),
        )
    return table


def label_table(title: str, rows: list[LabelCount]) -> Table:
    table = Table(title=Text(title), title_justify="left")
    table.add_column("label")
    table.add_column("id")
    table.add_column("sentences", justify="right")
    table.add_column("", width=_BAR_WIDTH)
    most = max((row.count for row in rows), default=0)
    for row in rows:
        name = Text(row.name)
        if not row.known:
            name.append(" (not in labels.yaml)", style="red")
        table.add_row(
            name,
            Text(row.label_id, style="dim"),
            str(row.count),
            Bar(size=max(most, 1), begin=0, end=row.count, width=_BAR_WIDTH),
        )
    if not rows:
        table.add_row(Text("(no labels in this layer)", style="dim"), "", "", "")
    return table
