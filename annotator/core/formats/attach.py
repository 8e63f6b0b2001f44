"""Put imported tags into the project without losing anyone's work.

Shared by the brat, doccano and Label Studio imports. An annotator's file for an
article that already holds tags is never silently replaced: by default the import of
that item is refused (naming the file); with `merge` only the sentences that file leaves
empty are filled, and the sentences kept are counted. A file that fails to load is left
alone, and an article open in a live session (its lock) is not written behind its back.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..annotation_file import AnnotationDoc
from ..article import Article
from ..errors import AnnotatorError, Problem
from ..lock import ArticleLock
from ..project import Project
from ..store import check_annotator_name
from ..tags import SentenceTags


class ExistingWorkError(AnnotatorError):
    """The annotator already has tags on this article: not overwritten."""


@dataclass(frozen=True)
class AttachResult:
    written: int  # sentences set from the import
    kept: int  # sentences that already had tags (merge): left as they were


def existing_doc(project: Project, annotator: str, article_id: str, *,
                 merge: bool) -> AnnotationDoc:
    """The annotator's current doc, or ExistingWorkError/StoreError if we may not touch it."""
    check_annotator_name(annotator)
    doc = project.store.load(annotator, article_id)  # StoreError: left as is, import refused
    tagged = sum(1 for tags in doc.tags.values() if not tags.is_empty)
    if tagged and not merge:
        raise ExistingWorkError(Problem(
            project.store.path(annotator, article_id),
            f"{annotator} already has {tagged} tagged sentence(s) on this article; not "
            "overwritten (use --merge to fill only the sentences left empty)"))
    return doc


def attach(project: Project, annotator: str, article: Article,
           tags: dict[int, SentenceTags], *, merge: bool) -> AttachResult:
    """Write the imported tags (re-checking the target under the article's lock)."""
    lock = ArticleLock(project.annotations_dir / annotator / f".{article.id}.lock", annotator)
    lock.acquire()  # LockedError when a live session has it open
    try:
        doc = existing_doc(project, annotator, article.id, merge=merge)
        written = kept = 0
        for index, new in sorted(tags.items()):
            if new.is_empty:
                continue
            if not doc.get(index).is_empty:
                kept += 1
                continue
            doc.tags[index] = new
            written += 1
        project.store.save(doc, article)
        return AttachResult(written, kept)
    finally:
        lock.release()
