"""Spans on tokens: the token view the token formats (CoNLL, spaCy, Hugging Face) share.

Work is done for a chunk of documents at once, with numpy, on the documents joined by
newlines (no token crosses one), so that 10,000 documents take a fraction of a second.

For each document, in this order:

1. **Nested and overlapping spans.** BIO tags hold one span per token, so only the
   outermost spans are kept: spans are read in order (start, then longest first) and a
   span that starts before the end of the last kept span is left out of the token
   formats, counted as *nested* (inside it) or *crossing* (overlapping it partly). The
   character formats (JSONL, brat) keep every span.
2. **Span edges inside a token** (a proclitic attached to a name: ``ببنغازي`` with the span on
   ``بنغازي``), by the boundary policy:

   - ``split``: the token is cut at the edge (``ب`` + ``بنغازي``). The cuts are made at the
     edges of *every* span of the document, nested ones included, so that every span of
     the JSONL lines up with the exported tokens;
   - ``expand``: the entity takes the whole tokens it touches (as ANERcorp does); if two
     entities then share a token, the later one is left out (counted as a *conflict*);
   - ``drop``: the sentence that holds the span is left out of the token formats (the
     other entities of that sentence with it, counted).

3. **Sentences** (only when a format needs them): a sentence ends at a line break and
   after ``. ! ? ؟ ؛ …`` (with closing quotes or brackets written right after it), but
   never inside an entity: a break that would fall inside one is not made.
4. **BIO tags** (IOB2): ``B-LABEL`` on an entity's first token, ``I-LABEL`` on the rest,
   ``O`` elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.core.export.tokens import codepoints, sentence_breaks, token_arrays

# What became of each span in the token formats.
ENTITY = 0  # tagged
NESTED = 1  # inside an outer span: left out
CROSSING = 2  # overlaps an outer span partly: left out
CONFLICT = 3  # expand: shares a token with an earlier entity once both are widened
DROPPED = 4  # drop: an edge inside a token; its sentence is left out
COLLATERAL = 5  # drop: a good entity in a sentence left out for another span
EMPTY = 6  # covers no token (cannot happen with spans that start and end on letters or digits)


def tag_names(labels: list[str]) -> list[str]:
    """The BIO tags in code order: 0 is ``O``, then ``B-`` and ``I-`` of each label."""
    names = ["O"]
    for label in labels:
        names += [f"B-{label}", f"I-{label}"]
    return names


@dataclass
class ChunkView:
    """The token view of a chunk of documents; offsets are global (into the joined text)."""

    doc_offsets: np.ndarray  # K + 1: document k starts at doc_offsets[k]
    starts: np.ndarray  # tokens
    ends: np.ndarray
    doc_tokens: np.ndarray  # K + 1: the tokens of document k are doc_tokens[k]:doc_tokens[k + 1]
    doc_spans: np.ndarray  # K + 1: the same for the span arrays
    span_status: np.ndarray  # per span, one of ENTITY ... EMPTY
    span_inside: np.ndarray  # per span: an edge falls inside a (tokenizer) token
    span_first: np.ndarray  # per span: first token (global index)
    span_stop: np.ndarray  # per span: one past its last token
    sentence_starts: np.ndarray | None  # per token: a sentence starts here
    token_dropped: np.ndarray | None  # per token: in a sentence left out (drop)
    tags: np.ndarray | None  # per token: tag code (see tag_names)
    non_bmp: np.ndarray  # per document: holds a character beyond U+FFFF

    def document(self, k: int) -> DocView:
        t0, t1 = int(self.doc_tokens[k]), int(self.doc_tokens[k + 1])
        s0, s1 = int(self.doc_spans[k]), int(self.doc_spans[k + 1])
        base = int(self.doc_offsets[k])
        return DocView(
            starts=self.starts[t0:t1] - base,
            ends=self.ends[t0:t1] - base,
            status=self.span_status[s0:s1],
            inside=self.span_inside[s0:s1],
            first=self.span_first[s0:s1] - t0,
            stop=self.span_stop[s0:s1] - t0,
            sentence_starts=None if self.sentence_starts is None else self.sentence_starts[t0:t1],
            dropped=None if self.token_dropped is None else self.token_dropped[t0:t1],
            tags=None if self.tags is None else self.tags[t0:t1],
        )


@dataclass
class DocView:
    """One document's token view; offsets and token indices are the document's own.

    ``status``, ``inside``, ``first`` and ``stop`` are indexed like the document's spans.
    """

    starts: np.ndarray
    ends: np.ndarray
    status: np.ndarray
    inside: np.ndarray
    first: np.ndarray
    stop: np.ndarray
    sentence_starts: np.ndarray | None
    dropped: np.ndarray | None
    tags: np.ndarray | None

    def sentences(self) -> list[tuple[int, int]]:
        """``(first token, stop token)`` of each sentence."""
        if self.sentence_starts is None:
            raise ValueError("the token view was made without sentences")
        bounds = np.flatnonzero(self.sentence_starts).tolist()
        bounds.append(len(self.starts))
        return list(zip(bounds[:-1], bounds[1:]))

    def tagged(self) -> tuple[np.ndarray, np.ndarray]:
        """``(tags, dropped)`` per token, which a view made with sentences has."""
        if self.tags is None or self.dropped is None:
            raise ValueError("the token view was made without sentences")
        return self.tags, self.dropped


def align(
    texts: list[str],
    span_doc: np.ndarray,
    span_start: np.ndarray,
    span_end: np.ndarray,
    span_label: np.ndarray,
    policy: str,
    sentences: bool,
) -> ChunkView:
    """The token view of ``texts``. Spans come as arrays (document index, start, end,
    label code), ordered by document, then start, then end descending."""
    k = len(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=k)
    doc_offsets = np.zeros(k + 1, dtype=np.int64)
    np.cumsum(lengths + 1, out=doc_offsets[1:])
    cps = codepoints("\n".join(texts))
    base_starts, base_ends = token_arrays(cps)

    span_doc = np.asarray(span_doc, dtype=np.int64)
    gs = np.asarray(span_start, dtype=np.int64) + doc_offsets[span_doc]
    ge = np.asarray(span_end, dtype=np.int64) + doc_offsets[span_doc]
    labels = np.asarray(span_label, dtype=np.int64)
    status = _outermost(gs, ge)

    # Edges inside a token of the tokenizer.
    n_base = len(base_starts)
    inside = np.zeros(len(gs), dtype=bool)
    start_in = end_in = inside
    if len(gs) and n_base:
        a = np.searchsorted(base_ends, gs, side="right")
        b = np.searchsorted(base_starts, ge, side="left")
        start_in = (a < n_base) & (base_starts[np.minimum(a, n_base - 1)] < gs)
        end_in = (b > 0) & (base_ends[np.maximum(b - 1, 0)] > ge)
        inside = start_in | end_in

    starts, ends = base_starts, base_ends
    if policy == "split" and inside.any():
        cuts = np.unique(np.concatenate((gs[start_in], ge[end_in])))
        starts = np.insert(base_starts, np.searchsorted(base_starts, cuts), cuts)
        ends = np.insert(base_ends, np.searchsorted(base_ends, cuts), cuts)

    first = np.searchsorted(ends, gs, side="right")
    stop = np.searchsorted(starts, ge, side="left")
    status[(status == ENTITY) & (stop <= first)] = EMPTY
    if policy == "drop":
        status[(status == ENTITY) & inside] = DROPPED
    elif policy == "expand":
        _resolve_conflicts(status, first, stop)

    n = len(starts)
    doc_tokens = np.searchsorted(starts, doc_offsets)
    doc_tokens[-1] = n
    doc_spans = np.searchsorted(span_doc, np.arange(k + 1))

    sentence_starts = token_dropped = tags = None
    if sentences:
        sentence_starts = sentence_breaks(cps, starts, ends)
        held = np.flatnonzero(((status == ENTITY) | (status == DROPPED)) & (stop - first >= 2))
        if len(held):
            depth = np.zeros(n + 1, dtype=np.int64)
            np.add.at(depth, first[held] + 1, 1)
            np.add.at(depth, stop[held], -1)
            sentence_starts &= np.cumsum(depth[:n]) <= 0
        firsts = doc_tokens[:-1][doc_tokens[:-1] < n]
        sentence_starts[firsts] = True
        token_dropped = np.zeros(n, dtype=bool)
        bad = np.flatnonzero(status == DROPPED)
        if len(bad):
            sentence_id = np.cumsum(sentence_starts) - 1
            gone = np.unique(sentence_id[first[bad]])
            token_dropped = np.isin(sentence_id, gone)
            entities = np.flatnonzero(status == ENTITY)
            status[entities[token_dropped[first[entities]]]] = COLLATERAL
        tags = _bio(n, status, first, stop, labels)
    return ChunkView(
        doc_offsets=doc_offsets,
        starts=starts,
        ends=ends,
        doc_tokens=doc_tokens,
        doc_spans=doc_spans,
        span_status=status,
        span_inside=inside,
        span_first=first,
        span_stop=stop,
        sentence_starts=sentence_starts,
        token_dropped=token_dropped,
        tags=tags,
        non_bmp=_non_bmp(cps, doc_offsets, k),
    )


def _non_bmp(cps: np.ndarray, doc_offsets: np.ndarray, k: int) -> np.ndarray:
    out = np.zeros(k, dtype=bool)
    beyond = np.flatnonzero(cps > 0xFFFF)
    if len(beyond):
        out[np.searchsorted(doc_offsets, beyond, side="right") - 1] = True
    return out


def _outermost(gs: np.ndarray, ge: np.ndarray) -> np.ndarray:
    """ENTITY for the outermost spans, NESTED or CROSSING for the others (see module doc)."""
    m = len(gs)
    status = np.full(m, ENTITY, dtype=np.int8)
    if m < 2:
        return status
    previous_reach = np.empty(m, dtype=np.int64)
    previous_reach[0] = -1
    np.maximum.accumulate(ge[:-1], out=previous_reach[1:])
    blocked = gs < previous_reach
    if not blocked.any():
        return status
    # Groups of spans that overlap in a chain; the first of each is kept. In a group of
    # two the second is inside the first or crosses it; larger groups are walked.
    leaders = np.flatnonzero(~blocked)
    group = np.cumsum(~blocked) - 1
    sizes = np.bincount(group)
    leader = leaders[group]
    status[blocked] = np.where(ge[blocked] <= ge[leader[blocked]], NESTED, CROSSING)
    for g in np.flatnonzero(sizes >= 3).tolist():
        lo = int(leaders[g])
        reach = int(ge[lo])
        for i in range(lo + 1, lo + int(sizes[g])):
            if gs[i] >= reach:
                status[i] = ENTITY
                reach = int(ge[i])
            else:
                status[i] = NESTED if ge[i] <= reach else CROSSING
    return status


def _resolve_conflicts(status: np.ndarray, first: np.ndarray, stop: np.ndarray) -> None:
    """expand: an entity that shares a token with the previous entity is left out."""
    entities = np.flatnonzero(status == ENTITY)
    if len(entities) < 2 or not (first[entities[1:]] < stop[entities[:-1]]).any():
        return
    reach = -1
    for i in entities.tolist():
        if first[i] < reach:
            status[i] = CONFLICT
        else:
            reach = int(stop[i])


def _bio(n: int, status: np.ndarray, first: np.ndarray, stop: np.ndarray, labels: np.ndarray) -> np.ndarray:
    tags = np.zeros(n, dtype=np.int32)
    entities = np.flatnonzero(status == ENTITY)
    if not len(entities):
        return tags
    f, s, lab = first[entities], stop[entities], labels[entities]
    tags[f] = 1 + 2 * lab
    inner = s - f - 1
    total = int(inner.sum())
    if total:
        offsets = np.arange(total) - np.repeat(np.cumsum(inner) - inner, inner)
        tags[np.repeat(f + 1, inner) + offsets] = np.repeat(2 + 2 * lab, inner)
    return tags
