"""The article's sentences in reading order, drawn line by line (Textual's Line API).

Only what is on screen is drawn. Each sentence is laid out once per width (layout.py)
and its drawn lines are cached; moving the cursor redraws the two sentences involved,
a tag change re-lays out one sentence. That keeps a key press on a 2,000-sentence
article to a few milliseconds, where rebuilding a widget per sentence would take
seconds.

The view reads from a SentenceSource (target.py) and never changes it: clicks are
posted as messages, and the screen turns them into session commands.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from itertools import accumulate
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotator.tui.target import SentenceSource
from annotator.tui.widgets.sentences.layout import Block, build_block, layer_role, line_pieces

_STRIP_CACHE = 600  # sentences whose drawn lines are kept


class SentenceView(ScrollView, can_focus=True, inherit_bindings=False):
    """Sentences with a gutter (number, done mark), tags inline, the cursor highlighted.

    Each layer's chips are drawn in the colour labels.yaml gives it (bold for single and
    entity layers, whose chips are few and read as the sentence's headline tags).

    No bindings of its own (not even the scroll keys it would inherit): arrows, page
    and home/end move the cursor, which the screen's bindings do.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "sentence-view--cursor",
        "sentence-view--marker",
        "sentence-view--number",
        "sentence-view--done",
        "sentence-view--dim",
        "sentence-view--note",
        "sentence-view--unknown",
        "sentence-view--flag",
        "sentence-view--message",
    }

    DEFAULT_CSS = """
    SentenceView {
        overflow-x: hidden;
        overflow-y: scroll;  /* a steady width: a scrollbar appearing must not re-wrap */
        scrollbar-size-vertical: 1;
        background: $surface;
        & > .sentence-view--cursor { background: $accent 20%; }
        &:focus > .sentence-view--cursor { background: $accent 35%; }
        & > .sentence-view--marker { color: $accent; text-style: bold; }
        & > .sentence-view--number { color: $text-muted; }
        & > .sentence-view--done { color: $success; }
        & > .sentence-view--dim { color: $text-disabled; }
        & > .sentence-view--note { color: $secondary; text-style: italic; }
        & > .sentence-view--unknown { color: $error; text-style: bold; }
        & > .sentence-view--flag { color: $text-muted; text-style: italic; }
        & > .sentence-view--message { color: $text-muted; }
    }
    """

    class Clicked(Message):
        """The user clicked a sentence (the screen decides what that does)."""

        def __init__(self, view: SentenceView, index: int) -> None:
            super().__init__()
            self.view = view
            self.index = index

        @property
        def control(self) -> SentenceView:
            return self.view

    def __init__(self, source: SentenceSource, *, name: str | None = None,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.source = source
        self.message_lines: tuple[str, ...] = ()  # shown instead of an article (e.g. locked)
        self._blocks: list[Block] = []
        self._offsets: list[int] = [0]  # first line of each block; last item: total height
        self._layout_width = 0
        self._gutter_digits = 1
        self._drawn_cursor = -1
        self._strips: OrderedDict[int, tuple[bool, list[Strip]]] = OrderedDict()
        self._styles: dict[str, Style] | None = None

    # ----- layout -------------------------------------------------------------------
    @property
    def gutter_width(self) -> int:
        return self._gutter_digits + 4  # marker, number, space, done mark, space

    def _text_width(self) -> int:
        return max(self.scrollable_content_region.width - self.gutter_width, 4)

    def reload(self) -> None:
        """Lay out every sentence again: a new article, a new width or a new schema."""
        sentences = self.source.sentences
        self._gutter_digits = max(len(str(len(sentences))), 2)
        width = self._text_width()
        self._layout_width = width
        self._blocks = [self.layout_sentence(sentence.index, width) for sentence in sentences]
        self._recount()
        self._strips.clear()
        self._styles = None  # a new schema may colour its layers differently
        self._drawn_cursor = self.source.cursor
        self.refresh()
        self.call_after_refresh(self.scroll_to_cursor)

    def layout_sentence(self, index: int, width: int) -> Block:
        """One sentence's block. Override to show other tags (the review screen shows
        several annotators'); everything else in the view works on Blocks."""
        source = self.source
        sentence = source.sentences[index]
        tags = source.tags(index)
        article = source.article
        auto = bool(article and index in article.non_content and tags.is_empty)
        return build_block(sentence, tags, source.schema, width, auto_not_content=auto)

    def _recount(self) -> None:
        self._offsets = [0, *accumulate(block.height for block in self._blocks)]
        self.virtual_size = Size(self.scrollable_content_region.width, self._offsets[-1]
                                 or len(self.message_lines))

    def show_message(self, *lines: str) -> None:
        """Show a message instead of sentences (no article open, article locked...)."""
        self.message_lines = lines
        self.reload()

    def refresh_sentence(self, index: int) -> None:
        """A sentence's tags changed: re-lay it out; the rest moves only if its height did."""
        if not 0 <= index < len(self._blocks):
            return
        old = self._blocks[index]
        self._blocks[index] = self.layout_sentence(index, self._layout_width)
        self._strips.pop(index, None)
        if self._blocks[index].height != old.height:
            self._recount()
            self.refresh()
        else:
            self._refresh_block(index)

    def refresh_all_tags(self) -> None:
        """Labels were renamed or added (a new entity): names may change everywhere."""
        self.reload()

    def refresh_cursor(self) -> None:
        """The session's cursor moved: redraw the old and new sentence, keep it in view."""
        new = self.source.cursor
        old = self._drawn_cursor
        self._drawn_cursor = new
        for index in {old, new}:
            if index in self._strips:
                del self._strips[index]
            self._refresh_block(index)
        self.scroll_to_cursor()

    def _refresh_block(self, index: int) -> None:
        if 0 <= index < len(self._blocks):
            top = self._offsets[index]
            self.refresh_lines(top, self._offsets[index + 1] - top)

    # ----- geometry -----------------------------------------------------------------
    def sentence_at(self, line: int) -> int | None:
        """The sentence drawn on a virtual line (a blank line belongs to the one after it)."""
        if not self._blocks or not 0 <= line < self._offsets[-1]:
            return None
        return bisect_right(self._offsets, line) - 1

    def sentence_lines(self, index: int) -> tuple[int, int]:
        """First and last+1 virtual line of a sentence's text (its blank line excluded)."""
        block = self._blocks[index]
        return self._offsets[index] + block.blank_before, self._offsets[index + 1]

    @property
    def page_height(self) -> int:
        return max(self.scrollable_content_region.height, 1)

    def sentence_page_away(self, index: int, pages: int) -> int:
        """The sentence one screenful above or below a sentence (for page up/down)."""
        if not self._blocks:
            return index
        top, _ = self.sentence_lines(index)
        line = min(max(top + pages * (self.page_height - 1), 0), self._offsets[-1] - 1)
        target = self.sentence_at(line)
        return index if target is None else target

    def scroll_to_cursor(self) -> None:
        cursor = self.source.cursor
        if not 0 <= cursor < len(self._blocks):
            return
        top, bottom = self.sentence_lines(cursor)
        height = self.page_height
        # Keep the neighbouring sentence in view too (what you read next), within a third
        # of the screen, so moving reads on without the text jumping.
        room = max((height - (bottom - top)) // 2, 0)
        offsets = self._offsets
        above = min(top - offsets[max(cursor - 1, 0)], height // 3, room)
        below = min(offsets[min(cursor + 2, len(self._blocks))] - bottom, height // 3, room)
        y = round(self.scroll_y)
        # When it must scroll, it scrolls by a third of a screen rather than a line, so
        # the next several moves redraw two sentences instead of the whole view.
        if bottom - top >= height:
            new = top
        elif top - above < y:
            new = min(top - above, bottom - 2 * height // 3)
        elif bottom + below > y + height:
            new = max(bottom + below - height, top - height // 3)
        else:
            return
        self.scroll_to(y=max(new, 0), animate=False)

    # ----- drawing ------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._strips.clear()

    def _role_styles(self) -> dict[str, Style]:
        """Rich styles per role. Full (not partial) component styles: colours with alpha,
        such as $text-muted or "$accent 35%", are only blended against the background there."""
        if self._styles is None:
            base = self.rich_style
            full = self.get_component_rich_style
            styles = {role: full(f"sentence-view--{role}")
                      for role in ("note", "unknown", "flag", "marker", "number", "done", "dim",
                                   "message")}
            for layer in self.source.schema.layers:
                styles[layer_role(layer.id)] = Style(color=layer.colour,
                                                     bold=layer.kind != "multi")
            styles["text"] = base
            styles["gap"] = base
            styles["base"] = base
            styles["cursor"] = Style(bgcolor=full("sentence-view--cursor").bgcolor)
            self._styles = styles
        return self._styles

    def on_resize(self, event: events.Resize) -> None:
        if self._blocks and self._text_width() != self._layout_width:
            self.reload()
        else:
            self._recount()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = round(self.scroll_y) + y
        styles = self._role_styles()
        if not self._blocks:
            if line < len(self.message_lines):
                text = self.message_lines[line]
                return Strip([Segment(text, styles["message"])]).crop_extend(
                    0, width, styles["base"])
            return Strip.blank(width, styles["base"])
        index = self.sentence_at(line)
        if index is None:
            return Strip.blank(width, styles["base"])
        strips = self._block_strips(index, styles)
        return strips[line - self._offsets[index]].crop_extend(0, width, styles["base"])

    def _block_strips(self, index: int, styles: dict[str, Style]) -> list[Strip]:
        is_cursor = index == self.source.cursor
        cached = self._strips.get(index)
        if cached is not None and cached[0] == is_cursor:
            self._strips.move_to_end(index)
            return cached[1]
        strips = self._draw_block(self._blocks[index], is_cursor, styles)
        self._strips[index] = (is_cursor, strips)
        while len(self._strips) > _STRIP_CACHE:
            self._strips.popitem(last=False)
        return strips

    def _draw_block(self, block: Block, is_cursor: bool, styles: dict[str, Style]) -> list[Strip]:
        width = self.scrollable_content_region.width
        cursor = styles["cursor"] if is_cursor else None

        def style(role: str) -> Style:
            chosen = styles["dim"] if block.dim and role == "text" else styles.get(
                role, styles["text"])
            return chosen + cursor if cursor else chosen

        strips: list[Strip] = []
        if block.blank_before:
            strips.append(Strip.blank(width, styles["base"]))
        digits = self._gutter_digits
        mark = block.mark
        mark_role = {"✓": "done", "–": "dim"}.get(mark, "base")
        fill = style("base")
        for number in range(len(block.lines)):
            if number == 0:
                segments = [
                    Segment("▌" if is_cursor else " ", style("marker")),
                    Segment(str(block.index + 1).rjust(digits), style("number")),
                    Segment(" ", fill),
                    Segment(mark, style(mark_role)),
                    Segment(" ", fill),
                ]
            else:
                segments = [Segment("▌" if is_cursor else " ", style("marker")),
                            Segment(" " * (digits + 3), fill)]
            segments.extend(Segment(run, style(role)) for run, role in line_pieces(block, number))
            strips.append(Strip(segments).extend_cell_length(width, fill))
        return strips

    # ----- mouse --------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = self.sentence_at(round(self.scroll_y) + offset.y)
        if index is not None:
            self.post_message(self.Clicked(self, index))
