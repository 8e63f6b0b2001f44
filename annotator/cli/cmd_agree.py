"""`annotator agree`: how far annotators agree, per layer, and on what they disagree most.

One table per layer labels.yaml declares, with the measures of its kind (core/agreement.py).
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
from annotator.cli.output import cell, safe_console, say
from annotator.core.agreement import (
    AlphaResult,
    Disagreement,
    EntityAgreement,
    LayerAgreement,
    MultiAgreement,
    Observed,
    SingleAgreement,
)
from annotator.core.errors import UsageError
from annotator.core.project import Project
from annotator.core.review_agree import AgreeResult, project_agreement
from annotator.core.terminal_text import one_line

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
        description="Agreement between annotators, for each layer labels.yaml declares: "
        "single-choice layers (observed agreement, Cohen's kappa per pair, Krippendorff's "
        "alpha), multi-label layers (alpha per label and macro average, exact match), entity "
        "layers (exact match, alpha with MASI distance), each with the number of sentences it "
        "rests on and the most frequent disagreements. By default every annotator folder "
        "except review folders (gold) is compared.")
    sub.add_argument("--annotators", metavar="A,B,...", type=annotator_names,
                     help="compare only these annotators (comma-separated)")
    sub.add_argument("--format", choices=("table", "json"), default="table",
                     help="rich tables (default) or JSON for scripts (see docs/review.md)")
    sub.add_argument("--top", type=int, default=10, metavar="N",
                     help="how many of the most frequent disagreements to list (default 10); "
                     "with --by article, also how many of the least agreed articles")
    sub.add_argument("--by", choices=("article",), default=None,
                     help="also agreement per article, for every layer: the share of agreeing "
                     "annotator pairs (table: the --top articles agreed on least; JSON: "
                     "by_article, every article)")
    return sub


def run(args: argparse.Namespace) -> int:
    if args.top < 0:
        raise UsageError("--top must be 0 or more")
    project = Project(project_root(args))
    result = project_agreement(project, args.annotators, max_disagreements=args.top,
                               by_article=args.by == "article")
    if args.format == "json":
        write_json(result.to_dict(), sys.stdout)
    else:
        safe_console().print(render(result, project))
    for problem in result.problems:
        say(f"annotator: {problem} (not counted)", file=sys.stderr)
    return 1 if result.problems else 0


def write_json(data: dict, out) -> None:  # type: ignore[type-arg]
    """Indented JSON, except by_article's entries: one line each (10,000 articles indented
    would take longer to print than to compute, the encoder's fast path needs no indent)."""
    rows = data.pop("by_article", None)
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if rows is not None:
        lines = ",\n".join(f"    {json.dumps(row, ensure_ascii=False)}" for row in rows)
        text = text[:-2] + f',\n  "by_article": [\n{lines}\n  ]\n}}' if rows else \
            text[:-2] + ',\n  "by_article": []\n}'
    out.write(text + "\n")


# --------------------------------------------------------------------------- rendering


def render(result: AgreeResult, project: Project) -> Group:
    from rich.console import Group
    from rich.text import Text

    report = result.report
    notes: set[str] = set()
    parts: list = []
    heading = Text("Agreement between ", style="bold")
    heading.append(one_line(", ".join(report.annotators) or "nobody"))
    heading.append(f"  ({report.units:,} sentences tagged by anyone, {result.files:,} files)",
                   style="dim")
    parts.append(heading)
    for name, why in result.excluded.items():
        parts.append(Text(f"left out: {name}: {why}; name it in --annotators to include it",
                          style="dim"))
    if len(report.annotators) < 2:
        parts.append(Text("Only one annotator: agreement needs two or more.", style="yellow"))

    for layer in project.schema.layers:
        figures = report.layers.get(layer.id)
        if figures is not None:
            parts.append(_layer_table(layer.title, figures, notes))

    disagreements = _disagreement_table(result, project)
    if disagreements is not None:
        parts.append(disagreements)
    if result.articles is not None:
        parts.append(_article_table(result, project))
    for label in result.unknown_labels:
        parts.append(Text(f"? {label.annotator} uses {label.layer} {label.label!r}, which is not "
                          f"in labels.yaml ({label.sentences:,} sentence(s); counted as is)",
                          style="yellow"))
    for note in sorted(notes):
        parts.append(Text(f"{note}: {UNDEFINED_WHY.get(note, note)}.", style="dim"))
    return Group(*parts)


