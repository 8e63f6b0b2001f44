"""The command line loads only the command it runs, and still reads every form of it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import build_parser, chosen_command, editor_args, main


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], None),
        (["agree"], "agree"),
        (["--project", "agree", "stats"], "stats"),  # a project folder named like a command
        (["--annotator", "export"], None),  # an annotator named like a command: the editor
        (["--project=/x", "validate", "--annotator", "bo"], "validate"),
        (["--help"], None),
        (["nonsense"], None),
    ],
)
def test_chosen_command_skips_option_values(argv: list[str], expected: str | None) -> None:
    assert chosen_command(argv) == expected


def test_opening_the_editor_does_not_load_other_commands() -> None:
    code = (
        "import sys; from annotator.cli import build_parser; build_parser([]);"
        "print(sorted(m for m in sys.modules if m.startswith(('annotator.core.formats',"
        " 'annotator.core.review', 'annotator.cli.cmd_'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_command_still_parses_its_own_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--help"])
    assert exit_info.value.code == 0
    assert "--all-sentences" in capsys.readouterr().out


def test_help_lists_every_command_and_an_unknown_one_is_refused(
        capsys: pytest.CaptureFixture[str]) -> None:
    """The editor's own parser has no subcommands; naming one (or --help) builds them all."""
    from annotator.cli import COMMANDS

    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    listed = capsys.readouterr().out
    assert all(name in listed for name in COMMANDS)
    with pytest.raises(SystemExit) as exit_info:
        main(["--annotator", "ann", "exprot"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'exprot'" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    [], ["--annotator", "bo"], ["--project", "/x", "--annotator", "bo"],
    ["--annotator", "export"], ["--project", "agree"], ["--annotator", ""],
])
def test_the_editors_line_is_read_as_argparse_reads_it(argv: list[str]) -> None:
    """The editor's usual line skips argparse (its import is ~1% of the start-up)."""
    fast = editor_args(argv)
    assert fast is not None
    assert vars(fast) == vars(build_parser(argv).parse_args(argv))


@pytest.mark.parametrize("argv", [
    ["--help"], ["-h"], ["--project=/x"], ["--annot", "bo"], ["--annotator"],
    ["--annotator", "a", "--annotator", "b"], ["--annotator", "-x"], ["stats"],
    ["--annotator", "bo", "stats"], ["--", "x"],
])
def test_any_other_line_is_left_to_argparse(argv: list[str]) -> None:
    assert editor_args(argv) is None


def test_opening_the_editor_does_not_load_argparse(tmp_path: Path) -> None:
    """Without a terminal the editor refuses to start: by then the line is read."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "annotator",
                          "--project", str(tmp_path), "--annotator", "bo"],
                         capture_output=True, text=True, check=False)
    assert out.returncode != 0
    imported = [line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines()
                if line.startswith("import time:")]
    assert "annotator.cli" in imported and "argparse" not in imported
