"""Article status: an annotator's "done", and a reviewer's verdict, per article.

Both live in one small file per folder, ``annotations/<name>/_status.yaml`` (a name
starting with ``_``, so no scan takes it for an article), and so only its owner ever
writes it: an annotator marks their own articles done, a reviewer writes verdicts in the
reviewer's folder. Two people never edit one file, and git carries both like any tag.

```yaml
version: 1
done: [article-a, article-b]         # this annotator read these articles through
review:                              # a reviewer's verdicts (the reviewer's folder)
  article-a: {status: accepted}
  article-c: {status: needs changes, comment: speakers in paragraph 2}
```

"Done" changes what an untagged sentence means: in an article its annotator marked done,
a sentence they left untagged has *nothing to tag* (a value that agreement and review
count), not missing data. A verdict is separate from "done": the reviewer accepts an
article or sends it back with a comment, which annotators see in their article list.

Every write reads the file afresh first (a pull may have changed it) and refuses a file
it cannot read: a status file edited by hand into nonsense is reported with its line
and left exactly as it is.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .atomic import atomic_write
from .errors import AnnotatorError, Problem

if TYPE_CHECKING:  # PyYAML loads where a status file is read or written: not at start-up
    import yaml

STATUS_FILE = "_status.yaml"
ACCEPTED = "accepted"
NEEDS_CHANGES = "needs changes"
VERDICTS = (ACCEPTED, NEEDS_CHANGES)
_KEYS = ("version", "done", "review")


class StatusFileError(AnnotatorError):
    """A _status.yaml that cannot be used; it is left as it is."""

    exit_code = 2


class Verdict(NamedTuple):
    """A reviewer's verdict on an article. Not a dataclass, like the two records below:
    the editor loads this module just after its first frame (README, Start-up)."""

    status: str  # ACCEPTED or NEEDS_CHANGES
    comment: str | None = None

    def __str__(self) -> str:
        return f"{self.status}: {self.comment}" if self.comment else self.status


class FolderStatus:
    """One folder's _status.yaml."""

    __slots__ = ("done", "review")

    def __init__(self) -> None:
        self.done: set[str] = set()
        self.review: dict[str, Verdict] = {}

    def to_yaml(self) -> str:
        data: dict[str, Any] = {"version": 1}
        if self.done:  # one id a line: two laptops marking two articles merge in git
            data["done"] = sorted(self.done)
        if self.review:
            data["review"] = {
                article_id: {"status": v.status, **({"comment": v.comment} if v.comment else {})}
                for article_id, v in sorted(self.review.items())}
        from .yamlio import dump_yaml

        return dump_yaml(data)


def status_path(annotations_dir: Path, name: str) -> Path:
    return annotations_dir / name / STATUS_FILE


