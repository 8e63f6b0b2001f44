"""What the annotate and review screens share: an article list beside a sentence view.

Both screens open articles from the same list, move through sentences with the same
keys, show the same "too small" notice and list articles in the palette the same way;
that lives here once. What differs (opening an article, the bars, commands, pickers)
each screen defines: open_article, _update_bars, _move_to, _step_article and _pick.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import ClassVar, Protocol

from textual import on
from textual.command import Provider
from textual.screen import Screen
from textual.widgets import Static

from annotator.tui.commands import PaletteEntry, ScreenCommands
from annotator.tui.safe_text import one_line
from annotator.tui.target import SentenceSource
from annotator.tui.widgets.articles.article_list import ArticleList
from annotator.tui.widgets.sentences.sentence_view import SentenceView

WIDE = 110  # from this width the article list stays open beside the text


class ScreenSource(SentenceSource, Protocol):
    """The session a screen drives (AnnotateSession or ReviewSession)."""

    def close(self) -> None: ...


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

    def _step_article(self, delta: int) -> None:
        raise NotImplementedError

    def _pick(self, layer: str) -> None:
        raise NotImplementedError

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

    # ----- actions: pickers and app -------------------------------------------------
    def action_pick_speakers(self) -> None:
        self._pick("speakers")

    def action_pick_claim(self) -> None:
        self._pick("claim")

    def action_pick_topics(self) -> None:
        self._pick("topics")

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
