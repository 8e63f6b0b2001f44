"""DESIGN.md records as JSON Lines: what dataset loaders read as is.

Every line has the same keys in the same order and the same types (a single layer's
label is a string or null, other layers are lists), UTF-8 text as is
(ensure_ascii=False), and no NaN. Encoding is the hot loop of a large export, so the
parts that repeat (the sentence's own fields, shared by its annotators, and label
combinations, shared by many sentences) are encoded once; every line still equals
json.dumps(record, ensure_ascii=False) of the record dict (tests/test_export_jsonl.py
holds it to that).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import IO

from .export_records import Labels, Record
from .record_writer import LABEL_MEMO_LIMIT, RecordWriter

_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode


class JsonlWriter(RecordWriter):
    def __init__(self, stream: IO[str] | None, layers: Sequence[str], *,
                 with_header: bool = True):
        super().__init__(stream, layers)
        self._keys = tuple(f", {_encode(layer)}: " for layer in self.layers)
        self._values: dict[object, str] = {None: "null", (): "[]"}
        self._labels: dict[Labels, str] = {}
        self._names: dict[str | None, str] = {None: "null"}

    def _encode_labels(self, labels: Labels) -> str:
        """`, "layer": value` for every layer, as json.dumps writes them."""
        values = self._values
        parts = []
        for key, value in zip(self._keys, labels, strict=True):
            encoded = values.get(value)
            if encoded is None:
                encoded = values[value] = _encode(
                    list(value) if isinstance(value, tuple) else value)
            parts.append(key + encoded)
        if len(self._labels) > LABEL_MEMO_LIMIT:
            self._labels.clear()
        if len(values) > LABEL_MEMO_LIMIT:
            values.clear()
            values.update({None: "null", (): "[]"})
        joined = self._labels[labels] = "".join(parts)
        return joined

    def encode(self, records: Iterable[Record]) -> str:
        labels_json, names = self._labels, self._names
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
            fields = labels_json.get(labels)
            if fields is None:
                fields = self._encode_labels(labels)
            lines.append(f'{head}{name_json}{fields}, "note": '
                         f'{"null" if note is None else _encode(note)}}}\n')
        return "".join(lines)
