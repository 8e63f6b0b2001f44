"""init, import, validate, stats and bad input, driven through `annotator.cli.main` as a user would.

Every bad input gets one clear message and a non-zero exit, never a traceback, and the
files on disk stay as they were.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annotator.cli import cmd_stats, main
from annotator.core.crash import EXIT_CRASH
from annotator.core.project import Project
from annotator.core.session import AnnotateSession
from tests.factories import ARTICLE_A, LABELS, LAYERED_LABELS, make_project

FIRST = "pompeo-warns-russia-over-25546b13"
SECOND = "sanctions-debate-continues-810c8f6a"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder with its bytes: to prove nothing was touched."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".annotator" not in p.parts}


def annotation(project: Project, text: str, annotator: str = "alice",
               article: str = FIRST) -> Path:
    path = project.annotations_dir / annotator / f"{article}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _crash_reports_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


# ----- init and import -------------------------------------------------------------------
def test_init_then_import_then_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "new"
    code, out, _ = run(capsys, "init", root)
    assert code == 0 and "created" in out and "annotator import" in out
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE_A)
    code, out, _ = run(capsys, "--project", root, "import", article)
    assert code == 0 and "Imported 1 article" in out and FIRST[:20] in out
    assert (root / "corpus" / f"{FIRST}.yaml").exists()
    code, out, _ = run(capsys, "--project", root, "validate")
    assert code == 0
    assert out.splitlines() == ["labels.yaml: version 2, 3 layers (speakers, claim, topics)",
                                "ok: 5 labels, 1 articles, 0 annotation files"]


def test_init_never_overwrites_a_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "p"
    run(capsys, "init", root)
    (root / "labels.yaml").write_text(LABELS)
    code, _, err = run(capsys, "init", root)
    assert code == 2 and "already exists" in err
    assert (root / "labels.yaml").read_text() == LABELS


def test_import_titles_are_shown_as_text_not_markup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], project: Project
) -> None:
    source = tmp_path / "markup.txt"
    source.write_text("[bold]Not bold[/bold] and [President] stays\n\nA sentence here.\n")
    code, out, _ = run(capsys, "--project", project.root, "import", source)
    assert code == 0 and "[bold]Not" in out and "[President]" in out


def test_reimporting_the_same_text_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], project: Project
) -> None:
    source = tmp_path / "same.txt"
    source.write_text(ARTICLE_A)
    before = snapshot(project.root)
    code, _, err = run(capsys, "--project", project.root, "import", source)
    assert code == 1
    assert f"{source}: already in the corpus as {FIRST}; not imported" in err
    assert snapshot(project.root) == before


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"Caf\xe9 au lait.\n", "not UTF-8 text (byte 0xe9 at offset 3)"),
        (b"", "empty article"),
        (b"\n \n\t\n", "empty article"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00", "binary file"),
    ],
)
def test_import_refuses_what_cannot_be_annotated_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], project: Project, raw: bytes,
    reason: str,
) -> None:
    source = tmp_path / "bad.txt"
    source.write_bytes(raw)
    before = snapshot(project.root)
    code, _, err = run(capsys, "--project", project.root, "import", source)
    assert code == 1 and reason in err and str(source) in err
    assert snapshot(project.root) == before
    assert sorted(p.name for p in project.corpus_dir.iterdir()) == [f"{FIRST}.yaml",
                                                                     f"{SECOND}.yaml"]


def test_one_bad_file_does_not_stop_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], project: Project
) -> None:
    good, missing = tmp_path / "good.txt", tmp_path / "missing.txt"
    good.write_text("A new article\n\nSomething happened today.\n")
    code, out, err = run(capsys, "--project", project.root, "import", missing, good)
    assert code == 1 and "Imported 1 article" in out
    assert f"{missing}: cannot read: No such file or directory" in err
    assert len(project.corpus.ids()) == 3


def test_import_outside_a_project_says_how_to_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE_A)
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(capsys, "--project", empty, "import", source)
    assert code == 2 and "no labels.yaml" in err
    assert str(empty.resolve()) in err and "annotator init" in err
    assert list(empty.iterdir()) == []


# ----- labels.yaml problems: exit 2, file:line, from every command ---------------------------
@pytest.mark.parametrize("command", [["validate"], ["stats"]])
def test_no_labels_file_says_where_it_looked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    code, out, err = run(capsys, "--project", tmp_path, *command)
    text = out + err
    assert code == 2
    assert f"{tmp_path / 'labels.yaml'}: no labels.yaml here" in text
    assert f"Looked in {tmp_path.resolve()}" in text and "annotator init" in text


@pytest.mark.parametrize("command", [["validate"], ["stats"]])
def test_a_yaml_syntax_error_in_labels_names_line_and_column(
    capsys: pytest.CaptureFixture[str], project: Project, command: list[str]
) -> None:
    project.labels_path.write_text(LABELS.replace("aliases: [Kremlin]", "aliases: [Kremlin"))
    code, out, err = run(capsys, "--project", project.root, *command)
    assert code == 2
    assert re.search(rf"{re.escape(str(project.labels_path))}:\d+:\d+: ", out + err)


@pytest.mark.parametrize(
    ("old", "new", "fragments"),
    [
        ("  - id: lavrov", "  - id: pompeo",
         ["duplicate id 'pompeo' in speakers (first defined at line 4)", "labels.yaml:8: "]),
        ('    key: "2"', '    key: "1"',
         ["key '1' of topics 'sanctions' is already used by topics 'elections' (line 34)",
          "labels.yaml:37:10: "]),
        ("aliases: [Kremlin]", "aliases: [Kremlin, Mr Lavrov]",
         [("alias 'Mr Lavrov' of 'kremlin' is also claimed by 'lavrov' as its alias "
           "(line 11)"), "labels.yaml:15:24: "]),
    ],
)
def test_duplicates_in_labels_name_both_places(
    capsys: pytest.CaptureFixture[str], project: Project, old: str, new: str,
    fragments: list[str],
) -> None:
    assert old in LABELS
    project.labels_path.write_text(LABELS.replace(old, new))
    code, out, _ = run(capsys, "--project", project.root, "validate")
    assert code == 2
    for fragment in fragments:
        assert fragment in out


def test_unsafe_tags_in_labels_are_refused(capsys: pytest.CaptureFixture[str],
                                          project: Project) -> None:
    project.labels_path.write_text("version: !!python/object/apply:os.system [touch pwned]\n"
                                   + LABELS.replace("version: 1\n", ""))
    code, out, _ = run(capsys, "--project", project.root, "validate")
    assert code == 2 and f"{project.labels_path}:1:10: tag" in out and "is not allowed" in out
    assert not (project.root / "pwned").exists()


# ----- validate: corpus and annotations ------------------------------------------------------
def test_validate_lists_every_annotation_problem_with_file_and_line(
    capsys: pytest.CaptureFixture[str], project: Project
) -> None:
    corrupt = annotation(project, "version: 1\nsentences:\n- index: 2\n  claim: [oops\n")
    not_mapping = annotation(project, "- just\n- a list\n", annotator="bob")
    unknown = annotation(project, "version: 1\nsentences:\n- index: 2\n  claim: fact\n"
                                  "- index: 3\n  speakers: [pompeo]\n  topics: [elections, "
                                  "gossip]\n", annotator="carol")
    out_of_range = annotation(project, "version: 1\nsentences:\n- index: 40\n  claim: fact\n",
                              annotator="dave")
    orphan = annotation(project, "version: 1\nsentences: []\n", annotator="erin",
                        article="gone-article")
    before = snapshot(project.root)
    code, out, _ = run(capsys, "--project", project.root, "validate")
    assert code == 1
    lines = out.splitlines()
    assert any(line.startswith(f"{corrupt}:5:1: ") and "left as is" in line for line in lines)
    assert f"{not_mapping}:1: not an annotation file (expected a mapping with sentences); " \
        "the file is left as is" in lines
    assert f"{unknown}:7: sentence 3: unknown topics label 'gossip' (not in labels.yaml)" in lines
    assert f"{out_of_range}:3: sentence 40 is out of range (the article has 6 sentences)" in lines
    assert f"{orphan}: refers to article 'gone-article', which is not in the corpus" in lines
    for old in (unknown, out_of_range, orphan):  # listed, but not counted as problems
        assert f"{old}:1: format version 1: read as it is; the next save writes version 2" \
            in lines
    assert lines[0] == ("labels.yaml: version 1 (no layers declared; read as speakers, claim, "
                        "topics)")
    assert lines[-1] == ("5 problems found; 3 annotation files in an older format (read as "
                         "they are); files were not changed")
    assert snapshot(project.root) == before


def test_validate_reports_unsafe_tags_in_annotation_and_article_files(
    capsys: pytest.CaptureFixture[str], project: Project
) -> None:
    tagged = annotation(project, "version: 1\nsentences:\n- index: 1\n  note: !!python/object/"
                                 "apply:os.system [touch pwned]\n")
    article = project.corpus.path_of(SECOND)
    article.write_text(article.read_text().replace("source: article-1.txt",
                                                   "source: !!python/name:os.system ''"))
    code, out, _ = run(capsys, "--project", project.root, "validate")
    assert code == 1
    assert f"{tagged}:4:9: " in out and "!!python/object are refused" in out
    assert f"{article}:" in out and "python/name:os.system" in out
    assert not (project.root / "pwned").exists()


def test_validate_reports_an_article_edited_after_import(
    capsys: pytest.CaptureFixture[str], project: Project
) -> None:
    session = AnnotateSession(project, "alice")
    session.open_article(SECOND)
    session.goto(2)
    session.set_labels("claim", "opinion")
    session.close()
    path = project.corpus.path_of(SECOND)
    path.write_text(path.read_text().replace("Maduro must go", "Maduro must stay"))
    code, out, _ = run(capsys, "--project", project.root, "validate")
    assert code == 1
    assert f"{path}: the text was edited after import" in out


def test_validate_parses_only_articles_that_changed_since_they_were_found_sound(
    capsys: pytest.CaptureFixture[str], project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.core import validate

    assert run(capsys, "--project", project.root, "validate")[0] == 0
    parsed: list[str] = []
    real = validate.read_article

    def counting(path: Path) -> object:
        parsed.append(path.name)
        return real(path)

    monkeypatch.setattr(validate, "read_article", counting)
    assert run(capsys, "--project", project.root, "validate")[0] == 0
    assert parsed == []  # both articles unchanged since they were checked
    path = project.corpus.path_of(SECOND)
    path.write_text(path.read_text().replace("Maduro must go", "Maduro must stay"))
    code, out, _ = run(capsys, "--project", project.root, "validate")
    assert code == 1 and f"{path}: the text was edited after import" in out
    assert parsed == [path.name]
    code, out, _ = run(capsys, "--project", project.root, "validate")
    assert code == 1 and f"{path}: the text was edited after import" in out  # never cached


def test_validate_reports_drift_for_tags_made_on_other_text(
    capsys: pytest.CaptureFixture[str], project: Project
) -> None:
    path = annotation(project, "version: 1\ntext_sha: 0123456789abcdef\nsentences:\n"
                               "- index: 2\n  start: 0\n  end: 5\n  hash: deadbeef\n"
                               "  claim: fact\n")
    code, out, _ = run(capsys, "--project", project.root, "validate")
    assert code == 1 and f"{path}:4: drift: sentence 2 changed" in out


def test_a_corrupt_annotation_leaves_the_other_articles_usable(
    capsys: pytest.CaptureFixture[str], project: Project
) -> None:
    corrupt = annotation(project, "sentences: [\n")
    session = AnnotateSession(project, "alice")
    session.open_article(FIRST)
    assert session.broken is not None
    session.open_article(SECOND)
    session.set_labels("claim", "fact")
    session.close()
    assert corrupt.read_text() == "sentences: [\n"
    code, out, _ = run(capsys, "--project", project.root, "validate")
    assert code == 1 and out.count("\n") == 3 and str(corrupt) in out  # version, problem, sum


# ----- layers are data: a project's own layers, validated and counted ------------------------
def v2_file(project: Project, *entries: str) -> str:
    """An annotation file in the store's shape (v2, count) with the given entries, made on
    the first article's text."""
    sha = project.corpus.load(FIRST).text_sha
    return (f"version: 2\narticle: {FIRST}\nannotator: x\ntext_sha: {sha}\n"
            f"count: {len(entries)}\nsentences:\n" + "".join(entries))


