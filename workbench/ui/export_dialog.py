"""Export a training set from the window: the same core as ``workbench-cli export``,
off the UI thread, with a progress bar and Cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.export.formats import BOUNDARIES, DIALOG, FORMATS
from workbench.core.store.project import Project
from workbench.ui.background import BackgroundTask, run_in_background


class ExportDialog(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.setWindowTitle(self.tr("Export a training set"))
        layout = QFormLayout(self)
        self.format = QComboBox()
        for name, info in FORMATS.items():
            self.format.addItem(QCoreApplication.translate(DIALOG, info.title), name)
        self.source = QComboBox()
        self.source.addItem(self.tr("Gold (adjudicated documents)"), "gold")
        self.source.addItem(self.tr("Majority of annotators (documents without gold)"), "majority")
        for name in project.annotators():
            self.source.addItem(self.tr("Annotator: %1").replace("%1", name), f"annotator:{name}")
        self.split = QLineEdit("80/10/10")
        self.seed = QSpinBox()
        self.seed.setRange(0, 1_000_000)
        self.boundary = QComboBox()
        for name, policy in BOUNDARIES.items():
            self.boundary.addItem(QCoreApplication.translate(DIALOG, policy.title), name)
        self.stratify = QCheckBox(self.tr("balance splits on the labels each document holds"))
        folder_row = QHBoxLayout()
        self.folder = QLineEdit(str(Path.home() / f"{project.name}-export"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.bar = QProgressBar()
        self.bar.setVisible(False)
        self.message = QLabel()
        self.message.setWordWrap(True)
        for text, widget in (
            (self.tr("Format"), self.format),
            (self.tr("Spans from"), self.source),
            (self.tr("Split (train/dev/test %)"), self.split),
            (self.tr("Seed"), self.seed),
            (self.tr("Span edge inside a token"), self.boundary),
            ("", self.stratify),
        ):
            layout.addRow(text, widget)
        layout.addRow(self.tr("Folder"), folder_row)
        layout.addRow(self.bar)
        layout.addRow(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.cancel)
        layout.addRow(self.buttons)
        self._task: BackgroundTask | None = None
        self.result = None

    def _choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder for the training set"))
        if folder:
            self.folder.setText(folder)

    def start(self) -> None:
        from workbench.core.export import ExportOptions, parse_source, parse_split

        try:
            split = parse_split(self.split.text())
            parse_source(self.project, self.source.currentData())
        except (ValueError, WorkbenchError) as exc:
            self.message.setText(str(exc))
            return
        options = ExportOptions(
            format=self.format.currentData(),
            source=self.source.currentData(),
            split=split,
            seed=self.seed.value(),
            boundary=self.boundary.currentData(),
            stratify=self.stratify.isChecked(),
        )
        self.export_button.setEnabled(False)
        self.bar.setVisible(True)
        self.bar.setRange(0, 0)
        self.message.setText(self.tr("Exporting…"))
        out_dir = Path(self.folder.text())

        def work(project, progress, cancelled):
            from workbench.core.export import export

            return export(project, options, out_dir, progress=progress, cancelled=cancelled)

        self._task = run_in_background(
            self.project.path, work, on_progress=self._progress, on_result=self._finished, on_error=self._finished
        )

    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.message.setText(self.tr("Cancelling…"))
        else:
            self.reject()

    def wait(self) -> None:
        """Until the export is over and its outcome shown."""
        if self._task is not None:
            self._task.join()

    def _finished(self, result) -> None:
        self._task = None
        self.bar.setVisible(False)
        self.export_button.setEnabled(True)
        self.result = result
        if isinstance(result, Exception):
            self.message.setText(str(result))
            return
        per_split = ", ".join(f"{name} {count}" for name, count in result.documents.items())
        self.message.setText(
            self.tr("Wrote %1 (%2 documents). The data card is README.md in that folder.")
            .replace("%1", str(result.out_dir))
            .replace("%2", per_split)
        )
