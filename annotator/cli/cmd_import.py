"""`annotator import FILE...`: add raw articles to corpus/, with a table of what happened."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from annotator.cli import project_root
from annotator.core.importer import ImportResult, import_texts, read_sources
from annotator.core.project import Project


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser):
    sub = subparsers.add_parser("import", parents=[common], help="add articles to the corpus")
    sub.add_argument("files", nargs="+", type=Path, metavar="FILE",
                     help="plain text or Markdown articles")
    return sub


def run(args: argparse.Namespace) -> int:
    project = Project(project_root(args))
    project.corpus_dir.mkdir(parents=True, exist_ok=True)
    results: list[ImportResult] = []
    sources = read_sources(list(args.files))
    readable = [item for item in sources if isinstance(item, tuple)]
    results = [item for item in sources if isinstance(item, ImportResult)]
    results += import_texts(project.corpus, readable)
    return print_results(results)


def print_results(results: list[ImportResult]) -> int:
    """The batch table (id, title, sentences), then one line per refused file."""
    console = Console()
    done = [r for r in results if r.article is not None]
    if done:
        table = Table(title=f"Imported {len(done)} article(s)", title_justify="left")
        table.add_column("id", overflow="fold")
        table.add_column("title", overflow="fold")
        table.add_column("sentences", justify="right")
        for result in done:
            assert result.article is not None
            table.add_row(result.article.id, result.article.title,
                          str(len(result.article.spans)))
        console.print(table)
    failed = [r for r in results if r.problem is not None]
    for result in failed:
        print(f"annotator: {result.problem}", file=sys.stderr)
    return 1 if failed else 0
