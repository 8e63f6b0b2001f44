"""annotations/<annotator>/<article-id>.yaml: where each annotator's files live.

One file per annotator per article, so people sharing a project through git never edit
the same file. The file format itself is annotation_file's; this module names the
files and saves atomically. Saving an unchanged document rewrites nothing, and a file
that failed to load is never written.

A file can still change under an open editor: a ``git pull`` (or ``annotator sync``)
brings the same annotator's work from another laptop. So the store remembers what each
document it loaded looked like on disk (size, mtime, hash, tags) and checks before every
save; when the file changed, it reads it again and merges sentence by sentence (see
``merge_external``), and says so through ``external_changes`` and ``listener``.
"""

from __future__ import annotations

import hashlib
import os
import re
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .annotation_file import AnnotationDoc, is_article_file, parse_doc
from .article import Article
from .atomic import atomic_write
from .errors import Problem, StoreError, UsageError
from .tags import SentenceTags

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


Stamp = tuple[int, int, str]
"""(size, mtime in ns, sha256): a file as it was when read or written."""


def file_stamp(path: Path) -> tuple[Stamp | None, bytes | None]:
    """The file's stamp and bytes (None, None when there is no file)."""
    try:
        raw = path.read_bytes()
        info = os.stat(path)
    except FileNotFoundError:
        return None, None
    return (info.st_size, info.st_mtime_ns, hashlib.sha256(raw).hexdigest()), raw


class _Loaded(NamedTuple):
    """What the store last read or wrote for one open document. (NamedTuples here, not
    dataclasses: the editor's start path; README, Start-up.)"""

    doc: weakref.ref[AnnotationDoc]
    stamp: Stamp | None  # None: there was no file
    base: dict[int, SentenceTags]  # the tags as they were on disk


class ExternalChange(NamedTuple):
    """A file changed on disk under an open document, and how it was merged."""

    path: Path
    from_disk: tuple[int, ...]  # sentences taken from the file (0-based)
    kept_mine: tuple[int, ...]  # sentences the person had just changed, kept as theirs
    overwritten: tuple[tuple[int, SentenceTags | None], ...]  # ... where the file differed too

    def __str__(self) -> str:
        parts = [f"{self.path} changed on disk (a git pull or another program); "
                 "it was read again and merged"]
        if self.from_disk:
            shown = ", ".join(str(i + 1) for i in self.from_disk[:8])
            more = "…" if len(self.from_disk) > 8 else ""
            parts.append(f"sentence(s) {shown}{more} now as the file has them")
        for index, theirs in self.overwritten:
            what = _describe(theirs)
            parts.append(f"sentence {index + 1} was changed there too ({what}); your change "
                         "to it was kept")
        if not self.from_disk and not self.overwritten:
            parts.append("no sentence differs")
        return "; ".join(parts)


def _describe(tags: SentenceTags | None) -> str:
    if tags is None or tags.is_empty:
        return "untagged"
    if tags.not_content:
        return "not content"
    words = [f"{layer}: {', '.join(ids)}" for layer, ids in tags.values]
    if tags.note:
        words.append(f"note {tags.note!r}")
    return "; ".join(words)


def merge_external(base: dict[int, SentenceTags], mine: dict[int, SentenceTags],
                   theirs: dict[int, SentenceTags]) -> tuple[dict[int, SentenceTags],
                                                           ExternalChange]:
    """Three-way, sentence by sentence: the person's version only where they changed the
    sentence since the last save (that is, the change being saved), the file's elsewhere.
    Nothing from the file is dropped except where the person's own change replaces it,
    and that is reported (``overwritten``)."""
    changed = {i for i in base.keys() | mine.keys() if mine.get(i) != base.get(i)}
    merged = dict(theirs)
    for index in changed:
        if index in mine:
            merged[index] = mine[index]
        else:
            merged.pop(index, None)
    from_disk = sorted(i for i in theirs.keys() | base.keys()
                       if i not in changed and theirs.get(i) != base.get(i))
    overwritten = tuple((i, theirs.get(i)) for i in sorted(changed)
                        if theirs.get(i) != base.get(i) and theirs.get(i) != mine.get(i))
    return merged, ExternalChange(Path(), tuple(from_disk), tuple(sorted(changed)), overwritten)


