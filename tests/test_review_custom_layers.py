"""Review and agreement on layers no code knows: labels.yaml declares them, nothing else.

tests/factories.LAYERED_LABELS adds `stance` (single; keys + - =) and `quote` (multi;
picker key Q, already upper case, so its take prefix falls back to another letter) to the
bundled layers; a second project declares layers with ids never seen anywhere
(`sentiment`, `aspects`, `brand`). Settling by key, by majority and by the palette, and
`annotator agree`, must work on both with no code change.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.agreement import alpha_result, krippendorff_alpha, masi_distance
from annotator.core.annotation_file import read_doc
from annotator.core.project import Project
from annotator.core.review import AGREED, DISPUTED, ReviewSession
from annotator.core.review_actions import layer_prefixes
from annotator.core.tags import SentenceTags
from annotator.tui.review.app import make_review_app
from annotator.tui.review.comparison import ComparisonPanel
from annotator.tui.review.keymap import review_help_sections, review_keymap
from tests.factories import LAYERED_LABELS, make_project
from tests.test_review import snapshot, tag
from tests.test_tui_support import wait_for

# ARTICLE_A: 0 headline, 1 date line, 2-5 prose.
# 2: stance disputed (alice for, bob against); claim and quote agreed
# 3: quote disputed (alice direct+partial, bob indirect); claim and stance agreed
# 4: all agree
LAYERED_PLAN: dict[str, dict[int, dict[str, tuple[str, ...]]]] = {
    "alice": {2: {"claim": ("fact",), "stance": ("for",), "quote": ("direct",)},
              3: {"claim": ("opinion",), "stance": ("neutral",),
                  "quote": ("direct", "partial")},
              4: {"speakers": ("lavrov",), "stance": ("for",), "topics": ("sanctions",)}},
    "bob": {2: {"claim": ("fact",), "stance": ("against",), "quote": ("direct",)},
            3: {"claim": ("opinion",), "stance": ("neutral",), "quote": ("indirect",)},
            4: {"speakers": ("lavrov",), "stance": ("for",), "topics": ("sanctions",)}},
}
# A third annotator makes majorities: stance against (bob, carol), quote indirect (bob,
# carol); the claim of sentence 3 becomes a dispute (fact vs opinion, opinion wins).
CAROL = {2: {"claim": ("fact",), "stance": ("against",), "quote": ("direct",)},
         3: {"claim": ("fact",), "stance": ("neutral",), "quote": ("indirect",)},
         4: {"speakers": ("lavrov",), "stance": ("for",), "topics": ("sanctions",)}}

# Layers with ids no code has ever seen, of every kind.
UNSEEN_LABELS = """\
version: 2
layers:
  - id: brand
    title: Brand
    kind: entity
    key: b
    colour: cyan
    labels:
      - {id: acme, name: Acme, aliases: [ACME Corp]}
      - {id: globex, name: Globex}
  - id: sentiment
    title: Sentiment
    kind: single
    key: z
    colour: red
    labels:
      - {id: positive, name: Positive, key: "+"}
      - {id: negative, name: Negative, key: "-"}
      - {id: mixed, name: Mixed}
  - id: aspects
    title: Aspects
    kind: multi
    key: y
    colour: blue
    labels:
      - {id: price, name: Price}
      - {id: service, name: Service}
