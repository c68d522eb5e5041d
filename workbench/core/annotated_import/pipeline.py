"""The one import pipeline: plain documents and documents with spans alike.

``run`` discovers the files (:func:`workbench.core.sources.discover`), reads each
one, checks it whole and writes it as one part of a batched transaction, so that a
file is imported completely or not at all, and a killed run loses at most the
files of the batch in flight. A plain import is an import with no layer: the
documents are streamed into the project and nothing else is written. With a layer
(an annotator or gold) the file's spans are checked against the schema and their
text (:mod:`.merge`) and join that layer. One report type serves both.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from importlib import import_module
from pathlib import Path
from typing import Any

from workbench.core.annotated_import.merge import FileResult, check, drop_unknown_attributes, write
from workbench.core.annotated_import.records import AnnotatedFile, DocumentRecord
from workbench.core.errors import RefusedInput
from workbench.core.sources import (
    BRAT,
    CONLL,
    JSONL,
    LABEL_STUDIO,
    PASSED_OVER,
    PRODIGY,
    TXT,
    WEBANNO_TSV,
    XMI,
    InputFile,
    ReadOptions,
    discover,
    read,
)
from workbench.core.store.batches import Batches
from workbench.core.store.labels import Label
from workbench.core.store.project import Project
from workbench.core.store.spans import Span

_SINGULAR = {
    "relations": "relation",
    "events": "event",
    "normalizations": "normalization",
    "equivalences": "equivalence",
    "attributes or notes on those": "attribute or note on those",
    "relations or events": "relation or event",
    "rejected answers": "rejected answer",
    "ignored answers": "ignored answer",
    "unanswered tasks": "unanswered task",
    "rejected spans": "rejected span",
    "predictions": "prediction",
    "cancelled annotations": "cancelled annotation",
    "text categories": "text category",
    "other annotators' annotations": "other annotator's annotation",
    "other sessions' answers": "other session's answer",
    "named entities without a value": "named entity without a value",
    "feature values that are not text, numbers or flags": "feature value that is not text, a number or a flag",
}


def singular(kind: str) -> str:
    """One of ``kind`` ("relations" -> "relation", "MyLayer annotations" -> "MyLayer annotation")."""
    if kind in _SINGULAR:
        return _SINGULAR[kind]
    for plural in (" annotations", " links"):
        if kind.endswith(plural):
            return kind[:-1]
    return kind


BATCH_DOCUMENTS = 1000  # documents written between two commits
# Fields of a JSON Lines record that hold spans in other tools' exports (doccano, spaCy, Label
# Studio's simple form): a plain import keeps them in the document's meta and says so.
SPAN_FIELDS = ("label", "labels", "entities", "spans", "annotations")

Progress = Callable[[int, int, str], None]  # (files done, files in all, current file)
Reader = Callable[[InputFile, ReadOptions], AnnotatedFile]
# Each format's reader, "module:function" in workbench.core.annotated_import, imported when used.
READERS: dict[str, str] = {
    JSONL: "jsonl:read",
    CONLL: "conll:read",
    BRAT: "brat:read",
    LABEL_STUDIO: "label_studio:read",
    WEBANNO_TSV: "webanno_tsv:read",
    XMI: "xmi:read",
    PRODIGY: "prodigy:read",
}


def reader(fmt: str) -> Reader:
    """The reader of ``fmt`` (one of :data:`READERS`)."""
    module_name, _, function = READERS[fmt].partition(":")
    found: Reader = getattr(import_module(f"workbench.core.annotated_import.{module_name}"), function)
    return found


@dataclass
class ImportReport:
    """What an import did. ``layer`` is ``None`` for a plain import (documents only)."""

    imported: list[str] = field(default_factory=list)  # ids of new documents
    joined: list[dict[str, Any]] = field(default_factory=list)  # {path, doc_id, spans}: documents already held
    refused: list[dict[str, str]] = field(default_factory=list)  # {path, reason}
    spans: int = 0  # spans written
    skipped: int = 0  # spans the layer already had
    ignored: int = 0  # relations, events and what hangs on them (brat, doccano)
    ignored_kinds: dict[str, int] = field(default_factory=dict)  # the same per kind: {"relations": 3}
    # attribute values the schema lacks, dropped on request (--ignore-attributes): {"ACTOR.role": 5}
    dropped_attributes: dict[str, int] = field(default_factory=dict)
    layer: str | None = None
    annotator_added: bool = False
    cancelled: bool = False
    # files of a folder that import does not read ({path, reason}): counted and named, not refused
    passed_over: list[dict[str, str]] = field(default_factory=list)
    # documents of a plain import whose record carried spans (doccano's "label", ...): not read as spans
    spans_not_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.refused

    @property
    def duplicates(self) -> list[dict[str, Any]]:
        """Documents the project already held: ``{path, existing_id}`` for a plain import,
        the ``joined`` entries for an import with spans."""
        if self.layer is None:
            return [{"path": item["path"], "existing_id": item["doc_id"]} for item in self.joined]
        return self.joined

    def add(self, result: FileResult) -> None:
        self.imported.extend(result.imported)
        self.joined.extend(result.joined)
        self.spans += result.spans
        self.skipped += result.skipped
        self.ignored += result.ignored
        for kind, count in result.ignored_kinds.items():
            self.ignored_kinds[kind] = self.ignored_kinds.get(kind, 0) + count
        for name, count in result.dropped_attributes.items():
            self.dropped_attributes[name] = self.dropped_attributes.get(name, 0) + count
        self.annotator_added = self.annotator_added or result.annotator_added
        self.spans_not_read += result.spans_not_read

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any]
        if self.layer is None:
            data = {"imported": len(self.imported), "duplicates": self.duplicates, "refused": self.refused}
        else:
            data = {
                "imported": len(self.imported),
                "joined": self.joined,
                "duplicates": self.joined,
                "refused": self.refused,
                "spans": self.spans,
                "skipped": self.skipped,
                "ignored": self.ignored,
                "ignored_kinds": dict(self.ignored_kinds),
                "dropped_attribute_values": sum(self.dropped_attributes.values()),
                "dropped_attributes": dict(sorted(self.dropped_attributes.items())),
                "layer": self.layer,
            }
            if self.annotator_added:
                data["annotator_added"] = True
        if self.passed_over:
            data["passed_over"] = self.passed_over
        if self.spans_not_read:
            data["spans_not_read"] = self.spans_not_read
        if self.cancelled:
            data["cancelled"] = True
        return data

    def ignored_phrase(self) -> str:
        """What the files held that the project cannot, per kind: "3 relations, 1 event ignored:
        Workbench stores spans only"; empty when nothing was ignored."""
        if not self.ignored:
            return ""
        kinds = self.ignored_kinds or {"relations or events": self.ignored}
        counts = ", ".join(f"{count} {kind if count != 1 else singular(kind)}" for kind, count in kinds.items())
        return f"{counts} ignored: Workbench stores spans only"

    def dropped_phrase(self) -> str:
        """The attribute values dropped because the schema lacks them, counted and named:
        "7 attribute values dropped: ACTOR.role ×5, LOCATION.kind ×2"; empty when none was."""
        total = sum(self.dropped_attributes.values())
        if not total:
            return ""
        ordered = sorted(self.dropped_attributes.items(), key=lambda item: (-item[1], item[0]))
        named = ", ".join(f"{name} ×{count}" for name, count in ordered)
        return f"{total} attribute value{'s' if total != 1 else ''} dropped: {named}"

    def summary(self) -> str:
        if self.layer is None:
            parts = [
                f"{len(self.imported)} imported",
                f"{len(self.joined)} already in the project",
                f"{len(self.refused)} refused",
            ]
        else:
            parts = [
                f"{len(self.imported)} documents imported",
                f"{len(self.joined)} already in the project",
                f"{self.spans} spans added to {self.layer}",
            ]
            if self.skipped:
                parts.append(f"{self.skipped} spans already there")
            if self.ignored:
                parts.append(self.ignored_phrase())
            parts.append(f"{len(self.refused)} files refused")
        dropped = f"; {self.dropped_phrase()}" if self.layer is not None and self.dropped_attributes else ""
        notes = "".join(f"; {note}" for note in (self.passed_over_phrase(), self.spans_not_read_phrase()) if note)
        return ", ".join(parts) + dropped + notes + (" (cancelled)" if self.cancelled else "")

    def passed_over_phrase(self) -> str:
        """Files of the folders given that no format reads: "2 files passed over (not a kind
        import reads): notes.docx, scan.pdf"; empty when none was."""
        if not self.passed_over:
            return ""
        names = [Path(item["path"]).name for item in self.passed_over]
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        count = len(names)
        return f"{count} file{'s' if count != 1 else ''} passed over (not a kind import reads): {shown}"

    def spans_not_read_phrase(self) -> str:
        if not self.spans_not_read:
            return ""
        n = self.spans_not_read
        return (
            f"{n} document{'s' if n != 1 else ''} carried spans ({', '.join(SPAN_FIELDS)}) that a plain "
            "import does not read: they are kept in the documents' meta; import the file with "
            "--annotator NAME to add them to that annotator's layer"
        )


