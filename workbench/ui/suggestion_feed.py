"""Suggestions for the open document: computed off the UI thread, held in the one model.

:class:`SuggestionFeed` asks the core (:func:`workbench.core.suggestions.suggest`) for
the pending suggestions of the open document's layer whenever they may have changed:
a document (or layer) opened, a span added, changed or deleted, a suggestion accepted or
rejected, the publication date set, the schema changed, suggestions switched on. The
value engines run on a worker thread with its own project connection
(:mod:`workbench.ui.background`): opening an article and typing never wait for them.
Their answer goes into :class:`~workbench.ui.document_spans.DocumentSpans`, which the
article, the span table and the attribute form read; an answer that a later change made
stale is dropped and asked again. An engine that fails is logged and shows no
suggestions; the window goes on.

The two small dialogs of the feature are here too: the publication date of the open
document (the anchor of its relative dates) and the confidence above which "accept all"
accepts.
"""

from __future__ import annotations

import datetime as _dt
import logging
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from workbench.core import assistance, suggestions
from workbench.core.actions import Change
from workbench.core.store.project import GOLD, Project
from workbench.core.values import Found
from workbench.ui.background import BackgroundTask, run_in_background
from workbench.ui.document_spans import DocumentSpans
from workbench.ui.search_panel import english_plural

log = logging.getLogger(__name__)
THRESHOLD_SETTING = "suggestions/threshold"  # the confidence "accept all" asks first (QSettings)
DEFAULT_THRESHOLD = 0.9


class SuggestionFeed(QObject):
    """Keeps the model's suggestions those of the open document (see the module doc)."""

    computed = Signal()  # the suggestions of the open document are in the model (or none: failed or off)
    failed = Signal(str)  # a line for the status bar: the engines failed on this document
    quiet = Signal(str)  # a line for the status bar: why this document shows no suggestions (the A/B split)

    def __init__(
        self,
        project: Project,
        model: DocumentSpans,
        parent: QObject | None = None,
        after_paint: Callable[[Callable[[], object]], None] | None = None,
    ):
        """``after_paint``: how the window holds work until its article has painted
        (:class:`~workbench.ui.background.AfterFirstPaint`); without one, work starts at once."""
        super().__init__(parent)
        self.project = project
        self.model = model
        self._generation = 0  # bumped by every refresh: an answer to an older one is stale
        self._task: BackgroundTask | None = None
        self._again = False  # a refresh came while a task ran: ask again when it is over
        self._stopped = False
        # What the learning engines knew when the open document was opened: its suggestions
        # never change because a training run finished meanwhile (core: suggestions.pin).
        self._pinned: tuple[tuple[str | None, str], suggestions.Pinned] | None = None
        self._timer = QTimer(self)  # (the first paint of a document comes before its suggestions)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._start)
        # Until the window's article has painted, a refresh is only noted: its worker would
        # take turns with that paint for the interpreter.
        self._held = after_paint is not None
        self._asked = False  # a refresh came while held
        if after_paint is not None:
            after_paint(self._painted)
        model.reset.connect(self.refresh)

    @property
    def busy(self) -> bool:
        """Whether an answer is still to come."""
        return self._asked or self._timer.isActive() or self._task is not None

    def refresh(self) -> None:
        """Compute the open document's suggestions again, soon, off the UI thread."""
        if self._stopped:
            return
        self._generation += 1
        if self._held:
            self._asked = True
        else:
            self._timer.start()

    def _painted(self) -> None:
        self._held = False
        if self._asked and not self._stopped:
            self._timer.start()
        self._asked = False

    def on_change(self, change: Change) -> None:
        """An action ran (or was undone or redone): what it changed may change the suggestions."""
        if change.labels or (
            self.model.doc_id in change.doc_ids
            and (change.spans_changed or change.extra.get("suggestions") or change.extra.get("published"))
        ):
            self.refresh()

    def stop(self) -> None:
        """The window closes: no more tasks, and the one running delivers nothing."""
        self._stopped = True
        self._asked = False
        self._timer.stop()
        if self._task is not None:
            # Nothing is delivered; the engines are not interrupted, but they are quick: wait for
            # them, so that no thread outlives the window (or the app) that started it.
            self._task.abandon()
            self._task.wait(5000)
            self._task = None

    def _start(self) -> None:
        if self._stopped:
            return
        if self._task is not None:
            self._again = True
            return
        doc_id, layer = self.model.doc_id, self.model.layer
        try:
            on = bool(doc_id) and suggestions.enabled(self.project)
        except Exception:  # (a damaged project: no suggestions, the window goes on)
            log.warning("cannot tell whether suggestions are on", exc_info=True)
            on = False
        if not on:
            self.model.set_suggestions([])
            self.computed.emit()
            return
        request = (self._generation, doc_id, layer)
        pinned = self._pinned[1] if self._pinned is not None and self._pinned[0] == (doc_id, layer) else None
        self._task = run_in_background(
            self.project.path,
            lambda project, _progress, _cancelled: _suggest(project, doc_id, layer, pinned),
            on_result=lambda answer, request=request: self._arrived(request, answer),
            on_error=lambda exc, request=request: self._failed(request, exc),
            on_done=self._finished,
        )

    def _current(self, request: tuple[int, str | None, str]) -> bool:
        return request == (self._generation, self.model.doc_id, self.model.layer)

    def _arrived(self, request: tuple[int, str | None, str], answer: tuple) -> None:
        if self._current(request):
            pinned, found, why = answer
            self._pinned = ((request[1], request[2]), pinned)
            self.model.set_suggestions(found)
            if why:
                self.quiet.emit(QCoreApplication.translate("Suggestions", why))
            self.computed.emit()

    def _failed(self, request: tuple[int, str | None, str], exc: BaseException) -> None:
        log.warning("the suggestions of %s could not be computed", request[1], exc_info=exc)
        if self._current(request):
            self.model.set_suggestions([])
            text = QCoreApplication.translate("Suggestions", "No suggestions for this document: %1")
            self.failed.emit(text.replace("%1", str(exc) or type(exc).__name__))
            self.computed.emit()

    def _finished(self) -> None:
        self._task = None
        if self._again and not self._stopped:
            self._again = False
            self._start()


