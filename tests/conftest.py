"""Shared fixtures: every test works in a temporary project, never the user's files."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.project import Project
from tests.factories import make_project


@pytest.fixture(autouse=True)
def _isolated_annotator(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own $ANNOTATOR must not leak into results."""
    monkeypatch.setenv("ANNOTATOR", "tester")


@pytest.fixture(autouse=True)
def _isolated_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The developer's own keys file (~/.config/annotator/keys.yaml) must not either."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return make_project(tmp_path / "project")
