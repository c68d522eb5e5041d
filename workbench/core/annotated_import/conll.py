"""CoNLL with BIO tags: one token per line, the tag in the last column.

- Columns are separated by tabs (a line holding a tab is split on tabs only, so a
  token may hold spaces) or else by spaces; the first column is the token, the last
  the tag, columns between them (part of speech, chunk) are ignored.
- A blank line ends a sentence; a ``-DOCSTART-`` line ends a document (without one
  the whole file is one document). Documents are named after the file: ``stem-1``,
  ``stem-2``, ...
- The text is rebuilt: tokens joined by one space within a sentence, sentences
  joined by a newline. Spans are placed at the tokens' offsets in that text.
- A rebuilt document whose tokens are those of a document the project holds (this
  project's CoNLL export of it, unless ``--boundary drop`` left a sentence of it out)
  joins that document: its spans are moved onto the stored text (:mod:`.merge`).
- Tags: ``O``, and ``B-``/``I-`` + label. IOB2 (every entity starts with ``B-``) and
  IOB1 (``B-`` only between two adjacent entities of one label) both read right: an
  ``I-X`` continues an entity of label X that the previous token is in, and otherwise
  starts one (so an ``I-`` without a ``B-`` starts an entity). BIOES/BILOU tags
  (``E-``/``L-`` end an entity, ``S-``/``U-`` are one-token entities) are read too.
  An entity ends at the end of its sentence.
"""

from __future__ import annotations

import os
import re

from workbench.core.annotated_import import sniff
from workbench.core.annotated_import.files import Unit, read_text
from workbench.core.annotated_import.records import AnnotatedFile, DocumentRecord, SpanRecord
from workbench.core.errors import RefusedInput
from workbench.core.sources import ReadOptions
from workbench.core.store.documents import NewDocument
from workbench.core.text.normalise import prepare

_TAG = re.compile(r"^([BIESLU])-(.+)$")


class TokenDocumentRecord(DocumentRecord):
    """A document rebuilt from its tokens: its text is not the one the tokens were cut from,
    so the import joins it to a document the project holds by its tokens
    (:func:`workbench.core.annotated_import.merge.token_key`), not only by its text."""


_LINES = re.compile(r"\r\n|\r|\n")


class _Builder:
    """One document being rebuilt from its tokens."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.sentence_open = False
        self.spans: list[SpanRecord] = []
        self.entity: SpanRecord | None = None  # open: its end follows the tokens
        self.tokens = 0

    def token(self, token: str, tag: str, line: int) -> None:
        if self.sentence_open:
            self._add(" ")
        elif self.parts:
            self._add("\n")
        self.sentence_open = True
        start = self.length
        self._add(token)
        self.tokens += 1
        if tag == "O":
            self._close()
            return
        match = _TAG.match(tag)
        if match is None:
            raise RefusedInput(
                f"line {line}: the tag {tag!r} is not O or B-, I- (or E-, S-) and a label; "
                "the tag must be the last column"
            )
        prefix, label = match.groups()
        if prefix in "IEL" and self.entity is not None and self.entity.label == label:
            self.entity.end = self.length
            self.entity.text = (self.entity.text or "") + " " + token
        else:
            self._close()
            self.entity = SpanRecord(start, self.length, label, f"line {line}", text=token)
            self.spans.append(self.entity)
        if prefix in "ELSU":
            self._close()

    def end_sentence(self) -> None:
        self._close()
        self.sentence_open = False

    def _close(self) -> None:
        self.entity = None

    def _add(self, piece: str) -> None:
        self.parts.append(piece)
        self.length += len(piece)


def read(unit: Unit, options: ReadOptions = ReadOptions()) -> AnnotatedFile:
    """The file's documents and spans (``options`` are the plain import's; unused here)."""
    content, encoding, _ = read_text(unit.path)
    # (INCEpTION's TSV has tab-separated tokens too)
    sniff.refuse(unit.path, content[:4096], only=(sniff.WEBANNO_TSV, sniff.XMI))
    result = AnnotatedFile(unit.path)
    stem = os.path.splitext(os.path.basename(unit.path))[0]
    builder = _Builder()
    first_line = 1

    def finish(next_line: int) -> None:
        nonlocal builder, first_line
        if builder.tokens:
            raw = "".join(builder.parts)
            text, problem = prepare(raw)
            if problem:
                raise RefusedInput(f"lines {first_line}-{next_line - 1}: {problem}")
            number = len(result.documents) + 1
            document = NewDocument(text=text, file_name=unit.name, encoding=encoding, id_hint=f"{stem}-{number}")
            result.documents.append(TokenDocumentRecord(f"{unit.path}:{first_line}", document, [raw], builder.spans))
        builder = _Builder()
        first_line = next_line

    for number, line in enumerate(_LINES.split(content.lstrip("\ufeff")), start=1):
        if not line.strip():
            builder.end_sentence()
            continue
        columns = [c.strip() for c in line.split("\t")] if "\t" in line else line.split()
        if columns[0] == "-DOCSTART-":
            finish(number + 1)
            continue
        if len(columns) < 2 or not columns[0] or not columns[-1]:
            raise RefusedInput(f"line {number}: expected a token and a tag, separated by a tab or spaces")
        builder.token(columns[0], columns[-1], number)
    finish(number + 1)
    if not result.documents:
        raise RefusedInput("the file holds no tokens (only blank lines or -DOCSTART- lines)")
    return result
