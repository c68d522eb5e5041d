"""The open document's spans: the one copy the article view, its highlighter and the span table read.

:class:`DocumentSpans` holds the open document (its id and stored text), the layer
shown (an annotator's, or gold) and that layer's spans, keyed by id. It changes in
two ways only: :meth:`load` (another document or layer: ``reset``) and
:meth:`apply` / :meth:`put` / :meth:`drop` (some spans: ``spansChanged`` with just
those, so each reader repaints only what changed). Offsets are code points, as
stored; the article view converts them to Qt's UTF-16 positions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType

from PySide6.QtCore import QObject, Signal

from workbench.core.actions import Change
from workbench.core.store.spans import Span


def reading_order(span: Span) -> tuple[int, int, str]:
    """By start, the outer of two nested spans first, then the older."""
    return (span.start, -span.end, span.created_at)


class DocumentSpans(QObject):
    reset = Signal()  # another document or layer: read everything again
    spansChanged = Signal(list, list)  # (spans added or changed, ids removed)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.doc_id: str | None = None
        self.layer = ""
        self.text = ""
        self._spans: dict[str, Span] = {}

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

    # --- changing ------------------------------------------------------------------

    def load(self, doc_id: str | None, text: str, spans: Iterable[Span], layer: str | None = None) -> None:
        """Hold another document (or the same one again, or another layer of it)."""
        self.doc_id = doc_id
        self.text = text
        if layer is not None:
            self.layer = layer
        self._spans = {s.id: s for s in spans}
        self.reset.emit()

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
