"""Export to brat standoff: a .txt and an .ann per article, and an annotation.conf.

Each sentence an annotator touched becomes a text-bound annotation of type `Sentence`
(cut into fragments at line breaks, which an .ann line cannot hold), carrying:

    A1  Claim T1 fact              the claim (a multi-valued attribute)
    A2  Speaker_lavrov T1          one binary attribute per speaker
    A3  Topic_sanctions T1         one binary attribute per topic
    A4  NotContent T1              the annotator marked it not content
    #1  AnnotatorNotes T1  text    the note (tabs and line breaks become spaces)

Unlike JSONL, brat is an exchange format rather than training data, so it carries every
decision the annotation file holds (not-content marks and notes too), and
`annotator import --format brat` reads exactly this back: the round trip keeps the tags.
One annotator writes straight into the folder; several write a folder each, because
brat pairs doc.txt with doc.ann by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem, UsageError
from ..project import Project
from ..schema import LabelSchema
from ..atomic import atomic_write
from .brat import fragments_without_breaks, one_line
from .export_records import (
    ExportReport,
    RecordBuilder,
    Selection,
    iter_articles,
    usable_rows,
)
from .fastread import ArticleText, Row

SENTENCE_TYPE = "Sentence"
CLAIM_ATTRIBUTE = "Claim"
NOT_CONTENT_ATTRIBUTE = "NotContent"
SPEAKER_PREFIX = "Speaker_"
TOPIC_PREFIX = "Topic_"
NOTE_TYPE = "AnnotatorNotes"


def ann_text(article: ArticleText, rows: dict[int, Row]) -> str:
    """The .ann for one annotator's tags on one article ('' when nothing is tagged)."""
    text = article.text
    lines: list[str] = []
    t = a = n = 0
    for index in sorted(rows):
        speakers, claim, topics, note, not_content = rows[index]
        if not (speakers or claim or topics or note or not_content):
            continue
        start, end = article.spans[index]
        pieces = fragments_without_breaks(text, start, end)
        t += 1
        tid = f"T{t}"
        offsets = ";".join(f"{s} {e}" for s, e in pieces)
        lines.append(f"{tid}\t{SENTENCE_TYPE} {offsets}\t{' '.join(text[s:e] for s, e in pieces)}")
        attributes = []
        if claim:
            attributes.append(f"{CLAIM_ATTRIBUTE} {tid} {claim}")
        attributes += [f"{SPEAKER_PREFIX}{speaker} {tid}" for speaker in speakers]
        attributes += [f"{TOPIC_PREFIX}{topic} {tid}" for topic in topics]
        if not_content:
            attributes.append(f"{NOT_CONTENT_ATTRIBUTE} {tid}")
        for attribute in attributes:
            a += 1
            lines.append(f"A{a}\t{attribute}")
        if note:
            n += 1
            lines.append(f"#{n}\t{NOTE_TYPE} {tid}\t{one_line(note)}")
    return "".join(line + "\n" for line in lines)


@dataclass
class UsedLabels:
    """Labels found while exporting, for annotation.conf (unknown ones must be declared too)."""

    speakers: set[str] = field(default_factory=set)
    claims: set[str] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)

    def add(self, rows: Iterable[Row]) -> None:
        for speakers, claim, topics, _note, _flag in rows:
            self.speakers.update(speakers)
            if claim:
                self.claims.add(claim)
            self.topics.update(topics)


def annotation_conf(schema: LabelSchema, used: UsedLabels) -> str:
    """brat's type declarations: every label of labels.yaml, plus unknown ones in use."""
    claims = [c.id for c in schema.claims] + sorted(used.claims - {c.id for c in schema.claims})
    speakers = [s.id for s in schema.speakers] + sorted(
        used.speakers - {s.id for s in schema.speakers})
    topics = [t.id for t in schema.topics] + sorted(used.topics - {t.id for t in schema.topics})
    lines = [
        "# Written by `annotator export --format brat` from labels.yaml; one Sentence per",
        "# tagged sentence, its labels as attributes. Re-import with",
        "# `annotator import --format brat DIR --annotator NAME`.",
        "[entities]",
        SENTENCE_TYPE,
        "",
        "[relations]",
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
        "",
        "[events]",
        "",
        "[attributes]",
    ]
    if claims:
        lines.append(f"{CLAIM_ATTRIBUTE}\tArg:{SENTENCE_TYPE}, Value:{'|'.join(claims)}")
    lines.append(f"{NOT_CONTENT_ATTRIBUTE}\tArg:{SENTENCE_TYPE}")
    lines += [f"{SPEAKER_PREFIX}{s}\tArg:{SENTENCE_TYPE}" for s in speakers]
    lines += [f"{TOPIC_PREFIX}{t}\tArg:{SENTENCE_TYPE}" for t in topics]
    return "\n".join(lines) + "\n"


@dataclass
class BratExport:
    """Files written, per folder; the CLI prints it."""

    folders: dict[Path, int] = field(default_factory=dict)  # folder -> .ann files written


def export_brat(project: Project, selection: Selection, out_dir: Path, report: ExportReport,
                *, force: bool = False, split_of: dict[str, str] | None = None) -> BratExport:
    """Write .txt/.ann per article and annotator, and annotation.conf in every folder.

    An existing .ann with other content is someone's work: refused unless `force`.
    """
    several = len(selection.annotators) > 1
    result = BratExport()
    used: dict[Path, UsedLabels] = {}
    schema = project.schema
    checker = RecordBuilder(schema, selection, report, project.annotations_dir)
    for item in iter_articles(project, selection, report):
        article = item.article
        wrote = False
        for name in sorted(item.docs):
            rows = usable_rows(article, item.docs[name], name, project.annotations_dir, report)
            content = ann_text(article, rows)
            if not content:
                continue
            folder = out_dir
            if split_of is not None:
                folder = folder / split_of.get(article.id, "train")
            if several:
                folder = folder / name
            ann_path = folder / f"{article.id}.ann"
            if not force and ann_path.exists() and ann_path.read_text(encoding="utf-8") != content:
                raise UsageError(Problem(ann_path, "exists with other annotations; not "
                                         "overwritten (export to an empty folder, or --force)"))
            atomic_write(folder / f"{article.id}.txt", article.text)
            atomic_write(ann_path, content)
            used.setdefault(folder, UsedLabels()).add(rows.values())
            for row in rows.values():
                checker.check_labels(row, name, article.id)
            result.folders[folder] = result.folders.get(folder, 0) + 1
            report.records += content.count(f"\t{SENTENCE_TYPE} ")
            wrote = True
        if wrote:
            report.articles += 1
    for folder, labels in used.items():
        atomic_write(folder / "annotation.conf", annotation_conf(schema, labels))
    return result
