"""Export to brat standoff: a .txt and an .ann per article, and an annotation.conf.

Each sentence an annotator touched becomes a text-bound annotation of type `Sentence`
(cut into fragments at line breaks, which an .ann line cannot hold), carrying its labels
as attributes, named after the layers of labels.yaml (layer_attribute below):

    A1  Stance T1 against          a single layer: one multi-valued attribute
    A2  Quote_direct T1            any other layer: one binary attribute per label
    A3  Quote_partial T1
    A4  NotContent T1              the annotator marked it not content
    #1  AnnotatorNotes T1  text    the note (tabs and line breaks become spaces)

Unlike JSONL, brat is an exchange format rather than training data, so it carries every
decision the annotation file holds (not-content marks and notes too), and
`annotator import --format brat` reads exactly this back, whatever the layers: the round
trip keeps the tags. One annotator writes straight into the folder; several write a
folder each, because brat pairs doc.txt with doc.ann by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import atomic_write
from ..errors import Problem, UsageError
from ..gc_pause import no_gc
from ..project import Project
from ..schema import CONTENT_LAYER, LabelSchema, Layer
from ..tags import SentenceTags, Span
from .article_text import ArticleText
from .brat import fragments_without_breaks, one_line
from .export_records import (
    AnnotatedArticle,
    ExportReport,
    RecordBuilder,
    Selection,
    iter_articles,
    usable_sentences,
)

SENTENCE_TYPE = "Sentence"
NOT_CONTENT_ATTRIBUTE = "NotContent"
NOTE_TYPE = "AnnotatorNotes"
LABEL_SEPARATOR = "_"  # Quote_direct: the layer's attribute, then the label id
SPAN_SUFFIX = "Span"  # SpeakersSpan: a span of the layer, its label in SPAN_LABEL
SPAN_LABEL = "Label"
# Attribution, as the corpora write it: a Source (the speaker mention, its entity in a Label
# attribute) and a Content span (what was said) joined by a relation.
SOURCE_TYPE, CONTENT_TYPE, ATTRIBUTION_TYPE = "Source", "Content", "Attribution"


def span_type(layer_id: str) -> str:
    """The brat entity type of a layer's spans (evidence, speaker mentions)."""
    return layer_attribute(layer_id) + SPAN_SUFFIX


def layer_attribute(layer_id: str) -> str:
    """The brat attribute of a layer: its id with a capital (brat shows it as is).

    A single layer is one attribute whose value is the label (`Stance T1 against`); any
    other layer has a binary attribute per label (`Quote_direct T1`).
    """
    return layer_id[:1].upper() + layer_id[1:]


def ann_text(article: ArticleText, tags: dict[int, SentenceTags],
             layers: tuple[Layer, ...]) -> str:
    """The .ann for one annotator's tags on one article ('' when nothing is tagged).

    Only the layers of labels.yaml are written (RecordBuilder warns about the others).
    """
    text = article.text
    names = [(layer.id, layer_attribute(layer.id), layer.single) for layer in layers]
    sources = attribution_links(tags, frozenset(layer.id for layer in layers if layer.entity))
    linked = set(sources.values())
    source_ids: dict[Span, str] = {}
    relations: list[tuple[str, Span]] = []  # (Content's T id, its Source mention)
    lines: list[str] = []
    t = a = n = 0
    for index in sorted(tags):
        sentence = tags[index]
        present = dict(sentence.values)
        labelled = [(attribute, single, present[layer_id])
                    for layer_id, attribute, single in names if present.get(layer_id)]
        if labelled or sentence.note or sentence.not_content:
            start, end = article.spans[index]
            pieces = fragments_without_breaks(text, start, end)
            t += 1
            tid = f"T{t}"
            offsets = ";".join(f"{s} {e}" for s, e in pieces)
            lines.append(f"{tid}\t{SENTENCE_TYPE} {offsets}\t"
                         f"{' '.join(text[s:e] for s, e in pieces)}")
            attributes = []
            for attribute, single, ids in labelled:
                if single:
                    attributes += [f"{attribute} {tid} {label}" for label in ids]
                else:
                    attributes += [f"{attribute}{LABEL_SEPARATOR}{label} {tid}" for label in ids]
            if sentence.not_content:
                attributes.append(f"{NOT_CONTENT_ATTRIBUTE} {tid}")
            for attribute in attributes:
                a += 1
                lines.append(f"A{a}\t{attribute}")
            if sentence.note:
                n += 1
                lines.append(f"#{n}\t{NOTE_TYPE} {tid}\t{one_line(sentence.note)}")
        for span in sentence.spans:  # a sentence with spans only has no Sentence
            layer_id, label, low, high = span
            pieces = fragments_without_breaks(text, low, high)
            t += 1
            offsets = ";".join(f"{s} {e}" for s, e in pieces)
            kind = span_type(layer_id)
            if span in sources:
                kind = CONTENT_TYPE
                relations.append((f"T{t}", sources[span]))
            elif span in linked:
                kind = SOURCE_TYPE
                source_ids[span] = f"T{t}"
            lines.append(f"T{t}\t{kind} {offsets}\t{' '.join(text[s:e] for s, e in pieces)}")
            if kind != CONTENT_TYPE:  # a Content's entity is its Source's
                a += 1
                lines.append(f"A{a}\t{SPAN_LABEL} T{t} {label}")
    for r, (content, source) in enumerate(relations, start=1):
        lines.append(f"R{r}\t{ATTRIBUTION_TYPE} Arg1:{source_ids[source]} Arg2:{content}")
    return "".join(line + "\n" for line in lines)


