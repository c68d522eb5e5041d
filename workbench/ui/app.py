"""``workbench``: the desktop app."""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QLockFile, QSettings
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox

from workbench import APP_NAME, __version__
from workbench.core import recent
from workbench.core.errors import WorkbenchError
from workbench.core.paths import PROJECT_SUFFIX, log_dir
from workbench.core.store.project import Project, is_annotator_copy
from workbench.ui import crashlog
from workbench.ui.session import Session, app_settings, default_language, make_application
from workbench.ui.window_menus import recent_projects, remember_project

LANGUAGES = ("en", "ar")
BUNDLE_SUFFIX, WORK_SUFFIX = ".wbbundle", ".wbwork"  # a project bundle (lead to annotator), a work bundle (back)
log = logging.getLogger("workbench")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Annotate Arabic conflict news. Without a file, opens the project you used last "
        "(or, the first time, your default project, created with the bundled sample articles).",
    )
    parser.add_argument(
        "project",
        nargs="?",
        type=Path,
        help="a project (.wbproj) to open; a project bundle from your lead (.wbbundle) to open as your "
        "copy; or an annotator's work bundle (.wbwork) to import into your last project (or one you choose)",
    )
    parser.add_argument(
        "--language",
        choices=LANGUAGES,
        help="interface language (remembered); with --smoke-test, the language it checks",
    )
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
    """The default project, a project file, or an annotator's copy made from a project bundle.

    A project file opens without the damage check, which reads the whole file (a second on a
    large project): the window runs it on a worker once it is shown, and holds any write until
    it is over (:mod:`workbench.ui.damage_check`)."""
    if path is None:
        from workbench.core.sample import open_default_project  # (the import machinery: first run only)

        return open_default_project()
    if path.suffix.lower() != PROJECT_SUFFIX and _zip_file(path):
        from workbench.core.bundles.project_bundle import open_project_bundle

        return open_project_bundle(path, copy_path_for(path))
    return Project.open(path, check=False)


def _zip_file(path: Path) -> bool:
    """Whether ``path`` is a zip (a project bundle under another name); asked of a file that is
    not named as a project, so zipfile is not imported at every start."""
    import zipfile

    return zipfile.is_zipfile(path)


