"""The document list: a table model that fetches rows from the project a page at a time."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from workbench.core.store import documents
from workbench.core.store import status as doc_status
from workbench.core.store.project import Project
from workbench.core.text.normalise import starts_rtl

PAGE = 256
_STATUS_TEXT = {
    "not-started": QT_TRANSLATE_NOOP("DocumentListModel", "○ To do"),
    "in-progress": QT_TRANSLATE_NOOP("DocumentListModel", "◐ Started"),
    "done": QT_TRANSLATE_NOOP("DocumentListModel", "● Done"),
}


class DocumentListModel(QAbstractTableModel):
    """Columns: title, characters, status. Rows arrive lazily (``canFetchMore``/``fetchMore``),
    so a project of 100,000 documents opens as fast as one of ten."""

    TITLE, CHARS, STATUS = range(3)
    HEADERS = (
        QT_TRANSLATE_NOOP("DocumentListModel", "Title"),
        QT_TRANSLATE_NOOP("DocumentListModel", "Length"),
        QT_TRANSLATE_NOOP("DocumentListModel", "Status"),
    )
    DocIdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, project: Project, annotator: str | None, status: str | None = None, parent=None):
        super().__init__(parent)
        self._project = project
        self._annotator = annotator
        self._status = status
        self._rows: list[documents.DocumentSummary] = []
        self._row_of: dict[str, int] = {}
        self._total = documents.count(project.db, annotator, status)
        self._all = self._total if status is None else documents.count(project.db)  # the project's, unfiltered
        self.fetchMore()  # the first page now, so a selection can be made before painting

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid():
            return
        page = documents.summaries(
            self._project.db, self._annotator, status=self._status, offset=len(self._rows), limit=PAGE
        )
        if not page:
            self._total = len(self._rows)
            return
        self._append(page)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TITLE:
                return row.title
            if column == self.CHARS:
                return f"{row.chars:,}"
            return self.tr(_STATUS_TEXT[row.status])
        if role == self.DocIdRole:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole and column == self.TITLE:
            return f"{row.title}\n{row.id}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == self.CHARS:
                return int(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
            if column == self.TITLE:
                # A title sits on the side its own script starts from, whatever the UI language.
                side = Qt.AlignmentFlag.AlignRight if starts_rtl(row.title) else Qt.AlignmentFlag.AlignLeft
                return int(side | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter)
        return None

    def header(self, column: int) -> str:
        return self.tr(self.HEADERS[column])

    def status_texts(self) -> list[str]:
        """Every status as the list shows it (to size its column)."""
        return [self.tr(text) for text in _STATUS_TEXT.values()]

    @property
    def total(self) -> int:
        return self._total

    def doc_id(self, row: int) -> str:
        return self._rows[row].id

    def find(self, doc_id: str) -> int:
        """The row of ``doc_id``, fetching further pages if needed; -1 if it is not listed.

        The pages read on the way (each twice the one before) come in as one insertion: the
        view measures its rows once, not once per page (a document at the end of a long list
        is where a window reopens on its last document)."""
        if doc_id in self._row_of:
            return self._row_of[doc_id]
        pending: list[documents.DocumentSummary] = []
        size = PAGE
        while len(self._rows) + len(pending) < self._total:
            page = documents.summaries(
                self._project.db,
                self._annotator,
                status=self._status,
                offset=len(self._rows) + len(pending),
                limit=size,
            )
            if not page:
                self._total = len(self._rows) + len(pending)
                break
            pending.extend(page)
            if any(summary.id == doc_id for summary in page):
                break
            size *= 2
        self._append(pending)
        return self._row_of.get(doc_id, -1)

    def _append(self, page: list[documents.DocumentSummary]) -> None:
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self._row_of.update((summary.id, first + n) for n, summary in enumerate(page))
        self.endInsertRows()

    def knows(self, doc_id: str) -> bool:
        """Whether ``doc_id`` is among the rows fetched so far."""
        return doc_id in self._row_of

    def take_new_documents(self) -> bool | None:
        """Documents that arrived from elsewhere (the command line, a merge): list them after the
        others (they come last in list order). One ``COUNT`` when nothing changed. ``True`` when
        rows were added or more are now to fetch, ``False`` when nothing changed, ``None`` when
        documents went away (the list must be built again)."""
        every = documents.count(self._project.db)
        if every == self._all:
            return False
        if every < self._all:
            return None
        self._all = every
        fetched_all = len(self._rows) >= self._total
        self._total = (
            every if self._status is None else documents.count(self._project.db, self._annotator, self._status)
        )
        if fetched_all and self.canFetchMore():
            self.fetchMore()  # the list was complete: show the new rows now (else they come with scrolling)
        return True

    def refresh_row(self, doc_id: str) -> None:
        """Re-read one row's status from the project."""
        row = self._row_of.get(doc_id, -1)
        if row < 0:
            return
        status = doc_status.get(self._project.db, doc_id, self._annotator) if self._annotator else "not-started"
        old = self._rows[row]
        if old.status == status:
            return  # (a repainted row makes the view measure the rows of its sized columns again)
        self._rows[row] = documents.DocumentSummary(old.id, old.title, old.chars, old.sha256, status)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
