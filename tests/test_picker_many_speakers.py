"""A labels.yaml with thousands of speakers: the picker draws one page, finds any of them."""

from __future__ import annotations

from annotator.core.project import Project
from annotator.tui.widgets.pickers.label_picker import MAX_OPTIONS, NEW
from tests.test_tui_support import app_for, saved, screen_text, wait_for

SPEAKERS = 3000
ANCHOR = "speakers:\n"


def add_speakers(project: Project) -> None:
    text = project.labels_path.read_text(encoding="utf-8")
    assert ANCHOR in text, "labels.yaml changed: update add_speakers"
    extra = "".join(f"  - id: crowd-{n}\n    name: Crowd Person {n}\n"
                    f"    kind: person\n    aliases: [Crowd {n}]\n"
                    for n in range(SPEAKERS))
    project.labels_path.write_text(text.replace(ANCHOR, ANCHOR + extra, 1), encoding="utf-8")


async def test_a_page_of_matches_is_shown_and_a_full_name_is_found(project: Project) -> None:
    add_speakers(project)
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "j", "s")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "LabelPicker",
                       "the speaker picker")
        options = app.screen.query_one("OptionList")
        assert options.option_count <= MAX_OPTIONS + 1  # a page, and one line counting more
        await pilot.press(*"crowd")
        assert options.option_count <= MAX_OPTIONS + 2
        last = options.get_option_at_index(options.option_count - 2)
        assert last.disabled and f"{SPEAKERS - MAX_OPTIONS:,} more" in str(last.prompt)
        await pilot.press(*" person 2999")
        assert options.get_option_at_index(0).id == "crowd-2999"
        await pilot.press("enter")
        assert saved(project)[3]["speakers"] == ["crowd-2999"]
        await pilot.press(*"crowd 17")  # an alias, in full: first, though 170... start alike
        shown = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert shown[0] == "crowd-17" and NEW not in shown
        assert "more: keep typing" not in screen_text(app)
