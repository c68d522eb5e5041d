"""Find in the open document or in the whole corpus; corpus search runs off the UI thread."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.store import documents
from workbench.core.store.project import Project
from workbench.ui.background import BackgroundTask, run_in_background

FSI, PDI = "\u2068", "\u2069"  # first-strong isolate: a title or a snippet keeps its own direction
TITLE_CHARS = 40


def corpus_search(query: str):
    """The work of a corpus search, for :func:`~workbench.ui.background.run_in_background`:
    the hits, and the titles of their documents (read on the worker's own connection)."""

    def work(project: Project, progress, cancelled) -> tuple[list, dict[str, str]]:
        from workbench.core import search  # (when a search runs, not at start-up)

        # Documents imported since the last search join the index first, for at most 2 s (a
        # large import is indexed over a few searches; until then its documents are read whole).
        search.catch_up(project, seconds=2.0, cancelled=cancelled)
        hits = search.in_corpus(project.path, query, cancelled=cancelled, progress=progress)
        return hits, documents.titles_of(project.db, (hit.doc_id for hit in hits))

    return work


def english_plural(text: str, n: int) -> str:
    """Qt's plural forms come from the translation; without one (the English interface) Qt
    leaves "%n match(es)" as "1 match(es)": choose the English form ("1 match", "2 matches")."""
    return re.sub(r"\(([a-z]+)\)", "" if n == 1 else r"\1", text)


def short_title(title: str) -> str:
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "…"


class SearchPanel(QWidget):
    hitChosen = Signal(str, int, int)  # doc id, start, end (code points)

    DOCUMENT, CORPUS = 0, 1

    def __init__(self, project_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.project_path = project_path
        self.text_provider = lambda: ("", "")  # (doc id, text) of the open document
        self.titles_provider: Callable[[list[str]], dict[str, str]] = lambda _ids: {}  # doc id -> title
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        row = QHBoxLayout()
        self.query = QLineEdit()
        self.query.setObjectName("searchQuery")
        self.query.setPlaceholderText(self.tr("Search (harakat, tatweel and أ/إ/آ, ى, ة are ignored)"))
        self.query.setClearButtonEnabled(True)
        self.query.returnPressed.connect(self.run)
        self.scope = QComboBox()
        self.scope.setObjectName("searchScope")
        self.scope.addItems([self.tr("This document"), self.tr("All documents")])
        self.stop = QPushButton(self.tr("Stop"))
        self.stop.setVisible(False)
        self.stop.clicked.connect(self.cancel)
        row.addWidget(self.query, 1)
        row.addWidget(self.scope)
        row.addWidget(self.stop)
        layout.addLayout(row)
        self.bar = QProgressBar()
        self.bar.setVisible(False)
        self.bar.setMaximumHeight(8)
        self.bar.setTextVisible(False)
        layout.addWidget(self.bar)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        self.results = QListWidget()
        self.results.setObjectName("searchResults")
        self.results.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.results.itemActivated.connect(self._choose)
        self.results.itemClicked.connect(self._choose)
        layout.addWidget(self.results, 1)
        self._task: BackgroundTask | None = None

    def focus(self, scope: int) -> None:
        self.scope.setCurrentIndex(scope)
        self.query.setFocus()
        self.query.selectAll()

    def run(self) -> None:
        query = self.query.text()
        self.cancel()
        if self.scope.currentIndex() == self.DOCUMENT:
            from workbench.core import search

            doc_id, text = self.text_provider()
            self._show((search.in_text(doc_id, text, query), self.titles_provider([doc_id])))
            return
        self.bar.setVisible(True)
        self.stop.setVisible(True)
        self.bar.setRange(0, 0)
        self._task = run_in_background(
            self.project_path,
            corpus_search(query),
            on_progress=self._progress,
            on_result=self._show,
            on_error=self._failed,
        )

    def cancel(self) -> None:
        """Stop a running corpus search; its hits are not shown."""
        if self._task is not None:
            self._task.abandon()
            self._task.join()
        self._task = None
        self.bar.setVisible(False)
        self.stop.setVisible(False)

    def wait(self) -> None:
        """Block until a running corpus search is over and its hits shown (for tests and shutdown)."""
        if self._task is not None:
            self._task.join()

    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def _failed(self, exc: BaseException) -> None:
        self._task = None
        self.bar.setVisible(False)
        self.stop.setVisible(False)
        self.results.clear()
        self.summary.setText(str(exc))

    def _show(self, found: tuple[list, dict[str, str]]) -> None:
        """Show the hits, each with its document's title, and how many there are in how many documents."""
        hits, titles = found
        self._task = None
        self.bar.setVisible(False)
        self.stop.setVisible(False)
        self.results.clear()
        for hit in hits:
            title = titles.get(hit.doc_id, hit.doc_id)
            item = QListWidgetItem(f"{FSI}{short_title(title)}{PDI} — {FSI}{hit.before} «{hit.match}» {hit.after}{PDI}")
            item.setData(Qt.ItemDataRole.UserRole, (hit.doc_id, hit.start, hit.end))
            item.setToolTip(f"{FSI}{title}{PDI}\n{hit.doc_id}")
            self.results.addItem(item)
        self.summary.setText(self.summary_text(len(hits), len({h.doc_id for h in hits})))

    def summary_text(self, matches: int, documents: int) -> str:
        """The summary line, "1 match in 1 document" or "24 matches in 4 documents", in each language's plural forms."""
        if not matches:
            return self.tr("No matches.")
        found = english_plural(self.tr("%n match(es)", "", matches), matches)
        where = english_plural(self.tr("%n document(s)", "", documents), documents)
        return self.tr("%1 in %2", "matches in documents").replace("%1", found).replace("%2", where)

    def next_hit(self) -> None:
        if self.results.count():
            row = (self.results.currentRow() + 1) % self.results.count()
            self.results.setCurrentRow(row)
            self._choose(self.results.item(row))

    def _choose(self, item: QListWidgetItem) -> None:
        doc_id, start, end = item.data(Qt.ItemDataRole.UserRole)
        self.hitChosen.emit(doc_id, start, end)
