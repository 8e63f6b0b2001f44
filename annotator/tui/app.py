"""The annotation editor: `make_app` is the one way in, for the CLI and the tests alike.

The app itself is thin: it owns the session (and closes it, releasing the article
lock, however the app ends) and shows the annotate screen. Everything a key does is
in screens/annotate.py; everything it changes is a session command in core/.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal

from textual.app import App
from textual.binding import Keymap

from annotator.core.project import Project
from annotator.core.session import AnnotateSession
from annotator.tui.screens.annotate import AnnotateScreen


class AnnotatorApp(App[int]):
    """Textual app around one AnnotateSession."""

    TITLE = "annotator"
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_DISPLAY = "^p"

    def __init__(self, session: AnnotateSession, *, keymap: Keymap | None = None) -> None:
        super().__init__()
        self.session = session
        self.sub_title = session.annotator
        if keymap:
            self.set_keymap(keymap)

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

    def get_default_screen(self) -> AnnotateScreen:
        return AnnotateScreen.for_session(self.session)

    def on_mount(self) -> None:
        if not self.is_headless:  # a closed terminal or ssh link: quit cleanly, unlocking
            loop = asyncio.get_running_loop()
            for name in ("SIGHUP", "SIGTERM"):
                signum = getattr(signal, name, None)
                if signum is not None:
                    with contextlib.suppress(NotImplementedError, RuntimeError):
                        loop.add_signal_handler(signum, self.exit)

    def on_unmount(self) -> None:
        self.session.close()  # also on ctrl+q, ctrl+c or an exception: the lock must go


def make_app(project: Project, annotator: str, *, keymap: Keymap | None = None) -> AnnotatorApp:
    """Build the editor for a project and annotator (the schema must load; raises if not)."""
    return AnnotatorApp(AnnotateSession(project, annotator), keymap=keymap)
