"""Who tags which article: ``assignments.yaml``, written by ``annotator assign``.

Each article gets its annotators by rendezvous hashing: every (seed, article, annotator)
has a score (a hash), and the article goes to the ``per_article`` annotators with the
highest scores. So the same seed gives the same assignment on any machine, the load is
even in expectation, and adding articles never moves an article already assigned (each
article's choice depends on nothing but its own id). ``overlap`` is the share of
articles that get ``per_article`` annotators; the others get one (partial double
annotation), chosen by the same kind of hash.

The file is the lead's, at the project root; annotators only read it (the editor lists
their articles first).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import atomic_write
from .errors import AnnotatorError, Problem, UsageError
from .store import check_annotator_name

ASSIGNMENTS_FILE = "assignments.yaml"


class AssignmentsError(AnnotatorError):
    exit_code = 2


@dataclass
class Assignments:
    seed: int
    per_article: int
    overlap: float
    annotators: tuple[str, ...]
    articles: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def of(self, annotator: str) -> list[str]:
        """An annotator's articles, in the file's (corpus) order."""
        return [a for a, names in self.articles.items() if annotator in names]

    def to_yaml(self) -> str:
        from .yamlio import FlowList, dump_yaml  # PyYAML: not at the editor's start

        header = (f"# Written by: annotator assign --annotators {','.join(self.annotators)} "
                  f"--per-article {self.per_article} --seed {self.seed}"
                  + (f" --overlap {self.overlap:g}" if self.overlap < 1 else "") + "\n"
                  "# Run it again after importing articles: those already here keep their "
                  "annotators.\n")
        data: dict[str, Any] = {
            "version": 1, "seed": self.seed, "per_article": self.per_article,
            "overlap": self.overlap, "annotators": FlowList(self.annotators),
            "articles": {article: FlowList(names) for article, names in self.articles.items()},
        }
        return header + dump_yaml(data)


def _score(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\0".join(parts).encode("utf-8")).digest()[:8], "big")


def assign(article_ids: Sequence[str], annotators: Sequence[str], per_article: int, seed: int,
           overlap: float = 1.0) -> Assignments:
    names = tuple(dict.fromkeys(check_annotator_name(n) for n in annotators))
    if not names:
        raise UsageError("--annotators needs at least one name")
    if per_article < 1:
        raise UsageError("--per-article must be 1 or more")
    if per_article > len(names):
        raise UsageError(f"--per-article {per_article} is more than the team "
                         f"({len(names)}: {', '.join(names)}): nobody can tag an article twice")
    if not 0.0 <= overlap <= 1.0:
        raise UsageError(f"--overlap {overlap:g}: give a share between 0 and 1 (0.2 = a fifth "
                         "of the articles get more than one annotator)")
    result = Assignments(seed, per_article, overlap, names)
    limit = round(overlap * 2**64)
    for article in article_ids:
        shared = overlap >= 1.0 or _score(str(seed), "overlap", article) < limit
        ranked = sorted(names, key=lambda name: _score(str(seed), article, name), reverse=True)
        chosen = ranked[:per_article if shared else 1]
        result.articles[article] = tuple(n for n in names if n in chosen)
    return result


def write_assignments(project_root: Path, assignments: Assignments) -> bool:
    return atomic_write(project_root / ASSIGNMENTS_FILE, assignments.to_yaml())


def read_assignments(project_root: Path) -> Assignments | None:
    """The project's assignments (None when there is no file); AssignmentsError (file:line)."""
    path = project_root / ASSIGNMENTS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise AssignmentsError(Problem(path, f"cannot read: {exc}")) from exc
    from .yamlio import checked_yaml

    data, problem = checked_yaml(text, path)
    if problem is not None:
        raise AssignmentsError(problem)
    try:
        articles = data["articles"] or {}
        names = tuple(str(n) for n in data["annotators"])
        result = Assignments(int(data["seed"]), int(data["per_article"]),
                             float(data["overlap"]), names)
        for article, who in articles.items():
            result.articles[str(article)] = tuple(str(n) for n in who)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise AssignmentsError(Problem(path, "not an assignments file as annotator assign "
                                       f"writes it ({exc!s}); run annotator assign again"))
    return result
