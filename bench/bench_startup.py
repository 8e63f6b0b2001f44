"""Start-up in a real terminal: our editor against a bare Textual app, same sentences.

`python bench/bench_startup.py [--runs 7] [--tree DIR]` starts each in tmux (a real terminal, as a user
starts it), polls the pane until the first sentence of the article appears, and takes the
median over the runs, alternating the two so both see the same machine load. The bare app
is the least a Textual program showing those sentences must do: import Textual, read the
sentences (from a JSON file, already split) and draw them in one Static. Target: the
editor within 1.15x of it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET = 1.15
SIZE = ("100", "30")
BARE_APP = '''
import json, sys
from textual.app import App
from textual.widgets import Static

sentences = json.load(open(sys.argv[1], encoding="utf-8"))

class Bare(App):
    def compose(self):
        yield Static("\\n\\n".join(sentences), markup=False)

Bare().run()
'''


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def time_to_text(command: str, needle: str, session: str, timeout: float = 30) -> float:
    """Seconds from starting `command` in a new tmux pane until `needle` is on screen."""
    tmux("kill-session", "-t", session)
    started = time.perf_counter()
    tmux("new-session", "-d", "-s", session, "-x", SIZE[0], "-y", SIZE[1], command)
    pid = tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip()
    try:
        while time.perf_counter() - started < timeout:
            if needle in tmux("capture-pane", "-p", "-t", session):
                return time.perf_counter() - started
            time.sleep(0.005)
        raise SystemExit(f"{needle!r} never appeared for: {command}\n"
                         f"{tmux('capture-pane', '-p', '-t', session)}")
    finally:
        tmux("kill-session", "-t", session)
        _reap(int(pid) if pid.isdigit() else None)


HUNG: list[int] = []  # programs that had not exited 5 s after their terminal closed


def _reap(pid: int | None) -> None:
    """Wait for the program whose terminal was closed to exit (the next run would find its
    article lock taken); one still there after 5 s is killed and counted."""
    if pid is None:
        return
    waited = time.perf_counter()
    while Path(f"/proc/{pid}").exists() and time.perf_counter() - waited < 5:
        time.sleep(0.01)
    if Path(f"/proc/{pid}").exists():
        HUNG.append(pid)
        os.kill(pid, signal.SIGKILL)


def prepare(base: Path, tree: Path | None, launcher: str = "") -> tuple[dict[str, str], str]:
    """A copy of the bundled project and the bare app in `base`; the shell command of each
    program to time (the bare app first), and the text of the first sentence. `launcher`
    runs the Python files (a runner that ends at the first frame, say)."""
    from annotator.core.project import Project

    project = base / "project"
    project.mkdir()
    shutil.copy(ROOT / "labels.yaml", project / "labels.yaml")
    shutil.copytree(ROOT / "corpus", project / "corpus")
    (project / "annotations").mkdir()
    first_id = Project(project).corpus.ids()[0]
    article = Project(project).corpus.load(first_id)
    state = project / ".annotator" / "state" / "bench.json"
    state.parent.mkdir(parents=True)
    state.write_text(json.dumps({"last_article": first_id, "positions": {}}))
    sentences = [sentence.text for sentence in article.sentences]
    (base / "sentences.json").write_text(json.dumps(sentences), encoding="utf-8")
    (base / "bare.py").write_text(BARE_APP, encoding="utf-8")
    needle = sentences[0][:24]
    python = f"{sys.executable} {launcher}".strip()
    commands = {
        "bare Textual app": f"exec {python} {base / 'bare.py'} {base / 'sentences.json'}",
        "annotator editor": f"cd {project} && exec {python} -m annotator --annotator bench",
    }
    if tree is not None:
        commands[f"editor of {tree.name}"] = (
            f"cd {project} && PYTHONPATH={tree.resolve()} exec {python} -m annotator "
            "--annotator bench")
    # Both programs as users run them, with their modules' bytecode cached (pip writes it at
    # install; here the warm-up run writes it, outside the source tree). A shell with
    # PYTHONDONTWRITEBYTECODE would otherwise make every run compile our 200 modules.
    cache = f"PYTHONPYCACHEPREFIX={base / 'pycache'}"
    return {name: f"env -u PYTHONDONTWRITEBYTECODE {cache} sh -c '{command}'"
            for name, command in commands.items()}, needle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--tree", type=Path,
                        help="also time another checkout's editor (say, the commit before)")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is needed (a real terminal to start in)")
    base = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    commands, needle = prepare(base, args.tree)
    session = f"bench-startup-{os.getpid()}"
    times: dict[str, list[float]] = {name: [] for name in commands}
    for name, command in commands.items():  # one warm-up each: files in the page cache
        time_to_text(command, needle, session)
    for _ in range(args.runs):
        for name, command in commands.items():
            times[name].append(time_to_text(command, needle, session))
    print(f"first sentence on screen in tmux {SIZE[0]}x{SIZE[1]}, median of {args.runs} "
          f"(cpus: {os.cpu_count()}, load: {os.getloadavg()[0]:.2f})")
    for name, values in times.items():
        print(f"  {name:18} {statistics.median(values):.3f} s  (min {min(values):.3f}, "
              f"max {max(values):.3f})")
    bare = statistics.median(times["bare Textual app"])
    for name in list(times)[1:]:
        ratio = statistics.median(times[name]) / bare
        print(f"  ratio {name:18} {ratio:.2f}x  (target {TARGET}x: "
              f"{'ok' if ratio <= TARGET else 'OVER'})")
    if HUNG:
        print(f"  note: {len(HUNG)} run(s) had not exited 5 s after tmux closed their terminal "
              "(killed, so the next run could start)")
    shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
