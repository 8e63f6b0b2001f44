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
from .export_records import Mention, Record, Span, layer_value
from .record_writer import Memo, RecordWriter

_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode


def _field(layer: Layer) -> Memo:
    """label ids -> `, "layer": value`, as json.dumps writes it."""
    key = f", {_encode(layer.id)}: "
    return Memo(lambda ids: key + _encode(layer_value(layer, ids)))


class JsonNames(dict[str, str]):
    """Ids and names -> their JSON string, encoded once (a memo: cleared when large)."""

    def __missing__(self, name: str) -> str:
        if len(self) > 100_000:
            self.clear()
        encoded = self[name] = _encode(name)
        return encoded


def json_mentions(mentions: tuple[Mention, ...], names: JsonNames) -> str:
    """As json.dumps(mentions_value(mentions)) writes it, from strings (the hot loop)."""
    if len(mentions) == 1:
        who, start, end = mentions[0]
        return f'[{{"speaker": {names[who]}, "start": {start}, "end": {end}}}]'
    return "[" + ", ".join([f'{{"speaker": {names[who]}, "start": {start}, "end": {end}}}'
                            for who, start, end in mentions]) + "]"


def json_spans(spans: tuple[Span, ...], names: JsonNames) -> str:
    """As json.dumps(spans_value(spans)) writes it."""
    if len(spans) == 1:
        layer, label, start, end = spans[0]
        return (f'[{{"layer": {names[layer]}, "label": {names[label]}, "start": {start}, '
                f'"end": {end}}}]')
    return "[" + ", ".join([f'{{"layer": {names[layer]}, "label": {names[label]}, '
                            f'"start": {start}, "end": {end}}}'
                            for layer, label, start, end in spans]) + "]"


class JsonlWriter(RecordWriter):
    def __init__(self, stream: IO[str] | None, layers: Sequence[Layer], *,
                 with_header: bool = True):
        super().__init__(stream, layers)
        self._fields = [_field(layer) for layer in self.layers]
        self._names: dict[str | None, str] = {None: "null"}
        self._ids = JsonNames()

    def encode(self, records: Iterable[Record]) -> str:
        """The records' lines. Records come sentence by sentence, and a sentence's
        annotators often agree, so each part is encoded only when it differs from the
        previous record's (a tuple comparison, mostly by identity: see
        RecordBuilder.records)."""
        memos, names, ids = self._fields, self._names, self._ids
        lines: list[str] = []
        append = lines.append
        last_key: tuple[str, int] | None = None
        head = ""
        last_article = None
        article_json = id_prefix = ""
        last_labels: object = None
        fields = ""
        last_tail: object = None
        tail = ""
        for (article, index, start, end, text, annotator, not_content, labels, mentions,
             spans, note) in records:
            if (article, index) != last_key:
                if article != last_article:
                    article_json = _encode(article)
                    id_prefix = _encode(f"{article}#")[:-1]
                    last_article = article
                head = (f'{{"id": {id_prefix}{index + 1}", "article": {article_json}, '
                        f'"sentence": {index}, "number": {index + 1}, "start": {start}, '
                        f'"end": {end}, "text": {_encode(text)}, "annotator": ')
                last_key = (article, index)
            name_json = names.get(annotator)
            if name_json is None:
                name_json = names[annotator] = _encode(annotator)
            if labels != last_labels:
                fields = "".join(map(getitem, memos, labels))
                last_labels = labels
            if (mentions, spans, note) != last_tail:
                tail = (f', "speaker_mentions": '
                        f'{json_mentions(mentions, ids) if mentions else "[]"}, "spans": '
                        f'{json_spans(spans, ids) if spans else "[]"}, "note": '
                        f'{"null" if note is None else _encode(note)}}}\n')
                last_tail = (mentions, spans, note)
            append(f'{head}{name_json}, "not_content": {"true" if not_content else "false"}'
                   f'{fields}{tail}')
        return "".join(lines)
