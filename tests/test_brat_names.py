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
