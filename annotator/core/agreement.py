"""Inter-annotator agreement: Krippendorff's alpha, Cohen's kappa and a per-layer report.

Pure standard library so the figures can be computed (and tested) without the TUI.

The report measures each layer labels.yaml declares with what suits its kind:

    single  one label or none per sentence: observed agreement, Cohen's kappa per
            annotator pair, Krippendorff's alpha (nominal).
    multi   any number of labels: alpha per label as a present/absent variable, their
            macro average, and exact match of the whole set.
    entity  a set of entities: exact match and alpha with the MASI distance.

Missing data
    A sentence absent from an annotator's mapping is missing data for that annotator,
    not a disagreement: alpha is defined for incomplete data, and units with fewer than
    two values are dropped (Krippendorff 2011). A sentence marked ``not_content`` is
    treated as missing for *every* layer: it says "nothing to tag here", so its empty
    values would otherwise count as strong (and spurious) agreement. A sentence with no
    label in any layer (e.g. a note only) is missing too: the project counts it as
    untagged (``SentenceTags.is_tagged``), not as a decision. A tagged sentence with no
    label in one layer is a value there: ``"(none)"`` in a single layer, the empty set
    in the others.

Undefined figures
    When every pairable value is identical, expected disagreement De is 0 and
    alpha = 1 - Do/De is 0/0. We return ``None`` ("undefined") rather than 1, because
    data without variation cannot show that coders tell categories apart; the report
    gives the reason as ``"n/a (all agree)"`` (``"n/a (no overlap)"`` when no unit has two
    values). Cohen's kappa is likewise ``None`` when chance agreement pe == 1.

``AgreementReport.to_dict()`` shape (floats rounded to 4 places, ``None`` = undefined),
one entry per layer id in labels.yaml order (the bundled project's ids shown)::

    {
      "annotators": ["ann1", "ann2", ...],          # sorted
      "units": 1234,                      # distinct (article_id, sentence) keys in any mapping
      "layers": ["speakers", "claim", "topics"],    # the layer entries below, in order
      "speakers": {                                 # kind entity
        "kind": "entity",
        "distance": "MASI",
        "exact_match": {"value": ..., "units": ..., "pairs": ...},
        "alpha": {"value": ..., "units": ..., "values": ..., "note": ...},
        "disagreements": [["S1", "S2", 12], ["(none)", "S3", 4], ...]
      },
      "claim": {                                    # kind single
        "kind": "single",
        "distance": "nominal",
        "observed_agreement": {"value": 0.83, "units": 900, "pairs": 950},
        "alpha": {"value": 0.71, "units": 900, "values": 1850, "note": None},
        "kappa": [{"a": "ann1", "b": "ann2", "value": 0.7, "units": 880, "note": None}, ...],
        "disagreements": [["(none)", "opinion", 31], ...]     # [label A, label B, count]
      },
      "topics": {                                   # kind multi
        "kind": "multi",
        "distance": "nominal",                      # per label: present/absent
        "exact_match": {"value": ..., "units": ..., "pairs": ...},
        "macro_alpha": {"value": 0.64, "labels": 5}, # mean over labels with a defined alpha
        "per_label": [{"label": "economy", "in_schema": True, "used": 210,
                       "alpha": {"value": ..., "units": ..., "values": ..., "note": ...}}, ...],
        "disagreements": [["(none)", "economy", 40], ...]
      }
    }

``note`` is ``None``, ``"n/a (all agree)"`` or ``"n/a (no overlap)"``. ``units`` is always the
number of units the figure rests on (units with at least two values; for kappa, units
both annotators tagged). Set-valued disagreements compare, per annotator pair, what each
had that the other did not (labels joined with ``"+"``, ``"(none)"`` for nothing).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, combinations, groupby, islice, repeat
from typing import Any, Protocol

__all__ = [
    "NONE_LABEL",
    "AgreementReport",
    "AlphaResult",
    "Disagreement",
    "EntityAgreement",
    "KappaResult",
    "LabelAlpha",
    "LayerAgreement",
    "MultiAgreement",
    "Observed",
    "SetValues",
    "SingleAgreement",
    "SingleValues",
    "agreement_report",
    "alpha_result",
    "cohen_kappa",
    "jaccard_distance",
    "krippendorff_alpha",
    "masi_distance",
    "nominal_distance",
    "observed_agreement",
    "report_from_columns",
]

NONE_LABEL = "(none)"
ALL_AGREE = "n/a (all agree)"
NO_OVERLAP = "n/a (no overlap)"

Distance = Callable[[Any, Any], float]
Units = Iterable[Sequence[Hashable | None]] | Mapping[Any, Mapping[Any, Hashable | None]]
PairsBySize = dict[int, tuple[int, Counter[tuple[Any, Any]]]]


# --------------------------------------------------------------------------- distances


def nominal_distance(a: Hashable, b: Hashable) -> float:
    """0 if equal, else 1: categories have no order or similarity."""
    return 0.0 if a == b else 1.0


def jaccard_distance(a: frozenset[Any], b: frozenset[Any]) -> float:
    """1 - |a & b| / |a | b|; two empty sets are identical (distance 0)."""
    union = len(a | b)
    return 0.0 if union == 0 else 1.0 - len(a & b) / union


def masi_distance(a: frozenset[Any], b: frozenset[Any]) -> float:
    """MASI (Passonneau 2006): 1 - J*M, so a subset counts as closer than a mere overlap.

    M is 1 if equal, 0.67 if one is a subset of the other, 0.33 if they otherwise
    overlap, 0 if disjoint; two empty sets have distance 0.
    """
    if a == b:
        return 0.0
    inter = len(a & b)
    if inter == 0:
        return 1.0
    m = 0.67 if (a <= b or b <= a) else 0.33
    return 1.0 - (inter / len(a | b)) * m


# Distances that are 1 for disjoint, unequal sets: expected disagreement only needs the
# overlapping pairs, found via an inverted index instead of all value pairs.
_DISJOINT_IS_ONE = (jaccard_distance, masi_distance)


# --------------------------------------------------------------------------- alpha


@dataclass(frozen=True)
class AlphaResult:
    """Alpha plus what it rests on: ``units`` pairable units, ``values`` pairable values."""

    alpha: float | None
    units: int
    values: int
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": _r(self.alpha),
            "units": self.units,
            "values": self.values,
            "note": self.note,
        }


def krippendorff_alpha(units: Units, distance: Distance = nominal_distance) -> float | None:
    """Krippendorff's alpha (coincidence-matrix form) for any hashable values.

    ``units`` is an iterable of per-unit value lists (one entry per coder, ``None`` =
    missing) or a mapping unit -> coder -> value. Pass sets as frozensets. ``distance``
    must be symmetric with d(v, v) == 0. Returns ``None`` when alpha is undefined: no
    pairable values, or no variation at all (De == 0, i.e. 0/0) - see module docstring.
    """
    return alpha_result(units, distance).alpha


def alpha_result(units: Units, distance: Distance = nominal_distance) -> AlphaResult:
    """Krippendorff's alpha, the units/values it rests on, and why it is undefined if so."""
    return _alpha_from_pairs(_pairs_by_size(Counter(_unit_rows(units))), distance)


