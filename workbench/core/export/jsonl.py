"""JSON Lines: one document per line, character spans, and the tokens the export used.

Each line: ``{"id", "text", "spans": [{"start", "end", "label", "text", "attributes",
"note", "unsure"}], "meta", "tokens": [[start, end], ...]}`` (``note``: the annotator's
note on the span, ``""`` if none; ``unsure``: the span was flagged unsure). Offsets are code points of ``text`` (Python
string indices), end exclusive. Every span of the source is written, nested ones
included; ``tokens`` are the token boundaries of this export (with ``--boundary split``,
cut at every span edge that falls inside a word, so every span lines up with them).
"""

from __future__ import annotations

import json

import numpy as np

from workbench.core.export.alignment import DocView
from workbench.core.export.base import Writer
from workbench.core.export.files import HashedFile
from workbench.core.export.layers import SourceDocument
from workbench.core.export.run import marks_of

# a Python string as a JSON string, non-ASCII kept (json's own C function)
_string = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring


_EMPTY, _TRUE, _FALSE, _EMPTY_OBJECT = '""', "true", "false", "{}"
_UNMARKED = ', "note": "", "unsure": false}'  # the end of a span without a note or the unsure flag
_LINE_SEPARATORS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\u0085": "\\u0085"})


def _one_line(json_text: str) -> str:
    """Escape the characters that ``str.splitlines`` breaks lines at and JSON leaves raw
    (document texts never hold them: normalisation turns them into ``\\n``)."""
    if json_text.isascii() or not ("\u2028" in json_text or "\u2029" in json_text or "\x85" in json_text):
        return json_text
    return json_text.translate(_LINE_SEPARATORS)


def _attributes(stored: str | None) -> str:
    if stored is None:
        return "{}"
    if "\n" in stored:  # not one line: written some other way than json.dumps
        stored = json.dumps(json.loads(stored), ensure_ascii=False)
    return _one_line(stored)


class PairTable:
    """``[[s0, e0], [s1, e1], ...]`` as JSON text, from tables of ``"[i, "`` and ``"i], "``
    (what ``json.dumps`` writes for a list of pairs, much faster for long lists)."""

    def __init__(self) -> None:
        self.size = 0
        self.opens = self.closes = np.empty(0, dtype=object)

    def _grow(self, needed: int) -> None:
        size = max(1024, self.size)
        while size <= needed:
            size *= 2
        self.opens = np.array([f"[{i}, " for i in range(size)], dtype=object)
        self.closes = np.array([f"{i}], " for i in range(size)], dtype=object)
        self.size = size

    def dumps(self, starts: np.ndarray, ends: np.ndarray) -> str:
        n = len(starts)
        if n == 0:
            return "[]"
        if int(ends[-1]) >= self.size:
            self._grow(int(ends[-1]))
        pieces = np.empty(2 * n, dtype=object)
        pieces[0::2] = self.opens[starts]
        pieces[1::2] = self.closes[ends]
        return "[" + "".join(pieces.tolist())[:-2] + "]"


class JsonlWriter(Writer):
    def __init__(self, root, splits, context):
        super().__init__(root, splits, context)
        self.files = {split: HashedFile(root / f"{split}.jsonl") for split in splits}
        self._dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
        self._tokens = PairTable()
        self._labels: dict[str, str] = {}

    def write(self, split: str, doc: SourceDocument, view: DocView) -> None:
        # Written by hand (a test reads every line back with json.loads): json.dumps of a
        # dict per span, and of the tokens, would double the time of the whole export.
        # Attributes are copied as stored (JSON objects written by json.dumps).
        text = doc.text
        string, labels, attrs = _string, self._labels, _attributes
        for label in {span[2] for span in doc.spans} - labels.keys():
            self._label(label)
        if getattr(doc, "marks", None):
            spans = ", ".join(
                [
                    f'{{"start": {s}, "end": {e}, "label": {labels[label]}, '
                    f'"text": {string(text[s:e])}, "attributes": {_EMPTY_OBJECT if a is None else attrs(a)}, '
                    f'"note": {_one_line(string(note)) if note else _EMPTY}, "unsure": {_TRUE if unsure else _FALSE}}}'
                    for (s, e, label, a), (note, unsure) in zip(doc.spans, marks_of(doc))
                ]
            )
        else:  # no span of the document has a note or the unsure flag (most documents)
            spans = ", ".join(
                [
                    f'{{"start": {s}, "end": {e}, "label": {labels[label]}, "text": {string(text[s:e])}, '
                    f'"attributes": {_EMPTY_OBJECT if a is None else attrs(a)}{_UNMARKED}'
                    for s, e, label, a in doc.spans
                ]
            )
        tokens = self._tokens.dumps(view.starts, view.ends)
        self.files[split].write(
            f'{{"id": {_one_line(string(doc.id))}, "text": {string(text)}, "spans": [{spans}], '
            f'"meta": {_one_line(self._dumps(doc.meta))}, "tokens": {tokens}}}\n'
        )

    def _label(self, label: str) -> str:
        self._labels[label] = _string(label)
        return self._labels[label]

    def close(self) -> dict[str, str]:
        return {f"{split}.jsonl": handle.close() for split, handle in self.files.items()}

    def abort(self) -> None:
        for handle in self.files.values():
            handle.abort()
