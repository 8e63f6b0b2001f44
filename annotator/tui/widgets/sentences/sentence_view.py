"""The article's sentences in reading order, drawn line by line (Textual's Line API).

Only what is on screen is laid out and drawn. Until a sentence is first shown, its
height is an estimate from its length (a 75,000-sentence article opens without wrapping
75,000 sentences); the sentences on screen, and those around the cursor, are laid out
exactly before they are drawn, which keeps the top of the view where it was. Drawn lines
are cached per sentence: moving the cursor redraws the two sentences involved, a tag
change re-lays out one sentence, and a single 5 MB sentence draws only its visible lines.

The view reads from a SentenceSource (target.py) and never changes it: clicks are
posted as messages, and the screen turns them into session commands.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from itertools import accumulate, repeat, starmap
from operator import floordiv, neg, sub
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotator.tui.target import SentenceSource
from annotator.tui.widgets.sentences.layout import Block, build_block, layer_role, line_pieces

_STRIP_CACHE = 600  # sentences whose drawn lines are kept
_LINES_KEPT = 2000  # lines kept per sentence (a one-sentence 5 MB article has 60,000)


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
        "sentence-view--suggestion",
    }

    # overflow-y: scroll for a steady width: a scrollbar appearing must not re-wrap the text.
    DEFAULT_CSS = """
    SentenceView {
        overflow-x: hidden;
        overflow-y: scroll;
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
        & > .sentence-view--suggestion { color: $text-muted; text-style: italic; }
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
        self._blocks: list[Block | None] = []  # None: not laid out yet (height estimated)
        self._heights: list[int] = []  # each sentence's height: exact once laid out
        self._offsets: list[int] = [0]  # first line of each block; last item: total height
        self._layout_width = 0
        self._gutter_digits = 1
        self._drawn_cursor = -1
        # sentence -> (drawn as the cursor?, its drawn lines by line number)
        self._strips: OrderedDict[int, tuple[bool, dict[int, Strip]]] = OrderedDict()
        self._styles: dict[str, Style] | None = None
        self._matches = {}  # sentence -> (block, query, match ranges): see _marked_line

    # ----- layout -------------------------------------------------------------------
    @property
    def gutter_width(self) -> int:
        return self._gutter_digits + 4  # marker, number, space, done mark, space

    def _text_width(self) -> int:
        """Cells for the text; 0 while the view has no size yet (laid out on resize)."""
        region = self.scrollable_content_region.width
        return max(region - self.gutter_width, 4) if region else 0

    def reload(self) -> None:
        """Start the layout again: a new article, a new width or a new schema. Sentences
        are laid out when first shown; until then their height is estimated."""
        sentences = self.source.sentences
        self._gutter_digits = max(len(str(len(sentences))), 2)
        width = self._text_width()
        self._layout_width = width
        self._blocks = [None] * len(sentences)
        per_line = width or 80  # no size yet: laid out again at the real width (_sized)
        article = self.source.article
        spans = article.spans if article is not None else ()
        if len(spans) != len(sentences):
            spans = tuple((sentence.start, sentence.end) for sentence in sentences)
        # From the spans alone (sentences are made when shown): paragraph gaps and chips
        # are left out; an estimate is corrected when its sentence is laid out.
        self._heights = estimated_heights(spans, per_line)
        self.hidden = frozenset(i for i in self.hidden if i < len(sentences))
        for index in self.hidden:
            self._heights[index] = 0
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
        auto = (article and tags.is_empty and article.non_content_reason(index)) or False
        pending = getattr(source, "pending", None)  # the editor's speaker suggestions
        suggested = tuple(source.schema.display(s.layer, s.label)
                          for s in pending(index)) if pending is not None and not auto else ()
        return build_block(sentence, tags, source.schema, width, auto_not_content=auto,
                           suggested=suggested)

    def _block(self, index: int) -> Block:
        """A sentence's laid-out block, laid out now if it was not yet."""
        block = self._blocks[index]
        if block is None:
            self._sized()
            block = self._blocks[index] = self.layout_sentence(index, self._layout_width or 80)
        return block

    def _sized(self) -> None:
        """Reloaded before the view had a size (the article opens on mount): lay out at
        the real width as soon as there is one, rather than wrapping at 4 columns."""
        if self._layout_width == 0 and self._blocks and self._text_width():
            self.reload()

    def _measured(self, index: int) -> bool:
        """Lay a sentence out if it was not; True when that corrected its estimated height
        (the caller then recounts the offsets, once for all it laid out)."""
        if self._blocks[index] is not None or index in self.hidden:
            return False
        height = self._block(index).height
        if height == self._heights[index]:
            return False
        self._heights[index] = height
        return True

    def _lay_out(self, first: int, last: int) -> None:
        """Lay out sentences first..last exactly (those before `first` keep their place)."""
        changed = [self._measured(i) for i in range(max(first, 0), min(last + 1,
                                                                       len(self._blocks)))]
        if any(changed):
            self._recount()

    def _lay_out_above(self, index: int, lines: int) -> None:
        """Lay out the sentences before `index` that fill `lines` lines above it."""
        changed, height = False, 0
        while index > 0 and height < lines:
            index -= 1
            changed = self._measured(index) or changed
            height += self._heights[index]
        if changed:
            self._recount()

    def _lay_out_lines(self, top: int, bottom: int) -> None:
        """Lay out the sentences drawn on virtual lines top..bottom-1."""
        index = self.sentence_at(top)
        if index is None:
            return
        line, changed = self._offsets[index], False
        while index < len(self._blocks) and line < bottom:
            changed = self._measured(index) or changed
            line += self._heights[index]
            index += 1
        if changed:
            self._recount()

    def _recount(self) -> None:
        self._offsets = [0, *accumulate(self._heights)]
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
        self._strips.pop(index, None)
        if self._blocks[index] is None or index in self.hidden:  # laid out when shown
            self._blocks[index] = None
            return
        block = self._blocks[index] = self.layout_sentence(index, self._layout_width)
        if block.height != self._heights[index]:
            self._heights[index] = block.height
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
        if new in self.hidden:  # moved onto a sentence the filter hides: show it
            self.set_hidden(self.hidden)
            return
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
        self._lay_out(index, index)
        block = self._block(index)
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
        # Measured exactly: the sentences around the cursor, and a screenful above it (they
        # may be drawn above it; one laid out later would push the cursor down, off screen).
        self._lay_out(cursor, cursor + 2)
        self._lay_out_above(cursor, self.page_height)
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
                                   "message", "suggestion")}
            for layer in self.source.schema.layers:
                styles[layer_role(layer.id)] = Style(color=layer.colour,
                                                     bold=layer.kind != "multi")
            styles["text"] = base
            styles["match"] = base + Style(reverse=True, bold=True)  # a search match
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

    def render_lines(self, crop: Region) -> list[Strip]:
        """Lay out what is about to be drawn first, so every line drawn is exact."""
        if self._blocks:
            self._sized()
            top = round(self.scroll_y) + crop.y
            self._lay_out_lines(top, top + crop.height)
        return super().render_lines(crop)

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
        strip = self._line_strip(index, line - self._offsets[index], styles)
        return strip.crop_extend(0, width, styles["base"])

    def _line_strip(self, index: int, number: int, styles: dict[str, Style]) -> Strip:
        """Line `number` of a sentence's block (0: its blank line, if it has one), cached."""
        is_cursor = index == self.source.cursor
        cached = self._strips.get(index)
        if cached is None or cached[0] != is_cursor or len(cached[1]) > _LINES_KEPT:
            cached = self._strips[index] = (is_cursor, {})
        else:
            self._strips.move_to_end(index)
        lines = cached[1]
        strip = lines.get(number)
        if strip is None:
            strip = lines[number] = self._draw_line(self._block(index), number, is_cursor,
                                                    styles)
        while len(self._strips) > _STRIP_CACHE:
            self._strips.popitem(last=False)
        return strip

    def gutter_mark(self, block: Block) -> tuple[str, str]:
        """The one-cell mark after the sentence number, and its role: ✓ tagged, – not
        content, blank when still to do. The review view shows its own marks here."""
        return block.mark, {"✓": "done", "–": "dim"}.get(block.mark, "base")

    def _draw_line(self, block: Block, number: int, is_cursor: bool,
                   styles: dict[str, Style]) -> Strip:
        width = self.scrollable_content_region.width
        if block.blank_before:
            if number == 0:
                return Strip.blank(width, styles["base"])
            number -= 1
        cursor = styles["cursor"] if is_cursor else None

        def style(role: str) -> Style:
            chosen = styles["dim"] if block.dim and role == "text" else styles.get(
                role, styles["text"])
            return chosen + cursor if cursor else chosen

        digits = self._gutter_digits
        fill = style("base")
        if number == 0:
            mark, mark_role = self.gutter_mark(block)
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
        segments.extend(Segment(run, style(role))
                        for run, role in self._marked_line(block, number))
        return Strip(segments).extend_cell_length(width, fill)

    highlight = ""  # what / searched for: its matches in the text are drawn reversed

    # ----- narrowing (a sentence filter) --------------------------------------------
    hidden: frozenset[int] = frozenset()  # sentences a filter hides: drawn 0 lines high

    def set_hidden(self, hidden: Iterable[int], keep: int | None = None) -> None:
        """Hide these sentences (a filter narrows the view); never the cursor's (or
        ``keep``'s, where the cursor is about to go), which stays shown where a command
        (search, next dispute) takes it. Empty: show all."""
        cursor = self.source.cursor if keep is None else keep
        count = len(self._heights)
        wanted = frozenset(i for i in hidden if i != cursor and 0 <= i < count)
        if wanted == self.hidden and self._drawn_cursor == cursor:
            return
        self.hidden = wanted
        for index in range(count):
            if index in self.hidden:
                self._heights[index] = 0
            elif self._heights[index] == 0:
                block = self._blocks[index]
                self._heights[index] = block.height if block is not None else 1
        self._recount()
        for index in {self._drawn_cursor, cursor}:
            self._strips.pop(index, None)  # drawn lines are per sentence: only the cursor's change
        self._drawn_cursor = cursor
        self.refresh()
        self.call_after_refresh(self.scroll_to_cursor)

    def set_highlight(self, query: str) -> None:
        if query != self.highlight:
            self.highlight = query
            self._matches.clear()
            self._strips.clear()
            self.refresh()

    _matches: dict[int, tuple[Block, str, list[tuple[int, int]]]]

    def _marked_line(self, block: Block, number: int) -> list[tuple[str, str]]:
        """A line's runs with the search matches marked, found in the whole sentence
        (once per sentence and query), so a match the wrapping splits is marked on both
        lines."""
        runs = line_pieces(block, number)
        if not self.highlight:
            return runs
        cached = self._matches.get(block.index)
        if cached is None or cached[0] is not block or cached[1] != self.highlight:
            if len(self._matches) > _STRIP_CACHE:
                self._matches.clear()
            text = block.display[:block.spans[0][1]]
            cached = self._matches[block.index] = (block, self.highlight,
                                                   match_ranges(text, self.highlight))
        return marked_runs(runs, block.lines[number][0], cached[2])

    # ----- mouse --------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = self.sentence_at(round(self.scroll_y) + offset.y)
        if index is not None:
            self.post_message(self.Clicked(self, index))


