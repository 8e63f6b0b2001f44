"""The one interface of the export writers (JSONL, CSV): encode records, or write them.

Each format keeps its own encode loop: it is the hot path of a large export, so the
parts that repeat are cached inline there rather than behind shared helpers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from .export_records import Record


class RecordWriter:
    def __init__(self, stream: IO[str] | None, *, with_header: bool = True):
        self.stream = stream  # None: encode only (a worker process returns the text)

    def write(self, records: Iterable[Record]) -> None:
        assert self.stream is not None
        self.stream.write(self.encode(records))

    def encode(self, records: Iterable[Record]) -> str:
        raise NotImplementedError
