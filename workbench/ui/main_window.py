"""The annotation window: the shell that lays out the panels, menus and status bar and wires them.

Each concern lives in its own module; the window only connects them:

- :mod:`workbench.ui.runner`: the one place actions run (the undo stack) and the
  one signal of what they changed (a :class:`~workbench.core.actions.Change`);
- :mod:`workbench.ui.document_spans`: the one model of the open document's spans,
  read by the article view, its highlighter and the span table;
- :mod:`workbench.ui.navigation`: which document and layer are shown, statuses;
- :mod:`workbench.ui.span_editing`: the selected span and the editing keys, as intents;
- :mod:`workbench.ui.adjudication_mode`: the gold layer while the adjudication panel is open;
- :mod:`workbench.ui.suggestion_feed`: the open document's suggestions, computed off the UI thread;
- :mod:`workbench.ui.model_trainer`: the annotator's model, trained in the background after "done";
- :mod:`workbench.ui.window_menus`: menus and shortcuts from the command table.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench import APP_NAME
from workbench.core.errors import WorkbenchError
from workbench.core.store import assignments as assignment_store
from workbench.core.store import documents as document_store
from workbench.core.store.project import Project, is_annotator_copy, now
from workbench.ui.annotation_view import AnnotationView
from workbench.ui.attribute_form import AttributeForm
from workbench.ui.background import AfterFirstPaint
from workbench.ui.damage_check import DamageCheck
from workbench.ui.document_panel import DocumentPanel
from workbench.ui.document_spans import DocumentSpans, suggestion_key
from workbench.ui.label_palette import LabelPalette
from workbench.ui.navigation import DocumentNavigator
from workbench.ui.runner import ActionRunner, write_notice
from workbench.ui.span_table import SpanTableModel
from workbench.ui.team_panel import TeamPanel
from workbench.ui.window_menus import add_menus

if TYPE_CHECKING:
    # (imported when used: the rest of the window, built after the first paint, and panels and
    # dialogs that a session may never open)
    from workbench.core.actions import Action, Change
    from workbench.ui.agreement_view import AgreementView
    from workbench.ui.attribute_dialog import AttributeDialog
    from workbench.ui.export_dialog import ExportDialog
    from workbench.ui.guidelines_editor import GuidelinesEditor
    from workbench.ui.suggestion_feed import AcceptAllDialog, PublicationDialog

log = logging.getLogger(__name__)
DEFAULT_POINT_SIZE = 15.0
ARTICLE_MIN_EMS = 24  # the article's least width, in the interface font's "M"
ARTICLE_SHARE = 0.45  # of the splitter's width the article gets back when the window is resized
LAYOUT_VERSION = 2  # of the docks' arrangement saved in the settings (1: adjudication on the side)


# What a user does to a window: the first of these that comes before the rest of the window is
# built builds it first (_WholeBeforeInput).
_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.ShortcutOverride,
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
        QEvent.Type.ContextMenu,
        QEvent.Type.InputMethod,
        QEvent.Type.TouchBegin,
    }
)


class _WholeBeforeInput(QObject):
    """Builds the rest of ``window`` before the first key, click or wheel the application gets
    between the article's first paint and the rest's turn (a key typed ahead as the window
    appears): the key's shortcut, or the click's menu, is there when it is delivered. Before
    that paint nothing of the window is on screen to take input; from it, the application is
    watched until the window is whole, no longer (watching every event of every widget from
    the start cost 25 ms of the first paint)."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self._window = window
        self._app = QCoreApplication.instance()
        self._painted = window.view.viewport()
        self._painted.installEventFilter(self)
        self._watching = False

    def stop(self) -> None:
        self._painted.removeEventFilter(self)
        if self._watching:
            self._app.removeEventFilter(self)
            self._watching = False

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Paint and not self._watching and obj is self._painted:
            self._painted.removeEventFilter(self)
            self._app.installEventFilter(self)
            self._watching = True
        elif kind in _INPUT_EVENTS and self._watching:
            self.stop()
            if not self._window.project.closed:
                self._window.make_whole()
        return False


