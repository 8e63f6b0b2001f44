"""What the annotate and review screens share: an article list beside a sentence view.

Both screens open articles from the same list (and report a lock, a broken file or a
refusing disk the same way), run commands with the same error reporting, follow the
terminal's size the same way, move through sentences with the same keys, search the
text with the same prompt (/), tell the person when a file changed on disk, and list
articles in the palette the same way; that lives here once, so the two cannot drift
apart. What differs (the bars, the commands, pickers) each screen defines:
_update_bars, _article_opened, _move_to, _moved, _step_article, _pick and keys_of. Each
layer's picker action (pick_<layer id>) is answered here, for any layer labels.yaml
declares.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, ClassVar, Protocol

from textual import events, on
from textual.command import Provider
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Static

from annotator.core.article import Sentence
from annotator.core.errors import AnnotatorError, LockedError
from annotator.core.project import Project
from annotator.core.store import ExternalChange
from annotator.tui.base_app import BaseApp
from annotator.tui.commands import PaletteEntry, ScreenCommands
from annotator.tui.keymap import KeysFor, table_keys
from annotator.tui.safe_text import one_line
from annotator.tui.target import SentenceSource
from annotator.tui.widgets.sentences.sentence_view import SentenceView

if TYPE_CHECKING:  # filters load on first use; the list once it is made (new_article_list)
    from annotator.core.filters import FilterView, SentenceFilter
    from annotator.tui.widgets.articles.article_list import ArticleList

WIDE = 110  # from this width the article list stays open beside the text


class ScreenSource(SentenceSource, Protocol):
    """The session a screen drives (AnnotateSession or ReviewSession)."""

    project: Project
    notices: list[str]

    def open_article(self, article_id: str) -> None: ...

    def close(self) -> None: ...

    def search(self, query: str, *, forward: bool = True) -> int | None: ...


class ArticleScreen(Screen[None]):
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ScreenCommands}
    # #body only places its children: hidden, it is not drawn under them (a screenful of
    # blank lines at every full frame), and they stay visible.
    DEFAULT_CSS = """
    ArticleScreen {
        layout: vertical;
        #body { height: 1fr; visibility: hidden; & > * { visibility: visible; } }
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
    LOCKED_TITLE: ClassVar[str] = "Article open elsewhere: not opened"
    NOTICE_TIMEOUT: ClassVar[float] = 20  # how long an opened file's warnings stay

    def __init__(self) -> None:
        super().__init__()
        self._was_wide: bool | None = None
        self._article_entries: list[PaletteEntry] | None = None  # built once, for the palette
        self.last_query = ""  # what / searched for last; the next / previous match keys reuse it
        self.search_position: tuple[int, int] | None = None  # "3 of 7" after the last search
        self.sentence_filter: SentenceFilter | None = None  # ctrl+f; } and { step through it
        self.filter_shown: list[int] | None = None  # the sentences it names (None: no filter)

    # ----- what each screen provides ------------------------------------------------
    @property
    def source(self) -> ScreenSource:
        raise NotImplementedError

    @property
    def view(self) -> SentenceView:
        raise NotImplementedError

    def new_article_list(self) -> ArticleList:
        """This screen's kind of article list, made once (see `articles`)."""
        raise NotImplementedError

    _list: ArticleList | None = None

    @property
    def articles(self) -> ArticleList:
        """The article list. Narrower than WIDE it is hidden, and it joins the screen just
        after the first frame (mount_list): a hidden widget's module, styles and layout
        are then not paid for before the text shows (~2% of the editor's start-up)."""
        if self._list is None:
            self._list = self.new_article_list()
            self._list.display = self.app.size.width >= WIDE
        return self._list

    def list_at_start(self) -> Iterator[ArticleList]:
        """For compose: the list, if the first frame shows it."""
        if self.app.size.width >= WIDE:
            yield self.articles

    def mount_list(self) -> None:
        """Put the list on the screen if it is not there yet; each screen's on_mount calls
        it after the first refresh, and whatever shows the list (_show_list, a resize to
        WIDE) calls it first: a list on display is always mounted."""
        if self.articles.parent is None:
            self.query_one("#body", Horizontal).mount(self.articles, before=0)

    def _article_opened(self) -> None:
        """An article was opened: reset what this screen keeps per article."""

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

    # ----- files changed on disk under the open article ------------------------------
    @on(events.Mount)
    def _listen_for_external_changes(self) -> None:
        """The store merges a file that changed on disk (a git pull) before it saves;
        this screen tells the person and redraws what the merge brought in."""
        self.source.project.store.listener = self._external_change

    @on(events.Unmount)
    def _stop_listening(self) -> None:
        store = self.source.project.store
        if store.listener == self._external_change:
            store.listener = None

    def _external_change(self, change: ExternalChange) -> None:
        self.notify(str(change), title="The file changed on disk: merged", severity="warning",
                    markup=False, timeout=20)
        if self.source.article is not None:
            self.view.refresh_all_tags()
            self.articles.refresh_article(self.source.article.id)

    # ----- size ---------------------------------------------------------------------
    def _check_size(self, width: int, height: int) -> None:
        too_small = width < self.MIN_SIZE[0] or height < self.MIN_SIZE[1]
        if too_small and not self.query("#too-small"):  # made the first time it is needed
            min_width, min_height = self.MIN_SIZE
            self.mount(Static(f"The terminal is too small.\nMake it at least "
                              f"{min_width}×{min_height}.", id="too-small", markup=False))
        self.set_class(too_small, "-too-small")

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)
        wide = event.size.width >= WIDE
        was_wide, self._was_wide = self._was_wide, wide
        if was_wide is None or wide == was_wide:
            return  # only crossing the threshold shows or hides the list by itself
        if wide:
            self.mount_list()
            self.articles.display = True
        elif not self.articles.has_focus:
            self.articles.display = False  # narrower: the text gets the width back

    # ----- errors -------------------------------------------------------------------
    def report_error(self, exc: Exception, title: str = "Not done", timeout: float = 10) -> None:
        """An expected failure as a notification: the screens never crash on the user's
        data or disk (an OSError, say annotations/gold being a file, included)."""
        self.notify(error_text(exc), title=title, severity="error", markup=False,
                    timeout=timeout)

    def run_reporting(self, run: Callable[..., object], *args: object) -> tuple[bool, object]:
        """Run one session command; (False, None) after reporting what went wrong."""
        try:
            return True, run(*args)
        except (AnnotatorError, OSError) as exc:  # OSError: e.g. labels.yaml not writable
            self.report_error(exc)
            return False, None

    # ----- opening an article -------------------------------------------------------
    def open_article(self, article_id: str) -> bool:
        """Open an article in the session; on failure say why and keep what was open."""
        source = self.source
        previous = source.article.id if source.article else None
        try:
            source.open_article(article_id)
        except LockedError as exc:
            self.articles.locked.add(article_id)
            self.articles.refresh()
            self.report_error(exc, self.LOCKED_TITLE, timeout=20)
            if source.article is None:
                self.view.show_message(
                    " This article is open in another session, so it is not opened here",
                    " (two sessions would overwrite each other's tags).", "",
                    " Pick another article in the list, or close the other session.")
                self._update_bars()
            return False
        except (AnnotatorError, OSError) as exc:
            self.report_error(exc, "Cannot open article", timeout=15)
            if source.article is None:
                self.view.show_message(" This article cannot be opened:",
                                       f" {one_line(error_text(exc))}")
                self._update_bars()
            return False
        if self._list is not None:  # else made later, knowing nothing of locks
            self._list.locked.discard(article_id)
        self._article_opened()
        self.view.message_lines = () if source.sentences else (" This article has no sentences.",)
        self.view.hidden = frozenset()
        self.view.reload()
        self._narrow()
        self._opened(article_id, previous, source.notices, notice_timeout=self.NOTICE_TIMEOUT)
        return True

    # ----- the article list ---------------------------------------------------------
    def _opened(self, article_id: str, previous: str | None, notices: Iterable[str], *,
                notice_timeout: float) -> None:
        """An article is open: show what its files warned about, redraw both rows and bars."""
        for notice in notices:
            self.notify(notice, title="Check this annotation file", severity="warning",
                        markup=False, timeout=notice_timeout)
        articles = self._list  # not made yet for the first article: nothing to redraw
        if articles is not None:
            found = articles.statuses.verdicts.get(article_id)
            if found is not None:
                reviewer, verdict = found
                self.notify(one_line(str(verdict)),
                            title=f"{reviewer}'s verdict on this article",
                            severity="warning" if verdict.comment or verdict.status != "accepted"
                            else "information", markup=False, timeout=notice_timeout)
            if previous is not None:
                articles.refresh_article(previous)
            articles.show_article(article_id)
            articles.refresh_article(article_id)
        self._update_bars()

    def _show_list(self) -> None:
        self.mount_list()
        self.articles.display = True
        if self.source.article is not None:
            self.articles.show_article(self.source.article.id)
        self.articles.focus()

    def _hide_list(self) -> None:
        if self.size.width < WIDE:
            self.articles.display = False
        self.view.focus()

    # The list's messages (ArticleList.Opened, ...) by handler name: the module that
    # defines them loads only when the list is made.
    def on_article_list_opened(self, event: ArticleList.Opened) -> None:
        if self.open_article(event.article_id):
            self._hide_list()

    def on_article_list_closed(self) -> None:
        self._hide_list()

    def on_article_list_counted(self) -> None:
        self._update_bars()

    @on(SentenceView.Clicked)
    def _sentence_clicked(self, event: SentenceView.Clicked) -> None:
        self._move_to(event.index)
        self.view.focus()

    # ----- actions: moving ----------------------------------------------------------
    def action_next_sentence(self) -> None:
        self._move_to(self._shown_after(self.source.cursor, 1))

    def action_prev_sentence(self) -> None:
        self._move_to(self._shown_after(self.source.cursor, -1))

    def action_first_sentence(self) -> None:
        self._move_to(self._shown_after(-1, 1))

    def action_last_sentence(self) -> None:
        self._move_to(self._shown_after(len(self.source.sentences), -1))

    def _shown_after(self, index: int, delta: int) -> int:
        """The next sentence the view shows after index (before it, delta -1); the
        cursor's own when there is none (under a filter: j stops at the last match)."""
        if self.filter_shown is None:
            return index + delta
        shown = self._named()
        ahead = [i for i in shown if (i > index if delta > 0 else i < index)]
        target = self.source.cursor if not ahead else ahead[0] if delta > 0 else ahead[-1]
        self._hide_unnamed(shown, keep=target)
        return target

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
        # Prompts are imported when first opened: a screen class costs the start-up ~1 ms.
        from annotator.tui.widgets.pickers.text_prompt import TextPrompt

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
        self.view.set_highlight(self.last_query)
        if self.source.search(self.last_query, forward=forward) is None:
            self.notify(f"Not found: {one_line(self.last_query)}", severity="warning",
                        markup=False, timeout=3)
        else:
            found = search_matches(self.source.sentences, self.last_query)
            self.search_position = (found.index(self.source.cursor) + 1, len(found))
            self.notify(f"{self.search_position[0]} of {self.search_position[1]}: "
                        f"{one_line(self.last_query)}", markup=False, timeout=3)
        self._moved(before)

    def action_search_next(self) -> None:
        self._search(forward=True)

    def action_search_prev(self) -> None:
        self._search(forward=False)

    # ----- actions: sentence filters (core/filters.py) -------------------------------
    def filter_view(self) -> FilterView:
        """What the filters look at in this mode (the open article)."""
        raise NotImplementedError

    def action_filter(self) -> None:
        if self.source.article is None:
            return
        from annotator.tui.widgets.pickers.text_prompt import TextPrompt

        self.app.push_screen(
            TextPrompt("Filter sentences", value=str(self.sentence_filter or ""),
                       placeholder="untagged · disputed · fact · claim:fact · @bob",
                       hint="enter: show only those (empty: all) · esc: cancel · then j/k, "
                       "} / {: move among them · esc: all"),
            self._filter_answered)

    def _filter_answered(self, text: str | None) -> None:
        if text is None:
            return
        if not text.strip():
            self.action_clear_filter()
            return
        try:
            names = sorted(self.filter_view().others)
            from annotator.core.filters import SentenceFilter  # on first use: not at start-up

            self.sentence_filter = SentenceFilter.parse(text, self.source.schema, names)
        except AnnotatorError as exc:
            self.report_error(exc, "Not a filter")
            return
        self._filter_step(forward=True, include_current=True)

    def _filter_step(self, *, forward: bool, include_current: bool = False) -> None:
        found = self.sentence_filter
        if found is None or self.source.article is None:
            self.action_filter()
            return
        from annotator.core.filters import step

        indexes = self._named()
        cursor = self.source.cursor
        target = cursor if include_current and cursor in indexes else step(
            indexes, cursor, forward)
        self._hide_unnamed(indexes, keep=target)
        if target is None:
            self.notify(f"No {found} in this article (esc: show every sentence).",
                        severity="warning", markup=False, timeout=3)
            self._update_bars()
            return
        self._move_to(target)
        self._update_bars()
        self.notify(f"{indexes.index(target) + 1} of {len(indexes)}: {found}", markup=False,
                    timeout=3)

    def _narrow(self) -> None:
        """Show only the sentences the filter names (all without a filter)."""
        self._hide_unnamed(self._named())

    def _named(self) -> list[int]:
        """The sentences the filter names now (tags change them: a sentence you just
        tagged leaves an "untagged" view when you move on)."""
        found = self.sentence_filter
        if found is None or self.source.article is None:
            self.filter_shown = None
            return []
        self.filter_shown = found.indexes(self.filter_view())
        return self.filter_shown

    def _hide_unnamed(self, named: list[int], keep: int | None = None) -> None:
        """Hide what the filter does not name, except the cursor (or ``keep``, where it
        is about to move)."""
        if self.filter_shown is None:
            if self.view.hidden:
                self.view.set_hidden(())
            return
        wanted = set(named)
        self.view.set_hidden((i for i in range(len(self.source.sentences)) if i not in wanted),
                             keep)

    def filter_status(self) -> str | None:
        """For the status line: "filter: untagged sentences · 2 of 5 · esc: all" (None
        without a filter)."""
        found, shown = self.sentence_filter, self.filter_shown
        if found is None or shown is None:
            return None
        cursor = self.source.cursor
        where = f"{shown.index(cursor) + 1} of {len(shown)}" if cursor in shown \
            else f"– of {len(shown)}"
        return f"filter: {found} · {where} · esc: all"

    def action_clear_filter(self) -> None:
        """Show every sentence again (esc)."""
        if self.sentence_filter is None:
            return
        self.sentence_filter = None
        self._narrow()
        self._update_bars()
        self.notify("No filter: every sentence is shown.", timeout=2)

    def action_filter_next(self) -> None:
        self._filter_step(forward=True)

    def action_filter_prev(self) -> None:
        self._filter_step(forward=False)

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


def search_matches(sentences: Sequence[Sentence], query: str) -> list[int]:
    """The sentences containing query (case-insensitively), as the session's search finds
    them: for "3 of 7"."""
    needle = query.casefold()
    return [i for i, sentence in enumerate(sentences) if needle and needle in
            sentence.text.casefold()]


def error_text(exc: Exception) -> str:
    """An error in the user's words: an OSError as "path: what the disk said"."""
    if isinstance(exc, OSError) and not isinstance(exc, AnnotatorError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}"
    return str(exc)
