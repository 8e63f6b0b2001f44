"""brat standoff: parsing edge cases, attribution import, our own export, round trips."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.annotation_file import AnnotationDoc
from annotator.core.errors import CorpusError
from annotator.core.formats.brat import parse_ann
from annotator.core.project import Project
from annotator.core.tags import SentenceTags

DATA = Path(__file__).parent / "data" / "brat"


def run(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--project", str(project.root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def write_pair(folder: Path, name: str, text: str, lines: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name.split('.')[0]}.txt").write_bytes(text.encode("utf-8"))
    ann = folder / f"{name}.ann"
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ann


def t(n: int, kind: str, text: str, part: str, after: int = 0) -> str:
    start = text.index(part, after)
    return f"T{n}\t{kind} {start} {start + len(part)}\t{part}"


def on_disk(project: Project) -> list[str]:
    """Article ids as they are on disk now (a Project caches its article list)."""
    return Project(project.root).corpus.ids()


def tags_of(project: Project, annotator: str) -> dict[int, SentenceTags]:
    (article_id,) = project.store.article_ids(annotator)
    return project.store.load(annotator, article_id).tags


def speakers(project: Project, annotator: str) -> dict[int, set[str]]:
    return {i: set(tag.get("speakers")) for i, tag in tags_of(project, annotator).items()}


def T(speakers: tuple[str, ...] = (), claim: str | None = None, topics: tuple[str, ...] = (),
      **meta: object) -> SentenceTags:
    """Tags in the bundled test layers (tests/factories.LABELS)."""
    return SentenceTags.of(speakers=speakers, claim=claim, topics=topics, **meta)


# --------------------------------------------------------------------------- parsing


def test_discontinuous_spans_and_every_line_kind_parse() -> None:
    text = "Lavrov said, smiling, that it was over."
    ann = parse_ann(
        "T1\tSource 0 6\tLavrov\nT2\tContent 7 11;22 38\tsaid that it was over\n"
        "R1\tAttr Arg1:T1 Arg2:T2\nE1\tCue:T1 Source:T1\nA1\tNeg E1\nM2\tConf T2 High\n"
        "N1\tReference T1 Wikidata:Q1\tLavrov\n#1\tAnnotatorNotes T2\tcheck\n*\tEquiv T1 T2\n",
        "x.ann", text)
    assert ann.textbounds["T2"].fragments == ((7, 11), (22, 38))
    assert [link.type for link in ann.links] == ["Attr", "Cue"]
    assert [a.value for a in ann.attributes] == [None, "High"]
    assert ann.notes[0].text == "check"
    assert ann.ignored == {"normalizations (N)": 1, "equivalences (*)": 1}


@pytest.mark.parametrize("line, message", [
    ("T2\tContent 20 99\tx", "T2: offset 99 is past the end of the text"),
    ("T2\tContent 0 6\tPompeo", "T2: the text at 0 6 is 'Lavrov', not 'Pompeo'"),
    ("T1\tContent 0 6\tLavrov", "id T1 is used twice (first on line 1)"),
    ("R1\tAttr Arg1:T1 Arg2:T9", "refers to T9, which is not defined"),
    ("T2\tContent 6 0\tx", "T2: span 6-0 ends before it starts"),
    ("hello world", "not a brat annotation line"),
    ("T2\tContent six 9\tx", "T2: expected"),
    ("R1\tAttr Arg1:T1", "R1: a relation needs two arguments"),
])
def test_a_line_that_does_not_fit_refuses_the_file(line: str, message: str) -> None:
    with pytest.raises(CorpusError) as caught:
        parse_ann(f"T1\tSource 0 6\tLavrov\n{line}\n", "doc.ann", "Lavrov said it.")
    assert message in str(caught.value) and str(caught.value).startswith("doc.ann:2:")


def test_crlf_offsets_count_the_carriage_return() -> None:
    text = "Headline\r\n\r\nLavrov said so.\r\n"
    ann = parse_ann("T1\tSource 12 18\tLavrov\r\n", "x.ann", text)
    assert ann.textbounds["T1"].fragments == ((12, 18),)
    with pytest.raises(CorpusError, match=r"\\r\\n"):
        parse_ann("T1\tSource 10 16\tLavrov\n", "x.ann", text)


# --------------------------------------------------------------------------- attribution import


def test_two_annotators_sample_imports_and_feeds_the_agreement_report(
        project: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    shutil.copytree(DATA, folder)
    labels_before = project.labels_path.read_text(encoding="utf-8")
    code, out, err = run(project, capsys, "import", "--format", "brat", str(folder))
    assert code == 0, err
    assert "doc1.alice.ann" in out and "doc1.bob.ann" in out
    alice, bob = speakers(project, "alice"), speakers(project, "bob")
    assert alice == {1: {"pompeo"}, 2: {"lavrov"}, 3: {"kremlin"}, 4: {"lavrov"},
                     5: {"lavrov"}, 6: {"ana-costa"}}
    assert bob == {1: {"pompeo"}, 2: {"lavrov"}, 3: {"kremlin"}, 4: {"lavrov"},
                   6: {"ana-costa"}}
    # The unknown "Ana Costa" became one speaker, marked imported, comments kept.
    labels = project.labels_path.read_text(encoding="utf-8")
    assert labels.startswith(labels_before.split("\n# Claims")[0].split("\n  - id: kremlin")[0])
    assert "# Claims: one per sentence." in labels and labels.count("Ana Costa") == 1
    speaker = project.reload_schema().get("speakers", "ana-costa")
    assert speaker is not None and speaker.imported
    assert "Ana Costa" in out and "doc1.alice.ann, doc1.bob.ann" in out
    # Reported: the pronoun resolved to the nearest person before it (the Kremlin is not
    # one), the source without content, ignored kinds.
    assert "line 13: Source T10 'he' → Sergey Lavrov (inferred" in err
    assert "doc1.bob.ann: line 15: Source T10 'Pompeo' has no content" in err
    assert "1 Location spans" in err
    # Ready for agreement, driven through the CLI.
    code, out, _ = run(project, capsys, "agree", "--annotators", "alice,bob", "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["annotators"] == ["alice", "bob"] and report["units"] == 6
    assert report["speakers"]["exact_match"] == {"value": 1.0, "units": 5, "pairs": 5}


def test_the_same_text_attaches_to_the_article_already_in_the_corpus(
        project: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    article = project.corpus.load(project.corpus.ids()[0])
    text = article.text
    ann = write_pair(tmp_path, "a", text, [
        t(1, "Source", text, "Mr Pompeo"), t(2, "Content", text, "We will not tolerate meddling"),
        "R1\tSaid Arg1:T1 Arg2:T2",
    ])
    code, out, err = run(project, capsys, "import", "--format", "brat", str(ann),
                         "--annotator", "carol")
    assert code == 0, err
    assert on_disk(project) == project.corpus.ids()  # no new article
    assert speakers(project, "carol") == {2: {"pompeo"}}
    assert "(new)" not in out


def test_overlapping_attributions_give_a_sentence_both_speakers(
        project: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = "Talks in Sochi\n\nLavrov and Pompeo both said “we agree on nothing” after talks.\n"
    ann = write_pair(tmp_path, "b", text, [
        t(1, "Source", text, "Lavrov"), t(2, "Source", text, "Pompeo"),
        t(3, "Content", text, "“we agree on nothing”"), t(4, "Content", text, "we agree"),
        t(5, "Cue", text, "said"),
        "E1\tCue:T5 Source:T1 Content:T3", "E2\tCue:T5 Source:T2 Content:T4",
    ])
    code, _, err = run(project, capsys, "import", "--format", "brat", str(ann),
                       "--annotator", "carol")
    assert code == 0, err
    assert speakers(project, "carol") == {1: {"lavrov", "pompeo"}}


def test_a_content_across_sentences_tags_each_of_them(
        project: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = "Headline here\n\nThe Kremlin said: “This is false. It is a lie.” Nobody replied.\n"
    ann = write_pair(tmp_path, "c", text, [
        t(1, "Source", text, "The Kremlin"),
        t(2, "Content", text, "“This is false. It is a lie.”"),
        "R1\tQuote Arg1:T2 Arg2:T1",
    ])
    assert run(project, capsys, "import", "--format", "brat", str(ann), "--annotator", "x")[0] == 0
    assert speakers(project, "x") == {1: {"kremlin"}, 2: {"kremlin"}}


def test_crlf_text_keeps_its_line_ends_and_offsets(
        project: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = "Sochi meeting\r\n\r\nSergey Lavrov said the talks went well.\r\nPompeo disagreed.\r\n"
    ann = write_pair(tmp_path, "d", text, [
        t(1, "Source", text, "Sergey Lavrov"), t(2, "Content", text, "the talks went well"),
        "R1\tQuote Arg1:T1 Arg2:T2",
    ])
    code, _, err = run(project, capsys, "import", "--format", "brat", str(ann),
                       "--annotator", "x")
    assert code == 0, err
    (article_id,) = project.store.article_ids("x")
    article = Project(project.root).corpus.load(article_id)
    assert article.text == text
    assert speakers(project, "x") == {1: {"lavrov"}}


def test_an_ann_that_does_not_fit_is_refused_and_nothing_is_written(
        project: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = "A short text about Lavrov.\n"
    ann = write_pair(tmp_path, "e", text, [
        t(1, "Source", text, "Lavrov"), "T2\tContent 5 500\tabout", "R1\tQ Arg1:T1 Arg2:T2",
        "T3\tSource 0 5\tUnknown Person",
    ])
    labels = project.labels_path.read_bytes()
    ids = on_disk(project)
    code, _, err = run(project, capsys, "import", "--format", "brat", str(ann), "--annotator", "x")
    assert code == 1
    assert f"{ann}:2: T2: offset 500 is past the end of the text" in err
    assert on_disk(project) == ids and project.labels_path.read_bytes() == labels
    assert not (project.annotations_dir / "x").exists()


def test_existing_tags_are_refused_or_merged_into_empty_sentences(
        project: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    article = project.corpus.load(project.corpus.ids()[0])
    project.store.save(AnnotationDoc(article.id, "carol", {
        2: T(("lavrov",), "opinion")}), article)
    before = project.store.path("carol", article.id).read_bytes()
    text = article.text
    ann = write_pair(tmp_path, "f", text, [
        t(1, "Source", text, "Mr Pompeo"), t(2, "Content", text, "We will not tolerate meddling"),
        t(3, "Source", text, "Lavrov", 140), t(4, "Content", text, "called for better ties"),
        "R1\tQ Arg1:T1 Arg2:T2", "R2\tQ Arg1:T3 Arg2:T4",
    ])
    code, _, err = run(project, capsys, "import", "--format", "brat", str(ann),
                       "--annotator", "carol")
    assert code == 1 and "carol already has 1 tagged sentence(s)" in err and "--merge" in err
    assert project.store.path("carol", article.id).read_bytes() == before
    code, _out, _ = run(project, capsys, "import", "--format", "brat", str(ann), "--annotator",
                       "carol", "--merge")
    assert code == 0
    tags = tags_of(project, "carol")
    assert tags[2] == T(("lavrov",), "opinion")  # kept as it was
    assert tags[4].get("speakers") == ("lavrov",)


def test_dry_run_reports_and_writes_nothing(project: Project, capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    shutil.copytree(DATA, folder)
    labels = project.labels_path.read_bytes()
    code, out, _ = run(project, capsys, "import", "--format", "brat", str(folder), "--dry-run")
    assert code == 0 and "Would import 2 brat file(s)" in out and "Ana Costa" in out
    assert project.labels_path.read_bytes() == labels and len(on_disk(project)) == 2
    assert project.store.annotators() == []


def test_who_annotated_must_be_known(project: Project, capsys: pytest.CaptureFixture[str],
                                     tmp_path: Path) -> None:
    text = "Lavrov said nothing at all.\n"
    ann = write_pair(tmp_path, "g", text, [t(1, "Source", text, "Lavrov")])
    code, _, err = run(project, capsys, "import", "--format", "brat", str(ann))
    assert code == 1 and "pass --annotator NAME" in err
    code, _, err = run(project, capsys, "import", "--format", "brat", str(ann),
                       "--annotator-from-suffix")
    assert code == 1 and "no annotator suffix" in err


# --------------------------------------------------------------------------- our export


def test_export_then_import_gives_the_same_tags(project: Project,
                                                capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    first, second = (project.corpus.load(i) for i in project.corpus.ids())
    alice = {
        0: T(claim="fact", note="headline\twith a tab"),
        2: T(("pompeo", "kremlin"), "warning", ("elections", "diplomacy")),
        3: T(("lavrov",), topics=("sanctions",), note="“curly” note"),
        4: T(not_content=True),
        5: T(claim="rumour"),  # not in labels.yaml: kept as is
    }
    project.store.save(AnnotationDoc(first.id, "alice", dict(alice)), first)
    project.store.save(AnnotationDoc(second.id, "alice", {2: T(claim="opinion")}),
                       second)
    out_dir = tmp_path / "brat-out"
    code, _, err = run(project, capsys, "export", "--format", "brat", "-o", str(out_dir),
                         "--annotator", "alice")
    assert code == 0, err
    assert "rumour" in err  # the unknown label is warned about
    assert (out_dir / f"{first.id}.txt").read_bytes() == first.text.encode("utf-8")
    conf = (out_dir / "annotation.conf").read_text(encoding="utf-8")
    assert "Claim\tArg:Sentence, Value:fact|opinion|warning|rumour" in conf
    assert "Speakers_ana" not in conf and "Topics_sanctions\tArg:Sentence" in conf
    code, _out, err = run(project, capsys, "import", "--format", "brat", str(out_dir),
                         "--annotator", "alice2")
    assert code == 0, err
    back = project.store.load("alice2", first.id).tags
    assert set(back) == set(alice)
    for index, tags in alice.items():
        assert back[index].same_tags(tags), index
    assert back[0].note == "headline with a tab" and back[3].note == "“curly” note"
    assert project.store.load("alice2", second.id).tags == {2: T(claim="opinion")}


def test_brat_export_of_several_annotators_writes_a_folder_each(
        project: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    article = project.corpus.load(project.corpus.ids()[0])
    for name in ("alice", "bob"):
        project.store.save(AnnotationDoc(article.id, name, {2: T(claim="fact")}),
                           article)
    out_dir = tmp_path / "several"
    assert run(project, capsys, "export", "--format", "brat", "-o", str(out_dir))[0] == 0
    assert sorted(p.name for p in out_dir.iterdir()) == ["alice", "bob"]
    ann = out_dir / "bob" / f"{article.id}.ann"
    assert ann.read_text(encoding="utf-8").startswith("T1\tSentence ")
    ann.write_text("T1\tSentence 0 6\tPompeo\n", encoding="utf-8")  # someone's brat work
    code, _, err = run(project, capsys, "export", "--format", "brat", "-o", str(out_dir))
    assert code == 2 and "not overwritten" in err
    assert ann.read_text(encoding="utf-8") == "T1\tSentence 0 6\tPompeo\n"


def test_a_multi_line_sentence_becomes_fragments(project: Project,
                                                 capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    from annotator.core.importer import build_article

    article = build_article("Title\n\nThe minister said the\nsanctions would stay.\n")
    project.corpus.write(article)
    index = next(s.index for s in article.sentences if "\n" in s.text)
    project.store.save(AnnotationDoc(article.id, "alice", {index: T(claim="fact")}),
                       article)
    out_dir = tmp_path / "frag"
    run(project, capsys, "export", "--format", "brat", "-o", str(out_dir))
    line = (out_dir / f"{article.id}.ann").read_text(encoding="utf-8").splitlines()[0]
    assert ";" in line.split("\t")[1] and "\n" not in line
    assert run(project, capsys, "import", "--format", "brat", str(out_dir),
               "--annotator", "back")[0] == 0
    assert project.store.load("back", article.id).tags == {index: T(claim="fact")}


def test_a_bom_counted_by_brat_is_allowed_for(project: Project,
                                              capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    text = "Sochi\n\nLavrov said the talks went well.\n"
    (tmp_path / "h.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    start = text.index("the talks") + 1  # brat's offsets count the BOM
    (tmp_path / "h.ann").write_text(
        f"T1\tSource {text.index('Lavrov') + 1} {text.index('Lavrov') + 7}\tLavrov\n"
        f"T2\tContent {start} {start + 19}\tthe talks went well\nR1\tQ Arg1:T1 Arg2:T2\n",
        encoding="utf-8")
    code, _, err = run(project, capsys, "import", "--format", "brat", str(tmp_path / "h.ann"),
                       "--annotator", "x")
    assert code == 0, err
    assert speakers(project, "x") == {1: {"lavrov"}}


def test_an_article_open_in_a_session_is_not_written(project: Project,
                                                     capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path) -> None:
    from annotator.core.session import AnnotateSession

    article = project.corpus.load(project.corpus.ids()[0])
    session = AnnotateSession(project, "carol")
    session.open_article(article.id)
    try:
        text = article.text
        ann = write_pair(tmp_path, "i", text, [
            t(1, "Source", text, "Mr Pompeo"),
            t(2, "Content", text, "We will not tolerate meddling"), "R1\tQ Arg1:T1 Arg2:T2"])
        code, _, err = run(project, capsys, "import", "--format", "brat", str(ann),
                           "--annotator", "carol")
        assert code == 1 and "carol already has this article open" in err
        assert not project.store.path("carol", article.id).exists()
    finally:
        session.close()


def test_a_folder_exported_by_an_earlier_version_still_imports(
        project: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    article = project.corpus.load(project.corpus.ids()[0])
    start, end = article.spans[2]
    write_pair(tmp_path / "old", "doc", article.text, [
        f"T1\tSentence {start} {end}\t{article.text[start:end]}",
        "A1\tClaim T1 fact", "A2\tSpeaker_pompeo T1", "A3\tTopic_elections T1",
        "A4\tSpeakers_lavrov T1", "A5\tMood T1 grim", "A6\tNotContent T1"])
    code, _, err = run(project, capsys, "import", "--format", "brat", str(tmp_path / "old"),
                       "--annotator", "old")
    assert code == 0, err
    assert project.store.load("old", article.id).tags == {2: T(
        ("pompeo", "lavrov"), "fact", ("elections",), not_content=True)}
    assert "1 attributes not on a Sentence or not of a layer" in err
