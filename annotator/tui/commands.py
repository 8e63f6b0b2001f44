"""Command palette (ctrl+p): offers what the current screen says makes sense now.

A screen that wants palette entries implements `palette_entries()`; the provider only
matches and displays them. Titles and label names are data, so prompts are built as
Content with the match highlighted by hand (Matcher.highlight would parse markup).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content


class PaletteEntry(NamedTuple):
    text: str  # plain text: what is matched and shown
    run: Callable[[], Any]
    help: str = ""
    discover: bool = True  # listed before anything is typed (articles and entities are not)


@runtime_checkable
class HasPaletteEntries(Protocol):
    def palette_entries(self) -> Iterable[PaletteEntry]: ...


class ScreenCommands(Provider):
    """Entries from the calling screen, fuzzy-matched; cheap prefilter for big lists."""

    def _entries(self) -> list[PaletteEntry]:
        screen = self.screen
        return list(screen.palette_entries()) if isinstance(screen, HasPaletteEntries) else []

    async def discover(self) -> Hits:
        for entry in self._entries():
            if entry.discover:
                yield DiscoveryHit(Content(entry.text), entry.run, text=entry.text,
                                   help=Content(entry.help) if entry.help else None)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        needed = set(query.casefold().replace(" ", ""))
        for entry in self._entries():
            if not needed <= set(entry.text.casefold()):
                continue  # the fuzzy matcher is slow; 10,000 article titles need this
            score, offsets = matcher.fuzzy_search.match(query, entry.text)
            if score <= 0:
                continue
            prompt = Content(entry.text)
            for offset in offsets:
                prompt = prompt.stylize(matcher.match_style, offset, offset + 1)
            yield Hit(score, prompt, entry.run, text=entry.text,
                      help=Content(entry.help) if entry.help else None)  # type: ignore[arg-type]
