"""Label Studio JSON exports -> labelled texts.

The export is a list of tasks:

    [{"id": 1, "data": {"text": "..."},
      "annotations": [{"completed_by": 1, "was_cancelled": false, "result": [
          {"type": "choices", "from_name": "stance", "to_name": "text",
           "value": {"choices": ["Against"]}},
          {"type": "labels", "from_name": "quote", "to_name": "text",
           "value": {"start": 0, "end": 17, "text": "...", "labels": ["Direct"]}}]}],
      "predictions": [...]}]

`choices` results label the whole text, `labels` results a span of it; `from_name` (the
control's name in the labeling config) is the layer hint: a layer's id or title in
labels.yaml ("stance" above) restricts the match to that layer, any other name lets the
label name decide (formats/labelmatch.py).
Cancelled (skipped) annotations and model predictions are not imported. When a task has
several annotations, the first one not cancelled is imported and the others are counted
in the report (export one file per annotator to import each as its own annotator).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import Problem
from . import BadItem
from .labelled import LabelledText, SpanLabel


def read_labelstudio(path: Path, raw: bytes) -> tuple[list[LabelledText], list[Problem], int]:
    """(items, problems, annotations skipped because a task had several)."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return [], [Problem(path, f"not UTF-8 (byte {exc.start}); nothing imported")], 0
    except json.JSONDecodeError as exc:
        return [], [Problem(path, f"not valid JSON ({exc.msg}); nothing imported", exc.lineno,
                            exc.colno)], 0
    if isinstance(data, dict):
        data = [data]  # a single task
    if not isinstance(data, list):
        return [], [Problem(path, "expected the JSON export: a list of tasks")], 0
    items: list[LabelledText] = []
    problems: list[Problem] = []
    extra = 0
    for position, task in enumerate(data, start=1):
        where = f"{path}: task {_task_id(task, position)}"
        try:
            item, skipped = _item(task, where)
        except BadItem as exc:
            problems.append(Problem(path, f"task {_task_id(task, position)}: {exc}; not "
                                          "imported"))
            continue
        extra += skipped
        if item is not None:
            items.append(item)
    return items, problems, extra


def _task_id(task: Any, position: int) -> str:
    if isinstance(task, dict) and isinstance(task.get("id"), (int, str)):
        return f"{task['id']}"
    return f"#{position}"


def _item(task: Any, where: str) -> tuple[LabelledText | None, int]:
    if not isinstance(task, dict):
        raise BadItem("not a task object")
    data = task.get("data")
    if not isinstance(data, dict):
        raise BadItem("no \"data\" object")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadItem("no \"data.text\" (only text tasks can be imported)")
    annotations = task.get("annotations") or []
    if not isinstance(annotations, list):
        raise BadItem("\"annotations\" must be a list")
    usable = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")]
    item = LabelledText(where, text, article=data.get("article") if isinstance(
        data.get("article"), str) else None, sentence=data.get("sentence") if isinstance(
        data.get("sentence"), int) else None)
    if not usable:
        return item, 0
    result = usable[0].get("result") or []
    if not isinstance(result, list):
        raise BadItem("\"result\" must be a list")
    for region in result:
        if not isinstance(region, dict):
            raise BadItem("a result entry is not an object")
        kind = region.get("type")
        value = region["value"] if isinstance(region.get("value"), dict) else {}
        hint = region.get("from_name") if isinstance(region.get("from_name"), str) else None
        if kind == "choices":
            choices = value.get("choices")
            if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
                raise BadItem("a choices result without value.choices")
            item.labels += [(choice, hint) for choice in choices]
        elif kind == "labels":
            start, end, names = value.get("start"), value.get("end"), value.get("labels")
            if not (isinstance(start, int) and isinstance(end, int) and isinstance(names, list)):
                raise BadItem("a labels result needs value.start, value.end and value.labels")
            item.spans += [SpanLabel(start, end, name, hint) for name in names
                           if isinstance(name, str)]
        else:
            item.unsupported.append(str(kind))
    return item, len(usable) - 1
