"""Sentence layout and safe text (no terminal), and long articles scrolling with the cursor."""

from __future__ import annotations

from pathlib import Path

from annotator.core.article import Sentence
from annotator.core.tags import SentenceTags
from annotator.tui.safe_text import fit, one_line, visible
from annotator.tui.widgets.sentences.layout import build_block, line_pieces, wrap_ranges
from tests.factories import make_project
from tests.test_tui_support import app_for, screen_text, wait_for


def lines(text: str, width: int) -> list[str]:
    return [text[start:end] for start, end in wrap_ranges(text, width)]


def test_wrap_breaks_at_spaces_and_splits_long_words() -> None:
    assert lines("the cat sat on the mat", 7) == ["the cat", "sat on", "the mat"]
    assert lines("abcdefghij xy", 4) == ["abcd", "efgh", "ij", "xy"]
    assert lines("one\n\ntwo", 10) == ["one", "", "two"]
    assert lines("", 10) == [""]


def test_wrap_counts_wide_characters_in_cells() -> None:
    assert lines("日本語のテキスト です", 6) == ["日本語", "のテキ", "スト", "です"]


def test_visible_shows_control_characters_and_expands_tabs() -> None:
    assert visible("a\x1b[31mb") == "a␛[31mb"
    assert visible("a\tb") == "a   b"
    assert visible("x\r\ny") == "x\ny" and visible("x\ry") == "x␍y"
    assert visible("\x9bcsi\u202eevil") == "\\x9bcsi\\u202eevil"
    assert one_line("two\nlines") == "two⏎lines"
    assert visible("[bold]plain[/]") == "[bold]plain[/]"
    assert fit("日本語", 5) == "日本…" and fit("ab", 4) == "ab  "


def test_block_shows_tags_compactly_and_unknown_labels_with_a_question_mark(
        tmp_path: Path) -> None:
    schema = make_project(tmp_path / "p").schema
    sentence = Sentence(0, 0, 20, "Mr Pompeo said [x].", True, True)
    tags = SentenceTags.of(speakers=("pompeo", "ghost"), claim="fact", topics=("elections",),
                           note="check it")
    block = build_block(sentence, tags, schema, 200, auto_not_content=False)
    runs = line_pieces(block, 0)
    assert [text for text, _ in runs] == [
        "Mr Pompeo said [x].", "  ", "@Mike Pompeo", " ", "@ghost?", " ", "Fact", " ",
        "#Elections", " ", "✎ check it"]
    assert [role for _, role in runs][2:9] == ["layer:speakers", "gap", "unknown", "gap",
                                                "layer:claim", "gap", "layer:topics"]
    narrow = build_block(sentence, tags, schema, 14, auto_not_content=False)
    texts = [" ".join(text for text, _ in line_pieces(narrow, n)).strip()
             for n in range(len(narrow.lines))]
    assert "@Mike Pompeo" in texts  # a chip never breaks inside a name
    auto = build_block(sentence, SentenceTags(), schema, 80, auto_not_content=True)
    assert auto.dim and line_pieces(auto, 0)[-1] == ("auto: not content", "flag")


LONG = "Long article headline\n\n" + "\n\n".join(
    " ".join(f"Sentence number {p * 5 + s} says something rather long about the talks."
             for s in range(5)) for p in range(60))


async def test_long_article_keeps_the_cursor_in_view(tmp_path: Path) -> None:
    project = make_project(tmp_path / "long", articles=(LONG,))
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.screen.view
        session = app.screen.session
        assert len(session.sentences) > 250

        def cursor_visible() -> bool:
            top, bottom = view.sentence_lines(session.cursor)
            return view.scroll_y <= top and bottom <= view.scroll_y + view.page_height

        await pilot.press("G")
        await wait_for(pilot, cursor_visible, "the last sentence in view")
        assert "Sentence number 299 says" in screen_text(app)
        await pilot.press("pageup", "pageup")
        await wait_for(pilot, cursor_visible, "the cursor in view after page up")
        assert session.cursor < len(session.sentences) - 10
        for _ in range(15):
            await pilot.press("k")
        await wait_for(pilot, cursor_visible, "the cursor in view after moving up")
        await pilot.press("g")
        await wait_for(pilot, lambda: view.scroll_y == 0, "the top")


async def test_the_cursor_stays_in_view_when_sentences_above_it_are_laid_out(
        tmp_path: Path) -> None:
    """Heights are estimated until a sentence is shown (paragraph gaps are not counted):
    after a jump, laying out what is drawn above the cursor must not push it off screen."""
    paragraphs = "\n\n".join(f"Paragraph {p} is short." for p in range(400))
    project = make_project(tmp_path / "gaps", articles=("Gaps\n\n" + paragraphs,))
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.screen.view
        session = app.screen.session
        for key in ("G", "pageup", "k", "k", "g", "G"):
            await pilot.press(key)
            await pilot.pause()
            top, bottom = view.sentence_lines(session.cursor)
            assert view.scroll_y <= top and bottom <= view.scroll_y + view.page_height, key
            assert session.sentences[session.cursor].text in screen_text(app), key
