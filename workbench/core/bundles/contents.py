"""What a bundle's rows hold, checked like any import before anything is written.

Both kinds of bundle carry span rows; each must have exactly a span's fields,
with their types, fit its document's text and name a label of the schema.
"""

from __future__ import annotations

import json
from operator import itemgetter
from typing import Any

from workbench.core.bundles.archive import BundleError
from workbench.core.store import spans as span_store
from workbench.core.store.labels import Label, validate_attributes
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


# A span row once checked, as a merge keeps and writes it: the columns of the spans table but the
# last (``id, doc_id, annotator, start, end, label``, the attributes as stored (JSON), ``note``,
# ``unsure`` as 0 or 1, ``created_at``); the time of the write is added to it. A tuple, not a Span:
# a bundle carries hundreds of thousands.
CheckedRow = tuple[str, str, str, int, int, str, str, str, int, str]
_FIELDS = itemgetter(
    "id", "doc_id", "annotator", "start", "end", "label", "attributes", "note", "unsure", "created_at", "updated_at"
)


def quick_row(
    row: dict[str, Any], doc_id: str | None, annotator: str, text: str, labels: dict[str, Label], twins: Twins
) -> CheckedRow | None:
    """``row`` checked, when it is a usual span of ``doc_id`` (the document of the row before it)
    that passes every check of :func:`span_from_row`, :meth:`Twins.check` and :func:`checked_span`;
    else ``None``, and nothing is noted in ``twins``: the caller then runs those checks in their
    order, which refuse the row with their own words (or accept an unusual one: an ``unsure`` of
    0 or 1, a ``note`` of null). The same checks, in fewer steps per row."""
    if doc_id is None or len(row) != len(SPAN_KEYS):
        return None
    try:  # every key of a span, and no other (as many keys)
        span_id, doc, owner, start, end, label, attributes, note, unsure, created, updated = _FIELDS(row)
    except KeyError:
        return None
    if not (
        doc == doc_id  # (the types: a JSON value equal to a str is a str)
        and owner == annotator
        and type(span_id) is str
        and type(label) is str
        and type(start) is int
        and type(end) is int
        and type(attributes) is dict
        and type(note) is str
        and (unsure is False or unsure is True)
        and type(created) is str
        and created
        and type(updated) is str
    ):
        return None
    key = (doc_id, start, end, label)
    if span_id in twins.ids or key in twins.ranges:
        return None
    if span_store.edge_problem(text, start, end) is not None:
        return None
    schema = labels.get(label)
    if schema is None:
        return None
    stored = "{}"
    if attributes:
        try:
            attributes = validate_attributes(schema, attributes)
        except (ValueError, TypeError, AttributeError):
            return None
        if attributes:
            stored = json.dumps(attributes, ensure_ascii=False)
    twins.ids.add(span_id)
    twins.ranges[key] = span_id
    return (span_id, doc_id, annotator, start, end, schema.name, stored, note, 1 if unsure else 0, created)


def row_of(span: Span) -> CheckedRow:
    """A checked :class:`Span` as a :data:`CheckedRow`."""
    stored = json.dumps(span.attributes, ensure_ascii=False) if span.attributes else "{}"
    return (
        span.id,
        span.doc_id,
        span.annotator,
        span.start,
        span.end,
        span.label,
        stored,
        span.note,
        int(span.unsure),
        span.created_at,
    )


def span_of(row: CheckedRow) -> Span:
    """A :data:`CheckedRow` as a :class:`Span` (its ``updated_at`` left empty: a write sets it)."""
    span_id, doc_id, annotator, start, end, label, stored, note, unsure, created = row
    attributes = json.loads(stored) if stored != "{}" else {}
    return Span(doc_id, annotator, start, end, label, attributes, note, bool(unsure), span_id, created, "")


def where(bundle_name: str, span: Span) -> str:
    return f"{bundle_name}: span {span.id} in {span.doc_id!r}"
