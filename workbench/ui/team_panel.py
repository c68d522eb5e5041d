"""The lead's team panel: progress per annotator, assigning, bundles out and work back."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench import APP_NAME
from workbench.core.errors import WorkbenchError
from workbench.core.store.project import Project
from workbench.ui.background import BackgroundTask, run_in_background

log = logging.getLogger(__name__)

if TYPE_CHECKING:  # (the bundle machinery is imported when the panel first needs it, not at start-up)
    from workbench.core.bundles.work_bundle import WorkImportReport


def merge_work(files: list[str]):
    """The work of merging work bundles, for :func:`~workbench.ui.background.run_in_background`."""

    def work(project: Project, progress, cancelled) -> WorkImportReport:
        from workbench.core.bundles.work_bundle import import_work_bundles

        return import_work_bundles(
            project, files, progress=lambda done, total, _current: progress(done, total), cancelled=cancelled
        )

    return work


def _team_rows(project: Project) -> tuple[list[dict], dict]:
    """Each annotator's progress, and their pinned keys by name."""
    from workbench.core.assign import team_progress
    from workbench.core.bundles.project_bundle import key_report

    keys = {row["annotator"]: row for row in key_report(project).get("annotators", [])}
    return team_progress(project), keys


class AssignDialog(QDialog):
    def __init__(self, annotators: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Assign documents"))
        layout = QFormLayout(self)
        self.checks = []
        for name in annotators:
            check = QCheckBox(name)
            check.setChecked(True)
            self.checks.append(check)
            layout.addRow(check)
        self.k = QSpinBox()
        self.k.setRange(1, max(1, len(annotators)))
        self.k.setValue(min(2, max(1, len(annotators))))
        layout.addRow(self.tr("Annotators per document"), self.k)
        self.seed = QSpinBox()
        self.seed.setRange(0, 1_000_000)
        layout.addRow(self.tr("Seed (same seed, same assignment)"), self.seed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def chosen(self) -> list[str]:
        return [check.text() for check in self.checks if check.isChecked()]


class TeamPanel(QWidget):
    """Progress per annotator, and the lead's bundle work."""

    merged = Signal()  # work bundles were merged: the window should reload what it shows

    HEADERS = (
        QT_TRANSLATE_NOOP("TeamPanel", "Annotator"),
        QT_TRANSLATE_NOOP("TeamPanel", "Assigned"),
        QT_TRANSLATE_NOOP("TeamPanel", "To do"),
        QT_TRANSLATE_NOOP("TeamPanel", "Started"),
        QT_TRANSLATE_NOOP("TeamPanel", "Done"),
        QT_TRANSLATE_NOOP("TeamPanel", "Key"),
    )

    def __init__(
        self,
        project: Project,
        parent: QWidget | None = None,
        after_paint: Callable[[Callable[[], object]], None] | None = None,
    ):
        """``after_paint``: how the window holds work until its article has painted
        (:class:`~workbench.ui.background.AfterFirstPaint`); without one, work starts at once."""
        super().__init__(parent)
        self.project = project
        self._after_paint = after_paint
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setObjectName("teamProgress")
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in self.HEADERS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        for text, handler, name in (
            (self.tr("Assign…"), self.assign, "assignButton"),
            (self.tr("Export project bundles…"), self.export_bundles, "exportBundlesButton"),
            (self.tr("Import work bundles…"), self.choose_work_bundles, "importWorkButton"),
            (self.tr("Re-pin a key…"), self.choose_repin, "repinButton"),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(handler)
            row.addWidget(button)
        layout.addLayout(row)
        self._task: BackgroundTask | None = None
        self.last_report: WorkImportReport | None = None
        # Filled when first shown, read off the UI thread (it counts every assignment: tens of
        # ms on a large project, which the window's first paint does not wait for), once the
        # article has painted.
        self._filled = False
        self._fill_task: BackgroundTask | None = None
        self._closing = False

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._after_paint is None:
            self._fill()
        else:
            self._after_paint(self._fill)

    def _fill(self) -> None:
        if not self._filled and self._fill_task is None and not self._closing:
            self._fill_task = run_in_background(
                self.project.path,
                lambda project, _progress, _cancelled: _team_rows(project),
                on_result=self._show_rows,
                on_error=lambda exc: log.warning("team progress not read: %s", exc),
            )

    def refresh(self) -> None:
        self._stop_fill()
        self._show_rows(_team_rows(self.project))

    def _stop_fill(self) -> None:
        if self._fill_task is not None:
            self._fill_task.abandon()  # (read now instead: what it would bring is older)
            self._fill_task.wait()
            self._fill_task = None

    def _show_rows(self, found: tuple[list[dict], dict]) -> None:
        self._fill_task = None
        self._filled = True
        rows, keys = found
        self.table.setRowCount(len(rows))
        key_column = len(self.HEADERS) - 1
        for r, row in enumerate(rows):
            values = [row["annotator"], row["assigned"], row["not-started"], row["in-progress"], row["done"]]
            for c, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
            key = keys.get(row["annotator"], {})
            if key.get("fingerprint"):
                item = QTableWidgetItem(key["fingerprint"])
                item.setToolTip(
                    self.tr(
                        "Pinned on %1 from their first work bundle signed with a key. Compare it by voice."
                    ).replace("%1", key["pinned_at"][:10])
                )
                # Hex digits read left to right in either language.
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            elif key.get("old_scheme"):
                item = QTableWidgetItem(self.tr("old shared secret"))
                item.setToolTip(
                    self.tr(
                        "Still signs with the shared secret of older versions, which anyone holding their "
                        "project bundle could use. Their next work bundle from an updated Workbench pins a key."
                    )
                )
            else:
                item = QTableWidgetItem(self.tr("no key yet"))
                item.setToolTip(self.tr("Their key is pinned from their first work bundle."))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, item.text())
            self.table.setItem(r, key_column, item)
        self.table.resizeColumnToContents(key_column)

    def _error(self, exc: Exception) -> None:
        QMessageBox.warning(self, APP_NAME, str(exc))

    def assign(self) -> None:
        dialog = AssignDialog(self.project.annotators(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        from workbench.core.assign import assign_balanced

        try:
            assign_balanced(self.project, dialog.chosen(), k=dialog.k.value(), seed=dialog.seed.value())
        except WorkbenchError as exc:
            self._error(exc)
        self.refresh()

    def export_bundles(self, folder: str | None = None) -> list[Path]:
        """One project bundle per annotator with documents, into ``folder``."""
        folder = folder or QFileDialog.getExistingDirectory(self, self.tr("Folder for the project bundles"))
        if not folder:
            return []
        from workbench.core.assign import assigned
        from workbench.core.bundles.project_bundle import export_project_bundle

        written = []
        try:
            for name in assigned(self.project):
                target = Path(folder) / f"{self.project.name}-{name}.wbbundle"
                written.append(export_project_bundle(self.project, name, target).path)
        except WorkbenchError as exc:
            self._error(exc)
        return written

    def choose_work_bundles(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Work bundles to import"), "", self.tr("Work bundles (*.wbwork *.zip);;All files (*)")
        )
        if files:
            self.import_work(files)

    def choose_repin(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Work bundle signed by the new key"),
            "",
            self.tr("Work bundles (*.wbwork *.zip);;All files (*)"),
        )
        if not path:
            return
        fingerprint, ok = QInputDialog.getText(
            self,
            self.tr("Re-pin a key"),
            self.tr("The fingerprint the annotator reads you (eight groups of four characters):"),
        )
        if ok:
            self.repin(path, fingerprint)

    def repin(self, path: str, fingerprint: str) -> dict | None:
        """Pin the key that signed the work bundle at ``path``, if ``fingerprint`` is its own."""
        from workbench.core.bundles.work_bundle import repin

        try:
            result = repin(self.project, path, fingerprint)
        except WorkbenchError as exc:
            self._error(exc)
            return None
        self.refresh()
        QMessageBox.information(
            self,
            APP_NAME,
            self.tr("Pinned %1 for %2. Now import the bundle.")
            .replace("%1", result["fingerprint"])
            .replace("%2", result["annotator"]),
        )
        return result

    def import_work(self, files: list[str]) -> None:
        """Merge work bundles off the UI thread, with a progress dialog that can cancel."""
        self.progress = QProgressDialog(self.tr("Merging work bundles…"), self.tr("Cancel"), 0, len(files), self)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        self._task = run_in_background(
            self.project.path,
            merge_work(files),
            on_progress=lambda done, _total: self.progress.setValue(done),
            on_result=self._finished,
            on_error=self._failed,
        )
        self.progress.canceled.connect(self._task.cancel)

    def wait(self) -> None:
        """Block until a running merge is over and reported (for tests and shutdown)."""
        if self._task is not None:
            self._task.join()

    def shutdown(self) -> None:
        """The window is closing: stop a running merge (the bundles merged so far stay
        merged) and wait for it, reporting nothing."""
        self._closing = True  # (no fill starts after this: the window's first paint may still come)
        self._stop_fill()
        if self._task is not None:
            self._task.abandon()
            self._task.join()
            self._task = None

    def _failed(self, exc: BaseException) -> None:
        self._task = None
        self.progress.close()
        self._error(exc)

    def _finished(self, result: WorkImportReport) -> None:
        self._task = None
        self.progress.close()
        self.last_report = result
        self.refresh()
        self.merged.emit()
        lines = []
        for m in result.merged:
            lines.append(
                self.tr("%1: merged %2 documents of %3")
                .replace("%1", Path(m["path"]).name)
                .replace("%2", str(m["documents"]))
                .replace("%3", m["annotator"])
            )
            if m["key_pinned_now"]:
                lines.append(
                    self.tr("  First bundle signed with a key from %1: pinned %2. Ask %1 to read you their key.")
                    .replace("%1", m["annotator"])
                    .replace("%2", m["fingerprint"])
                )
            elif not m["fingerprint"]:
                lines.append(
                    self.tr("  %1 still signs with the old shared secret: ask them to update Workbench.").replace(
                        "%1", m["annotator"]
                    )
                )
        lines += [
            self.tr("%1: refused. %2").replace("%1", Path(r["path"]).name).replace("%2", r["reason"])
            for r in result.refused
        ]
        box = QMessageBox.warning if result.refused else QMessageBox.information
        box(self, APP_NAME, "\n".join(lines) or self.tr("Nothing to merge."))
