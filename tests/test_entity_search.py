"""The fast entity search ranks exactly as match_rank says, typed key by key, at any size."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from annotator.core.entity_search import EntityIndex
from annotator.core.schema import NO_MATCH, Entity, load_schema, match_rank, normalise_name

BUNDLED = load_schema(Path(__file__).resolve().parent.parent / "labels.yaml")


def crowd(count: int) -> tuple[Entity, ...]:
    rng = random.Random(3)
    people = []
    for n in range(count):
        first = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(5)).title()
        people.append(Entity(f"p-{n}", f"{first} Person{n}", aliases=(f"{first} {n}",)))
    return (*BUNDLED.layer("speakers"), *people)


def reference(labels: tuple[Entity, ...], query: str, used: set[str]) -> list[str]:
    """The ranking spelled out: best (rank, length) of a label's spellings, used first."""
    folded = normalise_name(query)
    keyed = []
    for order, label in enumerate(labels):
        rank, size = min((match_rank(folded, name), len(name)) for name in map(
            normalise_name, (label.name, label.id, *label.aliases)))
        if rank < NO_MATCH:
            keyed.append(((rank, label.id not in used, size, order), label.id))
    return [label_id for _, label_id in sorted(keyed)]


LABELS = crowd(6000)


@pytest.mark.parametrize("typed", ["pmpeo", "ameli", "sergei lav", "u.s. sec", "a", "pe", "1"])
def test_each_key_ranks_as_a_fresh_search_would(typed: str) -> None:
    index = EntityIndex(LABELS)  # narrows from the previous key's matches as you type
    used = {"lavrov", "p-42"}
    for end in range(1, len(typed) + 1):
        query = typed[:end]
        found = index.search(query, used)
        expected = reference(LABELS, query, used)
        assert [label.id for label in found.labels] == expected, query
        assert found.total == len(expected)
        page = index.search(query, used, limit=10)
        assert [label.id for label in page.labels] == expected[:10] and page.total == len(expected)
