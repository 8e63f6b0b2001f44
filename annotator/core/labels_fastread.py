"""A fast reader for labels.yaml files in the shape this project writes and documents.

Composing a labels.yaml of 100,000 speakers with PyYAML takes seconds: its C composer calls
back into Python's resolver for every one of ~1M scalars. The files people keep are all one
shape (the bundled labels.yaml, `annotator init`'s sample, docs/layers.md): block mappings
and sequences indented with spaces, plain or simply quoted scalars, inline lists of plain
names, `{id: .., name: ..}` lines and `>-` descriptions. This reader reads exactly that
shape into the same YAML nodes PyYAML would build (tags, values, line and column), so
schema.py's one checker validates both. On anything else it returns None and the caller
composes the text with PyYAML, which stays the reference and gives every YAML error
message: declining is always safe, reading something differently never is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

import yaml
from yaml.resolver import Resolver

from .yaml_plain import WORDS, plain_form

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
# What a plain scalar may not start with (indicators), contain, or be followed by.
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +|$)")
_FLOW_BAD = set("[]{}:?#\"'")
# The resolver's own table: first character -> [(tag, regexp)], as PyYAML applies it.
_IMPLICIT = Resolver.yaml_implicit_resolvers
# PyYAML refuses these characters or reads them as line breaks (\x85, \u2028, \u2029);
# a tab, a carriage return or a byte order mark is left to it too.
_NOT_OURS = re.compile("[^\x0A\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD"
                       "\U00010000-\U0010ffff]")


class Mark(NamedTuple):
    """Where a node starts (0-based, like yaml.Mark); all the checker reads of a mark."""

    line: int
    column: int


# Marks for the nodes built here: the checker reads no more of a yaml.Mark than this.
_at: Callable[[int, int], yaml.Mark] = Mark  # type: ignore[assignment]


class Entry:
    """A label written in the editor's own four lines (`- id:`, `name:`, then `kind:` and
    an inline `aliases:` list if any), read by one regular expression: at 100,000
    speakers, building a node per value is most of the time. The checker reads it as it
    reads a label's mapping node (schema.py)."""

    __slots__ = ("line", "indent", "id", "name", "kind", "aliases", "listed")

    def __init__(self, line: int, indent: int, label_id: str, name: str, kind: str | None,
                 aliases: list[str] | None, listed: list[str] | None = None):
        self.line = line  # of `- id:`, 0-based; the fields follow one a line
        self.indent = indent  # of the dash
        self.id = label_id
        self.name = name
        self.kind = kind
        self.aliases = aliases  # None when there is no aliases line
        self.listed = listed  # the aliases as written (quoted or not), for their columns

    def alias_columns(self) -> list[int]:
        """The column (0-based) of each alias: only a message needs them."""
        columns = []
        column = self.indent + 12  # after `  aliases: [`
        for item in self.listed if self.listed is not None else self.aliases or ():
            columns.append(column)
            column += len(item) + 2
        return columns

    def fields(self) -> list[tuple[str, int, int]]:
        """(field, line, column of its value) in file order (0-based)."""
        at = self.indent + 2
        out = [("id", self.line, at + 4), ("name", self.line + 1, at + 6)]
        if self.kind is not None:
            out.append(("kind", self.line + len(out), at + 6))
        if self.aliases is not None:
            out.append(("aliases", self.line + len(out), at + 9))
        return out


class Decline(Exception):
    """The text is not in the shape this reader knows: compose it with PyYAML instead."""


def _plain(value: str, line: int, column: int, flow: bool = False) -> yaml.ScalarNode:
    """A plain scalar's node, tagged as PyYAML's resolver would tag it."""
    if not plain_form(value) or (flow and _FLOW_BAD.intersection(value)):
        raise Decline
    tag = _STR
    for candidate, regexp in _IMPLICIT.get(value[0], ()):
        if regexp.match(value):
            tag = candidate
            break
    mark = _at(line, column)
    return yaml.ScalarNode(tag, value, mark, mark)


# The ASCII characters _NOT_OURS finds.
_CONTROLS = "".join(chr(code) for code in (*range(0x0A), *range(0x0B, 0x20), 0x7F))


def _not_ours(text: str) -> bool:
    """Whether the text holds a character _NOT_OURS finds: in ASCII text (most files),
    one of the _CONTROLS, each looked for on its own (five times quicker on 10 MB)."""
    if text.isascii():
        return any(char in text for char in _CONTROLS)
    return _NOT_OURS.search(text) is not None


# A value of an Entry: double-quoted with nothing to unescape, or plain, starting with a
# letter, with no ':' or '#' and no trailing space (which could make it something else).
_VALUE = r'("[^"\\\n]*"|[A-Za-z](?:[^\n:#]*[^\n:# ])?)'
# An alias in an inline list: the same, without the characters that end it there.
_ITEM = r'(?:"[^"\\\n,]*"|[A-Za-z](?:[^\n,\[\]{}:?#"]*[^\n,\[\]{}:?#" ])?)'
_LANES: dict[int, re.Pattern[str]] = {}


