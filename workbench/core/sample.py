"""The default project: created on first run and filled with the bundled sample corpus."""

from __future__ import annotations

from pathlib import Path

from workbench.core.importer import import_paths
from workbench.core.paths import default_project_path
from workbench.core.store.project import Project, remove_project_file
from workbench.resources import sample_corpus_files


def open_default_project(path: Path | None = None) -> Project:
    """Open the default project, creating it with the sample articles if it does not exist."""
    path = path or default_project_path()
    if path.exists():
        return Project.open(path)
    project = Project.create(path, name="Sample: Libya conflict news")
    try:
        import_paths(project, list(sample_corpus_files()))
    except BaseException:
        project.close()
        remove_project_file(path)
        raise
    return project
