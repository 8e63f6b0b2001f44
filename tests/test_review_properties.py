"""Property tests over random annotator sets: majority and take never drop an agreed layer,
and nothing reaches gold with a disputed layer left undecided."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.annotation_file import AnnotationDoc
from annotator.core.errors import AnnotatorError
from annotator.core.review import AGREED, DISPUTED, SINGLE, ReviewSession, compare, majority
from annotator.core.tags import SentenceTags
from tests.factories import make_project

LAYERS = ("speakers", "claim", "topics")
INDEX = 2

_content = st.builds(
    lambda speakers, claim, topics: SentenceTags.of(speakers=sorted(speakers), claim=claim,
                                                    topics=sorted(topics)),
    st.sets(st.sampled_from(["pompeo", "lavrov"])),
    st.sampled_from([None, "fact", "opinion"]),
    st.sets(st.sampled_from(["elections", "sanctions"])),
).filter(lambda tags: tags.is_tagged)  # content with no label is "not tagged" on disk
_decision = st.one_of(st.none(), st.just(SentenceTags(not_content=True)), _content, _content)
_team = st.lists(_decision, min_size=2, max_size=4)

_ROOT = Path(tempfile.mkdtemp(prefix="review-properties-"))
atexit.register(shutil.rmtree, _ROOT, True)
_PROJECT = make_project(_ROOT / "project")
_ARTICLE = _PROJECT.corpus.load(_PROJECT.corpus.ids()[0])


def _review(team: list[SentenceTags | None]) -> ReviewSession:
    """A fresh review of this team's decisions on one sentence (files written anew)."""
    shutil.rmtree(_PROJECT.annotations_dir, ignore_errors=True)
    _PROJECT.annotations_dir.mkdir()
    for number, tags in enumerate(team):
        name = f"ann{number}"
        doc = AnnotationDoc(_ARTICLE.id, name, {INDEX: tags} if tags else {})
        if tags is None:  # an annotator who tagged another sentence only
            doc.tags[0] = SentenceTags.of(claim="fact")
        _PROJECT.store.save(doc, _ARTICLE)
    review = ReviewSession(_PROJECT, annotators=[f"ann{n}" for n in range(len(team))])
    review.open_article(_ARTICLE.id)
    review.goto(INDEX)
    return review


def _agreed(review: ReviewSession) -> dict[str, frozenset[str]]:
    """Layers everyone who tagged the sentence as content agrees on (one of them alone
    included: nobody disputes what they said)."""
    return {layer: next(iter(c.values.values()))
            for layer, c in review.comparison(INDEX).layers.items()
            if c.status in (AGREED, SINGLE)}


def _disputed(review: ReviewSession) -> set[str]:
    return {layer for layer, c in review.comparison(INDEX).layers.items()
            if c.status == DISPUTED}


@given(_team)
def test_majority_keeps_every_agreed_layer(team: list[SentenceTags | None]) -> None:
    tags = {f"ann{n}": t for n, t in enumerate(team)}
    comparison = compare(INDEX, tags, LAYERS)
    result = majority(comparison)
    if result.not_content is False:
        for layer, compared in comparison.layers.items():
            if compared.status == AGREED:
                assert result.layers[layer] == next(iter(compared.values.values()))


_SLOW = settings(max_examples=60, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow])


@_SLOW
@given(_team)
def test_majority_in_review_keeps_agreed_layers_and_writes_only_whole_decisions(
        team: list[SentenceTags | None]) -> None:
    review = _review(team)
    agreed = _agreed(review)
    try:
        review.take_majority()
    except AnnotatorError:
        assert not review.comparison(INDEX).tagged_by  # only "nobody tagged it" refuses
        return
    finally:
        review.close()
    gold = review.gold_tags(INDEX)
    if gold.is_tagged and not gold.not_content:
        for layer, value in agreed.items():
            assert frozenset(gold.get(layer)) == value
    if review.is_settled(INDEX):
        assert not review.open_layers(INDEX)


@_SLOW
@given(_team, st.integers(0, 3), st.sampled_from(LAYERS))
def test_take_one_layer_keeps_agreed_layers_and_holds_open_disputes(
        team: list[SentenceTags | None], pick: int, layer: str) -> None:
    review = _review(team)
    content = [n for n, t in enumerate(team) if t is not None and not t.not_content]
    if not content:
        review.close()
        return
    number = content[pick % len(content)]
    agreed, disputed = _agreed(review), _disputed(review)
    review.take(number + 1, layer)
    review.close()
    gold = review.gold_tags(INDEX)
    theirs = team[number]
    assert theirs is not None
    assert gold.get(layer) == theirs.get(layer)
    for other, value in agreed.items():
        if other != layer:
            assert frozenset(gold.get(other)) == value
    # In gold (on disk) exactly when no other disputed layer is left to decide.
    assert review.is_settled(INDEX) == (not (disputed - {layer}))
