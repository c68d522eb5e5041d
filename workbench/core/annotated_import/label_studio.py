"""Label Studio's JSON export (and its JSON_MIN form): tasks with text spans.

The file is a JSON array of tasks (one task, an object, is read too; so are JSON Lines of
tasks). Each task is one document:

- **The full export** (``JSON``): ``data.text`` is the text (the other fields of ``data``,
  the task's ``meta`` and its number, as ``label_studio_id``, go to the document's meta; this
  project's export writes ``data.doc_id``, read back as the document's id, and the title,
  source and date in ``meta``). Its ``annotations`` (``completions`` before Label Studio
  1.0) hold ``result`` lists; a region is a result of type ``labels`` with ``value:
  {start, end, text, labels: [...]}`` (one span per label). Results of the region's ``id``
  of type ``choices``, ``textarea``, ``number``, ``rating`` or ``datetime`` are its
  attributes, named by their ``from_name`` (a single choice is its string; a ``textarea``
  named ``note`` is the span's note, a choice ``true`` of ``unsure`` its flag).
- **JSON_MIN**: one flat object per task and annotator, ``text`` and a key (the labels'
  ``name`` in the labeling config, often ``label``) holding ``[{start, end, text, labels}]``;
  ``annotator`` says whose. Per-region attributes are not in this form.

**One annotator per layer.** A task's cancelled annotations (``was_cancelled``) are
skipped and counted. Of the others, a task with one annotation gives it. A task with
several gives the one of the layer being imported when the reader is told it
(``ReadOptions.annotator``, when present: the one whose ``completed_by`` matches, by
e-mail, the e-mail's name part, first name or number; for ``gold``, the annotation marked
``ground_truth``); else the file is refused with a sentence naming the annotators found.
The other annotators' annotations are counted, never read silently into one layer.

Counted in the report, not read: cancelled annotations, ``predictions`` (a model's
suggestions), relations, and results of other types (task-level choices, image regions,
...). Offsets are code points of the text (Label Studio has counted code points since
2022, ``label-studio-frontend`` PR 308); exports made before counted UTF-16 units, so a
span whose stated text is not at its offsets in a text with characters beyond U+FFFF
(emoji, 𝕏) is tried at the UTF-16 offsets, and taken there only if its text is there. One
export counts one way: once a region of a file can only be read in UTF-16 units, every region of
that file whose text is at its UTF-16 offsets is read so, those whose text is at both readings too
(a word that comes again further on). With no such region, a region read the same either way is
read as code points: one region cannot tell.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from workbench.core.annotated_import import sniff
from workbench.core.annotated_import.files import Unit, read_text
from workbench.core.annotated_import.records import AnnotatedFile, DocumentRecord, SpanRecord
from workbench.core.errors import RefusedInput
from workbench.core.sources import ReadOptions, parse_json, record_document
from workbench.core.store.project import GOLD
from workbench.core.text.utf16 import Utf16Map

# Per-region result types read as attributes: type -> the key of its value.
_ATTRIBUTE_TYPES = {
    "choices": "choices",
    "textarea": "text",
    "number": "number",
    "rating": "rating",
    "datetime": "datetime",
}
# Fields of a JSON_MIN row that describe the annotation, not the document.
_MIN_ANNOTATION = {"annotator", "annotation_id", "created_at", "updated_at", "lead_time", "id", "text"}
_DOCUMENT_FIELDS = {"title": "title", "source": "source", "published": "date"}  # meta key -> document field
# A data.text that is where Label Studio loads the text from (<Text valueType="url">), not the text.
_LINK = re.compile(r"^(?:https?|s3|gs|azure-blob)://\S+$|^/data/(?:upload|local-files)/\S+$")


@dataclass
class _Annotation:
    by: Any  # completed_by as the file gives it (a number, an object with an e-mail, a string)
    result: list[Any]
    ground_truth: bool = False
    cancelled: bool = False


@dataclass
class _Task:
    where: str
    text: str
    fields: dict[str, Any]  # id, title, date, source, meta for record_document
    annotations: list[_Annotation] = field(default_factory=list)


def read(unit: Unit, options: ReadOptions = ReadOptions()) -> AnnotatedFile:
    result = AnnotatedFile(unit.path)
    content, encoding, _ = read_text(unit.path)
    tasks = _tasks(content, unit.path)
    wanted = getattr(options, "annotator", None)
    several: list[tuple[str, list[str]]] = []
    chosen_of = [_choose(task, wanted, result, several) for task in tasks]
    # One export counts its offsets one way: a region that can only be read in UTF-16 units
    # says that of the whole file, and a region read the same either way is then read so too.
    utf16_file = any(
        chosen is not None and _needs_utf16(chosen, task.text) for task, chosen in zip(tasks, chosen_of, strict=True)
    )
    for number, (task, chosen) in enumerate(zip(tasks, chosen_of, strict=True), start=1):
        spans = _spans(chosen, task.where, task.text, result, utf16_file) if chosen is not None else []
        try:
            document = record_document({"text": task.text, **task.fields}, unit, number, encoding)
        except RefusedInput as exc:  # it numbers lines; a task is named by its place in the array
            raise RefusedInput(exc.reason.replace(f"line {number}: ", f"{task.where}: ", 1)) from None
        readings = [task.text] + ([task.text.replace("\r\n", "\n")] if "\r\n" in task.text else [])
        result.documents.append(DocumentRecord(f"{unit.path}:{task.where}", document, readings, spans))
    if several:
        where, names = several[0]
        reason = (
            f"{len(several)} task{'s have' if len(several) != 1 else ' has'} annotations by more than one "
            f"annotator (the first, {where}: {', '.join(names)}); a layer holds one annotator's work"
        )
        if wanted and wanted.casefold() == GOLD:
            reason += ", and not exactly one of them is marked ground_truth (Label Studio's gold)"
        elif wanted:
            reason += f", and none of them is {wanted}'s (matched by e-mail, its name part, first name or number)"
        raise RefusedInput(
            reason + ": export each annotator's tasks from Label Studio separately (filter the Data Manager "
            "by annotator) and import each file with --annotator NAME"
        )
    return result


def _tasks(content: str, path: str) -> list[_Task]:
    try:
        parsed = parse_json(content.lstrip("\ufeff"))
    except RefusedInput as exc:
        lines = [line for line in content.lstrip("\ufeff").splitlines() if line.strip()]
        if "Extra data" not in exc.reason or not lines:
            raise RefusedInput(f"not a Label Studio JSON export: {exc.reason}") from None
        parsed = [parse_json(line, f"line {n}: ") for n, line in enumerate(lines, start=1)]  # JSON Lines of tasks
    if isinstance(parsed, dict):
        parsed = [parsed]
    if not isinstance(parsed, list):
        raise RefusedInput("not a Label Studio export: the file must hold a JSON array of tasks")
    if not parsed:
        raise RefusedInput("the file holds no tasks (an empty JSON array)")
    sniff.refuse(path, parsed, only=(sniff.PRODIGY,))
    tasks: list[_Task] = []
    rows: dict[Any, _Task] = {}  # JSON_MIN: a task's rows, one per annotator, by task id
    for number, item in enumerate(parsed, start=1):
        where = f"task {number}"
        if not isinstance(item, dict):
            raise RefusedInput(
                f"{where}: a task must be a JSON object, not {json.dumps(item, ensure_ascii=False)[:40]}"
            )
        if "data" in item:
            tasks.append(_full_task(item, where))
            continue
        if not isinstance(item.get("text"), str):
            raise RefusedInput(
                f'{where}: neither a Label Studio task (with "data") nor a JSON_MIN row (with "text"); '
                f"its keys are {', '.join(sorted(map(str, item))) or 'none'}"
            )
        task_id = item.get("id")
        annotation = _min_annotation(item, where)
        others = [k for k in ("spans", "entities", "label", "labels") if k in item and not _is_regions(item[k])]
        if not annotation.result and others:
            raise RefusedInput(
                f'{where}: not a Label Studio task: its spans ("{others[0]}") are not Label Studio regions '
                "{start, end, labels: [...]}; JSON Lines with spans (this project's export, doccano's) are "
                "imported with --format jsonl"
            )
        if task_id is not None and task_id in rows and rows[task_id].text == item["text"]:
            rows[task_id].annotations.append(annotation)
            continue
        meta = {k: v for k, v in item.items() if k not in _MIN_ANNOTATION and not _is_regions(v)}
        if task_id is not None:
            meta["label_studio_id"] = task_id
        task = _Task(where, item["text"], {"meta": meta}, [annotation])
        tasks.append(task)
        if task_id is not None:
            rows[task_id] = task
    return tasks


def _full_task(item: dict[str, Any], where: str) -> _Task:
    data = item["data"]
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        keys = ", ".join(sorted(map(str, data))) if isinstance(data, dict) else "none"
        raise RefusedInput(
            f'{where}: "data" has no "text" string (its fields: {keys}); Workbench reads tasks '
            'whose text is data.text (<Text name="text" value="$text"/>)'
        )
    if item.get("id") is not None:
        where = f"{where} (id {item['id']})"
    if _LINK.match(data["text"]):
        raise RefusedInput(
            f"{where}: data.text is a link ({data['text'][:60]}), not the text: Label Studio loaded the text "
            'from there (valueType="url"); import the texts themselves, or tasks that hold them'
        )
    given = item.get("meta")
    given = given if isinstance(given, dict) else {}
    meta = {k: v for k, v in given.items() if v is not None and k not in ("sha256", "layer")}
    fields: dict[str, Any] = {}
    for key, name in _DOCUMENT_FIELDS.items():  # this project's export keeps them in the task's meta
        if key in meta:
            fields[name] = meta.pop(key)
    for key, value in data.items():
        if key not in ("text", "doc_id") and value not in (None, ""):
            meta.setdefault(key, value)
    if item.get("id") is not None:
        meta["label_studio_id"] = item["id"]
    fields["meta"] = meta
    if data.get("doc_id") not in (None, ""):
        fields["id"] = data["doc_id"]
    entries = item.get("annotations")
    if entries is None:
        entries = item.get("completions")
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        raise RefusedInput(f'{where}: "annotations" must be a list')
    annotations = []
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("result", []), list):
            raise RefusedInput(f'{where}, annotation {index}: an annotation must be an object with a "result" list')
        annotations.append(
            _Annotation(
                entry.get("completed_by"),
                entry.get("result") or [],
                entry.get("ground_truth") is True,
                entry.get("was_cancelled") is True,
            )
        )
    task = _Task(where, data["text"], fields, annotations)
    predictions = item.get("predictions")
    task.fields["_predictions"] = len(predictions) if isinstance(predictions, list) else 0
    return task


def _is_regions(value: Any) -> bool:
    """Whether ``value`` is a JSON_MIN list of regions ``{start, end, labels: [...]}``."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and "start" in v and isinstance(v.get("labels"), list) for v in value)
    )


