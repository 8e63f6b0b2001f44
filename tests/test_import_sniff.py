"""`annotator import` in auto mode refuses what is not ours, naming the format and the way in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.project import Project

SAMPLES = Path(__file__).parent / "data" / "formats"


def run(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--project", str(project.root), "import", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("sample", "named", "way_in"), [
    ("webanno.tsv", "WebAnno TSV 3.3", "--format brat"),
    ("conll.txt", "CoNLL/IOB", "plain text or JSON Lines"),
    ("iob_no_docstart.txt", "CoNLL/IOB", "plain text or JSON Lines"),
    ("document.xmi", "UIMA XMI", "--format brat"),
    ("plain_table.csv", "a CSV table", "JSON Lines"),
    ("sheet.xlsx", "Excel workbook", "JSON Lines"),
    ("numbers.txt", "does not read like prose", "--format text"),
])
def test_formats_we_do_not_read_are_refused_with_the_way_in(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        sample: str, named: str, way_in: str) -> None:
    before = project.corpus.ids()
    source = tmp_path / sample
    shutil.copy(SAMPLES / sample, source)
    code, _, err = run(project, capsys, str(source))
    assert code == 1
    assert f"{source}: looks like" in err and named in err and way_in in err
    assert "nothing imported" in err
    assert Project(project.root).corpus.ids() == before


def test_binary_data_is_refused(project: Project, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "blob.txt"
    source.write_bytes(b"abc\x00\x01\x02" * 50)
    code, _, err = run(project, capsys, str(source))
    assert code == 1 and "binary file" in err


def test_prose_still_imports_and_format_text_forces_the_rest(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prose = tmp_path / "story.txt"
    prose.write_text("Talks end in Sochi\n\nLavrov said, after a long day, that the talks "
                     "were useful, frank and long. Pompeo, however, disagreed.\n",
                     encoding="utf-8")
    code, out, err = run(project, capsys, str(prose))
    assert code == 0, err
    assert "Imported 1 article" in out
    numbers = tmp_path / "numbers.txt"
    shutil.copy(SAMPLES / "numbers.txt", numbers)
    code, out, err = run(project, capsys, "--format", "text", str(numbers))
    assert code == 0 and "Imported 1 article" in out


def test_one_refused_file_spares_the_others(project: Project, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    prose = tmp_path / "story.md"
    prose.write_text("# Kremlin silent\n\nThe Kremlin said nothing about the talks today.\n",
                     encoding="utf-8")
    conll = tmp_path / "conll.txt"
    shutil.copy(SAMPLES / "conll.txt", conll)
    code, out, err = run(project, capsys, str(conll), str(prose))
    assert code == 1 and "CoNLL" in err and "Imported 1 article" in out


def test_an_import_that_imports_nothing_fails(project: Project, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "nothing.jsonl"
    source.write_text('{"text": "A story no label matches here.", "label": ["Sports"]}\n'
                      '{"text": "Another story nobody labelled well.", "label": ["Weather"]}\n',
                      encoding="utf-8")
    code, out, err = run(project, capsys, "--format", "doccano", str(source),
                         "--annotator", "dana")
    assert code == 1 and "nothing imported" in err and "Sports" in out


def test_a_json_min_file_given_as_labelstudio_is_named(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "min.json"
    shutil.copy(SAMPLES / "ls_min.json", source)
    code, _, err = run(project, capsys, "--format", "labelstudio", str(source))
    assert code == 2 and "JSON-MIN" in err and "--format labelstudio-min" in err
