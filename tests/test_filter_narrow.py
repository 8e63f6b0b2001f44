"""A filter narrows the view: the sentences it does not name are hidden, j/k move among
those it names, the status line says "2 of 4", and esc shows every sentence again."""

from __future__ import annotations

import yaml

from annotator.core.project import Project
from annotator.tui.review.app import make_review_app
from tests.test_review import tag_plan
from tests.test_tui_support import app_for, doc_path, notifications, screen_text, wait_for


def _numbers(app) -> list[int]:
    """The sentence numbers drawn in the gutter, top to bottom."""
    found = []
    for line in screen_text(app).splitlines():
        for cell in line.split("│"):
            head = cell.lstrip(" ▌").split(" ", 1)[0]
            if head.isdigit() and cell.lstrip(" ▌") != head:
                found.append(int(head))
                break
    return found


async def test_untagged_filter_hides_tagged_sentences_in_the_editor(project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j", "j", "f")  # sentence 3: fact
        await pilot.press("g", "ctrl+f", *"untagged", "enter")
        await wait_for(pilot, lambda: "1 of 4" in screen_text(app), "the status line")
        assert "filter: untagged sentences" in screen_text(app)
        view = app.screen.view
        assert view.hidden == {1, 2}  # the dateline and the tagged sentence
        await pilot.press("j")
        assert app.screen.session.cursor == 3  # past the hidden ones
        assert "2 of 4" in screen_text(app)
        await pilot.press("f")  # tag it: it leaves the view when the cursor moves on
        await pilot.press("j")
        assert app.screen.session.cursor == 4 and 3 in view.hidden
        await pilot.press("G", "j")  # the last shown: j stays
        assert app.screen.session.cursor == 5
        await pilot.press("escape")
        await wait_for(pilot, lambda: not view.hidden, "every sentence back")
        assert "filter:" not in screen_text(app)
        await pilot.press("k")
        assert app.screen.session.cursor == 4
        await pilot.press("q")
    data = yaml.safe_load(doc_path(project).read_text(encoding="utf-8"))
    assert [s["index"] for s in data["sentences"]] == [2, 3]


async def test_filter_narrows_review_and_esc_ends_it(project: Project) -> None:
    tag_plan(project)
    app = make_review_app(project)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("ctrl+f", *"@carol", "enter")
        await wait_for(pilot, lambda: any("tagged by carol" in n for n in notifications(app)),
                       "the filter")
        view = app.screen.view
        shown = app.screen.filter_shown
        assert shown == [2, 3, 5] and view.hidden == {0, 1, 4}
        assert "filter: tagged by carol · 1 of 3" in screen_text(app)
        await pilot.press("j", "j")
        assert app.review.cursor == 5
        await pilot.press("C", "escape")  # esc cancels the prefix first
        assert view.hidden
        await pilot.press("escape")  # then ends the filter
        await wait_for(pilot, lambda: not view.hidden, "every sentence back")
        await pilot.press("q")
