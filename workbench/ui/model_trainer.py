"""The annotator's sequence model in the window (issue 14): trained in the background after a
document is marked done, its state always shown in the status bar.

:class:`ModelTrainer` trains the layer's model (:func:`workbench.core.values.training.train_layer`)
on a worker thread with its own project connection (:mod:`workbench.ui.background`): at most
one run at a time and at most one queued (a second "done" while a run goes on queues exactly one
more; a third adds nothing, the queued run will see its document). The window never waits.

A finished run changes nothing on screen but the model's state: the open document's
suggestions are not asked again (the :class:`~workbench.ui.suggestion_feed.SuggestionFeed`
recomputes only on a document opened or an edit), so the new model is used from the next
document opened. A run that fails is logged and said in the status bar; the window goes on.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QLabel, QWidget

from workbench.core import suggestions
from workbench.core.actions import Change
from workbench.core.store import models as models_store
from workbench.core.store import status as status_store
from workbench.core.store.project import GOLD, Project

if TYPE_CHECKING:
    from workbench.core.values.training import TrainReport
from workbench.ui.background import BackgroundTask, run_in_background

log = logging.getLogger(__name__)


def _figure(value: object) -> str:
    try:
        return f"{float(value or 0.0):.2f}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "0.00"


class ModelTrainer(QObject):
    """Trains the layer's model after "done" and shows its state (see the module doc)."""

    trained = Signal(object)  # the TrainReport of a finished run
    message = Signal(str, int)  # a line for the status bar, and how long it stays

    def __init__(self, project: Project, layer, parent: QObject | None = None, label_parent: QWidget | None = None):
        """``layer()`` gives the layer shown (the annotator's own, or gold while adjudicating);
        ``label_parent``: the widget its state's label is shown in (a label shown without one
        would open as a window of its own, and take the focus from the window on screen)."""
        super().__init__(parent)
        self.project = project
        self._layer = layer
        self._task: BackgroundTask | None = None
        self._queued: str | None = None  # the layer of the one run queued
        self._stopped = False
        self.runs = 0  # runs started (for the curious and the tests)
        self.label = QLabel(label_parent)
        self.label.setObjectName("modelState")
        self.refresh()

    @property
    def busy(self) -> bool:
        """Whether a run goes on or is queued."""
        return self._task is not None or self._queued is not None

    def layer(self) -> str:
        """The annotator's own layer, whose model this is ('' without one; gold has no suggestions)."""
        layer = self._layer() or ""
        return "" if layer == GOLD else layer

    # --- asking for a run ------------------------------------------------------------------

    def on_change(self, change: Change) -> None:
        """An action ran: a document of the layer shown marked done starts (or queues) a run."""
        layer = self.layer()
        if not layer or not change.statuses or self._stopped:
            return
        try:
            if not suggestions.enabled(self.project):
                return  # nothing would use the model
            done = any(
                annotator == layer and status_store.get(self.project.db, doc_id, annotator) == status_store.DONE
                for doc_id, annotator in change.statuses
            )
        except Exception:  # (a damaged project: no training, the window goes on)
            log.warning("cannot tell whether a document was marked done", exc_info=True)
            return
        if done:
            self.request(layer)

    def request(self, layer: str | None = None) -> bool:
        """Train ``layer``'s model (the layer shown) now, or after the run that goes on; whether
        a run was started or queued."""
        layer = layer if layer is not None else self.layer()
        if not layer or self._stopped:
            if not layer:
                self.message.emit(
                    QCoreApplication.translate("Model", "No model to train: this layer has no suggestions."), 5000
                )
            return False
        if self._task is not None:
            self._queued = layer  # at most one queued: a later request replaces nothing but the layer
            self.refresh()
            return True
        self._start(layer)
        return True

    def stop(self) -> None:
        """The window closes: nothing more is started; the run that goes on delivers nothing
        (it is waited for, so no thread outlives the window)."""
        self._stopped = True
        self._queued = None
        if self._task is not None:
            self._task.abandon()
            self._task.wait(60000)
            self._task = None

    def _start(self, layer: str) -> None:
        self.runs += 1
        self._task = run_in_background(
            self.project.path,
            # (looked up at run time: the module's function, as the core defines it now)
            _train(layer),
            on_result=self._trained,
            on_error=self._failed,
            on_done=self._finished,
        )
        self.refresh()

    def _trained(self, report: TrainReport) -> None:
        self.refresh()
        self.message.emit(self.label.text(), 5000)
        self.trained.emit(report)

    def _failed(self, exc: BaseException) -> None:
        log.warning("the model could not be trained", exc_info=exc)
        self.message.emit(
            QCoreApplication.translate("Model", "The model could not be trained: %1").replace(
                "%1", str(exc) or type(exc).__name__
            ),
            10000,
        )

    def _finished(self) -> None:
        self._task = None
        queued, self._queued = self._queued, None
        if queued and not self._stopped:
            self._start(queued)
        else:
            self.refresh()

    # --- the state shown -------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the model's state (hidden when suggestions are off in the project)."""
        layer = self.layer()
        try:
            on = suggestions.enabled(self.project)
            stored = models_store.get(self.project.db, layer, blob=False) if layer else None
        except Exception:  # (a damaged project, or one without the models table)
            log.debug("the model's state cannot be read", exc_info=True)
            on, stored = False, None
        self.label.setVisible(on and bool(layer))
        if self._task is not None:
            self.label.setText(QCoreApplication.translate("Model", "Model: training…"))
        elif stored is None:
            self.label.setText(QCoreApplication.translate("Model", "Model: none yet (mark documents done)"))
        else:
            relaxed = stored.evaluation.get("overall", {}).get("relaxed", {})
            precision = float(relaxed.get("precision") or 0.0)
            if not stored.evaluation:
                self.label.setText(
                    QCoreApplication.translate(
                        "Model", "Model: quiet until two documents are done (one is held out to test it)"
                    )
                )
            elif precision < suggestions.MODEL_MIN_PRECISION:
                self.label.setText(
                    QCoreApplication.translate("Model", "Model: quiet until its held-out precision reaches %1 (now %2)")
                    .replace("%1", f"{suggestions.MODEL_MIN_PRECISION:.1f}")
                    .replace("%2", _figure(precision))
                )
            else:
                self.label.setText(
                    QCoreApplication.translate("Model", "Model: %1 documents, held-out F1 %2")
                    .replace("%1", str(stored.documents))
                    .replace("%2", _figure(relaxed.get("f1")))
                )
        self.label.setToolTip(self._details(stored))

    def _details(self, stored: models_store.StoredModel | None) -> str:
        if stored is None:
            return QCoreApplication.translate(
                "Model", "The model learns from the documents you mark done; it is trained after each one."
            )
        lines = [
            QCoreApplication.translate("Model", "Trained %1 on %2 documents in %3 s.")
            .replace("%1", stored.trained_at)
            .replace("%2", str(stored.documents))
            .replace("%3", f"{stored.seconds:.1f}")
        ]
        evaluation = stored.evaluation
        if evaluation:
            lines.append(
                QCoreApplication.translate(
                    "Model", "Held out: %1 documents (relaxed: same label, overlapping)."
                ).replace("%1", str(evaluation.get("documents", 0)))
            )
            rows = [(QCoreApplication.translate("Model", "overall"), evaluation.get("overall", {}))]
            rows += list(evaluation.get("labels", {}).items())
            for name, figures in rows:
                relaxed = figures.get("relaxed", {})
                lines.append(
                    QCoreApplication.translate("Model", "%1: precision %2, recall %3, F1 %4")
                    .replace("%1", name)
                    .replace("%2", _figure(relaxed.get("precision")))
                    .replace("%3", _figure(relaxed.get("recall")))
                    .replace("%4", _figure(relaxed.get("f1")))
                )
        lines.append(QCoreApplication.translate("Model", "A new model is used from the next document opened."))
        return "\n".join(lines)


def _train(layer: str):
    """The background work of one training run. The model code (crfsuite) is imported when a run
    starts, not with the window: most sessions never train."""

    def work(project: Project, _progress, _cancelled):
        from workbench.core.values import training

        return training.train_layer(project, layer)

    return work
