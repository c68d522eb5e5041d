"""What a bundle's rows hold, checked like any import before anything is written.

Both kinds of bundle carry span rows; each must have exactly a span's fields,
with their types, fit its document's text and name a label of the schema.
"""

from __future__ import annotations

from typing import Any

from workbench.core.bundles.archive import BundleError
from workbench.core.store import spans as span_store
from workbench.core.store.labels import Label
from workbench.core.store.spans import Span, SpanError

SPAN_KEYS = frozenset(
    {"id", "doc_id", "annotator", "start", "end", "label", "attributes", "note", "unsure", "created_at", "updated_at"}
)


def span_from_row(row: dict[str, Any], bundle_name: str) -> Span:
    """A span row of a bundle, with exactly the fields of a span and their types (offsets are
    integers, not floats or booleans), as a :class:`Span`; the text and schema are checked later."""
    if row.keys() != SPAN_KEYS:
        raise BundleError(f"{bundle_name}: a span has unexpected fields; refused")
    # Plain type tests, not generic helpers: a bundle carries tens of thousands of spans.
    if not (
        type(row["id"]) is str
        and type(row["doc_id"]) is str
        and type(row["annotator"]) is str
        and type(row["label"]) is str
        and type(row["created_at"]) is str
        and type(row["updated_at"]) is str
        and type(row["attributes"]) is dict
        and (row["note"] is None or type(row["note"]) is str)
        and type(row["unsure"]) in (bool, int)
    ):
        raise BundleError(f"{bundle_name}: a span is malformed; refused")
    if type(row["start"]) is not int or type(row["end"]) is not int:
        raise BundleError(f"{bundle_name}: span {row['id']} in {row['doc_id']!r}: offsets are not integers; refused")
    return Span(**row)


def checked_span(text: str, labels: dict[str, Label], span: Span, bundle_name: str) -> Span:
    """``span`` once it fits ``text`` and the schema (``labels`` by name); refused otherwise."""
    try:
        span = span_store.check(text, labels, span)
    except SpanError as exc:
        if exc.problem == span_store.EDGES:
            raise BundleError(f"{where(bundle_name, span)} does not fit the text ({exc}); refused") from None
        if exc.problem == span_store.LABEL:
            raise BundleError(
                f"{where(bundle_name, span)} has the label {span.label!r}, which the schema lacks; refused"
            ) from None
        raise BundleError(f"{where(bundle_name, span)}: {exc}; refused") from None
    span.note, span.unsure = str(span.note or ""), bool(span.unsure)
    return span


class Twins:
    """The spans of a bundle seen so far: the same id twice, or the same document, range and
    label twice (one annotator has one such span), is refused. Keep one for a whole bundle, or
    a fresh one per document when the spans come grouped by document."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.ranges: dict[tuple[str, int, int, str], str] = {}

    def check(self, span: Span, bundle_name: str) -> None:
        if span.id in self.ids:
            raise BundleError(f"{where(bundle_name, span)}: the span id appears twice; refused")
        self.ids.add(span.id)
        twin = self.ranges.setdefault((span.doc_id, span.start, span.end, span.label), span.id)
        if twin != span.id:
            raise BundleError(
                f"{where(bundle_name, span)} repeats span {twin} (the same range and label): one annotator has "
                "one such span; refused"
            )


def where(bundle_name: str, span: Span) -> str:
    return f"{bundle_name}: span {span.id} in {span.doc_id!r}"
