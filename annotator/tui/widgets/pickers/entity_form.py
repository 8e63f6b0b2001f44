"""Creating a speaker (an entity) is its own step: name, kind, optional aliases.

The picker never creates from what happens to be typed in its filter (a filter left
over from the last toggle once made "pomlav"); it opens this form, prefilled with the
filter, and nothing is made until the form is answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, RadioButton, RadioSet, Static

from annotator.core.speaker_files import ENTITY_KINDS
from annotator.tui.safe_text import one_line


@dataclass(frozen=True)
class NewEntity:
    name: str
    kind: str
    aliases: tuple[str, ...]


def split_aliases(text: str) -> tuple[str, ...]:
    """`Doe; Ms Doe` or `Doe, Ms Doe` -> ("Doe", "Ms Doe")."""
    parts = text.replace(";", ",").split(",")
    return tuple(" ".join(part.split()) for part in parts if part.strip())


class KindChoice(RadioSet):
    """The arrows choose (a RadioSet only moves its highlight until space or enter)."""

    def action_next_button(self) -> None:
        super().action_next_button()
        self.action_toggle_button()

    def action_previous_button(self) -> None:
        super().action_previous_button()
        self.action_toggle_button()


class EntityForm(ModalScreen[NewEntity | None]):
    """Returns the new entity's fields, or None when cancelled."""

    DEFAULT_CSS = """
    EntityForm { align: center middle; background: $background 60%; }
    EntityForm > #form {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: round $success; border-title-color: $text; background: $surface;
        padding: 0 1;
    }
    EntityForm Input { background: $boost; margin-bottom: 1; }
    EntityForm RadioSet { layout: horizontal; border: none; margin-bottom: 1; width: 100%; }
    EntityForm RadioButton { width: auto; margin-right: 1; }
    EntityForm .caption { color: $text-muted; }
    EntityForm #hint { color: $text-muted; height: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="entity_form.cancel")]

    def __init__(self, noun: str, name: str = "", destination: str = "") -> None:
        super().__init__()
        self.noun = noun
        self.initial = " ".join(name.split())
        self.destination = destination

    def compose(self) -> ComposeResult:
        with Vertical(id="form") as form:
            form.border_title = f"Add to {one_line(self.noun)}"
            yield Static("Name", classes="caption")
            yield Input(value=self.initial, placeholder="full name, as labels.yaml should "
                        "show it", id="name", compact=True)
            yield Static("Kind (←→)", classes="caption")
            with KindChoice(id="kind", compact=True):
                for number, kind in enumerate(ENTITY_KINDS):
                    yield RadioButton(kind, value=number == 0, id=f"kind-{kind}")
            yield Static("Aliases (optional, comma-separated)", classes="caption")
            yield Input(placeholder="e.g. Doe, Ms Doe", id="aliases", compact=True)
            if self.destination:
                yield Static(f"saved to {one_line(self.destination)}", classes="caption",
                             markup=False)
            yield Static("tab next field · enter create · esc cancel", id="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    @property
    def kind(self) -> str:
        pressed = self.query_one(KindChoice).pressed_index
        return ENTITY_KINDS[pressed if pressed >= 0 else 0]

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = " ".join(self.query_one("#name", Input).value.split())
        if not name:
            self.notify("A name is needed.", severity="warning", timeout=3)
            self.query_one("#name", Input).focus()
            return
        aliases = split_aliases(self.query_one("#aliases", Input).value)
        self.dismiss(NewEntity(name, self.kind, aliases))

    def action_cancel(self) -> None:
        self.dismiss(None)
