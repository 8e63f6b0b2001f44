"""The fast readers behind export read exactly what the full YAML loader reads, or defer to it."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from annotator.core.article import read_article
from annotator.core.errors import CorpusError, StoreError
from annotator.core.formats.fastread import (
    DocCache,
    DocRows,
    _Fallback,
    _fast_article,
    _fast_rows,
    read_article_text,
    read_rows,
)
from annotator.core.importer import build_article
from annotator.core.project import Project
from annotator.core.annotation_file import AnnotationDoc, read_doc
from annotator.core.tags import SentenceTags

TRICKY = ["fact", "yes", "No", "null", "true", "08466914", "0123", "0b101", "1e5", "12345678",
          "a b", "x: y", "it's", "# hash", "ok #1", "[x]", "Ünïcödé", "trailing ", " lead",
          "", "multi\nline", "tab\there", "é", "-dash", "x,y", "(paren)", "1", "0x1f",
          "'quoted'", '"dq"', "a" * 120, "on", "Off", "~", "-", "?", "y", "n"]


def _doc_for(project: Project, tags: dict[int, SentenceTags]) -> Path:
    article = project.corpus.load(project.corpus.ids()[0])
    doc = AnnotationDoc(article.id, "alice", dict(tags))
    project.store.save(doc, article)
    return project.store.path("alice", article.id)


def _same(path: Path) -> DocRows:
    full = DocRows.from_doc(read_doc(path, path.stem, "alice"))
    fast = read_rows(path, path.stem, "alice", DocCache())
    assert fast == full
    return fast


def test_what_the_store_writes_is_read_on_the_fast_path(project: Project) -> None:
    path = _doc_for(project, {
        0: SentenceTags(("pompeo", "lavrov"), "fact", ("elections",)),
        2: SentenceTags(not_content=True),
        3: SentenceTags(claim="opinion", note="check the date", agrees_with=("bob",)),
    })
    _fast_rows(path.read_text(encoding="utf-8"), DocCache())  # no fallback
    rows = _same(path)
    assert rows.rows[0] == (("pompeo", "lavrov"), "fact", ("elections",), None, False)
    assert rows.rows[2][4] is True


@pytest.mark.parametrize("value", TRICKY)
def test_tricky_values_read_as_yaml_reads_them(project: Project, value: str) -> None:
    path = _doc_for(project, {
        1: SentenceTags(speakers=(value or "x",), claim=value or None, topics=(value or "y",),
                        note=value or None),
    })
    _same(path)


def test_random_tags_round_trip_whichever_path_reads_them(project: Project) -> None:
    rng = random.Random(4)
    alphabet = "abcxyz019 -_.:#'\",[]{}é\t"
    for _ in range(60):
        words = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8)))
                 for _ in range(4)]
        path = _doc_for(project, {rng.randint(0, 6): SentenceTags(
            speakers=tuple(words[:2]), claim=words[2].strip() or None, topics=(words[3],),
            note=" ".join(words))})
        _same(path)


def test_hand_edited_files_fall_back_to_the_full_loader(project: Project) -> None:
    path = _doc_for(project, {0: SentenceTags(claim="fact")})
    edited = path.read_text(encoding="utf-8").replace("sentences:", "# a comment\nsentences:")
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(_Fallback):
        _fast_rows(edited, DocCache())
    assert read_rows(path, path.stem, "alice").rows[0][1] == "fact"


def test_a_broken_file_gets_the_full_loaders_message(project: Project) -> None:
    path = _doc_for(project, {0: SentenceTags(claim="fact")})
    path.write_text(path.read_text(encoding="utf-8") + "  colour: red\n", encoding="utf-8")
    with pytest.raises(StoreError, match="unknown field"):
        read_rows(path, path.stem, "alice")


@pytest.mark.parametrize("text", [
    "Plain text.\n", "No final newline.", "Two trailing.\n\n\n", "  Leading spaces.\n",
    "Tabs\there.\n", "Trailing spaces   \nnext.\n", "CRLF line.\r\nSecond line.\r\n",
    "Line\n\n\n\nGap.\n", "[President] said: \"yes\" — ok…\n", "x\u2028y separator.\n",
])
def test_article_text_is_exact(tmp_path: Path, text: str) -> None:
    project = Project(tmp_path)
    (tmp_path / "labels.yaml").write_text("speakers: []\nclaim: []\ntopics: []\n")
    article = build_article(text)
    path = project.corpus.write(article)
    entry = project.corpus.entries()[0]
    fast = read_article_text(path, entry)
    assert fast.text == article.text == read_article(path).text
    assert fast.spans == article.spans


def test_an_edited_article_is_refused_as_the_full_reader_refuses_it(project: Project) -> None:
    entry = project.corpus.entries()[0]
    path = project.corpus.folder / entry.file
    raw = path.read_text(encoding="utf-8").replace("meddling", "muddling")
    path.write_text(raw, encoding="utf-8")
    assert _fast_article(raw, entry) is None
    with pytest.raises(CorpusError, match="edited after import"):
        read_article_text(path, project.corpus.entries()[0])
