"""The picker's ranking (schema.search): what typing a few letters puts first."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.schema import load_schema

BUNDLED = load_schema(Path(__file__).resolve().parent.parent / "labels.yaml")


@pytest.mark.parametrize(("query", "first"), [
    ("russia", "russian-government"),  # an alias, exactly: above Lavrov's "Russian Foreign..."
    ("u.s.", "us-government"),  # above "U.S. Secretary of State Mike Pompeo"
    ("pom", "pompeo"), ("lav", "lavrov"), ("kreml", "kremlin"),  # prefixes
    ("sergei", "lavrov"),  # a word of an alias, file order among equals
    ("pmpeo", "pompeo"),  # letters left out
])
def test_what_comes_first(query: str, first: str) -> None:
    assert BUNDLED.search("speakers", query)[0].id == first


def test_ties_go_to_speakers_used_in_this_article() -> None:
    assert BUNDLED.search("speakers", "sergei")[0].id == "lavrov"
    assert BUNDLED.search("speakers", "sergei", used={"ryabkov"})[0].id == "ryabkov"
    assert BUNDLED.search("speakers", "", used={"hunt"})[0].id == "hunt"


def test_unrelated_names_are_not_listed() -> None:
    assert [label.id for label in BUNDLED.search("speakers", "pom")] == ["pompeo"]
    assert BUNDLED.search("speakers", "zz") == []
