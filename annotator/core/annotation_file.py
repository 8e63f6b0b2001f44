"""The codec for annotations/<annotator>/<article-id>.yaml: the one reader and writer.

Writing: every file has one canonical shape (header, `count`, then one entry per tagged
sentence, fields in a fixed order; layers in labels.yaml order, a single-choice layer as a
scalar, others as inline lists). Each sentence's YAML is cached, so a save in a long
article only serialises the sentence that changed.

Reading: ``parse_doc`` tries a line reader for that canonical shape first (about 20x
faster than libyaml, which matters at 30,000 files), and hands anything it does not
recognise exactly (a hand edit, a comment, a quoted or wrapped note, a block list) to
the safe YAML loader, which stays the reference and produces every error message.
Both paths return the same ``AnnotationDoc``; tests compare them on generated files.

Guards, before anything is expanded: a file with a YAML anchor or alias is refused (an
alias bomb of 1 KB expands into gigabytes), and a version 2 file whose `count` differs
from its entries was cut short or spliced, and is reported rather than read as complete.

Version 1 files (no `count`) load unchanged; a save writes version 2.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Collection, Sequence
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .article import Article
from .errors import Problem, StoreError
from .tags import META_FIELDS, SentenceTags, Span, done_indexes, label_values, span_values
from .yaml_plain import plain_is_text, single_quoted_text

if TYPE_CHECKING:  # PyYAML loads only to write, or to read a file the fast reader refuses
    import yaml

FILE_VERSION = 2
_HEAD_FIELDS = ("version", "article", "annotator", "text_sha", "count")
_SPAN_FIELDS = ("index", "start", "end", "hash")
_LIST_META = ("agrees_with", "overrules")
_LAYER_KEY = re.compile(r"[a-z][a-z0-9_]*")
_SPAN_KEYS = ("layer", "label", "start", "end")


class AnnotationDoc:
    """One annotator's tags on one article, as held in memory while editing.
    (Not a dataclass: the editor's start path; README, Start-up.)"""

    def __init__(self, article_id: str, annotator: str,
                 tags: dict[int, SentenceTags] | None = None, text_sha: str | None = None,
                 lines: dict[int, int] | None = None,
                 spans: dict[int, tuple[int, int, str]] | None = None,
                 extra: dict[str, Any] | None = None, version: int = FILE_VERSION) -> None:
        self.article_id = article_id
        self.annotator = annotator
        self.tags: dict[int, SentenceTags] = {} if tags is None else tags
        self.text_sha = text_sha  # the article text the tags were made on
        # sentence index -> line in the file; -> span as stored on disk
        self.lines: dict[int, int] = {} if lines is None else lines
        self.spans: dict[int, tuple[int, int, str]] = {} if spans is None else spans
        self.extra: dict[str, Any] = {} if extra is None else extra  # unknown keys, kept
        self.version = version  # the version the file was read as
        self._fragments: dict[int, tuple[SentenceTags, str]] = {}  # index -> (tags, YAML)
        self._layout: Any = None  # what _fragments assume

    def __repr__(self) -> str:
        return (f"AnnotationDoc({self.article_id!r}, {self.annotator!r}, "
                f"{len(self.tags)} tagged, version={self.version})")

    def get(self, index: int) -> SentenceTags:
        return self.tags.get(index, SentenceTags())

    def tagged_count(self, article: Article | None = None) -> int:
        if article is None:
            return sum(1 for t in self.tags.values() if t.is_tagged)
        return len(done_indexes(self.tags, article.non_content, len(article.spans)))

    def drift(self, article: Article) -> list[str]:
        """What changed in the article since these tags were made (empty when nothing)."""
        if self.text_sha is None or self.text_sha == article.text_sha:
            return []
        moved = []
        for index, (start, end, digest) in sorted(self.spans.items()):
            if index >= len(article.sentences):
                moved.append(f"sentence {index} no longer exists")
                continue
            sentence = article.sentences[index]
            if sentence.hash != digest or (sentence.start, sentence.end) != (start, end):
                moved.append(f"sentence {index} changed")
        return moved or ["the article text changed (the tagged sentences still match)"]

    def to_yaml(self, article: Article, layer_order: Sequence[str] = (),
                single: Collection[str] = ()) -> str:
        """The file's text, layers in `layer_order` (others after, by name), `single`
        layers as one value. Same output as dumping the whole document at once."""
        from .yamlio import dump_yaml

        fragments = []
        layout = (article.text_sha, tuple(layer_order), frozenset(single))
        if layout != self._layout:  # another text or layer order: no cached entry holds
            self._fragments.clear()
            self._layout = layout
        for index in sorted(self.tags):
            tags = self.tags[index]
            if tags.is_empty:
                continue
            cached = self._fragments.get(index)
            if cached is None or cached[0] != tags:
                entry = self._entry(index, tags, article, layer_order, single)
                fragment = dump_yaml([entry])
                if fragment.endswith("\n...\n"):
                    # A note ending in blank lines ends its document with `...`; the next
                    # entry must stay in the same document (the loader reads it the same).
                    fragment = fragment[:-4]
                if tags.spans:
                    fragment += spans_line(tags.spans)
                cached = (tags, fragment)
                self._fragments[index] = cached
            fragments.append(cached[1])
        header = dump_yaml({
            "version": FILE_VERSION,
            "article": self.article_id,
            "annotator": self.annotator,
            "text_sha": article.text_sha,
            **self.extra,
            "count": len(fragments),
        })
        return header + ("sentences:\n" + "".join(fragments) if fragments else "sentences: []\n")

    def _entry(self, index: int, tags: SentenceTags, article: Article,
               layer_order: Sequence[str], single: Collection[str]) -> dict[str, Any]:
        from .yamlio import FlowList

        if index < len(article.sentences):
            sentence = article.sentences[index]
            start, end, digest = sentence.start, sentence.end, sentence.hash
        else:  # an orphan kept from a changed article: keep what the file said
            start, end, digest = self.spans.get(index, (0, 0, ""))
        entry: dict[str, Any] = {"index": index, "start": start, "end": end, "hash": digest}
        present = dict(tags.values)
        rank = {layer: n for n, layer in enumerate(layer_order)}
        for layer in sorted(present, key=lambda name: (rank.get(name, len(rank)), name)):
            ids = present[layer]
            entry[layer] = ids[0] if layer in single and len(ids) == 1 else FlowList(ids)
        if tags.note:
            entry["note"] = tags.note
        if tags.not_content:
            entry["not_content"] = True
        if tags.agrees_with:
            entry["agrees_with"] = FlowList(tags.agrees_with)
        if tags.overrules:
            entry["overrules"] = FlowList(tags.overrules)
        return entry  # spans follow as one line: see spans_line


def spans_line(spans: Sequence[Span]) -> str:
    """`  spans: [{layer: speakers, label: pompeo, start: 120, end: 127}, ...]`, the last
    field of an entry, always on one line (the fast reader reads it; dump_yaml would
    wrap it at 100 columns)."""
    import yaml

    from .yamlio import FlowList, _OurDumper

    items = FlowList({"layer": layer, "label": label, "start": start, "end": end}
                     for layer, label, start, end in spans)
    return "  spans: " + yaml.dump(items, Dumper=_OurDumper, sort_keys=False,
                                   allow_unicode=True, default_flow_style=False, width=1 << 30)


# --------------------------------------------------------------------------- reading


def is_article_file(name: str) -> bool:
    """An annotator folder's file that holds an article's tags: `<article-id>.yaml`.

    Names starting with `.` (locks, temp files) or `_` (the folder's own files, such as
    `_speakers.yaml`) are something else; article ids never start with either."""
    return name.endswith(".yaml") and name[:1] not in "._"


def read_doc(path: Path, article_id: str | None = None,
             annotator: str | None = None) -> AnnotationDoc:
    """Read and check one annotation file; StoreError (file:line) when it cannot be used."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise StoreError(Problem(path, f"not UTF-8 ({exc.reason} at byte {exc.start}); left as is"))
    except OSError as exc:
        raise StoreError(Problem(path, f"cannot read: {exc.strerror}"))
    return parse_doc(text, path, article_id or path.stem, annotator or path.parent.name)


def parse_doc(text: str, path: Path | str, article_id: str, annotator: str,
              *, fast: bool = True) -> AnnotationDoc:
    """The document a file's text holds: the canonical reader, else the YAML loader."""
    if fast:
        doc = _CanonicalReader(text, article_id, annotator).read()
        if doc is not None:
            return doc
    return _load_yaml(text, Path(path), article_id, annotator)


def fast_path_reads(text: str) -> bool:
    """True when the canonical reader takes the file itself (no YAML loader): for tests."""
    return _CanonicalReader(text, "x", "x").read() is not None


class _Unrecognised(Exception):
    """Not exactly the canonical shape: let the YAML loader read it."""


_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@+/()-]*")
_PLAIN_TEXT = re.compile(r"[^\W\d_][\w.\-' ,;?()/]*(?<! )")
_MEMO_MAX = 50_000
_scalar_memo: dict[str, str | None] = {}
_flow_memo: dict[str, tuple[str, ...] | None] = {}
# An entry's fields after `hash` (its labels, note...) -> (tags, line count). Annotators
# who agree write the same lines, so most entries of a project are read once, and every
# sentence with the same labels shares one tags object (a third of the index's memory).
_block_memo: dict[str, tuple[SentenceTags, int]] = {}
_line_memo: dict[str, tuple[str, int, Any]] = {}  # `  claim: fact` -> see _entry_line
_pairs: dict[tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...]]] = {}
# One span as spans_line writes it: a plain layer id, a label YAML reads as written, offsets.
_SPAN_ITEM = re.compile(r"\{layer: ([a-z][a-z0-9_]*), label: ([^,{}\[\]\n]+?), "
                        r"start: (0|[1-9][0-9]{0,9}), end: (0|[1-9][0-9]{0,9})\}")
