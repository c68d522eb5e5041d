"""Import documents into a project: each file completely or not at all, with a report.

Good files are imported, files whose every document is already in the project
are reported as duplicates, and bad files are refused with a reason; a refused
file leaves no trace in the database. Work is committed in batches of whole
files, so a killed import loses at most the files of the batch in flight, and
running the same import again skips what arrived (documents are deduplicated by
the SHA-256 of their normalised text).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workbench.core.annotated_import.pipeline import BATCH_DOCUMENTS, ImportReport, Progress, run
from workbench.core.sources import ReadOptions
from workbench.core.store.project import Project

__all__ = ["BATCH_DOCUMENTS", "ImportReport", "Progress", "import_paths"]


def import_paths(
    project: Project,
    paths: list[str | Path],
    *,
    options: ReadOptions = ReadOptions(),
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import files and folders (recursively) into ``project``; see the module docstring.

    The pipeline is the annotated import's (:mod:`workbench.core.annotated_import.pipeline`)
    with no layer: documents only."""
    return run(project, paths, options.format, None, options=options, progress=progress, cancelled=cancelled)
