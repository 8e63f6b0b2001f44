"""The one way this project reads and writes YAML and writes files.

Safe loading only (unsafe tags such as ``!!python/object`` are refused), libyaml when
present, our own dumper passed explicitly (no global representers), and atomic writes:
a crash mid-save leaves either the old file or the new one, never a torn one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

try:  # libyaml is ~10x faster; fall back quietly where it is not compiled in.
    _Loader: type = yaml.CSafeLoader
    _Dumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader
    _Dumper = yaml.SafeDumper


def yaml_problem(path: Path | str, exc: yaml.YAMLError) -> Problem:
    """Turn a PyYAML error into file:line:column and a short reason."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in str(reason):
        reason = f"{reason} (only plain YAML is accepted; tags like !!python/object are refused)"
    if mark is None:
        return Problem(path, reason)
    return Problem(path, reason, mark.line + 1, mark.column + 1)


def parse_yaml(text: str) -> Any:
    """Parse YAML text safely; raises yaml.YAMLError (callers turn it into a Problem)."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a safe loader


def load_yaml_file(path: Path) -> Any:
    """Read and parse one YAML file; raises OSError, UnicodeDecodeError or yaml.YAMLError."""
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_Loader)  # noqa: S506


def anchor_problem(text: str, path: Path | str) -> Problem | None:
    """The first YAML anchor or alias in `text`, found without expanding anything.

    Data files never use them (the store never writes one), and a 1 KB file of nested
    aliases expands into gigabytes: refuse before any loader builds a value.
    """
    if "&" not in text and "*" not in text:
        return None
    try:
        for event in yaml.parse(text, Loader=_Loader):  # noqa: S506 - events only
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                message = ("YAML anchors and aliases (&name, *name) are not allowed in data "
                           "files; the file is left as is")
                if mark is None:
                    return Problem(path, message)
                return Problem(path, message, mark.line + 1, mark.column + 1)
    except yaml.YAMLError:
        return None  # the loader reports the syntax error with its own position
    return None


def checked_yaml(text: str, path: Path | str, *, nodes: bool = False) -> tuple[Any, Problem | None]:
    """A data file's value (or with `nodes`, its node tree, for file:line checks), by the
    safe loader, after anchor_problem; else (None, the problem with its file:line)."""
    problem = anchor_problem(text, path)
    if problem is not None:
        return None, problem
    try:
        if nodes:
            return yaml.compose(text, Loader=_Loader), None  # noqa: S506 - safe loader
        return yaml.load(text, Loader=_Loader), None  # noqa: S506 - safe loader
    except yaml.YAMLError as exc:
        return None, yaml_problem(path, exc)


class FlowList(list):  # type: ignore[type-arg]
    """A list written inline (`topics: [a, b]`): denser files, smaller git diffs."""


class _OurDumper(_Dumper):  # type: ignore[misc, valid-type]
    """Our own dumper, passed explicitly, so no other YAML user in the process is affected.

    Multi-line strings become literal blocks so articles read like articles; PyYAML falls
    back to a quoted style by itself when a block cannot hold the text exactly (trailing
    spaces, control characters), so round trips stay exact.
    """


def _represent_str(dumper: yaml.BaseDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_flow_list(dumper: yaml.BaseDumper, value: FlowList) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_OurDumper.add_representer(str, _represent_str)
_OurDumper.add_representer(FlowList, _represent_flow_list)


def dump_yaml(data: Any) -> str:
    """Stable, readable YAML: key order as given, unicode kept, wide lines."""
    return yaml.dump(
        data,
        Dumper=_OurDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
