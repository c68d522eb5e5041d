"""JSON Lines: one document per line, character spans, and the tokens the export used.

Each line: ``{"id", "text", "spans": [{"start", "end", "label", "text", "attributes",
"note", "unsure"}], "meta", "tokens": [[start, end], ...]}`` (``note``: the annotator's
note on the span, ``""`` if none; ``unsure``: the span was flagged unsure). Offsets are code points of ``text`` (Python
string indices), end exclusive. Every span of the source is written, nested ones
included; ``tokens`` are the token boundaries of this export (with ``--boundary split``,
cut at every span edge that falls inside a word, so every span lines up with them).

Lines are compact JSON (no blanks after ``,`` and ``:``), UTF-8 with non-ASCII characters as
they are, written by ``orjson`` (a row is one call; the tokens go in as a numpy array, the
stored attributes as the JSON they are). ``U+2028``, ``U+2029`` and ``U+0085``, which JSON
leaves raw but ``str.splitlines`` breaks lines at, are written escaped.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable

import numpy as np
import orjson

from workbench.core.export.alignment import ChunkView, DocView
from workbench.core.export.base import Writer
from workbench.core.export.files import HashedFile
from workbench.core.export.layers import SourceDocument
from workbench.core.export.run import marks_of

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_APPEND_NEWLINE
_NO_ATTRIBUTES: dict = {}  # written as {} (orjson only reads it)
_NO_MARKS = itertools.repeat(("", False))  # each span's note and flag when none has either (endless: zip stops)
# What JSON leaves raw and str.splitlines breaks a line at (see _breaks_lines), and its escape.
_ESCAPES = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})
_UTF8_ESCAPES = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"), (b"\xc2\x85", b"\\u0085"))


def _breaks_lines(text: str) -> bool:
    """Whether ``text`` holds a character JSON leaves raw and ``str.splitlines`` breaks at."""
    return not text.isascii() and ("\u2028" in text or "\u2029" in text or "\x85" in text)


def _attributes(stored: str | None):
    """The stored attributes (a JSON object written by ``json.dumps``) as they are, or ``{}``."""
    if stored is None:
        return _NO_ATTRIBUTES
    if "\n" in stored:  # not one line: written some other way than json.dumps
        stored = json.dumps(json.loads(stored), ensure_ascii=False)
    if _breaks_lines(stored):  # inside a JSON string (JSON has no such blank): escaped there
        stored = stored.translate(_ESCAPES)
    return orjson.Fragment(stored)


def _one_line(line: bytes) -> bytes:
    """``line`` with those separators escaped (in UTF-8 their bytes are
    never part of another character, and they can only be inside a JSON string)."""
    for raw, escaped in _UTF8_ESCAPES:
        line = line.replace(raw, escaped)
    return line


def row_line(doc: SourceDocument, tokens: np.ndarray) -> bytes:
    """The line of ``doc`` (ending in a newline); ``tokens``: its ``(start, end)`` pairs, an
    ``int64`` array of shape ``(n, 2)``.

    Document texts never hold a line separator (normalisation turns them into ``\\n``); the
    id, the metadata, the attributes and the notes may: only they are looked at."""
    text = doc.text
    try:
        meta = orjson.dumps(doc.meta)
    except (orjson.JSONEncodeError, TypeError):
        return _one_line(_slow_line(doc, tokens))
    escape = _breaks_lines(doc.id) or (not meta.isascii() and any(raw in meta for raw, _ in _UTF8_ESCAPES))
    marks: Iterable[tuple[str, bool]] = _NO_MARKS  # (most documents: no span has a note or the flag)
    if getattr(doc, "marks", None):
        marks = marks_of(doc)
        escape = escape or any(_breaks_lines(note) for note, _ in marks)
    spans = [
        {
            "start": s,
            "end": e,
            "label": label,
            "text": text[s:e],
            "attributes": _NO_ATTRIBUTES if a is None else _attributes(a),
            "note": note,
            "unsure": unsure,
        }
        for (s, e, label, a), (note, unsure) in zip(doc.spans, marks)
    ]
    row = {"id": doc.id, "text": text, "spans": spans, "meta": orjson.Fragment(meta), "tokens": tokens}
    try:
        line = orjson.dumps(row, option=_OPTIONS)
    except (orjson.JSONEncodeError, TypeError):
        line, escape = _slow_line(doc, tokens), True
    return _one_line(line) if escape else line


def _slow_line(doc: SourceDocument, tokens: np.ndarray) -> bytes:
    """What orjson refuses (a lone surrogate, an integer beyond 64 bits in the metadata), written
    by ``json`` in the same compact form."""
    text = doc.text
    spans = [
        {
            "start": s,
            "end": e,
            "label": label,
            "text": text[s:e],
            "attributes": {} if a is None else json.loads(a),
            "note": note,
            "unsure": unsure,
        }
        for (s, e, label, a), (note, unsure) in zip(doc.spans, marks_of(doc))
    ]
    row = {"id": doc.id, "text": text, "spans": spans, "meta": doc.meta, "tokens": np.asarray(tokens).tolist()}
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass") + b"\n"


def _pairs(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    pairs = np.empty((len(starts), 2), dtype=np.int64)
    pairs[:, 0] = starts
    pairs[:, 1] = ends
    return pairs


class JsonlWriter(Writer):
    def __init__(self, root, splits, context):
        super().__init__(root, splits, context)
        self.files = {split: HashedFile(root / f"{split}.jsonl") for split in splits}

    def write(self, split: str, doc: SourceDocument, view: DocView) -> None:
        self.files[split].write_bytes(row_line(doc, _pairs(view.starts, view.ends)))

    def write_chunk(self, splits: list[str], chunk: list[SourceDocument], view: ChunkView) -> None:
        # The chunk's tokens as (start, end) pairs of each document's own offsets, made once;
        # each document's rows of it are a view (no per-document token view).
        offsets = np.repeat(view.doc_offsets[:-1], np.diff(view.doc_tokens))
        pairs = _pairs(view.starts - offsets, view.ends - offsets)
        bounds = view.doc_tokens.tolist()
        files = self.files
        for k, doc in enumerate(chunk):
            files[splits[k]].write_bytes(row_line(doc, pairs[bounds[k] : bounds[k + 1]]))

    def close(self) -> dict[str, str]:
        return {f"{split}.jsonl": handle.close() for split, handle in self.files.items()}

    def abort(self) -> None:
        for handle in self.files.values():
            handle.abort()
