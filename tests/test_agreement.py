"""Tests for annotator.core.agreement: published examples first, then edge cases and the report."""

from __future__ import annotations

import json
import random

import pytest

from annotator.core import agreement
from annotator.core.agreement import (
    agreement_report,
    alpha_result,
    cohen_kappa,
    jaccard_distance,
    krippendorff_alpha,
    masi_distance,
    nominal_distance,
    observed_agreement,
)
from annotator.core.schema import Label, Layer
from annotator.core.tags import SentenceTags

N = None


def st(speakers: tuple[str, ...] = (), claim: str | None = None, topics: tuple[str, ...] = (),
       not_content: bool = False, note: str | None = None) -> SentenceTags:
    """A sentence of the bundled layers, positionally: (speakers, claim, topics)."""
    return SentenceTags.of(speakers=speakers, claim=claim, topics=topics,
                           not_content=not_content, note=note)


def layers(topics: tuple[str, ...] = ()) -> tuple[Layer, ...]:
    """The bundled project's three layers (topics with these labels), in its order."""
    return (Layer("speakers", "Speakers", "entity"), Layer("claim", "Claim", "single"),
            Layer("topics", "Topics", "multi", tuple(Label(t, t) for t in topics)))


def columns(*rows: list) -> list[tuple]:
    """Observers-by-units rows (as printed in the papers) -> per-unit value lists."""
    return list(zip(*rows, strict=True))


def interval(a: float, b: float) -> float:
    return (a - b) ** 2


def ratio(a: float, b: float) -> float:
    return ((a - b) / (a + b)) ** 2


# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability, example C
# (4 observers, 12 units, values 1-5, missing data).
EXAMPLE_C = columns(
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
)


# --------------------------------------------------------------------------- alpha, published


def test_krippendorff_2011_example_c_nominal() -> None:
    """Krippendorff (2011), example C: nominal alpha = 0.743; unit 12 dropped, n = 40 values."""
    result = alpha_result(EXAMPLE_C)
    assert round(result.alpha, 3) == 0.743
    assert result.units == 11
    assert result.values == 40
    assert result.note is None


def test_krippendorff_2011_example_c_interval_and_ratio() -> None:
    """Krippendorff (2011), example C with custom distances: interval 0.849, ratio 0.797."""
    assert round(krippendorff_alpha(EXAMPLE_C, interval), 3) == 0.849
    assert round(krippendorff_alpha(EXAMPLE_C, ratio), 3) == 0.797


