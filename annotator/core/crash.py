"""What happens when something breaks that we did not expect: a report file, one short line.

Headless on purpose (no Textual, no Rich import): the handler must not be able to fail on
import while the program is already failing. Tags are saved on every change, so by the
time a crash reaches here the user's work is on disk; the message says so, so nobody
re-tags an article out of fear.

Reports go to the user's *state* directory ($XDG_STATE_HOME/annotator, else
~/.local/state/annotator), not to a cache (a cache is what users are told to delete) and
not into the project (it would end up in git). A temporary folder is the last resort.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
import traceback
from pathlib import Path

from annotator.core.terminal_text import one_line

EXIT_CRASH = 70  # EX_SOFTWARE in sysexits.h: "internal software error"
_APP_DIR = "annotator"


def state_dirs() -> list[Path]:
    """Where a report may go, best first."""
    candidates: list[Path] = []
    xdg = os.environ.get("XDG_STATE_HOME")
    if xdg and os.path.isabs(xdg):  # the XDG spec says relative paths are to be ignored
        candidates.append(Path(xdg) / _APP_DIR)
    try:
        candidates.append(Path.home() / ".local" / "state" / _APP_DIR)
    except (KeyError, RuntimeError):  # no home directory (some containers, daemons)
        pass
    candidates.append(Path(tempfile.gettempdir()) / _APP_DIR)
    return candidates


def format_report(exc: BaseException, argv: list[str] | None = None) -> str:
    """Command, versions and traceback: what a maintainer needs to reproduce the failure."""
    lines = [
        "annotator crash report",
        f"time: {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
        f"command: annotator {' '.join(argv if argv is not None else sys.argv[1:])}",
        f"annotator: {_version()}",
        f"python: {sys.version.split()[0]} on {platform.platform()}",
        f"cwd: {os.getcwd() if _cwd_exists() else '(deleted)'}",
        "",
        "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip(),
        "",
    ]
    return "\n".join(lines)


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("annotator")
    except Exception:  # noqa: BLE001 - a report without a version beats no report
        return "unknown"


def _cwd_exists() -> bool:
    try:
        os.getcwd()
    except OSError:
        return False
    return True


def write_report(exc: BaseException, argv: list[str] | None = None) -> Path | None:
    """Write the report to the first folder that accepts it; None if none does."""
    text = format_report(exc, argv)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for folder in state_dirs():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"crash-{stamp}-{os.getpid()}.txt"
            path.write_text(text, encoding="utf-8")
        except OSError:
            continue
        return path
    return None


def crash_message(exc: BaseException, report: Path | None) -> str:
    """The one line the user reads: what broke, where the details are, that work is safe."""
    what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    what = one_line(" ".join(what.split()))  # one line; data in it cannot drive the terminal
    if len(what) > 200:
        what = what[:197] + "..."
    where = (f"report written to {report}" if report is not None
             else "no report could be written (no writable state or temp folder)")
    return f"annotator: unexpected error: {what}; {where}; your tags are saved"


def handle_crash(exc: BaseException, argv: list[str] | None = None) -> int:
    """Report an unexpected exception and return the exit code for it."""
    report = write_report(exc, argv)
    try:
        print(crash_message(exc, report), file=sys.stderr)
    except (OSError, ValueError):  # stderr closed or broken: the report is what remains
        pass
    return EXIT_CRASH
