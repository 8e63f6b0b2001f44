"""What the editor and the review app share: crash capture and a clean exit on hang-up."""

from __future__ import annotations

import asyncio
import contextlib
import signal

from textual.app import App


class BaseApp(App[int]):
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_DISPLAY = "^p"

    crashed: BaseException | None = None

    def _fatal_error(self) -> None:
        """An unexpected error: keep it for a crash report (core/crash.py) instead of
        printing a traceback. Headless runs (tests) keep Textual's own behaviour."""
        if self.is_headless:
            super()._fatal_error()
            return
        self.crashed = self._exception
        self.bell()
        self._close_messages_no_wait()

    def on_mount(self) -> None:
        if not self.is_headless:  # a closed terminal or ssh link: quit cleanly, unlocking
            loop = asyncio.get_running_loop()
            for name in ("SIGHUP", "SIGTERM"):
                signum = getattr(signal, name, None)
                if signum is not None:
                    with contextlib.suppress(NotImplementedError, RuntimeError):
                        loop.add_signal_handler(signum, self.exit)
