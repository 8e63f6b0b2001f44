"""Review bindings, help and palette rows, all derived from REVIEW_ACTIONS and labels.yaml.

Like tui/keymap.py for the editor: no key is listed by hand here. Every Binding has a
stable id ("review.take_2", "review.majority", "claim.fact"...), so a keymap can rebind
it. A label quick key that a review action already owns is "shadowed": it is left out of
the bindings and listed as such in the help screen, reachable through its picker.
"""

from __future__ import annotations

from textual.binding import Binding

from annotator.core.actions import Action, key_display
from annotator.core.review_actions import REVIEW_ACTIONS, TAKE_KEYS, review_keys
from annotator.core.schema import Label, LabelSchema
from annotator.tui.keymap import (
    LAYER_VERBS,
    HelpRow,
    KeysFor,
    label_action,
    label_binding_id,
    table_keys,
)

_LABEL_LAYERS = ("claim", "topics", "speakers")


def review_binding_id(action: Action, key: str | None = None) -> str:
    return f"review.{action.id}" if key is None else f"review.{action.id}_{key}"


def review_keymap(keys: dict[str, str]) -> dict[str, str]:
    """The keys file's action ids (take_1 ... for the digits) as review's binding ids."""
    found: dict[str, str] = {}
    for action in REVIEW_ACTIONS:
        if action.id == "take":
            found.update({review_binding_id(action, key): keys[f"take_{key}"]
                          for key in action.keys if f"take_{key}" in keys})
        elif action.id in keys:
            found[review_binding_id(action)] = keys[action.id]
    return found


def review_bindings(schema: LabelSchema) -> list[Binding]:
    bindings: list[Binding] = []
    for action in REVIEW_ACTIONS:
        if action.id == "take":  # one binding per digit, so each can be rebound
            for number, key in enumerate(action.keys, start=1):
                bindings.append(Binding(
                    key, f"take({number})", action.label, show=number == 1,
                    key_display=f"{action.keys[0]}-{action.keys[-1]}",
                    id=review_binding_id(action, key), tooltip=action.description))
            continue
        first = action.keys[0]
        bindings.append(Binding(
            ",".join(action.keys), action.id, action.label, show=action.footer,
            key_display="␣" if first == "space" else key_display(first),
            id=review_binding_id(action), tooltip=action.description))
    for layer, label in quick_labels(schema):
        bindings.append(Binding(label.key or "", label_action(layer, label.id),
                                f"{LAYER_VERBS[layer]}: {label.name}", show=False,
                                id=label_binding_id(layer, label.id)))
    return bindings


def quick_labels(schema: LabelSchema) -> list[tuple[str, Label]]:
    """Labels whose quick key works in review (not taken by a review action)."""
    taken = review_keys()
    return [(layer, label) for layer in _LABEL_LAYERS for label in schema.layer(layer)
            if label.key and label.key not in taken]


def shadowed_labels(schema: LabelSchema) -> list[tuple[str, Label]]:
    taken = review_keys()
    return [(layer, label) for layer in _LABEL_LAYERS for label in schema.layer(layer)
            if label.key and label.key in taken]


def bound_keys(action: Action, keys_for: KeysFor = table_keys) -> str:
    """An action's keys as the help and palette show them, after the user's keymap."""
    if action.id == "take":
        bound = [keys_for(review_binding_id(action, key), (key,)) for key in action.keys]
        if all(keys == (key,) for keys, key in zip(bound, action.keys, strict=True)):
            return f"{action.keys[0]}-{action.keys[-1]}"
        return " ".join("/".join(key_display(key) for key in keys) for keys in bound)
    keys = keys_for(review_binding_id(action), action.keys)
    return " ".join("esc" if key == "escape" else key_display(key) for key in keys)


def review_help_sections(schema: LabelSchema, annotators: tuple[str, ...], read_only: bool,
                         keys_for: KeysFor = table_keys) -> list[tuple[str, list[HelpRow]]]:
    sections: dict[str, list[HelpRow]] = {}
    for action in REVIEW_ACTIONS:
        keys = bound_keys(action, keys_for)
        sections.setdefault(action.group, []).append(HelpRow(keys, action.description))
    columns = [HelpRow(str(number), name) for number, name in enumerate(annotators, start=1)
               if str(number) in TAKE_KEYS]
    if columns:
        sections["Annotators (the N of the keys)"] = columns
    sections["Examples"] = [
        HelpRow("2", f"gold takes {annotators[1]}'s whole decision" if len(annotators) > 1
                else "gold takes annotator 2's whole decision"),
        HelpRow("C 1", "gold takes annotator 1's claim, keeps its speakers and topics"),
        HelpRow("m", "each layer most annotators agree on; a tie stays as it was"),
    ]
    for layer, title in (("claim", "Claim keys (again: clear)"), ("topics", "Topic keys"),
                         ("speakers", "Speaker keys")):
        rows = [HelpRow(label.key or "", label.name) for lay, label in quick_labels(schema)
                if lay == layer]
        if rows:
            sections[title] = rows
    shadowed = shadowed_labels(schema)
    if shadowed:
        sections["Shadowed in review (use the picker: s c t)"] = [
            HelpRow(label.key or "", f"{layer}: {label.name}") for layer, label in shadowed]
    sections["Marks"] = [
        HelpRow("!", "disputed, not settled yet"),
        HelpRow("✓", "settled: gold has a decision"),
        HelpRow("=", "annotators agree, not in gold yet"),
        HelpRow("·", "tagged by one annotator only"),
        HelpRow("?", "a label not in labels.yaml"),
    ]
    anywhere = [
        HelpRow("ctrl+p", "Command palette: every action and article by name"),
        HelpRow("click", "Select a sentence (or open an article in the list)"),
        HelpRow("esc", "Cancel S/C/T, close a picker, prompt or this help"),
        HelpRow("ctrl+q", "Quit"),
    ]
    if read_only:
        anywhere.insert(0, HelpRow("", "READ-ONLY review: nothing is written"))
    sections["Anywhere"] = anywhere
    return list(sections.items())
