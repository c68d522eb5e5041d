"""A sequence model (a linear-chain CRF, ``python-crfsuite``) that learns spans from done documents.

Pure: texts and spans in, model bytes out; bytes and a text in, :class:`Found` items out. The
project side (which documents, storing the model, held-out figures) is :mod:`.training`.

Tokens are the export's (:func:`workbench.core.export.tokens.tokenize`) with leading
proclitics split off: a word that starts with و ف ب ل ك (or two of them: و/ف then ب/ل/ك)
followed by at least two more letters becomes one token per proclitic letter and one for the
rest (``وبطرابلس`` -> ``و`` ``ب`` ``طرابلس``). A span can then start after ``و`` or ``ب``; a
span that does not start and end on token edges is skipped in training (and counted).

A word whose proclitic-looking first letter belongs to the name (``بنغازي``, ``ليبيا``) is
learnt as such: the model remembers the words the training spans started with a split
proclitic, and a predicted span that starts with a split proclitic of any other word is
trimmed past it. So a suggestion never includes a leading و/ب/ل the annotators did not.

Labels are BIO per token; each sentence (cut after ``. ! ? ؟ ؛ …`` and at line breaks, never
inside a span) is one sequence. Confidence of a predicted span: the lowest marginal
probability of its tokens' labels.
"""

from __future__ import annotations

import json
import os
import struct
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pycrfsuite  # type: ignore[import-untyped]  # (or a mypy override in pyproject.toml)

from workbench.core.export.tokens import TERMINALS, tokenize
from workbench.core.text.boundaries import PROCLITICS
from workbench.core.text.fold import fold
from workbench.core.values import Found

VERSION = "crf-1"  # the feature set and tokenization: a model of another version is not used
SOURCE = "model"
_MAGIC = b"WBCRF1\n"
_FIRST = frozenset("وف")  # may be followed by a second proclitic
_SECOND = frozenset("بلك")
OUTSIDE = "O"


class HasSpan(Protocol):
    """What training reads of a span (``store.spans.Span`` has it)."""

    start: int
    end: int
    label: str


# --- tokens ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    proclitic: bool  # a proclitic letter split off the front of ``word``
    word: str  # the whole export token this piece comes from


def _is_letter(char: str) -> bool:
    return char.isalpha()


def tokens(text: str) -> list[Token]:
    """The export tokens of ``text`` with leading proclitics split off (see the module docstring)."""
    out: list[Token] = []
    for start, end in tokenize(text):
        word = text[start:end]
        cut = 0
        if word[0] in PROCLITICS:
            cut = 2 if len(word) > 1 and word[0] in _FIRST and word[1] in _SECOND else 1
            while cut and sum(map(_is_letter, word[cut:])) < 2:
                cut -= 1
        for k in range(cut):
            out.append(Token(start + k, start + k + 1, True, word))
        out.append(Token(start + cut, end, False, word))
    return out


def _shape(piece: str) -> str:
    if piece.isdigit() or all(c.isdigit() or c in ".,\u066b\u066c" for c in piece):
        return "digits"
    if all("\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f" or "\ufb50" <= c <= "\ufeff" for c in piece):
        return "arabic" if any(c.isalpha() for c in piece) else "arabic-sign"
    if all(c.isascii() and c.isalpha() for c in piece):
        return "latin"
    if len(piece) == 1 and not piece.isalnum():
        return "punct"
    return "mixed"


def _sentence_ends(text: str, toks: Sequence[Token]) -> list[bool]:
    """``ends[k]``: a sentence may end after token ``k``."""
    ends = []
    for k, tok in enumerate(toks):
        piece = text[tok.start : tok.end]
        nxt = toks[k + 1].start if k + 1 < len(toks) else len(text)
        ends.append(piece in TERMINALS or "\n" in text[tok.end : nxt])
    return ends


