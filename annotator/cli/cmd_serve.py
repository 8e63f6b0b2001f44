"""`annotator serve`: the editor and review in a browser, one personal link per person.

Everything that can be wrong is checked before the port is bound, and the port is bound
before any link is printed: a refused start leaves nothing listening and no key spent.
The web part (annotator/web) needs the optional `web` extra; without it this command
says how to install it.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

from annotator.cli import COMMANDS, annotator_names, project_root
from annotator.cli.output import say
from annotator.core.errors import AnnotatorError, Problem, UsageError
from annotator.core.project import Project
from annotator.core.review import DEFAULT_REVIEWER
from annotator.core.store import check_annotator_name
from annotator.web.keys import KEYS_FILE, KeyStore

DEFAULT_PORT = 8000
_INSTALL_HINT = ("annotator serve needs the optional web extra (textual-serve and aiohttp): "
                 "pip install 'annotator[web]'  (from a checkout: pip install -e '.[web]')")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser):
    sub = subparsers.add_parser(
        "serve", parents=[common], help=COMMANDS["serve"],
        description="Serve the editor (and review mode for reviewers) to browsers. Each "
        "person gets a personal link with a random key, printed once; the key alone decides "
        "who the tab is. Each browser tab runs its own session, which ends with the tab. "
        "Binds 127.0.0.1 unless told otherwise. See docs/serve.md.")
    sub.add_argument("--users", type=annotator_names, default=[], metavar="A,B,...",
                     help="annotators: each gets the editor under their own name")
    sub.add_argument("--reviewers", type=annotator_names, default=[], metavar="A,B,...",
                     help=f"reviewers: each gets review mode, settling into {DEFAULT_REVIEWER}/")
    sub.add_argument("--host", default="127.0.0.1",
                     help="address to listen on (default: 127.0.0.1, this machine only)")
    sub.add_argument("--port", type=int, default=DEFAULT_PORT,
                     help=f"port to listen on (default: {DEFAULT_PORT}; 0 picks a free one)")
    sub.add_argument("--public-url", metavar="URL",
                     help="the address browsers use (needed for any --host other than "
                     "loopback; https://... when a reverse proxy adds TLS)")
    sub.add_argument("--rotate", metavar="NAME",
                     help="replace NAME's key, print their new link and exit (a running "
                     "server refuses the old key at once)")
    return sub


def run(args: argparse.Namespace) -> int:
    try:
        from annotator.web.server import REVIEWER  # noqa: F401 - the extra is installed
    except ImportError as exc:
        raise UsageError(_INSTALL_HINT) from exc
    root = project_root(args)
    if args.rotate is not None:
        return rotate(args, root)
    people = served_people(args.users, args.reviewers)
    public_url = choose_public_url(args.host, args.port, args.public_url)  # checks --host too
    project = Project(root)
    check_project(project)
    sock = bind(args.host, args.port)
    try:
        if args.public_url is None and args.port == 0:
            public_url = base_url(args.host, sock.getsockname()[1])
        return serve(project, people, public_url, sock, args.host)
    finally:
        sock.close()


def served_people(users: list[str], reviewers: list[str]) -> dict[str, str]:
    from annotator.web.server import ANNOTATOR, REVIEWER

    if not users and not reviewers:
        raise UsageError("say who may connect: --users alice,bob (and/or --reviewers lead)")
    for name in [*users, *reviewers]:
        check_annotator_name(name)
    both = sorted(set(users) & set(reviewers))
    if both:
        raise UsageError(f"{', '.join(both)}: named in both --users and --reviewers; "
                         "a person is either an annotator or a reviewer here")
    if DEFAULT_REVIEWER in users:
        raise UsageError(f"{DEFAULT_REVIEWER!r} is where reviewers settle tags, not an annotator; "
                         "choose another name in --users")
    people = {name: ANNOTATOR for name in users}
    people.update({name: REVIEWER for name in reviewers})
    return people


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def base_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def choose_public_url(host: str, port: int, public_url: str | None) -> str:
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port}: a port is a number from 0 to 65535")
    if public_url is None:
        if not is_loopback(host):
            raise UsageError(
                f"--host {host} lets other machines connect: give --public-url too, the address "
                "their browsers use (http://server.example:8000, or https://... behind a "
                "reverse proxy that adds TLS); the page's websocket address is built from it")
        return base_url(host, port)
    parts = urlsplit(public_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise UsageError(f"--public-url {public_url}: give an http:// or https:// address "
                         "with a host and no query, e.g. https://annotate.example.org")
    return public_url.rstrip("/")


def check_project(project: Project) -> None:
    """Serve only a project that validates: a browser user cannot fix labels.yaml."""
    from annotator.core.validate import validate_project

    report = validate_project(project)
    problems = report.all_problems
    if problems:
        shown = problems[:10]
        more = f" (and {len(problems) - len(shown)} more)" if len(problems) > len(shown) else ""
        raise AnnotatorError(shown, hint=f"the project does not validate{more}; fix it first "
                             "(`annotator validate` lists every problem); nothing is served")
    if report.hint:  # no labels.yaml at all
        raise UsageError(Problem(project.labels_path, "no project here"), hint=report.hint)


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} on {host} is already in use (another server?); "
                             "choose another with --port, or --port 0 for any free one") from exc
        if exc.errno == errno.EACCES:
            raise UsageError(f"not allowed to listen on port {port}; "
                             "ports below 1024 need root, so choose --port 1024 or above") from exc
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def keys_out_of_git(root: Path) -> str | None:
    """Add the keys file to the project's .gitignore if nothing there covers it; say what we did."""
    path = root / ".gitignore"
    entry = f"/.annotator/{KEYS_FILE}"
    if not path.exists():
        return (f"note: no .gitignore here; keep .annotator/{KEYS_FILE} (key hashes) "
                "out of version control")
    covering = {".annotator", ".annotator/", "/.annotator", "/.annotator/", ".annotator/*",
                "/.annotator/*", entry, entry.lstrip("/")}
    text = path.read_text(encoding="utf-8", errors="replace")
    if any(line.strip() in covering for line in text.splitlines()):
        return None
    with path.open("a", encoding="utf-8") as handle:
        handle.write(("" if text.endswith("\n") or not text else "\n") + entry + "\n")
    return f"added {entry} to .gitignore (key hashes stay out of git)"


