"""Shared fixtures: every test works in a temporary project, never the user's files."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from annotator.core.project import Project
from tests.factories import make_project

try:  # property tests keep their notes in the temp folder, not as .hypothesis/ in the repo
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "annotator-tests-hypothesis")
except ImportError:  # pragma: no cover - hypothesis is in the test extra
    pass


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
