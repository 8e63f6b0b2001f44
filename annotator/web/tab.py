"""What one browser tab runs: the usual `annotator` command line, plus a screen for refusals.

In a terminal, a command that cannot start (review with no annotator's tags yet, a
locked keys file, a crash) prints why and exits. In a browser tab nobody reads that
stderr: the tab would stay blank. So the tab runs the same `annotator.cli.main`, keeps a
copy of what it wrote to stderr, and if it stopped before its screen ever opened, opens a
small screen that shows the message instead.
"""

from __future__ import annotations

import io
import sys
from typing import TextIO


class _Tee(io.TextIOBase):
    def __init__(self, *streams: TextIO):
        self.streams = streams

    def write(self, text: str) -> int:
        for stream in self.streams:
            stream.write(text)
        return len(text)

    def flush(self) -> None:
        for stream in self.streams:
            stream.flush()


def show_message(message: str) -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Static

    class Refused(App[None]):
        TITLE = "annotator"
        BINDINGS = [("q", "quit", "Close")]
        CSS = "Static { margin: 1 2; }"

        def compose(self) -> ComposeResult:
            yield Static(message, markup=False)
            yield Static("Close this tab (or press q); reload it once the problem is fixed.",
                         markup=False)
            yield Footer()

    Refused().run()


def main(argv: list[str]) -> int:
    from annotator.cli import main as cli_main

    said = io.StringIO()
    real = sys.stderr
    sys.stderr = _Tee(real, said)  # type: ignore[assignment]
    try:
        code = cli_main(argv)
    finally:
        sys.stderr = real
    # Textual is imported only once a screen is about to open (see cli/cmd_tui.py): if it
    # never was, this tab has shown nothing yet and the message is all it can show.
    if code != 0 and "textual.app" not in sys.modules:
        show_message(said.getvalue().strip() or f"annotator stopped (exit status {code})")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
