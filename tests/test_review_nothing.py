"""Gold can side with "nothing to tag": taking it from an annotator who marked the article
done is recorded in the gold file (with provenance), counts as settled and as coverage,
is left out of `export --gold`, and undoes like any take."""

from __future__ import annotations

import json

import pytest
import yaml

from annotator.cli import main
from annotator.core.article_status import mark_done
from annotator.core.errors import StoreError
from annotator.core.project import Project
from annotator.core.review import DISPUTED, ReviewSession
from annotator.tui.review.app import make_review_app
from tests.test_review import gold_on_disk, tag
from tests.test_review_tui import panel_text
from tests.test_tui_support import wait_for


def _disputed(project: Project) -> str:
    """alice names a speaker on sentence 3; bob marked the article done, leaving it."""
    article_id = project.corpus.ids()[0]
    tag(project, "alice", article_id, {2: {"speakers": ("pompeo",)}, 3: ("fact", (), ())})
    tag(project, "bob", article_id, {3: ("fact", (), ())})
    mark_done(project.annotations_dir, "bob", article_id)
    return article_id


def _header(project: Project, article_id: str) -> dict:
    path = project.store.path("gold", article_id)
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_taking_nothing_to_tag_settles_records_and_undoes(project: Project) -> None:
    article_id = _disputed(project)
    review = ReviewSession(project)
    review.open_article(article_id)
    review.goto(2)
    assert review.status(2) == DISPUTED and not review.is_settled(2)
    before = review.summary()
    outcome = review.take(2)  # bob: nothing to tag
    assert not outcome.warning and "nothing to tag" in outcome.message
    assert _header(project, article_id)["nothing_to_tag"] == {
        2: {"agrees_with": ["bob"], "overrules": ["alice"]}}
    assert gold_on_disk(project, article_id) == {}  # no entry: no label to export
    assert review.is_settled(2)
    assert review.summary().settled == before.settled + 1
    assert review.summary().gold == before.gold + 1
    # A fresh review reads the decision back, in the list's counts and when opened.
    fresh = ReviewSession(project, read_only=True)
    assert fresh.all_summaries()[article_id] == review.summary()
    fresh.open_article(article_id)
    assert fresh.is_settled(2) and fresh.gold_tags(2).agrees_with == ("bob",)
    fresh.close()
    review.undo()
    assert "nothing_to_tag" not in _header(project, article_id)
    assert not review.is_settled(2) and review.summary() == before
    review.redo()
    assert 2 in _header(project, article_id)["nothing_to_tag"]
    review.take(1)  # alice's speaker after all: the record goes, an entry comes
    assert "nothing_to_tag" not in _header(project, article_id)
    saved = gold_on_disk(project, article_id)[2]
    assert saved.get("speakers") == ("pompeo",) and saved.overrules == ("bob",)
    review.close()


def test_a_note_on_nothing_to_tag_keeps_the_decision(project: Project) -> None:
    article_id = _disputed(project)
    review = ReviewSession(project)
    review.open_article(article_id)
    review.goto(2)
    review.take(2)
    review.gold.set_note("quoted, not said")
    assert review.is_settled(2)
    assert _header(project, article_id)["nothing_to_tag"][2]["agrees_with"] == ["bob"]
    assert gold_on_disk(project, article_id)[2].note == "quoted, not said"
    review.gold.clear()  # x: no decision at all
    assert not review.is_settled(2) and not project.store.path("gold", article_id).exists() \
        or "nothing_to_tag" not in _header(project, article_id)
    review.close()


def test_one_layer_from_nothing_to_tag_is_held_then_settles(project: Project) -> None:
    article_id = project.corpus.ids()[0]
    tag(project, "alice", article_id, {2: {"speakers": ("pompeo",), "claim": ("fact",)}})
    tag(project, "bob", article_id, {3: ("fact", (), ())})
    mark_done(project.annotations_dir, "bob", article_id)
    review = ReviewSession(project)
    review.open_article(article_id)
    review.goto(2)
    assert review.take(2, "speakers").warning  # claim still open: held, nothing written
    assert not review.is_settled(2)
    review.take(2, "claim")
    assert review.is_settled(2)
    assert 2 in _header(project, article_id)["nothing_to_tag"]
    review.close()


def test_majority_of_nothing_to_tag_settles(project: Project) -> None:
    article_id = project.corpus.ids()[0]
    tag(project, "alice", article_id, {2: {"speakers": ("pompeo",)}})
    for name in ("bob", "carol"):
        tag(project, name, article_id, {3: ("fact", (), ())})
        mark_done(project.annotations_dir, name, article_id)
    review = ReviewSession(project, annotators=["alice", "bob", "carol"])
    review.open_article(article_id)
    review.goto(2)
    assert review.take_majority().message == "Majority taken"
    assert _header(project, article_id)["nothing_to_tag"][2] == {
        "agrees_with": ["bob", "carol"], "overrules": ["alice"]}
    review.close()


