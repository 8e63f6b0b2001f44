"""Train/dev/test splits by article, the same for the same seed, with label counts.

Sentences of one article share their people, subjects and style: putting some in train and
others in test leaks the answer, so whole articles are assigned. The order is a hash of
seed and article id (not a shuffle of the current list), so adding articles later moves
only the few that sit at a boundary, and the counts are exact (largest remainder), so
80/10/10 of 10 articles is 8/1/1.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import Problem, UsageError
from ..schema import Layer
from .export_records import LABELS, Record

SPLIT_NAMES = {2: ("train", "test"), 3: ("train", "dev", "test")}


def parse_ratios(spec: str) -> tuple[int, ...]:
    """"80/10/10" -> (80, 10, 10); two or three whole parts that sum to 100."""
    if not re.fullmatch(r"\d+(/\d+){1,2}", spec.strip()):
        raise UsageError(Problem("--split", f"{spec!r}: write the shares as TRAIN/DEV/TEST "
                                            "percentages, e.g. 80/10/10 (or 90/10)"))
    parts = tuple(int(p) for p in spec.strip().split("/"))
    if sum(parts) != 100:
        raise UsageError(Problem("--split", f"{spec!r}: the shares add up to {sum(parts)}, "
                                            "not 100"))
    if parts[0] == 0:
        raise UsageError(Problem("--split", f"{spec!r}: the training share cannot be 0"))
    return parts


def assign_splits(article_ids: list[str], ratios: tuple[int, ...], seed: int) -> dict[str, str]:
    """Article id -> split name."""
    names = SPLIT_NAMES[len(ratios)]
    order = sorted(article_ids, key=lambda a: hashlib.sha256(f"{seed}\0{a}".encode()).digest())
    total = len(order)
    exact = [total * r / 100 for r in ratios]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(ratios)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    out: dict[str, str] = {}
    position = 0
    for name, count in zip(names, counts, strict=True):
        for article_id in order[position:position + count]:
            out[article_id] = name
        position += count
    return out


def label_counts(records: list[Record], layers: Sequence[Layer]) -> Counter[tuple[str, str]]:
    """How often each (layer, label) occurs in these records, as exported (`layers`:
    labels.yaml's, which a record's labels line up with; a single layer counts its one
    exported label)."""
    counter: Counter[tuple[str, str]] = Counter()
    for record in records:
        for layer, ids in zip(layers, record[LABELS], strict=True):
            if ids:
                counter.update((layer.id, label) for label in (ids[:1] if layer.single else ids))
    return counter


@dataclass
class SplitCounts:
    """Per split: articles, records, and how often each (layer, label) occurs."""

    articles: Counter[str] = field(default_factory=Counter)
    records: Counter[str] = field(default_factory=Counter)
    labels: dict[str, Counter[tuple[str, str]]] = field(default_factory=dict)

    def add(self, split: str, records: int, labels: Counter[tuple[str, str]]) -> None:
        self.articles[split] += 1
        self.records[split] += records
        self.labels.setdefault(split, Counter()).update(labels)
