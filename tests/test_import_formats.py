"""`annotator import`: JSON Lines articles, doccano and Label Studio exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.annotation_file import AnnotationDoc
from annotator.core.article import read_article
from annotator.core.project import Project
from annotator.core.tags import SentenceTags

ARTICLE = "Sochi talks end\n\nLavrov said the meeting was useful. Pompeo disagreed sharply.\n"


def run(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--project", str(project.root), "import", *args])
    out, err = capsys.readouterr()
    return code, out, err


def ids(project: Project) -> list[str]:
    """The corpus as it is on disk now (a Project caches its article list)."""
    return Project(project.root).corpus.ids()


def T(speakers: tuple[str, ...] = (), claim: str | None = None, topics: tuple[str, ...] = (),
      **meta: object) -> SentenceTags:
    """Tags in the bundled test layers (tests/factories.LABELS)."""
    return SentenceTags.of(speakers=speakers, claim=claim, topics=topics, **meta)


def jsonl(path: Path, *rows: object) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)
                              for r in rows) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- articles


def test_good_lines_import_and_bad_lines_are_named(project: Project, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    source = jsonl(
        tmp_path / "scraped.jsonl",
        {"text": ARTICLE, "id": "sochi-1", "title": "Sochi", "published": "May 15, 2019",
         "url": "https://example.org/sochi", "source": "Example News", "author": "A. Writer",
         "tags": ["nested", "dropped"]},
        '{"text": "broken json"',
        {"title": "no text here"},
        {"text": 42},
        {"text": "   "},
        [1, 2],
        "",
        {"text": "Second story\n\nThe Kremlin said nothing today.\n", "id": "Weird ID/../x"},
    )
    before = len(project.corpus.ids())
    code, out, err = run(project, capsys, str(source))
    assert code == 1
    assert f"{source}:2: not valid JSON" in err
    assert f"{source}:3: missing \"text\"" in err
    assert f"{source}:4: \"text\" must be a string, not int" in err
    assert f"{source}:5: empty article" in err
    assert f"{source}:6: each line must be a JSON object" in err
    assert "Imported 2 article(s)" in out
    assert len(ids(project)) == before + 2
    article = read_article(project.corpus.path_of("sochi-1"))
    assert (article.title, article.published, article.url, article.source) == (
        "Sochi", "2019-05-15", "https://example.org/sochi", "Example News")
    assert article.text == ARTICLE and article.extra == {"author": "A. Writer"}
    assert "weird-id-x" in ids(project)  # an unsafe id becomes a safe one


def test_duplicates_are_refused_whatever_the_id(project: Project, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    existing = project.corpus.load(project.corpus.ids()[0])
    source = jsonl(tmp_path / "dups.jsonl",
                   {"text": ARTICLE, "id": "first"},
                   {"text": ARTICLE, "id": "second"},
                   {"text": "Another story\n\nSomething else happened.\n", "id": "first"},
                   {"text": existing.text})
    code, _out, err = run(project, capsys, str(source))
    assert code == 1
    assert f"{source}:2: this text is already in the corpus as first" in err
    assert f"{source}:3: id 'first' is already used by another article" in err
    assert f"{source}:4: this text is already in the corpus as {existing.id}" in err
    assert "first" in ids(project) and "second" not in ids(project)


def test_plain_text_and_markdown_still_import(project: Project, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.md").write_text("# Heading\n\nSome prose here.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    code, out, _ = run(project, capsys, str(tmp_path / "a.md"), str(tmp_path / "b.txt"))
    assert code == 0 and "Imported 2 article(s)" in out


def test_dry_run_checks_lines_and_writes_nothing(project: Project, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    source = jsonl(tmp_path / "a.jsonl", {"text": ARTICLE}, {"nope": 1})
    code, out, err = run(project, capsys, str(source), "--dry-run")
    assert code == 1 and "Would import 1 article(s)" in out and ":2: missing" in err
    assert len(ids(project)) == 2


def test_a_doccano_file_is_not_mistaken_for_articles(project: Project, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    source = jsonl(tmp_path / "export.jsonl", {"id": 1, "text": "x y z.", "label": ["fact"]})
    code, _, err = run(project, capsys, str(source))
    assert code == 2 and "--format doccano" in err


# --------------------------------------------------------------------------- doccano


def test_doccano_classification_and_spans_map_to_claim_and_topics(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = project.corpus.load(project.corpus.ids()[0])
    sentence = first.sentences[4].text  # "Lavrov called for better ties."
    source = jsonl(
        tmp_path / "doccano.jsonl",
        # a sentence of the corpus, classified (names matched by display name or id)
        {"id": 1, "text": sentence, "label": ["Opinion", "DIPLOMACY", "Sergei Lavrov",
                                              "Sentiment:positive"]},
        # the whole article, span labels
        {"id": 2, "text": first.text, "label": [
            [first.spans[2][0], first.spans[2][0] + 10, "fact"],
            [first.spans[3][0], first.spans[3][1], "elections"]]},
        # a new text, one sentence: imported as an article
        {"id": 3, "text": "The Kremlin denied everything.", "label": ["warning"]},
        # a new multi-sentence text with only a document label: not spread, reported
        {"id": 4, "text": "New story here. It has two sentences.", "label": ["fact"]},
        # offsets outside the text: refused
        {"id": 5, "text": "Short.", "label": [[0, 99, "fact"]]},
        # recent doccano: entities
        {"id": 6, "text": first.sentences[5].text,
         "entities": [{"id": 9, "start_offset": 0, "end_offset": 11, "label": "sanctions"}]},
    )
    code, out, err = run(project, capsys, "--format", "doccano", str(source),
                         "--annotator", "dana")
    assert code == 1
    assert f"{source}:5: span 0-99 ('fact') is outside its text" in err
    tags = project.store.load("dana", first.id).tags
    assert tags[4] == T(("lavrov",), "opinion", ("diplomacy",))
    assert tags[2].first("claim") == "fact" and tags[3].get("topics") == ("elections",)
    assert tags[5].get("topics") == ("sanctions",)
    assert "Sentiment:positive" in out and "not among the claim, topics or speakers labels" in out
    assert "label on a whole multi-sentence text" in out
    new_ids = [i for i in ids(project) if i.startswith("the-kremlin-denied")]
    assert len(new_ids) == 1
    assert project.store.load("dana", new_ids[0]).tags[0].first("claim") == "warning"
    assert not any(i.startswith("new-story-here") for i in ids(project))


def test_a_round_trip_through_doccano_keeps_the_place(project: Project, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    article = project.corpus.load(project.corpus.ids()[1])
    project.store.save(AnnotationDoc(article.id, "alice", {2: T(claim="fact")}),
                       article)
    main(["--project", str(project.root), "export", "-o", str(tmp_path / "out.jsonl")])
    capsys.readouterr()
    record = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    record["label"] = ["Opinion"]  # what a doccano reviewer decided
    source = jsonl(tmp_path / "back.jsonl", record)
    code, out, _ = run(project, capsys, "--format", "doccano", str(source), "--annotator", "eve")
    assert code == 0 and "sentence (export ids)" in out
    assert project.store.load("eve", article.id).tags == {2: T(claim="opinion")}


def test_an_ambiguous_sentence_is_not_guessed(project: Project, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from annotator.core.importer import build_article

    for title in ("One", "Two"):
        project.corpus.write(build_article(f"{title} title\n\nThe talks failed.\n"))
    source = jsonl(tmp_path / "d.jsonl", {"text": "The talks failed.", "label": ["fact"]})
    code, _, err = run(project, capsys, "--format", "doccano", str(source), "--annotator", "x")
    assert code == 1 and "is a sentence of 2 articles" in err


def test_tag_imports_respect_existing_work(project: Project, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    article = project.corpus.load(project.corpus.ids()[1])
    project.store.save(AnnotationDoc(article.id, "dana", {0: T(claim="fact")}),
                       article)
    source = jsonl(tmp_path / "d.jsonl", {"text": article.sentences[2].text, "label": ["warning"]})
    code, _, err = run(project, capsys, "--format", "doccano", str(source), "--annotator", "dana")
    assert code == 1 and "dana already has 1 tagged sentence(s)" in err
    code, _, _ = run(project, capsys, "--format", "doccano", str(source), "--annotator", "dana",
                     "--merge")
    assert code == 0
    assert project.store.load("dana", article.id).tags == {
        0: T(claim="fact"), 2: T(claim="warning")}


def test_tag_imports_need_an_annotator(project: Project, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    source = jsonl(tmp_path / "d.jsonl", {"text": "x.", "label": []})
    code, _, err = run(project, capsys, "--format", "doccano", str(source))
    assert code == 2 and "--annotator NAME" in err


# --------------------------------------------------------------------------- Label Studio


def label_studio_export(first_text: str, sentence: str) -> list[dict]:
    return [
        {"id": 11, "data": {"text": sentence}, "annotations": [
            {"id": 1, "completed_by": 1, "was_cancelled": False, "result": [
                {"id": "a", "type": "choices", "from_name": "claim", "to_name": "text",
                 "value": {"choices": ["Warning"]}},
                {"id": "b", "type": "choices", "from_name": "topics", "to_name": "text",
                 "value": {"choices": ["Sanctions", "Diplomacy"]}},
                {"id": "c", "type": "choices", "from_name": "tone", "to_name": "text",
                 "value": {"choices": ["Angry"]}},
                {"id": "d", "type": "rating", "from_name": "stars", "to_name": "text",
                 "value": {"rating": 4}},
            ]},
            {"id": 2, "completed_by": 2, "was_cancelled": False, "result": []},
        ], "predictions": [{"result": [{"type": "choices", "from_name": "claim",
                                        "value": {"choices": ["Fact"]}}]}]},
        {"id": 12, "data": {"text": first_text}, "annotations": [
            {"id": 3, "completed_by": 1, "was_cancelled": True, "result": [
                {"type": "choices", "from_name": "claim", "value": {"choices": ["Fact"]}}]},
            {"id": 4, "completed_by": 1, "result": [
                {"type": "labels", "from_name": "speakers", "to_name": "text",
                 "value": {"start": 0, "end": 6, "text": "Pompeo", "labels": ["Mr Pompeo"]}},
                {"type": "labels", "from_name": "label", "to_name": "text",
                 "value": {"start": 0, "end": 6, "labels": ["Fact"]}},
            ]},
        ]},
        {"id": 13, "data": {"image": "cat.jpg"}, "annotations": []},
    ]


def test_label_studio_choices_and_spans(project: Project, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    first, second = (project.corpus.load(i) for i in project.corpus.ids())
    source = tmp_path / "ls.json"
    source.write_text(json.dumps(label_studio_export(first.text, second.sentences[1].text)),
                      encoding="utf-8")
    code, out, err = run(project, capsys, "--format", "labelstudio", str(source),
                         "--annotator", "lena")
    assert code == 2 and "2 annotators (user-1, user-2)" in err  # each is imported as itself
    code, out, err = run(project, capsys, "--format", "labelstudio", str(source))
    assert code == 1 and f"{source}: task 13: no text under 'text' (its keys: image)" in err
    assert "--text-key" in err
    tags = project.store.load("user-1", second.id).tags
    assert {i: t.with_spans(()) for i, t in tags.items()} == {
        1: T(claim="warning", topics=("sanctions", "diplomacy"))}
    tags = project.store.load("user-1", first.id).tags  # the cancelled annotation: not used
    assert {i: t.with_spans(()) for i, t in tags.items()} == {0: T(("pompeo",), "fact")}
    assert tags[0].spans == (("claim", "fact", 0, 6), ("speakers", "pompeo", 0, 6))
    assert "Angry" in out and "(rating result)" in out
    assert not project.store.load("user-2", second.id).tags  # its result was empty


def test_label_studio_auto_detected_and_bad_json_reported(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "ls.json"
    source.write_text('[{"id": 1, "data": {"text": "x"}', encoding="utf-8")
    code, _, err = run(project, capsys, str(source), "--annotator", "lena")
    assert code == 1 and f"{source}:1:" in err and "not valid JSON" in err
