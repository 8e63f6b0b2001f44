"""Every CLI command, run on a project full of escape sequences, prints no ESC byte.

A title like `ESC ] 0;EVIL BEL` renames the terminal window when printed raw, `ESC [ 2J`
clears the screen. The commands are listed from cli.COMMANDS, so a command added later is
run here too: it gets the arguments in ARGS (or none, with a timeout) and must print
whatever it prints through annotator.cli.output (see that module).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import COMMANDS
from annotator.core.project import Project
from annotator.core.session import AnnotateSession

EVIL = "\x1b]0;EVIL\x07"
CLEAR = "\x1b[2J"
RED = "\x1b[31m"
C1 = "\x9b2J"  # the one-byte CSI of 8-bit terminals

LABELS = """\
version: 2
layers:
  - id: speakers
    title: "Speakers \\e]0;EVIL\\a"
    kind: entity
    key: s
    labels:
      - id: pompeo
        name: "Mike \\e[2J Pompeo"
        kind: person
        aliases: ["\\e]0;EVIL\\a Pompeo"]
  - id: claim
    title: "Claim \\e[31m"
    kind: single
    key: c
    labels:
      - {id: fact, name: "Fact \\e]0;EVIL\\a", key: f}
      - {id: opinion, name: "Op\\e[2Jinion", key: o}
"""

ARTICLE = (f"{EVIL}Title {CLEAR} here\n\nThe {CLEAR} minister said {EVIL} so. "
           f"Then {RED}red\x1b[0m follows.\n\nA third {C1} sentence ends here.\n")


def run_cli(root: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "ANNOTATOR": "alice", "COLUMNS": "100", "TERM": "xterm-256color"}
    return subprocess.run([sys.executable, "-m", "annotator", "--project", str(root), *args],
                          capture_output=True, timeout=60, env=env, stdin=subprocess.DEVNULL,
                          cwd=cwd or root)


@pytest.fixture(scope="module")
def evil(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose labels, article, tags and notes all hold escape sequences."""
    base = tmp_path_factory.mktemp("evil")
    root = base / f"project{EVIL}"
    assert run_cli(root, "init", str(root), cwd=base).returncode == 0
    (root / "labels.yaml").write_text(LABELS, encoding="utf-8")
    source = base / f"article{CLEAR}.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    assert run_cli(root, "import", str(source)).returncode == 0
    lines = [json.dumps({"id": f"bad{EVIL}", "title": f"T{EVIL}", "text": "Body text here."}),
             json.dumps({"title": f"Json {EVIL} title", "text": f"One {CLEAR} sentence."})]
    (base / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    run_cli(root, "import", str(base / "articles.jsonl"))
    project = Project(root)
    for annotator, claim in (("alice", "fact"), ("bob", "opinion")):
        session = AnnotateSession(project, annotator)
        for entry in session.entries():
            session.open_article(entry.id)
            session.set_labels("claim", claim)
            session.set_labels("speakers", ("pompeo",))
            session.set_note(f"note {EVIL} with {CLEAR}")
        session.close()
    # A tag whose label is not in labels.yaml, with escapes in its id: problems name it.
    first = sorted((root / "annotations" / "bob").glob("*.yaml"))[0]
    text = first.read_text(encoding="utf-8")
    text = text.replace("claim: opinion", 'claim: "op\\e]0;EVIL\\a"', 1)
    first.write_text(text, encoding="utf-8")
    return root


# Arguments that make each command do its real work on the evil project (a list of runs).
ARGS: dict[str, list[list[str]]] = {
    "init": [["init", "{base}/again" + EVIL], ["init", "{root}"]],
    "import": [["import", "{base}/article" + CLEAR + ".txt"],
               ["import", "--dry-run", "{base}/articles.jsonl"],
               ["import", "{base}/missing" + EVIL + ".txt"],
               ["import", "--format", "brat", "--annotator", "carol", "{base}/brat"]],
    "validate": [["validate"]],
    "export": [["export"], ["export", "--format", "csv", "-o", "{base}/out.csv"],
               ["export", "--split", "50/50", "-o", "{base}/split"],
               ["export", "--format", "brat", "-o", "{base}/brat"]],
    "stats": [["stats"], ["stats", "--annotator", "bob"]],
    "review": [["review"]],
    "agree": [["agree"], ["agree", "--format", "json"]],
    "speakers": [["speakers", "list"]],
    "assign": [["assign", "--annotators", "alice,bob", "--per-article", "1", "--seed", "1"],
               ["stats"]],
}


@pytest.mark.parametrize("command", [*COMMANDS, None])
def test_no_escape_byte_reaches_the_terminal(evil: Path, command: str | None) -> None:
    runs = ARGS.get(command, [[command]]) if command else [[]]  # None: the editor
    base = evil.parent
    printed = 0
    for run in runs:
        args = [arg.replace("{base}", str(base)).replace("{root}", str(evil)) for arg in run]
        result = run_cli(evil, *args)
        output = result.stdout + result.stderr
        assert b"\x1b" not in output, (args, output.decode("utf-8", "replace"))
        assert b"\x07" not in output and b"\xc2\x9b" not in output, args
        printed += len(output)
    assert printed, f"{command} printed nothing: give it arguments in ARGS"


def test_escapes_are_shown_not_dropped(evil: Path) -> None:
    """The user still sees that a name holds an escape: as the visible ␛ stand-in."""
    fresh = evil.parent / f"fresh{EVIL}"
    out = run_cli(evil, "init", str(fresh)).stdout.decode()
    assert "fresh␛]0;EVIL␇" in out
    stats = run_cli(evil, "stats").stdout.decode()
    assert "Op␛[2Jinion" in stats and "Claim ␛[31m" in stats
    rows = [line for line in stats.splitlines() if line.startswith("│")]
    assert len({len(row) for row in rows[-3:]}) == 1, "cells measured on what is shown"
