"""Export workers: they stop when the export that started them is killed, ends early or
fails, and what goes wrong in one is raised by the export."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core.formats import export_run
from annotator.core.formats.export_records import ExportReport, Selection, select_annotators
from annotator.core.formats.export_run import encode_articles
from annotator.core.project import Project
from annotator.core.tags import SentenceTags
from tests.factories import ARTICLE_A, ARTICLE_B, make_project

SCRIPT = """
import multiprocessing, os, sys, time
from annotator.core.formats.export_run import die_with_parent

def work(parent):
    die_with_parent(parent)
    time.sleep(60)

if __name__ == "__main__":
    child = multiprocessing.get_context("fork").Process(target=work, args=(os.getpid(),))
    child.start()
    print(child.pid, flush=True)
    time.sleep(60)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for init to reap it has stopped working too
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return True


@pytest.mark.skipif(sys.platform == "win32", reason="fork and signals")
def test_a_worker_exits_when_its_parent_is_killed(tmp_path: Path) -> None:
    parent = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE,
                              text=True, cwd=Path(__file__).resolve().parent.parent)
    try:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())
        assert _alive(worker)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 10
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(worker)
    finally:
        parent.kill()


def _project_of_many(root: Path) -> Project:
    """Eight articles, each tagged by two annotators: several chunks of one article."""
    texts = tuple(f"{text}\nVariant {n}.\n" for n in range(4) for text in (ARTICLE_A, ARTICLE_B))
    project = make_project(root, texts)
    for position, article_id in enumerate(project.corpus.ids()):
        article = project.corpus.load(article_id)
        for name, claim in (("alice", "fact"), ("bob", "opinion")):
            doc = project.store.load(name, article_id)
            doc.tags[position % 2] = SentenceTags.of(claim=claim)
            project.store.save(doc, article)
    return project


def _export(project: Project, jobs: int) -> Iterator[str]:
    selection = Selection(select_annotators(project))
    return (a.text for a in encode_articles(project, selection, "jsonl", ExportReport(),
                                            jobs=jobs))


@pytest.fixture
def many(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.setattr(export_run, "CHUNK", 1)  # one article per chunk: eight chunks
    return _project_of_many(tmp_path / "many")


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_an_error_in_a_worker_is_raised_by_the_export_and_its_workers_end(
        many: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    here, run = os.getpid(), export_run._Job.run

    def failing(job: export_run._Job, chunk: list) -> object:
        if os.getpid() != here:  # forked workers run this too
            raise ValueError("bad chunk")
        return run(job, chunk)

    monkeypatch.setattr(export_run._Job, "run", failing)
    with pytest.raises(ValueError, match="bad chunk"):
        list(_export(many, 2))
    assert multiprocessing.active_children() == []


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_a_worker_that_dies_stops_the_export_with_a_message(
        many: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    here, run = os.getpid(), export_run._Job.run

    def dying(job: export_run._Job, chunk: list) -> object:
        if os.getpid() != here:
            os._exit(3)
        return run(job, chunk)

    monkeypatch.setattr(export_run._Job, "run", dying)
    with pytest.raises(RuntimeError, match="export worker .* stopped"):
        list(_export(many, 2))
    assert multiprocessing.active_children() == []


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_an_export_stopped_early_ends_its_workers(many: Project) -> None:
    texts = _export(many, 3)
    first = next(texts)
    assert '"annotator": "alice"' in first and multiprocessing.active_children()
    texts.close()  # the caller stops reading (an error while writing, ^C)
    assert multiprocessing.active_children() == []
    assert "".join(_export(many, 3)) == "".join(_export(many, 1))
