"""The open document's spans: the one copy the article view, its highlighter and the span table read.

:class:`DocumentSpans` holds the open document (its id and stored text), the layer
shown (an annotator's, or gold) and that layer's spans, keyed by id. It changes in
two ways only: :meth:`load` (another document or layer: ``reset``) and
:meth:`apply` / :meth:`put` / :meth:`drop` (some spans: ``spansChanged`` with just
those, so each reader repaints only what changed). Offsets are code points, as
stored; the article view converts them to Qt's UTF-16 positions.

It also holds the layer's pending **suggestions** (:class:`~workbench.core.values.Found`,
proposed by the core's value engines, not saved until accepted), keyed by
:func:`suggestion_key`: :meth:`set_suggestions` replaces them (``suggestionsChanged``
with the keys that came and went), :meth:`load` drops them. Spans and suggestions
together are the *items* of the document (:meth:`ordered_items`, :meth:`has`):
what Tab steps through and the span table lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType

from PySide6.QtCore import QObject, Signal

from workbench.core.actions import Change
from workbench.core.store.spans import Span
from workbench.core.values import Found

SUGGESTION = "suggestion:"  # the prefix of a suggestion's key (span ids are hex)


def reading_order(span: Span) -> tuple[int, int, str]:
    """By start, the outer of two nested spans first, then the older."""
    return (span.start, -span.end, span.created_at)


def suggestion_key(found: Found) -> str:
    """A suggestion's key among the items: its extent and label (one suggestion each)."""
    return f"{SUGGESTION}{found.start}:{found.end}:{found.label}"


def is_suggestion(item_id: str | None) -> bool:
    return bool(item_id) and str(item_id).startswith(SUGGESTION)


def suggestion_order(found: Found) -> tuple[int, int, str]:
    """Reading order of a suggestion among spans: as a span, after the spans of the same extent."""
    return (found.start, -found.end, "\uffff" + found.label)


class DocumentSpans(QObject):
    reset = Signal()  # another document or layer: read everything again
    spansChanged = Signal(list, list)  # (spans added or changed, ids removed)
    suggestionsChanged = Signal(list, list)  # (keys of suggestions added or changed, keys removed)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.doc_id: str | None = None
        self.layer = ""
        self.text = ""
        self._spans: dict[str, Span] = {}
        self._suggestions: dict[str, Found] = {}

    # --- reading -------------------------------------------------------------------

    @property
    def spans(self) -> Mapping[str, Span]:
        """The spans by id (read-only: change them through the methods below)."""
        return MappingProxyType(self._spans)

    def get(self, span_id: str | None) -> Span | None:
        return self._spans.get(span_id) if span_id else None

    def __contains__(self, span_id: object) -> bool:
        return span_id in self._spans

    def __len__(self) -> int:
        return len(self._spans)

    def __iter__(self) -> Iterator[Span]:
        return iter(self._spans.values())

    def ordered(self) -> list[Span]:
        """The spans in reading order."""
        return sorted(self._spans.values(), key=reading_order)

    # --- suggestions, and items (spans and suggestions) ------------------------------

    @property
    def suggestions(self) -> Mapping[str, Found]:
        """The pending suggestions by key (read-only)."""
        return MappingProxyType(self._suggestions)

    def suggestion(self, key: str | None) -> Found | None:
        return self._suggestions.get(key) if key else None

    def has(self, item_id: str | None) -> bool:
        """Whether ``item_id`` is a span or a suggestion of the open document."""
        return bool(item_id) and (item_id in self._spans or item_id in self._suggestions)

    def order_of(self, item_id: str) -> tuple[int, int, str]:
        """The reading-order key of a span or a suggestion."""
        found = self._suggestions.get(item_id)
        return suggestion_order(found) if found is not None else reading_order(self._spans[item_id])

    def extent(self, item_id: str | None) -> tuple[int, int] | None:
        """``(start, end)`` of a span or a suggestion, in code points."""
        item = self._spans.get(item_id) or self._suggestions.get(item_id) if item_id else None
        return (item.start, item.end) if item is not None else None

    def ordered_items(self) -> list[str]:
        """The ids of the spans and the keys of the suggestions, in reading order."""
        keyed = [(reading_order(s), s.id) for s in self._spans.values()]
        keyed += [(suggestion_order(f), key) for key, f in self._suggestions.items()]
        return [item for _, item in sorted(keyed)]

    # --- changing ------------------------------------------------------------------

    def load(self, doc_id: str | None, text: str, spans: Iterable[Span], layer: str | None = None) -> None:
        """Hold another document (or the same one again, or another layer of it)."""
        self.doc_id = doc_id
        self.text = text
        if layer is not None:
            self.layer = layer
        self._spans = {s.id: s for s in spans}
        self._suggestions = {}  # computed again for the new document (or layer)
        self.reset.emit()

    def set_suggestions(self, found: Iterable[Found]) -> None:
        """Hold ``found`` as the pending suggestions; say which came, changed or went."""
        new = {suggestion_key(f): f for f in found}
        old = self._suggestions
        removed = [key for key in old if key not in new]
        added = [key for key, f in new.items() if old.get(key) != f]
        self._suggestions = new
        if added or removed:
            self.suggestionsChanged.emit(added, removed)

    def drop_suggestion(self, key: str) -> None:
        """No longer offer one suggestion (accepted or rejected: the next computation agrees)."""
        if self._suggestions.pop(key, None) is not None:
            self.suggestionsChanged.emit([], [key])

    def put(self, span: Span) -> None:
        """Add or replace one span."""
        self.update([span], [])

    def drop(self, span_id: str) -> None:
        self.update([], [span_id])

    def update(self, changed: Iterable[Span], removed: Iterable[str]) -> None:
        """Add or replace ``changed`` and drop ``removed``; say so only for what really changed."""
        changed = list(changed)
        kept = {s.id for s in changed}  # removed and put back (an undo that restores): kept
        changed = [s for s in changed if self._spans.get(s.id) != s]
        removed = [key for key in dict.fromkeys(removed) if key in self._spans and key not in kept]
        if not changed and not removed:
            return
        for key in removed:
            del self._spans[key]
        for span in changed:
            self._spans[span.id] = span
        self.spansChanged.emit(changed, removed)

    def apply(self, change: Change) -> None:
        """Follow what an action did, as far as it touches this document's layer."""
        if self.doc_id is None or self.doc_id not in change.doc_ids:
            return

        def ours(span: Span) -> bool:
            return span.doc_id == self.doc_id and span.annotator == self.layer

        self.update(
            [s for s in (*change.added, *change.updated) if ours(s)],
            [s.id for s in change.removed if ours(s)],
        )
