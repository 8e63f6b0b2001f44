"""Our own JSONL export read back: the tags come back exactly, under their annotators.

A record names its article, sentence, offsets, text and annotator, and holds every layer
by id, so nothing needs guessing: a line is refused (file:line) when its article is not
in the corpus, its sentence's offsets or text differ from the article's, or a value has
the wrong type. Records with `annotator: null` (`--all-sentences` filler) carry no tags
and are passed over. Speaker mentions go back to the entity layer that holds the
speaker (the first entity layer when none does). Existing work is protected as for every
tag import (formats/attach.py).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import AnnotatorError, Problem
from ..project import Project
from ..store import check_annotator_name
from ..tags import SentenceTags, Span
from . import BadItem
from .attach import attach, existing_doc


@dataclass
class RecordsReport:
    written: Counter[tuple[str, str]] = field(default_factory=Counter)  # (annotator, article)
    kept: int = 0
    fillers: int = 0  # annotator null: nothing to import
    problems: list[Problem] = field(default_factory=list)


def import_records(project: Project, path: Path, raw: bytes, *, merge: bool = False,
                   dry_run: bool = False, report: RecordsReport | None = None) -> RecordsReport:
    report = report if report is not None else RecordsReport()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.problems.append(Problem(path, f"not UTF-8 (byte {exc.start}); nothing imported"))
        return report
    schema = project.schema
    entries = {entry.id: entry for entry in project.corpus.entries()}
    articles: dict[str, Any] = {}
    planned: dict[tuple[str, str], dict[int, SentenceTags]] = {}
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise BadItem("not a record object")
            annotator = record.get("annotator")
            if annotator is None:
                report.fillers += 1
                continue
            if not isinstance(annotator, str):
                raise BadItem("\"annotator\" must be a name or null")
            check_annotator_name(annotator)
            article_id, index = record.get("article"), record.get("sentence")
            if article_id not in entries:
                raise BadItem(f"article {article_id!r} is not in the corpus")
            if article_id not in articles:
                articles[article_id] = project.corpus.load(article_id)
            article = articles[article_id]
            if not isinstance(index, int) or not 0 <= index < len(article.spans):
                raise BadItem(f"sentence {index!r} is not a sentence of {article_id}")
            start, end = article.spans[index]
            if (record.get("start"), record.get("end")) != (start, end) or (
                    record.get("text") != article.text[start:end]):
                raise BadItem(f"sentence {index} of {article_id} is not at these offsets "
                              "or has another text now")
            tags = _tags(record, schema, start, end)
        except json.JSONDecodeError as exc:
            report.problems.append(Problem(path, f"not valid JSON ({exc.msg}); line not "
                                                 "imported", number))
            continue
        except (BadItem, AnnotatorError) as exc:
            report.problems.append(Problem(path, f"{exc}; line not imported", number))
            continue
        planned.setdefault((annotator, article_id), {})[index] = tags
    for (annotator, article_id), tags_of in planned.items():
        try:
            if dry_run:
                existing_doc(project, annotator, article_id, merge=merge)
                report.written[(annotator, article_id)] = len(tags_of)
                continue
            result = attach(project, annotator, articles[article_id], tags_of, merge=merge)
            report.written[(annotator, article_id)] = result.written
            report.kept += result.kept
        except AnnotatorError as exc:
            report.problems.extend(exc.problems)
    return report


def _tags(record: dict[str, Any], schema: Any, start: int, end: int) -> SentenceTags:
    layers: dict[str, Any] = {}
    for layer in schema.layers:
        value = record.get(layer.id)
        if layer.single:
            if value is not None and not isinstance(value, str):
                raise BadItem(f"{layer.id!r} must be a label id or null")
        elif not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise BadItem(f"{layer.id!r} must be a list of label ids")
        layers[layer.id] = value
    spans: list[Span] = []
    entity_layers = [layer.id for layer in schema.entity_layers]
    for mention in _list_of(record, "speaker_mentions", ("speaker", "start", "end")):
        holder = next((lay for lay in entity_layers if mention["speaker"] in
                       (record.get(lay) or ())), entity_layers[0] if entity_layers else None)
        if holder is None:
            raise BadItem("speaker mentions, but labels.yaml has no entity layer")
        spans.append((holder, mention["speaker"], mention["start"], mention["end"]))
    for span in _list_of(record, "spans", ("layer", "label", "start", "end")):
        spans.append((span["layer"], span["label"], span["start"], span["end"]))
    for _layer, label, low, high in spans:
        if not start <= low < high <= end:
            raise BadItem(f"span {low}-{high} ({label!r}) is outside its sentence "
                          f"({start}-{end})")
    note = record.get("note")
    if note is not None and not isinstance(note, str):
        raise BadItem("\"note\" must be text or null")
    return SentenceTags.of(layers, note=note, not_content=record.get("not_content") is True,
                           spans=spans)


def _list_of(record: dict[str, Any], key: str, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    value = record.get(key) or []
    if not isinstance(value, list):
        raise BadItem(f"{key!r} must be a list")
    for item in value:
        if not (isinstance(item, dict) and all(f in item for f in fields)
                and all(isinstance(item[f], int) for f in fields if f in ("start", "end"))
                and all(isinstance(item[f], str) for f in fields if f not in ("start", "end"))):
            raise BadItem(f"{key} entry {item!r} needs {', '.join(fields)}")
    return value
