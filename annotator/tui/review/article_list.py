"""The review article list: per article, disputes and how many the reviewer has settled.

The editor's ArticleList does the hard parts (only visible rows drawn, a sliced counting
worker, keys and clicks); here its "progress" is (settled, disputed), which the review
session reads from the cached index, and a row reads "! title  1/3" (one of three
disputes settled), "✓" when every dispute is settled, nothing when there is none.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from annotator.tui.safe_text import fit, one_line
from annotator.tui.widgets.articles.article_list import ArticleList


class ReviewArticleList(ArticleList):
    def _update_title(self) -> None:
        count = len(self.entries)
        title = f"Articles ({count:,})"
        if self.counted:
            settled, disputed = self._done_sum, self.total_disputes
            title += f" · settled {settled:,}/{disputed:,}" if disputed else " · no disputes"
        else:
            title += " · counting disputes…"
        self.border_title = title

    @property
    def total_disputes(self) -> int:
        return sum(total for _done, total in self._progress.values())

    @property
    def corpus_progress(self) -> tuple[int, int] | None:
        return (self._done_sum, self.total_disputes) if self.counted else None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        styles = self._role_styles()
        row = round(self.scroll_y) + y
        base = styles["base"]
        if not 0 <= row < len(self.entries):
            if row == 0:
                return Strip([Segment(" No articles: annotator import FILES", base)]).crop_extend(
                    0, width, base)
            return Strip.blank(width, base)
        entry = self.entries[row]
        settled, disputed = self.progress_of(entry)
        current = self.source.article is not None and self.source.article.id == entry.id
        highlight = styles["cursor"] if row == self.row and self.has_focus else Style()
        if entry.id in self.locked:
            mark, mark_role = "⊘", "locked"
        elif current:
            mark, mark_role = "▶", "current"
        elif disputed and settled >= disputed:
            mark, mark_role = "✓", "done"
        elif disputed:
            mark, mark_role = "!", "locked"
        else:
            mark, mark_role = " ", "base"
        count = f"{settled}/{disputed}" if disputed else "·"
        title = fit(one_line(entry.title), max(width - len(count) - 4, 1))
        plain = base + highlight
        complete = bool(disputed) and settled >= disputed
        segments = [
            Segment(mark, styles[mark_role] + highlight),
            Segment(" ", plain),
            Segment(title, (styles["current"] if current else base) + highlight),
            Segment(" ", plain),
            Segment(count, styles["done" if complete else "count"] + highlight),
            Segment(" ", plain),
        ]
        return Strip(segments).crop_extend(0, width, plain)
