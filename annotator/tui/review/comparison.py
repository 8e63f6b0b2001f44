"""The panel under the text: every annotator's decision on the current sentence, side by side.

One column per annotator (numbered as the digit keys take them) and one for gold; one
row per layer labels.yaml declares (titled after it, in its order), marked agreed (=),
disputed (≠) or single (·). In a disputed layer each
distinct value has its own colour, so who said what reads at a glance. Label names are
data: cells are Text built from `one_line`, never markup; unknown labels end in '?'.

Laid out by hand (fixed columns, one label per line, cut with "…" to the column) and
drawn line by line: a Rich Table measured and rendered on every key press costs more
than the 12 ms a key may take.
"""

from __future__ import annotations

from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget

from annotator.core.review import (
    AGREED,
    DISPUTED,
    NOTHING,
    SINGLE,
    SentenceComparison,
)
from annotator.core.review_nothing import is_decided, is_nothing
from annotator.core.schema import LabelSchema
from annotator.core.tags import SentenceTags
from annotator.tui.safe_text import fit, one_line

_PREFIX = {"entity": "@", "single": "", "multi": "#"}  # by layer kind, as chips read
_GROUP_STYLES = ("bold yellow", "bold magenta", "bold cyan", "bold blue", "bold green")
_STATUS_MARK = {AGREED: ("=", "green"), DISPUTED: ("≠", "bold red"), SINGLE: ("·", "dim")}
_LABEL_COLUMN = (11, 20)  # the first column fits the longest layer title, within these
_MIN_COLUMN = 6

Cell = list[Text]  # one Text per line


def label_text(schema: LabelSchema, layer: str, label_id: str, style: str = "") -> Text:
    kind = schema.kind(layer)
    mark = _PREFIX.get(kind, "") if kind else ""
    label = schema.get(layer, label_id)
    if label is None:
        return Text(f"{mark}{one_line(label_id)}?", style="bold red")
    return Text(f"{mark}{one_line(label.name)}", style=style)


def layer_cell(schema: LabelSchema, layer: str, tags: SentenceTags | None,
               style: str = "") -> Cell:
    """One layer of one annotator's tags: one label per line."""
    if tags is NOTHING:
        return [Text("nothing to tag", style="italic")]
    if tags is None or not tags.is_tagged:
        return [Text("not tagged", style="dim italic")]
    if tags.not_content:
        return [Text("not content", style="italic")]
    ids = tags.get(layer)
    if not ids:
        return [Text("—", style=style or "dim")]
    return [label_text(schema, layer, label_id, style) for label_id in ids]


def layer_title(schema: LabelSchema, layer: str) -> str:
    found = schema.layer_of(layer)
    return found.title if found else layer


def layer_noun(schema: LabelSchema, layer: str) -> str:
    found = schema.layer_of(layer)
    return found.noun if found else layer


def headline(comparison: SentenceComparison, gold: SentenceTags, schema: LabelSchema, *,
             read_only: bool,
             pending: str | None = None, message: str | None = None,
             warning: bool = False, held: str | None = None) -> Text:
    """The sentence's status and what gold did about it (then a pending prefix or a message)."""
    out = Text()
    out.append(f"Sentence {comparison.index + 1}: ", "bold")
    status = comparison.status
    if status == DISPUTED:
        layers = [layer_noun(schema, layer) for layer, c in comparison.layers.items()
                  if c.status == DISPUTED]
        if comparison.content_disputed:
            layers.insert(0, "content")
        out.append(f"disputed ({', '.join(layers)})", "bold red")
    elif status == AGREED:
        out.append(f"all {len(comparison.tagged_by)} agree", "green")
    elif status == SINGLE:
        out.append(f"only {comparison.tagged_by[0]} tagged it", "yellow")
    else:
        out.append("nobody tagged it", "dim")
    out.append(" · ", "dim")
    if held:
        out.append(f"Not in gold yet · {held}", "bold yellow")
    elif is_decided(gold):
        out.append("settled", "bold green")
        if is_nothing(gold):
            out.append(" · nothing to tag", "bold green")
        if gold.agrees_with:
            out.append(f" · agrees: {', '.join(gold.agrees_with)}")
        if gold.overrules:
            out.append(f" · overrules: {', '.join(gold.overrules)}")
    elif read_only:
        out.append("read-only", "bold")
    else:
        out.append("unsettled", "yellow" if status == DISPUTED else "dim")
    if pending:
        out.append("   ")
        out.append(f" {pending} ", "reverse bold")
    elif message:
        out.append("   ")
        out.append(one_line(message), "bold yellow" if warning else "italic")
    return out


