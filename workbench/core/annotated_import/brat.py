"""brat standoff: a ``.txt`` file and the ``.ann`` file of the same name.

- ``T`` lines are spans: ``T1<TAB>LABEL start end<TAB>covered text``. The covered
  text must be the text at those offsets (compared after normalisation, with runs of
  whitespace taken as one space), else the file is refused.
- Discontinuous spans (``start end;start end``): fragments with nothing but whitespace
  between them are one span from the first start to the last end (that is how brat, and
  this project's export, write a span over a line break). Any other discontinuous span
  refuses the file: the workbench has no discontinuous spans, and cutting one entity in
  two would change what was annotated (and count twice in agreement). Fix it in brat.
- ``A`` and ``M`` lines are attributes: ``A1<TAB>name T1 value``, and a binary
  attribute ``A1<TAB>name T1`` is true; the binary attribute ``Unsure`` is the span's
  unsure flag. ``#`` lines (AnnotatorNotes) become the span's note (several lines of
  notes on one span, one note of several lines), except a note that is one JSON object, ``{"count": 30}``: that holds
  attributes brat cannot (this project's export writes counts, dates and free text
  so), and they become the span's attributes. ``R``, ``E``, ``N`` and ``*`` lines (relations, events,
  normalisations, equivalences) and attributes or notes on them are ignored and
  counted.
- Offsets count code points of the ``.txt``. Which text a tool counted is not
  always the file's bytes: brat itself reads the file with Python's universal
  newlines (a CRLF is one character) and keeps a UTF-8 BOM as a character, other
  tools count a CRLF as two. Every reading is tried, as the file is, with CRLF as
  one character, with the BOM counted, and the one in which every span's covered
  text matches is taken; none matching refuses the file.
"""

from __future__ import annotations

import json
import os
import re

from workbench.core.annotated_import.files import Unit, read_bytes, read_text
from workbench.core.annotated_import.records import AnnotatedFile, DocumentRecord, SpanRecord
from workbench.core.errors import RefusedInput
from workbench.core.sources import ReadOptions
from workbench.core.store.documents import NewDocument
from workbench.core.text.decoding import decode
from workbench.core.text.normalise import prepare

_UNIVERSAL_NEWLINES = re.compile("\r\n?")
UNSURE = "Unsure"  # the binary attribute that flags a span unsure (as this project's export writes it)


def read(unit: Unit, options: ReadOptions = ReadOptions()) -> AnnotatedFile:
    """The file's documents and spans (``options`` are the plain import's; unused here)."""
    assert unit.text_path is not None
    text_name = os.path.basename(unit.text_path)
    try:
        raw, encoding, had_bom = read_text(unit.text_path, f"the text file {text_name}")
    except RefusedInput as exc:
        raise RefusedInput(exc.reason if text_name in exc.reason else f"{text_name}: {exc.reason}") from None
    text, problem = prepare(raw)
    if problem:
        raise RefusedInput(f"{text_name}: {problem}")
    result = AnnotatedFile(unit.path)
    spans = _annotations(unit.path, result)
    readings = [raw, _UNIVERSAL_NEWLINES.sub("\n", raw)]
    if had_bom:
        readings += ["\ufeff" + reading for reading in readings]
    readings = list(dict.fromkeys(readings))
    document = NewDocument(
        text=text,
        file_name=os.path.splitext(unit.name)[0] + ".txt",
        encoding=encoding,
        id_hint=os.path.splitext(os.path.basename(unit.path))[0],  # as exported: the document's id
    )
    result.documents.append(DocumentRecord(unit.path, document, readings, spans))
    return result


def _annotations(path: str, result: AnnotatedFile) -> list[SpanRecord]:
    data = read_bytes(path)
    if not data.strip():
        return []  # brat writes an empty .ann for a document without annotations
    content, _ = decode(data)
    entities: dict[str, SpanRecord] = {}
    attributes: list[tuple[int, str, str, str, list[str]]] = []
    notes: list[tuple[int, str, str, str]] = []
    others: set[str] = set()
    for number, line in enumerate(content.lstrip("\ufeff").split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        fields = line.split("\t")
        ident = fields[0].strip()
        kind = ident[:1]
        where = f"line {number}"
        if kind == "T":
            head = fields[1].split() if len(fields) > 1 else []
            if len(head) < 3:
                raise RefusedInput(f"{where}: a T line must read 'T1<tab>LABEL start end<tab>text'")
            label, offsets = head[0], " ".join(head[1:])
            pieces = [piece.split() for piece in offsets.split(";")]
            fragments: list[tuple[int, int]] = []
            if all(len(piece) == 2 for piece in pieces):
                try:
                    fragments = [(int(a), int(b)) for a, b in pieces]
                except ValueError:
                    fragments = []
            if not fragments:
                raise RefusedInput(f"{where}: {ident} has offsets {offsets!r}, not whole numbers 'start end'")
            start, end = fragments[0][0], fragments[-1][1]
            if ident in entities:
                raise RefusedInput(f"{where}: {ident} is defined twice")
            covered = "\t".join(fields[2:]) if len(fields) > 2 else None
            entities[ident] = SpanRecord(
                start,
                end,
                label,
                f"{ident} ({where})",
                text=covered,
                fragments=fragments if len(fragments) > 1 else [],
            )
        elif kind in "AM":
            parts = fields[1].split() if len(fields) > 1 else []
            if len(parts) < 2:
                raise RefusedInput(f"{where}: an attribute line must read 'A1<tab>name T1 [value]'")
            attributes.append((number, ident, parts[0], parts[1], parts[2:]))
        elif kind == "#":
            parts = fields[1].split() if len(fields) > 1 else []
            if len(parts) < 2:
                raise RefusedInput(f"{where}: a note line must read '#1<tab>AnnotatorNotes T1<tab>note'")
            notes.append((number, ident, parts[1], "\t".join(fields[2:]).strip()))
        elif kind in "REN*":
            others.add(ident)
            result.ignore(_KINDS[kind])
        else:
            raise RefusedInput(f"{where}: {line[:40]!r} is not a brat standoff line (T, A, M, #, R, E, N or *)")
    for number, ident, name, target, value in attributes:
        span = _target(entities, others, target, ident, number, result)
        if span is None:
            continue
        if name == UNSURE and not value:  # this project's export of a span flagged unsure
            span.unsure = True
            continue
        if name in span.attributes:
            raise RefusedInput(f"line {number}: {ident} sets {name} of {target} a second time")
        span.attributes[name] = " ".join(value) if value else True
    for number, ident, target, note in notes:
        span = _target(entities, others, target, ident, number, result)
        if span is None or not note:
            continue
        values = _json_object(note)
        if values is None:
            span.note = f"{span.note}\n{note}" if span.note else note
            continue
        for name, value in values.items():  # attributes brat cannot hold, as this project exports them
            if name in span.attributes:
                raise RefusedInput(f"line {number}: {ident} sets {name} of {target} a second time")
            span.attributes[name] = value
    return list(entities.values())


_KINDS = {"R": "relations", "E": "events", "N": "normalizations", "*": "equivalences"}


def _json_object(note: str) -> dict | None:
    if not (note.startswith("{") and note.endswith("}")):
        return None
    try:
        value = json.loads(note)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def _target(entities, others, target, ident, number, result) -> SpanRecord | None:
    if target in entities:
        return entities[target]
    if target in others or target[:1] in "ERN":
        result.ignore("attributes or notes on those")
        return None
    raise RefusedInput(f"line {number}: {ident} refers to {target}, which the file does not define")
