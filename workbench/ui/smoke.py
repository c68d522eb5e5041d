"""``workbench --smoke-test PATH``: prove that an installed or frozen app really works.

In a throw-away data directory (a temporary ``WORKBENCH_HOME``) it checks that
the shipped resources are found (fonts, icon, translations, sample corpus),
imports one sample article into a new project, tags a word the way a user does
(select it in the article view, press the label's key), reads the span back
from the project file, saves a screenshot of the window to ``PATH`` and exits
0. Any failure exits 1 with the reason on stderr. Without a display it runs on
Qt's offscreen platform.

It is what ``packaging/build.sh`` runs on the frozen bundle, and what the tests
run from the source tree.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

#: An article of the sample corpus and the words tagged in it; any article works if it is missing.
ARTICLE = "002_af682284de1024ff"
WORDS = "خليفة حفتر"
TIMEOUT = 120.0  # seconds


class SmokeFailure(Exception):
    """A check of the smoke test failed; the message says which and why."""


def needs_offscreen(environ=os.environ, platform: str = sys.platform) -> bool:
    """No display to draw on (a Linux server, CI): use Qt's offscreen platform."""
    if environ.get("QT_QPA_PLATFORM"):
        return False
    if platform.startswith("linux") or "bsd" in platform:
        return not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))
    return False


def run_smoke_test(path: str | os.PathLike, language: str = "en") -> int:
    """Run the smoke test in the interface ``language`` (``workbench --language ar --smoke-test``:
    translated and right to left), write the screenshot to ``path``; 0 on success, 1 with the
    reason on stderr."""
    if needs_offscreen():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    target = Path(path).resolve()
    home = Path(tempfile.mkdtemp(prefix="workbench-smoke-"))
    saved_home = os.environ.get("WORKBENCH_HOME")
    os.environ["WORKBENCH_HOME"] = str(home)
    started = time.monotonic()
    # Never hang a build or a test run: give up after a generous time.
    deadline = threading.Timer(TIMEOUT, _give_up)
    deadline.daemon = True
    deadline.start()
    try:
        report = _run(target, home, language)
    except SmokeFailure as exc:
        _say(f"smoke test FAILED: {exc}", error=True)
        return 1
    except Exception as exc:  # anything unexpected is a failure too, with its traceback
        import traceback

        _say("smoke test FAILED: unexpected error\n" + "".join(traceback.format_exception(exc)), error=True)
        return 1
    finally:
        deadline.cancel()
        if saved_home is None:
            os.environ.pop("WORKBENCH_HOME", None)
        else:
            os.environ["WORKBENCH_HOME"] = saved_home
        shutil.rmtree(home, ignore_errors=True)
    _say("\n".join([*report, f"smoke test passed in {time.monotonic() - started:.1f} s"]))
    return 0


def _give_up() -> None:
    _say(f"smoke test FAILED: not finished after {TIMEOUT:.0f} s", error=True)
    os._exit(2)


def _say(text: str, error: bool = False) -> None:
    stream = sys.stderr if error else sys.stdout
    if stream is not None:  # a windowed frozen app on Windows has no console
        print(text, file=stream, flush=True)


def _check(condition: bool, reason: str) -> None:
    if not condition:
        raise SmokeFailure(reason)


