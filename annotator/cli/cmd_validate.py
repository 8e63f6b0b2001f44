"""`annotator validate`: every problem in the project, one `file:line: message` per line.

Plain lines rather than a table so editors and `grep` can jump to them. Exit 2 when
labels.yaml is broken (as every command does), 1 for other problems, 0 when clean.
"""

from __future__ import annotations

import argparse

from annotator.cli import COMMANDS, project_root
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
    for problem in report.all_problems:
        print(problem)
    if report.hint:
        print(report.hint)
    count = len(report.all_problems)
    if count:
        print(f"{count} problem{'s' if count != 1 else ''} found; files were not changed")
    else:
        print(f"ok: {report.labels} labels, {report.articles} articles, "
              f"{report.annotation_files} annotation files")
    return report.exit_code
