"""`annotator review --dispute LAYER[:A,B]`: review opens on exactly the disputes agree lists."""

from __future__ import annotations

from annotator.cli import main
from annotator.core.project import Project
from annotator.core.review import ReviewSession
from annotator.tui.review.app import ReviewApp
from tests.test_review import tag, tag_plan
from tests.test_tui_support import notifications, wait_for


def test_the_filter_picks_the_named_sides(project: Project) -> None:
    article_id = tag_plan(project)  # 2: fact vs opinion; 4: opinion vs warning
    review = ReviewSession(project)
    review.open_article(article_id)
    review.set_dispute_filter("claim:fact,opinion")
    assert [i for i in range(6) if review.is_open_dispute(i)] == [2]
    review.set_dispute_filter("claim:warning,opinion")
    assert [i for i in range(6) if review.is_open_dispute(i)] == [4]
    review.set_dispute_filter("speakers:(none),kremlin")
    assert [i for i in range(6) if review.is_open_dispute(i)] == []  # lavrov+kremlin ≠ none
    review.set_dispute_filter("topics")
    assert [i for i in range(6) if review.is_open_dispute(i)] == [2]
    review.close()


async def test_review_walks_only_the_filtered_disputes_across_articles(project: Project) -> None:
    first = tag_plan(project)
    second = project.corpus.ids()[1]
    tag(project, "alice", second, {1: ("fact", (), ())})
    tag(project, "bob", second, {1: ("opinion", (), ())})
    review = ReviewSession(project)
    review.set_dispute_filter("claim:fact,opinion")
    app = ReviewApp(review)
    async with app.run_test(size=(100, 30)) as pilot:
        assert any("claim: fact vs opinion" in n for n in notifications(app))
        await pilot.press("space")
        assert (review.article.id, review.cursor) == (first, 2)
        await pilot.press("1", "space")  # settled; the opinion-vs-warning one is skipped
        assert (review.article.id, review.cursor) == (second, 1)
        await pilot.press("2", "space")
        await wait_for(pilot, lambda: any("settled" in n for n in notifications(app)),
                       "the end of the filtered disputes")
        await pilot.press("q")


def test_bad_dispute_filters_are_refused(project: Project, capsys) -> None:
    tag_plan(project)
    for spec, words in (("mood", "no layer 'mood'"), ("claim:fact", "name two labels"),
                        ("claim:fact,rumour", "'rumour' is not a claim label")):
        code = main(["--project", str(project.root), "review", "--dispute", spec])
        err = capsys.readouterr().err
        assert code == 2 and words in err, (spec, err)
    assert not (project.annotations_dir / "gold").exists()
