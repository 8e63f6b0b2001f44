"""Every annotator's tags for every article, loaded fast enough for 30,000 files.

`annotator agree` and the review article list need all annotation files at once. Parsing
one file with libyaml costs about 2 ms, so a 10,000-article project with three annotators
would take a minute. Two things make it fast:

* Our own files have one canonical shape (store.AnnotationDoc.to_yaml), so
  ``parse_canonical`` reads that shape line by line, about 20x faster than libyaml. It is
  strict: any line it does not recognise exactly (a hand edit, a quoted label, a
  multi-line note, an unknown field) makes it give up, and the file goes through
  ``store.load_doc`` with the safe loader, which also produces the error messages.
* What was read is kept in ``.annotator/index/<annotator>.bin``, keyed by each file's
  size and mtime, so an unchanged file is never parsed twice. The cache is only ever a
  shortcut (git-ignored, safe to delete); a stale or damaged cache is rebuilt silently.

The cache is written with ``marshal`` (plain tuples, strings and ints only; loading
200,000 sentence records takes ~0.1 s where JSON takes ~1 s). It sits in our own
git-ignored folder behind a header (cache format, Python version) and a CRC of the
payload, and anything unexpected in it means "rebuild".
"""

from __future__ import annotations

import gc
import marshal
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from .errors import Problem, StoreError
from .store import STORE_VERSION, AnnotationStore, check_annotator_name, load_doc
from .tags import SentenceTags

CACHE_VERSION = 4
_MAGIC = b"ANNIDX"


class Record(NamedTuple):
    """One sentence as an annotator tagged it: a light, immutable SentenceTags.

    Plain tuples in this field order are what the cache stores and what bulk readers
    (agreement over 600,000 sentences) walk; ``Record`` names the fields for everyone else.
    """

    sentence: int  # the sentence index (not `index`, which tuple already has)
    speakers: tuple[str, ...]
    claim: str | None
    topics: tuple[str, ...]
    not_content: bool = False
    note: str | None = None
    agrees_with: tuple[str, ...] = ()
    overrules: tuple[str, ...] = ()

    @property
    def is_tagged(self) -> bool:
        return bool(self.speakers or self.claim or self.topics or self.not_content)

    def to_tags(self) -> SentenceTags:
        return SentenceTags(self.speakers, self.claim, self.topics, self.note, self.not_content,
                            self.agrees_with, self.overrules)


def record_of(index: int, tags: SentenceTags) -> Record:
    return Record(index, tags.speakers, tags.claim, tags.topics, tags.not_content, tags.note,
                  tags.agrees_with, tags.overrules)


FIELDS = len(Record._fields)


@dataclass(frozen=True)
class FileRecords:
    """What one annotation file holds (``problem`` set when it could not be read).

    ``flat`` holds the records' fields one after another, in Record field order, sorted
    by sentence index: one tuple per file instead of one per sentence, so 600,000
    sentences load, slice (``flat[2::FIELDS]`` is every claim) and free quickly.
    """

    article_id: str
    flat: tuple = ()  # type: ignore[type-arg]
    problem: Problem | None = None
    text_sha: str | None = None  # the article text the tags were made on (drift check)
    plain: bool = True  # every record is a content decision (no not-content, no note alone)

    @classmethod
    def of_rows(cls, article_id: str, rows: Iterable[tuple], **kwargs: Any) -> FileRecords:  # type: ignore[type-arg]
        rows = tuple(rows)
        return cls(article_id, tuple(chain.from_iterable(rows)), plain=_plain(rows), **kwargs)

    @property
    def raw(self) -> tuple[tuple, ...]:  # type: ignore[type-arg]
        """One plain tuple per sentence (Record field order)."""
        flat = self.flat
        return tuple(zip(*(flat[n::FIELDS] for n in range(FIELDS)), strict=True))

    def column(self, field_number: int) -> tuple:  # type: ignore[type-arg]
        """One field of every record (0 = sentence index, 2 = claim...)."""
        return self.flat[field_number::FIELDS]

    def records(self) -> list[Record]:
        return list(map(Record._make, self.raw))

    def tags(self) -> dict[int, SentenceTags]:
        return {r.sentence: r.to_tags() for r in self.records()}


# --------------------------------------------------------------------------- fast parse

_NUM = r"(?:0|[1-9][0-9]{0,9})"
# One sentence entry exactly as store.AnnotationDoc.to_yaml writes it (fields in that order).
_ENTRY = re.compile(
    rf"- index: ({_NUM})\n  start: {_NUM}\n  end: {_NUM}\n  hash: ([^\n]*)\n"
    r"(?:  speakers: \[([^\n]*)\]\n)?"
    r"(?:  claim: ([^\n]*)\n)?"
    r"(?:  topics: \[([^\n]*)\]\n)?"
    r"(?:  note: ([^\n]*)\n)?"
    r"(?:  not_content: (true)\n)?"
    r"(?:  agrees_with: \[([^\n]*)\]\n)?"
    r"(?:  overrules: \[([^\n]*)\]\n)?"
)
# A plain scalar the dumper writes unquoted: label ids, hashes, short words (no spaces).
_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@+/()-]*")
_SQUOTED = re.compile(r"'([^'\n]*)'")
_HEAD_FIELDS = {"version", "article", "annotator", "text_sha"}
_resolver = yaml.resolver.Resolver()


