"""Fast ranked search over an entity layer's names, for pickers over 100,000 speakers.

schema.match_rank says how well a query names one spelling; looping over every
spelling in Python costs seconds per key on a huge labels.yaml. So each layer's folded
spellings (name, id, aliases) are written once into one text, a line per spelling,
sorted by (length, file order): the regular-expression engine finds the lines that can
match in one C pass, and the line number is already the tie-break the ranking wants.
Only those lines are ranked, and callers that show a page ask for the first few.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

from .schema import NO_MATCH, Label, match_rank, normalise_name

WORD = "\x01"  # marks where a word starts in EntityIndex's text; no folded name has it
NARROW_MAX = 5000  # beyond this many lines, scanning the text again is quicker
TAIL = r"[^\n\t]*\t(\d+)"  # the rest of a spelling, then its line number


def _fuzzy(query: str) -> bool:
    """Whether match_rank looks for the query's letters in order (rank 4)."""
    return len(query) >= 3 and " " not in query


def _in_order(word: str) -> str:
    """A pattern for the lines where a word starts with the word's first letter and holds
    the others in order (match_rank's rank 4)."""
    letters = "".join(r"[^\n\t\x01]*" + re.escape(char) for char in word[1:])
    return WORD + re.escape(word[0]) + letters + TAIL


@dataclass(frozen=True)
class Found:
    """The best `labels` (all of them when no limit was asked) of `total` matches."""

    labels: list[Label]
    total: int


class EntityIndex:
    """One layer's spellings, folded once; search() ranks as match_rank does."""

    def __init__(self, labels: Sequence[Label]) -> None:
        self.labels = tuple(labels)
        rows = sorted(
            (len(folded), order, folded)
            for order, label in enumerate(self.labels)
            for folded in {normalise_name(name) for name in
                           (label.name, label.id, *getattr(label, "aliases", ()))}
            if folded)
        self._names = [folded for _, _, folded in rows]
        self._owner = [order for _, order, _ in rows]
        # "\n<spelling>\t<line>" per spelling, each word of it after a WORD mark: one
        # literal ("\x01pom") finds every word starting so, which the engine seeks fast.
        self._text = "".join(f"\n{WORD}{folded.replace(' ', WORD)}\t{line}"
                             for line, folded in enumerate(self._names)) + "\n"
        self._exact: dict[str, list[int]] = {}
        for line, folded in enumerate(self._names):
            self._exact.setdefault(folded, []).append(line)
        self._lines_of: dict[str, list[int]] = {}  # label id -> its lines, for `used`
        for line, order in enumerate(self._owner):
            self._lines_of.setdefault(self.labels[order].id, []).append(line)
        # The last query, the lines any query extending it can match, and whether they
        # include those for the letters-in-order rank.
        self._last: tuple[str, list[int] | None, bool] = ("", None, False)

    def _lines(self, pattern: str) -> set[str]:
        return set(re.findall(pattern, self._text))

    def _tiers(self, query: str) -> list[list[int]]:
        """The matching lines by rank (0 equal ... 4 letters in order), each sorted.

        Typing extends the query, and what matches "amel" matched "ame": then only the
        previous key's few matches are ranked again, not the whole text."""
        last, candidates, covers_fuzzy = self._last
        if candidates is not None and query.startswith(last) \
                and (covers_fuzzy or not _fuzzy(query)):
            tiers = self._ranked(query, candidates)
        else:
            tiers = self._scanned(query)
        lines = sorted(chain.from_iterable(tiers))
        covers_fuzzy = _fuzzy(query)
        if len(query) == 2 and " " not in query:  # the third letter starts the fuzzy rank:
            # keep the lines whose words hold these two letters in order too
            lines = sorted({*lines, *map(int, self._lines(_in_order(query)))})
            covers_fuzzy = True
        self._last = (query, lines if len(lines) <= NARROW_MAX else None, covers_fuzzy)
        return tiers

    def _ranked(self, query: str, lines: Iterable[int]) -> list[list[int]]:
        names = self._names
        if " " not in query:  # a C test first: most lines kept from the last key fail it
            letters = "".join(r"[^ ]*" + re.escape(char) for char in query[1:])
            quick = re.compile(re.escape(query) + (
                f"|(?:^| ){re.escape(query[0])}{letters}" if _fuzzy(query) else ""))
            lines = [line for line in lines if quick.search(names[line])]
        tiers: list[list[int]] = [[] for _ in range(NO_MATCH)]
        for line in lines:
            rank = match_rank(query, names[line])
            if rank < NO_MATCH:
                tiers[rank].append(line)
        return tiers

    def _scanned(self, query: str) -> list[list[int]]:
        words = query.split()
        tail = TAIL
        if len(words) > 1:
            longest = re.escape(max(words, key=len))
            return self._ranked(query, sorted(map(int, self._lines(longest + tail))))
        word = re.escape(query)
        inside = self._lines(word + tail)
        fuzzy: set[str] = set()
        if _fuzzy(query):
            fuzzy = self._lines(_in_order(query)) - inside
        if len(inside) <= NARROW_MAX:  # few: rank them one by one
            tiers = self._ranked(query, sorted(map(int, inside)))
            tiers[4] = sorted(map(int, fuzzy))
            return tiers
        # Many (a letter or two): one more C scan per rank, no Python per line.
        exact = {str(line) for line in self._exact.get(query, ())}
        prefix = self._lines("\n" + WORD + word + tail)
        start = self._lines(WORD + word + tail) | prefix
        ranked = [exact, prefix - exact, start - prefix, inside - start, fuzzy]
        return [sorted(map(int, lines)) for lines in ranked]

    def search(self, query: str, used: Collection[str] = (), limit: int | None = None) -> Found:
        """Labels best first: by rank, then those in `used`, then the shortest matching
        spelling, then file order (schema.LabelSchema.search documents the ranks)."""
        query = normalise_name(query)
        if not query:
            ordered = sorted(self.labels, key=lambda label: label.id not in used) if used \
                else list(self.labels)
            return Found(ordered[:limit] if limit is not None else ordered, len(ordered))
        tiers = self._tiers(query)
        owner = self._owner
        total = len(set(map(owner.__getitem__, chain.from_iterable(tiers))))
        used_lines = {line for label_id in used for line in self._lines_of.get(label_id, ())}
        chosen: list[int] = []
        seen: set[int] = set()
        for tier in tiers:  # a label counts at its best rank, at its shortest spelling there
            here = [line for line in tier if line in used_lines] if used_lines else []
            for line in chain(here, tier):
                order = owner[line]
                if order in seen:
                    continue
                seen.add(order)
                chosen.append(order)
                if limit is not None and len(chosen) >= limit:
                    return Found([self.labels[order] for order in chosen], total)
        return Found([self.labels[order] for order in chosen], total)
