"""Import documents with their spans: this project's JSONL and doccano's, CoNLL BIO, brat standoff.

``import_annotated(project, paths, fmt, layer)`` reads each file (a brat ``.ann``
with its ``.txt`` counts as one), checks it whole, and writes it in one
transaction, so that a file is imported completely or not at all; a run over
many files imports the good ones and reports the others with a reason.

- A document is its normalised text: a document the project already holds is not
  copied, its spans join that document (reported under ``joined``), so each
  annotator's file of the same articles can be imported in turn.
- ``layer`` is an annotator's name or ``"gold"``. An annotator the project does not
  know yet is added (with the first file that imports), as a lead bringing in one
  export per annotator expects. For an annotator, each document of the file is
  marked done: the file is their finished work, and agreement counts done documents.
- Labels: ``label_map`` renames the file's labels (``--map PER=ACTOR``); a label
  the schema still lacks refuses the file, listing every such label. Attributes the
  label does not have refuse the file too (listed); values are checked as in the
  editor.
- Offsets are code points into the text as the file gives it. The text is
  normalised at import (CRLF to LF, NFC, invisible controls removed) and offsets
  are carried through that (:mod:`.offsets`). A span that does not fit (outside
  the text, empty, an edge inside a character or between CR and LF, a covered text
  that differs from the text) refuses the file: spans are never moved to fit.
- A span that the layer already has on that document (same start, end, label) is
  skipped and counted, so importing a file twice adds nothing.
- Spans are written with :func:`workbench.core.store.spans.insert_many` and logged in the
  change log under the layer's name, like merged work bundles.

Formats are described in :mod:`.jsonl`, :mod:`.conll` and :mod:`.brat`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from workbench.core.annotated_import import brat, conll, jsonl
from workbench.core.annotated_import.files import discover
from workbench.core.annotated_import.merge import check, write
from workbench.core.errors import RefusedInput
from workbench.core.store.project import GOLD, Project

ANNOTATED_FORMATS = ("jsonl", "conll", "brat")
_READERS = {"jsonl": jsonl.read, "conll": conll.read, "brat": brat.read}

Progress = Callable[[int, int, str], None]  # (files done, files in all, current file)


@dataclass
class AnnotatedImportReport:
    imported: list[str] = field(default_factory=list)  # ids of new documents
    joined: list[dict] = field(default_factory=list)  # {path, doc_id, spans}: documents already held
    refused: list[dict] = field(default_factory=list)  # {path, reason}
    spans: int = 0  # spans written
    skipped: int = 0  # spans the layer already had
    ignored: int = 0  # relations, events and what hangs on them (brat, doccano)
    layer: str = ""
    annotator_added: bool = False
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.refused

    def to_json(self) -> dict:
        data = {
            "imported": len(self.imported),
            "joined": self.joined,
            "duplicates": self.joined,
            "refused": self.refused,
            "spans": self.spans,
            "skipped": self.skipped,
            "ignored": self.ignored,
            "layer": self.layer,
        }
        if self.annotator_added:
            data["annotator_added"] = True
        if self.cancelled:
            data["cancelled"] = True
        return data

    def summary(self) -> str:
        parts = [
            f"{len(self.imported)} documents imported",
            f"{len(self.joined)} already in the project",
            f"{self.spans} spans added to {self.layer}",
        ]
        if self.skipped:
            parts.append(f"{self.skipped} spans already there")
        if self.ignored:
            parts.append(f"{self.ignored} relations or events ignored")
        parts.append(f"{len(self.refused)} files refused")
        return ", ".join(parts) + (" (cancelled)" if self.cancelled else "")


def parse_label_map(pairs: list[str]) -> dict[str, str]:
    """``["PER=ACTOR", "LOC=LOCATION"]`` -> ``{"PER": "ACTOR", "LOC": "LOCATION"}``;
    ``ValueError`` says what is wrong with a pair."""
    mapping: dict[str, str] = {}
    for pair in pairs or []:
        source, sep, target = str(pair).partition("=")
        source, target = source.strip(), target.strip()
        if not sep or not source or not target or "=" in target:
            raise ValueError(f"--map {pair!r}: write it as SOURCE=TARGET, e.g. --map PER=ACTOR")
        if mapping.get(source, target) != target:
            raise ValueError(f"--map gives {source} two targets: {mapping[source]} and {target}")
        mapping[source] = target
    return mapping


def import_annotated(
    project: Project,
    paths: list,
    fmt: str,
    layer: str,
    label_map: dict[str, str] | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> AnnotatedImportReport:
    """Import annotated files into ``layer`` (an annotator's name, added if new, or
    ``"gold"``); see the module docstring. ``ValueError`` for a wrong format, layer
    name or label map (nothing is read then)."""
    if fmt not in ANNOTATED_FORMATS:
        raise ValueError(f"unknown format {fmt!r}: one of {', '.join(ANNOTATED_FORMATS)}")
    layer = _layer(layer)
    label_map = dict(label_map or {})
    labels = project.labels()
    names = [label.name for label in labels]
    wrong = sorted({target for target in label_map.values() if target not in names})
    if wrong:
        raise ValueError(
            f"--map names labels the schema does not have: {', '.join(wrong)} (its labels are {', '.join(names)})"
        )
    report = AnnotatedImportReport(layer=layer)
    units = discover(paths, fmt)
    read = _READERS[fmt]
    for done, unit in enumerate(units):
        if cancelled is not None and cancelled():
            report.cancelled = True
            break
        if progress is not None:
            progress(done, len(units), unit.path)
        try:
            if unit.problem:
                raise RefusedInput(unit.problem)
            annotated = read(unit)
            result = write(project, layer, check(labels, annotated, label_map))
        except RefusedInput as exc:
            report.refused.append({"path": exc.path or unit.path, "reason": exc.reason})
            continue
        report.imported.extend(result.imported)
        report.joined.extend(result.joined)
        report.spans += result.spans
        report.skipped += result.skipped
        report.ignored += annotated.ignored
        report.annotator_added = report.annotator_added or result.annotator_added
    if progress is not None and not report.cancelled:
        progress(len(units), len(units), "")
    return report


def _layer(layer: str) -> str:
    name = str(layer or "").strip()
    if name.lower() == GOLD:
        return GOLD
    if not name or any(c in name for c in ",|\n\t"):
        raise ValueError(f"{layer!r} cannot be an annotator's name (empty, or containing , | or a tab)")
    return name


__all__ = [
    "ANNOTATED_FORMATS",
    "AnnotatedImportReport",
    "import_annotated",
    "parse_label_map",
]
