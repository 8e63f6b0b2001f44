"""An annotation session: where the annotator is, what they change, undo/redo, autosave.

Every change the TUI makes is one of the commands here, so it can be tested, undone and
timed without a terminal. Each command saves at once (atomically): a killed process loses
at most the keystroke in flight. A save that fails undoes the change in memory and says
so, rather than showing a tag that is not on disk.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .annotation_file import AnnotationDoc
from .article import Article, Sentence
from .atomic import atomic_write
from .corpus import CorpusEntry
from .errors import AnnotatorError, Problem, StoreError
from .lock import ArticleLock
from .project import Project
from .schema import CONTENT_LAYER, Entity
from .speaker_files import add_speaker, remove_speaker, restore_speaker, stale
from .store import check_annotator_name
from .tags import SentenceTags, done_among

if TYPE_CHECKING:  # core/suggest.py loads when a suggestion is first asked for
    from .suggest import Suggestion


def relabel(tags: SentenceTags, layer: str, ids: tuple[str, ...]) -> SentenceTags:
    """A layer's labels replaced; spans of labels taken off go with them (a mention of a
    speaker no longer on the sentence is not evidence for anything), and so does what a
    speaker taken off said (brat's Content spans, labelled with the speaker's id), unless
    another layer of the sentence still holds that speaker."""
    after = tags.with_layer(layer, ids)
    if tags.spans:
        gone = set(tags.get(layer)).difference(ids)
        if gone:
            gone.difference_update(label for _, labels in after.values for label in labels)
        kept = [s for s in tags.spans
                if (s[0] != layer or s[1] in ids) and not (s[0] == CONTENT_LAYER and s[1] in gone)]
        if len(kept) != len(tags.spans):
            after = after.with_spans(kept)
    return after


class Edit(NamedTuple):
    """One undoable change. This and History are not dataclasses: the editor's start path
    (README, Start-up)."""

    index: int  # type: ignore[assignment]  # the field shadows tuple.index, on purpose
    before: SentenceTags
    after: SentenceTags
    description: str
    # (layer, entity) this edit added to the annotator's speakers file: undo takes it out.
    created: tuple[str, Entity] | None = None


class History:
    __slots__ = ("undo", "redo")

    def __init__(self) -> None:
        self.undo: list[Edit] = []
        self.redo: list[Edit] = []


class AnnotateSession:
    SUGGESTS = True  # speaker suggestions (core/suggest.py); review's gold session has none
    def __init__(self, project: Project, annotator: str, *, read_only: bool = False):
        self.project = project
        self.annotator = check_annotator_name(annotator)
        self.schema = project.schema
        self.read_only = read_only
        self.article: Article | None = None
        self.doc: AnnotationDoc | None = None
        self.cursor = 0
        self.broken: StoreError | None = None  # the open doc failed to load: edits refused
        self.notices: list[str] = []  # what the UI should tell the user after open_article
        self._lock: ArticleLock | None = None
        self._histories: dict[str, History] = {}
        self._state_path = project.state_dir / "state" / f"{self.annotator}.json"
        self._state = self._read_state()

    # ----- articles -------------------------------------------------------------------
    def entries(self) -> list[CorpusEntry]:
        return self.project.corpus.entries()

    @property
    def last_article_id(self) -> str | None:
        last = self._state.get("last_article")
        ids = self.project.corpus.ids()
        if isinstance(last, str) and last in ids:
            return last
        return ids[0] if ids else None

    def remembered_article_id(self) -> str | None:
        """The article open last time, if its file is still there, without scanning the
        corpus (the editor shows it first and indexes 10,000 articles afterwards)."""
        last = self._state.get("last_article")
        if (isinstance(last, str) and last and not last.startswith(".") and "/" not in last
                and "\\" not in last and self.project.corpus.path_of(last).is_file()):
            return last
        return None

    def open_article(self, article_id: str) -> None:
        """Switch to an article: lock it, load the tags, restore the position.

        Raises LockedError/CorpusError without changing the current article.
        """
        article = self.project.corpus.load(article_id)
        lock = None
        reopening = self.article is not None and self.article.id == article_id
        if reopening and self._lock is not None:
            lock = self._lock  # ours already: reopening (e.g. after fixing the file) keeps it
        elif not self.read_only:
            lock = ArticleLock(
                self.project.annotations_dir / self.annotator / f".{article_id}.lock",
                self.annotator,
            )
            lock.acquire()
        self._remember_position()
        if self._lock is not None and self._lock is not lock:
            self._lock.release()
        self._lock = lock
        self.article = article
        self.notices = []
        self.broken = None
        try:
            # Through the store, which remembers the file as read: a save then merges
            # what a git pull changed meanwhile instead of overwriting it.
            self.doc = self.project.store.load(self.annotator, article_id)
        except StoreError as exc:
            self.broken = exc
            self.doc = AnnotationDoc(article_id, self.annotator)
            self.notices.append(f"{exc} — editing this article is off until the file is fixed")
        self.notices.extend(self._check_doc())
        positions = self._state.get("positions", {})
        saved = positions.get(article_id, 0) if isinstance(positions, dict) else 0
        self.cursor = min(max(int(saved) if isinstance(saved, int) else 0, 0),
                          max(len(article.spans) - 1, 0))
        self._state["last_article"] = article_id
        self._write_state()

    def _check_doc(self) -> list[str]:
        assert self.doc is not None and self.article is not None
        notes = [f"{self.doc_path()}: {drift}" for drift in self.doc.drift(self.article)[:3]]
        for index, tags in sorted(self.doc.tags.items()):
            for layer, label_id in tags.labels():
                if not self.schema.has(layer, label_id):
                    line = self.doc.lines.get(index)
                    where = f"{self.doc_path()}:{line}" if line else str(self.doc_path())
                    notes.append(f"{where}: unknown {layer} label {label_id!r} "
                                 "(kept; shown with '?')")
            for layer in dict.fromkeys(span[0] for span in tags.spans):
                if self.schema.layer_of(layer) is None and layer != CONTENT_LAYER:
                    line = self.doc.lines.get(index)
                    where = f"{self.doc_path()}:{line}" if line else str(self.doc_path())
                    notes.append(f"{where}: a span names unknown layer {layer!r} (kept)")
        return notes

    def doc_path(self) -> Path:
        assert self.doc is not None
        return self.project.store.path(self.annotator, self.doc.article_id)

    def close(self) -> None:
        self._remember_position()
        self._write_state()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    # ----- reading --------------------------------------------------------------------
    @property
    def sentences(self) -> Sequence[Sentence]:
        return self.article.sentences if self.article else ()

    @property
    def current(self) -> Sentence | None:
        return self.sentences[self.cursor] if self.sentences else None

    def tags(self, index: int | None = None) -> SentenceTags:
        if self.doc is None:
            return SentenceTags()
        return self.doc.get(self.cursor if index is None else index)

    def is_done(self, index: int) -> bool:
        """Tagged, or known not to be prose (a dateline, a repeated headline)."""
        assert self.article is not None
        tags = self.tags(index)
        return tags.is_tagged or (index in self.article.non_content and index not in
                                  (self.doc.tags if self.doc else {}))

    def progress(self) -> tuple[int, int]:
        if self.article is None or self.doc is None:
            return (0, 0)
        return (self.doc.tagged_count(self.article), len(self.article.spans))

    def article_progress(self, entry: CorpusEntry) -> tuple[int, int]:
        """Tagged/total for the article list, cached by the file's size and mtime."""
        if self.article is not None and entry.id == self.article.id and self.doc is not None:
            return self.progress()
        found = self.project.index.file(self.annotator, entry.id)
        if found.problem is not None:
            return (0, entry.sentence_count)
        done = done_among(found.sentences, found.tagged, entry.non_content, entry.sentence_count)
        return (len(done), entry.sentence_count)

    def save_index(self) -> None:
        """Keep what the article list read for the next start (called on quit)."""
        self.project.index.save_cache()

    # ----- moving ---------------------------------------------------------------------
    def goto(self, index: int) -> int:
        if self.sentences:
            self.cursor = min(max(index, 0), len(self.sentences) - 1)
        return self.cursor

    def move(self, delta: int) -> int:
        return self.goto(self.cursor + delta)

    def next_untagged(self) -> int | None:
        """The next sentence still to do, wrapping around; None when all are done."""
        count = len(self.sentences)
        for step in range(1, count + 1):
            index = (self.cursor + step) % count
            if not self.is_done(index):
                self.cursor = index
                return index
        return None

    def search(self, query: str, *, forward: bool = True) -> int | None:
        """Next sentence (wrapping) containing query, case-insensitively."""
        needle = query.casefold()
        if not needle or not self.sentences:
            return None
        count = len(self.sentences)
        for step in range(1, count + 1):
            index = (self.cursor + (step if forward else -step)) % count
            if needle in self.sentences[index].text.casefold():
                self.cursor = index
                return index
        return None

    # ----- commands -------------------------------------------------------------------
    def _apply(self, after: SentenceTags, description: str, index: int | None = None) -> Edit:
        index = self.cursor if index is None else index
        self._check_writable()
        before = self.tags(index)
        edit = Edit(index, before, after, description)
        self._set(index, after)
        history = self.history
        history.undo.append(edit)
        history.redo.clear()
        return edit

    def _check_writable(self) -> None:
        if self.article is None or self.doc is None:
            raise AnnotatorError("no article is open")
        if self.read_only:
            raise AnnotatorError("this session is read-only")
        if self.broken is not None:
            raise StoreError(Problem(self.doc_path(), "this annotation file failed to load, so it "
                                     "is not written; fix or move it, then reopen the article"))

    def _set(self, index: int, tags: SentenceTags) -> None:
        """Change one sentence and save at once; on a failed save, put it back."""
        assert self.doc is not None and self.article is not None
        before = self.doc.tags.get(index)
        if tags.is_empty:
            self.doc.tags.pop(index, None)
        else:
            self.doc.tags[index] = tags
        try:
            self.project.store.save(self.doc, self.article)
            self.project.index.forget(self.annotator, self.article.id)
        except OSError as exc:
            if before is None:
                self.doc.tags.pop(index, None)
            else:
                self.doc.tags[index] = before
            raise StoreError(Problem(self.doc_path(), f"could not save ({exc.strerror}); "
                                     "the change was not made")) from exc

    @property
    def history(self) -> History:
        assert self.article is not None
        return self._histories.setdefault(self.article.id, History())

    def set_labels(self, layer: str, ids: tuple[str, ...] | str | None) -> Edit:
        """Replace a layer's labels on the current sentence (a picker's result)."""
        values = () if ids is None else ((ids,) if isinstance(ids, str) else ids)
        shown = ", ".join(values) or "none"
        after = self._mention_spans(relabel(self.tags(), layer, values), layer, values)
        return self._apply(after, f"{layer}: {shown}")

    def toggle_label(self, layer: str, label: str) -> Edit:
        """A quick key. In a single-choice layer it picks the label (again: clears it);
        in others it adds or removes that one label."""
        current = self.tags().get(layer)
        if self.schema.kind(layer) == "single":
            after: tuple[str, ...] = () if current == (label,) else (label,)
            return self._apply(relabel(self.tags(), layer, after),
                               f"{layer}: {after[0] if after else 'none'}")
        if label in current:
            after, verb = tuple(x for x in current if x != label), "-"
        else:
            after, verb = (*current, label), "+"
        tags = self._mention_spans(relabel(self.tags(), layer, after), layer, after)
        return self._apply(tags, f"{layer} {verb}{label}")

    def set_note(self, note: str | None) -> Edit:
        note = note.strip() if note else None
        return self._apply(self.tags().with_(note=note or None), "note")

    def clear(self) -> Edit:
        return self._apply(SentenceTags(), "clear")

    def toggle_not_content(self) -> Edit:
        tags = self.tags()
        after = SentenceTags(note=tags.note) if tags.not_content else SentenceTags(
            not_content=True, note=tags.note)
        return self._apply(after, "not content" if not tags.not_content else "is content")

    def apply_tags(self, tags: SentenceTags, description: str, index: int | None = None) -> Edit:
        """Replace a sentence's tags wholesale (review takes an annotator's tags this way)."""
        return self._apply(tags, description, index)

    def create_entity(self, layer: str, name: str, kind: str | None = None,
                      aliases: tuple[str, ...] = ()) -> Entity:
        """Add an entity to the annotator's speakers file (never labels.yaml, which is
        shared: see speaker_files); the schema reloads. Not undoable on its own:
        the editor uses create_and_tag."""
        self.refresh_schema()
        entity = add_speaker(self.project.annotations_dir, self.annotator, self.schema, layer,
                             name, kind, aliases)
        self._reload_schema()
        return entity

    def create_and_tag(self, layer: str, name: str, kind: str | None = None,
                       aliases: tuple[str, ...] = ()) -> Edit:
        """Create an entity and add it to the current sentence: one command, so one undo
        takes both back (the speakers file as it was, byte for byte)."""
        self._check_writable()
        entity = self.create_entity(layer, name, kind, aliases)
        after = relabel(self.tags(), layer, (*self.tags().get(layer), entity.id))
        try:
            edit = self._apply(after, f"{layer} +{entity.id} (new)")
        except (AnnotatorError, OSError):
            remove_speaker(self.project.annotations_dir, self.annotator, layer, entity.id)
            self._reload_schema()
            raise
        edit = edit._replace(created=(layer, entity))
        self.history.undo[-1] = edit
        return edit

    # ----- suggestions (core/suggest.py): shown, never saved until accepted ---------------
    def suggestions(self, index: int | None = None) -> tuple[Suggestion, ...]:
        """Every suggestion for a sentence: with a pattern first, then mere mentions."""
        if self.article is None or not self.SUGGESTS:
            return ()
        from .suggest import article_suggestions  # its patterns load when first needed

        found = article_suggestions(self.article, self.schema)
        return found.of(self.cursor if index is None else index) if found else ()

    def pending(self, index: int | None = None) -> tuple[Suggestion, ...]:
        """The suggestions worth showing: with a pattern, on a sentence whose layer is
        still empty (and that is not marked not content)."""
        if not self.SUGGESTS:
            return ()
        from .suggest import suggestion_layer

        index = self.cursor if index is None else index
        layer = suggestion_layer(self.schema)
        if layer is None:
            return ()
        tags = self.tags(index)
        if tags.not_content or tags.get(layer.id):
            return ()
        return tuple(s for s in self.suggestions(index) if s.pattern)

    def accept_suggestions(self, *, move: bool = True) -> Edit | None:
        """The sentence's pending suggestions become labels, with their mentions as spans
        (one command); the cursor moves on (unless told not to: the speaker picker opens
        with them ticked). None when there is nothing to accept."""
        found = self.pending()
        if not found:
            return None
        layer = found[0].layer
        tags = self.tags()
        labels = tuple(dict.fromkeys((*tags.get(layer), *(s.label for s in found))))
        spans = [(s.layer, s.label, s.start, s.end) for s in found
                 if s.start is not None and s.end is not None]
        after = tags.with_layer(layer, labels).with_spans((*tags.spans, *spans))
        edit = self._apply(after, f"{layer}: {', '.join(labels)} (suggested)")
        if move:
            self.move(1)
        return edit

    def _mention_spans(self, tags: SentenceTags, layer: str, ids: tuple[str, ...]
                       ) -> SentenceTags:
        """Where the sentence names an entity just picked: its mention, kept as a span."""
        if self.schema.kind(layer) != "entity" or not ids or self.article is None:
            return tags
        have = {s[1] for s in tags.spans if s[0] == layer}
        found = [(s.layer, s.label, s.start, s.end) for s in self.suggestions()
                 if s.layer == layer and s.label in ids and s.label not in have
                 and s.start is not None and s.end is not None]
        return tags.with_spans((*tags.spans, *found)) if found else tags

    def refresh_schema(self) -> bool:
        """Re-read labels.yaml and the speakers files if one changed on disk (another
        editor, a git pull, `annotator speakers merge`); True when it did."""
        if not stale(self.schema, self.project.labels_path, self.project.annotations_dir):
            return False
        self._reload_schema()
        return True

    def _reload_schema(self) -> None:
        self.schema = self.project.reload_schema()

    def undo(self) -> Edit | None:
        if self.article is None or not self.history.undo:
            return None
        self._check_writable()
        edit = self.history.undo[-1]
        self._set(edit.index, edit.before)
        if edit.created is not None:
            remove_speaker(self.project.annotations_dir, self.annotator, edit.created[0],
                           edit.created[1].id)
            self._reload_schema()
        self.history.undo.pop()
        self.history.redo.append(edit)
        self.cursor = edit.index
        return edit

    def redo(self) -> Edit | None:
        if self.article is None or not self.history.redo:
            return None
        self._check_writable()
        edit = self.history.redo[-1]
        if edit.created is not None:
            restore_speaker(self.project.annotations_dir, self.annotator, *edit.created)
            self._reload_schema()
        self._set(edit.index, edit.after)
        self.history.redo.pop()
        self.history.undo.append(edit)
        self.cursor = edit.index
        return edit

    # ----- position memory (.annotator/state, never shared) --------------------------------
    def _remember_position(self) -> None:
        if self.article is not None:
            self._state.setdefault("positions", {})[self.article.id] = self.cursor

    def _read_state(self) -> dict:
        try:
            data = json.loads(self._state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"positions": {}}
        if not isinstance(data, dict) or not isinstance(data.get("positions"), dict):
            return {"positions": {}}
        return data

    def _write_state(self) -> None:
        try:
            atomic_write(self._state_path, json.dumps(self._state, indent=1, sort_keys=True))
        except OSError:
            pass  # positions are a comfort, not work: a read-only folder must not stop tagging
