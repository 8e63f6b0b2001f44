"""Export records (docs/formats.md) as CSV: one header row, the same columns, lists joined with `|`.

A column per layer of labels.yaml, in its order. Label ids cannot contain `|`
(labels.yaml refuses it), so the join is reversible; null becomes an empty cell.
`speaker_mentions` and `spans` are JSON text in their cells, `not_content` is true or
false. Quoting is the csv module's QUOTE_MINIMAL (a sentence with a comma, a quote or a
line break is quoted), and lines end with \\n.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from operator import getitem
from typing import IO

from ..schema import Layer
from .export_records import FIXED_KEYS, TAIL_KEYS, Record, mentions_value, spans_value
from .record_writer import Memo, RecordWriter

LIST_SEPARATOR = "|"


_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def cell(value: str) -> str:
    """One field as csv.writer (QUOTE_MINIMAL) writes it: quoted only when it must be."""
    if _NEEDS_QUOTES.search(value):
        return '"' + value.replace('"', '""') + '"'
    return value


def header(layers: Sequence[str]) -> str:
    """The header row, as CsvWriter writes it: the record's keys (`layers`: their ids)."""
    return ",".join((*FIXED_KEYS, *layers, *TAIL_KEYS)) + "\n"


def _cells(layer: Layer) -> Memo:
    """label ids -> `,cell`: a single layer's label, the others' joined with `|`."""
    if layer.single:
        return Memo(lambda ids: "," + cell(ids[0]) if ids else ",")
    return Memo(lambda ids: "," + cell(LIST_SEPARATOR.join(ids)))


def _json_cell(value: object) -> str:
    return cell(json.dumps(value, ensure_ascii=False))


class CsvWriter(RecordWriter):
    """Lines built directly (a record's fields are mostly ids and numbers): 3x faster than
    csv.writer and the same bytes, except that a lone \\r is quoted too (csv.writer with
    \\n line ends leaves it bare, and readers then split the row there)."""

    def __init__(self, stream: IO[str] | None, layers: Sequence[Layer], *,
                 with_header: bool = True):
        super().__init__(stream, layers)
        self._cells = [_cells(layer) for layer in self.layers]
        self._names: dict[str | None, str] = {None: ""}
        if with_header and stream is not None:
            stream.write(header([layer.id for layer in self.layers]))

    def encode(self, records: Iterable[Record]) -> str:
        cells, names = self._cells, self._names
        lines = []
        last_key: tuple[str, int] | None = None
        head = ""
        for (article, index, start, end, text, annotator, not_content, labels, mentions,
             spans, note) in records:
            if (article, index) != last_key:
                head = (f"{cell(f'{article}#{index + 1}')},{cell(article)},{index},{index + 1},"
                        f"{start},{end},{cell(text)},")
                last_key = (article, index)
            name = names.get(annotator)
            if name is None:
                name = names[annotator] = cell(annotator)  # type: ignore[arg-type]
            lines.append(f"{head}{name},{'true' if not_content else 'false'}"
                         f"{''.join(map(getitem, cells, labels))},"
                         f"{_json_cell(mentions_value(mentions)) if mentions else '[]'},"
                         f"{_json_cell(spans_value(spans)) if spans else '[]'},"
                         f"{cell(note) if note else ''}\n")
        return "".join(lines)
