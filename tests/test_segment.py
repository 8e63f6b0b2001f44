"""Tests for annotator.core.segment.split_sentences: hard cases plus span invariants."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.segment import split_sentences
from tests.segment_cases import CASES, XFAIL_CASES

ROOT = Path(__file__).resolve().parents[1]


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


def assert_span_invariants(text: str, spans: list[tuple[int, int]]) -> None:
    """Trimmed, non-empty, ordered, non-overlapping, covering all non-whitespace."""
    prev_end = 0
    covered = [False] * len(text)
    for start, end in spans:
        assert isinstance(start, int) and isinstance(end, int)
        assert prev_end <= start < end <= len(text), (start, end, prev_end)
        piece = text[start:end]
        assert piece == piece.strip(), repr(piece)
        assert any(c.isalnum() for c in piece) or not any(c.isalnum() for c in text), repr(piece)
        for i in range(start, end):
            covered[i] = True
        prev_end = end
    missed = [i for i, c in enumerate(text) if not c.isspace() and not covered[i]]
    assert not missed, f"uncovered characters at {missed[:10]}"


def test_case_table_is_large_and_unique() -> None:
    ids = [case_id for case_id, _, _ in CASES]
    assert len(ids) >= 45
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in CASES], ids=[c[0] for c in CASES])
def test_hard_case(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [pytest.param(t, e, marks=pytest.mark.xfail(strict=True, reason=why)) for _, t, e, why in XFAIL_CASES],
    ids=[c[0] for c in XFAIL_CASES],
)
def test_known_ambiguous_case(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize("text", [t for _, t, _ in CASES], ids=[c[0] for c in CASES])
def test_span_invariants_on_cases(text: str) -> None:
    assert_span_invariants(text, split_sentences(text))


def test_crlf_offsets_point_into_original_text() -> None:
    text = "Headline\r\n\r\nHe met Mr.\r\nLavrov. They left."
    assert split_sentences(text) == [(0, 8), (12, 31), (32, 42)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One idea\u2029two ideas", ["One idea", "two ideas"]),  # paragraph separator always ends
        ("Page one\x0cpage two", ["Page one", "page two"]),  # so does a form feed
        ("Headline\rBody text.\rMore text.", ["Headline", "Body text.", "More text."]),  # old Mac CR
        ("Headline\u2028Body text.", ["Headline", "Body text."]),  # Unicode line separator
    ],
)
def test_other_line_and_paragraph_separators(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_segmenter_imports_only_the_standard_library() -> None:
    code = (
        "import sys; import annotator.core.segment; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich', 'pysbd'}); "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_repeated_sentence_gets_distinct_spans() -> None:
    headline = "Pompeo tells Russia: Don't meddle in next US presidential election"
    text = f"{headline}\n\n{headline}\n\nBody."
    spans = split_sentences(text)
    assert spans[0] == (0, len(headline))
    assert spans[1] == (len(headline) + 2, 2 * len(headline) + 2)
    assert [text[a:b] for a, b in spans] == [headline, headline, "Body."]


@pytest.mark.parametrize("text", ["", " ", "\n\n\t \r\n", "\u00a0"])
def test_blank_text_has_no_sentences(text: str) -> None:
    assert split_sentences(text) == []


@pytest.mark.parametrize("text", ["...", "”", " * * * ", "“”\n\n—"])
def test_punctuation_only_text_is_one_span(text: str) -> None:
    stripped = text.strip()
    start = text.index(stripped)
    assert split_sentences(text) == [(start, start + len(stripped))]


def test_no_sentence_is_only_punctuation_or_quotes() -> None:
    text = '"We are ready to reciprocate.”\n\n”\n\nHe said "yes." \' Then he left.\n\n...'
    got = sentences(text)
    assert all(any(c.isalnum() for c in s) for s in got), got
    assert got[0] == '"We are ready to reciprocate.”\n\n”'
    assert got[-1].endswith("\n\n...")


_ALPHABET = (
    ["Mr.", "U.S.", "the", "He", "said", "a.m.", "J.", "3.5%", "www.x.com", "e.g.", "Sochi", "Москва", "é"]
    + ["1.", "2)", "1.)", "(1)", "a.", "b)", "•", "⁃", "I.", "N°.", "(Smith 5)", ". . .", "At 5"]
    + list(".?!…\"'“”‘’«»()[]—–-,;:")
    + [" ", " ", " ", "\n", "\n\n", "\r\n", "\t", "\u00a0", "..."]
)


@pytest.mark.parametrize("seed", range(200))
def test_span_invariants_on_random_text(seed: int) -> None:
    rng = random.Random(seed)
    text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 80)))
    assert_span_invariants(text, split_sentences(text))


@pytest.mark.parametrize("shape", ["{n}.", "{n})", "{n}.)", "({n})"])
@pytest.mark.parametrize("separator", ["\n", " "])
def test_an_enumeration_of_ten_thousand_items_gives_one_sentence_per_item(
    shape: str, separator: str
) -> None:
    items = [f"{shape.format(n=n)} Item number {n} of the list" for n in range(1, 10_001)]
    text = "The list:" + separator + separator.join(items)
    assert sentences(text) == ["The list:", *items]


def test_a_list_without_numbers_in_sequence_is_left_to_the_other_rules() -> None:
    for item in ("1) Item one", "7) Item seven"):  # no 1, 2, 3... run: not a list
        text = " ".join([item] * 5000)
        assert sentences(text) == [text]


def test_the_cases_as_paragraphs_of_one_long_article_segment_as_they_do_alone() -> None:
    """Rules look only nearby: a blank line between two texts keeps each one's sentences
    (speed is measured in bench/bench_segment.py, not here)."""
    text = "\n\n".join(t for _, t, _ in CASES * 20)
    assert sentences(text) == [s for _, _, expected in CASES * 20 for s in expected]
