"""Sentence blocks: the text plus its tags as compact chips, word-wrapped to a width.

Kept free of widgets so it is cheap and testable. Wrapping is done here on plain
strings (character ranges) rather than with rich.Text.wrap, which costs ~150 µs per
sentence: a 2,000-sentence article must lay out in tens of milliseconds, and a tag
change must re-wrap only its own sentence.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from rich.cells import cell_len, get_character_cell_size

from annotator.core.article import Sentence
from annotator.core.schema import LabelSchema, Layer
from annotator.core.tags import SentenceTags
from annotator.tui.safe_text import one_line, visible

# Inside a chip a space is laid out as this character, so "@Mike Pompeo" wraps as one
# unit; it is drawn as a space. `visible` never lets it through from data (it shows ␟).
CHIP_SPACE = "\x1f"
NOTE_CHARS = 30
_TOKEN = re.compile(r"[^ \n]+ *| +")


class Piece(NamedTuple):
    """One chip after the sentence text; role names the style (see SentenceView). Piece
    and Block are NamedTuples: made per sentence drawn, and on the editor's start path
    (README, Start-up)."""

    text: str
    role: str  # layer_role(layer id) | note | unknown | flag


def layer_role(layer_id: str) -> str:
    """The role of a layer's chips: drawn in the colour labels.yaml gives the layer."""
    return f"layer:{layer_id}"


def chip_prefix(layer: Layer) -> str:
    """@ before an entity (a person, an organisation), # before a label of a multi layer, none for single."""
    return {"entity": "@", "multi": "#"}.get(layer.kind, "")


def tag_pieces(tags: SentenceTags, schema: LabelSchema, *,
               auto_not_content: bool | str) -> list[Piece]:
    """The compact inline form of a sentence's tags, layer by layer in labels.yaml order;
    unknown labels (and labels of a layer the file no longer declares) end in '?'.
    auto_not_content: the importer's reason ("byline") when it marked the untagged sentence."""
    pieces: list[Piece] = []
    if auto_not_content:
        reason = auto_not_content if isinstance(auto_not_content, str) else "not content"
        return [Piece(f"auto: {one_line(reason)}", "flag")]
    if tags.not_content:
        pieces.append(Piece("not content", "flag"))
    for layer in schema.layers:
        prefix, role = chip_prefix(layer), layer_role(layer.id)
        for label_id in tags.get(layer.id):
            label = schema.get(layer.id, label_id)
            pieces.append(Piece(f"{prefix}{one_line(label.name)}", role) if label
                          else Piece(f"{prefix}{one_line(label_id)}?", "unknown"))
    for layer_id, label_ids in tags.values:
        if schema.layer_of(layer_id) is None:
            pieces.extend(Piece(f"{one_line(layer_id)}:{one_line(label_id)}?", "unknown")
                          for label_id in label_ids)
    if tags.note:
        note = one_line(tags.note)
        if len(note) > NOTE_CHARS:
            note = note[: NOTE_CHARS - 1] + "…"
        pieces.append(Piece(f"✎ {note}", "note"))
    return pieces


def wrap_ranges(text: str, width: int) -> list[tuple[int, int]]:
    """(start, end) of each screen line when text is wrapped at width cells.

    Breaks at spaces, honours newlines, splits words longer than a line, and leaves
    the spaces at a break out of both lines.
    """
    width = max(width, 1)
    out: list[tuple[int, int]] = []
    pos = 0
    for hard in text.split("\n"):
        start, pos = pos, pos + len(hard) + 1
        if len(hard) <= width and cell_len(hard) <= width:
            out.append((start, start + len(hard.rstrip(" "))))
        elif hard.isascii():
            _wrap_ascii(hard, start, width, out)
        else:
            _wrap_cells(hard, start, width, out)
    return out


