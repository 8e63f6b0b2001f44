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
Cancelled (skipped) annotations and model predictions are not imported. Every other
annotation is, each as its annotator (`completed_by`: `user-<id>` for a bare id, the
local part of an email). The text is `data.text`, or the key `--text-key` names
(`reviewText` for a config's `$reviewText`).
JSON-MIN, the flat export (one object per annotation), is read by read_labelstudio_min.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import Problem
from . import BadItem
from .labelled import LabelledText, SpanLabel


def read_labelstudio(path: Path, raw: bytes, text_key: str | None = None,
                     ) -> tuple[list[LabelledText], list[Problem], int]:
    """(items, problems, 0): one item per annotation not cancelled, each with its
    annotator (`completed_by`) when the task names one."""
    return _read_tasks(path, raw, lambda task, where: _items(task, where, text_key))


def read_labelstudio_min(path: Path, raw: bytes, text_key: str | None = None,
                         ) -> tuple[list[LabelledText], list[Problem], int]:
    """JSON-MIN: one flat object per annotation, controls as keys (`sentiment: "Positive"`,
    `label: [{start, end, text, labels}]`), the annotator under `annotator`."""
    return _read_tasks(path, raw, lambda row, where: [_min_item(row, where, text_key)])


def _read_tasks(path: Path, raw: bytes, items_of: Callable[[Any, str], list[LabelledText]],
                ) -> tuple[list[LabelledText], list[Problem], int]:
    """The tasks of a JSON export, each made into items; a task that cannot be is named
    and skipped."""
    data, problems = _load(path, raw)
    if data is None:
        return [], problems, 0
    items: list[LabelledText] = []
    for position, task in enumerate(data, start=1):
        try:
            items += items_of(task, f"{path}: task {_task_id(task, position)}")
        except BadItem as exc:
            problems.append(Problem(path, f"task {_task_id(task, position)}: {exc}; not "
                                          "imported"))
    return items, problems, 0


def _load(path: Path, raw: bytes) -> tuple[list[Any] | None, list[Problem]]:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return None, [Problem(path, f"not UTF-8 (byte {exc.start}); nothing imported")]
    except json.JSONDecodeError as exc:
        return None, [Problem(path, f"not valid JSON ({exc.msg}); nothing imported", exc.lineno,
                              exc.colno)]
    if isinstance(data, dict):
        data = [data]  # a single task
    if not isinstance(data, list):
        return None, [Problem(path, "expected the JSON export: a list of tasks")]
    return data, []


def _task_id(task: Any, position: int) -> str:
    if isinstance(task, dict) and isinstance(task.get("id"), (int, str)):
        return f"{task['id']}"
    return f"#{position}"


def annotator_name(who: Any) -> str | None:
    """`completed_by` (a user id, or {"email": ...} in newer exports) or JSON-MIN's
    `annotator` (an email or an id) as an annotator folder name: the email's local part,
    `user-<id>` for a bare id."""
    if isinstance(who, dict):
        who = who.get("email") or who.get("username") or who.get("id")
    if isinstance(who, bool) or who is None or who == "":
        return None
    if isinstance(who, int):
        return f"user-{who}"
    name = str(who).split("@", 1)[0].strip().lower()
    name = re.sub(r"[^a-z0-9_-]+", "-", name).strip("-_")
    return name or None


def _text_of(data: dict[str, Any], text_key: str | None) -> str:
    key = text_key.lstrip("$") if text_key else "text"
    text = data.get(key)
    if not isinstance(text, str) or not text.strip():
        keys = ", ".join(sorted(str(k) for k in data)) or "none"
        raise BadItem(f"no text under {key!r} (its keys: {keys}); name the text's key with "
                      "--text-key KEY")
    return text


def _items(task: Any, where: str, text_key: str | None) -> list[LabelledText]:
    if not isinstance(task, dict):
        raise BadItem("not a task object")
    data = task.get("data")
    if not isinstance(data, dict):
        raise BadItem("no \"data\" object")
    text = _text_of(data, text_key)
    annotations = task.get("annotations") or []
    if not isinstance(annotations, list):
        raise BadItem("\"annotations\" must be a list")
    usable = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")]
    article = data.get("article") if isinstance(data.get("article"), str) else None
    sentence = data.get("sentence") if isinstance(data.get("sentence"), int) else None
    out = []
    for annotation in usable:
        item = LabelledText(where, text, article=article, sentence=sentence,
                            annotator=annotator_name(annotation.get("completed_by")))
        result = annotation.get("result") or []
        if not isinstance(result, list):
            raise BadItem("\"result\" must be a list")
        for region in result:
            if not isinstance(region, dict):
                raise BadItem("a result entry is not an object")
            value = region["value"] if isinstance(region.get("value"), dict) else {}
            hint = region.get("from_name") if isinstance(region.get("from_name"), str) else None
            _region(item, region.get("type"), value, hint)
        out.append(item)
    return out


def _region(item: LabelledText, kind: Any, value: dict[str, Any], hint: str | None) -> None:
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


_MIN_META = frozenset({"id", "annotator", "annotation_id", "created_at", "updated_at",
                       "lead_time", "article", "sentence", "number", "start", "end"})


def _min_item(row: Any, where: str, text_key: str | None) -> LabelledText:
    if not isinstance(row, dict):
        raise BadItem("not a task object")
    key = text_key.lstrip("$") if text_key else "text"
    text = _text_of({key: row.get(key)}, key)
    item = LabelledText(where, text,
                        article=row.get("article") if isinstance(row.get("article"), str)
                        else None,
                        sentence=row.get("sentence") if isinstance(row.get("sentence"), int)
                        else None, annotator=annotator_name(row.get("annotator")))
    for name, value in row.items():
        if name in _MIN_META or name == key:
            continue
        if isinstance(value, str):
            item.labels.append((value, name))
        elif isinstance(value, dict) and isinstance(value.get("choices"), list):
            _region(item, "choices", value, name)
        elif isinstance(value, list) and all(isinstance(v, dict) for v in value):
            for region in value:
                _region(item, "labels", region, name)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            item.labels += [(choice, name) for choice in value]
    return item


def read_labelstudio_csv(path: Path, raw: bytes, text_key: str | None = None,
                         ) -> tuple[list[LabelledText], list[Problem], int]:
    """The CSV export: JSON-MIN's rows as a table, span regions as JSON text in a cell."""
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [Problem(path, f"not UTF-8 (byte {exc.start}); nothing imported")], 0
    items: list[LabelledText] = []
    problems: list[Problem] = []
    try:
        reader = csv.DictReader(io.StringIO(content, newline=""))
        for row in reader:
            line = reader.line_num
            cells: dict[str, Any] = {}
            for key, cell in row.items():
                if key is None or cell is None or cell == "":
                    continue
                cells[key] = cell
                if cell[:1] in "[{":
                    try:
                        cells[key] = json.loads(cell)
                    except ValueError:
                        pass  # text that starts with a bracket
            if isinstance(cells.get("id"), str) and cells["id"].isdigit():
                cells["id"] = int(cells["id"])
            try:
                items.append(_min_item(cells, f"{path}:{line}", text_key))
            except BadItem as exc:
                problems.append(Problem(path, f"{exc}; row not imported", line))
    except csv.Error as exc:
        problems.append(Problem(path, f"not a readable CSV ({exc}); nothing more imported"))
    return items, problems, 0
