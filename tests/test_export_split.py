"""`annotator export --split`: by article, deterministic for a seed, counts reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.annotation_file import AnnotationDoc
from annotator.core.errors import UsageError
from annotator.core.formats.split import assign_splits, parse_ratios
from annotator.core.importer import build_article
from annotator.core.project import Project
from annotator.core.tags import SentenceTags


@pytest.fixture
def many(project: Project) -> Project:
    for number in range(20):
        text = (f"Report number {number}\n\nThe minister spoke about item {number}. "
                f"Officials disagreed on point {number}.\n")
        article = build_article(text)
        project.corpus.write(article)
        claim = ("fact", "opinion", "warning")[number % 3]
        doc = AnnotationDoc(article.id, "alice", {
            1: SentenceTags.of(speakers=["lavrov"], claim=claim, topics=["diplomacy"]),
            2: SentenceTags.of(claim="fact")})
        project.store.save(doc, article)
    return project


def run_split(project: Project, out: Path, capsys: pytest.CaptureFixture[str],
              *extra: str) -> tuple[int, str]:
    code = main(["--project", str(project.root), "export", "--split", "80/10/10",
                 "-o", str(out), *extra])
    return code, capsys.readouterr().out


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_split_by_article_with_exact_shares(many: Project, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_split(many, tmp_path / "ds", capsys, "--seed", "3")
    assert code == 0
    parts = {name: read(tmp_path / "ds" / f"{name}.jsonl") for name in ("train", "dev", "test")}
    articles = {name: {r["article"] for r in recs} for name, recs in parts.items()}
    assert [len(articles[n]) for n in ("train", "dev", "test")] == [16, 2, 2]
    assert not (articles["train"] & articles["dev"] or articles["train"] & articles["test"]
                or articles["dev"] & articles["test"])
    assert sum(len(r) for r in parts.values()) == 40
    assert "train.jsonl" in out and "Diplomacy" in out and "articles" in out
    counted = out.split("Diplomacy")[1].split("\n")[0]
    assert [int(x) for x in counted.replace("│", " ").split()] == [16, 2, 2]


def test_the_same_seed_gives_the_same_split(many: Project, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    run_split(many, tmp_path / "a", capsys, "--seed", "7")
    run_split(many, tmp_path / "b", capsys, "--seed", "7")
    run_split(many, tmp_path / "c", capsys, "--seed", "8")
    same = all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
               for f in ("train.jsonl", "dev.jsonl", "test.jsonl"))
    test_a, test_c = ((tmp_path / d / "test.jsonl").read_bytes() for d in ("a", "c"))
    other = test_a != test_c
    assert same and other


def test_adding_articles_moves_few_of_the_old_ones() -> None:
    ids = [f"article-{n:03d}" for n in range(200)]
    before = assign_splits(ids, (80, 10, 10), 1)
    after = assign_splits(ids + [f"new-{n}" for n in range(10)], (80, 10, 10), 1)
    moved = sum(before[i] != after[i] for i in ids)
    assert moved <= 12


def test_csv_split_and_two_way_split(many: Project, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--project", str(many.root), "export", "--format", "csv", "--split", "90/10",
                 "-o", str(tmp_path / "csv")])
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == ["labels.json", "test.csv",
                                                                    "train.csv"]
    assert (tmp_path / "csv" / "train.csv").read_text().startswith("id,article,sentence,number,")


@pytest.mark.parametrize("spec, message", [
    ("80/10", "add up to 90"), ("a/b/c", "percentages"), ("0/50/50", "cannot be 0"),
    ("50/20/20/10", "percentages"),
])
def test_bad_split_specs_are_explained(spec: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_ratios(spec)
    assert parse_ratios("80/10/10") == (80, 10, 10)
