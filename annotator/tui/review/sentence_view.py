"""The editor's SentenceView with review marks in the gutter.

The text, the cursor and gold's tags (as chips) are drawn by SentenceView unchanged; only
the one-cell mark after the sentence number differs: "!" disputed and unsettled, "✓"
settled, "=" agreed but not in gold yet, "·" tagged by one annotator only.
"""

from __future__ import annotations

from typing import Protocol

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from annotator.tui.target import SentenceSource
from annotator.tui.widgets.sentences.layout import Block
from annotator.tui.widgets.sentences.sentence_view import SentenceView

_MARK_SEGMENT = 3  # marker, number, space, *mark*, space: see SentenceView._draw_block


class MarkedSource(SentenceSource, Protocol):
    def review_mark(self, index: int) -> tuple[str, str]:
        """(one character, a SentenceView role: done, dim, unknown...)."""
        ...


class ReviewSentenceView(SentenceView):
    source: MarkedSource

    def _draw_block(self, block: Block, is_cursor: bool, styles: dict[str, Style]) -> list[Strip]:
        strips = super()._draw_block(block, is_cursor, styles)
        line = 1 if block.blank_before else 0
        if line >= len(strips):
            return strips
        segments = list(strips[line])
        if len(segments) <= _MARK_SEGMENT or segments[_MARK_SEGMENT].cell_length != 1:
            return strips  # not the layout this was written for: keep the editor's mark
        char, role = self.source.review_mark(block.index)
        style = styles.get(role, styles["base"])
        if is_cursor:
            style = style + styles["cursor"]
        segments[_MARK_SEGMENT] = Segment(char, style)
        strips[line] = Strip(segments, strips[line].cell_length)
        return strips
