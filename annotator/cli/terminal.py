"""Running a full-screen app from the CLI: a terminal is required, crashes become reports."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from annotator.core.errors import UsageError

if TYPE_CHECKING:
    from annotator.tui.base_app import BaseApp


# What `annotator serve` (textual-serve) sets for each browser tab's process: the app then
# reads keys from and draws to the server through its pipes, which are not terminals.
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
# How many full-screen apps this process has opened: a browser tab whose command stopped
# before opening one has shown nothing, and shows the message instead (web/tab.py).
apps_run = 0


def require_terminal() -> None:
    if os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER:
        return
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Without a terminal the app would wait for keys that never come (CI, pipes).
        raise UsageError("this needs a terminal; for scripts use a subcommand "
                         "(annotator --help lists them)")


def run_app(app: BaseApp, close: Callable[[], None]) -> int:
    """Run; always close (the lock must not outlive a crash of the UI); report a crash."""
    global apps_run
    apps_run += 1
    app.release = close
    try:
        app.run()
    finally:
        app.cancel_forced_exit()
        close()  # idempotent
    if app.crashed is not None:
        from annotator.core.crash import handle_crash

        return handle_crash(app.crashed)
    return app.return_code or 0