class _Unrecognised(Exception):
    """The text is not in the canonical shape: let the YAML loader read it."""


class _Scalars(dict):  # type: ignore[type-arg]
    """Raw scalar text -> the string YAML reads from it, decided once per distinct text."""

    def __missing__(self, raw: str) -> str | None:
        value = self[raw] = _scalar(raw)
        return value


class _Lists(dict):  # type: ignore[type-arg]
    """Raw flow-list text ("a, b") -> a shared tuple of strings, once per distinct text."""

    def __init__(self, scalars: _Scalars):
        super().__init__()
        self.scalars = scalars

    def __missing__(self, raw: str) -> tuple[str, ...] | None:
        items = tuple(self.scalars[item] for item in raw.split(", ")) if raw else ()
        value = self[raw] = None if None in items else items
        return value


def _scalar(raw: str) -> str | None:
    """The string a plain or simple single-quoted scalar stands for; None if unsure."""
    if _PLAIN.fullmatch(raw):
        # `yes`, `null`, `12`, `1e3`, `2019-05-01` are not strings to YAML
        tag = _resolver.resolve(yaml.ScalarNode, raw, (True, False))
        return raw if tag == "tag:yaml.org,2002:str" else None
    match = _SQUOTED.fullmatch(raw)
    return match.group(1) if match else None


class CanonicalReader:
    """Reads files in the store's canonical shape; keeps what it decided about each value."""

    def __init__(self) -> None:
        self.scalars = _Scalars()
        self.lists = _Lists(self.scalars)

    def parse(self, text: str) -> list[tuple] | None:  # type: ignore[type-arg]
        """Sentence records (plain tuples in Record order); None if not the canonical shape.

        Never guesses: None sends the file to the YAML loader, which is always right.
        """
        found = self.parse_file(text)
        return None if found is None else found[0]

    def parse_file(self, text: str) -> tuple[list[tuple], str | None] | None:  # type: ignore[type-arg]
        """(records, text_sha) or None: parse() plus the header's text_sha."""
        try:
            return self._parse(text)
        except _Unrecognised:
            return None

    def _parse(self, text: str) -> tuple[list[tuple], str | None]:  # type: ignore[type-arg]
        body = text.find("\nsentences:")
        if body < 0:
            raise _Unrecognised
        text_sha = None
        for line in text[:body].split("\n"):
            key, sep, value = line.partition(": ")
            if not sep or key not in _HEAD_FIELDS:
                raise _Unrecognised
            if key == "version":
                if value != str(STORE_VERSION):
                    raise _Unrecognised
            elif self.scalars[value] is None:
                raise _Unrecognised
            elif key == "text_sha":
                text_sha = self.scalars[value]
        rest = text[body + 1:]
        if rest == "sentences: []\n":
            return [], text_sha
        if not rest.startswith("sentences:\n"):
            raise _Unrecognised
        scalars, lists = self.scalars, self.lists
        records = []
        seen: set[int] = set()
        pos, end = body + len("\nsentences:\n"), len(text)
        match_at = _ENTRY.match
        while pos < end:
            m = match_at(text, pos)
            if m is None:
                raise _Unrecognised
            pos = m.end()
            index_raw, digest, speakers, claim, topics, note, not_content, agrees, overrules = (
                m.groups())
            index = int(index_raw)
            if index in seen or scalars[digest] is None:
                raise _Unrecognised
            seen.add(index)
            record = (
                index,
                lists[speakers] if speakers is not None else (),
                scalars[claim] if claim is not None else None,
                lists[topics] if topics is not None else (),
                not_content is not None,
                scalars[note] if note is not None else None,
                lists[agrees] if agrees is not None else (),
                lists[overrules] if overrules is not None else (),
            )
            if (record[1] is None or record[3] is None or record[6] is None or record[7] is None
                    or (claim is not None and record[2] is None)
                    or (note is not None and record[5] is None)):
                raise _Unrecognised
            records.append(record)
        return records, text_sha


_default_reader = CanonicalReader()


def parse_canonical(text: str, reader: CanonicalReader | None = None) -> list[tuple] | None:  # type: ignore[type-arg]
    """Sentence records from a file in the shape the store writes; None if not that shape."""
    return (reader or _default_reader).parse(text)