def _unit_rows(units: Units) -> Iterable[tuple[Any, ...]]:
    if isinstance(units, Mapping):
        return (tuple(coders.values()) for coders in units.values())
    return map(tuple, units)


def _pairs_by_size(row_counts: Mapping[tuple[Any, ...], int]) -> PairsBySize:
    """Per unit size m >= 2: (number of units, Counter of unordered value pairs within units).

    Takes distinct rows with their counts (a Counter over row tuples, built in C), and
    counts the pairs of all weight-1 rows in one ``Counter.update`` call, so per-unit work
    stays in C; this keeps ~300k units x 3 coders well under a second.
    """
    by_size: dict[int, tuple[list[Sequence[Any]], Counter[tuple[Any, Any]]]] = {}
    units: Counter[int] = Counter()
    for row, weight in row_counts.items():
        values = [v for v in row if v is not None]
        m = len(values)
        if m < 2:
            continue
        units[m] += weight
        if m not in by_size:
            by_size[m] = ([], Counter())
        singles, pairs = by_size[m]
        if weight == 1:
            singles.append(values)
        else:
            for pair in combinations(values, 2):
                pairs[pair] += weight
    result = {}
    for m, (singles, pairs) in by_size.items():
        pairs.update(chain.from_iterable(map(combinations, singles, repeat(2))))
        result[m] = (units[m], pairs)
    return result


