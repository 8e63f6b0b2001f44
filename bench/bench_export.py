"""Export speed on a large generated project with spans (target: 100,000 records a second;
Prodigy and Label Studio within 1.5x of JSONL).

    python bench/bench_export.py                 # generates 10,000 articles x 3 annotators once
    python bench/bench_export.py --dir /tmp/big  # reuse (or create) a project there

Every tagged sentence with a speaker gets a speaker mention and a claim span (evidence),
as imports from Prodigy, Label Studio or brat leave them. Runs the same code as
`annotator export` (JSONL, CSV, then the tool formats prodigy, labelstudio and doccano;
JSONL and CSV in one process and with the default number of jobs, at least two: the
exporting process shares the chunks with jobs - 1 workers) into a temporary file
and prints records (sentence x annotator lines) a second, article sentences a second,
CPU time of the in-process run (less sensitive to a busy machine than wall time) and
peak memory. Annotation files are
read through the project's annotation index, from its cache, as `annotator review` or
`agree` would. Each checkout has a cache of its own (.annotator/index-bench-<checkout>/,
brought up to date before the timed runs), written by its own code as its users' would be: two
checkouts that lay the cache out differently are not timed on one layout. Memory is the
index's (every annotator's tags) plus one article at a time: exports stream article by
article.

    python bench/bench_export.py --dir /tmp/big --tree ../before   # then the same run of
                                  # another checkout's package: a baseline from the same sitting
    python bench/bench_export.py --dir /tmp/big --jsonl-only       # JSONL alone, to iterate
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The checkout whose package is timed (--tree runs this script again with it set).
sys.path.insert(0, os.environ.get("ANNOTATOR_BENCH_TREE") or sys.path[0])

from annotator.core.formats import csv_export
from annotator.core.formats.export_records import (
    ExportReport,
    RecordBuilder,
    Selection,
    indexed_files,
    select_annotators,
)
from annotator.core.formats.export_run import default_jobs, encode_articles
from annotator.core.project import Project
from bench.generate import generate

ROOT = Path(__file__).resolve().parent.parent
TREE_ENV = "ANNOTATOR_BENCH_TREE"
_SPANS_OF = RecordBuilder.spans_of


def _no_spans(self: RecordBuilder, spans: tuple) -> tuple[tuple, tuple]:
    return (), ()


def add_spans(root: Path) -> None:
    """A speaker mention and a piece of evidence on every sentence that has a speaker."""
    project = Project(root)
    for name in project.store.annotators():
        for article_id in project.corpus.ids():
            doc = project.store.load(name, article_id)
            article = project.corpus.load(article_id)
            for index, tags in list(doc.tags.items()):
                speakers = tags.get("speakers")
                if not speakers or index >= len(article.spans):
                    continue
                start, end = article.spans[index]
                spans = [("speakers", who, start + n, start + n + 1)
                         for n, who in enumerate(speakers) if start + n + 1 <= end]
                if tags.first("claim") and end - start > 4:
                    spans.append(("claim", tags.first("claim") or "", start, end - 1))
                doc.tags[index] = tags.with_spans(spans)
            project.store.save(doc, article)


def bench_project(root: Path) -> Project:
    """The project, its annotation index cached where only this checkout writes."""
    project = Project(root)
    tree = str(Path(os.environ.get(TREE_ENV) or ROOT).resolve())
    tag = hashlib.sha256(tree.encode()).hexdigest()[:8]
    project.index.cache_dir = project.state_dir / f"index-bench-{tag}"
    return project


def run_once(root: Path, fmt: str, out: Path, jobs: int) -> tuple[float, float, ExportReport, int]:
    """What `annotator export --format FMT -o OUT --jobs N` does, timed."""
    project = bench_project(root)
    project.corpus.entries()  # the index (cached under .annotator/) is not the export
    report = ExportReport()
    selection = Selection(select_annotators(project))
    sentences = sum(e.sentence_count for e in project.corpus.entries())
    wall, cpu = time.perf_counter(), time.process_time()
    with open(out, "w", encoding="utf-8", newline="") as handle:
        if fmt == "csv":
            handle.write(csv_export.header(project.schema.layer_ids))
        encoded = encode_articles(project, selection, fmt, report, jobs=jobs)
        handle.writelines(article.text for article in encoded)
    return time.perf_counter() - wall, time.process_time() - cpu, report, sentences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, help="project folder (generated if missing)")
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=2, help="runs per format; best is shown")
    parser.add_argument("--tools-only", action="store_true",
                        help="only the comparison of JSONL with the tool formats")
    parser.add_argument("--jsonl-only", action="store_true",
                        help="only JSONL, in one process and in parallel (no CSV, no tools)")
    parser.add_argument("--tree", type=Path,
                        help="after this run, the same for another checkout's package")
    args = parser.parse_args()
    if args.tree is not None:
        import subprocess

        tree = args.tree.resolve()
        print(f"== this checkout ({ROOT})")
        argv = [a for a in sys.argv[1:] if a not in ("--tree", str(args.tree))]
        if args.dir is None:
            argv += ["--dir", str(Path(tempfile.gettempdir())
                                  / f"annotator-bench-spans-{args.articles}-{args.annotators}")]
        code = subprocess.call([sys.executable, __file__, *argv])
        print(f"== {tree}")
        env = {**os.environ, TREE_ENV: str(tree)}
        raise SystemExit(code or subprocess.call([sys.executable, __file__, *argv], env=env))
    default = (Path(tempfile.gettempdir())
               / f"annotator-bench-spans-{args.articles}-{args.annotators}")
    root = args.dir or default
    if not (root / "labels.yaml").exists():
        print(f"generating {args.articles} articles x {args.annotators} annotators in {root} ...")
        started = time.perf_counter()
        generate(root, args.articles, annotators=args.annotators)
        add_spans(root)
        print(f"  done in {time.perf_counter() - started:.0f} s")
    project = bench_project(root)  # its index cache built or brought up to date, untimed
    indexed_files(project, project.store.annotators())
    parallel = max(2, default_jobs(args.articles))  # show the parallel run even when busy
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in () if args.tools_only else ("jsonl",) if args.jsonl_only else ("jsonl", "csv"):
            out = Path(tmp) / f"export.{fmt}"
            for jobs in sorted({1, parallel}):
                best = min((run_once(root, fmt, out, jobs) for _ in range(args.repeat)),
                           key=lambda r: r[0])
                wall, cpu, report, sentences = best
                print(f"{fmt:5} jobs={jobs}: {report.records:,} records (sentence x annotator) "
                      f"from {report.articles:,} articles, {sentences:,} sentences, "
                      f"{out.stat().st_size / 1e6:.0f} MB")
                print(f"      wall {wall:5.2f} s: {report.records / wall:9,.0f} records/s "
                      f"{sentences / wall:9,.0f} article sentences/s")
                if jobs == 1:
                    print(f"      cpu  {cpu:5.2f} s: {report.records / cpu:9,.0f} records/s "
                          f"{sentences / cpu:9,.0f} article sentences/s")
        cpus: dict[str, float] = {}
        for fmt in () if args.jsonl_only else ("baseline", "jsonl", "prodigy", "labelstudio",
                                                  "doccano"):
            out = Path(tmp) / f"export.{fmt}"
            hidden = fmt == "baseline"  # the same export with its spans left out
            if hidden:
                RecordBuilder.spans_of = _no_spans  # type: ignore[method-assign]
            try:
                best = min((run_once(root, "jsonl" if hidden else fmt, out, 1)
                            for _ in range(args.repeat)), key=lambda r: r[1])
            finally:
                RecordBuilder.spans_of = _SPANS_OF  # type: ignore[method-assign]
            wall, cpu, report = best[0], best[1], best[2]
            cpus[fmt] = cpu
            label = "jsonl, no spans (baseline)" if hidden else fmt
            print(f"{label:26} jobs=1: cpu {cpu:5.2f} s {report.records / cpu:9,.0f} records/s, "
                  f"wall {wall:5.2f} s, {out.stat().st_size / 1e6:.0f} MB"
                  + (f", {cpu / cpus['jsonl']:.2f}x JSONL (cpu)"
                     if fmt not in ("baseline", "jsonl") else ""))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB (process, all runs); {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}")
    print("targets: JSONL >= 100,000 records a second; Prodigy and Label Studio <= 1.5x JSONL")


if __name__ == "__main__":
    main()
