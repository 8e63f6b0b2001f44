"""The editor's SentenceView with review marks in the gutter.

The text, the cursor and gold's tags (as chips) are drawn by SentenceView unchanged; only
the one-cell mark after the sentence number differs: "!" disputed and unsettled, "✓"
settled, "=" agreed but not in gold yet, "·" tagged by one annotator only.
"""

from __future__ import annotations

from typing import Protocol

from annotator.tui.target import SentenceSource
from annotator.tui.widgets.sentences.layout import Block
from annotator.tui.widgets.sentences.sentence_view import SentenceView


class MarkedSource(SentenceSource, Protocol):
    def review_mark(self, index: int) -> tuple[str, str]:
        """(one character, a SentenceView role: done, dim, unknown...)."""
        ...


class ReviewSentenceView(SentenceView):
    source: MarkedSource

    def gutter_mark(self, block: Block) -> tuple[str, str]:
        return self.source.review_mark(block.index)