def estimated_heights(spans: Sequence[tuple[int, int]], per_line: int) -> list[int]:
    """Lines each sentence would take if it wrapped at exactly per_line characters (at
    least one). Built with map over C functions: 75,000 sentences take 9 ms, not 26."""
    heights = list(map(neg, map(floordiv, starmap(sub, spans), repeat(per_line))))
    if heights and min(heights) < 1:  # only a span with no text: the slow way, exactly
        return [max(-(-(end - start) // per_line), 1) for start, end in spans]
    return heights


def _match_end(match: tuple[int, int]) -> int:
    return match[1]


def match_ranges(text: str, query: str) -> list[tuple[int, int]]:
    """(start, end) of each case-insensitive match of query in a sentence's text (none
    when case folding changes the text's length: offsets would not line up)."""
    needle = query.casefold()
    folded = text.casefold()
    if not needle or len(folded) != len(text):
        return []
    out = []
    found = folded.find(needle)
    while found >= 0:
        out.append((found, found + len(needle)))
        found = folded.find(needle, found + len(needle))
    return out


def marked_runs(runs: list[tuple[str, str]], line_start: int,
                matches: list[tuple[int, int]]) -> list[tuple[str, str]]:
    """Split a line's text run (it starts at line_start in the sentence) so each part of
    a match on this line is its own "match" run; chips and notes are never marked."""
    if not matches:
        return runs
    out: list[tuple[str, str]] = []
    for run, role in runs:
        if role != "text":
            out.append((run, role))
            continue
        end = line_start + len(run)
        pos = line_start
        for first, last in matches[bisect_right(matches, pos, key=_match_end):]:
            if first >= end:
                break
            first = max(first, pos)
            last = min(last, end)
            if first > pos:
                out.append((run[pos - line_start:first - line_start], role))
            out.append((run[first - line_start:last - line_start], "match"))
            pos = last
        if pos < end:
            out.append((run[pos - line_start:], role))
    return out
