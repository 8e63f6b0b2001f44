"""Every review-mode action named once, like ANNOTATE_ACTIONS for the editor.

The review TUI derives bindings, footer, help screen and command palette from
``review_actions(schema.layers)``. Keys reuse annotate mode's habits (j/k, the layer
pickers, u undo, ? help) so a reviewer who annotates needs nothing new for moving and
editing; what is new is taking an annotator's decision:

* ``1``..``9``: take annotator N's tags for the whole sentence (N = their column).
* a layer's prefix key then ``1``..``9``: take only that layer from annotator N. The
  prefix is the layer's picker key upper-cased (``s`` -> ``S``); see ``layer_prefixes``
  for when that is not possible. A prefix rather than shift+digit, because terminals
  send shift+digit as punctuation that depends on the keyboard layout (shift+2 is "@"
  or '"').
* ``m``: majority per layer; a tied layer is left as it was and reported.

Label quick keys from labels.yaml still work in review, except where they collide with a
key below (digit label keys collide with 1..9): those are listed as shadowed in the help
screen and reached through the pickers instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .actions import (
    _FRAMEWORK_KEYS,
    APP_ACTIONS,
    FILTER_ACTIONS,
    JUMP_ACTIONS,
    STEP_ACTIONS,
    Action,
    LayerLike,
    key_display,
    layer_actions,
    pick_action_id,
)

TAKE_KEYS = tuple(str(n) for n in range(1, 10))

_MOVE_ACTIONS: tuple[Action, ...] = (
    *STEP_ACTIONS,
    Action("next_unsettled", ("space",), "Next unsettled dispute (on into later articles)",
           footer=True, short="Unsettled", group="Move"),
    Action("next_dispute", ("n",), "Next disputed sentence (settled or not)", footer=True,
           short="Dispute", group="Move"),
    Action("prev_dispute", ("N",), "Previous disputed sentence", group="Move"),
    *JUMP_ACTIONS,
    Action("toggle_articles", ("a",), "Article list (disputes / settled)", group="Move"),
    # n / N are disputes here, so the next / previous match of / take > and <.
    Action("search", ("slash",), "Search the text", group="Move"),
    Action("search_next", ("greater_than_sign",), "Next search match", group="Move"),
    Action("search_prev", ("less_than_sign",), "Previous search match", group="Move"),
    *FILTER_ACTIONS,
)
_TAKE_ACTION = Action("take", TAKE_KEYS, "Take annotator N's tags for the sentence",
                      footer=True, short="Take N", group="Settle")
_SETTLE_ACTIONS: tuple[Action, ...] = (
    Action("cancel_prefix", ("escape",), "Cancel a layer prefix, else end the filter",
           group="Settle"),
    Action("majority", ("m",), "Majority, layer by layer (a tie is left to you)",
           footer=True, short="Majority", group="Settle"),
    Action("settle_article", ("M",), "Majority for the whole article (skips ties, singles)",
           group="Settle"),
    Action("take_singles", ("O",), "Take every sentence only one annotator tagged, as they "
           "tagged it (whole article)", group="Settle"),
    Action("accept_article", ("A",), "Accept the article (its annotators see it)",
           group="Settle"),
    Action("request_changes", ("R",), "Needs changes: send the article back with a comment…",
           group="Settle"),
)
_EDIT_ACTIONS: tuple[Action, ...] = (
    Action("edit_note", ("e",), "Reviewer note…", group="Edit by hand"),
    Action("clear_sentence", ("x",), "Clear the gold tags of the sentence", group="Edit by hand"),
    Action("toggle_not_content", ("X",), "Mark as not content", group="Edit by hand"),
    Action("undo", ("u", "ctrl+z"), "Undo", footer=True, group="Edit by hand"),
    Action("redo", ("ctrl+r", "ctrl+y"), "Redo", group="Edit by hand"),
)

# The actions every review has, whatever labels.yaml declares (the keys file checks its
# ids against these plus review_actions(schema.layers)).
REVIEW_ACTIONS: tuple[Action, ...] = (
    *_MOVE_ACTIONS, _TAKE_ACTION, *_SETTLE_ACTIONS, *_EDIT_ACTIONS, *APP_ACTIONS)

# Actions that change gold, refused (with a message) in a read-only review; with
# take_action_id(layer) and pick_action_id(layer) for every layer.
WRITING_ACTIONS = frozenset({
    "take", "majority", "settle_article", "take_singles", "accept_article",
    "request_changes", "edit_note", "clear_sentence",
    "toggle_not_content", "undo", "redo",
})


def take_action_id(layer_id: str) -> str:
    """The action (and keys-file id) that takes one layer: ``take_<layer id>``."""
    return f"take_{layer_id}"


@dataclass(frozen=True)
class Prefix:
    """The key that takes one layer, and why it is not the natural one when it is not."""

    layer: str
    key: str | None  # None: no free key; the palette still takes the layer
    natural: str | None  # the picker key upper-cased, when that is a distinct key
    reason: str | None = None  # set when key != natural: what the natural key is taken by

    @property
    def fallback(self) -> bool:
        return self.key != self.natural


def _fixed_review_keys() -> dict[str, str]:
    """Keys (as typed and as named) the layer-independent review actions own."""
    owners: dict[str, str] = {}
    for action in REVIEW_ACTIONS:
        for key in action.keys:
            owners[key] = action.id
            owners[key_display(key)] = action.id
    for key in _FRAMEWORK_KEYS:
        owners.setdefault(key, "app")
    return owners


def _no_natural(key: str | None) -> str:
    if not key:
        return "the layer has no picker key"
    if key.isupper():
        return f"{key} is already its picker key"
    return f"its picker key {key!r} has no upper case"


def _candidates(layer: LayerLike) -> list[str]:
    """Fallback prefixes, best first: letters of the id, then of the title, then A-Z."""
    letters = [c.upper() for c in f"{layer.id}{layer.title}" if c.isascii() and c.isalpha()]
    letters += [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    return list(dict.fromkeys(letters))


def layer_prefixes(layers: Sequence[LayerLike],
                   label_keys: Iterable[str] = ()) -> dict[str, Prefix]:
    """The take-one-layer prefix of every layer, in ``layers`` order.

    A layer's prefix is its picker key upper-cased (``s`` -> ``S``). When that is not a
    distinct key (the picker key is already upper case, a digit or punctuation) or is
    taken (by a review action such as ``N`` or ``M``, or by another layer's picker), the
    layer gets the first free upper-case letter of its id, then of its title, then of
    the alphabet, preferring one that no label quick key (``label_keys``) uses. Natural
    prefixes are given out first, so a fallback never takes another layer's own.
    """
    fixed = _fixed_review_keys()
    pickers = {layer.key: layer.id for layer in layers if layer.key}
    label_taken = set(label_keys)
    chosen: dict[str, Prefix] = {}
    used: set[str] = set()
    waiting: list[tuple[LayerLike, str | None, str]] = []
    for layer in layers:
        natural = layer.key.upper() if layer.key and layer.key.upper() != layer.key else None
        if natural is None:
            waiting.append((layer, None, _no_natural(layer.key)))
        elif natural in fixed:
            waiting.append((layer, natural, f"{natural} is "
                            f"{fixed[natural].replace('_', ' ')} in review"))
        elif natural in pickers:
            waiting.append((layer, natural, f"{natural} opens the {pickers[natural]} picker"))
        else:
            chosen[layer.id] = Prefix(layer.id, natural, natural)
            used.add(natural)
    for layer, natural, reason in waiting:
        free = [key for key in _candidates(layer)
                if key not in fixed and key not in pickers and key not in used]
        preferred = [key for key in free if key not in label_taken]
        key = (preferred or free)[0] if (preferred or free) else None
        if key is not None:
            used.add(key)
        chosen[layer.id] = Prefix(layer.id, key, natural, reason)
    return {layer.id: chosen[layer.id] for layer in layers}


def take_layer_actions(layers: Sequence[LayerLike],
                       label_keys: Iterable[str] = ()) -> tuple[Action, ...]:
    """One "take this layer from annotator N" prefix action per layer."""
    prefixes = layer_prefixes(layers, label_keys)
    actions = []
    for layer in layers:
        key = prefixes[layer.id].key
        actions.append(Action(take_action_id(layer.id), (key,) if key else (),
                              f"Then N: take annotator N's {layer.title.lower()}",
                              group="Settle"))
    return tuple(actions)


def shadowed_pickers(layers: Sequence[LayerLike]) -> dict[str, str]:
    """layer id -> the review action that owns its picker key (``m`` is majority here):
    such a picker has no key in review, only its palette entry."""
    fixed = _fixed_review_keys()
    return {layer.id: fixed[layer.key] for layer in layers
            if layer.key and layer.key in fixed}


def review_actions(layers: Sequence[LayerLike],
                   label_keys: Iterable[str] = ()) -> tuple[Action, ...]:
    """Every review action for these layers, in help-screen order."""
    shadowed = shadowed_pickers(layers)
    pickers = tuple(Action(a.id, () if layer.id in shadowed else a.keys, a.description,
                           group="Edit by hand", command=a.command)
                    for layer, a in zip(layers, layer_actions(layers), strict=True))
    return (*_MOVE_ACTIONS, _TAKE_ACTION, *take_layer_actions(layers, label_keys),
            *_SETTLE_ACTIONS, *pickers, *_EDIT_ACTIONS, *APP_ACTIONS)


def writing_actions(layers: Sequence[LayerLike]) -> frozenset[str]:
    """Ids of the actions that change gold, for these layers."""
    return WRITING_ACTIONS | {take_action_id(layer.id) for layer in layers} | {
        pick_action_id(layer.id) for layer in layers}


def review_keys(layers: Sequence[LayerLike] = (),
                label_keys: Iterable[str] = ()) -> set[str]:
    """Every key a review action owns, as typed ("1", "S", "]")."""
    keys: set[str] = set()
    for action in review_actions(layers, label_keys):
        for key in action.keys:
            keys.add(key)
            keys.add(key_display(key))
    return keys
