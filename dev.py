#!/usr/bin/env python3
"""Quick start without setup: `python3 dev.py` opens the TUI, `python3 dev.py test` runs tests,
`python3 dev.py lint` runs ruff and mypy (as CI does).

Creates .venv/ beside this file on first use (and again when pyproject.toml changes),
installs the project into it in editable mode with its test and web extras, then runs the
command.
Any other arguments are passed to `annotator` (e.g. `python3 dev.py stats`).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed-from"


def ensure_venv() -> None:
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == want:
        return
    if not (BIN / "python").exists():
        print("Creating .venv (first run only)…", file=sys.stderr)
        venv.create(VENV, with_pip=True)
    subprocess.run(
        [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-e", f"{ROOT}[test,web]"],  # web: `python3 dev.py serve` (docs/serve.md)
        check=True,
    )
    STAMP.write_text(want)


def main() -> int:
    ensure_venv()
    args = sys.argv[1:]
    if args[:1] == ["test"]:
        command = [str(BIN / "python"), "-m", "pytest", *args[1:]]
    elif args[:1] == ["lint"]:
        lint = subprocess.call([str(BIN / "ruff"), "check", "annotator", "tests", "bench"], cwd=ROOT)
        types = subprocess.call([str(BIN / "mypy"), "annotator/core"], cwd=ROOT)
        return lint or types
    else:
        command = [str(BIN / "python"), "-m", "annotator", "--project", str(ROOT), *args]
    return subprocess.call(command, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