def _alpha_from_pairs(by_size: PairsBySize, distance: Distance) -> AlphaResult:
    """Coincidences from within-unit value pairs, each unit weighted 1/(m_u - 1).

    That weight makes every pairable value contribute exactly 1 to the coincidence
    matrix o. o is symmetric, so only unordered pairs are kept (``half``, o = h + h.T):
    half the counting and half the distance look-ups.
    """
    half: defaultdict[tuple[Any, Any], float] = defaultdict(float)
    n_units = 0
    for m, (units_m, pairs) in by_size.items():
        n_units += units_m
        scale = 1.0 / (m - 1)
        for pair, count in pairs.items():
            half[pair] += count * scale
    return _alpha_from_half_coincidences(half, distance, n_units)


def _alpha_from_half_coincidences(
    half: Mapping[tuple[Any, Any], float], distance: Distance, n_units: int
) -> AlphaResult:
    """alpha = 1 - Do/De from unordered coincidences h (o[c, k] = h[c, k] + h[k, c])."""
    marginals: defaultdict[Any, float] = defaultdict(float)
    for (c, k), w in half.items():
        marginals[c] += w
        marginals[k] += w
    n = sum(marginals.values())
    n_values = round(n)
    if n_units == 0 or n < 2:
        return AlphaResult(None, n_units, n_values, NO_OVERLAP)
    if distance is nominal_distance:
        do_sum = 2 * sum(w for (c, k), w in half.items() if c != k)
        de_sum = n * n - sum(nc * nc for nc in marginals.values())
    else:
        memo = _Memo(distance)
        do_sum = 2 * sum(w * memo(c, k) for (c, k), w in half.items() if w)
        de_sum = _expected_sum(marginals, memo, distance)
    if de_sum <= 1e-12 * n * n:
        return AlphaResult(None, n_units, n_values, ALL_AGREE)
    # alpha = 1 - Do/De with Do = do_sum / n and De = de_sum / (n (n - 1)).
    return AlphaResult(1.0 - (n - 1) * do_sum / de_sum, n_units, n_values)


class _Memo:
    """Computes d once per distinct unordered value pair."""

    def __init__(self, distance: Distance) -> None:
        self.distance = distance
        self.cache: dict[tuple[Any, Any], float] = {}

    def __call__(self, a: Any, b: Any) -> float:
        cache = self.cache
        d = cache.get((a, b))
        if d is None:
            d = cache.get((b, a))
            if d is None:
                d = float(self.distance(a, b))
            cache[(a, b)] = d
        return d


def _expected_sum(marginals: Mapping[Any, float], memo: _Memo, distance: Distance) -> float:
    """Sum over value pairs of n_c * (n_k - [c == k]) * d(c, k) (De times n(n-1))."""
    values = list(marginals)
    counts = [marginals[v] for v in values]
    if distance in _DISJOINT_IS_ONE and all(isinstance(v, frozenset) for v in values):
        n = sum(counts)
        total = n * n - sum(c * c for c in counts)  # every unequal pair at distance 1 ...
        index: defaultdict[Any, list[int]] = defaultdict(list)
        for i, v in enumerate(values):
            for element in v:
                index[element].append(i)
        overlapping = {pair for ids in index.values() for pair in combinations(ids, 2)}
        if distance is masi_distance:  # inlined: tens of thousands of pairs (same floats)
            for i, j in overlapping:
                a, b = values[i], values[j]  # distinct sets sharing an element
                m = 0.67 if (a <= b or b <= a) else 0.33
                d = 1.0 - (len(a & b) / len(a | b)) * m
                total -= 2 * counts[i] * counts[j] * (1.0 - d)
            return total
        for i, j in overlapping:  # ... except overlapping ones, which are closer
            total -= 2 * counts[i] * counts[j] * (1.0 - memo(values[i], values[j]))
        return total
    total = 0.0
    for i, c in enumerate(values):
        nc = counts[i]
        dcc = memo(c, c)
        if dcc:
            total += nc * (nc - 1) * dcc
        for j in range(i + 1, len(values)):
            d = memo(c, values[j])
            if d:
                total += 2 * nc * counts[j] * d
    return total


