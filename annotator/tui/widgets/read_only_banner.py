"""The banner over a read-only project: browsing only, and why (core/writable.py says why).

Its own module so that the editor's usual start does not define a widget class it will
not show (a Textual widget class costs ~1 ms to define)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from annotator.tui.safe_text import one_line


class ReadOnlyBanner(Static):
    """Above everything when the project cannot be written: browsing only, and why."""

    DEFAULT_CSS = """
    ReadOnlyBanner {
        height: auto;
        max-height: 2;
        background: $error;
        color: $text;
        text-style: bold;
        padding: 0 1;
    }
    """

    def __init__(self, reason: str, **kwargs: object) -> None:
        text = (f"Read-only: {one_line(reason)}. You can browse and search; tags cannot be "
                "saved here, so keys that tag are off.")
        super().__init__(Text(text), markup=False, **kwargs)  # type: ignore[arg-type]