def _wrap_ascii(hard: str, start: int, width: int, out: list[tuple[int, int]]) -> None:
    """One cell per character: find breaks with rfind instead of measuring words."""
    s, n = 0, len(hard)
    while n - s > width:
        cut = hard.rfind(" ", s, s + width + 1)
        if cut <= s:
            out.append((start + s, start + s + width))
            s += width
            continue
        end = cut
        while end > s and hard[end - 1] == " ":
            end -= 1
        out.append((start + s, start + end))
        s = cut + 1
        while s < n and hard[s] == " ":
            s += 1
    out.append((start + s, start + max(s, len(hard.rstrip(" ")))))


def _wrap_cells(hard: str, start: int, width: int, out: list[tuple[int, int]]) -> None:
    """Wide or zero-width characters: measure each word in cells."""
    line_start, line_end, line_w = start, start, 0
    for match in _TOKEN.finditer(hard):
        word = match.group()
        word_start = start + match.start()
        stripped = word.rstrip(" ")
        w = cell_len(stripped)
        if line_w and line_w + w > width:
            out.append((line_start, line_end))
            line_start, line_end, line_w = word_start, word_start, 0
        if w > width:
            chunk_start, chunk_w = word_start, 0
            for offset, char in enumerate(stripped):
                size = get_character_cell_size(char)
                if chunk_w and chunk_w + size > width:
                    out.append((chunk_start, word_start + offset))
                    chunk_start, chunk_w = word_start + offset, 0
                chunk_w += size
            line_start, line_w = chunk_start, chunk_w + len(word) - len(stripped)
            line_end = word_start + len(stripped)
            continue
        if stripped:
            line_end = word_start + len(stripped)
        line_w += w + len(word) - len(stripped)
    out.append((line_start, line_end))


class Block(NamedTuple):
    """One sentence as laid out: display text, role spans, line ranges."""

    index: int
    display: str
    spans: tuple[tuple[int, int, str], ...]  # (start, end, role) covering display
    lines: tuple[tuple[int, int], ...]
    blank_before: bool  # a paragraph break: one empty line above the sentence
    dim: bool  # not content (marked, or known to the importer)
    mark: str = " "  # gutter: ✓ tagged, – not content, blank when still to do

    @property
    def height(self) -> int:
        return len(self.lines) + self.blank_before


def build_block(sentence: Sentence, tags: SentenceTags, schema: LabelSchema, width: int,
                *, auto_not_content: bool | str, suggested: tuple[str, ...] = ()) -> Block:
    """suggested: names of suggested speakers (core/suggest.py), drawn dim after the tags
    and marked as suggestions; they are not tags."""
    text = visible(sentence.text)
    spans: list[tuple[int, int, str]] = [(0, len(text), "text")]
    display = text
    pieces = tag_pieces(tags, schema, auto_not_content=auto_not_content)
    pieces.extend(Piece(f"suggested @{one_line(name)}", "suggestion") for name in suggested)
    for number, piece in enumerate(pieces):
        gap = "  " if number == 0 else " "
        spans.append((len(display), len(display) + len(gap), "gap"))
        display += gap
        chip = piece.text.replace(" ", CHIP_SPACE)
        spans.append((len(display), len(display) + len(chip), piece.role))
        display += chip
    return Block(
        index=sentence.index,
        display=display,
        spans=tuple(spans),
        lines=tuple(wrap_ranges(display, width)),
        blank_before=sentence.paragraph_start and sentence.index > 0,
        dim=tags.not_content or bool(auto_not_content),
        mark="–" if tags.not_content or auto_not_content else "✓" if tags.is_tagged else " ",
    )


def line_pieces(block: Block, line: int) -> list[tuple[str, str]]:
    """(text, role) runs of one wrapped line of a block."""
    start, end = block.lines[line]
    runs: list[tuple[str, str]] = []
    for span_start, span_end, role in block.spans:
        if span_end <= start or span_start >= end:
            continue
        run = block.display[max(span_start, start):min(span_end, end)]
        runs.append((run.replace(CHIP_SPACE, " ") if role != "text" else run, role))
    return runs