def _lane(indent: int) -> re.Pattern[str]:
    """The regular expression of an Entry whose dash is at `indent`: its lines, then no
    line indented deeper (which would be one more field)."""
    if indent not in _LANES:
        dash, pad = " " * indent, " " * (indent + 2)
        _LANES[indent] = re.compile(
            rf"{dash}- id: {_VALUE}\n{pad}name: {_VALUE}\n(?:{pad}kind: {_VALUE}\n)?"
            rf"(?:{pad}aliases: \[((?:{_ITEM}(?:, {_ITEM})*)?)\]\n)?"
            rf"(?! {{{indent + 1},}}[^ \n#])")
    return _LANES[indent]


def _unquoted(raw: str) -> str:
    return raw[1:-1] if raw[0] == '"' else raw


def _flow_scalar(raw: str, line: int, column: int) -> yaml.ScalarNode:
    """An item of a one-line flow list or mapping: plain, or double-quoted as simply."""
    if raw[:1] == '"':
        body = raw[1:-1]
        if len(raw) < 2 or raw[-1] != '"' or '"' in body or "\\" in body:
            raise Decline
        mark = _at(line, column)
        return yaml.ScalarNode(_STR, body, mark, mark, style='"')
    return _plain(raw, line, column, flow=True)


class _Reader:
    def __init__(self, text: str):
        if _not_ours(text):
            raise Decline
        self.text = text
        self.lines = text.split("\n")
        self.known = (0, 0)  # a line and where it starts in text (see offset)
        self.at = 0  # the next line to read
        self.skip()

    def skip(self) -> None:
        """Past blank lines and whole-line comments (outside a block scalar, both are)."""
        lines = self.lines
        while self.at < len(lines):
            stripped = lines[self.at].lstrip(" ")
            if stripped and stripped[0] != "#":
                return
            self.at += 1

    def indent(self) -> int:
        """Indentation of the next content line; -1 at the end of the text."""
        if self.at >= len(self.lines):
            return -1
        line = self.lines[self.at]
        return len(line) - len(line.lstrip(" "))

    def document(self) -> yaml.Node:
        if self.indent() != 0:
            raise Decline
        first = self.lines[self.at]
        if first.startswith(("---", "...", "%", "- ")) or first == "-":
            raise Decline
        root = self.mapping(0, self.at, 0, first)
        if self.at < len(self.lines):
            raise Decline  # something left over, less indented than... nothing: odd
        return root

    def mapping(self, indent: int, line: int, column: int, rest: str) -> yaml.MappingNode:
        """A block mapping at `indent`, whose first key starts `rest` at (line, column)."""
        pairs: list[tuple[yaml.Node, yaml.Node]] = []
        start = _at(line, column)
        while True:
            match = _KEY.match(rest)
            if match is None:
                raise Decline
            key = _plain(match.group(1), line, column)
            value_column = column + match.end()
            self.at = line + 1
            pairs.append((key, self.value(indent, line, value_column, rest[match.end():])))
            self.skip()
            next_indent = self.indent()
            if next_indent < indent:
                break
            if next_indent > indent:
                raise Decline  # a plain scalar going on over lines, or worse
            line, column = self.at, indent
            rest = self.lines[line][indent:]
            if rest.startswith("- ") or rest == "-":
                break  # a sequence at the mapping's own indentation: its parent's business
        return yaml.MappingNode(_MAP, pairs, start, start)

    def value(self, indent: int, line: int, column: int, rest: str) -> yaml.Node:
        """The value of a key at `indent`, written from (line, column) on as `rest`."""
        if not rest:  # the value is the block below: a mapping or a sequence
            self.skip()
            below = self.indent()
            text = self.lines[self.at][below:] if below >= 0 else ""
            is_seq = text.startswith("- ") or text == "-"
            if below > indent and not is_seq:
                return self.mapping(below, self.at, below, text)
            if is_seq and below >= indent:
                return self.sequence(below)
            raise Decline  # an empty value (null): rare, and its mark is subtle
        if rest == ">-":
            return self.folded(indent, line, column)
        return self.inline(rest, line, column)

    def inline(self, rest: str, line: int, column: int) -> yaml.Node:
        """A value on one line: a flow list or mapping, a quoted or plain scalar."""
        first = rest[0]
        if first == "[":
            return self.flow_list(rest, line, column)
        if first == "{":
            return self.flow_map(rest, line, column)
        if first in "\"'":
            body = rest[1:-1]
            if len(rest) < 2 or rest[-1] != first or first in body or "\\" in body:
                raise Decline
            mark = _at(line, column)
            return yaml.ScalarNode(_STR, body, mark, mark, style=first)
        return _plain(rest.rstrip(" "), line, column)

    def flow_items(self, rest: str, line: int, column: int, close: str) -> list[tuple[str, int]]:
        """(item, column) of `[a, b]` or `{a: b}` written on one line, nothing after it."""
        if not rest.endswith(close):
            raise Decline
        body = rest[1:-1]
        if not body.strip(" "):
            if body:
                raise Decline
            return []
        items = []
        offset = column + 1
        for part in body.split(","):
            item = part.lstrip(" ")
            items.append((item.rstrip(" "), offset + len(part) - len(item)))
            offset += len(part) + 1
        return items

    def flow_list(self, rest: str, line: int, column: int) -> yaml.SequenceNode:
        items = [_flow_scalar(item, line, at)
                 for item, at in self.flow_items(rest, line, column, "]")]
        mark = _at(line, column)
        return yaml.SequenceNode(_SEQ, items, mark, mark, flow_style=True)

    def flow_map(self, rest: str, line: int, column: int) -> yaml.MappingNode:
        pairs: list[tuple[yaml.Node, yaml.Node]] = []
        for item, at in self.flow_items(rest, line, column, "}"):
            key, sep, value = item.partition(": ")
            body = value.lstrip(" ")
            if not sep or not body:
                raise Decline
            pairs.append((_plain(key, line, at, flow=True),
                          _flow_scalar(body, line, at + len(key) + 2 + len(value) - len(body))))
        mark = _at(line, column)
        return yaml.MappingNode(_MAP, pairs, mark, mark, flow_style=True)

    def folded(self, indent: int, line: int, column: int) -> yaml.ScalarNode:
        """`>-`: lines of one indentation deeper than the key, folded into one with spaces
        (blank or more-indented lines fold differently: declined)."""
        parts: list[str] = []
        lines = self.lines
        block = -1
        while self.at < len(lines):
            text = lines[self.at]
            body = text.lstrip(" ")
            depth = len(text) - len(body)
            if not body or depth <= indent:
                break
            if block < 0:
                block = depth
            if depth != block or body != body.rstrip(" "):
                raise Decline
            parts.append(body)
            self.at += 1
        if not parts:
            raise Decline
        # A blank line then more of the block would fold into a line break.
        after = self.at
        while after < len(lines) and not lines[after].strip(" "):
            after += 1
        if after < len(lines) and len(lines[after]) - len(lines[after].lstrip(" ")) > indent:
            raise Decline
        mark = _at(line, column)
        return yaml.ScalarNode(_STR, " ".join(parts), mark, mark, style=">")

    def sequence(self, indent: int) -> yaml.SequenceNode:
        """A block sequence whose `- ` items start at `indent`."""
        items: list[yaml.Node] = []
        start = _at(self.at, indent)
        while self.indent() == indent:
            line = self.at
            text = self.lines[line]
            if not text.startswith("- ", indent):
                break
            rest = text[indent + 2:]
            body = rest.lstrip(" ")
            column = indent + 2 + len(rest) - len(body)
            if not body:
                raise Decline
            entries = self.entries(line, indent) if body.startswith("id: ") else None
            if entries:
                items.extend(entries)  # type: ignore[arg-type] # schema.py reads them too
                self.skip()
            elif _KEY.match(body):
                items.append(self.mapping(column, line, column, body))
            else:
                self.at = line + 1
                items.append(self.inline(body, line, column))
                self.skip()
        if self.indent() > indent:
            raise Decline
        return yaml.SequenceNode(_SEQ, items, start, start)


    def entries(self, line: int, indent: int) -> list[Entry]:
        """The run of Entries starting at `line`, one right after the other."""
        lane = _lane(indent)
        text = self.text
        found: list[Entry] = []
        position = self.offset(line)
        while (match := lane.match(text, position)) is not None:
            label_id, name, kind, aliases = match.groups()
            if label_id in WORDS or name in WORDS or kind in WORDS:
                break
            listed: list[str] | None = None
            if aliases is not None:
                listed = aliases.split(", ") if aliases else []
                if not WORDS.isdisjoint(listed):
                    break
            if label_id[0] == '"':
                label_id = label_id[1:-1]
            if name[0] == '"':
                name = name[1:-1]
            if kind is not None and kind[0] == '"':
                kind = kind[1:-1]
            if listed is not None and '"' in aliases:
                found.append(Entry(line, indent, label_id, name, kind,
                                   [_unquoted(item) for item in listed], listed))
            else:
                found.append(Entry(line, indent, label_id, name, kind, listed))
            line += 2 + (kind is not None) + (aliases is not None)
            position = match.end()
        self.at = line
        return found

    def offset(self, line: int) -> int:
        """Where `line` starts in the text (lines are read forward: count on from the last
        line asked for)."""
        known, at = self.known
        if line < known:
            known, at = 0, 0
        at += sum(map(len, self.lines[known:line])) + line - known
        self.known = (line, at)
        return at


def read_labels(text: str) -> yaml.Node | None:
    """The node tree PyYAML would compose from `text`, or None when the text is not in the
    shape this reader knows for sure (then compose it with PyYAML)."""
    try:
        reader = _Reader(text)
        if reader.at >= len(reader.lines):
            return None  # empty: PyYAML's answer (None) says it
        return reader.document()
    except Decline:
        return None
