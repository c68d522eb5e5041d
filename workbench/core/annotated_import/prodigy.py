"""Prodigy's JSON Lines (``prodigy db-out``): one answered task per line.

A line is ``{text, tokens?, spans?, answer, meta?, _input_hash, _task_hash, ...}``; spans are
``{start, end, label, token_start?, token_end?, text?}`` with ``start``/``end`` in code points
of ``text`` (Prodigy is Python) and ``token_end`` inclusive. A span with only
``token_start``/``token_end`` takes its offsets from ``tokens``.

- **Only accepted answers are read.** A task answered ``reject`` or ``ignore`` is skipped and
  counted (``rejected answers``, ``ignored answers``), so is a line without an answer (an
  input task, not an annotation: ``unanswered tasks``) and a span answered ``reject`` inside
  an accepted task (``rejected spans``). Any other answer refuses the file.
- **One annotator per layer.** Two accepted answers on the same input (``_input_hash``, or the
  text) with different spans, from different sessions (``_session_id``), refuse the file with
  a sentence naming the sessions, unless the reader is told the layer (``ReadOptions.annotator``,
  when present) and exactly one session is that annotator's (``NAME`` or ``DATASET-NAME``,
  Prodigy's named sessions). The same answer twice is read once.
- ``meta`` goes to the document's meta; this project's export writes ``meta.doc_id`` (read
  back as the document's id) and the title, source and date there. A span's ``attributes``
  (an object, as this project writes them) are its attributes, its ``note`` and ``unsure``
  its note and flag; Prodigy's own span keys
  (``source``, ``input_hash``, ``score``, ...) are not attributes. Relations and text
  categories (``accept`` of a choice task) are counted as ignored. Keys beginning with ``_``
  are Prodigy's bookkeeping and are not kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from workbench.core.annotated_import import sniff
from workbench.core.annotated_import.files import Unit
from workbench.core.annotated_import.records import AnnotatedFile, DocumentRecord, SpanRecord
from workbench.core.errors import RefusedInput
from workbench.core.sources import ReadOptions, jsonl_records, record_document

_SKIPPED = {"reject": "rejected answers", "ignore": "ignored answers"}
_NOT_META = {"text", "tokens", "spans", "answer", "relations", "accept", "options", "meta", "html", "label"}
_SPAN_KEYS = {"start", "end", "label", "text", "token_start", "token_end", "source", "input_hash", "score"}
_SPAN_KEYS |= {"answer", "priority", "id", "attributes", "rank", "color", "_id", "note", "unsure"}
_DOCUMENT_FIELDS = {"title": "title", "source": "source", "published": "date"}  # meta key -> document field


def read(unit: Unit, options: ReadOptions = ReadOptions()) -> AnnotatedFile:
    result = AnnotatedFile(unit.path)
    wanted = getattr(options, "annotator", None)
    # input -> (session -> (line, spans key, record))
    taken: dict[Any, dict[str, tuple[DocumentRecord, Any]]] = {}
    order: list[Any] = []
    for number, record, encoding in _records(unit, options):
        where = f"line {number}"
        answer = record.get("answer")
        if answer is None:
            result.ignore("unanswered tasks")
            continue
        if answer in _SKIPPED:
            result.ignore(_SKIPPED[answer])
            continue
        if answer != "accept":
            raise RefusedInput(f"{where}: the answer must be accept, reject or ignore, not {json.dumps(answer)[:40]}")
        spans = _spans(record, where, result)
        if isinstance(record.get("relations"), list) and record["relations"]:
            result.ignore("relations", len(record["relations"]))
        if isinstance(record.get("accept"), list) and record["accept"]:
            result.ignore("text categories", len(record["accept"]))
        document = record_document(_fields(record), unit, number, encoding)
        doc = DocumentRecord(f"{unit.path}:{number}", document, [record["text"]], spans)
        key = record.get("_input_hash", record["text"])
        session = str(record.get("_session_id") or record.get("_annotator_id") or "")
        same = sorted((s.start, s.end, s.label, json.dumps(s.attributes, sort_keys=True)) for s in spans)
        if key not in taken:
            taken[key] = {}
            order.append(key)
        taken[key].setdefault(session, (doc, same))
    for key in order:
        answers = taken[key]
        if len({json.dumps(same) for _, same in answers.values()}) > 1:
            mine = [s for s in answers if wanted and s and (s == wanted or s.endswith(f"-{wanted}"))]
            if len(mine) != 1:
                first = next(iter(answers.values()))[0]
                sessions = ", ".join(s or "no session" for s in answers)
                raise RefusedInput(
                    f"line {first.origin.rsplit(':', 1)[-1]}: the same text is accepted "
                    f"{len(answers)} times with different spans (sessions {sessions}); a layer holds one "
                    "annotator's work: export each annotator's answers separately (prodigy db-out with "
                    "one session's dataset) and import each file with --annotator NAME"
                )
            result.ignore("other sessions' answers", len(answers) - 1)
            result.documents.append(answers[mine[0]][0])
        else:
            result.documents.append(next(iter(answers.values()))[0])
    return result


def _records(unit: Unit, options: ReadOptions) -> Iterator[tuple[int, dict[str, Any], str]]:
    """The file's lines; a Label Studio export given as Prodigy's is refused saying so."""
    records = jsonl_records(unit.path, options)
    yield sniff.first_record(unit.path, records, only=(sniff.LABEL_STUDIO,))
    yield from records


def _fields(record: dict[str, Any]) -> dict[str, Any]:
    meta = record.get("meta")
    meta = dict(meta) if isinstance(meta, dict) else ({} if meta is None else {"meta": meta})
    fields: dict[str, Any] = {"text": record["text"]}
    if meta.get("doc_id") not in (None, ""):  # this project's export
        fields["id"] = meta.pop("doc_id")
        meta.pop("layer", None)
        meta.pop("sha256", None)
        for key, name in _DOCUMENT_FIELDS.items():
            if meta.get(key) is not None:
                fields[name] = meta.pop(key)
    for key, value in record.items():
        if key not in _NOT_META and not key.startswith("_") and value not in (None, ""):
            meta.setdefault(key, value)
    fields["meta"] = {key: value for key, value in meta.items() if value is not None}
    return fields


def _whole(value: Any, where: str, name: str) -> int:
    if type(value) is not int:
        raise RefusedInput(f"{where}: {name} must be a whole number, not {json.dumps(value, ensure_ascii=False)[:40]}")
    return value


def _spans(record: dict[str, Any], where: str, result: AnnotatedFile) -> list[SpanRecord]:
    items = record.get("spans") or []
    if not isinstance(items, list):
        raise RefusedInput(f'{where}: "spans" must be a list of objects with start, end and label')
    tokens = record.get("tokens")
    spans = []
    for index, item in enumerate(items, start=1):
        here = f"{where}, span {index}"
        if not isinstance(item, dict):
            raise RefusedInput(f"{here}: a span must be an object with start, end and label")
        if item.get("answer") == "reject":
            result.ignore("rejected spans")
            continue
        if item.get("start") is None and item.get("token_start") is not None:
            start, end = _from_tokens(item, tokens, here)
        else:
            start, end = _whole(item.get("start"), here, "start"), _whole(item.get("end"), here, "end")
        label = item.get("label")
        if not isinstance(label, str) or not label.strip():
            raise RefusedInput(f"{here}: the label must be a non-empty string")
        attributes = item.get("attributes") or {}
        if not isinstance(attributes, dict):
            raise RefusedInput(f'{here}: "attributes" must be an object')
        attributes = dict(attributes)
        for key, value in item.items():
            if key not in _SPAN_KEYS and value is not None:
                attributes[key] = value
        text = item.get("text") if isinstance(item.get("text"), str) else None
        note = item.get("note") or ""
        if not isinstance(note, str) or not isinstance(item.get("unsure", False), bool):
            raise RefusedInput(f'{here}: "note" must be a string and "unsure" true or false')
        spans.append(SpanRecord(start, end, label.strip(), here, attributes, note, item.get("unsure", False), text))
    return spans


def _from_tokens(item: dict[str, Any], tokens: Any, where: str) -> tuple[int, int]:
    first = _whole(item.get("token_start"), where, "token_start")
    last = _whole(item.get("token_end", first), where, "token_end")
    if not isinstance(tokens, list) or not (0 <= first <= last < len(tokens)):
        raise RefusedInput(f"{where}: the span has token_start and token_end but no tokens {first} to {last}")
    start, end = tokens[first], tokens[last]
    if not isinstance(start, dict) or not isinstance(end, dict):
        raise RefusedInput(f"{where}: tokens must be objects with start and end")
    return _whole(start.get("start"), where, "the token's start"), _whole(end.get("end"), where, "the token's end")