def entry(index: int, *fields: str) -> str:
    return f"- index: {index}\n  start: 0\n  end: 1\n  hash: ab\n" + "".join(
        f"  {field}\n" for field in fields)


@pytest.fixture
def layered(tmp_path: Path) -> Project:
    return make_project(tmp_path / "layered", labels=LAYERED_LABELS)


def test_validate_checks_every_layer_labels_yaml_declares(
    capsys: pytest.CaptureFixture[str], layered: Project
) -> None:
    path = annotation(layered, v2_file(
        layered, entry(2, "claim: fact", "stance: [for, against]", "quote: [direct, sarcastic]"),
        entry(3, "mood: [calm]", "stance: neutral"),
        entry(4, "stance: for", "topics: [sanctions]"),
    ))
    code, out, _ = run(capsys, "--project", layered.root, "validate")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == ("labels.yaml: version 2, 5 layers (speakers, claim, stance, quote, "
                        "topics)")
    assert f"{path}:12: sentence 2: stance takes one label (stance is a single-choice layer) " \
        "but has 2: for, against" in lines
    assert f"{path}:13: sentence 2: unknown quote label 'sarcastic' (not in labels.yaml)" in lines
    assert f"{path}:18: sentence 3: unknown layer 'mood' (labels.yaml declares speakers, " \
        "claim, stance, quote, topics)" in lines
    assert lines[-1] == "3 problems found; files were not changed"


