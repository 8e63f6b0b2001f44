"""`annotator assign`: deterministic, stable when articles are added, shown in the editor
and in stats; bad input refused with nothing written."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from annotator.cli import main
from annotator.core.article_status import Verdict, mark_done, set_verdict
from annotator.core.assignments import ASSIGNMENTS_FILE, assign, read_assignments
from annotator.core.errors import UsageError
from annotator.core.project import Project
from tests.test_review import tag
from tests.test_tui_support import ANNOTATOR, app_for, wait_for

IDS = [f"article-{n:03}" for n in range(300)]


def test_same_seed_same_result_and_balanced_load() -> None:
    first = assign(IDS, ["a", "b", "c"], 2, seed=7)
    again = assign(IDS, ["a", "b", "c"], 2, seed=7)
    assert first.articles == again.articles
    assert all(len(names) == 2 for names in first.articles.values())
    load = Counter(name for names in first.articles.values() for name in names)
    assert all(170 <= load[name] <= 230 for name in "abc"), load  # 200 each expected
    assert assign(IDS, ["a", "b", "c"], 2, seed=8).articles != first.articles


def test_adding_articles_moves_none_already_assigned() -> None:
    before = assign(IDS[:200], ["a", "b", "c"], 2, seed=1, overlap=0.3)
    after = assign(IDS, ["a", "b", "c"], 2, seed=1, overlap=0.3)
    assert {a: after.articles[a] for a in before.articles} == before.articles


def test_overlap_gives_a_share_of_articles_more_than_one_annotator() -> None:
    result = assign(IDS, ["a", "b", "c"], 2, seed=3, overlap=0.2)
    doubled = sum(1 for names in result.articles.values() if len(names) == 2)
    assert 40 <= doubled <= 80  # 60 expected
    assert all(len(names) in (1, 2) for names in result.articles.values())


def test_cli_writes_the_file_and_refuses_bad_input(project: Project, capsys) -> None:
    root = str(project.root)
    for name in ("alice", "bob"):
        (project.annotations_dir / name).mkdir()
    args = ["--project", root, "assign", "--per-article", "2", "--seed", "5"]
    code = main([*args, "--annotators", "alice,bobb"])
    err = capsys.readouterr().err
    assert code == 2 and "unknown annotator(s): bobb" in err and "alice, bob" in err
    code = main([*args[:3], "--annotators", "alice,bob", "--per-article", "3", "--seed", "5"])
    err = capsys.readouterr().err
    assert code == 2 and "--per-article 3 is more than the team (2" in err
    code = main([*args, "--annotators", "alice,bob", "--overlap", "1.5"])
    assert code == 2 and "between 0 and 1" in capsys.readouterr().err
    assert not (project.root / ASSIGNMENTS_FILE).exists()
    assert main([*args, "--annotators", "alice,bob"]) == 0
    assert "2 articles; alice 2, bob 2" in capsys.readouterr().out
    found = read_assignments(project.root)
    assert found is not None and found.of("alice") == project.corpus.ids()
    assert main([*args, "--annotators", "alice,carol", "--new"]) == 0


def test_unknown_names_are_checked_in_core_too() -> None:
    with pytest.raises(UsageError, match="not a usable annotator name"):
        assign(IDS, ["a/b"], 1, seed=1)


def test_stats_shows_assigned_done_and_accepted(project: Project, capsys) -> None:
    first, second = project.corpus.ids()
    tag(project, "alice", first, {2: ("fact", (), ())})
    tag(project, "bob", second, {0: ("fact", (), ())})
    assert main(["--project", str(project.root), "assign", "--annotators", "alice,bob",
                 "--per-article", "1", "--seed", "0"]) == 0
    capsys.readouterr()
    found = read_assignments(project.root)
    assert found is not None
    mine = found.of("alice")
    assert mine == [first]  # seed 0: one article each
    mark_done(project.annotations_dir, "alice", first)
    set_verdict(project.annotations_dir, "gold", first, Verdict("accepted"))
    assert main(["--project", str(project.root), "stats"]) == 0
    out = capsys.readouterr().out
    assert "Assignments (assignments.yaml)" in out
    table = out.split("Assignments (assignments.yaml)")[1]
    row = next(line for line in table.splitlines() if "│ alice" in line)
    numbers = re.findall(r"│\s*(\d+)\s*(?=│)", row)
    assert numbers == ["1", "1", "1"]


async def test_the_editor_lists_assigned_articles_first_with_a_toggle(project: Project) -> None:
    first, second = project.corpus.ids()
    (project.annotations_dir / ANNOTATOR).mkdir()
    (project.annotations_dir / "other").mkdir()
    from annotator.core.assignments import Assignments, write_assignments
    write_assignments(project.root, Assignments(1, 1, 1.0, (ANNOTATOR, "other"),
                                                {first: ("other",), second: (ANNOTATOR,)}))
    app = app_for(project)
    async with app.run_test(size=(120, 30)) as pilot:
        articles = app.screen.query_one("#articles")
        await wait_for(pilot, lambda: articles.loaded, "the list")
        assert [e.id for e in articles.entries] == [second, first]  # mine first
        assert "1 yours first" in str(articles.border_title)
        await pilot.press("a", "A")
        assert [e.id for e in articles.entries] == [second]
        assert "Assigned (1)" in str(articles.border_title)
        await pilot.press("A")
        assert [e.id for e in articles.entries] == [second, first]
        await pilot.press("escape", "q")
