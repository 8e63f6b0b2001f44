"""`annotator serve` on the command line: refusals before anything listens, links, --rotate.

Each bad start prints one clear message, exits non-zero and leaves nothing listening on the
port it was given. A real start prints a link per person once, refuses strangers in its
log without their key, and stops on Ctrl+C.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.project import Project
from annotator.web.keys import KEYS_FILE, KeyStore

pytest.importorskip("aiohttp", reason="annotator serve needs the web extra (aiohttp)")
pytest.importorskip("textual_serve", reason="annotator serve needs the web extra (textual-serve)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def serve(project: Project, *args: str) -> list[str]:
    return ["--project", str(project.root), "serve", *args]


@pytest.mark.parametrize(("args", "message"), [
    (["--users", "../etc"], "not a usable annotator name"),
    (["--users", "alice,b ob"], "not a usable annotator name"),
    (["--users", "alice", "--reviewers", "alice"], "named in both --users and --reviewers"),
    (["--users", "alice", "--host", "0.0.0.0"], "give --public-url too"),
    (["--users", "alice", "--public-url", "ftp://x"], "give an http:// or https:// address"),
    (["--users", "gold"], "where reviewers settle"),
    ([], "say who may connect"),
])
def test_bad_input_is_one_message_a_nonzero_exit_and_nothing_listening(project, capsys, args,
                                                                       message):
    port = free_port()
    assert main(serve(project, "--port", str(port), *args)) != 0
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not listening(port)
    assert not (project.state_dir / KEYS_FILE).exists()  # no key issued for a refused start


def test_a_port_in_use_is_refused_before_any_link_is_printed(project, capsys):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert main(serve(project, "--port", str(port), "--users", "alice")) == 2
    out, err = capsys.readouterr()
    assert f"port {port} on 127.0.0.1 is already in use" in err
    assert "/k/" not in out and not (project.state_dir / KEYS_FILE).exists()
    assert not listening(port)


def test_a_project_that_does_not_validate_is_not_served(project, capsys):
    (project.root / "labels.yaml").write_text("version: 2\nlayers: [oops\n", encoding="utf-8")
    port = free_port()
    assert main(serve(project, "--port", str(port), "--users", "alice")) != 0
    err = capsys.readouterr().err
    assert "labels.yaml" in err and "nothing is served" in err
    assert not listening(port)


def test_a_broken_annotation_file_also_stops_the_server_with_its_name(project, capsys):
    broken = project.annotations_dir / "bob" / "pompeo-warns-russia-over-25546b13.yaml"
    broken.parent.mkdir(parents=True)
    broken.write_text("version: [\n", encoding="utf-8")
    assert main(serve(project, "--port", str(free_port()), "--users", "alice")) == 1
    assert "bob/pompeo-warns-russia-over-25546b13.yaml" in capsys.readouterr().err


def test_without_the_web_extra_it_says_how_to_install_it(project, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "annotator.web.server", None)  # import fails as if absent
    assert main(serve(project, "--users", "alice")) == 2
    assert "pip install 'annotator[web]'" in capsys.readouterr().err


def test_rotate_prints_a_new_link_once_and_the_old_key_stops_working(project, capsys):
    keys = KeyStore(project.state_dir)
    old = keys.issue("alice")
    (project.root / ".gitignore").write_text("*.pyc\n", encoding="utf-8")
    assert main(serve(project, "--rotate", "alice", "--port", "8123")) == 0
    out = capsys.readouterr().out
    new = re.search(r"http://127\.0\.0\.1:8123/k/(\S+)", out).group(1)
    assert keys.who(new) == "alice" and keys.who(old) is None
    assert new not in keys.path.read_text()
    # The keys file is kept out of git: the project's .gitignore gains a line for it.
    assert f".annotator/{KEYS_FILE}" in (project.root / ".gitignore").read_text()
    assert "added" in out


def test_the_editor_still_refuses_a_real_non_terminal(project):
    done = subprocess.run([sys.executable, "-m", "annotator", "--project", str(project.root)],
                          stdin=subprocess.PIPE, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "this needs a terminal" in done.stderr


def test_a_running_server_prints_links_once_logs_refusals_and_stops_on_ctrl_c(project):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "annotator", *serve(project, "--port", str(port),
                                                   "--users", "alice,bob", "--reviewers", "lead")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        while not any(line.startswith("Ctrl+C") for line in lines):
            line = server.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
        links = dict(re.findall(r"^\s+(\w+)\s.*?(http://\S+)$", "".join(lines), re.M))
        assert set(links) == {"alice", "bob", "lead"}
        assert "review mode" in next(line for line in lines if line.strip().startswith("lead"))
        with urllib.request.urlopen(links["alice"], timeout=10) as page:
            assert page.status == 200 and b"annotator: alice" in page.read()
        wrong = f"http://127.0.0.1:{port}/k/NotAKeyAtAll0123456789"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(wrong, timeout=10)
        assert refused.value.code == 403
        server.send_signal(signal.SIGINT)
        rest = server.communicate(timeout=30)[0]
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert server.returncode == 0
    assert "refused the page from 127.0.0.1" in rest and "NotAKeyAtAll" not in rest
    assert not listening(port)


def test_a_second_start_shows_no_key_again_and_warns_about_plain_http(project, monkeypatch,
                                                                      capsys):
    from annotator.web import server as web_server

    served: list[object] = []
    monkeypatch.setattr(web_server.AnnotatorServer, "serve_on",
                        lambda self, sock: served.append((self, sock.getsockname())))
    KeyStore(project.state_dir).issue("alice")
    assert main(serve(project, "--port", "0", "--users", "alice,bob", "--host", "0.0.0.0",
                      "--public-url", "https://annotate.example/team/")) == 0
    out = capsys.readouterr().out
    assert "alice" in out and "issued earlier, not shown again" in out
    assert re.search(r"bob\s+editor\s+https://annotate\.example/team/k/\S+$", out, re.M)
    assert "NOT encrypted" in out and "reverse proxy" in out
    (server, address), = served
    assert address[0] == "0.0.0.0"
    assert Path(server.root) == project.root.resolve()
