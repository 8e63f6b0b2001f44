"""Honest gold: a sentence reaches gold only with every layer decided; coverage is shown;
single-annotator sentences have a bulk path that records where they came from."""

from __future__ import annotations

import yaml

from annotator.core.project import Project
from annotator.core.review import ReviewSession
from annotator.tui.review.app import make_review_app
from tests.test_review import gold_on_disk, tag_plan
from tests.test_review_tui import panel_text
from tests.test_tui_support import notifications, wait_for


def _open(project: Project) -> ReviewSession:
    article_id = tag_plan(project)
    review = ReviewSession(project)
    review.open_article(article_id)
    return review


def test_one_layer_of_a_sentence_with_two_disputed_layers_is_held(project: Project) -> None:
    review = _open(project)
    review.goto(2)  # claim and topics disputed, speakers agreed (pompeo)
    outcome = review.take(2, "claim")
    assert outcome.warning and "topics still open" in outcome.message
    assert gold_on_disk(project, review.article.id) == {}  # nothing half-decided on disk
    assert not review.is_settled(2) and review.open_layers(2) == ("topics",)
    assert review.gold_tags(2).layers == {"speakers": ("pompeo",), "claim": ("opinion",)}
    assert review.summary().settled == 0 and review.summary().gold == 0
    outcome = review.take(3, "topics")
    assert not outcome.warning
    saved = gold_on_disk(project, review.article.id)[2]
    assert saved.layers == {"speakers": ("pompeo",), "claim": ("opinion",),
                            "topics": ("elections", "sanctions")}
    assert review.is_settled(2) and review.summary().settled == 1
    review.undo()  # one step: the decision is gone as a whole
    assert gold_on_disk(project, review.article.id) == {}
    review.close()


def test_a_hand_edit_is_held_too_and_clear_drops_it(project: Project) -> None:
    review = _open(project)
    review.goto(2)
    review.gold.toggle_label("claim", "warning")  # by hand: claim decided, topics open
    assert gold_on_disk(project, review.article.id) == {}
    assert review.open_layers(2) == ("topics",)
    review.gold.clear()
    assert review.held == {} and review.gold_tags(2).is_empty
    review.gold.toggle_label("claim", "warning")
    review.take(1, "topics")
    saved = gold_on_disk(project, review.article.id)[2]
    assert saved.first("claim") == "warning" and saved.overrules == ("alice", "bob", "carol")
    review.close()


def test_take_singles_records_the_source_and_undoes_as_one_step(project: Project) -> None:
    review = _open(project)
    outcome = review.take_singles()
    assert outcome.message == "Took 1 single-annotator sentence(s) (carol 1)"
    path = project.store.path("gold", review.article.id)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["single"] == {5: "carol"}
    assert gold_on_disk(project, review.article.id)[5].agrees_with == ("carol",)
    assert review.summary().gold == 1 and review.summary().tagged == 4
    assert review.take_singles().edits == []  # already in gold: nothing more to take
    review.undo()
    assert not path.exists() or "single" not in path.read_text(encoding="utf-8")
    assert gold_on_disk(project, review.article.id) == {}
    review.redo()
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["single"] == {5: "carol"}
    review.goto(5)
    review.gold.toggle_label("claim", "opinion")  # gold no longer is carol's word
    assert "single" not in path.read_text(encoding="utf-8")
    review.close()


def test_all_settled_message_shows_what_gold_covers(project: Project) -> None:
    review = _open(project)
    review.goto(2)
    review.take(1)
    review.goto(4)
    review.take(2)
    assert review.next_unsettled_article() is None
    message = review.all_settled_message()
    assert message.startswith("Every dispute in the project is settled; gold 2/4 tagged")
    assert "2 not in gold yet" in message
    review.settle_article()
    review.take_singles()
    assert review.all_settled_message().endswith("gold 4/4 tagged sentences: gold is complete.")
    review.close()


async def test_coverage_in_status_line_list_and_message(project: Project) -> None:
    article_id = tag_plan(project)
    app = make_review_app(project)
    async with app.run_test(size=(120, 30)) as pilot:
        status = app.screen.query_one("#status")
        articles = app.screen.query_one("#articles")
        assert "gold 0/4" in str(status.render())
        await wait_for(pilot, lambda: "gold 0/4" in str(articles.border_title),
                       "the list title with the coverage")
        await pilot.press("O")  # carol's single sentence
        assert gold_on_disk(project, article_id)[5].agrees_with == ("carol",)
        assert "gold 1/4" in str(status.render())
        assert "gold 1/4" in str(articles.border_title)
        await pilot.press("g", "space", "1", "space", "C", "1")  # 2: alice; 4: claim only
        assert "Not in gold yet · open: speakers (S)" in panel_text(app)
        assert "gold 2/4" in str(status.render())
        await pilot.press("S", "1", "space")
        await wait_for(pilot, lambda: any("settled; gold 3/4" in n for n in notifications(app)),
                       "the all-settled message with the coverage")
        await pilot.press("q")