def features(text: str, toks: Sequence[Token]) -> list[list[str]]:
    """The features of each token (strings, each weighing 1)."""
    pieces = [text[t.start : t.end] for t in toks]
    folded = [fold(p) or p for p in pieces]
    out: list[list[str]] = []
    n = len(toks)
    for i, tok in enumerate(toks):
        p, f = pieces[i], folded[i]
        feats = ["b", "w=" + p, "f=" + f, "s=" + _shape(p)]
        if tok.proclitic:
            feats += ["pro", "pw=" + fold(tok.word)]
        elif len(tok.word) != len(p):
            feats.append("after-pro")
        if len(f) > 2:
            feats += ["p2=" + f[:2], "p3=" + f[:3], "x2=" + f[-2:], "x3=" + f[-3:]]
            padded = f"<{f}>"
            feats += ["g=" + padded[j : j + 3] for j in range(len(padded) - 2)]
        if f.startswith("ال"):
            feats.append("al")
        if i == 0:
            feats.append("first")
        if i == n - 1:
            feats.append("last")
        for d in (-2, -1, 1, 2):
            j = i + d
            feats.append(f"{d}:{folded[j]}" if 0 <= j < n else f"{d}:<pad>")
        if i > 0:
            feats.append(f"-1:{folded[i - 1]}|{f}")
        if i + 1 < n:
            feats.append(f"+1:{f}|{folded[i + 1]}")
        out.append(feats)
    return out


def _sequences(text: str, toks: list[Token], tags: list[str] | None) -> list[tuple[int, int]]:
    """Token ranges ``[a, b)`` of the sentences; with ``tags``, never cut before an ``I-`` tag."""
    ends = _sentence_ends(text, toks)
    out, a = [], 0
    for k in range(len(toks)):
        last = k == len(toks) - 1
        if last or (ends[k] and (tags is None or not tags[k + 1].startswith("I-"))):
            out.append((a, k + 1))
            a = k + 1
    return out


@dataclass
class Encoded:
    """A document as the trainer sees it."""

    sequences: list[tuple[list[list[str]], list[str]]] = field(default_factory=list)
    skipped: int = 0  # spans not on token edges (or overlapping an earlier one)
    kept_words: set[str] = field(default_factory=set)  # words whose split proclitic a span included


def bio(toks: Sequence[Token], spans: Iterable[HasSpan], labels: Iterable[str]) -> tuple[list[str], int, set[str]]:
    """BIO tags of ``toks`` for ``spans`` of ``labels``: the tags, the spans skipped (not on token
    edges, or overlapping one already placed), and the words whose split proclitic a span includes."""
    wanted = set(labels)
    starts = {t.start: k for k, t in enumerate(toks)}
    ends = {t.end: k for k, t in enumerate(toks)}
    tags = [OUTSIDE] * len(toks)
    skipped = 0
    kept: set[str] = set()
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.label not in wanted:
            continue
        a, b = starts.get(span.start), ends.get(span.end)
        if a is None or b is None or b < a or any(t != OUTSIDE for t in tags[a : b + 1]):
            skipped += 1
            continue
        tags[a] = "B-" + span.label
        for k in range(a + 1, b + 1):
            tags[k] = "I-" + span.label
        if toks[a].proclitic:
            kept.add(fold(toks[a].word))
    return tags, skipped, kept


def encode(text: str, spans: Iterable[HasSpan], labels: Iterable[str]) -> Encoded:
    toks = tokens(text)
    if not toks:
        return Encoded()
    tags, skipped, kept = bio(toks, spans, labels)
    feats = features(text, toks)
    sequences = [(feats[a:b], tags[a:b]) for a, b in _sequences(text, toks, tags)]
    return Encoded(sequences, skipped, kept)


# --- training ----------------------------------------------------------------------------------

PARAMS: dict[str, Any] = {
    "c1": 0.05,
    "c2": 0.02,
    "max_iterations": 100,
    "feature.possible_transitions": True,
}


@dataclass
class Trained:
    """What :func:`train_report` returns: the model's bytes and what training saw."""

    data: bytes
    documents: int
    sequences: int
    tokens: int
    skipped: int


