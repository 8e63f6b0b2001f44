"""The user's keys file: rebind any action without touching code.

``$XDG_CONFIG_HOME/annotator/keys.yaml`` (else ``~/.config/annotator/keys.yaml``) maps
an action id from the action tables (core/actions.py, core/review_actions.py) to the
keys it should answer to, comma-separated: ``next_sentence: "j,down"``. The keys given
replace the action's default keys, in the editor and in review alike. Each layer of the
project's labels.yaml adds ids: ``pick_<layer id>`` (its picker, on the layer's key) and,
in review, ``take_<layer id>`` (the prefix that takes that layer from one annotator).

Everything is checked against the project's schema before a screen opens, each problem
at file:line: an unknown id, a value that is not a string, a key that a label quick key,
Textual itself or another action (a layer's picker included, after the rebinding)
already uses. A missing file simply means the defaults. Keys are normalised the way
Textual names them ("?" becomes "question_mark").
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from .actions import _FRAMEWORK_KEYS, Action, annotate_actions
from .errors import AnnotatorError, Problem
from .schema import LabelSchema

# Textual's names for characters whose Unicode name differs (textual/keys.py).
_NAME_REPLACEMENTS = {"solidus": "slash", "reverse_solidus": "backslash",
                      "commercial_at": "at", "hyphen_minus": "minus", "plus_sign": "plus",
                      "low_line": "underscore"}


class KeysFileError(AnnotatorError):
    """keys.yaml is wrong: the app does not start with keys the user did not ask for."""

    exit_code = 2


def keys_file_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where the keys file lives (XDG base directory rules)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME") or ""
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return root / "annotator" / "keys.yaml"


def key_name(key: str) -> str:
    """One key as Textual names it: "?" -> "question_mark", "/" -> "slash", "j" -> "j"."""
    if len(key) != 1 or key.isalnum():
        return key
    try:
        name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return "tab" if key == "\t" else key
    return _NAME_REPLACEMENTS.get(name, name)


def split_keys(keys: str) -> tuple[str, ...]:
    """"j, down" -> ("j", "down"), each normalised; empty pieces are left out."""
    return tuple(key_name(piece.strip()) for piece in keys.split(",") if piece.strip())


def _action_keys(actions: tuple[Action, ...]) -> dict[str, tuple[str, ...]]:
    """Default keys per rebindable id; review's take is one id per digit (take_1...)."""
    keys: dict[str, tuple[str, ...]] = {}
    for action in actions:
        if action.id == "take":
            from .review_actions import TAKE_KEYS

            keys.update({f"take_{key}": (key,) for key in TAKE_KEYS})
        else:
            keys[action.id] = action.keys
    return keys


def modes(schema: LabelSchema | None) -> dict[str, dict[str, tuple[str, ...]]]:
    """Rebindable id -> default keys, per mode, for a project: the fixed tables plus
    what its layers add (a picker each; in review also a take-this-layer prefix)."""
    from .review_actions import review_actions  # not needed to open the editor

    if schema is None:
        return {"editor": _action_keys(annotate_actions(())),
                "review": _action_keys(review_actions(()))}
    return {"editor": _action_keys(annotate_actions(schema.layers)),
            "review": _action_keys(review_actions(schema.layers, schema.quick_keys()))}


def load_keys_file(path: Path, schema: LabelSchema | None = None) -> dict[str, str]:
    """Action id -> normalised keys ("j,down"); {} when the file does not exist.

    Raises KeysFileError naming every problem (file:line). With the project's schema,
    its layers' picker ids are known, and a key that a picker or a label quick key
    uses is refused too.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise KeysFileError(Problem(path, f"cannot read the keys file: {exc}")) from None
    import yaml  # only for a keys file: most users have none, and the editor starts sooner

    from .yamlio import _Loader, yaml_problem

    defaults = modes(schema)
    known_ids = {id_ for mode in defaults.values() for id_ in mode}
    try:
        root = yaml.compose(text, Loader=_Loader)  # noqa: S506 - safe loader
    except yaml.YAMLError as exc:
        raise KeysFileError(yaml_problem(path, exc)) from None
    if root is None:
        return {}
    problems: list[Problem] = []
    if not isinstance(root, yaml.MappingNode):
        raise KeysFileError(Problem(path, "expected a mapping of action id: keys, e.g. "
                                    'next_sentence: "j,down"', root.start_mark.line + 1))
    chosen: dict[str, str] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        action_id = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(action_id, str) or action_id not in known_ids:
            problems.append(Problem(path, f"unknown action {action_id!r} (the ids are listed "
                                    "in the README, section Rebinding keys)", line))
            continue
        if action_id in chosen:
            problems.append(Problem(path, f"{action_id!r} appears twice (first at line "
                                    f"{lines[action_id]})", line))
            continue
        if not (isinstance(value_node, yaml.ScalarNode)
                and value_node.tag == "tag:yaml.org,2002:str"):
            problems.append(Problem(path, f"{action_id}: the keys must be a string, e.g. "
                                    f'{action_id}: "x,ctrl+x" (quote digits)', line))
            continue
        keys = split_keys(value_node.value)
        bad = [piece for piece in value_node.value.split(",") if not piece.strip()
               or len(piece.strip().split()) > 1]
        if not keys or bad:
            problems.append(Problem(path, f"{action_id}: {value_node.value!r} is not a "
                                    "comma-separated list of keys", line))
            continue
        chosen[action_id] = ",".join(keys)
        lines[action_id] = line
    problems.extend(_collisions(path, chosen, lines, schema, defaults))
    if problems:
        raise KeysFileError(sorted(problems, key=lambda p: p.line or 0),
                            hint="Fix the keys file, or move it away to use the default keys.")
    return chosen


def _collisions(path: Path, chosen: dict[str, str], lines: dict[str, int],
                schema: LabelSchema | None,
                defaults: dict[str, dict[str, tuple[str, ...]]]) -> list[Problem]:
    """Keys that would do two things: label keys, Textual's own, or two actions."""
    problems: dict[tuple[int, str], Problem] = {}

    def report(action_id: str, message: str) -> None:
        line = lines[action_id]
        problems.setdefault((line, message), Problem(path, message, line))

    labels = {}
    if schema is not None:
        for key, (layer, label) in schema.quick_keys().items():
            labels[key_name(key)] = f"{layer.id} {label.id!r}"
    for action_id, keys in chosen.items():
        own = {key for mode in defaults.values() for key in mode.get(action_id, ())}
        for key in keys.split(","):
            if key in labels:
                report(action_id, f"{action_id}: key {key!r} is the quick key of "
                       f"{labels[key]} in labels.yaml")
            elif key in _FRAMEWORK_KEYS and key not in own:
                report(action_id, f"{action_id}: key {key!r} is needed by the app itself")
    for mode, table in defaults.items():
        owners: dict[str, list[str]] = {}
        for action_id, default in table.items():
            bound = (tuple(chosen[action_id].split(",")) if action_id in chosen
                     else tuple(key_name(key) for key in default))
            for key in bound:
                owners.setdefault(key, []).append(action_id)
        for key, ids in owners.items():
            for action_id in ids:
                others = [other for other in ids if other != action_id]
                if action_id in chosen and others:
                    report(action_id, f"{action_id}: key {key!r} is also the key of "
                           f"{', '.join(others)} in the {mode}")
    return list(problems.values())
