"""Tagging from the keyboard: a key press ends as YAML on disk."""

from __future__ import annotations

from annotator.core.project import Project
from annotator.tui.widgets.pickers.label_picker import NEW
from tests.factories import LABELS
from tests.test_tui_support import app_for, saved, screen_text, wait_for


async def test_claim_and_topic_quick_keys_save_at_once(project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "f", "1", "2")
        entry = saved(project)[2]
        assert entry["claim"] == "fact"
        assert entry["topics"] == ["elections", "sanctions"]
        await pilot.press("f", "1")  # the same keys again: claim cleared, topic removed
        entry = saved(project)[2]
        assert "claim" not in entry and entry["topics"] == ["sanctions"]
        await pilot.press("o")
        assert saved(project)[2]["claim"] == "opinion"
        assert "#Sanctions" in screen_text(app) and "Opinion" in screen_text(app)


async def test_speaker_picker_filters_and_toggles_several(project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "j", "s")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "LabelPicker",
                       "the speaker picker")
        await pilot.press(*"lav")
        options = app.screen.query_one("OptionList")
        shown = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert shown == ["lavrov", NEW]  # no exact match yet, so "new speaker" is offered last
        await pilot.press("enter")
        assert saved(project)[3]["speakers"] == ["lavrov"]
        for _ in range(3):
            await pilot.press("backspace")
        await pilot.press(*"pompeo", "enter")
        assert saved(project)[3]["speakers"] == ["lavrov", "pompeo"]
        # Letters typed in the picker never reach the annotate keys (f = Fact, q = quit).
        await pilot.press("ctrl+a", "ctrl+k", *"fq")
        assert "claim" not in saved(project)[3] and app.is_running
        await pilot.press("escape")
        await wait_for(pilot, lambda: "@Sergey Lavrov" in screen_text(app),
                       "the speakers shown inline")
        # Chosen speakers are listed first; space on the list toggles the highlighted one.
        await pilot.press("s", "tab", "space", "escape")
        assert saved(project)[3]["speakers"] == ["lavrov"]


async def test_new_speaker_is_written_to_the_annotators_file_not_labels(project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "j", "s", *"Jeremy Hunt")
        await pilot.press("enter")  # opens the new speaker form (see test_picker_speakers)
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "EntityForm", "the form")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "LabelPicker", "picker")
        await pilot.press("escape")
        assert project.labels_path.read_text(encoding="utf-8") == LABELS
        created = (project.annotations_dir / "tester" / "_speakers.yaml").read_text("utf-8")
        assert "id: jeremy-hunt" in created and "name: Jeremy Hunt" in created
        assert saved(project)[3]["speakers"] == ["jeremy-hunt"]
        await wait_for(pilot, lambda: "@Jeremy Hunt" in screen_text(app), "the new speaker shown")


async def test_topic_and_claim_pickers(project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", *"sanc", "enter", "escape")
        assert saved(project)[0]["topics"] == ["sanctions"]
        await pilot.press("c", *"opin", "enter")  # a claim picker closes on choosing
        assert saved(project)[0]["claim"] == "opinion"
        assert app.screen.__class__.__name__ == "AnnotateScreen"
        await pilot.press("c", "down", "enter")  # the list starts with the current claim
        assert saved(project)[0]["claim"] == "fact"


async def test_note_clear_and_not_content(project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "e", *"check [bold] source", "enter")
        assert saved(project)[2]["note"] == "check [bold] source"
        await wait_for(pilot, lambda: "✎ check [bold] source" in screen_text(app), "the note")
        await pilot.press("f", "x")
        assert 2 not in saved(project)
        await pilot.press("X")
        assert saved(project)[2]["not_content"] is True
        await pilot.press("e", "escape")  # cancelled: nothing changes
        assert "note" not in saved(project)[2]


async def test_undo_and_redo_every_change(project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "1", "j", "X")
        await pilot.press("u")
        assert 1 not in saved(project)
        await pilot.press("u")
        assert saved(project)[0] == {**saved(project)[0], "claim": "fact"}
        assert "topics" not in saved(project)[0]
        await pilot.press("u")
        assert saved(project) == {}
        assert app.screen.session.cursor == 0  # undo goes back to the sentence it changes
        await pilot.press("ctrl+r", "ctrl+r")
        assert saved(project)[0]["topics"] == ["elections"]
        await pilot.press("ctrl+y")
        assert saved(project)[1]["not_content"] is True
