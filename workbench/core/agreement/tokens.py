"""Whitespace tokens and BIO tags: the token view behind the token-level kappas.

Conventions (those of the reference vectors):

- tokens are maximal runs of non-whitespace, exactly ``re.finditer(r"\\S+", text)``
  (whitespace as ``str.isspace``); punctuation stays attached ("يونس." is one token);
- a token takes a span's label if it shares at least one code point with the span;
- when several spans touch a token, the one with the smallest start wins, then the
  longest (then the first label in the label order);
- a token's tag is ``B-label`` when its chosen span differs from the previous token's,
  ``I-label`` when it is the same span, ``O`` when no span touches it.

Nested and inner spans are therefore invisible here, and a clitic difference inside a
token ("بالموصل" vs "الموصل") is no difference at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from workbench.core.agreement.table import SpanTable

# Every code point for which str.isspace() is true lies below U+3001.
_SPACE_LIMIT = 0x3001
IS_SPACE = np.array([chr(c).isspace() for c in range(_SPACE_LIMIT)], dtype=bool)


@dataclass(frozen=True, eq=False)
class Tokens:
    """All tokens of the corpus, in document order; offsets are document-local."""

    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray

    def __len__(self) -> int:
        return len(self.doc)


def tokenize(table: SpanTable) -> Tokens:
    """Whitespace tokens of every document (see the module docstring)."""
    if table.n_docs == 0 or table.total_len == 0:
        z = np.zeros(0, dtype=np.int64)
        return Tokens(z, z, z)
    cps = table.codepoints
    word = ~((cps < _SPACE_LIMIT) & IS_SPACE[np.minimum(cps, _SPACE_LIMIT - 1)])
    # A token cannot run over a document boundary: mark boundaries as breaks.
    boundary = np.zeros(len(cps) + 1, dtype=bool)
    boundary[table.doc_off] = True
    prev_word = np.concatenate(([False], word[:-1])) & ~boundary[:-1]
    next_word = np.concatenate((word[1:], [False])) & ~boundary[1:]
    gstart = np.flatnonzero(word & ~prev_word)
    gend = np.flatnonzero(word & ~next_word) + 1
    doc = np.searchsorted(table.doc_off, gstart, side="right") - 1
    off = table.doc_off[doc]
    return Tokens(doc.astype(np.int64), gstart - off, gend - off)


def bio_tags(table: SpanTable, tokens: Tokens, rater: int) -> np.ndarray:
    """One annotator's tag per token as codes: 0 = O, 1 + 2k = B-label k, 2 + 2k = I-label k."""
    rows = table.rows_of(rater)
    tags = np.zeros(len(tokens), dtype=np.int64)
    if len(rows) == 0 or len(tokens) == 0:
        return tags
    s, e, lab = table.gstart[rows], table.gend[rows], table.label[rows]
    order = np.lexsort((lab, -e, s))  # smallest start, then longest, then label order
    s, e, lab = s[order], e[order], lab[order]
    reach = np.maximum.accumulate(e)
    ts = tokens.start + table.doc_off[tokens.doc]
    te = tokens.end + table.doc_off[tokens.doc]
    # The first span (in that order) ending after the token's start; it touches the
    # token if it also starts before the token's end, and no span before it does.
    chosen = np.searchsorted(reach, ts, side="right")
    inside = chosen < len(s)
    inside[inside] = s[chosen[inside]] < te[inside]
    chosen = np.where(inside, chosen, -1)
    begins = np.ones(len(tokens), dtype=bool)
    begins[1:] = chosen[1:] != chosen[:-1]
    k = lab[chosen[inside]]
    tags[inside] = np.where(begins[inside], 1 + 2 * k, 2 + 2 * k)
    return tags


def tag_names(labels: tuple[str, ...]) -> list[str]:
    """Names of the tag codes of :func:`bio_tags`."""
    names = ["O"]
    for name in labels:
        names += [f"B-{name}", f"I-{name}"]
    return names


# Characters of text per chunk of documents in :func:`tag_chunks`.
CHUNK_CHARS = 2_000_000


def tag_chunks(table: SpanTable, chunk_chars: int | None = None) -> Iterator[list[np.ndarray]]:
    """Every annotator's tags (:func:`bio_tags`), a chunk of whole documents at a time, so that
    the tokens of the whole corpus are never held at once. A token never crosses a document,
    and no span reaches into another document, so the tags of a chunk are exactly those the
    whole table gives its documents (the token kappas only add them up)."""
    D, R = table.n_docs, len(table.annotators)
    chunk_chars = chunk_chars or CHUNK_CHARS
    d0 = 0
    while d0 < D:
        d1 = int(np.searchsorted(table.doc_off, table.doc_off[d0] + chunk_chars, side="right")) - 1
        d1 = min(D, max(d1, d0 + 1))
        lo, hi = int(table.doc_off[d0]), int(table.doc_off[d1])
        rows = (table.doc >= d0) & (table.doc < d1)
        part = SpanTable(
            table.doc_ids[d0:d1],
            (),
            table.annotators,
            table.labels,
            table.doc_len[d0:d1],
            table.doc_off[d0 : d1 + 1] - lo,
            table.doc[rows] - d0,
            table.rater[rows],
            table.label[rows],
            table.start[rows],
            table.end[rows],
            table.codepoints[lo:hi],
        )
        tokens = tokenize(part)
        yield [bio_tags(part, tokens, r) for r in range(R)]
        d0 = d1
