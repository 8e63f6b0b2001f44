"""Annotation files: exact round trips, no churn, atomic writes, and refusals that keep files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.core import atomic
from annotator.core.annotation_file import AnnotationDoc, read_doc
from annotator.core.errors import StoreError, UsageError
from annotator.core.importer import build_article
from annotator.core.project import Project
from annotator.core.store import check_annotator_name
from annotator.core.tags import SentenceTags
from tests.factories import LAYERED_LABELS, make_project


def first_article(project: Project):
    return project.corpus.load(project.corpus.ids()[0])


def tagged_doc(project: Project) -> AnnotationDoc:
    article = first_article(project)
    doc = AnnotationDoc(article.id, "alice")
    doc.tags[3] = SentenceTags.of(speakers=("pompeo",), claim="warning", topics=("elections",))
    doc.tags[4] = SentenceTags.of(note="check: [bold] not markup", not_content=True)
    doc.tags[5] = SentenceTags.of(speakers=("lavrov", "kremlin"), topics=("diplomacy", "sanctions"))
    return doc


def write_doc(project: Project, text: str, annotator: str = "alice") -> Path:
    path = project.store.path(annotator, project.corpus.ids()[0])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_round_trip_keeps_every_field_and_the_line_of_each_sentence(project: Project) -> None:
    article = first_article(project)
    doc = tagged_doc(project)
    assert project.store.save(doc, article) is True
    loaded = project.store.load("alice", article.id)
    assert loaded.tags == doc.tags
    assert loaded.text_sha == article.text_sha
    text = project.store.path("alice", article.id).read_text()
    for index, line in loaded.lines.items():
        assert text.splitlines()[line - 1] == f"- index: {index}"
    assert "speakers: [lavrov, kremlin]" in text  # set order as the annotator chose it
    sentence = article.sentences[3]
    assert loaded.spans[3] == (sentence.start, sentence.end, sentence.hash)


def test_layers_are_written_in_labels_yaml_order_single_ones_as_one_value(
        tmp_path: Path) -> None:
    """Layers are data: a project's own layers are written as its labels.yaml declares them."""
    project = make_project(tmp_path / "layered", labels=LAYERED_LABELS)
    article = first_article(project)
    doc = AnnotationDoc(article.id, "alice")
    doc.tags[2] = SentenceTags.of(topics=["sanctions"], quote=["partial", "direct"],
                                  stance="against", claim="fact", speakers=["lavrov"])
    doc.tags[3] = SentenceTags.of(stance="for", mood=["calm"])  # a layer labels.yaml lacks
    project.store.save(doc, article)
    text = project.store.path("alice", article.id).read_text()
    entry = text[text.index("- index: 2"):text.index("- index: 3")]
    assert entry.splitlines()[4:] == ["  speakers: [lavrov]", "  claim: fact",
                                      "  stance: against", "  quote: [partial, direct]",
                                      "  topics: [sanctions]"]
    assert text.endswith("  stance: for\n  mood: [calm]\n")  # kept, after the declared ones
    assert project.store.load("alice", article.id).tags == doc.tags


def test_saving_an_unchanged_doc_rewrites_nothing(project: Project) -> None:
    article = first_article(project)
    project.store.save(tagged_doc(project), article)
    path = project.store.path("alice", article.id)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = path.read_bytes()
    reloaded = project.store.load("alice", article.id)
    assert project.store.save(reloaded, article) is False
    assert path.stat().st_mtime_ns == 1_000_000_000
    assert path.read_bytes() == before


def test_a_doc_with_nothing_tagged_creates_no_file(project: Project) -> None:
    article = first_article(project)
    doc = AnnotationDoc(article.id, "alice", tags={2: SentenceTags()})
    assert project.store.save(doc, article) is False
    assert not project.store.path("alice", article.id).exists()


def test_atomic_write_leaves_no_temporary_files(project: Project) -> None:
    article = first_article(project)
    doc = tagged_doc(project)
    project.store.save(doc, article)
    doc.tags[2] = SentenceTags.of(claim="fact")
    project.store.save(doc, article)
    folder = project.store.path("alice", article.id).parent
    assert sorted(p.name for p in folder.iterdir()) == [f"{article.id}.yaml"]


