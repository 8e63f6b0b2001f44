"""A project this user cannot write: the editor browses it read-only and says why; CLI
errors name the file the user asked for, never a temp or lock file.

Root may write anywhere (except a read-only file system), so when the suite runs as root
these run the command as `nobody` (setpriv) on a project root owns.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core.project import Project
from annotator.core.session import AnnotateSession
from tests.factories import make_project
from tests.test_tui_signals import Terminal

NOBODY = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")


def as_other_user() -> tuple[str, ...]:
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: cannot make a folder unwritable")
    return NOBODY


@pytest.fixture
def locked_down() -> Iterator[Path]:
    """A project with tags, readable by all, writable by nobody but its owner (root) —
    or, when not run as root, by no one (its folders lose their write bit)."""
    base = Path(tempfile.mkdtemp(prefix="annotator-ro-"))
    base.chmod(0o755)
    project = make_project(base / "project")
    session = AnnotateSession(project, "me")
    session.open_article(project.corpus.ids()[0])
    session.set_labels("claim", "fact")
    session.close()
    (base / "out").mkdir()
    for folder, _dirs, files in os.walk(base):
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
        os.chmod(folder, 0o755 if os.geteuid() == 0 else 0o555)
    yield base
    for folder, _dirs, _files in os.walk(base):
        os.chmod(folder, 0o755)
    shutil.rmtree(base)


def run_cli(base: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ANNOTATOR": "me", "XDG_CONFIG_HOME": str(base / "config"),
           "HOME": str(base)}
    return subprocess.run([*as_other_user(), sys.executable, "-m", "annotator", "--project",
                           str(base / "project"), *args], capture_output=True, text=True,
                          env=env, cwd=base, timeout=60)


def test_the_editor_browses_a_read_only_project_and_says_why(locked_down: Path) -> None:
    project = Project(locked_down / "project")
    before = {p: p.read_bytes() for p in project.annotations_dir.rglob("*") if p.is_file()}
    terminal = Terminal(project.root, prefix=as_other_user(),
                        env={"XDG_CONFIG_HOME": str(locked_down / "config")})
    try:
        terminal.wait_for(lambda: "tolerate" in terminal.screen_text())
        terminal.wait_for(lambda: "Read-only:" in terminal.screen_text())
        screen = terminal.screen_text()
        assert "annotations/me/ is not writable by you" in screen
        assert ".lock" not in screen
        os.write(terminal.master, b"o")  # a tag key: refused, nothing written
        terminal.wait_for(lambda: "read-only" in terminal.screen_text()[len(screen):])
        os.kill(terminal.process.pid, signal.SIGTERM)
        assert terminal.process.wait(timeout=20) == 143
    finally:
        terminal.close()
    after = {p: p.read_bytes() for p in project.annotations_dir.rglob("*") if p.is_file()}
    assert after == before


def test_export_into_a_read_only_folder_names_the_target(locked_down: Path) -> None:
    target = locked_down / "out" / "tags.csv"
    result = run_cli(locked_down, "export", "--format", "csv", "-o", str(target))
    assert result.returncode == 1
    assert f"annotator: {target}: Permission denied" in result.stderr
    assert "annotator-tmp" not in result.stderr
    assert not target.exists()


def test_import_into_a_read_only_project_names_the_article_file(locked_down: Path) -> None:
    source = locked_down / "out" / "article.txt"
    os.chmod(locked_down / "out", 0o777)
    source.write_text("A title\n\nOne sentence here. And another one.\n", encoding="utf-8")
    result = run_cli(locked_down, "import", str(source))
    assert result.returncode != 0
    assert "annotator-tmp" not in result.stderr and "Permission denied" in result.stderr
    assert str(locked_down / "project" / "corpus") in result.stderr


def test_review_browses_a_read_only_project_and_says_why(locked_down: Path) -> None:
    """The reviewer who cannot write gold still reads the comparison; a take is refused."""
    project = Project(locked_down / "project")
    for folder in project.annotations_dir.iterdir():  # a second annotator to compare with
        folder.chmod(0o755)
    project.annotations_dir.chmod(0o755)
    shutil.copytree(project.annotations_dir / "me", project.annotations_dir / "bob")
    for folder, _dirs, files in os.walk(project.annotations_dir):
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
        os.chmod(folder, 0o755 if os.geteuid() == 0 else 0o555)
    before = {p: p.read_bytes() for p in project.annotations_dir.rglob("*") if p.is_file()}
    terminal = Terminal(project.root, prefix=as_other_user(), args=("review",),
                        env={"XDG_CONFIG_HOME": str(locked_down / "config")})
    try:
        terminal.wait_for(lambda: "Read-only:" in terminal.screen_text())
        screen = terminal.screen_text()
        assert "annotations/ is not writable by you" in screen
        assert ".lock" not in screen
        os.write(terminal.master, b"1")  # take annotator 1: refused, nothing written
        terminal.wait_for(lambda: "read-only" in terminal.screen_text()[len(screen):])
        assert ".lock" not in terminal.screen_text()
        os.kill(terminal.process.pid, signal.SIGTERM)
        assert terminal.process.wait(timeout=20) == 143
    finally:
        terminal.close()
    after = {p: p.read_bytes() for p in project.annotations_dir.rglob("*") if p.is_file()}
    assert after == before
    assert not (project.annotations_dir / "gold").exists()
