"""Review and the editor report a refusing disk the same way: a notification, no crash."""

from __future__ import annotations

from annotator.core.project import Project
from annotator.tui.review.app import make_review_app
from tests.test_review import tag_plan
from tests.test_tui_support import app_for, notifications, screen_text, wait_for


async def test_review_with_gold_being_a_file_notifies_instead_of_crashing(
        project: Project) -> None:
    tag_plan(project)
    (project.annotations_dir / "gold").write_text("not a folder\n", encoding="utf-8")
    app = make_review_app(project)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: any("Cannot open article" in n
                                          for n in notifications(app)), "a notification")
        shown = [n for n in notifications(app) if "Cannot open article" in n]
        assert "annotations/gold" in shown[0] and "File exists" in shown[0]
        assert "This article cannot be opened" in screen_text(app)
        await pilot.press("j", "2", "]", "q")  # keys on no article: nothing breaks
    assert (project.annotations_dir / "gold").read_text(encoding="utf-8") == "not a folder\n"


async def test_the_editor_says_the_same_for_its_own_folder(project: Project) -> None:
    (project.annotations_dir / "tester").write_text("not a folder\n", encoding="utf-8")
    app = app_for(project)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: any("Cannot open article" in n
                                          for n in notifications(app)), "a notification")
        assert any("annotations/tester" in n for n in notifications(app))
        await pilot.press("f", "q")
    assert (project.annotations_dir / "tester").read_text(encoding="utf-8") == "not a folder\n"
