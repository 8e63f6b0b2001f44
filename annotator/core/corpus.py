"""The corpus folder: a lazy index of article headers, and articles loaded on demand.

Start-up must not parse every article (10,000 of them would take seconds), so the list
reads only each file's header, and remembers headers in a small cache keyed by file size
and mtime. The cache lives under .annotator/ (git-ignored) and is only ever a shortcut:
deleting it is always safe.
"""

from __future__ import annotations

import bisect
import json
import os
from collections import OrderedDict
from pathlib import Path
from typing import NamedTuple

from .article import Article, read_article, read_article_header
from .atomic import atomic_write
from .errors import CorpusError, Problem
from .gc_pause import no_gc

ARTICLE_SUFFIX = ".yaml"
_CACHE_VERSION = 1


class CorpusEntry(NamedTuple):
    """What the article list needs, without the text. A NamedTuple: 10,000 are made at a
    time, and it is on the editor's start path (README, Start-up)."""

    id: str
    title: str
    sentence_count: int
    published: str | None
    text_sha: str
    non_content: tuple[int, ...]
    file: str  # name within corpus/


class Corpus:
    def __init__(self, folder: Path, cache_file: Path | None = None):
        self.folder = folder
        self.cache_file = cache_file
        self._entries: list[CorpusEntry] | None = None
        self.problems: list[Problem] = []  # unreadable article files, reported not hidden
        self._articles: OrderedDict[str, Article] = OrderedDict()

    def path_of(self, article_id: str) -> Path:
        return self.folder / f"{article_id}{ARTICLE_SUFFIX}"

    def entries(self) -> list[CorpusEntry]:
        if self._entries is None:
            self._entries = self._scan()
        return self._entries

    def entry(self, article_id: str) -> CorpusEntry | None:
        for entry in self.entries():
            if entry.id == article_id:
                return entry
        return None

    def ids(self) -> list[str]:
        return [entry.id for entry in self.entries()]

    def load(self, article_id: str) -> Article:
        """The article, parsed once and kept in a small LRU (articles can be large)."""
        if article_id in self._articles:
            self._articles.move_to_end(article_id)
            return self._articles[article_id]
        path = self.path_of(article_id)
        if not path.exists():
            raise CorpusError(Problem(path, f"no article {article_id!r} in the corpus"))
        with no_gc():  # 60,000 spans are 60,000 tuples in no cycle: nothing to collect
            article = read_article(path)
        self._articles[article_id] = article
        while len(self._articles) > 16:
            self._articles.popitem(last=False)
        return article

    def find_text(self, text_sha: str) -> CorpusEntry | None:
        for entry in self.entries():
            if entry.text_sha == text_sha:
                return entry
        return None

    def write(self, article: Article) -> Path:
        """Add one article file atomically and to the loaded index.

        Updating the index in place (rather than dropping it) keeps a batch import from
        re-scanning the whole corpus folder once per article.
        """
        path = self.path_of(article.id)
        atomic_write(path, article.to_yaml())
        if self._entries is not None:
            entry = CorpusEntry(
                id=article.id, title=article.title, sentence_count=len(article.spans),
                published=article.published, text_sha=article.text_sha,
                non_content=article.non_content, file=path.name,
            )
            self._entries = [e for e in self._entries if e.file != entry.file]
            bisect.insort(self._entries, entry, key=lambda e: e.file)  # scan order: by file
        self._articles.pop(article.id, None)
        return path

    def _scan(self) -> list[CorpusEntry]:
        self.problems = []
        if not self.folder.is_dir():
            return []
        cache = self._read_cache()
        fresh: dict[str, dict] = {}
        entries: list[CorpusEntry] = []
        with os.scandir(self.folder) as listing:
            files = sorted(
                (item for item in listing
                 if item.name.endswith(ARTICLE_SUFFIX) and not item.name.startswith(".")),
                key=lambda item: item.name,
            )
        for item in files:
            stat = item.stat()
            stamp = [stat.st_size, stat.st_mtime_ns]
            cached = cache.get(item.name)
            if cached and cached.get("stamp") == stamp:
                record = cached["entry"]
            else:
                try:
                    header = read_article_header(Path(item.path))
                except (CorpusError,) as exc:
                    self.problems.extend(exc.problems)
                    continue
                except (OSError, UnicodeDecodeError) as exc:
                    self.problems.append(Problem(item.path, f"cannot read: {exc}"))
                    continue
                record = CorpusEntry(
                    id=str(header["id"]),
                    title=str(header.get("title") or header["id"]),
                    sentence_count=int(header.get("sentence_count") or 0),
                    published=header.get("published"),
                    text_sha=str(header.get("text_sha") or ""),
                    non_content=tuple(header.get("non_content") or ()),
                    file=item.name,
                )._asdict()
            fresh[item.name] = {"stamp": stamp, "entry": record}
            record = dict(record, non_content=tuple(record["non_content"]))
            entries.append(CorpusEntry(**record))
        if fresh != cache:
            self._write_cache(fresh)
        return entries

    def _read_cache(self) -> dict[str, dict]:
        if self.cache_file is None:
            return {}
        try:
            data = json.loads(self.cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != _CACHE_VERSION:
            return {}
        files = data.get("files")
        return files if isinstance(files, dict) else {}

    def _write_cache(self, files: dict[str, dict]) -> None:
        if self.cache_file is None:
            return
        try:
            atomic_write(
                self.cache_file,
                json.dumps({"version": _CACHE_VERSION, "files": files}, separators=(",", ":")),
            )
        except OSError:
            pass  # a read-only project still works, just without the shortcut