def _run(target: Path, home: Path, language: str = "en") -> list[str]:
    from PySide6.QtCore import QLibraryInfo, Qt, QTimer, QTranslator, qVersion
    from PySide6.QtGui import QFontDatabase, QIcon
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from workbench.core.importer import import_paths
    from workbench.core.paths import data_dir
    from workbench.core.store import spans as span_store
    from workbench.core.store.project import Project
    from workbench.resources import resource_path, sample_corpus_files
    from workbench.ui.fonts import register_fonts
    from workbench.ui.session import Session, app_settings, make_application

    report: list[str] = []
    errors: list[str] = []
    previous_hook = sys.excepthook
    # An exception in a Qt slot is printed and swallowed by PySide6: count it as a failure.
    sys.excepthook = lambda kind, value, tb: errors.append(f"{kind.__name__}: {value}")
    try:
        app = make_application()
        report.append(f"Qt {qVersion()}, platform {app.platformName()}")
        # A dialog nobody will answer (an error box) would hang the test: close it and fail instead.
        watchdog = QTimer()
        watchdog.timeout.connect(lambda: _close_dialogs(errors))
        watchdog.start(200)

        # Shipped resources, found where the app looks for them.
        fonts = register_fonts()  # raises if a font file is missing
        families = set(QFontDatabase.families())
        _check(
            set(fonts.reading + fonts.interface) <= families, f"the app's fonts {fonts.interface} are not registered"
        )
        icon = QIcon(str(resource_path("assets", "icons", "workbench.svg")))
        _check(
            not icon.isNull() and not icon.pixmap(64, 64).isNull(),
            "the app icon (SVG) cannot be drawn: is the Qt SVG icon engine plugin missing?",
        )
        for name, folder in (
            ("qtbase_ar", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
            ("workbench_ar", str(resource_path("assets", "translations"))),
        ):
            _check(QTranslator().load(name, folder), f"the translation {name} is not found in {folder}")
        articles = sample_corpus_files()
        _check(len(articles) > 0, f"no sample articles in {resource_path('corpus')}")
        report.append(
            f"resources: fonts {sorted(fonts.interface)}, icon, translations, {len(articles)} sample articles"
        )

        # The project lives in the user's data directory (here the temporary one), never in the app's folder.
        _check(data_dir() == home, f"the data directory is {data_dir()}, not WORKBENCH_HOME={home}")
        project = Project.create(home / "smoke.wbproj", name="Smoke test")
        window = session = None
        try:
            article = next((p for p in articles if p.stem == ARTICLE), articles[0])
            imported = import_paths(project, [article])
            _check(
                len(imported.imported) == 1, f"importing {article.name} gave {imported.summary()}: {imported.refused}"
            )
            doc_id = imported.imported[0]
            project.set_current_annotator("smoke-test")
            label = next((lab for lab in project.labels() if lab.key), None)
            _check(label is not None, "the project's labels have no keys")

            settings = app_settings()
            settings.setValue("language", language)
            session = Session(project, settings)
            window = session.show()
            if language == "ar":
                file_menu = window.menuBar().actions()[0].text()
                _check(file_menu != "&File", "the interface is not in Arabic: the File menu reads '&File'")
                _check(
                    QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft,
                    "the Arabic interface is not laid out right to left",
                )
                report.append("interface in Arabic (translated menus), laid out right to left")
            window.open_document(doc_id)
            _wait_until(
                lambda: window.isVisible() and window.windowHandle() is not None and window.windowHandle().isExposed(),
                10,
                "the window was never shown",
            )
            window.activateWindow()
            window.raise_()
            active = _wait_until(lambda: QApplication.activeWindow() is window, 5, None)

            text = window.text
            start = text.find(WORDS)
            if start < 0:  # another article: its first word of three letters or more
                import regex

                match = regex.search(r"\p{L}{3,}", text)
                _check(match is not None, "the article has no word to tag")
                start, words = match.start(), match.group()
            else:
                words = WORDS
            end = start + len(words)

            # Exactly what a user does: select the words, press the label's key.
            window.view.select_range(start, end)
            window.view.setFocus()
            if active:
                QTest.keyClick(window.view, label.key)
                how = f"key {label.key!r}"
            else:  # a desktop that refuses to focus a new window: the same handler, called directly
                window.apply_label(label.name)
                how = "apply_label (the window could not be activated)"
            QApplication.processEvents()
            _check(not errors, f"error in the window: {errors}")

            # Read it back through the app's store (and from the file once the app has closed it, below).
            spans = span_store.for_document(project.db, doc_id, "smoke-test")
            _check(
                [(s.start, s.end, s.label) for s in spans] == [(start, end, label.name)],
                f"expected one {label.name} span [{start}, {end}) after pressing {how}, found "
                f"{[(s.start, s.end, s.label) for s in spans]}",
            )
            block = window.view.document().findBlock(window.view.offsets.to_utf16(start))
            drawn = [(r.start + block.position(), r.length) for r in block.layout().formats()]
            first16, end16 = window.view.offsets.to_utf16(start), window.view.offsets.to_utf16(end)
            _check((first16, end16 - first16) in drawn, f"the span is saved but not highlighted ({drawn})")
            report.append(f"tagged {words!r} as {label.name} [{start}, {end}) with {how}; saved in {project.path.name}")

            # The screenshot.
            window.span_table.setFocus()  # the selected span shows its highlight, not the caret
            for _ in range(5):
                QApplication.processEvents()
            target.parent.mkdir(parents=True, exist_ok=True)
            image = window.grab()
            _check(not image.isNull() and image.save(str(target)), f"cannot save the screenshot to {target}")
            _check(target.stat().st_size > 0, f"the screenshot {target} is empty")
            report.append(f"screenshot: {target} ({image.width()}x{image.height()})")
            _check(not errors, f"error in the window: {errors}")
            watchdog.stop()
        finally:
            if window is not None:
                window.close()
            project.close()
            if session is not None:
                session.deleteLater()
            QApplication.processEvents()
        # The span is in the file: open it again, in a new connection, as the next start of the app
        # will. (Only once the app's connection is closed: opening checks the file's header, and
        # closing that file handle would drop the SQLite locks this process holds on it.)
        with Project.open(project.path) as reopened:
            rows = [(s.start, s.end, s.label) for s in span_store.for_document(reopened.db, doc_id)]
        _check(rows == [(start, end, label.name)], f"the project file holds {rows}, not the new span")
        return report
    finally:
        sys.excepthook = previous_hook


def _wait_until(condition, seconds: float, failure: str | None) -> bool:
    """Process events until ``condition()``; on timeout fail with ``failure`` (or return False)."""
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + seconds
    while True:
        QApplication.processEvents()
        if condition():
            return True
        if time.monotonic() > deadline:
            if failure is None:
                return False
            raise SmokeFailure(failure)
        time.sleep(0.02)


def _close_dialogs(errors: list[str]) -> None:
    from PySide6.QtWidgets import QApplication

    modal = QApplication.activeModalWidget()
    if modal is not None:
        text = modal.text() if hasattr(modal, "text") else modal.windowTitle()
        errors.append(f"unexpected dialog: {text}")
        modal.reject() if hasattr(modal, "reject") else modal.close()
