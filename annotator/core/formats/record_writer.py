"""The one interface of the export writers (JSONL, CSV): encode records, or write them.

Each format keeps its own encode loop: it is the hot path of a large export, so the
parts that repeat are cached inline there rather than behind shared helpers. A writer
is made for the layers of labels.yaml, in order: a record's labels line up with them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import IO

from ..schema import Layer
from .export_records import Record

MEMO_LIMIT = 100_000  # encoded label lists kept per layer (a memo: memory stays flat)


class RecordWriter:
    def __init__(self, stream: IO[str] | None, layers: Sequence[Layer], *,
                 with_header: bool = True):
        self.stream = stream  # None: encode only (a worker process returns the text)
        self.layers = tuple(layers)

    def write(self, records: Iterable[Record]) -> None:
        assert self.stream is not None
        self.stream.write(self.encode(records))

    def encode(self, records: Iterable[Record]) -> str:
        raise NotImplementedError
