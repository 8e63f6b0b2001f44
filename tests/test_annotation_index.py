"""The one annotation index: every annotator's files read once, the cache only a shortcut.

Stats, validate, review, agree and export read annotation files through it; a file that
did not change is not parsed again, a damaged cache is rebuilt, and a broken file is a
problem with its line, never a crash.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.annotation_file import AnnotationDoc
from annotator.core.annotation_index import AnnotationIndex, FileRecords, read_file_records
from annotator.core.project import Project
from annotator.core.tags import SentenceTags
from tests.factories import ARTICLE_A, LAYERED_LABELS, make_project

# annotator -> {sentence: tags}, on the first article
PLAN = {
    "alice": {2: SentenceTags.of(claim="fact", stance="for"),
              3: SentenceTags.of(claim="fact", quote=["direct", "partial"]),
              4: SentenceTags.of(claim="opinion", note="why?")},
    "bob": {2: SentenceTags.of(claim="opinion", speakers=["pompeo"]),
            3: SentenceTags.of(not_content=True),
            5: SentenceTags.of(note="only a note")},
}


@pytest.fixture
def layered(tmp_path: Path) -> tuple[Project, str]:
    project = make_project(tmp_path / "p", labels=LAYERED_LABELS)
    article = project.corpus.load(project.corpus.ids()[0])
    for name, tags in PLAN.items():
        project.store.save(AnnotationDoc(article.id, name, dict(tags)), article)
    return project, article.id


def test_records_hold_each_layer_as_a_column(layered: tuple[Project, str]) -> None:
    project, article_id = layered
    alice = project.index.file("alice", article_id)
    assert alice.sentences == (2, 3, 4) and alice.problem is None
    assert alice.column("claim") == (("fact",), ("fact",), ("opinion",))
    assert alice.column("stance") == (("for",), (), ())
    assert alice.column("quote") == ((), ("direct", "partial"), ())
    assert alice.column("never-declared") == ((), (), ())
    assert alice.tags() == PLAN["alice"] and alice.plain and not alice.has_provenance
    bob = project.index.file("bob", article_id)
    assert bob.sentences == (2, 3, 5) and not bob.plain
    assert bob.not_content == (False, True, False)
    assert bob.tagged == (True, True, False)  # a note alone is not a decision
    assert bob.text_sha == project.corpus.load(article_id).text_sha


def test_of_tags_leaves_out_empty_sentences_and_sorts() -> None:
    records = FileRecords.of_tags("a", [(5, SentenceTags.of(claim="x")), (1, SentenceTags()),
                                        (0, SentenceTags.of(topics=["t", "u"]))])
    assert records.sentences == (0, 5)
    assert records.layers == {"claim": ((), ("x",)), "topics": (("t", "u"), ())}


def test_a_broken_file_is_a_problem_with_its_line_not_a_crash(
        layered: tuple[Project, str]) -> None:
    project, article_id = layered
    path = project.store.path("bob", article_id)
    path.write_text("version: 1\nsentences:\n- index: 2\n  claim: [unclosed\n")
    found = read_file_records(path, article_id, "bob")
    assert found.rows == () and found.problem is not None
    assert found.problem.line is not None and str(found.problem).startswith(f"{path}:")
    assert project.index.annotator("bob").problems == [found.problem]


def test_unchanged_files_are_not_parsed_again(layered: tuple[Project, str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    project, article_id = layered
    cache_dir = project.state_dir / "index"
    first = AnnotationIndex(project.store, cache_dir).annotator("alice")
    assert (cache_dir / "alice.bin").exists()
    reads: list[str] = []
    real = read_file_records

    def counting(path: Path, *args: str) -> FileRecords:
        reads.append(path.name)
        return real(path, *args)

    monkeypatch.setattr("annotator.core.annotation_index.read_file_records", counting)
    second = AnnotationIndex(project.store, cache_dir).annotator("alice")
    assert reads == []  # every file matched its cached size and mtime
    assert second.files[article_id].rows == first.files[article_id].rows
    assert second.files[article_id].tags() == PLAN["alice"]
    path = project.store.path("alice", article_id)
    path.write_text(path.read_text().replace("claim: opinion", "claim: fact"))
    third = AnnotationIndex(project.store, cache_dir).annotator("alice")
    assert reads == [path.name]
    assert third.files[article_id].column("claim") == (("fact",),) * 3
    path.unlink()
    assert AnnotationIndex(project.store, cache_dir).annotator("alice").files == {}


def test_a_damaged_cache_is_rebuilt(layered: tuple[Project, str]) -> None:
    project, article_id = layered
    cache_dir = project.state_dir / "index"
    AnnotationIndex(project.store, cache_dir).annotator("bob")
    blob = (cache_dir / "bob.bin").read_bytes()
    for damaged in (b"", blob[:40], blob[:-3] + b"xyz", b"junk" * 50):
        (cache_dir / "bob.bin").write_bytes(damaged)
        files = AnnotationIndex(project.store, cache_dir).annotator("bob").files
        assert files[article_id].tags() == PLAN["bob"]


def test_files_are_read_and_cached_in_article_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are parsed, kept and cached in article order, not the folder listing's: the
    same order every run, and neighbouring articles' records (and the objects the codec
    shares between them) sit together in memory, so an export worker touches, and
    copies, only its own chunks' pages."""
    texts = tuple(f"{ARTICLE_A}\nVariant {n}.\n" for n in range(6))
    project = make_project(tmp_path / "p", texts, labels=LAYERED_LABELS)
    cache_dir = project.state_dir / "index"
    first, *others = sorted(project.corpus.ids())
    for article_id in [*others, first]:  # the first article's file is written last
        article = project.corpus.load(article_id)
        project.store.save(AnnotationDoc(article_id, "carol", dict(PLAN["alice"])), article)
    reads: list[str] = []

    def counting(path: Path, *args: str) -> FileRecords:
        reads.append(path.stem)
        return read_file_records(path, *args)

    monkeypatch.setattr("annotator.core.annotation_index.read_file_records", counting)
    just_read = AnnotationIndex(project.store, cache_dir).annotator("carol").files
    assert reads == list(just_read) == [first, *others]
    from_cache = AnnotationIndex(project.store, cache_dir).annotator("carol").files
    assert reads == list(from_cache)  # nothing read again


