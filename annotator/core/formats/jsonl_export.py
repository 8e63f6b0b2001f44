"""DESIGN.md records as JSON Lines: what dataset loaders read as is.

Every line has the same keys in the same order and the same types (lists are lists,
missing values null), UTF-8 text as is (ensure_ascii=False), and no NaN. Encoding is
the hot loop of a large export, so the parts that repeat (the sentence's own fields,
shared by its annotators, and label lists, shared by many sentences) are encoded once;
every line still equals json.dumps(record, ensure_ascii=False) of the record dict
(tests/test_export_jsonl.py holds it to that).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

from .export_records import Record
from .record_writer import RecordWriter

_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode


class JsonlWriter(RecordWriter):
    def __init__(self, stream: IO[str] | None, *, with_header: bool = True):
        super().__init__(stream)
        self._lists: dict[tuple[str, ...], str] = {(): "[]"}
        self._names: dict[str | None, str] = {None: "null"}

    def encode(self, records: Iterable[Record]) -> str:
        lists, names = self._lists, self._names
        lines = []
        last_key: tuple[str, int] | None = None
        head = ""
        article_json = ""
        last_article = None
        for article, index, start, end, text, annotator, speakers, claim, topics, note in records:
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
            claim_json = names.get(claim)
            if claim_json is None:
                claim_json = names[claim] = _encode(claim)
            speakers_json = lists.get(speakers)
            if speakers_json is None:
                speakers_json = lists[speakers] = _encode(list(speakers))
            topics_json = lists.get(topics)
            if topics_json is None:
                topics_json = lists[topics] = _encode(list(topics))
            lines.append(
                f'{head}{name_json}, "speakers": {speakers_json}, "claim": {claim_json}, '
                f'"topics": {topics_json}, "note": {"null" if note is None else _encode(note)}}}\n'
            )
        return "".join(lines)
