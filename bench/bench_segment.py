"""Segmenter speed and hard-case score, today's code against a baseline revision, same run.

Run as ``python bench/bench_segment.py [--baseline REV]``.  The baseline is
``annotator/core/segment.py`` as it was at REV (default: the commit before the
enumeration/ellipsis/citation rules), read with ``git show`` and run from memory, so
both columns see the same machine load.  The target: today's throughput within 20% of
the baseline's on news text, and a 10,000-item enumeration in well under a second.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import types
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from annotator.core.segment import split_sentences  # noqa: E402
from bench.segment_quality import generated_article  # noqa: E402
from tests.segment_cases import CASES  # noqa: E402

Splitter = Callable[[str], list[tuple[int, int]]]
DEFAULT_BASELINE = "758d896"
KINDS = ("enum", "time", "ellipsis", "pronoun", "initial", "number", "citation")


def baseline_splitter(rev: str) -> Splitter | None:
    """split_sentences as it was at ``rev``, or None when git cannot show it."""
    try:
        source = subprocess.run(
            ["git", "show", f"{rev}:annotator/core/segment.py"], cwd=ROOT, check=True,
            capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType("segment_baseline")
    exec(compile(source, f"{rev}:segment.py", "exec"), module.__dict__)  # noqa: S102
    fn: Splitter = module.split_sentences
    return fn


def kind_of(case_id: str) -> str:
    head = case_id.split("-", 1)[0]
    return head if head in KINDS else "news"


def scores(split: Splitter) -> dict[str, tuple[int, int]]:
    """Per kind of case: (right, total)."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for case_id, text, expected in CASES:
        kind = kind_of(case_id)
        total[kind] += 1
        right[kind] += [text[a:b] for a, b in split(text)] == expected
    return {kind: (right[kind], total[kind]) for kind in total}


def enumeration(items: int, inline: bool, shape: str) -> str:
    sep = " " if inline else "\n"
    return "Items:" + sep + sep.join(f"{shape.format(n=n)} Item number {n} of the list"
                                     for n in range(1, items + 1))


def best_time(split: Splitter, text: str, repeat: int) -> float:
    """Best CPU time of ``repeat`` runs: on a shared machine, wall time mostly measures the
    neighbours; the process's own CPU time is what the segmenter costs."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        split(text)
        best = min(best, time.process_time() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="git revision to compare with")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    base = baseline_splitter(args.baseline)
    columns: list[tuple[str, Splitter]] = [("today", split_sentences)]
    if base is None:
        print(f"baseline {args.baseline}: not available (no git?), today's figures only")
    else:
        columns.append((f"baseline {args.baseline}", base))

    print("hard cases right, per kind:")
    for name, split in columns:
        parts = [f"{kind} {r}/{t}" for kind, (r, t) in sorted(scores(split).items())]
        print(f"  {name:>18}: " + ", ".join(parts))

    article = generated_article(2000)
    n_sent = len(split_sentences(article))
    times = {name: float("inf") for name, _ in columns}
    for _ in range(args.repeat):  # interleaved, so a burst of load hits both columns
        for name, split in columns:
            times[name] = min(times[name], best_time(split, article, 1))
    print(f"news text, {n_sent} sentences, {len(article):,} chars (best of {args.repeat}, CPU time):")
    for name, _ in columns:
        print(f"  {name:>18}: {n_sent / times[name]:>9,.0f} sentences/s")
    if base is not None:
        ratio = times["today"] / times[columns[1][0]]
        verdict = "ok" if ratio <= 1.2 else "SLOWER than the 20% allowance"
        print(f"  today takes {ratio:.2f}x the baseline's time ({verdict})")

    print("enumeration of 10,000 items (sentences found, CPU ms):")
    for shape in ("{n}.", "{n})", "{n}.)"):
        for inline in (False, True):
            text = enumeration(10_000, inline, shape)
            where = "all on one line" if inline else "one item a line"
            figures = []
            for name, split in columns:
                elapsed = best_time(split, text, 3)
                figures.append(f"{name} {len(split(text)):,} in {elapsed * 1000:.0f} ms")
            print(f"  {shape.format(n='N'):>4} {where}, {len(text):,} chars: " + "; ".join(figures))


if __name__ == "__main__":
    main()