def _min_annotation(item: dict[str, Any], where: str) -> _Annotation:
    result = []
    for key, value in item.items():
        if key in _MIN_ANNOTATION or not _is_regions(value):
            continue
        for region in value:
            result.append({"type": "labels", "from_name": key, "value": region})
    return _Annotation(item.get("annotator"), result)


def _names(by: Any) -> set[str]:
    """The names an annotator can be given by: e-mail, its name part, first name, full name, number."""
    if isinstance(by, dict):
        found = {str(by.get(k) or "") for k in ("email", "first_name", "id", "username")}
        email = str(by.get("email") or "")
        found.add(email.split("@")[0])
        found.add(f"{by.get('first_name') or ''} {by.get('last_name') or ''}".strip())
    else:
        found = {str(by)} if by is not None else set()
        found.add(str(by).split("@")[0])
    return {name.casefold() for name in found if name and name != "None"}


def _shown(by: Any) -> str:
    if isinstance(by, dict):
        return str(by.get("email") or by.get("id") or "someone")
    if isinstance(by, int):
        return f"user {by}"
    return str(by) if by not in (None, "") else "someone"


def _choose(task: _Task, wanted: str | None, result: AnnotatedFile, several: list) -> _Annotation | None:
    predictions = task.fields.pop("_predictions", 0)
    if predictions:
        result.ignore("predictions", predictions)
    live = [a for a in task.annotations if not a.cancelled]
    if len(live) < len(task.annotations):
        result.ignore("cancelled annotations", len(task.annotations) - len(live))
    if len(live) <= 1:
        return live[0] if live else None
    chosen: list[_Annotation] = []
    if wanted and wanted.casefold() == GOLD:
        chosen = [a for a in live if a.ground_truth]
    elif wanted:
        chosen = [a for a in live if wanted.casefold() in _names(a.by)]
    if len(chosen) == 1:
        result.ignore("other annotators' annotations", len(live) - 1)
        return chosen[0]
    several.append((task.where, sorted({_shown(a.by) for a in live})))
    return None