def copy_path_for(bundle: Path) -> Path:
    """Where the annotator's copy made from ``bundle`` lives by default (read from its manifest;
    the bundle machinery is imported here, when a bundle is opened, not at every start)."""
    from workbench.core.bundles import project_bundle

    return project_bundle.copy_path_for(bundle)


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
    """First run: who is annotating? Stored as the project's current user. (In the interface
    language: the app installs it before any dialog, :class:`StartLanguage`.)"""
    import getpass  # (the first run only)

    if project.current_annotator:
        return True
    name, ok = QInputDialog.getText(
        None,
        QApplication.translate("Session", "Who is annotating?"),
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


class StartLanguage:
    """The interface language before a project's window exists: the first-run name dialog and
    the error boxes of the start speak it too. The session's own code installs the translators;
    the session installs its own when it starts, and these are then removed."""

    apply_language = Session.apply_language

    def __init__(self, settings: QSettings):
        self.translators: list = []
        self.apply_language(str(settings.value("language", default_language())))

    def release(self) -> None:
        app = QApplication.instance()
        for translator in self.translators:
            app.removeTranslator(translator)
        self.translators = []


class Controller:
    """The open project of the app: opening another one replaces it (and its lock).

    What it opens: a project file; a project bundle (the annotator's copy, made or brought up
    to date as ``workbench-cli bundle open`` does); a work bundle (imported into the lead's
    project, as ``workbench-cli bundle import`` does, through the Team panel); nothing (the
    project used last, else the default project). Each project opened joins the user's
    recent-projects list (File → Open Recent)."""

    def __init__(self, settings: QSettings):
        self.settings = settings
        self.session: Session | None = None
        self.lock: QLockFile | None = None  # None: a read-only project in a read-only folder
        self.language: StartLanguage | None = None

    def start(self, path: Path | None) -> bool:
        """The app's start: ``workbench [FILE]``, in the remembered (or given) language."""
        self.language = StartLanguage(self.settings)
        return self.open(path)

    def open(self, path: Path | None) -> bool:
        path = Path(path) if path is not None else None
        if path is not None and path.suffix.lower() == WORK_SUFFIX:
            return self.import_work_bundle(path)
        note = None
        if path is None:
            path, missing = recent.last_project(recent_projects(self.settings))
            if missing is not None:
                note = QApplication.translate(
                    "Session", "The project you used last, %1, is no longer there; opened your default project."
                ).replace("%1", str(missing))
        try:
            suffix = path.suffix.lower() if path is not None else ""
            if path is not None and (suffix == BUNDLE_SUFFIX or (suffix != PROJECT_SUFFIX and _zip_file(path))):
                project = self._open_bundle(path)
                if project is None:
                    return False
            else:
                project = open_project(path)
        except WorkbenchError as exc:
            QMessageBox.critical(None, APP_NAME, str(exc))
            return False
        if not self._show(project):
            return False
        if note is not None:
            self.session.window.statusBar().showMessage(note, 15000)
        return True

    def _show(self, project: Project) -> bool:
        if self.session is not None and recent.resolved(self.session.project.path) == recent.resolved(project.path):
            # the open project again (a newer project bundle of the copy in the window): its
            # window gives way, and its lock, which the new window takes
            self.session.window.close()
            self.close()
        try:
            lock = lock_project(project.path, read_only=not project.writable)
        except WorkbenchError as exc:
            project.close()
            QMessageBox.critical(None, APP_NAME, str(exc))
            return False
        # A read-only or damaged project cannot store a first-run name: the window opens for
        # reading and says so in its title and status bar; the first edit says why and what to do.
        if project.writable and not project.current_annotator and not project.checked:
            project.quick_check()  # (the first run: the name is written into a file known sound)
        if project.writable and not ask_name(project):
            project.close()
            if lock is not None:
                lock.unlock()
            return False
        previous, previous_lock = self.session, self.lock
        self.session, self.lock = Session(project, self.settings), lock
        if self.language is not None:  # the session speaks the language now
            self.language.release()
            self.language = None
        self.session.opener = self.open
        remember_project(self.settings, project.path)
        self.session.show(rest_after_paint=True)  # (the article first: MainWindow)
        if previous is not None:
            previous.window.close()
            previous.project.close()
            if previous_lock is not None:
                previous_lock.unlock()
        return True

    # --- bundles ---------------------------------------------------------------------------

    def _open_bundle(self, bundle: Path) -> Project | None:
        """The annotator's copy made from (or brought up to date by) a project bundle, as
        ``workbench-cli bundle open`` does: where to keep a new copy is asked (the data
        directory by default); a bundle signed by another key than the pinned one is refused
        unless the fingerprint the lead reads out is typed. ``None``: not opened (said why)."""
        from workbench.core.bundles.project_bundle import key_report, open_project_bundle
        from workbench.core.store import documents

        target = copy_path_for(bundle)  # (reads the manifest: a bad bundle is refused here)
        created = not target.exists()
        if created:
            chosen, _ = QFileDialog.getSaveFileName(
                None,
                QApplication.translate("Session", "Where to keep your copy of the project"),
                str(target),
                QApplication.translate("Session", "Projects (*.wbproj)"),
                options=QFileDialog.Option.DontConfirmOverwrite,
            )
            if not chosen:
                return None
            target = Path(chosen)
            if target.suffix.lower() != PROJECT_SUFFIX:
                target = target.with_name(target.name + PROJECT_SUFFIX)
            created = not target.exists()
        repin: str | None = None
        while True:
            try:
                project = open_project_bundle(bundle, target, repin=repin)
                break
            except WorkbenchError as exc:
                # The lead's key changed: the core's sentence says so, and the fingerprint the
                # lead reads out accepts the new key (the CLI's --repin).
                if "--repin" not in str(exc) and repin is None:
                    raise
                fingerprint, ok = QInputDialog.getText(
                    None,
                    QApplication.translate("Session", "Your lead's new key"),
                    str(exc).split(" If your lead reads", 1)[0]
                    + "\n\n"
                    + QApplication.translate(
                        "Session", "If your lead reads you the new fingerprint, type it here to accept the new key:"
                    ),
                )
                if not ok or not fingerprint.strip():
                    return None
                repin = fingerprint
        keys = key_report(project)
        lines = [
            QApplication.translate("Session", "Your copy is %1: %2 documents for %3.")
            .replace("%1", str(project.path))
            .replace("%2", str(documents.count(project.db)))
            .replace("%3", project.current_annotator or "")
        ]
        if keys.get("lead"):
            lines.append(
                (
                    QApplication.translate(
                        "Session", "Your lead's key: %1. Compare it with the fingerprint your lead reads you."
                    )
                    if created or repin
                    else QApplication.translate("Session", "Your lead's key: %1.")
                ).replace("%1", keys["lead"])
            )
        if keys.get("own"):
            lines.append(
                QApplication.translate(
                    "Session", "Your key: %1 (read it to your lead when they import your first work bundle)."
                ).replace("%1", keys["own"])
            )
        QMessageBox.information(None, APP_NAME, "\n".join(lines))
        return project

    def import_work_bundle(self, bundle: Path) -> bool:
        """Import an annotator's work bundle into the lead's project (the one used last, or the
        one asked for), as ``workbench-cli bundle import`` does: through the Team panel, in the
        background, with its report."""

        current = self.session.project.path if self.session is not None else None
        target, _missing = recent.last_project(recent_projects(self.settings))
        for attempt in range(2):
            if target is None or attempt:
                chosen, _ = QFileDialog.getOpenFileName(
                    None,
                    QApplication.translate("Session", "The lead's project to import %1 into").replace(
                        "%1", bundle.name
                    ),
                    str(target.parent if target else ""),
                    QApplication.translate("Session", "Projects (*.wbproj)"),
                )
                if not chosen:
                    return False
                target = Path(chosen)
            same = current is not None and recent.resolved(current) == recent.resolved(target)
            if not same and not self.open(target):
                return False
            assert self.session is not None and self.session.window is not None
            if not is_annotator_copy(self.session.project):
                break
            QMessageBox.warning(
                None,
                APP_NAME,
                QApplication.translate(
                    "Session", "%1 is an annotator's copy: a work bundle is imported into the lead's project."
                ).replace("%1", self.session.project.path.name),
            )
        else:
            return False
        window = self.session.window
        window.team_dock.show()
        window.team_dock.raise_()
        window.team.import_work([str(bundle)])
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
        from workbench.ui.smoke import run_smoke_test

        return run_smoke_test(args.smoke_test, language=args.language or "en")
    if args.shortcuts:
        from workbench.ui.commands import shortcuts_markdown

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
    if not controller.start(args.project):
        return 1
    try:
        return app.exec()
    finally:
        controller.close()


if __name__ == "__main__":
    sys.exit(main())
