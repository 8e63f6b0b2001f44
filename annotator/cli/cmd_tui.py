"""No subcommand: open the annotation editor on the project."""

from __future__ import annotations

import argparse

from annotator.cli import annotator_flag, project_root
from annotator.cli.terminal import require_terminal, run_app
from annotator.core.project import Project, resolve_annotator


def run(args: argparse.Namespace) -> int:
    project = Project(project_root(args))
    annotator = resolve_annotator(annotator_flag(args))
    project.schema  # noqa: B018 - fail fast, before the screen opens, on a broken labels.yaml
    require_terminal()
    from annotator.tui.app import make_app  # Textual loads only when the editor opens

    app = make_app(project, annotator)
    return run_app(app, app.session.close)
