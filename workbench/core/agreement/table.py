"""The corpus as columns of numbers, built once and shared by every measure.

Every span becomes one row (document, annotator, label, start, end). Besides the
document-local offsets each row has a *global* position: documents are laid end to
end in the order given (document ``d`` starts at ``doc_off[d]``), which is the
concatenated continuum of the pooled α_U and lets one sorted sweep serve the whole
corpus without spans of different documents ever touching.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from workbench.core.agreement.model import AgreementInputError, Document


@dataclass(frozen=True, eq=False)
class SpanTable:
    """Deduplicated spans of the chosen annotators and labels, sorted by (annotator, document, start, end, label)."""

    doc_ids: tuple[str, ...]
    texts: tuple[str, ...]  # empty when the table was built from columns (see ``chars``)
    annotators: tuple[str, ...]
    labels: tuple[str, ...]
    doc_len: np.ndarray  # (D,) int64
    doc_off: np.ndarray  # (D + 1,) int64, cumulative lengths
    doc: np.ndarray  # (N,) int64 document index
    rater: np.ndarray  # (N,) int64 annotator index
    label: np.ndarray  # (N,) int64 label index
    start: np.ndarray  # (N,) int64, document-local
    end: np.ndarray  # (N,) int64, document-local, exclusive
    # The texts laid end to end as uint16, for a table built without its texts
    # (:func:`table_from_columns`): each code point as is, those above U+FFFF as U+FFFF
    # (neither whitespace nor a proclitic: the only two things the measures ask of a character).
    chars: np.ndarray | None = None

    @property
    def n_docs(self) -> int:
        return len(self.doc_ids)

    @property
    def total_len(self) -> int:
        return int(self.doc_off[-1])

    @property
    def gstart(self) -> np.ndarray:
        """Start in the concatenated continuum."""
        return self.start + self.doc_off[self.doc]

    @property
    def gend(self) -> np.ndarray:
        return self.end + self.doc_off[self.doc]

    @cached_property
    def codepoints(self) -> np.ndarray:
        """The documents' texts laid end to end, one code point per position (see ``chars``)."""
        if self.chars is not None:
            return self.chars
        joined = "".join(self.texts)
        return np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype="<u4")

    def rows_of(self, rater: int) -> np.ndarray:
        """Row indices of one annotator's spans (a contiguous range, rows are sorted by annotator)."""
        lo, hi = np.searchsorted(self.rater, [rater, rater + 1])
        return np.arange(lo, hi)


def build_table(
    documents: Sequence[Document],
    annotators: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
) -> SpanTable:
    """Check the input and turn it into a :class:`SpanTable`.

    ``annotators=None`` takes every annotator named in any document (sorted by name);
    ``labels=None`` takes every label used by them (sorted). Spans with a label outside
    ``labels`` are left out. Raises :class:`AgreementInputError` for a span that does not
    fit its document (negative, empty, reversed or past the end of the text) and for a
    document id given twice.
    """
    documents = list(documents)
    doc_ids = tuple(d.doc_id for d in documents)
    if len(set(doc_ids)) != len(doc_ids):
        seen: set[str] = set()
        for dup in doc_ids:  # the first id seen a second time
            if dup in seen:
                break
            seen.add(dup)
        raise AgreementInputError(f"Document {dup!r} is given more than once.")
    if annotators is None:
        annotators = sorted({name for d in documents for name in d.annotations})
    annotators = tuple(annotators)
    if len(set(annotators)) != len(annotators):
        raise AgreementInputError("An annotator is named more than once.")
    texts = tuple(d.text for d in documents)
    doc_len = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))

    spans: list = []
    group_doc: list[int] = []
    group_rater: list[int] = []
    group_size: list[int] = []
    for di, document in enumerate(documents):
        get = document.annotations.get
        for ri, name in enumerate(annotators):
            anns = get(name)
            if anns:
                spans.extend(anns)
                group_doc.append(di)
                group_rater.append(ri)
                group_size.append(len(anns))
    doc = np.repeat(np.array(group_doc, dtype=np.int64), group_size)
    rater = np.repeat(np.array(group_rater, dtype=np.int64), group_size)
    try:
        starts = [a.start for a in spans]
        ends = [a.end for a in spans]
        names = [a.label for a in spans]
    except AttributeError:
        raise AgreementInputError("Annotations must be Annotation(start, end, label) values.") from None
    label_ids = {name: i for i, name in enumerate(set(names))}
    labels_col = np.array(list(map(label_ids.__getitem__, names)), dtype=np.int64)
    start = _offsets(starts)
    end = _offsets(ends)
    by_id = sorted(label_ids, key=label_ids.__getitem__)
    return _finish(doc_ids, texts, annotators, labels, doc_len, doc, rater, labels_col, by_id, start, end, None)