def attribution_links(tags: dict[int, SentenceTags], entity_layers: frozenset[str],
                      ) -> dict[Span, Span]:
    """Content span -> the speaker mention it is linked to (the same entity): in its own
    sentence if there is one, else the nearest before it, else the nearest after. A
    Content with no mention of its entity anywhere has no link (written as ContentSpan)."""
    mentions: dict[str, list[Span]] = {}
    for index in sorted(tags):
        for span in tags[index].spans:
            if span[0] in entity_layers:
                mentions.setdefault(span[1], []).append(span)
    links: dict[Span, Span] = {}
    for index in sorted(tags):
        sentence = tags[index]
        for span in sentence.spans:
            if span[0] != CONTENT_LAYER or span[1] not in mentions:
                continue
            here = [m for m in sentence.spans if m[0] in entity_layers and m[1] == span[1]]
            before = [m for m in mentions[span[1]] if m[2] < span[2]]
            links[span] = here[0] if here else before[-1] if before else mentions[span[1]][0]
    return links


@dataclass
class UsedLabels:
    """Labels found while exporting, for annotation.conf (unknown ones must be declared too)."""

    layers: dict[str, set[str]] = field(default_factory=dict)
    span_layers: set[str] = field(default_factory=set)
    span_labels: set[str] = field(default_factory=set)

    def add(self, tags: Iterable[SentenceTags]) -> None:
        for sentence in tags:
            for layer, ids in sentence.values:
                self.layers.setdefault(layer, set()).update(ids)
            for layer, label, _, _ in sentence.spans:
                self.span_layers.add(layer)
                self.span_labels.add(label)


def annotation_conf(schema: LabelSchema, used: UsedLabels) -> str:
    """brat's type declarations: every label of labels.yaml, plus unknown ones in use."""
    attributions = CONTENT_LAYER in used.span_layers
    lines = [
        "# Written by `annotator export --format brat` from labels.yaml; one Sentence per",
        "# tagged sentence, its labels as attributes. Re-import with",
        "# `annotator import --format brat DIR --annotator NAME`.",
        "[entities]",
        SENTENCE_TYPE,
        *(span_type(layer) for layer in sorted(used.span_layers)),
        *((SOURCE_TYPE, CONTENT_TYPE) if attributions else ()),
        "",
        "[relations]",
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
        *((f"{ATTRIBUTION_TYPE}\tArg1:{SOURCE_TYPE}, Arg2:{CONTENT_TYPE}",)
          if attributions else ()),
        "",
        "[events]",
        "",
        "[attributes]",
    ]
    for layer in schema.layers:
        declared = [label.id for label in layer.labels]
        ids = declared + sorted(used.layers.get(layer.id, set()) - set(declared))
        attribute = layer_attribute(layer.id)
        if layer.single:
            if ids:
                lines.append(f"{attribute}\tArg:{SENTENCE_TYPE}, Value:{'|'.join(ids)}")
        else:
            lines += [f"{attribute}{LABEL_SEPARATOR}{label}\tArg:{SENTENCE_TYPE}"
                      for label in ids]
    lines.append(f"{NOT_CONTENT_ATTRIBUTE}\tArg:{SENTENCE_TYPE}")
    if used.span_layers:
        types = "|".join([span_type(layer) for layer in sorted(used.span_layers)]
                         + ([SOURCE_TYPE] if attributions else []))
        lines.append(f"{SPAN_LABEL}\tArg:{types}, Value:{'|'.join(sorted(used.span_labels))}")
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
    writer = _BratWriter(project, selection, out_dir, report, force, split_of)
    with no_gc():
        for item in iter_articles(project, selection, report):
            if writer.article(item):
                report.articles += 1
    for folder, labels in writer.used.items():
        atomic_write(folder / "annotation.conf", annotation_conf(project.schema, labels))
    return writer.result


class _BratWriter:
    def __init__(self, project: Project, selection: Selection, out_dir: Path,
                 report: ExportReport, force: bool, split_of: dict[str, str] | None):
        self.annotations_dir = project.annotations_dir
        self.layers = project.schema.layers
        self.out_dir, self.report, self.force, self.split_of = out_dir, report, force, split_of
        self.several = len(selection.annotators) > 1
        self.checker = RecordBuilder(project.schema, selection, report, self.annotations_dir)
        self.used: dict[Path, UsedLabels] = {}
        self.result = BratExport()

    def article(self, item: AnnotatedArticle) -> bool:
        """Each annotator's .ann (and the .txt beside it); False when nobody tagged it."""
        article = item.article
        wrote = False
        for name in sorted(item.docs):
            file = item.docs[name]
            keep = usable_sentences(article, file, name, self.annotations_dir, self.report)
            tags = {index: sentence for index, sentence in file.records.tags().items()
                    if keep is None or index in keep}
            content = ann_text(article, tags, self.layers)
            if not content:
                continue
            folder = self.out_dir
            if self.split_of is not None:
                folder = folder / self.split_of.get(article.id, "train")
            if self.several:
                folder = folder / name
            ann_path = folder / f"{article.id}.ann"
            if (not self.force and ann_path.exists()
                    and ann_path.read_text(encoding="utf-8") != content):
                raise UsageError(Problem(ann_path, "exists with other annotations; not "
                                         "overwritten (export to an empty folder, or --force)"))
            atomic_write(folder / f"{article.id}.txt", article.text)
            atomic_write(ann_path, content)
            self.used.setdefault(folder, UsedLabels()).add(tags.values())
            if self.checker.odd(file.records):
                for sentence in tags.values():
                    self.checker.findings(sentence.values, name, article.id)
            self.result.folders[folder] = self.result.folders.get(folder, 0) + 1
            self.report.records += content.count(f"\t{SENTENCE_TYPE} ")
            wrote = True
        return wrote