def _offset(value: Any, where: str, name: str) -> int:
    if type(value) is not int:
        raise RefusedInput(
            f"{where}: {name} must be a whole number, not {json.dumps(value, ensure_ascii=False)[:40]} "
            "(Workbench reads text regions, not HTML regions)"
        )
    return value


def _needs_utf16(annotation: _Annotation, text: str) -> bool:
    """Whether a region of ``annotation`` states a text found only at its offsets read as UTF-16
    units (an export made before 2022). Regions that cannot be read are left to :func:`_spans`."""
    utf16: Utf16Map | None = None
    for item in annotation.result:
        value = item.get("value") if isinstance(item, dict) and item.get("type") == "labels" else None
        if not isinstance(value, dict):
            continue
        start, end, stated = value.get("start"), value.get("end"), value.get("text")
        if type(start) is not int or type(end) is not int or not isinstance(stated, str) or text[start:end] == stated:
            continue
        utf16 = utf16 or Utf16Map(text)
        if _at_utf16(text, utf16, start, end, stated) is not None:
            return True
    return False


def _at_utf16(text: str, utf16: Utf16Map, start: int, end: int, stated: str) -> tuple[int, int] | None:
    """``(start, end)`` read as UTF-16 units, as code points, if ``stated`` is there (and the text
    has characters beyond U+FFFF, so the two readings differ)."""
    if utf16.identity:
        return None
    moved = utf16.to_codepoint(start), utf16.to_codepoint(end)
    return moved if text[moved[0] : moved[1]] == stated else None