# For read_rows: a field line naming labels of a layer -> its shared (layer, ids) pair
# (filled with _line_memo), and an entry's fields after `hash` -> what _block_row says.
_pair_lines: dict[str, tuple[str, tuple[str, ...]]] = {}
_row_memo: dict[str, tuple[tuple[Any, ...], int, int, dict[str, tuple[str, ...]]]] = {}

_NUM = r"(0|[1-9][0-9]{0,9})"
# Possessive quantifiers (*+): a file that is not canonical fails at once, never by
# trying every way to split its lines.
_ENTRY_RE = re.compile(rf"^- index: {_NUM}\n  start: {_NUM}\n  end: {_NUM}\n  hash: ([^\n]++)\n"
                       r"((?:  [^\n]*+\n)*+)", re.MULTILINE)
# A sentence hash YAML reads as text: hex digits with a letter, not 0b + binary digits.
_HEX_TEXT = re.compile(r"(?!0b[01_]*$)[0-9a-f]*[a-f][0-9a-f]*")
# An article id as the importer makes them: words joined by '-', with a letter; YAML has
# no other reading for that (its numbers, dates and booleans have no such form).
_SLUG = re.compile(r"(?=[^\n]*[a-z])[a-z0-9]+(?:-[a-z0-9]+)+")
# Version 2 has `count`; version 1 (written before layers were declared) has not, and
# is read the same way (existing projects must not pay the YAML loader for every file).
_HEAD_RE = re.compile(r"version: (?:2|(1))\narticle: ([^\n]*)\nannotator: ([^\n]*)\n"
                      rf"text_sha: ([^\n]*)\n(?(1)|count: {_NUM}\n)sentences:( \[\])?\n")


