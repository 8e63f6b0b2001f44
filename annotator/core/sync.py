"""`annotator sync`: share one person's work through git, and bring everyone else's.

Git is the engine; this module only runs it (the ``git`` binary, through subprocess) in
the one order a team needs, and turns what git says into a message a person can act on:

1. commit the person's own folder, ``annotations/<name>/`` (their tags, their
   ``_speakers.yaml`` and ``_status.yaml``), and nothing else: not labels.yaml, not
   another annotator's folder, not whatever else is staged;
2. ``git pull --rebase`` from the branch's remote;
3. ``git push``.

One folder per person is what makes step 2 conflict-free: nobody else ever commits a
file in your folder. There is no merge logic here. When git refuses (not a repository,
no remote, an unreachable remote, a rejected push, a conflict that someone made by
editing a file outside their folder), sync stops with git's reason and leaves the
repository as it was before the step that failed (a failed rebase is aborted).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AnnotatorError, Problem
from .store import check_annotator_name

GIT_TIMEOUT_S = 120  # an ssh remote that never answers must not hang the command


class SyncError(AnnotatorError):
    """Git refused a step; the message says which and why."""


@dataclass
class SyncResult:
    committed: str | None = None  # the new commit, when there was something to commit
    pulled: int = 0  # commits brought from the remote
    pushed: bool = False
    steps: list[str] = field(default_factory=list)  # what happened, in words


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C")  # no password prompt; English
    try:
        done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True,
                              text=True, timeout=GIT_TIMEOUT_S)
    except FileNotFoundError as exc:
        raise SyncError("git is not installed (sync runs the git command)") from exc
    except subprocess.TimeoutExpired as exc:
        raise SyncError(f"git {args[0]} did not finish in {GIT_TIMEOUT_S} s (is the remote "
                        "reachable?); nothing more was done") from exc
    if check and done.returncode != 0:
        raise SyncError(f"git {' '.join(args[:2])} failed: {_reason(done)}")
    return done


def _reason(done: subprocess.CompletedProcess[str]) -> str:
    lines = [line.strip() for line in (done.stderr or done.stdout).splitlines() if line.strip()]
    said = [line for line in lines if line.startswith("remote:")  # a hook's own words
            and line[7:].strip()]
    important = [line for line in lines if line.startswith(("fatal:", "!", "CONFLICT"))]
    return " / ".join(said[-2:] + (important or lines)[-2:]) or f"exit status {done.returncode}"


def sync(project_root: Path, names: Sequence[str], *, message: str | None = None) -> SyncResult:
    """Commit ``annotations/<name>/`` for each name, pull --rebase, push."""
    if shutil.which("git") is None:
        raise SyncError("git is not installed (sync runs the git command)")
    root = project_root.resolve()
    folders = [f"annotations/{check_annotator_name(name)}" for name in dict.fromkeys(names)]
    inside = _git(root, "rev-parse", "--is-inside-work-tree", check=False)
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise SyncError(Problem(root, "not a git repository, so there is nothing to sync "
                                "with. Clone the team's repository, or: git init, commit, "
                                "git remote add origin URL"))
    branch = _git(root, "rev-parse", "--abbrev-ref", "HEAD", check=False).stdout.strip()
    if branch in ("", "HEAD"):
        raise SyncError(Problem(root, "no branch is checked out (detached HEAD, or a rebase "
                                "in progress); finish that with git first"))
    remote = _remote(root, branch)
    result = SyncResult()
    _check_reachable(root, remote)
    result.committed, changed = _commit(root, folders,
                                        message or f"annotator sync: {', '.join(names)}")
    result.steps.append(f"committed {', '.join(changed)} ({result.committed})"
                        if result.committed else f"nothing new in {', '.join(folders)}")
    result.pulled = _pull(root, remote, branch)
    result.steps.append(f"pulled {result.pulled} commit(s) from {remote}")
    _push(root, remote, branch)
    result.pushed = True
    result.steps.append(f"pushed to {remote}/{branch}")
    return result


def _remote(root: Path, branch: str) -> str:
    configured = _git(root, "config", f"branch.{branch}.remote", check=False).stdout.strip()
    if configured:
        return configured
    remotes = _git(root, "remote").stdout.split()
    if not remotes:
        raise SyncError(Problem(root, "this repository has no remote to sync with: add the "
                                "team's with git remote add origin URL"))
    return "origin" if "origin" in remotes else remotes[0]


def _check_reachable(root: Path, remote: str) -> None:
    done = _git(root, "ls-remote", "--heads", remote, check=False)
    if done.returncode != 0:
        raise SyncError(f"the remote {remote!r} cannot be reached, so nothing was synced: "
                        f"{_reason(done)}")


def _commit(root: Path, folders: list[str], message: str) -> tuple[str | None, list[str]]:
    """Stage and commit the person's folders only (never their dotfiles: locks, temp);
    returns the new commit (None: nothing new) and the folders it changed."""
    present = [folder for folder in folders if (root / folder).exists()
               or _git(root, "ls-files", "--", folder).stdout.strip()]
    if not present:
        return None, []
    specs = [*present, *(f":(exclude){folder}/.*" for folder in present)]
    _git(root, "add", "-A", "--", *specs)
    changed = [folder for folder in present if _git(
        root, "diff", "--cached", "--quiet", "--", folder, f":(exclude){folder}/.*",
        check=False).returncode != 0]
    if not changed:
        return None, []
    done = _git(root, "commit", "--quiet", "-m", message, "--", *specs, check=False)
    if done.returncode != 0:
        hint = ""
        if "user.email" in done.stderr or "Please tell me who you are" in done.stderr:
            hint = " (set your name for commits: git config user.name 'You'; git config " \
                   "user.email you@example.org)"
        raise SyncError(f"git commit failed: {_reason(done)}{hint}")
    return _git(root, "rev-parse", "--short", "HEAD").stdout.strip(), changed


def _pull(root: Path, remote: str, branch: str) -> int:
    if not _git(root, "ls-remote", "--heads", remote, branch).stdout.strip():
        return 0  # the remote does not have the branch yet: the push creates it
    before = _git(root, "rev-parse", "HEAD").stdout.strip()
    done = _git(root, "pull", "--rebase", "--autostash", "--quiet", remote, branch, check=False)
    if done.returncode != 0:
        aborted = _git(root, "rebase", "--abort", check=False).returncode == 0
        raise SyncError(f"git pull --rebase failed: {_reason(done)}. "
                        + ("The rebase was aborted: your commit is kept and nothing was "
                           "pushed. " if aborted else "")
                        + "Someone changed a file outside their own folder; see git status.")
    count = _git(root, "rev-list", "--count", f"{before}..FETCH_HEAD", check=False).stdout.strip()
    return int(count) if count.isdigit() else 0


def _push(root: Path, remote: str, branch: str) -> None:
    upstream = _git(root, "config", f"branch.{branch}.merge", check=False).stdout.strip()
    args = ["push", "--quiet", remote, f"HEAD:refs/heads/{branch}"]
    if not upstream:
        args.insert(1, "--set-upstream")
    done = _git(root, *args, check=False)
    if done.returncode != 0:
        raise SyncError(f"git push was rejected by {remote!r}: {_reason(done)}. Your work "
                        "is committed here; run annotator sync again (if the remote moved "
                        "on meanwhile) or ask whoever runs the remote")
