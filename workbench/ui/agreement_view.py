"""The lead's agreement view: heat map, per label, per document (worst first), confusion.

Figures are computed off the UI thread through a connection of their own; a
cell that cannot be computed shows "n/a" with the reason as its tooltip.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.agreement.present import fmt_interval, fmt_score, text_colour, viridis_rgb, worst_first
from workbench.core.agreement.source import ProjectAgreement, project_agreement
from workbench.core.store.project import Project
from workbench.ui.background import BackgroundTask, run_in_background

MEASURES = (
    ("strict_f1", QT_TRANSLATE_NOOP("AgreementView", "Strict F1")),
    ("relaxed_f1", QT_TRANSLATE_NOOP("AgreementView", "Relaxed F1")),
    ("alpha_u", QT_TRANSLATE_NOOP("AgreementView", "α_U (pairwise)")),
)


def scale_color(value: float) -> QColor:
    """A colour-blind-safe colour for a value in [-1, 1] (agreement below 0 is the darkest): viridis."""
    return QColor(*viridis_rgb(value))


def _cell(value: float | None, reason: str = "", ci=None) -> QTableWidgetItem:
    item = QTableWidgetItem(fmt_score(value, digits=2))
    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    if value is None:
        item.setToolTip(reason or "undefined")
    else:
        item.setBackground(QBrush(scale_color(value)))
        item.setForeground(QBrush(QColor(text_colour(value))))
        if ci:
            item.setToolTip(f"{fmt_score(value)}  {fmt_interval(ci, 3)}")
    return item


class AgreementView(QWidget):
    documentChosen = Signal(str)  # open this document (to adjudicate it)

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.result: ProjectAgreement | None = None
        self.data: dict | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        bar = QHBoxLayout()
        self.measure = QComboBox()
        self.measure.setObjectName("agreementMeasure")
        for key, text in MEASURES:
            self.measure.addItem(self.tr(text), key)
        self.measure.currentIndexChanged.connect(lambda _i: self._fill_matrix())
        self.in_progress = QComboBox()
        self.in_progress.addItems([self.tr("Documents marked done"), self.tr("Done and in progress")])
        self.refresh_button = QPushButton(self.tr("Compute"))
        self.refresh_button.setObjectName("computeAgreement")
        self.refresh_button.clicked.connect(self.compute)
        self.report_button = QPushButton(self.tr("Export HTML report…"))
        self.report_button.clicked.connect(lambda: self.export_html())
        self.summary = QLabel()
        self.summary.setObjectName("agreementSummary")
        self.summary.setWordWrap(True)
        for widget in (self.measure, self.in_progress, self.refresh_button, self.report_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        layout.addLayout(bar)
        layout.addWidget(self.summary)

        self.matrix = self._table("agreementMatrix")
        self.matrix.cellClicked.connect(self._pair_chosen)
        self.labels = self._table("agreementLabels")
        self.documents = self._table("agreementDocuments")
        self.documents.cellDoubleClicked.connect(self._document_chosen)
        self.confusion = self._table("agreementConfusion")
        self.confusion_title = QLabel()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("<b>" + self.tr("Annotator × annotator") + "</b>"))
        left_layout.addWidget(self.matrix)
        left_layout.addWidget(QLabel("<b>" + self.tr("Per label") + "</b>"))
        left_layout.addWidget(self.labels)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        documents_title = QLabel("<b>" + self.tr("Documents, worst first (double-click to adjudicate)") + "</b>")
        documents_title.setToolTip(
            self.tr(
                "Sorted by strict F1 averaged over the pairs of annotators that compared the document, lowest "
                "first; documents where it is undefined come last; ties in document id order."
            )
        )
        right_layout.addWidget(documents_title)
        right_layout.addWidget(self.documents)
        right_layout.addWidget(self.confusion_title)
        right_layout.addWidget(self.confusion)
        splitter.addWidget(left)
        splitter.addWidget(right)
        layout.addWidget(splitter, 1)
        self._task: BackgroundTask | None = None
        self.pair: str | None = None

    def _table(self, name: str) -> QTableWidget:
        table = QTableWidget()
        table.setObjectName(name)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        return table

    # --- computing ----------------------------------------------------------------------

    def compute(self) -> None:
        """Compute the figures in the background, on a project connection of their own."""
        if self._task is not None:
            return
        self.refresh_button.setEnabled(False)
        self.summary.setText(self.tr("Computing…"))
        include = self.in_progress.currentIndex() == 1
        self._task = run_in_background(
            self.project.path,
            lambda project, _progress, _cancelled: project_agreement(
                project, include_in_progress=include, bootstrap=500
            ),
            on_result=self.show_result,
            on_error=self.show_result,
        )

    def wait(self) -> None:
        """Until the figures are shown."""
        if self._task is not None:
            self._task.join()

    def show_result(self, result) -> None:
        self.refresh_button.setEnabled(True)
        self._task = None
        if isinstance(result, Exception):
            self.summary.setText(str(result))
            return
        self.result = result
        self.data = result.to_json()
        alpha = self.data["alpha_u"]
        pooled = fmt_score(alpha["pooled"])
        mean = fmt_score(alpha["mean_over_docs"])
        fleiss = self.data["fleiss_kappa_bio"]
        self.summary.setText(
            self.tr(
                "α_U over %1 documents all annotators finished: pooled %2, mean over documents %3. "
                "Token kappas (comparison with the literature; they rise with unannotated text): Fleiss %4."
            )
            .replace("%1", str(self.data["documents"]["all"]))
            .replace("%2", pooled)
            .replace("%3", mean)
            .replace("%4", fmt_score(fleiss))
        )
        self._fill_matrix()
        self._fill_labels()
        self._fill_documents()
        if self.data["pairs"]:
            self._show_confusion(next(iter(self.data["pairs"])))

    def _names(self) -> list[str]:
        return list(dict.fromkeys(n for pair in self.data["pairs"] for n in pair.split("|")))

    def _fill_matrix(self) -> None:
        if self.data is None:
            return
        key = self.measure.currentData()
        names = self._names()
        self.matrix.setRowCount(len(names))
        self.matrix.setColumnCount(len(names))
        self.matrix.setHorizontalHeaderLabels(names)
        self.matrix.setVerticalHeaderLabels(names)
        for i, a in enumerate(names):
            for j, b in enumerate(names):
                pair = self.data["pairs"].get(f"{a}|{b}") or self.data["pairs"].get(f"{b}|{a}")
                if a == b or pair is None:
                    item = QTableWidgetItem("—" if a == b else "")
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                else:
                    item = _cell(pair[key], pair["undefined"].get(key, ""), pair.get(f"{key}_ci"))
                    item.setData(
                        Qt.ItemDataRole.UserRole, f"{a}|{b}" if f"{a}|{b}" in self.data["pairs"] else f"{b}|{a}"
                    )
                self.matrix.setItem(i, j, item)

    def _fill_labels(self) -> None:
        labels = self.data["labels"]
        columns = [self.tr("Label"), self.tr("α_U (all)"), *[f"F1 {p}" for p in self.data["pairs"]]]
        self.labels.setRowCount(len(labels))
        self.labels.setColumnCount(len(columns))
        self.labels.setHorizontalHeaderLabels(columns)
        for r, label in enumerate(labels):
            self.labels.setItem(r, 0, QTableWidgetItem(label))
            self.labels.setItem(r, 1, _cell(self.data["alpha_u_per_label"].get(label)))
            for c, pair in enumerate(self.data["pairs"].values(), start=2):
                self.labels.setItem(r, c, _cell(pair["strict_f1_per_label"].get(label)))

    def _fill_documents(self) -> None:
        rows = worst_first(self.data["per_document"])
        self.documents.setRowCount(len(rows))
        self.documents.setColumnCount(3)
        self.documents.setHorizontalHeaderLabels([self.tr("Document"), self.tr("Strict F1"), self.tr("Relaxed F1")])
        for r, row in enumerate(rows):
            title = QTableWidgetItem(row["title"])
            title.setData(Qt.ItemDataRole.UserRole, row["doc_id"])
            title.setToolTip(f"{row['doc_id']}: {', '.join(row['pairs'])}")
            self.documents.setItem(r, 0, title)
            self.documents.setItem(r, 1, _cell(row["strict_f1"]))
            self.documents.setItem(r, 2, _cell(row["relaxed_f1"]))

    def _pair_chosen(self, row: int, column: int) -> None:
        item = self.matrix.item(row, column)
        pair = item.data(Qt.ItemDataRole.UserRole) if item else None
        if pair:
            self._show_confusion(pair)

    def _show_confusion(self, pair: str) -> None:
        """The label confusion of a pair, with a "none" row and column for missed and extra spans."""
        self.pair = pair
        confusion = self.data["pairs"][pair]["confusion"]
        rows = list(confusion)
        columns = list(next(iter(confusion.values()))) if confusion else []
        a, b = pair.split("|")
        self.confusion_title.setText(
            "<b>" + self.tr("Label confusion: %1 (rows) × %2 (columns)").replace("%1", a).replace("%2", b) + "</b>"
        )
        self.confusion.setRowCount(len(rows))
        self.confusion.setColumnCount(len(columns))
        self.confusion.setVerticalHeaderLabels(rows)
        self.confusion.setHorizontalHeaderLabels(columns)
        for r, row in enumerate(rows):
            for c, column in enumerate(columns):
                item = QTableWidgetItem(str(confusion[row][column]))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if row == column and row != "none":
                    item.setBackground(QBrush(QColor("#DDEFD9")))
                elif confusion[row][column]:
                    item.setBackground(QBrush(QColor("#F6D5C5")))
                self.confusion.setItem(r, c, item)

    def _document_chosen(self, row: int, _column: int) -> None:
        item = self.documents.item(row, 0)
        if item is not None:
            self.documentChosen.emit(item.data(Qt.ItemDataRole.UserRole))

    def export_html(self, path: str | None = None) -> Path | None:
        """Write the self-contained HTML report of the figures shown."""
        if self.result is None:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Agreement report"), f"{self.project.name}-agreement.html", "HTML (*.html)"
            )
            if not path:
                return None
        from workbench.core.agreement.html_report import render_html

        html = render_html(
            self.result.combined(),
            title=self.project.name,
            doc_titles=self.result.titles,
            source=str(self.project.path),
        )
        Path(path).write_text(html, encoding="utf-8")
        return Path(path)