def _scalar(raw: str, memo: bool = True) -> str:
    """The string a plain or simple single-quoted scalar stands for; else _Unrecognised.

    Whether a plain word is a string is PyYAML's resolver's answer (yaml_plain.py):
    `yes`, `null`, `12`, `1e3` and `2019-05-01` are not, and go to the loader (which then
    reports them).
    Label ids repeat, so their answers are kept; one-off values (notes, ids of articles)
    pass memo=False.
    """
    value = _scalar_memo.get(raw, ...) if memo else ...
    if value is ...:
        value = None
        if _PLAIN.fullmatch(raw) or _PLAIN_TEXT.fullmatch(raw):
            value = raw if plain_is_text(raw) else None
        else:
            value = single_quoted_text(raw)
        if memo and len(_scalar_memo) < _MEMO_MAX:
            _scalar_memo[raw] = value
    if value is None:
        raise _Unrecognised
    return value


def _flow_list(raw: str) -> tuple[str, ...]:
    """`[a, b]` as the store writes it (ids deduplicated, as SentenceTags keeps them)."""
    value = _flow_memo.get(raw, ...)
    if value is ...:
        value = None
        inner = raw[1:-1]
        items = inner.split(", ") if inner else []
        if len(raw) >= 2 and raw[0] == "[" and raw[-1] == "]" and not any(
                "," in item and item[:1] != "'" for item in items):  # `[a,b]` is two items
            try:
                value = tuple(dict.fromkeys(_scalar(item) for item in items))
            except _Unrecognised:
                value = None
        if len(_flow_memo) < _MEMO_MAX:
            _flow_memo[raw] = value
    if value is None:
        raise _Unrecognised
    return value


