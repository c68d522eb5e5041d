"""The document list with its status filter and the annotator's overall progress."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.store import status as doc_status
from workbench.core.store.documents import STATUSES
from workbench.core.store.project import Project
from workbench.ui.document_list import DocumentListModel


class DocumentPanel(QWidget):
    documentActivated = Signal(str)

    def __init__(
        self,
        project: Project,
        annotator: str | None,
        parent: QWidget | None = None,
        after_paint: Callable[[Callable[[], object]], None] | None = None,
    ):
        """``after_paint``: how the window holds work until its article has painted; the
        progress (counted over every document's status: 7 ms at 10,000 documents, ten times
        that at 100,000) is counted then."""
        super().__init__(parent)
        self.project = project
        self.annotator = annotator
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)

        self.filter = QComboBox()
        self.filter.setObjectName("statusFilter")
        self.filter.addItem(self.tr("All documents"), None)
        for status, text in zip(STATUSES, (self.tr("Not started"), self.tr("In progress"), self.tr("Done"))):
            self.filter.addItem(text, status)
        self.filter.currentIndexChanged.connect(lambda _i: self.reload())
        layout.addWidget(self.filter)

        self.table = QTableView()
        self.table.setObjectName("documentList")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.table, 1)

        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progressLabel")
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)
        self.model: DocumentListModel | None = None
        self._quiet = False  # select(emit=False) is moving the highlight: no documentActivated
        self.reload(progress=after_paint is None)
        if after_paint is not None:
            after_paint(self._first_progress)

    def reload(self, keep: str | None = None, *, progress: bool = True) -> None:
        """Rebuild the list (after a filter change); keep ``keep`` selected if it is listed;
        count the progress again unless ``progress`` is false."""
        self.model = DocumentListModel(self.project, self.annotator, self.filter.currentData(), parent=self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(self.table.fontMetrics().horizontalAdvance("M") * 3)  # (the style's is wide)
        header.setSectionResizeMode(DocumentListModel.TITLE, QHeaderView.ResizeMode.Stretch)
        # Widths from the font, not from the rows (sizing to contents measures every row
        # fetched, 12,000 cells at start on a large project): a length of six digits and
        # the longest status text, with a cell's margins, or the header if it is wider.
        metrics = self.table.fontMetrics()
        # (a cell's margins: two spaces of the font, about what the styles draw; asking the style
        # for its focus frame's margin made PySide6 build QStyle's enums, 5-8 ms of every start)
        margin = metrics.horizontalAdvance("  ")
        # (+ a letter for the status: its mark may come from a wider fallback font)
        for column, texts, extra in (
            (DocumentListModel.CHARS, ["999,999"], 0),
            (DocumentListModel.STATUS, self.model.status_texts(), metrics.horizontalAdvance("M")),
        ):
            widest = max(metrics.horizontalAdvance(text) + margin for text in texts) + extra
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, max(widest, header.sectionSizeFromContents(column).width()))
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        if progress:
            self.update_progress()
        if keep:
            self.select(keep, emit=False)

    def take_new_documents(self, keep: str | None = None) -> bool:
        """List documents imported elsewhere since the list was read (the command line, another
        process), keeping ``keep`` selected; cheap when nothing changed (one count)."""
        if self.model is None:
            return False
        added = self.model.take_new_documents()
        if added is False:
            return False
        if added is None:  # documents went away: read the list again
            self.reload(keep=keep)
            return True
        self.update_progress()
        return True

    def knows(self, doc_id: str) -> bool:
        return self.model is not None and self.model.knows(doc_id)

    def _on_current(self, current, _previous) -> None:
        if current.isValid() and self.model is not None and not self._quiet:
            self.documentActivated.emit(self.model.doc_id(current.row()))

    def select(self, doc_id: str, emit: bool = True) -> bool:
        """Highlight ``doc_id`` in the list (fetching pages until it is found)."""
        assert self.model is not None
        row = self.model.find(doc_id)
        if row < 0:
            return False
        # The selection model's signals must reach the table (they repaint the row that loses the
        # highlight); only documentActivated is held back when ``emit`` is false.
        self._quiet = not emit
        try:
            # (selectRow() does nothing in a right-to-left layout: select through the model)
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(self.model.index(row, 0))
        finally:
            self._quiet = False
        return True

    def neighbour(self, doc_id: str | None, step: int) -> str | None:
        """The document ``step`` rows after (or before) ``doc_id`` in the list."""
        assert self.model is not None
        row = self.model.find(doc_id) if doc_id else -1
        target = row + step
        if target >= self.model.rowCount() and self.model.canFetchMore():
            self.model.fetchMore()
        if 0 <= target < self.model.rowCount():
            return self.model.doc_id(target)
        return None

    def status_changed(self, doc_id: str) -> None:
        """A status changed: repaint its row and the progress. A filtered list keeps the row
        until the filter changes, so the list does not jump under the annotator's hand."""
        assert self.model is not None
        self.model.refresh_row(doc_id)
        self.update_progress()

    def _first_progress(self) -> None:
        if not self.project.closed:  # (a project closed under a window that had not painted)
            self.update_progress()

    def update_progress(self) -> None:
        counts = doc_status.progress(self.project.db, self.annotator)
        total = counts["total"]
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(counts["done"])
        self.progress_label.setText(
            self.tr("%1 of %2 done · %3 in progress")
            .replace("%1", f"{counts['done']:,}")
            .replace("%2", f"{total:,}")
            .replace("%3", f"{counts['in-progress']:,}")
        )
