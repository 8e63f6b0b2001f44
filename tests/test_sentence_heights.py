"""The sentence view's height estimates (built in C, for 75,000 sentences at a time)."""

from __future__ import annotations

import random

from annotator.tui.widgets.sentences.sentence_view import estimated_heights


def reference(spans: list[tuple[int, int]], per_line: int) -> list[int]:
    return [max(-(-(end - start) // per_line), 1) for start, end in spans]


def test_estimates_are_the_wrapped_line_counts() -> None:
    rng = random.Random(3)
    for per_line in (1, 4, 79, 80, 200):
        spans, at = [], 0
        for _ in range(500):
            length = rng.choice((1, per_line - 1 or 1, per_line, per_line + 1, rng.randint(1, 999)))
            spans.append((at, at + length))
            at += length + rng.randint(0, 2)
        assert estimated_heights(spans, per_line) == reference(spans, per_line)
    assert estimated_heights([(0, 80), (80, 161)], 80) == [1, 3 - 1]


def test_a_span_without_text_is_one_line_high() -> None:
    assert estimated_heights([(0, 5), (5, 5), (6, 20)], 4) == [2, 1, 4]
    assert estimated_heights([], 80) == []
