"""Every review-mode action named once, like ANNOTATE_ACTIONS for the editor.

The review TUI derives bindings, footer, help screen and command palette from this
table. Keys reuse annotate mode's habits (j/k, s/c/t pickers, u undo, ? help) so a
reviewer who annotates needs nothing new for moving and editing; what is new is taking
an annotator's decision:

* ``1``..``9``: take annotator N's tags for the whole sentence (N = their column).
* ``S``/``C``/``T`` then ``1``..``9``: take only their speakers / claim / topics. A
  prefix rather than shift+digit, because terminals send shift+digit as punctuation that
  depends on the keyboard layout (shift+2 is "@" or '"').
* ``m``: majority per layer; a tied layer is left as it was and reported.

Label quick keys from labels.yaml still work in review, except where they collide with a
key below (digit topic keys collide with 1..9): those are listed as shadowed in the help
screen and reached through the pickers instead.
"""

from __future__ import annotations

from .actions import APP_ACTIONS, JUMP_ACTIONS, STEP_ACTIONS, Action, key_display

TAKE_KEYS = tuple(str(n) for n in range(1, 10))
LAYER_PREFIXES = {"S": "speakers", "C": "claim", "T": "topics"}

REVIEW_ACTIONS: tuple[Action, ...] = (
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
    Action("take", TAKE_KEYS, "Take annotator N's tags for the sentence", footer=True,
           short="Take N", group="Settle"),
    Action("take_speakers", ("S",), "Then N: take annotator N's speakers", group="Settle"),
    Action("take_claim", ("C",), "Then N: take annotator N's claim", group="Settle"),
    Action("take_topics", ("T",), "Then N: take annotator N's topics", group="Settle"),
    Action("cancel_prefix", ("escape",), "Cancel S / C / T", group="Settle"),
    Action("majority", ("m",), "Majority, layer by layer (a tie is left to you)",
           footer=True, short="Majority", group="Settle"),
    Action("settle_article", ("M",), "Majority for the whole article (skips ties, singles)",
           group="Settle"),
    Action("pick_speakers", ("s",), "Speakers…", group="Edit by hand"),
    Action("pick_claim", ("c",), "Claim…", group="Edit by hand"),
    Action("pick_topics", ("t",), "Topics…", group="Edit by hand"),
    Action("edit_note", ("e",), "Reviewer note…", group="Edit by hand"),
    Action("clear_sentence", ("x",), "Clear the gold tags of the sentence", group="Edit by hand"),
    Action("toggle_not_content", ("X",), "Mark as not content", group="Edit by hand"),
    Action("undo", ("u", "ctrl+z"), "Undo", footer=True, group="Edit by hand"),
    Action("redo", ("ctrl+r", "ctrl+y"), "Redo", group="Edit by hand"),
    *APP_ACTIONS,
)

# Actions that change gold: refused (with a message) in a read-only review.
WRITING_ACTIONS = frozenset({
    "take", "take_speakers", "take_claim", "take_topics", "majority", "settle_article",
    "pick_speakers", "pick_claim", "pick_topics", "edit_note", "clear_sentence",
    "toggle_not_content", "undo", "redo",
})


def review_keys() -> set[str]:
    """Every key a review action owns, as typed ("1", "S", "]")."""
    keys: set[str] = set()
    for action in REVIEW_ACTIONS:
        for key in action.keys:
            keys.add(key)
            keys.add(key_display(key))
    return keys
