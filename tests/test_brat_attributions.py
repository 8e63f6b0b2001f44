"""brat attributions keep what was said: Source and Content spans and their link survive
import, and export to brat writes them back as Source, Content and an Attribution
relation, so a round trip returns the same attributions (docs/formats.md)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.project import Project
from annotator.core.schema import CONTENT_LAYER

DATA = Path(__file__).parent / "data" / "brat"


def run(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--project", str(project.root), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def imported(project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Project:
    folder = tmp_path / "brat-in"
    folder.mkdir()
    shutil.copy(DATA / "doc1.txt", folder / "doc1.txt")
    shutil.copy(DATA / "doc1.alice.ann", folder / "doc1.alice.ann")
    code, _, err = run(project, capsys, "import", "--format", "brat", str(folder))
    assert code == 0, err
    return project


def article_id(project: Project) -> str:
    return next(i for i in project.corpus.ids() if i.startswith("pompeo-and-lavrov"))


def attributions(project: Project, annotator: str) -> set[tuple[str, str, str]]:
    """(speaker, words naming them, words said) for every Content span."""
    fresh = Project(project.root)
    article = fresh.corpus.load(article_id(fresh))
    tags = fresh.store.load(annotator, article.id).tags
    mentions = {(s[1], s[2]): article.text[s[2]:s[3]]
                for t in tags.values() for s in t.spans if s[0] == "speakers"}
    found = set()
    for index, t in tags.items():
        for layer, who, start, end in t.spans:
            if layer == CONTENT_LAYER:
                assert who in t.get("speakers")  # the sentence's speaker says it
                source = [words for (w, _), words in mentions.items() if w == who]
                found.add((who, source[0] if len(source) == 1 else "", article.text[start:end]))
    return found


def test_content_spans_are_kept_with_their_speaker(imported: Project) -> None:
    found = attributions(imported, "alice")
    assert ("pompeo", "Mike Pompeo", "“We will not stand by,”") in found
    assert ("kremlin", "The Kremlin", "the talks were “useful”") in found
    said = {words for who, _, words in found if who == "lavrov"}
    # A discontinuous Content is kept per sentence piece.
    assert {"Maduro’s government,", "must be left alone",
            "that Washington was meddling in Venezuela"} <= said


def test_a_brat_round_trip_returns_the_same_attributions(
        imported: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "brat-out"
    code, _, err = run(imported, capsys, "export", "--format", "brat", "-o", str(out),
                       "--annotator", "alice")
    assert code == 0, err
    ann = (out / f"{article_id(imported)}.ann").read_text(encoding="utf-8")
    assert "\tSource 64 75\tMike Pompeo" in ann and "\tContent 40 63\t" in ann
    assert "\tAttribution Arg1:" in ann
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    assert "Attribution\tArg1:Source, Arg2:Content" in conf
    for path in out.glob("*.ann"):  # the same files, as annotator eve's
        path.rename(path.with_suffix(".eve.ann"))
    code, _, err = run(imported, capsys, "import", "--format", "brat", str(out))
    assert code == 0, err
    assert "ignored" not in err and "not imported" not in err
    fresh = Project(imported.root)
    assert (fresh.store.load("eve", article_id(fresh)).tags
            == fresh.store.load("alice", article_id(fresh)).tags)


def test_content_spans_are_exported_in_jsonl_and_validate(
        imported: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(imported, capsys, "export", "--annotator", "alice")
    assert code == 0, err
    first = next(r for r in map(json.loads, out.splitlines())
                 if r["article"] == article_id(imported))
    assert {"layer": "content", "label": "pompeo", "start": 40, "end": 63} in first["spans"]
    assert first["speaker_mentions"] == [{"speaker": "pompeo", "start": 64, "end": 75}]
    code, out, err = run(imported, capsys, "validate")
    assert code == 0, out + err


@pytest.mark.parametrize("fmt", ["prodigy", "labelstudio"])
def test_content_spans_survive_prodigy_and_label_studio(
        imported: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    code, _, err = run(imported, capsys, "export", "--format", fmt, "-o", str(out),
                       "--annotator", "alice")
    assert code == 0, err
    if fmt == "labelstudio":  # as Label Studio names its users
        tasks = json.loads(out.read_text(encoding="utf-8"))
        for task in tasks:
            for annotation in task["annotations"]:
                annotation["completed_by"] = {"email": "eve@example.org"}
        out.write_text(json.dumps(tasks), encoding="utf-8")
        code, _, err = run(imported, capsys, "import", "--format", fmt, str(out))
    else:
        code, _, err = run(imported, capsys, "import", "--format", fmt, str(out),
                           "--annotator", "eve")
    assert code == 0, err
    assert attributions(imported, "eve") == attributions(imported, "alice")


def test_doccano_leaves_content_spans_out_rather_than_make_them_mentions(
        imported: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.jsonl"
    code, _, err = run(imported, capsys, "export", "--format", "doccano", "-o", str(out),
                       "--annotator", "alice")
    assert code == 0, err
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert first["text"].startswith("“We will not stand by,”")
    assert first["entities"] == [[24, 35, "pompeo"]]  # Mike Pompeo, not the quote
