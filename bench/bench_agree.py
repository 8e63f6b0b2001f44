"""Benchmark `annotator agree` on a big project: cold, warm, and after a few files changed.

`python bench/bench_agree.py [--project DIR] [--articles 10000] [--annotators 3]`
generates the project with bench/generate.py unless --project names one (generating
10,000 articles x 3 annotators takes a few minutes; pass --keep DIR to reuse it), then
runs `annotator agree` as a user would, in a fresh process each time, and prints:

  cold     no .annotator/index cache: every annotation file is read
  warm     the cache is there and nothing changed (the usual case; target 2 s)
  touched  50 annotation files rewritten since the cache was made
  by article  warm `agree --by article` (per-article figures for every layer) against
           warm plain `agree`, interleaved run by run; target: within 1.2x

plus a machine reference (a plain 10^7-step Python loop), so figures from different
machines can be compared.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TARGET_S = 2.0
BY_ARTICLE_RATIO = 1.2


def agree_seconds(project: Path, *extra: str) -> tuple[float, str]:
    """Wall seconds of one `annotator agree` process, and its first output line."""
    command = [sys.executable, "-m", "annotator", "agree", "--project", str(project), *extra]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"annotator agree failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed, (done.stdout.splitlines() or [""])[0]


def machine_reference() -> float:
    started = time.perf_counter()
    total = 0
    for number in range(10_000_000):
        total += number
    return time.perf_counter() - started


def touch_files(project: Path, count: int) -> None:
    """Rewrite some annotation files as a `git pull` would (same content, new mtime)."""
    files = sorted((project / "annotations").glob("*/*.yaml"))[:count]
    for path in files:
        data = path.read_bytes()
        path.write_bytes(data)
        os.utime(path, ns=(time.time_ns(), time.time_ns()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, help="an existing project to measure")
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate the project here and keep it")
    parser.add_argument("--runs", type=int, default=3, help="warm runs (median is shown)")
    args = parser.parse_args()

    project = args.project
    temporary = None
    if project is None:
        from generate import generate

        project = args.keep or Path(tempfile.mkdtemp(prefix="bench-agree-"))
        temporary = None if args.keep else project
        if not (project / "labels.yaml").exists():
            print(f"generating {args.articles:,} articles x {args.annotators} annotators in "
                  f"{project} ...", flush=True)
            started = time.perf_counter()
            generate(project, args.articles, annotators=args.annotators)
            print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)
    files = len(list((project / "annotations").glob("*/*.yaml")))
    print(f"project: {project} ({files:,} annotation files)")
    try:
        shutil.rmtree(project / ".annotator" / "index", ignore_errors=True)
        cold, heading = agree_seconds(project)
        warm_runs = [agree_seconds(project)[0] for _ in range(args.runs)]
        json_run = agree_seconds(project, "--format", "json")[0]
        plain_runs, article_runs = [], []
        for _ in range(args.runs):  # interleaved: the machine's load hits both alike
            plain_runs.append(agree_seconds(project, "--format", "json")[0])
            article_runs.append(agree_seconds(project, "--format", "json", "--by", "article")[0])
        touch_files(project, 50)
        touched = agree_seconds(project)[0]
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    warm = statistics.median(warm_runs)
    print(f"  {heading.strip()}")
    print(f"cold (no cache)          {cold:7.2f} s")
    print(f"warm (median of {args.runs})       {warm:7.2f} s   target {TARGET_S:g} s: "
          f"{'ok' if warm <= TARGET_S else 'OVER'}   runs: "
          + ", ".join(f"{run:.2f}" for run in warm_runs))
    print(f"warm, --format json      {json_run:7.2f} s")
    plain, by_article = statistics.median(plain_runs), statistics.median(article_runs)
    ratio = by_article / plain
    print(f"plain agree (json)       {plain:7.2f} s   median of {args.runs}")
    print(f"agree --by article       {by_article:7.2f} s   {ratio:.2f}x plain, target "
          f"{BY_ARTICLE_RATIO:g}x: {'ok' if ratio <= BY_ARTICLE_RATIO else 'OVER'}")
    print(f"50 files changed         {touched:7.2f} s")
    print(f"machine reference        {machine_reference():7.2f} s for a 10^7-step Python loop "
          "(about 0.4 s on a recent laptop)")


if __name__ == "__main__":
    main()
