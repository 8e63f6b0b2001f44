"""Benchmark the review screen: key press to rendered frame, and opening the first screen.

`python bench/bench_review.py [--articles 200] [--long 2000] [--presses 40]` generates a
project with three annotators (bench/generate.py; the first article --long sentences
long), opens `annotator review` headless at 100x30 and sends keys as the terminal driver
would, timing each until the next frame is written (Textual's 1/60 s frame timer
included). Target: 12 ms per key. Keys measured:

  j   next sentence        n   next disputed sentence     2   take annotator 2
  m   majority             u   undo (the take or the majority)
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from keytiming import KeyTimer  # noqa: E402

SIZE = (100, 30)
TARGET_MS = 12.0


async def measure(project_dir: Path, article_id: str, presses: int) -> dict[str, list[float]]:

    from annotator.core.project import Project
    from annotator.tui.review.app import make_review_app

    app = make_review_app(Project(project_dir))
    timer = KeyTimer(app)

    async def press(key: str) -> float:
        return (await timer.press(key))[0]

    results: dict[str, list[float]] = {key: [] for key in ("j", "n", "2", "m", "u")}
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.open_article(article_id)  # type: ignore[attr-defined]
        await pilot.pause()
        for _ in range(presses):
            results["j"].append(await press("j"))
            await pilot.pause()
        for _ in range(presses):
            results["n"].append(await press("n"))
            await pilot.pause()
            for key in ("2", "m", "u"):
                results[key].append(await press(key))
                await pilot.pause()
    return results


def first_screen_seconds(project_dir: Path) -> float:
    """In a fresh interpreter: from its first line to the first frame (imports included)."""
    import subprocess

    code = (
        "import time, asyncio; t0 = time.perf_counter()\n"
        "from pathlib import Path\n"
        "from annotator.core.project import Project\n"
        "from annotator.tui.review.app import make_review_app\n"
        f"app = make_review_app(Project(Path({str(project_dir)!r})))\n"
        "seen = []\n"
        "display = app._display\n"
        "def shown(screen, renderable):\n"
        "    display(screen, renderable)\n"
        "    if renderable is not None and not seen: seen.append(time.perf_counter())\n"
        "app._display = shown\n"
        "async def auto(pilot):\n"
        "    while not seen: await asyncio.sleep(0.001)\n"
        "    app.exit()\n"
        f"app.run(headless=True, size={SIZE!r}, auto_pilot=auto)\n"
        "print(seen[0] - t0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    return float(done.stdout.strip().splitlines()[-1])


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[int(len(ordered) * 0.9) - 1] if len(ordered) >= 10 else ordered[-1]
    median = statistics.median(values)
    mark = "ok" if median <= TARGET_MS else "OVER"
    return f"median {median:6.2f} ms  p90 {p90:6.2f} ms  (target {TARGET_MS:g} ms: {mark})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--long", type=int, default=2000, help="sentences in the first article")
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--keep", type=Path, help="generate the project here and keep it")
    args = parser.parse_args()
    from generate import generate

    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-review-"))
    try:
        if not (root / "labels.yaml").exists():
            generate(root, args.articles, annotators=3, long_article=args.long)
        print(f"project: {args.articles} articles x 3 annotators, first article {args.long} "
              f"sentences; {SIZE[0]}x{SIZE[1]}")
        print(f"first screen            {first_screen_seconds(root):6.2f} s")
        for label, article_id in (("20-sentence article", "article-00001"),
                                  (f"{args.long:,}-sentence article", "article-00000")):
            results = asyncio.run(measure(root, article_id, args.presses))
            print(label)
            for key, name in (("j", "j next sentence"), ("n", "n next dispute"),
                              ("2", "2 take annotator 2"), ("m", "m majority"),
                              ("u", "u undo")):
                print(f"  {name:<20} {summary(results[key])}")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
