"""The training export as an ML engineer meets it: stable ids, 1-based numbers, one meaning
for `annotator`, gold by default, and a split that `datasets` loads with typed labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.annotation_file import AnnotationDoc
from annotator.core.project import Project
from annotator.core.tags import SentenceTags


def cli(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--project", str(project.root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def tag(project: Project, annotator: str, position: int, tags: dict[int, SentenceTags]) -> None:
    article = project.corpus.load(project.corpus.ids()[position])
    project.store.save(AnnotationDoc(article.id, annotator, tags), article)


def test_records_carry_id_number_and_not_content(project: Project,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    tag(project, "alice", 0, {2: SentenceTags.of(claim="fact"),
                              5: SentenceTags.of(not_content=True)})
    code, out, _ = cli(project, capsys, "export", "--include-not-content")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    article = project.corpus.ids()[0]
    assert [(r["id"], r["sentence"], r["number"], r["not_content"]) for r in records] == [
        (f"{article}#3", 2, 3, False), (f"{article}#6", 5, 6, True)]
    assert all(r["annotator"] == "alice" for r in records)


def test_all_sentences_works_on_an_untagged_project(project: Project,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(project, capsys, "export")
    assert code == 2 and "--all-sentences" in err
    code, out, err = cli(project, capsys, "export", "--all-sentences")
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert records and all(r["annotator"] is None for r in records)


def test_gold_is_the_default_and_mixing_annotators_warns(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    tag(project, "alice", 0, {2: SentenceTags.of(claim="fact")})
    tag(project, "bob", 0, {2: SentenceTags.of(claim="opinion")})
    code, out, err = cli(project, capsys, "export")
    assert code == 0 and "records of 2 annotators (alice, bob) are mixed" in err
    code, out, err = cli(project, capsys, "export", "--all-annotators")
    assert code == 0 and "mixed" not in err
    tag(project, "gold", 0, {2: SentenceTags.of(claim="fact")})
    code, out, err = cli(project, capsys, "export")
    assert code == 0 and "exporting the adjudicated set" in err
    assert {json.loads(line)["annotator"] for line in out.splitlines()} == {"gold"}


def test_a_split_loads_in_datasets_with_claim_as_a_class_label(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (("HF_DATASETS_CACHE", str(tmp_path / "hf-cache")),
                        ("HF_HUB_OFFLINE", "1"), ("HF_DATASETS_OFFLINE", "1")):
        monkeypatch.setenv(name, value)  # local files only, nothing cached in the home folder
    datasets = pytest.importorskip("datasets", reason="datasets is in the test extra")
    tag(project, "alice", 0, {2: SentenceTags.of(claim="fact", topics=["elections"])})
    tag(project, "alice", 1, {2: SentenceTags.of(topics=["diplomacy"])})
    out_dir = tmp_path / "split"
    code, out, err = cli(project, capsys, "export", "--split", "50/50", "-o", str(out_dir))
    assert code == 0, err
    vocab = json.loads((out_dir / "labels.json").read_text(encoding="utf-8"))
    assert list(vocab) == ["speakers", "claim", "topics"]
    assert vocab["claim"] == {"kind": "single", "labels": ["fact", "opinion", "warning"]}
    assert "has no record in" in err  # each label sits in one split only
    features = datasets.Features.from_dict(
        json.loads((out_dir / "features.json").read_text(encoding="utf-8")))
    loaded = datasets.load_dataset(
        "json", data_files={n: str(out_dir / f"{n}.jsonl") for n in ("train", "test")},
        features=features, cache_dir=str(tmp_path / "hf-cache"))
    assert isinstance(loaded, datasets.DatasetDict)
    claim = loaded["train"].features["claim"]
    assert isinstance(claim, datasets.ClassLabel) and claim.names == ["fact", "opinion", "warning"]
    rows = [*loaded["train"], *loaded["test"]]
    assert sorted(str(r["claim"]) for r in rows) == ["0", "None"]
    assert all(isinstance(r["topics"], list) and isinstance(r["spans"], list) for r in rows)
