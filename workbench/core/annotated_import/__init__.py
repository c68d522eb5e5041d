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
  label does not have refuse the file too (listed, with the ``labels attr add`` command
  that would add each), unless ``ignore_attributes`` is set: then they are dropped
  from the spans and counted per label and attribute in the report
  (``dropped_attributes``), never silently. Values are checked as in the editor.
- Offsets are code points into the text as the file gives it. The text is
  normalised at import (CRLF to LF, NFC, invisible controls removed) and offsets
  are carried through that (:mod:`.offsets`). A span that does not fit (outside
  the text, empty, an edge inside a character or between CR and LF, a covered text
  that differs from the text) refuses the file: spans are never moved to fit.
- A span that the layer already has on that document (same start, end, label) is
  skipped and counted, so importing a file twice adds nothing.
- Spans are written with :func:`workbench.core.store.spans.insert_many` and logged in the
  change log under the layer's name, like merged work bundles.

This is the import pipeline of :mod:`.pipeline`, which plain import
(:func:`workbench.core.importer.import_paths`) runs too, without a layer.

Formats are described in :mod:`.jsonl`, :mod:`.conll` and :mod:`.brat`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workbench.core.annotated_import.pipeline import ImportReport, run
from workbench.core.errors import InvalidInput
from workbench.core.sources import ANNOTATED
from workbench.core.store import annotators as layer_owners
from workbench.core.store.project import Project

ANNOTATED_FORMATS = ANNOTATED

Progress = Callable[[int, int, str], None]  # (files done, files in all, current file)

# The report of an import with spans: the one import report, with its layer set.
AnnotatedImportReport = ImportReport


def parse_label_map(pairs: list[str]) -> dict[str, str]:
    """``["PER=ACTOR", "LOC=LOCATION"]`` -> ``{"PER": "ACTOR", "LOC": "LOCATION"}``;
    :class:`InvalidInput` (a ``ValueError``) says what is wrong with a pair."""
    mapping: dict[str, str] = {}
    for pair in pairs or []:
        source, sep, target = str(pair).partition("=")
        source, target = source.strip(), target.strip()
        if not sep or not source or not target or "=" in target:
            raise InvalidInput(f"--map {pair!r}: write it as SOURCE=TARGET, e.g. --map PER=ACTOR")
        if mapping.get(source, target) != target:
            raise InvalidInput(f"--map gives {source} two targets: {mapping[source]} and {target}")
        mapping[source] = target
    return mapping


def import_annotated(
    project: Project,
    paths: list[str | Path],
    fmt: str,
    layer: str,
    label_map: dict[str, str] | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    ignore_attributes: bool = False,
) -> ImportReport:
    """Import annotated files into ``layer`` (an annotator's name, added if new, or
    ``"gold"``); see the module docstring. ``ignore_attributes`` drops attributes the schema
    lacks (counted in the report) instead of refusing their file. :class:`InvalidInput` (a ``ValueError``) for a
    wrong format, layer name or label map (nothing is read then)."""
    if fmt not in ANNOTATED_FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}: one of {', '.join(ANNOTATED_FORMATS)}")
    layer = layer_owners.check_layer(str(layer or ""))
    label_map = dict(label_map or {})
    names = [label.name for label in project.labels()]
    wrong = sorted({target for target in label_map.values() if target not in names})
    if wrong:
        raise InvalidInput(
            f"--map names labels the schema does not have: {', '.join(wrong)} (its labels are {', '.join(names)})"
        )
    return run(
        project,
        paths,
        fmt,
        layer,
        label_map=label_map,
        progress=progress,
        cancelled=cancelled,
        ignore_attributes=ignore_attributes,
    )


__all__ = [
    "ANNOTATED_FORMATS",
    "AnnotatedImportReport",
    "import_annotated",
    "parse_label_map",
]
