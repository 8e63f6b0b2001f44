"""A one-line text question (a note, a search): Enter answers, Escape cancels.

Modal for the same reason as the label picker: typed letters must never reach the
annotate keys underneath.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class TextPrompt(ModalScreen[str | None]):
    """Returns the text typed (possibly empty), or None when cancelled."""

    DEFAULT_CSS = """
    TextPrompt {
        align: center bottom;
        background: $background 40%;
    }
    TextPrompt > #prompt {
        width: 100%;
        height: auto;
        border-top: solid $accent;
        border-title-color: $text;
        background: $surface;
        padding: 0 1;
    }
    TextPrompt Input { background: $boost; }
    TextPrompt #hint { color: $text-muted; height: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, title: str, *, value: str = "", placeholder: str = "",
                 hint: str = "enter: ok · esc: cancel") -> None:
        super().__init__()
        self.title_text = title
        self.initial = value
        self.placeholder = placeholder
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt") as box:
            box.border_title = self.title_text
            yield Input(value=self.initial, placeholder=self.placeholder, id="answer",
                        compact=True)
            yield Static(self.hint, id="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
