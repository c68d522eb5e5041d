"""Prodigy: JSON Lines of accepted ``ner_manual`` tasks, one document per line.

Each line: ``{"text", "tokens": [{"text", "start", "end", "id", "ws"}], "spans": [{"start",
"end", "token_start", "token_end", "label", "text", "attributes"?, "note"?, "unsure"?}], "meta": {"doc_id",
"layer", title, source, ...}, "_input_hash", "_task_hash", "_view_id": "ner_manual",
"answer": "accept"}``. Offsets are code points (Prodigy is Python); ``token_end`` is
inclusive.

Tokens are this export's tokens (:mod:`.tokens`) cut at every span edge, whatever the
boundary policy (Prodigy needs each span to be whole tokens: ``ببنغازي`` with a span on
``بنغازي`` is ``ب`` + ``بنغازي``), laid out as spaCy lays out a text: ``ws`` is true when one
space follows a token, and any other whitespace (a line break, a second space) is a token
of its own, so that ``Doc(vocab, words, spaces)`` rebuilds the text exactly and
``doc[token_start : token_end + 1]`` is the span. The hashes are this export's (stable 32-bit
numbers from the SHA-256 of the text, and of the text with its spans), not Prodigy's
MurmurHash: Prodigy keeps hashes a task already has.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left
from typing import Any

from workbench.core.export.alignment import DocView
from workbench.core.export.base import Writer
from workbench.core.export.files import HashedFile
from workbench.core.export.layers import SourceDocument, attributes_of


def task_hash(text: str) -> int:
    """A signed 32-bit number from the SHA-256 of ``text`` (Prodigy's hashes are signed 32-bit)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:4], "big", signed=True)


def prodigy_tokens(text: str, starts: list[int], ends: list[int], cuts: set[int]) -> list[dict[str, Any]]:
    """Tokens ``[start, end)`` cut at ``cuts``, with whitespace laid out as spaCy's tokens."""
    pieces: list[tuple[int, int]] = []
    for start, end in zip(starts, ends):
        inside = sorted(c for c in cuts if start < c < end)
        for left, right in zip([start, *inside], [*inside, end]):
            pieces.append((left, right))
    tokens: list[dict[str, Any]] = []

    def add(start: int, end: int, ws: bool) -> None:
        tokens.append({"text": text[start:end], "start": start, "end": end, "id": len(tokens), "ws": ws})

    if pieces and pieces[0][0] > 0:
        add(0, pieces[0][0], False)  # whitespace before the first token
    for index, (start, end) in enumerate(pieces):
        following = pieces[index + 1][0] if index + 1 < len(pieces) else len(text)
        gap = text[end:following]
        ws = gap.startswith(" ")
        add(start, end, ws)
        rest = end + 1 if ws else end
        if rest < following:
            add(rest, following, False)  # other whitespace: a token of its own, as in spaCy
    return tokens


class ProdigyWriter(Writer):
    def __init__(self, root, splits, context):
        super().__init__(root, splits, context)
        self.files = {split: HashedFile(root / f"{split}.jsonl") for split in splits}

    def write(self, split: str, doc: SourceDocument, view: DocView) -> None:
        text = doc.text
        cuts = {edge for span in doc.spans for edge in span[:2]}
        tokens = prodigy_tokens(text, view.starts.tolist(), view.ends.tolist(), cuts)
        token_starts = [t["start"] for t in tokens]
        token_ends = [t["end"] for t in tokens]
        marks = getattr(doc, "marks", None) or []
        if len(marks) != len(doc.spans):
            marks = [("", False)] * len(doc.spans)
        spans = []
        for span, (note, unsure) in zip(doc.spans, marks):
            start, end, label, _ = span
            item: dict[str, Any] = {
                "start": start,
                "end": end,
                "token_start": bisect_left(token_starts, start),
                "token_end": bisect_left(token_ends, end),  # span edges are token edges: cut there
                "label": label,
                "text": text[start:end],
            }
            attributes = attributes_of(span)
            if attributes:
                item["attributes"] = attributes
            if note:
                item["note"] = note
            if unsure:
                item["unsure"] = True
            spans.append(item)
        meta = {"doc_id": doc.id, **{k: v for k, v in doc.meta.items() if v is not None and k != "doc_id"}}
        line = {
            "text": text,
            "tokens": tokens,
            "spans": spans,
            "meta": meta,
            "_input_hash": task_hash(text),
            "_task_hash": task_hash(text + json.dumps(spans, ensure_ascii=False, sort_keys=True)),
            "_view_id": "ner_manual",
            "answer": "accept",
        }
        self.files[split].write(json.dumps(line, ensure_ascii=False).translate(_SEPARATORS) + "\n")

    def close(self) -> dict[str, str]:
        return {f"{split}.jsonl": handle.close() for split, handle in self.files.items()}

    def abort(self) -> None:
        for handle in self.files.values():
            handle.abort()


# JSON leaves these raw; str.splitlines (and some JSON Lines readers) break lines at them.
_SEPARATORS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\u0085": "\\u0085"})
