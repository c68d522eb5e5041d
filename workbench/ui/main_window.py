"""The annotation window: document list, the article with its spans, and the tagging panel.

Every change goes through a core action (one transaction, logged) wrapped in
the undo stack; the window only shows what the database now holds.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workbench import APP_NAME
from workbench.core.actions import Action, CreateSpan, DeleteSpan, EditSpan, SetStatus
from workbench.core.adjudication import DeleteGoldSpan
from workbench.core.assign import assigned
from workbench.core.bundles.project_bundle import is_annotator_copy
from workbench.core.bundles.work_bundle import export_work_bundle
from workbench.core.errors import WorkbenchError
from workbench.core.store import documents
from workbench.core.store import spans as span_store
from workbench.core.store import status as doc_status
from workbench.core.store.labels import TEXT
from workbench.core.store.project import GOLD, Project, now
from workbench.core.store.spans import Span
from workbench.core.text import boundaries
from workbench.ui.adjudication_panel import AdjudicationPanel
from workbench.ui.agreement_view import AgreementView
from workbench.ui.annotation_view import AnnotationView
from workbench.ui.attribute_form import AttributeForm
from workbench.ui.commands import COMMANDS, translated
from workbench.ui.document_panel import DocumentPanel
from workbench.ui.export_dialog import ExportDialog
from workbench.ui.label_palette import LabelPalette
from workbench.ui.search_panel import SearchPanel
from workbench.ui.span_table import SpanTableModel
from workbench.ui.team_panel import TeamPanel
from workbench.ui.undo import ActionCommand

DEFAULT_POINT_SIZE = 15.0


class MainWindow(QMainWindow):
    languageRequested = Signal(str)
    openRequested = Signal(str)  # a project file or a project bundle to open instead

    def __init__(self, project: Project, settings: QSettings, undo_stack: QUndoStack | None = None, parent=None):
        super().__init__(parent)
        self.project = project
        self.settings = settings
        self.annotator = project.current_annotator or ""
        self.labels = {label.name: label for label in project.labels()}
        self.colors = {name: label.color for name, label in self.labels.items()}
        self.undo_stack = undo_stack or QUndoStack(self)
        self.current_doc_id: str | None = None
        self.text = ""
        self.selected_span: str | None = None
        self.setWindowTitle(f"{project.name} — {APP_NAME}")
        self.setObjectName("mainWindow")
        self.resize(1440, 900)

        # Documents (start side), the article (middle), the tagging panel (end side).
        self.documents = DocumentPanel(project, self.annotator)
        self.documents.documentActivated.connect(self.open_document)
        self.view = AnnotationView()
        self.view.setObjectName("articleView")
        self.view.spanClicked.connect(lambda span_id: self.select_span(span_id or None))
        self.view.selectionChanged.connect(self._show_selection_info)

        self.palette_widget = LabelPalette()
        self.palette_widget.set_labels(list(self.labels.values()))
        self.palette_widget.labelChosen.connect(self.apply_label)
        self.span_model = SpanTableModel(self)
        self.span_table = QTableView()
        self.span_table.setObjectName("spanTable")
        self.span_table.setModel(self.span_model)
        self.span_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.span_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.span_table.verticalHeader().hide()
        self.span_table.setWordWrap(False)
        self.span_table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.span_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.span_table.horizontalHeader()
        # Fixed and stretched columns only: sizing to contents reads every row on each change.
        header.setSectionResizeMode(SpanTableModel.LABEL, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(SpanTableModel.LABEL, 110)
        header.setSectionResizeMode(SpanTableModel.TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SpanTableModel.ATTRIBUTES, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(SpanTableModel.ATTRIBUTES, 110)
        self.span_table.selectionModel().currentRowChanged.connect(self._on_span_row)
        self.form = AttributeForm()
        self.form.setObjectName("attributeForm")
        self.form.edited.connect(self._edit_from_form)

        side = QWidget()
        side.setObjectName("taggingPanel")
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(6, 6, 6, 6)
        side_layout.addWidget(self._heading(self.tr("Labels")))
        side_layout.addWidget(self.palette_widget)
        side_layout.addWidget(self._heading(self.tr("Spans in this document")))
        side_layout.addWidget(self.span_table, 3)
        side_layout.addWidget(self._heading(self.tr("Attributes")))
        side_layout.addWidget(self.form, 2)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.documents)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([370, 690, 380])
        self.setCentralWidget(self.splitter)

        self.search = SearchPanel(project.path)
        self.search.text_provider = lambda: (self.current_doc_id or "", self.text)
        self.search.hitChosen.connect(self.show_hit)
        self.search_dock = self._dock(
            self.tr("Search"), "searchDock", self.search, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.guidelines = QTextBrowser()
        self.guidelines.setObjectName("guidelines")
        self.guidelines.setOpenExternalLinks(False)
        self.guidelines_dock = self._dock(
            self.tr("Guidelines"), "guidelinesDock", self.guidelines, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self._fill_guidelines()
        self.team = TeamPanel(project)
        self.team.merged.connect(self.reload)
        self.team_dock = self._dock(self.tr("Team"), "teamDock", self.team, Qt.DockWidgetArea.BottomDockWidgetArea)
        if project.annotators() and not is_annotator_copy(project) and assigned(project):
            self.team_dock.show()
        self.agreement = AgreementView(project)
        self.agreement.documentChosen.connect(self.adjudicate_document)
        self.agreement_dock = self._dock(
            self.tr("Agreement"), "agreementDock", self.agreement, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.adjudication = AdjudicationPanel(project, self.colors)
        self.adjudication.rangeChosen.connect(self._show_range)
        self.adjudication.actionRequested.connect(self.run)
        self.adjudication_dock = self._dock(
            self.tr("Adjudication"), "adjudicationDock", self.adjudication, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.adjudication_dock.visibilityChanged.connect(self._adjudicating)

        self.saved = QLabel()
        self.saved.setObjectName("savedIndicator")
        self.selection_info = QLabel()
        self.doc_info = QLabel()
        self.statusBar().addWidget(self.selection_info, 1)
        self.layer_info = QLabel()
        self.layer_info.setObjectName("layerInfo")
        self.layer_info.setStyleSheet("color: #8A5A00; font-weight: bold;")
        self.statusBar().addPermanentWidget(self.layer_info)
        self.statusBar().addPermanentWidget(self.doc_info)
        self.statusBar().addPermanentWidget(self.saved)
        self._set_saved(True)

        self.actions: dict[str, QAction] = {}
        self._build_actions()
        self.undo_stack.indexChanged.connect(self._update_action_state)
        self.set_zoom(float(self.settings.value("zoom", DEFAULT_POINT_SIZE)))

        first = self.settings.value("last_document")
        if not (first and documents.get(project.db, first)):
            first = doc_status.next_unfinished(project.db, self.annotator, None) or self.documents.neighbour(None, 1)
        if first:
            self.open_document(first)
        self._update_action_state()

    # --- building -----------------------------------------------------------------

    def _heading(self, text: str) -> QLabel:
        label = QLabel(f"<b>{text}</b>")
        label.setContentsMargins(0, 6, 0, 2)
        return label

    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        dock.hide()
        return dock

    def _fill_guidelines(self) -> None:
        text = self.project.setting("guidelines") or self.tr(
            "This project has no guidelines yet. The lead sets them in the project."
        )
        key, heading = self.tr("key"), self.tr("Labels")
        labels = "\n".join(
            f"- **{label.name}** ({key} {label.key}): {label.description}" for label in self.labels.values()
        )
        self.guidelines.setMarkdown(f"{text}\n\n### {heading}\n\n{labels}\n")

    def _build_actions(self) -> None:
        handlers = {
            "delete_span": self.delete_selected,
            "strip_proclitic": self.strip_proclitic,
            "toggle_unsure": self.toggle_unsure,
            "next_span": lambda: self.step_span(1),
            "previous_span": lambda: self.step_span(-1),
            "clear_selection": self.clear_selection,
            "undo": self.undo_stack.undo,
            "redo": self.undo_stack.redo,
            "find": lambda: self._find(SearchPanel.DOCUMENT),
            "find_corpus": lambda: self._find(SearchPanel.CORPUS),
            "find_next": self.search.next_hit,
            "mark_done": self.mark_done_and_next,
            "mark_in_progress": lambda: self.set_status("in-progress"),
            "next_document": lambda: self._step_document(1),
            "previous_document": lambda: self._step_document(-1),
            "zoom_in": lambda: self.set_zoom(self.zoom + 1),
            "zoom_out": lambda: self.set_zoom(self.zoom - 1),
            "zoom_reset": lambda: self.set_zoom(DEFAULT_POINT_SIZE),
            "guidelines": lambda: self.guidelines_dock.setVisible(not self.guidelines_dock.isVisible()),
            "language_en": lambda: self.languageRequested.emit("en"),
            "language_ar": lambda: self.languageRequested.emit("ar"),
            "quit": self.close,
            "open": self.choose_and_open,
            "export_work": self.export_work,
            "export_training": self.export_training,
            "team": lambda: self.team_dock.setVisible(not self.team_dock.isVisible()),
            "agreement": self.toggle_agreement,
            "adjudicate": lambda: self.adjudication_dock.setVisible(not self.adjudication_dock.isVisible()),
            "accept_majority": self.adjudication.accept_majority,
            "accept_unanimous": self.adjudication.accept_unanimous,
            "next_cluster": lambda: self.adjudication.step(1),
            "previous_cluster": lambda: self.adjudication.step(-1),
            "snap_words": lambda: self.settings.setValue("snap_words", self.actions["snap_words"].isChecked()),
        }
        for edge in ("start", "end"):
            for unit in ("", "_word"):
                for side in ("left", "right"):
                    # (triggered passes "checked" first: it must not land in e)
                    handlers[f"{edge}{unit}_{side}"] = lambda _checked=False, e=edge, w=bool(unit), s=side: (
                        self.move_edge(e, s, by_word=w)
                    )
        menus = {
            "File": self.menuBar().addMenu(self.tr("&File")),
            "Edit": self.menuBar().addMenu(self.tr("&Edit")),
            "Annotate": self.menuBar().addMenu(self.tr("&Annotate")),
            "Document": self.menuBar().addMenu(self.tr("&Document")),
            "Adjudicate": self.menuBar().addMenu(self.tr("Ad&judicate")),
            "View": self.menuBar().addMenu(self.tr("&View")),
        }
        for command in COMMANDS:
            action = QAction(translated(command.text), self)
            action.setObjectName(f"action_{command.id}")
            if command.shortcuts:
                action.setShortcuts([QKeySequence(s) for s in command.shortcuts])
            action.setStatusTip(translated(command.help))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(handlers[command.id])
            menus[command.menu].addAction(action)
            self.actions[command.id] = action
        snap = self.actions["snap_words"]
        snap.setCheckable(True)
        snap.setChecked(self.settings.value("snap_words", True, type=bool))
        for name, label in self.labels.items():
            action = QAction(self.tr("Label as %1").replace("%1", name), self)
            action.setObjectName(f"action_label_{name}")
            if label.key:
                action.setShortcut(QKeySequence(label.key))
            action.triggered.connect(lambda _=False, n=name: self.apply_label(n))
            menus["Annotate"].insertAction(menus["Annotate"].actions()[0], action)
            self.actions[f"label_{name}"] = action
        for number in range(1, 10):
            action = QAction(self.tr("Accept version %1").replace("%1", str(number)), self)
            action.setObjectName(f"action_accept_{number}")
            action.setShortcut(QKeySequence(f"Alt+{number}"))
            action.triggered.connect(lambda _=False, n=number: self.adjudication.accept_version(n - 1))
            menus["Adjudicate"].addAction(action)
            self.actions[f"accept_{number}"] = action
        for key in ("accept_majority", "accept_unanimous", "next_cluster", "previous_cluster"):
            self.actions[key].setEnabled(False)
        self.actions["export_work"].setEnabled(is_annotator_copy(self.project))
        view_menu = menus["View"]
        view_menu.addSeparator()
        view_menu.addAction(self.search_dock.toggleViewAction())
        view_menu.addAction(self.guidelines_dock.toggleViewAction())
        view_menu.addAction(self.team_dock.toggleViewAction())
        view_menu.addAction(self.agreement_dock.toggleViewAction())

    def _update_action_state(self, _index: int = 0) -> None:
        try:
            self.undo_stack.count()
        except RuntimeError:  # the session (and its stack) is being torn down
            return
        self.actions["undo"].setEnabled(self.undo_stack.canUndo())
        self.actions["undo"].setText(
            self.tr("Undo") + (f" {self.undo_stack.undoText()}" if self.undo_stack.canUndo() else "")
        )
        self.actions["redo"].setEnabled(self.undo_stack.canRedo())
        self.actions["redo"].setText(
            self.tr("Redo") + (f" {self.undo_stack.redoText()}" if self.undo_stack.canRedo() else "")
        )

    # --- files and bundles ---------------------------------------------------------

    def choose_and_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a project or a project bundle"),
            "",
            self.tr("Projects and bundles (*.wbproj *.wbbundle *.zip);;All files (*)"),
        )
        if path:
            self.openRequested.emit(path)

    def export_work(self, path: str | None = None) -> Path | None:
        """Write the annotator's signed work bundle (to ``path``, or where the user says)."""
        if path is None:
            suggested = f"{self.project.name}-{self.annotator}-work.wbwork"
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export work bundle"), suggested, self.tr("Work bundles (*.wbwork)")
            )
            if not path:
                return None
        try:
            summary = export_work_bundle(self.project, path)
        except WorkbenchError as exc:
            self._refused(exc)
            return None
        self.statusBar().showMessage(
            self.tr("Wrote %1: %2 spans on %3 documents.")
            .replace("%1", str(summary.path))
            .replace("%2", str(summary.spans))
            .replace("%3", str(summary.documents)),
            8000,
        )
        return summary.path

    def export_training(self) -> ExportDialog:
        dialog = ExportDialog(self.project, self)
        dialog.show()
        return dialog

    def reload(self) -> None:
        """Show the database again after work came in from elsewhere (merged bundles)."""
        current, self.current_doc_id = self.current_doc_id, None
        self.documents.reload(keep=current)
        if current:
            self.open_document(current)

    # --- agreement and adjudication --------------------------------------------------

    def toggle_agreement(self) -> None:
        visible = not self.agreement_dock.isVisible()
        self.agreement_dock.setVisible(visible)
        if visible and self.agreement.result is None:
            self.agreement.compute()

    def adjudicate_document(self, doc_id: str) -> None:
        self.open_document(doc_id)
        self.adjudication_dock.show()

    def _adjudicating(self, visible: bool) -> None:
        """While the adjudication panel is open the window edits the gold layer."""
        for key in ("accept_majority", "accept_unanimous", "next_cluster", "previous_cluster"):
            self.actions[key].setEnabled(visible)
        for number in range(1, 10):
            self.actions[f"accept_{number}"].setEnabled(visible)
        self.set_layer(GOLD if visible else (self.project.current_annotator or ""))
        if visible:
            self.resizeDocks([self.adjudication_dock], [max(360, self.width() // 4)], Qt.Orientation.Horizontal)
            self.adjudication.show_document(self.current_doc_id, self.text)

    def set_layer(self, name: str) -> None:
        """Show and edit ``name``'s spans (an annotator's, or the gold layer)."""
        if name == self.annotator:
            return
        self.annotator = name
        current, self.current_doc_id = self.current_doc_id, None
        if current:
            self.open_document(current)
        self.layer_info.setText(self.tr("Layer: gold") if name == GOLD else "")

    def _show_range(self, start: int, end: int) -> None:
        self.view.select_range(start, end)
        self.view.ensureCursorVisible()

    # --- documents ------------------------------------------------------------------

    def open_document(self, doc_id: str) -> None:
        if doc_id == self.current_doc_id:
            return
        document = documents.get(self.project.db, doc_id)
        if document is None:
            return
        self.current_doc_id = doc_id
        self.text = document.text
        spans = span_store.for_document(self.project.db, doc_id, self.annotator)
        self.selected_span = None
        self.view.set_document(document.text, spans, self.colors)
        self._refresh_table()
        self.form.show_span(None, None)
        self.documents.select(doc_id, emit=False)
        characters = self.tr("characters")
        self.doc_info.setText(f"{document.id} · {len(document.text):,} {characters}")
        self.settings.setValue("last_document", doc_id)
        if self.adjudication_dock.isVisible():
            self.adjudication.show_document(doc_id, self.text)
        self.view.setFocus()

    def _step_document(self, step: int) -> None:
        target = self.documents.neighbour(self.current_doc_id, step)
        if target:
            self.open_document(target)

    def set_status(self, status: str) -> bool:
        if not self.current_doc_id:
            return False
        return self.run(SetStatus(self.current_doc_id, self.annotator, status))

    def mark_done_and_next(self) -> None:
        current = self.current_doc_id
        if not self.set_status("done"):
            return
        following = doc_status.next_unfinished(self.project.db, self.annotator, current)
        if following:
            self.open_document(following)
        else:
            self.statusBar().showMessage(self.tr("Every document is done."), 5000)

    # --- spans: create, select, change -----------------------------------------------

    def apply_label(self, label: str) -> None:
        """A label key or button: tag the selected text, or relabel the selected span."""
        if not self.current_doc_id:
            return
        raw = self.view.selected_range()
        if raw is not None:
            edges = boundaries.snap(self.text, *raw, to_words=self.actions["snap_words"].isChecked())
            if edges is None:
                self.statusBar().showMessage(self.tr("Nothing to tag: the selection holds no letters or digits."), 4000)
                return
            span = Span(self.current_doc_id, self.annotator, edges[0], edges[1], label)
            if self.run(CreateSpan(span)):
                self.view.clear_text_selection()
        elif self.selected_span in self.view.spans:
            before = self.view.spans[self.selected_span]
            if before.label != label:
                attributes = {k: v for k, v in before.attributes.items() if self.labels[label].attribute(k)}
                self.run(EditSpan(before, label=label, attributes=attributes))

    def select_span(self, span_id: str | None) -> None:
        if span_id is not None and span_id not in self.view.spans:
            span_id = None
        self.selected_span = span_id
        self.view.show_selected_span(span_id)
        row = self.span_model.row_of(span_id) if span_id else -1
        selection = self.span_table.selectionModel()
        selection.blockSignals(True)
        if row >= 0:
            # (selectRow() does nothing in a right-to-left layout: select through the model)
            selection.setCurrentIndex(
                self.span_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.span_table.scrollTo(self.span_model.index(row, 0))
        else:
            self.span_table.clearSelection()
        selection.blockSignals(False)
        self._show_form()

    def _show_form(self) -> None:
        span = self.view.spans.get(self.selected_span) if self.selected_span else None
        label = self.labels.get(span.label) if span else None
        completions = {}
        if label is not None:
            for attribute in label.attributes:
                if attribute.type == TEXT:
                    completions[attribute.name] = span_store.attribute_values(
                        self.project.db, attribute.name, label.name
                    )
        self.form.show_span(span, label, completions)

    def _on_span_row(self, current, _previous) -> None:
        if current.isValid():
            self.select_span(self.span_model.span(current.row()).id)

    def step_span(self, step: int) -> None:
        ordered = self.view.ordered_spans()
        if not ordered:
            return
        ids = [s.id for s in ordered]
        if self.selected_span in ids:
            index = (ids.index(self.selected_span) + step) % len(ids)
        else:
            index = 0 if step > 0 else len(ids) - 1
        self.select_span(ids[index])

    def clear_selection(self) -> None:
        self.view.clear_text_selection()
        self.select_span(None)

    def delete_selected(self) -> None:
        if self.selected_span in self.view.spans:
            span = self.view.spans[self.selected_span]
            actor = self.project.current_annotator or ""
            # A gold span keeps its provenance through delete and undo.
            self.run(DeleteGoldSpan(span, actor) if span.annotator == GOLD else DeleteSpan(span))

    def toggle_unsure(self) -> None:
        if self.selected_span in self.view.spans:
            span = self.view.spans[self.selected_span]
            self.run(EditSpan(span, unsure=not span.unsure))

    def strip_proclitic(self) -> None:
        if self.selected_span in self.view.spans:
            span = self.view.spans[self.selected_span]
            start, end = boundaries.without_proclitic(self.text, span.start, span.end)
            if start != span.start:
                self.run(EditSpan(span, start=start, text=self.tr("Remove proclitic")))
            return
        raw = self.view.selected_range()
        if raw is not None:
            edges = boundaries.snap(self.text, *raw, to_words=self.actions["snap_words"].isChecked())
            if edges:
                self.view.select_range(*boundaries.without_proclitic(self.text, *edges))

    def move_edge(self, edge: str, side: str, by_word: bool = False) -> None:
        """Move an edge of the selected span toward a side of the screen, one character or word.

        In a right-to-left paragraph "left" is forward in the text; in a
        left-to-right one it is backward.
        """
        span = self.view.spans.get(self.selected_span) if self.selected_span else None
        if span is None:
            return
        offset = span.start if edge == "start" else span.end
        rtl = self.view.paragraph_is_rtl(max(0, offset - (edge == "end")))
        direction = (1 if side == "right" else -1) * (-1 if rtl else 1)
        step = boundaries.next_word_edge if by_word else boundaries.next_grapheme_edge
        moved = step(self.text, offset, direction)
        start, end = (moved, span.end) if edge == "start" else (span.start, moved)
        if by_word:
            # A word step lands on the far side of the space: keep edges on letters.
            start, end = boundaries.trim(self.text, start, end)
        if start >= end or (start, end) == (span.start, span.end):
            return
        self.run(EditSpan(span, start=start, end=end))

    def _edit_from_form(self, span_id: str, changes: dict) -> None:
        span = self.view.spans.get(span_id)
        if span is not None:
            self.run(EditSpan(span, **changes))

    # --- running actions ----------------------------------------------------------------

    def run(self, action: Action) -> bool:
        """Do ``action`` (one transaction), put it on the undo stack, show the result."""
        try:
            action.do(self.project)
        except WorkbenchError as exc:
            self._refused(exc)
            return False
        self.undo_stack.push(ActionCommand(self.project, action, self._after, self._refused))
        self._after(action, fresh=True)
        return True

    def _refused(self, exc: Exception) -> None:
        self._set_saved(True)
        self.statusBar().showMessage(str(exc), 8000)
        QMessageBox.warning(self, APP_NAME, str(exc))

    def _after(self, action: Action, fresh: bool = False) -> None:
        """Show what ``action`` (just done, undone or redone) left in the database."""
        doc_id = action.document()
        if doc_id is None:
            return
        if doc_id != self.current_doc_id:
            self.open_document(doc_id)
        if isinstance(action, CreateSpan) and fresh:
            self.view.put_span(action.span)
            self.span_model.insert(action.span)
            self.select_span(action.span.id)
        elif not isinstance(action, SetStatus):
            self._sync_spans()
        self.documents.status_changed(doc_id)
        if self.adjudication_dock.isVisible():
            self.adjudication.show_document(self.current_doc_id, self.text)
        self._set_saved(True)

    def _sync_spans(self) -> None:
        """Bring the view in line with the database (after undo, redo or an edit)."""
        stored = {s.id: s for s in span_store.for_document(self.project.db, self.current_doc_id, self.annotator)}
        for span_id in [i for i in self.view.spans if i not in stored]:
            self.view.drop_span(span_id)
        for span in stored.values():
            if self.view.spans.get(span.id) != span:
                self.view.put_span(span)
        self._refresh_table()
        self.select_span(self.selected_span if self.selected_span in stored else None)

    def _refresh_table(self) -> None:
        self.span_model.set_spans(self.view.ordered_spans(), self.text, self.colors)

    def _set_saved(self, saved: bool) -> None:
        if saved:
            self.saved.setText("✓ " + self.tr("All changes saved"))
            self.saved.setToolTip(self.tr("Every action is written to the project file as you make it.") + f"\n{now()}")
        else:
            self.saved.setText("…")

    # --- search, selection info, zoom ----------------------------------------------------

    def _find(self, scope: int) -> None:
        self.search_dock.show()
        self.search.focus(scope)

    def show_hit(self, doc_id: str, start: int, end: int) -> None:
        self.open_document(doc_id)
        self.view.select_range(start, end)
        self.view.ensureCursorVisible()
        self.view.setFocus()

    def _show_selection_info(self) -> None:
        raw = self.view.selected_range()
        if raw is None:
            self.selection_info.clear()
            return
        edges = boundaries.snap(self.text, *raw, to_words=self.actions["snap_words"].isChecked())
        if edges:
            shown = self.text[edges[0] : edges[1]]
            if len(shown) > 60:
                shown = shown[:57] + "…"
            # The offsets isolated left to right, so Arabic text beside them cannot reorder them.
            self.selection_info.setText(f"\u2066[{edges[0]}, {edges[1]})\u2069  {shown}")

    @property
    def zoom(self) -> float:
        return self.view.font().pointSizeF()

    def set_zoom(self, size: float) -> None:
        size = min(max(size, 8.0), 40.0)
        font = self.view.font()
        font.setPointSizeF(size)
        self.view.setFont(font)
        self.settings.setValue("zoom", size)

    def closeEvent(self, event) -> None:
        self.search.cancel()
        try:
            self.undo_stack.indexChanged.disconnect(self._update_action_state)
        except (RuntimeError, TypeError):
            pass  # already gone
        self.settings.setValue("geometry", self.saveGeometry())
        super().closeEvent(event)
