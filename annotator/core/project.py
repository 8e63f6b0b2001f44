"""A project folder: labels.yaml, corpus/, annotations/, and the git-ignored .annotator/."""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import GITIGNORE_LINES, sweep_temp_files
from .corpus import Corpus
from .errors import UsageError
from .lock import GITIGNORE_LINE as LOCKS_IGNORED
from .schema import LabelSchema
from .speaker_files import load_project_schema
from .store import AnnotationStore, check_annotator_name

if TYPE_CHECKING:
    from .annotation_index import AnnotationIndex

LABELS_FILE = "labels.yaml"


class Project:
    def __init__(self, root: Path):
        self.root = root
        self.labels_path = root / LABELS_FILE
        self.corpus_dir = root / "corpus"
        self.annotations_dir = root / "annotations"
        self.state_dir = root / ".annotator"  # caches and positions: never shared, never needed

    def sweep_temp_files(self) -> list[Path]:
        """Remove temp files that writers killed mid-save left behind (see atomic.py)."""
        return sweep_temp_files(self.root, self.corpus_dir, self.annotations_dir,
                                self.state_dir, max_depth=1)

    @cached_property
    def schema(self) -> LabelSchema:
        return load_project_schema(self.labels_path, self.annotations_dir)

    def reload_schema(self) -> LabelSchema:
        self.__dict__.pop("schema", None)
        return self.schema

    @cached_property
    def corpus(self) -> Corpus:
        return Corpus(self.corpus_dir, cache_file=self.state_dir / "corpus-index.json")

    @cached_property
    def index(self) -> AnnotationIndex:
        """Every annotator's records, cached under .annotator/index/ by size and mtime."""
        from .annotation_index import AnnotationIndex  # the index imports the store, not us

        return AnnotationIndex(self.store, self.state_dir / "index")

    @cached_property
    def store(self) -> AnnotationStore:
        return AnnotationStore(self.annotations_dir, lambda: self.schema)


def resolve_annotator(flag: str | None) -> str:
    """--annotator, else $ANNOTATOR, else the login name; always a safe folder name."""
    name = flag or os.environ.get("ANNOTATOR")
    if not name:
        import getpass  # only here: most starts name the annotator

        try:
            name = getpass.getuser()
        except (KeyError, OSError) as exc:
            raise UsageError("cannot tell who you are: pass --annotator NAME") from exc
    return check_annotator_name(name)


SAMPLE_LABELS = """\
# labels.yaml: what annotators can tag. Edit freely; `annotator validate` checks it.
# Declare one entry under `layers` per thing annotators decide for each sentence:
# kind single (one label or none), multi (any number) or entity (picked by typing,
# with aliases). `key` opens the layer's picker; a label's `key` tags it at once.
# Keys used by commands (j k g G n N e x X u a q ? / [ ] space) are refused.
version: 2
layers:
  # Who is speaking: people and institutions quoted or paraphrased.
  - id: speakers
    title: Speakers
    kind: entity
    key: s
    colour: cyan
    labels:
      - id: example-person
        name: Example Person
        kind: person
        aliases: [Ms Person, E. Person]

  # One choice per sentence.
  - id: claim
    title: Claim
    kind: single
    key: c
    colour: yellow
    labels:
      - id: fact
        name: Factual claim
        key: f
        description: States something checkable as true or false.
      - id: opinion
        name: Opinion
        key: o
        description: A judgement or belief of the speaker.

  # Any number per sentence.
  - id: topics
    title: Topics
    kind: multi
    key: t
    colour: green
    labels:
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
        gitignore.write_text("".join(f"{line}\n" for line in (*GITIGNORE_LINES, LOCKS_IGNORED)),
                             encoding="utf-8")
        created.append(gitignore)
    created.insert(0, labels)
    return created
