"""Benchmark the editor: first screen, key to rendered, durable save, peak memory.

`python bench/bench_tui.py [--articles 10000] [--keep DIR]` builds temporary projects
(the bundled project, and bench/generate.py for the large one) and prints the figures against their targets:

  first screen   0.35 s small project, 0.6 s at 10,000 articles
  key            12 ms from key press to the screen updated (j, and a claim key)
  save           5 ms per change made durable (session command, fsync included)
  memory         150 MB peak RSS at 10,000 articles, corpus progress counted

Each first-screen figure comes from a fresh process, so Python's start-up and the
imports are in it, as a user would wait for them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

START = time.perf_counter()
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from keytiming import KeyTimer  # noqa: E402

ANNOTATOR = "bench"
SIZE = (100, 30)
GAP_S = 0.05  # between key presses


# ----- child processes (fresh interpreter per measure) ---------------------------------
def child_first_screen(project_dir: str, wait_counted: bool) -> None:
    """Print JSON: seconds from process start to imports done and to first frame."""
    from annotator.core.project import Project
    from annotator.tui.app import make_app

    imported = time.perf_counter()
    app = make_app(Project(Path(project_dir)), ANNOTATOR)
    marks: dict[str, float] = {}
    display = app._display

    def timed_display(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        display(screen, renderable)
        if renderable is not None and "frame" not in marks:
            marks["frame"] = time.perf_counter()

    app._display = timed_display  # type: ignore[method-assign]

    async def auto_pilot(pilot) -> None:  # type: ignore[no-untyped-def]
        while "frame" not in marks:
            await asyncio.sleep(0.001)
        if wait_counted:
            articles = app.screen.articles
            while not articles.counted:
                await asyncio.sleep(0.01)
            marks["counted"] = time.perf_counter()
        app.exit()

    app.run(headless=True, size=SIZE, auto_pilot=auto_pilot)
    import resource

    out = {"import_s": imported - START, "first_frame_s": marks["frame"] - START,
           "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if "counted" in marks:
        out["counted_s"] = marks["counted"] - marks["frame"]
    print(json.dumps(out))


def child_keys(project_dir: str, presses: int) -> None:
    """Print JSON: ms from key press to the next frame, for j and for a claim key.

    Keys are sent 50 ms apart, as a fast typist or key repeat would. That matters:
    Textual draws at most 60 frames a second, so a key arriving sooner than 1/60 s after
    the previous frame also waits for the frame timer.
    """

    from annotator.core.project import Project
    from annotator.tui.app import make_app

    app = make_app(Project(Path(project_dir)), ANNOTATOR)
    timer = KeyTimer(app)
    cpu: dict[str, list[float]] = {"j": [], "f": []}

    async def press(key: str) -> float:
        wall, cpu_ms = await timer.press(key)
        cpu.setdefault(key, []).append(cpu_ms)
        return wall

    async def run() -> dict[str, list[float]]:
        results: dict[str, list[float]] = {"j": [], "f": []}
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            for _ in range(presses):
                results["j"].append(await press("j"))
                await asyncio.sleep(GAP_S)
            j_cpu = list(cpu["j"])  # the j presses between tags below are not measured
            for _ in range(presses):
                results["f"].append(await press("f"))  # tag, then move on to a new sentence
                await asyncio.sleep(GAP_S)
                await press("j")
                await asyncio.sleep(GAP_S)
        results["j_cpu"], results["f_cpu"] = j_cpu, cpu["f"]
        return results

    print(json.dumps(asyncio.run(run())))


def run_child(*args: str) -> dict:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                          check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_wall_s"] = wall
    return result


# ----- projects -------------------------------------------------------------------------
def small_project(root: Path) -> str:
    """The bundled project (labels.yaml and the two imported seed articles), copied."""
    import shutil

    root.mkdir(parents=True)
    shutil.copy(ROOT / "labels.yaml", root / "labels.yaml")
    shutil.copytree(ROOT / "corpus", root / "corpus")
    (root / "annotations").mkdir()
    return "the bundled project (2 articles)"


def save_timing(project_dir: Path, changes: int = 200) -> dict[str, float]:
    """ms per session command, each one an atomic, fsynced save of the annotation file."""
    from annotator.core.project import Project
    from annotator.core.session import AnnotateSession

    session = AnnotateSession(Project(project_dir), "saver")
    out = {}
    for label, article_id in (("20-sentence article", "article-00001"),
                              ("2,000-sentence article", "article-00000")):
        session.open_article(article_id)
        count = min(changes, len(session.sentences))
        started = time.perf_counter()
        for index in range(count):
            session.goto(index)
            session.toggle_label("claim", "fact")
        out[label] = (time.perf_counter() - started) * 1000 / count
    # The worst case: every sentence of the long article tagged, one more change.
    session.open_article("article-00000")
    for index in range(len(session.sentences)):
        session.doc.tags[index] = session.tags(index).with_layer("claim", "fact")  # type: ignore[union-attr]
    timings = []
    for index in range(20):
        session.goto(index)
        started = time.perf_counter()
        session.toggle_label("claim", "opinion")
        timings.append((time.perf_counter() - started) * 1000)
    out["2,000-sentence article, all tagged"] = statistics.median(timings)
    session.close()
    return out


def fmt(value: float, target: float, unit: str) -> str:
    mark = "ok" if value <= target else "OVER"
    return f"{value:8.3f} {unit}  (target {target:g} {unit}: {mark})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--keep", type=Path, help="build the projects here and keep them")
    args = parser.parse_args()
    from generate import generate

    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-tui-"))
    small, big, long = base / "small", base / "big", base / "long"
    print(f"projects in {base}  (cpus: {os.cpu_count()}, load: "
          f"{os.getloadavg()[0]:.2f})")
    what = small_project(small) if not small.exists() else "existing small project"
    if not big.exists():
        started = time.perf_counter()
        generate(big, args.articles)
        print(f"generated {args.articles} articles in {time.perf_counter() - started:.1f} s")
    if not long.exists():
        generate(long, 3, long_article=2000)

    print("\nfirst screen (fresh process; figures from process start)")
    for label, folder, target in ((what, small, 0.35), (f"{args.articles} articles", big, 0.6)):
        cold = run_child("--child-first-screen", str(folder))
        warm = min((run_child("--child-first-screen", str(folder)) for _ in range(3)),
                   key=lambda r: r["first_frame_s"])
        print(f"  {label}:")
        print(f"    imports done          {warm['import_s']:8.3f} s")
        print(f"    first frame (warm)    {fmt(warm['first_frame_s'], target, 's')}")
        print(f"    first frame (cold)    {cold['first_frame_s']:8.3f} s  (first run: corpus "
              "index cache built)")
        print(f"    whole process         {warm['process_wall_s']:8.3f} s  (interpreter start "
              "and exit included)")

    memory = run_child("--child-first-screen", str(big), "--wait-counted")
    print(f"\nmemory at {args.articles} articles, after the corpus progress is counted")
    print(f"  peak RSS                {fmt(memory['maxrss_mb'], 150, 'MB')}")
    print(f"  counting took           {memory['counted_s']:8.3f} s  (async worker, after the "
          "first frame)")

    keys = run_child("--child-keys", str(long), "--presses", str(args.presses))
    print(f"\nkey to rendered frame, 2,000-sentence article ({args.presses} presses each)")
    for key, label in (("j", "j (next sentence)"), ("f", "f (claim key + save)")):
        values = sorted(keys[key])
        median = statistics.median(values)
        p95 = values[int(len(values) * 0.95) - 1]
        cpu = statistics.median(keys[f"{key}_cpu"])
        print(f"  {label:22}  median {fmt(median, 12, 'ms')}  p95 {p95:.1f} ms  "
              f"(CPU {cpu:.1f} ms)")

    print("\ndurable save per change (session command, atomic write + fsync)")
    for label, ms in save_timing(long).items():
        print(f"  {label:36} {fmt(ms, 5, 'ms')}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child-first-screen":
        child_first_screen(sys.argv[2], "--wait-counted" in sys.argv)
    elif len(sys.argv) > 2 and sys.argv[1] == "--child-keys":
        child_keys(sys.argv[2], int(sys.argv[sys.argv.index("--presses") + 1]))
    else:
        main()
