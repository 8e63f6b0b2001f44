"""A tab gets a process started before it (its imports done); nothing of the tab is lost.

The server keeps spare processes waiting; the next tab takes one, another is started when
a tab ends, and none outlives the server. A spare runs nothing until the server's start
message, and what the tab sends right behind that message (its first keys) reaches the app.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("aiohttp", reason="annotator serve needs the web extra (aiohttp)")
pytest.importorskip("textual_serve", reason="annotator serve needs the web extra (textual-serve)")

from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from annotator.core.project import Project  # noqa: E402
from annotator.web import spare as spare_module  # noqa: E402
from annotator.web.keys import KeyStore  # noqa: E402
from annotator.web.server import ANNOTATOR, AnnotatorServer  # noqa: E402
from annotator.web.spare import start_message  # noqa: E402
from tests.test_serve import _read_until, _wait_for  # noqa: E402

WEB_ENV = {"TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver", "TEXTUAL_FPS": "60",
           "TEXTUAL_COLOR_SYSTEM": "truecolor", "COLUMNS": "80", "ROWS": "24"}


def spare_pids() -> set[int]:
    """This test process's children that are tab processes (spares or tabs)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and b"annotator.web.tab" in cmdline:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture
async def served(project: Project, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(spare_module, "REFILL_AFTER_END_S", 0.1)
    keys = KeyStore(project.state_dir)
    key = keys.issue("alice")
    server = AnnotatorServer(project.root, {"alice": ANNOTATOR}, keys,
                             public_url="http://127.0.0.1:8000")
    client = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    try:
        yield server, client, key
    finally:
        await client.close()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
async def test_a_tab_runs_in_a_spare_started_before_it_and_spares_end_with_the_server(served):
    server, client, key = served
    assert await _wait_for(lambda: len(spare_pids()) == spare_module.SPARES)
    before = spare_pids()
    tab = await client.ws_connect(f"/k/{key}/ws?width=100&height=30")
    assert await _read_until(tab, "alice", bytearray())
    assert spare_pids() == before  # the editor is one of them: no process was started for it
    await tab.close()
    assert await _wait_for(lambda: len(spare_pids()) == spare_module.SPARES
                           and len(spare_pids() - before) == 1)  # the tab's ended, one new
    waiting = spare_pids()
    await client.close()  # the server stops: the spares exit, having run nothing
    assert await _wait_for(lambda: not any(alive(pid) for pid in waiting))


def _spare() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "annotator.web.tab"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, **WEB_ENV})


def test_a_spare_whose_server_is_gone_exits_quietly_having_run_nothing():
    spare = _spare()
    out, err = spare.communicate(b"", timeout=60)  # stdin closed: as when the server dies
    assert spare.returncode == 0 and out == b"" and err == b""


def _packet(kind: bytes, payload: bytes) -> bytes:
    return kind + len(payload).to_bytes(4, "big") + payload


def test_keys_sent_right_behind_the_start_message_reach_the_editor(project: Project):
    spare = _spare()
    time.sleep(0.5)  # the start message may come while it is still importing, or after
    first_keys = _packet(b"D", b"j") + _packet(b"D", b"f")  # next sentence; claim: fact
    spare.stdin.write(start_message(["--project", str(project.root), "--annotator", "alice"],
                                    {"COLUMNS": "100", "ROWS": "30"}) + first_keys)
    spare.stdin.flush()
    tags = project.annotations_dir / "alice"
    deadline = time.monotonic() + 60
    while not any("claim: fact" in f.read_text() for f in tags.glob("*.yaml")):
        assert spare.poll() is None, spare.stderr.read()  # it quit: why
        assert time.monotonic() < deadline, "no tag after a minute"
        time.sleep(0.1)
    spare.stdin.write(_packet(b"M", json.dumps({"type": "quit"}).encode()))
    spare.stdin.close()
    assert spare.wait(timeout=30) == 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's parent-death signal")
def test_a_tab_whose_server_is_killed_quits_and_lets_go_of_its_article(project: Project,
                                                                       tmp_path: Path):
    # A stand-in server: hands a spare alice's editor, says the spare's pid, then waits.
    script = tmp_path / "server.py"
    script.write_text(f"""
import os, subprocess, sys, time
from annotator.web.spare import start_message
spare = subprocess.Popen([sys.executable, "-m", "annotator.web.tab"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env={{**os.environ, **{WEB_ENV!r}}})
spare.stdin.write(start_message(["--project", {str(project.root)!r}, "--annotator", "alice"],
                                {{"COLUMNS": "100", "ROWS": "30"}}))
spare.stdin.flush()
print(spare.pid, flush=True)
time.sleep(600)
""")
    server = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    tab = int(server.stdout.readline())
    folder = project.annotations_dir / "alice"
    deadline = time.monotonic() + 60
    while not list(folder.glob(".*.lock")):  # her editor has her article open
        assert time.monotonic() < deadline and alive(tab)
        time.sleep(0.1)
    server.kill()  # no chance to close anything
    server.wait()
    deadline = time.monotonic() + 30
    while alive(tab) or list(folder.glob(".*.lock")):
        assert time.monotonic() < deadline, "the tab outlived its server"
        time.sleep(0.1)
