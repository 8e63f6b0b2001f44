"""The command line loads only the command it runs, and still reads every form of it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from annotator.cli import chosen_command, main


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