def test_krippendorff_2011_example_a_binary() -> None:
    """Krippendorff (2011), example A (binary, 2 observers, no missing data): alpha = 0.095."""
    units = columns(
        [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
        [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
    )
    assert round(krippendorff_alpha(units), 3) == 0.095


def test_krippendorff_2011_example_b_nominal() -> None:
    """Krippendorff (2011), example B (nominal a-e, 2 observers, no missing data): alpha = 0.692."""
    units = columns(list("aabbdcccedda"), list("babbbccceddd"))
    assert round(krippendorff_alpha(units), 3) == 0.692


def test_wikipedia_computational_example() -> None:
    """Wikipedia "Krippendorff's alpha", A computational example (3 coders, 15 units):
    nominal 0.691, interval 0.811."""
    rows = [
        "* * * * * 3 4 1 2 1 1 3 3 * 3",
        "1 * 2 1 3 3 4 3 * * * * * * *",
        "* * 2 1 3 4 4 * 2 1 1 3 3 * 4",
    ]
    units = columns(*([None if v == "*" else int(v) for v in r.split()] for r in rows))
    assert round(krippendorff_alpha(units), 3) == 0.691
    assert round(krippendorff_alpha(units, interval), 3) == 0.811


def test_mapping_input_matches_rows() -> None:
    coders = "ABCD"
    mapping = {
        u: {c: v for c, v in zip(coders, row, strict=True) if v is not None}
        for u, row in enumerate(EXAMPLE_C)
    }
    assert krippendorff_alpha(mapping) == pytest.approx(krippendorff_alpha(EXAMPLE_C))


def naive_alpha(units, distance):
    """Textbook per-pair alpha (no deduplication, no shortcuts) as an independent reference."""
    pairable = [[v for v in u if v is not None] for u in units]
    pairable = [vs for vs in pairable if len(vs) >= 2]
    do = sum(
        distance(vs[i], vs[j]) / (len(vs) - 1)
        for vs in pairable
        for i in range(len(vs))
        for j in range(len(vs))
        if i != j
    )
    pooled = [v for vs in pairable for v in vs]
    n = len(pooled)
    de = sum(distance(pooled[i], pooled[j]) for i in range(n) for j in range(n) if i != j)
    return 1 - (n - 1) * do / de


@pytest.mark.parametrize("distance", [nominal_distance, masi_distance])
def test_alpha_matches_naive_reference(distance) -> None:
    """Repeated rows are counted once internally; the result must equal the per-pair definition."""
    rng = random.Random(11)
    pool = [frozenset(rng.sample("ABCD", rng.randint(0, 2))) for _ in range(6)]
    units = [[rng.choice(pool) if rng.random() > 0.25 else N for _ in range(4)] for _ in range(120)]
    units += units[:30]
    assert krippendorff_alpha(units, distance) == pytest.approx(naive_alpha(units, distance))


# --------------------------------------------------------------------------- alpha, edge cases


def test_alpha_undefined_without_pairable_values() -> None:
    assert krippendorff_alpha([[1], [2], [N, 3]]) is None
    assert alpha_result([[1, N], [N, 2]]).note == "n/a (no overlap)"
    assert krippendorff_alpha([]) is None


def test_alpha_undefined_when_all_values_identical() -> None:
    result = alpha_result([["x", "x"], ["x", "x", N]])
    assert result.alpha is None
    assert result.note == "n/a (all agree)"
    assert result.units == 2


def test_alpha_perfect_agreement_with_variation_is_one() -> None:
    assert krippendorff_alpha([["a", "a"], ["b", "b"], ["a", "a", "a"]]) == pytest.approx(1.0)


def test_set_valued_alpha_identical_sets_is_one() -> None:
    s1, s2, empty = frozenset({"S1"}), frozenset({"S1", "S2"}), frozenset()
    units = [[s1, s1, s1], [s2, s2, N], [empty, empty, empty], [frozenset({"S3"})] * 2]
    assert krippendorff_alpha(units, masi_distance) == pytest.approx(1.0)
    assert krippendorff_alpha(units, jaccard_distance) == pytest.approx(1.0)


@pytest.mark.parametrize("distance", [masi_distance, jaccard_distance])
def test_set_distance_fast_path_matches_generic(distance) -> None:
    """MASI/Jaccard use an inverted index for De; a wrapped distance takes the all-pairs path."""
    rng = random.Random(7)
    pool = [frozenset(rng.sample("ABCDEF", rng.randint(0, 3))) for _ in range(40)]
    units = [[rng.choice(pool) if rng.random() > 0.2 else N for _ in range(3)] for _ in range(300)]
    fast = krippendorff_alpha(units, distance)
    generic = krippendorff_alpha(units, lambda a, b: distance(a, b))
    assert fast is not None
    assert fast == pytest.approx(generic)


def test_inlined_masi_expected_sum_gives_the_same_float(monkeypatch) -> None:
    """The inlined MASI loop must add up exactly what the memoised distance would."""
    rng = random.Random(11)
    pool = [frozenset(rng.sample("ABCDEFG", rng.randint(0, 4))) for _ in range(60)]
    units = [[rng.choice(pool) if rng.random() > 0.2 else N for _ in range(3)] for _ in range(500)]
    inlined = krippendorff_alpha(units, masi_distance)

    def wrapped(a, b):
        return masi_distance(a, b)

    monkeypatch.setattr(agreement, "_DISJOINT_IS_ONE", (jaccard_distance, wrapped))
    assert inlined is not None
    assert krippendorff_alpha(units, wrapped) == inlined  # bit for bit, not approx


# --------------------------------------------------------------------------- distances


def test_masi_passonneau_cases() -> None:
    """Passonneau (2006): M = 1 equal, 0.67 subset, 0.33 overlap, 0 disjoint; d = 1 - J*M."""
    a, ab, ac, c = frozenset("a"), frozenset("ab"), frozenset("ac"), frozenset("c")
    assert masi_distance(ab, ab) == 0.0
    assert masi_distance(a, ab) == pytest.approx(1 - 0.5 * 0.67)  # 0.665
    assert masi_distance(ab, ac) == pytest.approx(1 - (1 / 3) * 0.33)  # 0.89
    assert masi_distance(a, c) == 1.0
    assert masi_distance(frozenset(), frozenset()) == 0.0
    assert masi_distance(frozenset(), a) == 1.0
    assert masi_distance(ab, a) == masi_distance(a, ab)


def test_jaccard_distance() -> None:
    assert jaccard_distance(frozenset("ab"), frozenset("ab")) == 0.0
    assert jaccard_distance(frozenset("ab"), frozenset("ac")) == pytest.approx(2 / 3)
    assert jaccard_distance(frozenset("a"), frozenset("ab")) == pytest.approx(0.5)
    assert jaccard_distance(frozenset("a"), frozenset("b")) == 1.0
    assert jaccard_distance(frozenset(), frozenset()) == 0.0


def test_nominal_distance() -> None:
    assert nominal_distance("x", "x") == 0.0
    assert nominal_distance("x", "y") == 1.0


# --------------------------------------------------------------------------- kappa


def _table(yy: int, yn: int, ny: int, nn: int) -> tuple[list[str], list[str]]:
    a = ["yes"] * (yy + yn) + ["no"] * (ny + nn)
    b = ["yes"] * yy + ["no"] * yn + ["yes"] * ny + ["no"] * nn
    return a, b


def test_cohen_kappa_wikipedia_examples() -> None:
    """Wikipedia "Cohen's kappa": worked example (50 items, 20/5/10/15 -> 0.4) and the two
    "same agreement, different marginals" tables (45/15/25/15 -> 0.1304, 25/35/5/35 -> 0.2593)."""
    assert cohen_kappa(*_table(20, 5, 10, 15)) == pytest.approx(0.4)
    assert round(cohen_kappa(*_table(45, 15, 25, 15)), 4) == 0.1304
    assert round(cohen_kappa(*_table(25, 35, 5, 35)), 4) == 0.2593


def test_cohen_kappa_skips_missing_and_undefined_cases() -> None:
    a, b = _table(20, 5, 10, 15)
    assert cohen_kappa(a + [None, "yes"], b + ["no", None]) == pytest.approx(0.4)
    assert cohen_kappa([None, "x"], ["y", None]) is None  # no paired items
    assert cohen_kappa(["x", "x"], ["x", "x"]) is None  # pe == 1
    with pytest.raises(ValueError):
        cohen_kappa(["x"], ["x", "y"])


def test_observed_agreement() -> None:
    assert observed_agreement([("a", "a"), ("a", "b"), ("b", "b"), ("c", "c")]) == 0.75
    assert observed_agreement([]) is None


# --------------------------------------------------------------------------- report


def test_report_one_annotator() -> None:
    report = agreement_report(
        {"ann": {("a1", 0): st(claim="x"), ("a1", 1): st(claim="y")}}, layers())
    assert report.annotators == ("ann",)
    assert report.units == 2
    assert report["claim"].alpha.alpha is None
    assert report["claim"].alpha.note == "n/a (no overlap)"
    assert report["claim"].kappa == ()
    assert report["claim"].observed.value is None
    assert report["speakers"].alpha.alpha is None


def test_report_no_overlapping_units() -> None:
    report = agreement_report(
        {"a": {("art", 0): st(claim="x")}, "b": {("art", 1): st(claim="y")}}, layers()
    )
    assert report.units == 2
    assert report["claim"].alpha.alpha is None
    assert report["claim"].alpha.units == 0
    (kappa,) = report["claim"].kappa
    assert (kappa.kappa, kappa.units, kappa.note) == (None, 0, "n/a (no overlap)")


def test_report_all_agree_is_undefined_with_reason() -> None:
    tags = {("art", i): st(speakers=("S1",), claim="quote", topics=("eco",)) for i in range(3)}
    report = agreement_report({"a": tags, "b": dict(tags)}, layers(("eco",)))
    data = report.to_dict()
    assert data["claim"]["alpha"] == {
        "value": None,
        "units": 3,
        "values": 6,
        "note": "n/a (all agree)",
    }
    assert data["claim"]["observed_agreement"]["value"] == 1.0
    assert data["claim"]["kappa"][0]["note"] == "n/a (all agree)"
    assert data["speakers"]["alpha"]["note"] == "n/a (all agree)"
    assert data["topics"]["per_label"][0]["alpha"]["note"] == "n/a (all agree)"
    assert data["topics"]["macro_alpha"] == {"value": None, "labels": 0}


def test_report_flags_topic_outside_schema() -> None:
    report = agreement_report(
        {
            "a": {("art", 0): st(topics=("eco", "sports")), ("art", 1): st(topics=())},
            "b": {("art", 0): st(topics=("eco",)), ("art", 1): st(topics=("sports",))},
        },
        layers(("eco", "politics")),
    )
    by_topic = {t.label: t for t in report["topics"].per_label}
    assert [t.label for t in report["topics"].per_label] == ["eco", "politics", "sports"]
    assert by_topic["sports"].in_schema is False
    assert by_topic["sports"].used == 2
    assert by_topic["eco"].in_schema is True and by_topic["eco"].used == 2
    assert by_topic["politics"].in_schema is True and by_topic["politics"].used == 0
    assert report.to_dict()["topics"]["per_label"][2]["in_schema"] is False


def test_report_claim_none_is_a_value_and_not_content_is_missing() -> None:
    report = agreement_report(
        {
            "a": {
                ("art", 0): st(claim=None, speakers=("S1",)),
                ("art", 1): st(claim="quote"),
                ("art", 2): st(not_content=True),
            },
            "b": {
                ("art", 0): st(claim="quote"),
                ("art", 1): st(claim="quote"),
                ("art", 2): st(claim="x"),
            },
        },
        layers(),
    )
    assert report.units == 3
    assert report["claim"].observed.units == 2  # art/2 is missing for annotator a
    assert report["claim"].observed.value == 0.5
    confusions = [(d.label_a, d.label_b, d.count) for d in report["claim"].disagreements]
    assert confusions == [("(none)", "quote", 1)]
    assert report["claim"].kappa[0].units == 2


def test_report_untagged_value_is_missing() -> None:
    """A note alone (no speaker, claim or topic) is untagged, as SentenceTags.is_tagged says."""
    report = agreement_report(
        {
            "a": {("art", 0): st(note="check later"), ("art", 1): st(claim="quote")},
            "b": {("art", 0): st(claim="quote"), ("art", 1): st(claim="quote")},
        },
        layers(),
    )
    assert report.units == 2
    assert report["claim"].observed.units == 1
    assert report["claim"].disagreements == ()
    assert report["speakers"].exact_match.units == 1


def test_report_claim_figures_match_metric_functions() -> None:
    a = {("art", i): st(("S1",), c) for i, c in enumerate(["x", "y", "x", None, "y", "x"])}
    b = {("art", i): st(("S1",), c) for i, c in enumerate(["x", "y", "y", None, "x", "x"])}
    report = agreement_report({"b": b, "a": a}, layers())
    labels_a = [t.first("claim") or "(none)" for t in a.values()]
    labels_b = [t.first("claim") or "(none)" for t in b.values()]
    assert report.annotators == ("a", "b")
    assert report["claim"].kappa[0].kappa == pytest.approx(cohen_kappa(labels_a, labels_b))
    assert report["claim"].alpha.alpha == pytest.approx(krippendorff_alpha(zip(labels_a, labels_b)))
    assert report["claim"].observed.value == pytest.approx(4 / 6)
    assert [(d.label_a, d.label_b, d.count) for d in report["claim"].disagreements] == [("x", "y", 2)]


def test_report_kappa_per_pair_matches_cohen_kappa_with_missing_values() -> None:
    """Each pair's kappa comes from the claim rows; it must equal kappa on the two columns."""
    rng = random.Random(3)
    names = ["a", "b", "c"]
    tags = {name: {} for name in names}
    for unit in range(400):
        for name in names:
            if rng.random() < 0.8:
                tags[name][("art", unit)] = st(("S1",), rng.choice(["x", "y", "z", None]))
    report = agreement_report(tags, layers())
    units = list(dict.fromkeys(k for name in names for k in tags[name]))

    def column(name: str) -> list:
        return [None if (t := tags[name].get(u)) is None else t.first("claim") or "(none)"
                for u in units]

    pairs = [(k.annotator_a, k.annotator_b) for k in report["claim"].kappa]
    assert pairs == [("a", "b"), ("a", "c"), ("b", "c")]
    for kappa in report["claim"].kappa:
        a, b = column(kappa.annotator_a), column(kappa.annotator_b)
        assert kappa.kappa == cohen_kappa(a, b)
        assert kappa.units == sum(x is not None and y is not None for x, y in zip(a, b))


def test_report_speakers_masi_and_symmetric_difference() -> None:
    def spk(*ids: str) -> SentenceTags:
        return st(speakers=ids)

    a = {("art", 0): spk("S1"), ("art", 1): spk("S1", "S2"), ("art", 2): spk("S3")}
    b = {("art", 0): spk("S1", "S2"), ("art", 1): spk("S1", "S2"), ("art", 2): st(claim="q")}
    c = {("art", 0): spk("S1"), ("art", 2): spk("S4")}
    report = agreement_report({"a": a, "b": b, "c": c}, layers())
    assert report["speakers"].distance == "MASI"
    assert report.to_dict()["speakers"]["distance"] == "MASI"
    rows = [
        [frozenset({"S1"}), frozenset({"S1", "S2"}), frozenset({"S1"})],
        [frozenset({"S1", "S2"}), frozenset({"S1", "S2"}), None],
        [frozenset({"S3"}), frozenset(), frozenset({"S4"})],
    ]
    assert report["speakers"].alpha.alpha == pytest.approx(krippendorff_alpha(rows, masi_distance))
    assert report["speakers"].exact_match.value == pytest.approx(2 / 7)
    assert [(d.label_a, d.label_b, d.count) for d in report["speakers"].disagreements] == [
        ("(none)", "S2", 2),
        ("(none)", "S3", 1),
        ("(none)", "S4", 1),
        ("S3", "S4", 1),
    ]


def test_report_per_topic_alpha_matches_presence_rows() -> None:
    """The (m, k)-histogram shortcut must equal alpha over explicit present/absent rows."""
    rng = random.Random(3)
    schema = ["eco", "pol", "war"]
    names = ["a", "b", "c"]
    tags: dict[str, dict] = {n: {} for n in names}
    for i in range(200):
        for n in names:
            if rng.random() < 0.85:
                tags[n][("art", i)] = st(
                    claim=rng.choice([None, None, "quote"]),
                    topics=tuple(t for t in schema if rng.random() < 0.4),
                    not_content=rng.random() < 0.05,
                )
    report = agreement_report(tags, layers(tuple(schema)))
    units = sorted({u for m in tags.values() for u in m})
    alphas = []
    for topic in report["topics"].per_label:
        rows = []
        for u in units:
            row = []
            for n in names:
                tag = tags[n].get(u)
                missing = tag is None or tag.not_content or not tag.values
                row.append(None if missing else topic.label in tag.get("topics"))
            rows.append(row)
        expected = alpha_result(rows)
        assert topic.alpha.alpha == pytest.approx(expected.alpha)
        assert (topic.alpha.units, topic.alpha.values) == (expected.units, expected.values)
        alphas.append(expected.alpha)
    assert report["topics"].macro_alpha == pytest.approx(sum(alphas) / len(alphas))
    assert report["topics"].macro_labels == 3


def test_report_to_dict_shape_and_rounding() -> None:
    a = {("art", i): st(claim=c, speakers=("S1",), topics=("eco",)) for i, c in enumerate("xyxyx")}
    b = {("art", i): st(claim=c, speakers=("S1",), topics=()) for i, c in enumerate("xyyyx")}
    data = agreement_report({"a": a, "b": b}, layers(("eco",))).to_dict()
    json.dumps(data)
    assert list(data) == ["annotators", "units", "layers", "speakers", "claim", "topics"]
    assert data["layers"] == ["speakers", "claim", "topics"]  # labels.yaml order
    assert data["annotators"] == ["a", "b"] and data["units"] == 5
    assert set(data["claim"]) == {
        "kind", "distance", "observed_agreement", "alpha", "kappa", "disagreements"
    }
    assert set(data["speakers"]) == {"kind", "distance", "exact_match", "alpha",
                                     "disagreements"}
    assert set(data["topics"]) == {
        "kind", "distance", "exact_match", "macro_alpha", "per_label", "disagreements"
    }
    assert [data[layer]["kind"] for layer in data["layers"]] == ["entity", "single", "multi"]
    kappa = data["claim"]["kappa"][0]
    assert kappa["value"] == round(kappa["value"], 4)
    assert kappa["value"] == round(cohen_kappa(list("xyxyx"), list("xyyyx")), 4)
    assert data["claim"]["disagreements"] == [["x", "y", 1]]
    assert data["topics"]["disagreements"] == [["(none)", "eco", 5]]
