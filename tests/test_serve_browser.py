"""`annotator serve` end to end in headless Chromium: a person's link, keys, a tag on disk.

Drives Debian's chromium (never a downloaded browser) through Playwright, against a real
`annotator serve` process. Skipped, with the reason, where either is missing; CI installs
both (.ci/run).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from annotator.core.project import Project

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytest.importorskip("textual_serve", reason="annotator serve needs the web extra (textual-serve)")
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="no playwright package: pip install playwright")
if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)",
                allow_module_level=True)


def wait_until(condition: Callable[[], bool], timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.fixture
def links(project: Project) -> Iterator[dict[str, str]]:
    server = subprocess.Popen(
        [sys.executable, "-m", "annotator", "--project", str(project.root), "serve",
         "--port", "0", "--users", "alice", "--reviewers", "lead"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines: list[str] = []
        while not any(line.startswith("Ctrl+C") for line in lines):
            line = server.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
        yield dict(re.findall(r"^\s+(\w+)\s.*?(http://\S+)$", "".join(lines), re.M))
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except sync_api.Error as exc:  # e.g. Ubuntu's snap stub in place of a real browser
            pytest.skip(f"Chromium at {CHROMIUM} does not start: {str(exc).splitlines()[0]}")
        yield chromium
        chromium.close()


class Tab:
    """A browser tab on a link; what the app drew is read from the websocket frames it got
    (xterm.js paints on a canvas, so the page itself holds no text)."""

    def __init__(self, browser, url: str, asked: list[str]):
        self.drawn = bytearray()
        self.sockets: list[str] = []
        self.sent: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.page.on("request", lambda request: asked.append(request.url))
        self.page.on("websocket", self._socket)
        self.page.goto(url)
        self.page.wait_for_selector("body.-first-byte", state="attached", timeout=20_000)
        self.page.focus(".xterm-helper-textarea")

    def _socket(self, ws) -> None:
        self.sockets.append(ws.url)
        ws.on("framereceived", self._frame)
        ws.on("framesent", lambda payload: self.sent.append(str(payload)))

    def _frame(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            self.drawn.extend(payload)

    def screen(self) -> str:
        text = bytes(self.drawn).decode("utf-8", "replace")
        return re.sub(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]", "", text)

    def shows(self, text: str) -> bool:
        self.page.wait_for_timeout(100)  # lets Playwright deliver the frames meanwhile
        return text in self.screen()


def test_alice_tags_from_her_link_and_lead_reviews_from_his(project, links, browser):
    asked: list[str] = []
    alice = Tab(browser, links["alice"], asked)
    assert wait_until(lambda: alice.shows("alice")), alice.screen()[-2000:]
    # The page opens its websocket before its terminal is built, and only that one (one
    # tab, one session), at the size the terminal then finds for the window.
    assert len(alice.sockets) == 1, alice.sockets
    fitted = [re.search(r'"width":\s*(\d+),\s*"height":\s*(\d+)', sent) for sent in alice.sent
              if "resize" in sent]
    assert fitted and fitted[0] is not None
    assert alice.sockets[0].endswith("?width={}&height={}".format(*fitted[0].groups()))
    folder = project.annotations_dir / "alice"
    assert wait_until(lambda: any(folder.glob(".*.lock")))  # her article is open
    alice.page.keyboard.press("j")
    alice.page.keyboard.press("f")  # the claim quick key: fact
    assert wait_until(lambda: any("claim: fact" in f.read_text() for f in folder.glob("*.yaml")))

    # Her second tab is a second session: the article she has open is taken, as in a terminal.
    again = Tab(browser, links["alice"], asked)
    assert wait_until(lambda: again.shows("another session")), again.screen()[-2000:]
    again.page.close()
    alice.page.close()  # the tab's process ends with it and lets go of the article
    assert wait_until(lambda: not any(folder.glob(".*.lock")))

    lead = Tab(browser, links["lead"], asked)
    # Review mode: gold beside alice, and review's own keys in the footer.
    assert wait_until(lambda: lead.shows("Unsettled") and "gold" in lead.screen()), \
        lead.screen()[-2000:]
    lead.page.close()

    host = urlsplit(links["alice"]).netloc
    assert asked and all(urlsplit(url).netloc == host for url in asked
                         if not url.startswith("data:")), asked
