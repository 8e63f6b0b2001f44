"""brat standoff files: parse and check an .ann against its text, and write one.

The format (brat.nlplab.org/standoff.html) is one annotation a line, fields split by
tabs: `T1<TAB>Type 0 5;9 12<TAB>text` (text-bound, fragments split by `;`),
`R1<TAB>Type Arg1:T1 Arg2:T2`, `E1<TAB>Type:T3 Role:T1 Role:T2`, `A1<TAB>Type T1 [value]`
(M is the old name of A), `N1<TAB>Reference T1 db:id<TAB>text`, `#1<TAB>Type T1<TAB>note`
and `*<TAB>Equiv T1 T2`. Offsets count characters (code points) of the .txt exactly as
stored, \\r of a CRLF file included.

Parsing is strict where a mistake would put tags on the wrong sentence: an offset past
the end of the text, a span whose text is not the text at its offsets, an id used twice
or a reference to an id that does not exist refuse the whole file, naming the line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CorpusError, Problem


@dataclass(frozen=True)
class TextBound:
    id: str
    type: str
    fragments: tuple[tuple[int, int], ...]
    text: str
    line: int

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


@dataclass(frozen=True)
class Link:
    """A relation or an event: typed arguments (role, target id); an event's trigger too."""

    id: str
    type: str
    args: tuple[tuple[str, str], ...]
    line: int
    trigger: str | None = None


@dataclass(frozen=True)
class Attribute:
    id: str
    type: str
    target: str
    value: str | None
    line: int


@dataclass(frozen=True)
class Note:
    id: str
    type: str
    target: str
    text: str
    line: int


@dataclass
class AnnFile:
    path: Path | str
    textbounds: dict[str, TextBound] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    ignored: Counter[str] = field(default_factory=Counter)  # kind of line -> count


_T_BODY = re.compile(r"(\S+) (\d+ \d+(?:;\d+ \d+)*)")
_ID = re.compile(r"[A-Za-z#]\S*|\*")


def _same_text(given: str, actual: str) -> bool:
    """brat joins fragments with a space and some tools fold whitespace: compare words."""
    return given.split() == actual.split()


def parse_ann(content: str, path: Path | str, text: str) -> AnnFile:
    """Parse and check an .ann against its text; CorpusError naming the first bad line."""
    ann = AnnFile(path)
    ids: dict[str, int] = {}
    references: list[tuple[str, int]] = []

    def fail(number: int, message: str) -> CorpusError:
        return CorpusError(Problem(path, f"{message}; file not imported", number))

    for number, line in enumerate(content.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        fields = line.split("\t")
        ident = fields[0]
        if not _ID.fullmatch(ident):
            raise fail(number, f"not a brat annotation line (an id such as T1 must start it): "
                               f"{_shorten(line)!r}")
        kind = ident[0]
        if kind != "*":
            if ident in ids:
                raise fail(number, f"id {ident} is used twice (first on line {ids[ident]})")
            ids[ident] = number
        body = fields[1] if len(fields) > 1 else ""
        if kind == "T":
            match = _T_BODY.fullmatch(body)
            if match is None or len(fields) < 3:
                raise fail(number, f"{ident}: expected `{ident}<TAB>Type START END<TAB>text`")
            fragments = []
            for piece in match.group(2).split(";"):
                start, end = (int(v) for v in piece.split())
                if start > end:
                    raise fail(number, f"{ident}: span {start}-{end} ends before it starts")
                if end > len(text):
                    raise fail(number, f"{ident}: offset {end} is past the end of the text "
                                       f"({len(text)} characters); the .ann does not fit its .txt")
                fragments.append((start, end))
            given = "\t".join(fields[2:])
            actual = " ".join(text[s:e] for s, e in fragments)
            if not _same_text(given, actual):
                hint = (" (were the offsets counted with \\n line ends? the .txt has \\r\\n)"
                        if "\r" in text else "")
                raise fail(number, f"{ident}: the text at {match.group(2)} is "
                                   f"{_shorten(actual)!r}, not {_shorten(given)!r}; the .ann "
                                   f"does not fit its .txt{hint}")
            ann.textbounds[ident] = TextBound(ident, match.group(1), tuple(fragments), given,
                                              number)
        elif kind in "RE":
            parts = body.split()
            if not parts:
                raise fail(number, f"{ident}: no type")
            args = []
            trigger = None
            head = parts[0]
            if kind == "E":
                if ":" not in head:
                    raise fail(number, f"{ident}: expected `{ident}<TAB>Type:T1 Role:T2 ...`")
                head, trigger = head.split(":", 1)
                references.append((trigger, number))
            for part in parts[1:]:
                role, sep, target = part.partition(":")
                if not sep or not role or not target:
                    raise fail(number, f"{ident}: argument {part!r} is not Role:ID")
                args.append((role, target))
                references.append((target, number))
            if kind == "R" and len(args) != 2:
                raise fail(number, f"{ident}: a relation needs two arguments (Arg1:T1 Arg2:T2)")
            ann.links.append(Link(ident, head, tuple(args), number, trigger))
        elif kind in "AM":
            parts = body.split()
            if len(parts) not in (2, 3):
                raise fail(number, f"{ident}: expected `{ident}<TAB>Type TARGET [VALUE]`")
            references.append((parts[1], number))
            ann.attributes.append(Attribute(ident, parts[0], parts[1],
                                            parts[2] if len(parts) == 3 else None, number))
        elif kind == "#":
            parts = body.split()
            if len(parts) != 2:
                raise fail(number, f"{ident}: expected "
                                   f"`{ident}<TAB>AnnotatorNotes TARGET<TAB>note`")
            references.append((parts[1], number))
            ann.notes.append(Note(ident, parts[0], parts[1], "\t".join(fields[2:]), number))
        elif kind == "N":
            ann.ignored["normalizations (N)"] += 1
        elif kind == "*":
            ann.ignored["equivalences (*)"] += 1
        else:
            raise fail(number, f"unknown annotation kind {ident!r} (expected T, R, E, A, M, N, "
                               "# or *)")
    for target, number in references:
        if target not in ids:
            raise fail(number, f"refers to {target}, which is not defined in this file")
    return ann


def _shorten(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


# --------------------------------------------------------------------------- writing


def fragments_without_breaks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span cut at line breaks: the .ann is line-based, so brat cannot hold a newline."""
    out = []
    position = start
    for piece in re.split(r"(\r\n|\r|\n)", text[start:end]):
        if piece in ("\r\n", "\r", "\n"):
            position += len(piece)
            continue
        stripped_left = len(piece) - len(piece.lstrip())
        stripped_right = len(piece.rstrip())
        if piece.strip():
            out.append((position + stripped_left, position + stripped_right))
        position += len(piece)
    return out or [(start, end)]


def one_line(value: str) -> str:
    """Note text on one line: tabs and line breaks become spaces."""
    return " ".join(value.replace("\t", " ").splitlines())
