"""Every annotator's tags for every article, read once and kept: the one annotation index.

Export, review, agree, stats, validate and the editor's progress all read annotation
files through here. Two things keep that fast at 30,000 files:

* each file goes through the codec (annotation_file.parse_doc), whose canonical reader
  is about 20x faster than libyaml on the files the store writes;
* what was read is kept in ``.annotator/index/<annotator>.bin``, keyed by each file's
  size and mtime, so an unchanged file is never parsed twice. The cache is only ever a
  shortcut (git-ignored, safe to delete); a stale or damaged cache is rebuilt silently.

The cache is written with ``marshal`` (plain tuples, strings and ints only; loading
200,000 sentence records takes ~0.1 s where JSON takes ~1 s) behind a header (cache
format, Python version) and a CRC of the payload; anything unexpected means "rebuild".
Each file's records are kept as columns per layer as well as rows, so agreement over
600,000 sentences walks tuples without building an object per sentence.
"""

from __future__ import annotations

import marshal
import multiprocessing
import os
import sys
import threading
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any

from .annotation_file import FILE_VERSION, is_article_file, parse_doc, read_doc, read_rows
from .atomic import atomic_write
from .errors import Problem, StoreError
from .gc_pause import no_gc
from .store import AnnotationStore, check_annotator_name
from .tags import SentenceTags

CACHE_VERSION = 8  # 8: files read, kept and cached in article order
_MAGIC = b"ANNIDX"
_NO_LABELS: tuple[str, ...] = ()


