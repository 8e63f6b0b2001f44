"""`annotator review`: settle annotators' disagreements into a gold set, in the terminal."""

from __future__ import annotations

import argparse

from annotator.cli import COMMANDS, annotator_names, project_root
from annotator.cli.terminal import require_terminal, run_app
from annotator.core.article_status import read_status, status_path
from annotator.core.keymap_file import keys_file_path, load_keys_file
from annotator.core.project import Project
from annotator.core.review import DEFAULT_REVIEWER, ReviewSession
from annotator.core.writable import write_problem


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser):
    sub = subparsers.add_parser(
        "review", parents=[common], help=COMMANDS["review"],
        description="Review annotators' tags side by side and settle disagreements into "
        "annotations/REVIEWER/ (default: gold), saved at once with provenance (agrees_with, "
        "overrules). With a single annotator the review is read-only and writes nothing. "
        "Press ? in the review for its keys.")
    sub.add_argument("--annotators", metavar="A,B,...", type=annotator_names,
                     help="whose work to review (default: every annotator folder but the "
                     "reviewer's)")
    sub.add_argument("--dispute", metavar="LAYER[:A,B]",
                     help="go only to the disputes of one layer, or between two of its labels, "
                     "as agree lists them (e.g. claim:fact,opinion; (none) for no label)")
    sub.add_argument("--as", dest="reviewer", default=DEFAULT_REVIEWER, metavar="REVIEWER",
                     help=f"the reviewer's folder under annotations/ (default: {DEFAULT_REVIEWER})")
    return sub


def run(args: argparse.Namespace) -> int:
    project = Project(project_root(args))
    # Fail fast, before the screen opens, on a broken labels.yaml or keys file.
    keys = load_keys_file(keys_file_path(), project.schema)
    project.sweep_temp_files()  # what a killed save left behind (*.annotator-tmp)
    # A project this user cannot write is reviewed for reading: no lock, nothing saved,
    # and a banner says why (as in the editor), instead of an error naming a lock file.
    read_only = write_problem(project.annotations_dir / args.reviewer)
    review = ReviewSession(project, args.reviewer, args.annotators,
                           read_only=True if read_only else None)
    review.set_dispute_filter(args.dispute)
    # The verdicts file is written from the screen: a hand-broken one is refused now.
    if not read_only:
        read_status(status_path(project.annotations_dir, review.reviewer))
    require_terminal()
    from annotator.tui.review.app import (
        ReviewApp,  # Textual loads only when the screen opens
    )
    from annotator.tui.review.keymap import review_keymap

    app = ReviewApp(review, keymap=review_keymap(keys, project.schema))
    app.read_only_reason = read_only
    return run_app(app, review.close)
