"""Adjudication of the open document: the queue of disagreement clusters, each annotator's
version, and keys to accept one version or the majority into the gold layer.

While the panel is open the window edits the gold layer: the article shows the
gold spans, label keys add gold spans by hand, and every acceptance is an
undoable action with provenance. Selecting a version selects its exact text.

The panel only turns keys and clicks into intents (:mod:`workbench.core.intents`):
which version, which attributes and which adjudicator an acceptance stores is the
core's to decide, the same as on the command line. It asks the window to run the
action (``actionRequested``) and refreshes itself from the runner's ``Change``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core import adjudication, intents
from workbench.core.actions import Action, Change
from workbench.core.errors import WorkbenchError
from workbench.core.store.project import Project
from workbench.ui.label_palette import swatch

KIND_TEXT = {
    "unanimous": QT_TRANSLATE_NOOP("AdjudicationPanel", "unanimous"),
    "label": QT_TRANSLATE_NOOP("AdjudicationPanel", "label conflict"),
    "boundary": QT_TRANSLATE_NOOP("AdjudicationPanel", "boundary conflict"),
    "proclitic": QT_TRANSLATE_NOOP("AdjudicationPanel", "proclitic only"),
    "missing": QT_TRANSLATE_NOOP("AdjudicationPanel", "missing"),
    "nested": QT_TRANSLATE_NOOP("AdjudicationPanel", "nested"),
    "attributes": QT_TRANSLATE_NOOP("AdjudicationPanel", "attribute conflict"),
}


def attributes_text(attributes: dict) -> str:
    """A version's attributes as ``name=value`` pairs, isolated so Arabic values keep their place."""
    if not attributes:
        return "—"
    pairs = []
    for name, value in sorted(attributes.items()):
        if isinstance(value, list):
            value = "-".join(str(v) for v in value)
        pairs.append(f"{name}=\u2068{value}\u2069")
    return "\u2068" + " · ".join(pairs) + "\u2069"


