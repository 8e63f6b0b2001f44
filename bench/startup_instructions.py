"""Instructions to the first frame: the editor against a bare Textual app, under callgrind.

    python bench/startup_instructions.py [--tree DIR]

bench_startup.py times the same start in wall-clock seconds, which move with the load of
a shared machine by more than the gap being measured. An instruction count does not: run
twice, it agrees within a million or so, so a change of 1% shows. Each program (the
programs of bench_startup, same project, same bare app) starts in a tmux pane at 100x30
under valgrind's callgrind, after a warm-up run that writes its bytecode, and ends at its
first frame: a small runner patches Textual's App._display to exit once the first
screen is written. Needs valgrind and tmux.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_startup import SIZE, TARGET, prepare, tmux

RUNNER = '''
import os, runpy, sys
from textual.app import App

shown = App._display

def display_then_exit(self, screen, renderable):
    shown(self, screen, renderable)
    if renderable is not None and self._running and not self.is_headless:
        os._exit(0)  # the first frame is written: stop counting here

App._display = display_then_exit
if sys.argv[1] == "-m":
    sys.argv = sys.argv[2:]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
else:
    sys.argv = sys.argv[1:]
    runpy.run_path(sys.argv[0], run_name="__main__")
'''


def run_in_pane(command: str, session: str, timeout: float = 600) -> None:
    tmux("kill-session", "-t", session)
    tmux("new-session", "-d", "-s", session, "-x", SIZE[0], "-y", SIZE[1], command)
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if subprocess.run(["tmux", "has-session", "-t", session],
                          capture_output=True, check=False).returncode != 0:
            return
        time.sleep(0.2)
    tmux("kill-session", "-t", session)
    raise SystemExit(f"no first frame in {timeout:.0f} s: {command}")


def instructions(command: str, out: Path, session: str) -> int:
    """The instructions the Python process ran up to its first frame."""
    run_in_pane(command, session)  # warm-up: bytecode written, files in the page cache
    counted = command.replace(
        "sh -c", f"valgrind --tool=callgrind --trace-children=yes "
        f"--callgrind-out-file={out}.%p sh -c", 1)
    run_in_pane(counted, session)
    totals = [int(found.group(1)) for path in out.parent.glob(f"{out.name}.*")
              if (found := re.search(r"^summary: (\d+)", path.read_text(), re.M))]
    if not totals:
        raise SystemExit(f"callgrind wrote nothing for: {command}")
    return max(totals)  # the Python process (the shell before exec is tiny)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path,
                        help="also count another checkout's editor (say, the commit before)")
    args = parser.parse_args()
    for tool in ("tmux", "valgrind"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed (apt install {tool})")
    base = Path(tempfile.mkdtemp(prefix="bench-instructions-"))
    (base / "runner.py").write_text(RUNNER, encoding="utf-8")
    commands, _ = prepare(base, args.tree, launcher=str(base / "runner.py"))
    counts = {}
    for number, (name, command) in enumerate(commands.items()):
        counts[name] = instructions(command, base / f"callgrind-{number}", "bench-instructions")
    print(f"instructions to the first frame in tmux {SIZE[0]}x{SIZE[1]} (callgrind)")
    bare = counts["bare Textual app"]
    for name, count in counts.items():
        ratio = "" if count == bare else (
            f"  {count / bare:.3f}x  (target {TARGET}x: {'ok' if count / bare <= TARGET else 'OVER'})")
        print(f"  {name:22} {count / 1e6:8.1f} M{ratio}")
    shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