def read_file_records(path: Path, article_id: str, annotator: str,
                      reader: CanonicalReader | None = None) -> FileRecords:
    """One annotation file: the fast reader first, the safe YAML loader when unsure."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = None  # load_doc says what is wrong, with the file's name
    if text is not None:
        found = (reader or _default_reader).parse_file(text)
        if found is not None:
            return FileRecords.of_rows(article_id, found[0], text_sha=found[1])
    try:
        doc = load_doc(path, article_id, annotator)
    except StoreError as exc:
        return FileRecords(article_id, problem=exc.problems[0])
    return FileRecords.of_rows(article_id, (record_of(i, t) for i, t in sorted(doc.tags.items())),
                               text_sha=doc.text_sha)


def _plain(records: Iterable[tuple]) -> bool:  # type: ignore[type-arg]
    """Lets bulk readers take every record of the file as a content decision, in C."""
    return all((r[1] or r[2] or r[3]) and not r[4] for r in records)


# --------------------------------------------------------------------------- index


@contextmanager
def no_gc() -> Iterator[None]:
    """Building 10^5..10^6 small tuples triggers repeated full collections of a heap that
    holds no cycles; pausing the collector for a bulk load halves its time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
        """A reviewer's folder: its sentences say whom they agree with or overrule."""
        return any(any(f.column(6)) or any(f.column(7)) for f in self.files.values())


class AnnotationIndex:
    """Loads and caches every annotator's files; each unchanged file is parsed once."""

    def __init__(self, store: AnnotationStore, cache_dir: Path | None):
        self.store = store
        self.cache_dir = cache_dir
        self._loaded: dict[str, AnnotatorFiles] = {}
        self._dirty: set[str] = set()  # annotators read file by file since their cache was saved
        self._folders: dict[str, str] = {}
        self._reader = CanonicalReader()

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
                    if item.name.endswith(".yaml") and not item.name.startswith("."):
                        stat = item.stat()
                        current[item.name[:-5]] = (stat.st_size, stat.st_mtime_ns)
        changed = False
        with no_gc():
            for article_id in list(known.files):
                if article_id not in current:
                    del known.files[article_id]
                    known.stamps.pop(article_id, None)
                    changed = True
            for article_id, stamp in current.items():
                if known.stamps.get(article_id) == stamp and article_id in known.files:
                    continue
                known.files[article_id] = read_file_records(
                    folder / f"{article_id}.yaml", article_id, name, self._reader)
                known.stamps[article_id] = stamp
                changed = True
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
            cached = known.files[article_id] = read_file_records(Path(path), article_id, name,
                                                                 self._reader)
            known.stamps[article_id] = stamp
            self._dirty.add(name)
        return cached

    def put(self, name: str, article_id: str, tags: Iterable[tuple[int, SentenceTags]]) -> None:
        """Tell the index what a session just saved (so the list updates without a re-read)."""
        known = self._loaded.setdefault(name, AnnotatorFiles(name))
        known.files[article_id] = FileRecords.of_rows(
            article_id, (record_of(i, t) for i, t in sorted(tags) if not t.is_empty))
        self._dirty.add(name)
        try:
            stat = self.store.path(name, article_id).stat()
            known.stamps[article_id] = (stat.st_size, stat.st_mtime_ns)
        except OSError:
            known.stamps.pop(article_id, None)

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
        digest, payload = blob[len(head):len(head) + 4], blob[len(head) + 4:]
        if zlib.crc32(payload).to_bytes(4, "big") != digest:
            return None
        try:
            with no_gc():
                stamps, files = marshal.loads(payload)
                known = AnnotatorFiles(name)
                for article_id, (records, problem, text_sha, plain) in files.items():
                    known.files[article_id] = FileRecords(
                        article_id, records, Problem(*problem) if problem else None, text_sha,
                        plain)
                known.stamps = stamps
        except (ValueError, EOFError, TypeError):
            return None
        return known

    def _write_cache(self, known: AnnotatorFiles) -> None:
        path = self._cache_path(known.name)
        if path is None:
            return
        files = {
            article_id: (
                f.flat,
                (str(f.problem.path), f.problem.message, f.problem.line, f.problem.column)
                if f.problem else None,
                f.text_sha,
                f.plain,
            )
            for article_id, f in known.files.items()
        }
        payload = marshal.dumps((known.stamps, files))
        digest = zlib.crc32(payload).to_bytes(4, "big")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text_bytes(path, _header() + digest + payload)
        except OSError:
            pass  # a read-only project still works, just without the shortcut


def _header() -> bytes:
    """The cache is only valid for this cache format and this Python's marshal format."""
    return _MAGIC + bytes([CACHE_VERSION, sys.version_info[0], sys.version_info[1],
                           marshal.version])


def atomic_write_text_bytes(path: Path, data: bytes) -> None:
    """atomic_write_text for bytes: temp file in the same folder, then rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


__all__ = ["AnnotationIndex", "AnnotatorFiles", "FileRecords", "Record", "parse_canonical",
           "read_file_records", "record_of"]