# --------------------------------------------------------------------------- pairwise


def observed_agreement(pairs: Iterable[tuple[Any, Any]]) -> float | None:
    """Share of (a, b) pairs with a == b; ``None`` for no pairs (nothing to agree on)."""
    total = same = 0
    for a, b in pairs:
        total += 1
        same += a == b
    return same / total if total else None


@dataclass(frozen=True)
class KappaResult:
    """Cohen's kappa for one annotator pair; ``units`` = items both coded."""

    annotator_a: str
    annotator_b: str
    kappa: float | None
    units: int
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.annotator_a,
            "b": self.annotator_b,
            "value": _r(self.kappa),
            "units": self.units,
            "note": self.note,
        }


def _kappa(a: Sequence[Any], b: Sequence[Any]) -> tuple[float | None, int, str | None]:
    return _kappa_from_table(Counter(zip(a, b, strict=True)))  # contingency table, in C


def _kappa_from_table(
    table: Mapping[tuple[Any, Any], int],
) -> tuple[float | None, int, str | None]:
    """Kappa from (label a, label b) -> count; pairs with a None (missing) are skipped."""
    ca: Counter[Any] = Counter()
    cb: Counter[Any] = Counter()
    n = same = 0
    for (x, y), count in table.items():
        if x is None or y is None:
            continue
        n += count
        same += count if x == y else 0
        ca[x] += count
        cb[y] += count
    if n == 0:
        return None, 0, NO_OVERLAP
    pe = sum(count * cb[label] for label, count in ca.items()) / (n * n)
    if pe >= 1.0 - 1e-12:
        return None, n, ALL_AGREE
    return (same / n - pe) / (1.0 - pe), n, None


def cohen_kappa(a: Sequence[Any], b: Sequence[Any]) -> float | None:
    """Cohen's kappa over aligned items where both labels are not ``None``.

    ``None`` when undefined: no paired items, or pe == 1 (both used one identical
    label throughout, 0/0 as for alpha).
    """
    return _kappa(a, b)[0]


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class Observed:
    """Raw agreement: share of agreeing annotator pairs, pooled over ``units``."""

    value: float | None
    units: int
    pairs: int

    def to_dict(self) -> dict[str, Any]:
        return {"value": _r(self.value), "units": self.units, "pairs": self.pairs}


@dataclass(frozen=True)
class Disagreement:
    """Two labels annotators confused, and how often (per annotator pair and unit)."""

    label_a: str
    label_b: str
    count: int

    def to_list(self) -> list[Any]:
        return [self.label_a, self.label_b, self.count]


@dataclass(frozen=True)
class SingleAgreement:
    """A single-choice layer: one label (or none) per sentence, nominal."""

    observed: Observed
    alpha: AlphaResult
    kappa: tuple[KappaResult, ...]
    disagreements: tuple[Disagreement, ...]
    distance: str = "nominal"
    kind = "single"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "distance": self.distance,
            "observed_agreement": self.observed.to_dict(),
            "alpha": self.alpha.to_dict(),
            "kappa": [k.to_dict() for k in self.kappa],
            "disagreements": [d.to_list() for d in self.disagreements],
        }


@dataclass(frozen=True)
class EntityAgreement:
    """An entity layer: a set of entities per sentence, compared with MASI."""

    exact_match: Observed
    alpha: AlphaResult
    disagreements: tuple[Disagreement, ...]
    distance: str = "MASI"
    kind = "entity"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "distance": self.distance,
            "exact_match": self.exact_match.to_dict(),
            "alpha": self.alpha.to_dict(),
            "disagreements": [d.to_list() for d in self.disagreements],
        }


@dataclass(frozen=True)
class LabelAlpha:
    """Alpha for one label of a multi layer as a present/absent variable; ``used`` = times
    it was tagged."""

    label: str
    in_schema: bool
    used: int
    alpha: AlphaResult

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "in_schema": self.in_schema,
            "used": self.used,
            "alpha": self.alpha.to_dict(),
        }