class MainWindow(QMainWindow):
    languageRequested = Signal(str)
    openRequested = Signal(str)  # a project file or a project bundle to open instead

    def __init__(
        self,
        project: Project,
        settings: QSettings,
        undo_stack: QUndoStack | None = None,
        parent=None,
        *,
        rest_after_paint: bool = False,
    ):
        """The window on ``project``. It is built in two steps: what its first paint shows (the
        article with its document open, the document list, the tagging panel, the Team panel if
        it opens, the status bar and the menu bar's titles), then the rest (the editing keys and
        the menus' commands, the panels that open later, the suggestions, the model, the damage
        check: :meth:`make_whole`). With ``rest_after_paint`` (the app's start,
        :meth:`Session.show`) the rest is built just after the article's first paint: the
        article shows sooner, and a key or click that comes meanwhile waits in Qt's queue until
        the window is whole (:attr:`whole`). Else both at once."""
        super().__init__(parent)
        self.project = project
        self.settings = settings
        self.labels = {label.name: label for label in project.labels()}
        self.colors = {name: label.color for name, label in self.labels.items()}
        self.undo_stack = undo_stack or QUndoStack(self)
        self.runner = ActionRunner.for_stack(project, self.undo_stack)
        self.spans = DocumentSpans(self)  # the open document's spans: the one copy
        self.spans.layer = project.current_annotator or ""
        self.view = AnnotationView(self.spans)
        # What the window starts as it opens waits for the article's first paint: a worker
        # would take turns with that paint for the interpreter.
        self.after_paint = AfterFirstPaint(self.view.viewport(), parent=self)
        self.whole = False  # whether the rest is built (make_whole)
        self.setWindowTitle(f"{project.name} — {APP_NAME}")
        self.write_notice: QLabel | None = None
        self._show_write_notice()  # read-only or damaged: say so in the title and status bar
        self.setObjectName("mainWindow")
        self.resize(1440, 900)

        # Documents (start side), the article (middle), the tagging panel (end side).
        self.documents = DocumentPanel(project, project.current_annotator or "", after_paint=self.after_paint.call)
        self.view.setObjectName("articleView")
        self.view.set_colors(self.colors)
        self.palette_widget = LabelPalette()
        self.palette_widget.set_labels(list(self.labels.values()))
        self.span_model = SpanTableModel(self.spans, self.colors, self)
        self.span_table = self._span_table(self.span_model)
        self.form = AttributeForm()
        self.form.setObjectName("attributeForm")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.documents)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self._tagging_panel())
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        # The article keeps room to be read at any window width (restored from settings too):
        # a narrower window takes from the document list and the tagging panel, not from it.
        self.view.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * ARTICLE_MIN_EMS)
        self.splitter.setSizes([270, 750, 420])  # the article keeps more than half of 1440 px
        self.setCentralWidget(self.splitter)
        self._build_docks()
        self._build_status_bar()
        self.menus = add_menus(self)  # (their commands come with the rest)

        self.navigator = DocumentNavigator(
            project, settings, self.spans, self.runner, self.documents, self.doc_info, self
        )
        self.navigator.opened.connect(lambda _doc_id: self.view.setFocus())
        self.navigator.message.connect(self._message)
        self.set_zoom(float(self.settings.value("zoom", DEFAULT_POINT_SIZE)))
        first = self.navigator.first_document()
        if first:
            self.open_document(first)
        # Every change reaches the window's parts through one slot (_changed_everywhere): an
        # action run before the rest of the window is built (by a program, not a key: keys
        # wait for it) builds it first, so that no part misses the change.
        self._subscriptions: list[Callable[[Change], object]] = []
        self.runner.changed.connect(self._changed_everywhere)
        self.runner.refused.connect(self._refused)
        self.damage_check: DamageCheck | None = None
        self.check_notice: QLabel | None = None
        # Opened without the damage check (it reads the whole file): it runs on a worker once
        # the article has painted, and writes wait for it (see workbench.ui.damage_check).
        if not project.checked and project.writable:
            self.damage_check = DamageCheck(project, self.after_paint.call, self)
            self.damage_check.found.connect(self._damage_found)
            # (said while it runs: on a large file it takes minutes, and an edit waits for it)
            self.check_notice = QLabel(self.tr("Checking the file for damage; an edit waits for it…"))
            self.check_notice.setObjectName("checkNotice")
            self.statusBar().addPermanentWidget(self.check_notice)
            self.damage_check.done.connect(self._check_over)
        self._before_input: _WholeBeforeInput | None = None
        if rest_after_paint:
            self.after_paint.call(self._rest_after_paint, first=True)
            self._before_input = _WholeBeforeInput(self)
        else:
            self.make_whole()

    def _rest_after_paint(self) -> None:
        if not self.project.closed:  # (a project closed under a window that had not painted)
            self.make_whole()

    def make_whole(self) -> None:
        """Build the rest of the window now, if it is not built yet (:meth:`__init__`): what the
        first paint does not show; its modules are imported here, not at start-up."""
        if self.whole:
            return
        # (imported here: the first paint needs none of them; imported once, at the first window)
        from workbench.ui.adjudication_mode import AdjudicationMode
        from workbench.ui.adjudication_panel import AdjudicationPanel
        from workbench.ui.guidelines_editor import GuidelinesPanel
        from workbench.ui.model_trainer import ModelTrainer
        from workbench.ui.search_panel import SearchPanel
        from workbench.ui.span_editing import SpanEditor
        from workbench.ui.suggestion_feed import SuggestionFeed

        project = self.project
        self.feed = SuggestionFeed(project, self.spans, self, self.after_paint.call)  # the open document's suggestions
        self.trainer = ModelTrainer(project, lambda: self.spans.layer, self, self.model_slot)  # the layer's model
        self.model_slot.layout().addWidget(self.trainer.label)
        self.navigator.opened.connect(lambda _doc_id: self.trainer.refresh())

        # The panels that open later (their docks, in place and hidden, came with the first step).
        self.search = SearchPanel(project.path)
        self.search.text_provider = lambda: (self.current_doc_id or "", self.text)
        self.search.titles_provider = lambda doc_ids: document_store.titles_of(project.db, doc_ids)
        self.search_dock.setWidget(self.search)
        self.guidelines_panel = GuidelinesPanel(project, lambda: list(self.labels.values()))
        self.guidelines_panel.editRequested.connect(self.edit_guidelines)
        self.guidelines = self.guidelines_panel.browser
        self.guidelines_dock.setWidget(self.guidelines_panel)
        self.adjudication = AdjudicationPanel(project, self.colors)
        self.adjudication_dock.setWidget(self.adjudication)

        self.editor = SpanEditor(
            project,
            self.runner,
            self.spans,
            self.view,
            self.span_table,
            self.span_model,
            self.form,
            self.labels,
            self.selection_info,
            lambda: self.actions["snap_words"].isChecked(),
            self,
        )
        self.editor.message.connect(self._message)
        self.feed.failed.connect(lambda text: self._message(text, 6000))
        self.feed.quiet.connect(lambda text: self._message(text, 8000))
        self.trainer.message.connect(self._message)
        self.palette_widget.labelChosen.connect(self.apply_label)
        self.search.hitChosen.connect(self.show_hit)
        self.adjudication.actionRequested.connect(self.run)

        self.actions: dict[str, QAction] = {}
        self._build_actions()
        self.adjudication_mode = AdjudicationMode(
            project,
            self,
            self.adjudication_dock,
            self.adjudication,
            self.navigator,
            self.spans,
            self.view,
            self.actions,
            self.layer_info,
        )

        # One change signal: each part refreshes itself from it, in this order (the
        # navigator first: it follows an undo or redo into its document; before it, the
        # attribute completions, which read an edited span's former values in the model).
        self._subscriptions = [
            self.editor.completions.on_change,
            self._schema_changed,
            self.guidelines_panel.on_change,
            self.navigator.on_change,
            self.spans.apply,
            self.editor.on_change,
            self.feed.on_change,
            self.adjudication.on_change,
            self.trainer.on_change,
            self._changed,
        ]
        self.undo_stack.indexChanged.connect(self._update_action_state)
        self._update_action_state()
        if self.spans.doc_id:  # (opened in the first step: what opening it asks of these parts)
            self.feed.refresh()
            self.trainer.refresh()
        self.whole = True
        if self._before_input is not None:
            self._before_input.stop()

    # --- building -----------------------------------------------------------------

    def _show_write_notice(self) -> None:
        """Why this window cannot edit, if it cannot: in the title and the status bar."""
        notice = write_notice(self.project)
        if notice is None:
            return
        self.setWindowTitle(f"{self.project.name} ({notice[0]}) — {APP_NAME}")
        if self.write_notice is None:
            self.write_notice = QLabel()
            self.write_notice.setObjectName("writeNotice")
            self.statusBar().addPermanentWidget(self.write_notice)
        self.write_notice.setText(notice[1])

    def _check_over(self) -> None:
        if self.check_notice is not None:
            self.statusBar().removeWidget(self.check_notice)
            self.check_notice.deleteLater()
            self.check_notice = None

    def _damage_found(self, _detail: str) -> None:
        """The check run after the window opened found damage: the window turns read-only, as
        when a damaged file is opened."""
        self._show_write_notice()
        if self.whole:  # (else the rest is built read-only)
            self.actions["edit_guidelines"].setEnabled(False)
            self.guidelines_panel.edit_button.setEnabled(False)

    def _heading(self, text: str) -> QLabel:
        label = QLabel(f"<b>{text}</b>")
        label.setContentsMargins(0, 6, 0, 2)
        return label

    def _span_table(self, model: SpanTableModel) -> QTableView:
        table = QTableView()
        table.setObjectName("spanTable")
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        table.setWordWrap(False)
        table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)  # a long cell ends in "…"; its tooltip has it all
        header = table.horizontalHeader()
        # Fixed and stretched columns only: sizing to contents reads every row on each change.
        # The label column fits the longest label name (once, from the schema); text and
        # attributes share the rest of the panel's width, whatever its width.
        metrics = table.fontMetrics()
        header.setMinimumSectionSize(metrics.horizontalAdvance("M") * 3)
        widest = max((metrics.horizontalAdvance(name) for name in self.labels), default=0)
        header.setSectionResizeMode(SpanTableModel.LABEL, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(SpanTableModel.LABEL, min(max(widest + 40, 70), 160))  # + swatch and margins
        header.setSectionResizeMode(SpanTableModel.TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SpanTableModel.ATTRIBUTES, QHeaderView.ResizeMode.Stretch)
        return table

    def _tagging_panel(self) -> QWidget:
        side = QWidget()
        side.setObjectName("taggingPanel")
        layout = QVBoxLayout(side)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self._heading(self.tr("Labels")))
        layout.addWidget(self.palette_widget)
        layout.addWidget(self._heading(self.tr("Spans in this document")))
        # At least four rows of spans, whatever the docks below take; the form scrolls
        # when the panel is short (Search or Team open) instead of squeezing the table.
        rows = self.span_table.verticalHeader().defaultSectionSize()
        self.span_table.setMinimumHeight(self.span_table.horizontalHeader().sizeHint().height() + 4 * rows + 4)
        layout.addWidget(self.span_table, 3)
        layout.addWidget(self._heading(self.tr("Attributes")))
        form_area = QScrollArea()
        form_area.setObjectName("attributeFormArea")
        form_area.setWidget(self.form)
        form_area.setWidgetResizable(True)
        form_area.setFrameShape(QFrame.Shape.NoFrame)
        form_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(form_area, 2)
        return side

    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        dock.hide()
        return dock

    def _build_docks(self) -> None:
        """Guidelines on the end side; search, team, agreement and adjudication below the
        article, as tabs of one area: however many are open, the article keeps its width
        and each table gets the window's width. The arrangement is remembered. The Team panel
        is built here (a lead's window opens with it); the other panels, closed when the window
        opens, hold an empty widget until the rest of the window is built (:meth:`make_whole`;
        the agreement view, until its panel is first shown)."""
        project = self.project
        bottom, right = Qt.DockWidgetArea.BottomDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self.search_dock = self._dock(self.tr("Search"), "searchDock", QWidget(), bottom)
        self.guidelines_dock = self._dock(self.tr("Guidelines"), "guidelinesDock", QWidget(), right)
        self.team = TeamPanel(project, after_paint=self.after_paint.call)
        self.team.merged.connect(self.reload)
        self.team_dock = self._dock(self.tr("Team"), "teamDock", self.team, bottom)
        # (whether any document is assigned: one row looked for, not every assignment counted)
        if project.annotators() and not is_annotator_copy(project) and assignment_store.any_assigned(project.db):
            self.team_dock.show()
        self._agreement: AgreementView | None = None
        self.agreement_dock = self._dock(self.tr("Agreement"), "agreementDock", QWidget(), bottom)
        self.agreement_dock.visibilityChanged.connect(lambda visible: bool(visible and self.agreement))
        self.adjudication_dock = self._dock(self.tr("Adjudication"), "adjudicationDock", QWidget(), bottom)
        for first, second in (
            (self.search_dock, self.team_dock),
            (self.team_dock, self.agreement_dock),
            (self.agreement_dock, self.adjudication_dock),
        ):
            self.tabifyDockWidget(first, second)
        self.setTabPosition(Qt.DockWidgetArea.BottomDockWidgetArea, QTabWidget.TabPosition.North)
        self._restore_layout()

    def _restore_layout(self) -> None:
        """The docks' places and sizes as the user left them (not which panels are open:
        a window opens on the user's own layer, not in adjudication)."""
        state = self.settings.value("windowState")
        if state is not None:
            shown = {dock: not dock.isHidden() for dock in self._docks()}
            self.restoreState(state, LAYOUT_VERSION)
            for dock, visible in shown.items():
                dock.setVisible(visible)
        sizes = self.settings.value("splitterSizes")
        if sizes is not None:
            self.splitter.restoreState(sizes)

    def _docks(self) -> tuple[QDockWidget, ...]:
        return (self.search_dock, self.guidelines_dock, self.team_dock, self.agreement_dock, self.adjudication_dock)

    def toggle_dock(self, dock: QDockWidget) -> None:
        """Show a panel (in front of the tabs it shares its place with), or close it if it is in front."""
        if dock.isVisible():
            dock.hide()
            return
        dock.show()
        dock.raise_()
        if dock in (self.team_dock, self.agreement_dock) and dock.height() < self.height() * 0.4:
            # tables of several rows each: give them room (the article keeps its width)
            self.resizeDocks([dock], [int(self.height() * 0.45)], Qt.Orientation.Vertical)

    def _build_status_bar(self) -> None:
        self.saved = QLabel()
        self.saved.setObjectName("savedIndicator")
        self.selection_info = QLabel()
        self.doc_info = QLabel()
        self.statusBar().addWidget(self.selection_info, 1)
        self.layer_info = QLabel()
        self.layer_info.setObjectName("layerInfo")
        self.layer_info.setStyleSheet("color: #8A5A00; font-weight: bold;")
        self.statusBar().addPermanentWidget(self.layer_info)
        # (where the model's state shows: its label comes with the rest of the window)
        self.model_slot = QWidget()
        QHBoxLayout(self.model_slot).setContentsMargins(0, 0, 0, 0)
        self.statusBar().addPermanentWidget(self.model_slot)
        self.statusBar().addPermanentWidget(self.doc_info)
        self.statusBar().addPermanentWidget(self.saved)
        self._set_saved(True)

    def edit_guidelines(self) -> GuidelinesEditor | None:
        """The lead's guidelines editor (an annotator's copy shows them read-only: F1)."""
        from workbench.ui.guidelines_editor import GuidelinesEditor

        if not self.guidelines_panel.editable:
            self.guidelines_dock.show()  # the read-only guidelines, with the sentence why
            self.guidelines_dock.raise_()
            return None
        dialog = GuidelinesEditor(self.project, self.run, self)
        dialog.open()
        return dialog

    def _build_actions(self) -> None:
        from workbench.core import suggestions
        from workbench.ui.search_panel import SearchPanel
        from workbench.ui.window_menus import add_recent_menu, build_menus

        editor, navigator, adjudication = self.editor, self.navigator, self.adjudication
        handlers = {
            "delete_span": editor.delete_selected,
            "strip_proclitic": editor.strip_proclitic,
            "toggle_unsure": editor.toggle_unsure,
            "edit_attributes": editor.focus_form,
            "next_span": lambda: editor.step(1),
            "previous_span": lambda: editor.step(-1),
            "clear_selection": editor.clear_selection,
            "undo": self.undo_stack.undo,
            "redo": self.undo_stack.redo,
            "find": lambda: self._find(SearchPanel.DOCUMENT),
            "find_corpus": lambda: self._find(SearchPanel.CORPUS),
            "find_next": self.search.next_hit,
            "mark_done": navigator.mark_done_and_next,
            "mark_in_progress": lambda: navigator.set_status("in-progress"),
            "next_document": lambda: navigator.step(1),
            "previous_document": lambda: navigator.step(-1),
            "zoom_in": lambda: self.set_zoom(self.zoom + 1),
            "zoom_out": lambda: self.set_zoom(self.zoom - 1),
            "zoom_reset": lambda: self.set_zoom(DEFAULT_POINT_SIZE),
            "guidelines": lambda: self.toggle_dock(self.guidelines_dock),
            "edit_guidelines": lambda: self.edit_guidelines(),
            "language_en": lambda: self.languageRequested.emit("en"),
            "language_ar": lambda: self.languageRequested.emit("ar"),
            "quit": self.close,
            "open": self.choose_and_open,
            "export_work": self.export_work,
            "export_training": self.export_training,
            "team": lambda: self.toggle_dock(self.team_dock),
            "agreement": self.toggle_agreement,
            "adjudicate": lambda: self.toggle_dock(self.adjudication_dock),
            "accept_majority": adjudication.accept_majority,
            "accept_unanimous": adjudication.accept_unanimous,
            "next_cluster": lambda: adjudication.step(1),
            "previous_cluster": lambda: adjudication.step(-1),
            "snap_words": lambda: self.settings.setValue("snap_words", self.actions["snap_words"].isChecked()),
            "add_attribute": lambda: self.add_attribute(),
            "import_gazetteer": lambda: self.import_gazetteer(),
            "accept_suggestion": lambda: editor.accept_suggestion(),
            "accept_suggestions": lambda: self.accept_suggestions(),
            "suggestions_on": lambda: self.set_suggestions_on(self.actions["suggestions_on"].isChecked()),
            "publication_date": lambda: self.publication_date(),
            "retrain_model": lambda: self.retrain_model(),
        }
        for edge in ("start", "end"):
            for unit in ("", "_word"):
                for side in ("left", "right"):
                    # (triggered passes "checked" first: it must not land in e)
                    handlers[f"{edge}{unit}_{side}"] = lambda _checked=False, e=edge, w=bool(unit), s=side: (
                        editor.move_edge(e, s, by_word=w)
                    )
        self.actions, menus = build_menus(
            self,
            handlers,
            list(self.labels.values()),
            self.apply_label,
            adjudication.accept_version,
            self.view,
            menus=self.menus,
        )
        snap = self.actions["snap_words"]
        snap.setCheckable(True)
        snap.setChecked(self.settings.value("snap_words", True, type=bool))
        self.actions["export_work"].setEnabled(is_annotator_copy(self.project))
        self.actions["add_attribute"].setEnabled(not is_annotator_copy(self.project))  # the lead's schema
        self.actions["import_gazetteer"].setEnabled(not is_annotator_copy(self.project))
        self.actions["edit_guidelines"].setEnabled(self.guidelines_panel.editable and self.project.writable)
        self.recent_menu = add_recent_menu(self, menus["File"], self.settings, self.openRequested.emit)
        offer = self.actions["suggestions_on"]
        offer.setCheckable(True)
        try:
            offer.setChecked(suggestions.enabled(self.project))
        except Exception:  # (a damaged project: the window opens all the same)
            log.debug("cannot read whether suggestions are on", exc_info=True)
        offer.setEnabled(suggestions.can_switch(self.project))  # the lead's setting for the project
        view_menu = menus["View"]
        view_menu.addSeparator()
        for dock in (self.search_dock, self.guidelines_dock, self.team_dock, self.agreement_dock):
            view_menu.addAction(dock.toggleViewAction())

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

    # --- what the other parts of the window own, under the names tests and tools use ---------

    @property
    def current_doc_id(self) -> str | None:
        return self.spans.doc_id

    @property
    def text(self) -> str:
        """The open document's stored text."""
        return self.spans.text

    @property
    def annotator(self) -> str:
        """The layer shown and edited: the user's own, or ``gold`` while adjudicating."""
        return self.spans.layer

    @property
    def selected_span(self) -> str | None:
        return self.editor.selected

    def open_document(self, doc_id: str) -> None:
        self.navigator.open(doc_id)

    def set_status(self, status: str) -> bool:
        return self.navigator.set_status(status)

    def mark_done_and_next(self) -> None:
        self.navigator.mark_done_and_next()

    def set_layer(self, name: str) -> None:
        self.navigator.set_layer(name)

    def reload(self) -> None:
        """Show the database again after work came in from elsewhere (merged bundles)."""
        if self.whole:
            self.editor.completions.clear()
        self.navigator.reload()

    def apply_label(self, label: str) -> None:
        """A label key or button: tag the selected text, or relabel the selected span."""
        self.editor.apply_label(label)

    def select_span(self, span_id: str | None) -> None:
        self.editor.select(span_id)

    def step_span(self, step: int) -> None:
        self.editor.step(step)

    def clear_selection(self) -> None:
        self.editor.clear_selection()

    def adjudicate_document(self, doc_id: str) -> None:
        self.adjudication_mode.adjudicate(doc_id)

    # --- running actions ----------------------------------------------------------------

    def run(self, action: Action | None) -> bool:
        """Do ``action`` through the runner (undo stack); the change signal refreshes the views."""
        return self.runner.run(action) is not None

    def _changed_everywhere(self, change: Change) -> None:
        """The one slot of the runner's change signal: each part's refresh, in their order (as
        if each were connected: one that fails is reported and the others still run)."""
        self.make_whole()
        for slot in self._subscriptions:
            try:
                slot(change)
            except Exception:
                sys.excepthook(*sys.exc_info())

    def _changed(self, _change: Change) -> None:
        self._set_saved(True)

    def _schema_changed(self, change: Change) -> None:
        """A label's attributes changed (added, or undone): every part that reads the labels
        from ``self.labels`` sees them now, and the selected span's form shows the new fields."""
        if not change.labels:
            return
        self.labels.clear()  # (the same dict the span editor holds)
        self.labels.update({label.name: label for label in self.project.labels()})
        if self.editor.selected is not None:
            self.editor.select(self.editor.selected)

    def import_gazetteer(self, path: str | None = None):
        """Import a CSV of the project's own names (name, label, canonical, aliases) and say
        what was added, replaced and refused (with the line of each refused row); the report."""
        from workbench.core.values import project_names  # (not at start-up: few sessions import names)

        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self,
                QCoreApplication.translate("MainWindow", "Gazetteer to import"),
                "",
                QCoreApplication.translate("MainWindow", "CSV files (*.csv);;All files (*)"),
            )
            if not path:
                return None
        try:
            self.project.check_writable()
            report = project_names.import_gazetteer(self.project, path, self.project.current_annotator)
        except WorkbenchError as exc:
            self._refused(exc)
            return None
        box = QMessageBox.warning if report.refused else QMessageBox.information
        lines = [report.summary()] + [
            QCoreApplication.translate("MainWindow", "line %1: %2")
            .replace("%1", str(row["line"]))
            .replace("%2", row["reason"])
            for row in report.refused[:20]
        ]
        box(self, APP_NAME, "\n".join(lines))
        self.feed.refresh()
        return report

    def add_attribute(self, label: str | None = None) -> AttributeDialog:
        """The dialog that adds an attribute to a label (the selected span's label first)."""
        from workbench.ui.attribute_dialog import AttributeDialog  # (not at start-up: a dialog)

        previous = self.findChild(AttributeDialog)
        if previous is not None:
            previous.close()
            previous.deleteLater()
        span = self.editor.span
        dialog = AttributeDialog(self.project, self.run, label or (span.label if span else None), self)
        dialog.open()
        return dialog

    # --- suggestions -----------------------------------------------------------------------

    def set_suggestions_on(self, on: bool) -> bool:
        """Offer suggestions in this project (and fill values when tagging), or not."""
        from workbench.core import suggestions

        try:
            self.project.check_writable()
            suggestions.set_enabled(self.project, on)
        except WorkbenchError as exc:
            self.actions["suggestions_on"].setChecked(not on)
            self._refused(exc)
            return False
        self.actions["suggestions_on"].setChecked(on)
        self.feed.refresh()
        self.trainer.refresh()
        self.statusBar().showMessage(
            self.tr("Suggestions are on in this project.")
            if on
            else self.tr("Suggestions are off in this project: nothing is suggested or filled in."),
            5000,
        )
        return True

    def retrain_model(self) -> bool:
        """Train the layer's model now, in the background (or once the run going on is over)."""
        return self.trainer.request()

    def accept_suggestions(self, confidence: float | None = None) -> AcceptAllDialog | None:
        """Accept every suggestion of the open document whose confidence is at least
        ``confidence``; without one, a dialog asks it (the one given last time, 0.9 at first)."""
        from workbench.ui.suggestion_feed import DEFAULT_THRESHOLD, THRESHOLD_SETTING, AcceptAllDialog

        if not self.current_doc_id:
            return None
        if confidence is not None:
            self._accept_all(confidence)
            return None
        found = list(self.spans.suggestions.values())
        if not found:
            self.statusBar().showMessage(self.tr("This document has no suggestions to accept."), 4000)
            return None
        threshold = float(self.settings.value(THRESHOLD_SETTING, DEFAULT_THRESHOLD))
        previous = self.findChild(AcceptAllDialog)
        if previous is not None:
            previous.close()
            previous.deleteLater()
        dialog = AcceptAllDialog(found, threshold, self)
        dialog.accepted.connect(lambda: self._accept_all(dialog.value(), remember=True))
        dialog.open()
        return dialog

    def _accept_all(self, confidence: float, remember: bool = False) -> None:
        from workbench.core import intents, suggestions
        from workbench.ui.search_panel import english_plural
        from workbench.ui.suggestion_feed import THRESHOLD_SETTING

        if remember:
            self.settings.setValue(THRESHOLD_SETTING, confidence)
        doc_id, layer = self.current_doc_id, self.annotator
        if not doc_id:
            return
        try:
            action = suggestions.accept_all(self.project, doc_id, layer, intents.actor(self.project, layer), confidence)
        except WorkbenchError as exc:
            self._refused(exc)
            return
        except Exception as exc:  # an engine failed: say so, change nothing
            log.warning("accept all: the suggestions of %s could not be computed", doc_id, exc_info=True)
            self.statusBar().showMessage(self.tr("No suggestions for this document: %1").replace("%1", str(exc)), 6000)
            return
        if action is None:
            self.statusBar().showMessage(
                self.tr("No suggestion has a confidence of %1 or more.").replace("%1", f"{confidence:.2f}"), 5000
            )
            return
        count = len(action.steps)
        action.text = english_plural(self.tr("Accept %n suggestion(s)", "", count), count)
        change = self.runner.run(action)
        if change is None:
            return
        for step in action.steps:
            self.spans.drop_suggestion(suggestion_key(step.found))
        self.statusBar().showMessage(
            english_plural(self.tr("Accepted %n suggestion(s); Ctrl+Z takes them back.", "", count), count), 5000
        )

    def publication_date(self) -> PublicationDialog | None:
        """The dialog that sets the open document's publication date (the anchor of its relative dates)."""
        from workbench.core import suggestions
        from workbench.ui.suggestion_feed import PublicationDialog

        doc_id = self.current_doc_id
        if not doc_id:
            return None
        document = document_store.get(self.project.db, doc_id)
        published = document.published if document is not None else None
        dateline = None
        if not published:
            try:
                dateline = suggestions.anchor(self.project, doc_id)
            except Exception:  # (the dates engine may be missing or fail: the dialog opens without)
                log.warning("no dateline read in %s", doc_id, exc_info=True)
        previous = self.findChild(PublicationDialog)
        if previous is not None:
            previous.close()
            previous.deleteLater()
        dialog = PublicationDialog(published, dateline, self)
        dialog.accepted.connect(lambda: self._set_published(doc_id, published, dialog.value()))
        dialog.open()
        return dialog

    def _set_published(self, doc_id: str, before: str | None, value: str | None) -> None:
        from workbench.core import intents, suggestions

        if value == (before[:10] if before else None):
            return
        try:
            action = suggestions.SetPublished(doc_id, value, intents.actor(self.project, self.annotator))
        except WorkbenchError as exc:
            self._refused(exc)
            return
        action.text = self.tr("Set the publication date")
        self.run(action)

    def _refused(self, exc: Exception) -> None:
        self._set_saved(True)
        self.statusBar().showMessage(str(exc), 8000)
        QMessageBox.warning(self, APP_NAME, str(exc))

    def _message(self, text: str, timeout: int) -> None:
        self.statusBar().showMessage(text, timeout)

    def _set_saved(self, saved: bool) -> None:
        if saved:
            self.saved.setText("✓ " + self.tr("All changes saved"))
            self.saved.setToolTip(self.tr("Every action is written to the project file as you make it.") + f"\n{now()}")
        else:
            self.saved.setText("…")

    # --- files and bundles ---------------------------------------------------------

    def choose_and_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a project or a project bundle"),
            "",
            self.tr("Projects and bundles (*.wbproj *.wbbundle *.wbwork *.zip);;All files (*)"),
        )
        if path:
            self.openRequested.emit(path)

    def export_work(self, path: str | None = None) -> Path | None:
        """Write the annotator's signed work bundle (to ``path``, or where the user says)."""
        if path is None:
            suggested = f"{self.project.name}-{self.project.current_annotator or ''}-work.wbwork"
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export work bundle"), suggested, self.tr("Work bundles (*.wbwork)")
            )
            if not path:
                return None
        try:
            from workbench.core.bundles.work_bundle import export_work_bundle  # (not at start-up)

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
        from workbench.ui.export_dialog import ExportDialog  # (not at start-up: a dialog)

        dialog = ExportDialog(self.project, self)
        dialog.show()
        return dialog

    # --- agreement, search, zoom ----------------------------------------------------------

    @property
    def agreement(self) -> AgreementView:
        """The agreement panel's view (built on first use)."""
        if self._agreement is None:
            from workbench.ui.agreement_view import AgreementView

            self._agreement = AgreementView(self.project)
            self._agreement.documentChosen.connect(self.adjudicate_document)
            placeholder = self.agreement_dock.widget()
            self.agreement_dock.setWidget(self._agreement)
            if placeholder is not None:
                placeholder.deleteLater()
        return self._agreement

    def toggle_agreement(self) -> None:
        self.toggle_dock(self.agreement_dock)
        if self.agreement_dock.isVisible() and self.agreement.result is None:
            self.agreement.compute()

    def _find(self, scope: int) -> None:
        self.search_dock.show()
        self.search_dock.raise_()
        self.search.focus(scope)

    def show_hit(self, doc_id: str, start: int, end: int) -> None:
        self.open_document(doc_id)
        self.view.select_range(start, end)
        self.view.ensureCursorVisible()
        self.view.setFocus()

    @property
    def zoom(self) -> float:
        return self.view.font().pointSizeF()

    def set_zoom(self, size: float) -> None:
        size = min(max(size, 8.0), 40.0)
        font = self.view.font()
        font.setPointSizeF(size)
        self.view.setFont(font)
        self.settings.setValue("zoom", size)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._give_article_room()

    def _give_article_room(self) -> None:
        """After the window's width changed (or was restored): if the article has less than
        :data:`ARTICLE_SHARE` of the width, the document list and the tagging panel give it back,
        each in proportion to what it has above its least width. (A splitter dragged by hand
        stays as it is until the window is resized.)"""
        sizes = self.splitter.sizes()
        if len(sizes) != 3 or not all(sizes):
            return
        deficit = int(sum(sizes) * ARTICLE_SHARE) - sizes[1]
        spare = [max(0, sizes[i] - self.splitter.widget(i).minimumSizeHint().width()) for i in (0, 2)]
        if deficit <= 0 or not sum(spare):
            return
        taken = [min(spare[k], deficit * spare[k] // sum(spare)) for k in (0, 1)]
        self.splitter.setSizes([sizes[0] - taken[0], sizes[1] + sum(taken), sizes[2] - taken[1]])

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and hasattr(self, "navigator"):
            # back to the front: documents another process imported meanwhile join the list
            try:
                self.navigator.take_new_documents()
            except Exception:  # a refresh on focus must never break the window (a project closed under it)
                log.debug("document list not refreshed on activation", exc_info=True)

    def closeEvent(self, event) -> None:
        self.after_paint.cancel()  # (what still waited for the first paint: nothing to show it in)
        if self._before_input is not None:
            self._before_input.stop()
        if self.damage_check is not None:
            self.damage_check.stop()
        self.team.shutdown()
        if self.whole:
            self.feed.stop()
            self.editor.completions.stop()
            self.trainer.stop()
            self.search.cancel()
        # The runner and the undo stack outlive this window (the session keeps them).
        for signal, slot in (
            (self.runner.changed, self._changed_everywhere),
            (self.runner.refused, self._refused),
            (self.undo_stack.indexChanged, self._update_action_state),
        ):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass  # already gone (or, the window closed before it was whole, never connected)
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("windowState", self.saveState(LAYOUT_VERSION))
        self.settings.setValue("splitterSizes", self.splitter.saveState())
        super().closeEvent(event)
