"""`annotator serve` over HTTP, with aiohttp's test client (no browser): keys decide everything.

A request without a key, with a wrong one, or with the key of someone not served gets a
403 and starts no process; the right key gets a page whose every asset comes from the
server; a websocket runs the editor as the key's owner, and its process ends with the tab.
"""

from __future__ import annotations

import asyncio
import logging
import re
import shlex
import time
from pathlib import Path

import pytest

pytest.importorskip("aiohttp", reason="annotator serve needs the web extra (aiohttp)")
pytest.importorskip("textual_serve", reason="annotator serve needs the web extra (textual-serve)")

from aiohttp import WSMsgType, WSServerHandshakeError  # noqa: E402
from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from annotator.core.project import Project  # noqa: E402
from annotator.web.keys import KeyStore  # noqa: E402
from annotator.web.server import ANNOTATOR, REVIEWER, AnnotatorServer  # noqa: E402

WRONG_KEY = "x" * 32


@pytest.fixture
async def served(project: Project):
    keys = KeyStore(project.state_dir)
    issued = {name: keys.issue(name) for name in ("alice", "lead", "carol")}  # carol: not served
    server = AnnotatorServer(project.root, {"alice": ANNOTATOR, "lead": REVIEWER}, keys,
                             public_url="http://127.0.0.1:8000")
    client = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    try:
        yield server, client, issued
    finally:
        await client.close()


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every command a tab was given a process for; none is run."""
    from annotator.web.spare import Spares

    commands: list[str] = []

    async def record(self, argv, environ):
        commands.append(shlex.join(argv))
        raise OSError("not started in this test")

    monkeypatch.setattr(Spares, "take", record)
    return commands


def refused_paths(issued: dict[str, str]) -> list[tuple[str, str]]:
    return [("no key", "/"), ("no key", "/k/"), ("no key", "/k"), ("wrong key", f"/k/{WRONG_KEY}"),
            ("wrong key", f"/k/{issued['alice'][:-1]}"),  # one character short
            ("key of someone not served", f"/k/{issued['carol']}")]


async def test_without_a_valid_key_everything_is_403_and_no_process_starts(served, started):
    server, client, issued = served
    for why, path in refused_paths(issued):
        page = await client.get(path)
        assert page.status == 403, why
        assert "personal link" in await page.text()
        with pytest.raises(WSServerHandshakeError) as refused:
            await client.ws_connect(path.rstrip("/") + "/ws")
        assert refused.value.status == 403, why
    assert (await client.get(f"/k/{WRONG_KEY}")).status == 403
    assert (await client.ws_connect(f"/k/{issued['alice']}/ws")).closed is False
    await asyncio.sleep(0.1)
    # Only alice's (right) key got as far as starting anything.
    assert len(started) == 1 and "--annotator alice" in started[0]


async def test_refused_requests_are_logged_with_the_address_never_the_key(served, caplog):
    server, client, issued = served
    with caplog.at_level(logging.INFO, logger="annotator.serve"):
        await client.get(f"/k/{WRONG_KEY}")
        await client.get(f"/k/{issued['carol']}")
        await client.get("/")
    lines = [r.getMessage() for r in caplog.records]
    assert len([line for line in lines if line.startswith("refused") and "127.0.0.1" in line]) == 3
    assert not any(WRONG_KEY in line or issued["carol"] in line for line in lines)


async def test_the_name_comes_from_the_key_alone(served, started):
    server, client, issued = served
    for key in (issued["alice"], issued["lead"]):
        ws = await client.ws_connect(f"/k/{key}/ws?annotator=carol&user=carol&name=carol",
                                     headers={"X-Annotator": "carol"})
        await ws.receive(timeout=5)  # the server closes it: the fake start failed
    assert "--annotator alice" in started[0] and "review" not in started[0]
    assert started[1].endswith(" review") and "carol" not in " ".join(started)


async def test_the_right_key_serves_a_page_whose_every_asset_is_on_the_server(served):
    server, client, issued = served
    response = await client.get(f"/k/{issued['alice']}")
    assert response.status == 200
    page = await response.text()
    assert "annotator: alice" in page
    assert f"/k/{issued['alice']}/ws" in page
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert not re.search(r"https?://", page), "the page names nothing by http(s) URL"
    named = re.findall(r'(?:href|src)="([^"]+)"|url\("([^"]+)"\)', page)
    assets = [a or b for a, b in named]
    assert len(assets) >= 4 and "googleapis" not in page
    for asset in assets:
        if asset.startswith("data:"):
            continue
        assert asset.startswith("/static/"), asset  # on this server, whatever its name
        fetched = await client.get(asset)
        assert fetched.status == 200, asset
        body = await fetched.read()
        if asset.endswith((".css", ".js")):
            text = body.decode("utf-8")
            code = re.sub(r"/\*.*?\*/", "", text, flags=re.S) if asset.endswith(".css") else text
            # (xterm.css credits its authors' sites in its licence comment: text, not a load.)
            assert not re.search(r"https?://", code), asset
            assert not re.search(r"@import|url\((?!\s*['\"]?data:)", code), asset


async def test_assets_come_gzipped_and_cached_and_nothing_outside_them(served, project):
    from annotator.web.server import STATIC

    server, client, issued = served
    page = await (await client.get(f"/k/{issued['alice']}")).text()
    script = re.search(r'src="(/static/js/textual\.js[^"]*)"', page).group(1)
    fetched = await client.get(script)  # the client asks for gzip, and unpacks it
    assert fetched.headers["Content-Encoding"] == "gzip"
    assert int(fetched.headers["Content-Length"]) < (STATIC / "js/textual.js").stat().st_size / 2
    assert await fetched.read() == (STATIC / "js/textual.js").read_bytes()
    assert "max-age=" in fetched.headers["Cache-Control"]
    again = await client.get(script, headers={"If-None-Match": fetched.headers["ETag"]})
    assert again.status == 304 and await again.read() == b""
    plain = await client.get(script, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert await plain.read() == (STATIC / "js/textual.js").read_bytes()
    # The keys file and the project stay out of reach, however the path is spelled.
    for path in ("/static/../../annotator/web/keys.py", "/static/%2e%2e/app_service.py",
                 "/static/js/..%2f..%2fapp_service.py", f"/static/{project.root}/labels.yaml",
                 "/static/js/nothing.js"):
        response = await client.get(path)
        assert response.status in (403, 404), path
        assert b"import" not in await response.read(), path


def _screen_text(data: bytes) -> str:
    return re.sub(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]", "", data.decode("utf-8", "replace"))


async def _read_until(ws, text: str, seen: bytearray, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while text not in _screen_text(bytes(seen)):
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        try:
            message = await ws.receive(timeout=left)
        except TimeoutError:
            return False
        if message.type == WSMsgType.BINARY:
            seen.extend(message.data)
        elif message.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.ERROR):
            return False
    return True


async def _wait_for(condition, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.1)
    return True


async def test_a_tab_is_an_editor_process_that_saves_tags_and_ends_with_the_tab(served, project,
                                                                                 caplog):
    caplog.set_level(logging.INFO, logger="annotator.serve")
    server, client, issued = served
    first = await client.ws_connect(f"/k/{issued['alice']}/ws?width=100&height=30")
    screen = bytearray()
    assert await _read_until(first, "alice", screen), _screen_text(bytes(screen))[-2000:]
    folder = project.annotations_dir / "alice"
    assert await _wait_for(lambda: len(list(folder.glob(".*.lock"))) == 1)
    lock = next(folder.glob(".*.lock"))
    await first.send_json(["stdin", "j"])
    await first.send_json(["stdin", "f"])  # the claim quick key: fact
    tags = folder / (lock.name[1:-len(".lock")] + ".yaml")
    assert await _wait_for(lambda: tags.exists() and "claim: fact" in tags.read_text())

    # A second tab of the same person finds the article taken, as a second terminal would.
    second = await client.ws_connect(f"/k/{issued['alice']}/ws?width=100&height=30")
    other = bytearray()
    assert await _read_until(second, "another session", other), _screen_text(bytes(other))[-2000:]
    assert len(server.presence.connections()) == 2

    await second.close()
    assert await _wait_for(lambda: len(server.presence.connections()) == 1)
    await first.close()
    assert await _wait_for(lambda: not server.presence.connections())
    assert not lock.exists()  # the editor quit (and let go of the article) with its tab
    assert "claim: fact" in tags.read_text()
    # The server's terminal said who came, from where and since when, and who left.
    said = [r.getMessage() for r in caplog.records]
    assert re.fullmatch(r"alice \(annotator\) connected from 127\.0\.0\.1; connected: alice from "
                        r"127\.0\.0\.1 since \d\d:\d\d:\d\d", said[0]), said
    assert said[-1] == "alice disconnected (127.0.0.1); nobody connected", said


async def test_rotating_a_key_closes_the_tab_opened_with_it(served, monkeypatch):
    from annotator.web import server as web_server

    monkeypatch.setattr(web_server, "_KEY_CHECK_S", 0.1)
    server, client, issued = served
    tab = await client.ws_connect(f"/k/{issued['alice']}/ws?width=100&height=30")
    assert await _read_until(tab, "alice", bytearray())
    server.keys.issue("alice")  # what `annotator serve --rotate alice` does
    closed = bytearray()
    assert not await _read_until(tab, "never drawn", closed, timeout=10)  # ends: closed
    assert tab.closed and tab.close_code == 1008  # policy violation: the key was replaced
    assert await _wait_for(lambda: not server.presence.connections())


async def test_a_tab_that_cannot_start_says_why_in_the_browser(served):
    server, client, issued = served  # nobody has tagged yet: review has nothing to compare
    tab = await client.ws_connect(f"/k/{issued['lead']}/ws?width=100&height=30")
    screen = bytearray()
    assert await _read_until(tab, "no annotations to review", screen), \
        _screen_text(bytes(screen))[-2000:]
    await tab.close()
    assert await _wait_for(lambda: not server.presence.connections())


def test_keys_are_random_long_and_stored_only_as_hashes(tmp_path: Path):
    import base64

    keys = KeyStore(tmp_path / ".annotator")
    alice, bob = keys.issue("alice"), keys.issue("bob")
    assert alice != bob
    assert len(base64.urlsafe_b64decode(alice + "=" * (-len(alice) % 4))) * 8 >= 128
    stored = keys.path.read_text()
    assert alice not in stored and bob not in stored
    assert keys.who(alice) == "alice" and keys.who(bob) == "bob"
    assert keys.who(alice.upper()) is None and keys.who("") is None and keys.who(None) is None
    renewed = KeyStore(tmp_path / ".annotator").issue("alice")  # as `serve --rotate alice`
    assert keys.who(alice) is None and keys.who(renewed) == "alice" and keys.who(bob) == "bob"
