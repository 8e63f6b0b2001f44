"""labels.yaml validation: every message names the line; layers as data; aliases and search.

Version 2 files declare their layers; version 1 files (top-level speakers, claim, topics)
still load as those three layers. Every problem names file:line, and `annotator validate`
exits 2 on any of them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import SchemaError
from annotator.core.project import Project
from annotator.core.schema import Entity, Label, load_schema, normalise_name, slugify
from annotator.core.schema_check import parse_schema
from tests.factories import LABELS, LAYERED_LABELS

PATH = Path("labels.yaml")


def problems(text: str) -> list[str]:
    """All problems parse_schema reports for text, as the user reads them."""
    with pytest.raises(SchemaError) as info:
        parse_schema(text, PATH)
    assert info.value.exit_code == 2
    return [str(p) for p in info.value.problems]


def labels_with(speakers: str = "", claim: str = "", topics: str = "") -> str:
    """A minimal valid file with extra entries appended to each layer."""
    return (
        "speakers:\n"
        "  - id: pompeo\n    name: Mike Pompeo\n    aliases: [Pompeo, Mr Pompeo]\n"
        f"{speakers}"
        "claim:\n  - id: fact\n    name: Fact\n    key: f\n"
        f"{claim}"
        "topics:\n  - id: iran\n    name: Iran\n    key: '1'\n"
        f"{topics}"
    )


def line_of(text: str, fragment: str) -> int:
    """1-based line of the first line containing fragment."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_valid_file_loads_with_every_layer() -> None:
    schema = parse_schema(LABELS, PATH)
    assert [s.id for s in schema.layer("speakers")] == ["pompeo", "lavrov", "kremlin"]
    assert [c.id for c in schema.layer("claim")] == ["fact", "opinion", "warning"]
    assert schema.by_key("claim", "w").id == "warning"
    assert schema.by_key("topics", "2").id == "sanctions"
    assert schema.get("claim", "fact").description == "Checkable statement."
    assert schema.get("speakers", "kremlin").kind == "organisation"
    assert schema.display("topics", "nope") == "nope (unknown)"


def test_a_version_1_file_reads_as_its_three_layers() -> None:
    schema = parse_schema(LABELS, PATH)
    assert schema.version == 1
    assert [(layer.id, layer.kind, layer.key) for layer in schema.layers] == [
        ("speakers", "entity", "s"), ("claim", "single", "c"), ("topics", "multi", "t")]


def test_labels_remember_their_line() -> None:
    schema = parse_schema(LABELS, PATH)
    line = LABELS.splitlines().index("  - id: lavrov") + 1
    assert schema.get("speakers", "lavrov").line == line


def test_yaml_syntax_error_names_line_and_column() -> None:
    text = "speakers:\n  - id: a\n    name: [unclosed\nclaim: []\ntopics: []\n"
    (message,) = problems(text)
    assert message.startswith("labels.yaml:4:")
    assert "flow sequence" in message or "expected" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "labels.yaml: the file is empty"),
        ("- a\n- b\n", "labels.yaml:1:1: the top level must be a mapping"),
        ("speakers: []\nclaim: []\ntopics: []\ncolour: red\n",
         "labels.yaml:4:1: unknown field 'colour'"),
        ("speakers: []\nclaim: []\ntopics: []\nclaim: []\n",
         "labels.yaml:4:1: field 'claim' appears twice"),
        ("speakers: []\nclaim: []\n", "labels.yaml:1:1: missing 'topics'"),
        ("speakers: []\nclaim: fact\ntopics: []\n",
         "labels.yaml:2:8: claim labels must be a list"),
        ("speakers: []\nclaim: [fact]\ntopics: []\n",
         "labels.yaml:2:9: each label of claim must be a mapping"),
        ("speakers: []\nclaim:\n  - id: fact\n    colour: red\ntopics: []\n",
         "labels.yaml:4:5: unknown field 'colour' in a label of claim"),
        ("speakers:\n  - id: a\n    aliases: Bob\nclaim: []\ntopics: []\n",
         "labels.yaml:3:14: aliases must be a list of names"),
        ("speakers: []\nclaim:\n  - name: Fact\ntopics: []\n",
         "labels.yaml:3:5: a label in claim has no id"),
        ("speakers: []\nclaim:\n  - id: Big Fact\ntopics: []\n",
         "labels.yaml:3:9: id 'Big Fact': use lowercase letters"),
        ("speakers: []\nclaim:\n  - id: fact\n    key: ff\ntopics: []\n",
         "labels.yaml:4:10: key 'ff': a quick key is one character"),
        ("speakers: []\nclaim:\n  - id: fact\n    name: [a, b]\ntopics: []\n",
         "labels.yaml:4:11: name must be a single value"),
        ("speakers: []\nclaim:\n  - id: fact\n    name: yes\ntopics: []\n",
         "labels.yaml:4:11: name must be text"),
    ],
)
def test_each_structural_problem_has_file_line_and_column(text: str, expected: str) -> None:
    assert any(message.startswith(expected) for message in problems(text)), problems(text)


