"""What the editor and the review app share: crash capture, a clean exit on a signal, and
which keys each binding answers to once the user's keymap (keys.yaml) is applied."""

from __future__ import annotations

import asyncio
import contextlib
import signal

from textual.app import App
from textual.binding import Keymap

from annotator.core.keymap_file import split_keys


class BaseApp(App[int]):
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_DISPLAY = "^p"

    crashed: BaseException | None = None
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