def _flow_spans(raw: str) -> tuple[Span, ...]:
    """A spans line's value as spans_line writes it (in its order, each once); else
    _Unrecognised. Whether each span lies in its sentence is the reader's check."""
    items = _SPAN_ITEM.findall(raw)
    if not items or raw != "[" + ", ".join(
            f"{{layer: {a}, label: {b}, start: {c}, end: {d}}}" for a, b, c, d in items) + "]":
        raise _Unrecognised
    spans = []
    for layer, label, start, end in items:
        if not _PLAIN.fullmatch(label) and single_quoted_text(label) is None:
            raise _Unrecognised
        spans.append((sys.intern(layer), _scalar(label), int(start), int(end)))
    found = tuple(spans)
    if span_values(found) != found:
        raise _Unrecognised  # out of order or repeated: the loader's reading is the rule
    return found


def _spans_fit(spans: tuple[Span, ...], start: str, end: str) -> None:
    """Each span inside its sentence and not empty; else the loader says where not."""
    low, high = int(start), int(end)
    for span in spans:
        if not low <= span[2] < span[3] <= high:
            raise _Unrecognised


def _entry_line(line: str) -> tuple[str, int, Any]:
    """One field line of an entry -> (key, slot, value): slot is where the value goes in
    SentenceTags (1 note, 2 not_content, 3 agrees_with, 4 overrules, 5 spans), 0 for a layer,
    whose value is its (layer, ids) pair as SentenceTags.values holds it (None when it
    lists no label)."""
    key, sep, value = line[2:].partition(": ")
    if not sep:
        raise _Unrecognised
    if key == "note":
        note = _scalar(value, memo=False)
        if not note:
            raise _Unrecognised  # `note: ''` means no note: the loader says so
        return key, 1, note
    if key == "not_content":
        if value != "true":
            raise _Unrecognised
        return key, 2, True
    if key in _LIST_META:
        return key, 3 if key == "agrees_with" else 4, _flow_list(value)
    if key == "spans":
        return key, 5, _flow_spans(value)
    if not _LAYER_KEY.fullmatch(key) or key in _SPAN_FIELDS:
        raise _Unrecognised
    if value.startswith("["):
        ids = _flow_list(value)
    else:
        ids = (_scalar(value),)
        if not ids[0]:
            raise _Unrecognised  # `claim: ''` holds no label
    key = sys.intern(key)
    return key, 0, _shared_pair(key, ids) if ids else None


