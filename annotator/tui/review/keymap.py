"""Review bindings, help and palette rows, all derived from the review action table and
labels.yaml.

Like tui/keymap.py for the editor: no key and no layer is listed by hand here. Every
Binding has a stable id ("review.take_2", "review.take_stance", "review.majority",
"label.claim.fact"...), so a keymap can rebind it. A label quick key that a review action
already owns is "shadowed": it is left out of the bindings and listed as such in the help
screen, reachable through its layer's picker.
"""

from __future__ import annotations

from textual.binding import Binding

from annotator.core.actions import Action, key_display, pick_action_id
from annotator.core.review_actions import (
    TAKE_KEYS,
    layer_prefixes,
    review_actions,
    review_keys,
    shadowed_pickers,
    take_action_id,
)
from annotator.core.schema import Label, LabelSchema, Layer
from annotator.tui.keymap import (
    HelpRow,
    KeysFor,
    label_binding,
    layer_key_sections,
    quick_key_labels,
    table_keys,
)

TAKE_LAYER = "take_layer"  # the screen action behind every take_<layer id> binding


def review_binding_id(action: Action, key: str | None = None) -> str:
    return f"review.{action.id}" if key is None else f"review.{action.id}_{key}"


def actions_for(schema: LabelSchema) -> tuple[Action, ...]:
    """The review actions of this project: the fixed ones, a take and a picker per layer."""
    return review_actions(schema.layers, schema.quick_keys())


def _keys_taken(schema: LabelSchema) -> set[str]:
    return review_keys(schema.layers, schema.quick_keys())


def review_keymap(keys: dict[str, str], schema: LabelSchema | None = None) -> dict[str, str]:
    """The keys file's action ids (take_1 ... for the digits) as review's binding ids;
    with the project's schema, its layers' take_<id> and pick_<id> too."""
    actions = actions_for(schema) if schema is not None else review_actions(())
    found: dict[str, str] = {}
    for action in actions:
        if action.id == "take":
            found.update({review_binding_id(action, key): keys[f"take_{key}"]
                          for key in action.keys if f"take_{key}" in keys})
        elif action.id in keys:
            found[review_binding_id(action)] = keys[action.id]
    return found


def _action_string(action: Action, schema: LabelSchema) -> str:
    """What a binding runs: the action id, or take_layer('<id>') for a layer's prefix."""
    for layer in schema.layers:
        if action.id == take_action_id(layer.id):
            return f"{TAKE_LAYER}({layer.id!r})"
    return action.run


def review_bindings(schema: LabelSchema) -> list[Binding]:
    bindings: list[Binding] = []
    for action in actions_for(schema):
        if action.id == "take":  # one binding per digit, so each can be rebound
            for number, key in enumerate(action.keys, start=1):
                bindings.append(Binding(
                    key, f"take({number})", action.label, show=number == 1,
                    key_display=f"{action.keys[0]}-{action.keys[-1]}",
                    id=review_binding_id(action, key), tooltip=action.description))
            continue
        if not action.keys:
            continue
        first = action.keys[0]
        bindings.append(Binding(
            ",".join(action.keys), _action_string(action, schema), action.label,
            show=action.footer,
            key_display="␣" if first == "space" else key_display(first),
            id=review_binding_id(action), tooltip=action.description))
    bindings.extend(label_binding(layer, label) for layer, label in quick_labels(schema))
    return bindings


def quick_labels(schema: LabelSchema) -> list[tuple[Layer, Label]]:
    """Labels whose quick key works in review (not taken by a review action)."""
    taken = _keys_taken(schema)
    return [(layer, label) for layer, label in quick_key_labels(schema)
            if label.key not in taken]


def shadowed_labels(schema: LabelSchema) -> list[tuple[Layer, Label]]:
    taken = _keys_taken(schema)
    return [(layer, label) for layer, label in quick_key_labels(schema) if label.key in taken]


def bound_keys(action: Action, keys_for: KeysFor = table_keys) -> str:
    """An action's keys as the help and palette show them, after the user's keymap."""
    if action.id == "take":
        bound = [keys_for(review_binding_id(action, key), (key,)) for key in action.keys]
        if all(keys == (key,) for keys, key in zip(bound, action.keys, strict=True)):
            return f"{action.keys[0]}-{action.keys[-1]}"
        return " ".join("/".join(key_display(key) for key in keys) for keys in bound)
    keys = keys_for(review_binding_id(action), action.keys)
    return " ".join("esc" if key == "escape" else key_display(key) for key in keys)


