"""doccano JSONL exports -> labelled texts.

doccano writes one object per line with the `text` and its labels under `label` (or
`labels` in older releases), in one of two shapes:

    {"text": "...", "label": ["fact", "Economy"]}            text classification
    {"text": "...", "label": [[0, 17, "fact"], [18, 40, "Economy"]]}   spans (offsets)

and recent releases write spans as `"entities": [{"start_offset": 0, "end_offset": 17,
"label": "fact"}, ...]`; the intent-detection project writes both kinds at once:
`"entities": [[0, 26, "City"]], "cats": ["flight"]`. Other fields (id, Comments,
relations, ...) are ignored; our own export's `article` and `sentence` fields are used
when present (a round trip through doccano keeps them). A line that is not one of these shapes is refused with
file:line and the reason.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import Problem
from . import BadItem
from .labelled import LabelledText, SpanLabel


def read_doccano(path: Path, raw: bytes) -> tuple[list[LabelledText], list[Problem]]:
    items: list[LabelledText] = []
    problems: list[Problem] = []
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [Problem(path, f"not UTF-8 (byte {exc.start}); nothing imported")]
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(_item(json.loads(line), path, number))
        except json.JSONDecodeError as exc:
            problems.append(Problem(path, f"not valid JSON ({exc.msg} at column {exc.colno}); "
                                          "line not imported", number))
        except BadItem as exc:
            problems.append(Problem(path, f"{exc}; line not imported", number))
    return items, problems


def _item(obj: Any, path: Path, number: int) -> LabelledText:
    if not isinstance(obj, dict):
        raise BadItem("expected a JSON object with \"text\" and \"label\"")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadItem("missing \"text\"" if text is None else "\"text\" must be non-empty text")
    labels = obj.get("label", obj.get("labels", []))
    if labels is None:
        labels = []
    if not isinstance(labels, list):
        raise BadItem("\"label\" must be a list")
    item = LabelledText(f"{path}:{number}", text, article=_opt_str(obj.get("article")),
                        sentence=obj.get("sentence") if isinstance(obj.get("sentence"), int)
                        else None)
    for label in labels:
        if isinstance(label, str):
            item.labels.append((label, None))
        elif _is_triple(label):
            item.spans.append(SpanLabel(label[0], label[1], label[2], None))
        else:
            raise BadItem(f"label {label!r} is neither a name nor [start, end, name]")
    entities = obj.get("entities") or []
    if not isinstance(entities, list):
        raise BadItem("\"entities\" must be a list")
    for entity in entities:
        if _is_triple(entity):  # the intent-detection shape: [start, end, "label"]
            item.spans.append(SpanLabel(entity[0], entity[1], entity[2], None))
        elif (isinstance(entity, dict) and isinstance(entity.get("start_offset"), int)
                and isinstance(entity.get("end_offset"), int)
                and isinstance(entity.get("label"), str)):
            item.spans.append(SpanLabel(entity["start_offset"], entity["end_offset"],
                                        entity["label"], None))
        else:
            raise BadItem(f"entity {entity!r} needs start_offset, end_offset and label "
                          "(or is [start, end, \"label\"])")
    relations = obj.get("relations")
    if isinstance(relations, list) and relations:
        item.unsupported += ["relation"] * len(relations)  # reported, not silently dropped
    cats = obj.get("cats") or []
    if isinstance(cats, dict):  # {"label": score}: the labels chosen
        cats = [name for name, score in cats.items() if score]
    if not isinstance(cats, list) or not all(isinstance(name, str) for name in cats):
        raise BadItem("\"cats\" must be a list of label names")
    item.labels += [(name, None) for name in cats]
    return item


def _is_triple(value: Any) -> bool:
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], int)
            and isinstance(value[1], int) and isinstance(value[2], str))


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