def comparison_rows(comparison: SentenceComparison, gold: SentenceTags, schema: LabelSchema,
                    reviewer: str) -> list[list[Cell]]:
    """Header row, then one row per layer (and content / notes rows when they matter)."""
    header: list[Cell] = [[Text("")]]
    header += [[Text(f"{number} {one_line(name)}", "bold")]
               for number, name in enumerate(comparison.tags, start=1)]
    header.append([Text(one_line(reviewer), "bold green")])
    rows = [header]
    if comparison.not_content:
        row: list[Cell] = [[Text("  content", "bold red" if comparison.content_disputed
                                 else "green")]]
        for tags in comparison.tags.values():
            if tags is None or not tags.is_tagged:
                row.append([Text("not tagged", "dim italic")])
            else:
                row.append([Text("not content" if tags.not_content else "content", "italic")])
        row.append([Text("not content" if gold.not_content else
                         "content" if is_decided(gold) else "unsettled", "green")])
        rows.append(row)
    for layer, layer_cmp in comparison.layers.items():
        mark, mark_style = _STATUS_MARK.get(layer_cmp.status, (" ", "dim"))
        label = Text(f"{mark} ", style=mark_style)
        label.append(one_line(layer_title(schema, layer)),
                     style=mark_style if layer_cmp.status == DISPUTED else "")
        styles: dict[frozenset[str], str] = {}
        if layer_cmp.status == DISPUTED:
            for number, (value, _names) in enumerate(layer_cmp.groups()):
                styles[value] = _GROUP_STYLES[number % len(_GROUP_STYLES)]
        row = [[label]]
        for name, tags in comparison.tags.items():
            given = layer_cmp.values.get(name)
            row.append(layer_cell(schema, layer, tags, styles.get(given, "") if given is not None
                                  else ""))
        if is_nothing(gold):
            row.append([Text("nothing to tag", "green italic")])
        else:
            row.append(layer_cell(schema, layer, gold) if gold.is_tagged
                       else [Text("unsettled", "dim italic")])
        rows.append(row)
    notes = [(tags.note if tags else None) for tags in comparison.tags.values()]
    if any(notes) or gold.note:
        row = [[Text("  notes", "italic")]]
        row += [[Text(f"✎ {one_line(n)}", "italic")] if n else [Text("")] for n in notes]
        row.append([Text(f"✎ {one_line(gold.note)}", "italic")] if gold.note else [Text("")])
        rows.append(row)
    return rows


def lay_out(rows: list[list[Cell]], width: int) -> list[Text]:
    """Rows of cells -> screen lines: a fixed first column, the rest shared equally."""
    columns = max(len(row) for row in rows) - 1
    first = min(max(_LABEL_COLUMN[0], *(line.cell_len + 1 for row in rows for line in row[0])),
                _LABEL_COLUMN[1])
    share = max((width - first) // max(columns, 1) - 1, _MIN_COLUMN)
    widths = [first, *([share] * columns)]
    lines: list[Text] = []
    for row in rows:
        for number in range(max(len(cell) for cell in row)):
            line = Text()
            for cell, cell_width in zip(row, widths, strict=False):
                piece = cell[number] if number < len(cell) else Text("")
                line.append(fit(piece.plain, cell_width), piece.style)
                line.append(" ")
            line.truncate(width)
            lines.append(line)
    return lines


class ComparisonPanel(Widget):
    """Shows a SentenceComparison (or a message); redrawn only on move or change.

    Rendered to strips once per change and drawn line by line; the height follows the
    line count, so a layout pass happens only when that count changes.
    """

    DEFAULT_CSS = """
    ComparisonPanel {
        height: 5;
        background: $boost;
        border-top: solid $panel-lighten-2;
        padding: 0 1;
    }
    """

    MAX_SHARE = 0.45  # of the screen height, so the text always keeps the most room

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._head = Text("")
        self._rows: list[list[Cell]] = []
        self._strips: list[Strip] = []
        self._styled: list[Strip] = []
        self._styled_for: tuple[int, object] | None = None  # (width, base style) of _styled
        self._rendered_width = -1
        self._floor = 0  # the height never goes below this until reset_height()

    def show(self, comparison: SentenceComparison, gold: SentenceTags, schema: LabelSchema,
             reviewer: str, *, read_only: bool, pending: str | None = None,
             message: str | None = None, warning: bool = False,
             held: str | None = None) -> None:
        self._head = headline(comparison, gold, schema, read_only=read_only, pending=pending,
                              message=message, warning=warning, held=held)
        self._rows = comparison_rows(comparison, gold, schema, reviewer)
        self._render_strips()

    def show_text(self, text: str, style: str = "dim") -> None:
        self._head = Text(one_line(text), style=style)
        self._rows = []
        self._render_strips()

    @property
    def plain_lines(self) -> list[str]:
        """What is shown, one string per line (for tests and benchmarks)."""
        return [strip.text for strip in self._strips]

    def _render_strips(self) -> None:
        width = self.content_region.width or max(self.app.size.width - 2, 10)
        console = self.app.console
        head = self._head.copy()
        head.truncate(width * 3)  # at most three lines of headline
        lines = head.wrap(console, width) if head.cell_len > width else [head]
        if self._rows:
            lines = [*lines, *lay_out(self._rows, width)]
        limit = max(int(self.app.size.height * self.MAX_SHARE) - 1, 2)
        self._strips = [Strip(line.render(console), line.cell_len) for line in lines[:limit]]
        self._styled_for = None
        self._rendered_width = width
        # Grows, never shrinks while on one article: a layout pass repaints the whole
        # screen, so the height must not flip with a one-line message on every key.
        height = max(len(self._strips) + 1, self._floor)  # + the border line on top
        self._floor = height
        if self.styles.height is None or self.styles.height.value != height:
            self.styles.height = height
        self.refresh()

    def reset_height(self) -> None:
        """A new article (or size): the panel may shrink back to what it shows."""
        self._floor = 0

    def on_resize(self) -> None:
        if self.content_region.width != self._rendered_width:
            self._floor = 0
            self._render_strips()

    def render_line(self, y: int) -> Strip:
        width = self.content_region.width
        base = self.rich_style
        key = (width, base)
        if self._styled_for != key:
            self._styled = [strip.apply_style(base).crop_extend(0, width, base)
                            for strip in self._strips]
            self._styled_for = key
        if y < len(self._styled):
            return self._styled[y]
        return Strip.blank(width, base)
