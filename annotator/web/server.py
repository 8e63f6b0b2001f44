"""The web server of `annotator serve`: textual-serve's Server and AppService, behind keys.

textual-serve runs one command for everybody and lets anyone in. This subclass keeps its
app service (one process per websocket, the byte protocol, resizes) and its message loop,
and changes only the edges: the page and the websocket live under the person's key
(`/k/<key>`, `/k/<key>/ws`), the key alone picks the command (the editor as that
annotator, or review mode), a request without a valid key gets a plain 403 before any
process starts, and the page is our own template that loads nothing from elsewhere.
Each tab's process is one started before the tab, its imports done (spare.py).
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import logging
import mimetypes
import shlex
import socket
import sys
from asyncio.subprocess import Process
from collections.abc import Mapping, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
import textual_serve
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from annotator.web.keys import KeyStore
from annotator.web.presence import Presence
from annotator.web.spare import Spares

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(textual_serve.__file__).parent / "static"
STATIC_VERSION = version("textual-serve")  # in asset URLs: a new version is a new URL
STATIC_MAX_AGE_S = 7 * 24 * 3600
REVIEWER, ANNOTATOR = "reviewer", "annotator"
_EXIT_GRACE_S = 5.0  # after the tab closes, time for the app to save and quit by itself
_KEY_CHECK_S = 2.0  # how often an open tab's key is checked against the keys file
FRAME_BYTES = 1000  # a first frame is more; the escape codes an app sends before it are less

log = logging.getLogger("annotator.serve")

_REFUSED_PAGE = (
    "403 Forbidden\n\n"
    "This address needs a personal link with a valid key.\n"
    "Ask the person who runs the server for yours (or for a new one, if it was replaced).\n"
)


async def _unused(*_args: object) -> None:
    """Where a service that never runs would send its output."""


def websocket_base(public_url: str) -> str:
    """http://host:port/prefix -> ws://host:port/prefix (https -> wss)."""
    scheme, rest = public_url.split(":", 1)
    return ("wss:" if scheme == "https" else "ws:") + rest


class Asset(NamedTuple):
    body: bytes
    gzipped: bytes
    content_type: str
    etag: str


def load_asset(path: Path) -> Asset:
    """A static file, read once and gzipped once: textual.js is half a megabyte, a quarter
    of that gzipped, and every tab asks for it."""
    body = path.read_bytes()
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Asset(body, gzip.compress(body, 6, mtime=0), content_type,
                 '"' + hashlib.sha256(body).hexdigest()[:20] + '"')


class TabService(AppService):
    """textual-serve's app service, with the process taken from the spares instead of a shell."""

    def __init__(self, argv: Sequence[str], spares: Spares, **kwargs: Any):
        super().__init__(shlex.join(argv), **kwargs)
        self.argv = list(argv)
        self.spares = spares
        self._drawn = False

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        self._process = process = await self.spares.take(
            self.argv, {"COLUMNS": str(width), "ROWS": str(height)})
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def on_data(self, payload: bytes) -> None:
        await super().on_data(payload)
        if not self._drawn and len(payload) >= FRAME_BYTES:
            self._drawn = True  # the person sees the app: the next spare may use the processor
            self.spares.tab_drawn()


