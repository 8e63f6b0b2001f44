"""Gold's "nothing to tag": the reviewer's decision that a sentence has no label in any layer.

An annotator who marks an article done says that what they left untagged has nothing to
tag (review.NOTHING). Gold must be able to side with them. A sentence entry of an
annotation file holds labels or a not-content mark, and an entry with neither is not
written, so gold records these decisions beside its entries, in the gold file's header,
with the provenance other gold decisions carry:

```yaml
nothing_to_tag:
  4:
    agrees_with: [bob]
    overrules: [alice]
```

In memory a gold "nothing to tag" is a SentenceTags with no labels and no not-content
mark but with provenance (no other gold sentence looks like that: provenance is cleared
from a sentence with no decision), so the session's undo, redo and saving handle it like
any other change. ``export --gold`` leaves these sentences out (docs/review.md says why).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .annotation_file import read_doc
from .errors import StoreError
from .tags import SentenceTags
from .yamlio import FlowList

KEY = "nothing_to_tag"  # the gold file's header key
_MARK = f"\n{KEY}:".encode()


def is_nothing(tags: SentenceTags | None) -> bool:
    """Gold decided the sentence has nothing to tag."""
    return (tags is not None and not tags.values and not tags.not_content
            and bool(tags.agrees_with or tags.overrules))


def is_decided(tags: SentenceTags | None) -> bool:
    """Gold has a decision for the sentence: labels, not content, or nothing to tag."""
    return tags is not None and (tags.is_tagged or is_nothing(tags))


def as_record(tags: SentenceTags) -> dict[str, FlowList]:
    """One sentence's entry under ``nothing_to_tag`` (its provenance)."""
    record = {}
    if tags.agrees_with:
        record["agrees_with"] = FlowList(tags.agrees_with)
    if tags.overrules:
        record["overrules"] = FlowList(tags.overrules)
    return record


def read_records(value: Any, sentence_count: int) -> tuple[dict[int, SentenceTags], list[str]]:
    """The decisions a gold header holds, and what in it could not be used (in words).

    A hand edit into nonsense is reported and left in the file as it is; only the
    entries that make sense are taken."""
    if value is None:
        return {}, []
    if not isinstance(value, Mapping):
        return {}, [f"{KEY}: expected a mapping of sentence index to provenance; ignored"]
    found: dict[int, SentenceTags] = {}
    problems = []
    for index, record in value.items():
        if (not isinstance(index, int) or isinstance(index, bool)
                or not 0 <= index < sentence_count):
            problems.append(f"{KEY}: {index!r} is not a sentence index of this article; ignored")
            continue
        names = _names(record)
        if names is None:
            problems.append(f"{KEY}: sentence {index}: expected {{agrees_with: [...], "
                            "overrules: [...]}} with at least one annotator; ignored")
            continue
        found[index] = SentenceTags(agrees_with=names[0], overrules=names[1])
    return found, problems


def _names(record: Any) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    if not isinstance(record, Mapping) or set(record) - {"agrees_with", "overrules"}:
        return None
    out = []
    for key in ("agrees_with", "overrules"):
        names = record.get(key) or []
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            return None
        out.append(tuple(names))
    return (out[0], out[1]) if out[0] or out[1] else None


class GoldNothingFiles:
    """The sentences each gold file records as nothing to tag, for the article list's
    counts: read from the file only when its size or mtime changed, and parsed only
    when its header has the key (most gold files do not)."""

    def __init__(self) -> None:
        self._known: dict[Path, tuple[tuple[int, int], frozenset[int]]] = {}

    def of(self, path: Path) -> frozenset[int]:
        try:
            status = os.stat(path)
        except OSError:
            return frozenset()
        stamp = (status.st_size, status.st_mtime_ns)
        known = self._known.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
        found = self._read(path)
        self._known[path] = (stamp, found)
        return found

    @staticmethod
    def _read(path: Path) -> frozenset[int]:
        try:
            data = path.read_bytes()
        except OSError:
            return frozenset()
        head = data.split(b"\nsentences:", 1)[0]
        if _MARK not in head:
            return frozenset()
        try:
            doc = read_doc(path)
        except StoreError:
            return frozenset()
        records, _ = read_records(doc.extra.get(KEY), 1 << 30)
        return frozenset(records)
