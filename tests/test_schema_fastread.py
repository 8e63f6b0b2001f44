"""The fast labels.yaml reader (labels_fastread.py) and PyYAML give the same schema, or the
same problems at the same lines and columns; anything the reader does not know for sure,
it leaves to PyYAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.cli import main
from annotator.core.errors import SchemaError
from annotator.core.labels_fastread import read_labels
from annotator.core.project import SAMPLE_LABELS
from annotator.core.schema_check import _SchemaChecker, compose_labels, parse_schema
from tests.factories import LABELS, LAYERED_LABELS

PATH = Path("labels.yaml")
BUNDLED = (Path(__file__).resolve().parent.parent / "labels.yaml").read_text(encoding="utf-8")


def _outcome(read: Any) -> Any:
    """What a user gets: every label with its line, or every problem with line and column."""
    try:
        schema = read()
    except SchemaError as exc:
        return "problems", [(p.message, p.line, p.column) for p in exc.problems]
    return "schema", schema.version, [
        (layer.id, layer.title, layer.kind, layer.key, layer.colour, layer.description,
         layer.line, [(type(label).__name__, label.id, label.name, label.key,
                       label.description, label.line, getattr(label, "aliases", None),
                       getattr(label, "kind", None), getattr(label, "imported", None))
                      for label in layer.labels])
        for layer in schema.layers]


def _by_yaml(text: str) -> Any:
    def read() -> Any:
        checker = _SchemaChecker(PATH)
        schema = checker.check(compose_labels(text, PATH))
        if checker.problems:
            raise SchemaError(checker.problems)
        return schema
    return _outcome(read)


def _same(text: str) -> Any:
    fast = _outcome(lambda: parse_schema(text, PATH))
    assert fast == _by_yaml(text)
    return fast


def _speakers(entries: str) -> str:
    return ("version: 2\nlayers:\n  - id: speakers\n    kind: entity\n    key: s\n"
            f"    labels:\n{entries}")


@pytest.mark.parametrize("text", [BUNDLED, SAMPLE_LABELS, LABELS, LAYERED_LABELS],
                         ids=["bundled", "init-sample", "factories-v1", "factories-layered"])
def test_every_shipped_shape_is_read_fast_and_alike(text: str) -> None:
    assert read_labels(text) is not None
    assert _same(text)[0] == "schema"


def test_many_speakers_in_the_editors_shape_read_alike() -> None:
    entries = "".join(
        f"      - id: p-{n}\n        name: \"Person {n}\"\n        kind: person\n"
        f"        aliases: [Mr {n}, \"P. {n}\", O'Neil {n}]\n" for n in range(50))
    text = _speakers(entries + "      - id: last\n        name: Last One\n")
    assert read_labels(text) is not None
    kind, _, layers = _same(text)
    assert kind == "schema" and len(layers[0][7]) == 51
    assert layers[0][7][3][5] == 6 + 4 * 3 + 1  # the fourth speaker's `- id:` line


def test_a_shared_alias_names_both_speakers_and_lines() -> None:
    entries = "".join(f"      - id: p-{n}\n        name: Person {n}\n        kind: person\n"
                      f"        aliases: [Alias {n}, Extra {n}]\n" for n in range(20))
    text = _speakers(entries.replace("Extra 17]", "Alias 3]"))
    outcome = _same(text)
    assert outcome == ("problems", [(
        "alias 'Alias 3' of 'p-17' is also claimed by 'p-3' as its alias (line 22)", 78, 29)])


@pytest.mark.parametrize("entries", [
    "      - id: yes\n        name: Yes\n",  # booleans: not text
    "      - id: a\n        name: null\n",
    "      - id: a\n        name: 2020\n",
    "      - id: a\n        name: A\n        kind: person\n        aliases: [on, B]\n",
    "      - id: Bad Id\n        name: A\n",
    "      - id: a\n        name: A\n        colour: red\n",  # unknown field
    "      - id: a\n        name: A\n        kind: person\n        description: x\n",
    "      - id: a\n        name: A\n        id: b\n",  # twice
    "      - id: a\n        name: A\n      - id: a\n        name: B\n",
    "      - id: a\n        name: Same\n      - id: b\n        name: same\n",
    "      - {id: a, name: A, key: x}\n",
    "      - id: a\n        name: A\n        key: \"1\"\n        aliases:\n          - A one\n",
])
def test_hand_edited_entries_read_alike(entries: str) -> None:
    _same(_speakers(entries))


def test_entity_fields_in_a_plain_layer_are_unknown_at_their_line() -> None:
    text = ("version: 2\nlayers:\n  - id: claim\n    kind: single\n    labels:\n"
            "      - id: a\n        name: A\n        kind: person\n        aliases: [B]\n")
    assert _same(text) == ("problems", [
        ("unknown field 'kind' in a label of claim (allowed: description, id, key, name)",
         8, 9),
        ("unknown field 'aliases' in a label of claim (allowed: description, id, key, name)",
         9, 9)])


@pytest.mark.parametrize("text", [
    "version: 2  # comment after a value\nlayers: []\n",
    "version: 2\nlayers:\n  - id: t\n    kind: multi\n    description: |\n      two\n",
    "version: 2\nlayers:\n  - &l id: t\n    kind: multi\n",
    "version: 2\nlayers:\n  - id: !!python/object:os.system t\n    kind: multi\n",
    "version: 2\nlayers:\n  - id: 't''s'\n    kind: multi\n",
    "version: 2\nlayers:\n  - id: \"t\\u0041\"\n    kind: multi\n",
    "version: 2\nlayers:\n  - id: t\n    kind: multi\n    labels: [{id: a, name: {x: 1}}]\n",
    "version: 2\nlayers:\n  - id: t\n    kind: multi\n    labels:\n      - id: a\n"
    "        name: a name going on\n          over two lines\n",
    "version: 2\nlayers:\n\t- id: t\n",
    "---\nversion: 2\nlayers: []\n",
    "version: 2\nlayers:\n",
    "version: 2\nlayers:\n  - id: t\n    kind: multi\n    title: >-\n      one\n\n      two\n",
    "version: 2\nlayers:\n  - id: t\n    title: a: b\n",
    "version: 2\nlayers:\n  - id: t\n    title: [a,\n      b]\n",
])
def test_shapes_it_does_not_know_are_left_to_yaml(text: str) -> None:
    assert read_labels(text) is None
    _same(text)


_PIECE = st.sampled_from(["a", "Z", "é", " ", "-", ".", ":", "#", "'", '"', ",", "[", "]",
                          "{", "1", "yes", "null", "&", "*", "!", "?", "\\", "  "])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.lists(_PIECE, min_size=1, max_size=5).map("".join),
                          st.lists(_PIECE, min_size=0, max_size=5).map("".join),
                          st.booleans(), st.booleans(), st.booleans()),
                min_size=1, max_size=6))
def test_generated_speakers_read_alike(speakers: list[tuple[str, str, bool, bool, bool]]
                                       ) -> None:
    lines = []
    for number, (name, alias, quoted, with_kind, with_aliases) in enumerate(speakers):
        shown = f'"{name}"' if quoted else name
        lines.append(f"      - id: s{number}\n        name: {shown}\n")
        if with_kind:
            lines.append("        kind: person\n")
        if with_aliases:
            lines.append(f"        aliases: [{alias}, Extra {number}]\n")
    _same(_speakers("".join(lines)))


def test_validate_names_both_speakers_of_a_shared_alias(tmp_path: Path, capsys: Any) -> None:
    entries = "".join(f"      - id: p-{n}\n        name: Person {n}\n        kind: person\n"
                      f"        aliases: [Alias {n}]\n" for n in range(300))
    labels = tmp_path / "labels.yaml"
    labels.write_text(_speakers(entries.replace("[Alias 250]", "[Alias 7]")),
                      encoding="utf-8")
    for folder in ("corpus", "annotations"):
        (tmp_path / folder).mkdir()
    assert main(["--project", str(tmp_path), "validate"]) == 2
    out = capsys.readouterr()
    assert (f"{labels}:1010:19: alias 'Alias 7' of 'p-250' is also claimed by 'p-7' as its "
            "alias (line 38)") in out.out + out.err
