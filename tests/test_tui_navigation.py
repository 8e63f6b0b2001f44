"""Moving around: sentences, search, articles, mouse, sizes, help, palette, quit and reopen."""

from __future__ import annotations

import pytest

from annotator.core.actions import ANNOTATE_ACTIONS, annotate_actions
from annotator.core.project import Project
from tests.test_tui_support import app_for, doc_path, saved, screen_text, wait_for


async def test_keys_move_the_cursor_and_the_status_follows(project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        session = app.screen.session
        await pilot.press("j", "down", "j")
        assert session.cursor == 3
        await pilot.press("k", "up")
        assert session.cursor == 1
        await pilot.press("G")
        assert session.cursor == 5
        await wait_for(pilot, lambda: "sentence 6/6" in screen_text(app), "the status bar")
        await pilot.press("g")
        assert session.cursor == 0


async def test_next_untagged_skips_tagged_and_importer_not_content(project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        session = app.screen.session
        await pilot.press("f", "space")  # 0 tagged now, 1 is the dateline (auto not content)
        assert session.cursor == 2
        await pilot.press("f", "j", "o", "k", "space")
        assert session.cursor == 4


async def test_search_next_and_previous(project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        session = app.screen.session
        await pilot.press("slash", *"lavrov", "enter")
        assert session.cursor == 3  # "He met Mr Lavrov in Sochi."
        await pilot.press("n")
        assert session.cursor == 4  # "Lavrov called for better ties."
        await pilot.press("n")
        assert session.cursor == 3  # wrapped around
        await pilot.press("N")
        assert session.cursor == 4
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"no such words", "enter")
        assert session.cursor == 4
        assert any("Not found" in n.message for n in app._notifications)


async def test_next_and_previous_article(project: Project) -> None:
    app = app_for(project)
    ids = project.corpus.ids()
    async with app.run_test(size=(80, 24)) as pilot:
        session = app.screen.session
        await pilot.press("right_square_bracket")
        assert session.article.id == ids[1]
        await wait_for(pilot, lambda: "[President] Maduro must go." in screen_text(app),
                       "the second article's text")
        await pilot.press("f")
        assert saved(project, ids[1])[0]["claim"] == "fact"
        await pilot.press("left_square_bracket")
        assert session.article.id == ids[0]


async def test_article_list_opens_an_article(project: Project) -> None:
    app = app_for(project)
    ids = project.corpus.ids()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await wait_for(pilot, lambda: app.screen.articles.has_focus, "the article list")
        await wait_for(pilot, lambda: "Articles (2)" in screen_text(app), "the list's title")
        await pilot.press("j", "enter")
        assert app.screen.session.article.id == ids[1]
        assert app.screen.view.has_focus  # back to the text, list hidden at 80 columns
        assert not app.screen.articles.display


async def test_quit_releases_the_lock_and_reopening_restores_tags_and_position(
        project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "j", "w", "2", "j")
        lock = doc_path(project).parent / f".{project.corpus.ids()[0]}.lock"
        assert lock.exists()
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running, "the app to quit")
    assert not lock.exists()
    again = app_for(project)
    async with again.run_test(size=(80, 24)) as pilot:
        assert again.screen.session.cursor == 4
        assert saved(project)[3] == {**saved(project)[3], "claim": "warning",
                                     "topics": ["sanctions"]}
        await wait_for(pilot, lambda: "Warning #Sanctions" in screen_text(again),
                       "the restored tags on screen")


async def test_click_selects_a_sentence(project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.screen.view
        top, _ = view.sentence_lines(4)
        await pilot.click(view, offset=(10, top))
        assert app.screen.session.cursor == 4
        await pilot.press("f")
        assert saved(project)[4]["claim"] == "fact"


async def test_shrinking_below_the_minimum_says_so_and_growing_back_shows_the_text(
        project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "too small" not in screen_text(app)
        await pilot.resize_terminal(30, 8)
        await pilot.pause()
        assert "too small" in screen_text(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        text = screen_text(app)
        assert "too small" not in text and "Published" in text
        await pilot.resize_terminal(30, 8)  # the notice is made once and shown again
        await pilot.pause()
        assert "too small" in screen_text(app)
        assert len(app.screen.query("#too-small")) == 1


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (120, 40), (30, 8)])
async def test_small_and_large_terminals_do_not_crash(project: Project,
                                                      size: tuple[int, int]) -> None:
    app = app_for(project)
    async with app.run_test(size=size) as pilot:
        await pilot.press("j", "f", "a", "a", "question_mark", "escape", "s", "escape")
        assert saved(project)[1]["claim"] == "fact"
        text = screen_text(app)
        if size[0] < 40:
            assert "too small" in text
        else:
            assert "Published" in text and "tester" in text
        await pilot.resize_terminal(50, 12)
        await pilot.press("G", "k")
        assert app.is_running


async def test_help_lists_every_action_and_label_key(project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen", "help")
        text = str(app.screen.query_one("#help-text").render())
        for action in ANNOTATE_ACTIONS:
            assert action.description in text
        assert "Factual" not in text and "Fact" in text and "Elections" in text
        await pilot.press("escape")
        assert app.screen.__class__.__name__ == "AnnotateScreen"


async def test_command_palette_offers_labels_and_articles(project: Project) -> None:
    app = app_for(project)
    ids = project.corpus.ids()
    async with app.run_test(size=(80, 24)) as pilot:
        texts = [entry.text for entry in app.screen.palette_entries()]
        assert "Tag claim: Fact" in texts and "Toggle topics: Sanctions" in texts
        assert "Toggle speakers: Sergey Lavrov" in texts and "Next untagged sentence" in texts
        assert {"Speakers…", "Claim…", "Topics…"} <= set(texts)
        assert any(text.startswith("Go to article: Sanctions debate") for text in texts)
        await pilot.press("ctrl+p", *"tag claim opinion")
        await wait_for(pilot, lambda: "Tag claim: Opinion" in screen_text(app), "the palette hit")
        await pilot.press("enter")
        await wait_for(pilot, lambda: saved(project).get(0, {}).get("claim") == "opinion",
                       "the claim set from the palette")
        go_to = next(e for e in app.screen.palette_entries()
                     if e.text.startswith("Go to article: Sanctions"))
        go_to.run()
        await pilot.pause()
        assert app.screen.session.article.id == ids[1]


def test_every_action_has_a_handler_and_a_binding_with_a_stable_id(project: Project) -> None:
    from annotator.core.session import AnnotateSession
    from annotator.tui.screens.annotate import AnnotateScreen

    screen = AnnotateScreen.for_session(AnnotateSession(project, "tester"))
    screen_class = type(screen)
    ids = {binding.id for binding in screen_class._merged_bindings.key_to_bindings["j"]}
    assert ids == {"annotate.next_sentence"}
    bound = {b.id for bs in screen_class._merged_bindings.key_to_bindings.values() for b in bs}
    actions = annotate_actions(project.schema.layers)
    assert {"pick_speakers", "pick_claim", "pick_topics"} <= {action.id for action in actions}
    for action in actions:
        method = action.run.partition("(")[0]  # pick('claim') runs action_pick
        assert callable(getattr(screen, f"action_{method}", None)), action.id
        assert f"annotate.{action.id}" in bound
    assert {"label.claim.fact", "label.topics.elections"} <= bound


async def test_keymap_rebinds_an_action_by_its_id(project: Project) -> None:
    from annotator.tui.app import make_app

    app = make_app(project, "tester", keymap={"annotate.next_sentence": "ctrl+n",
                                              "label.claim.fact": "F"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n", "ctrl+n", "F")
        assert app.screen.session.cursor == 2
        assert saved(project)[2]["claim"] == "fact"
