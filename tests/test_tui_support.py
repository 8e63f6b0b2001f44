"""Helpers for the TUI tests (no tests here): waiting with a limit, reading the screen and disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from time import monotonic
from typing import Any

import yaml
from textual.pilot import Pilot

from annotator.core.project import Project
from annotator.tui.app import AnnotatorApp, make_app

ANNOTATOR = "tester"


async def wait_for(pilot: Pilot[Any], condition: Callable[[], object], what: str,
                   timeout: float = 5.0) -> None:
    """Let the app run until condition() is true; fail naming what was awaited."""
    deadline = monotonic() + timeout
    while not condition():
        if monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await pilot.pause(0.01)


def screen_text(app: AnnotatorApp) -> str:
    """What the terminal shows, as plain text lines."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def notifications(app: AnnotatorApp) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


def app_for(project: Project) -> AnnotatorApp:
    return make_app(project, ANNOTATOR)


def first_id(project: Project) -> str:
    return project.corpus.ids()[0]


def doc_path(project: Project, article_id: str | None = None) -> Path:
    return project.store.path(ANNOTATOR, article_id or first_id(project))


def saved(project: Project, article_id: str | None = None) -> dict[int, dict[str, Any]]:
    """The sentences on disk for the tester, by index (read from the file, not from memory)."""
    path = doc_path(project, article_id)
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {entry["index"]: entry for entry in data.get("sentences") or []}
