"""Span editing: the selected span, and keys and clicks turned into intents.

:class:`SpanEditor` keeps which span is selected (in the article, the table and
the attribute form at once) and turns the user's keys into the core's intents
(:mod:`workbench.core.intents`): tag a selection, relabel, delete, toggle unsure,
strip a proclitic, nudge an edge, edit attributes. What each intent does (snapping,
the attributes a relabel keeps, the delete a gold span needs, where an edge moves)
is the core's; the one thing decided here is which way an arrow on the screen
points in the text.

The selected item may be a pending suggestion (Tab reaches spans and suggestions in
reading order): then the same keys settle it through the core's suggestion actions
(:mod:`workbench.core.suggestions`): Enter accepts it, Del rejects it, a label key
accepts it with that label, an edge key or P adjusts it and accepts it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QItemSelectionModel, QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QTableView

from workbench.core import intents, suggestions
from workbench.core.actions import Action, Change
from workbench.core.errors import WorkbenchError
from workbench.core.store import changelog
from workbench.core.store import spans as span_store
from workbench.core.store.labels import TEXT, Label
from workbench.core.store.project import Project
from workbench.core.store.spans import Span
from workbench.core.values import Found
from workbench.ui.annotation_view import AnnotationView
from workbench.ui.attribute_form import AttributeForm
from workbench.ui.background import BackgroundTask
from workbench.ui.document_spans import DocumentSpans, suggestion_key
from workbench.ui.runner import ActionRunner
from workbench.ui.span_table import SpanTableModel

log = logging.getLogger(__name__)
LEFT, RIGHT = "left", "right"  # sides of the screen


# Refusals of the core shown in the status bar, translated when the text is one of these.
CORE_MESSAGES = (QT_TRANSLATE_NOOP("MainWindow", "Nothing to tag: the selection holds no letters or digits."),)


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)  # (the strings' context before the split)


def text_direction(side: str, rtl: bool) -> int:
    """The direction in the text of an arrow toward ``side`` of the screen: in a
    right-to-left paragraph "left" is forward, in a left-to-right one it is backward."""
    if side not in (LEFT, RIGHT):
        raise ValueError(f"side must be {LEFT} or {RIGHT}, not {side!r}")
    return intents.FORWARD if (side == LEFT) == rtl else intents.BACKWARD


class Completions(QObject):
    """The values already given to each text attribute of each label (any layer), most used
    first: what the attribute form offers to complete.

    Read from the project once per label and attribute (one pass over every span), then kept
    up to date from the actions' changes (:meth:`on_change`), so that selecting a span (and so
    tagging one) reads nothing. A commit by another connection (another process, a worker)
    makes them read again; so does :meth:`clear` (work merged in).

    In a large project (more than :data:`READ_OFF_THREAD` spans) that pass takes a noticeable
    time (0.3 s at 2 million spans, seconds at 20 million): it runs on a worker, :meth:`values`
    gives nothing meanwhile, and ``loaded`` says when a label's values came. The worker's count
    says which change it is as of (:func:`~workbench.core.store.spans.attribute_counts_as_of`);
    the window's actions on that label meanwhile are noted with theirs and added to it when it
    comes, those it already holds left out. A count read while another connection wrote, or
    after the values were let go, is not kept: the next :meth:`values` reads again.
    """

    loaded = Signal(str)  # a label whose values came in from a worker (or must be asked again)

    READ_OFF_THREAD = 200_000

    def __init__(self, project: Project, model: DocumentSpans, parent: QObject | None = None):
        super().__init__(parent)
        self.project = project
        self.model = model  # the open document's spans: what an edit replaced, if it was shown
        self._ranked: dict[tuple[str, str], span_store.CompletionRanking] = {}
        self._version: int | None = None
        self._cleared = 0  # times the values were let go (a count on its way reads what is gone)
        self._loading: dict[tuple[str, str], BackgroundTask] = {}
        # While a count is on its way: the window's changes to its values, (value, step, the
        # newest change once it was made); None when one could not be told (read again).
        self._meanwhile: dict[tuple[str, str], list[tuple[Any, int, int]] | None] = {}
        self._let_go: list[BackgroundTask] = []  # counts abandoned, still running (waited for by stop)
        self._stopped = False

    def clear(self) -> None:
        self._ranked.clear()
        self._cleared += 1
        self._let_go = [task for task in self._let_go if not task.isFinished()]
        for task in self._loading.values():
            task.abandon()  # (what it reads is let go too: the next values() counts again)
            self._let_go.append(task)
        self._loading.clear()
        self._meanwhile.clear()

    @property
    def counting(self) -> bool:
        """Whether a count is on its way from a worker."""
        return bool(self._loading)

    def values(self, label: str, attribute: str) -> list[str]:
        version = span_store.data_version(self.project.db)
        if version != self._version:
            self.clear()  # another connection wrote: read again
            self._version = version
        key = (label, attribute)
        ranked = self._ranked.get(key)
        if ranked is not None:
            return ranked.values()
        if span_store.spans_at_most(self.project.db) <= self.READ_OFF_THREAD:
            ranked = self._ranked[key] = span_store.CompletionRanking(
                span_store.attribute_counts(self.project.db, attribute, label)
            )
            return ranked.values()
        self._load(key)
        return []

    def _load(self, key: tuple[str, str]) -> None:
        if key in self._loading or self._stopped:
            return
        label, attribute = key
        asked = (self._version, self._cleared)
        task = BackgroundTask(
            self.project.path,
            lambda project, _progress, _cancelled: span_store.attribute_counts_as_of(project.db, attribute, label),
        )
        task.succeeded.connect(lambda found: self._arrived(key, asked, task, found))
        task.failed.connect(lambda exc: log.warning("the values of %s.%s were not read: %s", label, attribute, exc))
        task.done.connect(lambda: self._forget(key, task))
        self._loading[key] = task
        self._meanwhile[key] = []
        task.start()

    def _forget(self, key: tuple[str, str], task: BackgroundTask) -> None:
        if self._loading.get(key) is task:
            del self._loading[key]
            self._meanwhile.pop(key, None)

    def _arrived(self, key: tuple[str, str], asked: tuple[int | None, int], task: BackgroundTask, found) -> None:
        meanwhile = self._meanwhile.get(key) if self._loading.get(key) is task else None
        self._forget(key, task)
        if self._stopped:
            return
        counts, as_of = found
        now = (span_store.data_version(self.project.db), self._cleared)
        if meanwhile is not None and now == asked and self._version == asked[0]:
            ranked = span_store.CompletionRanking(counts)
            for value, step, newest in meanwhile:
                if newest > as_of:  # (made after the worker read: not in its count)
                    ranked.count(value, step)
            self._ranked[key] = ranked
        self.loaded.emit(key[0])  # (kept or not: whoever shows the label asks again)

    def stop(self) -> None:
        """The window closes: nothing more is read, and a count on its way is waited for (no
        thread outlives the window) and not delivered."""
        self._stopped = True
        for task in [*self._loading.values(), *self._let_go]:
            task.abandon()
            task.wait(10_000)
        self._loading.clear()
        self._meanwhile.clear()
        self._let_go.clear()

    def on_change(self, change: Change) -> None:
        """Count the values the action added and removed. Subscribed before the model follows
        the change: an edited span's former values are read from the model (a span not shown
        there makes its label's values read again)."""
        if not self._ranked and not self._meanwhile:
            return
        steps, unknown = self._steps(change)
        for key in [key for key in self._ranked if key[0] in unknown]:
            del self._ranked[key]
        for span, step in steps:
            self._count(span, step)
        if self._meanwhile:
            # Noted for the counts on their way, with the newest change once it was made (it is
            # committed: a worker's count holds it if it read later).
            newest = changelog.newest(self.project.db)
            for key, noted in self._meanwhile.items():
                if noted is None:
                    continue
                if key[0] in unknown:
                    self._meanwhile[key] = None  # (read again)
                    continue
                noted.extend(
                    (span_store.attribute_value(span, key[1]), step, newest)
                    for span, step in steps
                    if span.label == key[0]
                )

    def _steps(self, change: Change) -> tuple[list[tuple[Span, int]], set[str]]:
        """Each span the action counts in (1) or out (-1), an edited one as it was and as it is;
        and the labels of edited spans whose former values cannot be told (not in the model)."""
        steps = [(span, 1) for span in change.added] + [(span, -1) for span in change.removed]
        unknown: set[str] = set()
        for span in change.updated:
            before = self.model.get(span.id)
            if before is None:
                unknown.add(span.label)
                continue
            steps += [(before, -1), (span, 1)]
        return steps, unknown

    def _count(self, span: Span, step: int) -> None:
        for key, ranked in self._ranked.items():
            if key[0] == span.label:
                ranked.count(span_store.attribute_value(span, key[1]), step)


