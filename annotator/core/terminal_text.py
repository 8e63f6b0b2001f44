"""Text from articles and files is data: make it safe to put on a terminal.

A raw control character reaching the terminal is an instruction, not text: ESC starts an
escape sequence that renames the window, clears the screen or recolours what follows; CR
returns to column 0; a tab jumps to a stop no layout counted; bidi overrides reorder what
comes after them. Every string the editor, review or a CLI command shows goes through
`visible` (or `one_line`), which turns such characters into visible stand-ins
(ESC -> ␛, DEL -> ␡, C1 and bidi controls -> \\x9b / \\u202e) and expands tabs.
Pure Python: the CLI uses it without loading Rich or Textual.
"""

from __future__ import annotations

import functools
import re

TAB_SIZE = 4

# C0 controls become their Unicode "control picture" (ESC -> ␛); DEL -> ␡.
_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
_PICTURES[0x7F] = "\u2421"
# Bidi overrides and isolates reorder what follows them on screen: show them as escapes.
_BIDI = {0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


@functools.cache  # on first use: compiling it is ~1 ms, and most text never needs it
def _needs_work() -> re.Pattern[str]:
    return re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
                      r"\u2028\u2029\t\r]")


def _stand_in(char: str) -> str:
    code = ord(char)
    if code in _PICTURES:
        return _PICTURES[code]
    if 0x80 <= code <= 0x9F:
        return f"\\x{code:02x}"
    if code in _BIDI or code in (0x2028, 0x2029):
        return f"\\u{code:04x}"
    return char


def visible(text: str, *, keep_newlines: bool = True) -> str:
    """The text with every control character shown as a visible stand-in, tabs expanded.

    Newlines are kept (a sentence may span a line break) unless keep_newlines is False,
    where they become '⏎' (one-line places: titles, notes in a status bar).
    """
    if text.isprintable():  # no control, format or separator character: the usual case
        return text
    needs_work = _needs_work()
    if needs_work.search(text) is None and (keep_newlines or "\n" not in text):
        return text
    text = text.replace("\r\n", "\n")
    if "\t" in text:
        text = text.expandtabs(TAB_SIZE)
    text = needs_work.sub(lambda match: _stand_in(match.group()), text)
    if not keep_newlines:
        text = text.replace("\n", "\u23ce")
    return text


def one_line(text: str) -> str:
    """Visible and on a single line, for titles, names and notes."""
    return visible(text, keep_newlines=False)


def shown(value: object) -> str:
    """Anything the CLI prints (a message, a Problem, a path, an id): str() made visible.

    The one formatter for CLI output; line breaks stay so multi-line messages read as
    written, every other control character becomes a visible stand-in.
    """
    return visible(str(value))
