"""Run a JSONL/CSV export over the whole corpus: streamed, and in parallel when large.

The annotation files are read once, through the annotation index (its cache makes a
repeated export, review or agree parse only the files that changed), with the cyclic
collector paused (gc_pause.no_gc). Building records and encoding them is then
the work; it is split into chunks of articles, shared between this process and
`jobs - 1` worker processes, at most a few chunks ahead of the writer, and the text
comes back in corpus order. Forked workers inherit the index as loaded here; where
processes are spawned instead, each worker reads its articles' files with the codec
(annotation_file.read_doc), which gives the same tags. A small project (or `jobs=1`)
runs the very same code in-process, so the output is identical byte for byte whatever
the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import threading
import time
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from ..gc_pause import no_gc
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
WINDOW = 4  # chunks per job that may be done ahead of the writer (memory stays flat)


@dataclass(frozen=True)
class EncodedArticle:
    article_id: str
    text: str  # the article's lines in the export format
    records: int
    labels: Counter[tuple[str, str]] | None  # only when asked (for split reports)


_Done = tuple[list[EncodedArticle], ExportReport]  # a chunk's articles and what they found


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

    def run(self, chunk: list[WorkItem]) -> _Done:
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


_INHERITED: AnnotationFiles | None = None  # set before forking: the workers' copy of the index


def _serve(conn: Connection, root: str, selection: Selection, fmt: str, count_labels: bool,
           parent: int) -> None:
    """A worker: chunks in, their text out, in the order they came, until None comes.
    An exception goes back to the export to be raised there. A thread sends, so the
    next chunk is encoded while the export is busy with its own and reads this one later."""
    die_with_parent(parent)
    outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
    sender = threading.Thread(target=_send, args=(conn, outbox), name="send", daemon=True)
    sender.start()
    try:
        job = _Job(root, selection, fmt, count_labels, _INHERITED)
        while True:
            chunk = conn.recv()
            if chunk is None:
                break
            try:
                done: _Done | BaseException = job.run(chunk)
            except Exception as exc:  # noqa: BLE001 - raised again in the export
                done = exc
            outbox.put(pickle.dumps(done, pickle.HIGHEST_PROTOCOL))
    except (EOFError, OSError, KeyboardInterrupt):
        pass  # the export is gone (or stopped with ^C): nothing more to do
    finally:
        outbox.put(None)


def _send(conn: Connection, outbox: queue.SimpleQueue[bytes | None]) -> None:
    try:
        for message in iter(outbox.get, None):
            conn.send_bytes(message)
    except OSError:
        pass  # the export stopped reading: it is over


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


def default_jobs(articles: int) -> int:
    """Processes for an export of this size (this one and `jobs - 1` workers): the CPUs
    that are idle now, if two or more.

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
        yield from _in_workers(root, selection, fmt, count_labels, chunks, jobs, files, report,
                               project)


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    chunks: deque[int] = field(default_factory=deque)  # handed to it, not back yet

    def receive(self) -> _Done:
        try:
            done = self.conn.recv()
        except (EOFError, OSError):
            self.process.join(1)
            raise RuntimeError(f"export worker {self.process.pid} stopped "
                               f"(exit code {self.process.exitcode})") from None
        if isinstance(done, BaseException):
            raise done
        return done  # type: ignore[no-any-return]


def _in_workers(root: str, selection: Selection, fmt: str, count_labels: bool,
                chunks: list[list[WorkItem]], jobs: int, files: AnnotationFiles,
                report: ExportReport, project: Project) -> Iterator[EncodedArticle]:
    """The chunks shared between this process and `jobs - 1` workers, back in corpus order.

    This process works too, rather than only waiting for text: on a machine with as many
    CPUs as jobs, a writer that only receives competes with its workers for a CPU, and
    a chunk it encodes itself is text that never goes through a pipe. Each worker is kept
    two chunks ahead; while the next chunk due is still in a worker, this process encodes
    the next free one. Nothing is held more than WINDOW chunks a job ahead of the writer.
    Plain pipes, no threads: a thread here would wait for the GIL while this process
    encodes, and the workers with it.
    """
    global _INHERITED
    fork = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if fork else None)
    workers: list[_Worker] = []
    _INHERITED = files if fork else None
    try:
        for _ in range(jobs - 1):
            conn, theirs = context.Pipe()
            process = context.Process(target=_serve, daemon=True, args=(
                theirs, root, selection, fmt, count_labels, os.getpid()))
            process.start()
            theirs.close()
            workers.append(_Worker(process, conn))
    finally:
        _INHERITED = None
    try:
        here = _Job(root, selection, fmt, count_labels, files, project)
        results: dict[int, _Done] = {}
        due = free = 0  # the next chunk to hand text out for, the next one nobody has
        while due < len(chunks):
            reach = min(len(chunks), due + WINDOW * jobs)
            for worker in workers:
                while len(worker.chunks) < 2 and free < reach:
                    worker.conn.send(chunks[free])
                    worker.chunks.append(free)
                    free += 1
            for worker in workers:  # take in what is back already
                while worker.chunks and worker.conn.poll():
                    results[worker.chunks.popleft()] = worker.receive()
            found = results.pop(due, None)
            if found is None:
                if free < reach:
                    results[free] = here.run(chunks[free])
                    free += 1
                    continue
                worker = next(w for w in workers if w.chunks and w.chunks[0] == due)
                while due not in results:
                    results[worker.chunks.popleft()] = worker.receive()
                found = results.pop(due)
            due += 1
            out, part = found
            report.merge(part)
            yield from out
    finally:
        for worker in workers:  # not EOF: every worker holds copies of the pipes forked before it
            try:
                worker.conn.send(None)
            except OSError:
                pass
        for worker in workers:  # done: at once; stopped early: after the chunk in hand, or ended
            worker.process.join(1)
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join()
            worker.conn.close()
