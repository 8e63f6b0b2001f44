"""The one atomic writer: whole or not at all, durable, modes kept, no churn, no litter."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import atomic
from annotator.core.atomic import TEMP_SUFFIX, atomic_open, atomic_write, sweep_temp_files
from annotator.core.project import Project


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask() -> Iterator[None]:
    """Tests set the umask; it is put back after each. The writer reads it once per
    process (atomic.umask is cached), so the cache is cleared around each test."""
    old = os.umask(0o022)
    os.umask(old)
    atomic.umask.cache_clear()
    yield
    os.umask(old)
    atomic.umask.cache_clear()


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "shared.yaml"
    path.write_text("old\n")
    path.chmod(0o640)
    assert atomic_write(path, "new\n")
    assert path.read_text() == "new\n" and mode(path) == 0o640


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_follows_the_umask(tmp_path: Path, umask: None, mask: int,
                                      expected: int) -> None:
    os.umask(mask)
    atomic.umask.cache_clear()
    path = tmp_path / f"new-{mask:o}.yaml"
    assert atomic_write(path, "x\n")
    assert mode(path) == expected


def test_write_then_fsync_then_rename_then_fsync_the_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("old\n")
    calls: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            calls.append(("fsync dir", os.readlink(f"/proc/self/fd/{fd}")))
        else:  # what the file holds when it is made durable: everything, not yet in place
            calls.append(("fsync file", Path(os.readlink(f"/proc/self/fd/{fd}")).read_text()))
            assert path.read_text() == "old\n"
        real_fsync(fd)

    def replace(src: str | Path, dst: str | Path) -> None:
        calls.append(("rename", f"{Path(src).name} -> {Path(dst).name}"))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    assert atomic_write(path, "new content\n")
    assert [what for what, _ in calls] == ["fsync file", "rename", "fsync dir"]
    assert calls[0][1] == "new content\n"
    temp, target = calls[1][1].split(" -> ")
    assert temp.startswith(".a.yaml.") and temp.endswith(TEMP_SUFFIX) and target == "a.yaml"
    assert calls[2][1] == str(tmp_path)
    assert path.read_text() == "new content\n"


def test_unchanged_content_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    atomic_write(path, "same\n")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    inode = path.stat().st_ino
    assert atomic_write(path, "same\n") is False
    assert path.stat().st_mtime_ns == 1_000_000_000 and path.stat().st_ino == inode
    assert atomic_write(path, b"same\n") is False
    assert atomic_write(path, "other\n") is True and path.stat().st_mtime_ns != 1_000_000_000


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX))


def test_a_failure_mid_write_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_open(path) as handle:
        handle.write("half of the new ")
        raise RuntimeError("killed mid-export")
    assert path.read_text() == "old\n" and leftovers(tmp_path) == []


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_disk_error_keeps_the_old_file_and_leaves_no_temp(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("old\n")

    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, full)
    with pytest.raises(OSError, match="No space left"):
        atomic_write(path, "new\n")
    monkeypatch.undo()
    assert path.read_text() == "old\n" and leftovers(tmp_path) == []


def test_temp_files_are_named_so_and_the_project_gitignore_covers_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    root = tmp_path / "p"
    assert main(["init", str(root)]) == 0
    capsys.readouterr()
    seen: list[str] = []
    real_replace = os.replace

    def replace(src: str | Path, dst: str | Path) -> None:
        seen.append(Path(src).name)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    atomic_write(root / "annotations" / "alice" / "a.yaml", "x\n")
    (temp,) = seen
    assert temp.endswith(TEMP_SUFFIX) and temp.startswith(".a.yaml.")
    ignore = (root / ".gitignore").read_text().splitlines()
    assert f"*{TEMP_SUFFIX}" in ignore and ".annotator/" in ignore
    if shutil.which("git"):  # ask git itself, in a throwaway repository
        leftover = root / "annotations" / "alice" / temp
        leftover.write_text("x")
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        ignored = subprocess.run(["git", "-C", str(root), "check-ignore", "-q",
                                  str(leftover.relative_to(root))], check=False)
        assert ignored.returncode == 0


def test_sweep_removes_temp_files_of_dead_writers_and_keeps_live_ones(
        tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    folder = project.annotations_dir / "alice"
    folder.mkdir(parents=True)
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = int(done.stdout)  # a process that has exited
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = folder / f".a.yaml.{dead_pid}.0badc0de{TEMP_SUFFIX}"
        mine = folder / f".b.yaml.{os.getpid()}.12345678{TEMP_SUFFIX}"
        other = project.root / f".labels.yaml.{live.pid}.cafef00d{TEMP_SUFFIX}"
        odd = folder / f"no-pid-here{TEMP_SUFFIX}"
        for path in (dead, mine, other, odd):
            path.write_text("partial")
        removed = project.sweep_temp_files()
        assert removed == [dead]
        assert not dead.exists() and mine.exists() and other.exists() and odd.exists()
    finally:
        live.kill()
        live.wait()
    assert sweep_temp_files(project.root) == [other]  # its writer is gone now


def test_umask_is_read_without_changing_it(umask: None) -> None:
    os.umask(0o027)
    atomic.umask.cache_clear()
    assert atomic.umask() == 0o027
    assert os.umask(0o027) == 0o027


@pytest.mark.parametrize("command", [[], ["review"]])
def test_the_editor_or_review_sweeps_what_a_killed_save_left(
        tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from annotator.cli import main
    from tests.factories import make_project

    project = make_project(tmp_path / "p")
    folder = project.annotations_dir / "alice"
    folder.mkdir(parents=True)
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = folder / f".x.yaml.{int(done.stdout)}.0badc0de{TEMP_SUFFIX}"
    stale.write_text("")
    # No terminal (or nothing to review) here, so no screen opens; the project was opened
    # all the same (the editor sweeps as it closes, review as it opens).
    assert main(["--project", str(project.root), *command]) != 0
    assert capsys.readouterr().err.startswith("annotator: ")
    assert not stale.exists()
