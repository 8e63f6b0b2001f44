"""Run a JSONL/CSV export over the whole corpus: streamed, and in parallel when large.

The annotation files are read once, through the annotation index (its cache makes a
repeated export, review or agree parse only the files that changed), with the cyclic
collector paused (annotation_index.no_gc). Building records and encoding them
is then the work; it is split into chunks of articles handed
to worker processes, at most a few chunks ahead of the writer, and the text comes back
in corpus order. Forked workers inherit the index as loaded here; where processes are
spawned instead, each worker reads its articles' files with the codec
(annotation_file.read_doc), which gives the same tags. A small project (or `jobs=1`)
runs the very same code in-process, so the output is identical byte for byte whatever
the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from ..annotation_index import no_gc
from ..parent_death import sigterm_when_parent_dies
from ..project import Project
from .csv_export import CsvWriter
from .export_records import (
    AnnotationFiles,
    ArticleReader,
    ExportReport,
    RecordBuilder,
    Selection,
    WorkItem,
    indexed_files,
    plan_articles,
)
from .jsonl_export import JsonlWriter
from .record_writer import RecordWriter
from .split import label_counts
from .tool_exports import DoccanoWriter, LabelStudioWriter, ProdigyWriter

ENCODERS: dict[str, type[RecordWriter]] = {
    "jsonl": JsonlWriter, "csv": CsvWriter, "prodigy": ProdigyWriter,
    "labelstudio": LabelStudioWriter, "doccano": DoccanoWriter}
CHUNK = 100  # articles per task: large enough to amortise a round trip, small for memory
PARALLEL_FROM = 2000  # articles; below this, starting workers costs more than it saves
MAX_JOBS = 8


@dataclass(frozen=True)
class EncodedArticle:
    article_id: str
    text: str  # the article's lines in the export format
    records: int
    labels: Counter[tuple[str, str]] | None  # only when asked (for split reports)


class _Job:
    """What one process needs to turn chunks of articles into text."""

    def __init__(self, root: str, selection: Selection, fmt: str, count_labels: bool,
                 files: AnnotationFiles | None, project: Project | None = None):
        # In this process, the caller's project (its labels.yaml is read already: with
        # 100,000 speakers that takes seconds); a worker process reads its own.
        project = project if project is not None else Project(Path(root))
        self.layers = project.schema.layers
        self.reader = ArticleReader(project, files)
        self.builder = RecordBuilder(project.schema, selection, ExportReport(),
                                     project.annotations_dir)
        self.encoder = ENCODERS[fmt](None, self.layers, with_header=False)
        self.count_labels = count_labels

    def run(self, chunk: list[WorkItem]) -> tuple[list[EncodedArticle], ExportReport]:
        report = ExportReport()
        self.builder.report = report
        out = []
        for work in chunk:
            item = self.reader.read(work, report)
            if item is None:
                continue
            records = self.builder.records(item)
            if records:
                out.append(EncodedArticle(
                    item.article.id, self.encoder.encode(records), len(records),
                    label_counts(records, self.layers) if self.count_labels else None))
        return out, report


_JOB: _Job | None = None
_INHERITED: AnnotationFiles | None = None  # set before forking: the workers' copy of the index


def _start(root: str, selection: Selection, fmt: str, count_labels: bool,
           parent: int) -> None:
    global _JOB
    die_with_parent(parent)
    _JOB = _Job(root, selection, fmt, count_labels, _INHERITED)


def die_with_parent(parent: int) -> None:
    """A worker must not outlive the export that started it (a killed `annotator export`
    would leave its workers computing for nobody). On Linux the kernel sends SIGTERM
    when the parent dies (prctl PR_SET_PDEATHSIG); elsewhere a thread watches the
    parent's pid. Either way, a parent already gone means exit now."""
    if os.getppid() != parent:
        os._exit(1)
    if sigterm_when_parent_dies():
        if os.getppid() != parent:  # died between the check and the prctl
            os._exit(1)
        return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _run(chunk: list[WorkItem]) -> tuple[list[EncodedArticle], ExportReport]:
    assert _JOB is not None
    return _JOB.run(chunk)


def default_jobs(articles: int) -> int:
    """Workers for an export of this size: the CPUs that are idle now, if two or more.

    On a busy machine extra processes only add hand-over costs, so a loaded CPU counts
    as taken (load average); a small export is not worth starting workers for.
    """
    if articles < PARALLEL_FROM:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    try:
        idle = int(cpus - os.getloadavg()[0] + 0.5)
    except OSError:
        idle = cpus
    return min(idle, MAX_JOBS) if idle >= 2 else 1


def encode_articles(project: Project, selection: Selection, fmt: str, report: ExportReport,
                    *, jobs: int | None = None,
                    count_labels: bool = False) -> Iterator[EncodedArticle]:
    """The export, article by article in corpus order, as text in `fmt` (no CSV header)."""
    root = str(project.root.resolve())
    with no_gc():
        files = indexed_files(project, selection.annotators)
        plan = plan_articles(project, selection, report, files)
        chunks = [plan[i:i + CHUNK] for i in range(0, len(plan), CHUNK)]
        jobs = default_jobs(len(plan)) if jobs is None else max(1, jobs)
        if jobs == 1 or len(chunks) < 2:
            job = _Job(root, selection, fmt, count_labels, files, project)
            for chunk in chunks:
                out, part = job.run(chunk)
                report.merge(part)
                yield from out
            return
        yield from _in_workers(root, selection, fmt, count_labels, chunks, jobs, files, report)


def _in_workers(root: str, selection: Selection, fmt: str, count_labels: bool,
                chunks: list[list[WorkItem]], jobs: int, files: AnnotationFiles,
                report: ExportReport) -> Iterator[EncodedArticle]:
    """The chunks in worker processes, a few ahead of the writer, back in corpus order."""
    global _INHERITED
    fork = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if fork else None)
    _INHERITED = files if fork else None
    try:
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start,
                                 initargs=(root, selection, fmt, count_labels,
                                           os.getpid())) as pool:
            queue = iter(chunks)
            pending: deque[Future[tuple[list[EncodedArticle], ExportReport]]] = deque(
                pool.submit(_run, chunk) for chunk in islice(queue, jobs * 3))
            while pending:
                out, part = pending.popleft().result()
                following = next(queue, None)
                if following is not None:
                    pending.append(pool.submit(_run, following))
                report.merge(part)
                yield from out
    finally:
        _INHERITED = None