def test_duplicate_id_names_both_lines() -> None:
    text = labels_with(claim="  - id: fact\n    name: Fact again\n")
    (message,) = problems(text)
    first = text.splitlines().index("  - id: fact") + 1
    assert message == (f"labels.yaml:{first + 3}: duplicate id 'fact' in claim "
                       f"(first defined at line {first})")


def test_duplicate_key_across_layers_names_both_places() -> None:
    text = labels_with(topics="  - id: syria\n    name: Syria\n    key: f\n")
    (message,) = problems(text)
    first = line_of(text, "key: f")
    assert f"key 'f' of topics 'syria' is already used by claim 'fact' (line {first})" in message
    assert message.startswith(f"labels.yaml:{len(text.splitlines())}:10:")


def test_key_that_shadows_navigation_is_refused() -> None:
    (message,) = problems(labels_with(claim="  - id: opinion\n    key: j\n"))
    assert "key 'j' of claim 'opinion' is taken by the next sentence command" in message


@pytest.mark.parametrize("key", ["x", "X", "u", "q", "?", "/", "]", "G", "a", "e", "n"])
def test_every_command_key_is_reserved(key: str) -> None:
    (message,) = problems(labels_with(claim=f"  - id: other\n    key: '{key}'\n"))
    assert f"key {key!r}" in message and "pick another key" in message


@pytest.mark.parametrize(("key", "layer", "line"), [("s", "speakers", 1), ("c", "claim", 5),
                                                    ("t", "topics", 11)])
def test_a_label_key_may_not_shadow_a_version_1_layer_picker(key: str, layer: str,
                                                            line: int) -> None:
    """Version 1 files have no `key:` for their layers, but s, c and t still open them."""
    text = labels_with(claim=f"  - id: other\n    key: '{key}'\n")
    (message,) = problems(text)
    assert message.startswith(f"labels.yaml:{line_of(text, 'id: other') + 1}:")
    assert f"key {key!r} of claim 'other' is already used by layer {layer!r} (line {line})" \
        in message


def test_duplicate_alias_names_both_speakers_and_lines() -> None:
    text = labels_with(speakers="  - id: lavrov\n    aliases: [Lavrov, mr  POMPEO]\n")
    (message,) = problems(text)
    assert message.startswith(f"labels.yaml:{line_of(text, 'mr  POMPEO')}:")
    assert "alias 'mr  POMPEO' of 'lavrov' is also claimed by 'pompeo' as its alias " \
        f"(line {line_of(text, 'Mr Pompeo')})" in message


def test_alias_equal_to_another_speakers_name_is_refused() -> None:
    text = labels_with(speakers="  - id: other\n    aliases: [Mike Pompeo]\n")
    (message,) = problems(text)
    assert "alias 'Mike Pompeo' of 'other' is also claimed by 'pompeo' as its name" \
        in message


