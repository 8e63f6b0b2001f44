"""The one interface of the export writers (JSONL, CSV): encode records, or write them.

Each format keeps its own encode loop: it is the hot path of a large export, so the
parts that repeat are cached inline there rather than behind shared helpers. A writer
is made for the layers of labels.yaml, in order: a record's labels line up with them,
and each layer's label lists are encoded once (LayerMemo).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import IO

from ..schema import Layer
from .export_records import Record

MEMO_LIMIT = 100_000  # encoded label lists kept per layer (a memo: memory stays flat)


class LayerMemo(dict[tuple[str, ...], str]):
    """One layer's label lists -> their encoded field, made on first use.

    A dict that fills itself, so the hot loop encodes a record's labels with
    ``"".join(map(getitem, memos, labels))``: all in C once a list has been seen.
    """

    __slots__ = ("make",)

    def __init__(self, make: Callable[[tuple[str, ...]], str]):
        super().__init__()
        self.make = make

    def __missing__(self, ids: tuple[str, ...]) -> str:
        if len(self) > MEMO_LIMIT:
            self.clear()
        encoded = self[ids] = self.make(ids)
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
