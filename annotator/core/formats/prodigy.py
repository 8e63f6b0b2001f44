"""Prodigy JSONL (its annotation format, as `prodigy db-out` writes it) -> labelled texts.

One task per line:

    {"text": "...", "spans": [{"start": 0, "end": 5, "label": "ORG"}],   # NER, spans.manual
     "label": "fact",                                                   # binary textcat
     "accept": ["fact", "economy"], "options": [{"id": "fact", ...}],   # choice / textcat
     "answer": "accept", "meta": {"source": "..."}, "_input_hash": 1, "_task_hash": 2}

What a task says depends on its answer: `accept` (or no answer: a file of input tasks
with suggestions) keeps its spans, its chosen options and its `label`; `reject` means the
suggestion is wrong, so nothing of it is a tag (a rejected binary `label` is not that
label, a rejected span is not that entity); `ignore` is skipped. The reasons are counted
in the report. `meta` is kept as the header of an article made from the task (plain
fields only). Our own Prodigy export puts the sentence's place (`article`, `sentence`)
in `meta` and each span's layer beside its label, so a round trip lands exactly.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from ..errors import Problem
from . import BadItem
from .jsonl_articles import plain_fields
from .labelled import LabelledText, SpanLabel

ANSWERS = ("accept", "reject", "ignore")


def read_prodigy(path: Path, raw: bytes) -> tuple[list[LabelledText], list[Problem], Counter[str]]:
    """(items, problems, tasks not imported by answer: reject / ignore)."""
    items: list[LabelledText] = []
    problems: list[Problem] = []
    answers: Counter[str] = Counter()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        where = raw[: exc.start].count(b"\n") + 1
        return [], [Problem(path, f"not UTF-8 (byte {exc.start}); nothing imported", where)], answers
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item, answer = _item(json.loads(line), f"{path}:{number}")
        except json.JSONDecodeError as exc:
            problems.append(Problem(path, f"not valid JSON ({exc.msg} at column {exc.colno}); "
                                          "line not imported", number))
            continue
        except BadItem as exc:
            problems.append(Problem(path, f"{exc}; line not imported", number))
            continue
        if item is None:
            answers[answer] += 1
        else:
            items.append(item)
    return items, problems, answers


def _item(task: Any, source: str) -> tuple[LabelledText | None, str]:
    if not isinstance(task, dict):
        raise BadItem("expected a Prodigy task: a JSON object with \"text\"")
    text = task.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadItem("no \"text\" (only text tasks can be imported)" if text is None
                      else "\"text\" must be non-empty text")
    answer = task.get("answer", "accept")
    if answer not in ANSWERS:
        raise BadItem(f"answer {answer!r} is not one of {', '.join(ANSWERS)}")
    given = task.get("meta")
    meta: dict[str, Any] = given if isinstance(given, dict) else {}
    item = LabelledText(source, text, article=_text(meta.get("article")),
                        sentence=meta.get("sentence") if isinstance(meta.get("sentence"), int)
                        else None, extra=plain_fields(meta))
    spans = task.get("spans") or []
    if not isinstance(spans, list):
        raise BadItem("\"spans\" must be a list")
    for span in spans:
        if not (isinstance(span, dict) and isinstance(span.get("start"), int)
                and isinstance(span.get("end"), int) and isinstance(span.get("label"), str)):
            raise BadItem(f"span {span!r} needs start, end and label")
        item.spans.append(SpanLabel(span["start"], span["end"], span["label"],
                                    _text(span.get("layer"))))
    if answer != "accept":
        _check_spans(item)  # a reject with spans outside its text is still broken input
        return None, answer
    label = task.get("label")
    if isinstance(label, str) and label:
        item.labels.append((label, None))
    accepted = task.get("accept") or []
    if not isinstance(accepted, list):
        raise BadItem("\"accept\" must be a list of option ids")
    item.labels += [(str(choice), None) for choice in accepted
                    if isinstance(choice, (str, int)) and not isinstance(choice, bool)]
    return item, answer


def _check_spans(item: LabelledText) -> None:
    for span in item.spans:
        if not 0 <= span.start < span.end <= len(item.text):
            raise BadItem(f"span {span.start}-{span.end} ({span.label!r}) is outside its text "
                          f"of {len(item.text)} characters")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
