"""Benchmark `annotator stats` and `annotator validate` on a large project.

`python bench/bench_stats.py [--articles 10000] [--annotators 3] [--keep DIR]` builds a
project with bench/generate.py (or reuses DIR) and runs each command in a fresh process,
as a user would, output thrown away. Each figure is the time of `cli.main` inside that
process (the interpreter's start and the imports are shown apart) and its peak RSS:

  stats, cold         no .annotator/ at all: the corpus and annotation indexes are built
  stats, index cold   the corpus header cache kept, the annotation index built
  stats, warm         every cache in place (the usual run)
  validate, cold      no .annotator/: every article and annotation file parsed
  validate, warm      caches in place

Targets at 10,000 articles x 3 annotators: stats 3 s cold, 0.5 s warm, 150 MB peak RSS;
validate 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

START = time.perf_counter()
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def child(command: str, project_dir: str) -> None:
    """Run one command; print JSON with its figures."""
    import resource

    from annotator.cli import main

    imported = time.perf_counter()
    with open(os.devnull, "w") as sink:
        stdout, stderr = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = sink
        try:
            code = main(["--project", project_dir, command])
        finally:
            sys.stdout, sys.stderr = stdout, stderr
    done = time.perf_counter()
    print(json.dumps({"import_s": imported - START, "run_s": done - imported, "exit": code,
                      "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def run_child(command: str, project: Path) -> dict:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", command, str(project)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"child {command} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_s"] = time.perf_counter() - started
    return result


def fmt(value: float, target: float | None, unit: str) -> str:
    if target is None:
        return f"{value:8.2f} {unit}"
    mark = "ok" if value <= target else "OVER"
    return f"{value:8.2f} {unit}  (target {target:g} {unit}: {mark})"


def report(label: str, result: dict, target_s: float | None, rss_target: float | None) -> None:
    print(f"  {label:22} {fmt(result['run_s'], target_s, 's')}   peak RSS "
          f"{fmt(result['maxrss_mb'], rss_target, 'MB')}   (process {result['process_s']:.2f} s, "
          f"imports {result['import_s']:.2f} s, exit {result['exit']})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the project here (or reuse it)")
    args = parser.parse_args()
    from generate import generate

    project = args.keep or Path(tempfile.mkdtemp(prefix="bench-stats-")) / "project"
    print(f"project in {project}  (cpus: {os.cpu_count()}, load: {os.getloadavg()[0]:.2f})")
    if not (project / "labels.yaml").exists():
        started = time.perf_counter()
        generate(project, args.articles, annotators=args.annotators)
        print(f"generated {args.articles} articles x {args.annotators} annotators in "
              f"{time.perf_counter() - started:.1f} s")
    state = project / ".annotator"

    print(f"\nstats at {args.articles} articles x {args.annotators} annotators")
    shutil.rmtree(state, ignore_errors=True)
    report("cold", run_child("stats", project), 3, 150)
    shutil.rmtree(state / "index", ignore_errors=True)
    report("index cold", run_child("stats", project), 3, 150)
    warm = min((run_child("stats", project) for _ in range(3)), key=lambda r: r["run_s"])
    report("warm (best of 3)", warm, 0.5, 150)

    print("\nvalidate")
    shutil.rmtree(state, ignore_errors=True)
    report("cold", run_child("validate", project), 5, None)
    warm = min((run_child("validate", project) for _ in range(3)), key=lambda r: r["run_s"])
    report("warm (best of 3)", warm, 5, None)
    print(f"\nload after: {os.getloadavg()[0]:.2f} (other work on the machine slows every "
          "figure)")


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
