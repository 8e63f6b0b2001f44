"""No subcommand: open the annotation editor on the project."""

from __future__ import annotations

import gc
from types import SimpleNamespace
from typing import TYPE_CHECKING

from annotator.cli import annotator_flag, project_root
from annotator.cli.terminal import require_terminal, run_app
from annotator.core.keymap_file import keys_file_path, load_keys_file
from annotator.core.project import Project, resolve_annotator
from annotator.core.writable import write_problem

if TYPE_CHECKING:
    import argparse


def run(args: argparse.Namespace | SimpleNamespace) -> int:
    try:
        return _run(args)
    finally:
        gc.enable()  # main() turned it off for the start-up; the app turns it on sooner


def _run(args: argparse.Namespace | SimpleNamespace) -> int:
    project = Project(project_root(args))
    annotator = resolve_annotator(annotator_flag(args))
    # Fail fast, before the screen opens, on a broken labels.yaml or keys file.
    keys = load_keys_file(keys_file_path(), project.schema)
    try:
        require_terminal()
        from annotator.tui.app import make_app  # Textual loads only when the editor opens
        from annotator.tui.keymap import editor_keymap

        read_only = write_problem(project.annotations_dir / annotator)
        app = make_app(project, annotator, keymap=editor_keymap(keys, project.schema),
                       read_only=read_only)
        return run_app(app, app.close_session)
    finally:
        # What a killed save left behind (*.annotator-tmp), swept as the editor closes
        # rather than before its first screen: a corpus of 10,000 files is 10,000 stats.
        project.sweep_temp_files()
