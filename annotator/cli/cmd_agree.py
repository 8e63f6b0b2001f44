"""`annotator agree`: how far annotators agree, per layer, and on what they disagree most.

Label ids and names are data: they go into cells as Text, never through markup. The
JSON shape (`--format json`) is documented in docs/review.md; figures are rounded to four
places and an undefined figure is null with a note saying why.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from annotator.cli import COMMANDS, annotator_names, project_root
from annotator.core.agreement import AlphaResult, Disagreement, Observed
from annotator.core.errors import UsageError
from annotator.core.project import Project
from annotator.core.review_agree import AgreeResult, project_agreement

if TYPE_CHECKING:  # Rich is imported only to print tables: `--format json` skips its ~0.1 s
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

UNDEFINED_WHY = {
    "n/a (all agree)": "every annotator gave the same value throughout, so agreement cannot "
                       "be told apart from chance (expected disagreement is 0, alpha = 0/0)",
    "n/a (no overlap)": "no sentence was tagged by two annotators, so there is nothing to "
                        "compare",
}


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser):
    sub = subparsers.add_parser(
        "agree", parents=[common], help=COMMANDS["agree"],
        description="Agreement between annotators: claim (observed, Cohen's kappa per pair, "
        "Krippendorff's alpha), speakers (exact match, alpha with MASI distance), topics "
        "(alpha per topic and macro average), each with the number of sentences it rests on "
        "and the most frequent disagreements. By default every annotator folder except "
        "review folders (gold) is compared.")
    sub.add_argument("--annotators", metavar="A,B,...", type=annotator_names,
                     help="compare only these annotators (comma-separated)")
    sub.add_argument("--format", choices=("table", "json"), default="table",
                     help="rich tables (default) or JSON for scripts (see docs/review.md)")
    sub.add_argument("--top", type=int, default=10, metavar="N",
                     help="how many of the most frequent disagreements to list (default 10)")
    return sub


def run(args: argparse.Namespace) -> int:
    if args.top < 0:
        raise UsageError("--top must be 0 or more")
    project = Project(project_root(args))
    result = project_agreement(project, args.annotators, max_disagreements=args.top)
    if args.format == "json":
        json.dump(result.to_dict(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        from rich.console import Console

        Console().print(render(result, project))
    for problem in result.problems:
        print(f"annotator: {problem} (not counted)", file=sys.stderr)
    return 1 if result.problems else 0


# --------------------------------------------------------------------------- rendering


def render(result: AgreeResult, project: Project) -> Group:
    from rich.console import Group
    from rich.text import Text

    report = result.report
    notes: set[str] = set()
    parts: list = []
    heading = Text("Agreement between ", style="bold")
    heading.append(", ".join(report.annotators) or "nobody")
    heading.append(f"  ({report.units:,} sentences tagged by anyone, {result.files:,} files)",
                   style="dim")
    parts.append(heading)
    for name, why in result.excluded.items():
        parts.append(Text(f"left out: {name}: {why}; name it in --annotators to include it",
                          style="dim"))
    if len(report.annotators) < 2:
        parts.append(Text("Only one annotator: agreement needs two or more.", style="yellow"))

    claim = _table("Claim (one label per sentence; nominal)")
    _add(claim, "observed agreement", report.claim.observed, notes)
    _add(claim, "Krippendorff's alpha", report.claim.alpha, notes)
    for kappa in report.claim.kappa:
        _add_value(claim, f"Cohen's kappa {kappa.annotator_a} / {kappa.annotator_b}",
                   kappa.kappa, kappa.note, f"{kappa.units:,}", notes)
    parts.append(claim)

    speakers = _table(f"Speakers (a set per sentence; {report.speakers.distance} distance)")
    _add(speakers, "exact-match agreement", report.speakers.exact_match, notes)
    _add(speakers, f"Krippendorff's alpha ({report.speakers.distance})", report.speakers.alpha,
         notes)
    parts.append(speakers)

    topics = _table("Topics (each topic present or absent; nominal)")
    _add(topics, "exact-match agreement (whole set)", report.topics.exact_match, notes)
    for item in report.topics.per_topic:
        label = Text(f"alpha: {item.topic}")
        if not item.in_schema:
            label.append(" ?", style="bold red")
        label.append(f"  (tagged {item.used:,}x)", style="dim")
        _add_value(topics, label, item.alpha.alpha, item.alpha.note, f"{item.alpha.units:,}",
                   notes)
    macro = report.topics
    macro_note = None
    if macro.macro_alpha is None:
        all_agree = any(t.alpha.note == "n/a (all agree)" for t in macro.per_topic)
        macro_note = "n/a (all agree)" if all_agree else "n/a (no overlap)"
    _add_value(topics, Text("macro-average alpha", style="bold"), macro.macro_alpha, macro_note,
               f"over {macro.macro_topics} topic(s)", notes)
    parts.append(topics)

    disagreements = _disagreement_table(result, project)
    if disagreements is not None:
        parts.append(disagreements)
    for label in result.unknown_labels:
        parts.append(Text(f"? {label.annotator} uses {label.layer} {label.label!r}, which is not "
                          f"in labels.yaml ({label.sentences:,} sentence(s); counted as is)",
                          style="yellow"))
    for note in sorted(notes):
        parts.append(Text(f"{note}: {UNDEFINED_WHY.get(note, note)}.", style="dim"))
    return Group(*parts)


def _table(title: str) -> Table:
    from rich.table import Table

    table = Table(title=title, title_justify="left", title_style="bold", expand=False)
    table.add_column("measure", overflow="fold", min_width=24)
    table.add_column("value", justify="right", min_width=6)
    table.add_column("sentences", justify="right")
    return table


def _add(table: Table, name: str, figure: Observed | AlphaResult, notes: set[str]) -> None:
    if isinstance(figure, AlphaResult):
        _add_value(table, name, figure.alpha, figure.note, f"{figure.units:,}", notes)
    else:
        note = None if figure.value is not None else "n/a (no overlap)"
        _add_value(table, name, figure.value, note,
                   f"{figure.units:,} ({figure.pairs:,} pairs)", notes)


def _add_value(table: Table, name: str | Text, value: float | None, note: str | None,
               basis: str, notes: set[str]) -> None:
    from rich.text import Text

    if value is None:
        shown = Text(note or "n/a", style="yellow")
        if note:
            notes.add(note)
    else:
        shown = Text(f"{value:.3f}", style=_colour(value))
    table.add_row(name if isinstance(name, Text) else Text(name), shown, basis)


def _colour(value: float) -> str:
    """Krippendorff's rule of thumb: >= .800 reliable, >= .667 tentative, below: discuss."""
    return "green" if value >= 0.8 else "yellow" if value >= 0.667 else "red"


def _disagreement_table(result: AgreeResult, project: Project) -> Table | None:
    report = result.report
    rows: list[tuple[str, Disagreement]] = [
        (layer, item)
        for layer, items in (("claim", report.claim.disagreements),
                             ("speakers", report.speakers.disagreements),
                             ("topics", report.topics.disagreements))
        for item in items
    ]
    if not rows:
        return None
    from rich.table import Table

    table = Table(title="Most frequent disagreements (one annotator vs another, per sentence)",
                  title_justify="left", title_style="bold")
    table.add_column("layer")
    table.add_column("one said", overflow="fold")
    table.add_column("other said", overflow="fold")
    table.add_column("count", justify="right")
    schema = project.schema
    for layer, item in rows:
        table.add_row(layer, _labels(schema, layer, item.label_a),
                      _labels(schema, layer, item.label_b), f"{item.count:,}")
    return table


def _labels(schema, layer: str, joined: str) -> Text:
    """'a+b' as shown in a cell, with '?' after ids labels.yaml does not know."""
    from rich.text import Text

    text = Text()
    for number, label in enumerate(joined.split("+")):
        if number:
            text.append("+")
        text.append(label)
        if label != "(none)" and not schema.has(layer, label):
            text.append("?", style="bold red")
    return text