"""
UNSEEN_PLAN = {
    "ann1": {2: {"brand": ("acme",), "sentiment": ("positive",), "aspects": ("price",)},
             3: {"brand": ("acme", "globex"), "sentiment": ("mixed",),
                 "aspects": ("price", "service")},
             4: {"sentiment": ("negative",), "aspects": ("service",)}},
    "ann2": {2: {"brand": ("acme",), "sentiment": ("negative",), "aspects": ("price",)},
             3: {"brand": ("acme",), "sentiment": ("mixed",), "aspects": ("service",)},
             4: {"sentiment": ("negative",), "aspects": ("service",)}},
}


@pytest.fixture(autouse=True)
def _never_open_the_editor(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(args: object) -> int:
        raise AssertionError(f"main() opened the editor for {args}")

    monkeypatch.setattr("annotator.cli.cmd_tui.run", refuse)


def layered(tmp_path: Path, plan: dict, labels: str = LAYERED_LABELS) -> tuple[Project, str]:
    project = make_project(tmp_path / "layered", labels=labels)
    article_id = project.corpus.ids()[0]
    for annotator, sentences in plan.items():
        tag(project, annotator, article_id, sentences)
    return project, article_id


def gold(project: Project, article_id: str) -> dict[int, SentenceTags]:
    path = project.store.path("gold", article_id)
    return read_doc(path).tags if path.exists() else {}


def agree_json(project: Project, capsys: pytest.CaptureFixture[str]) -> dict:
    code = main(["agree", "--project", str(project.root), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def panel_text(app) -> str:
    panel = app.screen.query_one(ComparisonPanel)
    return " ".join(" ".join(panel.plain_lines).split())


# --------------------------------------------------------------------------- core


def test_take_one_declared_layer_fills_it_and_the_agreed_layers(tmp_path: Path) -> None:
    project, article_id = layered(tmp_path, LAYERED_PLAN)
    review = ReviewSession(project)
    review.open_article(article_id)
    layers = review.comparison(2).layers
    assert list(layers) == ["speakers", "claim", "stance", "quote", "topics"]  # file order
    assert layers["stance"].status == DISPUTED and layers["quote"].status == AGREED
    outcome = review.take(2, "stance", index=2)  # bob's stance
    assert outcome.message == "Took bob's stance (and the agreed claim, quote type)"
    on_disk = gold(project, article_id)[2]
    assert on_disk.layers == {"claim": ("fact",), "stance": ("against",), "quote": ("direct",)}
    assert (on_disk.agrees_with, on_disk.overrules) == (("bob",), ("alice",))
    # Once gold has a decision, taking a layer changes that layer only.
    review.take("alice", "stance", index=2)
    assert gold(project, article_id)[2].layers == {
        "claim": ("fact",), "stance": ("for",), "quote": ("direct",)}
    review.take(1, "quote", index=3)
    assert gold(project, article_id)[3].layers == {
        "claim": ("opinion",), "stance": ("neutral",), "quote": ("direct", "partial")}
    review.close()
    text = project.store.path("gold", article_id).read_text()
    assert "stance: for" in text and "quote: [direct, partial]" in text  # as declared


def test_majority_on_declared_layers_with_three_annotators(tmp_path: Path) -> None:
    project, article_id = layered(tmp_path, {**LAYERED_PLAN, "carol": CAROL})
    review = ReviewSession(project)
    review.open_article(article_id)
    review.goto(2)
    assert review.take_majority().message == "Majority taken"
    on_disk = gold(project, article_id)[2]
    assert on_disk.layers == {"claim": ("fact",), "stance": ("against",), "quote": ("direct",)}
    assert on_disk.agrees_with == ("bob", "carol") and on_disk.overrules == ("alice",)
    outcome = review.settle_article()  # 3 by majority, 4 all agree
    assert sorted(e.index for e in outcome.edits) == [3, 4]
    on_disk = gold(project, article_id)
    assert on_disk[3].layers == {"claim": ("opinion",), "stance": ("neutral",),
                                 "quote": ("indirect",)}
    assert on_disk[4].get("stance") == ("for",)
    review.close()


def test_a_tie_on_a_declared_layer_names_its_prefix(tmp_path: Path) -> None:
    project, article_id = layered(tmp_path, LAYERED_PLAN)
    review = ReviewSession(project)
    review.open_article(article_id)
    review.goto(3)
    outcome = review.take_majority()
    assert outcome.warning and [t.layer for t in outcome.ties] == ["quote"]
    assert "quote type tied: direct+partial (alice) vs indirect (bob)" in outcome.message
    assert "Take a side (U then N)" in outcome.message  # quote's fallback prefix
    assert 3 not in gold(project, article_id)
    review.close()


def test_prefix_keys_follow_the_picker_keys_and_fall_back_when_taken(tmp_path: Path) -> None:
    schema = make_project(tmp_path / "p", labels=LAYERED_LABELS).schema
    prefixes = layer_prefixes(schema.layers, schema.quick_keys())
    assert {layer: p.key for layer, p in prefixes.items()} == {
        "speakers": "S", "claim": "C", "stance": "V", "quote": "U", "topics": "T"}
    assert prefixes["quote"].fallback and "Q is already its picker key" in prefixes["quote"].reason
    # A picker key that review itself uses (m: majority; M: the whole article's majority).
    renamed = LAYERED_LABELS.replace("key: v\n", "key: m\n")
    schema = make_project(tmp_path / "q", labels=renamed).schema
    stance = layer_prefixes(schema.layers, schema.quick_keys())["stance"]
    assert (stance.natural, stance.key) == ("M", "E")  # S, T: other layers; A: accept
    assert stance.reason == "M is settle article in review"
    help_rows = {row.description: row.keys for _, rows in
                 review_help_sections(schema, ("alice", "bob"), False) for row in rows}
    assert help_rows["Stance… (m is majority in review: use ctrl+p)"] == ""
    assert help_rows["Then N: take annotator N's stance (not M: M is settle article in "
                     "review)"] == "E"


def test_agree_json_measures_each_declared_layer_by_its_kind(tmp_path: Path, capsys) -> None:
    project, _ = layered(tmp_path, {**LAYERED_PLAN, "carol": CAROL})
    data = agree_json(project, capsys)
    assert data["layers"] == ["speakers", "claim", "stance", "quote", "topics"]
    stance = data["stance"]
    assert stance["kind"] == "single" and stance["distance"] == "nominal"
    # Sentence 2: for / against / against; 3: neutral x3; 4: for x3 -> 7 of 9 pairs agree.
    assert stance["observed_agreement"] == {"value": round(7 / 9, 4), "units": 3, "pairs": 9}
    rows = [("for", "against", "against"), ("neutral",) * 3, ("for",) * 3]
    assert stance["alpha"]["value"] == round(krippendorff_alpha(rows), 4)
    assert [(k["a"], k["b"]) for k in stance["kappa"]] == [
        ("alice", "bob"), ("alice", "carol"), ("bob", "carol")]
    assert all(k["units"] == 3 for k in stance["kappa"])
    assert ["against", "for", 2] in stance["disagreements"]
    quote = data["quote"]
    assert quote["kind"] == "multi"
    # Sentence 2: {direct} x3; 3: {direct, partial}, {indirect}, {indirect}; 4: {} x3.
    assert quote["exact_match"] == {"value": round(7 / 9, 4), "units": 3, "pairs": 9}
    per_label = {item["label"]: item for item in quote["per_label"]}
    assert list(per_label) == ["direct", "indirect", "partial"]  # labels.yaml order
    values = [("direct",) * 3, (("direct", "partial"), ("indirect",), ("indirect",)), ((),) * 3]
    for label, item in per_label.items():
        presence = [[label in (v if isinstance(v, tuple) else (v,)) for v in row]
                    for row in values]
        expected = alpha_result(presence)
        assert item["alpha"]["value"] == (None if expected.alpha is None
                                          else round(expected.alpha, 4))
        assert item["in_schema"] and item["alpha"]["units"] == 3
    assert quote["macro_alpha"]["labels"] == sum(
        1 for item in per_label.values() if item["alpha"]["value"] is not None)
    assert data["speakers"]["kind"] == "entity" and data["speakers"]["distance"] == "MASI"
    assert data["unknown_labels"] == []


def test_agree_table_titles_each_declared_layer(tmp_path: Path, capsys) -> None:
    project, _ = layered(tmp_path, LAYERED_PLAN)
    code = main(["agree", "--project", str(project.root)])
    out, _ = capsys.readouterr()
    assert code == 0
    assert "Stance (one label per sentence; nominal)" in out
    assert "Quote type (each label present or absent; nominal)" in out
    assert "alpha: partial" in out


def test_layer_ids_never_seen_before(tmp_path: Path, capsys) -> None:
    project, article_id = layered(tmp_path, UNSEEN_PLAN, UNSEEN_LABELS)
    review = ReviewSession(project)
    review.open_article(article_id)
    assert review.status(2) == DISPUTED and review.status(4) == AGREED
    review.take(1, "sentiment", index=2)
    assert gold(project, article_id)[2].layers == {
        "brand": ("acme",), "sentiment": ("positive",), "aspects": ("price",)}
    review.goto(3)
    outcome = review.take_majority()  # 1 vs 1 on brand and aspects: ties
    assert {t.layer for t in outcome.ties} == {"brand", "aspects"}
    assert "Take a side (B/Y then N)" in outcome.message
    review.close()
    data = agree_json(project, capsys)
    assert data["layers"] == ["brand", "sentiment", "aspects"]
    assert data["brand"]["kind"] == "entity" and data["brand"]["distance"] == "MASI"
    rows = [[frozenset({"acme"})] * 2, [frozenset({"acme", "globex"}), frozenset({"acme"})],
            [frozenset()] * 2]
    assert data["brand"]["alpha"]["value"] == round(krippendorff_alpha(rows, masi_distance), 4)
    assert data["sentiment"]["kind"] == "single" and len(data["sentiment"]["kappa"]) == 1
    assert [item["label"] for item in data["aspects"]["per_label"]] == ["price", "service"]
    assert data["excluded"] == {"gold": "a review folder (its sentences record "
                                        "agrees_with/overrules)"}


def test_a_layer_labels_yaml_does_not_declare_is_shown_not_hidden(tmp_path: Path,
                                                                  capsys) -> None:
    """A file holding a layer the project does not declare (say, one removed from
    labels.yaml): review compares it and marks its labels, agree lists them."""
    project, article_id = layered(tmp_path, LAYERED_PLAN)
    path = project.store.path("bob", article_id)
    path.write_text(path.read_text().replace("  stance: against\n",
                                             "  stance: against\n  mood: [calm]\n"))
    review = ReviewSession(project)
    review.open_article(article_id)
    assert review.comparison(2).layers["mood"].status == DISPUTED
    assert "labels not in labels.yaml: mood 'calm'" in "\n".join(review.notices)
    review.close()
    data = agree_json(project, capsys)
    assert "mood" not in data["layers"]
    assert data["unknown_labels"] == [
        {"annotator": "bob", "layer": "mood", "label": "calm", "sentences": 1}]


# --------------------------------------------------------------------------- the TUI


async def test_take_a_declared_layer_and_majority_with_keys(tmp_path: Path) -> None:
    project, article_id = layered(tmp_path, {**LAYERED_PLAN, "carol": CAROL})
    app = make_review_app(project)
    async with app.run_test(size=(100, 30)) as pilot:
        review = app.review
        await pilot.press("space")  # the first unsettled dispute
        assert review.cursor == 2
        assert "disputed (stance)" in panel_text(app)
        assert "Stance" in panel_text(app) and "Quote type" in panel_text(app)
        await pilot.press("V")
        assert "stance from annotator: 1-3" in panel_text(app)
        await pilot.press("1")  # alice's stance, and the agreed claim and quote
        assert gold(project, article_id)[2].layers == {
            "claim": ("fact",), "stance": ("for",), "quote": ("direct",)}
        await pilot.press("m")  # the majority says against (bob, carol)
        assert gold(project, article_id)[2].get("stance") == ("against",)
        assert gold(project, article_id)[2].agrees_with == ("bob", "carol")
        await pilot.press("space")
        assert review.cursor == 3
        await pilot.press("U", "1")  # quote's prefix (Q opens the quote picker)
        assert 3 not in gold(project, article_id)  # claim is disputed too: held, not written
        assert "Not in gold yet · open: claim (C)" in panel_text(app)
        await pilot.press("C", "2")  # bob's claim: every layer decided, gold has it
        assert gold(project, article_id)[3].layers == {
            "claim": ("opinion",), "stance": ("neutral",), "quote": ("direct", "partial")}
        await pilot.press("plus")  # stance quick key, on gold by hand
        assert gold(project, article_id)[3].get("stance") == ("for",)
        await pilot.press("u", "u")
        assert 3 not in gold(project, article_id)
        await pilot.press("m")
        assert gold(project, article_id)[3].layers == {
            "claim": ("opinion",), "stance": ("neutral",), "quote": ("indirect",)}
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "ReviewHelpScreen", "help")
        help_text = str(app.screen.query_one("#help-text").render())
        assert "Then N: take annotator N's stance" in help_text
        assert "take annotator N's quote type (Q is already its picker key)" in " ".join(
            help_text.split())
        assert "Stance keys (again: clear)" in help_text
        await pilot.press("escape")
        await pilot.press("q")
    text = project.store.path("gold", article_id).read_text()
    assert "stance: against" in text and "quote: [indirect]" in text


async def test_a_declared_layer_take_can_be_rebound(tmp_path: Path) -> None:
    """keys.yaml names a layer's take by its id (take_<layer id>), like its picker."""
    project, article_id = layered(tmp_path, LAYERED_PLAN)
    keymap = review_keymap({"take_stance": "W", "pick_stance": "F"}, project.schema)
    assert keymap == {"review.take_stance": "W", "review.pick_stance": "F"}
    app = make_review_app(project, keymap=keymap)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "W", "2")
        assert gold(project, article_id)[2].get("stance") == ("against",)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "ReviewHelpScreen", "help")
        help_text = " ".join(str(app.screen.query_one("#help-text").render()).split())
        assert "W Then N: take annotator N's stance" in help_text


