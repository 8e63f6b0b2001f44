"""What one annotator said about one sentence. Immutable, so undo can keep old values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class SentenceTags:
    speakers: tuple[str, ...] = ()
    claim: str | None = None
    topics: tuple[str, ...] = ()
    note: str | None = None
    not_content: bool = False
    # Review provenance (gold files only): which annotators this decision matches / overrules.
    agrees_with: tuple[str, ...] = ()
    overrules: tuple[str, ...] = ()

    @property
    def is_tagged(self) -> bool:
        """Counts towards progress: a label or an explicit not-content mark (a note alone is not)."""
        return bool(self.speakers or self.claim or self.topics or self.not_content)

    @property
    def is_empty(self) -> bool:
        return not (self.is_tagged or self.note)

    def labels(self) -> tuple[tuple[str, str], ...]:
        """(layer, id) pairs, for validation against the schema."""
        out = [("speakers", s) for s in self.speakers]
        if self.claim:
            out.append(("claim", self.claim))
        out.extend(("topics", t) for t in self.topics)
        return tuple(out)

    def same_tags(self, other: SentenceTags) -> bool:
        """Equal in what an annotator decided (order of sets and notes aside)."""
        return (
            set(self.speakers) == set(other.speakers)
            and self.claim == other.claim
            and set(self.topics) == set(other.topics)
            and self.not_content == other.not_content
        )

    def with_(self, **changes: object) -> SentenceTags:
        return replace(self, **changes)  # type: ignore[arg-type]


EMPTY = SentenceTags()


def done_indexes(tags: Mapping[int, SentenceTags], non_content: Iterable[int],
                 sentence_count: int) -> set[int]:
    """The sentences that count as done: tagged, or found by the importer not to be prose
    (a dateline, a repeated headline) and left alone by the annotator. The one definition
    of progress, shared by the editor, the article list and `annotator stats`."""
    done = {i for i, t in tags.items() if t.is_tagged and 0 <= i < sentence_count}
    done |= {i for i in non_content if 0 <= i < sentence_count and i not in tags}
    return done