def run(
    project: Project,
    paths: Sequence[str | Path],
    fmt: str | None,
    layer: str | None,
    *,
    label_map: dict[str, str] | None = None,
    options: ReadOptions = ReadOptions(),
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    ignore_attributes: bool = False,
) -> ImportReport:
    """Import ``paths`` (files and folders) as ``fmt`` into ``layer`` (``None``: documents
    only); ``layer`` and ``label_map`` are checked by the caller. ``ignore_attributes`` drops
    the attributes the schema lacks from the spans (counted in the report) instead of
    refusing the file."""
    units = discover(list(paths), fmt)
    report = ImportReport(layer=layer)
    labels = project.labels() if layer is not None else []
    with Batches(project, BATCH_DOCUMENTS) as batch:
        for done, unit in enumerate(units):
            if cancelled is not None and cancelled():
                report.cancelled = True
                break
            if progress is not None:
                progress(done, len(units), unit.path)
            if unit.format == PASSED_OVER:
                report.passed_over.append({"path": unit.path, "reason": unit.problem or ""})
                continue
            # A plain text file is one document: its one INSERT is atomic by itself, and a
            # savepoint around it would cost a third of a plain import's time.
            whole = contextlib.nullcontext() if layer is None and unit.format == TXT else batch.part()
            try:
                with whole:
                    result = _import_unit(project, unit, layer, labels, label_map or {}, options, ignore_attributes)
            except RefusedInput as exc:
                report.refused.append({"path": exc.path or unit.path, "reason": exc.reason})
                continue
            except RecursionError:  # a reader met data nested deeper than Python recurses
                report.refused.append({"path": unit.path, "reason": "the file's data is nested too deeply to read"})
                continue
            report.add(result)
            batch.done(len(result.imported))
    if progress is not None and not report.cancelled:
        progress(len(units), len(units), "")
    return report


