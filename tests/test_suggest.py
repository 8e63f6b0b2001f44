"""Speaker suggestions: what core/suggest.py finds, and how the editor offers them."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.importer import build_article
from annotator.core.project import Project
from annotator.core.schema import load_schema
from annotator.core.suggest import ArticleSuggestions
from tests.test_tui_support import app_for, saved, screen_text, wait_for

DATA = Path(__file__).parent / "data" / "speakers"
SCHEMA = load_schema(DATA / "labels.yaml")
LAYER = SCHEMA.layer_of("speakers")


def top_of(text: str) -> list[tuple[str | None, str]]:
    assert LAYER is not None
    article = build_article(text, "t.txt")
    found = ArticleSuggestions(article, LAYER)
    out = []
    for sentence in article.sentences:
        top = found.top(sentence.index)
        out.append((top.label if top else None, top.reason if top else ""))
    return out


@pytest.mark.parametrize(("sentence", "speaker", "reason"), [
    ("Mayor Maria Okafor said the vote mattered.", "maria-okafor", "Mayor Maria Okafor said"),
    ('"It mattered," said Ms Okafor.', "maria-okafor", "said Ms Okafor"),
    ("According to Dr Vogt, costs rose.", "lena-vogt", "according to Dr Vogt"),
    ('Health minister Priya Natarajan: "No one should wait."', "priya-natarajan",
     "Priya Natarajan: “…”"),
    ("Tom Achebe, an analyst at a London bank, warned that costs would rise.", "tom-achebe",
     "Tom Achebe warned"),
    ("The Harbour Authority on Monday announced new fees.", "harbour-authority",
     "The Harbour Authority announced"),
    # Not a speaker: a possessive, an object, a name merely mentioned, "us" in lower case.
    ("Okafor's spokesman said the lanes would stay.", None, ""),
    ("Reyes told Okafor that he disagreed.", "daniel-reyes", "Reyes told"),
    ("Okafor visited the harbour on Monday.", None, ""),
])
def test_one_sentence_patterns(sentence: str, speaker: str | None, reason: str) -> None:
    assert top_of(f"Headline\n\n{sentence}\n")[1] == (speaker, reason)


def test_names_inside_an_appositive_are_not_speakers() -> None:
    assert LAYER is not None
    article = build_article("Headline\n\nOkafor, whom Reyes met on Monday with Tom Achebe, "
                            "dismissed the claims.\n", "t.txt")
    found = ArticleSuggestions(article, LAYER).of(1)
    assert [(s.label, s.pattern) for s in found] == [
        ("maria-okafor", True), ("daniel-reyes", False), ("tom-achebe", False)]


def test_pronouns_and_quotes_over_several_sentences() -> None:
    text = ("Headline\n\n"
            "Councillor Daniel Reyes spoke after the vote. He said the plan was too costly.\n\n"
            '"The numbers do not add up. Nobody has explained them.\n\n'
            '"I expect the bill to double," he told reporters.\n\n'
            "Okafor met Reyes later. He said the meeting went well.\n")
    found = top_of(text)
    assert found[2] == ("daniel-reyes", "“He said” → Daniel Reyes (sentence 2)")
    assert [label for label, _ in found[3:6]] == ["daniel-reyes"] * 3
    assert found[3][1] == "in the quote attributed to Daniel Reyes in sentence 5"
    assert found[7][0] is None  # two people named before "he": too ambiguous to guess


def test_the_seeds_and_test_articles_reach_the_targets() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from suggest_quality import score

    suggested, correct, expected, _ = score()
    assert correct / suggested >= 0.9 and correct / expected >= 0.7


# ----- in the editor -------------------------------------------------------------------
async def test_suggestions_show_dim_and_enter_accepts_with_the_mention(project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j", "j")  # '"We will not tolerate meddling," Mr Pompeo said.'
        await wait_for(pilot, lambda: "suggested @Mike Pompeo" in screen_text(app),
                       "the suggestion in the text")
        assert "(Mr Pompeo said) · enter accepts" in screen_text(app)
        assert saved(project) == {}  # shown, not saved: not done, not exported
        await pilot.press("enter")
        entry = saved(project)[2]
        assert entry["speakers"] == ["pompeo"]
        text = project.corpus.load(project.corpus.ids()[0]).text
        (span,) = entry["spans"]
        assert text[span["start"]:span["end"]] == "Mr Pompeo"
        assert app.screen.session.cursor == 3  # and on to the next sentence
        await pilot.press("u")
        assert 2 not in saved(project)


async def test_the_picker_opens_with_suggestions_ticked_and_mentions_first(
        project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j", "j", "s")
        options = app.screen.query_one("OptionList")
        assert saved(project)[2]["speakers"] == ["pompeo"]  # ticked: one command
        assert options.get_option_at_index(0).id == "pompeo"
        await pilot.press("escape", "j", "s")  # "He met Mr Lavrov in Sochi."
        assert 3 not in saved(project)  # no pattern: nothing ticked
        options = app.screen.query_one("OptionList")
        assert options.get_option_at_index(0).id == "lavrov"  # mentioned, first, unticked
        await pilot.press("enter", "escape")
        entry = saved(project)[3]
        text = project.corpus.load(project.corpus.ids()[0]).text
        assert entry["speakers"] == ["lavrov"]
        assert [text[s["start"]:s["end"]] for s in entry["spans"]] == ["Mr Lavrov"]


def test_suggestions_are_never_counted_or_exported(project: Project,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from annotator.core.session import AnnotateSession

    session = AnnotateSession(project, "tester")
    session.open_article(project.corpus.ids()[0])
    assert session.pending(2) and session.progress()[0] == 1  # the dateline only
    session.close()
    assert not project.store.path("tester", project.corpus.ids()[0]).exists()
    out = project.root / "out.jsonl"
    main(["--project", str(project.root), "export", "--format", "jsonl", "--output", str(out)])
    assert "pompeo" not in (out.read_text(encoding="utf-8") if out.exists() else "")


def test_the_keystroke_script_reaches_the_reference_in_four_keys_or_fewer() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from keystrokes import run

    result = run(True)
    assert result["problems"] == []
    assert result["keys"] / result["tagged"] <= 4


def test_review_offers_no_suggestions(project: Project) -> None:
    from annotator.core.review import ReviewSession
    from annotator.core.session import AnnotateSession

    alice = AnnotateSession(project, "alice")
    alice.open_article(project.corpus.ids()[0])
    alice.goto(3)
    alice.toggle_label("claim", "fact")
    alice.close()
    review = ReviewSession(project, annotators=["alice"])
    review.open_article(project.corpus.ids()[0])
    assert review.gold.suggestions(2) == () and review.gold.pending(2) == ()


def test_a_sentence_of_megabytes_gets_no_suggestions() -> None:
    """A run-on paste is not prose: it is not scanned (a 5 MB sentence once took minutes)."""
    assert LAYER is not None
    article = build_article("Headline\n\n" + "Okafor said so and Reyes agreed " * 200 + "\n",
                            "t.txt")
    assert len(article.sentences) == 2 and len(article.sentences[1].text) > 4000
    assert ArticleSuggestions(article, LAYER).of(1) == ()
