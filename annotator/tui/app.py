"""The annotation editor: `make_app` is the one way in, for the CLI and the tests alike.

The app itself is thin: it owns the session (and closes it, releasing the article
lock, however the app ends) and shows the annotate screen. Everything a key does is
in screens/annotate.py; everything it changes is a session command in core/.
"""

from __future__ import annotations

import gc

from textual.binding import Keymap

from annotator.core.project import Project
from annotator.core.session import AnnotateSession
from annotator.tui.base_app import BaseApp
from annotator.tui.screens.annotate import AnnotateScreen


class AnnotatorApp(BaseApp):
    """Textual app around one AnnotateSession."""

    TITLE = "annotator"

    def __init__(self, session: AnnotateSession, *, keymap: Keymap | None = None) -> None:
        super().__init__()
        self.session = session
        self.sub_title = session.annotator
        if keymap:
            self.set_keymap(keymap)

    read_only_reason: str | None = None  # set by make_app: why nothing can be saved

    def get_default_screen(self) -> AnnotateScreen:
        screen = AnnotateScreen.for_session(self.session)
        screen.read_only_reason = self.read_only_reason
        return screen

    def on_mount(self) -> None:
        # The CLI turns the cycle collector off while starting (cli/__init__.py): on again
        # once the first screen is out.
        self.call_after_refresh(gc.enable)

    def on_unmount(self) -> None:
        self.close_session()  # also on ctrl+q, ctrl+c or an exception: the lock must go

    def close_session(self) -> None:
        """Release the article's lock and keep the progress the article list read (the
        annotation index cache), so the next start does not read every file again.
        Idempotent: the CLI calls it again after the app has gone, whatever ended it."""
        self.session.close()
        self.session.save_index()


def make_app(project: Project, annotator: str, *, keymap: Keymap | None = None,
             read_only: str | None = None) -> AnnotatorApp:
    """Build the editor for a project and annotator (the schema must load; raises if not).

    read_only: why this annotator's files cannot be written (core/writable.py); the
    editor then opens for browsing, takes no lock and shows the reason in a banner."""
    app = AnnotatorApp(AnnotateSession(project, annotator, read_only=read_only is not None),
                       keymap=keymap)
    app.read_only_reason = read_only
    return app
