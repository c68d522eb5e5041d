"""WebAnno TSV 3.3, as INCEpTION writes it: ``SPLIT/ID.tsv``, one file per document.

- Header: ``#FORMAT=WebAnno TSV 3.3`` and one span layer,
  ``#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|value`` (INCEpTION's Named
  entity layer), then two blank lines.
- Sentences and tokens are this export's (:mod:`.tokens`): with ``--boundary split`` the
  tokens are cut at every span edge inside a word (``ب`` + ``بنغازي``); with ``expand`` or
  ``drop`` they are the tokenizer's, and a span edge inside a token is written as a
  sub-token (``1-3.1``), as INCEpTION writes it. No sentence break is made inside a span.
- Each sentence is ``#Text=`` lines (its text, split at line breaks, escaped as INCEpTION
  escapes it), then one line per token ``1-2<TAB>4-8<TAB>token<TAB>LABEL<TAB>``. A sentence's
  text runs to the start of the next one (the whitespace between them included), so that
  INCEpTION rebuilds the document's text exactly (it adds one line break at its end).
- Offsets count UTF-16 units, as Java does: a character outside the Basic Multilingual
  Plane counts two.
- Every span is written (nested and overlapping ones too): the label, escaped, is the
  ``value``; a span over more than one unit, or stacked with another on one unit, carries a
  disambiguation number ``LABEL[3]``.
- Attributes are not written: INCEpTION refuses a TSV file whose columns its layer does not
  declare (JSON Lines, brat and XMI exports carry them).
"""

from __future__ import annotations

import re

import numpy as np

from workbench.core.export.alignment import DocView
from workbench.core.export.base import Writer
from workbench.core.export.files import HashedFile, file_stem
from workbench.core.export.layers import SourceDocument
from workbench.core.export.tokens import codepoints, sentence_breaks
from workbench.core.text.utf16 import Utf16Map

NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
HEADER = f"#FORMAT=WebAnno TSV 3.3\n#T_SP={NAMED_ENTITY}|value\n\n"
# Escaping.java: feature values, and sentence text (controls other than \t \n \f \r \b keep a backslash).
_VALUE = re.compile(r"\\|\[|\]|\||_|->|;|\t|\n|\*")
_VALUE_ESCAPES = {"\t": "\\t", "\n": "\\n"}
_TEXT = re.compile("[\\\\\x00-\x07\x09\x0a\x0c\x0d\x0e-\x1f\x08]")
_TEXT_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", "\b": "\\b"}


def escape_value(value: str) -> str:
    """A feature value as INCEpTION escapes it (``_`` -> ``\\_``, ``|`` -> ``\\|``, ...)."""
    return _VALUE.sub(lambda m: _VALUE_ESCAPES.get(m.group(), "\\" + m.group()), value)


def escape_text(text: str) -> str:
    """A ``#Text=`` line as INCEpTION escapes it."""
    return _TEXT.sub(lambda m: _TEXT_ESCAPES.get(m.group(), "\\" + m.group()), text)


def sentences(text: str, starts: np.ndarray, ends: np.ndarray, spans: list) -> list[tuple[int, int]]:
    """``(first token, stop token)`` of each sentence: the export's sentence ends, except
    inside a span (a span never crosses a sentence)."""
    n = len(starts)
    if n == 0:
        return []
    breaks = sentence_breaks(codepoints(text), starts, ends)
    if spans:
        inside = np.zeros(n + 1, dtype=np.int64)
        span_starts = np.fromiter((s[0] for s in spans), dtype=np.int64, count=len(spans))
        span_ends = np.fromiter((s[1] for s in spans), dtype=np.int64, count=len(spans))
        first = np.searchsorted(starts, span_starts, side="right")  # tokens starting after the span's start
        stop = np.searchsorted(starts, span_ends, side="left")  # ... and before its end
        np.add.at(inside, first, 1)
        np.add.at(inside, stop, -1)
        breaks &= np.cumsum(inside[:n]) <= 0
    breaks[0] = True
    bounds = np.flatnonzero(breaks).tolist() + [n]
    return list(zip(bounds[:-1], bounds[1:]))


