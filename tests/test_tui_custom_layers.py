"""Layers the code has never heard of work in the editor as declared in labels.yaml.

A project adds `stance` (single) and `quote` (multi) to the bundled three, or declares a
`sentiment` layer of its own: its picker key, quick keys, chips, help and palette all
follow the file, and every key press ends as YAML on disk.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from annotator.core.project import Project
from tests.factories import LAYERED_LABELS, make_project
from tests.test_tui_support import app_for, doc_path, saved, screen_text, wait_for

SENTIMENT_LABELS = """\
version: 2
layers:
  - id: sentiment
    title: Sentiment
    kind: multi
    key: m
    colour: bright_red
    labels:
      - {id: hopeful, name: Hopeful, key: "8"}
      - {id: hostile, name: Hostile, key: "9"}
      - {id: wary, name: Wary}
"""


def disk_text(project: Project) -> str:
    return doc_path(project).read_text(encoding="utf-8")


def entry_text(project: Project, index: int) -> str:
    """The YAML lines of one sentence entry, as written."""
    data = yaml.safe_load(disk_text(project))
    assert data["version"] == 2
    lines = disk_text(project).splitlines()
    start = lines.index(f"- index: {index}")
    end = next((n for n in range(start + 1, len(lines)) if lines[n].startswith("- ")),
               len(lines))
    return "\n".join(lines[start:end])


async def picker_open(pilot, app, title: str) -> None:  # type: ignore[no-untyped-def]
    await wait_for(pilot, lambda: app.screen.__class__.__name__ == "LabelPicker"
                   and app.screen.tag_layer.title == title, f"the {title} picker")


async def test_quick_keys_picker_and_undo_of_declared_layers(tmp_path: Path) -> None:
    project = make_project(tmp_path / "layered", labels=LAYERED_LABELS)
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        key_bar = str(app.screen.query_one("KeyBar").render())
        for item in ("s Speakers", "c Claim", "v Stance", "Q Quote type", "t Topics",
                     "? Help", "q Quit"):  # at 80 columns every layer's picker stays
            assert item in key_bar
        await pilot.press("j", "j", "+", "1", "2")
        entry = entry_text(project, 2)
        assert "  stance: for" in entry and "  quote: [direct, indirect]" in entry
        assert saved(project)[2]["stance"] == "for"  # a single layer is one id, not a list
        assert saved(project)[2]["quote"] == ["direct", "indirect"]
        await wait_for(pilot, lambda: "For #Direct #Indirect" in screen_text(app),
                       "the chips of both layers, in labels.yaml order")

        await pilot.press("v")  # the stance picker: a single layer, so choosing closes it
        await picker_open(pilot, app, "Stance")
        assert "Stance for sentence 3" in screen_text(app)
        await pilot.press(*"agai", "enter")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "AnnotateScreen",
                       "the picker to close")
        assert "  stance: against" in entry_text(project, 2)
        assert saved(project)[2]["quote"] == ["direct", "indirect"]

        await pilot.press("u")
        assert "  stance: for" in entry_text(project, 2)
        await pilot.press("u")
        assert saved(project)[2] == {**saved(project)[2], "quote": ["direct"]}
        await pilot.press("-", "-")  # a single layer's quick key again clears it
        assert "stance" not in saved(project)[2]


async def test_multi_layer_picker_toggles_several_and_stays_open(tmp_path: Path) -> None:
    project = make_project(tmp_path / "layered", labels=LAYERED_LABELS)
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("Q")
        await picker_open(pilot, app, "Quote type")
        await pilot.press(*"part", "enter")
        await pilot.press("ctrl+a", "ctrl+k", *"dir", "enter")
        assert saved(project)[0]["quote"] == ["partial", "direct"]
        assert app.screen.__class__.__name__ == "LabelPicker"
        await pilot.press("escape")
        await wait_for(pilot, lambda: "#Partial #Direct" in screen_text(app), "the chips")


async def test_help_status_and_palette_list_every_layer(tmp_path: Path) -> None:
    project = make_project(tmp_path / "layered", labels=LAYERED_LABELS)
    app = app_for(project)
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("=", "3")
        summary = str(app.screen.query_one("#tags").render())
        assert "Neutral · #Partial" in summary
        texts = [entry.text for entry in app.screen.palette_entries()]
        assert {"Stance…", "Quote type…", "Tag stance: Against",
                "Toggle quote type: Indirect"} <= set(texts)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen", "help")
        text = str(app.screen.query_one("#help-text").render())
        assert "Stance" in text and "Quote type" in text
        rows = [line.split() for line in text.splitlines()]
        assert ["v", "Stance…"] in rows and ["Q", "Quote", "type…"] in rows
        assert "Stance keys (again: clear)" in text and "Quote type keys" in text
        assert ["+", "For"] in rows and ["3", "Partial"] in rows


async def test_a_layer_no_code_has_ever_seen(tmp_path: Path) -> None:
    project = make_project(tmp_path / "sentiment", labels=SENTIMENT_LABELS)
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "9")  # a quick key
        assert saved(project)[2]["sentiment"] == ["hostile"]
        await pilot.press("m")  # its picker
        await picker_open(pilot, app, "Sentiment")
        await pilot.press(*"wary", "enter", "escape")
        assert saved(project)[2]["sentiment"] == ["hostile", "wary"]
        assert "  sentiment: [hostile, wary]" in entry_text(project, 2)
        await wait_for(pilot, lambda: "#Hostile #Wary" in screen_text(app), "the chips")
        await pilot.press("u")
        assert saved(project)[2]["sentiment"] == ["hostile"]
        key_bar = str(app.screen.query_one("KeyBar").render())
        assert "m Sentiment" in key_bar
