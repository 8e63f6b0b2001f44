"""The annotate screen: article list, sentences, bars, and the keys that drive the session.

Keys map to session commands (core/session.py) and nothing else changes state; after a
command the screen redraws only what it touched (a sentence, the cursor, the bars).
Every AnnotatorError a command raises (a lock held elsewhere, a failed save, a broken
annotation file) becomes a notification: the editor never crashes on the user's data.

The bindings come from core/actions.py and labels.yaml (keymap.py); `for_session`
builds the screen class with them, since layers and quick keys differ per project.
Nothing here knows a layer by name: pickers, quick keys, the hint and the palette all
follow `schema.layers`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal

from annotator.core.actions import key_display
from annotator.core.errors import AnnotatorError
from annotator.core.schema import LabelSchema
from annotator.core.session import AnnotateSession
from annotator.core.tags import SentenceTags
from annotator.tui.commands import PaletteEntry
from annotator.tui.keymap import (
    action_binding_id,
    annotate_bindings,
    editor_actions,
    label_action,
    label_verb,
)
from annotator.tui.safe_text import one_line
from annotator.tui.screens.article_screen import ArticleScreen
from annotator.tui.widgets.key_bar import KeyBar
from annotator.tui.widgets.sentences.sentence_view import SentenceView
from annotator.tui.widgets.status import StatusBar, TagSummary, describe_tags

if TYPE_CHECKING:  # filters load on first use, the article list once made
    from annotator.core.filters import FilterView
    from annotator.tui.widgets.articles.article_list import ArticleList


class AnnotateScreen(ArticleScreen):
    MIN_SIZE = (40, 10)
    AUTO_FOCUS = ""  # on_mount decides: the text, or the list when the article is locked
    read_only_reason: str | None = None  # the app sets it: why nothing can be saved (a banner)

    DEFAULT_CSS = """
    AnnotateScreen {
        background: $surface;
        &.-too-small TagSummary { display: none; }
    }
    """

    @classmethod
    def for_session(cls, session: AnnotateSession) -> AnnotateScreen:
        """A screen whose BINDINGS are the action table plus this project's label keys."""
        screen_class = type(cls.__name__, (cls,), {"BINDINGS": annotate_bindings(session.schema)})
        return screen_class(session)

    def __init__(self, session: AnnotateSession) -> None:
        super().__init__()
        self.session = session
        self._schema_drawn: LabelSchema = session.schema
        self._seen_to: dict[str, int] = {}  # per article, the furthest sentence reached
        self._done_armed: str | None = None  # D pressed once with sentences unread

    def compose(self) -> ComposeResult:
        if self.read_only_reason:
            from annotator.tui.widgets.read_only_banner import ReadOnlyBanner

            yield ReadOnlyBanner(self.read_only_reason)
        yield StatusBar(id="status")
        with Horizontal(id="body"):
            yield from self.list_at_start()
            yield SentenceView(self.session, id="sentences")
        yield TagSummary(id="tags")
        yield KeyBar()

    @property
    def source(self) -> AnnotateSession:
        return self.session

    @property
    def view(self) -> SentenceView:
        return self.query_one(SentenceView)

    def new_article_list(self) -> ArticleList:
        from annotator.tui.widgets.articles.article_list import ArticleList

        return ArticleList(self.session, defer_index=True, id="articles")

    # ----- start-up -----------------------------------------------------------------
    def on_mount(self) -> None:
        self.call_after_refresh(self.mount_list)
        self._check_size(self.app.size.width, self.app.size.height)
        # Speaker suggestions follow the first screen: their patterns take a while to load
        # and run, and what the user needs first is the text.
        if self.session.SUGGESTS:
            self.session.SUGGESTS = False
            self.call_after_refresh(self._show_suggestions)
        article_id = self.session.remembered_article_id()
        if article_id is None:  # first run: the index is needed to pick an article at all
            try:
                self.articles.set_entries(self.session.entries(), announce=False)
            except (AnnotatorError, OSError) as exc:
                self._index_loaded(exc)
            else:
                self._index_loaded(None)
            return
        if self.open_article(article_id):
            self.view.focus()
        else:
            self._show_list()
        # Otherwise the index is read once the first screen is out (10,000 headers take time),
        # by the list, made then (a lambda: `self.articles` here would make it now).
        self.call_after_refresh(lambda: self.articles.load_entries())

    def _show_suggestions(self) -> None:
        del self.session.SUGGESTS  # back to the session class's own: suggestions on
        if self.session.article is not None and self.session.broken is None:
            self.view.refresh_all_tags()
            self._update_bars()

    def on_article_list_loaded(self, event: ArticleList.Loaded) -> None:
        self._index_loaded(event.error)

    def _index_loaded(self, error: Exception | None) -> None:
        """The corpus index is read: report skipped files; open an article if none is."""
        if error is not None:
            self.notify(str(error), title="Cannot read the corpus", severity="error",
                        markup=False, timeout=20)
            self.view.show_message(" The corpus cannot be read:", f" {error}")
            self._update_bars()
            return
        for problem in self.session.project.corpus.problems[:3]:
            self.notify(str(problem), title="Article file skipped", severity="warning",
                        markup=False, timeout=10)
        self._article_entries = None
        if self.session.article is not None or self.articles.locked:
            return
        if self.articles.entries:
            if self.open_article(self.articles.entries[0].id):
                self.view.focus()
            else:
                self._show_list()
        else:
            self.view.focus()
            self.view.show_message(" No articles in this project yet.", "",
                                   " Add some with: annotator import FILE...")
            self._update_bars()

    # ----- articles (opening, resizing and errors: ArticleScreen) ---------------------
    def _article_opened(self) -> None:
        self._schema_drawn = self.session.schema

    def _step_article(self, delta: int) -> None:
        if not self.articles.loaded:
            self.notify("The article list is still being read…", timeout=2)
            return
        ids = [entry.id for entry in self.articles.entries]
        if not ids:
            return
        current = self.session.article.id if self.session.article else None
        start = ids.index(current) if current in ids else self.articles.row
        target = start + delta
        if not 0 <= target < len(ids):
            self.notify("This is the last article." if delta > 0 else "This is the first article.",
                        timeout=2)
            return
        self.open_article(ids[target])

    # ----- bars ---------------------------------------------------------------------
    def _update_bars(self) -> None:
        session = self.session
        article = session.article
        count = len(session.sentences)
        if article is not None:
            self._seen_to[article.id] = max(self._seen_to.get(article.id, 0), session.cursor)
        flag = None
        if article is None:
            flag = "no article"
        elif session.broken is not None or session.read_only:
            flag = "READ-ONLY"
        self.query_one(StatusBar).show(
            annotator=session.annotator,
            title=article.title if article else None,
            position=(session.cursor + 1, count) if count else None,
            progress=session.progress() if article else None,
            corpus=self._list.corpus_progress if self._list is not None else None,
            flag=flag,
            extra=self.filter_status(),
        )
        summary = self.query_one(TagSummary)
        if article is None or not count:
            summary.show_text("a: article list · ?: help · ctrl+p: commands", "dim")
        elif session.broken is not None:
            summary.show_text(f"Not editable: {session.broken}", "bold red")
        else:
            index = session.cursor
            tags = session.tags(index)
            auto = (tags.is_empty and article.non_content_reason(index)) or False
            summary.show_tags(tags, session.schema, auto_not_content=auto,
                              hint=self._tag_hint(session.schema))
            self._show_suggestion(summary, tags, auto)

    def _show_suggestion(self, summary: TagSummary, tags: SentenceTags, auto: object) -> None:
        """The current sentence's suggested speakers and why, before its tags: "suggested
        @Mike Pompeo (said Pompeo) · enter accepts". Nothing is tagged until accepted."""
        pending = self.session.pending()
        if not pending or auto:
            return
        schema = self.session.schema
        line = Text("suggested ", "dim italic")
        for number, suggestion in enumerate(pending):
            if number:
                line.append(", ", "dim")
            line.append(f"@{one_line(schema.display(suggestion.layer, suggestion.label))}",
                        "italic")
            line.append(f" ({one_line(suggestion.reason)})", "dim italic")
        keys = self.__dict__.get("_accept_keys")
        if keys is None:  # the table is built per call: once is enough (keys are fixed)
            keys = self.__dict__["_accept_keys"] = self.keys_of("accept_suggestion")
        if keys:
            line.append(f" · {keys[0]} accepts", "dim")
        line.append(" · ", "dim")
        line.append_text(describe_tags(tags, schema, auto_not_content=False,
                                       hint=self._tag_hint(schema)))
        summary.update(line, layout=False)

    def action_accept_suggestion(self) -> None:
        """Accept the sentence's suggested speakers (with their mentions) and move on."""
        if not self._editable():
            return
        before = self.session.cursor
        if not self.session.pending():
            self.notify("No suggestion for this sentence: pick a speaker with its key.",
                        timeout=2)
            return
        self.command(self.session.accept_suggestions)
        self.view.refresh_sentence(before)

    @staticmethod
    def _tag_hint(schema: LabelSchema) -> Text:
        """What tags an untagged sentence: a single layer's quick keys when it has
        them (they are the fast path), else the key of the layer's picker."""
        hint = Text("untagged · ", "dim")
        for layer in schema.layers:
            quick = [label for label in layer.labels if label.key] if layer.single else []
            for label in quick:
                hint.append(one_line(label.key or ""), "bold")
                hint.append(f" {one_line(label.name)}  ", "dim")
            if not quick and layer.key:
                hint.append(one_line(layer.key), "bold")
                hint.append(f" {one_line(layer.noun)}  ", "dim")
        hint.rstrip()
        return hint

    # ----- running commands ---------------------------------------------------------
    def command(self, run: Callable[..., Any], *args: Any) -> Any:
        """Run one session command; report an AnnotatorError; redraw what it touched."""
        session = self.session
        before = session.cursor
        ok, result = self.run_reporting(run, *args)
        if not ok:
            return None
        index = getattr(result, "index", None)
        if isinstance(index, int):
            self.view.refresh_sentence(index)
        if session.cursor != before or isinstance(index, int):
            self.view.refresh_cursor()
        if session.article is not None and isinstance(index, int):
            self.articles.refresh_article(session.article.id)
        self._update_bars()
        return result

    def _moved(self, before: int) -> None:
        if self.session.cursor != before:
            self.view.refresh_cursor()
            self._update_bars()

    def _move_to(self, index: int) -> None:
        before = self.session.cursor
        self.session.goto(index)
        self._moved(before)

    def _editable(self) -> bool:
        session = self.session
        if session.article is None:
            self.notify("No article is open: pick one in the list (a).", severity="warning")
            return False
        if session.broken is not None:
            self.notify(f"Not editable: {session.broken}", severity="error", markup=False,
                        timeout=10)
            return False
        return True

    # ----- actions: moving ----------------------------------------------------------
    def action_next_untagged(self) -> None:
        if self.session.article is None:
            return
        before = self.session.cursor
        if self.session.next_untagged() is None:
            self.notify("Every sentence of this article is tagged. ] opens the next article.",
                        timeout=4)
        self._moved(before)

    def action_toggle_articles(self) -> None:
        articles = self.articles
        if not articles.display:
            self._show_list()
        elif articles.has_focus:
            self._hide_list()
        else:
            articles.focus()
            if self.session.article is not None:
                articles.show_article(self.session.article.id)

    # ----- actions: tagging ---------------------------------------------------------
    def _pick(self, layer: str) -> None:
        if self._editable():
            if self.session.refresh_schema():  # a speakers file or labels.yaml changed on disk
                self._schema_drawn = self.session.schema
                self.view.refresh_all_tags()
            from annotator.tui.widgets.pickers.label_picker import LabelPicker

            self.app.push_screen(LabelPicker(self.session, layer), self._picked)

    def _picked(self, changed: bool | None) -> None:
        if self.session.schema is not self._schema_drawn:  # an entity was added
            self._schema_drawn = self.session.schema
            self.view.refresh_all_tags()
        elif changed:
            self.view.refresh_sentence(self.session.cursor)
        if self.session.article is not None:
            self.articles.refresh_article(self.session.article.id)
        self._update_bars()

    def action_label(self, layer: str, label_id: str) -> None:
        """A label's quick key: pick or clear it (single layer), add or remove it (others)."""
        self.command(self.session.toggle_label, layer, label_id)

    def action_edit_note(self) -> None:
        if not self._editable():
            return
        from annotator.tui.widgets.pickers.text_prompt import TextPrompt  # not at start-up

        index = self.session.cursor
        self.app.push_screen(
            TextPrompt(f"Note for sentence {index + 1}", value=self.session.tags().note or "",
                       placeholder="free text; empty removes the note"),
            partial(self._note_answered, index))

    def _note_answered(self, index: int, note: str | None) -> None:
        if note is None:
            return
        self.session.goto(index)
        self.command(self.session.set_note, note)

    def action_clear_sentence(self) -> None:
        if self.command(self.session.clear) is not None:
            self.notify("Sentence cleared (u: undo)", timeout=2)

    def action_toggle_not_content(self) -> None:
        self.command(self.session.toggle_not_content)

    def action_undo(self) -> None:
        if self.session.article is None:
            return
        edit = self.command(self.session.undo)
        if edit is None and not self.session.history.undo:
            self.notify("Nothing to undo in this article.", timeout=2)
        elif edit is not None:
            self.notify(f"Undone: {one_line(edit.description)}", markup=False, timeout=2)

    def action_redo(self) -> None:
        if self.session.article is None:
            return
        edit = self.command(self.session.redo)
        if edit is None and not self.session.history.redo:
            self.notify("Nothing to redo.", timeout=2)
        elif edit is not None:
            self.notify(f"Redone: {one_line(edit.description)}", markup=False, timeout=2)

    def filter_view(self) -> FilterView:
        from annotator.core.filters import editor_view  # on first use: not at start-up

        return editor_view(self.session)

    def action_toggle_done(self) -> None:
        """ctrl+d: mark the article done (asks with a second press while sentences are
        unread); on a done article it takes the mark back."""
        from annotator.core.article_status import mark_done, unread  # loaded with the list

        session = self.session
        if not self._editable() or session.article is None:
            return
        article = session.article
        done = article.id in self.articles.statuses.done
        if not done:
            left = unread([i for i in range(len(session.sentences)) if session.is_done(i)],
                          len(session.sentences), self._seen_to.get(article.id, 0))
            if left and self._done_armed != article.id:
                self._done_armed = article.id
                self.notify(f"{len(left)} sentence(s) not read yet (from sentence "
                            f"{left[0] + 1}). Press ctrl+d again to mark the article done anyway: "
                            "what is left untagged then counts as nothing to tag.",
                            title="Not marked done", severity="warning", timeout=10)
                return
        self._done_armed = None
        ok, _ = self.run_reporting(mark_done, session.project.annotations_dir,
                                   session.annotator, article.id, not done)
        if not ok:
            return
        self.articles.reload_statuses()
        self.articles.refresh_article(article.id)
        self.notify("Article marked done: untagged sentences count as nothing to tag "
                    "(ctrl+d again to undo)." if not done else "No longer marked done.", timeout=4)

    # ----- actions: app -------------------------------------------------------------
    def action_help(self) -> None:
        from annotator.tui.screens.help import HelpScreen  # loaded when first asked for

        self.app.push_screen(HelpScreen(self.session.schema, self.keys_for))

    def keys_of(self, action_id: str) -> tuple[str, ...]:
        action = next(action for action in editor_actions(self.session.schema)
                      if action.id == action_id)
        return tuple(key_display(key)
                     for key in self.keys_for(action_binding_id(action), action.keys))

    # ----- command palette ----------------------------------------------------------
    def palette_entries(self) -> Iterable[PaletteEntry]:
        for action in editor_actions(self.session.schema):
            keys = ", ".join(self.keys_of(action.id))
            yield PaletteEntry(action.description, partial(self.run_action, action.run),
                               f"key: {keys}" if keys else "")
        session = self.session
        if session.article is not None and session.broken is None:
            for layer in session.schema.layers:
                for label in layer.labels:
                    key = f"key: {label.key}" if label.key else ""
                    run = (partial(self.command, session.set_labels, layer.id, label.id)
                           if layer.single  # "Tag stance: For" sets it, never clears it
                           else partial(self.run_action, label_action(layer.id, label.id)))
                    # Entities can be thousands: offered once something is typed.
                    yield PaletteEntry(f"{label_verb(layer)}: {one_line(label.name)}", run,
                                       key, discover=not layer.entity)
        yield from self._article_palette_entries()
