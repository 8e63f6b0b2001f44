"""What the editor and the review app share: crash capture, a clean exit on a signal, and
which keys each binding answers to once the user's keymap (keys.yaml) is applied."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Callable

from textual.app import App
from textual.binding import Keymap

from annotator.core.keymap_file import split_keys

FORCED_EXIT_AFTER = 5.0  # seconds from a signal to ending the process without Textual


class BaseApp(App[int]):
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_DISPLAY = "^p"

    crashed: BaseException | None = None
    release: Callable[[], None] | None = None  # what run_app closes (the lock), for _force_exit
    _forced_exit: threading.Timer | None = None
    keymap_overrides: Keymap = {}  # binding id -> keys, as given to set_keymap (replaced, never mutated)

    def set_keymap(self, keymap: Keymap) -> None:
        super().set_keymap(keymap)
        self.keymap_overrides = dict(keymap)

    def update_keymap(self, keymap: Keymap) -> None:
        super().update_keymap(keymap)
        self.keymap_overrides = {**self.keymap_overrides, **keymap}

    def keys_for(self, binding_id: str, default: tuple[str, ...]) -> tuple[str, ...]:
        """The keys a binding answers to: the keymap's (which replace), else the table's.

        The help screen and the palette show these, so a rebound key is what they say."""
        override = self.keymap_overrides.get(binding_id)
        return split_keys(override) if override else default

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
        """kill, a closed terminal or ssh link, ^C sent from outside: quit cleanly (the
        screen restored, the lock released; tags are saved as they are made) with the
        status a shell expects of a process ended by that signal, 128 + its number."""
        if not self.is_headless:
            loop = asyncio.get_running_loop()
            for name in ("SIGHUP", "SIGTERM", "SIGINT"):
                signum = getattr(signal, name, None)
                if signum is not None:
                    with contextlib.suppress(NotImplementedError, RuntimeError):
                        loop.add_signal_handler(signum, self.exit_on_signal, int(signum))

    def exit_on_signal(self, signum: int) -> None:
        self.exit(return_code=128 + signum)
        # Textual's shutdown waits for its output thread, which can wait for ever on a
        # terminal that is gone (a dropped ssh link), and the article lock with it. If
        # the app has not ended by then, release what it holds and end the process.
        if self._forced_exit is None:
            self._forced_exit = threading.Timer(FORCED_EXIT_AFTER, self._force_exit, (signum,))
            self._forced_exit.daemon = True
            self._forced_exit.start()

    def _force_exit(self, signum: int) -> None:
        try:
            if self.release is not None:
                self.release()
        finally:
            os._exit(128 + signum)

    def cancel_forced_exit(self) -> None:
        """The app ended by itself (run_app calls this as soon as run returns)."""
        if self._forced_exit is not None:
            self._forced_exit.cancel()
