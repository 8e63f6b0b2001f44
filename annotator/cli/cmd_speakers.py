"""`annotator speakers list|merge|rename|promote`: the lead's tools for entities.

list     every speaker with where it is defined (labels.yaml, created by an annotator,
         imported), how often each annotator used it, and which are unused
merge    KEEP DROP...: KEEP takes DROP's names as aliases; every annotation file using
         DROP is rewritten to KEEP, atomically per file; --dry-run shows what would change
rename   OLD NEW: an id changed in its definition and in every annotation file
promote  ANNOTATOR [ID...]: created speakers moved from the annotator's
         _speakers.yaml into labels.yaml (its comments kept)

An unknown id, or merging a speaker into itself, exits 2 with nothing written; a file
open in an editor (a live lock) makes merge and rename refuse, exit 1, nothing written.
"""

from __future__ import annotations

import argparse

from annotator.cli import COMMANDS, project_root
from annotator.cli.output import say
from annotator.core.project import Project
from annotator.core.speakers_admin import (
    apply_plan,
    list_speakers,
    plan_merge,
    plan_rename,
    promote,
)


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser):
    parser = subparsers.add_parser(
        "speakers", parents=[common], help=COMMANDS["speakers"],
        description="List, merge, rename and promote speakers (entities).")
    parser.add_argument("--layer", help="the entity layer (default: the first one)")
    actions = parser.add_subparsers(dest="speakers_action", metavar="ACTION", required=True)
    actions.add_parser("list", help="speakers, where defined, uses per annotator")
    merge = actions.add_parser("merge", help="merge DROP... into KEEP everywhere")
    merge.add_argument("keep", metavar="KEEP")
    merge.add_argument("drops", metavar="DROP", nargs="+")
    merge.add_argument("--dry-run", action="store_true", help="show what would change")
    rename = actions.add_parser("rename", help="change a speaker's id everywhere")
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    rename.add_argument("--dry-run", action="store_true", help="show what would change")
    promoted = actions.add_parser("promote", help="move created speakers into labels.yaml")
    promoted.add_argument("annotator_name", metavar="ANNOTATOR")
    promoted.add_argument("ids", metavar="ID", nargs="*")
    return parser


def run(args: argparse.Namespace) -> int:
    project = Project(project_root(args))
    action = args.speakers_action
    if action == "list":
        return _list(project, args.layer)
    if action == "promote":
        moved = promote(project, args.annotator_name, args.ids, args.layer)
        if not moved:
            say(f"nothing to promote from {args.annotator_name}")
        else:
            say(f"moved into labels.yaml: {', '.join(moved)}")
        return 0
    plan = (plan_merge(project, args.keep, args.drops, args.layer) if action == "merge"
            else plan_rename(project, args.old, args.new, args.layer))
    for line in plan.describe:
        say(line)
    if args.dry_run:
        for annotator, article_id, count in plan.files:
            say(f"  would rewrite annotations/{annotator}/{article_id}.yaml ({count} "
                f"sentence{'s' if count != 1 else ''})")
        for annotator in plan.speaker_files:
            say(f"  would change annotations/{annotator}/_speakers.yaml")
        if plan.labels_text is not None:
            say("  would change labels.yaml (comments kept)")
        say("dry run: nothing was written")
        return 0
    for path in apply_plan(project, plan):
        say(f"  {path}")
    return 0


def _list(project: Project, layer_id: str | None) -> int:
    layer, rows = list_speakers(project, layer_id)
    annotators = sorted({name for row in rows for name in row.uses})
    say(f"{layer.title}: {len(rows)} ({', '.join(annotators) or 'no annotator'} using them)")
    unused = 0
    kinds: dict[str, int] = {}
    sources: dict[str, int] = {}
    for row in rows:
        entity = row.entity
        source = "imported" if entity.imported else row.source
        kinds[entity.kind or "no kind"] = kinds.get(entity.kind or "no kind", 0) + 1
        sources[source] = sources.get(source, 0) + 1
        uses = ", ".join(f"{name} {count}" for name, count in sorted(row.uses.items()))
        if not row.uses:
            unused += 1
        say(f"  {entity.id:28s} {entity.name:28s} {entity.kind or '-':13s} {source:22s} "
            f"{uses or 'unused'}")
    say("by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    say("by source: " + ", ".join(f"{k} {n}" for k, n in sorted(sources.items())))
    say(f"unused: {unused}")
    return 0
