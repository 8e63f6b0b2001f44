"""The review app: `make_review_app` is the one way in, for `annotator review` and the tests.

Thin like the editor's app: it owns the ReviewSession (and closes it, releasing gold's
article lock, however the app ends) and shows the review screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.binding import Keymap

from annotator.core.project import Project
from annotator.core.review import DEFAULT_REVIEWER, ReviewSession
from annotator.tui.base_app import BaseApp
from annotator.tui.review.screen import ReviewScreen


class ReviewApp(BaseApp):
    TITLE = "annotator review"
    CSS = """
    Screen { background: $surface; }
    """

    def __init__(self, review: ReviewSession, *, keymap: Keymap | None = None) -> None:
        super().__init__()
        self.review = review
        self.sub_title = review.reviewer
        if keymap:
            self.set_keymap(keymap)

    read_only_reason: str | None = None  # set by the CLI: why nothing can be saved (a banner)

    def get_default_screen(self) -> ReviewScreen:
        screen = ReviewScreen.for_session(self.review)
        screen.read_only_reason = self.read_only_reason
        return screen

    def on_unmount(self) -> None:
        self.review.close()


def make_review_app(project: Project, reviewer: str = DEFAULT_REVIEWER,
                    annotators: Sequence[str] | None = None, *,
                    keymap: Keymap | None = None) -> ReviewApp:
    """Build the review app (raises UsageError/SchemaError before any screen opens)."""
    return ReviewApp(ReviewSession(project, reviewer, annotators), keymap=keymap)
