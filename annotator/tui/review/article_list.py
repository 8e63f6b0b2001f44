"""The review article list: per article, disputes settled and gold's coverage.

The editor's ArticleList does the hard parts (only visible rows drawn, a sliced counting
worker, keys and clicks); here its "progress" is (settled, disputed), which the review
session reads from the cached index, and beside it how many of the sentences the
annotators tagged gold holds. A row reads "! title  1/3 g5/21" (one of three disputes
settled, gold has 5 of 21 tagged sentences); "!" marks unsettled disputes, "✓" an
article whose gold has every tagged sentence, "·" one with no dispute left but tagged
sentences gold does not have yet. The title sums both over the corpus.
"""

from __future__ import annotations

from annotator.core.corpus import CorpusEntry
from annotator.core.review import coverage_text
from annotator.tui.widgets.articles.article_list import ArticleList


class ReviewArticleList(ArticleList):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.coverage: dict[str, tuple[int, int]] = {}  # article -> (gold, tagged)

    def progress_of(self, entry: CorpusEntry) -> tuple[int, int]:
        current = self.source.article
        if entry.id in self._progress and (current is None or current.id != entry.id):
            return self._progress[entry.id]
        summary = self.source.article_summary(entry.id)  # type: ignore[attr-defined]
        self.coverage[entry.id] = (summary.gold, summary.tagged)
        value = (summary.settled, summary.disputed)
        self._set_progress(entry.id, value)
        return value

    def _update_title(self) -> None:
        count = len(self.entries)
        title = f"Articles ({count:,})"
        if self.counted:
            settled, disputed = self._done_sum, self.total_disputes
            title += f" · settled {settled:,}/{disputed:,}" if disputed else " · no disputes"
            gold = sum(g for g, _ in self.coverage.values())
            tagged = sum(t for _, t in self.coverage.values())
            title += f" · {coverage_text(gold, tagged)}"
        else:
            title += " · counting disputes…"
        self.border_title = title

    @property
    def total_disputes(self) -> int:
        return sum(total for _done, total in self._progress.values())

    @property
    def corpus_progress(self) -> tuple[int, int] | None:
        return (self._done_sum, self.total_disputes) if self.counted else None

    def _progress_mark_for(self, article_id: str, done: int, total: int,
                           complete: bool) -> tuple[str, str]:
        if done < total:
            return "!", "locked"  # disputes left to settle
        gold, tagged = self.coverage.get(article_id, (0, 0))
        if not tagged:
            return " ", "base"
        return ("✓", "done") if gold >= tagged else ("·", "count")

    def _count_text_for(self, article_id: str, done: int, total: int) -> str:
        gold, tagged = self.coverage.get(article_id, (0, 0))
        cover = f"g{gold}/{tagged}" if tagged else ""
        disputes = f"{done}/{total}" if total else ""
        return " ".join(part for part in (disputes, cover) if part) or "·"