def table_from_columns(
    doc_ids: Sequence[str],
    doc_len: np.ndarray,
    chars: np.ndarray,
    annotators: Sequence[str],
    labels: Sequence[str],
    doc: np.ndarray,
    rater: np.ndarray,
    label_code: np.ndarray,
    label_names: Sequence[str],
    start: np.ndarray,
    end: np.ndarray,
) -> SpanTable:
    """The same table as :func:`build_table`, from columns read straight from a store (no
    :class:`Document` or :class:`Annotation` objects, no texts): ``doc_ids`` in the order
    the table lays them out, ``doc_len`` their lengths, ``chars`` their texts end to end
    (see :attr:`SpanTable.chars`); per span its document and annotator index, its label as
    a code into ``label_names``, and its document-local offsets. Labels outside ``labels``
    are left out, as there."""
    doc_ids = tuple(doc_ids)
    if len(set(doc_ids)) != len(doc_ids):
        raise AgreementInputError("A document is given more than once.")
    annotators = tuple(annotators)
    if len(set(annotators)) != len(annotators):
        raise AgreementInputError("An annotator is named more than once.")
    return _finish(
        doc_ids,
        (),
        annotators,
        labels,
        np.asarray(doc_len, dtype=np.int64),
        np.asarray(doc, dtype=np.int64),
        np.asarray(rater, dtype=np.int64),
        np.asarray(label_code, dtype=np.int64),
        list(label_names),
        np.asarray(start, dtype=np.int64),
        np.asarray(end, dtype=np.int64),
        chars,
    )


def _finish(
    doc_ids: tuple[str, ...],
    texts: tuple[str, ...],
    annotators: tuple[str, ...],
    labels: Sequence[str] | None,
    doc_len: np.ndarray,
    doc: np.ndarray,
    rater: np.ndarray,
    labels_col: np.ndarray,
    by_id: list[str],
    start: np.ndarray,
    end: np.ndarray,
    chars: np.ndarray | None,
) -> SpanTable:
    """Check the spans against their documents, keep the asked labels, sort and deduplicate."""
    doc_off = np.zeros(len(doc_len) + 1, dtype=np.int64)
    np.cumsum(doc_len, out=doc_off[1:])
    bad = (start < 0) | (end <= start) | (end > doc_len[doc])
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise AgreementInputError(
            f"Span [{int(start[i])}, {int(end[i])}) of annotator {annotators[int(rater[i])]!r} does not fit "
            f"document {doc_ids[int(doc[i])]!r} (text length {int(doc_len[doc[i]])}): "
            "a span needs 0 <= start < end <= length."
        )

    # Label indices: the order the caller asked for, or sorted names.
    if labels is None:
        labels = tuple(sorted(by_id))
    else:
        labels = tuple(labels)
        if len(set(labels)) != len(labels):
            raise AgreementInputError("A label is named more than once.")
    wanted = {name: i for i, name in enumerate(labels)}
    remap = np.array([wanted.get(name, -1) for name in by_id], dtype=np.int64)
    label = remap[labels_col] if len(labels_col) else np.zeros(0, np.int64)
    keep = label >= 0
    if not keep.all():  # (no copy of every column when every label is counted)
        doc, rater, label, start, end = doc[keep], rater[keep], label[keep], start[keep], end[keep]

    total = int(doc_off[-1]) + 1
    n_labels = max(1, len(labels))
    if len(start) and len(annotators) * total * total * n_labels < 2**62:
        # One integer key (annotator, global start, end, label) sorts like the five columns.
        gstart = start + doc_off[doc]
        key = ((rater * total + gstart) * total + (end - start)) * n_labels + label
        order = np.argsort(key)
    else:
        order = np.lexsort((label, end, start, doc, rater))
    doc, rater, label, start, end = doc[order], rater[order], label[order], start[order], end[order]
    if len(doc) > 1:
        same = (
            (doc[1:] == doc[:-1])
            & (rater[1:] == rater[:-1])
            & (label[1:] == label[:-1])
            & (start[1:] == start[:-1])
            & (end[1:] == end[:-1])
        )
        if same.any():
            first = np.concatenate(([True], ~same))
            doc, rater, label, start, end = doc[first], rater[first], label[first], start[first], end[first]
    return SpanTable(doc_ids, texts, annotators, labels, doc_len, doc_off, doc, rater, label, start, end, chars)


def _offsets(values: list) -> np.ndarray:
    if not values:
        return np.zeros(0, dtype=np.int64)
    arr = np.array(values)
    if arr.dtype.kind not in "iu":
        raise AgreementInputError("Span offsets must be whole numbers (code point indices).")
    return arr.astype(np.int64, copy=False)
