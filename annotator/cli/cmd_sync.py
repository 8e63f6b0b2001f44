"""`annotator sync`: commit your own folder, pull the team's work (rebase), push."""

from __future__ import annotations

import argparse

from annotator.cli import COMMANDS, annotator_flag, project_root
from annotator.cli.output import say
from annotator.core.project import resolve_annotator
from annotator.core.sync import sync


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser):
    sub = subparsers.add_parser(
        "sync", parents=[common], help=COMMANDS["sync"],
        description="Share your work through the project's git repository: commit "
        "annotations/NAME/ (your tags, speakers and article status; nothing else), "
        "git pull --rebase, git push. Another annotator's files are never committed. "
        "Needs a git repository with a remote (a bare repository on a shared disk, an "
        "ssh host, a forge).")
    sub.add_argument("--as", dest="also", action="append", default=[], metavar="REVIEWER",
                     help="also commit this reviewer's folder (e.g. --as gold for the lead)")
    sub.add_argument("-m", "--message", help="the commit message (default: annotator sync: "
                     "NAME)")
    return sub


def run(args: argparse.Namespace) -> int:
    name = resolve_annotator(annotator_flag(args))
    result = sync(project_root(args), [name, *args.also], message=args.message)
    for step in result.steps:
        say(f"annotator sync: {step}")
    return 0
