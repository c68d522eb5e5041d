"""Test setup: no display needed, no user data touched, real files on disk."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

# Set before anything imports Qt: GUI tests run on the offscreen platform, so
# CI needs no display. A developer can still run them on a real screen with
# QT_QPA_PLATFORM=xcb.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Keep the suite away from the user's real data directory and terminal setting.
os.environ["WORKBENCH_HOME"] = tempfile.mkdtemp(prefix="workbench-home-")
os.environ.pop("WORKBENCH_DB", None)
os.environ.pop("WORKBENCH_BIDI", None)

import pytest

from workbench.core.store.project import Project
from workbench.resources import sample_corpus_files


@pytest.fixture
def corpus_files() -> list[Path]:
    files = sample_corpus_files()
    assert len(files) == 5
    return files


@pytest.fixture
def corpus_texts(corpus_files) -> dict[str, str]:
    return {f.stem: f.read_text(encoding="utf-8") for f in corpus_files}


@pytest.fixture
def project_path(tmp_path) -> Path:
    return tmp_path / "test.wbproj"


@pytest.fixture
def project(project_path):
    project = Project.create(project_path, name="test")
    yield project
    project.close()


def _snapshot(path: Path) -> list[str]:
    conn = sqlite3.connect(str(path))
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def snapshot():
    """Everything in a project file, as SQL: equal snapshots mean nothing changed."""
    return _snapshot


@pytest.fixture(autouse=True)
def dialogs(monkeypatch):
    """Message boxes never block a test: they are recorded here, as (kind, text)."""
    shown: list[tuple[str, str]] = []
    try:
        from PySide6.QtWidgets import QMessageBox
    except ImportError:  # pragma: no cover - Qt is a dependency
        return shown
    for kind in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(
            QMessageBox, kind, lambda *args, _kind=kind, **kwargs: shown.append((_kind, str(args[2]))) or 0
        )
    return shown


@pytest.fixture(autouse=True)
def plain_language():
    """Each test starts in English, left to right: a session a test switched to Arabic leaves
    its translators installed on the one QApplication of the process."""
    yield
    import sys

    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import Qt, QTranslator
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    for translator in app.findChildren(QTranslator):
        app.removeTranslator(translator)
    app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
