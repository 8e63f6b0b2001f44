"""The review screen: article list, gold's sentences, the side-by-side panel, and the keys.

Same shape and habits as the annotate screen (tui/screens/annotate.py), on the same base
(tui/screens/article_screen.py: the list, moving, articles in the palette) and widgets:
keys map to ReviewSession commands and nothing else changes state; an AnnotatorError
becomes a notification; after a command only what it touched is redrawn (a sentence,
the cursor, the panel, one article row).

Bindings come from the review action table and labels.yaml (review/keymap.py);
`for_session` builds the screen class with them, since layers and quick keys differ per
project. Nothing here knows a layer by name: taking a layer, the pickers, quick keys and
the palette follow `schema.layers`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal

from annotator.core.article_status import ACCEPTED, NEEDS_CHANGES
from annotator.core.filters import FilterView
from annotator.core.review import BATCH_MARK, ReviewSession, coverage_text
from annotator.core.review_actions import take_action_id, writing_actions
from annotator.core.session import Edit
from annotator.tui.commands import PaletteEntry
from annotator.tui.keymap import label_action, label_verb
from annotator.tui.review.article_list import ReviewArticleList
from annotator.tui.review.comparison import ComparisonPanel
from annotator.tui.review.help import ReviewHelpScreen
from annotator.tui.review.keymap import (
    TAKE_LAYER,
    actions_for,
    bound_keys,
    prefix_keys,
    quick_labels,
    review_bindings,
)
from annotator.tui.review.sentence_view import ReviewSentenceView
from annotator.tui.safe_text import one_line
from annotator.tui.screens.article_screen import ArticleScreen
from annotator.tui.widgets.key_bar import KeyBar
from annotator.tui.widgets.pickers.label_picker import LabelPicker
from annotator.tui.widgets.pickers.text_prompt import TextPrompt
from annotator.tui.widgets.status import StatusBar

# Screen actions that write gold besides the table's ids: a layer prefix and a label's
# quick key (tui/keymap.label_action).
_WRITING_SCREEN_ACTIONS = frozenset({TAKE_LAYER, "label"})
READ_ONLY_WHY = ("Read-only review: with one annotator there is nothing to settle, and "
                 "nothing is written. Review two or more annotators to build gold.")


class ReviewScreen(ArticleScreen):
    MIN_SIZE = (40, 12)
    LOCKED_TITLE = "Gold for this article is open elsewhere"
    NOTICE_TIMEOUT = 15
    AUTO_FOCUS = "ReviewSentenceView"

    DEFAULT_CSS = """
    ReviewScreen.-too-small ComparisonPanel { display: none; }
    """

    @classmethod
    def for_session(cls, review: ReviewSession) -> ReviewScreen:
        screen_class = type(cls.__name__, (cls,), {"BINDINGS": review_bindings(review.schema)})
        return screen_class(review)

    def __init__(self, review: ReviewSession) -> None:
        super().__init__()
        self.review = review
        self.pending_layer: str | None = None  # after a layer's prefix key, waiting for a digit
        self._writing = writing_actions(review.schema.layers) | _WRITING_SCREEN_ACTIONS
        self.message: str | None = None  # what the last command did, shown in the panel
        self.message_warns = False  # ... and whether it needs attention (a tie)

    read_only_reason: str | None = None  # the app sets it: why nothing can be saved

    def compose(self) -> ComposeResult:
        if self.read_only_reason:
            from annotator.tui.widgets.read_only_banner import ReadOnlyBanner

            yield ReadOnlyBanner(self.read_only_reason)
        yield StatusBar(id="status")
        with Horizontal(id="body"):
            yield from self.list_at_start()
            yield ReviewSentenceView(self.review, id="sentences")
        yield ComparisonPanel(id="comparison")
        yield KeyBar()

    @property
    def source(self) -> ReviewSession:
        return self.review

    @property
    def view(self) -> ReviewSentenceView:
        return self.query_one(ReviewSentenceView)

    def new_article_list(self) -> ReviewArticleList:
        return ReviewArticleList(self.review, id="articles")

    @property
    def panel(self) -> ComparisonPanel:
        return self.query_one(ComparisonPanel)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A read-only review hides what would write (footer, palette); keys do nothing."""
        return not (self.review.read_only and action in self._writing)

    # ----- start-up -----------------------------------------------------------------
    def on_mount(self) -> None:
        review = self.review
        self.call_after_refresh(self.mount_list)
        self._check_size(self.app.size.width, self.app.size.height)
        if review.read_only:
            self.notify(READ_ONLY_WHY, title=f"Reading {review.annotators[0]}'s work",
                        markup=False, timeout=8)
        if review.dispute_filter is not None:
            self.notify(f"Only {review.dispute_filter}: space and n/N go to those",
                        title="Dispute filter", markup=False, timeout=8)
        article_id = review.last_article_id
        if article_id is None:
            self.view.show_message(" No articles in this project yet.")
            self._update_bars()
        elif not self.open_article(article_id):
            self._show_list()
        self.set_timer(0.1, self.articles.count_progress)

    # ----- articles (opening, resizing and errors: ArticleScreen) ---------------------
    def _article_opened(self) -> None:
        self.panel.reset_height()

    def _step_article(self, delta: int) -> None:
        ids = [entry.id for entry in self.articles.entries]
        current = self.review.article.id if self.review.article else None
        if not ids:
            return
        start = ids.index(current) if current in ids else self.articles.row - delta
        target = start + delta
        if not 0 <= target < len(ids):
            self.notify("This is the last article." if delta > 0 else "This is the first article.",
                        timeout=2)
            return
        self.open_article(ids[target])

    # ----- drawing ------------------------------------------------------------------
    def _update_bars(self) -> None:
        review = self.review
        article = review.article
        count = len(review.sentences)
        summary = review.summary() if article else None
        self.query_one(StatusBar).show(
            annotator=f"{review.reviewer} ← {', '.join(review.annotators)}"
            + (f" · {review.dispute_filter}" if review.dispute_filter else ""),
            title=article.title if article else None,
            position=(review.cursor + 1, count) if count else None,
            progress=(summary.settled, summary.disputed) if summary and not review.read_only
            else None,
            corpus=None,  # settled/disputed over the corpus is in the article list's title
            flag="READ-ONLY" if review.read_only else None,
            extra=" · ".join(part for part in (
                coverage_text(summary.gold, summary.tagged)
                if summary and not review.read_only else None, self.filter_status()) if part)
            or None,
        )
        self._update_panel()

    def _update_panel(self) -> None:
        review = self.review
        if review.article is None or not review.sentences:
            self.panel.show_text("a: article list · ?: help · ctrl+p: commands")
            return
        pending = None
        if self.pending_layer:
            pending = (f"{review.layer_noun(self.pending_layer)} from annotator: "
                       f"1-{len(review.annotators)} · esc")
        still_open = review.open_layers(review.cursor)
        self.panel.show(review.comparison(), review.gold_tags(), review.schema, review.reviewer,
                        read_only=review.read_only, pending=pending,
                        message=self.message,
                        warning=self.message_warns,
                        held=review.still_to_decide(still_open) if still_open else None)

    def _redraw(self, edits: Iterable[Edit], before: int) -> None:
        for edit in edits:
            self.view.refresh_sentence(edit.index)
        if self.review.cursor != before:
            self.view.refresh_cursor()
        if self.review.article is not None:
            self.articles.refresh_article(self.review.article.id)
        self._update_bars()

    def command(self, run: Callable[..., Any], *args: Any,
                say: Callable[[Any], str | None] | None = None) -> Any:
        """Run one review command; report an AnnotatorError; redraw what it touched.

        ``say`` turns the result into the line shown in the panel (drawn once, with the rest).
        """
        self.pending_layer = None
        self.message = None
        before = self.review.cursor
        ok, result = self.run_reporting(run, *args)
        if not ok:
            self._update_panel()
            return None
        edits = getattr(result, "edits", None)
        if edits is None:
            edits = result if isinstance(result, list) else [result] if isinstance(result, Edit) \
                else []
        if say is not None:
            self.message = say(result)
            self.message_warns = bool(getattr(result, "warning", False))
        self._redraw(edits, before)
        return result

    def _move_to(self, index: int) -> None:
        before = self.review.cursor
        self.review.goto(index)
        self._moved(before)

    def _moved(self, before: int) -> None:
        self.pending_layer = None
        self.message = None
        if self.review.cursor != before:
            self.view.refresh_cursor()
        self._update_bars()

    def _writable(self) -> bool:
        review = self.review
        self.pending_layer = None
        if review.article is None:
            self.notify("No article is open: pick one in the list (a).", severity="warning")
            return False
        if review.read_only:
            self.notify(READ_ONLY_WHY, severity="warning", markup=False, timeout=6)
            return False
        if review.gold.broken is not None:
            self.notify(f"Not editable: {review.gold.broken}", severity="error", markup=False,
                        timeout=10)
            return False
        return True

    # ----- actions: moving ----------------------------------------------------------
    def _to_dispute(self, *, forward: bool, unsettled: bool) -> bool:
        review = self.review
        if review.article is None:
            return False
        self.pending_layer = None
        self.message = None
        before = review.cursor
        if review.next_dispute(forward=forward, unsettled=unsettled) is None:
            return False
        if review.cursor != before:
            self.view.refresh_cursor()
        self._update_bars()
        return True

    def action_next_dispute(self) -> None:
        if not self._to_dispute(forward=True, unsettled=False):
            self.notify("No disputes in this article. space: next unsettled dispute anywhere.",
                        timeout=3)

    def action_prev_dispute(self) -> None:
        if not self._to_dispute(forward=False, unsettled=False):
            self.notify("No disputes in this article.", timeout=3)

    def action_next_unsettled(self) -> None:
        if self._to_dispute(forward=True, unsettled=True):
            return
        target = self.review.next_unsettled_article()
        if target is None:
            self.notify(self.review.all_settled_message(), timeout=8, markup=False)
            return
        if self.open_article(target):
            self.review.goto(0)
            if not self.review.is_open_dispute(0):
                self.review.next_dispute(unsettled=True)
            self.view.refresh_cursor()
            self._update_bars()
            self.notify(f"Next article with unsettled disputes: "
                        f"{one_line(self.review.article.title if self.review.article else '')}",
                        markup=False, timeout=3)

    def action_toggle_articles(self) -> None:
        if not self.articles.display:
            self._show_list()
        elif self.articles.has_focus:
            self._hide_list()
        else:
            self.articles.focus()

    def filter_view(self) -> FilterView:
        return self.review.filter_view()

    # ----- actions: settling --------------------------------------------------------
    def action_take(self, number: int) -> None:
        layer = self.pending_layer
        if self._writable():
            self.command(self.review.take, number, layer, say=_message)

    def action_take_layer(self, layer: str) -> None:
        """A layer's prefix key: the next digit takes that layer from annotator N."""
        if not self._writable() or self.review.schema.layer_of(layer) is None:
            return
        self.pending_layer = layer
        self._update_panel()

    def action_cancel_prefix(self) -> None:
        """esc: cancel a layer prefix; with none pending, end the sentence filter."""
        if self.pending_layer is not None:
            self.pending_layer = None
            self._update_panel()
        else:
            self.action_clear_filter()

    def action_majority(self) -> None:
        if not self._writable():
            return
        self.command(self.review.take_majority, say=_message)

    def action_take_singles(self) -> None:
        if not self._writable():
            return
        self.command(self.review.take_singles,
                     say=lambda outcome: f"{outcome.message} (u undoes all of it)")

    def action_accept_article(self) -> None:
        if self._writable():
            self.command(self.review.set_verdict, ACCEPTED, say=_message)
            self.articles.reload_statuses()

    def action_request_changes(self) -> None:
        if not self._writable():
            return
        found = self.articles.statuses.verdicts.get(self.review.article.id) \
            if self.review.article else None
        self.app.push_screen(
            TextPrompt("Needs changes: what should the annotators fix?",
                       value=(found[1].comment or "") if found else "",
                       placeholder="shown in their article list; empty: no comment"),
            self._changes_answered)

    def _changes_answered(self, comment: str | None) -> None:
        if comment is None:
            return
        self.command(self.review.set_verdict, NEEDS_CHANGES, comment, say=_message)
        self.articles.reload_statuses()

    def action_settle_article(self) -> None:
        if not self._writable():
            return
        self.command(self.review.settle_article,
                     say=lambda outcome: f"{outcome.message} (u undoes all of it)")

    # ----- actions: editing by hand (the gold session's own commands) ---------------
    def _pick(self, layer: str) -> None:
        if self._writable():
            self.app.push_screen(LabelPicker(self.review.gold, layer), self._picked)

    def _picked(self, changed: bool | None) -> None:
        review = self.review
        if changed and review.article is not None:
            review.refresh_after_edit()
            self.view.refresh_all_tags()
            self.articles.refresh_article(review.article.id)
        self._update_bars()

    def _gold_command(self, run: Callable[..., Any], *args: Any,
                      say: Callable[[Any], str | None] | None = None) -> Any:
        if not self._writable():
            return None

        def run_and_refresh() -> Any:
            edit = run(*args)
            self.review.refresh_after_edit()
            return edit

        return self.command(run_and_refresh, say=say)

    def action_label(self, layer: str, label_id: str) -> None:
        """A label's quick key on gold: pick or clear it (single layer), add or remove it."""
        self._gold_command(self.review.gold.toggle_label, layer, label_id)

    def action_edit_note(self) -> None:
        if not self._writable():
            return
        index = self.review.cursor
        self.app.push_screen(
            TextPrompt(f"Reviewer note for sentence {index + 1}",
                       value=self.review.gold_tags().note or "",
                       placeholder="why gold says what it says; empty removes the note"),
            partial(self._note_answered, index))

    def _note_answered(self, index: int, note: str | None) -> None:
        if note is None:
            return
        self.review.goto(index)
        self._gold_command(self.review.gold.set_note, note)

    def action_clear_sentence(self) -> None:
        self._gold_command(self.review.gold.clear,
                           say=lambda _edit: "Gold cleared for this sentence (u: undo)")

    def action_toggle_not_content(self) -> None:
        self._gold_command(self.review.gold.toggle_not_content)

    def action_undo(self) -> None:
        if not self._writable():
            return
        self.command(self.review.undo, say=lambda edits: f"Undone: {_what(edits)}" if edits
                     else "Nothing to undo in this article.")

    def action_redo(self) -> None:
        if not self._writable():
            return
        self.command(self.review.redo, say=lambda edits: f"Redone: {_what(edits)}" if edits
                     else "Nothing to redo.")

    # ----- actions: app -------------------------------------------------------------
    def action_help(self) -> None:
        review = self.review
        self.app.push_screen(ReviewHelpScreen(review.schema, review.annotators, review.read_only,
                                              self.keys_for))

    def keys_of(self, action_id: str) -> tuple[str, ...]:
        action = next(action for action in actions_for(self.review.schema)
                      if action.id == action_id)
        return tuple(key for key in bound_keys(action, self.keys_for).split(" ") if key)

    # ----- command palette ----------------------------------------------------------
    def palette_entries(self) -> Iterable[PaletteEntry]:
        review = self.review
        schema = review.schema
        layer_takes = {take_action_id(layer.id) for layer in schema.layers}
        prefixes = prefix_keys(schema, self.keys_for)
        for action in actions_for(schema):
            if action.id == "cancel_prefix" or action.id in layer_takes:
                continue  # a prefix alone does nothing: "take bob's <layer>" below does it
            if review.read_only and action.id in self._writing:
                continue
            if action.id == "take":
                for number, name in enumerate(review.annotators[:9], start=1):
                    yield PaletteEntry(f"Take {name}'s tags for the sentence",
                                       partial(self.action_take, number), f"key: {number}")
                    for layer in schema.layers:
                        prefix = prefixes.get(layer.id)
                        yield PaletteEntry(
                            f"Take {name}'s {layer.noun}",
                            partial(self._palette_take_layer, number, layer.id),
                            f"keys: {prefix} {number}" if prefix else "", discover=False)
                continue
            keys = ", ".join(self.keys_of(action.id))
            yield PaletteEntry(action.description, partial(self.run_action, action.run),
                               f"key: {keys}" if keys else "")
        if not review.read_only and review.article is not None:
            for layer, label in quick_labels(schema):
                yield PaletteEntry(f"{label_verb(layer)}: {one_line(label.name)}",
                                   partial(self.run_action, label_action(layer.id, label.id)),
                                   f"key: {label.key}", discover=False)
        yield from self._article_palette_entries()

    def _palette_take_layer(self, number: int, layer: str) -> None:
        self.pending_layer = layer
        self.action_take(number)


def _what(edits: list[Edit]) -> str:
    """An undone step in words: "take bob's tags", "settle the article by majority (4)"."""
    description = edits[0].description
    if description.startswith(BATCH_MARK):
        description = description.split(" ", 1)[-1] + f" ({len(edits)} sentences)"
    return description


def _message(outcome: Any) -> str:
    """What a review Outcome says (shown in the panel; a warning also as a toast)."""
    return str(outcome.message)
