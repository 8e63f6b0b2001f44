"""What PyYAML reads an unquoted (plain) scalar as, without importing PyYAML.

The fast readers (article headers, annotation files, labels.yaml) take a plain value as
text only where the YAML loader would: `yes`, `null`, `12`, `1e3` and `2019-05-01` are
not text. PyYAML (YAML 1.1) decides by the first character and a pattern; this is that
table for the plain values our files hold, so the editor can start without loading
PyYAML (a sixth of its start-up). tests/test_yaml_plain.py checks it against PyYAML's own
resolver on every kind of value.
"""

from __future__ import annotations

import functools
import re

# Plain words PyYAML reads as booleans or null: the only plain values starting with a
# letter that are not text.
WORDS = frozenset({"yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false",
                   "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
                   "null", "Null", "NULL"})
# What PyYAML's float, int and timestamp resolvers accept (each starts with one of
# _NUMERIC_START): anything else starting with those characters is text. Compiled on first
# use (_could_be_number says when): it is the largest pattern the editor would load.
_NUMBER_OR_DATE = r"""
    [-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?
  | \.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
  | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
  | [-+]?\.(?:inf|Inf|INF)
  | \.(?:nan|NaN|NAN)
  | [-+]?0b[0-1_]+
  | [-+]?0[0-7_]+
  | [-+]?(?:0|[1-9][0-9_]*)
  | [-+]?0x[0-9a-fA-F_]+
  | [-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
  | [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
  | [0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
    (?:[Tt]|[\ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
    (?:[\ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?
"""
_NUMERIC_START = frozenset("-+0123456789.")
_OTHER_TAGS_START = frozenset("~<=!&*")  # null, merge, value; !&* are not plain at all


def plain_is_text(value: str) -> bool:
    """Whether PyYAML reads `value`, written unquoted, as that very string. The caller
    has checked that it is a well-formed plain scalar (no `: `, ` #`, edge spaces)."""
    first = value[:1]
    if not first or first in _OTHER_TAGS_START:
        return False
    if first in _NUMERIC_START:
        return not _could_be_number(value) or _number_or_date().fullmatch(value) is None
    return value not in WORDS


def _could_be_number(value: str) -> bool:
    """False for a value none of those patterns can match: a letter other than the
    exponent's e and a timestamp's T and Z, outside 0x..., 0b..., .inf and .nan (so a
    file name like 000_b2f7.txt is text without the pattern)."""
    bare = value.lstrip("+-")
    if bare[:2] in ("0x", "0b") or bare[1:4] in ("inf", "Inf", "INF", "nan", "NaN", "NAN"):
        return True
    return not any(char.isalpha() and char not in "eEtTzZ" for char in value)


@functools.cache
def _number_or_date() -> re.Pattern[str]:
    return re.compile(_NUMBER_OR_DATE, re.VERBOSE)


_NOT_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@` \t")
_SINGLE_QUOTED = re.compile(r"'((?:[^'\n]|'')*)'")
_DOUBLE_QUOTED = re.compile(r'"([^"\\\n]*)"')


def plain_form(raw: str) -> bool:
    """Whether `raw`, alone after `key: `, is written as one plain scalar: no indicator
    first, no `: ` or ` #` inside, no tab, no space or colon at its edges. (What it then
    stands for is plain_is_text's question.)"""
    return (bool(raw) and raw[0] not in _NOT_PLAIN_START and raw[-1] not in " \t:"
            and ": " not in raw and " #" not in raw and "\t" not in raw)


def single_quoted_text(raw: str) -> str | None:
    """The text of a one-line single-quoted scalar (`'it''s'` -> it's); None for any
    other form."""
    quoted = _SINGLE_QUOTED.fullmatch(raw)
    return quoted.group(1).replace("''", "'") if quoted else None


def scalar_text(raw: str) -> str | None:
    """The text a one-line value stands for, where it is plainly text: plain (as
    plain_is_text allows), single-quoted, or double-quoted without escapes. None for
    anything else (a number, a word like `yes`, an escape, a comment): the YAML loader
    reads those."""
    first = raw[:1]
    if first == "'":
        return single_quoted_text(raw)
    if first == '"':
        quoted = _DOUBLE_QUOTED.fullmatch(raw)
        return quoted.group(1) if quoted else None
    return raw if plain_form(raw) and plain_is_text(raw) else None
