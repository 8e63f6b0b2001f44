"""Export records in other tools' import formats: Prodigy JSONL, Label Studio JSON, doccano.

So a team can open our work in the tool it knows. Each task is one sentence (the unit
we tag), its offsets relative to the sentence text, and carries the sentence's place
(`article`, `sentence`) so importing it back lands on the same sentence:

- Prodigy: one task per record, `answer: "accept"`, the single/multi layers' labels in
  `accept`, every span (speaker mentions too) in `spans` with its `layer` beside the
  label, the record's id and annotator in `meta`.
- Label Studio: one task per sentence with one annotation per annotator
  (`completed_by` is the annotator's name), `choices` results for single/multi layers
  and `labels` results for spans, `from_name` = the layer id (write a labeling config
  with a control named after each layer). The file is one JSON list: the CLI writes
  the brackets, each task here starts with the separator (see LIST_OPEN).
- doccano: one line per record in its intent-detection shape, `entities` as
  `[start, end, label]` and `cats` for the labels of the whole sentence.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import IO

from ..schema import CONTENT_LAYER, Layer
from .export_records import Labels, Record, record_id
from .jsonl_export import JsonNames
from .record_writer import Memo, RecordWriter

_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
LIST_OPEN, LIST_SEPARATOR, LIST_CLOSE = "[", ",\n", "\n]\n"
"""Label Studio's list: each encoded task starts with LIST_SEPARATOR; the writer drops the
first one and wraps the whole in LIST_OPEN ... LIST_CLOSE."""


class _ToolWriter(RecordWriter):
    """What the three share: encoded names, a record's spans relative to its sentence and
    the labels of its whole-sentence layers, each encoded once per distinct value (these
    loops are as hot as JSONL's: bench/bench_export.py holds them to 1.5x of it)."""

    def __init__(self, stream: IO[str] | None, layers: Sequence[Layer], *,
                 with_header: bool = True):
        super().__init__(stream, layers)
        self.names = JsonNames()
        self._entity = [i for i, layer in enumerate(self.layers) if layer.entity]
        self._first_entity = self.layers[self._entity[0]].id if self._entity else "speakers"
        whole = [i for i, layer in enumerate(self.layers) if not layer.entity]
        self._whole_layers = [self.layers[i] for i in whole]
        # A record's labels of those layers, as a key (in C: itemgetter), so the memos below
        # hit whatever the speakers are.
        self.whole: Callable[[Labels], Labels] = (
            itemgetter(*whole) if len(whole) > 1 else  # type: ignore[assignment]
            (lambda labels: (labels[whole[0]],)) if whole else (lambda labels: ()))
        self._choices: dict[Labels, list[tuple[str, list[str]]]] = {}
        self._flat: dict[Labels, str] = {}

    def spans(self, record: Record) -> list[tuple[str, str, int, int]]:
        """Mentions (on the entity layer that holds the speaker, else the first) and
        evidence, relative to the sentence, in reading order."""
        start, labels, mentions, evidence = record[2], record[7], record[8], record[9]
        if not mentions:
            return [(layer, label, low - start, high - start)
                    for layer, label, low, high in evidence]
        out = []
        for who, low, high in mentions:
            holder = self._first_entity
            for i in self._entity:
                if who in labels[i]:
                    holder = self.layers[i].id
                    break
            out.append((holder, who, low - start, high - start))
        if evidence:
            out += [(layer, label, low - start, high - start)
                    for layer, label, low, high in evidence]
            out.sort(key=_reading_order)
        return out

    def _span_key(self, record: Record) -> tuple[object, ...]:
        """What spans() depends on within one sentence: its mentions and evidence, and,
        where several entity layers could hold a mention, the record's labels."""
        if len(self._entity) > 1:
            return record[8], record[9], record[7]
        return record[8], record[9]

    def head(self, record: Record) -> str:
        """The sentence's part of a task's meta (the same for all its annotators)."""
        article, index = record[0], record[1]
        return (f'{{"id": {_encode(record_id(article, index))}, "article": {self.names[article]}, '
                f'"sentence": {index}, "number": {index + 1}, "annotator": ')

    def choices(self, key: Labels) -> list[tuple[str, list[str]]]:
        """(layer id, labels) of the layers that label the whole sentence (not entities);
        `key` is self.whole(the record's labels)."""
        found = self._choices.get(key)
        if found is None:
            if len(self._choices) > 100_000:
                self._choices.clear()
                self._flat.clear()
            found = self._choices[key] = [
                (layer.id, list(ids[:1] if layer.single else ids))
                for layer, ids in zip(self._whole_layers, key, strict=True) if ids]
        return found

    def meta(self, head: str, record: Record) -> str:
        note = record[10]
        return (f'{head}{"null" if record[5] is None else self.names[record[5]]}, '
                f'"not_content": {"true" if record[6] else "false"}, '
                f'"note": {"null" if note is None else _encode(note)}}}')

    def flat(self, labels: Labels) -> str:
        key = self.whole(labels)
        found = self._flat.get(key)
        if found is None:
            found = self._flat[key] = _encode(
                [label for _, ids in self.choices(key) for label in ids])
        return found


def _reading_order(span: tuple[str, str, int, int]) -> tuple[int, int, str, str]:
    return span[2], span[3], span[0], span[1]


class ProdigyWriter(_ToolWriter):
    def encode(self, records: Iterable[Record]) -> str:
        names, lines = self.names, []
        last: tuple[str, int] | None = None
        text_json = head = ""
        seen: tuple[object, ...] | None = None  # this sentence's last spans, encoded:
        spans = ""  # its annotators usually agree (see RecordBuilder.records)
        for record in records:
            if (record[0], record[1]) != last:
                last = (record[0], record[1])
                text_json, head = _encode(record[4]), self.head(record)
                seen = None
            key = self._span_key(record)
            if key != seen:
                seen = key
                spans = ", ".join([f'{{"start": {low}, "end": {high}, "label": {names[label]}, '
                                   f'"layer": {names[layer]}}}'
                                   for layer, label, low, high in self.spans(record)]
                                  ) if record[8] or record[9] else ""
            lines.append(f'{{"text": {text_json}, "spans": [{spans}], "accept": '
                         f'{self.flat(record[7])}, "answer": "accept", "meta": '
                         f'{self.meta(head, record)}}}\n')
        return "".join(lines)


class LabelStudioWriter(_ToolWriter):
    def __init__(self, stream: IO[str] | None, layers: Sequence[Layer], *,
                 with_header: bool = True):
        super().__init__(stream, layers)
        self._results: dict[Labels, str] = {}  # whole-sentence results, encoded
        self._span_head = Memo(lambda layer: f'{{"type": "labels", "from_name": '
                                              f'{_encode(layer)}, "to_name": "text", '
                                              f'"value": {{"start": ')

    def encode(self, records: Iterable[Record]) -> str:
        names = self.names
        tasks: list[str] = []
        current: tuple[str, int] | None = None
        annotations: list[str] = []
        head = spans = ""
        seen: tuple[object, ...] | None = None  # as in ProdigyWriter.encode
        for record in records:
            article, index, text = record[0], record[1], record[4]
            if (article, index) != current:
                if current is not None:
                    tasks.append(f"{head}{', '.join(annotations)}]}}")
                current, annotations, seen = (article, index), [], None
                head = (f'{LIST_SEPARATOR}{{"data": {{"text": {_encode(text)}, '
                        f'"id": {_encode(record_id(article, index))}, '
                        f'"article": {names[article]}, "sentence": {index}, '
                        f'"number": {index + 1}}}, "annotations": [')
            if record[5] is None:
                continue  # --all-sentences filler: a task with no annotation
            key = self.whole(record[7])
            chosen = self._results.get(key)
            if chosen is None:
                chosen = self._results[key] = ", ".join([
                    f'{{"type": "choices", "from_name": {names[layer]}, "to_name": "text", '
                    f'"value": {{"choices": {_encode(labels)}}}}}'
                    for layer, labels in self.choices(key)])
            if record[8] or record[9]:
                span_key = self._span_key(record)
                if span_key != seen:
                    seen = span_key
                    spans = ", ".join([
                        f'{self._span_head[layer]}{low}, "end": {high}, '
                        f'"text": {_encode(text[low:high])}, "labels": [{names[label]}]}}}}'
                        for layer, label, low, high in self.spans(record)])
                chosen = f"{chosen}, {spans}" if chosen else spans
            annotations.append(f'{{"completed_by": {names[record[5]]}, "was_cancelled": false, '
                               f'"result": [{chosen}]}}')
        if current is not None:
            tasks.append(f"{head}{', '.join(annotations)}]}}")
        return "".join(tasks)


class DoccanoWriter(_ToolWriter):
    def encode(self, records: Iterable[Record]) -> str:
        names, lines = self.names, []
        last: tuple[str, int] | None = None
        text_json = head = ""
        seen: tuple[object, ...] | None = None  # as in ProdigyWriter.encode
        entities = ""
        for record in records:
            if (record[0], record[1]) != last:
                last = (record[0], record[1])
                text_json, head = _encode(record[4]), self.head(record)[1:]
                seen = None
            key = self._span_key(record)
            if key != seen:
                seen = key
                entities = ", ".join([f"[{low}, {high}, {names[label]}]"
                                      for layer, label, low, high in self.spans(record)
                                      if layer != CONTENT_LAYER]  # no layer to tell it by
                                     ) if record[8] or record[9] else ""
            lines.append(f'{{"text": {text_json}, "entities": [{entities}], '
                         f'"cats": {self.flat(record[7])}, {self.meta(head, record)}\n')
        return "".join(lines)
