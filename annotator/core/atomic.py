"""The one way this project writes a file: whole or not at all.

Every save, cache and export goes through here: a temp file in the target's folder,
flushed and fsynced, renamed over the target, then the folder fsynced so the rename
itself survives a power cut. The replaced file's mode is kept (a project shared on a
server stays readable to the team); a new file gets what the umask allows.

Temp files are named ``.<name>.<pid>.<random>.annotator-tmp``: the project's .gitignore
covers the suffix, and ``sweep_temp_files`` removes those whose writer is gone (a kill -9
mid-save), the next time the project opens.
"""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

TEMP_SUFFIX = ".annotator-tmp"
GITIGNORE_LINES = (".annotator/", f"*{TEMP_SUFFIX}")


def atomic_write(path: Path, data: str | bytes, *, skip_if_same: bool = True) -> bool:
    """Write `data` to `path` atomically. Returns False (writing nothing) when unchanged.

    Skipping identical content keeps git diffs and mtimes quiet ("no churn").
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if skip_if_same:
        try:
            if path.stat().st_size == len(raw) and path.read_bytes() == raw:
                return False
        except OSError:
            pass
    with atomic_open(path, binary=True) as handle:
        handle.write(raw)
    return True


@contextmanager
def atomic_open(path: Path, *, binary: bool = False,
                newline: str | None = None) -> Iterator[IO]:  # type: ignore[type-arg]
    """A file to stream into; it replaces `path` only if the block ends without an error.

    An error from the disk names `path`, the file the user asked for, never the temp file
    beside it (which the user has never heard of and which is gone by then)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}{TEMP_SUFFIX}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise _naming(exc, path) from None
    try:
        _set_mode(fd, path)
        handle = (os.fdopen(fd, "wb") if binary
                  else os.fdopen(fd, "w", encoding="utf-8", newline=newline))
    except BaseException:
        os.close(fd)
        _unlink(tmp)
        raise
    try:
        with handle:
            yield handle
            try:
                handle.flush()
                os.fsync(handle.fileno())
            except OSError as exc:  # a full disk shows here
                raise _naming(exc, path) from None
        try:
            os.replace(tmp, path)
        except OSError as exc:
            raise _naming(exc, path) from None
    except BaseException:
        _unlink(tmp)
        raise
    fsync_dir(path.parent)


def _naming(exc: OSError, path: Path) -> OSError:
    """The same error (same class, errno and text) about `path` instead of the temp file."""
    if exc.errno is None:
        return exc
    return type(exc)(exc.errno, exc.strerror, str(path))


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _set_mode(fd: int, path: Path) -> None:
    """Keep the old file's mode, else what the umask allows (the temp file starts at 0600)."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = 0o666 & ~umask()
    try:
        os.fchmod(fd, mode)
    except (OSError, AttributeError):  # pragma: no cover - platforms without fchmod
        pass


@functools.cache
def umask() -> int:
    """The process umask, read without changing it where the OS allows (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); harmless no-op where unsupported."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def sweep_temp_files(*folders: Path, max_depth: int = 1) -> list[Path]:
    """Remove temp files left by writers that no longer run; returns what was removed.

    A temp file of a live process is left alone: another editor may be mid-save.
    """
    removed: list[Path] = []
    for folder in folders:
        pattern_dirs = [folder]
        if max_depth and folder.is_dir():
            try:
                pattern_dirs += [p for p in folder.iterdir() if p.is_dir()
                                 and not p.name.startswith(".")]
            except OSError:
                continue
        for place in pattern_dirs:
            try:
                names = [n for n in os.listdir(place) if n.endswith(TEMP_SUFFIX)]
            except OSError:
                continue
            for name in names:
                parts = name[:-len(TEMP_SUFFIX)].rsplit(".", 2)
                try:
                    pid = int(parts[1])
                except (IndexError, ValueError):
                    continue
                if not _pid_alive(pid):
                    try:
                        os.unlink(place / name)
                        removed.append(place / name)
                    except OSError:
                        pass
    return removed