@dataclass(frozen=True)
class MultiAgreement:
    """A multi-label layer: alpha per label (binary) and their macro average; exact match
    of the whole set."""

    exact_match: Observed
    per_label: tuple[LabelAlpha, ...]
    macro_alpha: float | None
    macro_labels: int
    disagreements: tuple[Disagreement, ...]
    distance: str = "nominal"
    kind = "multi"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "distance": self.distance,
            "exact_match": self.exact_match.to_dict(),
            "macro_alpha": {"value": _r(self.macro_alpha), "labels": self.macro_labels},
            "per_label": [t.to_dict() for t in self.per_label],
            "disagreements": [d.to_list() for d in self.disagreements],
        }


LayerAgreement = SingleAgreement | EntityAgreement | MultiAgreement


@dataclass(frozen=True)
class AgreementReport:
    """Figures per layer, keyed by layer id in labels.yaml order."""

    annotators: tuple[str, ...]
    units: int
    layers: dict[str, LayerAgreement]

    def __getitem__(self, layer_id: str) -> LayerAgreement:
        return self.layers[layer_id]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; shape in the module docstring."""
        data: dict[str, Any] = {
            "annotators": list(self.annotators),
            "units": self.units,
            "layers": list(self.layers),
        }
        for layer_id, figures in self.layers.items():
            data[layer_id] = figures.to_dict()
        return data


class LayerLike(Protocol):
    """What the report needs of a layer (core.schema.Layer is one)."""

    @property
    def id(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def labels(self) -> Sequence[Any]: ...  # each with an ``id``


def agreement_report(
    tags_by_annotator: Mapping[str, Mapping[Any, Any]],
    layers: Sequence[LayerLike],
    *,
    max_disagreements: int = 10,
) -> AgreementReport:
    """Agreement per layer over all annotators, from SentenceTags keyed by unit.

    In a single-choice layer, no label on a tagged content sentence is the value
    ``"(none)"``: "none of these" is a decision annotators can disagree on, unlike an
    untagged sentence (missing). Absent, untagged (no label at all) and ``not_content``
    sentences are missing for that annotator (module docstring). ``units`` counts every
    key in any mapping.
    """
    annotators = tuple(sorted(tags_by_annotator))
    # Insertion order (not sorted: order affects no figure) keeps look-ups cache-friendly.
    unit_keys = list(dict.fromkeys(chain.from_iterable(tags_by_annotator.values())))
    makers = {layer.id: (SingleValues() if layer.kind == "single" else SetValues())
              for layer in layers}
    columns: dict[str, list[list[Any]]] = {layer.id: [] for layer in layers}
    for name in annotators:
        content = {u: t for u, t in tags_by_annotator[name].items()
                   if t.values and not t.not_content}
        col = list(map(content.get, unit_keys))  # None = missing: absent, untagged, not_content
        for layer in layers:
            value_of = makers[layer.id]
            columns[layer.id].append(
                [None if t is None else value_of[t.get(layer.id)] for t in col])
    return report_from_columns(annotators, columns, len(unit_keys), layers,
                               max_disagreements=max_disagreements)


def report_from_columns(
    annotators: Sequence[str],
    columns: Mapping[str, Sequence[Sequence[Any]]],
    units: int,
    layers: Sequence[LayerLike],
    *,
    max_disagreements: int = 10,
) -> AgreementReport:
    """The report from per-annotator columns aligned on the same units (None = missing).

    ``columns[layer id]`` holds one column per annotator, in ``annotators`` order: a
    label id (``"(none)"`` for no label) per unit in a single layer, a frozenset in the
    others. Equal sets should be the same frozenset object (SetValues makes them so).
    For callers that already hold the values column by column (review_agree reads 600,000
    cached records straight into columns); agreement_report builds them from tags.
    ``units`` is the count reported as ``units``.
    """
    annotators = tuple(annotators)
    figures: dict[str, LayerAgreement] = {}
    for layer in layers:
        cols = columns[layer.id]
        # Rows are zipped straight into a Counter: counted in C, without keeping 10^5 row
        # tuples alive (which would also make the cyclic GC crawl).
        rows = Counter(zip(*cols, strict=True))
        if layer.kind == "single":
            figures[layer.id] = _single(annotators, rows, max_disagreements)
        elif layer.kind == "entity":
            pairs = _pairs_by_size(rows)
            observed, disagreements = _pairwise(pairs, _set_pair, max_disagreements)
            figures[layer.id] = EntityAgreement(
                observed, _alpha_from_pairs(pairs, masi_distance), disagreements)
        else:
            figures[layer.id] = _multi(rows, [label.id for label in layer.labels],
                                       max_disagreements)
    return AgreementReport(annotators, units, figures)


def _single(annotators: tuple[str, ...], rows: Counter[tuple[Any, ...]],
            max_disagreements: int) -> SingleAgreement:
    kappas = []
    for i, j in combinations(range(len(annotators)), 2):
        # Each pair's contingency table is the rows summed over the other columns:
        # a few hundred distinct rows instead of another pass over every unit.
        table: Counter[tuple[Any, Any]] = Counter()
        for row, count in rows.items():
            table[row[i], row[j]] += count
        value, n, note = _kappa_from_table(table)
        kappas.append(KappaResult(annotators[i], annotators[j], value, n, note))
    pairs = _pairs_by_size(rows)
    observed, disagreements = _pairwise(pairs, _label_pair, max_disagreements)
    alpha = _alpha_from_pairs(pairs, nominal_distance)
    return SingleAgreement(observed, alpha, tuple(kappas), disagreements)


def _multi(rows: Counter[tuple[Any, ...]], label_ids: Sequence[str],
           max_disagreements: int) -> MultiAgreement:
    observed, disagreements = _pairwise(_pairs_by_size(rows), _set_pair, max_disagreements)
    per_label = _label_alphas(rows, label_ids)
    defined = [t.alpha.alpha for t in per_label if t.alpha.alpha is not None]
    return MultiAgreement(
        exact_match=observed,
        per_label=per_label,
        macro_alpha=sum(defined) / len(defined) if defined else None,
        macro_labels=len(defined),
        disagreements=disagreements,
    )


class SingleValues(dict[tuple[str, ...], str]):
    """A single layer's label tuple -> its value: the id, ``"(none)"`` for no label (a
    decision, not missing); a hand-edited file's several ids read as one joined value."""

    def __missing__(self, ids: tuple[str, ...]) -> str:
        value = self[ids] = "+".join(ids) if ids else NONE_LABEL
        return value