def _spans(
    annotation: _Annotation, where: str, text: str, result: AnnotatedFile, utf16_file: bool = False
) -> list[SpanRecord]:
    regions: dict[str, list[SpanRecord]] = {}
    spans: list[SpanRecord] = []
    others: list[dict[str, Any]] = []
    utf16: Utf16Map | None = None
    for index, item in enumerate(annotation.result, start=1):
        if not isinstance(item, dict):
            raise RefusedInput(f"{where}, result {index}: a result must be a JSON object")
        kind = item.get("type")
        if kind == "relation":
            result.ignore("relations")
            continue
        if kind != "labels":
            others.append(item)
            continue
        here = f"{where}, region {item.get('id') or index}"
        value = item.get("value")
        if not isinstance(value, dict):
            raise RefusedInput(f'{here}: a region needs a "value" with start, end and labels')
        start, end = _offset(value.get("start"), here, "start"), _offset(value.get("end"), here, "end")
        stated = value.get("text")
        stated = stated if isinstance(stated, str) else None
        if stated is not None and (utf16_file or text[start:end] != stated):
            utf16 = utf16 or Utf16Map(text)
            moved = _at_utf16(text, utf16, start, end, stated)
            if moved is not None:  # exported before 2022: UTF-16
                start, end = moved
        labels = value.get("labels")
        if not isinstance(labels, list) or not labels or not all(isinstance(x, str) and x.strip() for x in labels):
            raise RefusedInput(f'{here}: "labels" must be a list of label names')
        made = [SpanRecord(start, end, label.strip(), here, text=stated) for label in labels]
        spans += made
        if item.get("id") is not None:
            regions.setdefault(str(item["id"]), []).extend(made)
    for item in others:
        kind = str(item.get("type"))
        owner = regions.get(str(item.get("id")))
        key = _ATTRIBUTE_TYPES.get(kind)
        value = item.get("value")
        if owner is None or key is None or not isinstance(value, dict) or key not in value:
            result.ignore(f"{kind} results")
            continue
        name = str(item.get("from_name") or kind)
        found = value[key]
        if kind == "choices" and isinstance(found, list) and len(found) == 1:
            found = found[0]
        elif kind == "textarea" and isinstance(found, list):
            found = "\n".join(str(x) for x in found)
        for span in owner:
            if name == "note" and kind == "textarea":
                span.note = str(found)
            elif name == "unsure" and kind == "choices":
                span.unsure = str(found).lower() == "true"
            else:
                span.attributes[name] = found
    return spans