@dataclass
class FileRecords:
    """What one annotation file holds (``problem`` set when it could not be read).

    ``sentences`` and ``rows`` line up (sorted by sentence index); ``layers`` holds, per
    layer present in the file, one tuple of label ids per row.
    """

    article_id: str
    sentences: tuple[int, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = ()  # SentenceTags as plain tuples (the cache's form)
    layers: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    problem: Problem | None = None
    text_sha: str | None = None  # the article text the tags were made on (drift check)
    plain: bool = True  # every record is a content decision (labels, no not-content mark)
    version: int = FILE_VERSION  # the file's format version (validate lists older ones)

    @classmethod
    def of_tags(cls, article_id: str, tags: Iterable[tuple[int, SentenceTags]],
                *, shared: bool = False, **kwargs: Any) -> FileRecords:
        """shared: the tags' (layer, ids) pairs are shared objects already (the codec
        shares what it reads), so they are not looked up again."""
        # Not empty: labels, a note, a not-content mark or spans (t[0], t[1], t[2], t[5]).
        pairs = [(i, t if shared else _shared_labels(t)) for i, t in tags
                 if t[0] or t[1] or t[2] or t[5]]
        pairs.sort(key=_first)
        plain_rows = _PLAIN_ROWS.get
        rows = []
        for _, t in pairs:
            found = plain_rows(id(t))
            rows.append(found[1] if found is not None and found[0] is t else _plain_row(t))
        columns: dict[str, list[tuple[str, ...]]] = {}
        for number, row in enumerate(rows):
            for layer, ids in row[0]:
                column = columns.get(layer)
                if column is None:
                    column = columns[layer] = [_NO_LABELS] * len(rows)
                column[number] = ids
        layers = {name: tuple(columns[name]) for name in sorted(columns)}
        plain = all(row[0] and not row[2] for row in rows)
        return cls(article_id, tuple(i for i, _ in pairs), tuple(rows), layers, plain=plain,
                   **kwargs)

    def column(self, layer: str) -> tuple[tuple[str, ...], ...]:
        """The label ids of one layer for every row (empty tuples where none)."""
        found = self.layers.get(layer)
        return found if found is not None else (_NO_LABELS,) * len(self.sentences)

    @cached_property
    def not_content(self) -> tuple[bool, ...]:
        return tuple(row[2] for row in self.rows)

    @cached_property
    def tagged(self) -> tuple[bool, ...]:
        """Per row: a decision (labels or not content); a note alone is not one."""
        return tuple(bool(row[0] or row[2]) for row in self.rows)

    def tags(self) -> dict[int, SentenceTags]:
        make = SentenceTags._make
        return {i: make(row) for i, row in zip(self.sentences, self.rows, strict=True)}

    @property
    def has_provenance(self) -> bool:
        rows = self.rows  # agrees_with, overrules: C-level scans (agree checks 600,000)
        return any(map(itemgetter(3), rows)) or any(map(itemgetter(4), rows))

    def _cached(self) -> tuple[Any, ...]:
        problem = self.problem
        return (self.sentences, self.rows, self.layers,
                (str(problem.path), problem.message, problem.line, problem.column)
                if problem else None, self.text_sha, self.plain, self.version)

    @classmethod
    def _from_cache(cls, article_id: str, blob: tuple[Any, ...]) -> FileRecords:
        sentences, rows, layers, problem, text_sha, plain, version = blob
        return cls(article_id, sentences, rows, layers, Problem(*problem) if problem else None,
                   text_sha, plain, version)


_SHARED: dict[Any, Any] = {}
_SHARED_MAX = 100_000


def _shared_labels(tags: SentenceTags) -> SentenceTags:
    """The same tags, with each (layer, label ids) pair and label tuple one shared object
    per distinct value: a project repeats a few thousand of them over 600,000 sentences,
    and marshal writes a shared object once, so the cache is a third the size and loads
    about three times faster."""
    shared = _SHARED
    if len(shared) > _SHARED_MAX:  # a bound, not a cache policy: distinct values are few
        shared.clear()
    values = []
    for layer, ids in tags.values:
        ids = shared.setdefault(ids, ids)
        pair = (layer, ids)
        values.append(shared.setdefault(pair, pair))
    if all(new is old for new, old in zip(values, tags.values)):
        return tags  # already shared (the codec shares what it reads): keep the row shared too
    return tags._replace(values=tuple(values))


def read_file_records(path: Path, article_id: str, annotator: str) -> FileRecords:
    """One annotation file through the codec; a file that cannot be read keeps its problem.

    The codec's read_rows takes canonical files (nearly all) straight to rows and
    columns; anything it declines, and a file it cannot take as is (not UTF-8, CR line
    ends, unreadable), goes through parse_doc / read_doc, which give the same records
    and every error message."""
    text = None
    try:
        data = _read_bytes(str(path))
    except OSError:
        data = None
    if data is not None and b"\r" not in data:  # read_text would translate line ends
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
    if text is not None:
        found = read_rows(text)
        if found is not None:
            text_sha, version, sentences, rows, layers, plain = found
            return FileRecords(article_id, sentences, rows, layers, None, text_sha, plain,
                               version)
    try:
        if text is None:
            doc = read_doc(Path(path), article_id, annotator)
        else:
            doc = parse_doc(text, Path(path), article_id, annotator)
    except StoreError as exc:
        return FileRecords(article_id, problem=exc.problems[0])
    return FileRecords.of_tags(article_id, doc.tags.items(), shared=True,
                               text_sha=doc.text_sha, version=doc.version)


# Reading the files of a new or changed folder is CPU bound (about 100 µs a file): past
# this many stale files they are parsed in worker processes, one per CPU.
_WORKERS_FROM = 2000


def _parse_in_workers(folder: str, annotator: str,
                      article_ids: list[str]) -> dict[str, FileRecords] | None:
    """The stale files of one folder parsed in forked worker processes; None when not
    worth it or not possible (few files, one CPU, no fork, threads running: a fork
    copies their locks), and the caller reads them here, one by one.

    Each worker returns its share as one marshal blob of cache entries (what the index
    file holds), which loads here about ten times faster than parsing."""
    workers = min(os.cpu_count() or 1, 8)
    if (len(article_ids) <= _WORKERS_FROM or workers < 2 or threading.active_count() > 1
            or "fork" not in multiprocessing.get_all_start_methods()):
        return None
    size = -(-len(article_ids) // workers)  # one share each: objects shared within a share
    chunks = [(folder, annotator, article_ids[n:n + size])
              for n in range(0, len(article_ids), size)]
    parsed: dict[str, FileRecords] = {}
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for blob in pool.imap(_parse_chunk, chunks):
                for article_id, cached in marshal.loads(blob):
                    parsed[article_id] = FileRecords._from_cache(article_id, cached)
    except OSError:
        return None  # no processes to be had: read them here
    return parsed


def _parse_chunk(job: tuple[str, str, list[str]]) -> bytes:
    """In a worker: some files of one folder, as marshal'd (article id, cache entry)."""
    folder, annotator, article_ids = job
    with no_gc():
        return marshal.dumps([
            (article_id, read_file_records(Path(folder, f"{article_id}.yaml"), article_id,
                                           annotator)._cached())
            for article_id in article_ids])


def _read_bytes(path: str) -> bytes:
    """The whole file in two or three system calls (open() builds a buffered reader)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


# --------------------------------------------------------------------------- index


@dataclass
class AnnotatorFiles:
    """One annotator's folder: article id -> what its file holds."""

    name: str
    files: dict[str, FileRecords] = field(default_factory=dict)
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def problems(self) -> list[Problem]:
        return [f.problem for f in self.files.values() if f.problem is not None]

    @property
    def has_provenance(self) -> bool:
        """A reviewer's folder: its sentences say whom they agree with or overrule.

        FileRecords.has_provenance over every file, as two C-level scans of all rows
        (agree asks this of every folder: 200,000 rows each)."""
        rows = list(chain.from_iterable(f.rows for f in self.files.values()))
        return any(map(itemgetter(3), rows)) or any(map(itemgetter(4), rows))


class AnnotationIndex:
    """Loads and caches every annotator's files; each unchanged file is parsed once."""

    def __init__(self, store: AnnotationStore, cache_dir: Path | None):
        self.store = store
        self.cache_dir = cache_dir
        self._loaded: dict[str, AnnotatorFiles] = {}
        self._dirty: set[str] = set()  # annotators read file by file since their cache was saved
        self._folders: dict[str, str] = {}

    def annotator(self, name: str, *, refresh: bool = True) -> AnnotatorFiles:
        """Everything under annotations/<name>/, re-reading only files that changed."""
        known = self._loaded.get(name)
        if known is not None and not refresh:
            return known
        if known is None:
            known = self._read_cache(name) or AnnotatorFiles(name)
        folder = self.store.folder / name
        current: dict[str, tuple[int, int]] = {}
        if folder.is_dir():
            with os.scandir(folder) as listing:
                for item in listing:
                    if is_article_file(item.name):
                        stat = item.stat()
                        current[item.name[:-5]] = (stat.st_size, stat.st_mtime_ns)
        changed = False
        with no_gc():
            for article_id in list(known.files):
                if article_id not in current:
                    del known.files[article_id]
                    known.stamps.pop(article_id, None)
                    changed = True
            # In article order, not the listing's (hash order on most file systems): so
            # are the records kept, in memory and in the cache. Loaded, an article's
            # records then sit next to its neighbours', and next to the objects the codec
            # shared between them: an export worker touches (and copies) only its own
            # chunks' pages, and the cache loads faster than one reordered after parsing.
            stale = sorted(article_id for article_id, stamp in current.items()
                           if known.stamps.get(article_id) != stamp
                           or article_id not in known.files)
            if stale:
                changed = True
                parsed = _parse_in_workers(str(folder), name, stale)
                for article_id in stale:
                    known.files[article_id] = parsed[article_id] if parsed else read_file_records(
                        folder / f"{article_id}.yaml", article_id, name)
                    known.stamps[article_id] = current[article_id]
        if changed or name in self._dirty:
            self._write_cache(known)
            self._dirty.discard(name)
        self._loaded[name] = known
        return known

    def file(self, name: str, article_id: str) -> FileRecords:
        """One file, checked against its stamp (for the current article in review)."""
        known = self._loaded.get(name)
        if known is None:
            known = self._loaded[name] = self._read_cache(name) or AnnotatorFiles(name)
        folder = self._folders.get(name)
        if folder is None:
            folder = self._folders[name] = str(self.store.folder / check_annotator_name(name))
        # A plain string path: the article list stats four files per row, 10,000 rows.
        path = os.path.join(folder, f"{article_id}.yaml")
        try:
            stat = os.stat(path)
        except OSError:
            if known.files.pop(article_id, None) is not None:
                self._dirty.add(name)
            known.stamps.pop(article_id, None)
            return FileRecords(article_id)
        stamp = (stat.st_size, stat.st_mtime_ns)
        cached = known.files.get(article_id)
        if cached is None or known.stamps.get(article_id) != stamp:
            cached = known.files[article_id] = read_file_records(Path(path), article_id, name)
            known.stamps[article_id] = stamp
            self._dirty.add(name)
        return cached

    def forget(self, name: str, article_id: str) -> None:
        """A session just saved this file: the next look reads it again (only if asked:
        rebuilding a 2,000-sentence record on every key press would cost the editor)."""
        known = self._loaded.get(name)
        if known is not None and known.files.pop(article_id, None) is not None:
            known.stamps.pop(article_id, None)
            self._dirty.add(name)

    def release(self, name: str) -> None:
        """Forget one annotator's records (kept in the cache file): `annotator stats` walks
        annotators one at a time, so only one is ever in memory."""
        if name in self._dirty:
            self._write_cache(self._loaded[name])
            self._dirty.discard(name)
        self._loaded.pop(name, None)

    def save_cache(self) -> None:
        """Keep what was read file by file (the review list) for the next start."""
        for name in sorted(self._dirty):
            self._write_cache(self._loaded[name])
        self._dirty.clear()

    # ----- the cache file ---------------------------------------------------------------
    def _cache_path(self, name: str) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / f"{name}.bin"

    def _read_cache(self, name: str) -> AnnotatorFiles | None:
        path = self._cache_path(name)
        if path is None:
            return None
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        head = _header()
        if not blob.startswith(head) or len(blob) < len(head) + 4:
            return None
        # A view, not a slice: a slice would copy the 16 MB payload before it is read.
        digest, payload = blob[len(head):len(head) + 4], memoryview(blob)[len(head) + 4:]
        if zlib.crc32(payload).to_bytes(4, "big") != digest:
            return None
        try:
            with no_gc():
                stamps, files = marshal.loads(payload)
                known = AnnotatorFiles(name)
                for article_id, blob in files.items():
                    known.files[article_id] = FileRecords._from_cache(article_id, blob)
                known.stamps = stamps
        except (ValueError, EOFError, TypeError):
            return None
        return known

    def _write_cache(self, known: AnnotatorFiles) -> None:
        path = self._cache_path(known.name)
        if path is None:
            return
        with no_gc():
            files = {article_id: f._cached() for article_id, f in known.files.items()}
            payload = marshal.dumps((known.stamps, files))
        digest = zlib.crc32(payload).to_bytes(4, "big")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, _header() + digest + payload, skip_if_same=False)
        except OSError:
            pass  # a read-only project still works, just without the shortcut


_PLAIN_ROWS: dict[int, tuple[SentenceTags, tuple[Any, ...]]] = {}


def _plain_row(tags: SentenceTags) -> tuple[Any, ...]:
    """The tags as the plain tuple marshal can write, remembered per tags object (of_tags
    looks there first): the codec
    gives sentences with the same fields one shared object, and so their rows share one
    tuple, in memory and in the cache (marshal writes a shared object once)."""
    if len(_PLAIN_ROWS) >= _SHARED_MAX:
        _PLAIN_ROWS.clear()
    plain = tuple(tags)
    _PLAIN_ROWS[id(tags)] = (tags, plain)  # the tags kept: ids stay unique
    return plain


def _first(pair: tuple[int, Any]) -> int:
    return pair[0]


def _header() -> bytes:
    """The cache is only valid for this cache format and this Python's marshal format."""
    return _MAGIC + bytes([CACHE_VERSION, sys.version_info[0], sys.version_info[1],
                           marshal.version])
