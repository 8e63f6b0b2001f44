"""annotations/<annotator>/<article-id>.yaml: where each annotator's files live.

One file per annotator per article, so people sharing a project through git never edit
the same file. The file format itself is annotation_file's; this module names the
files and saves atomically. Saving an unchanged document rewrites nothing, and a file
that failed to load is never written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .annotation_file import AnnotationDoc, read_doc
from .article import Article
from .atomic import atomic_write
from .errors import UsageError

if TYPE_CHECKING:
    from .schema import LabelSchema

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$")


def check_annotator_name(name: str) -> str:
    """Annotator names become folder names: no '/', '..', control characters or spaces."""
    if not name or not _NAME_RE.match(name) or ".." in name:
        shown = name.encode("unicode_escape").decode("ascii")
        raise UsageError(
            f"{shown!r} is not a usable annotator name: use letters, digits, "
            "'.', '_', '-' (up to 64, no '/', '..' or control characters)")
    return name


class AnnotationStore:
    def __init__(self, folder: Path, schema: Callable[[], LabelSchema] | None = None):
        self.folder = folder
        self._schema = schema  # layer order and kinds, for writing; read lazily

    def path(self, annotator: str, article_id: str) -> Path:
        return self.folder / check_annotator_name(annotator) / f"{article_id}.yaml"

    def annotators(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(
            p.name for p in self.folder.iterdir()
            if p.is_dir() and not p.name.startswith(".") and _NAME_RE.match(p.name)
        )

    def article_ids(self, annotator: str) -> list[str]:
        folder = self.folder / check_annotator_name(annotator)
        if not folder.is_dir():
            return []
        return sorted(p.stem for p in folder.glob("*.yaml") if not p.name.startswith("."))

    def load(self, annotator: str, article_id: str) -> AnnotationDoc:
        """The annotator's doc for an article (empty if none yet); StoreError if unreadable."""
        path = self.path(annotator, article_id)
        if not path.exists():
            return AnnotationDoc(article_id, annotator)
        return read_doc(path, article_id, annotator)

    def save(self, doc: AnnotationDoc, article: Article) -> bool:
        """Atomic; returns False when nothing changed on disk. Never creates an empty file."""
        path = self.path(doc.annotator, doc.article_id)
        if not path.exists() and all(t.is_empty for t in doc.tags.values()):
            return False
        schema = self._schema() if self._schema is not None else None
        order = schema.layer_ids if schema is not None else ()
        single = schema.single_layers if schema is not None else frozenset()
        written = atomic_write(path, doc.to_yaml(article, order, single))
        doc.text_sha = article.text_sha
        return written
