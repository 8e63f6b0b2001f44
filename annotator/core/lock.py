"""One live session per annotator and article, and no lock that outlives its process.

Two windows editing the same file would each save over the other's tags. A lock file
records pid, host, when it was taken and (on Linux) when its process started; a lock
whose process is gone, or whose pid now belongs to a process that started at another time
(the pid was reused after a crash or reboot), is taken over on the same host. On another
host, where we cannot check, a lock older than a day is.
"""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

from .errors import LockedError, Problem

STALE_AFTER_S = 24 * 3600
# Lock files (`.<article>.lock`, `.speakers.lock`) live in each annotator's folder; they
# belong to one machine's live session, so a new project's .gitignore leaves them out.
GITIGNORE_LINE = "annotations/*/.*.lock"


def process_start(pid: int) -> int | None:
    """When a process started (clock ticks since boot; /proc/PID/stat field 22), or None
    where that cannot be read (not Linux, no such process). Together with the pid it names
    one process for good: a later process given the same pid started at another time."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
    except OSError:
        return None
    # Field 2 (the command name, in parentheses) may hold spaces and ')': split after the
    # last ')'. What follows starts at field 3, so field 22 is the 20th item.
    fields = stat[stat.rfind(b")") + 1:].split()
    try:
        return int(fields[19])
    except (IndexError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


class ArticleLock:
    def __init__(self, path: Path, owner: str):
        self.path = path
        self.owner = owner
        self.held = False

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        record = {"pid": os.getpid(), "host": socket.gethostname(), "since": time.time(),
                  "annotator": self.owner, "started": process_start(os.getpid())}
        for _attempt in range(3):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                holder = self._read()
                if holder is not None and not self._stale(holder):
                    since = time.strftime("%Y-%m-%d %H:%M", time.localtime(holder.get("since", 0)))
                    raise LockedError(Problem(
                        self.path,
                        f"{self.owner} already has this article open (pid {holder.get('pid')} on "
                        f"{holder.get('host')} since {since}); close that session first, or delete "
                        "this lock file if that process is gone",
                    ))
                try:
                    self.path.unlink()
                except FileNotFoundError:
                    pass
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(record, handle)
            self.held = True
            return
        raise LockedError(Problem(self.path, "could not take the lock (another session races)"))

    def release(self) -> None:
        if not self.held:
            return
        holder = self._read()
        if holder is not None and holder.get("pid") == os.getpid():
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass
        self.held = False

    def _read(self) -> dict | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # unreadable or half-written: treat as stale
        return data if isinstance(data, dict) else None

    @staticmethod
    def _stale(holder: dict) -> bool:
        pid = holder.get("pid")
        if holder.get("host") == socket.gethostname():
            if not (isinstance(pid, int) and _alive(pid)):
                return True
            started = holder.get("started")  # absent in locks written before it was recorded
            return isinstance(started, int) and process_start(pid) not in (None, started)
        since = holder.get("since")
        return not isinstance(since, (int, float)) or time.time() - since > STALE_AFTER_S
