"""The article list: one row per article with tagged/total, and the corpus total on top.

Built for 10,000 articles. The corpus index (headers of every article file, ~0.4 s at
10,000 even from its cache) is read by a thread worker after the first screen is up:
the editor opens the last article without waiting for it. Rows are drawn only when
visible (Line API); a row's progress is read when first drawn (a stat, and the
annotation file only when it changed: the session caches by mtime); the corpus total
is counted by an async worker in slices of a few milliseconds, so keys stay responsive.
"""

from __future__ import annotations

import asyncio
from time import monotonic
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotator.core.article_status import NEEDS_CHANGES, Statuses, read_statuses
from annotator.core.corpus import CorpusEntry
from annotator.core.errors import AnnotatorError
from annotator.tui.safe_text import fit, one_line
from annotator.tui.target import ArticleSource

_SLICE_S = 0.004  # longest the counting worker holds the event loop


class ArticleList(ScrollView, can_focus=True, inherit_bindings=False):
    """Rows: a mark (current ▶, done ✓, locked ⊘), the title, tagged/total."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor(1)", "Down", show=False, id="articles.down"),
        Binding("k,up", "cursor(-1)", "Up", show=False, id="articles.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="articles.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="articles.page_up"),
        Binding("g,home", "jump(0)", "First", show=False, id="articles.first"),
        Binding("G,end", "jump(-1)", "Last", show=False, id="articles.last"),
        Binding("enter", "open", "Open", id="articles.open"),
        Binding("escape", "close", "Back to the text", id="articles.close"),
        Binding("A", "toggle_assigned", "Assigned / all", id="articles.assigned"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--cursor",
        "article-list--current",
        "article-list--done",
        "article-list--count",
        "article-list--locked",
    }

    DEFAULT_CSS = """
    ArticleList {
        width: 36;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        border-top: solid $panel-lighten-2;
        border-title-color: $text-muted;
        border-right: vkey $panel-lighten-2;
        background: $surface;
        &:focus { border-top: solid $accent; border-title-color: $text; }
        & > .article-list--cursor { background: $accent 30%; }
        & > .article-list--current { text-style: bold; color: $accent; }
        & > .article-list--done { color: $success; }
        & > .article-list--count { color: $text-muted; }
        & > .article-list--locked { color: $error; }
        /* the reviewer's verdict on the highlighted article, comment and all */
        &.-verdict { border-bottom: solid $warning; border-subtitle-color: $text; }
    }
    """

    class Opened(Message):
        """Open this article (Enter or a click on its row)."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    class Closed(Message):
        """The user is done with the list (Escape)."""

    class Loaded(Message):
        """The corpus index is read: entries (and corpus problems) are known."""

        def __init__(self, error: Exception | None = None) -> None:
            super().__init__()
            self.error = error

    class Counted(Message):
        """The corpus total is counted."""

    def __init__(self, source: ArticleSource, *, defer_index: bool = False,
                 id: str | None = None, classes: str | None = None) -> None:
        """defer_index: start empty and read the index later with load_entries()."""
        super().__init__(id=id, classes=classes)
        self.source = source
        self.entries: list[CorpusEntry] = []
        self.loaded = False  # the corpus index has been read
        self.row = 0  # the highlighted row
        self.locked: set[str] = set()  # articles another session holds
        self._progress: dict[str, tuple[int, int]] = {}
        self._done_sum = 0
        self.total_sentences = 0
        self.counted = False  # the whole corpus has been counted
        self._row_of: dict[str, int] = {}
        self._styles: dict[str, Style] | None = None
        # Articles marked done, and reviewers' verdicts (core/article_status.py).
        self.statuses = Statuses()
        # This person's articles in assignments.yaml (None: no assignments for them);
        # they come first, and A shows them alone.
        self.assigned: set[str] | None = None
        self.only_assigned = False
        self._all_entries: list[CorpusEntry] = []
        if not defer_index:
            self.set_entries(source.entries(), announce=False, count=False)

    # ----- the index ----------------------------------------------------------------
    @work(thread=True, exclusive=True, group="article-index")
    def load_entries(self) -> None:
        """Read the corpus index off the event loop; the UI stays live meanwhile."""
        error: Exception | None = None
        try:
            entries = self.source.entries()
        except (AnnotatorError, OSError) as exc:
            error, entries = exc, []
        try:
            if error is None:
                self.app.call_from_thread(self.set_entries, entries)
            else:
                self.app.call_from_thread(self.post_message, self.Loaded(error))
        except RuntimeError:
            pass  # the app closed while the index was read: nothing left to show it in

    def set_entries(self, entries: list[CorpusEntry], *, announce: bool = True,
                    count: bool = True) -> None:
        """Show these entries; announce posts Loaded; count starts the progress worker."""
        self._all_entries = entries
        self.reload_statuses(announce=self.is_mounted)
        self._load_assigned()
        entries = self._ordered(entries)
        self.entries = entries
        self._row_of = {entry.id: number for number, entry in enumerate(entries)}
        self.total_sentences = sum(entry.sentence_count for entry in entries)
        self.loaded = True
        if self.is_mounted:  # else on_mount sizes and titles the list
            self.virtual_size = Size(0, len(entries))
            if self.source.article is not None:
                self.show_article(self.source.article.id)
            self._update_title()
            self.refresh()
        if announce:
            self.post_message(self.Loaded())
        if count:
            self.count_progress()

    # ----- assignments ----------------------------------------------------------------
    def _load_assigned(self) -> None:
        project = getattr(self.source, "project", None)
        name = getattr(self.source, "annotator", None)
        if project is None or name is None:
            return
        from annotator.core.assignments import read_assignments  # after the first screen

        try:
            found = read_assignments(project.root)
        except AnnotatorError as exc:
            self.notify(str(exc), title="assignments.yaml not read", severity="error",
                        markup=False, timeout=15)
            return
        mine = found.of(name) if found is not None else []
        self.assigned = set(mine) if mine else None

    def _ordered(self, entries: list[CorpusEntry]) -> list[CorpusEntry]:
        """Assigned articles first (corpus order kept within each part), or alone."""
        if self.assigned is None:
            return entries
        mine = [entry for entry in entries if entry.id in self.assigned]
        if self.only_assigned:
            return mine
        return mine + [entry for entry in entries if entry.id not in self.assigned]

    def action_toggle_assigned(self) -> None:
        if self.assigned is None:
            self.notify("No articles are assigned to you (assignments.yaml).", timeout=3)
            return
        self.only_assigned = not self.only_assigned
        current = self.entries[self.row].id if self.entries else None
        self._progress.clear()
        self._done_sum = 0
        self.set_entries(self._all_entries, announce=False)
        if current is not None and current in self._row_of:
            self.show_row(self._row_of[current])

    # ----- article status (done, verdicts) ---------------------------------------------
    def reload_statuses(self, *, announce: bool = True) -> None:
        """Read the status files again (after marking done, or a sync)."""
        source = self.source
        project = getattr(source, "project", None)
        if project is None:
            return
        name = getattr(source, "annotator", None) or getattr(source, "reviewer", None)
        self.statuses = read_statuses(project.annotations_dir, name)
        if announce:
            for problem in self.statuses.problems[:3]:
                self.notify(str(problem), title="Status file not read (left as is)",
                            severity="error", markup=False, timeout=15)
        if self.is_mounted:
            self._update_subtitle()
            self.refresh()

    def _update_subtitle(self) -> None:
        """Under the list: the reviewer's verdict on the highlighted article, comment and all."""
        found = self.statuses.verdicts.get(
            self.entries[min(self.row, len(self.entries) - 1)].id) if self.entries else None
        self.set_class(found is not None, "-verdict")
        # the row says "needs changes"; the line under the list gives the why
        self.border_subtitle = one_line(f"{found[0]}: {found[1].comment or found[1].status}") \
            if found else ""

    # ----- progress -----------------------------------------------------------------
    def progress_of(self, entry: CorpusEntry) -> tuple[int, int]:
        current = self.source.article
        if entry.id in self._progress and (current is None or current.id != entry.id):
            return self._progress[entry.id]
        value = self.source.article_progress(entry)
        self._set_progress(entry.id, value)
        return value

    def _set_progress(self, article_id: str, value: tuple[int, int]) -> None:
        old = self._progress.get(article_id)
        self._done_sum += value[0] - (old[0] if old else 0)
        self._progress[article_id] = value

    @property
    def corpus_progress(self) -> tuple[int, int] | None:
        """(tagged, total) sentences over the corpus, None while still counting."""
        return (self._done_sum, self.total_sentences) if self.counted else None

    def refresh_article(self, article_id: str) -> None:
        """The article's tags changed (or it became current): redraw its row and the total."""
        row = self._row_of.get(article_id)
        if row is None:
            return
        self.progress_of(self.entries[row])
        self.refresh_lines(row, 1)
        self._update_title()

    @work(exclusive=True, group="article-progress")
    async def count_progress(self) -> None:
        """Count every article's progress, yielding to the UI every few milliseconds."""
        self.counted = False
        started = monotonic()
        for entry in self.entries:
            self.progress_of(entry)
            if monotonic() - started > _SLICE_S:
                await asyncio.sleep(0)
                started = monotonic()
        self.counted = True
        self._update_title()
        self.refresh()
        self.post_message(self.Counted())

    def _update_title(self) -> None:
        if not self.loaded:
            self.border_title = "Articles · loading…"
            return
        count = len(self.entries)
        title = f"Articles ({count:,})"
        if self.assigned is not None:
            title = (f"Assigned ({count:,})" if self.only_assigned
                     else f"Articles ({count:,}, {len(self.assigned):,} yours first)")
        if self.counted and self.total_sentences:
            done, total = self._done_sum, self.total_sentences
            title += f" · {done:,}/{total:,} {100 * done // total}%"
        elif not self.counted:
            title += " · counting…"
        self.border_title = title

    # ----- moving -------------------------------------------------------------------
    def on_mount(self) -> None:
        self.virtual_size = Size(0, len(self.entries))
        self._update_title()

    def show_row(self, row: int) -> None:
        if not self.entries:
            return
        old, self.row = self.row, min(max(row, 0), len(self.entries) - 1)
        self.refresh_lines(old, 1)
        self.refresh_lines(self.row, 1)
        if self.statuses.verdicts:
            self._update_subtitle()
        height = max(self.scrollable_content_region.height, 1)
        y = round(self.scroll_y)
        if self.row < y:
            self.scroll_to(y=self.row, animate=False)
        elif self.row >= y + height:
            self.scroll_to(y=self.row - height + 1, animate=False)

    def show_article(self, article_id: str) -> None:
        row = self._row_of.get(article_id)
        if row is not None:
            self.show_row(row)

    def action_cursor(self, delta: int) -> None:
        self.show_row(self.row + delta)

    def action_page(self, pages: int) -> None:
        self.show_row(self.row + pages * max(self.scrollable_content_region.height - 1, 1))

    def action_jump(self, row: int) -> None:
        self.show_row(row if row >= 0 else len(self.entries) - 1)

    def action_open(self) -> None:
        if self.entries:
            self.post_message(self.Opened(self.entries[self.row].id))

    def action_close(self) -> None:
        self.post_message(self.Closed())

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = round(self.scroll_y) + offset.y
        if 0 <= row < len(self.entries):
            self.show_row(row)
            self.action_open()

    # ----- drawing ------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None

    def _role_styles(self) -> dict[str, Style]:
        if self._styles is None:
            full = self.get_component_rich_style  # full: alpha colours blended
            self._styles = {"base": self.rich_style, **{
                role: full(f"article-list--{role}")
                for role in ("current", "done", "count", "locked")}}
            self._styles["cursor"] = Style(bgcolor=full("article-list--cursor").bgcolor)
        return self._styles

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        styles = self._role_styles()
        row = round(self.scroll_y) + y
        base = styles["base"]
        if not 0 <= row < len(self.entries):
            if row == 0:
                note = " No articles: annotator import FILES" if self.loaded else " Loading…"
                return Strip([Segment(note, base)]).crop_extend(0, width, base)
            return Strip.blank(width, base)
        entry = self.entries[row]
        done, total = self.progress_of(entry)
        current = self.source.article is not None and self.source.article.id == entry.id
        complete = bool(total) and done >= total
        highlight = styles["cursor"] if row == self.row and self.has_focus else Style()
        verdict = self.statuses.verdicts.get(entry.id)
        if entry.id in self.locked:
            mark, mark_role = "⊘", "locked"
        elif current:
            mark, mark_role = "▶", "current"
        elif verdict is not None and verdict[1].status == NEEDS_CHANGES:
            mark, mark_role = "✗", "locked"
        else:
            mark, mark_role = self._progress_mark_for(entry.id, done, total, complete)
        count = self._count_text_for(entry.id, done, total)
        if verdict is not None:
            count = ("needs changes" if verdict[1].status == NEEDS_CHANGES else "accepted")
        elif entry.id in self.statuses.done:
            count = f"{count} done"
        title = fit(one_line(entry.title), max(width - len(count) - 4, 1))
        plain = base + highlight
        segments = [
            Segment(mark, styles[mark_role] + highlight),
            Segment(" ", plain),
            Segment(title, (styles["current"] if current else base) + highlight),
            Segment(" ", plain),
            Segment(count, styles["done" if complete else "count"] + highlight),
            Segment(" ", plain),
        ]
        return Strip(segments).crop_extend(0, width, plain)

    def _progress_mark(self, done: int, total: int, complete: bool) -> tuple[str, str]:
        """The row's mark and its style role, for an article neither locked nor open."""
        return ("✓", "done") if complete else (" ", "base")

    def _count_text(self, done: int, total: int) -> str:
        return f"{done}/{total}"

    def _progress_mark_for(self, article_id: str, done: int, total: int,
                           complete: bool) -> tuple[str, str]:
        if article_id in self.statuses.done:
            return "✓", "done"  # marked done: what is left untagged has nothing to tag
        return self._progress_mark(done, total, complete)

    def _count_text_for(self, article_id: str, done: int, total: int) -> str:
        return self._count_text(done, total)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
