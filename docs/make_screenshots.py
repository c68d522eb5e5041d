"""The user guide's screenshots, taken from the real app on the sample corpus, in English and Arabic.

    .venv/bin/python docs/make_screenshots.py             # every screenshot, into docs/images/
    .venv/bin/python docs/make_screenshots.py annotate    # only some: annotate, suggest, team, agreement, adjudicate

It plays the guide's story in a temporary data directory, through the same code
paths as a user: the lead makes a project from the sample corpus and assigns it;
Salma opens her project bundle and tags article 002 with the label keys (select,
press 1-4, P), fills in attributes and sends her work bundle; Omar opens his bundle
and goes through the suggestions with Tab and Enter; the lead merges Salma's work
with Omar's and Huda's, looks at the agreement and adjudicates. Each scene
is saved as docs/images/<scene>-<en|ar>.png. Runs offscreen (no display needed).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["WORKBENCH_HOME"] = tempfile.mkdtemp(prefix="workbench-screenshots-")  # never the user's data

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from workbench.core.actions import CreateSpan, EditSpan, SetStatus  # noqa: E402
from workbench.core.assign import assign_balanced, assign_by_hand  # noqa: E402
from workbench.core.bundles.project_bundle import export_project_bundle, open_project_bundle  # noqa: E402
from workbench.core.bundles.work_bundle import import_work_bundles  # noqa: E402
from workbench.core.importer import import_paths  # noqa: E402
from workbench.core.store.project import Project  # noqa: E402
from workbench.core.store.spans import Span  # noqa: E402
from workbench.resources import sample_corpus_files  # noqa: E402
from workbench.ui.session import Session, app_settings, make_application  # noqa: E402

IMAGES = ROOT / "docs" / "images"
LANGUAGES = ("en", "ar")
SCENES = ("annotate", "suggest", "team", "agreement", "adjudicate")
DOC = "002_af682284de1024ff"  # "مصدر بجيش حفتر يعترف بأسر 30 من قواته"
SECOND = "003_ea1dba6c08793fa4"
TEAM = ("Salma", "Omar", "Huda")


def find(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def show(project: Project, language: str, size=(1440, 900)):
    """A window on ``project`` in ``language``, shown and active (shortcuts reach it)."""
    settings = app_settings()
    settings.clear()
    settings.setValue("language", language)
    session = Session(project, settings)
    window = session.show()
    window.resize(*size)
    window.activateWindow()
    for _ in range(50):
        QApplication.processEvents()
        if QApplication.activeWindow() is window:
            break
        QTest.qWait(20)
    return session, window


def settle(window) -> None:
    for _ in range(10):
        QApplication.processEvents()
    QTest.qWait(50)


def wait_for(condition, seconds: float = 60) -> None:
    for _ in range(int(seconds * 20)):
        if condition():
            return
        QTest.qWait(50)
    raise SystemExit("timed out waiting for the app")


def save(window, scene: str, language: str) -> Path:
    settle(window)
    IMAGES.mkdir(parents=True, exist_ok=True)
    path = IMAGES / f"{scene}-{language}.png"
    if not window.grab().save(str(path)):
        raise SystemExit(f"cannot write {path}")
    print(path.relative_to(ROOT))
    return path


def close(session, window) -> None:
    window.close()
    session.apply_language("en")
    session.deleteLater()
    settle(window)


# --- the story -------------------------------------------------------------------------------


def make_lead(folder: Path) -> Project:
    lead = Project.create(folder / "team.wbproj", name="Libya 2019 — ليبيا")
    import_paths(lead, sample_corpus_files())
    lead.set_current_annotator("Lead")
    for name in TEAM:
        lead.add_annotator(name)
    for name in TEAM:  # the two articles everyone reads, for agreement; the rest two each
        assign_by_hand(lead, [DOC, SECOND], name)
    assign_balanced(lead, list(TEAM), k=2, seed=7)
    return lead


def tag(window, needle: str, key: str, nth: int = 0, strip: bool = False) -> Span:
    """Select ``needle`` in the article and press the label's key (then P to drop a proclitic)."""
    start, end = find(window.text, needle, nth)
    window.view.select_range(start, end)
    window.view.setFocus()
    QTest.keyClick(window.view, key)
    if strip:
        QTest.keyClick(window.view, Qt.Key.Key_P)
    return window.view.spans[window.selected_span]


def annotate_as_salma(lead: Project, folder: Path, language: str, shoot: bool) -> Path:
    """Salma opens her bundle, tags the article with the keys, sends her work back."""
    bundle = folder / f"salma-{language}.wbbundle"
    export_project_bundle(lead, "Salma", bundle)
    salma = open_project_bundle(bundle, folder / f"salma-{language}.wbproj")
    session, window = show(salma, language)
    window.open_document(DOC)
    tag(window, "الجمعة 5 أبريل 2019", "4")
    date = window.view.spans[window.selected_span]
    window.run(EditSpan(date, attributes={"value": "2019-04-05", "precision": "day"}))
    tag(window, "جيش شرق ليبيا", "1", strip=True)  # snapping takes بجيش, P drops the ب
    tag(window, "خليفة حفتر", "1")
    tag(window, "طرابلس", "2")
    casualty = tag(window, "30 من قواته", "3", nth=1)
    window.run(EditSpan(casualty, attributes={"count": "30", "kind": "captured"}))
    tag(window, "أسر 20 جنديا", "3")
    window.view.clear_text_selection()
    window.select_span(casualty.id)  # its attributes show in the form
    if shoot:
        save(window, "annotate", language)
    window.mark_done_and_next()
    work = window.export_work(str(folder / f"salma-{language}.wbwork"))
    close(session, window)
    salma.close()
    return work