class AnnotatorServer(Server):
    def __init__(self, root: Path, people: Mapping[str, str], keys: KeyStore, *,
                 public_url: str, python: str = sys.executable):
        super().__init__(command="annotator", title="annotator", public_url=public_url.rstrip("/"),
                         statics_path=STATIC, templates_path=TEMPLATES)
        self.root = root
        self.people = dict(people)  # name -> ANNOTATOR or REVIEWER
        self.keys = keys
        self.python = python
        self.presence = Presence(log.info)
        self.sessions_started = 0
        self._sockets: set[web.WebSocketResponse] = set()
        self._prefix = urlsplit(self.public_url).path.rstrip("/")
        self._assets: dict[str, Asset] = {}
        # The environment textual-serve gives an app; each tab adds its own size.
        environment = AppService("", write_bytes=_unused, write_str=_unused, close=_unused,
                                 download_manager=self.download_manager)._build_environment()
        self.spares = Spares(python, environment)

    # ----- who is asking ----------------------------------------------------------------
    def person(self, request: web.Request, asked: str) -> str | None:
        """The name behind the key in the path, if it is one of the people served."""
        key = request.match_info.get("key")
        try:
            name = self.keys.who(key)
        except Exception as exc:  # noqa: BLE001 - a broken keys file refuses everyone, loudly
            self.presence.refused(request.remote, asked, f"keys file unreadable ({exc})")
            return None
        if name is None:
            self.presence.refused(request.remote, asked, "no key" if not key else "unknown key")
        elif name not in self.people:
            self.presence.refused(request.remote, asked, f"{name} is not served this time")
            return None
        return name

    def command_for(self, name: str) -> list[str]:
        """`annotator` arguments: the editor as `name`, or review mode (into gold, as
        `annotator review`) for a reviewer."""
        command = ["--project", str(self.root)]
        if self.people[name] == REVIEWER:
            command.append("review")
        else:
            command += ["--annotator", name]
        return command

    # ----- routes -----------------------------------------------------------------------
    async def _make_app(self) -> web.Application:
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path),
                             autoescape=True)
        app.add_routes([
            web.get("/", self.handle_refused),
            web.get("/k/{key}", self.handle_index, name="index"),
            web.get("/k/{key}/ws", self.handle_websocket, name="websocket"),
            web.get("/static/{path:.+}", self.handle_static, name="static"),
            web.get("/{anything:.*}", self.handle_refused),  # any other path: no key either
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    def refuse(self) -> web.Response:
        return web.Response(status=403, text=_REFUSED_PAGE, content_type="text/plain",
                            headers={"Cache-Control": "no-store"})

    async def handle_refused(self, request: web.Request) -> web.Response:
        self.presence.refused(request.remote, "the page", "no key")
        return self.refuse()

    async def handle_static(self, request: web.Request) -> web.Response:
        """textual-serve's public files (script, stylesheet, fonts): gzipped where the browser
        takes it, and cached by the browser, so a reopened tab loads nothing again."""
        wanted = request.match_info["path"]
        asset = self._assets.get(wanted)
        if asset is None:
            root = Path(self.statics_path).resolve()
            path = (root / wanted).resolve()
            if not path.is_relative_to(root) or not path.is_file():
                raise web.HTTPNotFound()
            asset = self._assets[wanted] = load_asset(path)
        headers = {"ETag": asset.etag, "Vary": "Accept-Encoding",
                   "Cache-Control": f"public, max-age={STATIC_MAX_AGE_S}"}
        if request.headers.get("If-None-Match") == asset.etag:
            return web.Response(status=304, headers=headers)
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            headers["Content-Encoding"] = "gzip"
            return web.Response(body=asset.gzipped, content_type=asset.content_type,
                                headers=headers)
        return web.Response(body=asset.body, content_type=asset.content_type, headers=headers)

    async def handle_index(self, request: web.Request) -> web.Response:  # type: ignore[override]
        name = self.person(request, "the page")
        if name is None:
            return self.refuse()
        key = request.match_info["key"]
        websocket_url = f"{websocket_base(self.public_url)}/k/{key}/ws"
        ws_origin = "/".join(websocket_url.split("/", 3)[:3])
        context: dict[str, Any] = {
            "title": f"annotator: {name}" + (" (review)" if self.people[name] == REVIEWER else ""),
            "static_url": f"{self._prefix}/static/",
            "static_version": STATIC_VERSION,
            "websocket_url": websocket_url,
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
        }
        response = aiohttp_jinja2.render_template("page.html", request, context)
        response.headers.update({
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
            # The browser itself refuses anything from another host.
            "Content-Security-Policy": (
                "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
                f"connect-src 'self' {ws_origin}; frame-ancestors 'none'; base-uri 'none'"),
        })
        return response

    async def handle_websocket(  # type: ignore[override]  # a 403 is no websocket
            self, request: web.Request) -> web.StreamResponse:
        """As textual-serve's, with the key checked first and the command chosen by it."""
        name = self.person(request, "a session")
        if name is None:
            return self.refuse()
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        self._sockets.add(websocket)
        service = TabService(self.command_for(name), self.spares,
                             write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                             close=websocket.close, download_manager=self.download_manager)
        ident = self.presence.opened(name, self.people[name], request.remote)
        watch = asyncio.create_task(self._watch_key(request.match_info["key"], name, websocket))
        try:
            self.sessions_started += 1
            await service.start(width, height)
            try:
                await self._process_messages(websocket, service)
            finally:
                await service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # noqa: BLE001 - one tab's failure must not stop the server
            log.exception(error)
        finally:
            watch.cancel()
            await service.stop()
            await self._end_process(service)
            self._sockets.discard(websocket)
            self.presence.closed(ident)
            self.spares.tab_ended()
        return websocket

    async def _watch_key(self, key: str, name: str, websocket: web.WebSocketResponse) -> None:
        """A key replaced by --rotate ends the tabs opened with it (they quit and save)."""
        while not websocket.closed:
            await asyncio.sleep(_KEY_CHECK_S)
            try:
                still = self.keys.who(key) == name
            except Exception:  # noqa: BLE001 - an unreadable keys file vouches for nobody
                still = False
            if not still:
                log.info("%s's key was replaced: closing that tab", name)
                await websocket.close(code=WSCloseCode.POLICY_VIOLATION, message=b"key replaced")
                return

    async def _end_process(self, service: AppService) -> None:
        """The tab is gone: give the app time to save and quit, then make sure it has."""
        process = service._process  # textual-serve keeps it private and never waits for it
        if process is None or process.returncode is not None:
            return
        try:
            await asyncio.wait_for(process.wait(), _EXIT_GRACE_S)
        except TimeoutError:
            log.warning("a session did not quit within %.0f s; stopping it", _EXIT_GRACE_S)
            process.terminate()
            await process.wait()

    async def on_startup(self, app: web.Application) -> None:
        self.spares.fill()  # in the background: the server answers meanwhile

    async def on_shutdown(self, app: web.Application) -> None:
        """Ctrl+C: close every tab's websocket, which quits its app the usual way."""
        await self.spares.stop()
        for websocket in list(self._sockets):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")

    # ----- running ----------------------------------------------------------------------
    def initialize_logging(self) -> None:
        """Plain timestamped lines (a log file reads them too); no access log, it holds keys."""
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", datefmt="%H:%M:%S"))
        for name in ("annotator.serve", "textual-serve"):
            logger = logging.getLogger(name)
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)
            logger.propagate = False

    def serve_on(self, sock: socket.socket) -> None:
        """Serve on a socket the caller has bound (so a busy port fails before any output)."""
        self.initialize_logging()
        web.run_app(self._make_app(), sock=sock, access_log=None, print=None,
                    handle_signals=True, shutdown_timeout=_EXIT_GRACE_S + 2)