def test_release_forgets_an_annotator_but_keeps_what_was_read(
        layered: tuple[Project, str], monkeypatch: pytest.MonkeyPatch) -> None:
    project, article_id = layered
    index = project.index
    index.file("alice", article_id)  # read file by file (the review list): not yet cached
    assert not (project.state_dir / "index" / "alice.bin").exists()
    index.release("alice")
    assert (project.state_dir / "index" / "alice.bin").exists()  # written before forgetting
    monkeypatch.setattr("annotator.core.annotation_index.read_file_records",
                        lambda *args: pytest.fail("re-read an unchanged file"))
    assert index.annotator("alice").files[article_id].tags() == PLAN["alice"]


def test_a_file_read_through_the_index_and_one_from_the_cache_are_the_same(
        layered: tuple[Project, str]) -> None:
    project, article_id = layered
    fresh = project.index.annotator("alice").files[article_id]
    cached = AnnotationIndex(project.store, project.state_dir / "index").annotator("alice")
    again = cached.files[article_id]
    assert (again.sentences, again.rows, again.layers, again.text_sha, again.plain,
            again.version) == (fresh.sentences, fresh.rows, fresh.layers, fresh.text_sha,
                               fresh.plain, fresh.version)


def test_files_parsed_in_worker_processes_are_the_same(
        layered: tuple[Project, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A large stale folder is parsed in forked workers: same records, same problems."""
    import os

    from annotator.core import annotation_index

    project, article_id = layered
    for other in project.corpus.ids()[1:]:
        article = project.corpus.load(other)
        project.store.save(AnnotationDoc(other, "bob", dict(PLAN["alice"])), article)
    project.store.path("bob", "broken").write_text("version: 1\nsentences:\n- index: [\n")
    one_by_one = AnnotationIndex(project.store, None).annotator("bob")
    monkeypatch.setattr(annotation_index, "_WORKERS_FROM", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    names = sorted(one_by_one.files)
    assert annotation_index._parse_in_workers(
        str(project.store.folder / "bob"), "bob", names) is not None
    in_workers = AnnotationIndex(project.store, None).annotator("bob")
    assert list(in_workers.files) == list(one_by_one.files)
    for name in names:
        a, b = in_workers.files[name], one_by_one.files[name]
        assert (a.sentences, a.rows, a.layers, a.text_sha, a.plain, a.version) == (
            b.sentences, b.rows, b.layers, b.text_sha, b.plain, b.version)
        assert (a.problem is None) == (b.problem is None)
    assert [str(p) for p in in_workers.problems] == [str(p) for p in one_by_one.problems]
    assert in_workers.problems and in_workers.stamps == one_by_one.stamps
