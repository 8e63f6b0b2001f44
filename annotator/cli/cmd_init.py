"""`annotator init DIR`: a new project with a commented sample labels.yaml."""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.cli import COMMANDS
from annotator.cli.output import say
from annotator.core.project import init_project


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser):
    sub = subparsers.add_parser("init", parents=[common], help=COMMANDS["init"])
    sub.add_argument("dir", type=Path, help="folder for the new project")
    return sub


def run(args: argparse.Namespace) -> int:
    created = init_project(args.dir)
    for path in created:
        say(f"created {path}")
    say(f"Next: edit {args.dir / 'labels.yaml'}, then "
        f"`annotator import --project {args.dir} ARTICLE.txt`.")
    return 0
