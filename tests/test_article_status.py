"""Article status: an annotator's "done" (untagged = nothing to tag), a reviewer's
verdict (accepted / needs changes + comment), and what each changes where people look."""

from __future__ import annotations

import json

import pytest
import yaml

from annotator.cli import main
from annotator.core.article_status import (
    NEEDS_CHANGES,
    StatusFileError,
    Verdict,
    mark_done,
    read_status,
    set_verdict,
    status_path,
)
from annotator.core.project import Project
from annotator.core.review import DISPUTED, ReviewSession
from annotator.core.stats import compute_stats
from annotator.tui.review.app import make_review_app
from tests.test_review import tag
from tests.test_review_tui import panel_text
from tests.test_tui_support import ANNOTATOR, app_for, notifications, screen_text, wait_for

NONSENSE = "version: 1\ndone: [a-1]\nreview:\n  a-1: {status: maybe}\n"


def _two(project: Project) -> str:
    """alice names a speaker on sentence 3; bob tags sentence 4 only."""
    article_id = project.corpus.ids()[0]
    tag(project, "alice", article_id, {2: {"speakers": ("pompeo",)}, 3: ("fact", (), ())})
    tag(project, "bob", article_id, {3: ("fact", (), ())})
    return article_id


def test_done_turns_untagged_into_a_value_for_agreement(project: Project, capsys) -> None:
    article_id = _two(project)
    assert main(["--project", str(project.root), "agree", "--format", "json"]) == 0
    before = json.loads(capsys.readouterr().out)
    assert before["speakers"]["exact_match"]["units"] == 1  # only sentence 4 is shared
    mark_done(project.annotations_dir, "bob", article_id)
    assert main(["--project", str(project.root), "agree", "--format", "json"]) == 0
    after = json.loads(capsys.readouterr().out)
    # bob's untagged sentences (all but the importer's dateline) are now "no speaker"
    assert after["nothing_to_tag"] == {"bob": 4}
    assert after["speakers"]["exact_match"]["units"] == 2
    assert after["speakers"]["exact_match"]["value"] == 0.5
    assert ["(none)", "pompeo", 1] in after["speakers"]["disagreements"] or \
        ["pompeo", "(none)", 1] in after["speakers"]["disagreements"]


def test_done_turns_untagged_into_a_dispute_in_review(project: Project) -> None:
    article_id = _two(project)
    review = ReviewSession(project)
    review.open_article(article_id)
    assert review.status(2) != DISPUTED
    review.close()
    mark_done(project.annotations_dir, "bob", article_id)
    review = ReviewSession(project)
    review.open_article(article_id)
    assert review.status(2) == DISPUTED and review.comparison(2).nothing == ("bob",)
    assert review.article_summary(project.corpus.ids()[1]).disputed == 0
    assert ReviewSession(project).all_summaries()[article_id] == review.summary()
    assert "nothing to tag" in review.take(2, index=2).message  # gold can side with bob
    assert review.is_settled(2)
    review.close()


def test_stats_counts_decisions_and_done_articles_not_importer_marks(project: Project) -> None:
    article_id = _two(project)
    rows = {row.annotator: row for row in compute_stats(project).progress}
    assert rows["alice"].tagged == 2 and rows["bob"].tagged == 1
    mark_done(project.annotations_dir, "bob", article_id)
    rows = {row.annotator: row for row in compute_stats(project).progress}
    count = project.corpus.entry(article_id).sentence_count
    assert rows["bob"].tagged == count and rows["bob"].articles_done == 1


def test_nonsense_status_file_is_refused_with_its_line(project: Project, capsys) -> None:
    _two(project)
    path = status_path(project.annotations_dir, "gold")
    path.parent.mkdir(parents=True)
    path.write_text(NONSENSE, encoding="utf-8")
    with pytest.raises(StatusFileError, match=r"_status.yaml:4: review: a-1: status must be"):
        read_status(path)
    with pytest.raises(StatusFileError):
        set_verdict(project.annotations_dir, "gold", "a-1", Verdict(NEEDS_CHANGES, "x"))
    assert path.read_text(encoding="utf-8") == NONSENSE  # nothing written
    code = main(["--project", str(project.root), "review"])
    err = capsys.readouterr().err
    assert code == 2 and "_status.yaml:4" in err and "status must be one of" in err
    assert main(["--project", str(project.root), "stats"]) == 1
    assert "_status.yaml:4" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == NONSENSE


async def test_the_editor_asks_before_marking_done_with_sentences_unread(
        project: Project) -> None:
    app = app_for(project)
    article_id = project.corpus.ids()[0]
    path = status_path(project.annotations_dir, ANNOTATOR)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f", "ctrl+d")
        await wait_for(pilot, lambda: any("not read yet" in n for n in notifications(app)),
                       "the question")
        assert not path.exists()
        await pilot.press("ctrl+d")  # again: done anyway
        assert read_status(path).done == {article_id}
        assert "done" in screen_text(app)  # the article's row says so
        await pilot.press("ctrl+d")  # on a done article: the mark is taken back
        assert read_status(path).done == set()
        await pilot.press("G", "ctrl+d")  # the last sentence reached: nothing unread
        assert read_status(path).done == {article_id}
        await pilot.press("q")


async def test_a_verdict_goes_from_review_to_the_annotators_list(project: Project) -> None:
    article_id = _two(project)
    app = make_review_app(project)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("A")
        assert "Article accepted" in panel_text(app)
        assert read_status(status_path(project.annotations_dir, "gold")).review[
            article_id] == Verdict("accepted")
        await pilot.press("R")
        await pilot.press(*"name the speaker in sentence 3", "enter")
        await pilot.pause()
        assert read_status(status_path(project.annotations_dir, "gold")).review[
            article_id] == Verdict(NEEDS_CHANGES, "name the speaker in sentence 3")
        await pilot.press("q")
    data = yaml.safe_load(status_path(project.annotations_dir, "gold").read_text())
    assert data["review"][article_id]["status"] == "needs changes"

    app = app_for(project)  # an annotator's editor
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: any("name the speaker in sentence 3" in n
                                          for n in notifications(app)), "the comment")
        await pilot.press("a", "j", "k")  # the list, highlighting the article
        await wait_for(pilot, lambda: "needs changes" in screen_text(app), "the row")
        assert "name the speaker" in screen_text(app)  # the list's subtitle
        await pilot.press("escape", "q")


async def test_a_verdict_over_a_broken_status_file_is_refused_in_the_screen(
        project: Project) -> None:
    _two(project)
    path = status_path(project.annotations_dir, "gold")
    path.parent.mkdir(parents=True)
    path.write_text(NONSENSE, encoding="utf-8")
    app = make_review_app(project)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("A")
        await wait_for(pilot, lambda: any("status must be" in n for n in notifications(app)),
                       "the refusal")
        await pilot.press("q")
    assert path.read_text(encoding="utf-8") == NONSENSE
