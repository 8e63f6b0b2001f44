"""Exports read fast and exactly: articles through the fast article reader (which defers
to the full loader for anything unusual), annotation files through the one codec."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.annotation_file import AnnotationDoc
from annotator.core.article import read_article
from annotator.core.article_file import literal_text, span_numbers
from annotator.core.errors import CorpusError
from annotator.core.formats.article_text import _fast_article, read_article_text
from annotator.core.importer import build_article
from annotator.core.project import Project
from annotator.core.tags import SentenceTags


def _export(project: Project, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict], str]:
    code = main(["--project", str(project.root), "export"])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def _save(project: Project, tags: dict[int, SentenceTags]) -> Path:
    article = project.corpus.load(project.corpus.ids()[0])
    project.store.save(AnnotationDoc(article.id, "alice", dict(tags)), article)
    return project.store.path("alice", article.id)


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


@pytest.mark.parametrize("text", [
    "Plain text.\n", "  Leading spaces.\n", "Line\n\n\n\nGap.\n", "Quote: \"yes\" — ok…\n",
    "One.\n  Indented second.\n\n  Third.\n", "Two trailing.\n\n\n",
])
def test_the_dumpers_literal_blocks_are_read_without_the_yaml_loader(
        tmp_path: Path, text: str) -> None:
    """What import writes as `text: |` is read by the fast reader itself: a fallback to the
    YAML loader would give the same text, only slower, so no other test would notice."""
    project = Project(tmp_path)
    (tmp_path / "labels.yaml").write_text("speakers: []\nclaim: []\ntopics: []\n")
    path = project.corpus.write(build_article(text))
    raw = path.read_text(encoding="utf-8")
    at = raw.index("\ntext: |") + 1
    assert literal_text(raw, at) == text
    numbers = span_numbers(raw[raw.index("\nsentences:\n") + 12:at])
    assert numbers is not None
    assert tuple(zip(numbers[0::2], numbers[1::2])) == build_article(text).spans


def test_an_edited_article_is_refused_as_the_full_reader_refuses_it(project: Project) -> None:
    entry = project.corpus.entries()[0]
    path = project.corpus.folder / entry.file
    raw = path.read_text(encoding="utf-8").replace("meddling", "muddling")
    path.write_text(raw, encoding="utf-8")
    assert _fast_article(raw, entry) is None
    with pytest.raises(CorpusError, match="edited after import"):
        read_article_text(path, project.corpus.entries()[0])


def test_a_hand_edited_annotation_file_exports_as_the_canonical_one(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = _save(project, {
        2: SentenceTags.of(speakers=["pompeo"], claim="fact", topics=["elections"],
                           note="it's fine"),
        3: SentenceTags.of(claim="opinion"),
    })
    code, canonical, _ = _export(project, capsys)
    assert code == 0 and len(canonical) == 2
    edited = path.read_text(encoding="utf-8").replace("sentences:", "# checked\nsentences:")
    edited = edited.replace("[elections]", "\n    - elections")  # a block list
    path.write_text(edited, encoding="utf-8")
    code, again, _ = _export(project, capsys)
    assert code == 0 and again == canonical


def test_a_broken_annotation_file_is_named_with_the_codecs_message(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = _save(project, {2: SentenceTags.of(claim="fact"), 3: SentenceTags.of(claim="fact")})
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.rindex("- index:")], encoding="utf-8")  # cut short
    code, records, err = _export(project, capsys)
    assert code == 1 and records == []
    assert f"{path}:" in err and "cut short" in err and "export incomplete" in err


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_worker_without_the_index_writes_the_same(project: Project, fmt: str) -> None:
    """Spawned workers read each file with the codec; forked ones and the main process
    use the annotation index: the text and the report must not depend on which."""
    from annotator.core.formats import export_run
    from annotator.core.formats.export_records import (
        ExportReport,
        Selection,
        indexed_files,
        plan_articles,
    )

    first, second = (project.corpus.load(i) for i in project.corpus.ids())
    project.store.save(AnnotationDoc(first.id, "alice", {
        0: SentenceTags.of(claim="rumour", note="unknown label"),
        2: SentenceTags.of(speakers=["pompeo"], claim="fact", topics=["elections"]),
        3: SentenceTags.of(note="only a note"),
        4: SentenceTags.of(not_content=True, claim="fact"),
        5: SentenceTags.of(mood=["grim"]),
    }), first)
    project.store.save(AnnotationDoc(second.id, "bob", {1: SentenceTags.of(claim="opinion")}),
                       second)
    selection = Selection(("alice", "bob"), all_sentences=True)
    plan = plan_articles(project, selection, ExportReport())
    root = str(project.root)
    by_codec = export_run._Job(root, selection, fmt, True, None).run(plan)
    files = indexed_files(project, selection.annotators)
    by_index = export_run._Job(root, selection, fmt, True, files).run(plan)
    assert by_codec[0] == by_index[0] and len(by_codec[0]) == 2
    assert by_codec[1].warnings() == by_index[1].warnings() != []
    assert (by_codec[1].records, by_codec[1].not_content, by_codec[1].note_only) == (
        by_index[1].records, by_index[1].not_content, by_index[1].note_only)
