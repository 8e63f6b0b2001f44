"""What is this file? Content sniffing for `annotator import --format auto`.

A file name says little (a Label Studio CSV, a CoNLL file and a WebAnno TSV can all end
in .txt or .tsv), and importing a table or a token list as if it were prose makes junk
articles that nobody notices until they are annotated. So auto mode looks at the first
bytes, recognises the formats we read and the common ones we do not, and refuses the
latter with a hint that names the format and the supported way in. Plain text is taken
as an article only when it reads like prose; `--format text` overrides that judgement.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HEAD_BYTES = 256 * 1024

# Formats read here (the value names the reader, and the --format that forces it).
TEXT, ARTICLES, BRAT = "text", "jsonl", "brat"
DOCCANO, PRODIGY, LABELSTUDIO, LS_MIN, LS_CSV, OURS = (
    "doccano", "prodigy", "labelstudio", "labelstudio-min", "labelstudio-csv", "annotator-jsonl")
TAG_FORMATS = (DOCCANO, PRODIGY, LABELSTUDIO, LS_MIN, LS_CSV, OURS)

_WAY_IN = ("import the article texts as plain text or JSON Lines ({\"text\": ...} per line), "
           "or labelled texts from doccano, Label Studio, Prodigy or brat (docs/formats.md)")
_FROM_INCEPTION = ("export the project from INCEpTION/WebAnno as brat (\"brat (basic)\") "
                   "and import that folder with --format brat --annotator NAME")


@dataclass(frozen=True)
class Sniffed:
    kind: str | None  # a format we read, or None: refused
    what: str  # the format's name, for messages
    hint: str = ""  # refused: why, and the supported way in

    @property
    def refused(self) -> bool:
        return self.kind is None


def _refuse(what: str, hint: str) -> Sniffed:
    return Sniffed(None, what, hint)


_MAGIC = (
    (b"%PDF", "a PDF document", "copy its text into a .txt file (e.g. `pdftotext`) and "
                                "import that"),
    (b"PK\x03\x04", "a zip archive (a spreadsheet, a Word document or an archive)",
     "unpack it; for a spreadsheet, save the text column as JSON Lines "
     "(pandas: df.to_json(\"articles.jsonl\", orient=\"records\", lines=True)) and import "
     "that"),
    (b"\xd0\xcf\x11\xe0", "an Excel/Word 97 document (OLE2)",
     "save the text column as JSON Lines ({\"text\": ...} per line) and import that"),
    (b"\x1f\x8b", "gzip-compressed data", "decompress it first (gunzip)"),
    (b"BZh", "bzip2-compressed data", "decompress it first (bunzip2)"),
    (b"\xfd7zXZ", "xz-compressed data", "decompress it first (unxz)"),
    (b"\x89PNG", "a PNG image", "only text can be annotated"),
    (b"\xff\xd8\xff", "a JPEG image", "only text can be annotated"),
    (b"SQLite format 3\x00", "an SQLite database", "export its texts as JSON Lines"),
)
_SPREADSHEET_SUFFIXES = {".xlsx": "an Excel workbook", ".xls": "an Excel workbook",
                         ".ods": "an OpenDocument spreadsheet", ".numbers": "a Numbers sheet"}
_IOB = re.compile(r"(?:O|[BIESLU][-_]\S+|\S+[-_][BIESLU])")
_TOKEN_LINE = re.compile(r"\S+(?:[ \t]+\S+){1,12}")


def sniff(path: Path, head: bytes) -> Sniffed:
    """The format of a file from its name and first bytes (`head`, up to HEAD_BYTES)."""
    for magic, what, hint in _MAGIC:
        if head.startswith(magic):
            if magic == b"PK\x03\x04" and (b"xl/" in head[:4096] or
                                           path.suffix.lower() in _SPREADSHEET_SUFFIXES):
                what = "an Excel workbook (.xlsx)"
            return _refuse(what, hint)
    if path.suffix.lower() in _SPREADSHEET_SUFFIXES:
        return _refuse(_SPREADSHEET_SUFFIXES[path.suffix.lower()],
                       "save the text column as JSON Lines ({\"text\": ...} per line) and "
                       "import that")
    if b"\x00" in head[:8192]:
        return _refuse("a binary file (NUL bytes)", "only UTF-8 text can be imported")
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    stripped = text.lstrip()
    if not stripped:
        return Sniffed(TEXT, "plain text")  # the text import says "empty article"
    for sniffer in (_markup, _webanno, _json, _conll, _table):
        found = sniffer(path, stripped)
        if found is not None:
            return found
    if looks_like_prose(text):
        return Sniffed(TEXT, "plain text")
    return _refuse("text that does not read like prose (few words or sentences, mostly "
                   "symbols, numbers or short fields)",
                   "if it really is an article, force it with --format text")


def _markup(path: Path, text: str) -> Sniffed | None:
    if not text.startswith("<"):
        return None
    low = text[:4096].lower()
    if "xmi:xmi" in low or "xmlns:xmi" in low or "http://www.omg.org/xmi" in low:
        return _refuse("UIMA XMI (INCEpTION, WebAnno or DKPro)", _FROM_INCEPTION)
    if "<html" in low or "<!doctype html" in low:
        return _refuse("an HTML page", "extract the article text (e.g. with trafilatura) "
                                       "and import it as plain text or JSON Lines")
    return _refuse("XML", "this tool reads no XML format; " + _WAY_IN)


def _webanno(path: Path, text: str) -> Sniffed | None:
    if text.startswith("#FORMAT=WebAnno TSV") or text.startswith("#FORMAT=INCEpTION"):
        version = text.split("\n", 1)[0].removeprefix("#FORMAT=").strip()
        return _refuse(f"{version} (INCEpTION/WebAnno)", _FROM_INCEPTION)
    return None


def _lines(text: str, limit: int = 200) -> list[str]:
    lines = text.splitlines()
    if len(lines) > 1:
        lines = lines[:-1]  # the last may be cut short by the head
    return [line for line in lines[:limit] if line.strip()]


def _conll(path: Path, text: str) -> Sniffed | None:
    lines = _lines(text)
    if not lines:
        return None
    if lines[0].startswith("-DOCSTART-"):
        return _conll_refusal()
    tokens = [line for line in lines if not line.startswith("#")]
    if len(tokens) < 3:
        return None
    tagged = sum(1 for line in tokens if _TOKEN_LINE.fullmatch(line.strip())
                 and _IOB.fullmatch(line.split()[-1]))
    if tagged / len(tokens) >= 0.8:
        return _conll_refusal()
    return None


def _conll_refusal() -> Sniffed:
    return _refuse("CoNLL/IOB (one token per line with tags)",
                   "tokens are not articles: import the original texts (plain text or JSON "
                   "Lines) and their labels as spans from doccano, Label Studio, Prodigy or "
                   "brat (docs/formats.md)")


def _table(path: Path, text: str) -> Sniffed | None:
    lines = _lines(text, 50)
    if not lines:
        return None
    first = lines[0]
    for delimiter, name in (("\t", "TSV"), (",", "CSV"), (";", "CSV (;)")):
        if delimiter not in first:
            continue
        try:
            rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
        except csv.Error:
            continue
        header = [cell.strip().lower() for cell in rows[0]]
        if len(header) < 2 or any(len(cell) > 64 for cell in header):
            continue  # a header names columns; a sentence with commas is not one
        if {"annotation_id", "annotator"} & set(header) or (
                "id" in header and "lead_time" in header):
            return Sniffed(LS_CSV, "a Label Studio CSV export")
        body = rows[1:-1] if len(rows) > 2 else rows[1:]
        if len(body) < 2 and any(" " in cell for cell in header):
            continue  # too little to tell a table from a line of prose
        same = sum(1 for row in body if len(row) == len(header))
        if not body or same / len(body) >= 0.8:
            return _refuse(f"a {name} table",
                           "put the article text in JSON Lines, one {\"text\": ...} object per "
                           "line (pandas: df.to_json(\"articles.jsonl\", orient=\"records\", "
                           "lines=True)); Label Studio data: export it as JSON and use "
                           "--format labelstudio")
    return None


def _json(path: Path, text: str) -> Sniffed | None:
    if not re.match(r"[{\[]\s*[{}\[\]\"]", text):  # "[bold] text" is prose, not JSON
        return None
    try:
        whole: Any = json.loads(text)
    except ValueError:
        whole = None
    if isinstance(whole, list):
        return classify_list(whole) or _refuse(
            "a JSON list that is not a Label Studio export",
            "import articles as JSON Lines ({\"text\": ...} per line)")
    first = whole if isinstance(whole, dict) else _first_object(text)
    if first is None:
        if re.match(r"\[\s*\{", text):  # cut short or broken: its reader names the place
            return Sniffed(LABELSTUDIO, _NAMES[LABELSTUDIO])
        return None
    if "data" in first and isinstance(first.get("data"), dict):
        return Sniffed(LABELSTUDIO, "a Label Studio task")
    kind = classify_object(first)
    if kind is None:
        return _refuse("JSON objects without a \"text\" field",
                       "each line needs the article text under \"text\"; Label Studio tasks "
                       "with text elsewhere: --format labelstudio --text-key KEY")
    return Sniffed(kind, _NAMES[kind])


_NAMES = {ARTICLES: "JSON Lines articles", DOCCANO: "a doccano export",
          PRODIGY: "a Prodigy JSONL file", OURS: "this tool's JSONL export",
          LS_MIN: "a Label Studio JSON-MIN export", LABELSTUDIO: "a Label Studio export"}


def _first_object(text: str) -> dict[str, Any] | None:
    for line in text.splitlines():
        if line.strip():
            try:
                value = json.loads(line)
            except ValueError:
                return None
            return value if isinstance(value, dict) else None
    return None


_LS_MIN_KEYS = {"annotator", "annotation_id", "lead_time", "created_at", "updated_at"}


def classify_list(items: list[Any]) -> Sniffed | None:
    """A JSON list: a Label Studio export (full, or JSON-MIN), or None."""
    first = next((item for item in items if isinstance(item, dict)), None)
    if first is None:
        return None
    if isinstance(first.get("data"), dict) or "annotations" in first:
        return Sniffed(LABELSTUDIO, _NAMES[LABELSTUDIO])
    if _LS_MIN_KEYS & set(first) or any(_is_region_list(v) for v in first.values()):
        return Sniffed(LS_MIN, _NAMES[LS_MIN])
    return None


def _is_region_list(value: Any) -> bool:
    return (isinstance(value, list) and bool(value) and isinstance(value[0], dict)
            and "start" in value[0] and ("labels" in value[0] or "end" in value[0]))


def classify_object(obj: dict[str, Any]) -> str | None:
    """One JSON Lines object: our export, Prodigy, doccano or articles (None: no text)."""
    keys = set(obj)
    if {"article", "sentence", "start", "end", "annotator"} <= keys:
        return OURS
    if "text" not in keys:
        return None
    if {"answer", "_input_hash", "_task_hash", "accept"} & keys or (
            isinstance(obj.get("spans"), list) and "label" not in keys):
        return PRODIGY
    if {"label", "labels", "entities", "cats"} & keys and not (
            {"title", "url", "published", "source"} & keys):
        return DOCCANO
    return ARTICLES


_WORD = re.compile(r"[^\W\d_]{2,}")
_SENTENCE_END = re.compile(r"[.!?…。](?:[\"'”’»)\]]*)(?:\s|$)")


def looks_like_prose(text: str) -> bool:
    """Words and sentences, mostly letters: what an article is, as opposed to a table, a
    token list, a log or code. Generous: a short note of a few words passes."""
    sample = text[:20000]
    visible = [ch for ch in sample if not ch.isspace()]
    if not visible:
        return False
    letters = sum(1 for ch in visible if ch.isalpha())
    words = _WORD.findall(sample)
    lines = [line for line in sample.splitlines() if line.strip()]
    if letters / len(visible) < 0.6 or len(words) < 3:
        return False
    if len(lines) >= 5:
        short = sum(1 for line in lines if len(_WORD.findall(line)) <= 2)
        if short / len(lines) > 0.7 and not _SENTENCE_END.search(sample):
            return False  # a list of fields or tokens, not sentences
    return len(words) >= 8 or bool(_SENTENCE_END.search(sample)) or len(lines) <= 3
