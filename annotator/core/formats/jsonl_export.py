"""Export records (docs/formats.md) as JSON Lines: what dataset loaders read as is.

Every line has the same keys in the same order and the same types (a single layer's
label is a string or null, other layers are lists), UTF-8 text as is
(ensure_ascii=False), and no NaN. Encoding is the hot loop of a large export, so the
parts that repeat (the sentence's own fields, shared by its annotators, and each layer's
label lists, shared by many sentences) are encoded once; every line still equals
json.dumps(record, ensure_ascii=False) of the record dict (tests/test_export_jsonl.py
and tests/test_export_custom_layers.py hold it to that).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from operator import getitem
from typing import IO

from ..schema import Layer
from .export_records import Record, layer_value
from .record_writer import LayerMemo, RecordWriter

_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode


def _field(layer: Layer) -> LayerMemo:
    """label ids -> `, "layer": value`, as json.dumps writes it."""
    key = f", {_encode(layer.id)}: "
    return LayerMemo(lambda ids: key + _encode(layer_value(layer, ids)))


class JsonlWriter(RecordWriter):
    def __init__(self, stream: IO[str] | None, layers: Sequence[Layer], *,
                 with_header: bool = True):
        super().__init__(stream, layers)
        self._fields = [_field(layer) for layer in self.layers]
        self._names: dict[str | None, str] = {None: "null"}

    def encode(self, records: Iterable[Record]) -> str:
        fields, names = self._fields, self._names
        lines = []
        last_key: tuple[str, int] | None = None
        head = ""
        article_json = ""
        last_article = None
        for article, index, start, end, text, annotator, labels, note in records:
            if (article, index) != last_key:
                if article != last_article:
                    article_json = _encode(article)
                    last_article = article
                head = (f'{{"article": {article_json}, "sentence": {index}, "start": {start}, '
                        f'"end": {end}, "text": {_encode(text)}, "annotator": ')
                last_key = (article, index)
            name_json = names.get(annotator)
            if name_json is None:
                name_json = names[annotator] = _encode(annotator)
            lines.append(f'{head}{name_json}{"".join(map(getitem, fields, labels))}, "note": '
                         f'{"null" if note is None else _encode(note)}}}\n')
        return "".join(lines)
