"""Adding an entity (a speaker) from the editor keeps the lead's labels.yaml as they wrote it."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import SchemaError
from annotator.core.labels_edit import add_entity
from annotator.core.schema import load_schema
from tests.factories import LABELS, LAYERED_LABELS


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "labels.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def add(path: Path, name: str, layer: str = "speakers", **options: object):
    return add_entity(path, load_schema(path), layer, name, **options)  # type: ignore[arg-type]


def test_comments_order_and_every_line_are_kept(tmp_path: Path) -> None:
    path = write(tmp_path, LABELS)
    schema, speaker = add(path, "Dmitry Peskov", kind="person", aliases=("Peskov",))
    assert speaker.id == "dmitry-peskov" and speaker.kind == "person"
    assert speaker.aliases == ("Peskov",)
    new_lines = path.read_text().splitlines()
    # Right after the last speaker, before the comment that introduces the claims.
    at = new_lines.index("  - id: dmitry-peskov")
    assert new_lines[at:at + 4] == ["  - id: dmitry-peskov", '    name: "Dmitry Peskov"',
                                    "    kind: person", '    aliases: ["Peskov"]']
    assert new_lines[:at] + new_lines[at + 4:] == LABELS.splitlines()
    assert new_lines[at - 1] == "    aliases: [Kremlin]"
    assert [s.id for s in schema.layer("speakers")] == ["pompeo", "lavrov", "kremlin",
                                                        "dmitry-peskov"]
    assert load_schema(path).resolve("speakers", "peskov") == "dmitry-peskov"


def test_names_with_quotes_colons_and_accents_survive(tmp_path: Path) -> None:
    path = write(tmp_path, LABELS)
    _, speaker = add(path, 'José "Pepe": O’Neil  [Jr]')
    assert speaker.name == 'José "Pepe": O’Neil [Jr]'  # inner runs of spaces collapse
    assert load_schema(path).get("speakers", speaker.id).name == speaker.name


def test_imported_flag_is_written(tmp_path: Path) -> None:
    path = write(tmp_path, LABELS)
    _, speaker = add(path, "Someone New", imported=True)
    assert speaker.imported and "    imported: true" in path.read_text()


def test_a_name_that_already_resolves_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    path = write(tmp_path, LABELS)
    for name in ("Mr. Pompeo", "sergei lavrov", "The Kremlin", "  "):
        with pytest.raises(SchemaError):
            add(path, name)
    assert path.read_text() == LABELS


def test_an_id_already_taken_gets_a_suffix(tmp_path: Path) -> None:
    # Ids are cut at 40 characters, so two long names can share one.
    path = write(tmp_path, "speakers:\n  - id: spokesperson-of-the-ministry-of-foreign\n"
                           "    name: Spokesperson of the Ministry of Foreign Affairs of Russia\n"
                           "claim: []\ntopics: []\n")
    _, speaker = add(path, "Spokesperson of the Ministry of Foreign Affairs of Ukraine")
    assert speaker.id == "spokesperson-of-the-ministry-of-foreign-2"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("speakers: []\nclaim: []\ntopics: []\n",
         "speakers:\n  - id: ann\n    name: \"Ann\"\nclaim: []\ntopics: []\n"),
        ("speakers:\nclaim: []\ntopics: []\n",
         "speakers:\n  - id: ann\n    name: \"Ann\"\nclaim: []\ntopics: []\n"),
        ("speakers:  # none yet\nclaim: []\ntopics: []\n",
         "speakers:  # none yet\n  - id: ann\n    name: \"Ann\"\nclaim: []\ntopics: []\n"),
        ("claim: []\ntopics: []\nspeakers:",
         "claim: []\ntopics: []\nspeakers:\n  - id: ann\n    name: \"Ann\""),
        ("speakers: [{id: bo, name: Bo}]  # inline\nclaim: []\ntopics: []\n",
         'speakers: [{id: bo, name: Bo}, {id: ann, name: "Ann"}]  # inline\nclaim: []\ntopics: []\n'),
        ("speakers:\n- id: bo\n  name: Bo\nclaim: []\ntopics: []\n",
         "speakers:\n- id: bo\n  name: Bo\n- id: ann\n  name: \"Ann\"\nclaim: []\ntopics: []\n"),
    ],
)
def test_empty_flow_and_unindented_lists(tmp_path: Path, before: str, after: str) -> None:
    path = write(tmp_path, before)
    add(path, "Ann")
    assert path.read_text() == after


def test_a_last_speaker_ending_in_a_block_scalar(tmp_path: Path) -> None:
    text = ("speakers:\n  - id: bo\n    name: Bo\n    description: |\n      two\n      lines\n"
            "\n# the claims\nclaim: []\ntopics: []\n")
    path = write(tmp_path, text)
    schema, _ = add(path, "Ann")
    assert schema.get("speakers", "bo").description == "two\nlines\n"
    assert "# the claims\nclaim: []" in path.read_text()
    assert [s.id for s in schema.layer("speakers")] == ["bo", "ann"]


def test_a_version_2_file_gets_the_entity_inside_its_layer(tmp_path: Path) -> None:
    path = write(tmp_path, LAYERED_LABELS)
    schema, entity = add(path, "Dmitry Peskov", kind="person")
    lines = path.read_text().splitlines()
    at = lines.index("      - id: dmitry-peskov")
    assert lines[at - 1] == "        aliases: [Lavrov, Mr Lavrov]"  # after the last one
    assert lines[at + 1:at + 3] == ['        name: "Dmitry Peskov"', "        kind: person"]
    assert lines[:at] + lines[at + 3:] == LAYERED_LABELS.splitlines()
    assert schema.resolve("speakers", "dmitry peskov") == entity.id == "dmitry-peskov"


def test_an_entity_layer_of_any_id_and_an_empty_one(tmp_path: Path) -> None:
    text = ("version: 2\nlayers:\n  - id: sources\n    title: Sources\n    kind: entity\n"
            "    key: w\n    labels: []\n  - id: tone\n    title: Tone\n    kind: single\n"
            "    labels:\n      - {id: calm, name: Calm}\n")
    path = write(tmp_path, text)
    schema, entity = add(path, "Reuters", layer="sources", kind="organisation")
    assert [label.id for label in schema.layer("sources")] == ["reuters"]
    assert load_schema(path).resolve("sources", "REUTERS") == "reuters" == entity.id
    assert "  - id: tone" in path.read_text()
    before = path.read_text()
    with pytest.raises(SchemaError, match="not an entity layer"):
        add(path, "Someone", layer="tone")
    assert path.read_text() == before
