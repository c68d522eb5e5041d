"""The app's Qt setup and one open project's session: used by the app (``ui/app.py``) and by its
smoke test (``ui/smoke.py``), which ``app`` runs, so neither imports the other for these."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QSettings, Qt, QTranslator
from PySide6.QtGui import QGuiApplication, QIcon, QUndoStack
from PySide6.QtWidgets import QApplication

from workbench import APP_ID, APP_NAME, __version__
from workbench.core.paths import data_dir
from workbench.core.store.project import Project
from workbench.resources import resource_path
from workbench.ui.fonts import interface_font, register_fonts
from workbench.ui.main_window import MainWindow

log = logging.getLogger("workbench")


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


def app_settings() -> QSettings:
    """Window preferences (zoom, language, last document) beside the user's projects."""
    return QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat)


def default_language() -> str:
    return "ar" if QLocale.system().language() == QLocale.Language.Arabic else "en"


class Session(QObject):
    """One open project in the app: its lock, its undo history, its window (rebuilt when the
    language changes, keeping the undo history)."""

    def __init__(self, project: Project, settings: QSettings):
        super().__init__()
        self.project = project
        self.settings = settings
        self.undo_stack = QUndoStack(self)
        self.translators: list[QTranslator] = []
        self.window: MainWindow | None = None
        # called with a path when the window asks to open another project
        self.opener: Callable[[Path], object] | None = None
        self.apply_language(str(settings.value("language", default_language())))

    def show(self, *, rest_after_paint: bool = False) -> MainWindow:
        """Build and show the window (again, after a change of language). ``rest_after_paint``:
        what its first paint does not show is built just after that paint (the app's start:
        :class:`MainWindow`)."""
        old = self.window
        self.window = MainWindow(self.project, self.settings, self.undo_stack, rest_after_paint=rest_after_paint)
        self.window.languageRequested.connect(self.switch_language)
        if self.opener is not None:
            self.window.openRequested.connect(lambda path: self.opener(Path(path)))
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.window.restoreGeometry(geometry)
        self.window.show()
        if old is not None:
            old.close()
            old.deleteLater()
        return self.window

    def apply_language(self, language: str) -> None:
        app = QApplication.instance()
        for translator in self.translators:
            app.removeTranslator(translator)
        self.translators = []
        if language == "ar":
            for name, folder in (
                ("qtbase_ar", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
                ("workbench_ar", str(resource_path("assets", "translations"))),
            ):
                translator = QTranslator(app)
                if translator.load(name, folder):
                    app.installTranslator(translator)
                    self.translators.append(translator)
                else:
                    log.warning("translation %s not found in %s", name, folder)
        app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if language == "ar" else Qt.LayoutDirection.LeftToRight)
        self.language = language

    def switch_language(self, language: str) -> None:
        if language == getattr(self, "language", None):
            return
        self.settings.setValue("language", language)
        self.apply_language(language)
        self.show()
