"""Where exports go: stdout, or a file that appears whole or not at all.

A training job that starts reading train.jsonl while the export is still writing it
would see half the data; so a file is written beside its target under a temporary name
and renamed into place when complete (the same rule as every save in this project).
Exports never write into the project's own data (labels.yaml, corpus/, annotations/).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO

from ..errors import Problem, UsageError
from ..project import Project


class AtomicOutput:
    """A text file written under a temporary name, renamed into place on a clean close."""

    def __init__(self, path: Path, newline: str | None = None):
        self.path = path
        self.newline = newline
        self._tmp: str | None = None
        self.handle: IO[str] | None = None

    def __enter__(self) -> IO[str]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                         dir=self.path.parent)
        self.handle = os.fdopen(fd, "w", encoding="utf-8", newline=self.newline)
        return self.handle

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        assert self.handle is not None and self._tmp is not None
        try:
            if kind is None:
                self.handle.flush()
                os.fsync(self.handle.fileno())
            self.handle.close()
            if kind is None:
                os.replace(self._tmp, self.path)
                self._tmp = None
        finally:
            if self._tmp is not None:
                try:
                    os.unlink(self._tmp)
                except OSError:
                    pass


def check_output_path(project: Project, path: Path) -> Path:
    """Refuse targets inside the project's data: an export must never replace work."""
    target = path.resolve()
    protected = [project.labels_path.resolve(), project.corpus_dir.resolve(),
                 project.annotations_dir.resolve()]
    for place in protected:
        if target == place or place in target.parents:
            raise UsageError(Problem(path, f"is inside the project's data ({place.name}); "
                                           "write exports somewhere else"))
    return path
