"""Where exports go: stdout, or a file that appears whole or not at all.

A training job that starts reading train.jsonl while the export is still writing it
would see half the data; so exports go through atomic.atomic_open, like every save.
Exports never write into the project's own data (labels.yaml, corpus/, annotations/).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem, UsageError
from ..project import Project


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
