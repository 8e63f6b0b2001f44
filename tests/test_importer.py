"""Raw text -> article: metadata found, noise marked, text kept byte for byte, bad input refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.article import read_article
from annotator.core.corpus import Corpus
from annotator.core.errors import CorpusError
from annotator.core.importer import build_article, check_text, import_texts, parse_date
from tests.factories import make_project

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


def test_credit_lines_are_not_content() -> None:
    text = ("Talks in Sochi\n\nThe ministers met in Sochi, Russia May 14, 2019. "
            "Pavel Golovkin/Pool via REUTERS\nPowered by automated translation\n\n"
            "The US will not tolerate meddling, Pompeo said.\n")
    article = build_article(text)
    marked = [article.sentences[i].text for i in article.non_content]
    assert marked == ["Pavel Golovkin/Pool via REUTERS", "Powered by automated translation"]


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
