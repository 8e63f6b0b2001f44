"""`annotator validate`: every problem in the project, one `file:line: message` per line.

Plain lines rather than a table so editors and `grep` can jump to them. The first line
says which labels.yaml version was read and the layers it declares; annotation files in
an older format are listed too (they load as they are, so they do not fail the run).
Exit 2 when labels.yaml is broken (as every command does), 1 for other problems, 0 when
clean.
"""

from __future__ import annotations

import argparse

from annotator.cli import COMMANDS, project_root
from annotator.cli.output import say
from annotator.core.project import Project
from annotator.core.validate import validate_project


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser):
    return subparsers.add_parser(
        "validate", parents=[common],
        help=COMMANDS["validate"],
        description="Check labels.yaml, every article and every annotation file; list each "
        "problem as file:line: message. Nothing is modified.",
    )


def run(args: argparse.Namespace) -> int:
    report = validate_project(Project(project_root(args)))
    if report.schema_summary:
        say(report.schema_summary)
    for problem in report.all_problems:
        say(problem)
    for notice in report.notices:
        say(notice)
    if report.hint:
        say(report.hint)
    count = len(report.all_problems)
    older = (f"; {len(report.notices)} annotation file{'s' if len(report.notices) != 1 else ''}"
             " in an older format (read as they are)" if report.notices else "")
    if count:
        say(f"{count} problem{'s' if count != 1 else ''} found{older}; files were not changed")
    else:
        say(f"ok: {report.labels} labels, {report.articles} articles, "
            f"{report.annotation_files} annotation files{older}")
    return report.exit_code
