"""`annotator assign`: who tags which article, written to assignments.yaml."""

from __future__ import annotations

import argparse
from collections import Counter

from annotator.cli import COMMANDS, annotator_names, project_root
from annotator.cli.output import say
from annotator.core.assignments import ASSIGNMENTS_FILE, assign, write_assignments
from annotator.core.errors import Problem, UsageError
from annotator.core.project import Project
from annotator.core.review_agree import choose_annotators


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser):
    sub = subparsers.add_parser(
        "assign", parents=[common], help=COMMANDS["assign"],
        description="Give each article to --per-article annotators, chosen by a hash of the "
        "seed, the article and the name: the same seed gives the same result anywhere, and "
        "running it again after an import keeps every earlier article's annotators. "
        f"Writes {ASSIGNMENTS_FILE}; the editor lists each annotator's articles first.")
    sub.add_argument("--annotators", metavar="A,B,...", type=annotator_names, required=True,
                     help="the team (each needs a folder under annotations/, or --new)")
    sub.add_argument("--per-article", type=int, required=True, metavar="N",
                     help="annotators per article (2 or more for agreement)")
    sub.add_argument("--seed", type=int, required=True, metavar="N",
                     help="any number; the same number gives the same assignment")
    sub.add_argument("--overlap", type=float, default=1.0, metavar="SHARE",
                     help="share of articles that get --per-article annotators; the rest get "
                     "one (default 1: all)")
    sub.add_argument("--new", action="store_true",
                     help="names without a folder under annotations/ yet are new team members, "
                     "not typos")
    return sub


def run(args: argparse.Namespace) -> int:
    project = Project(project_root(args))
    present = project.store.annotators()
    if not args.new:
        unknown = [name for name in args.annotators if name not in present]
        if unknown:
            raise UsageError(Problem(project.annotations_dir, f"unknown annotator(s): "
                                     f"{', '.join(unknown)} (annotators here: "
                                     f"{', '.join(present) or 'none yet'}); add --new if they "
                                     "are new to the team"))
    _, reviewers = choose_annotators(project, project.index, None)
    named_reviewers = [n for n in args.annotators if n in reviewers
                       and "review folder" in reviewers[n]]
    if named_reviewers:
        raise UsageError(f"{', '.join(named_reviewers)}: a review folder (gold), not an "
                         "annotator")
    ids = project.corpus.ids()
    result = assign(ids, args.annotators, args.per_article, args.seed, args.overlap)
    write_assignments(project.root, result)
    load = Counter(name for names in result.articles.values() for name in names)
    say(f"{ASSIGNMENTS_FILE}: {len(ids):,} articles; "
        + ", ".join(f"{name} {load[name]:,}" for name in result.annotators))
    return 0
