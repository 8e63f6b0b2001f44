"""The editor killed by a signal, as a real process in a real (pseudo) terminal.

`kill` (SIGTERM) or ^C sent from outside (SIGINT) must end the editor the way a shell
expects, exit status 128 + the signal (143, 130), after the tag just made is on disk, with
the lock released and the terminal given back (alternate screen left).
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from annotator.core.project import Project

FIRST = "pompeo-warns-russia-over-25546b13"


class Terminal:
    """A child process on a pty, its output drained by a thread (it must never block)."""

    def __init__(self, root: Path, columns: int = 100, lines: int = 30,
                 prefix: tuple[str, ...] = (), env: dict[str, str] | None = None,
                 args: tuple[str, ...] = ()) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "ANNOTATOR": "me", **(env or {})}
        env.pop("TEXTUAL", None)
        self.process = subprocess.Popen(
            [*prefix, sys.executable, "-m", "annotator", "--project", str(root), *args],
            stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def screen_text(self) -> str:
        """What was drawn, with escape sequences removed (enough to find words in)."""
        text = re.sub(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]", b" ",
                      bytes(self.output))
        return " ".join(text.decode("utf-8", "replace").split())

    def wait_for(self, predicate, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > end or self.process.poll() is not None:
                raise AssertionError(f"timed out; output: {bytes(self.output[-2000:])!r}")
            time.sleep(0.05)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        self.reader.join(timeout=5)
        os.close(self.master)


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_saves_releases_and_exits_with_its_status(project: Project, signum: int,
                                                             status: int) -> None:
    terminal = Terminal(project.root)
    try:
        terminal.wait_for(lambda: b"tolerate" in terminal.output)
        lock = project.annotations_dir / "me" / f".{FIRST}.lock"
        assert lock.exists()
        saved = project.annotations_dir / "me" / f"{FIRST}.yaml"
        os.write(terminal.master, b"f")  # claim: fact, on the first sentence
        terminal.wait_for(lambda: saved.exists() and "fact" in saved.read_text("utf-8"))
        os.kill(terminal.process.pid, signum)
        assert terminal.process.wait(timeout=20) == status
        terminal.reader.join(timeout=5)
    finally:
        terminal.close()
    assert "claim: fact" in saved.read_text("utf-8")
    assert not lock.exists()
    assert b"\x1b[?1049l" in terminal.output  # the alternate screen was left: shell is back


HANGING_OUTPUT = """\
import threading

import textual.drivers._writer_thread as writer


def stop(self):  # Textual's output thread never finishing, as on a terminal that is gone
    threading.Event().wait()


writer.WriterThread.stop = stop
"""


def test_a_closed_terminal_cannot_keep_the_editor_and_its_lock(project: Project,
                                                                 tmp_path: Path) -> None:
    """A dropped ssh link sends SIGHUP; if Textual's shutdown then waits for ever on its
    output thread, the editor still releases the lock and ends, 129, its tags on disk."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(HANGING_OUTPUT, encoding="utf-8")
    terminal = Terminal(project.root, env={"PYTHONPATH": str(hooks)})
    try:
        terminal.wait_for(lambda: b"tolerate" in terminal.output)
        lock = project.annotations_dir / "me" / f".{FIRST}.lock"
        saved = project.annotations_dir / "me" / f"{FIRST}.yaml"
        os.write(terminal.master, b"f")
        terminal.wait_for(lambda: saved.exists() and "fact" in saved.read_text("utf-8"))
        os.kill(terminal.process.pid, signal.SIGHUP)
        assert terminal.process.wait(timeout=30) == 129
    finally:
        terminal.close()
    assert "claim: fact" in saved.read_text("utf-8")
    assert not lock.exists()
