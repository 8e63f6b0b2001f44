"""The review screen driven like a user: keys in, gold YAML on disk out."""

from __future__ import annotations

import re

from annotator.core.annotation_file import read_doc
from annotator.core.project import Project
from annotator.core.tags import SentenceTags
from annotator.tui.review.app import make_review_app
from annotator.tui.review.comparison import ComparisonPanel
from tests.test_review import snapshot, tag_plan


def gold(project: Project, article_id: str) -> dict[int, SentenceTags]:
    path = project.store.path("gold", article_id)
    return read_doc(path).tags if path.exists() else {}


def panel_text(app) -> str:
    """What the panel shows, as words (wrapping differs with the width)."""
    panel = app.screen.query_one(ComparisonPanel)
    return " ".join(" ".join(panel.plain_lines).split())


async def test_settle_disputes_with_keys_then_reopen(project: Project) -> None:
    article_id = tag_plan(project)
    app = make_review_app(project)
    async with app.run_test(size=(80, 24)) as pilot:
        review = app.review
        assert review.article.id == article_id and review.cursor == 0
        await pilot.press("space")  # next unsettled dispute
        assert review.cursor == 2
        assert "disputed (claim, topics)" in panel_text(app)
        await pilot.press("2")  # take bob's tags
        on_disk = gold(project, article_id)[2]
        assert on_disk.first("claim") == "opinion"
        assert (on_disk.agrees_with, on_disk.overrules) == (("bob",), ("alice", "carol"))
        await pilot.press("m")  # majority: fact (alice, carol), topics {elections}
        on_disk = gold(project, article_id)[2]
        assert on_disk.first("claim") == "fact" and on_disk.get("topics") == ("elections",)
        assert on_disk.agrees_with == ("alice",)
        await pilot.press("T", "3")  # carol's topics only
        assert gold(project, article_id)[2].get("topics") == ("elections", "sanctions")
        assert gold(project, article_id)[2].first("claim") == "fact"
        await pilot.press("w")  # claim quick key from labels.yaml, edits gold by hand
        assert gold(project, article_id)[2].first("claim") == "warning"
        assert gold(project, article_id)[2].overrules == ("alice", "bob", "carol")
        await pilot.press("u")
        assert gold(project, article_id)[2].first("claim") == "fact"
        await pilot.press("ctrl+r")
        assert gold(project, article_id)[2].first("claim") == "warning"
        await pilot.press("space")  # on to sentence 5: the three-way tie
        assert review.cursor == 4
        await pilot.press("m")
        assert "claim tied: opinion (alice) vs warning (bob)" in panel_text(app)
        assert 4 not in gold(project, article_id)  # a tie is left to the reviewer
        await pilot.press("C", "1", "m")  # alice's claim; the speakers are tied too
        assert 4 not in gold(project, article_id)
        assert "speakers tied" in panel_text(app)
        await pilot.press("S", "2")  # bob's speakers: now every layer is decided
        assert gold(project, article_id)[4].first("claim") == "opinion"
        assert gold(project, article_id)[4].get("topics") == ("diplomacy",)
        assert set(gold(project, article_id)[4].get("speakers")) == {"kremlin", "lavrov"}
        await pilot.press("q")
    assert not (project.annotations_dir / "gold" / f".{article_id}.lock").exists()

    app = make_review_app(project)
    async with app.run_test(size=(80, 24)) as pilot:
        review = app.review
        assert review.cursor == 4  # where the reviewer left off
        await pilot.press("k", "k")
        assert review.cursor == 2
        text = panel_text(app)
        assert "settled" in text and "overrules: alice, bob, carol" in text
        assert review.summary().settled == 2


async def test_edit_by_hand_with_the_picker_and_a_note(project: Project) -> None:
    article_id = tag_plan(project)
    app = make_review_app(project)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n", "n")  # second dispute: sentence 5
        assert app.review.cursor == 4
        await pilot.press("s")
        await pilot.press(*"kreml", "enter", "escape")  # toggle the Kremlin on
        assert 4 not in gold(project, article_id)  # the claim is still open: held
        assert "Not in gold yet · open: claim (C)" in panel_text(app)
        assert "@Kremlin" in panel_text(app) or "Kremlin" in panel_text(app)
        await pilot.press("C", "1")
        # (The picker may open with the speakers the sentence mentions ticked: Lavrov.)
        assert "kremlin" in gold(project, article_id)[4].get("speakers")
        assert gold(project, article_id)[4].layers["topics"] == ("diplomacy",)  # agreed
        assert gold(project, article_id)[4].overrules == ("alice", "bob")
        await pilot.press("e")
        await pilot.press(*"tie: ask the lead", "enter")
        assert gold(project, article_id)[4].note == "tie: ask the lead"
        assert "1/2" in str(app.screen.query_one("#status").render())  # settled/disputes


async def test_settle_article_and_undo_as_one_step(project: Project) -> None:
    article_id = tag_plan(project)
    app = make_review_app(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("M")
        assert sorted(gold(project, article_id)) == [2, 3]
        assert "1 tied" in panel_text(app)
        await pilot.press("u")
        assert gold(project, article_id) == {}


async def test_read_only_review_writes_nothing(project: Project) -> None:
    article_id = tag_plan(project)
    before = snapshot(project.annotations_dir)
    app = make_review_app(project, annotators=["bob"])
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.review.read_only
        await pilot.press("j", "j", "1", "m", "M", "C", "1", "f", "x", "u", "s")
        assert len(app.screen_stack) == 1  # no picker opened
        assert "read-only" in panel_text(app)
        await pilot.press("q")
    assert snapshot(project.annotations_dir) == before
    assert article_id in {p.stem for p in (project.annotations_dir / "bob").iterdir()}


async def test_mouse_help_and_palette(project: Project) -> None:
    tag_plan(project)
    app = make_review_app(project)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.screen.query_one("ReviewSentenceView")
        await pilot.click(view, offset=(10, view.sentence_lines(3)[0] - round(view.scroll_y)))
        assert app.review.cursor == 3
        assert "all 3 agree" in panel_text(app)
        await pilot.press("question_mark")
        help_text = str(app.screen.query_one("#help-text").render())
        assert "Take annotator N's tags" in help_text
        assert re.search(r"\n3 +carol", help_text)  # the key column's width follows the keys
        assert "Shadowed in review" in help_text and "topics: Elections" in help_text
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.press(*"take carol's claim")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert gold(project, app.review.article.id)[3].first("claim") == "fact"


async def test_unknown_label_is_marked_in_the_panel(project: Project) -> None:
    article_id = tag_plan(project)
    path = project.store.path("bob", article_id)
    path.write_text(path.read_text().replace("claim: opinion", "claim: rumour"))
    app = make_review_app(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        assert "rumour?" in panel_text(app)
