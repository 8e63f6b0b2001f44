"""The bulk reader behind `agree` and the review list: fast, never wrong, cache only a shortcut."""

from __future__ import annotations

import random

import pytest

from annotator.core.article import Article
from annotator.core.project import Project
from annotator.core.annotation_index import (
    AnnotationIndex,
    parse_canonical,
    read_file_records,
)
from annotator.core.annotation_file import AnnotationDoc, read_doc
from annotator.core.tags import SentenceTags
from tests.test_review import tag_plan

TRICKY = ["fact", "yes", "no", "null", "~", "true", "1", "012", "1e3", "3.5", "2019-05-01",
          "a b", "a: b", "a #b", "#x", "'q'", '"dq"', "[x]", "x, y", "-x", "é-ü", "x\ny",
          "trailing ", " lead", "", "::", "*x", "&a", "!t", "%p", "@at", "`b", "a'b", "ok.1",
          "speaker-1", "topic_2", "x" * 120, "tab\there", "[President]", "\x1b[31m"]


PLAIN = ["fact", "opinion", "speaker-1", "topic_2", "kremlin", "x.y", "a-b"]


def random_doc(rng: random.Random, article: Article) -> AnnotationDoc:
    doc = AnnotationDoc(article.id, "ann")
    for index in range(len(article.spans)):
        if rng.random() < 0.3:
            continue
        def pick() -> str:
            return rng.choice(TRICKY) if rng.random() < 0.04 else rng.choice(PLAIN)

        doc.tags[index] = SentenceTags(
            speakers=tuple({pick() for _ in range(rng.randint(0, 2))} - {""}),
            claim=rng.choice([None, pick()]) or None,
            topics=tuple({pick() for _ in range(rng.randint(0, 3))} - {""}),
            note=rng.choice([None, None, pick()]) or None,
            not_content=rng.random() < 0.1,
            agrees_with=tuple(rng.sample(["a", "b", "yes"], rng.randint(0, 2))),
            overrules=tuple(rng.sample(["c", "d"], rng.randint(0, 1))),
        )
    return doc


def test_fast_reader_matches_the_yaml_loader_or_declines(project: Project, tmp_path) -> None:
    """Whatever the values, the fast path gives exactly what the safe loader gives, or None."""
    rng = random.Random(3)
    article = project.corpus.load(project.corpus.ids()[0])
    fast = declined = 0
    for number in range(300):
        doc = random_doc(rng, article)
        text = doc.to_yaml(article)
        path = tmp_path / f"doc{number}.yaml"
        path.write_text(text, encoding="utf-8")
        expected = [(i, t) for i, t in sorted(read_doc(path).tags.items())]
        records = parse_canonical(text)
        if records is None:
            declined += 1
            continue
        fast += 1
        got = [(r[0], SentenceTags(r[1], r[2], r[3], r[5], r[4], r[6], r[7])) for r in records]
        assert got == expected, text
    assert fast > 30 and declined > 30  # both paths were exercised


def test_plain_store_files_take_the_fast_path(project: Project) -> None:
    article_id = tag_plan(project)
    text = project.store.path("alice", article_id).read_text()
    records = parse_canonical(text)
    assert records is not None and [r[0] for r in records] == [2, 3, 4]
    assert parse_canonical(text.replace("  claim: fact\n", "  claim: fact  # why\n", 1)) is None
    assert parse_canonical(text.replace("\n", "\r\n")) is None
    assert parse_canonical(text.replace("version: 1", "version: 2")) is None
    assert parse_canonical(text + "- index: 2\n  start: 0\n  end: 1\n  hash: ab\n") is None


def test_broken_file_is_a_problem_not_a_crash(project: Project) -> None:
    article_id = tag_plan(project)
    path = project.store.path("bob", article_id)
    path.write_text("version: 1\nsentences:\n- index: 2\n  claim: [unclosed\n")
    found = read_file_records(path, article_id, "bob")
    assert found.flat == () and found.problem is not None
    assert found.problem.line is not None and str(path) in str(found.problem)


def test_cache_is_used_and_follows_changes(project: Project,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    article_id = tag_plan(project)
    cache_dir = project.state_dir / "index"
    first = AnnotationIndex(project.store, cache_dir).annotator("alice")
    assert (cache_dir / "alice.bin").exists()
    reads: list[str] = []
    real = read_file_records

    def counting(path, *args, **kwargs):
        reads.append(path.name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr("annotator.core.annotation_index.read_file_records", counting)
    second = AnnotationIndex(project.store, cache_dir).annotator("alice")
    assert reads == []  # nothing parsed: every file matched its cached size and mtime
    assert second.files[article_id].flat == first.files[article_id].flat
    path = project.store.path("alice", article_id)
    path.write_text(path.read_text().replace("claim: opinion", "claim: warning"))
    third = AnnotationIndex(project.store, cache_dir).annotator("alice")
    assert reads == [path.name]
    assert third.files[article_id].column(2) == ("fact", "fact", "warning")
    path.unlink()
    assert AnnotationIndex(project.store, cache_dir).annotator("alice").files == {}


def test_damaged_cache_is_rebuilt(project: Project) -> None:
    article_id = tag_plan(project)
    cache_dir = project.state_dir / "index"
    AnnotationIndex(project.store, cache_dir).annotator("bob")
    blob = (cache_dir / "bob.bin").read_bytes()
    for damaged in (b"", blob[:40], blob[:-3] + b"xyz", b"junk" * 50):
        (cache_dir / "bob.bin").write_bytes(damaged)
        files = AnnotationIndex(project.store, cache_dir).annotator("bob").files
        assert files[article_id].column(2) == ("opinion", "fact", "warning")
