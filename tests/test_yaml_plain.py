"""yaml_plain answers as PyYAML's own resolver does, for every kind of plain value: the fast
readers trust it to decide what is text without loading PyYAML."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.yaml_plain import WORDS, plain_is_text

_TEXT = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()


def _yaml_reads_as_text(value: str) -> bool:
    return _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _TEXT


def test_the_words_are_every_plain_word_yaml_reads_as_other_than_text() -> None:
    assert all(not _yaml_reads_as_text(word) for word in WORDS)
    letters = {key for key in _RESOLVER.yaml_implicit_resolvers if key and key.isalpha()}
    tags = {tag for key in letters for tag, _ in _RESOLVER.yaml_implicit_resolvers[key]}
    assert tags == {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}


@pytest.mark.parametrize("value", [
    "000_b2f7513fe25f62c6.txt", "2019-05-15", "2019-5-1 10:20:30", "2019-05-15T10:20:30.5Z",
    "2019-05-15 10:20:30 +01:00", "12", "012", "0o12", "0x1F", "0b101", "1_000", "1e3",
    "1.0e+3", "1.5", ".5", ".inf", "-.INF", ".NaN", "1:30", "190:20:30.15", "+12", "-0",
    "12abc", "1.2.3", "10.0.0.1", "3rd", "5 min read", "1st May", "0xZZ", "08", "09.5",
    "yes", "No", "off", "null", "Null", "~", "<<", "=", "", "y", "n", "nullable", "Yesterday",
    "oN", "ja", "é", "_id", "a: b", "x-1", "0_7", "01_2", "1_2:30", "0b1_0", "0x_f", "1__",
])
def test_known_values(value: str) -> None:
    assert plain_is_text(value) == _yaml_reads_as_text(value)


_PIECES = st.sampled_from(list("0123456789_.:+-eExbTtZ abcfqINF\t") + ["inf", "nan", "NaN", "0x",
                                                                  "0b", "2019-", "-05", "ok"])


@settings(max_examples=2000, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=8).map("".join))
def test_generated_values(value: str) -> None:
    assert plain_is_text(value) == _yaml_reads_as_text(value), value