def prefix_keys(schema: LabelSchema, keys_for: KeysFor = table_keys) -> dict[str, str]:
    """layer id -> the key that takes that layer, after the user's keymap ("" if none)."""
    actions = {action.id: action for action in actions_for(schema)}
    return {layer.id: bound_keys(actions[take_action_id(layer.id)], keys_for).split(" ")[0]
            for layer in schema.layers}


def review_help_sections(schema: LabelSchema, annotators: tuple[str, ...], read_only: bool,
                         keys_for: KeysFor = table_keys) -> list[tuple[str, list[HelpRow]]]:
    prefixes = layer_prefixes(schema.layers, schema.quick_keys())
    fallback = {take_action_id(p.layer): p for p in prefixes.values() if p.fallback}
    picker_owners = shadowed_pickers(schema.layers)
    no_picker_key = {pick_action_id(layer.id): (layer.key, picker_owners[layer.id])
                     for layer in schema.layers if layer.id in picker_owners}
    sections: dict[str, list[HelpRow]] = {}
    for action in actions_for(schema):
        keys = bound_keys(action, keys_for)
        description = action.description
        why = fallback.get(action.id)
        if why is not None and why.reason:
            description += f" (not {why.natural}: {why.reason})" if why.natural \
                else f" ({why.reason})"
        if action.id in no_picker_key and not keys:
            key, owner = no_picker_key[action.id]
            description += f" ({key} is {owner.replace('_', ' ')} in review: use ctrl+p)"
        sections.setdefault(action.group, []).append(HelpRow(keys, description))
    columns = [HelpRow(str(number), name) for number, name in enumerate(annotators, start=1)
               if str(number) in TAKE_KEYS]
    if columns:
        sections["Annotators (the N of the keys)"] = columns
    examples = [HelpRow("2", f"gold takes {annotators[1]}'s whole decision" if len(annotators) > 1
                        else "gold takes annotator 2's whole decision")]
    take_keys = prefix_keys(schema, keys_for)
    with_key = [layer for layer in schema.layers if take_keys.get(layer.id)]
    example = next((layer for layer in with_key if layer.single), None) or next(
        iter(with_key), None)  # a single layer is the usual dispute
    if example is not None:
        others = [layer.noun for layer in schema.layers if layer is not example]
        keeps = f", keeps its {_words(others)}" if others else ""
        examples.append(HelpRow(f"{take_keys[example.id]} 1",
                                f"gold takes annotator 1's {example.noun}{keeps}"))
    examples.append(HelpRow("m", "each layer most annotators agree on; a tie stays as it was"))
    sections["Examples"] = examples
    sections.update(layer_key_sections(quick_labels(schema)))
    shadowed = shadowed_labels(schema)
    if shadowed:
        pickers = " ".join(dict.fromkeys(layer.key for layer, _ in shadowed if layer.key))
        title = f"Shadowed in review (use the picker: {pickers})" if pickers \
            else "Shadowed in review (use the command palette)"
        sections[title] = [HelpRow(label.key or "", f"{layer.noun}: {label.name}")
                           for layer, label in shadowed]
    sections["Marks"] = [
        HelpRow("!", "disputed, not settled yet"),
        HelpRow("✓", "settled: gold has a decision"),
        HelpRow("=", "annotators agree, not in gold yet"),
        HelpRow("·", "tagged by one annotator only"),
        HelpRow("?", "a label not in labels.yaml"),
    ]
    cancel = "/".join(key for key in take_keys.values() if key)
    anywhere = [
        HelpRow("ctrl+p", "Command palette: every action and article by name"),
        HelpRow("click", "Select a sentence (or open an article in the list)"),
        HelpRow("esc", f"Cancel {cancel}, close a picker, prompt or this help" if cancel
                else "Close a picker, prompt or this help"),
        HelpRow("ctrl+q", "Quit"),
    ]
    if read_only:
        anywhere.insert(0, HelpRow("", "READ-ONLY review: nothing is written"))
    sections["Anywhere"] = anywhere
    return list(sections.items())


def _words(items: list[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
