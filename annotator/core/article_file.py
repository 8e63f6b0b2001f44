"""Reading an article file fast: the layout Article.to_yaml writes, parsed in three parts.

A 5 MB article holds ~60,000 `- [start, end]` lines; building a YAML node for each of
their 180,000 scalars took 5 s. The header and the text are still read by the YAML
loader (so quoting and escapes mean what YAML says); the sentence spans, which are only
ever written as `- [int, int]`, are read with string methods and checked in bulk. A text
written as a literal block (`text: |-`, how the dumper writes prose) is un-indented with
string methods too, and kept only if its hash is the header's text_sha; any other text goes
to the YAML loader. A file laid out any other way (edited by hand), or holding a bad span,
is read by the YAML loader whole, as before, so its problems are reported as before.

The header, too, is read with string methods when it has the shape to_yaml writes (one
`key: value` a line, values that are plainly text, numbers, null or lists of numbers), so
opening an article needs no PyYAML at all: the editor starts without loading it.
"""

from __future__ import annotations

import json
import operator
import re
from pathlib import Path
from typing import Any

from .errors import CorpusError
from .yaml_plain import scalar_text

_SPAN_LINES = re.compile(r"(?:- \[[0-9]+, [0-9]+\]\n)*")


class CheckedSpans(tuple):  # type: ignore[type-arg]
    """(start, end) pairs already checked against a text of `size` characters (every
    0 <= start < end <= size), so article_from_data need not check 60,000 of them again."""

    size: int


def load_article_data(path: Path, header_end: str) -> Any:
    """The file's mapping, as the YAML loader would return it (but for the spans, which
    may come as CheckedSpans). Raises OSError or UnicodeDecodeError, and CorpusError for
    what is not YAML."""
    with open(path, encoding="utf-8") as handle:
        raw = handle.read()
    data = _split_read(raw, header_end)
    return parse_yaml_of(raw, path) if data is None else data


def parse_yaml_of(text: str, path: Path) -> Any:
    """The YAML loader's reading of (part of) an article file; CorpusError naming the file
    and line when it is not YAML. PyYAML loads here, only for files the fast paths refuse."""
    import yaml

    from .yamlio import parse_yaml, yaml_problem

    try:
        return parse_yaml(text)
    except yaml.YAMLError as exc:
        raise CorpusError(yaml_problem(path, exc)) from None


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
    head = read_header(raw[:at + 1])
    body = _literal_text(tail, head) if head is not None else None
    if head is None or body is None:
        try:
            head = parse_yaml_of(raw[:at + 1], Path()) if head is None else head
            body = body or parse_yaml_of(tail, Path())
        except CorpusError:
            return None  # the whole file is parsed again, so the error has its true line
    key = header_end[:-1]
    if (not isinstance(head, dict) or not isinstance(body, dict) or set(body) != {"text"}
            or key in head or "text" in head or not isinstance(body["text"], str)):
        return None
    text = body["text"]
    numbers = span_numbers(raw[rest_at:spans_end])
    if numbers is None:
        return None  # not the layout to_yaml writes
    starts, ends = numbers[0::2], numbers[1::2]
    if starts and not (min(starts) >= 0 and max(ends) <= len(text)
                       and all(map(operator.lt, starts, ends))):
        return None  # a bad span: the full read reports it with its number
    spans = CheckedSpans(zip(starts, ends))
    spans.size = len(text)
    head[key] = spans
    head["text"] = text
    return head


def span_numbers(block: str) -> list[int] | None:
    """`- [3, 9]\n- [10, 12]\n` -> [3, 9, 10, 12], or None for any other layout: one
    regular expression checks it and the JSON parser reads the numbers, both in C (no
    Python loop over 60,000 lines). The export's article reader uses it too."""
    if _SPAN_LINES.fullmatch(block) is None:
        return None
    try:
        numbers = json.loads("[" + block.replace("- [", "").replace("]\n", ",")[:-1] + "]")
    except ValueError:
        return None  # a number JSON does not read (say 007): the YAML loader decides
    return numbers if isinstance(numbers, list) else None


_LITERAL_HEAD = re.compile(r"text: \|([1-9]?)([-+]?)\n")


def literal_text(raw: str, at: int) -> str | None:
    """The text of `text: |` (any chomping, any indentation indicator) at `at`, as the
    dumper writes it, to the end of the file; None for another style. The caller checks
    the result against the header's text_sha: lines lose their indentation with one
    replace, and anything this does not undo as YAML would (a line indented less, spaces
    on a blank line, a comment after the block) gives another text, refused there."""
    head = _LITERAL_HEAD.match(raw, at)
    if head is None:
        return None
    pad = "\n" + " " * int(head.group(1) or 2)
    body = raw[head.end():]
    if body.endswith("\n...\n"):  # the end-of-document mark the dumper puts after `|+`
        body = body[:-4]
    text = ("\n" + body).replace(pad, "\n")[1:]
    chomp = head.group(2)
    if chomp == "+":
        return text if text.endswith("\n") or not text else text + "\n"
    text = text.rstrip("\n")
    return text + "\n" if chomp == "" and text else text


def _literal_text(tail: str, head: Any) -> dict[str, str] | None:
    """{"text": ...} read by literal_text, or None to let the YAML loader read it (another
    style, or a result whose hash is not the header's text_sha: this is only ever a
    shortcut, checked in full)."""
    stored = head.get("text_sha") if isinstance(head, dict) else None
    if not isinstance(stored, str) or len(stored) < 16:
        return None
    text = literal_text(tail, 0)
    from .article import text_hash  # article.py imports this module

    return {"text": text} if text is not None and text_hash(text, len(stored)) == stored else None


_HEADER_LINE = re.compile(r"([a-z_][a-z0-9_]*):(?: (.*))?")
_INT = re.compile(r"0|[1-9][0-9]{0,17}")
_INT_LIST = re.compile(r"\[(?:(?:0|[1-9][0-9]{0,17})(?:, (?:0|[1-9][0-9]{0,17}))*)?\]")
_NUMBERED = re.compile(r"  (0|[1-9][0-9]{0,17}): (.*)")


def read_header(text: str) -> dict[str, Any] | None:
    """The header as the YAML loader reads it, for the shape Article.to_yaml writes: one
    `key: value` a line, each value null, a number, a list of numbers, text (scalar_text)
    or a block of `  number: text` lines (the not-content reasons). None for anything
    else (a comment, a nested mapping, a quote with escapes, a character YAML may not
    allow): the YAML loader reads those, as before."""
    if not text.endswith("\n") or not text.replace("\n", "").isprintable():
        return None
    lines = text[:-1].split("\n")
    data: dict[str, Any] = {}
    at = 0
    while at < len(lines):
        line = _HEADER_LINE.fullmatch(lines[at])
        at += 1
        if line is None or line.group(1) in data:
            return None
        raw = line.group(2)
        value: Any
        if raw is None:
            numbered: dict[int, str] = {}
            while at < len(lines) and (item := _NUMBERED.fullmatch(lines[at])):
                number, reason = int(item.group(1)), scalar_text(item.group(2))
                if reason is None or number in numbered:
                    return None
                numbered[number] = reason
                at += 1
            if not numbered:
                return None
            value = numbered
        elif raw == "null":
            value = None
        elif _INT.fullmatch(raw):
            value = int(raw)
        elif raw[:1] == "[":
            if not _INT_LIST.fullmatch(raw):
                return None
            value = [int(number) for number in raw[1:-1].split(", ")] if raw != "[]" else []
        else:
            value = scalar_text(raw)
            if value is None:
                return None
        data[line.group(1)] = value
    return data
