"""Reading an article file fast: the layout Article.to_yaml writes, parsed in three parts.

A 5 MB article holds ~60,000 `- [start, end]` lines; building a YAML node for each of
their 180,000 scalars took 5 s. The header and the text are still read by the YAML
loader (so quoting and escapes mean what YAML says); the sentence spans, which are only
ever written as `- [int, int]`, are read with string methods and checked in bulk. A file
laid out any other way (edited by hand), or holding a bad span, is read by the YAML loader
whole, as before, so its problems are reported as before.
"""

from __future__ import annotations

import operator
from pathlib import Path
from typing import Any

import yaml

from .yamlio import parse_yaml


class CheckedSpans(tuple):  # type: ignore[type-arg]
    """(start, end) pairs already checked against a text of `size` characters (every
    0 <= start < end <= size), so article_from_data need not check 60,000 of them again."""

    size: int


def load_article_data(path: Path, header_end: str) -> Any:
    """The file's mapping, as the YAML loader would return it (but for the spans, which
    may come as CheckedSpans). Raises OSError, UnicodeDecodeError or yaml.YAMLError like
    load_yaml_file."""
    with open(path, encoding="utf-8") as handle:
        raw = handle.read()
    data = _split_read(raw, header_end)
    return parse_yaml(raw) if data is None else data


def _split_read(raw: str, header_end: str) -> dict[str, Any] | None:
    marker = f"\n{header_end}\n"
    at = raw.find(marker)
    if at < 0:
        return None
    rest_at = at + len(marker)
    spans_end = raw.find("\ntext:", rest_at - 1) + 1  # the spans end where the text begins
    if spans_end <= 0:
        return None
    tail = raw[spans_end:]
    try:
        head = parse_yaml(raw[:at + 1])
        body = parse_yaml(tail)
    except yaml.YAMLError:
        return None  # the whole file is parsed again, so the error has its true line
    key = header_end[:-1]
    if (not isinstance(head, dict) or not isinstance(body, dict) or set(body) != {"text"}
            or key in head or "text" in head or not isinstance(body["text"], str)):
        return None
    text = body["text"]
    block = raw[rest_at:spans_end]
    # "- [3, 9]\n- [10, 12]\n" -> 3, 9, 10, 12: string methods and map, no Python loop.
    items = block.replace("- [", "").replace("]\n", ", ").split(", ")[:-1]
    if len(items) != 2 * block.count("\n") or not "".join(items).isdigit() and items:
        return None  # not the layout to_yaml writes
    numbers = list(map(int, items))
    starts, ends = numbers[0::2], numbers[1::2]
    if starts and not (min(starts) >= 0 and max(ends) <= len(text)
                       and all(map(operator.lt, starts, ends))):
        return None  # a bad span: the full read reports it with its number
    spans = CheckedSpans(zip(starts, ends))
    spans.size = len(text)
    head[key] = spans
    head["text"] = text
    return head
