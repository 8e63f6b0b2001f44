"""Layers are data: exports and imports follow labels.yaml, whatever layers it declares.

tests/factories.LAYERED_LABELS adds `stance` (single) and `quote` (multi) to the usual
layers; SENTIMENT_LABELS declares layers no code has ever heard of. Nothing here needs a
code change to work: that is the point.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.annotation_file import AnnotationDoc
from annotator.core.formats.export_records import FIXED_KEYS, TAIL_KEYS
from annotator.core.project import Project
from annotator.core.tags import SentenceTags
from tests.factories import LAYERED_LABELS, make_project

SENTIMENT_LABELS = """\
version: 2
layers:
  - id: sentiment
    title: Sentiment
    kind: single
    key: m
    labels:
      - {id: positive, name: Positive}
      - {id: negative, name: Negative}
  - id: people
    title: People
    kind: entity
    key: p
    labels:
      - id: lavrov
        name: Sergey Lavrov
        aliases: [Lavrov, Mr Lavrov]
  - id: aspects_of_talks
    title: Aspects of talks
    kind: multi
    key: A
    labels:
      - {id: security, name: Security}
      - {id: trade_deal, name: Trade deal}
"""

LAYERED_ORDER = ["speakers", "claim", "stance", "quote", "topics"]


def run(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--project", str(project.root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def save(project: Project, annotator: str, article_index: int,
         tags: dict[int, SentenceTags]) -> None:
    article = project.corpus.load(project.corpus.ids()[article_index])
    project.store.save(AnnotationDoc(article.id, annotator, dict(tags)), article)


@pytest.fixture
def layered(tmp_path: Path) -> Project:
    project = make_project(tmp_path / "layered", labels=LAYERED_LABELS)
    save(project, "alice", 0, {
        2: SentenceTags.of(speakers=["pompeo"], claim="fact", stance="against",
                           quote=["direct", "partial"], note="strong words"),
        3: SentenceTags.of(stance="neutral"),
        4: SentenceTags.of(quote=["indirect"], topics=["sanctions"]),
        5: SentenceTags.of(not_content=True),
    })
    save(project, "bob", 0, {2: SentenceTags.of(stance="for", quote=["direct"])})
    save(project, "alice", 1, {2: SentenceTags.of(claim="opinion", stance="against")})
    return project


@pytest.fixture
def sentiment(tmp_path: Path) -> Project:
    project = make_project(tmp_path / "sentiment", labels=SENTIMENT_LABELS)
    save(project, "alice", 0, {
        2: SentenceTags.of(sentiment="negative", people=["lavrov"],
                           aspects_of_talks=["security", "trade_deal"]),
        4: SentenceTags.of(sentiment="positive", note="warm"),
        5: SentenceTags.of(aspects_of_talks=["unheard-of"]),  # not in labels.yaml: kept
    })
    return project


def records(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


# --------------------------------------------------------------------------- JSONL and CSV


def test_jsonl_has_a_key_per_layer_in_labels_yaml_order(
        layered: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(layered, capsys, "export", "--all-annotators")
    assert code == 0, err
    found = records(out)
    for record in found:
        assert list(record) == [*FIXED_KEYS, *LAYERED_ORDER, *TAIL_KEYS]
        assert record["stance"] is None or isinstance(record["stance"], str)
        assert isinstance(record["quote"], list)
    by = {(r["article"], r["sentence"], r["annotator"]): r for r in found}
    first, second = layered.corpus.ids()
    alice = by[(first, 2, "alice")]
    assert (alice["stance"], alice["quote"], alice["claim"], alice["speakers"]) == (
        "against", ["direct", "partial"], "fact", ["pompeo"])
    assert alice["note"] == "strong words" and alice["topics"] == []
    assert (by[(first, 2, "bob")]["stance"], by[(first, 2, "bob")]["quote"]) == ("for", ["direct"])
    assert by[(first, 3, "alice")]["stance"] == "neutral" and by[(first, 3, "alice")]["quote"] == []
    assert by[(first, 4, "alice")]["stance"] is None
    assert by[(first, 4, "alice")]["quote"] == ["indirect"]
    assert by[(second, 2, "alice")]["stance"] == "against"
    assert (first, 5, "alice") not in by  # marked not content
    assert "warning" not in err


def test_a_layer_no_code_knows_is_exported_like_any_other(
        sentiment: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(sentiment, capsys, "export")
    assert code == 0
    found = records(out)
    assert [list(r) for r in found] == [
        [*FIXED_KEYS, "sentiment", "people", "aspects_of_talks", *TAIL_KEYS]] * 3
    assert [(r["sentence"], r["sentiment"], r["people"], r["aspects_of_talks"]) for r in found] == [
        (2, "negative", ["lavrov"], ["security", "trade_deal"]),
        (4, "positive", [], []),
        (5, None, [], ["unheard-of"])]
    assert "unknown aspects_of_talks label 'unheard-of'" in err and "in 1 record(s)" in err


def test_each_line_is_json_dumps_of_the_record_dict(layered: Project) -> None:
    from annotator.core.formats.export_records import record_dict
    from annotator.core.formats.jsonl_export import JsonlWriter

    layers = layered.schema.layers
    made = [
        ("a", 0, 0, 5, 'say "x"', "alice", False, (("pompeo",), ("fact",), ("for", "against"),
                                                    ("direct", "partial"), ()),
         (("pompeo", 0, 3),), (("quote", "direct", 0, 5),), None),
        ("a", 0, 0, 5, 'say "x"', "bob", True, ((), (), ("for",), (), ("elections",)), (), (),
         "é\tnote"),
        ("b", 3, 9, 12, "end", None, False, ((),) * 5, (), (), None),
    ]
    lines = JsonlWriter(None, layers).encode(made).splitlines()
    assert lines == [json.dumps(record_dict(r, layers), ensure_ascii=False) for r in made]
    assert json.loads(lines[0])["stance"] == "for"  # a single layer exports its first label


def test_csv_has_a_column_per_layer(layered: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(layered, capsys, "export", "--format", "csv", "--annotator", "alice")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == [*FIXED_KEYS, *LAYERED_ORDER, *TAIL_KEYS]
    assert [(r["stance"], r["quote"]) for r in rows] == [
        ("against", "direct|partial"), ("neutral", ""), ("", "indirect"), ("against", "")]


def test_a_layer_labels_yaml_does_not_declare_is_warned_about(
        layered: Project, capsys: pytest.CaptureFixture[str]) -> None:
    save(layered, "carol", 1, {0: SentenceTags.of(mood=["grim"]),
                               1: SentenceTags.of(mood=["grim"], stance="for")})
    code, out, err = run(layered, capsys, "export", "--annotator", "carol")
    assert code == 0
    assert [(r["sentence"], r["stance"]) for r in records(out)] == [(1, "for")]
    assert "mood" not in records(out)[0]
    assert "layer 'mood' is not in labels.yaml" in err and "2 sentence(s)" in err


# --------------------------------------------------------------------------- split


def test_split_counts_every_layer(layered: Project, capsys: pytest.CaptureFixture[str],
                                  tmp_path: Path) -> None:
    code, out, err = run(layered, capsys, "export", "--split", "50/50", "-o",
                         str(tmp_path / "ds"))
    assert code == 0, err
    table = {}
    layer = ""
    for line in out.splitlines():
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if len(cells) == 4 and cells[1]:
            layer = cells[0] or layer
            table[(layer, cells[1])] = int(cells[2]) + int(cells[3])
    assert table[("stance", "Against")] == 2 and table[("stance", "For")] == 1
    assert table[("stance", "Neutral")] == 1
    assert table[("quote", "Direct")] == 2 and table[("quote", "Indirect")] == 1
    assert table[("quote", "Partial")] == 1
    order = list(dict.fromkeys(layer for layer, _ in table))
    assert order == ["speakers", "claim", "stance", "quote", "topics"]


def test_label_counts_follow_the_records_layers() -> None:
    from annotator.core.formats.split import label_counts
    from annotator.core.schema import Layer

    layers = (Layer("stance", "Stance", "single"), Layer("quote", "Quote", "multi"))
    made = [("a", 0, 0, 1, "x", "alice", False, (("for",), ("direct", "partial")), (), (), None),
            ("a", 1, 1, 2, "y", "alice", False, ((), ("direct",)), (), (), None)]
    assert label_counts(made, layers) == {
        ("stance", "for"): 1, ("quote", "direct"): 2, ("quote", "partial"): 1}


# --------------------------------------------------------------------------- brat


def _files(project: Project, annotator: str) -> dict[str, str]:
    folder = project.annotations_dir / annotator
    return {p.name: p.read_text(encoding="utf-8").replace(f"annotator: {annotator}\n", "")
            for p in sorted(folder.glob("*.yaml"))}


@pytest.mark.parametrize("name", ["layered", "sentiment"])
def test_brat_export_then_import_gives_back_the_same_files(
        name: str, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    project: Project = request.getfixturevalue(name)
    labels = project.labels_path.read_bytes()
    out_dir = tmp_path / "brat"
    code, _, err = run(project, capsys, "export", "--format", "brat", "-o", str(out_dir),
                       "--annotator", "alice")
    assert code == 0, err
    conf = (out_dir / "annotation.conf").read_text(encoding="utf-8")
    for layer in project.schema.layers:
        attribute = layer.id[0].upper() + layer.id[1:]
        assert (f"{attribute}\tArg:Sentence, Value:" in conf if layer.single
                else f"{attribute}_{layer.labels[0].id}\tArg:Sentence" in conf), layer.id
    code, _, err = run(project, capsys, "import", "--format", "brat", str(out_dir),
                       "--annotator", "again")
    assert code == 0, err
    assert _files(project, "again") == _files(project, "alice")
    assert project.labels_path.read_bytes() == labels  # nothing new to add


def test_brat_stance_and_quote_attributes_look_as_documented(
        layered: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_dir = tmp_path / "brat"
    run(layered, capsys, "export", "--format", "brat", "-o", str(out_dir), "--annotator", "bob")
    ann = (out_dir / f"{layered.corpus.ids()[0]}.ann").read_text(encoding="utf-8")
    assert ann.splitlines()[1:] == ["A1\tStance T1 for", "A2\tQuote_direct T1"]


def test_attribution_goes_to_the_first_entity_layer_whatever_its_name(
        sentiment: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = "Talks\n\nMr Lavrov said the talks went well. Ana Costa said they did not.\n"
    folder = tmp_path / "attr"
    folder.mkdir()
    (folder / "a.txt").write_text(text, encoding="utf-8")

    def span(n: int, kind: str, part: str) -> str:
        start = text.index(part)
        return f"T{n}\t{kind} {start} {start + len(part)}\t{part}"

    (folder / "a.ann").write_text("\n".join([
        span(1, "Source", "Mr Lavrov"), span(2, "Content", "the talks went well"),
        span(3, "Source", "Ana Costa"), span(4, "Content", "they did not"),
        "R1\tSaid Arg1:T1 Arg2:T2", "R2\tSaid Arg1:T3 Arg2:T4"]) + "\n", encoding="utf-8")
    code, out, err = run(sentiment, capsys, "import", "--format", "brat", str(folder),
                         "--annotator", "x")
    assert code == 0, err
    assert "New People in labels.yaml" in out and "Ana Costa" in out
    schema = sentiment.reload_schema()
    assert schema.resolve("people", "Ana Costa") == "ana-costa"
    (article_id,) = sentiment.store.article_ids("x")
    tags = sentiment.store.load("x", article_id).tags
    assert {i: t.get("people") for i, t in tags.items()} == {1: ("lavrov",), 2: ("ana-costa",)}


# --------------------------------------------------------------------------- doccano, Label Studio


def test_labels_from_other_tools_find_any_layer(layered: Project, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    article = layered.corpus.load(layered.corpus.ids()[1])
    sentence = article.sentences[1].text
    tasks = [{"id": 1, "data": {"text": sentence}, "annotations": [{"result": [
        {"type": "choices", "from_name": "stance", "value": {"choices": ["Against"]}},
        {"type": "choices", "from_name": "quote type", "value": {"choices": ["Indirect"]}},
        {"type": "choices", "from_name": "label", "value": {"choices": ["Partial", "fact"]}},
    ]}]}]
    source = tmp_path / "ls.json"
    source.write_text(json.dumps(tasks), encoding="utf-8")
    code, _, err = run(layered, capsys, "import", "--format", "labelstudio", str(source),
                       "--annotator", "lena")
    assert code == 0, err
    assert layered.store.load("lena", article.id).tags == {1: SentenceTags.of(
        stance="against", quote=["indirect", "partial"], claim="fact")}
    doccano = tmp_path / "d.jsonl"
    doccano.write_text(json.dumps({"text": sentence, "label": ["For", "Neutral"]}) + "\n",
                       encoding="utf-8")
    code, _, err = run(layered, capsys, "import", "--format", "doccano", str(doccano),
                       "--annotator", "dana")
    assert code == 0
    assert layered.store.load("dana", article.id).tags == {1: SentenceTags.of(stance="for")}
    assert "has stance 'for' and 'neutral'; kept 'for'" in err


def test_a_copied_brat_folder_imports_into_another_project_with_those_layers(
        layered: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_dir = tmp_path / "brat"
    run(layered, capsys, "export", "--format", "brat", "-o", str(out_dir), "--annotator", "alice")
    other = make_project(tmp_path / "other", articles=(), labels=LAYERED_LABELS)
    code, out, err = run(other, capsys, "import", "--format", "brat", str(out_dir),
                         "--annotator", "alice")
    assert code == 0, err
    assert "(new)" in out
    assert _files(other, "alice") == _files(layered, "alice")