class SpanEditor(QObject):
    message = Signal(str, int)  # a line for the status bar, and how long (ms)

    def __init__(
        self,
        project: Project,
        runner: ActionRunner,
        model: DocumentSpans,
        view: AnnotationView,
        table: QTableView,
        table_model: SpanTableModel,
        form: AttributeForm,
        labels: dict[str, Label],
        selection_info: QLabel,
        snap_words: Callable[[], bool],
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.project = project
        self.runner = runner
        self.model = model
        self.view = view
        self.table = table
        self.table_model = table_model
        self.form = form
        self.labels = labels
        self.selection_info = selection_info
        self.snap_words = snap_words
        self.selected: str | None = None
        self.completions = Completions(project, model, self)  # (the window subscribes it to the changes)
        self.completions.loaded.connect(self._completions_loaded)
        self._selecting = False  # select() is moving the table's selection: not the user
        model.reset.connect(self._reset)
        model.suggestionsChanged.connect(self._suggestions_changed)
        view.spanClicked.connect(lambda span_id: self.select(span_id or None))
        view.selectionChanged.connect(self._show_selection_info)
        table.selectionModel().currentRowChanged.connect(self._on_row)
        form.edited.connect(self.edit)
        form.left.connect(self.back_to_text)

    @property
    def snap(self) -> str:
        return intents.WORDS if self.snap_words() else intents.TRIM

    @property
    def span(self) -> Span | None:
        """The selected span."""
        return self.model.get(self.selected)

    @property
    def suggestion(self) -> Found | None:
        """The selected suggestion."""
        return self.model.suggestion(self.selected)

    def _run(self, intent: Callable[[], Action | None]) -> Change | None:
        """Run the action of an intent; a refusal is reported like the project's refusals."""
        try:
            action = intent()
        except WorkbenchError as exc:
            self.runner.refused.emit(exc)
            return None
        return self.runner.run(action)

    # --- selecting ------------------------------------------------------------------

    def select(self, span_id: str | None) -> None:
        """Select a span (by id) or a suggestion (by key); ``None``: nothing."""
        if span_id is not None and not self.model.has(span_id):
            span_id = None
        self.selected = span_id
        self.view.show_selected_span(span_id)
        row = self.table_model.row_of(span_id) if span_id else -1
        selection = self.table.selectionModel()
        # The selection model's signals must reach the table (they repaint the rows that lose
        # and gain the highlight); only our own row handler ignores this change.
        self._selecting = True
        try:
            if row >= 0:
                # (selectRow() does nothing in a right-to-left layout: select through the model)
                selection.setCurrentIndex(
                    self.table_model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )
            else:
                selection.clear()  # (the current row goes too: no faint focus frame is left)
        finally:
            self._selecting = False
        self._show_form()
        if row >= 0:
            # In view once the panel is laid out again (the form of another label takes another
            # height, and a new row is laid out later): now, and once more after the relayout.
            self.table.scrollTo(self.table_model.index(row, 0))
            QTimer.singleShot(0, self._scroll_to_selected)

    def _scroll_to_selected(self) -> None:
        row = self.table_model.row_of(self.selected) if self.selected else -1
        if row >= 0:
            self.table.scrollTo(self.table_model.index(row, 0))

    def _show_form(self) -> None:
        found = self.suggestion
        if found is not None:
            self.form.show_suggestion(found)
            return
        span = self.span
        label = self.labels.get(span.label) if span else None
        self.form.show_span(span, label, self._form_completions(label) if label is not None else {})

    def _completions_loaded(self, label_name: str) -> None:
        """A label's values came in (or must be asked again): the form of a span of that label
        gets them as completers, nothing else of it touched (the annotator may be typing)."""
        span = self.span if self.suggestion is None else None
        label = self.labels.get(span.label) if span else None
        if label is None or label.name != label_name:
            return
        self.form.set_completions(self._form_completions(label))

    def _form_completions(self, label: Label) -> dict[str, list[str]]:
        return {
            attribute.name: self.completions.values(label.name, attribute.name)
            for attribute in label.attributes
            if attribute.type == TEXT
        }

    def _on_row(self, current, _previous) -> None:
        if current.isValid() and not self._selecting:
            self.select(self.table_model.item(current.row()))

    def step(self, step: int) -> None:
        """Select the next (or previous) span or suggestion in reading order; with nothing
        selected, the first one from the text cursor on (or the last one before it)."""
        ids = self.model.ordered_items()
        if not ids:
            return
        if self.selected in ids:
            index = (ids.index(self.selected) + step) % len(ids)
        else:
            caret = self.view.caret()
            starts = [(self.model.extent(item) or (0, 0))[0] for item in ids]
            if step > 0:
                index = next((i for i, start in enumerate(starts) if start >= caret), 0)
            else:
                index = next((i for i in reversed(range(len(ids))) if starts[i] < caret), len(ids) - 1)
        self.select(ids[index])

    def clear_selection(self) -> None:
        self.view.clear_text_selection()
        self.select(None)

    def focus_form(self) -> None:
        """Go into the attribute form of the selected span (its first field)."""
        if self.suggestion is not None:
            self.message.emit(
                QCoreApplication.translate(
                    "MainWindow", "A suggestion's values are edited once it is accepted (Enter)."
                ),
                4000,
            )
            return
        if not self.form.focus_first():
            self.message.emit(
                QCoreApplication.translate("MainWindow", "Select a span first: its attributes are edited here."), 4000
            )

    def back_to_text(self) -> None:
        """Leave the attribute form: the focus goes back to the article, the span stays selected."""
        self.view.setFocus()

    def _reset(self) -> None:
        """Another document or layer: nothing is selected."""
        self.selected = None
        self.form.show_span(None, None)

    def _suggestions_changed(self, changed: list[str], removed: list[str]) -> None:
        """The suggestions were computed again: the selected one is shown as it is now, or
        nothing is selected when it is no longer offered."""
        if self.selected in changed:
            self.select(self.selected)
        elif self.selected in removed and not self.model.has(self.selected):
            self.select(None)

    def on_change(self, change: Change) -> None:
        """An action ran, or was undone or redone: show the selected span as it is now
        (nothing selected if it is gone); other spans do not touch the selection."""
        if self.selected is None or self.model.doc_id not in change.doc_ids:
            return
        if not self.model.has(self.selected):
            self.select(None)
        elif any(s.id == self.selected for s in (*change.updated, *change.added, *change.removed)):
            self.select(self.selected)

    # --- intents --------------------------------------------------------------------------

    def apply_label(self, label: str) -> None:
        """A label key or button: tag the selected text, or relabel the selected span."""
        doc_id = self.model.doc_id
        if not doc_id:
            return
        raw = self.view.selected_range()
        if raw is not None:
            try:
                action = intents.tag(self.project, doc_id, self.model.layer, *raw, label, snap=self.snap)
            except WorkbenchError as exc:
                existing = getattr(exc, "existing", None)
                if isinstance(exc, span_store.SpanError) and existing is not None:
                    # Already tagged so: the existing span is selected instead, and the bar says why.
                    self.view.clear_text_selection()
                    self.select(existing.id)
                    text = QCoreApplication.translate(
                        "MainWindow", "Already tagged %1: the existing span is selected."
                    ).replace("%1", label)
                    self.message.emit(text, 4000)
                    return
                self.message.emit(_tr(str(exc)), 4000)  # nothing to tag: say so, no dialog
                return
            with self.view.highlighter.batch():  # (the new span's paragraph is formatted once)
                change = self.runner.run(action)
                if change is not None:
                    self.view.clear_text_selection()
                    if change.added:
                        self.select(change.added[0].id)
        elif self.suggestion is not None:
            self.accept_suggestion(label)
        elif self.span is not None:
            span = self.span
            self._run(lambda: intents.relabel(self.project, span, label))

    def delete_selected(self) -> None:
        """Del: delete the selected span, or reject the selected suggestion."""
        if self.suggestion is not None:
            self.reject_suggestion()
            return
        span = self.span
        if span is not None:
            self._run(lambda: intents.delete(self.project, span))

    def toggle_unsure(self) -> None:
        span = self.span
        if span is not None:
            self._run(lambda: intents.toggle_unsure(self.project, span))

    def strip_proclitic(self) -> None:
        found = self.suggestion
        if found is not None:
            stripped = intents.strip_proclitic(self.project, self.model.text, self._as_span(found))
            if stripped is None:
                self.message.emit(
                    QCoreApplication.translate(
                        "MainWindow", "This suggestion starts with no proclitic: Enter accepts it as it is."
                    ),
                    4000,
                )
                return
            self.accept_suggestion(start=stripped.after.start, end=stripped.after.end)
            return
        span = self.span
        if span is not None:

            def strip() -> Action | None:
                action = intents.strip_proclitic(self.project, self.model.text, span)
                if action is not None:
                    action.text = QCoreApplication.translate("MainWindow", "Remove proclitic")
                return action

            self._run(strip)
            return
        raw = self.view.selected_range()
        if raw is not None:
            try:
                self.view.select_range(*intents.selection_without_proclitic(self.model.text, *raw, self.snap))
            except WorkbenchError:
                pass  # no letters selected: nothing to strip

    def move_edge(self, edge: str, side: str, by_word: bool = False) -> None:
        """Move an edge of the selected span toward a side of the screen, one character or word
        (of the selected suggestion: and accept it so)."""
        found = self.suggestion
        span = self._as_span(found) if found is not None else self.span
        if span is None:
            return
        offset = span.start if edge == intents.START else span.end
        rtl = self.view.paragraph_is_rtl(max(0, offset - (edge == intents.END)))
        direction = text_direction(side, rtl)
        if found is not None:
            moved = intents.nudge(self.project, self.model.text, span, edge, direction, by_word=by_word)
            if moved is not None:
                self.accept_suggestion(start=moved.after.start, end=moved.after.end)
            return
        self._run(lambda: intents.nudge(self.project, self.model.text, span, edge, direction, by_word=by_word))

    # --- suggestions ----------------------------------------------------------------------

    def _as_span(self, found: Found) -> Span:
        """The span a suggestion would be (for the intents that compute new edges)."""
        return Span(self.model.doc_id or "", self.model.layer, found.start, found.end, found.label)

    def accept_suggestion(self, label: str | None = None, start: int | None = None, end: int | None = None) -> bool:
        """Accept the selected suggestion (as ``label``, or with new edges): it becomes a span
        with its values, selected; one undoable step, logged with its source and confidence."""
        found, doc_id = self.suggestion, self.model.doc_id
        if found is None or not doc_id:
            return False
        layer = self.model.layer

        def accept() -> Action:
            action = suggestions.accept(
                self.project, doc_id, layer, found, intents.actor(self.project, layer), label, start=start, end=end
            )
            action.text = QCoreApplication.translate("MainWindow", "Accept %1 suggestion").replace(
                "%1", label or found.label
            )
            return action

        change = self._run(accept)
        if change is None:
            return False
        self.model.drop_suggestion(suggestion_key(found))
        self.view.clear_text_selection()
        if change.added:
            self.select(change.added[0].id)
        return True

    def reject_suggestion(self) -> bool:
        """Reject the selected suggestion: not offered again on this document (undoable). As
        after deleting a span, the list's next item is selected then."""
        found, doc_id = self.suggestion, self.model.doc_id
        if found is None or not doc_id:
            return False
        layer = self.model.layer

        def reject() -> Action:
            action = suggestions.RejectSuggestion(doc_id, layer, found, intents.actor(self.project, layer))
            action.text = QCoreApplication.translate("MainWindow", "Reject %1 suggestion").replace("%1", found.label)
            return action

        if self._run(reject) is None:
            return False
        self.model.drop_suggestion(suggestion_key(found))
        return True

    def edit(self, span_id: str, changes: dict[str, Any]) -> None:
        """The attribute form's changes to a span."""
        span = self.model.get(span_id)
        if span is not None:
            self._run(lambda: intents.edit(self.project, span, **changes))

    # --- the selection's extent, in the status bar ----------------------------------------

    def _show_selection_info(self) -> None:
        raw = self.view.selected_range()
        if raw is None:
            self.selection_info.clear()
            return
        try:
            start, end = intents.snapped(self.model.text, *raw, self.snap)
        except WorkbenchError:
            return
        shown = self.model.text[start:end]
        if len(shown) > 60:
            shown = shown[:57] + "…"
        # The offsets isolated left to right, so Arabic text beside them cannot reorder them.
        self.selection_info.setText(f"\u2066[{start}, {end})\u2069  {shown}")