def _import_unit(
    project: Project,
    unit: InputFile,
    layer: str | None,
    labels: list[Label],
    label_map: dict[str, str],
    options: ReadOptions,
    ignore_attributes: bool = False,
) -> FileResult:
    if unit.problem:
        raise RefusedInput(unit.problem)
    if layer is None:
        carrying = [0]
        result = write(project, None, _documents_only(unit, options, carrying))
        result.spans_not_read = carrying[0]
        return result
    annotated = reader(unit.format)(unit, replace(options, annotator=layer))
    dropped = drop_unknown_attributes(labels, annotated, label_map) if ignore_attributes else {}
    result = write(project, layer, check(labels, annotated, label_map))
    result.dropped_attributes = dropped
    result.ignored = annotated.ignored
    result.ignored_kinds = dict(annotated.ignored_kinds)
    return result


def _documents_only(
    unit: InputFile, options: ReadOptions, carrying: list[int]
) -> Iterator[tuple[DocumentRecord, list[Span]]]:
    """A plain file's documents, streamed: each is an annotated document with no spans.
    ``carrying[0]`` counts those whose record held spans (kept in their meta, not read)."""
    for origin, document in read(unit, options):
        if any(isinstance(document.meta.get(name), list) and document.meta[name] for name in SPAN_FIELDS):
            carrying[0] += 1
        yield DocumentRecord(origin, document, [document.text]), []
