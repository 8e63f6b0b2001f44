"""`annotator export` JSONL/CSV: the export record of docs/formats.md, what is skipped, what is reported."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.annotation_file import AnnotationDoc
from annotator.core.article import Article
from annotator.core.formats.export_records import record_keys
from annotator.core.project import Project
from annotator.core.tags import SentenceTags


def tag(project: Project, annotator: str, article_index: int,
        tags: dict[int, SentenceTags]) -> Article:
    article = project.corpus.load(project.corpus.ids()[article_index])
    doc = project.store.load(annotator, article.id)
    doc.tags.update(tags)
    project.store.save(doc, article)
    return article


def export(project: Project, capsys: pytest.CaptureFixture[str],
           *args: str) -> tuple[int, str, str]:
    code = main(["--project", str(project.root), "export", *args])
    out, err = capsys.readouterr()
    return code, out, err


def lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def keys(project: Project) -> list[str]:
    return list(record_keys(project.schema))


def T(speakers: tuple[str, ...] = (), claim: str | None = None, topics: tuple[str, ...] = (),
      **meta: object) -> SentenceTags:
    """Tags in the bundled test layers (tests/factories.LABELS)."""
    return SentenceTags.of(speakers=speakers, claim=claim, topics=topics, **meta)


@pytest.fixture
def tagged(project: Project) -> Project:
    tag(project, "alice", 0, {
        2: T(("pompeo",), "fact", ("elections",), note="quote, “curly”"),
        3: T(("pompeo", "lavrov"), None, ("diplomacy",)),
        4: T(note="only a note"),
        5: T(not_content=True),
    })
    tag(project, "bob", 0, {2: T(("pompeo",), "opinion")})
    tag(project, "alice", 1, {2: T(claim="opinion")})
    return project


def test_one_record_per_sentence_and_annotator_in_contract_order(
        tagged: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = export(tagged, capsys)
    assert code == 0
    records = lines(out)
    assert [(r["annotator"], r["sentence"]) for r in records] == [
        ("alice", 2), ("bob", 2), ("alice", 3), ("alice", 2)]
    for line, record in zip(out.splitlines(), records, strict=True):
        assert list(record) == keys(tagged)
        assert line == json.dumps(record, ensure_ascii=False, allow_nan=False)
        article = tagged.corpus.load(record["article"])
        assert record["text"] == article.text[record["start"]:record["end"]]
    first = records[0]
    assert first["speakers"] == ["pompeo"] and first["claim"] == "fact"
    assert first["topics"] == ["elections"] and first["note"] == "quote, “curly”"
    assert "“curly”" in out  # UTF-8 as is, not \u escapes
    assert records[2]["claim"] is None and records[2]["note"] is None
    assert "exported 4 record(s) from 2 article(s)" in err
    assert "1 marked not content" in err and "1 with only a note" in err


def test_every_line_has_the_same_keys_and_types(tagged: Project,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = export(tagged, capsys, "--all-sentences")
    shapes = set()
    for record in lines(out):
        assert list(record) == keys(tagged)
        shapes.add(tuple(type(record[k]).__name__ for k in ("article", "sentence", "start",
                                                             "end", "text", "speakers", "topics")))
        assert isinstance(record["annotator"], (str, type(None)))
        assert isinstance(record["claim"], (str, type(None)))
    assert shapes == {("str", "int", "int", "int", "str", "list", "list")}


def test_all_sentences_exports_the_segmentation(tagged: Project,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = export(tagged, capsys, "--all-sentences")
    records = lines(out)
    first = tagged.corpus.load(tagged.corpus.ids()[0])
    untagged = [r for r in records if r["annotator"] is None and r["article"] == first.id]
    # Sentence 1 is the dateline (not content), 5 was marked not content by alice.
    assert [r["sentence"] for r in untagged] == [0, 4]
    assert untagged[0] == {"id": f"{first.id}#1", "article": first.id, "sentence": 0,
                           "number": 1, "start": 0, "end": first.spans[0][1],
                           "text": first.sentences[0].text, "annotator": None,
                           "not_content": False, "speakers": [], "claim": None, "topics": [],
                           "speaker_mentions": [], "spans": [], "note": None}
    covered = {(r["article"], r["sentence"]) for r in records}
    assert len(covered) == sum(len(tagged.corpus.load(i).spans) for i in tagged.corpus.ids()) - 2


def test_not_content_can_be_kept(tagged: Project, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = export(tagged, capsys, "--include-not-content", "--annotator", "alice")
    assert (0, 5) in {(tagged.corpus.ids().index(r["article"]), r["sentence"]) for r in lines(out)}


def test_an_annotator_tag_on_an_importer_non_content_sentence_is_exported(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    article = tag(project, "alice", 0, {1: T(claim="fact")})
    assert 1 in article.non_content
    _, out, _ = export(project, capsys)
    assert [r["sentence"] for r in lines(out)] == [1]


def test_annotator_and_gold_filters(tagged: Project, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = export(tagged, capsys, "--annotator", "bob")
    assert {r["annotator"] for r in lines(out)} == {"bob"}
    _, out, _ = export(tagged, capsys, "--annotator", "bob,alice")
    assert {r["annotator"] for r in lines(out)} == {"alice", "bob"}
    code, _, err = export(tagged, capsys, "--gold")
    assert code == 2 and "no gold annotations" in err
    tag(tagged, "gold", 0, {2: T(("pompeo",), "fact")})
    _, out, _ = export(tagged, capsys, "--gold")
    assert [(r["annotator"], r["sentence"]) for r in lines(out)] == [("gold", 2)]
    tag(tagged, "lead", 0, {3: T(claim="fact")})
    _, out, _ = export(tagged, capsys, "--gold", "lead")
    assert {r["annotator"] for r in lines(out)} == {"lead"}
    code, _, err = export(tagged, capsys, "--annotator", "carol")
    assert code == 2 and "no annotations by 'carol'" in err


def test_unknown_labels_are_kept_and_warned_once(tagged: Project,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    tag(tagged, "alice", 1, {0: T(claim="rumour"), 1: T(claim="rumour")})
    code, out, err = export(tagged, capsys)
    assert code == 0
    assert [r["claim"] for r in lines(out)].count("rumour") == 2
    warnings = [line for line in err.splitlines() if "rumour" in line]
    assert len(warnings) == 1 and "in 2 record(s)" in warnings[0]


def test_an_unreadable_annotation_file_fails_the_export_and_is_named(
        tagged: Project, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tagged.annotations_dir / "bob" / f"{tagged.corpus.ids()[0]}.yaml"
    broken.write_text("sentences: [\n", encoding="utf-8")
    code, out, err = export(tagged, capsys)
    assert code == 1
    assert str(broken) in err and "export incomplete" in err
    assert {r["annotator"] for r in lines(out)} == {"alice"}  # the rest is still exported
    assert broken.read_text(encoding="utf-8") == "sentences: [\n"


def test_tags_on_a_changed_sentence_are_skipped(tagged: Project,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = tagged.annotations_dir / "alice" / f"{tagged.corpus.ids()[1]}.yaml"
    text = path.read_text(encoding="utf-8")
    sha = text.split("text_sha: ")[1].split("\n")[0]
    text = text.replace(sha, "0" * 15 + "a").replace("hash: ", "hash: a", 1)
    path.write_text(text, encoding="utf-8")
    code, out, err = export(tagged, capsys)
    assert code == 0
    assert tagged.corpus.ids()[1] not in {r["article"] for r in lines(out)}
    assert "sentence 2 changed since it was tagged; skipped" in err


def test_output_file_is_written_whole(tagged: Project, capsys: pytest.CaptureFixture[str],
                                      tmp_path: Path) -> None:
    target = tmp_path / "out" / "tags.jsonl"
    code, out, _ = export(tagged, capsys, "-o", str(target))
    assert code == 0 and "exported 4 record(s)" in out
    assert len(target.read_text(encoding="utf-8").splitlines()) == 4
    assert [p.name for p in target.parent.iterdir()] == ["tags.jsonl"]  # no temp left


def test_exports_never_write_into_the_project_data(tagged: Project,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    for target in (tagged.labels_path, tagged.annotations_dir / "x.jsonl",
                   tagged.corpus_dir / "x.jsonl"):
        before = target.read_bytes() if target.exists() else None
        code, _, err = export(tagged, capsys, "-o", str(target))
        assert code == 2 and "inside the project's data" in err
        assert (target.read_bytes() if target.exists() else None) == before


def test_csv_has_the_same_fields_with_lists_joined(tagged: Project,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = export(tagged, capsys, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == keys(tagged)
    assert rows[2]["speakers"] == "pompeo|lavrov" and rows[2]["claim"] == ""
    assert rows[0]["note"] == "quote, “curly”"
    json_records = lines(export(tagged, capsys)[1])
    for row, record in zip(rows, json_records, strict=True):
        assert row["text"] == record["text"] and int(row["start"]) == record["start"]


def test_markup_and_escapes_in_text_are_data(project: Project,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    tag(project, "alice", 1, {2: T(claim="fact", note="[bold]x[/] \x1b[31m")})
    _, out, _err = export(project, capsys)
    record = lines(out)[0]
    assert record["text"] == "[President] Maduro must go." and record["note"].endswith("\x1b[31m")


def test_nothing_to_export_says_so(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = export(project, capsys)
    assert code == 2 and "nothing to export" in err


def test_an_orphan_annotation_file_is_reported(tagged: Project,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    orphan = tagged.annotations_dir / "alice" / "gone-article.yaml"
    doc = AnnotationDoc("gone-article", "alice", {0: T(claim="fact")})
    article = tagged.corpus.load(tagged.corpus.ids()[0])
    orphan.write_text(doc.to_yaml(article), encoding="utf-8")
    code, _, err = export(tagged, capsys)
    assert code == 0 and f"{orphan}: no such article in the corpus" in err


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "labelstudio", "prodigy"])
def test_worker_processes_write_the_same_bytes(tagged: Project, tmp_path: Path, fmt: str,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """To a file or to stdout, the bytes of the export in one process."""
    from annotator.core.formats import export_run

    monkeypatch.setattr(export_run, "CHUNK", 1)  # one article per task: real interleaving
    tag(tagged, "bob", 1, {0: T(claim="rumour")})
    outputs = []
    for jobs in ("1", "2"):
        target = tmp_path / f"{jobs}.{fmt}"
        code, _, err = export(tagged, capsys, "--format", fmt, "--jobs", jobs,
                              "--all-sentences", "-o", str(target))
        assert code == 0 and "rumour" in err
        outputs.append(target.read_bytes())
        code, out, _ = export(tagged, capsys, "--format", fmt, "--jobs", jobs,
                              "--all-sentences")
        assert code == 0
        outputs.append(out.encode("utf-8"))
    assert outputs[0] == outputs[1] == outputs[2] == outputs[3]
    assert outputs[0].count(b"\n") >= 8


def test_workers_with_several_articles_a_chunk_write_the_same_bytes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of several articles come back whole and in corpus order."""
    from annotator.core.formats import export_run
    from tests.factories import ARTICLE_A, ARTICLE_B, make_project

    texts = tuple(f"{text}\nVariant {n}.\n" for n in range(4) for text in (ARTICLE_A, ARTICLE_B))
    project = make_project(tmp_path / "many", texts)
    for index in range(len(texts)):
        tag(project, "alice", index, {1: T(("pompeo",), "fact"), 2: T(claim="opinion")})
        tag(project, "bob", index, {2: T(claim="rumour")})
    monkeypatch.setattr(export_run, "CHUNK", 3)
    outputs = []
    for jobs in ("1", "2"):
        target = tmp_path / f"{jobs}.jsonl"
        code, _, _ = export(project, capsys, "--jobs", jobs, "-o", str(target))
        assert code == 0
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1] and outputs[0].count(b"\n") == 3 * len(texts)