class SetValues(dict[Any, frozenset[str]]):
    """Tuple of ids -> one shared frozenset, so equal sets hash and compare by identity."""

    def __missing__(self, ids: Iterable[str]) -> frozenset[str]:
        value = self[ids] = frozenset(ids)
        return value


def _pairwise(
    by_size: PairsBySize, describe: Callable[[Any, Any], tuple[str, str]], limit: int
) -> tuple[Observed, tuple[Disagreement, ...]]:
    """Raw agreement and top disagreements from annotator pairs within each unit.

    Pairs are pooled over units with >= 2 values (a unit with m values gives m(m-1)/2
    pairs); disagreements are described once per distinct value pair, then weighted.
    """
    units = total = same = 0
    confusions: Counter[tuple[str, str]] = Counter()
    for units_m, pairs in by_size.values():
        units += units_m
        for (a, b), count in pairs.items():
            total += count
            if a == b:
                same += count
            else:
                confusions[describe(a, b)] += count
    ranked = sorted(confusions.items(), key=lambda item: (-item[1], item[0]))[:limit]
    observed = Observed(same / total if total else None, units, total)
    return observed, tuple(Disagreement(a, b, n) for (a, b), n in ranked)


def _label_pair(a: Any, b: Any) -> tuple[str, str]:
    x, y = sorted((str(a), str(b)))
    return x, y


def _set_pair(a: frozenset[str], b: frozenset[str]) -> tuple[str, str]:
    """What each side had that the other lacked, e.g. ({S1}, {S1, S2}) -> ("(none)", "S2")."""
    x, y = sorted(("+".join(sorted(side)) or NONE_LABEL) for side in (a - b, b - a))
    return x, y


