"""The user's work and terminal are safe: locks, broken files, failed saves, hostile text."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.project import Project
from annotator.core.session import AnnotateSession
from tests.factories import ARTICLE_A, make_project
from tests.test_tui_support import (
    ANNOTATOR,
    app_for,
    doc_path,
    first_id,
    notifications,
    saved,
    screen_text,
    wait_for,
)


async def test_second_session_on_the_same_article_is_refused(project: Project) -> None:
    other = AnnotateSession(project, ANNOTATOR)
    other.open_article(first_id(project))  # holds the lock, as another window would
    try:
        app = app_for(project)
        async with app.run_test(size=(80, 24)) as pilot:
            session = app.screen.session
            assert session.article is None
            assert any("already has this article open" in n for n in notifications(app))
            await wait_for(pilot, lambda: "open in another session" in screen_text(app),
                           "the explanation in place of the text")
            assert app.screen.articles.has_focus  # the list, to pick another article
            await pilot.press("escape", "f", "x", "X")  # no edit can reach the locked article
            assert not doc_path(project).exists()
            assert any("no article is open" in n.lower() for n in notifications(app))
            await pilot.press("a", "j", "enter")  # another article is fine
            assert session.article is not None and session.article.id != first_id(project)
            await pilot.press("f")
            assert saved(project, session.article.id)[0]["claim"] == "fact"
    finally:
        other.close()


BROKEN = "version: 1\nsentences:\n- index: 0\n  claim: [fact\n"


async def test_broken_annotation_file_is_reported_and_never_written(project: Project) -> None:
    path = doc_path(project)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(BROKEN, encoding="utf-8")
    before = path.read_bytes()
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        messages = notifications(app)
        assert any(str(path) in n and "editing this article is off" in n for n in messages)
        await wait_for(pilot, lambda: "READ-ONLY" in screen_text(app), "the read-only flag")
        await pilot.press("f", "1", "x", "X", "e", "u", "ctrl+r", "s", *"new", "enter")
        assert path.read_bytes() == before
        assert app.is_running


async def test_unknown_labels_are_kept_and_shown_with_a_question_mark(project: Project) -> None:
    path = doc_path(project)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("version: 1\nsentences:\n- index: 0\n  claim: rumour\n"
                    "  speakers: [ghost]\n", encoding="utf-8")
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        assert any("unknown claim label 'rumour'" in n for n in notifications(app))
        await wait_for(pilot, lambda: "@ghost? rumour?" in screen_text(app), "unknown labels")
        await pilot.press("1")  # editing keeps what it does not know
        assert saved(project)[0]["claim"] == "rumour"
        assert saved(project)[0]["speakers"] == ["ghost"]


async def test_failed_save_is_a_notification_and_the_tag_is_not_shown(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        def full_disk(*args: object, **kwargs: object) -> bool:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(project.store, "save", full_disk)
        await pilot.press("f")
        assert any("could not save" in n for n in notifications(app))
        assert app.screen.session.tags(0).first("claim") is None
        assert "Fact" not in screen_text(app).splitlines()[1]
        assert app.is_running


HOSTILE = ("Hostile [President] text\n\n"
           "He said [bold]loud[/] and [/] then \x1b[31mred\x1b[0m here.\tTabbed\tcells here.\n")


async def test_markup_escapes_and_tabs_show_literally(tmp_path: Path) -> None:
    project = make_project(tmp_path / "hostile", articles=(HOSTILE, ARTICLE_A))
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        hostile_id = next(e.id for e in project.corpus.entries() if "Hostile" in e.title)
        if app.screen.session.article.id != hostile_id:
            app.screen.open_article(hostile_id)
        await wait_for(pilot, lambda: "[President]" in screen_text(app), "the article text")
        text = screen_text(app)
        assert "Hostile [President] text" in text
        assert "[bold]loud[/] and [/] then" in text
        assert "␛[31mred␛[0m here." in text
        assert "Tabbed  cells" in text  # expanded to a tab stop, no raw tab reaches the terminal
        assert "\x1b" not in text and "\t" not in text
        for line in text.splitlines():  # the layout holds: nothing spills past the width
            assert len(line) <= 80


async def test_fixed_file_is_picked_up_by_reopening_the_article(project: Project) -> None:
    path = doc_path(project)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(BROKEN, encoding="utf-8")
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.session.broken is not None
        path.write_text("version: 1\nsentences:\n- index: 0\n  claim: opinion\n", encoding="utf-8")
        await pilot.press("a", "enter")  # the list starts on the open article: reopen it
        session = app.screen.session
        assert session.broken is None and session.tags(0).first("claim") == "opinion"
        await pilot.press("1")
        assert saved(project)[0]["topics"] == ["elections"]
        assert not any("already has this article open" in n for n in notifications(app))
