"""Typed, expected problems. Each names the file (and line) so the user can act on it.

The CLI prints `str(error)` and exits non-zero; the TUI shows it as a notification.
Nothing here ever becomes a traceback on the user's screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class Problem(NamedTuple):
    """One thing wrong with one file, at a place a user can jump to.
    (Not a dataclass: the editor's start path; README, Start-up.)"""

    path: Path | str
    message: str
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class AnnotatorError(Exception):
    """An expected failure carrying one or more problems; exit code tells the CLI how bad."""

    exit_code = 1

    def __init__(self, problems: Problem | list[Problem] | str, hint: str | None = None):
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = problems
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [str(p).lstrip(": ") if not str(p.path) else str(p) for p in self.problems]
        if self.hint:
            lines.append(self.hint)
        return "\n".join(lines)


class SchemaError(AnnotatorError):
    """labels.yaml is missing or wrong: nothing can be tagged until it is fixed."""

    exit_code = 2


class CorpusError(AnnotatorError):
    """An article cannot be imported or read."""


class StoreError(AnnotatorError):
    """An annotation file cannot be read; it is left untouched on disk."""


class LockedError(AnnotatorError):
    """Another live session holds this annotator's article."""


class UsageError(AnnotatorError):
    """The command line asked for something impossible (bad annotator name, ...)."""

    exit_code = 2