def document_tsv(text: str, starts: np.ndarray, ends: np.ndarray, spans: list) -> str:
    """The TSV file of one document: ``spans`` are ``(start, end, label, ...)`` in code points."""
    offsets = Utf16Map(text)
    starts_list, ends_list = starts.tolist(), ends.tolist()
    n = len(starts_list)
    # The units each span is on: a token it covers whole, or the piece of a token it covers.
    subunits: list[dict[tuple[int, int], list[int]]] = [{} for _ in range(n)]
    on_token: list[list[int]] = [[] for _ in range(n)]
    units_of: list[int] = [0] * len(spans)
    for index, span in enumerate(spans):
        start, end = span[0], span[1]
        first = int(np.searchsorted(ends, start, side="right"))
        stop = int(np.searchsorted(starts, end, side="left"))
        for token in range(first, stop):
            a, b = starts_list[token], ends_list[token]
            if start <= a and b <= end:
                on_token[token].append(index)
            else:
                subunits[token].setdefault((max(start, a), min(end, b)), []).append(index)
            units_of[index] += 1
    # Which units carry each span, in file order: numbers for spans on more than one unit or stacked.
    order: list[list[int]] = []
    for token in range(n):
        order.append(on_token[token])
        for key in sorted(subunits[token], key=lambda k: (k[0], -k[1])):
            order.append(subunits[token][key])
    numbers: dict[int, int] = {}
    for carried in order:
        for index in carried:
            if index not in numbers and (units_of[index] > 1 or len(carried) > 1):
                numbers[index] = len(numbers) + 1

    def column(carried: list[int]) -> str:
        if not carried:
            return "_"
        values = []
        for index in carried:
            value = escape_value(str(spans[index][2]))
            values.append(f"{value}[{numbers[index]}]" if index in numbers else value)
        return "|".join(values)

    parts = [HEADER]
    bounds = sentences(text, starts, ends, spans)
    for number, (a, b) in enumerate(bounds, 1):
        begin = starts_list[a]
        after = starts_list[b] if b < n else len(text)
        own = text[begin:after]
        if b < n and own.endswith("\n"):
            own = own[:-1]  # the line break INCEpTION puts after each sentence
        parts.append("\n")
        parts.extend(f"#Text={escape_text(line)}\n" for line in own.split("\n"))
        for k, token in enumerate(range(a, b), 1):
            s, e = starts_list[token], ends_list[token]
            parts.append(
                f"{number}-{k}\t{offsets.to_utf16(s)}-{offsets.to_utf16(e)}\t{text[s:e]}\t{column(on_token[token])}\t\n"
            )
            keys = sorted(subunits[token], key=lambda key: (key[0], -key[1]))
            for m, (s, e) in enumerate(keys, 1):
                parts.append(
                    f"{number}-{k}.{m}\t{offsets.to_utf16(s)}-{offsets.to_utf16(e)}\t{text[s:e]}\t"
                    f"{column(subunits[token][(s, e)])}\t\n"
                )
    return "".join(parts)


class WebannoTsvWriter(Writer):
    def __init__(self, root, splits, context):
        super().__init__(root, splits, context)
        self.taken: dict[str, set[str]] = {split: set() for split in splits}
        self.files: list[HashedFile] = []
        self.hashes: dict[str, str] = {}
        for split in splits:
            (root / split).mkdir()

    def write(self, split: str, doc: SourceDocument, view: DocView) -> None:
        stem = file_stem(doc.id, doc.sha256, self.taken[split])
        handle = HashedFile(self.root / split / f"{stem}.tsv")
        self.files.append(handle)
        handle.write(document_tsv(doc.text, view.starts, view.ends, doc.spans))
        self.hashes[f"{split}/{stem}.tsv"] = handle.close()
        self.files.pop()

    def close(self) -> dict[str, str]:
        return dict(self.hashes)

    def abort(self) -> None:
        for handle in self.files:
            handle.abort()
