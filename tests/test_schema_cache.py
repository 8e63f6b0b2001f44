"""labels.yaml checked once per text: the next command reads the kept layers, an edit is
checked again in full, and a broken file is always reported (schema_cache.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.errors import SchemaError
from annotator.core.schema import load_schema
from annotator.core.schema_cache import cache_path
from annotator.core.schema_check import parse_schema
from tests.factories import LABELS, LAYERED_LABELS


@pytest.mark.parametrize("labels", [LABELS, LAYERED_LABELS])
def test_the_kept_schema_is_the_parsed_schema(tmp_path: Path, labels: str) -> None:
    path = tmp_path / "labels.yaml"
    path.write_text(labels, encoding="utf-8")
    first = load_schema(path)
    assert cache_path(path).exists()
    kept = load_schema(path)
    parsed = parse_schema(labels, path)
    assert kept.layers == parsed.layers == first.layers and kept.version == parsed.version
    for got, want in zip(kept.layers, parsed.layers):
        assert got.line == want.line
        assert [(type(a), a.line, getattr(a, "aliases", None)) for a in got.labels] == \
            [(type(b), b.line, getattr(b, "aliases", None)) for b in want.labels]
    assert kept.resolve("speakers", "Mr Pompeo") == parsed.resolve("speakers", "Mr Pompeo")


def test_an_edit_is_checked_again_and_a_broken_file_reported(tmp_path: Path) -> None:
    path = tmp_path / "labels.yaml"
    path.write_text(LABELS, encoding="utf-8")
    load_schema(path)
    path.write_text(LABELS.replace("key: o\n", "key: f\n"), encoding="utf-8")  # one character
    with pytest.raises(SchemaError, match="already used"):
        load_schema(path)
    with pytest.raises(SchemaError, match="already used"):  # and again: nothing was kept
        load_schema(path)


def test_a_cache_for_another_text_or_unreadable_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "labels.yaml"
    path.write_text(LABELS, encoding="utf-8")
    load_schema(path)
    record = json.loads(cache_path(path).read_text())
    record["layers"][1]["labels"][1][1][0] = "Tampered"  # its name
    record["key"] = "0" * 64
    cache_path(path).write_text(json.dumps(record))
    assert load_schema(path).get("claim", "fact").name == "Fact"
    cache_path(path).write_text("{not json")
    assert load_schema(path).get("claim", "fact").name == "Fact"


def test_the_kept_layers_are_what_the_next_command_reads(tmp_path: Path) -> None:
    """The shortcut is taken: a value changed in the cache (under the right key) shows."""
    path = tmp_path / "labels.yaml"
    path.write_text(LABELS, encoding="utf-8")
    load_schema(path)
    record = json.loads(cache_path(path).read_text())
    names = record["layers"][1]["labels"][1][1]
    names[0] = "Kept"
    cache_path(path).write_text(json.dumps(record, separators=(",", ":")))
    kept = load_schema(path)
    assert kept.get("claim", "fact").name == "Kept"
    assert all(isinstance(label.aliases, tuple) for label in kept.layer("speakers"))
    path.write_text(LABELS + "# edited\n", encoding="utf-8")  # another text: checked again
    assert load_schema(path).get("claim", "fact").name == "Fact"