def test_every_problem_is_listed_at_once() -> None:
    text = ("speakers: []\nclaim:\n  - id: fact\n    key: j\n  - id: Fact!\n"
            "topics:\n  - id: x\n    key: '12'\nextra: 1\n")
    found = problems(text)
    assert len(found) == 4
    joined = "\n".join(found)
    for fragment in ("unknown field 'extra'", "id 'Fact!'", "key '12'", "key 'j'"):
        assert fragment in joined


@pytest.mark.parametrize(
    "snippet",
    [
        "version: !!python/object/apply:os.system [echo hi]\n",
        "extra_tagged: !!python/name:os.system ''\n",
        "speakers: !custom []\n",
    ],
)
def test_unsafe_tags_are_refused_anywhere(snippet: str) -> None:
    text = snippet + "speakers: []\nclaim: []\ntopics: []\n" if "speakers" not in snippet \
        else snippet + "claim: []\ntopics: []\n"
    found = problems(text)
    assert found and all("is not allowed" in m for m in found)
    assert found[0].startswith("labels.yaml:1:")


def test_unsafe_tag_on_a_label_value_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "labels.yaml"
    text = labels_with(claim="  - id: x\n    name: !!python/object:os.system {}\n")
    path.write_text(text)
    with pytest.raises(SchemaError) as info:
        load_schema(path)
    assert "python/object:os.system is not allowed" in str(info.value)
    assert str(info.value).startswith(f"{path}:{line_of(text, 'python/object')}:11:")


def test_missing_file_says_where_it_looked_and_how_to_start(tmp_path: Path) -> None:
    with pytest.raises(SchemaError) as info:
        load_schema(tmp_path / "labels.yaml")
    message = str(info.value)
    assert str(tmp_path) in message
    assert "annotator init" in message and "--project" in message


def test_not_utf8_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "labels.yaml"
    path.write_bytes(b"speakers: []\nclaim:\n  - id: caf\xe9\ntopics: []\n")
    with pytest.raises(SchemaError) as info:
        load_schema(path)
    assert "not UTF-8" in str(info.value)


def test_empty_layers_are_allowed() -> None:
    schema = parse_schema("speakers: []\nclaim:\ntopics: []\n", PATH)
    assert schema.layer("speakers") == () and schema.layer("claim") == () and schema.layer("topics") == ()


def test_numeric_key_and_name_become_text() -> None:
    schema = parse_schema("speakers: []\nclaim: []\ntopics:\n  - id: t1\n    name: 2020\n"
                          "    key: 1\n", PATH)
    topic = schema.get("topics", "t1")
    assert topic.name == "2020" and topic.key == "1"


# ----- names -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("mention", "speaker"),
    [
        ("Sergei Lavrov", "lavrov"),
        ("sergey  LAVROV", "lavrov"),
        ("Mr. Lavrov", "lavrov"),
        ("Secretary of State Mike Pompeo", "pompeo"),
        ("the kremlin", "kremlin"),
        ("Kremlin", "kremlin"),
        ("pompeo", "pompeo"),
        ("Putin", None),
        ("", None),
    ],
)
def test_resolve_speaker_ignores_case_punctuation_and_spacing(mention: str,
                                                              speaker: str | None) -> None:
    assert parse_schema(LABELS, PATH).resolve("speakers", mention) == speaker


def test_normalise_name_folds_accents_and_apostrophes() -> None:
    assert normalise_name("Émile  O’Brien-Smith") == "emile obrien smith"
    assert normalise_name("Don't") == "dont"
    assert slugify("Sergéi Lavrov, Jr.") == "sergei-lavrov-jr"
    assert slugify("!!!") == "item"


def test_search_speakers_ranks_prefix_matches_first_then_file_order() -> None:
    schema = parse_schema(
        "speakers:\n"
        "  - id: peskov\n    name: Dmitry Peskov\n    aliases: [spokesman for the Kremlin]\n"
        "  - id: kremlin\n    name: The Kremlin\n    aliases: [Kremlin]\n"
        "  - id: lavrov\n    name: Sergey Lavrov\n    aliases: [Sergei Lavrov]\n"
        "  - id: ryabkov\n    name: Sergei Ryabkov\n"
        "claim: []\ntopics: []\n",
        PATH,
    )

    def ids(query: str) -> list[str]:
        return [s.id for s in schema.search("speakers", query)]

    # "kremlin" starts an alias of the Kremlin and only sits inside Peskov's alias.
    assert ids("krem") == ["kremlin", "peskov"]
    assert ids("serg") == ["lavrov", "ryabkov"]
    assert ids("sergei lav") == ["lavrov"]
    assert ids("  ") == ["peskov", "kremlin", "lavrov", "ryabkov"]
    assert ids("nobody") == []
    assert ids("LAVRÓV") == ["lavrov"]


