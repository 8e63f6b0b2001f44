"""`annotator agree` as a user runs it: figures, JSON shape, edge cases, bad input."""

from __future__ import annotations

import json

import pytest

from annotator.cli import main
from annotator.core.project import Project
from annotator.core.review import ReviewSession
from tests.test_review import PLAN, tag, tag_plan


@pytest.fixture(autouse=True)
def _never_open_the_editor(monkeypatch: pytest.MonkeyPatch) -> None:
    """If `agree` were ever parsed as no command, main() would open the editor and wait for
    keys forever: fail at once instead of hanging the suite."""
    def refuse(args: object) -> int:
        raise AssertionError(f"main() opened the editor for {args}")

    monkeypatch.setattr("annotator.cli.cmd_tui.run", refuse)


def agree(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["agree", "--project", str(project.root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def words(text: str) -> str:
    """Rich wraps long lines at the console width: compare text, not line breaks."""
    return " ".join(text.split())


def agree_json(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    code, out, err = agree(project, capsys, "--format", "json", *args)
    assert code == 0, err
    return json.loads(out)


def test_table_shows_each_layer_with_its_basis(project: Project, capsys) -> None:
    tag_plan(project)
    code, out, err = agree(project, capsys)
    assert code == 0, err
    assert "Agreement between alice, bob, carol" in out
    for line in ("observed agreement", "Krippendorff's alpha", "Cohen's kappa alice / bob",
                 "Cohen's kappa bob / carol", "exact-match agreement", "(MASI)",
                 "alpha: elections", "macro-average alpha", "Most frequent disagreements"):
        assert line in out, line
    # Sentences 2, 3, 4 have two or more annotators: the claim figures rest on 3 sentences.
    claim_row = next(line for line in out.splitlines() if "Krippendorff's alpha " in line
                     and "MASI" not in line)
    assert claim_row.split("│")[-2].strip() == "3"


def test_json_shape_and_values(project: Project, capsys) -> None:
    tag_plan(project)
    data = agree_json(project, capsys)
    assert data["annotators"] == ["alice", "bob", "carol"]
    assert data["units"] == 4 and data["files"] == 3
    claim = data["claim"]
    # Pairs within sentences 2 (fact/opinion/fact), 3 (fact x3), 4 (opinion/warning):
    # 1 + 3 + 0 agreeing of 3 + 3 + 1 pairs.
    assert claim["observed_agreement"] == {"value": round(4 / 7, 4), "units": 3, "pairs": 7}
    assert {(k["a"], k["b"]) for k in claim["kappa"]} == {
        ("alice", "bob"), ("alice", "carol"), ("bob", "carol")}
    assert ["fact", "opinion", 2] in claim["disagreements"]
    assert data["speakers"]["distance"] == "MASI"
    assert [t["label"] for t in data["topics"]["per_label"]] == [
        "elections", "sanctions", "diplomacy"]
    assert data["layers"] == ["speakers", "claim", "topics"]  # labels.yaml order
    assert [data[layer]["kind"] for layer in data["layers"]] == ["entity", "single", "multi"]
    assert set(data) >= {"excluded", "problems", "unknown_labels"}


def test_one_annotator_says_why_there_is_no_figure(project: Project, capsys) -> None:
    tag(project, "alice", project.corpus.ids()[0], PLAN["alice"])
    code, out, _ = agree(project, capsys)
    assert code == 0
    assert "Only one annotator" in out and "n/a (no overlap)" in out
    data = agree_json(project, capsys)
    assert data["claim"]["alpha"] == {"value": None, "units": 0, "values": 0,
                                      "note": "n/a (no overlap)"}


def test_no_overlap(project: Project, capsys) -> None:
    first, second = project.corpus.ids()
    tag(project, "alice", first, {2: ("fact", (), ())})
    tag(project, "bob", second, {1: ("opinion", (), ())})
    data = agree_json(project, capsys)
    assert data["claim"]["alpha"]["note"] == "n/a (no overlap)"
    assert data["claim"]["kappa"][0]["value"] is None
    _, out, _ = agree(project, capsys)
    assert "no sentence was tagged by two annotators" in words(out)


def test_all_agree_alpha_is_undefined_and_explained(project: Project, capsys) -> None:
    same = {2: ("fact", ("pompeo",), ("elections",)), 3: ("fact", ("pompeo",), ("elections",))}
    for name in ("alice", "bob"):
        tag(project, name, project.corpus.ids()[0], same)
    code, out, _ = agree(project, capsys)
    assert code == 0
    assert "n/a (all agree)" in out
    assert "agreement cannot be told apart from chance" in words(out)
    data = agree_json(project, capsys)
    assert data["claim"]["observed_agreement"]["value"] == 1.0
    assert data["claim"]["alpha"]["value"] is None
    assert data["claim"]["alpha"]["note"] == "n/a (all agree)"


def test_label_outside_the_schema_is_counted_and_marked(project: Project, capsys) -> None:
    article_id = tag_plan(project)
    path = project.store.path("bob", article_id)
    path.write_text(path.read_text().replace("claim: opinion", "claim: rumour")
                    .replace("topics: [elections]", "topics: [gossip]"))
    data = agree_json(project, capsys)
    assert {"annotator": "bob", "layer": "claim", "label": "rumour", "sentences": 1} in \
        data["unknown_labels"]
    gossip = next(t for t in data["topics"]["per_label"] if t["label"] == "gossip")
    assert gossip["in_schema"] is False and gossip["used"] == 1
    _, out, _ = agree(project, capsys)
    assert "bob uses claim 'rumour', which is not in labels.yaml" in words(out)
    assert "rumour?" in out and "alpha: gossip ?" in out


def test_review_folders_are_left_out_unless_named(project: Project, capsys) -> None:
    article_id = tag_plan(project)
    review = ReviewSession(project)
    review.open_article(article_id)
    review.settle_article()
    review.close()
    (project.annotations_dir / "idle").mkdir()  # only a lock file, say: not an annotator
    (project.annotations_dir / "idle" / f".{article_id}.lock").write_text("{}")
    data = agree_json(project, capsys)
    assert data["annotators"] == ["alice", "bob", "carol"]
    assert "agrees_with/overrules" in data["excluded"]["gold"]
    assert data["excluded"]["idle"] == "no annotation files"
    data = agree_json(project, capsys, "--annotators", "alice,gold")
    assert data["annotators"] == ["alice", "gold"] and data["excluded"] == {}


def test_unknown_annotator_is_a_usage_error(project: Project, capsys) -> None:
    tag_plan(project)
    code, out, err = agree(project, capsys, "--annotators", "alice,zed")
    assert code == 2 and out == ""
    assert "no annotations by zed (annotators here: alice, bob, carol)" in err


def test_broken_file_is_named_and_exit_is_nonzero(project: Project, capsys) -> None:
    article_id = tag_plan(project)
    path = project.store.path("carol", article_id)
    path.write_text("version: 1\nsentences:\n  - index: [\n")
    code, out, err = agree(project, capsys)
    assert code == 1
    assert "Agreement between alice, bob, carol" in out  # the figures of what could be read
    assert f"{path}:" in err and "(not counted)" in err
    assert path.read_text() == "version: 1\nsentences:\n  - index: [\n"


def test_empty_project_and_broken_labels(project: Project, capsys) -> None:
    code, _, err = agree(project, capsys)
    assert code == 2 and "no annotations to compare" in err
    tag_plan(project)
    project.labels_path.write_text("speakers: [\n")
    code, _, err = agree(project, capsys)
    assert code == 2 and "labels.yaml" in err and "Traceback" not in err


def test_columns_from_the_cache_match_agreement_report(project: Project) -> None:
    """The fast path (cached records -> columns) gives exactly agreement_report's figures,
    not-content sentences, notes alone, unknown labels and missing sentences included."""
    import random

    from annotator.core.agreement import agreement_report
    from annotator.core.annotation_file import AnnotationDoc
    from annotator.core.review_agree import project_agreement
    from annotator.core.tags import SentenceTags

    rng = random.Random(5)
    expected: dict[str, dict[tuple[str, int], SentenceTags]] = {}
    for name in ("ann1", "ann2", "ann3"):
        expected[name] = {}
        for article_id in project.corpus.ids():
            article = project.corpus.load(article_id)
            doc = AnnotationDoc(article_id, name)
            for index in range(len(article.spans)):
                roll = rng.random() if index else 0.2  # sentence 0: not content for all
                if roll < 0.15:
                    continue
                if roll < 0.25:
                    tags = SentenceTags(not_content=True)
                elif roll < 0.3:
                    tags = SentenceTags(note="only a note")
                else:
                    tags = SentenceTags.of(
                        speakers=tuple(rng.sample(["pompeo", "lavrov", "kremlin"],
                                                  rng.randint(0, 2))),
                        claim=rng.choice([None, "fact", "opinion", "rumour"]),
                        topics=tuple(rng.sample(["elections", "sanctions", "gossip"],
                                                rng.randint(0, 2))))
                doc.tags[index] = tags
                if tags.is_tagged:
                    expected[name][(article_id, index)] = tags
            project.store.save(doc, article)
    for _run in range(2):  # the second run reads the cache
        got = project_agreement(project).report.to_dict()
        assert got == agreement_report(expected, project.schema.layers).to_dict()
