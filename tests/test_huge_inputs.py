"""Bad and huge input: what a user sees, not how long it takes (timings: bench/bench_huge.py).

An article that is one 1 MB word wraps at the terminal's width and can be tagged; an
article made only of escape sequences opens and shows them as visible stand-ins; a
labels.yaml with thousands of speakers prints a stats table of the most tagged ones, and
two speakers sharing an alias are both named by validate.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from annotator.core.project import Project
from tests.factories import LABELS, make_project
from tests.test_tui_support import app_for, saved, screen_text, wait_for

NO_SPACE = "Nospace title\n\n" + "Theministersaidthattalkswouldresume." * 30_000
ESCAPES = "".join(["\x1b]0;EVIL\x07", "\x1b[2J", "\x1b[31m", "\x9b2J", "\x07\x08\r"] * 400)


async def test_a_long_word_wraps_at_the_terminal_width_and_can_be_tagged(
        tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", articles=(NO_SPACE,))
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "Theminister" in screen_text(app), "the article text")
        await pilot.press("j")  # the 1 MB sentence
        await wait_for(pilot, lambda: app.session.cursor == 1, "the cursor on it")
        await pilot.pause()
        lines = [line for line in screen_text(app).splitlines() if "Theminister" in line]
        assert len(lines) >= 15  # the screen is full of it...
        assert all(70 <= len(line.rstrip()) <= 80 for line in lines[1:-1])  # ...wrapped wide
        await pilot.press("f")
        await wait_for(pilot, lambda: saved(project).get(1, {}).get("claim") == "fact",
                       "the tag on disk")


async def test_an_article_of_escape_sequences_only_is_shown_visibly(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", articles=("Escapes\n\n" + ESCAPES,))
    app = app_for(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "␛]0;EVIL␇" in screen_text(app), "the escapes, visible")
        text = screen_text(app)
        assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
        assert all(len(line) <= 80 for line in text.splitlines())


def _speakers_labels(count: int, shared: bool) -> str:
    entries = "".join(
        f"  - id: s{n}\n    name: Person {n}\n    kind: person\n"
        f"    aliases: [{'Same Alias' if shared and n in (7, count - 7) else f'Alias {n}'}]\n"
        for n in range(count))
    return LABELS.replace("speakers:\n", "speakers:\n" + entries, 1)


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "annotator", "--project", str(root), *args],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "COLUMNS": "200"})


def test_validate_names_both_speakers_that_share_an_alias(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", labels=_speakers_labels(3000, shared=True))
    result = run_cli(project.root, "validate")
    assert result.returncode == 2
    out = result.stdout + result.stderr
    assert "'Same Alias'" in out and "'s7'" in out and "'s2993'" in out


def test_stats_with_thousands_of_speakers_lists_the_most_tagged(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", labels=_speakers_labels(3000, shared=False))
    session_tags(project, {0: "s5", 1: "s5", 2: "s9"})
    result = run_cli(project.root, "stats")
    assert result.returncode == 0, result.stderr
    assert "Person 5" in result.stdout and "Person 9" in result.stdout
    assert "Person 1234" not in result.stdout
    assert "2,983 more speakers (2,983 never tagged)" in result.stdout


def session_tags(project: Project, speakers: dict[int, str]) -> None:
    from annotator.core.session import AnnotateSession

    session = AnnotateSession(Project(project.root), "alice")
    session.open_article(session.entries()[0].id)
    for index, speaker in speakers.items():
        session.goto(index)
        session.set_labels("speakers", (speaker,))
    session.close()
