"""Import documents into a project: each file completely or not at all, with a report.

Good files are imported, files whose every document is already in the project
are reported as duplicates, and bad files are refused with a reason; a refused
file leaves no trace in the database. Work is committed in batches of whole
files, so a killed import loses at most the files of the batch in flight, and
running the same import again skips what arrived (documents are deduplicated by
the SHA-256 of their normalised text).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.errors import RefusedInput
from workbench.core.sources import TXT, InputFile, ReadOptions, discover, read
from workbench.core.store import documents
from workbench.core.store.project import Project

BATCH_DOCUMENTS = 1000

Progress = Callable[[int, int, str], None]  # (files done, files in all, current file)


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)  # ids of new documents
    duplicates: list[dict[str, str]] = field(default_factory=list)  # {path, existing_id}
    refused: list[dict[str, str]] = field(default_factory=list)  # {path, reason}
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.refused

    def to_json(self) -> dict:
        data = {
            "imported": len(self.imported),
            "duplicates": self.duplicates,
            "refused": self.refused,
        }
        if self.cancelled:
            data["cancelled"] = True
        return data

    def summary(self) -> str:
        parts = [f"{len(self.imported)} imported"]
        parts.append(f"{len(self.duplicates)} already in the project")
        parts.append(f"{len(self.refused)} refused")
        return ", ".join(parts) + (" (cancelled)" if self.cancelled else "")


def import_paths(
    project: Project,
    paths: list[str | Path],
    *,
    options: ReadOptions = ReadOptions(),
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import files and folders (recursively) into ``project``; see the module docstring."""
    files = list(discover(paths, options.format))
    report = ImportReport()
    db = project.db
    pending = 0
    db.execute("BEGIN")
    try:
        for done, item in enumerate(files):
            if cancelled is not None and cancelled():
                report.cancelled = True
                break
            if progress is not None:
                progress(done, len(files), item.path)
            pending += _import_file(db, item, options, report)
            if pending >= BATCH_DOCUMENTS:
                db.execute("COMMIT")
                db.execute("BEGIN")
                pending = 0
        db.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise
    if progress is not None and not report.cancelled:
        progress(len(files), len(files), "")
    return report


def _import_file(db, item: InputFile, options: ReadOptions, report: ImportReport) -> int:
    """Import one file, all or nothing; return how many documents it added."""
    if item.format == TXT:
        # One document, checked before it is written: a single INSERT, atomic by itself.
        try:
            [(origin, doc)] = read(item, options)
        except RefusedInput as exc:
            report.refused.append({"path": exc.path or item.path, "reason": exc.reason})
            return 0
        added, doc_id = documents.insert(db, doc)
        if added:
            report.imported.append(doc_id)
        else:
            report.duplicates.append({"path": origin, "existing_id": doc_id})
        return int(added)

    savepoint = f"file_{secrets.token_hex(8)}"
    db.execute(f"SAVEPOINT {savepoint}")
    imported: list[str] = []
    duplicates: list[dict[str, str]] = []
    try:
        for origin, doc in read(item, options):
            try:
                added, doc_id = documents.insert(db, doc)
            except RefusedInput as exc:
                raise RefusedInput(exc.reason, origin) from None
            if added:
                imported.append(doc_id)
            else:
                duplicates.append({"path": origin, "existing_id": doc_id})
    except RefusedInput as exc:
        db.execute(f"ROLLBACK TO {savepoint}")
        db.execute(f"RELEASE {savepoint}")
        report.refused.append({"path": exc.path or item.path, "reason": exc.reason})
        return 0
    db.execute(f"RELEASE {savepoint}")
    report.imported.extend(imported)
    report.duplicates.extend(duplicates)
    return len(imported)