def test_validate_passes_a_project_with_its_own_layers(
    capsys: pytest.CaptureFixture[str], layered: Project
) -> None:
    session = AnnotateSession(layered, "alice")
    session.open_article(FIRST)
    session.goto(2)
    session.set_labels("stance", "against")
    session.toggle_label("quote", "partial")
    session.close()
    code, out, _ = run(capsys, "--project", layered.root, "validate")
    assert (code, out.splitlines()[-1]) == (0, "ok: 12 labels, 2 articles, 1 annotation files")


def test_stats_counts_each_declared_layer_under_its_title(
    capsys: pytest.CaptureFixture[str], layered: Project
) -> None:
    annotation(layered, v2_file(layered, entry(2, "stance: against", "quote: [direct, partial]"),
                                entry(3, "stance: against", "mood: [calm]")))
    annotation(layered, v2_file(layered, entry(2, "stance: for", "quote: [direct]")),
               annotator="bob")
    code, out, _ = run(capsys, "--project", layered.root, "stats")
    assert code == 0
    titles = [line.strip() for line in out.splitlines() if line.strip() and "│" not in line
              and line.strip()[0] not in "┏┡└┃"]
    assert titles == ["Progress", "Speakers", "Claim", "Stance", "Quote type", "Topics",
                      "mood (layer not in labels.yaml)"]
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if "│" in line}
    assert re.search(r"│\s*2\s*│", rows["Against"]) and re.search(r"│\s*1\s*│", rows["For"])
    assert re.search(r"│\s*0\s*│", rows["Neutral"]) and re.search(r"│\s*2\s*│", rows["Direct"])
    assert re.search(r"calm \(not in labels.yaml\)\s*│ calm\s*│\s*1", out)


