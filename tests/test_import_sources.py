"""Source spans from doccano and Label Studio name who speaks by their words, resolved as
brat Sources are (core/entity_resolve.py): one entity per person however the text names
them. Samples (written for these tests): tests/data/formats/doccano_sources.jsonl and
ls_sources.json, the same news text with a span labelled Source / Speaker on each way it
names someone: "Mayor Maria Okafor", "Ms. Okafor", "CNN's Jake Tapper", "Tapper", "She",
"The host", "Secretary Pompeo"."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.project import Project

SAMPLES = Path(__file__).parent / "data" / "formats"
CASES = [("doccano", "doccano_sources.jsonl", ["--annotator", "dana"], "dana"),
         ("labelstudio", "ls_sources.json", [], "rosa")]


def run(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--project", str(project.root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def imported(project: Project, annotator: str) -> dict[int, tuple[tuple[str, ...], list[str]]]:
    """Sentence -> (speakers, the words of each speaker mention)."""
    fresh = Project(project.root)
    article_id = next(i for i in fresh.corpus.ids() if i.startswith("harbour-deal"))
    article = fresh.corpus.load(article_id)
    return {index: (tags.get("speakers"), [article.text[s[2]:s[3]] for s in tags.spans])
            for index, tags in fresh.store.load(annotator, article_id).tags.items()}


@pytest.mark.parametrize(("fmt", "name", "extra", "annotator"), CASES)
def test_source_spans_resolve_to_one_entity_per_person(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str,
        name: str, extra: list[str], annotator: str) -> None:
    shutil.copy(SAMPLES / name, tmp_path / name)
    code, out, err = run(project, capsys, "import", "--format", fmt, str(tmp_path / name),
                         *extra)
    assert code == 0, err
    fresh = Project(project.root)
    okafor = fresh.schema.get("speakers", "maria-okafor")
    tapper = fresh.schema.get("speakers", "jake-tapper")
    assert okafor is not None and okafor.name == "Maria Okafor"  # title stripped
    assert tapper is not None and tapper.name == "Jake Tapper"  # possessive prefix stripped
    # Variants become aliases: of the new entities and of one labels.yaml had already.
    assert {"Mayor Maria Okafor", "Ms. Okafor"} <= set(okafor.aliases)  # type: ignore[union-attr]
    assert "CNN's Jake Tapper" in tapper.aliases  # type: ignore[union-attr]
    assert fresh.schema.resolve("speakers", "Secretary Pompeo") == "pompeo"
    tags = imported(project, annotator)
    assert tags[1] == (("maria-okafor",), ["Mayor Maria Okafor"])
    assert tags[2] == (("maria-okafor", "jake-tapper"), ["Ms. Okafor", "CNN's Jake Tapper"])
    assert tags[3] == (("jake-tapper",), ["Tapper"])  # surname -> the full name met before
    assert tags[4] == (("maria-okafor",), ["She"])  # pronoun -> nearest fitting source
    assert tags[6] == (("pompeo",), ["Secretary Pompeo"])  # known: no new entity
    # Reported: the inferred pronoun, the description to merge, what labels.yaml gained.
    assert "'She' → Maria Okafor (inferred" in err
    assert "'The host' is a description" in err and "speakers merge" in err
    assert "Added to labels.yaml" in out and "Maria Okafor" in out and "Jake Tapper" in out
    assert "Mike Pompeo" not in out
    assert tags[5][0] == ("host",)  # a description stays its own speaker


def test_dry_run_lists_the_entities_and_writes_nothing(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    labels = project.labels_path.read_bytes()
    shutil.copy(SAMPLES / "ls_sources.json", tmp_path / "ls.json")
    code, out, err = run(project, capsys, "import", "--dry-run", str(tmp_path / "ls.json"))
    assert code == 0, err
    assert "Would be added to labels.yaml" in out and "Maria Okafor" in out
    assert project.labels_path.read_bytes() == labels
    assert not (project.annotations_dir / "rosa").exists()


def test_a_pronoun_with_nobody_before_it_is_reported_not_guessed(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "He said the talks had failed. Lavrov said they had not."
    line = {"text": text, "label": [[0, 2, "Source"], [30, 36, "Source"]]}
    source = tmp_path / "d.jsonl"
    source.write_text(json.dumps(line) + "\n", encoding="utf-8")
    code, _, err = run(project, capsys, "import", "--format", "doccano", str(source),
                       "--annotator", "dana")
    assert code == 0, err
    assert f"{source}:1: speakers span 'He': a pronoun with no fitting source" in err
    fresh = Project(project.root)
    article_id = next(i for i in fresh.corpus.ids() if i.startswith("he-said"))
    tags = fresh.store.load("dana", article_id).tags
    assert 0 not in tags and tags[1].get("speakers") == ("lavrov",)


def test_a_speaker_named_by_the_label_still_matches_by_name(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Only a label that names the layer reads the words; a speaker's own name is a label."""
    line = {"text": "The minister said the talks had failed.", "label": [[0, 12, "Lavrov"]]}
    source = tmp_path / "d.jsonl"
    source.write_text(json.dumps(line) + "\n", encoding="utf-8")
    code, _, err = run(project, capsys, "import", "--format", "doccano", str(source),
                       "--annotator", "dana")
    assert code == 0, err
    fresh = Project(project.root)
    article_id = next(i for i in fresh.corpus.ids() if i.startswith("the-minister"))
    assert fresh.store.load("dana", article_id).tags[0].get("speakers") == ("lavrov",)
    assert fresh.schema.resolve("speakers", "The minister") is None


def test_a_refused_import_adds_nobody_to_labels_yaml(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Entities are created only for tags that are written: an article the annotator has
    tagged already (no --merge) is refused, and labels.yaml stays as it was."""
    labels = project.labels_path.read_bytes()
    shutil.copy(SAMPLES / "doccano_sources.jsonl", tmp_path / "d.jsonl")
    args = ("import", "--format", "doccano", str(tmp_path / "d.jsonl"), "--annotator", "dana")
    assert run(project, capsys, *args)[0] == 0
    project.labels_path.write_bytes(labels)  # as if the entries had not been made
    code, _, err = run(project, capsys, *args)
    assert code != 0 and "dana" in err
    assert project.labels_path.read_bytes() == labels
