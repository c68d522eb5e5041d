"""``workbench``: the desktop app."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from .. import APP_ID, APP_NAME, __version__
from ..core.errors import WorkbenchError
from ..core.project import Project
from ..core.sample import open_default_project
from ..resources import resource_path
from .fonts import interface_font, register_fonts
from .main_window import MainWindow


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Annotate Arabic conflict news. Without a project file, opens your "
        "default project (created on first run with the bundled sample articles).",
    )
    parser.add_argument("project", nargs="?", type=Path, help="project file (.wbproj) to open")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser.parse_args(argv)


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with the app's identity, icon and fonts (reused if one exists)."""
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    QGuiApplication.setDesktopFileName(APP_ID)
    app.setWindowIcon(QIcon(str(resource_path("assets", "icons", "workbench.svg"))))
    register_fonts()
    app.setFont(interface_font())
    return app


def open_project(path: Path | None) -> Project:
    return Project.open(path) if path else open_default_project()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    app = make_application()
    try:
        project = open_project(args.project)
    except WorkbenchError as exc:
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 1
    window = MainWindow(project)
    window.show()
    try:
        return app.exec()
    finally:
        project.close()


if __name__ == "__main__":
    sys.exit(main())
