"""Article text and label names are data: make them safe to put on a terminal.

Rich Text / Content objects already keep `[President]` or `[bold]` literal; what they do
not stop is a raw control character reaching the terminal. `visible` and `one_line` live
in core/terminal_text.py (the CLI uses the same ones); this module adds what only a
screen layout needs: fitting text into a number of cells.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

from annotator.core.terminal_text import TAB_SIZE, one_line, visible

__all__ = ["TAB_SIZE", "fit", "one_line", "visible"]


def fit(text: str, width: int) -> str:
    """Exactly width cells: padded, or cut with an ellipsis (wide characters counted)."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"
