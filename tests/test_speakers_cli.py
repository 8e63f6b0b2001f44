"""`annotator speakers`: what a lead types, what it prints, what ends up on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from annotator.cli import main
from annotator.core.lock import ArticleLock
from annotator.core.project import Project
from annotator.core.session import AnnotateSession
from annotator.core.speaker_files import speakers_path
from annotator.core.tags import SentenceTags
from tests.factories import LABELS


def tag(project: Project, annotator: str, index: int, *speakers: str,
        create: tuple[str, str] | None = None) -> Path:
    session = AnnotateSession(Project(project.root), annotator)
    session.open_article(project.corpus.ids()[0])
    session.goto(index)
    if create is not None:
        session.create_and_tag("speakers", create[0], create[1])
    for speaker in speakers:
        session.toggle_label("speakers", speaker)
    session.close()
    return project.store.path(annotator, project.corpus.ids()[0])


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".annotator" not in p.parts}


def speakers_on_disk(path: Path) -> dict[int, list[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {e["index"]: e.get("speakers", []) for e in data["sentences"]}


def run(project: Project, *args: str) -> int:
    return main(["--project", str(project.root), "speakers", *args])


def test_list_counts_uses_per_annotator_and_unused(project: Project,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    tag(project, "alice", 3, "lavrov")
    tag(project, "bob", 3, "lavrov", create=("Sergei L", "person"))
    assert run(project, "list") == 0
    out = capsys.readouterr().out
    assert "lavrov" in out and "alice 1, bob 1" in out
    assert "sergei-l" in out and "created by bob" in out
    assert "unused: 2" in out  # pompeo, kremlin
    assert "by source: created by bob 1, labels.yaml 3" in out


def test_merge_rewrites_every_file_and_keep_takes_the_names(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    alice = tag(project, "alice", 3, create=("Sergei L", "person"))
    bob = tag(project, "bob", 3, "lavrov", create=("S. Lavrov", "person"))
    before = snapshot(project.root)
    assert run(project, "merge", "lavrov", "sergei-l", "s-lavrov", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would rewrite annotations/alice/" in out and "would rewrite annotations/bob/" in out
    assert snapshot(project.root) == before  # a dry run writes nothing
    assert run(project, "merge", "lavrov", "sergei-l", "s-lavrov") == 0
    assert speakers_on_disk(alice)[3] == ["lavrov"]
    assert speakers_on_disk(bob)[3] == ["lavrov"]
    labels = project.labels_path.read_text(encoding="utf-8")
    assert labels.startswith(LABELS.split("\n", 1)[0]) and "# Claims: one per sentence." in labels
    schema = Project(project.root).schema
    assert schema.resolve("speakers", "Sergei L") == "lavrov"
    assert schema.resolve("speakers", "S. Lavrov") == "lavrov"
    assert not schema.has("speakers", "sergei-l")
    assert not speakers_path(project.annotations_dir, "alice").exists()
    assert main(["--project", str(project.root), "validate"]) == 0


def test_merge_of_two_labels_yaml_entries_keeps_comments(project: Project) -> None:
    path = tag(project, "alice", 3, "kremlin")
    assert run(project, "merge", "lavrov", "kremlin") == 0
    labels = project.labels_path.read_text(encoding="utf-8")
    assert "id: kremlin" not in labels and "# Claims: one per sentence." in labels
    assert '"The Kremlin"' in labels or "The Kremlin" in labels
    assert Project(project.root).schema.resolve("speakers", "Kremlin") == "lavrov"
    assert speakers_on_disk(path)[3] == ["lavrov"]


@pytest.mark.parametrize("args", [("merge", "lavrov", "lavrov"), ("merge", "nobody", "lavrov"),
                                  ("merge", "lavrov", "nobody"), ("rename", "nobody", "x"),
                                  ("rename", "lavrov", "pompeo")])
def test_bad_merges_exit_2_and_write_nothing(project: Project, args: tuple[str, ...],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    tag(project, "alice", 3, "lavrov", "kremlin")
    before = snapshot(project.root)
    assert run(project, *args) == 2
    assert "nothing was changed" in capsys.readouterr().err
    assert snapshot(project.root) == before


def test_merge_refuses_while_an_editor_holds_a_file_it_must_change(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    tag(project, "alice", 3, "kremlin")
    lock = ArticleLock(project.annotations_dir / "alice" / f".{project.corpus.ids()[0]}.lock",
                       "alice")
    lock.acquire()
    try:
        before = snapshot(project.root)
        assert run(project, "merge", "lavrov", "kremlin") == 1
        assert "has " in capsys.readouterr().err
        assert snapshot(project.root) == before
    finally:
        lock.release()
    assert run(project, "merge", "lavrov", "kremlin") == 0


def test_rename_changes_the_id_everywhere(project: Project) -> None:
    path = tag(project, "alice", 3, "lavrov")
    assert run(project, "rename", "lavrov", "sergey-lavrov") == 0
    assert speakers_on_disk(path)[3] == ["sergey-lavrov"]
    assert "id: sergey-lavrov" in project.labels_path.read_text(encoding="utf-8")
    assert main(["--project", str(project.root), "validate"]) == 0


def test_promote_moves_created_speakers_into_labels_keeping_comments(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = tag(project, "alice", 3, create=("Jane Doe", "person"))
    assert run(project, "promote", "alice") == 0
    assert "jane-doe" in capsys.readouterr().out
    labels = project.labels_path.read_text(encoding="utf-8")
    assert "id: jane-doe" in labels and "# Claims: one per sentence." in labels
    assert not speakers_path(project.annotations_dir, "alice").exists()
    schema = Project(project.root).schema
    entity = schema.get("speakers", "jane-doe")
    assert entity is not None and getattr(entity, "origin", "x") is None
    assert speakers_on_disk(path)[3] == ["jane-doe"]
    assert main(["--project", str(project.root), "validate"]) == 0


def test_rename_takes_mention_and_content_spans_along(project: Project) -> None:
    """brat's Source and Content spans are labelled with the speaker's id: a renamed
    speaker's spans must name the new id, or validate and export would find a stranger."""
    article = project.corpus.load(project.corpus.ids()[0])
    start, end = article.spans[3]
    doc = project.store.load("alice", article.id)
    doc.tags[3] = SentenceTags.of(speakers=["lavrov"]).with_spans([
        ("speakers", "lavrov", start, start + 4), ("content", "lavrov", start + 5, end)])
    project.store.save(doc, article)
    assert run(project, "rename", "lavrov", "sergey-lavrov") == 0
    data = yaml.safe_load(project.store.path("alice", article.id).read_text(encoding="utf-8"))
    (entry,) = [e for e in data["sentences"] if e["index"] == 3]
    assert entry["speakers"] == ["sergey-lavrov"]
    assert sorted((s["layer"], s["label"]) for s in entry["spans"]) == [
        ("content", "sergey-lavrov"), ("speakers", "sergey-lavrov")]
    assert main(["--project", str(project.root), "validate"]) == 0
