"""Bindings derived from data: the action table (core/actions.py) and labels.yaml keys.

Nothing here lists a key by hand. Every Binding gets a stable id ("annotate.undo",
"claim.fact", ...), so a keymap (App.set_keymap / make_app(keymap=...)) can rebind any
of them without code, and the footer, help screen and palette read the same table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.binding import Binding

from annotator.core.actions import ANNOTATE_ACTIONS, Action, key_display
from annotator.core.schema import LabelSchema

# The session command a label's quick key runs, per layer.
LABEL_ACTIONS = {"claim": "claim", "topics": "topic", "speakers": "speaker"}
LAYER_VERBS = {"claim": "Tag claim", "topics": "Toggle topic", "speakers": "Toggle speaker"}


# (binding id, the table's keys) -> the keys it answers to now (BaseApp.keys_for).
KeysFor = Callable[[str, tuple[str, ...]], tuple[str, ...]]


def table_keys(_binding_id: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """No keymap: every binding has its table's keys."""
    return default


def action_binding_id(action: Action) -> str:
    return f"annotate.{action.id}"


def editor_keymap(keys: dict[str, str]) -> dict[str, str]:
    """The keys file's action ids (core/keymap_file.py) as the editor's binding ids."""
    return {action_binding_id(action): keys[action.id]
            for action in ANNOTATE_ACTIONS if action.id in keys}


def label_binding_id(layer: str, label_id: str) -> str:
    return f"{LABEL_ACTIONS[layer]}.{label_id}"


def label_action(layer: str, label_id: str) -> str:
    """The action string for a label, e.g. claim('fact'); ids are plain ascii."""
    return f"{LABEL_ACTIONS[layer]}({label_id!r})"


def annotate_bindings(schema: LabelSchema) -> list[Binding]:
    bindings = [
        Binding(",".join(action.keys), action.id, action.label, show=action.footer,
                key_display=key_display(action.keys[0]) if action.keys[0] != "space" else "␣",
                id=action_binding_id(action), tooltip=action.description)
        for action in ANNOTATE_ACTIONS
    ]
    for layer in ("claim", "topics", "speakers"):
        for label in schema.layer(layer):
            if label.key:
                bindings.append(Binding(
                    label.key, label_action(layer, label.id),
                    f"{LAYER_VERBS[layer]}: {label.name}", show=False,
                    id=label_binding_id(layer, label.id)))
    return bindings


@dataclass(frozen=True)
class HelpRow:
    keys: str
    description: str


def help_sections(schema: LabelSchema,
                  keys_for: KeysFor = table_keys) -> list[tuple[str, list[HelpRow]]]:
    """The help screen's content: action groups in table order, then the label keys."""
    sections: dict[str, list[HelpRow]] = {}
    for action in ANNOTATE_ACTIONS:
        bound = keys_for(action_binding_id(action), action.keys)
        keys = " ".join(key_display(key) for key in bound)
        sections.setdefault(action.group, []).append(HelpRow(keys, action.description))
    for layer, title in (("claim", "Claim keys (again: clear)"), ("topics", "Topic keys"),
                         ("speakers", "Speaker keys")):
        rows = [HelpRow(label.key, label.name) for label in schema.layer(layer) if label.key]
        if rows:
            sections[title] = rows
    sections["Anywhere"] = [
        HelpRow("ctrl+p", "Command palette: every action, label and article by name"),
        HelpRow("click", "Select a sentence (or open an article in the list)"),
        HelpRow("esc", "Close a picker, prompt or this help"),
        HelpRow("ctrl+q", "Quit"),
    ]
    return list(sections.items())
