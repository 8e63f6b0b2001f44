"""Articles as JSON Lines, the usual output of news scrapers: one object per line.

`text` is required; `id`, `title`, `published`, `url` and `source` are optional, and
other plain fields (author, language, ...) are kept in the article's header. Each line
is imported on its own, all or nothing: a bad line is refused with file:line and the
reason, and the good lines around it still import. A given id that is not a safe file
name is turned into one (slugify) rather than refused; an id already used by another
article, or a text already in the corpus, is refused.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from ..article import Article
from ..corpus import Corpus
from ..errors import CorpusError, Problem
from ..importer import ImportResult, build_article, check_text, parse_date
from ..schema import slugify
from . import BadItem

KNOWN_FIELDS = ("text", "id", "title", "published", "url", "source")
_SAFE_ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,95}")
_EXTRA_KEY = re.compile(r"[a-z][a-z0-9_]{0,40}")
_RESERVED = frozenset({"version", "text_sha", "sentence_count", "non_content", "sentences",
                       "non_content_reasons"})
_UNDECODABLE = re.compile("[\udc80-\udcff]")  # what errors="surrogateescape" makes of a bad byte


def safe_id(given: str) -> str:
    """The id as given when it is a safe file name; otherwise a slug of it."""
    if _SAFE_ID.fullmatch(given) and ".." not in given and not given.endswith("."):
        return given
    return slugify(given, 64)


def _optional_text(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise BadItem(f"{key!r} must be text, not {type(value).__name__}")
    text = str(value).strip()
    return text or None


def import_jsonl_articles(corpus: Corpus, path: Path, raw: bytes, *,
                          dry_run: bool = False) -> list[ImportResult]:
    """One ImportResult per non-blank line, in order."""
    results: list[ImportResult] = []
    content = raw.decode("utf-8-sig", errors="surrogateescape")  # bad bytes: refused per line
    entries = corpus.entries()
    by_sha = {entry.text_sha: entry.id for entry in entries}
    taken = {entry.id for entry in entries}
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{path}:{number}"
        try:
            article = _article_from_line(line, path, number)
        except CorpusError as exc:
            results.append(ImportResult(None, source, Problem(path, exc.problems[0].message,
                                                              number)))
            continue
        except BadItem as exc:
            results.append(ImportResult(None, source, Problem(path, f"{exc}; not imported",
                                                              number)))
            continue
        other = by_sha.get(article.text_sha)
        if other is not None:
            results.append(ImportResult(None, source, Problem(
                path, f"this text is already in the corpus as {other}; not imported", number)))
            continue
        if article.id in taken:
            results.append(ImportResult(None, source, Problem(
                path, f"id {article.id!r} is already used by another article; not imported "
                      "(give this one another id)", number)))
            continue
        if not dry_run:
            corpus.write(article)
        by_sha[article.text_sha] = article.id
        taken.add(article.id)
        results.append(ImportResult(article, source))
    if not results:
        results.append(ImportResult(None, str(path), Problem(path, "no articles in this file")))
    return results


def _article_from_line(line: str, path: Path, number: int) -> Article:
    undecodable = _UNDECODABLE.search(line)
    if undecodable:
        byte = ord(undecodable.group()) - 0xDC00
        raise BadItem(f"not UTF-8 (byte 0x{byte:02x} at column {undecodable.start() + 1})")

    def bad_constant(name: str) -> float:
        raise BadItem(f"{name} is not valid JSON")

    try:
        obj = json.loads(line, parse_constant=bad_constant)
    except json.JSONDecodeError as exc:
        raise BadItem(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise BadItem("each line must be a JSON object with a \"text\" field")
    text = obj.get("text")
    if text is None:
        raise BadItem("missing \"text\"")
    if not isinstance(text, str):
        raise BadItem(f"\"text\" must be a string, not {type(text).__name__}")
    text = check_text(text.encode("utf-8", "surrogatepass"), str(path))
    given_id = _optional_text(obj, "id")
    published = _optional_text(obj, "published")
    article = build_article(
        text,
        _optional_text(obj, "source") or path.name,
        title=_optional_text(obj, "title"),
        published=parse_date(published) if published else None,
        url=_optional_text(obj, "url"),
        article_id=safe_id(given_id) if given_id else None,
    )
    extra = plain_fields(obj)
    return article.with_extra(extra) if extra else article


def plain_fields(obj: dict[str, Any]) -> dict[str, Any]:
    """The fields of an object worth keeping in an article's header: plain values under
    plain names, none of ours (text, id, title, ... and the file's own keys)."""
    extra = {}
    for key, value in obj.items():
        if key in KNOWN_FIELDS or key in _RESERVED or not _EXTRA_KEY.fullmatch(key):
            continue
        if value is None or isinstance(value, (bool, int, str)) or (
            isinstance(value, float) and math.isfinite(value)
        ):
            extra[key] = value
    return extra