def read_status(path: Path) -> FolderStatus:
    """The folder's status (empty when there is no file); StatusFileError with file:line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return FolderStatus()
    except UnicodeDecodeError as exc:
        raise StatusFileError(Problem(path, f"not UTF-8 ({exc.reason}); left as is")) from exc
    except OSError as exc:
        raise StatusFileError(Problem(path, f"cannot read: {exc.strerror}")) from exc
    return parse_status(text, path)


def parse_status(text: str, path: Path | str) -> FolderStatus:
    import yaml

    from .yamlio import checked_yaml

    root, problem = checked_yaml(text, path, nodes=True)
    if problem is not None:
        raise StatusFileError(problem)
    status = FolderStatus()
    if root is None:
        return status
    problems: list[Problem] = []

    def bad(node: yaml.Node, message: str) -> None:
        problems.append(Problem(path, message, node.start_mark.line + 1))

    if not isinstance(root, yaml.MappingNode):
        bad(root, "expected a mapping with done: [article ids] and/or review: {article: "
                  "{status, comment}}")
        raise StatusFileError(problems)
    for key_node, value in root.value:
        key = key_node.value
        if key == "version":
            if value.value not in ("1",):
                bad(value, f"version {value.value!r} is not one this tool reads (1)")
        elif key == "done":
            if not isinstance(value, yaml.SequenceNode):
                bad(value, "done: expected a list of article ids, e.g. done: [article-a]")
                continue
            for item in value.value:
                if not isinstance(item, yaml.ScalarNode) or not _is_id(item.value):
                    bad(item, f"done: {_shown(item)} is not an article id")
                else:
                    status.done.add(item.value)
        elif key == "review":
            if not isinstance(value, yaml.MappingNode):
                bad(value, "review: expected article id: {status: accepted} or "
                           "{status: needs changes, comment: ...}")
                continue
            for article_node, entry in value.value:
                verdict = _verdict(article_node, entry, bad)
                if verdict is not None:
                    status.review[article_node.value] = verdict
        else:
            bad(key_node, f"unknown key {key!r} (known: {', '.join(_KEYS)})")
    if problems:
        raise StatusFileError(problems)
    return status


def _verdict(article_node: yaml.Node, entry: yaml.Node, bad: Any) -> Verdict | None:
    import yaml

    if not isinstance(article_node, yaml.ScalarNode) or not _is_id(article_node.value):
        bad(article_node, f"review: {_shown(article_node)} is not an article id")
        return None
    name = article_node.value
    if not isinstance(entry, yaml.MappingNode):
        bad(entry, f"review: {name}: expected {{status: accepted}} or {{status: needs "
                   "changes, comment: ...}}")
        return None
    fields = {k.value: v for k, v in entry.value}
    for key_node, _ in entry.value:
        if key_node.value not in ("status", "comment"):
            bad(key_node, f"review: {name}: unknown key {key_node.value!r} (status, comment)")
            return None
    status_node = fields.get("status")
    if not isinstance(status_node, yaml.ScalarNode) or status_node.value not in VERDICTS:
        bad(status_node or entry, f"review: {name}: status must be one of "
                                  f"{', '.join(VERDICTS)}")
        return None
    comment_node = fields.get("comment")
    comment = None
    if comment_node is not None:
        if not isinstance(comment_node, yaml.ScalarNode):
            bad(comment_node, f"review: {name}: comment must be text")
            return None
        comment = comment_node.value.strip() or None
    return Verdict(status_node.value, comment)


def _is_id(value: object) -> bool:
    return isinstance(value, str) and bool(value) and value[:1] not in "._" and "/" not in value


def _shown(node: yaml.Node) -> str:
    import yaml

    return repr(node.value) if isinstance(node, yaml.ScalarNode) else "this entry"


def write_status(path: Path, status: FolderStatus) -> bool:
    """Atomically; an empty status removes nothing and writes the empty form."""
    return atomic_write(path, status.to_yaml())


def update_status(path: Path, change: Any) -> FolderStatus:
    """Read the file afresh, apply ``change(status)``, write it; StatusFileError (nothing
    written) when the file on disk cannot be read."""
    status = read_status(path)
    change(status)
    write_status(path, status)
    return status


def mark_done(annotations_dir: Path, annotator: str, article_id: str,
              done: bool = True) -> FolderStatus:
    return update_status(status_path(annotations_dir, annotator),
                         lambda s: s.done.add(article_id) if done else s.done.discard(article_id))


def set_verdict(annotations_dir: Path, reviewer: str, article_id: str,
                verdict: Verdict | None) -> FolderStatus:
    """A reviewer's verdict on an article (None removes it)."""
    if verdict is not None and verdict.status not in VERDICTS:
        raise AnnotatorError(f"unknown verdict {verdict.status!r} ({', '.join(VERDICTS)})")

    def change(status: FolderStatus) -> None:
        if verdict is None:
            status.review.pop(article_id, None)
        else:
            status.review[article_id] = verdict

    return update_status(status_path(annotations_dir, reviewer), change)


class Statuses:
    """What one person's article list shows: their own done articles, and every
    reviewer's verdicts (reviewer name, verdict) by article; files that could not be
    read are listed, not guessed."""

    __slots__ = ("done", "verdicts", "problems")

    def __init__(self) -> None:
        self.done: set[str] = set()
        self.verdicts: dict[str, tuple[str, Verdict]] = {}
        self.problems: list[Problem] = []


def read_statuses(annotations_dir: Path, name: str | None) -> Statuses:
    found = Statuses()
    try:
        folders = sorted(p for p in annotations_dir.iterdir() if p.is_dir()
                         and not p.name.startswith("."))
    except OSError:
        return found
    for folder in folders:
        path = folder / STATUS_FILE
        if not path.exists():
            continue
        try:
            status = read_status(path)
        except StatusFileError as exc:
            found.problems.extend(exc.problems)
            continue
        if folder.name == name:
            found.done = status.done
        for article_id, verdict in status.review.items():
            found.verdicts.setdefault(article_id, (folder.name, verdict))
    return found


def done_by(annotations_dir: Path, names: list[str]) -> tuple[dict[str, set[str]], list[Problem]]:
    """Each annotator's done articles (agreement and review: where an untagged sentence
    means "nothing to tag"); an unreadable status file is a problem, its owner's done
    set empty."""
    done: dict[str, set[str]] = {}
    problems: list[Problem] = []
    for name in names:
        try:
            done[name] = read_status(status_path(annotations_dir, name)).done
        except StatusFileError as exc:
            problems.extend(exc.problems)
            done[name] = set()
    return done, problems


def unread(done: Collection[int], sentence_count: int, seen_to: int) -> list[int]:
    """Sentences not done that the cursor never reached: before marking an article done,
    the editor asks about these (they would silently become "nothing to tag")."""
    done_set = set(done)
    return [i for i in range(seen_to + 1, sentence_count) if i not in done_set]
