"""The shortcuts that make a labels.yaml of 100,000 speakers quick to check give what the
one-at-a-time way gives: fold_names is normalise_name over a list, a run of the editor's
entries is checked like the same speakers written by hand (the YAML path), and the name
table resolve() builds on first use is the first entity of each spelling."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.labels_fastread import Entry, read_labels
from annotator.core.schema import (
    Entity,
    Label,
    LabelSchema,
    Layer,
    fold_names,
    normalise_name,
)
from annotator.core.schema_check import parse_schema
from tests.test_schema_fastread import _by_yaml, _outcome, _speakers

PATH = Path("labels.yaml")

_CHARS = st.sampled_from(["a", "B", " ", "  ", "\t", "\n", "\x1c", "'", "’", "é", "É", "-",
                          ".", "!", "_", "1", "ﬁ", "\u00a0", "\u2028", "İ", "ß", ",", "O'B"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_CHARS, max_size=6).map("".join), max_size=8))
def test_fold_names_is_normalise_name_of_each(names: list[str]) -> None:
    assert fold_names(names) == [normalise_name(name) for name in names]


def test_fold_names_on_plain_ascii_names_at_once() -> None:
    names = [" Mike  Pompeo ", "", "  ", "Sergey.Lavrov", "a\x1fb", "x\x0by", "Z"]
    assert fold_names(names) == ["mike pompeo", "", "", "sergey lavrov", "a b", "x y", "z"]


def _reference_table(schema: LabelSchema, layer: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for label in schema.layer(layer):
        for spelling in (label.id, label.name, *getattr(label, "aliases", ())):
            table.setdefault(normalise_name(spelling), label.id)
    return table


# Few letters, so speakers often share a spelling; both quoted and accented forms.
_NAME = st.sampled_from(["Ann", "ann", "Bo", "B.O.", "Ms Éva", "ms eva", "O'Neil", "ONeil", "Cy"])
_ID = st.sampled_from(["ann", "bo", "eva", "cy", "Bad Id", "o-neil"])


def _item(item: tuple[str, str, str, bool, list[str]], number: int) -> str:
    """One speaker, in the editor's lines (an Entry) or by hand (YAML nodes)."""
    shape, label_id, name, quoted, aliases = item
    shown = f'"{name}"' if quoted else name
    listed = ", ".join(f'"{a}"' if quoted else a for a in aliases)
    if shape == "entry":
        kind = '"person"' if quoted else "person"
        return (f"      - id: {label_id}\n        name: {shown}\n        kind: {kind}\n"
                + (f"        aliases: [{listed}]\n" if aliases else ""))
    if shape == "flow":  # the reader leaves a flow mapping with an apostrophe to YAML
        return f"      - {{id: {label_id}, name: {shown.replace(chr(39), '')}}}\n"
    return (f"      - id: {label_id}\n        name: {shown}\n        description: by hand {number}\n"
            f"        aliases:\n" + "".join(f"          - {a}\n" for a in aliases or ["Q"]))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["entry", "entry", "flow", "block"]), _ID, _NAME,
                          st.booleans(), st.lists(_NAME, max_size=3)),
                min_size=1, max_size=8))
def test_entries_mixed_with_hand_written_speakers_check_alike(
        items: list[tuple[str, str, str, bool, list[str]]]) -> None:
    text = _speakers("".join(_item(item, number) for number, item in enumerate(items)))
    assert read_labels(text) is not None
    fast = _outcome(lambda: parse_schema(text, PATH))
    assert fast == _by_yaml(text)
    if fast[0] == "schema":
        schema = parse_schema(text, PATH)
        assert schema.alias_table("speakers") == _reference_table(schema, "speakers")
        for name in ("ann", "B O", "Ms Eva", "oneil", "nobody"):
            assert schema.resolve("speakers", name) == \
                _reference_table(schema, "speakers").get(normalise_name(name))


def test_two_runs_of_entries_claiming_one_alias_name_both_places() -> None:
    entries = "".join(f"      - id: p-{n}\n        name: Person {n}\n        kind: person\n"
                      f"        aliases: [Alias {n}, \"\", Ms Émile {n}]\n" for n in range(4))
    hand = "      - id: q\n        name: Q\n        description: by hand\n        aliases:\n" \
           "          - Ms Emile 1\n"
    text = _speakers(entries + hand + entries.replace("p-", "r-").replace("Alias", "Other"))
    root = read_labels(text)
    assert root is not None
    labels = root.value[1][1].value[0].value[-1][1].value
    assert [isinstance(item, Entry) for item in labels] == [True] * 4 + [False] + [True] * 4
    outcome = _outcome(lambda: parse_schema(text, PATH))
    assert outcome == _by_yaml(text)
    assert outcome[0] == "problems"
    messages: Any = outcome[1]
    assert messages[2:5] == [
        ("name 'Person 1' of 'r-1' is also claimed by 'p-1' as its name (line 12)", 33, 15),
        ("alias 'Ms Emile 1' of 'q' is also claimed by 'p-1' as its alias (line 14)", 27, 13),
        ("alias 'Ms Émile 1' of 'r-1' is also claimed by 'p-1' as its alias (line 14)", 35, 32)]
    assert len(messages) == 9


def test_a_spelling_two_entities_share_resolves_to_the_first() -> None:
    """As a merged speakers file leaves it (reported by validate, used meanwhile)."""
    labels = (Entity("ann", "Ann"), Entity("bo", "Bo", aliases=("ANN", "Bö")),
              Entity("cy", "Bo", aliases=("bo",)))
    schema = LabelSchema(PATH, (Layer("speakers", "Speakers", "entity", labels),
                                Layer("claim", "Claim", "single", (Label("ann", "Ann"),))))
    assert [schema.resolve("speakers", name) for name in (" ANN ", "bo", "B.O", "cy", "x")] \
        == ["ann", "bo", None, "cy", None]
    assert schema.resolve("claim", "ann") is None and schema.resolve("nope", "ann") is None
    assert schema.alias_table("speakers") == _reference_table(schema, "speakers")


@pytest.mark.parametrize("char", ["\t", "\r", "\x07", "\x1b", "\x7f", "\x00", "\x85", "\ufeff"])
def test_a_control_character_in_a_name_is_left_to_yaml(char: str) -> None:
    text = _speakers(f"      - id: a\n        name: Ann{char}Lee\n        kind: person\n")
    assert read_labels(text) is None
    assert _outcome(lambda: parse_schema(text, PATH)) == _by_yaml(text)