def test_a_split_export_in_workers_writes_the_same_files(
        tagged: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.core.formats import export_run

    monkeypatch.setattr(export_run, "CHUNK", 1)
    tag(tagged, "bob", 1, {0: T(claim="rumour")})
    found = []
    for jobs in ("1", "2"):
        folder = tmp_path / jobs
        code, _, err = export(tagged, capsys, "--jobs", jobs, "--all-sentences", "--split",
                              "50/50", "-o", str(folder))
        assert code == 0, err
        found.append({p.name: p.read_bytes() for p in sorted(folder.iterdir())})
    assert found[0] == found[1] and sum(v.count(b"\n") for v in found[0].values()) >= 8


def test_csv_cells_read_back_exactly_with_the_csv_module() -> None:
    from annotator.core.formats.csv_export import CsvWriter
    from annotator.core.schema import Layer

    tricky = ["plain", "a,b", 'say "hi"', "line\nbreak", "cr\rhere", "", " lead", "tab\t",
              "semi;colon", "“curly”", "'single'", "crlf\r\n", '"', ",", "|pipe|"]
    layers = (Layer("many", "Many", "multi"), Layer("one", "One", "single"),
              Layer("more", "More", "entity"))
    records = [("art", n, 0, 1, text, "alice", False,
                ((text or "x",), (text,) if text else (), ("t",)), (), ((("one", text, 0, 1),))
                if text else (), text or None) for n, text in enumerate(tricky)]
    encoded = CsvWriter(None, layers, with_header=False).encode(records)
    rows = list(csv.reader(io.StringIO(encoded, newline="")))
    assert rows == [[f"art#{n + 1}", "art", str(n), str(n + 1), "0", "1", text, "alice", "false",
                     text or "x", text, "t", "[]",
                     json.dumps([{"layer": "one", "label": text, "start": 0, "end": 1}],
                                ensure_ascii=False) if text else "[]", text]
                    for n, text in enumerate(tricky)]
    # What csv.writer writes, except a lone \r, which it leaves bare (and readers then split).
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    for row in rows:
        writer.writerow(row)
    assert encoded.replace('"cr\rhere"', "cr\rhere") == expected.getvalue()


@pytest.fixture
def umask_022() -> Iterator[None]:
    from annotator.core import atomic

    previous = os.umask(0o022)
    atomic.umask.cache_clear()  # the writer reads the umask once per process
    try:
        yield
    finally:
        os.umask(previous)
        atomic.umask.cache_clear()


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_an_exported_file_is_readable_by_others_as_the_umask_says(
        tagged: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str,
        umask_022: None) -> None:
    target = tmp_path / f"tags.{fmt}"
    assert export(tagged, capsys, "--format", fmt, "-o", str(target))[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # not the temp file's 0600
    split = tmp_path / "split"
    assert export(tagged, capsys, "--format", fmt, "--split", "50/50", "-o", str(split))[0] == 0
    assert {stat.S_IMODE(p.stat().st_mode) for p in split.iterdir()} == {0o644}
    target.chmod(0o640)  # someone chose who may read it: a new export keeps that
    assert export(tagged, capsys, "--format", fmt, "-o", str(target))[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_brat_files_follow_the_umask(tagged: Project, capsys: pytest.CaptureFixture[str],
                                     tmp_path: Path, umask_022: None) -> None:
    out_dir = tmp_path / "brat"
    assert export(tagged, capsys, "--format", "brat", "-o", str(out_dir))[0] == 0
    files = [p for p in out_dir.rglob("*") if p.is_file()]
    assert files and {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o644}
