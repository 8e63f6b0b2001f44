"""What the annotate and review screens share: an article list beside a sentence view.

Both screens open articles from the same list, move through sentences with the same
keys, search the text with the same prompt (/), show the same "too small" notice and
list articles in the palette the same way; that lives here once. What differs (opening
an article, the bars, commands, pickers) each screen defines: open_article, _update_bars,
_move_to, _moved, _step_article, _pick and keys_of. Each layer's picker action
(pick_<layer id>) is answered here, for any layer labels.yaml declares.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import ClassVar, Protocol

from textual import on
from textual.command import Provider
from textual.screen import Screen
from textual.widgets import Static

from annotator.tui.base_app import BaseApp
from annotator.tui.commands import PaletteEntry, ScreenCommands
from annotator.tui.keymap import KeysFor, table_keys
from annotator.tui.safe_text import one_line
from annotator.tui.target import SentenceSource
from annotator.tui.widgets.articles.article_list import ArticleList
from annotator.tui.widgets.pickers.text_prompt import TextPrompt
from annotator.tui.widgets.sentences.sentence_view import SentenceView

WIDE = 110  # from this width the article list stays open beside the text


class ScreenSource(SentenceSource, Protocol):
    """The session a screen drives (AnnotateSession or ReviewSession)."""

    def close(self) -> None: ...

    def search(self, query: str, *, forward: bool = True) -> int | None: ...


class ArticleScreen(Screen[None]):
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ScreenCommands}
    DEFAULT_CSS = """
    ArticleScreen {
        layout: vertical;
        #body { height: 1fr; }
        #too-small {
            display: none;
            width: 100%;
            height: 100%;
            content-align: center middle;
            text-align: center;
            color: $warning;
        }
        &.-too-small {
            #body, StatusBar, KeyBar { display: none; }
            #too-small { display: block; }
        }
    }
    """

    MIN_SIZE: ClassVar[tuple[int, int]]  # below this, say so instead of drawing a broken layout

    def __init__(self) -> None:
        super().__init__()
        self._article_entries: list[PaletteEntry] | None = None  # built once, for the palette
        self.last_query = ""  # what / searched for last; the next / previous match keys reuse it

    # ----- what each screen provides ------------------------------------------------
    @property
    def source(self) -> ScreenSource:
        raise NotImplementedError

    @property
    def view(self) -> SentenceView:
        raise NotImplementedError

    @property
    def articles(self) -> ArticleList:
        raise NotImplementedError

    def open_article(self, article_id: str) -> bool:
        raise NotImplementedError

    def _update_bars(self) -> None:
        raise NotImplementedError

    def _move_to(self, index: int) -> None:
        raise NotImplementedError

    def _moved(self, before: int) -> None:
        """The session's cursor was moved (from `before`) by a command: redraw."""
        raise NotImplementedError

    def keys_of(self, action_id: str) -> tuple[str, ...]:
        """An action's keys as shown to the user, after the keymap."""
        raise NotImplementedError

    def _step_article(self, delta: int) -> None:
        raise NotImplementedError

    def _pick(self, layer: str) -> None:
        raise NotImplementedError

    @property
    def keys_for(self) -> KeysFor:
        """Which keys a binding answers to (the user's keymap applied), for help and palette."""
        app = self.app
        return app.keys_for if isinstance(app, BaseApp) else table_keys

    # ----- size ---------------------------------------------------------------------
    def too_small_notice(self) -> Static:
        width, height = self.MIN_SIZE
        return Static(f"The terminal is too small.\nMake it at least {width}×{height}.",
                      id="too-small", markup=False)

    def _check_size(self, width: int, height: int) -> None:
        self.set_class(width < self.MIN_SIZE[0] or height < self.MIN_SIZE[1], "-too-small")

    # ----- the article list ---------------------------------------------------------
    def _opened(self, article_id: str, previous: str | None, notices: Iterable[str], *,
                notice_timeout: float) -> None:
        """An article is open: show what its files warned about, redraw both rows and bars."""
        for notice in notices:
            self.notify(notice, title="Check this annotation file", severity="warning",
                        markup=False, timeout=notice_timeout)
        if previous is not None:
            self.articles.refresh_article(previous)
        self.articles.show_article(article_id)
        self.articles.refresh_article(article_id)
        self._update_bars()

    def _show_list(self) -> None:
        self.articles.display = True
        if self.source.article is not None:
            self.articles.show_article(self.source.article.id)
        self.articles.focus()

    def _hide_list(self) -> None:
        if self.size.width < WIDE:
            self.articles.display = False
        self.view.focus()

    @on(ArticleList.Opened)
    def _article_chosen(self, event: ArticleList.Opened) -> None:
        if self.open_article(event.article_id):
            self._hide_list()

    @on(ArticleList.Closed)
    def _list_closed(self) -> None:
        self._hide_list()

    @on(ArticleList.Counted)
    def _corpus_counted(self) -> None:
        self._update_bars()

    @on(SentenceView.Clicked)
    def _sentence_clicked(self, event: SentenceView.Clicked) -> None:
        self._move_to(event.index)
        self.view.focus()

    # ----- actions: moving ----------------------------------------------------------
    def action_next_sentence(self) -> None:
        self._move_to(self.source.cursor + 1)

    def action_prev_sentence(self) -> None:
        self._move_to(self.source.cursor - 1)

    def action_first_sentence(self) -> None:
        self._move_to(0)

    def action_last_sentence(self) -> None:
        self._move_to(len(self.source.sentences) - 1)

    def action_page_down(self) -> None:
        self._move_to(self.view.sentence_page_away(self.source.cursor, 1))

    def action_page_up(self) -> None:
        self._move_to(self.view.sentence_page_away(self.source.cursor, -1))

    def action_next_article(self) -> None:
        self._step_article(1)

    def action_prev_article(self) -> None:
        self._step_article(-1)

    # ----- actions: searching the text ----------------------------------------------
    def action_search(self) -> None:
        forward, back = (self.keys_of(id_)[:1] or ("?",) for id_ in ("search_next", "search_prev"))
        self.app.push_screen(
            TextPrompt("Search the text", value=self.last_query, placeholder="words to find",
                       hint=f"enter: find next · esc: cancel · then {forward[0]} / {back[0]}: "
                       "next / previous"),
            self._search_answered)

    def _search_answered(self, query: str | None) -> None:
        if query:
            self.last_query = query
            self._search(forward=True)

    def _search(self, *, forward: bool) -> None:
        if not self.last_query:
            self.action_search()
            return
        before = self.source.cursor
        if self.source.search(self.last_query, forward=forward) is None:
            self.notify(f"Not found: {one_line(self.last_query)}", severity="warning",
                        markup=False, timeout=3)
        self._moved(before)

    def action_search_next(self) -> None:
        self._search(forward=True)

    def action_search_prev(self) -> None:
        self._search(forward=False)

    # ----- actions: pickers and app -------------------------------------------------
    def action_pick(self, layer: str) -> None:
        """Open a layer's picker: every pick_<layer id> binding runs pick('<layer id>')."""
        if self.source.schema.layer_of(layer) is not None:
            self._pick(layer)

    def action_quit(self) -> None:
        self.source.close()
        self.app.exit()

    # ----- command palette ----------------------------------------------------------
    def _article_palette_entries(self) -> Iterable[PaletteEntry]:
        """"Go to article: ..." for every article, once the list has read the index."""
        if self._article_entries is None and self.articles.loaded:
            self._article_entries = [
                PaletteEntry(f"Go to article: {one_line(entry.title)}",
                             partial(self._open_from_palette, entry.id), entry.id,
                             discover=False)
                for entry in self.articles.entries]
        yield from self._article_entries or ()

    def _open_from_palette(self, article_id: str) -> None:
        if self.open_article(article_id):
            self._hide_list()
