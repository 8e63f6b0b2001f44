"""The annotation file codec: one reader, two paths that never disagree, and its guards.

The fast line reader must be taken on what the store writes (that is where 30,000 files
are read quickly), and on anything else it must either give exactly what the YAML loader
gives or step aside. Property tests generate store-written files (random layers, label
ids YAML would misread, notes with spaces, colons, quotes and newlines) and hand-edited
variants of them, and check both paths against expectations derived from yaml.safe_load.
"""

from __future__ import annotations

import re
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.cli import main
from annotator.core import annotation_file
from annotator.core.annotation_file import (
    FILE_VERSION,
    AnnotationDoc,
    fast_path_reads,
    parse_doc,
    read_doc,
    read_rows,
)
from annotator.core.annotation_index import FileRecords
from annotator.core.article import Article
from annotator.core.errors import StoreError
from annotator.core.project import Project
from annotator.core.schema import RESERVED_LAYER_IDS
from annotator.core.tags import SentenceTags
from annotator.core.yaml_plain import plain_is_text
from tests.factories import LAYERED_LABELS, make_project

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # what yaml.safe_load does, faster
SENTENCES = 12
ARTICLE = Article(id="a", title="A", text="x" * (SENTENCES * 10),
                  spans=tuple((i * 10, i * 10 + 9) for i in range(SENTENCES)))
PATH = Path("annotations/ann/a.yaml")

# Ids YAML reads as something other than the string (or that need quoting), next to plain ones.
TRICKY = ["yes", "no", "null", "on", "off", "Off", "~", "true", "1e3", "0x1f", "2019-05-01",
          "'quoted'", '"dq"', "012", "3.5", "1_000", ".inf", "=", "<<", "a b", "a: b", "a #b",
          "#x", "[x]", "x, y", "x,y", "-x", "*x", "&a", "!t", "%p", "@at", "`b", "a'b", "é-ü",
          "x\ny", "trailing ", " lead", "::", "tab\there", "[President]", "\x1b[31m", "?q"]
PLAIN = ["fact", "opinion", "speaker-1", "topic_2", "kremlin", "x.y", "a-b", "for", "direct"]
NOTE_TEXT = ["check this", "Why: not sure", "it's \"quoted\"", "two\nlines", "a: b # c",
             "trailing ", "ok", "[bold] not markup", "yes", "null", "3", "- dash", "  indented"]
LAYER_IDS = ["claim", "stance", "quote", "topics", "speakers", "zz_new", "a1", "x_y_z"]


# ----- the fast path is the one taken on store files ------------------------------------------
def test_the_store_writes_files_the_fast_path_reads(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "p", labels=LAYERED_LABELS)
    article = project.corpus.load(project.corpus.ids()[0])
    doc = AnnotationDoc(article.id, "alice")
    doc.tags[1] = SentenceTags.of(claim="fact", stance="against", quote=["direct", "partial"])
    doc.tags[2] = SentenceTags.of(speakers=["pompeo", "lavrov"], note="Why: it's a quote")
    doc.tags[3] = SentenceTags.of(not_content=True)
    doc.tags[4] = SentenceTags.of(topics=["sanctions"], agrees_with=["bob"], overrules=["carol"])
    assert project.store.save(doc, article)
    path = project.store.path("alice", article.id)
    text = path.read_text(encoding="utf-8")
    assert fast_path_reads(text)
    assert "  stance: against\n  quote: [direct, partial]\n" in text  # file order, kinds

    def no_loader(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the YAML loader was used on a file the store wrote")

    monkeypatch.setattr(annotation_file, "_load_yaml", no_loader)
    loaded = read_doc(path)
    assert loaded.tags == doc.tags and loaded.version == FILE_VERSION
    assert loaded.lines[2] == text.splitlines().index("- index: 2") + 1


def test_generated_bench_files_take_the_fast_path(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from generate import generate

    generate(tmp_path / "g", 5, annotators=2)
    files = sorted((tmp_path / "g" / "annotations").rglob("*.yaml"))
    assert len(files) == 10
    assert all(fast_path_reads(f.read_text(encoding="utf-8")) for f in files)
    for f in files:  # and the index's shortcut takes them too, with the same records
        assert read_rows(f.read_text(encoding="utf-8")) is not None
        check_rows(f.read_text(encoding="utf-8"))


# ----- property tests: both paths, and what yaml.safe_load says --------------------------------
class Refused(Exception):
    """What the codec's documented rules say it must refuse (a StoreError)."""


def _ids(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, int) and not isinstance(value, bool):
        return (str(value),)
    if isinstance(value, list) and all(
            isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool)) for v in value):
        return tuple(str(v) for v in value)
    raise Refused(f"not label ids: {value!r}")