def train_report(
    documents: Iterable[tuple[str, Sequence[HasSpan]]], labels: Iterable[str], *, params: dict[str, Any] | None = None
) -> Trained:
    """Train on ``(text, spans)`` pairs (only the spans of ``labels``); see :func:`train`."""
    labels = list(labels)
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params({**PARAMS, **(params or {})})
    n_docs = n_seq = n_tok = skipped = 0
    kept: set[str] = set()
    for text, spans in documents:
        enc = encode(text, spans, labels)
        n_docs += 1
        skipped += enc.skipped
        kept |= enc.kept_words
        for xseq, yseq in enc.sequences:
            trainer.append(xseq, yseq)
            n_seq += 1
            n_tok += len(yseq)
    fd, path = tempfile.mkstemp(prefix="workbench-crf-", suffix=".crfsuite")
    os.close(fd)
    try:
        if n_seq:
            trainer.train(path)
            with open(path, "rb") as handle:
                blob = handle.read()
        else:
            blob = b""
    finally:
        os.unlink(path)
    meta = json.dumps({"version": VERSION, "labels": labels, "kept": sorted(kept)}, ensure_ascii=False).encode()
    data = _MAGIC + struct.pack("<I", len(meta)) + meta + blob
    return Trained(data, n_docs, n_seq, n_tok, skipped)


def train(documents: Iterable[tuple[str, Sequence[HasSpan]]], labels: Iterable[str]) -> bytes:
    """A model learnt from ``(text, spans)`` pairs: spans of ``labels`` only, the others ignored
    (L-BFGS, :data:`PARAMS`). The bytes are what :meth:`Model.from_bytes` reads."""
    return train_report(documents, labels).data


# --- predicting --------------------------------------------------------------------------------


class ModelError(ValueError):
    """Bytes that are not a model of this version."""


class Model:
    """A trained model: :meth:`predict` a text's spans."""

    def __init__(self, meta: dict[str, Any], blob: bytes):
        self.version: str = meta["version"]
        self.labels: list[str] = list(meta["labels"])
        self.kept: frozenset[str] = frozenset(meta.get("kept", ()))
        self._tagger: pycrfsuite.Tagger | None = None
        self._blob = blob  # crfsuite reads the model in place: the bytes must outlive the tagger
        if blob:
            self._tagger = pycrfsuite.Tagger()
            self._tagger.open_inmemory(blob)

    @classmethod
    def from_bytes(cls, data: bytes) -> Model:
        if not data.startswith(_MAGIC) or len(data) < len(_MAGIC) + 4:
            raise ModelError("not a workbench CRF model")
        (size,) = struct.unpack_from("<I", data, len(_MAGIC))
        start = len(_MAGIC) + 4
        try:
            meta = json.loads(data[start : start + size].decode())
        except ValueError as exc:
            raise ModelError("the model's header is damaged") from exc
        if meta.get("version") != VERSION:
            raise ModelError(f"a model of version {meta.get('version')!r}, not {VERSION!r}")
        return cls(meta, data[start + size :])

    def predict(self, text: str) -> list[Found]:
        """The spans the model finds in ``text``: sorted, not overlapping, on token edges."""
        tagger = self._tagger
        toks = tokens(text)
        if tagger is None or not toks:
            return []
        feats = features(text, toks)
        found: list[Found] = []
        for a, b in _sequences(text, toks, None):
            tagger.set(feats[a:b])
            tags = tagger.tag()
            k = 0
            while k < len(tags):
                tag = tags[k]
                if tag == OUTSIDE:
                    k += 1
                    continue
                label = tag[2:]
                j = k + 1
                while j < len(tags) and tags[j] == "I-" + label:
                    j += 1
                first = k
                # a split proclitic the annotators never included in this word: not in the span
                while first < j and toks[a + first].proclitic and fold(toks[a + first].word) not in self.kept:
                    first += 1
                if first < j:
                    confidence = min(tagger.marginal(tags[m], m) for m in range(k, j))
                    found.append(
                        Found(
                            toks[a + first].start,
                            toks[a + j - 1].end,
                            label,
                            source=SOURCE,
                            confidence=max(0.0, min(1.0, float(confidence))),
                        )
                    )
                k = j
        return found
