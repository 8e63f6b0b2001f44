"""Add a speaker to labels.yaml without disturbing anything else in the file.

The lead's comments, order and formatting are theirs: rather than re-emitting the whole
file (which loses comments with PyYAML and reformats with round-trip libraries), we
insert the new entry as text right after the last speaker, then re-validate the result
before writing it atomically.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from .errors import Problem, SchemaError
from .schema import LabelSchema, Speaker, parse_schema, slugify
from .yamlio import _Loader, atomic_write_text


def new_speaker_id(schema: LabelSchema, name: str) -> str:
    base = slugify(name, 40)
    candidate, n = base, 2
    while schema.has("speakers", candidate):
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def add_speaker(
    path: Path, schema: LabelSchema, name: str, *, kind: str | None = None,
    aliases: tuple[str, ...] = (), imported: bool = False,
) -> tuple[LabelSchema, Speaker]:
    """Append a speaker; returns the reloaded schema and the new speaker."""
    name = " ".join(name.split())
    if not name:
        raise SchemaError(Problem(path, "a speaker needs a name"))
    existing = schema.resolve_speaker(name)
    if existing:
        raise SchemaError(Problem(path, f"{name!r} is already speaker {existing!r}"))
    speaker_id = new_speaker_id(schema, name)
    text = path.read_text(encoding="utf-8")
    new_text = _insert_speaker(text, speaker_id, name, kind, aliases, imported)
    new_schema = parse_schema(new_text, path)  # raises if we would break the file
    atomic_write_text(path, new_text)
    speaker = new_schema.get("speakers", speaker_id)
    assert isinstance(speaker, Speaker)
    return new_schema, speaker


def _insert_speaker(text: str, speaker_id: str, name: str, kind: str | None,
                    aliases: tuple[str, ...], imported: bool) -> str:
    root = yaml.compose(text, Loader=_Loader)  # noqa: S506 - safe loader
    speakers = None
    key_node = None
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if getattr(key, "value", None) == "speakers":
                key_node, speakers = key, value
    fields = [f"id: {speaker_id}", f"name: {json.dumps(name, ensure_ascii=False)}"]
    if kind:
        fields.append(f"kind: {kind}")
    if aliases:
        fields.append("aliases: [" + ", ".join(json.dumps(a, ensure_ascii=False)
                                              for a in aliases) + "]")
    if imported:
        fields.append("imported: true")
    if (
        isinstance(speakers, yaml.SequenceNode)
        and speakers.value
        and not speakers.flow_style
        and isinstance(speakers.value[-1], yaml.MappingNode)
    ):
        last = speakers.value[-1]
        column = last.start_mark.column
        dash = " " * max(column - 2, 0) + "- "
        pad = " " * column
        block = dash + f"\n{pad}".join(fields)
        # The last value's end mark sits right after it (a mapping's own end mark would be
        # past any trailing comments and blank lines, which belong to what follows).
        value_end = last.value[-1][1].end_mark.index if last.value else last.end_mark.index
        insert_at = (value_end - 1 if value_end and text[value_end - 1] == "\n"  # block scalar
                     else text.find("\n", value_end))
        if insert_at == -1:
            return text + "\n" + block + "\n"
        return text[:insert_at] + "\n" + block + text[insert_at:]
    block = "  - " + "\n    ".join(fields)
    if isinstance(speakers, yaml.SequenceNode) and speakers.value and speakers.flow_style:
        # A non-empty inline list: add one more inline entry before the closing bracket.
        close = speakers.end_mark.index - 1
        before = text[:close].rstrip()
        separator = " " if before.endswith(",") else ", "
        return before + separator + "{" + ", ".join(fields) + "}" + text[close:]
    if key_node is not None and speakers is not None:
        # Empty list or no value: replace the value with a block list holding the new entry.
        start, end = speakers.start_mark.index, speakers.end_mark.index
        if isinstance(speakers, yaml.ScalarNode) and speakers.value == "":
            # `speakers:` (perhaps with a comment): keep the line, the list goes below it.
            line_end = text.find("\n", key_node.end_mark.index)
            start = end = len(text) if line_end == -1 else line_end
        return text[:start].rstrip(" ") + "\n" + block + text[end:]
    return text.rstrip("\n") + "\nspeakers:\n" + block + "\n"
