"""Which rows of an annotation file an export writes, with their spans and notes, when
files of several annotators mix labels, notes alone, not-content marks and labels
labels.yaml does not know (RecordBuilder.records)."""

from __future__ import annotations

import pytest

from annotator.cli import main
from annotator.core.project import Project
from annotator.core.tags import SentenceTags


def T(speakers: tuple[str, ...] = (), claim: str | None = None, topics: tuple[str, ...] = (),
      **meta: object) -> SentenceTags:
    return SentenceTags.of(speakers=speakers, claim=claim, topics=topics, **meta)


def _tag(project: Project, annotator: str, article_index: int,
         tags: dict[int, SentenceTags]) -> None:
    article = project.corpus.load(project.corpus.ids()[article_index])
    doc = project.store.load(annotator, article.id)
    for index, sentence_tags in tags.items():
        start, end = article.spans[index]
        if sentence_tags.values and index % 2 == 0:  # spans on every other sentence
            sentence_tags = sentence_tags.with_spans(
                [("speakers", who, start + n, start + n + 2)
                 for n, who in enumerate(sentence_tags.get("speakers") or ())]
                + [("claim", sentence_tags.first("claim") or "fact", start, end - 1)])
        doc.tags[index] = sentence_tags
    project.store.save(doc, article)


@pytest.fixture
def mixed(project: Project) -> Project:
    # Labels on every row.
    _tag(project, "alice", 0, {0: T(("pompeo",), "fact", ("elections",), note="n, “q”"),
                               2: T(("pompeo", "lavrov"), None, ("diplomacy",)),
                               3: T(claim="opinion")})
    _tag(project, "bob", 0, {0: T(("pompeo",), "fact", ("elections",)),
                             2: T(("lavrov",), "opinion"), 4: T(topics=("diplomacy",))})
    _tag(project, "alice", 1, {1: T(claim="opinion"), 2: T(("lavrov",))})
    # A note alone and a not-content mark (neither exported), an unknown label (exported).
    _tag(project, "carol", 0, {0: T(("pompeo",), "fact"), 1: T(note="only a note"),
                               2: T(not_content=True), 3: T(claim="made-up")})
    _tag(project, "carol", 1, {2: T(("lavrov",), "fact")})
    # Something to warn about: a layer labels.yaml does not declare (that row is not
    # exported at all) and an unknown label.
    _tag(project, "dave", 1, {0: SentenceTags.of(mood=["grim"]), 1: T(claim="made-up")})
    return project


def _export(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    code = main(["--project", str(project.root), "export", *args])
    out, err = capsys.readouterr()
    assert code == 0
    return out, err


def test_every_decided_row_is_exported_with_its_spans_and_notes(
        mixed: Project, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    out, err = _export(mixed, capsys)
    records = [json.loads(line) for line in out.splitlines()]
    alice = [r for r in records if r["annotator"] == "alice" and r["article"] == records[0]["article"]]
    assert [r["number"] for r in alice] == [1, 3, 4]
    first = alice[0]
    assert first["note"] == "n, “q”" and first["speakers"] == ["pompeo"]
    assert first["speaker_mentions"] == [{"speaker": "pompeo", "start": first["start"],
                                          "end": first["start"] + 2}]
    assert first["spans"] == [{"layer": "claim", "label": "fact", "start": first["start"],
                               "end": first["end"] - 1}]
    assert alice[2]["spans"] == [] and alice[2]["claim"] == "opinion"
    assert [(r["number"], r["claim"]) for r in records if r["annotator"] == "dave"] == [
        (2, "made-up")]
    assert [(r["article"] == first["article"], r["number"], r["claim"]) for r in records
            if r["annotator"] == "carol"] == [(True, 1, "fact"), (True, 4, "made-up"),
                                              (False, 3, "fact")]
    assert "layer 'mood' is not in labels.yaml" in err and "'made-up'" in err
    # within a sentence, annotators in name order
    assert [r["annotator"] for r in records if r["number"] == 1
            and r["article"] == first["article"]] == ["alice", "bob", "carol"]