def _shared_pair(layer: str, ids: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """One object per distinct (layer, label ids) pair, whichever path read it: the
    annotation index keeps 600,000 rows, and marshal writes a shared object once."""
    pair = (layer, ids)
    found = _pairs.get(pair)
    if found is None:
        if len(_pairs) >= _MEMO_MAX:
            _pairs.clear()
        found = _pairs[pair] = pair
    return found


_new_tags = tuple.__new__  # SentenceTags from its six fields, skipping NamedTuple's __new__


def _entry_fields(block: str) -> tuple[SentenceTags, int]:
    """The tags an entry's lines after `hash` hold, and how many lines they are (the
    caller looks in _block_memo first)."""
    pairs = []
    fields: list[Any] = [(), None, False, (), (), ()]
    seen = []
    lines = block.split("\n")
    lines.pop()  # the block ends with a line break
    for line in lines:
        field = _line_memo.get(line)
        if field is None:
            field = _entry_line(line)
            if field[1] not in (1, 5) and len(_line_memo) < _MEMO_MAX:  # notes, spans: one-offs
                _line_memo[line] = field
                if not field[1] and field[2] is not None:
                    _pair_lines[line] = field[2]
        key, slot, value = field
        if key in seen:
            raise _Unrecognised  # a field twice: the loader says which
        seen.append(key)
        if slot:
            fields[slot] = value
        elif value is not None:
            pairs.append(value)
    if len(pairs) > 1:
        pairs.sort()
    fields[0] = tuple(pairs)
    found = (_new_tags(SentenceTags, fields), len(lines))
    if len(_block_memo) >= _MEMO_MAX:
        _block_memo.clear()
    _block_memo[block] = found
    return found


def _head(text: str) -> tuple[int, str, int, str | None, str | None]:
    """The header of a canonical file: (version, text_sha, where the entries start, the
    count it gives, whether it says `sentences: []`); _Unrecognised when not canonical."""
    head = _HEAD_RE.match(text)
    if head is None:
        raise _Unrecognised
    old, article, annotator, text_sha, count, empty = head.groups()
    if _SLUG.fullmatch(article) is None:
        _scalar(article, memo=False)
    _scalar(annotator)
    if _HEX_TEXT.fullmatch(text_sha) is None:
        text_sha = _scalar(text_sha, memo=False)
    body = head.end()
    if empty and (body != len(text) or count not in (None, "0")):
        raise _Unrecognised
    return 1 if old else FILE_VERSION, text_sha, body, count, empty


class _CanonicalReader:
    """Reads the canonical shape with two regular expressions over the whole text (the
    header, then every entry with its fields) and a memo per entry's fields. The lines
    the entries cover must add up to the whole file, so nothing else is in it. About 20x
    faster than libyaml."""

    def __init__(self, text: str, article_id: str, annotator: str):
        self.text = text
        self.article_id = article_id
        self.annotator = annotator

    def read(self) -> AnnotationDoc | None:
        try:
            return self._read()
        except _Unrecognised:
            return None

    def _read(self) -> AnnotationDoc:
        version, text_sha, line, entries, found = _scan(
            self.text, lambda block: _block_memo.get(block) or _entry_fields(block))
        doc = AnnotationDoc(self.article_id, self.annotator, text_sha=text_sha, version=version)
        tags, spans, line_of = doc.tags, doc.spans, doc.lines
        for (index_raw, start, end, digest, _), (sentence_tags, size) in zip(
                entries, found, strict=True):
            index = int(index_raw)
            if index in tags:
                raise _Unrecognised  # the loader reports the duplicate with its line
            tags[index] = sentence_tags
            if sentence_tags.spans:
                _spans_fit(sentence_tags.spans, start, end)
            if _HEX_TEXT.fullmatch(digest) is None:
                digest = _scalar(digest, memo=False)  # all digits, or quoted
            spans[index] = (int(start), int(end), digest)
            line_of[index] = line
            line += 4 + size
        return doc


def _scan(text: str, read_block: Callable[[str], tuple[Any, ...]],
          ) -> tuple[int, str | None, int, list[tuple[str, ...]], list[tuple[Any, ...]]]:
    """The checks both canonical readers share: the header, the count, every hash, and
    that the entries cover every line (nothing else is in the file). Returns (version,
    text_sha, the first entry's line, the entries (index, start, end, hash, fields after
    hash), and `read_block` of each entry's fields, whose item 1 is its line count)."""
    version, text_sha, body, count, empty = _head(text)
    first_line = text.count("\n", 0, body) + 1
    if empty:
        return version, text_sha, first_line, [], []
    entries = _ENTRY_RE.findall(text, body)
    if count is not None and len(entries) != int(count):
        raise _Unrecognised  # the loader reports the mismatch
    for digest in {entry[3] for entry in entries}:
        if _HEX_TEXT.fullmatch(digest) is None:
            _scalar(digest, memo=False)  # all digits, quoted, or not a hash
    found = [read_block(entry[4]) for entry in entries]
    if (first_line - 1 + 4 * len(found) + sum(map(_lines_of, found)) != text.count("\n")
            or text[-1:] != "\n"):
        raise _Unrecognised  # lines no entry took: a comment, a blank line, a field out of order...
    return version, text_sha, first_line, entries, found


# ---------------------------------------------------------------- rows, for the index

_KIND_PLAIN, _KIND_OTHER, _KIND_EMPTY = 0, 1, 2  # labels and no not-content mark; else; nothing
_row_of = itemgetter(0)
_lines_of = itemgetter(1)
_kind_of = itemgetter(2)
_layers_of = itemgetter(3)
_spans_of = itemgetter(5)  # of a row
_NO_LABELS: tuple[str, ...] = ()

Rows = tuple[str | None, int, tuple[int, ...], tuple[tuple[Any, ...], ...],
             dict[str, tuple[tuple[str, ...], ...]], bool]


def read_rows(text: str) -> Rows | None:
    """What the annotation index keeps of a canonical file, without an AnnotationDoc or
    a SentenceTags per entry: (text_sha, version, sentence indexes, rows, layers, plain).
    A row is SentenceTags as a plain tuple; rows are sorted by sentence and each holds
    something; `layers` is, per layer (sorted by id), its label ids on every row; `plain`
    says every row has labels and no not-content mark (FileRecords' fields).

    None when the file is not canonical, or is but needs what only parse_doc does
    (entries out of order, an entry with nothing in it...): the caller then goes
    through parse_doc, so both ways give the same records."""
    try:
        return _read_rows(text)
    except _Unrecognised:
        return None


def _read_rows(text: str) -> Rows:
    version, text_sha, _, entries, found = _scan(
        text, lambda block: _row_memo.get(block) or _block_row(block))
    if not entries:
        return text_sha, version, (), (), {}, True
    sentences = tuple(int(entry[0]) for entry in entries)
    kinds = set(map(_kind_of, found))
    if _KIND_EMPTY in kinds or list(sentences) != sorted(set(sentences)):
        raise _Unrecognised  # left out or sorted by the caller; a duplicate (the loader says)
    rows = tuple(map(_row_of, found))
    if any(map(_spans_of, rows)):  # a C-level scan: most files have no spans
        for entry, row in zip(entries, rows, strict=True):
            if row[5]:
                _spans_fit(row[5], entry[1], entry[2])
    by_row = list(map(_layers_of, found))
    layers = {layer: tuple(map(methodcaller("get", layer, _NO_LABELS), by_row))
              for layer in sorted(set().union(*by_row))}
    return (text_sha, version, sentences, rows, layers,
            _KIND_OTHER not in kinds)


def _block_row(block: str) -> tuple[tuple[Any, ...], int, int, dict[str, tuple[str, ...]]]:
    """An entry's fields after `hash` -> (row, line count, kind, {layer: ids}), kept in
    _row_memo. Entries that only name labels (most) are read through _pair_lines; the
    rest, and lines not seen before, through _entry_fields."""
    lines = block.split("\n")
    lines.pop()  # the block ends with a line break
    row: tuple[Any, ...]
    found_pairs = list(map(_pair_lines.get, lines))
    if None in found_pairs:
        tags = _entry_fields(block)[0]
        row = tuple(tags)
        layers = dict(tags.values)
        kind = (_KIND_PLAIN if tags.values and not tags.not_content else
                _KIND_OTHER if not tags.is_empty else _KIND_EMPTY)
    else:
        pairs = cast("list[tuple[str, tuple[str, ...]]]", found_pairs)
        layers = dict(pairs)
        if len(layers) != len(pairs):
            raise _Unrecognised  # a layer twice: the loader says which
        pairs.sort()
        row = (tuple(pairs), None, False, (), (), ())
        kind = _KIND_PLAIN if pairs else _KIND_EMPTY
    found = (row, len(lines), kind, layers)
    if len(_row_memo) >= _MEMO_MAX:
        _row_memo.clear()
    _row_memo[block] = found
    return found


def _load_yaml(text: str, path: Path, article_id: str, annotator: str) -> AnnotationDoc:
    """The reference reader: the safe loader, with file:line for everything it refuses."""
    import yaml

    from .yamlio import _Loader, anchor_problem, yaml_problem

    anchored = anchor_problem(text, path)
    if anchored is not None:
        raise StoreError(anchored)
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        problem = yaml_problem(path, exc)
        problem = problem._replace(message=f"{problem.message}; the file is left as is")
        raise StoreError(problem)

    def fail(message: str, at: yaml.Node | None = None) -> StoreError:
        line = at.start_mark.line + 1 if at is not None else None
        return StoreError(Problem(path, f"{message}; the file is left as is", line))

    if data is None:
        return AnnotationDoc(article_id, annotator)
    if not isinstance(data, dict):
        raise fail("not an annotation file (expected a mapping with sentences)", node)
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version > FILE_VERSION:
        raise fail(f"format version {version!r} is newer than this annotator understands "
                   f"(it reads up to {FILE_VERSION})", node)
    raw_sentences = data.get("sentences") or []
    if not isinstance(raw_sentences, list):
        raise fail("'sentences' must be a list", _child(node, "sentences"))
    seq_node = _child(node, "sentences")
    text_sha = data.get("text_sha")
    doc = AnnotationDoc(article_id, annotator, text_sha=None if text_sha is None else str(text_sha),
                        version=version)
    doc.extra = {k: v for k, v in data.items() if k not in _HEAD_FIELDS and k != "sentences"}
    count = data.get("count")
    if version >= 2 and count != len(raw_sentences):
        at = _child(node, "count")
        raise fail(f"the file says it holds {count!r} sentence entries but has "
                   f"{len(raw_sentences)}: it was cut short or spliced (restore it from git; "
                   f"if you edited it by hand on purpose, set `count: {len(raw_sentences)}`)",
                   at if at is not None else node)
    for position, entry in enumerate(raw_sentences):
        entry_node = seq_node.value[position] if isinstance(seq_node, yaml.SequenceNode) else None
        if not isinstance(entry, dict):
            raise fail("each sentence must be a mapping with an index and its labels", entry_node)
        index = entry.get("index")
        if not isinstance(index, int) or isinstance(index, bool) or index < 0:
            raise fail(f"sentence entry without a valid index ({index!r})", entry_node)
        layers: dict[str, tuple[str, ...]] = {}
        for key, value in entry.items():
            if key in _SPAN_FIELDS or key in META_FIELDS:
                continue
            if not isinstance(key, str) or not _LAYER_KEY.fullmatch(key):
                raise fail(f"sentence {index}: {key!r} is not a layer id", entry_node)
            try:
                layers[key] = _str_tuple(value)
            except TypeError as exc:
                raise fail(f"sentence {index}, {key}: {exc}", entry_node)
        try:
            tags = SentenceTags(
                tuple(_shared_pair(sys.intern(layer), ids) for layer, ids in label_values(layers)),
                note=_opt_str(entry.get("note")),
                not_content=_flag(entry.get("not_content", False)),
                agrees_with=_str_tuple(entry.get("agrees_with")),
                overrules=_str_tuple(entry.get("overrules")),
                spans=_spans(entry, index, fail, _child(entry_node, "spans") or entry_node),
            )
        except TypeError as exc:
            raise fail(f"sentence {index}: {exc}", entry_node)
        if index in doc.tags:
            raise fail(f"sentence {index} appears twice", entry_node)
        doc.tags[index] = tags
        if entry_node is not None:
            doc.lines[index] = entry_node.start_mark.line + 1
        start, end = entry.get("start"), entry.get("end")
        if isinstance(start, int) and isinstance(end, int):
            doc.spans[index] = (start, end, str(entry.get("hash", "")))
    return doc


def _spans(entry: dict[str, Any], index: int, fail: Callable[[str, yaml.Node | None], StoreError],
           at: yaml.Node | None) -> tuple[Span, ...]:
    """An entry's `spans`, checked: each a mapping of layer, label, start and end, with a
    layer id, one label id, and offsets inside the entry's sentence (start < end)."""
    import yaml

    raw = entry.get("spans")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise fail(f"sentence {index}: spans must be a list of "
                   "{layer, label, start, end} mappings", at)
    low, high = entry.get("start"), entry.get("end")
    spans = []
    for number, item in enumerate(raw):
        item_at = at.value[number] if isinstance(at, yaml.SequenceNode) else at
        if not isinstance(item, dict) or sorted(item) != sorted(_SPAN_KEYS):
            raise fail(f"sentence {index}: span {number + 1} must be a mapping with exactly "
                       f"layer, label, start and end, got {item!r}", item_at)
        layer, label, start, end = (item[key] for key in _SPAN_KEYS)
        if not isinstance(layer, str) or not _LAYER_KEY.fullmatch(layer):
            raise fail(f"sentence {index}: span {number + 1}: {layer!r} is not a layer id", item_at)
        try:
            labels = _str_tuple(label)
        except TypeError:
            labels = ()
        if len(labels) != 1:
            raise fail(f"sentence {index}: span {number + 1}: {label!r} is not a label id", item_at)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
            raise fail(f"sentence {index}: span {number + 1}: start and end must be "
                       f"character offsets, got {start!r} and {end!r}", item_at)
        if not start < end:
            raise fail(f"sentence {index}: span {number + 1} is empty or reversed "
                       f"({start}-{end})", item_at)
        if (isinstance(low, int) and isinstance(high, int)
                and not low <= start < end <= high):
            raise fail(f"sentence {index}: span {number + 1} ({layer} {labels[0]}, "
                       f"{start}-{end}) lies outside its sentence ({low}-{high})", item_at)
        spans.append((sys.intern(layer), labels[0], start, end))
    return span_values(spans)


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if getattr(key_node, "value", None) == key:
            return value_node
    return None


def _str_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, int) and not isinstance(value, bool):
        return (str(value),)
    if not isinstance(value, list) or not all(
            isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool)) for v in value):
        raise TypeError(f"expected label ids, got {value!r}")
    return tuple(str(v) for v in value)


def _opt_str(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (dict, list)):
        raise TypeError(f"expected text, got {value!r}")
    return str(value)


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"not_content must be true or false, got {value!r}")
    return value
