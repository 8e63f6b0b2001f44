"""The one way this project reads and writes YAML and writes files.

Safe loading only (unsafe tags such as ``!!python/object`` are refused), libyaml when
present, our own dumper passed explicitly (no global representers), and atomic writes:
a crash mid-save leaves either the old file or the new one, never a torn one.
"""

from __future__ import annotations

import functools
import os
import stat
import tempfile
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


def atomic_write_text(path: Path, text: str, *, skip_if_same: bool = True) -> bool:
    """Write via temp file + fsync + rename in the same folder. Returns False if unchanged.

    Skipping identical content keeps git diffs and mtimes quiet ("no churn").
    """
    data = text.encode("utf-8")
    if skip_if_same:
        try:
            if path.read_bytes() == data:
                return False
        except OSError:
            pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            _set_mode(handle.fileno(), path)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        raise
    _fsync_dir(path.parent)
    return True


def _set_mode(fd: int, path: Path) -> None:
    """mkstemp makes 0600 files; keep the old file's mode, else what the umask allows.

    Without this, a project shared on a server (annotators logging in over ssh) would
    turn every saved file private to whoever saved it last.
    """
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = 0o666 & ~_umask()
    try:
        os.fchmod(fd, mode)
    except (OSError, AttributeError):  # pragma: no cover - platforms without fchmod
        pass


@functools.cache
def _umask() -> int:
    """The process umask, read without changing it where the OS allows (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); harmless no-op where unsupported."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)



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
