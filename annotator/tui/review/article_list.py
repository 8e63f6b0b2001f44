"""The review article list: per article, disputes and how many the reviewer has settled.

The editor's ArticleList does the hard parts (only visible rows drawn, a sliced counting
worker, keys and clicks); here its "progress" is (settled, disputed), which the review
session reads from the cached index, and a row reads "! title  1/3" (one of three
disputes settled), "✓" when every dispute is settled, nothing when there is none.
"""

from __future__ import annotations

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

    def _progress_mark(self, done: int, total: int, complete: bool) -> tuple[str, str]:
        if complete:
            return "✓", "done"
        return ("!", "locked") if total else (" ", "base")  # "!": disputes left to settle

    def _count_text(self, done: int, total: int) -> str:
        return f"{done}/{total}" if total else "·"
