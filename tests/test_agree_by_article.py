"""`annotator agree --by article`: agreement per article for every layer, table and JSON."""

from __future__ import annotations

import json

from annotator.cli import main
from annotator.core.project import Project
from tests.test_review import tag, tag_plan


def _agree(capsys, project: Project, *extra: str) -> tuple[int, str]:
    code = main(["--project", str(project.root), "agree", *extra])
    return code, capsys.readouterr().out


def test_one_article_per_article_figures_equal_the_project_figures(
        project: Project, capsys) -> None:
    tag_plan(project)
    code, out = _agree(capsys, project, "--format", "json", "--by", "article")
    data = json.loads(out)
    assert code == 0 and len(data["by_article"]) == 1
    article = data["by_article"][0]
    assert article["article"] == project.corpus.ids()[0]
    assert article["claim"] == data["claim"]["observed_agreement"]
    assert article["speakers"] == data["speakers"]["exact_match"]
    assert article["topics"] == data["topics"]["exact_match"]


def test_each_article_is_measured_on_its_own(project: Project, capsys) -> None:
    first, second = project.corpus.ids()
    for name, claim in (("alice", "fact"), ("bob", "opinion")):
        tag(project, name, first, {2: (claim, (), ()), 3: ("fact", (), ())})
        tag(project, name, second, {0: ("fact", (), ()), 1: ("fact", (), ())})
    code, out = _agree(capsys, project, "--format", "json", "--by", "article")
    rows = {row["article"]: row for row in json.loads(out)["by_article"]}
    assert rows[first]["claim"] == {"value": 0.5, "units": 2, "pairs": 2}
    assert rows[second]["claim"] == {"value": 1.0, "units": 2, "pairs": 2}
    assert list(rows) == sorted([first, second])  # by article id
    code, out = _agree(capsys, project, "--by", "article", "--top", "1")
    assert code == 0 and "Per article: the 1 of 2 articles agreed on least" in out
    table = out.split("Per article:")[1]
    assert first in table and second not in table  # the least agreed comes first
    code, out = _agree(capsys, project, "--format", "json")
    assert "by_article" not in json.loads(out)  # only when asked
