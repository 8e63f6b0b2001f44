"""Speakers created while annotating: per-annotator files, merged on read, never lost."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import SchemaError
from annotator.core.project import Project
from annotator.core.session import AnnotateSession
from annotator.core.speaker_files import speakers_path
from tests.factories import LABELS


def write_speakers(project: Project, files: dict[str, str]) -> None:
    """Each annotator's speakers file with these entries (YAML list items)."""
    for annotator, body in files.items():
        path = speakers_path(project.annotations_dir, annotator)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"version: 1\nspeakers:\n{body}", encoding="utf-8")


def open_session(project: Project, annotator: str, article: int = 0) -> AnnotateSession:
    session = AnnotateSession(Project(project.root), annotator)
    session.open_article(project.corpus.ids()[article])
    return session


def test_two_editors_creating_speakers_at_once_lose_none(project: Project) -> None:
    """Same annotator, two articles open in two editors; and a second annotator."""
    first, second = open_session(project, "alice", 0), open_session(project, "alice", 1)
    third = open_session(project, "bob", 0)
    barrier = threading.Barrier(3)
    errors: list[BaseException] = []

    def create(session: AnnotateSession, names: list[str]) -> None:
        barrier.wait()
        try:
            for name in names:
                session.create_and_tag("speakers", name, "person")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    names = {first: [f"Person A{n}" for n in range(8)],
             second: [f"Person B{n}" for n in range(8)],
             third: [f"Person C{n}" for n in range(8)]}
    threads = [threading.Thread(target=create, args=item) for item in names.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    schema = Project(project.root).schema
    ids = {label.id for label in schema.layer("speakers")}
    assert {f"person-{g}{n}" for g in "abc" for n in range(8)} <= ids
    assert project.labels_path.read_text(encoding="utf-8") == LABELS  # never touched
    alice = speakers_path(project.annotations_dir, "alice").read_text(encoding="utf-8")
    assert alice.count("- id: person-a") == 8 and alice.count("- id: person-b") == 8
    assert "person-c" not in alice


def test_undo_gives_back_the_speakers_file_byte_for_byte(project: Project) -> None:
    session = open_session(project, "alice")
    session.create_and_tag("speakers", "Jane Doe", "person", ("Doe",))
    path = speakers_path(project.annotations_dir, "alice")
    before = path.read_bytes()
    session.goto(1)
    edit = session.create_and_tag("speakers", "Acme Corp", "organisation")
    assert edit.created is not None and session.schema.has("speakers", "acme-corp")
    assert session.tags(1).get("speakers") == ("acme-corp",)
    session.undo()
    assert path.read_bytes() == before
    assert not session.schema.has("speakers", "acme-corp") and session.tags(1).is_empty
    session.redo()
    assert session.schema.has("speakers", "acme-corp")


def test_a_name_or_alias_already_known_is_refused_and_nothing_written(project: Project) -> None:
    session = open_session(project, "alice")
    for name, aliases in [("Mr Pompeo", ()), ("Someone New", ("Lavrov",))]:
        with pytest.raises(SchemaError, match="already"):
            session.create_and_tag("speakers", name, "person", aliases)
    with pytest.raises(SchemaError, match="kind 'alien'"):
        session.create_and_tag("speakers", "Zed", "alien")
    assert not speakers_path(project.annotations_dir, "alice").exists()
    assert session.tags(0).is_empty and not session.history.undo


def test_validate_names_both_places_of_an_alias_two_speakers_claim(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    write_speakers(project, {"alice": "- id: jane-doe\n  name: Jane Doe\n  aliases: [Doe]\n",
                             "bob": "- id: john-doe\n  name: John Doe\n  aliases:\n  - Doe\n"})
    assert main(["--project", str(project.root), "validate"]) == 1
    out = capsys.readouterr().out
    alice = speakers_path(project.annotations_dir, "alice")
    bob = speakers_path(project.annotations_dir, "bob")
    assert f"{bob}:3: speakers: 'Doe' of 'john-doe' is also claimed by 'jane-doe' ({alice}:3" in out
    # The editor still works: the first file keeps the spelling.
    assert Project(project.root).schema.resolve("speakers", "Doe") == "jane-doe"


def test_a_broken_speakers_file_is_reported_with_its_line(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = speakers_path(project.annotations_dir, "alice")
    path.parent.mkdir(parents=True)
    path.write_text("version: 1\nspeakers:\n- id: Bad Id\n  name: X\nclaim:\n- id: y\n",
                    encoding="utf-8")
    assert main(["--project", str(project.root), "validate"]) == 1
    out = capsys.readouterr().out
    assert f"{path}:3:" in out and "Bad Id" in out
    assert f"{path}:5:" in out and "'claim' is not an entity layer" in out


def test_a_created_speaker_is_known_to_everyone_reading_the_project(
        project: Project, tmp_path: Path) -> None:
    session = open_session(project, "alice")
    session.create_and_tag("speakers", "Jane Doe", "person")
    assert main(["--project", str(project.root), "validate"]) == 0
    bob = open_session(project, "bob")
    assert bob.schema.resolve("speakers", "jane doe") == "jane-doe"


def test_a_speakers_file_claiming_names_of_labels_yaml_is_told_whose_they_are(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """labels.yaml's spellings come first, each named as written there; an entity already
    there by id gains the file's new aliases."""
    files = {"alice": "- id: mike-p\n  name: M. Pompeo\n  aliases: [mr. pompeo, Lavrov]\n"
                      "- id: pompeo\n  name: Mike Pompeo\n  aliases: [The Secretary]\n",
             "bob": "- id: sergey\n  name: SERGEY  LAVROV\n"}
    write_speakers(project, files)
    assert main(["--project", str(project.root), "validate"]) == 1
    out = capsys.readouterr().out
    alice = speakers_path(project.annotations_dir, "alice")
    bob = speakers_path(project.annotations_dir, "bob")
    labels, merge = project.root / "labels.yaml", "merge them with `annotator speakers merge`"
    assert [line for line in out.splitlines() if "claimed" in line] == [
        f"{alice}:3: speakers: 'mr. pompeo' of 'mike-p' is also claimed by 'pompeo' "
        f"({labels}:4, as 'Mr Pompeo'); {merge}",
        f"{alice}:3: speakers: 'Lavrov' of 'mike-p' is also claimed by 'lavrov' "
        f"({labels}:8, as 'lavrov'); {merge}",
        f"{bob}:3: speakers: 'SERGEY  LAVROV' of 'sergey' is also claimed by 'lavrov' "
        f"({labels}:8, as 'Sergey Lavrov'); {merge}"]
    schema = Project(project.root).schema
    assert [schema.resolve("speakers", name) for name in
            ("Mr Pompeo", "the secretary", "M Pompeo", "sergey lavrov", "Lavrov")] == \
        ["pompeo", "pompeo", "mike-p", "lavrov", "lavrov"]
