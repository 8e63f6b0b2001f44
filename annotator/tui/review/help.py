"""The `?` screen of review mode: the editor's help screen with review's own table."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from annotator.core.schema import LabelSchema
from annotator.tui.review.keymap import review_help_sections
from annotator.tui.safe_text import one_line
from annotator.tui.screens.help import HelpScreen


def review_help_text(schema: LabelSchema, annotators: tuple[str, ...], read_only: bool) -> Text:
    out = Text()
    sections = review_help_sections(schema, annotators, read_only)
    width = max((len(row.keys) for _, rows in sections for row in rows), default=6) + 2
    for number, (title, rows) in enumerate(sections):
        if number:
            out.append("\n")
        out.append(f"{title}\n", "bold underline")
        for row in rows:
            out.append(one_line(row.keys).ljust(width), "bold cyan")
            out.append(f"{one_line(row.description)}\n")
    return out


class ReviewHelpScreen(HelpScreen):
    def __init__(self, schema: LabelSchema, annotators: tuple[str, ...], read_only: bool) -> None:
        super().__init__(schema)
        self.annotators = annotators
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Review keys"
            box.border_subtitle = "esc to close"
            yield Static(review_help_text(self.schema, self.annotators, self.read_only),
                         markup=False, id="help-text")
