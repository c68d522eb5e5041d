"""Adjudication mode: while the adjudication panel is open, the window edits the gold layer.

:class:`AdjudicationMode` switches the shown layer to gold and back as the panel
opens and closes, enables the adjudication keys, and keeps the panel on the open
document. The panel itself turns its keys into intents; the window's runner runs them.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow

from workbench.core.store.project import GOLD, Project
from workbench.ui.adjudication_panel import AdjudicationPanel
from workbench.ui.annotation_view import AnnotationView
from workbench.ui.document_spans import DocumentSpans
from workbench.ui.navigation import DocumentNavigator

KEYS = ("accept_majority", "accept_unanimous", "next_cluster", "previous_cluster")  # enabled only in the mode
VERSION_KEYS = tuple(f"accept_{number}" for number in range(1, 10))  # Alt+1 … Alt+9


class AdjudicationMode(QObject):
    def __init__(
        self,
        project: Project,
        window: QMainWindow,
        dock: QDockWidget,
        panel: AdjudicationPanel,
        navigator: DocumentNavigator,
        model: DocumentSpans,
        view: AnnotationView,
        actions: dict[str, QAction],
        layer_info: QLabel,
    ):
        super().__init__(window)
        self.project = project
        self.window = window
        self.dock = dock
        self.panel = panel
        self.navigator = navigator
        self.model = model
        self.view = view
        self.actions = actions
        self.layer_info = layer_info
        for key in KEYS:
            actions[key].setEnabled(False)
        # Open or closed, not in front of its tabs or behind them: switching to the agreement
        # tab does not leave the gold layer (visibilityChanged would).
        dock.toggleViewAction().toggled.connect(self._visible)
        navigator.opened.connect(self._opened)
        panel.rangeChosen.connect(self._show_range)

    def adjudicate(self, doc_id: str) -> None:
        """Open ``doc_id`` with the adjudication panel (a document chosen in the agreement view)."""
        self.navigator.open(doc_id)
        self.dock.show()
        self.dock.raise_()

    def _visible(self, visible: bool) -> None:
        for key in (*KEYS, *VERSION_KEYS):
            self.actions[key].setEnabled(visible)
        reopened = self.navigator.set_layer(GOLD if visible else (self.project.current_annotator or ""))
        if reopened:
            gold = QCoreApplication.translate("MainWindow", "Layer: gold")
            self.layer_info.setText(gold if self.navigator.layer == GOLD else "")
        if visible:
            self.window.resizeDocks([self.dock], [max(280, self.window.height() // 3)], Qt.Orientation.Vertical)
            if not (reopened and self.model.doc_id):  # (a reopened document has shown itself already)
                self.panel.show_document(self.model.doc_id, self.model.text)

    def _opened(self, doc_id: str) -> None:
        if self.dock.isVisible():
            self.panel.show_document(doc_id, self.model.text)

    def _show_range(self, start: int, end: int) -> None:
        self.view.select_range(start, end)
        self.view.ensureCursorVisible()
