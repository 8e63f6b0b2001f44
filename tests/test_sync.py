"""`annotator sync` with real git: a bare repository and three clones (alice, bob, lead)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.article_status import NEEDS_CHANGES, Verdict, read_statuses
from annotator.core.project import Project
from annotator.core.review import ReviewSession
from annotator.core.session import AnnotateSession
from tests.factories import make_project


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


def identify(repo: Path, name: str) -> None:
    git(repo, "config", "user.name", name)
    git(repo, "config", "user.email", f"{name}@example.org")


def sync(capsys, repo: Path, name: str, *extra: str) -> tuple[int, str]:
    code = main(["--project", str(repo), "--annotator", name, "sync", *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture
def team(tmp_path: Path) -> dict[str, Path]:
    """A bare repository holding a project, and a clone each for alice, bob and the lead."""
    remote = tmp_path / "team.git"
    git(tmp_path, "init", "--quiet", "--bare", "-b", "main", str(remote))
    seed = tmp_path / "seed"
    make_project(seed)
    (seed / ".gitignore").write_text(".annotator/\n*.annotator-tmp\n", encoding="utf-8")
    git(seed, "init", "--quiet", "-b", "main")
    identify(seed, "seed")
    git(seed, "add", "-A")
    git(seed, "commit", "--quiet", "-m", "the project")
    git(seed, "remote", "add", "origin", str(remote))
    git(seed, "push", "--quiet", "-u", "origin", "main")
    clones = {}
    for name in ("alice", "bob", "lead"):
        git(tmp_path, "clone", "--quiet", str(remote), name)
        identify(tmp_path / name, name)
        clones[name] = tmp_path / name
    clones["remote"] = remote
    return clones


def tagged_files(repo: Path) -> dict[str, bytes]:
    """Everything people made: every file under annotations/ but locks and temp files."""
    folder = repo / "annotations"
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def work(repo: Path, name: str, claim: str, speaker: str) -> None:
    """Tag both articles (overlapping the other annotator) and create a speaker."""
    project = Project(repo)
    first, second = project.corpus.ids()
    session = AnnotateSession(project, name)
    session.open_article(first)
    session.goto(2)
    session.set_labels("claim", claim)
    session.goto(3)
    session.create_and_tag("speakers", speaker)
    session.open_article(second)
    session.goto(0)
    session.set_labels("claim", "opinion")
    session.close()


def test_a_team_works_through_one_bare_repository(team: dict[str, Path], capsys) -> None:
    alice, bob, lead = team["alice"], team["bob"], team["lead"]
    # Both work at the same moment, each creating a speaker, before anyone syncs.
    work(alice, "alice", "fact", "Jeremy Hunt")
    work(bob, "bob", "opinion", "Boris Johnson")
    assert sync(capsys, alice, "alice")[0] == 0
    code, said = sync(capsys, bob, "bob")
    assert code == 0 and "pulled 1 commit(s)" in said
    assert sync(capsys, lead, "lead")[0] == 0
    assert (lead / "annotations" / "alice" / "_speakers.yaml").exists()
    assert (lead / "annotations" / "bob" / "_speakers.yaml").exists()

    # The lead measures, settles into gold, gives verdicts, and shares it.
    assert main(["--project", str(lead), "agree", "--format", "json"]) == 0
    agreement = json.loads(capsys.readouterr().out)
    assert agreement["annotators"] == ["alice", "bob"]
    assert agreement["claim"]["disagreements"] == [["fact", "opinion", 1]]
    project = Project(lead)
    first, second = project.corpus.ids()
    review = ReviewSession(project)
    review.open_article(first)
    review.goto(2)
    review.take(1)  # alice's claim
    review.set_verdict(NEEDS_CHANGES, "sentence 4: one speaker, not two")
    review.open_article(second)
    review.settle_article()
    review.set_verdict("accepted")
    review.close()
    code, said = sync(capsys, lead, "lead", "--as", "gold")
    assert code == 0 and "committed annotations/gold" in said

    # Everyone syncs again and sees the lead's verdicts; no conflict anywhere.
    for repo, name in ((alice, "alice"), (bob, "bob")):
        assert sync(capsys, repo, name)[0] == 0
        verdicts = read_statuses(repo / "annotations", name).verdicts
        assert verdicts[first] == ("gold", Verdict(NEEDS_CHANGES,
                                                   "sentence 4: one speaker, not two"))
        assert verdicts[second] == ("gold", Verdict("accepted"))
    assert tagged_files(alice) == tagged_files(bob) == tagged_files(lead)
    everyone = tagged_files(lead)
    assert {"alice/_speakers.yaml", "bob/_speakers.yaml", "gold/_status.yaml",
            f"alice/{first}.yaml", f"bob/{second}.yaml", f"gold/{first}.yaml"} <= set(everyone)
    for repo in (alice, bob, lead):
        # every tracked file as committed (untracked locks are not work: never committed)
        assert git(repo, "status", "--porcelain", "--untracked-files=no") == ""
        assert git(repo, "rev-list", "--merges", "HEAD") == ""  # rebased, never merged
        assert git(repo, "rev-parse", "HEAD") == git(team["remote"], "rev-parse", "main")
    # Each commit touched one person's folder only.
    for commit in git(lead, "rev-list", "--min-parents=1", "HEAD").split():
        touched = {path.split("/")[1] for path in
                   git(lead, "show", "--name-only", "--format=", commit).split()}
        assert len(touched) == 1


def test_sync_commits_only_the_persons_own_folder(team: dict[str, Path], capsys) -> None:
    alice = team["alice"]
    work(alice, "alice", "fact", "Jeremy Hunt")
    (alice / "labels.yaml").write_text((alice / "labels.yaml").read_text() + "# mine\n")
    stray = alice / "annotations" / "bob" / "x.yaml"
    stray.parent.mkdir(parents=True)
    stray.write_text("version: 2\nsentences: []\n")
    assert sync(capsys, alice, "alice")[0] == 0
    pushed = git(team["remote"], "show", "--name-only", "--format=", "main").split()
    assert pushed and all(path.startswith("annotations/alice/") for path in pushed)
    assert not any(path.endswith(".lock") for path in pushed)
    assert "labels.yaml" in git(alice, "status", "--porcelain")  # left for the person


def test_sync_outside_a_git_repository_is_refused(tmp_path: Path, capsys) -> None:
    project = make_project(tmp_path / "plain")
    code, said = sync(capsys, project.root, "alice")
    assert code == 1 and "not a git repository" in said
    assert not (project.root / ".git").exists()


def test_sync_without_a_remote_is_refused_and_commits_nothing(tmp_path: Path, capsys) -> None:
    repo = make_project(tmp_path / "alone").root
    git(repo, "init", "--quiet", "-b", "main")
    identify(repo, "alice")
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "start")
    work(repo, "alice", "fact", "Jeremy Hunt")
    code, said = sync(capsys, repo, "alice")
    assert code == 1 and "no remote" in said and "git remote add" in said
    assert git(repo, "rev-list", "--count", "HEAD") == "1"


def test_an_unreachable_remote_is_refused_and_commits_nothing(team: dict[str, Path],
                                                              capsys) -> None:
    alice = team["alice"]
    git(alice, "remote", "set-url", "origin", str(alice.parent / "gone.git"))
    work(alice, "alice", "fact", "Jeremy Hunt")
    code, said = sync(capsys, alice, "alice")
    assert code == 1 and "cannot be reached" in said
    assert git(alice, "rev-list", "--count", "HEAD") == "1"


def test_a_rejected_push_is_reported(team: dict[str, Path], capsys) -> None:
    hook = team["remote"] / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'frozen for the audit' >&2\nexit 1\n")
    hook.chmod(0o755)
    alice = team["alice"]
    work(alice, "alice", "fact", "Jeremy Hunt")
    before = git(team["remote"], "rev-parse", "main")
    code, said = sync(capsys, alice, "alice")
    assert code == 1 and "rejected" in said and "frozen for the audit" in said
    assert git(team["remote"], "rev-parse", "main") == before


def test_sync_never_commits_a_live_lock_or_local_state(team: dict[str, Path], capsys) -> None:
    alice = team["alice"]
    (alice / ".gitignore").write_text("", encoding="utf-8")  # nothing ignored: sync must be
    project = Project(alice)
    session = AnnotateSession(project, "alice")
    session.open_article(project.corpus.ids()[0])  # its lock is held while we sync
    session.goto(2)
    session.set_labels("claim", "fact")
    locks = list((alice / "annotations" / "alice").glob(".*.lock"))
    assert locks  # the live lock is there, unignored
    (alice / ".annotator").mkdir(exist_ok=True)
    (alice / ".annotator" / "state.json").write_text("{}", encoding="utf-8")
    try:
        assert sync(capsys, alice, "alice")[0] == 0
    finally:
        session.close()
    pushed = git(team["remote"], "show", "--name-only", "--format=", "main").split()
    assert pushed == [f"annotations/alice/{project.corpus.ids()[0]}.yaml"]
    tracked = git(alice, "ls-files").split()
    assert not any(path.endswith(".lock") or path.startswith(".annotator/")
                   for path in tracked)


def test_init_writes_a_gitignore_for_locks_and_local_state(tmp_path: Path, capsys) -> None:
    root = tmp_path / "fresh"
    assert main(["init", str(root)]) == 0
    assert f"created {root / '.gitignore'}" in capsys.readouterr().out
    lines = (root / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".annotator/" in lines and "annotations/*/.*.lock" in lines
    git(root, "init", "--quiet")
    for path in ("annotations/alice/.a-1.lock", "annotations/alice/.speakers.lock",
                 ".annotator/index/alice.bin"):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("x", encoding="utf-8")
        assert subprocess.run(["git", "check-ignore", "-q", path], cwd=root).returncode == 0
    (root / "annotations/alice/a-1.yaml").write_text("x", encoding="utf-8")
    assert subprocess.run(["git", "check-ignore", "-q", "annotations/alice/a-1.yaml"],
                          cwd=root).returncode == 1  # the work itself is never ignored