def test_a_layer_no_code_has_heard_of_works_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = ("version: 2\nlayers:\n  - id: zz_frame\n    title: Framing device\n"
              "    kind: multi\n    key: F\n    labels:\n      - {id: conflict, name: Conflict, "
              "key: '1'}\n      - {id: human, name: Human interest, key: '2'}\n")
    project = make_project(tmp_path / "zz", labels=labels)
    session = AnnotateSession(project, "alice")
    session.open_article(FIRST)
    session.goto(3)
    session.toggle_label("zz_frame", "human")
    session.close()
    code, out, _ = run(capsys, "--project", project.root, "validate")
    assert code == 0 and out.splitlines()[0] == "labels.yaml: version 2, 1 layer (zz_frame)"
    code, out, _ = run(capsys, "--project", project.root, "stats")
    assert code == 0 and "Framing device" in out
    assert re.search(r"Human interest\s*│ human\s*│\s*1", out)
    assert re.search(r"Conflict\s*│ conflict\s*│\s*0", out)


# ----- stats -----------------------------------------------------------------------------------
def tag_some(project: Project) -> None:
    for name, claim in (("alice", "fact"), ("bob", "warning")):
        session = AnnotateSession(project, name)
        session.open_article(FIRST)
        session.goto(2)
        session.set_labels("claim", claim)
        session.toggle_label("topics", "elections")
        session.toggle_label("speakers", "pompeo")
        session.close()


def test_stats_shows_progress_and_label_counts(capsys: pytest.CaptureFixture[str],
                                               project: Project) -> None:
    tag_some(project)
    code, out, _ = run(capsys, "--project", project.root, "stats")
    assert code == 0
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if "│" in line}
    # Sentence 2 only: the dateline the importer marked is not alice's decision.
    assert "1/9" in rows["alice"] and "1/2" in rows["alice"]
    assert "1/9" in rows["bob"]
    assert re.search(r"│\s*2\s*│", rows["Elections"]) and re.search(r"│\s*0\s*│",
                                                                      rows["Sanctions"])
    assert re.search(r"│\s*1\s*│", rows["Fact"]) and re.search(r"│\s*1\s*│", rows["Warning"])
    assert re.search(r"│\s*2\s*│", rows["Mike Pompeo"])


def test_stats_for_one_annotator(capsys: pytest.CaptureFixture[str], project: Project) -> None:
    tag_some(project)
    code, out, _ = run(capsys, "--project", project.root, "stats", "--annotator", "bob")
    assert code == 0 and "bob" in out and "alice" not in out
    assert re.search(r"Warning\s*│ warning\s*│\s*1", out)
    assert re.search(r"Fact\s*│ fact\s*│\s*0", out)


