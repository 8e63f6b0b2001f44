"""Review in core: comparing annotators, settling into gold with provenance, never writing theirs.

Also holds the helpers the other review/agree test files import (tag_plan, snapshot).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.annotation_file import read_doc
from annotator.core.errors import AnnotatorError, UsageError
from annotator.core.project import Project
from annotator.core.review import (
    AGREED,
    DISPUTED,
    SINGLE,
    UNTAGGED,
    ReviewSession,
    compare,
    majority,
)
from annotator.core.session import AnnotateSession
from annotator.core.tags import SentenceTags

BUNDLED = ("speakers", "claim", "topics")  # the layers of tests/factories.LABELS

# ARTICLE_A (tests/factories.py): 0 headline, 1 date line, 2-5 prose.
# 2: claim disputed (alice, carol: fact; bob: opinion); topics disputed (carol adds one)
# 3: all agree
# 4: claim three-way tie (opinion / warning / -), speakers disputed
# 5: only carol
# A plan entry is (claim, speakers, topics) for brevity, or {layer id: labels} for any layer.
PLAN: dict[str, dict[int, tuple[str | None, tuple[str, ...], tuple[str, ...]]]] = {
    "alice": {2: ("fact", ("pompeo",), ("elections",)), 3: ("fact", ("pompeo",), ()),
              4: ("opinion", ("lavrov",), ("diplomacy",))},
    "bob": {2: ("opinion", ("pompeo",), ("elections",)), 3: ("fact", ("pompeo",), ()),
            4: ("warning", ("lavrov", "kremlin"), ("diplomacy",))},
    "carol": {2: ("fact", ("pompeo",), ("elections", "sanctions")),
              3: ("fact", ("pompeo",), ()), 5: ("fact", ("kremlin",), ())},
}


def tag(project: Project, annotator: str, article_id: str, plan: dict) -> None:
    """Tag sentences through the editor's session: {index: (claim, speakers, topics)} or
    {index: {layer id: labels}}; an entry "not_content" marks the sentence so."""
    session = AnnotateSession(project, annotator)
    session.open_article(article_id)
    for index, entry in plan.items():
        session.goto(index)
        if entry == "not_content":
            session.toggle_not_content()
            continue
        layers = dict(zip(("claim", "speakers", "topics"), entry, strict=True)) \
            if isinstance(entry, tuple) else entry
        for layer, ids in layers.items():
            session.set_labels(layer, ids)
    session.close()


def tag_plan(project: Project, plan: dict | None = None) -> str:
    """Tag the first article per PLAN; returns its id."""
    article_id = project.corpus.ids()[0]
    for annotator, sentences in (plan or PLAN).items():
        tag(project, annotator, article_id, sentences)
    return article_id


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under a folder (dotfiles included) with its bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def gold_on_disk(project: Project, article_id: str,
                 reviewer: str = "gold") -> dict[int, SentenceTags]:
    path = project.store.path(reviewer, article_id)
    return read_doc(path).tags if path.exists() else {}


@pytest.fixture
def review(project: Project):
    article_id = tag_plan(project)
    session = ReviewSession(project)
    session.open_article(article_id)
    yield session
    session.close()


# --------------------------------------------------------------------------- comparing


def test_statuses_per_sentence_and_layer(review: ReviewSession) -> None:
    assert [review.status(i) for i in range(6)] == [
        UNTAGGED, UNTAGGED, DISPUTED, AGREED, DISPUTED, SINGLE]
    layers = review.comparison(2).layers
    assert layers["speakers"].status == AGREED
    assert layers["claim"].status == DISPUTED
    assert layers["topics"].status == DISPUTED
    assert dict(layers["claim"].groups()) == {frozenset({"fact"}): ("alice", "carol"),
                                              frozenset({"opinion"}): ("bob",)}
    # Who said what, in annotator order, untagged annotators included as None.
    assert list(review.comparison(5).tags) == ["alice", "bob", "carol"]
    assert review.comparison(5).tags["alice"] is None


def test_not_content_against_tags_is_a_dispute() -> None:
    result = compare(0, {"a": SentenceTags(not_content=True),
                         "b": SentenceTags.of(claim="fact")}, BUNDLED)
    assert result.status == DISPUTED
    assert result.content_disputed
    assert result.not_content == ("a",)
    assert majority(result).not_content is None  # 1 vs 1: a tie, reported
    assert majority(result).ties[0].layer == "content"


def test_majority_per_layer_and_ties(review: ReviewSession) -> None:
    result = majority(review.comparison(2))
    assert result.complete
    assert result.layers["claim"] == frozenset({"fact"})
    assert result.layers["topics"] == frozenset({"elections"})
    tied = majority(review.comparison(4))
    assert {tie.layer for tie in tied.ties} == {"speakers", "claim"}  # 1 vs 1 each
    assert tied.layers == {"topics": frozenset({"diplomacy"})}


# --------------------------------------------------------------------------- settling


def test_take_annotator_writes_gold_with_provenance(review: ReviewSession,
                                                    project: Project) -> None:
    review.goto(2)
    review.take(2)  # bob
    gold = gold_on_disk(project, review.article.id)[2]
    assert gold.layers == {"claim": ("opinion",), "speakers": ("pompeo",),
                           "topics": ("elections",)}
    assert gold.agrees_with == ("bob",)
    assert gold.overrules == ("alice", "carol")
    review.take("carol", "topics")  # one layer: bob's claim stays
    gold = gold_on_disk(project, review.article.id)[2]
    assert (gold.first("claim"), gold.get("topics")) == ("opinion", ("elections", "sanctions"))
    assert gold.agrees_with == ()  # nobody said exactly this
    assert gold.overrules == ("alice", "bob", "carol")


def test_take_from_an_annotator_who_did_not_tag_is_refused(review: ReviewSession) -> None:
    review.goto(5)
    with pytest.raises(AnnotatorError, match="alice did not tag sentence 6"):
        review.take(1)
    with pytest.raises(AnnotatorError, match="no annotator 7"):
        review.take(7)
    assert not review.is_settled(5)


def test_majority_settles_and_reports_ties(review: ReviewSession, project: Project) -> None:
    review.goto(4)
    outcome = review.take_majority()
    assert outcome.warning and {t.layer for t in outcome.ties} == {"speakers", "claim"}
    assert "claim tied: opinion (alice) vs warning (bob)" in outcome.message
    assert "Left unsettled" in outcome.message and "topics: diplomacy" in outcome.message
    assert not review.is_settled(4) and outcome.edits == []  # a tie is a person's call
    review.take(2, "claim")  # the reviewer takes a side of the claim tie ...
    outcome = review.take_majority()  # ... the speakers are still tied: nothing written
    assert "speakers tied" in outcome.message and outcome.warning
    assert 4 not in gold_on_disk(project, review.article.id)
    assert review.gold_tags(4).layers == {"claim": ("warning",), "topics": ("diplomacy",)}
    assert review.open_layers(4) == ("speakers",) and not review.is_settled(4)
    outcome = review.take(1, "speakers")  # the last open layer: now gold has it all
    gold = gold_on_disk(project, review.article.id)[4]
    assert gold.layers == {"speakers": ("lavrov",), "claim": ("warning",),
                           "topics": ("diplomacy",)}
    assert review.is_settled(4) and not outcome.warning
    review.goto(2)
    assert review.take_majority().message == "Majority taken"
    assert gold_on_disk(project, review.article.id)[2].agrees_with == ("alice",)


def test_hand_edit_recomputes_provenance(review: ReviewSession, project: Project) -> None:
    review.goto(3)
    review.take(1)
    assert gold_on_disk(project, review.article.id)[3].agrees_with == ("alice", "bob", "carol")
    review.gold.toggle_label("claim", "opinion")  # the command the claim quick key runs
    gold = gold_on_disk(project, review.article.id)[3]
    assert gold.first("claim") == "opinion"
    assert gold.agrees_with == () and gold.overrules == ("alice", "bob", "carol")
    review.gold.clear()
    assert 3 not in gold_on_disk(project, review.article.id)


def test_undo_redo_restore_gold_and_provenance(review: ReviewSession, project: Project) -> None:
    review.goto(2)
    review.take(2)
    review.take_majority()
    review.undo()
    assert gold_on_disk(project, review.article.id)[2].agrees_with == ("bob",)
    review.undo()
    assert not project.store.path("gold", review.article.id).exists() or \
        2 not in gold_on_disk(project, review.article.id)
    review.redo()
    assert gold_on_disk(project, review.article.id)[2].first("claim") == "opinion"


def test_settle_article_is_one_undo_step(review: ReviewSession, project: Project) -> None:
    outcome = review.settle_article()
    # 2 (majority) and 3 (all agree) settled; 4 tied; 5 has one annotator only.
    assert sorted(e.index for e in outcome.edits) == [2, 3]
    assert "1 tied" in outcome.message and "1 tagged by one annotator only" in outcome.message
    assert sorted(gold_on_disk(project, review.article.id)) == [2, 3]
    assert review.summary().settled == 1 and review.summary().disputed == 2
    undone = review.undo()
    assert len(undone) == 2
    assert gold_on_disk(project, review.article.id) == {}
    assert len(review.redo()) == 2
    assert sorted(gold_on_disk(project, review.article.id)) == [2, 3]


def test_summaries_from_memory_and_from_disk_agree(review: ReviewSession, project: Project) -> None:
    review.goto(2)
    review.take(1)
    expected = review.summary()
    assert (expected.disputed, expected.settled, expected.single, expected.agreed) == (2, 1, 1, 1)
    fresh = ReviewSession(project, annotators=["alice", "bob", "carol"])
    assert fresh.article_summary(review.article.id) == expected
    assert fresh.all_summaries()[review.article.id] == expected
    other = project.corpus.ids()[1]
    assert fresh.article_summary(other).disputed == 0


def test_review_never_writes_annotators_files(project: Project) -> None:
    article_id = tag_plan(project)
    theirs = {name: snapshot(project.annotations_dir / name) for name in PLAN}
    review = ReviewSession(project)
    review.open_article(article_id)
    review.settle_article()
    review.goto(4)
    review.take(1)
    review.gold.set_note("checked with the lead")
    review.close()
    for name, files in theirs.items():
        assert snapshot(project.annotations_dir / name) == files


# --------------------------------------------------------------------------- read-only


def test_one_annotator_is_read_only_and_writes_nothing(project: Project) -> None:
    article_id = tag_plan(project)
    before = snapshot(project.annotations_dir)
    review = ReviewSession(project, annotators=["bob"])
    assert review.read_only
    review.open_article(article_id)
    review.goto(2)
    assert review.comparison().status == SINGLE
    with pytest.raises(AnnotatorError, match="read-only"):
        review.take(1)
    with pytest.raises(AnnotatorError, match="read-only"):
        review.take_majority()
    with pytest.raises(AnnotatorError, match="read-only"):
        review.gold.toggle_label("claim", "fact")
    with pytest.raises(AnnotatorError, match="read-only"):
        review.settle_article()
    review.close()
    assert snapshot(project.annotations_dir) == before  # byte-identical, no lock, no gold


# --------------------------------------------------------------------------- choosing whom


def test_default_annotators_exclude_the_reviewer(project: Project) -> None:
    article_id = tag_plan(project)
    tag(project, "gold", article_id, {3: ("fact", (), ())})
    (project.annotations_dir / "idle").mkdir()  # a folder with no annotation file yet
    (project.annotations_dir / "idle" / f".{article_id}.lock").write_text("{}")
    assert ReviewSession(project).annotators == ("alice", "bob", "carol")
    assert ReviewSession(project, "lead").annotators == ("alice", "bob", "carol", "gold")


def test_bad_annotator_choices_are_refused(project: Project) -> None:
    with pytest.raises(UsageError, match="no annotations to review"):
        ReviewSession(project)
    tag_plan(project)
    with pytest.raises(UsageError, match="no annotations by zed.*alice, bob, carol"):
        ReviewSession(project, annotators=["alice", "zed"])
    with pytest.raises(UsageError, match="'alice' is the reviewer"):
        ReviewSession(project, "alice", ["alice", "bob"])
    with pytest.raises(UsageError, match="not a usable annotator name"):
        ReviewSession(project, "../x")


def test_unknown_labels_and_broken_files_are_shown_not_dropped(project: Project) -> None:
    article_id = tag_plan(project)
    bob = project.store.path("bob", article_id)
    bob.write_text(bob.read_text().replace("claim: opinion", "claim: rumour"))
    carol = project.store.path("carol", article_id)
    carol.write_text("sentences: [\n")
    review = ReviewSession(project)
    review.open_article(article_id)
    notices = "\n".join(review.notices)
    assert "labels not in labels.yaml: claim 'rumour'" in notices
    assert f"{carol}:" in notices and "not shown" in notices
    assert review.comparison(2).tags["bob"].first("claim") == "rumour"  # kept, marked '?'
    assert review.comparison(2).tags["carol"] is None
    assert review.summary().problems == 1
    assert carol.read_text() == "sentences: [\n"  # never rewritten
    review.close()