def _suggest(
    project: Project, doc_id: str, layer: str, pinned: suggestions.Pinned | None
) -> tuple[suggestions.Pinned, list[Found], str | None]:
    """(On the worker thread.) What is pinned for the document, its suggestions, and why it has
    none if the A/B split keeps them from it."""
    if pinned is None:
        pinned = suggestions.pin(project, layer) if layer != GOLD else suggestions.Pinned(layer)
    return (
        pinned,
        suggestions.suggest(project, doc_id, layer, pinned=pinned),
        assistance.quiet_reason(project, doc_id, layer),
    )


# The core's sentence (assistance.quiet_reason), marked for lupdate and translated when shown.
QUIET = QT_TRANSLATE_NOOP(
    "Suggestions",
    "No suggestions on this document: it is in the half of your documents annotated without them, "
    "to measure the time they save (the lead's A/B split)",
)


# --- dialogs ---------------------------------------------------------------------------------


class AcceptAllDialog(QDialog):
    """Asks the confidence above which every suggestion of the document is accepted, and says
    how many that is."""

    def __init__(self, found: list[Found], threshold: float, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("acceptAllDialog")
        self.setWindowTitle(self.tr("Accept suggestions"))
        self.found = found
        layout = QVBoxLayout(self)
        explanation = QLabel(self.tr("Accept every suggestion of this document whose confidence is at least:"))
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        self.threshold = QDoubleSpinBox()
        self.threshold.setObjectName("threshold")
        self.threshold.setRange(0.0, 1.0)
        self.threshold.setDecimals(2)
        self.threshold.setSingleStep(0.05)
        self.threshold.setValue(threshold)
        layout.addWidget(self.threshold)
        self.count = QLabel()
        self.count.setObjectName("acceptCount")
        layout.addWidget(self.count)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(buttons)
        self.threshold.valueChanged.connect(self._count)
        self._count()

    def value(self) -> float:
        return round(self.threshold.value(), 2)

    def _count(self) -> None:
        chosen = len(suggestions.at_least(self.found, self.value()))
        text = english_plural(self.tr("%n suggestion(s) at or above it, of %1 shown.", "", chosen), chosen)
        self.count.setText(text.replace("%1", str(len(self.found))))


class PublicationDialog(QDialog):
    """The open document's publication date: the day its relative dates count from."""

    def __init__(self, published: str | None, dateline: _dt.date | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("publicationDialog")
        self.setWindowTitle(self.tr("Publication date"))
        layout = QVBoxLayout(self)
        known: _dt.date | None = None
        if published:
            try:
                known = _dt.date.fromisoformat(published[:10])
            except ValueError:
                known = None
        if known is not None:
            state = self.tr("The article's publication date is %1.").replace("%1", known.isoformat())
        elif dateline is not None:
            state = self.tr("The article has no publication date; its dateline says %1.").replace(
                "%1", dateline.isoformat()
            )
        else:
            state = self.tr("The article has no publication date, and no dateline was found.")
        self.state = QLabel(state)
        self.state.setObjectName("publicationState")
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        why = QLabel(
            self.tr(
                "Relative dates (أمس، يوم الخميس، الشهر الماضي) are counted from this date; "
                "without it they get no value."
            )
        )
        why.setWordWrap(True)
        layout.addWidget(why)
        form = QFormLayout()
        self.date = QDateEdit()
        self.date.setObjectName("publicationDate")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # an ISO date reads left to right
        shown = known or dateline or _dt.date.today()
        self.date.setDate(QDate(shown.year, shown.month, shown.day))
        form.addRow(self.tr("Published on"), self.date)
        layout.addLayout(form)
        self.none = QCheckBox(self.tr("No publication date"))
        self.none.setObjectName("noPublicationDate")
        self.none.setChecked(known is None and dateline is None)
        self.none.toggled.connect(lambda checked: self.date.setEnabled(not checked))
        self.date.setEnabled(not self.none.isChecked())
        layout.addWidget(self.none)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def value(self) -> str | None:
        """The date chosen, ``YYYY-MM-DD``; ``None`` for no publication date."""
        if self.none.isChecked():
            return None
        date = self.date.date()
        return _dt.date(date.year(), date.month(), date.day()).isoformat()
