"""The speaker picker never makes junk: keys pressed in the editor, results read from disk."""

from __future__ import annotations

import yaml

from annotator.core.project import Project
from annotator.tui.widgets.pickers.label_picker import NEW
from tests.test_tui_support import ANNOTATOR, app_for, saved, screen_text, wait_for


def speakers_file(project: Project, annotator: str = ANNOTATOR):  # type: ignore[no-untyped-def]
    return project.annotations_dir / annotator / "_speakers.yaml"


def screen_name(app) -> str:  # type: ignore[no-untyped-def]
    return app.screen.__class__.__name__


async def test_the_filter_clears_after_each_toggle_so_nothing_is_created(
        project: Project) -> None:
    labels = project.labels_path.read_bytes()
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "j", "s", *"pom", "enter", *"lav", "enter")
        assert saved(project)[3]["speakers"] == ["pompeo", "lavrov"]
        assert app.screen.query_one("Input").value == ""
        await pilot.press("escape")
    assert not speakers_file(project).exists()
    assert project.labels_path.read_bytes() == labels


async def test_enter_on_a_matching_filter_picks_and_never_creates(project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "j", "s", *"kreml")  # a prefix of the alias "Kremlin"
        options = app.screen.query_one("OptionList")
        assert options.get_option_at_index(0).id == "kremlin"
        assert options.get_option_at_index(options.option_count - 1).id == NEW  # offered last
        await pilot.press("enter", *"pmpeo", "enter")  # a typo still finds Pompeo
        assert saved(project)[3]["speakers"] == ["kremlin", "pompeo"]
        assert screen_name(app) == "LabelPicker"
    assert not speakers_file(project).exists()


async def test_keys_right_after_escape_go_to_the_sentence_view(project: Project) -> None:
    """Escape then j within ESCDELAY reaches Textual as alt+j: the picker closes and j
    moves, f tags; nothing goes into the filter and nothing is created."""
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "s", *"lav", "enter")
        await pilot.press("alt+j", "f")
        await wait_for(pilot, lambda: screen_name(app) == "AnnotateScreen", "the picker closed")
        await wait_for(pilot, lambda: 2 in saved(project), "f tagging sentence 3")
        assert saved(project)[1]["speakers"] == ["lavrov"]
        assert saved(project)[2]["claim"] == "fact" and "speakers" not in saved(project)[2]
        assert app.screen.session.cursor == 2
    assert not speakers_file(project).exists()


async def test_creating_a_speaker_asks_name_kind_aliases_and_undo_removes_it(
        project: Project) -> None:
    labels = project.labels_path.read_bytes()
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "j", "s", *"Jeremy Hunt")
        options = app.screen.query_one("OptionList")
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == [NEW]
        await pilot.press("enter")  # nothing matches: Enter opens the form, creates nothing
        await wait_for(pilot, lambda: screen_name(app) == "EntityForm", "the new speaker form")
        assert not speakers_file(project).exists()
        form = app.screen
        assert form.query_one("#name").value == "Jeremy Hunt"
        await pilot.press("tab", "right", "tab", *"Hunt, Mr Hunt", "enter")
        await wait_for(pilot, lambda: screen_name(app) == "LabelPicker", "back in the picker")
        assert saved(project)[3]["speakers"] == ["jeremy-hunt"]
        created = yaml.safe_load(speakers_file(project).read_text(encoding="utf-8"))
        assert created == {"version": 1, "speakers": [
            {"id": "jeremy-hunt", "name": "Jeremy Hunt", "kind": "organisation",
             "aliases": ["Hunt", "Mr Hunt"]}]}
        assert project.labels_path.read_bytes() == labels  # the shared file is untouched
        await pilot.press("escape")
        await wait_for(pilot, lambda: "@Jeremy Hunt" in screen_text(app), "the new speaker")
        await pilot.press("u")  # one command: tag and speaker go together
        assert 2 not in saved(project)
        assert not speakers_file(project).exists()
        await pilot.press("ctrl+r")
        assert saved(project)[3]["speakers"] == ["jeremy-hunt"]
        assert yaml.safe_load(speakers_file(project).read_text(encoding="utf-8")) == created


async def test_cancelling_the_form_creates_nothing(project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "j", "s", *"jf", "enter")
        await wait_for(pilot, lambda: screen_name(app) == "EntityForm", "the form")
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen_name(app) == "LabelPicker", "back in the picker")
        await pilot.press("escape")
    assert saved(project) == {} and not speakers_file(project).exists()


async def test_a_speaker_another_editor_created_is_offered_without_restart(
        project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "j", "s", "escape")
        other = speakers_file(project, "bob")
        other.parent.mkdir(parents=True, exist_ok=True)
        other.write_text("version: 1\nspeakers:\n- id: jane-doe\n  name: Jane Doe\n"
                         "  kind: person\n", encoding="utf-8")
        await pilot.press("s", *"jane")
        options = app.screen.query_one("OptionList")
        assert options.get_option_at_index(0).id == "jane-doe"
        await pilot.press("enter", "escape")
        assert saved(project)[3]["speakers"] == ["jane-doe"]
