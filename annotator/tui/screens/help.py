"""The `?` screen: every action and label key, generated from the same tables as the keys."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from annotator.core.schema import LabelSchema
from annotator.tui.keymap import HelpRow, KeysFor, help_sections, table_keys
from annotator.tui.safe_text import one_line


def help_text(sections: list[tuple[str, list[HelpRow]]]) -> Text:
    """Sections of (keys, description) rows as two aligned columns; keys and names are data."""
    out = Text()
    width = max((len(row.keys) for _, rows in sections for row in rows), default=6) + 2
    for number, (title, rows) in enumerate(sections):
        if number:
            out.append("\n")
        out.append(f"{title}\n", "bold underline")
        for row in rows:
            out.append(one_line(row.keys).ljust(width), "bold cyan")
            out.append(f"{one_line(row.description)}\n")
    return out


class HelpScreen(ModalScreen[None]):
    """The editor's keys; a subclass shows another table through `heading` and `sections`."""

    heading = "Keys"
    DEFAULT_CSS = """
    HelpScreen { align: center middle; background: $background 60%; }
    HelpScreen > VerticalScroll {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $accent;
        border-title-color: $text;
        border-subtitle-color: $text-muted;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close"),
        Binding("j,down", "scroll(1)", show=False, id="help.down"),
        Binding("k,up", "scroll(-1)", show=False, id="help.up"),
    ]

    def __init__(self, schema: LabelSchema, keys_for: KeysFor = table_keys) -> None:
        super().__init__()
        self.schema = schema
        self.keys_for = keys_for  # the keys as rebound by the user's keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = self.heading
            box.border_subtitle = "esc to close"
            yield Static(help_text(self.sections()), markup=False, id="help-text")

    def sections(self) -> list[tuple[str, list[HelpRow]]]:
        return help_sections(self.schema, self.keys_for)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, lines: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)
