"""Sentence filters (F, then } and {), the same in the editor and in review."""

from __future__ import annotations

import pytest

from annotator.core.errors import UsageError
from annotator.core.filters import SentenceFilter, editor_view
from annotator.core.project import Project
from annotator.core.review import ReviewSession
from annotator.core.session import AnnotateSession
from annotator.tui.review.app import make_review_app
from tests.test_review import tag, tag_plan
from tests.test_tui_support import app_for, notifications, wait_for


def test_each_filter_in_review(project: Project) -> None:
    article_id = tag_plan(project)
    review = ReviewSession(project)
    review.open_article(article_id)
    view = review.filter_view()
    names = sorted(view.others)

    def found(text: str) -> list[int]:
        return SentenceFilter.parse(text, review.schema, names).indexes(view)

    assert found("disputed") == [2, 4]
    assert found("untagged") == [0, 1, 2, 3, 4, 5]  # nothing in gold yet
    assert found("warning") == [4] and found("claim:Fact") == [2, 3, 5]
    assert found("@carol") == [2, 3, 5]
    review.goto(3)
    review.take(1)
    assert found("untagged") == [0, 1, 2, 4, 5]
    for bad, words in (("@dave", "no annotator 'dave'"), ("mood:x", "no layer 'mood'"),
                       ("rumour", "not a filter")):
        with pytest.raises(UsageError, match=words):
            found(bad)
    review.close()


def test_the_editor_compares_with_the_others(project: Project) -> None:
    article_id = tag_plan(project)
    tag(project, "tester", article_id, {2: ("fact", ("pompeo",), ("elections",)),
                                        3: ("opinion", ("pompeo",), ())})
    session = AnnotateSession(project, "tester")
    session.open_article(article_id)
    view = editor_view(session)
    assert SentenceFilter.parse("disputed", session.schema, []).indexes(view) == [2, 3]
    assert SentenceFilter.parse("untagged", session.schema, []).indexes(view) == [0, 4, 5]
    assert SentenceFilter.parse("@bob", session.schema, ["bob"]).indexes(view) == [2, 3, 4]
    session.close()


async def test_filter_keys_in_the_editor(project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j", "j", "f")  # sentence 3 tagged
        await pilot.press("g", "ctrl+f", *"untagged", "enter")
        await wait_for(pilot, lambda: any("1 of 4: untagged" in n for n in notifications(app)),
                       "the first untagged sentence")
        assert app.screen.session.cursor == 0
        await pilot.press("right_curly_bracket")
        assert app.screen.session.cursor == 3  # 0, (1 is the importer's dateline), 3
        await pilot.press("left_curly_bracket", "left_curly_bracket")
        assert app.screen.session.cursor == 5  # back past 0: wraps to the last
        await pilot.press("q")


async def test_filter_keys_in_review(project: Project) -> None:
    tag_plan(project)
    app = make_review_app(project)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+f", *"@carol", "enter")
        await wait_for(pilot, lambda: any("tagged by carol" in n for n in notifications(app)),
                       "the filter")
        assert app.review.cursor == 2
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        assert app.review.cursor == 5
        await pilot.press("q")