class AnnotationStore:
    def __init__(self, folder: Path, schema: Callable[[], LabelSchema] | None = None):
        self.folder = folder
        self._schema = schema  # layer order and kinds, for writing; read lazily
        self._loaded: dict[Path, _Loaded] = {}
        self.external_changes: list[ExternalChange] = []  # every merge, oldest first
        # Told of each merge as it happens (the TUI shows a notification); never raises.
        self.listener: Callable[[ExternalChange], None] | None = None

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
        return sorted(p.stem for p in folder.glob("*.yaml") if is_article_file(p.name))

    def load(self, annotator: str, article_id: str) -> AnnotationDoc:
        """The annotator's doc for an article (empty if none yet); StoreError if unreadable."""
        path = self.path(annotator, article_id)
        doc, stamp = self._read(path, article_id, annotator)
        self._remember(path, doc, stamp)
        return doc

    def _read(self, path: Path, article_id: str,
              annotator: str) -> tuple[AnnotationDoc, Stamp | None]:
        """The doc and the stamp of the very bytes it was parsed from."""
        try:
            stamp, raw = file_stamp(path)
        except OSError as exc:
            raise StoreError(Problem(path, f"cannot read: {exc.strerror}")) from exc
        if raw is None:
            return AnnotationDoc(article_id, annotator), None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise StoreError(Problem(path, f"not UTF-8 ({exc.reason} at byte {exc.start}); "
                                     "left as is")) from exc
        return parse_doc(text, path, article_id, annotator), stamp

    def _remember(self, path: Path, doc: AnnotationDoc, stamp: Stamp | None) -> None:
        def forget(_ref: object, path: Path = path) -> None:
            found = self._loaded.get(path)
            if found is not None and found.doc() is None:
                del self._loaded[path]

        self._loaded[path] = _Loaded(weakref.ref(doc, forget), stamp, dict(doc.tags))

    def save(self, doc: AnnotationDoc, article: Article) -> bool:
        """Atomic; returns False when nothing changed on disk. Never creates an empty file.

        A document this store loaded (or saved) before is checked first: if its file
        changed on disk since, it is merged with the file (``merge_external``) and the
        merge is reported; a file that changed into something unreadable is not
        written, and the person's unsaved change is taken back (StoreError).
        """
        path = self.path(doc.annotator, doc.article_id)
        known = self._loaded.get(path)
        if known is not None and known.doc() is doc:
            self._check_disk(path, doc, known)
        if not path.exists() and not doc.extra and all(t.is_empty for t in doc.tags.values()):
            return False
        schema = self._schema() if self._schema is not None else None
        order = schema.layer_ids if schema is not None else ()
        single = schema.single_layers if schema is not None else frozenset()
        written = atomic_write(path, doc.to_yaml(article, order, single))
        doc.text_sha = article.text_sha
        try:
            stamp, _ = file_stamp(path)
        except OSError:
            stamp = None
        self._remember(path, doc, stamp)
        return written

    def _check_disk(self, path: Path, doc: AnnotationDoc, known: _Loaded) -> None:
        """Merge what changed on disk since the doc was loaded or last saved."""
        try:
            stamp, _ = file_stamp(path)
        except OSError:
            return  # unreadable now: the write below will say why
        if stamp == known.stamp or (stamp is not None and known.stamp is not None
                                    and stamp[0::2] == known.stamp[0::2]):
            return  # the same bytes (a touch changes the mtime, not the work)
        try:
            theirs, stamp = self._read(path, doc.article_id, doc.annotator)
        except StoreError as exc:
            for index in [i for i in doc.tags.keys() | known.base.keys()
                          if doc.tags.get(i) != known.base.get(i)]:
                if index in known.base:  # the person's change was not saved: take it back
                    doc.tags[index] = known.base[index]
                else:
                    doc.tags.pop(index, None)
            raise StoreError(Problem(path, "changed on disk and cannot be read any more "
                                     f"({exc}); your change was not saved. Fix the file "
                                     "(a merge conflict?), then reopen the article")) from exc
        merged, change = merge_external(known.base, doc.tags, theirs.tags)
        change = ExternalChange(path, change.from_disk, change.kept_mine, change.overwritten)
        doc.tags.clear()
        doc.tags.update(merged)
        doc.extra = theirs.extra
        doc.lines = theirs.lines
        doc.spans = {**theirs.spans, **{i: s for i, s in doc.spans.items()
                                        if i in change.kept_mine}}
        self.external_changes.append(change)
        if self.listener is not None:
            self.listener(change)