def test_export_gold_leaves_nothing_to_tag_out(project: Project, capsys) -> None:
    article_id = _disputed(project)
    review = ReviewSession(project)
    review.open_article(article_id)
    review.goto(3)
    review.take(1)  # agreed fact: a record
    review.goto(2)
    review.take(2)  # nothing to tag: no record
    review.close()
    assert main(["--project", str(project.root), "export", "--gold"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["article"], r["sentence"]) for r in records] == [(article_id, 3)]


def test_nonsense_record_is_reported_and_kept(project: Project) -> None:
    article_id = _disputed(project)
    review = ReviewSession(project)
    review.open_article(article_id)
    review.goto(3)
    review.take(1)
    review.close()
    path = project.store.path("gold", article_id)
    text = path.read_text(encoding="utf-8").replace(
        "count:", "nothing_to_tag: {2: maybe, 99: {agrees_with: [bob]}}\ncount:")
    path.write_text(text, encoding="utf-8")
    review = ReviewSession(project)
    review.open_article(article_id)
    notes = "\n".join(review.notices)
    assert "nothing_to_tag: sentence 2" in notes and "99" in notes
    assert not review.is_settled(2)
    review.close()
    assert path.read_text(encoding="utf-8") == text


async def test_key_press_in_review_writes_nothing_to_tag(project: Project) -> None:
    article_id = _disputed(project)
    app = make_review_app(project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")  # the one dispute: sentence 3
        assert app.screen.review.cursor == 2
        await pilot.press("2")
        await wait_for(pilot, lambda: app.screen.review.is_settled(2), "the take")
        assert "settled · nothing to tag" in panel_text(app)
        assert _header(project, article_id)["nothing_to_tag"] == {
            2: {"agrees_with": ["bob"], "overrules": ["alice"]}}
        await pilot.press("u")
        await wait_for(pilot, lambda: not app.screen.review.is_settled(2), "the undo")
        assert "nothing_to_tag" not in _header(project, article_id)


def test_validate_and_stats_accept_a_gold_file_with_nothing_to_tag(project: Project,
                                                                    capsys) -> None:
    article_id = _disputed(project)
    review = ReviewSession(project)
    review.open_article(article_id)
    review.goto(2)
    review.take(2)
    review.close()
    assert main(["--project", str(project.root), "validate"]) == 0
    assert main(["--project", str(project.root), "stats"]) == 0
    capsys.readouterr()


def test_a_pull_into_the_gold_file_keeps_both_sides_decisions(project: Project) -> None:
    article_id = _disputed(project)
    review = ReviewSession(project)
    review.open_article(article_id)
    review.goto(2)
    review.take(2)
    path = project.store.path("gold", article_id)
    pulled = path.read_text(encoding="utf-8").replace(
        "    overrules: [alice]\n", "    overrules: [alice]\n  4:\n    agrees_with: [bob]\n")
    assert "  4:" in pulled
    path.write_text(pulled, encoding="utf-8")  # as a git pull would
    review.goto(3)
    review.take(1)
    assert project.store.external_changes  # merged, and said so
    header = _header(project, article_id)
    assert sorted(header["nothing_to_tag"]) == [2, 4]
    assert [s["index"] for s in header["sentences"]] == [3]
    assert review.is_settled(4)
    review.close()


def test_agree_leaves_out_a_gold_folder_of_nothing_to_tag_only(project: Project,
                                                                capsys) -> None:
    article_id = _disputed(project)
    review = ReviewSession(project)
    review.open_article(article_id)
    review.goto(2)
    review.take(2)
    review.close()
    assert main(["--project", str(project.root), "agree", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["annotators"] == ["alice", "bob"] and "gold" in result["excluded"]


def test_a_header_that_is_not_a_mapping_refuses_new_decisions(project: Project) -> None:
    article_id = _disputed(project)
    review = ReviewSession(project)
    review.open_article(article_id)
    review.goto(3)
    review.take(1)
    review.close()
    path = project.store.path("gold", article_id)
    text = path.read_text(encoding="utf-8").replace("count:", "nothing_to_tag: maybe\ncount:")
    path.write_text(text, encoding="utf-8")
    review = ReviewSession(project)
    review.open_article(article_id)
    assert any("expected a mapping" in n for n in review.notices)
    review.goto(2)
    with pytest.raises(StoreError, match=r"nothing_to_tag: not a mapping"):
        review.take(2)
    assert not review.is_settled(2)
    review.close()
    assert path.read_text(encoding="utf-8") == text
