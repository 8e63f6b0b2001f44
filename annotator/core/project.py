"""A project folder: labels.yaml, corpus/, annotations/, and the git-ignored .annotator/."""

from __future__ import annotations

import getpass
import os
from functools import cached_property
from pathlib import Path

from .corpus import Corpus
from .errors import UsageError
from .schema import LabelSchema, load_schema
from .store import AnnotationStore, check_annotator_name

LABELS_FILE = "labels.yaml"


class Project:
    def __init__(self, root: Path):
        self.root = root
        self.labels_path = root / LABELS_FILE
        self.corpus_dir = root / "corpus"
        self.annotations_dir = root / "annotations"
        self.state_dir = root / ".annotator"  # caches and positions: never shared, never needed

    @cached_property
    def schema(self) -> LabelSchema:
        return load_schema(self.labels_path)

    def reload_schema(self) -> LabelSchema:
        self.__dict__.pop("schema", None)
        return self.schema

    @cached_property
    def corpus(self) -> Corpus:
        return Corpus(self.corpus_dir, cache_file=self.state_dir / "corpus-index.json")

    @cached_property
    def store(self) -> AnnotationStore:
        return AnnotationStore(self.annotations_dir)


def resolve_annotator(flag: str | None) -> str:
    """--annotator, else $ANNOTATOR, else the login name; always a safe folder name."""
    name = flag or os.environ.get("ANNOTATOR")
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError) as exc:
            raise UsageError("cannot tell who you are: pass --annotator NAME") from exc
    return check_annotator_name(name)


SAMPLE_LABELS = """\
# labels.yaml: what annotators can tag. Edit freely; `annotator validate` checks it.
# Each label has an id (lowercase, stable: it is what files store), a display name,
# an optional one-character quick key and an optional description shown as help.
# Keys used by navigation (j k g G n N s c t e x X u a q ? / [ ] space) are refused.
version: 1

# Who is speaking: people and institutions quoted or paraphrased.
# aliases map every spelling found in the text to one id.
speakers:
  - id: example-person
    name: Example Person
    kind: person
    aliases: [Ms Person, E. Person]

# One choice per sentence.
claim:
  - id: fact
    name: Factual claim
    key: f
    description: States something checkable as true or false.
  - id: opinion
    name: Opinion
    key: o
    description: A judgement or belief of the speaker.

# Any number per sentence.
topics:
  - id: politics
    name: Politics
    key: "1"
  - id: economy
    name: Economy
    key: "2"
"""


def init_project(root: Path) -> list[Path]:
    """Create a new project; refuse to touch one that exists (never overwrite work)."""
    labels = root / LABELS_FILE
    if labels.exists():
        raise UsageError(f"{labels}: a project already exists here; nothing was changed")
    root.mkdir(parents=True, exist_ok=True)
    created = []
    for folder in ("corpus", "annotations"):
        (root / folder).mkdir(exist_ok=True)
        keep = root / folder / ".gitkeep"
        keep.touch()
        created.append(root / folder)
    labels.write_text(SAMPLE_LABELS, encoding="utf-8")
    gitignore = root / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text(".annotator/\n", encoding="utf-8")
    created.insert(0, labels)
    return created
