"""A search match that the wrapping splits over two lines is highlighted on both."""

from __future__ import annotations

from annotator.core.project import Project
from annotator.tui.widgets.sentences.sentence_view import marked_runs, match_ranges
from tests.test_search_matches import _highlighted
from tests.test_tui_support import app_for, notifications, wait_for


def test_marked_runs_split_a_match_at_the_line_break() -> None:
    text = "Mike Pompeo said so"
    matches = match_ranges(text, "MIKE POMPEO")
    assert matches == [(0, 11)]
    # wrapped as "Mike" / "Pompeo said so": the space at the break is on neither line
    assert marked_runs([("Mike", "text")], 0, matches) == [("Mike", "match")]
    assert marked_runs([("Pompeo said so", "text"), ("  ", "gap")], 5, matches) == [
        ("Pompeo", "match"), (" said so", "text"), ("  ", "gap")]
    assert marked_runs([("said so", "text")], 12, matches) == [("said so", "text")]


async def test_a_wrapped_match_is_highlighted_on_both_lines(project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(44, 30)) as pilot:
        await pilot.pause()
        view = app.screen.view
        block = next(view._block(i) for i in range(len(view._blocks))
                     if len(view._block(i).lines) > 1  # the break inside the text
                     and view._block(i).lines[1][0] + 4 <= view._block(i).spans[0][1])
        (_, first_end), (second_start, _) = block.lines[:2]
        query = block.display[first_end - 4:second_start + 4]
        assert " " in query  # the break is inside it
        view.scroll_to(y=view.sentence_lines(block.index)[0], animate=False)
        await pilot.press("slash", *query, "enter")
        await wait_for(pilot, lambda: any(query in n for n in notifications(app)), "the search")
        await pilot.pause()
        parts = _highlighted(app)
        assert block.display[first_end - 4:first_end] in parts
        assert block.display[second_start:second_start + 4] in parts
        await pilot.press("q")