def suggestions_as_omar(lead: Project, folder: Path, language: str) -> None:
    """Omar opens his bundle: the article's suggestions are drawn dashed; he accepts the
    dateline's date with Tab and Enter and stops on the next suggestion (its values in the form)."""
    bundle = folder / f"omar-{language}.wbbundle"
    export_project_bundle(lead, "Omar", bundle)
    omar = open_project_bundle(bundle, folder / f"omar-{language}.wbproj")
    session, window = show(omar, language)
    window.open_document(DOC)
    wait_for(lambda: not window.feed.busy and bool(window.spans.suggestions))
    window.view.setFocus()
    date = find(window.text, "الجمعة 5 أبريل 2019")
    for _ in range(10):  # Tab to the dateline's date, Enter accepts it
        QTest.keyClick(window.view, Qt.Key.Key_Tab)
        if window.spans.extent(window.selected_span) == date:
            break
    QTest.keyClick(window.view, Qt.Key.Key_Return)
    wait_for(lambda: not window.feed.busy)
    QTest.keyClick(window.view, Qt.Key.Key_Tab)  # the next suggestion: its values in the form
    save(window, "suggest", language)
    close(session, window)
    omar.close()


def others_work(lead: Project) -> None:
    """Omar's and Huda's spans (as their merged work bundles would bring them)."""
    text = lead.db.execute("SELECT text FROM documents WHERE id = ?", [DOC]).fetchone()[0]
    at = lambda needle, nth=0: find(text, needle, nth)  # noqa: E731
    spans = {
        "Omar": [
            (at("الجمعة 5 أبريل 2019"), "DATE", {"value": "2019-04-05", "precision": "day"}),
            (at("بجيش شرق ليبيا"), "ACTOR", {}),  # with the proclitic
            (at("خليفة حفتر"), "ACTOR", {}),
            (at("العاصمة طرابلس"), "LOCATION", {}),  # a wider span
            (at("30 من قواته", 1), "CASUALTY", {"count": "30", "kind": "captured"}),
        ],
        "Huda": [
            (at("الجمعة 5 أبريل 2019"), "DATE", {"value": "2019-04-05", "precision": "day"}),
            (at("خليفة حفتر"), "LOCATION", {}),  # a label conflict
            (at("طرابلس"), "LOCATION", {}),
            (at("أسر 20 جنديا"), "CASUALTY", {"count": "20", "kind": "captured"}),
        ],
    }
    for name, items in spans.items():
        for (start, end), label, attributes in items:
            CreateSpan(Span(DOC, name, start, end, label, attributes)).do(lead)
        SetStatus(DOC, name, "done").do(lead)
    second = lead.db.execute("SELECT text FROM documents WHERE id = ?", [SECOND]).fetchone()[0]
    for name in TEAM:
        for needle, label in (("الجيش الوطني الليبي", "ACTOR"), ("مصراتة", "LOCATION"), ("أحمد المسماري", "ACTOR")):
            start, end = find(second, needle)
            if name == "Huda" and label == "ACTOR" and needle.startswith("أحمد"):
                continue  # one miss
            CreateSpan(Span(SECOND, name, start, end, label)).do(lead)
        SetStatus(SECOND, name, "done").do(lead)


def main(argv: list[str]) -> int:
    wanted = set(argv) or set(SCENES)
    unknown = wanted - set(SCENES)
    if unknown:
        print(f"unknown scene(s) {sorted(unknown)}; choose from {', '.join(SCENES)}", file=sys.stderr)
        return 2
    make_application()
    # A dialog (an error box) would wait forever for a click offscreen: report it and stop.
    watchdog = QTimer()
    watchdog.timeout.connect(_no_dialogs)
    watchdog.start(200)
    for language in LANGUAGES:
        folder = Path(tempfile.mkdtemp(prefix=f"story-{language}-", dir=os.environ["WORKBENCH_HOME"]))
        lead = make_lead(folder)
        work = annotate_as_salma(lead, folder, language, "annotate" in wanted)
        if "suggest" in wanted:
            suggestions_as_omar(lead, folder, language)
        report = import_work_bundles(lead, [work])
        assert not report.refused, report.refused
        others_work(lead)

        if "team" in wanted:
            session, window = show(lead, language)
            window.open_document(DOC)
            window.team_dock.show()
            save(window, "team", language)
            close(session, window)
        if "agreement" in wanted:
            session, window = show(lead, language, (1440, 1000))
            window.open_document(DOC)
            window.team_dock.hide()
            window.toggle_agreement()
            wait_for(lambda window=window: window.agreement.data is not None)  # computed in the background
            window.resizeDocks([window.agreement_dock], [560], Qt.Orientation.Vertical)
            save(window, "agreement", language)
            close(session, window)
        if "adjudicate" in wanted:
            session, window = show(lead, language, (1760, 900))
            window.team_dock.hide()
            window.adjudicate_document(DOC)
            settle(window)
            window.resizeDocks([window.adjudication_dock], [600], Qt.Orientation.Horizontal)
            window.splitter.setSizes([390, 510, 260])
            panel = window.adjudication
            panel.queue.setCurrentRow(next(i for i, c in enumerate(panel.clusters) if c.kind == "label"))
            save(window, "adjudicate", language)
            close(session, window)
        lead.close()
    return 0


def _no_dialogs() -> None:
    modal = QApplication.activeModalWidget()
    if modal is not None:
        text = modal.text() if hasattr(modal, "text") else modal.windowTitle()
        print(f"unexpected dialog: {text}", file=sys.stderr)
        os._exit(1)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