def test_stats_shows_label_names_literally_and_flags_unknown_ones(
    capsys: pytest.CaptureFixture[str], project: Project
) -> None:
    project.labels_path.write_text(LABELS.replace("name: Fact", 'name: "[bold]Fact[/]"'))
    annotation(project, "version: 1\nsentences:\n- index: 2\n  claim: fact\n"
                        "- index: 3\n  claim: gossip\n")
    code, out, _ = run(capsys, "--project", project.root, "stats")
    assert code == 0 and "[bold]Fact[/]" in out
    assert "gossip (not in labels.yaml)" in out


def test_stats_lists_files_it_could_not_read(capsys: pytest.CaptureFixture[str],
                                             project: Project) -> None:
    broken = annotation(project, "sentences: [\n")
    code, _, err = run(capsys, "--project", project.root, "stats")
    assert code == 1 and f"skipped {broken}:2:1" in err and "annotator validate" in err


def test_stats_reads_through_the_index_and_parses_only_what_changed(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.core import annotation_index
    from annotator.core.stats import compute_stats

    tag_some(project)
    first = compute_stats(Project(project.root))
    parsed: list[Path] = []
    real = annotation_index.read_file_records

    def counting(path: Path, *args: str) -> annotation_index.FileRecords:
        parsed.append(path)
        return real(path, *args)

    monkeypatch.setattr(annotation_index, "read_file_records", counting)
    again = compute_stats(Project(project.root))  # a new process: only the cache on disk
    assert parsed == [] and again.progress == first.progress and again.counts == first.counts
    assert not (project.state_dir / "stats-cache.json").exists()  # one index, no second cache
    session = AnnotateSession(project, "bob")
    session.open_article(FIRST)
    session.goto(3)
    session.set_labels("claim", "fact")
    session.close()
    parsed.clear()
    changed = compute_stats(Project(project.root))
    assert parsed == [project.store.path("bob", FIRST)]
    fact = next(row for row in changed.counts["claim"] if row.label_id == "fact")
    assert fact.count == 2
    for cache in (project.state_dir / "index").iterdir():
        cache.write_bytes(b"garbage")
    assert compute_stats(Project(project.root)).counts == changed.counts


# ----- annotator names -------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["../evil", "a/b", "..", "bell\x07", "esc\x1b[31m"])
def test_unusable_annotator_names_are_refused(
    capsys: pytest.CaptureFixture[str], project: Project, name: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = snapshot(project.root)
    code, _, err = run(capsys, "--project", project.root, "stats", "--annotator", name)
    assert code == 2 and "is not a usable annotator name" in err
    assert "\x07" not in err and "\x1b" not in err
    monkeypatch.setenv("ANNOTATOR", name)  # the editor refuses before any screen opens
    code, _, err = run(capsys, "--project", project.root)
    assert code == 2 and "is not a usable annotator name" in err
    assert snapshot(project.root) == before


# ----- the unexpected --------------------------------------------------------------------------
def test_an_unexpected_error_writes_a_report_and_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], project: Project,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def boom(args: object) -> int:
        raise RuntimeError("something\nbroke")

    monkeypatch.setattr(cmd_stats, "run", boom)
    code, _, err = run(capsys, "--project", project.root, "stats")
    assert code == EXIT_CRASH == 70
    (line,) = err.splitlines()
    assert line.startswith("annotator: unexpected error: RuntimeError: something broke; "
                           "report written to ")
    assert line.endswith("; your tags are saved")
    (report,) = (tmp_path / "state" / "annotator").iterdir()
    assert str(report) in line
    text = report.read_text()
    assert "Traceback" in text and "RuntimeError: something" in text and "stats" in text


def test_crash_reports_fall_back_to_the_temp_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], project: Project,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from annotator.core import crash

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocked))
    monkeypatch.setenv("HOME", str(blocked))
    monkeypatch.setattr(crash.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    monkeypatch.setattr(cmd_stats, "run", lambda args: 1 / 0)
    code, _, err = run(capsys, "--project", project.root, "stats")
    assert code == 70 and "ZeroDivisionError" in err
    assert len(list((tmp_path / "tmp" / "annotator").iterdir())) == 1


def test_a_disk_error_is_a_message_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], project: Project
) -> None:
    (project.root / "corpus").rename(project.root / "moved")
    (project.root / "corpus").write_text("a file where a folder should be")
    source = tmp_path / "a.txt"
    source.write_text("Fresh news\n\nSomething happened.\n")
    code, _, err = run(capsys, "--project", project.root, "import", source)
    assert code == 1 and "File exists" in err and "unexpected" not in err
