"""Raw text -> article: metadata found, noise marked, text kept byte for byte, bad input refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.article import Article, read_article
from annotator.core.corpus import Corpus
from annotator.core.errors import CorpusError
from annotator.core.importer import build_article, check_text, import_texts, parse_date
from annotator.core.project import Project
from tests.factories import make_project
from tests.test_tui_support import app_for, saved, screen_text, wait_for

ROOT = Path(__file__).resolve().parents[1]

SCRAPED = """\
Published: Wed, May 15, 2019

Pompeo tells Russia: Don't meddle

Pompeo tells Russia: Don't meddle

"It would put our relationship in a worse place," Pompeo said.

Lavrov called it fiction.

Like this:"""


def test_title_date_repeated_headline_and_footer_are_found() -> None:
    article = build_article(SCRAPED, "seed.txt")
    assert article.title == "Pompeo tells Russia: Don't meddle"
    assert article.published == "2019-05-15"
    assert article.source == "seed.txt"
    texts = [s.text for s in article.sentences]
    assert texts[article.non_content[0]].startswith("Published:")
    # The dateline, the second copy of the headline and the footer, never the first headline.
    assert [texts[i] for i in article.non_content] == [
        "Published: Wed, May 15, 2019", "Pompeo tells Russia: Don't meddle", "Like this:"]
    assert article.non_content[1] == 2


def test_a_markdown_headline_and_no_date() -> None:
    article = build_article("# Sanctions debate\n\nWestern governments responded.\n")
    assert article.title == "Sanctions debate" and article.published is None
    assert article.non_content == ()


def test_a_long_first_sentence_is_shortened_for_the_title() -> None:
    first = "Word " * 40 + "end."
    article = build_article(first + " Second sentence.")
    assert len(article.title) <= 90 and article.title.endswith("…")


def marked(article: Article) -> list[tuple[str, str | None]]:
    """(sentence, reason) for each sentence the importer marked not content."""
    return [(article.sentences[i].text, article.non_content_reason(i)) for i in article.non_content]


def test_credit_lines_and_the_caption_they_sign_are_not_content() -> None:
    text = ("Talks in Sochi\n\nThe ministers met in Sochi, Russia May 14, 2019. "
            "Pavel Golovkin/Pool via REUTERS\nPowered by automated translation\n\n"
            "The US will not tolerate meddling, Pompeo said.\n")
    assert marked(build_article(text)) == [
        ("The ministers met in Sochi, Russia May 14, 2019.", "caption"),
        ("Pavel Golovkin/Pool via REUTERS", "photo credit"),
        ("Powered by automated translation", "service notice"),
    ]


@pytest.mark.parametrize(
    "byline",
    [
        "By Jane Doe, Staff Reporter",
        "By JANE DOE and John Roe | Reuters",
        "By Mary-Jane O'Neil and Luis de la Cruz, The Associated Press",
        "By Reuters",
        "BY AMIR KHAN in Kabul",
        "Written by Ana María Pérez",
        "(Reporting by Jane Doe; Editing by John Roe)",
        "By Jane Doe | Updated March 3, 2024 4:05 PM",
    ],
)
def test_bylines_are_not_content(byline: str) -> None:
    text = f"Talks in Sochi\n\n{byline}\n\nThe ministers met. Lavrov spoke first.\n"
    assert marked(build_article(text)) == [(byline, "byline")]


@pytest.mark.parametrize("byline", ["By Jane Doe • 5 min read",
                                    "By Jane Doe and John Roe • Reuters • 12 minutes read"])
def test_a_byline_cut_at_its_bullets_is_not_content_in_every_part(byline: str) -> None:
    text = f"Talks in Sochi\n\n{byline}\n\nThe ministers met. Lavrov spoke first.\n"
    found = marked(build_article(text))
    assert len(found) > 1 and all(reason == "byline" for _, reason in found)
    assert " ".join(part for part, _ in found) == byline
    # the same bullets in prose are left alone
    prose = "Talks in Sochi\n\nThe ministers met • Lavrov spoke first • 5 min read.\n"
    assert marked(build_article(prose)) == []


def test_reuters_end_notes_after_the_last_sentence_are_not_content() -> None:
    text = ("Talks in Sochi\n\nThe ministers met. Lavrov spoke first, he said. "
            "(Reporting by Jane Doe; Editing by John Roe)\n")
    assert marked(build_article(text)) == [("(Reporting by Jane Doe; Editing by John Roe)", "byline")]


@pytest.mark.parametrize(
    "line",
    [
        "By Tuesday, the talks had collapsed",
        "By Christmas Day prices had doubled",
        "By 2030 Europe will be warmer",
        "By the end of the day nobody had signed",
        "By Monday Night",
        "By Any Means Necessary",
        "By Jane Doe, 5 people were hurt",
        "By 5 pm the talks were over",
    ],
)
def test_a_line_that_merely_starts_with_by_is_content(line: str) -> None:
    text = f"Talks in Sochi\n\n{line}\n\nThe ministers met. Lavrov spoke first.\n"
    assert marked(build_article(text)) == []
    assert marked(build_article(f"{line}\n\nThe ministers met.\n")) == []  # as the headline


@pytest.mark.parametrize(
    "credit",
    [
        "Photo: Jane Doe/Reuters",
        "(AP Photo/John Smith)",
        "Jane Doe/AFP via Getty Images",
        "REUTERS/Evelyn Hockstein/File Photo",
        "(Photo by John Smith/Getty Images)",
        "Picture: PA Wire",
        "© Reuters",
    ],
)
def test_photo_credits_in_common_shapes_and_their_captions(credit: str) -> None:
    caption = "Lavrov and Pompeo shake hands in Sochi on Tuesday."
    body = "The ministers met for three hours. They agreed on little."
    for layout in (f"{caption} {credit}", f"{caption}\n{credit}", f"{caption}\n\n{credit}"):
        article = build_article(f"Talks in Sochi\n\n{layout}\n\n{body}\n")
        assert marked(article) == [(caption, "caption"), (credit, "photo credit")], layout


def test_a_caption_inside_the_article_is_found_only_next_to_its_credit() -> None:
    text = ("Talks in Sochi\n\nThe ministers met for three hours. They agreed on little.\n\n"
            "Lavrov smiled at the end.\n\n"  # a one-sentence paragraph of prose ...
            "Photo: Jane Doe/Reuters\n\n"  # ... then a credit across a blank line: kept as prose
            "Pompeo waves before leaving Sochi. (AP Photo/John Smith)\n\n"
            "He flew home. Nobody spoke. Photo: Jane Doe/Reuters\n\n"  # two sentences: no caption
            "The talks resume in June.\n")
    assert marked(build_article(text)) == [
        ("Photo: Jane Doe/Reuters", "photo credit"),
        ("Pompeo waves before leaving Sochi.", "caption"),
        ("(AP Photo/John Smith)", "photo credit"),
        ("Photo: Jane Doe/Reuters", "photo credit"),
    ]


def test_the_second_seed_caption_is_found_on_import(tmp_path: Path) -> None:
    bundled = read_article(ROOT / "corpus" / "us-will-not-tolerate-russian-736a0946.yaml")
    corpus = Corpus(tmp_path / "corpus")
    (result,) = import_texts(corpus, [("seed.txt", bundled.text.encode("utf-8"))])
    stored = read_article(corpus.path_of(result.article.id))
    assert stored.spans == bundled.spans  # the frozen segmentation never moves
    assert marked(stored)[0] == (
        "U.S. Secretary of State Mike Pompeo and Russian Foreign Minister Sergey Lavrov leave "
        "after their joint news conference following the talks in the Black Sea resort city of "
        "Sochi, Russia May 14, 2019.", "caption")
    assert marked(stored)[1:] == [("Pavel Golovkin/Pool via REUTERS", "photo credit"),
                                  ("Powered by automated translation", "service notice")]


def test_reasons_are_stored_with_the_article_and_old_files_still_load(tmp_path: Path) -> None:
    article = build_article(SCRAPED, "seed.txt")
    path = Corpus(tmp_path).write(article)
    stored = path.read_text(encoding="utf-8")
    assert "non_content: [0, 2, 5]\nnon_content_reasons:\n  0: date line\n" in stored
    assert read_article(path).non_content_reasons == article.non_content_reasons
    # A file written before reasons existed: same sentences, the reason reads "not content".
    reasons = "non_content_reasons:\n  0: date line\n  2: repeated headline\n  5: footer\n"
    old = stored.replace(reasons, "")
    assert reasons in stored and "reasons" not in old
    path.write_text(old, encoding="utf-8")
    again = read_article(path)
    assert again.non_content == (0, 2, 5) and again.non_content_reasons == ()
    assert again.non_content_reason(2) == "not content" and again.non_content_reason(3) is None
    assert again.to_yaml() == old  # and it is written back unchanged


def test_a_broken_reasons_mapping_names_the_file(tmp_path: Path) -> None:
    path = Corpus(tmp_path).write(build_article(SCRAPED, "seed.txt"))
    text = path.read_text(encoding="utf-8").replace("  0: date line\n", "  zero: [date]\n")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        read_article(path)
    (problem,) = info.value.problems
    assert problem.path == path and "non_content_reasons must map sentence numbers" in problem.message


async def test_the_editor_shows_the_reason_and_the_annotators_tag_overrides(tmp_path: Path) -> None:
    text = "Talks in Sochi\n\nBy Jane Doe, Staff Reporter\n\nThe ministers met. Lavrov spoke.\n"
    project = make_project(tmp_path / "p", articles=(text,))
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "auto: byline" in screen_text(app), "the byline's reason")
        assert "auto: not content" not in screen_text(app)
        await pilot.press("j")
        await wait_for(pilot, lambda: "not content: byline (found by the importer"
                       in screen_text(app), "the reason in the status line")
        await pilot.press("f")  # Fact: the annotator's decision wins over the importer's
        assert saved(project)[1]["claim"] == "fact"
        await wait_for(pilot, lambda: "auto: byline" not in screen_text(app), "the reason gone")


def test_a_sentence_merely_mentioning_reuters_is_content() -> None:
    article = build_article("Headline here\n\nHe told Reuters via phone that talks went well.\n")
    assert article.non_content == ()


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("Wed, May 15, 2019", "2019-05-15"),
        ("May 15, 2019.", "2019-05-15"),
        ("15 May 2019", "2019-05-15"),
        ("2019-05-15", "2019-05-15"),
        ("Tuesday, May 14, 2019", "2019-05-14"),
        ("sometime in spring", "sometime in spring"),
    ],
)
def test_dates_become_iso_when_recognised(raw: str, iso: str) -> None:
    assert parse_date(raw) == iso


def test_the_id_is_stable_and_depends_on_the_text() -> None:
    first = build_article(SCRAPED, "a.txt")
    assert first.id == build_article(SCRAPED, "elsewhere/b.txt").id
    assert first.id.startswith("pompeo-tells-russia-dont-meddle-")
    assert build_article(SCRAPED + "\n", "a.txt").id != first.id


def test_crlf_tabs_and_trailing_spaces_are_kept_exactly(tmp_path: Path) -> None:
    text = "Title line\r\n\r\nFirst\tsentence here.  \r\nSecond one [bold]? \x1b[31mred\r\n"
    corpus = Corpus(tmp_path / "corpus")
    (result,) = import_texts(corpus, [("crlf.txt", text.encode())])
    assert result.problem is None and result.article is not None
    stored = read_article(corpus.path_of(result.article.id))
    assert stored.text == text
    for sentence in stored.sentences:
        assert text[sentence.start:sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()


def test_a_byte_order_mark_is_dropped_not_stored() -> None:
    assert check_text("\ufeffHello there.".encode(), "bom.txt") == "Hello there."


def test_the_article_file_round_trips_byte_for_byte(tmp_path: Path) -> None:
    article = build_article(SCRAPED, "seed.txt")
    path = Corpus(tmp_path).write(article)
    assert path.read_text(encoding="utf-8") == article.to_yaml()
    again = read_article(path)
    assert again == article and again.to_yaml() == article.to_yaml()


@pytest.mark.parametrize(
    ("raw", "fragment", "line"),
    [
        (b"", "empty article", None),
        (b"  \n\n\t\n", "empty article", None),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file", None),
        (b"First line.\nSecond caf\xe9 line.\n", "not UTF-8 text (byte 0xe9", 2),
        (bytes(range(1, 32)) * 4, "looks binary", None),
    ],
)
def test_text_that_cannot_be_annotated_is_refused_with_the_reason(
    raw: bytes, fragment: str, line: int | None
) -> None:
    with pytest.raises(CorpusError) as info:
        check_text(raw, "bad.txt")
    (problem,) = info.value.problems
    assert fragment in problem.message and problem.line == line
    assert str(problem.path) == "bad.txt"


def test_a_batch_imports_the_good_and_refuses_the_bad(tmp_path: Path) -> None:
    corpus = Corpus(tmp_path / "corpus")
    results = import_texts(corpus, [
        ("good.txt", SCRAPED.encode()),
        ("empty.txt", b""),
        ("again.txt", SCRAPED.encode()),  # the same text twice in one batch
        ("latin1.txt", "Caf\xe9 society.".encode("latin-1")),
    ])
    assert [r.problem is None for r in results] == [True, False, False, False]
    assert "already in the corpus as pompeo-tells-russia" in results[2].problem.message
    files = sorted(p.name for p in corpus.folder.iterdir())
    assert files == [f"{results[0].article.id}.yaml"]  # nothing half-written, no temp files


def test_re_importing_the_same_text_is_refused_and_leaves_the_file(tmp_path: Path) -> None:
    corpus = Corpus(tmp_path / "corpus")
    (first,) = import_texts(corpus, [("a.txt", SCRAPED.encode())])
    path = corpus.path_of(first.article.id)
    before = path.read_bytes()
    (second,) = import_texts(Corpus(tmp_path / "corpus"), [("renamed.txt", SCRAPED.encode())])
    assert second.article is None
    assert f"already in the corpus as {first.article.id}; not imported" in str(second.problem)
    assert path.read_bytes() == before


def test_an_unreadable_file_with_the_same_name_is_never_overwritten(tmp_path: Path) -> None:
    corpus = Corpus(tmp_path / "corpus")
    article = build_article(SCRAPED, "a.txt")
    corpus.folder.mkdir(parents=True)
    broken = corpus.path_of(article.id)
    broken.write_text("id: [broken\n")
    (result,) = import_texts(corpus, [("a.txt", SCRAPED.encode())])
    assert result.article is None and "left as is" in result.problem.message
    assert broken.read_text() == "id: [broken\n"


def test_no_sentences_is_refused() -> None:
    with pytest.raises(CorpusError, match="no sentences"):
        build_article("   ", "blank.txt")


def test_a_batch_does_not_rescan_the_corpus_per_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "p", articles=())
    project.corpus.entries()  # loaded once, as the CLI does before importing
    scans = []
    original = project.corpus._scan
    monkeypatch.setattr(project.corpus, "_scan", lambda: scans.append(1) or original())
    texts = [(f"a{n}.txt", f"Headline {n}\n\nBody number {n} is here.\n".encode())
             for n in range(5)]
    results = import_texts(project.corpus, texts)
    assert all(r.article is not None for r in results)
    assert scans == []
    fresh = Corpus(project.corpus.folder)  # what a later run reads from disk
    assert project.corpus.entries() == fresh.entries()
    assert len(fresh.entries()) == 5


def test_a_non_utf8_line_of_a_jsonl_file_is_refused_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path / "p", articles=())
    source = tmp_path / "scraped.jsonl"
    source.write_bytes(
        b'{"id": "first", "text": "Talks began in Sochi. Lavrov spoke."}\n'
        b'{"id": "second", "text": "Caf\xe9 owners protested."}\n'
        b'{"id": "third", "text": "Pompeo flew home. Nobody spoke."}\n'
    )
    code = main(["--project", str(project.root), "import", str(source)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{source}:2: not UTF-8 (byte 0xe9 at column 30); not imported" in err
    assert sorted(Project(project.root).corpus.ids()) == ["first", "third"]