def rotate(args: argparse.Namespace, root: Path) -> int:
    name = check_annotator_name(args.rotate)
    public_url = choose_public_url(args.host, args.port, args.public_url)
    project = Project(root)
    _ = project.schema  # a folder without a valid labels.yaml is no project to serve
    key = KeyStore(project.state_dir).issue(name)
    say(f"new key for {name}; the old one no longer works, and a tab open with it is closed.")
    say(f"  {name}  {public_url}/k/{key}")
    say("This link is shown once: give it to that person only.")
    note = keys_out_of_git(project.root)
    if note:
        say(note)
    return 0


def serve(project: Project, people: dict[str, str], public_url: str, sock: socket.socket,
          host: str) -> int:
    from annotator.web.server import REVIEWER, AnnotatorServer

    keys = KeyStore(project.state_dir)
    known = keys.hashes()
    say(f"annotator serve: {project.root.resolve()} on {public_url}")
    width = max(len(name) for name in people)
    for name, role in people.items():
        what = "review mode" if role == REVIEWER else "editor"
        if name in known:
            say(f"  {name:<{width}}  {what}; link issued earlier, not shown again "
                f"(new one: annotator serve --rotate {name})")
        else:
            key = keys.issue(name)
            say(f"  {name:<{width}}  {what}  {public_url}/k/{key}")
    if len(known) < len(people):
        say("Each new link is shown only this once: give it to that person only.")
    note = keys_out_of_git(project.root)
    if note:
        say(note)
    if not is_loopback(host):
        say(f"warning: listening on {host}: traffic is NOT encrypted (plain http and ws) unless "
            "a reverse proxy in front of this server adds TLS; the links carry the keys.")
    say("Ctrl+C stops the server and every session (their tags are already saved).")
    sys.stdout.flush()  # the links must reach a pipe or log file before the server blocks
    server = AnnotatorServer(project.root.resolve(), people, keys, public_url=public_url)
    server.serve_on(sock)
    return 0