# ----- version 2: layers declared in the file ------------------------------------------------
def test_a_version_2_file_declares_its_layers_in_order() -> None:
    schema = parse_schema(LAYERED_LABELS, PATH)
    assert schema.version == 2
    assert schema.layer_ids == ("speakers", "claim", "stance", "quote", "topics")
    stance = schema.layer_of("stance")
    assert stance is not None and stance.single and stance.title == "Stance"
    assert (stance.key, stance.colour, stance.line) == ("v", "magenta",
                                                         line_of(LAYERED_LABELS, "id: stance"))
    assert schema.kind("quote") == "multi" and schema.single_layers == {"claim", "stance"}
    assert [layer.id for layer in schema.entity_layers] == ["speakers"]
    assert [label.id for label in schema.layer("quote")] == ["direct", "indirect", "partial"]
    assert schema.by_key("stance", "-").id == "against"
    layer, label = schema.quick_keys()["2"]
    assert (layer.id, label.id) == ("quote", "indirect")
    assert schema.resolve("speakers", "mr lavrov") == "lavrov"
    assert schema.layer_of("nope") is None and schema.layer("nope") == ()


def test_a_layer_may_be_named_anything_the_code_has_never_seen() -> None:
    schema = parse_schema("version: 2\nlayers:\n  - id: zz_unheard_of\n    kind: multi\n"
                          "    labels:\n      - {id: x1, name: X one, key: '7'}\n", PATH)
    (layer,) = schema.layers
    assert (layer.id, layer.title, layer.key, layer.colour) == (
        "zz_unheard_of", "Zz Unheard Of", None, "cyan")
    assert schema.has("zz_unheard_of", "x1")


def layered(old: str, new: str) -> str:
    assert old in LAYERED_LABELS, old
    return LAYERED_LABELS.replace(old, new, 1)


V2_PROBLEMS = [
    pytest.param(layered("kind: single\n    key: v", "kind: choice\n    key: v"),
                 "kind: choice", "layer 'stance': unknown kind 'choice' (one of: single, multi, "
                 "entity)", id="unknown kind"),
    pytest.param(layered("  - id: quote", "  - id: stance"), "id: stance\n    title: Quote",
                 f"duplicate layer id 'stance' (first declared at line "
                 f"{line_of(LAYERED_LABELS, 'id: stance')})", id="duplicate layer"),
    pytest.param(layered("key: Q", "key: j"), "key: j",
                 "key 'j' of layer 'quote' is taken by the next sentence command; pick another "
                 "key", id="layer key is a command"),
    pytest.param(layered('{id: for, name: For, key: "+"}', "{id: for, name: For, key: s}"),
                 "id: for,", "key 's' of stance 'for' is already used by layer 'speakers' "
                 f"(line {line_of(LAYERED_LABELS, 'key: s')})", id="label key is a picker"),
    pytest.param(layered("  - id: quote", "  - id: note"), "id: note",
                 "layer id 'note' is a field name annotation files and exports already use",
                 id="reserved layer id"),
    pytest.param(layered("  - id: quote", "  - id: Quote-Type"), "id: Quote-Type",
                 "layer id 'Quote-Type': use lowercase letters", id="layer id spelling"),
    pytest.param(layered("  - id: claim\n", "  - &claim\n    id: claim\n"), "&claim",
                 "YAML anchors and aliases (&name, *name) are not allowed", id="anchor"),
    pytest.param(layered("  - id: claim\n", "  - &claim\n    id: claim\n") + "  - *claim\n",
                 "&claim", "YAML anchors and aliases (&name, *name) are not allowed",
                 id="alias"),
    pytest.param(layered("version: 2", "version: 3"), "version: 3",
                 "version 3 is newer than this annotator understands", id="newer version"),
    pytest.param(layered("version: 2", "version: 1"), "version: 1",
                 "version 1 files have no `layers:`; say `version: 2`", id="v1 with layers"),
    pytest.param(layered("    colour: blue\n", "    colour: teal\n"), "colour: teal",
                 "colour 'teal': one of cyan", id="colour"),
    pytest.param(layered("    colour: blue\n", "    color: blue\n"), "color: blue",
                 "unknown field 'color' in a layer", id="unknown layer field"),
]


