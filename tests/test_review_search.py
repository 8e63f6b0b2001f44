"""Searching the text in review: / like the editor, > and < for the next / previous match."""

from __future__ import annotations

from annotator.core.project import Project
from annotator.tui.review.app import make_review_app
from tests.test_review import snapshot, tag_plan
from tests.test_tui_support import wait_for


async def test_search_moves_to_matches_and_writes_nothing(project: Project) -> None:
    tag_plan(project)
    app = make_review_app(project)
    async with app.run_test(size=(80, 24)) as pilot:
        review = app.review
        assert review.cursor == 0
        before = snapshot(project.root)
        await pilot.press("slash", *"lavrov", "enter")
        assert review.cursor == 3  # "He met Mr Lavrov in Sochi."
        await pilot.press("greater_than_sign")
        assert review.cursor == 4  # "Lavrov called for better ties."
        await pilot.press("greater_than_sign")
        assert review.cursor == 3  # wrapped around
        await pilot.press("less_than_sign")
        assert review.cursor == 4
        await pilot.press("n")  # n is still the next dispute, not the next match
        assert review.cursor == 2
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"no such words", "enter")
        assert review.cursor == 2
        assert any("Not found" in n.message for n in app._notifications)
        assert snapshot(project.root) == before  # searching writes nothing
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "ReviewHelpScreen", "help")
        help_text = str(app.screen.query_one("#help-text").render())
        assert "Next search match" in help_text and "Search the text" in help_text


async def test_search_in_a_read_only_review(project: Project) -> None:
    tag_plan(project, {"alice": {4: ("fact", ("lavrov",), ())}})
    app = make_review_app(project, annotators=["alice"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"KREMLIN", "enter")
        assert app.review.cursor == 5  # case does not matter