def test_a_failed_write_keeps_the_old_file_and_removes_the_temp(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = first_article(project)
    doc = tagged_doc(project)
    project.store.save(doc, article)
    path = project.store.path("alice", article.id)
    before = path.read_bytes()

    def refuse(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", refuse)
    doc.tags[2] = SentenceTags.of(claim="fact")
    with pytest.raises(OSError):
        project.store.save(doc, article)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("version: 1\nsentences:\n- index: 3\n  Colour: red\n", 3, "'Colour' is not a layer id"),
        ("version: 1\nsentences:\n- index: 3\n  claim: fact\n- index: 3\n", 5, "appears twice"),
        ("version: 1\nsentences:\n- index: -1\n", 3, "without a valid index"),
        ("version: 1\nsentences:\n- just text\n", 3, "must be a mapping"),
        ("version: 1\nsentences:\n- index: 2\n  speakers: {a: 1}\n", 3, "expected label ids"),
        ("[1, 2, 3]\n", 1, "not an annotation file"),
        ("version: 99\nsentences: []\n", 1, "newer than this annotator understands"),
        ("version: 1\nsentences: {index: 1}\n", 2, "'sentences' must be a list"),
        ("version: 1\nsentences:\n- index: 1\n  claim: [unclosed\n", 5, ""),
        ("version: 1\nnote: !!python/object/apply:os.system [echo]\n", 2,
         "!!python/object are refused"),
    ],
)
def test_a_bad_file_is_refused_with_its_line_and_left_byte_identical(
    project: Project, text: str, line: int, fragment: str
) -> None:
    path = write_doc(project, text)
    with pytest.raises(StoreError) as info:
        project.store.load("alice", project.corpus.ids()[0])
    (problem,) = info.value.problems
    assert problem.path == path and problem.line == line
    assert fragment in problem.message and "left as is" in problem.message
    assert path.read_text(encoding="utf-8") == text


def test_a_file_that_is_not_utf8_is_refused(project: Project) -> None:
    path = write_doc(project, "")
    path.write_bytes(b"version: 1\nsentences:\n- index: 1\n  note: caf\xe9\n")
    with pytest.raises(StoreError, match="not UTF-8"):
        read_doc(path)


def test_an_empty_file_is_an_empty_doc(project: Project) -> None:
    path = write_doc(project, "")
    doc = read_doc(path)
    assert doc.tags == {} and doc.annotator == "alice"
    assert doc.article_id == project.corpus.ids()[0]


def test_unknown_top_level_keys_are_kept_on_save(project: Project) -> None:
    article = first_article(project)
    path = write_doc(project, "version: 1\nreviewed_by: carol\nsentences:\n- index: 3\n"
                              "  claim: fact\n")
    doc = read_doc(path, article.id, "alice")
    doc.tags[4] = SentenceTags.of(claim="opinion")
    project.store.save(doc, article)
    assert "reviewed_by: carol" in path.read_text()
    assert read_doc(path).tags[4].first("claim") == "opinion"


def test_tags_on_sentences_beyond_the_article_are_kept(project: Project) -> None:
    article = first_article(project)
    far = len(article.spans) + 5
    path = write_doc(project, f"version: 1\nsentences:\n- index: {far}\n  start: 900\n"
                              "  end: 950\n  hash: abcd1234\n  claim: fact\n")
    doc = read_doc(path, article.id, "alice")
    doc.tags[0] = SentenceTags.of(claim="opinion")
    project.store.save(doc, article)
    again = read_doc(path)
    assert again.tags[far].first("claim") == "fact" and again.spans[far] == (900, 950, "abcd1234")


def test_drift_names_the_sentences_that_changed(tmp_path: Path) -> None:
    old = build_article("One thing. Two things. Three things.\n", "a.txt", article_id="a")
    new = build_article("One thing. Two changes. Three things.\n", "a.txt", article_id="a")
    doc = AnnotationDoc("a", "alice", tags={0: SentenceTags.of(claim="fact"),
                                            1: SentenceTags.of(claim="fact")})
    path = tmp_path / "a.yaml"
    path.write_text(doc.to_yaml(old))
    loaded = read_doc(path)
    assert loaded.drift(old) == []
    assert loaded.drift(new) == ["sentence 1 changed"]


@pytest.mark.parametrize("name", ["alice", "Bob.Smith", "carol_2", "d-e@example.org"])
def test_usable_annotator_names(name: str) -> None:
    assert check_annotator_name(name) == name


@pytest.mark.parametrize("name", ["", "../etc", "a/b", "..", "a..b", "tab\there", "bell\x07",
                                  ".hidden", "with space", "x" * 65])
def test_annotator_names_that_could_escape_or_confuse_are_refused(name: str) -> None:
    with pytest.raises(UsageError) as info:
        check_annotator_name(name)
    assert info.value.exit_code == 2
    assert "\x07" not in str(info.value) and "\t" not in str(info.value)