def _label_alphas(
    row_counts: Mapping[tuple[frozenset[str] | None, ...], int], schema: Sequence[str]
) -> tuple[LabelAlpha, ...]:
    """Nominal alpha per label as present/absent, from per-unit (m, k) histograms.

    A unit with m values of which k include the label contributes the same coincidences
    whatever the label, so we count (m, k) per label instead of building a value row per
    label and unit; absent labels get k = 0 from the per-m unit totals. Labels in the
    schema come first, in its order; labels found only in the files follow, sorted.
    """
    units_by_m: Counter[int] = Counter()
    hist: defaultdict[str, Counter[tuple[int, int]]] = defaultdict(Counter)
    used: Counter[str] = Counter()
    for row, weight in row_counts.items():
        values = [v for v in row if v is not None]
        presence = Counter(t for v in values for t in v)
        for t, k in presence.items():
            used[t] += k * weight
        m = len(values)
        if m < 2:
            continue
        units_by_m[m] += weight
        for t, k in presence.items():
            hist[t][(m, k)] += weight
    n_units = sum(units_by_m.values())
    in_schema = set(schema)
    extra = sorted(set(used) - in_schema)
    result = []
    for t in [*dict.fromkeys(schema), *extra]:
        counts = Counter(hist.get(t, {}))
        for m, total in units_by_m.items():
            counts[(m, 0)] += total - sum(w for (mm, _k), w in counts.items() if mm == m)
        half: defaultdict[tuple[bool, bool], float] = defaultdict(float)
        for (m, k), w in counts.items():
            if w:  # unordered pairs among k present and m - k absent values
                half[(True, True)] += w * k * (k - 1) / 2 / (m - 1)
                half[(False, False)] += w * (m - k) * (m - k - 1) / 2 / (m - 1)
                half[(True, False)] += w * k * (m - k) / (m - 1)
        alpha = _alpha_from_half_coincidences(half, nominal_distance, n_units)
        result.append(LabelAlpha(t, t in in_schema, used[t], alpha))
    return tuple(result)


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


# --------------------------------------------------------------------------- per article


@dataclass(frozen=True)
class ArticleFigure:
    """One layer's agreement within one article: the share of agreeing annotator pairs
    over the sentences two or more annotators tagged (exact match of the whole value,
    as ``observed_agreement`` / ``exact_match`` measure it over the project)."""

    value: float | None  # None: no sentence of the article was tagged by two annotators
    units: int  # sentences with two or more values
    pairs: int

    def to_dict(self) -> dict[str, Any]:
        return {"value": _r(self.value), "units": self.units, "pairs": self.pairs}


_STAT_BITS = 21  # per unit: agreeing pairs, pairs and 1 packed in one int (summed in C)


def per_article_from_columns(
    article_of_unit: Sequence[int],
    columns: Mapping[str, Sequence[Sequence[Any]]],
    layers: Sequence[LayerLike],
) -> dict[int, dict[str, ArticleFigure]]:
    """Per article (as numbered in ``article_of_unit``, one number per unit) and layer.

    Each distinct row of values is scored once (a few hundred of them) and every unit
    maps to its row's packed score in C. Units come in runs of one article (about one
    run per article and annotator), found once with groupby; each run's scores are
    summed in C (``sum(islice(...))``), so Python loops over runs, never over units.
    """
    mask = (1 << _STAT_BITS) - 1
    runs = [(article, len(list(run))) for article, run in groupby(article_of_unit)]
    figures: dict[int, dict[str, ArticleFigure]] = {}
    for layer in layers:
        scores = iter(map(_RowScores().__getitem__, zip(*columns[layer.id], strict=True)))
        sums: dict[int, int] = {}
        get = sums.get
        for article, length in runs:
            sums[article] = get(article, 0) + sum(islice(scores, length))
        for article, code in sums.items():
            units = code & mask
            if units:
                pairs = (code >> _STAT_BITS) & mask
                agreeing = code >> (2 * _STAT_BITS)
                figures.setdefault(article, {})[layer.id] = ArticleFigure(
                    agreeing / pairs if pairs else None, units, pairs)
    return figures


class _RowScores(dict[tuple[Any, ...], int]):
    """Row of values -> agreeing pairs, pairs and 1, packed; 0 for a row under two values."""

    def __missing__(self, row: tuple[Any, ...]) -> int:
        values = [v for v in row if v is not None]
        if len(values) < 2:
            score = 0
        else:
            pairs = len(values) * (len(values) - 1) // 2
            agreeing = sum(n * (n - 1) // 2 for n in Counter(values).values())
            score = (agreeing << (2 * _STAT_BITS)) | (pairs << _STAT_BITS) | 1
        self[row] = score
        return score
