"""Bindings derived from data: the action table (core/actions.py) and labels.yaml.

Nothing here lists a key or a layer by hand. Each layer of the schema gets a picker
action (`pick_<layer id>`, on the layer's key) and each label with a quick key a binding
that toggles it. Every Binding gets a stable id ("annotate.undo", "label.stance.for",
...), so a keymap (App.set_keymap / make_app(keymap=...)) can rebind any of them without
code, and the footer, help screen and palette read the same table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from textual.binding import Binding

from annotator.core.actions import Action, annotate_actions, key_display
from annotator.core.schema import Label, LabelSchema, Layer

# (binding id, the table's keys) -> the keys it answers to now (BaseApp.keys_for).
KeysFor = Callable[[str, tuple[str, ...]], tuple[str, ...]]


def table_keys(_binding_id: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """No keymap: every binding has its table's keys."""
    return default


def action_binding_id(action: Action) -> str:
    return f"annotate.{action.id}"


def editor_actions(schema: LabelSchema | None) -> tuple[Action, ...]:
    """The editor's actions for a project: the fixed table plus a picker per layer."""
    return annotate_actions(schema.layers if schema is not None else ())


def editor_keymap(keys: dict[str, str], schema: LabelSchema | None = None) -> dict[str, str]:
    """The keys file's action ids (core/keymap_file.py) as the editor's binding ids;
    with the project's schema, its layer pickers (pick_<layer id>) too."""
    return {action_binding_id(action): keys[action.id]
            for action in editor_actions(schema) if action.id in keys}


def label_binding_id(layer: str, label_id: str) -> str:
    """A label quick key's binding id. Prefixed, so no layer id can collide with the
    "annotate." / "review." / "picker." namespaces of the other bindings."""
    return f"label.{layer}.{label_id}"


def label_action(layer: str, label_id: str) -> str:
    """The action string a label's quick key runs: label('stance', 'for'). Layer and
    label ids are plain ascii (the schema validator sees to that), so repr is safe."""
    return f"label({layer!r}, {label_id!r})"


def label_verb(layer: Layer) -> str:
    """What a label's key does to the sentence, in the palette and the bindings' text."""
    return f"Tag {layer.noun}" if layer.single else f"Toggle {layer.noun}"


def quick_key_labels(schema: LabelSchema) -> list[tuple[Layer, Label]]:
    """Every label with a quick key, layer by layer in labels.yaml order."""
    return [(layer, label) for layer in schema.layers for label in layer.labels if label.key]


def label_binding(layer: Layer, label: Label) -> Binding:
    return Binding(label.key or "", label_action(layer.id, label.id),
                   f"{label_verb(layer)}: {label.name}", show=False,
                   id=label_binding_id(layer.id, label.id))


def action_bindings(actions: tuple[Action, ...],
                    binding_id: Callable[[Action], str] = action_binding_id) -> list[Binding]:
    """One Binding per action of a table (its action string is the action id)."""
    return [
        Binding(",".join(action.keys), action.run, action.label, show=action.footer,
                key_display=key_display(action.keys[0]) if action.keys[0] != "space" else "␣",
                id=binding_id(action), tooltip=action.description)
        for action in actions if action.keys
    ]


def annotate_bindings(schema: LabelSchema) -> list[Binding]:
    bindings = action_bindings(editor_actions(schema))
    bindings.extend(label_binding(layer, label) for layer, label in quick_key_labels(schema))
    return bindings


class HelpRow(NamedTuple):
    keys: str
    description: str


def layer_key_sections(labels: list[tuple[Layer, Label]]) -> list[tuple[str, list[HelpRow]]]:
    """Help sections for label quick keys: one per layer, titled after it."""
    sections: dict[str, list[HelpRow]] = {}
    for layer, label in labels:
        title = f"{layer.title} keys" + (" (again: clear)" if layer.single else "")
        sections.setdefault(title, []).append(HelpRow(label.key or "", label.name))
    return list(sections.items())


def help_sections(schema: LabelSchema,
                  keys_for: KeysFor = table_keys) -> list[tuple[str, list[HelpRow]]]:
    """The help screen's content: action groups in table order, then the label keys."""
    sections: dict[str, list[HelpRow]] = {}
    for action in editor_actions(schema):
        bound = keys_for(action_binding_id(action), action.keys)
        keys = " ".join(key_display(key) for key in bound)
        sections.setdefault(action.group, []).append(HelpRow(keys, action.description))
    sections.update(layer_key_sections(quick_key_labels(schema)))
    sections["Anywhere"] = [
        HelpRow("ctrl+p", "Command palette: every action, label and article by name"),
        HelpRow("click", "Select a sentence (or open an article in the list)"),
        HelpRow("esc", "Close a picker, prompt or this help"),
        HelpRow("ctrl+q", "Quit"),
    ]
    return list(sections.items())
