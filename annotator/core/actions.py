"""Every user action named once: id, default keys, description, where it shows.

The TUI derives its bindings, footer, help screen and command palette from this table,
and schema validation uses it to refuse label quick keys that would shadow navigation.
Plain data, so it lives in core and is testable without a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple, Protocol


class Action(NamedTuple):
    """One action of the table. (Not a dataclass: the editor's start path; README, Start-up.)"""

    id: str
    keys: tuple[str, ...]
    description: str
    footer: bool = False  # shown in the footer (keep the footer short at 80 columns)
    group: str = "Move"
    short: str = ""  # footer label when the description is too long for 80 columns
    command: str = ""  # what the UI runs, when not the id: pick('stance') for pick_stance

    @property
    def label(self) -> str:
        return self.short or self.description

    @property
    def run(self) -> str:
        """The action string a key or the palette runs (ids stay stable for keys.yaml)."""
        return self.command or self.id


# Moving is the same in the editor and in review (review_actions.py reuses these rows).
STEP_ACTIONS: tuple[Action, ...] = (
    Action("next_sentence", ("j", "down"), "Next sentence", group="Move"),
    Action("prev_sentence", ("k", "up"), "Previous sentence", group="Move"),
)
JUMP_ACTIONS: tuple[Action, ...] = (
    Action("first_sentence", ("g", "home"), "First sentence", group="Move"),
    Action("last_sentence", ("G", "end"), "Last sentence", group="Move"),
    Action("page_down", ("pagedown",), "Page down", group="Move"),
    Action("page_up", ("pageup",), "Page up", group="Move"),
    Action("next_article", ("right_square_bracket",), "Next article", group="Move"),
    Action("prev_article", ("left_square_bracket",), "Previous article", group="Move"),
)
# Sentence filters (core/filters.py), the same in the editor and in review.
FILTER_ACTIONS: tuple[Action, ...] = (
    # ctrl: an upper-case letter is a natural layer or label key in labels.yaml
    Action("filter", ("ctrl+f",), "Filter: untagged, disputed, a label, @annotator…",
           group="Move"),
    Action("filter_next", ("right_curly_bracket",), "Next sentence the filter names",
           group="Move"),
    Action("filter_prev", ("left_curly_bracket",), "Previous sentence the filter names",
           group="Move"),
)
APP_ACTIONS: tuple[Action, ...] = (
    Action("help", ("question_mark",), "Help", footer=True, group="App"),
    Action("quit", ("q",), "Quit", footer=True, group="App"),
)

ANNOTATE_ACTIONS: tuple[Action, ...] = (
    *STEP_ACTIONS,
    Action("next_untagged", ("space",), "Next untagged sentence", footer=True,
           short="Next untagged", group="Move"),
    *JUMP_ACTIONS,
    Action("toggle_articles", ("a",), "Article list", footer=True, short="Articles", group="Move"),
    Action("search", ("slash",), "Search the text", footer=True, short="Search",
           group="Move"),
    Action("search_next", ("n",), "Next search match", group="Move"),
    Action("search_prev", ("N",), "Previous search match", group="Move"),
    Action("accept_suggestion", ("enter",), "Accept the suggested speaker and go on",
           group="Tag", short="Accept"),
    Action("edit_note", ("e",), "Note…", group="Tag"),
    Action("clear_sentence", ("x",), "Clear the sentence's tags", group="Tag"),
    Action("toggle_not_content", ("X",), "Mark as not content (byline, credit…)", group="Tag"),
    Action("undo", ("u", "ctrl+z"), "Undo", footer=True, group="Edit"),
    Action("redo", ("ctrl+r", "ctrl+y"), "Redo", group="Edit"),
    Action("toggle_done", ("ctrl+d",), "Mark the article done (left untagged: nothing to tag)",
           group="Edit"),
    *FILTER_ACTIONS,
    Action("clear_filter", ("escape",), "End the filter: show every sentence", group="Move"),
    *APP_ACTIONS,
)



class LayerLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def key(self) -> str | None: ...
    @property
    def title(self) -> str: ...


def pick_action_id(layer_id: str) -> str:
    return f"pick_{layer_id}"


def layer_actions(layers: Iterable[LayerLike]) -> tuple[Action, ...]:
    """One "open the picker" action per layer that labels.yaml gives a key to."""
    return tuple(Action(pick_action_id(layer.id), (layer.key,) if layer.key else (),
                        f"{layer.title}…", footer=True, group="Tag",
                        command=f"pick({layer.id!r})") for layer in layers)


def annotate_actions(layers: Iterable[LayerLike]) -> tuple[Action, ...]:
    """The editor's full table for a project: ANNOTATE_ACTIONS with one picker per layer,
    placed where the Tag group starts (so the footer reads ... Search, pickers, Undo)."""
    at = next(n for n, action in enumerate(ANNOTATE_ACTIONS) if action.group == "Tag")
    return (*ANNOTATE_ACTIONS[:at], *layer_actions(layers), *ANNOTATE_ACTIONS[at:])


# Keys a label may never take: every action key above plus what Textual itself needs.
_FRAMEWORK_KEYS = {"escape", "enter", "tab", "shift+tab", "ctrl+p", "ctrl+c", "ctrl+q"}

_CHAR_NAMES = {
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "slash": "/",
    "question_mark": "?",
    "greater_than_sign": ">",
    "less_than_sign": "<",
    "space": " ",
}


def key_display(key: str) -> str:
    """How a key looks to a user ("]" rather than right_square_bracket)."""
    return {"space": "space", **{k: v for k, v in _CHAR_NAMES.items() if k != "space"}}.get(
        key, key
    )


def reserved_keys(actions: tuple[Action, ...] = ANNOTATE_ACTIONS) -> dict[str, str]:
    """Map every key (as typed, e.g. "j", "]", "?") to the action that owns it."""
    owners: dict[str, str] = {}
    for action in actions:
        for key in action.keys:
            owners[_CHAR_NAMES.get(key, key)] = action.id
            owners[key] = action.id
    for key in _FRAMEWORK_KEYS:
        owners.setdefault(key, "app")
    return owners
