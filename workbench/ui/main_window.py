"""The main window: the document list beside the selected article."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QMainWindow, QSplitter, QTableView

from .. import APP_NAME
from ..core import documents
from ..core.project import Project
from .article_view import ArticleView
from .document_list import DocumentListModel


class MainWindow(QMainWindow):
    def __init__(self, project: Project, parent=None):
        super().__init__(parent)
        self.project = project
        self.setWindowTitle(f"{project.name} — {APP_NAME}")
        self.resize(1280, 820)

        self.model = DocumentListModel(project, project.current_annotator, parent=self)
        self.doc_list = QTableView()
        self.doc_list.setObjectName("documentList")
        self.doc_list.setModel(self.model)
        self.doc_list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.doc_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.doc_list.setWordWrap(False)
        self.doc_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.doc_list.verticalHeader().hide()
        header = self.doc_list.horizontalHeader()
        header.setSectionResizeMode(DocumentListModel.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DocumentListModel.CHARS, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DocumentListModel.STATUS, QHeaderView.ResizeMode.ResizeToContents)
        self.doc_list.selectionModel().selectionChanged.connect(self._on_selection)

        self.article = ArticleView()
        self.article.setObjectName("articleView")

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.doc_list)
        splitter.addWidget(self.article)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([460, 820])
        self.setCentralWidget(splitter)

        self.doc_info = QLabel()
        self.statusBar().addPermanentWidget(self.doc_info)
        self.statusBar().showMessage(
            self.tr("%n document(s) in %1", "", self.model.total).replace("%1", str(project.path))
        )
        self.current_doc_id: str | None = None
        if self.model.rowCount():
            self.doc_list.selectRow(0)

    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        if rows:
            self.open_document(self.model.doc_id(rows[0].row()))

    def open_document(self, doc_id: str) -> None:
        document = documents.get(self.project.db, doc_id)
        if document is None:
            return
        self.current_doc_id = doc_id
        self.article.show_text(document.text)
        self.doc_info.setText(f"{document.id} · {len(document.text):,} " + self.tr("characters"))
