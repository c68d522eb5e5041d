"""JSON Lines with spans: this project's export and doccano's.

One document per line, a JSON object with a ``text`` string and its spans in one of:

- ``spans``: this project's export, a list of objects ``{start, end, label, text?,
  note?, unsure?, attributes?: {...}}``; other keys of a span are its attributes
  (``id`` and ``annotator`` are not: the layer is the one named for the import and
  spans get new ids);
- ``label`` or ``labels``: doccano's sequence labelling export and download example, a
  list of ``[start, end, label]``;
- ``entities``: doccano's newer export, a list of ``{start_offset, end_offset, label}``
  (its ``relations`` are counted as ignored);
- ``annotations``: doccano 1.x's export, a list of ``{label, start_offset, end_offset,
  user?}``, where ``label`` is a name or the label's number in the doccano project (read
  as the label ``"3"``, for ``--map 3=PER``).

A line with none of them is a document without spans. ``id``, ``title``, ``date``,
``source`` and ``meta`` are read as by the plain JSONL import (the title, source and
``published`` date that this project's export keeps in ``meta`` are read back as such);
other keys go to the document's meta. doccano numbers its rows: a doccano line's ``id`` is kept in the meta as
``doccano_id`` and the document's id comes from the file name and line, so that two
doccano projects never clash over id 1. Offsets count code points of ``text`` as given,
before normalisation (a CRLF in it is two characters). Lines are read by
:func:`workbench.core.sources.jsonl_records`, the plain import's reader too.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from workbench.core.annotated_import import sniff
from workbench.core.annotated_import.files import Unit
from workbench.core.annotated_import.records import AnnotatedFile, DocumentRecord, SpanRecord
from workbench.core.errors import RefusedInput
from workbench.core.sources import InputFile, ReadOptions, jsonl_records, record_document

_SPAN_FIELDS = {"start", "end", "label", "text", "id", "annotator", "note", "unsure", "attributes"}
_NOT_META = {"spans", "label", "labels", "entities", "annotations", "relations", "tokens"}
# doccano's keys for spans, in the order they are looked for, with what each entry is.
_DOCCANO_KEYS = ("entities", "annotations", "label", "labels")


def read(unit: Unit, options: ReadOptions = ReadOptions()) -> AnnotatedFile:
    result = AnnotatedFile(unit.path)
    records = jsonl_records(unit.path, options)
    first = sniff.first_record(unit.path, records)  # another tool's file (Label Studio, Prodigy): say which
    for number, record, encoding in itertools.chain([first], records):
        result.documents.append(_document(record, unit, number, result, encoding))
    return result


def _document(
    record: dict[str, Any], item: InputFile, number: int, result: AnnotatedFile, encoding: str
) -> DocumentRecord:
    where = f"line {number}"
    if record.get("spans") is not None:
        spans = _project_spans(record["spans"], where)
    elif any(record.get(key) is not None for key in _DOCCANO_KEYS):
        key = next(key for key in _DOCCANO_KEYS if record.get(key) is not None)
        if key in ("entities", "annotations"):
            spans = _doccano_entities(record[key], where, key)
        else:
            spans = _doccano_labels(record[key], where, key)
        record = dict(record)
        if record.get("id") is not None:
            record.setdefault("meta", {})
            if isinstance(record["meta"], dict):
                record["meta"] = {**record["meta"], "doccano_id": record.pop("id")}
        relations = record.get("relations")
        if isinstance(relations, list) and relations:
            result.ignore("relations", len(relations))
    else:
        spans = []
    fields = {key: value for key, value in record.items() if key not in _NOT_META}
    if record.get("spans") is not None and isinstance(fields.get("meta"), dict):
        # This project's export keeps a document's title, source and date in its meta.
        meta = {key: value for key, value in fields["meta"].items() if value is not None}
        for key, field_name in (("title", "title"), ("source", "source"), ("published", "date")):
            if key in meta and fields.get(field_name) in (None, ""):
                fields[field_name] = meta.pop(key)
        meta.pop("sha256", None)  # the text's, taken again at import
        fields["meta"] = meta
    document = record_document(fields, item, number, encoding)
    return DocumentRecord(f"{item.path}:{number}", document, [record["text"]], spans)


def _offset(value: Any, where: str, name: str) -> int:
    if type(value) is not int:
        raise RefusedInput(f"{where}: {name} must be a whole number, not {json.dumps(value, ensure_ascii=False)}")
    return value


def _label(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RefusedInput(f"{where}: the label must be a non-empty string")
    return value.strip()


def _project_spans(items: Any, where: str) -> list[SpanRecord]:
    if not isinstance(items, list):
        raise RefusedInput(f'{where}: "spans" must be a list of objects with start, end and label')
    spans = []
    for index, item in enumerate(items, start=1):
        here = f"{where}, span {index}"
        if not isinstance(item, dict):
            raise RefusedInput(f"{here}: a span must be an object with start, end and label")
        start = _offset(item.get("start", item.get("start_offset")), here, "start")
        end = _offset(item.get("end", item.get("end_offset")), here, "end")
        attributes = item.get("attributes") or {}
        if not isinstance(attributes, dict):
            raise RefusedInput(f'{here}: "attributes" must be an object')
        attributes = dict(attributes)
        for key, value in item.items():
            if key not in _SPAN_FIELDS and key not in ("start_offset", "end_offset") and value is not None:
                attributes[key] = value
        text = item.get("text")
        if text is not None and not isinstance(text, str):
            raise RefusedInput(f'{here}: "text" must be a string')
        note = item.get("note") or ""
        if not isinstance(note, str):
            raise RefusedInput(f'{here}: "note" must be a string')
        unsure = item.get("unsure", False)
        if not isinstance(unsure, bool):
            raise RefusedInput(f'{here}: "unsure" must be true or false')
        spans.append(SpanRecord(start, end, _label(item.get("label"), here), here, attributes, note, unsure, text))
    return spans


def _doccano_labels(items: Any, where: str, key: str = "label") -> list[SpanRecord]:
    if not isinstance(items, list):
        raise RefusedInput(f'{where}: "{key}" must be a list of [start, end, label] spans')
    spans = []
    for index, item in enumerate(items, start=1):
        here = f"{where}, span {index}"
        if not isinstance(item, list) or len(item) != 3:
            raise RefusedInput(
                f'{here}: each entry of "{key}" must be [start, end, label], not '
                f"{json.dumps(item, ensure_ascii=False)[:60]} (text classification labels are not spans)"
            )
        start, end, label = item
        spans.append(SpanRecord(_offset(start, here, "start"), _offset(end, here, "end"), _label(label, here), here))
    return spans


def _doccano_entities(items: Any, where: str, key: str = "entities") -> list[SpanRecord]:
    if not isinstance(items, list):
        raise RefusedInput(f'{where}: "{key}" must be a list of objects with start_offset, end_offset and label')
    spans = []
    for index, item in enumerate(items, start=1):
        here = f"{where}, entity {index}"
        if not isinstance(item, dict):
            raise RefusedInput(f"{here}: an entity must be an object with start_offset, end_offset and label")
        if item.get("start_offset", item.get("start")) is None and item.get("label") is not None:
            raise RefusedInput(
                f"{here}: the label has no start_offset and end_offset (text classification labels are not spans)"
            )
        start = _offset(item.get("start_offset", item.get("start")), here, "start_offset")
        end = _offset(item.get("end_offset", item.get("end")), here, "end_offset")
        label = item.get("label")
        if type(label) is int:  # doccano 1.x names a label by its number in the doccano project
            label = str(label)
        spans.append(SpanRecord(start, end, _label(label, here), here))
    return spans