class AdjudicationPanel(QWidget):
    rangeChosen = Signal(int, int)  # select this text (a version's extent)
    actionRequested = Signal(object)  # a core Action for the window's runner (undo stack)

    def __init__(self, project: Project, colors: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.colors = colors
        self.doc_id: str | None = None
        self.text = ""
        self.clusters: list[adjudication.Cluster] = []
        self.annotators: list[str] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.summary = QLabel()
        self.summary.setObjectName("adjudicationSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.queue = QListWidget()
        self.queue.setObjectName("clusterQueue")
        self.queue.currentRowChanged.connect(self._show_cluster)
        # The queue and the versions side by side: the panel sits below the article, wide and low.
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(self.queue)
        layout.addWidget(self.split, 1)
        self.versions = QTableWidget(0, 5)
        self.versions.setObjectName("clusterVersions")
        self.versions.setHorizontalHeaderLabels(
            [self.tr("Annotator"), self.tr("Label"), self.tr("Text"), self.tr("Attributes"), self.tr("Agreed by")]
        )
        self.versions.setWordWrap(False)
        self.versions.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.versions.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.versions.verticalHeader().setVisible(True)
        self.versions.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.versions.currentCellChanged.connect(lambda row, *_: self._show_version(row))
        self.split.addWidget(self.versions)
        self.split.setStretchFactor(0, 2)
        self.split.setStretchFactor(1, 3)
        buttons = QHBoxLayout()
        for text, handler, name in (
            (self.tr("Accept version (Alt+number)"), self.accept_selected, "acceptVersion"),
            (self.tr("Accept majority (A)"), self.accept_majority, "acceptMajority"),
            (self.tr("Accept all unanimous"), self.accept_unanimous, "acceptUnanimous"),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(handler)
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        layout.addWidget(self.legend)

    # --- content -------------------------------------------------------------------------

    def show_document(self, doc_id: str | None, text: str) -> None:
        keep = self.queue.currentRow()
        self.doc_id, self.text = doc_id, text
        self.clusters = adjudication.clusters(self.project, doc_id) if doc_id else []
        # The annotators compared: the core's own list (the one majority and unanimity count on).
        self.annotators = sorted(adjudication.default_annotators(self.project, doc_id)) if doc_id else []
        self.queue.blockSignals(True)
        self.queue.clear()
        for cluster in self.clusters:
            excerpt = " ".join(text[cluster.start : cluster.end].split())
            if len(excerpt) > 48:
                excerpt = excerpt[:45] + "…"
            done = "✓ " if cluster.gold else ""
            versions = ", ".join(f"{v.annotator}:{v.label}" for v in cluster.versions)
            missing = f" · {self.tr('missing')}: {', '.join(cluster.missing)}" if cluster.missing else ""
            item = QListWidgetItem(f"{done}{self.tr(KIND_TEXT[cluster.kind])} — {excerpt} — {versions}{missing}")
            if cluster.gold:
                item.setForeground(QBrush(QColor("#6A6A6A")))
            self.queue.addItem(item)
        self.queue.blockSignals(False)
        open_clusters = [c for c in self.clusters if not c.gold]
        counts = {kind: sum(1 for c in open_clusters if c.kind == kind) for kind in KIND_TEXT}
        self.summary.setText(
            self.tr("%1 clusters to adjudicate (%2 unanimous), %3 done. Annotators: %4.")
            .replace("%1", str(len(open_clusters)))
            .replace("%2", str(counts["unanimous"]))
            .replace("%3", str(len(self.clusters) - len(open_clusters)))
            .replace("%4", ", ".join(self.annotators) or "—")
        )
        if self.clusters:
            self.queue.setCurrentRow(min(max(keep, 0), len(self.clusters) - 1))
        else:
            self.versions.setRowCount(0)

    @property
    def cluster(self) -> adjudication.Cluster | None:
        row = self.queue.currentRow()
        return self.clusters[row] if 0 <= row < len(self.clusters) else None

    def _show_cluster(self, row: int) -> None:
        cluster = self.cluster
        self.versions.setRowCount(0)
        if cluster is None:
            return
        self.versions.setRowCount(len(cluster.versions))
        for r, version in enumerate(cluster.versions):
            agreed = adjudication.agreeing(cluster, version)
            label = QTableWidgetItem(swatch(self.colors.get(version.label, "#999999"), 12), version.label)
            words = QTableWidgetItem(" ".join(self.text[version.start : version.end].split()))
            words.setTextAlignment(
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter
            )
            attributes = QTableWidgetItem(attributes_text(version.attributes))
            attributes.setToolTip(attributes_text(version.attributes))
            for c, item in enumerate(
                (QTableWidgetItem(version.annotator), label, words, attributes, QTableWidgetItem(", ".join(agreed)))
            ):
                self.versions.setItem(r, c, item)
        self.versions.resizeColumnToContents(3)
        self.versions.setVerticalHeaderLabels([f"Alt+{n}" for n in range(1, len(cluster.versions) + 1)])
        self.rangeChosen.emit(cluster.start, cluster.end)

    def _show_version(self, row: int) -> None:
        cluster = self.cluster
        if cluster is not None and 0 <= row < len(cluster.versions):
            version = cluster.versions[row]
            self.rangeChosen.emit(version.start, version.end)

    def step(self, direction: int) -> None:
        """Go to the next (or previous) cluster that has no gold yet."""
        if not self.clusters:
            return
        row = self.queue.currentRow()
        for _ in range(len(self.clusters)):
            row = (row + direction) % len(self.clusters)
            if not self.clusters[row].gold:
                break
        self.queue.setCurrentRow(row)

    def on_change(self, change: Change) -> None:
        """An action ran (or was undone): show the open document's clusters again if it changed."""
        if self.isVisible() and self.doc_id is not None and self.doc_id in change.doc_ids:
            self.show_document(self.doc_id, self.text)

    # --- accepting: each key or button is one intent ---------------------------------------

    def _request(self, intent: Callable[[], Action | None]) -> bool:
        """Ask the window to run the intent's action; ``False`` when there is none."""
        try:
            action = intent()
        except WorkbenchError as exc:  # refused before anything ran: say why, here
            self.summary.setText(str(exc))
            return False
        if action is None:
            return False
        self.actionRequested.emit(action)
        return True

    def accept_version(self, index: int) -> bool:
        """Accept the ``index``-th version (0-based) of the current cluster into gold."""
        cluster = self.cluster
        if cluster is None or self.doc_id is None:
            return False
        return self._request(lambda: intents.accept_version(self.project, self.doc_id, cluster, index))

    def accept_selected(self) -> None:
        self.accept_version(max(self.versions.currentRow(), 0))

    def accept_majority(self) -> bool:
        cluster = self.cluster
        if cluster is None or self.doc_id is None:
            return False
        no_majority = self.tr("No majority in this cluster: accept one version (Alt+number) or tag by hand.")

        def majority() -> Action | None:
            action = intents.accept_majority(self.project, self.doc_id, cluster)
            if action is None:
                self.summary.setText(no_majority)
            return action

        return self._request(majority)

    def accept_unanimous(self) -> bool:
        """Accept every unanimous cluster of the document that has no gold yet (one undo step)."""
        if self.doc_id is None:
            return False
        return self._request(lambda: intents.accept_unanimous(self.project, self.doc_id))
