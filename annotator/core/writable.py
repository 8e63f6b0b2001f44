"""Can this process make files in a folder? Asked before the editor opens a project.

A project on a read-only disk, or owned by someone else, can still be read: the editor
then opens for browsing (no lock taken, nothing saved) and says why, instead of failing
on the first lock or save with a message about a file the user never asked for.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_problem(folder: Path) -> str | None:
    """Why no file can be made in `folder` (or, if it does not exist yet, in the nearest
    folder above it that does), or None when it can. access(2) reports a read-only file
    system even to root, who is otherwise allowed everything."""
    probe = folder
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    if os.access(probe, os.W_OK):
        return None
    try:
        read_only_fs = bool(os.statvfs(probe).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        read_only_fs = False
    why = "is on a read-only file system" if read_only_fs else "is not writable by you"
    return f"{probe}{os.sep} {why}"
