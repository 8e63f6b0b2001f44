"""Segmenter quality and speed: our rules vs pysbd on the shared hard cases.

Run as ``python bench/segment_quality.py``.  pysbd is optional (it is not a
project dependency); without it only our column is printed.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from annotator.core.segment import split_sentences  # noqa: E402
from tests.segment_cases import CASES, XFAIL_CASES  # noqa: E402

Spans = list[tuple[int, int]]

# Each template is exactly one sentence (the warning in main() checks it).
_TEMPLATES = [
    "U.S. Secretary of State Mike Pompeo met Mr. Lavrov in Sochi on Jan. {n}.",
    '"We see suspicions and we want talks," he said.',
    "Growth slowed to {n}.5% and exports fell by ${n}.2bn, e.g. in oil.",
    "He said “we are done.”",
    "Write to press{n}@state.gov or see https://example.com/a.b?x={n} today.",
    "\"It's not about 'moving on.'",
    "The vote is at {n} a.m. Friday, i.e. after the talks.",
    "He paused... and then continued.",
    "Russia opposes the U.S. decision, Gen. Miller told George W. Bush.",
    "Is it time?",
]


def generated_article(n_sentences: int = 2000, seed: int = 0) -> str:
    """A deterministic news-like text of exactly n sentences, in paragraphs of 1-6."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    made = 0
    while made < n_sentences:
        size = min(rng.randint(1, 6), n_sentences - made)
        sents = [rng.choice(_TEMPLATES).format(n=rng.randint(1, 28)) for _ in range(size)]
        paragraphs.append(" ".join(sents))
        made += size
    return "\n\n".join(paragraphs)


def trimmed(text: str, spans: Spans) -> Spans:
    out: Spans = []
    for start, end in spans:
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            out.append((start + lead, start + lead + len(stripped)))
    return out


def spans_valid(text: str, spans: Spans) -> bool:
    """Ordered, non-overlapping, and together covering every non-whitespace char."""
    prev = 0
    covered = 0
    for start, end in spans:
        if start < prev or end <= start or end > len(text):
            return False
        covered += sum(not c.isspace() for c in text[start:end])
        prev = end
    return covered == sum(not c.isspace() for c in text)


def pysbd_segmenter() -> Callable[[str], tuple[list[str], Spans, bool]] | None:
    """Adapter returning (sentences, trimmed spans, offsets-consistent) or None if absent."""
    try:
        import pysbd
    except ImportError:
        return None
    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)

    def run(text: str) -> tuple[list[str], Spans, bool]:
        res = seg.segment(text)
        consistent = all(text[s.start : s.end] == s.sent for s in res)
        sents = [s.sent.strip() for s in res if s.sent.strip()]
        return sents, trimmed(text, [(s.start, s.end) for s in res]), consistent

    return run


def score(run: Callable[[str], tuple[list[str], Spans, bool]]) -> tuple[int, int, list[str]]:
    """(cases passed, cases with usable offsets, ids of failed cases)."""
    passed = usable = 0
    failed: list[str] = []
    for case_id, text, expected in CASES:
        sents, spans, consistent = run(text)
        if sents == expected:
            passed += 1
        else:
            failed.append(case_id)
        if consistent and spans_valid(text, spans) and [text[a:b] for a, b in spans] == sents:
            usable += 1
    return passed, usable, failed


def ours(text: str) -> tuple[list[str], Spans, bool]:
    spans = split_sentences(text)
    return [text[a:b] for a, b in spans], spans, True


def throughput(fn: Callable[[str], object], text: str, n_sentences: int, repeat: int = 5) -> float:
    best = min(_timed(fn, text) for _ in range(repeat))
    return n_sentences / best


def _timed(fn: Callable[[str], object], text: str) -> float:
    t0 = time.perf_counter()
    fn(text)
    return time.perf_counter() - t0


def main() -> None:
    n = len(CASES)
    print(f"hard cases: {n} (+{len(XFAIL_CASES)} documented ambiguous, not scored)")
    p, u, failed = score(ours)
    failures = f"; failed: {', '.join(failed)}" if failed else ""
    print(f"ours : {p}/{n} passed, offsets usable in {u}/{n}{failures}")
    pysbd_run = pysbd_segmenter()
    if pysbd_run is None:
        print("pysbd: not installed, skipped")
    else:
        p, u, failed = score(pysbd_run)
        print(f"pysbd: {p}/{n} passed, offsets usable in {u}/{n}; failed: {', '.join(failed)}")

    article = generated_article(2000)
    n_sent = len(split_sentences(article))
    if n_sent != 2000:
        print(f"warning: generated article segmented into {n_sent} sentences, expected 2000")
    rate = throughput(split_sentences, article, n_sent)
    print(
        f"throughput (ours): {rate:,.0f} sentences/s; "
        f"{n_sent} sentences, {len(article):,} chars in {n_sent / rate * 1000:.1f} ms"
    )
    if pysbd_run is not None:
        rate = throughput(pysbd_run, article, n_sent, repeat=1)
        print(f"throughput (pysbd): {rate:,.0f} sentences/s")


if __name__ == "__main__":
    main()
