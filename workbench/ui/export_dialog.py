"""Export a training set from the window: the same core as ``workbench-cli export``,
off the UI thread, with a progress bar and Cancel."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal
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
from workbench.core.store.project import Project

FORMATS = (
    ("jsonl", "JSON Lines (character spans)"),
    ("conll", "CoNLL BIO"),
    ("spacy", "spaCy DocBin"),
    ("hf", "Hugging Face datasets"),
    ("brat", "brat standoff"),
)


class _Worker(QObject):
    progressed = Signal(int, int)
    finished = Signal(object)

    def __init__(self, path: Path, options, out_dir: Path):
        super().__init__()
        self.path, self.options, self.out_dir = path, options, out_dir
        self.cancel = threading.Event()

    def run(self) -> None:
        from workbench.core.export import export

        try:
            with Project.open(self.path) as project:
                result = export(
                    project,
                    self.options,
                    self.out_dir,
                    progress=lambda done, total: self.progressed.emit(done, total),
                    cancelled=self.cancel.is_set,
                )
        except Exception as exc:  # shown in the dialog
            self.finished.emit(exc)
            return
        self.finished.emit(result)


class ExportDialog(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.setWindowTitle(self.tr("Export a training set"))
        layout = QFormLayout(self)
        self.format = QComboBox()
        for key, text in FORMATS:
            self.format.addItem(text, key)
        self.source = QComboBox()
        self.source.addItem(self.tr("Gold (adjudicated documents)"), "gold")
        self.source.addItem(self.tr("Majority of annotators (documents without gold)"), "majority")
        for name in project.annotators():
            self.source.addItem(self.tr("Annotator: %1").replace("%1", name), f"annotator:{name}")
        self.split = QLineEdit("80/10/10")
        self.seed = QSpinBox()
        self.seed.setRange(0, 1_000_000)
        self.boundary = QComboBox()
        for key, text in (
            ("split", self.tr("cut the token at the span edge")),
            ("expand", self.tr("label the whole token")),
            ("drop", self.tr("leave the sentence out")),
        ):
            self.boundary.addItem(text, key)
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
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
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
        self._thread = QThread(self)
        self._worker = _Worker(self.project.path, options, Path(self.folder.text()))
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._progress)
        self._worker.finished.connect(self._finished)
        self._thread.start()

    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel.set()
            self.message.setText(self.tr("Cancelling…"))
        else:
            self.reject()

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.wait()

    def _finished(self, result) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
        self._thread = self._worker = None
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
