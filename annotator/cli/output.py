"""Everything a CLI command prints goes through here, so article text cannot drive the terminal.

A title, id, sentence, label, note or file name may hold ESC sequences (rename the window,
clear the screen) or other control characters. `say` prints a message through
core/terminal_text.shown; `safe_console` is a Rich Console for tables whose every rendered
piece of text passes through the same function (colours Rich adds itself are styles, not
text, so they still work). Put data into table cells as Text(one_line(value)) so widths
are counted on what is shown; the console's hook is the guarantee behind that.
"""

from __future__ import annotations

import sys
from typing import IO, TYPE_CHECKING, Any

from annotator.core.terminal_text import one_line, shown

if TYPE_CHECKING:
    from rich.console import Console


def say(message: object, *, file: IO[str] | None = None) -> None:
    """print(), with control characters in the message shown as visible stand-ins."""
    print(shown(message), file=file if file is not None else sys.stdout)


def say_error(message: object) -> None:
    """`annotator: message` on stderr (the form every CLI problem takes)."""
    say(f"annotator: {message}", file=sys.stderr)


def safe_console(**options: Any) -> Console:
    """A Rich Console (Rich loads only here) that shows control characters in text visibly."""
    from rich.console import Console, ConsoleOptions, RenderHook, RenderResult
    from rich.segment import Segment

    class _Visible:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
            for segment in console.render(self.inner, options):
                if segment.control:
                    yield segment
                else:
                    yield Segment(shown(segment.text), segment.style)

    class _Hook(RenderHook):
        def process_renderables(self, renderables: list[Any]) -> list[Any]:
            return [_Visible(item) for item in renderables]

    console = Console(**options)
    console.push_render_hook(_Hook())
    return console



def cell(value: object, style: str = "") -> Any:
    """A table cell or title holding data: a Rich Text of what is shown, on one line.

    Made visible before the table is laid out, so its columns are measured on the ␛ that
    is shown rather than the ESC that would not be (the console's hook alone would keep
    the terminal safe but misalign the row).
    """
    from rich.text import Text

    return Text(one_line(str(value)), style=style)
