"""Other tools' files in and out: Prodigy, Label Studio (JSON, JSON-MIN, CSV), doccano and our
own JSONL, with span offsets kept through every round trip. Samples: tests/data/formats/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.annotation_file import AnnotationDoc
from annotator.core.project import Project
from annotator.core.tags import SentenceTags

SAMPLES = Path(__file__).parent / "data" / "formats"


def cli(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--project", str(project.root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def sample(tmp_path: Path, name: str) -> str:
    shutil.copy(SAMPLES / name, tmp_path / name)
    return str(tmp_path / name)


def tags_of(project: Project, annotator: str, text_start: str) -> dict[int, SentenceTags]:
    """The annotator's tags on the one article whose text starts so."""
    fresh = Project(project.root)
    for article_id in fresh.corpus.ids():
        article = fresh.corpus.load(article_id)
        if article.text.startswith(text_start):
            return fresh.store.load(annotator, article_id).tags
    raise AssertionError(f"no article starts with {text_start!r}")


def test_prodigy_ner_keeps_spans_and_honours_answers(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(project, capsys, "import", sample(tmp_path, "prodigy_ner.jsonl"),
                         "--annotator", "pia")
    assert code == 0, err
    tags = tags_of(project, "pia", "Pompeo met Lavrov")
    assert tags[0].get("speakers") == ("pompeo", "lavrov")
    assert tags[0].spans == (("speakers", "pompeo", 0, 6), ("speakers", "lavrov", 11, 17))
    assert "1 ignoreed" not in err and "1 rejected" in err and "1 ignored" in err
    fresh = Project(project.root)
    made = [fresh.corpus.load(i) for i in fresh.corpus.ids()]
    assert not any(a.text.startswith("Lavrov praised") for a in made)  # rejected: not tagged
    article = next(a for a in made if a.text.startswith("Pompeo met"))
    assert article.extra.get("desk") == "europe"  # meta kept in the header


def test_prodigy_textcat_binary_and_choice(project: Project, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(project, capsys, "import", "--format", "prodigy",
                       sample(tmp_path, "prodigy_textcat.jsonl"), "--annotator", "pia")
    assert code == 0, err
    assert tags_of(project, "pia", "The sanctions")[0].first("claim") == "warning"
    # The rejected "Opinion" is not a tag; the accepted choice on the same text is.
    assert tags_of(project, "pia", "Elections will")[0].first("claim") == "fact"


def test_label_studio_json_text_key_and_every_annotator(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = sample(tmp_path, "ls_tasks.json")
    code, _, err = cli(project, capsys, "import", source)
    assert code == 1 and "no text under 'text' (its keys: reviewText)" in err
    code, _, err = cli(project, capsys, "import", source, "--text-key", "$reviewText")
    assert code == 0, err
    carol = tags_of(project, "carol", "The Kremlin warned")[0]
    assert (carol.first("claim"), carol.get("speakers")) == ("warning", ("kremlin",))
    assert carol.spans == (("speakers", "kremlin", 4, 11),)
    assert tags_of(project, "user-4", "The Kremlin warned")[0].first("claim") == "fact"


@pytest.mark.parametrize("name", ["ls_min.json", "ls_export.csv"])
def test_label_studio_json_min_and_csv_with_two_annotators(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, _, err = cli(project, capsys, "import", sample(tmp_path, name))
    assert code == 0, err
    alice = tags_of(project, "alice", "Lavrov said the talks")[0]
    assert alice.first("claim") == "fact" and alice.get("speakers") == ("lavrov",)
    assert alice.spans == (("speakers", "lavrov", 0, 6),)
    assert tags_of(project, "bob", "Lavrov said the talks")[0].first("claim") == "opinion"
    if name == "ls_min.json":
        assert alice.get("topics") == ("diplomacy", "sanctions")


@pytest.mark.parametrize(("name", "start", "claim", "speakers", "topics", "spans"), [
    ("doccano_classification.jsonl", "Sanctions were", "fact", (), ("sanctions",), ()),
    ("doccano_spans.jsonl", "Lavrov said the vote", None, ("lavrov",), (),
     (("speakers", "lavrov", 0, 6),)),
    ("doccano_intent.jsonl", "Pompeo warned", "warning", ("pompeo",), ("elections",),
     (("speakers", "pompeo", 0, 6),)),
])
def test_doccano_three_shapes(project: Project, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str], name: str, start: str,
                              claim: str | None, speakers: tuple[str, ...],
                              topics: tuple[str, ...], spans: tuple[object, ...]) -> None:
    code, out, err = cli(project, capsys, "import", "--format", "doccano",
                         sample(tmp_path, name), "--annotator", "dana")
    assert code == 0, err
    tags = tags_of(project, "dana", start)[0]
    assert (tags.first("claim"), tags.get("speakers"), tags.get("topics"), tags.spans) == (
        claim, speakers, topics, spans)
    if name == "doccano_spans.jsonl":  # what is not imported is said
        assert "(relation result)" in out and "Event" in out


# --------------------------------------------------------------------------- round trips


@pytest.fixture
def tagged(project: Project) -> Project:
    article = project.corpus.load(project.corpus.ids()[0])
    start, end = article.spans[2]
    pompeo = article.text.index("Pompeo", start)
    project.store.save(AnnotationDoc(article.id, "alice", {
        2: SentenceTags.of(speakers=["pompeo"], claim="fact", topics=["elections"],
                           note="check", spans=[("speakers", "pompeo", pompeo, pompeo + 6),
                                                ("claim", "fact", start, start + 10)]),
        3: SentenceTags.of(claim="opinion"),
    }), article)
    return project


def test_our_jsonl_reimports_its_tags_exactly(tagged: Project, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    article_id = tagged.corpus.ids()[0]
    before = tagged.store.load("alice", article_id).tags
    out_file = tmp_path / "out.jsonl"
    assert cli(tagged, capsys, "export", "-o", str(out_file))[0] == 0
    record = json.loads(out_file.read_text(encoding="utf-8").splitlines()[0])
    assert record["speaker_mentions"] == [{"speaker": "pompeo", "start": before[2].spans[1][2],
                                           "end": before[2].spans[1][3]}]
    assert record["spans"] == [{"layer": "claim", "label": "fact",
                                "start": record["start"], "end": record["start"] + 10}]
    shutil.rmtree(tagged.annotations_dir / "alice")
    code, out, err = cli(tagged, capsys, "import", str(out_file))
    assert code == 0, err
    assert Project(tagged.root).store.load("alice", article_id).tags == before


@pytest.mark.parametrize("fmt", ["prodigy", "labelstudio", "doccano", "brat"])
def test_a_round_trip_through_each_tool_returns_the_same_spans(
        tagged: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    article_id = tagged.corpus.ids()[0]
    before = tagged.store.load("alice", article_id).tags
    out_file = tmp_path / f"out.{fmt}"
    code, _, err = cli(tagged, capsys, "export", "--format", fmt, "-o", str(out_file))
    assert code == 0, err
    if fmt == "brat":
        assert "SpeakersSpan" in (out_file / f"{article_id}.ann").read_text(encoding="utf-8")
        code, _, err = cli(tagged, capsys, "import", "--format", fmt, str(out_file),
                           "--annotator", "eve")
    elif fmt == "labelstudio":
        tasks = json.loads(out_file.read_text(encoding="utf-8"))
        assert tasks[0]["annotations"][0]["completed_by"] == "alice"
        for task in tasks:  # as a Label Studio user with this name would export it
            for annotation in task["annotations"]:
                annotation["completed_by"] = {"email": "eve@example.org"}
        out_file.write_text(json.dumps(tasks), encoding="utf-8")
        code, _, err = cli(tagged, capsys, "import", "--format", fmt, str(out_file))
    else:
        code, _, err = cli(tagged, capsys, "import", "--format", fmt, str(out_file),
                           "--annotator", "eve")
    assert code == 0, err
    after = Project(tagged.root).store.load("eve", article_id).tags
    assert {i: t.spans for i, t in after.items()} == {i: t.spans for i, t in before.items()}
    assert after[2].first("claim") == "fact" and after[2].get("speakers") == ("pompeo",)


# --------------------------------------------------------------------------- bad input


def test_bad_items_are_named_and_fail(project: Project, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    prodigy = tmp_path / "p.jsonl"
    prodigy.write_text('{"spans": [], "answer": "accept"}\n', encoding="utf-8")
    code, _, err = cli(project, capsys, "import", "--format", "prodigy", str(prodigy),
                       "--annotator", "x")
    assert code == 1 and f"{prodigy}:1: no \"text\"" in err
    outside = tmp_path / "o.jsonl"
    outside.write_text(json.dumps({"text": "Pompeo spoke.", "spans": [
        {"start": 0, "end": 60, "label": "Pompeo"}], "answer": "accept"}) + "\n",
        encoding="utf-8")
    code, _, err = cli(project, capsys, "import", "--format", "prodigy", str(outside),
                       "--annotator", "x")
    assert code == 1 and "span 0-60 ('Pompeo') is outside its text of 13 characters" in err
    ls = tmp_path / "ls.json"
    ls.write_text(json.dumps([{"id": 5, "data": {"body": "Some text here."},
                               "annotations": []}]), encoding="utf-8")
    code, _, err = cli(project, capsys, "import", "--format", "labelstudio", str(ls),
                       "--annotator", "x")
    assert code == 1 and f"{ls}: task 5: no text under 'text' (its keys: body)" in err


def test_a_brat_source_is_kept_as_a_speaker_mention(project: Project, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "brat"
    folder.mkdir()
    data = Path(__file__).parent / "data" / "brat"
    shutil.copy(data / "doc1.txt", folder / "doc1.txt")
    shutil.copy(data / "doc1.alice.ann", folder / "doc1.alice.ann")
    code, _, err = cli(project, capsys, "import", "--format", "brat", str(folder))
    assert code == 0, err
    text = (folder / "doc1.txt").read_text(encoding="utf-8")
    code, out, err = cli(project, capsys, "export", "--annotator", "alice")
    assert code == 0, err
    mentions = {(m["speaker"], text[m["start"]:m["end"]])
                for line in out.splitlines() for m in json.loads(line)["speaker_mentions"]}
    assert {("pompeo", "Mike Pompeo"), ("lavrov", "Sergei Lavrov"),
            ("kremlin", "The Kremlin")} <= mentions


@pytest.mark.parametrize("fmt", ["prodigy", "labelstudio", "doccano"])
def test_annotators_of_one_sentence_keep_their_own_spans(
        tagged: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    """The writers reuse a sentence's encoded spans while its annotators agree: a second
    annotator with other spans on the same sentence must get hers, and one without none."""
    article = tagged.corpus.load(tagged.corpus.ids()[0])
    start = article.spans[2][0]
    for name, spans in (("bob", [("claim", "fact", start + 1, start + 5)]), ("carl", [])):
        tagged.store.save(AnnotationDoc(article.id, name, {
            2: SentenceTags.of(speakers=["pompeo"], claim="fact", spans=spans)}), article)
    out_file = tmp_path / f"out.{fmt}"
    code, _, err = cli(tagged, capsys, "export", "--format", fmt, "-o", str(out_file))
    assert code == 0, err
    text = out_file.read_text(encoding="utf-8")
    if fmt == "labelstudio":
        task = json.loads(text)[0]
        found = {a["completed_by"]: sorted((r["value"]["start"], r["value"]["end"])
                                           for r in a["result"] if r["type"] == "labels")
                 for a in task["annotations"]}
    else:
        found = {}
        for line in text.splitlines():
            task = json.loads(line)
            who = task["meta"]["annotator"] if fmt == "prodigy" else task["annotator"]
            pairs = ([(s["start"], s["end"]) for s in task["spans"]] if fmt == "prodigy"
                     else [(e[0], e[1]) for e in task["entities"]])
            found.setdefault(who, sorted(pairs))  # sentence 2 comes first
    assert found["bob"] == [(1, 5)] and found["carl"] == []
    assert len(found["alice"]) == 2
