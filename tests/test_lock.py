"""One live session per annotator and article; stale locks are taken over, live ones refused."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.core.errors import LockedError
from annotator.core.lock import ArticleLock
from annotator.core.project import Project
from annotator.core.session import AnnotateSession

FIRST = "pompeo-warns-russia-over-25546b13"


def dead_pid() -> int:
    """The pid of a process that has certainly exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def write_lock(path: Path, **record: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record))


def lock_path(project: Project, annotator: str = "alice") -> Path:
    return project.annotations_dir / annotator / f".{FIRST}.lock"


def test_a_second_session_on_the_same_article_is_refused(project: Project) -> None:
    first = AnnotateSession(project, "alice")
    first.open_article(FIRST)
    second = AnnotateSession(project, "alice")
    with pytest.raises(LockedError) as info:
        second.open_article(FIRST)
    message = str(info.value)
    assert "alice already has this article open" in message and str(os.getpid()) in message
    assert second.article is None  # nothing half-opened
    first.close()
    assert not lock_path(project).exists()
    second.open_article(FIRST)  # free once the first session closed
    second.close()


def test_another_annotator_is_not_blocked(project: Project) -> None:
    alice = AnnotateSession(project, "alice")
    alice.open_article(FIRST)
    bob = AnnotateSession(project, "bob")
    bob.open_article(FIRST)
    bob.close()
    alice.close()


def test_switching_articles_releases_the_previous_lock(project: Project) -> None:
    session = AnnotateSession(project, "alice")
    session.open_article(FIRST)
    session.open_article(project.corpus.ids()[1])
    assert not lock_path(project).exists()
    session.close()


def test_a_refused_switch_keeps_the_current_article(project: Project) -> None:
    other_id = project.corpus.ids()[1]
    write_lock(project.annotations_dir / "alice" / f".{other_id}.lock", pid=os.getpid(),
               host=socket.gethostname(), since=time.time(), annotator="alice")
    session = AnnotateSession(project, "alice")
    session.open_article(FIRST)
    with pytest.raises(LockedError):
        session.open_article(other_id)
    assert session.article is not None and session.article.id == FIRST
    assert lock_path(project).exists()  # still ours
    session.close()


def test_a_lock_left_by_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    write_lock(path, pid=dead_pid(), host=socket.gethostname(), since=time.time())
    lock = ArticleLock(path, "alice")
    lock.acquire()
    assert json.loads(path.read_text())["pid"] == os.getpid()
    lock.release()
    assert not path.exists()


def test_a_lock_from_another_host_older_than_a_day_is_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    write_lock(path, pid=1, host="elsewhere.example", since=time.time() - 25 * 3600)
    lock = ArticleLock(path, "alice")
    lock.acquire()
    assert json.loads(path.read_text())["host"] == socket.gethostname()
    lock.release()


def test_a_recent_lock_from_another_host_is_respected(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    write_lock(path, pid=dead_pid(), host="elsewhere.example", since=time.time() - 3600)
    with pytest.raises(LockedError, match="elsewhere.example"):
        ArticleLock(path, "alice").acquire()
    assert json.loads(path.read_text())["host"] == "elsewhere.example"


def test_a_garbled_lock_file_counts_as_stale(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    path.write_text("{half-writ")
    lock = ArticleLock(path, "alice")
    lock.acquire()
    assert lock.held
    lock.release()


def test_release_never_removes_someone_elses_lock(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    lock = ArticleLock(path, "alice")
    lock.acquire()
    write_lock(path, pid=dead_pid() + 100_000, host="elsewhere", since=time.time())
    lock.release()
    assert path.exists()


def test_a_reused_pid_is_recognised_as_stale(project: Project) -> None:
    """The pid in the lock is alive, but it is another process (it started at another
    time): a crash left the lock and the pid was handed out again. Not blocked forever."""
    from annotator.core.lock import process_start

    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        started = process_start(other.pid)
        if started is None:
            pytest.skip("no /proc/PID/stat here")
        write_lock(lock_path(project), pid=other.pid, host=socket.gethostname(),
                   since=time.time(), annotator="alice", started=started - 1)
        session = AnnotateSession(project, "alice")
        session.open_article(FIRST)  # taken over
        record = json.loads(lock_path(project).read_text())
        assert record["pid"] == os.getpid() and record["started"] == process_start(os.getpid())
        session.close()
        # The same live process, with its true start time, still holds its lock.
        write_lock(lock_path(project), pid=other.pid, host=socket.gethostname(),
                   since=time.time(), annotator="alice", started=started)
        with pytest.raises(LockedError):
            AnnotateSession(project, "alice").open_article(FIRST)
    finally:
        other.kill()
        other.wait()


def test_start_time_is_read_from_proc_even_with_odd_process_names(tmp_path: Path) -> None:
    from annotator.core.lock import process_start

    odd = tmp_path / "a b) c"
    odd.symlink_to(sys.executable)
    child = subprocess.Popen([str(odd), "-c", "import time; time.sleep(30)"])
    try:
        time.sleep(0.2)
        if process_start(os.getpid()) is None:
            pytest.skip("no /proc/PID/stat here")
        mine = process_start(os.getpid())
        theirs = process_start(child.pid)
        assert isinstance(theirs, int) and mine is not None and theirs >= mine
    finally:
        child.kill()
        child.wait()
