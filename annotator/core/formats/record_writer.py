"""The one interface of the export writers (JSONL, CSV): encode records, or write them.

Each format keeps its own encode loop: it is the hot path of a large export, so the
parts that repeat are cached inline there rather than behind shared helpers. A writer
is made for the layers of labels.yaml, in order: a record's labels line up with them,
and each layer's label lists are encoded once (Memo).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any

from ..schema import Layer
from .export_records import Record

MEMO_LIMIT = 100_000  # encoded label lists kept per layer (a memo: memory stays flat)


class Memo(dict[Any, str]):
    """A value -> its encoding, made on first use (one layer's label lists, a record's
    sentence fields...).

    A dict that fills itself, so a hot loop encodes with ``map(memo.__getitem__, keys)``:
    all in C once a value has been seen. Bounded: cleared when large, memory stays flat.
    """

    __slots__ = ("make",)

    def __init__(self, make: Callable[[Any], str]):
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> str:
        if len(self) > MEMO_LIMIT:
            self.clear()
        encoded = self[key] = self.make(key)
        return encoded


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
