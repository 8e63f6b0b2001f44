"""Article files read fast (5 MB, 60,000 sentences) and exactly as the YAML loader reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from annotator.core.article import read_article
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