def expected_tags(text: str) -> dict[int, SentenceTags]:
    """The tags a file holds by the format's rules, read with yaml.safe_load alone."""
    try:
        for event in yaml.parse(text, Loader=LOADER):  # anchors are refused outright
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise Refused("anchor")
        data = yaml.load(text, Loader=LOADER)  # noqa: S506 - yaml.safe_load, libyaml's
    except yaml.YAMLError as exc:
        raise Refused(str(exc)) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise Refused("not a mapping")
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version > FILE_VERSION:
        raise Refused("version")
    entries = data.get("sentences") or []
    if not isinstance(entries, list):
        raise Refused("sentences")
    if version >= 2 and data.get("count") != len(entries):
        raise Refused("count")
    out: dict[int, SentenceTags] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            raise Refused("entry")
        index = entry.get("index")
        if not isinstance(index, int) or isinstance(index, bool) or index < 0 or index in out:
            raise Refused("index")
        layers = {}
        for key, value in entry.items():
            if key in ("index", "start", "end", "hash", "note", "not_content", "agrees_with",
                       "overrules", "spans"):
                continue
            if not isinstance(key, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", key):
                raise Refused("layer key")
            layers[key] = _ids(value)
        note = entry.get("note")
        if isinstance(note, (dict, list)):
            raise Refused("note")
        not_content = entry.get("not_content", False)
        if not isinstance(not_content, bool):
            raise Refused("not_content")
        out[index] = SentenceTags.of(
            layers, note=None if note is None or note == "" else str(note),
            not_content=not_content, agrees_with=_ids(entry.get("agrees_with")),
            overrules=_ids(entry.get("overrules")), spans=_expected_spans(entry))
    return out


def _expected_spans(entry: dict[str, Any]) -> list[tuple[str, str, int, int]]:
    """The format's rules for `spans`: a list of {layer, label, start, end} mappings, a
    layer id, one label id, and start < end inside the entry's own start and end."""
    raw = entry.get("spans")
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise Refused("spans")
    low, high = entry.get("start"), entry.get("end")
    out = []
    for item in raw:
        if not isinstance(item, dict) or set(item) != {"layer", "label", "start", "end"}:
            raise Refused("span")
        layer, start, end = item["layer"], item["start"], item["end"]
        label = _ids(item["label"]) if not isinstance(item["label"], list) else ()
        if (not isinstance(layer, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", layer)
                or len(label) != 1):
            raise Refused("span layer or label")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
            raise Refused("span offsets")
        if not start < end or (isinstance(low, int) and isinstance(high, int)
                               and not low <= start < end <= high):
            raise Refused("span outside")
        out.append((layer, label[0], start, end))
    return out


def check_both_paths(text: str) -> dict[int, SentenceTags] | None:
    """The property: the loader path agrees with safe_load's reading, and the fast path
    either gives the same tags or declines. Returns the tags (None when refused)."""
    try:
        expected: dict[int, SentenceTags] | None = expected_tags(text)
    except Refused:
        expected = None
    try:
        slow = parse_doc(text, PATH, "a", "ann", fast=False).tags
    except StoreError as exc:
        assert expected is None, f"refused but safe_load reads it: {exc}\n{text}"
        assert not fast_path_reads(text), f"the fast path read a file the loader refuses:\n{text}"
        with pytest.raises(StoreError):
            parse_doc(text, PATH, "a", "ann")
        return None
    assert slow == expected, text
    if fast_path_reads(text):
        assert parse_doc(text, PATH, "a", "ann").tags == slow, text
    check_rows(text)
    return slow


def check_rows(text: str) -> None:
    """The index's shortcut (read_rows) gives what FileRecords.of_tags gives on the
    document parse_doc reads, or declines; it never takes what the fast path declines."""
    found = read_rows(text)
    if found is None:
        return
    assert fast_path_reads(text), text
    doc = parse_doc(text, PATH, "a", "ann", fast=False)
    records = FileRecords.of_tags("a", doc.tags.items(), text_sha=doc.text_sha,
                                  version=doc.version)
    assert found == (records.text_sha, records.version, records.sentences, records.rows,
                     records.layers, records.plain), text


label_ids = st.one_of(st.sampled_from(PLAIN), st.sampled_from(TRICKY),
                      st.text(min_size=1, max_size=12))
plain_ids = st.sampled_from(PLAIN)
notes = st.one_of(st.none(), st.sampled_from(NOTE_TEXT), st.text(min_size=1, max_size=30))
plain_notes = st.one_of(st.none(), st.sampled_from(["check this", "ok", "it's fine, really",
                                                    "see (below)"]))
layer_ids = st.one_of(st.sampled_from(LAYER_IDS), st.builds(
    lambda head, tail: head + tail, st.sampled_from("abcdefghijklmnopqrstuvwxyz"),
    st.text("abcdefghijklmnopqrstuvwxyz0123456789_", max_size=7)).filter(
        lambda name: name not in RESERVED_LAYER_IDS))
# Layer ids YAML reads as themselves when unquoted: "no" or "on" are written quoted (YAML
# 1.1 reads them as booleans) and such a file is, rightly, left to the loader.
plain_layer_ids = layer_ids.filter(plain_is_text)
agreeing = st.lists(st.sampled_from(["alice", "bob", "yes"]), unique=True, max_size=2)
overruled = st.lists(st.sampled_from(["carol", "null"]), unique=True, max_size=1)


@st.composite
def store_files(draw: st.DrawFn, ids: st.SearchStrategy[str] = label_ids,
                note_text: st.SearchStrategy[str | None] = notes,
                layer_names: st.SearchStrategy[str] = layer_ids) -> tuple[str, AnnotationDoc]:
    """A file as the store writes it, and the doc it was written from."""
    layers = draw(st.lists(layer_names, min_size=1, max_size=5, unique=True))
    single = draw(st.sets(st.sampled_from(layers)))
    order = draw(st.permutations(layers))
    one, many = st.lists(ids, max_size=1), st.lists(ids, max_size=3, unique=True)
    doc = AnnotationDoc("a", "ann")
    for index in sorted(draw(st.sets(st.integers(0, SENTENCES - 1), max_size=6))):
        values = {layer: draw(one if layer in single else many) for layer in layers}
        spans = [(layer, label, index * 10 + a, index * 10 + a + b) for layer, label, a, b in draw(
            st.lists(st.tuples(st.sampled_from(layers), ids, st.integers(0, 4),
                               st.integers(1, 5)), max_size=2))]
        doc.tags[index] = SentenceTags.of(
            values, note=draw(note_text), not_content=draw(st.booleans()),
            agrees_with=draw(agreeing), overrules=draw(overruled), spans=spans)
    return doc.to_yaml(ARTICLE, order, single), doc


PROPERTY = settings(max_examples=300, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(store_files())
def test_store_files_read_back_the_same_on_both_paths(case: tuple[str, AnnotationDoc]) -> None:
    text, doc = case
    assert yaml.load(text, Loader=LOADER)["count"] == sum(1 for t in doc.tags.values() if not t.is_empty)
    tags = check_both_paths(text)
    assert tags == {i: t for i, t in doc.tags.items() if not t.is_empty}


@PROPERTY
@given(store_files(plain_ids, plain_notes, plain_layer_ids))
def test_plain_store_files_are_always_taken_by_the_fast_path(
        case: tuple[str, AnnotationDoc]) -> None:
    text, doc = case
    assert fast_path_reads(text), text
    assert parse_doc(text, PATH, "a", "ann").tags == {
        i: t for i, t in doc.tags.items() if not t.is_empty}
    check_rows(text)


# Hand edits: each takes the file's lines and hypothesis's `data` (to pick where and what)
# and returns the edited lines.
BARE = ["yes", "no", "null", "on", "~", "true", "1e3", "0x1f", "2019-05-01", "012", "3.5",
        "''", '""', "fact", "a b", "Yes", "NULL", "- x", "[a,b]", "[a, ]", "[]", "{a: 1}",
        "'it''s'", '"tab\\there"', "x # comment", "[a, 'b, c']", "'a'', ''b'"]
_ENTRY_FIELD = re.compile(r"^  ([a-z][a-z0-9_]*): (.*)$")


def _pick(data: st.DataObject, lines: list[str], test: Any = None) -> int | None:
    """A line number (of an entry field, or passing `test`), chosen by hypothesis."""
    found = [n for n, line in enumerate(lines) if (test or _ENTRY_FIELD.match)(line)]
    return data.draw(st.sampled_from(found)) if found else None


def bare_value(lines: list[str], data: st.DataObject) -> list[str]:
    """`claim: yes` and friends, typed by hand without quotes."""
    n = _pick(data, lines, lambda line: _ENTRY_FIELD.match(line)
              and not line.startswith(("  start:", "  end:")))
    if n is not None:
        key = _ENTRY_FIELD.match(lines[n]).group(1)  # type: ignore[union-attr]
        lines[n] = f"  {key}: {data.draw(st.sampled_from(BARE))}"
    return lines


def block_list(lines: list[str], data: st.DataObject) -> list[str]:
    """`topics: [a, b]` rewritten as a block list."""
    n = _pick(data, lines, lambda line: _ENTRY_FIELD.match(line) and line.endswith("]")
              and ": [" in line)
    if n is not None:
        key, _, value = lines[n][2:].partition(": ")
        items = [item for item in value[1:-1].split(", ") if item]
        indent = data.draw(st.sampled_from(["  ", "    "]))
        lines[n:n + 1] = [f"  {key}:", *(f"{indent}- {item}" for item in items)]
    return lines


def comment(lines: list[str], data: st.DataObject) -> list[str]:
    n = data.draw(st.integers(0, len(lines) - 1))
    how = data.draw(st.sampled_from(["above", "after", "indented", "no space"]))
    if how == "above":
        lines.insert(n, "# a comment")
    elif how == "after":
        lines[n] = lines[n] + "  # why"
    elif how == "indented":
        lines.insert(n, "  # indented comment")
    else:
        lines[n] = lines[n] + "#not a comment"
    return lines


def requote(lines: list[str], data: st.DataObject) -> list[str]:
    """A value written 'single' or "double" quoted, or its quotes taken off."""
    n = _pick(data, lines)
    if n is not None:
        key, value = _ENTRY_FIELD.match(lines[n]).groups()  # type: ignore[union-attr]
        how = data.draw(st.sampled_from(["unquote", "single", "double"]))
        if how == "unquote" and len(value) > 1 and value[0] == value[-1] == "'":
            value = value[1:-1].replace("''", "'")
        elif how == "single":
            value = "'" + value.replace("'", "''") + "'"
        elif how == "double":
            value = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        lines[n] = f"  {key}: {value}"
    return lines


def reorder(lines: list[str], data: st.DataObject) -> list[str]:
    """Two fields of an entry swapped, a field moved above `index`, or header keys swapped."""
    how = data.draw(st.sampled_from(["fields", "index", "header"]))
    if how == "fields":
        n = _pick(data, lines[:-1], lambda line: _ENTRY_FIELD.match(line))
        if n is not None and _ENTRY_FIELD.match(lines[n + 1]):
            lines[n], lines[n + 1] = lines[n + 1], lines[n]
    elif how == "index":
        n = _pick(data, lines[:-1], lambda line: line.startswith("- index: "))
        if n is not None and lines[n + 1].startswith("  "):
            lines[n], lines[n + 1] = "- " + lines[n + 1][2:], "  " + lines[n][2:]
    else:
        a, b = data.draw(st.integers(0, 4)), data.draw(st.integers(0, 4))
        lines[a], lines[b] = lines[b], lines[a]
    return lines


def spacing(lines: list[str], data: st.DataObject) -> list[str]:
    """Trailing spaces, no space after a comma, Windows line ends, blank lines, tabs."""
    how = data.draw(st.sampled_from(["trailing", "comma", "crlf", "blank", "tab", "colon"]))
    n = data.draw(st.integers(0, len(lines) - 1))
    if how == "trailing":
        lines[n] = lines[n] + " "
    elif how == "comma":
        m = _pick(data, lines, lambda line: ", " in line)
        if m is not None:
            lines[m] = lines[m].replace(", ", ",")
    elif how == "crlf":
        lines = [line + "\r" for line in lines]
    elif how == "blank":
        lines.insert(n, "")
    elif how == "tab":
        lines[n] = lines[n].replace(": ", ":\t", 1)
    else:
        lines[n] = lines[n].replace(": ", " : ", 1)
    return lines


EDITS = [bare_value, block_list, comment, requote, reorder, spacing]


@PROPERTY
@given(st.one_of(store_files(plain_ids, plain_notes, plain_layer_ids), store_files()), st.data())
def test_hand_edited_files_agree_on_both_paths_or_the_fast_path_declines(
        case: tuple[str, AnnotationDoc], data: st.DataObject) -> None:
    text, _ = case
    lines = text.split("\n")[:-1]
    for edit in data.draw(st.lists(st.sampled_from(EDITS), min_size=1, max_size=3)):
        lines = edit(lines, data)
    check_both_paths("\n".join(lines) + "\n")


@pytest.mark.parametrize("edit", [
    "  topics: [a,b]\n", "  claim: ''\n", "  note: ''\n", "  topics: [a, '']\n",
    "  claim: yes\n", "  claim: 0x1f\n", "  claim: 2019-05-01\n", "  topics:\n  - a\n  - b\n",
    "  note: |-\n    two\n    lines\n", "  not_content: yes\n", "  claim: fact # why\n",
])
def test_known_hand_edits(edit: str) -> None:
    """Hand edits hypothesis found or might: the paths agree, or the fast path declines."""
    text = ("version: 2\narticle: a\nannotator: ann\ntext_sha: abc\ncount: 1\nsentences:\n"
            "- index: 0\n  start: 0\n  end: 9\n  hash: ab\n" + edit)
    check_both_paths(text)


def _entries(*entries: tuple[int, str]) -> str:
    body = "".join(f"- index: {i}\n  start: 0\n  end: 9\n  hash: ab\n{fields}" for i, fields in entries)
    return (f"version: 2\narticle: a\nannotator: ann\ntext_sha: abc\ncount: {len(entries)}\n"
            f"sentences:\n{body}")


@pytest.mark.parametrize("text", [
    _entries((3, "  claim: fact\n"), (1, "  claim: opinion\n  topics: [a]\n")),  # out of order
    _entries((1, "  claim: fact\n"), (1, "  claim: opinion\n")),  # a sentence twice
    _entries((1, "  claim: fact\n  claim: opinion\n")),  # a layer twice
    _entries((1, "  topics: []\n"), (2, "  claim: fact\n")),  # an entry with nothing in it
    _entries((1, "  agrees_with: [bob]\n"), (2, "  note: why\n")),
    _entries((1, "  not_content: true\n"), (2, "  topics: [b, a]\n  claim: x\n")),
    _entries((1, "  claim: fact\n"), (2, "  claim: fact\n")).replace("hash: ab", "hash: 0123", 1),
    _entries((1, "  claim: fact\n"), (2, "  claim: fact\n")).replace("hash: ab", "hash: '12'", 1),
    _entries((1, "  claim: fact\n")).replace("hash: ab", "hash: 0b101", 1),
    _entries((1, "  claim: fact\n")).replace("hash: ab", "hash: 1e3", 1),
])
def test_the_index_shortcut_agrees_or_declines(text: str) -> None:
    """read_rows on files the index must sort, leave out entries of, or refuse: it gives
    FileRecords.of_tags' records for what parse_doc reads, or declines."""
    for _ in range(2):  # the second time from its memos
        check_both_paths(text)


# ----- guards --------------------------------------------------------------------------------
def alias_bomb() -> str:
    """Nine levels of nine aliases: 1 KB of text, 9**9 (387 million) strings if expanded."""
    lines = ['version: 2', 'article: a', 'annotator: ann', 'text_sha: abc', 'count: 1',
             'sentences:', '- index: 0', '  start: 0', '  end: 9', '  hash: ab',
             '  l0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"  l{level}: &a{level} [{refs}]")
    lines.append("  topics: *a8")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_quickly_without_expanding(tmp_path: Path) -> None:
    text = alias_bomb()
    assert len(text) < 1200
    path = tmp_path / "ann" / "a.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(StoreError) as info:
            read_doc(path)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 0.1 and peak < 50 * 2**20, (elapsed, peak)
    (problem,) = info.value.problems
    assert (problem.path, problem.line) == (path, 11)
    assert str(problem).startswith(f"{path}:11:")
    assert "anchors and aliases" in problem.message


def test_annotator_validate_reports_an_alias_bomb(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path / "p", labels=LAYERED_LABELS)
    path = project.store.path("alice", project.corpus.ids()[0])
    path.parent.mkdir(parents=True)
    path.write_text(alias_bomb(), encoding="utf-8")
    assert main(["--project", str(project.root), "validate"]) == 1
    assert f"{path}:11:" in capsys.readouterr().out


def saved(project: Project, annotator: str = "alice") -> tuple[Path, Article]:
    """A store-written v2 file with three entries."""
    article = project.corpus.load(project.corpus.ids()[0])
    doc = AnnotationDoc(article.id, annotator)
    doc.tags[2] = SentenceTags.of(claim="fact", quote=["direct"])
    doc.tags[3] = SentenceTags.of(stance="for")
    doc.tags[4] = SentenceTags.of(topics=["elections", "sanctions"], note="check")
    project.store.save(doc, article)
    return project.store.path(annotator, article.id), article


def test_a_file_cut_short_between_entries_is_reported_not_read_as_complete(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path / "p", labels=LAYERED_LABELS)
    path, _ = saved(project)
    text = path.read_text(encoding="utf-8")
    assert "count: 3\n" in text
    cut = text[:text.index("- index: 4")]  # a copy or sync that stopped between entries
    path.write_text(cut, encoding="utf-8")
    assert not fast_path_reads(cut)
    with pytest.raises(StoreError) as info:
        read_doc(path)
    (problem,) = info.value.problems
    count_line = cut.splitlines().index("count: 3") + 1
    assert problem.line == count_line
    assert "holds 3 sentence entries but has 2" in problem.message and "count" in problem.message
    code = main(["--project", str(project.root), "validate"])
    out = capsys.readouterr().out
    assert code == 1
    assert f"{path}:{count_line}:" in out and "cut short" in out
    assert path.read_text(encoding="utf-8") == cut  # reported, never rewritten


def test_a_version_1_file_loads_unchanged_and_a_save_writes_version_2(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", labels=LAYERED_LABELS)
    article = project.corpus.load(project.corpus.ids()[0])
    path = project.store.path("alice", article.id)
    path.parent.mkdir(parents=True)
    old = ("version: 1\narticle: x\nannotator: alice\nsentences:\n- index: 2\n  claim: fact\n"
           "  topics: [elections]\n- index: 3\n  stance: against\n  note: old note\n")
    path.write_text(old, encoding="utf-8")
    doc = project.store.load("alice", article.id)
    assert doc.version == 1
    assert doc.tags == {2: SentenceTags.of(claim="fact", topics=["elections"]),
                        3: SentenceTags.of(stance="against", note="old note")}
    assert path.read_text(encoding="utf-8") == old  # reading never rewrites
    doc.tags[4] = SentenceTags.of(quote=["direct"])
    assert project.store.save(doc, article)
    new = path.read_text(encoding="utf-8")
    assert new.startswith("version: 2\n") and "count: 3\n" in new
    assert fast_path_reads(new)
    again = read_doc(path)
    assert again.version == 2 and again.tags == doc.tags


@pytest.mark.parametrize("value", ["\n", "see below\n\n", "two\nlines", "x\n...\ny"])
def test_notes_and_ids_with_line_breaks_round_trip(value: str) -> None:
    """A value ending in blank lines used to end its entry's YAML document with `...`,
    which cut the file in two for the loader."""
    doc = AnnotationDoc("a", "ann")
    doc.tags[1] = SentenceTags.of(claim=value, note=value)
    doc.tags[2] = SentenceTags.of(claim="fact", note=value)
    text = doc.to_yaml(ARTICLE, ("claim",), {"claim"})
    assert "\n...\n" not in text
    assert check_both_paths(text) == doc.tags


def test_version_1_files_as_the_old_store_wrote_them_take_the_fast_path() -> None:
    """Existing projects must not pay the YAML loader (about 4 ms a file) for every file."""
    old = ("version: 1\narticle: pompeo-warns\nannotator: alice\ntext_sha: 25546b13cb3632c1\n"
           "sentences:\n- index: 0\n  start: 0\n  end: 42\n  hash: d13903fd\n"
           "  speakers: [pompeo]\n  claim: fact\n  topics: [elections, sanctions]\n"
           "- index: 3\n  start: 50\n  end: 60\n  hash: '12345678'\n  not_content: true\n")
    assert fast_path_reads(old)
    fast = parse_doc(old, "f.yaml", "pompeo-warns", "alice")
    slow = parse_doc(old, "f.yaml", "pompeo-warns", "alice", fast=False)
    assert fast.version == slow.version == 1
    assert (fast.tags, fast.lines, fast.spans) == (slow.tags, slow.lines, slow.spans)
    assert fast.lines == {0: 6, 3: 13}


# ----- spans (speaker mentions, import evidence) -----------------------------------------------
SPAN_LINE = "  spans: [{layer: speakers, label: pompeo, start: 2, end: 8}]\n"


@pytest.mark.parametrize("fields", [
    "  speakers: [pompeo]\n" + SPAN_LINE,
    SPAN_LINE,  # evidence alone on an untagged sentence is kept
    "  speakers: [pompeo]\n  spans: [{layer: speakers, label: 'yes', start: 0, end: 9}]\n",
    "  spans: [{layer: speakers, label: b, start: 5, end: 7}, "
    "{layer: speakers, label: a, start: 1, end: 2}]\n",  # out of order: the loader sorts
    "  spans: [{label: a, layer: speakers, start: 1, end: 2}]\n",  # keys in another order
    "  spans:\n  - {layer: speakers, label: a, start: 1, end: 2}\n",  # a block list
    "  spans: [{layer: speakers, label: a, start: 1, end: 2}, "
    "{layer: speakers, label: a, start: 1, end: 2}]\n",  # the same span twice
])
def test_spans_read_the_same_on_both_paths(fields: str) -> None:
    text = _entries((0, fields))
    tags = check_both_paths(text)
    assert tags is not None and tags[0].spans


@pytest.mark.parametrize(("fields", "reason"), [
    ("  spans: [{layer: speakers, label: pompeo, start: 2, end: 12}]\n", "outside its sentence"),
    ("  spans: [{layer: speakers, label: pompeo, start: 5, end: 5}]\n", "empty or reversed"),
    ("  spans: [{layer: Speakers, label: pompeo, start: 2, end: 8}]\n", "not a layer id"),
    ("  spans: [{layer: speakers, label: [a, b], start: 2, end: 8}]\n", "not a label id"),
    ("  spans: [{layer: speakers, label: a, start: x, end: 8}]\n", "character offsets"),
    ("  spans: [{layer: speakers, label: a, start: 2}]\n", "exactly layer, label"),
    ("  spans: speakers\n", "must be a list"),
])
def test_a_bad_span_is_refused_with_its_line(fields: str, reason: str, tmp_path: Path) -> None:
    text = _entries((0, "  claim: fact\n"), (1, "  claim: fact\n" + fields))
    assert check_both_paths(text) is None
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StoreError) as info:
        read_doc(path)
    (problem,) = info.value.problems
    assert reason in problem.message and "sentence 1" in problem.message
    assert problem.line == text.splitlines().index(fields.splitlines()[0]) + 1


def test_spans_are_saved_on_one_line_read_by_the_fast_path_and_kept_by_the_index(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "p", labels=LAYERED_LABELS)
    path, article = saved(project)
    before = path.read_text(encoding="utf-8")
    assert "spans" not in before
    doc = read_doc(path)
    assert project.store.save(doc, article) is False  # no spans: byte for byte the same
    assert path.read_text(encoding="utf-8") == before
    sentence = article.sentences[2]
    mentions = [("speakers", "lavrov", sentence.start + 20, sentence.start + 26),
                ("speakers", "pompeo", sentence.start, sentence.start + 6),
                ("quote", "a-very-long-label-id-that-would-wrap", sentence.start + 1,
                 sentence.start + 9)]
    doc.tags[2] = doc.tags[2].with_spans(mentions)
    assert doc.tags[2].spans[0][1] == "pompeo"  # reading order
    assert doc.tags[2].decision() == SentenceTags.of(claim="fact", quote=["direct"]).decision()
    assert project.store.save(doc, article)
    text = path.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("  spans: "))
    assert line.startswith(f"  spans: [{{layer: speakers, label: pompeo, start: {sentence.start}, ")
    assert len(line) > 100 and fast_path_reads(text)
    with monkeypatch.context() as patch:
        patch.setattr(annotation_file, "_load_yaml", None)  # the loader is not needed
        assert read_doc(path).tags == doc.tags
    check_rows(text)
    project.index.forget("alice", article.id)
    records = project.index.annotator("alice").files[article.id]
    assert records.tags()[2].spans == doc.tags[2].spans
    assert records.tags()[2] == doc.tags[2]


def test_an_unknown_span_layer_is_reported_by_validate(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path / "p", labels=LAYERED_LABELS)
    path, article = saved(project)
    doc = read_doc(path)
    start = article.sentences[3].start
    doc.tags[3] = doc.tags[3].with_spans([("who", "pompeo", start, start + 3)])
    project.store.save(doc, article)
    assert main(["--project", str(project.root), "validate"]) == 1
    line = path.read_text(encoding="utf-8").splitlines().index(
        f"  spans: [{{layer: who, label: pompeo, start: {start}, end: {start + 3}}}]") + 1
    assert f"{path}:{line}: sentence 3: a span names unknown layer 'who'" in capsys.readouterr().out


def test_files_starting_with_underscore_are_not_articles(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path / "p", labels=LAYERED_LABELS)
    path, article = saved(project)
    (path.parent / "_speakers.yaml").write_text("version: 1\nspeakers: []\n", encoding="utf-8")
    assert sorted(project.index.annotator("alice").files) == [article.id]
    assert project.store.article_ids("alice") == [article.id]
    assert main(["--project", str(project.root), "validate"]) == 0
