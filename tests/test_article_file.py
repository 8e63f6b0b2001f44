"""Article files read fast (5 MB, 60,000 sentences) and exactly as the YAML loader reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from annotator.core.article import Article, read_article
from annotator.core.errors import CorpusError
from annotator.core.importer import build_article

TEXTS = [
    "A title\n\nFirst sentence here. Second one follows.\n\nA new paragraph starts.",
    "One line only, with trailing space and a quote: \"x\" ",
    "Tabs\tand \x1b]0;EVIL\x07 escapes.\r\nWindows line. ünïcödé text here.",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_fast_read_equals_the_yaml_read(tmp_path: Path, text: str) -> None:
    article = build_article(text or "Just a title", "a.txt")
    path = tmp_path / "a.yaml"
    path.write_text(article.to_yaml(), encoding="utf-8")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    read = read_article(path)
    assert read.text == data["text"] == article.text
    assert read.spans == tuple(tuple(pair) for pair in data["sentences"]) == article.spans
    assert read.title == article.title
    assert [s.text for s in read.sentences] == [s.text for s in article.sentences]


def test_a_hand_edited_layout_is_still_read(tmp_path: Path) -> None:
    article = build_article("Title\n\nOne. Two. Three.", "a.txt")
    path = tmp_path / "a.yaml"
    text = article.to_yaml().replace("- [", "-   [").replace("]\n", "  ]\n")
    path.write_text(text, encoding="utf-8")
    assert read_article(path).spans == article.spans


def test_a_bad_span_is_reported_with_its_number(tmp_path: Path) -> None:
    article = build_article("Title\n\nOne sentence. Two sentences.", "a.txt")
    path = tmp_path / "a.yaml"
    end = article.spans[1][1]
    path.write_text(article.to_yaml().replace(f", {end}]", f", {end + 999}]"), "utf-8")
    with pytest.raises(CorpusError, match="sentence 1: bad span"):
        read_article(path)


def test_sentences_are_made_on_demand_and_behave_like_a_tuple() -> None:
    article = build_article("Title\n\nOne. Two.\nThree.\n\nFour.", "a.txt")
    sentences = article.sentences
    assert len(sentences) == 5 and sentences[-1].text == "Four."
    assert [s.paragraph_start for s in sentences] == [True, True, False, False, True]
    assert [s.line_start for s in sentences] == [True, True, False, True, True]
    assert sentences[1:3] == (sentences[1], sentences[2]) and sentences[2] is sentences[2]
    with pytest.raises(IndexError):
        sentences[5]


PROSE = [
    "Title\n\nOne sentence. Two sentences.\n\nA third, in a new paragraph.",  # |-
    "Title\n\nEnds with a break.\n",  # |
    "Title\n\nEnds with two breaks.\n\n",  # |+ and the end-of-document marker
    "Title\n\n    Indented lines.\n      Deeper still.\nBack.",
    "Title\n\nA line of dots\n...\nand more.",
]


@pytest.mark.parametrize("text", PROSE)
def test_a_literal_block_is_read_without_the_yaml_loader(
        tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Prose is read by un-indenting its block (a 5 MB text took the loader 70 ms), and the
    header by read_header: the loader sees nothing, and the text is the loader's to the
    character."""
    from annotator.core import article_file

    article = build_article(text, "a.txt")
    path = tmp_path / "a.yaml"
    path.write_text(article.to_yaml(), encoding="utf-8")
    assert "\ntext: |" in path.read_text(encoding="utf-8")
    parsed: list[str] = []
    real = article_file.parse_yaml_of

    def spy(source: str, where: Path) -> object:
        parsed.append(source)
        return real(source, where)

    monkeypatch.setattr(article_file, "parse_yaml_of", spy)
    read = read_article(path)
    assert read.text == article.text == yaml.safe_load(path.read_text("utf-8"))["text"]
    assert [s.text for s in read.sentences] == [s.text for s in article.sentences]
    assert parsed == []


def test_a_literal_block_whose_hash_differs_is_left_to_the_yaml_loader(tmp_path: Path) -> None:
    """A text edited by hand is read by the loader, and refused for its text_sha."""
    article = build_article("Title\n\nOne sentence. Two sentences.", "a.txt")
    path = tmp_path / "a.yaml"
    path.write_text(article.to_yaml().replace("  One sentence", "  One sentenze"), "utf-8")
    with pytest.raises(CorpusError, match="text_sha differs"):
        read_article(path)


def test_a_span_line_with_three_numbers_is_left_to_the_yaml_loader(tmp_path: Path) -> None:
    article = build_article("Title\n\nOne sentence. Two sentences.", "a.txt")
    path = tmp_path / "a.yaml"
    start, end = article.spans[0]
    path.write_text(article.to_yaml().replace(f"- [{start}, {end}]\n",
                                              f"- [{start}, {end}, 3]\n"), "utf-8")
    with pytest.raises(CorpusError, match="sentence 0: bad span"):
        read_article(path)


def test_an_article_is_read_with_the_cycle_collector_paused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """60,000 span tuples would set off full collections that free nothing."""
    import gc

    from annotator.core import corpus as corpus_module
    from annotator.core.corpus import Corpus

    article = build_article("Title\n\nOne sentence. Two sentences.", "a.txt")
    corpus = Corpus(tmp_path)
    corpus.write(article)
    seen: list[bool] = []
    real = corpus_module.read_article

    def spy(path: Path) -> object:
        seen.append(gc.isenabled())
        return real(path)

    monkeypatch.setattr(corpus_module, "read_article", spy)
    assert gc.isenabled()
    assert corpus.load(article.id).text == article.text
    assert seen == [False] and gc.isenabled()


def test_articles_are_equal_by_content_not_by_their_extra_header_keys() -> None:
    article = Article("a-1", "Title", "One. Two.", ((0, 4), (5, 9)), published="2024-03-01",
                      non_content=(1,), non_content_reasons=((1, "byline"),))
    same = Article("a-1", "Title", "One. Two.", ((0, 4), (5, 9)), published="2024-03-01",
                   non_content=(1,), non_content_reasons=((1, "byline"),), extra={"k": 1})
    assert same == article and hash(same) == hash(article)
    kept = article.with_extra({"desk": "world"})
    assert kept == article and kept.extra == {"desk": "world"} and article.extra == {}
    for change in ({"text": "One. Tww."}, {"spans": ((0, 4),)}, {"url": "http://x"},
                   {"non_content": ()}, {"non_content_reasons": ((1, "photo credit"),)}):
        fields = {"id": "a-1", "title": "Title", "text": "One. Two.", "spans": ((0, 4), (5, 9)),
                  "published": "2024-03-01", "non_content": (1,),
                  "non_content_reasons": ((1, "byline"),), **change}
        assert Article(**fields) != article, change
