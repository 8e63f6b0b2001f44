"""Search, editor and review alike: matches are highlighted and counted ("1 of 2")."""

from __future__ import annotations

from annotator.core.project import Project
from annotator.tui.review.app import make_review_app
from tests.test_review import tag_plan
from tests.test_tui_support import app_for, notifications, wait_for


def _highlighted(app) -> list[str]:
    """Text drawn reversed on screen (search matches)."""
    found = []
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            if segment.style is not None and segment.style.reverse and segment.text.strip():
                found.append(segment.text)
    return found


async def _search_lavrov(app, pilot) -> None:
    await pilot.press("slash", *"lavrov", "enter")
    await wait_for(pilot, lambda: any("1 of 2: lavrov" in n for n in notifications(app)),
                   "the match count")
    assert _highlighted(app).count("Lavrov") == 2  # both sentences, case aside


async def test_editor_search_counts_and_highlights(project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(100, 30)) as pilot:
        await _search_lavrov(app, pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: any("2 of 2: lavrov" in n for n in notifications(app)),
                       "the second match")
        await pilot.press("q")


async def test_review_search_counts_and_highlights(project: Project) -> None:
    tag_plan(project)
    app = make_review_app(project)
    async with app.run_test(size=(100, 30)) as pilot:
        await _search_lavrov(app, pilot)
        await pilot.press("greater_than_sign")
        await wait_for(pilot, lambda: any("2 of 2: lavrov" in n for n in notifications(app)),
                       "the second match")
        await pilot.press("q")