def _layer_table(title: str, figures: LayerAgreement, notes: set[str]) -> Table:
    """One layer's figures, with the measures of its kind."""
    from rich.text import Text

    if isinstance(figures, SingleAgreement):
        table = _table(f"{title} (one label per sentence; nominal)")
        _add(table, "observed agreement", figures.observed, notes)
        _add(table, "Krippendorff's alpha", figures.alpha, notes)
        for kappa in figures.kappa:
            _add_value(table, f"Cohen's kappa {kappa.annotator_a} / {kappa.annotator_b}",
                       kappa.kappa, kappa.note, f"{kappa.units:,}", notes)
        return table
    if isinstance(figures, EntityAgreement):
        table = _table(f"{title} (a set per sentence; {figures.distance} distance)")
        _add(table, "exact-match agreement", figures.exact_match, notes)
        _add(table, f"Krippendorff's alpha ({figures.distance})", figures.alpha, notes)
        return table
    assert isinstance(figures, MultiAgreement)
    table = _table(f"{title} (each label present or absent; nominal)")
    _add(table, "exact-match agreement (whole set)", figures.exact_match, notes)
    for item in figures.per_label:
        label = cell(f"alpha: {item.label}")
        if not item.in_schema:
            label.append(" ?", style="bold red")
        label.append(f"  (tagged {item.used:,}x)", style="dim")
        _add_value(table, label, item.alpha.alpha, item.alpha.note, f"{item.alpha.units:,}",
                   notes)
    macro_note = None
    if figures.macro_alpha is None:
        all_agree = any(t.alpha.note == "n/a (all agree)" for t in figures.per_label)
        macro_note = "n/a (all agree)" if all_agree else "n/a (no overlap)"
    _add_value(table, Text("macro-average alpha", style="bold"), figures.macro_alpha,
               macro_note, f"over {figures.macro_labels} label(s)", notes)
    return table


def _table(title: str) -> Table:
    from rich.table import Table

    table = Table(title=cell(title), title_justify="left", title_style="bold", expand=False)
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
    table.add_row(name if isinstance(name, Text) else cell(name), shown, basis)


def _colour(value: float) -> str:
    """Krippendorff's rule of thumb: >= .800 reliable, >= .667 tentative, below: discuss."""
    return "green" if value >= 0.8 else "yellow" if value >= 0.667 else "red"


def _disagreement_table(result: AgreeResult, project: Project) -> Table | None:
    report = result.report
    rows: list[tuple[str, Disagreement]] = [
        (layer, item) for layer, figures in report.layers.items()
        for item in figures.disagreements
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
        text.append(one_line(label))
        if label != "(none)" and not schema.has(layer, label):
            text.append("?", style="bold red")
    return text


def _article_table(result: AgreeResult, project: Project) -> Table | Text:
    """--by article: the articles agreed on least (mean over layers with a figure) first."""
    from rich.text import Text

    articles = result.articles or {}
    scored = []
    for article_id, figures in articles.items():
        values = [f.value for f in figures.values() if f.value is not None]
        if values:
            scored.append((sum(values) / len(values), article_id, figures))
    if not scored:
        return Text("Per article: no article has a sentence two annotators tagged.",
                    style="yellow")
    scored.sort(key=lambda item: (item[0], item[1]))
    layers = project.schema.layers
    table = _table(f"Per article: the {min(len(scored), result.top)} of "
                   f"{len(scored):,} articles agreed on least (share of agreeing pairs)")
    table.columns.clear()
    table.add_column("article", no_wrap=True)
    table.add_column("title", overflow="ellipsis", no_wrap=True, max_width=30)
    table.add_column("sentences", justify="right")
    for layer in layers:
        table.add_column(cell(layer.title), justify="right")
    titles = {entry.id: entry.title for entry in project.corpus.entries()}
    for _mean, article_id, figures in scored[:result.top]:
        units = max((f.units for f in figures.values()), default=0)
        row: list[Text] = [cell(article_id), cell(titles.get(article_id, "")),
                           Text(f"{units:,}")]
        for layer in layers:
            figure = figures.get(layer.id)
            if figure is None or figure.value is None:
                row.append(Text("n/a", style="dim"))
            else:
                row.append(Text(f"{figure.value:.2f}", style=_colour(figure.value)))
        table.add_row(*row)
    return table
