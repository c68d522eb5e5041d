"""``workbench``: the desktop app."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
import traceback
import zipfile
from pathlib import Path

from PySide6.QtCore import QLockFile, QSettings
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from workbench import APP_NAME, __version__
from workbench.core.bundles.project_bundle import copy_path_for, open_project_bundle
from workbench.core.errors import WorkbenchError
from workbench.core.paths import PROJECT_SUFFIX, log_dir
from workbench.core.sample import open_default_project
from workbench.core.store.project import Project
from workbench.ui import crashlog
from workbench.ui.commands import shortcuts_markdown
from workbench.ui.session import Session, app_settings, make_application
from workbench.ui.smoke import run_smoke_test

LANGUAGES = ("en", "ar")
log = logging.getLogger("workbench")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Annotate Arabic conflict news. Without a project file, opens your "
        "default project (created on first run with the bundled sample articles).",
    )
    parser.add_argument("project", nargs="?", type=Path, help="project file (.wbproj) to open")
    parser.add_argument("--language", choices=LANGUAGES, help="interface language (remembered)")
    parser.add_argument("--shortcuts", action="store_true", help="print the keyboard shortcuts and exit")
    parser.add_argument(
        "--smoke-test",
        metavar="PATH",
        type=Path,
        help="check that the app works (in a temporary data directory: import a sample article, tag a word, "
        "read it back), save a screenshot of the window to PATH and exit 0, or exit 1 with the reason",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser.parse_args(argv)


def open_project(path: Path | None) -> Project:
    """The default project, a project file, or an annotator's copy made from a project bundle."""
    if path is None:
        return open_default_project()
    if path.suffix.lower() != PROJECT_SUFFIX and zipfile.is_zipfile(path):
        return open_project_bundle(path, copy_path_for(path))
    return Project.open(path)


def setup_logging() -> Path:
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "workbench.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    if not any(isinstance(h, logging.FileHandler) and Path(h.baseFilename) == path for h in root.handlers):
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def lock_project(path: Path, read_only: bool = False) -> QLockFile | None:
    """Refuse a second window on the same project (another process may still read it).

    A project opened read-only in a folder where no lock file can be made (a read-only
    folder or medium) needs none: this window writes nothing. ``None`` then."""
    lock = QLockFile(f"{path}.lock")
    lock.setStaleLockTime(0)  # a lock left by a killed process is stale once its process is gone
    if not lock.tryLock(200):
        if lock.error() != QLockFile.LockError.LockFailedError:  # the lock file could not be made
            if read_only:
                return None
            raise WorkbenchError(
                f"{path.name} cannot be opened for editing: no lock file can be made next to it "
                f"({path.parent} cannot be written). Copy the project to a folder you can write to."
            )
        info = lock.getLockInfo()  # (pid, host, app), after a success flag in some bindings
        pid, host = info[-3], info[-2]
        raise WorkbenchError(
            f"{path.name} is already open in another Workbench window (process {pid} on {host}). "
            "Close that window first; a project is edited in one window at a time."
        )
    return lock


def ask_name(project: Project) -> bool:
    """First run: who is annotating? Stored as the project's current user."""
    if project.current_annotator:
        return True
    name, ok = QInputDialog.getText(
        None,
        APP_NAME,
        QApplication.translate("Session", "Your name (it marks your annotations):"),
        text=getpass.getuser(),
    )
    if not ok or not name.strip():
        return False
    project.set_current_annotator(name.strip())
    return True


def install_excepthook(log_path: Path) -> None:
    def hook(kind, value, tb):
        log.error("unexpected error", exc_info=(kind, value, tb))
        text = "".join(traceback.format_exception_only(kind, value)).strip()
        QMessageBox.critical(
            None,
            APP_NAME,
            QApplication.translate(
                "Session",
                "Something went wrong: %1\n\nNothing was half-saved: "
                "every action is saved whole or not at all. Details are in %2.",
            )
            .replace("%1", text)
            .replace("%2", str(log_path)),
        )

    sys.excepthook = hook


class Controller:
    """The open project of the app: opening another one replaces it (and its lock)."""

    def __init__(self, settings: QSettings):
        self.settings = settings
        self.session: Session | None = None
        self.lock: QLockFile | None = None  # None: a read-only project in a read-only folder

    def open(self, path: Path | None) -> bool:
        try:
            project = open_project(path)
        except WorkbenchError as exc:
            QMessageBox.critical(None, APP_NAME, str(exc))
            return False
        try:
            lock = lock_project(project.path, read_only=not project.writable)
        except WorkbenchError as exc:
            project.close()
            QMessageBox.critical(None, APP_NAME, str(exc))
            return False
        # A read-only or damaged project cannot store a first-run name: the window opens for
        # reading and says so in its title and status bar; the first edit says why and what to do.
        if project.writable and not ask_name(project):
            project.close()
            if lock is not None:
                lock.unlock()
            return False
        previous, previous_lock = self.session, self.lock
        self.session, self.lock = Session(project, self.settings), lock
        self.session.opener = self.open
        self.session.show()
        if previous is not None:
            previous.window.close()
            previous.project.close()
            if previous_lock is not None:
                previous_lock.unlock()
        return True

    def close(self) -> None:
        if self.session is not None:
            self.session.project.close()
            if self.lock is not None:
                self.lock.unlock()
            self.session = None


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.smoke_test:
        return run_smoke_test(args.smoke_test)
    if args.shortcuts:
        print(shortcuts_markdown())
        return 0
    app = make_application()
    log_path = setup_logging()
    crashlog.install(log_path)
    install_excepthook(log_path)
    settings = app_settings()
    if args.language:
        settings.setValue("language", args.language)
    controller = Controller(settings)
    if not controller.open(args.project):
        return 1
    try:
        return app.exec()
    finally:
        controller.close()


if __name__ == "__main__":
    sys.exit(main())