async def test_unseen_layers_in_the_tui_and_the_palette(tmp_path: Path) -> None:
    project, article_id = layered(tmp_path, UNSEEN_PLAN, UNSEEN_LABELS)
    app = make_review_app(project)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        assert app.review.cursor == 2
        await pilot.press("Z", "2")  # sentiment: its picker key z, upper-cased
        assert gold(project, article_id)[2].get("sentiment") == ("negative",)
        await pilot.press("j")
        await pilot.press("ctrl+p")
        await pilot.press(*"take ann2's aspects")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert 3 not in gold(project, article_id)  # brand is disputed too: held
        assert "Not in gold yet · open: brand" in panel_text(app)
        await pilot.press("ctrl+p")
        await pilot.press(*"take ann1's brand")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert gold(project, article_id)[3].layers == {
            "brand": ("acme", "globex"), "sentiment": ("mixed",), "aspects": ("service",)}


async def test_read_only_review_of_declared_layers_writes_nothing(tmp_path: Path) -> None:
    project, _ = layered(tmp_path, LAYERED_PLAN)
    before = snapshot(project.annotations_dir)
    app = make_review_app(project, annotators=["bob"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "V", "1", "U", "1", "plus", "v", "m")
        assert len(app.screen_stack) == 1  # no picker opened
        await pilot.press("q")
    assert snapshot(project.annotations_dir) == before
