"""A one-line bar (the status line, the key line): Text in, never markup, never wrapped."""

from __future__ import annotations

from textual.widgets import Static


class Bar(Static):
    DEFAULT_CSS = """
    Bar {
        height: 1;
        background: $panel;
        color: $text;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
