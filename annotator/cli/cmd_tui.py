"""No subcommand: open the annotation editor on the project."""

from __future__ import annotations

import argparse
import sys

from annotator.cli import annotator_flag, project_root
from annotator.core.errors import UsageError
from annotator.core.project import Project, resolve_annotator


def run(args: argparse.Namespace) -> int:
    project = Project(project_root(args))
    annotator = resolve_annotator(annotator_flag(args))
    project.schema  # noqa: B018 - fail fast, before the screen opens, on a broken labels.yaml
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Without a terminal the editor would wait for keys that never come (CI, pipes).
        raise UsageError("the editor needs a terminal; for scripts use a subcommand "
                         "(annotator --help lists them)")
    from annotator.tui.app import make_app  # Textual loads only when the editor opens

    app = make_app(project, annotator)
    try:
        app.run()
    finally:
        app.session.close()  # idempotent; the lock must not outlive a crash of the UI
    if app.crashed is not None:
        from annotator.core.crash import handle_crash

        return handle_crash(app.crashed)
    return app.return_code or 0
