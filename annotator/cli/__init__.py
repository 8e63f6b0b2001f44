"""`annotator ...`: one small module per subcommand, collected here.

Each command module has `register(subparsers)` and a `run(args) -> int`. Expected
problems (AnnotatorError) print one clear message and exit non-zero; unexpected ones
go to a crash report (see crash.py) so the user never reads a traceback.
"""

from __future__ import annotations

import gc
import importlib
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from annotator.cli.output import say_error
from annotator.core.errors import AnnotatorError, UsageError

if TYPE_CHECKING:
    import argparse

# name -> one-line help. Only the module of the command being run is imported: the others
# pull in formats, review and table code that the editor's start-up should not pay for.
COMMANDS = {
    "init": "create a new project",
    "import": "add articles, or tags made in other tools",
    "validate": "check labels.yaml, the corpus and all annotation files",
    "export": "write tags as JSONL, CSV or brat (training, other tools)",
    "stats": "progress per annotator and label counts",
    "review": "compare annotators side by side and settle into gold",
    "agree": "inter-annotator agreement per layer",
    "sync": "commit your own folder, pull the team's work, push (git)",
    "assign": "give each article to N annotators (assignments.yaml)",
    "serve": "the editor and review in a browser, a personal link per person",
    "speakers": "list, merge, rename and promote speakers (entities)",
}
_OPTIONS_WITH_VALUE = {"--project", "--annotator"}


def chosen_command(argv: list[str]) -> str | None:
    """The subcommand named on the command line, skipping global options and their values."""
    word = _first_word(argv)
    return word if word in COMMANDS else None


def _first_word(argv: list[str]) -> str | None:
    """The first argument that is neither a global option nor its value (-h counts)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _OPTIONS_WITH_VALUE:
            skip = True
        elif arg in ("-h", "--help") or not arg.startswith("-"):
            return arg
    return None


def editor_args(argv: list[str]) -> SimpleNamespace | None:
    """The editor's usual command line (`--project DIR`, `--annotator NAME`, each at most
    once, in that spelling), read without argparse: importing it is ~1% of the editor's
    start-up. Anything else (a command, --help, --project=DIR, an abbreviation, a missing
    value) is None, and argparse reads the line, with its usage errors."""
    found: dict[str, object] = {}
    words = iter(argv)
    for word in words:
        value = next(words, None)
        if word not in _OPTIONS_WITH_VALUE or word[2:] in found or value is None \
                or value.startswith("-"):
            return None
        found[word[2:]] = Path(value) if word == "--project" else value
    return SimpleNamespace(**found)


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    import argparse  # here, not at the top: see editor_args

    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand's copy of these options must not reset what came before it.
    common.add_argument("--project", type=Path, default=argparse.SUPPRESS, metavar="DIR",
                        help="the project folder (default: the current folder)")
    common.add_argument("--annotator", default=argparse.SUPPRESS, metavar="NAME",
                        help="who is tagging (default: $ANNOTATOR, else your login name)")
    parser = argparse.ArgumentParser(
        prog="annotator", parents=[common],
        description="Tag news articles sentence by sentence. With no command, opens the editor.",
    )
    words = sys.argv[1:] if argv is None else argv
    if _first_word(words) is None:
        return parser  # the editor: no command to load, none to list (--help lists them)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    chosen = chosen_command(words)
    for name, help_text in COMMANDS.items():
        if name != chosen:  # listed in --help, but not loaded
            placeholder = subparsers.add_parser(name, help=help_text)
            placeholder.set_defaults(run=_not_loaded)
            continue
        module = importlib.import_module(f"annotator.cli.cmd_{name}")
        sub = module.register(subparsers, common)
        sub.set_defaults(run=module.run)
    return parser


def _not_loaded(args: argparse.Namespace) -> int:
    """Only reached if chosen_command misread the line; better a message than the editor."""
    raise UsageError(f"could not read the command line; try `annotator {args.command} --help`")


def project_root(args: argparse.Namespace | SimpleNamespace) -> Path:
    project = getattr(args, "project", None)
    return project if project is not None else Path.cwd()


def annotator_flag(args: argparse.Namespace | SimpleNamespace) -> str | None:
    return getattr(args, "annotator", None)


def annotator_names(text: str) -> list[str]:
    """argparse type of --annotators: "a, b" -> ["a", "b"]; empty is a usage error."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        import argparse  # loaded already: this is an argparse type

        raise argparse.ArgumentTypeError("give at least one annotator name")
    return names


def main(argv: list[str] | None = None) -> int:
    args = editor_args(sys.argv[1:] if argv is None else argv)
    if args is None:  # usage errors exit 2 here, with argparse's own message
        args = build_parser(argv).parse_args(argv)
    try:
        if getattr(args, "run", None) is None:
            # Start-up makes objects to keep, not garbage: the cycle collector would only
            # walk them again and again. The editor turns it back on after its first frame.
            gc.disable()
            from annotator.cli.cmd_tui import run as run_tui

            return run_tui(args)
        return int(args.run(args) or 0)
    except AnnotatorError as exc:
        say_error(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # the disk said no (permissions, full disk): the user can act on it
        where = f"{exc.filename}: " if exc.filename else ""
        say_error(f"{where}{exc.strerror or exc}")
        return 1
    except Exception as exc:  # noqa: BLE001 - the one place that turns a bug into a report
        from annotator.core.crash import handle_crash

        return handle_crash(exc, argv)