def _expected_line(text: str, fragment: str) -> int:
    if "\n" in fragment:  # a fragment across lines: the line it starts on
        return text[:text.index(fragment)].count("\n") + 1
    return line_of(text, fragment)


@pytest.mark.parametrize(("text", "fragment", "message"), V2_PROBLEMS)
def test_each_layer_problem_names_its_line(text: str, fragment: str, message: str) -> None:
    found = problems(text)
    line = _expected_line(text, fragment)
    assert any(m.startswith(f"labels.yaml:{line}:") and message in m for m in found), found


@pytest.mark.parametrize(("text", "fragment", "message"), V2_PROBLEMS)
def test_annotator_validate_exits_2_on_each_layer_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, fragment: str, message: str,
) -> None:
    root = tmp_path / "p"
    root.mkdir()
    Project(root)  # an empty project: only labels.yaml matters here
    (root / "labels.yaml").write_text(text, encoding="utf-8")
    code = main(["--project", str(root), "validate"])
    out = capsys.readouterr().out
    line = _expected_line(text, fragment)
    assert code == 2
    assert f"{root / 'labels.yaml'}:{line}:" in out and message in out


def test_annotator_validate_says_which_labels_version_it_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    root = tmp_path / "p"
    root.mkdir()
    for text, expected in (
        (LABELS, "labels.yaml: version 1 (no layers declared; read as speakers, claim, topics)"),
        (LAYERED_LABELS, "labels.yaml: version 2, 5 layers (speakers, claim, stance, quote, "
                         "topics)"),
    ):
        (root / "labels.yaml").write_text(text, encoding="utf-8")
        assert main(["--project", str(root), "validate"]) == 0
        assert capsys.readouterr().out.splitlines()[0] == expected


def test_every_ascii_character_folds_as_punctuation_or_itself() -> None:
    # ASCII names go through a bytes table (speed); it must fold as the rule says: case
    # folded, anything but letters, digits and '_' a word break, runs of breaks one space.
    for code in range(128):
        char = chr(code)
        if char == "'":
            continue
        kept = char.isalnum() or char == "_"
        assert normalise_name(f"Ab{char}Cd") == (f"ab{char.lower()}cd" if kept else "ab cd")
        assert normalise_name(f"{char}{char}X") == (f"{char.lower() * 2}x" if kept else "x")


def test_labels_are_equal_by_what_they_are_not_where_they_were_read() -> None:
    label = Label("fact", "Fact", "f", "checkable", line=3)
    assert label == Label("fact", "Fact", "f", "checkable", line=9)
    assert hash(label) == hash(Label("fact", "Fact", "f", "checkable"))
    assert label != Label("fact", "Fact", "g", "checkable")
    assert label != Entity("fact", "Fact", "f", "checkable")  # another kind of label
    entity = Entity("ann", "Ann Lee", aliases=("A. Lee",), kind="person", origin="bo.yaml")
    assert entity == Entity("ann", "Ann Lee", aliases=("A. Lee",), kind="person", line=4)
    for change in ({"aliases": ()}, {"kind": "group"}, {"imported": True}, {"name": "Ann"}):
        assert entity._replace(**change) != entity, change
    moved = entity._replace(origin=None)
    assert moved == entity and moved.origin is None and entity.origin == "bo.yaml"
    assert "aliases=('A. Lee',)" in repr(entity)
