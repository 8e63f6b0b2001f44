"""brat files named per annotator as public multi-annotator corpora name them."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.project import Project

TEXT = "Lavrov said the talks in Sochi were useful. Pompeo disagreed sharply.\n"


def ann(claim: str, text: str = TEXT) -> str:
    return f"T1\tSentence 0 43\t{text[0:43]}\nA1\tClaim T1 {claim}\n"


def test_dotted_dashed_and_underscored_suffixes_name_annotators(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "doc.txt").write_text(TEXT, encoding="utf-8")
    (folder / "doc-2.txt").write_text(TEXT.replace("Sochi", "Minsk"), encoding="utf-8")
    (folder / "doc.alice.ann").write_text(ann("fact"), encoding="utf-8")
    (folder / "doc-bob.ann").write_text(ann("opinion"), encoding="utf-8")
    (folder / "doc_7f3c.ann").write_text(ann("warning"), encoding="utf-8")
    (folder / "doc-2-carol.ann").write_text(ann("fact", TEXT.replace("Sochi", "Minsk")),
                                             encoding="utf-8")  # stem doc-2
    code = main(["--project", str(project.root), "import", "--format", "brat",
                 "--annotator-from-suffix", str(folder)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert ("annotators from file names: 7f3c (1 file(s)), alice (1 file(s)), "
            "bob (1 file(s)), carol (1 file(s))") in out
    fresh = Project(project.root)
    by_text = {fresh.corpus.load(i).text: i for i in fresh.corpus.ids()}
    sochi, minsk = by_text[TEXT], by_text[TEXT.replace("Sochi", "Minsk")]
    claims = {name: fresh.store.load(name, sochi).tags[0].first("claim")
              for name in ("alice", "bob", "7f3c")}
    assert claims == {"alice": "fact", "bob": "opinion", "7f3c": "warning"}
    assert fresh.store.load("carol", minsk).tags[0].first("claim") == "fact"


def test_without_a_matching_text_the_file_is_named(project: Project, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "other.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "doc-alice.ann").write_text(ann("fact"), encoding="utf-8")
    code = main(["--project", str(project.root), "import", "--format", "brat",
                 "--annotator-from-suffix", str(tmp_path / "doc-alice.ann")])
    _, err = capsys.readouterr()
    assert code == 1 and "doc-alice.ann: no annotator suffix" in err


def test_a_speaker_new_to_labels_yaml_is_counted_over_every_file_that_names_them(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The first file adds the entity; the second finds it by name: the report still
    says both files and both mentions, not one."""
    texts = {"doc-a": "Dana Whitfield said the talks failed.\n",
             "doc-b": "Later, Dana Whitfield said prices rose.\n"}
    spans = {"doc-a": ((0, 14), (20, 36)), "doc-b": ((7, 21), (27, 38))}
    for stem, text in texts.items():
        (tmp_path / f"{stem}.txt").write_text(text, encoding="utf-8")
        (source, content) = spans[stem]
        (tmp_path / f"{stem}.alice.ann").write_text(
            f"T1\tSource {source[0]} {source[1]}\t{text[source[0]:source[1]]}\n"
            f"T2\tContent {content[0]} {content[1]}\t{text[content[0]:content[1]]}\n"
            "R1\tAttribution Arg1:T1 Arg2:T2\n", encoding="utf-8")
    code = main(["--project", str(project.root), "import", "--format", "brat", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    (row,) = [line for line in out.splitlines() if "Dana Whitfield" in line]
    cells = [c.strip() for c in row.strip("│ ").split("│")]
    assert cells[:2] == ["Dana Whitfield", "2"]
    assert "doc-a.alice.ann" in out and "doc-b.alice.ann" in out
