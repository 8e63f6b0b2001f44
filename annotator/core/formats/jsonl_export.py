"""DESIGN.md records as JSON Lines: what dataset loaders read as is.

Every line has the same keys in the same order and the same types (a single layer's
label is a string or null, other layers are lists), UTF-8 text as is
(ensure_ascii=False), and no NaN. Encoding is the hot loop of a large export, so the
parts that repeat (the sentence's own fields, shared by its annotators, and each layer's
label lists, shared by many sentences) are encoded once; every line still equals
json.dumps(record, ensure_ascii=False) of the record dict (tests/test_export_jsonl.py
holds it to that).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import IO

from ..schema import Layer
from .export_records import Labels, Record, layer_value
from .record_writer import MEMO_LIMIT, RecordWriter

_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode


class JsonlWriter(RecordWriter):
    def __init__(self, stream: IO[str] | None, layers: Sequence[Layer], *,
                 with_header: bool = True):
        super().__init__(stream, layers)
        # Per layer: label ids -> `, "layer": value` as json.dumps writes it; and whole
        # label combinations -> those fields joined (most sentences repeat one).
        self._fields: list[dict[tuple[str, ...], str]] = [{} for _ in self.layers]
        self._combos: dict[Labels, str] = {}
        self._names: dict[str | None, str] = {None: "null"}

    def _field(self, position: int, ids: tuple[str, ...]) -> str:
        memo = self._fields[position]
        if len(memo) > MEMO_LIMIT:
            memo.clear()
        layer = self.layers[position]
        encoded = memo[ids] = f", {_encode(layer.id)}: {_encode(layer_value(layer, ids))}"
        return encoded

    def _labels(self, labels: Labels) -> str:
        parts = list(map(dict.get, self._fields, labels))
        if None in parts:
            parts = [part or self._field(n, ids)
                     for n, (part, ids) in enumerate(zip(parts, labels, strict=True))]
        if len(self._combos) > MEMO_LIMIT:
            self._combos.clear()
        joined = self._combos[labels] = "".join(parts)
        return joined

    def encode(self, records: Iterable[Record]) -> str:
        combos, names = self._combos, self._names
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
            fields = combos.get(labels)
            if fields is None:
                fields = self._labels(labels)
            lines.append(f'{head}{name_json}{fields}, "note": '
                         f'{"null" if note is None else _encode(note)}}}\n')
        return "".join(lines)
