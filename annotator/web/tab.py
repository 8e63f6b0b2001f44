"""What one browser tab runs: the usual `annotator` command line, plus a screen for refusals.

The process starts before its tab exists, as the server's spare: it imports Textual and the
editor (most of a start-up: half a second of a one-second target), then waits on stdin for
the start message the server writes when a tab connects, which says what to run and at what
size. See spare.py for the server's side. Nothing it reads is the tab's: the message is
read byte-exactly, and everything after it (keys, resizes) is left for Textual's web driver.

In a terminal, a command that cannot start (review with no annotator's tags yet, a
locked keys file, a crash) prints why and exits. In a browser tab nobody reads that
stderr: the tab would stay blank. So the tab runs the same `annotator.cli.main`, keeps a
copy of what it wrote to stderr, and if it stopped before its screen ever opened, opens a
small screen that shows the message instead.
"""

from __future__ import annotations

import gc
import importlib
import io
import json
import os
import select
import sys
from typing import TextIO

# What a tab will need, imported while no tab waits for it: the editor and review mode, and
# Textual's web driver. (Project files are not read here: they may change before the tab.)
WARM_MODULES = (
    "textual.app", "textual.drivers.web_driver", "annotator.cli", "annotator.cli.cmd_tui",
    "annotator.cli.cmd_review", "annotator.tui.app", "annotator.tui.keymap",
    "annotator.tui.review.app", "annotator.tui.review.keymap",
)
START = b"S"  # the start message: b"S", 4-byte big-endian length, JSON {"argv", "environ"}


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
    from annotator.cli import terminal

    said = io.StringIO()
    real = sys.stderr
    sys.stderr = _Tee(real, said)  # type: ignore[assignment]
    try:
        code = cli_main(argv)
    finally:
        sys.stderr = real
    # If no screen was opened, this tab has shown nothing yet: the message is all it can show.
    if code != 0 and not terminal.apps_run:
        show_message(said.getvalue().strip() or f"annotator stopped (exit status {code})")
    return code


def _read_exactly(size: int) -> bytes:
    """From stdin without a buffer: a byte too many would be the tab's first key, lost."""
    data = b""
    while len(data) < size:
        chunk = os.read(0, size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def wait_for_tab() -> tuple[list[str], dict[str, str]]:
    """Block until the server hands this process a tab; EOFError if the server has gone."""
    header = _read_exactly(5)
    if header[:1] != START:
        raise ValueError(f"not a start message: {header!r}")
    start = json.loads(_read_exactly(int.from_bytes(header[1:], "big")))
    return [str(arg) for arg in start["argv"]], {str(k): str(v) for k, v in start["environ"].items()}


def end_with_server() -> None:
    """A server that is killed cannot close its tabs, and a tab whose stdin ends keeps
    running (Textual's web driver just stops reading), holding its article's lock. So on
    Linux, ask for SIGTERM when the server dies: the app quits on it as on Ctrl+C."""
    from annotator.core.parent_death import sigterm_when_parent_dies

    sigterm_when_parent_dies()  # without prctl, the server's normal stop still closes tabs


def spare() -> int:
    end_with_server()  # (if the server died before this, stdin is closed: it exits below)
    # Started for a tab that is already waiting (no spare was ready): import only what its
    # command needs, as a plain `annotator` would, instead of both the editor and review.
    try:
        if not select.select([0], [], [], 0)[0]:
            for module in WARM_MODULES:
                importlib.import_module(module)
            gc.collect()
            gc.freeze()  # what the imports made lives as long as the process: never scan it
        argv, environ = wait_for_tab()
    except (EOFError, KeyboardInterrupt):  # the server stopped (or Ctrl+C) before a tab came
        return 0
    os.environ.update(environ)  # the tab's size, read by the web driver when the app starts
    sys.argv[1:] = argv
    return main(argv)


if __name__ == "__main__":
    sys.exit(spare())
