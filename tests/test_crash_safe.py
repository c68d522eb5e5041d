"""Issue 11: crash-safe everywhere, not only in span creation.

- ``bundle open`` killed half-way left an empty or half-made file at the copy's path (then
  refused for ever); the copy is now made in a hidden file next to it and renamed into place.
- A killed export left hidden ``.NAME.export-XXXX`` and, between its two renames,
  ``.NAME.old-XXXX`` with no output at the path; the next run cleans them up and puts the
  previous output back if the swap was cut.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workbench.core import intents
from workbench.core.assign import assign_by_hand
from workbench.core.bundles.project_bundle import export_project_bundle, open_project_bundle
from workbench.core.export.options import ExportCancelled, ExportOptions
from workbench.core.export.run import export
from workbench.core.importer import import_paths
from workbench.core.store.project import GOLD, Project

MAIN = Path(__file__).resolve().parents[1]


def _child(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", script, *args], cwd=MAIN, capture_output=True, text=True, timeout=120)


@pytest.fixture
def lead(tmp_path, corpus_files) -> Path:
    path = tmp_path / "lead.wbproj"
    with Project.create(path) as project:
        import_paths(project, corpus_files[:3])
        project.set_current_annotator("Lead")
        project.add_annotator("Karim")
        doc_ids = [row[0] for row in project.db.execute("SELECT id FROM documents ORDER BY rowid")]
        assign_by_hand(project, doc_ids, "Karim")
        for doc_id in doc_ids:
            text = intents.document_text(project, doc_id)
            start = next(i for i, c in enumerate(text) if c.isalpha())
            end = start
            while end < len(text) and text[end].isalpha():
                end += 1
            intents.tag(project, doc_id, GOLD, start, end, "ACTOR").do(project)
    return path


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# --- bundle open -------------------------------------------------------------------------------

KILLED_BUNDLE_OPEN = r"""
import os, signal, sys
from workbench.core.bundles import project_bundle
from workbench.core.store import status

def killed(*args, **kwargs):  # the last step of making the copy: the process dies here
    os.kill(os.getpid(), signal.SIGKILL)

status.restore = killed
project_bundle.open_project_bundle(sys.argv[1], sys.argv[2])
"""


def test_a_killed_bundle_open_leaves_nothing_at_the_copy_path(lead, tmp_path):
    bundle = tmp_path / "karim.wbbundle"
    with Project.open(lead) as project:
        export_project_bundle(project, "Karim", bundle)
    copy = tmp_path / "copies" / "karim.wbproj"
    copy.parent.mkdir()
    result = _child(KILLED_BUNDLE_OPEN, str(bundle), str(copy))
    assert result.returncode == -9, result.stderr
    assert not copy.exists()
    assert not Path(f"{copy}-wal").exists()

    project = open_project_bundle(bundle, copy)  # the path is not refused: the copy is made
    try:
        assert project.current_annotator == "Karim"
        assert project.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 3
    finally:
        project.close()
    assert _hidden(copy.parent) == []  # the killed run's half-made file is gone too


def test_a_bundle_open_that_fails_half_way_leaves_nothing(lead, tmp_path, monkeypatch):
    from workbench.core.store import status

    bundle = tmp_path / "karim.wbbundle"
    with Project.open(lead) as project:
        export_project_bundle(project, "Karim", bundle)
    copy = tmp_path / "copies" / "karim.wbproj"
    copy.parent.mkdir()

    def failing(*args, **kwargs):
        raise OSError("simulated failure")

    monkeypatch.setattr(status, "restore", failing)
    with pytest.raises(OSError):
        open_project_bundle(bundle, copy)
    assert list(copy.parent.iterdir()) == []


# --- export ------------------------------------------------------------------------------------

KILLED_EXPORT = r"""
import os, signal, sys
from pathlib import Path
from workbench.core.export import run
from workbench.core.export.options import ExportOptions
from workbench.core.store.project import Project

out, kill_at = Path(sys.argv[2]), int(sys.argv[3])
real = os.replace
calls = []

def replace(src, dst):
    calls.append((src, dst))
    if len(calls) == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst)

run.os.replace = replace
if kill_at == 0:  # killed while writing
    run._write_chunk = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
with Project.open(sys.argv[1]) as project:
    run.export(project, ExportOptions(format="jsonl"), out)
"""


def test_a_killed_export_leaves_hidden_folders_the_next_run_removes(lead, tmp_path):
    out = tmp_path / "exports" / "gold"
    result = _child(KILLED_EXPORT, str(lead), str(out), "0")
    assert result.returncode == -9, result.stderr
    assert any(".gold.export-" in name for name in _hidden(out.parent))
    assert not out.exists()

    with Project.open(lead) as project:
        export(project, ExportOptions(format="jsonl"), out)
    assert (out / "manifest.json").exists()
    assert _hidden(out.parent) == []


def test_an_export_killed_between_its_two_renames_gets_the_previous_output_back(lead, tmp_path):
    out = tmp_path / "exports" / "gold"
    with Project.open(lead) as project:
        export(project, ExportOptions(format="jsonl"), out)
    previous = (out / "manifest.json").read_bytes()

    result = _child(KILLED_EXPORT, str(lead), str(out), "2")  # after out -> .old, before .export -> out
    assert result.returncode == -9, result.stderr
    assert not out.exists()
    assert any(".gold.old-" in name for name in _hidden(out.parent))

    with Project.open(lead) as project, pytest.raises(ExportCancelled):
        export(project, ExportOptions(format="jsonl"), out, cancelled=lambda: True)
    assert (out / "manifest.json").read_bytes() == previous  # the previous output is back
    assert _hidden(out.parent) == []


def test_an_export_killed_after_its_swap_leaves_no_old_folder_behind(lead, tmp_path):
    out = tmp_path / "exports" / "gold"
    with Project.open(lead) as project:
        export(project, ExportOptions(format="jsonl"), out)
    result = _child(KILLED_EXPORT, str(lead), str(out), "3")  # a third call never comes: no kill
    assert result.returncode == 0, result.stderr
    # killed after both renames, before the old folder was removed
    (out.parent / ".gold.old-deadbeef").mkdir()
    (out.parent / ".gold.old-deadbeef" / "manifest.json").write_text("{}", encoding="utf-8")
    current = (out / "manifest.json").read_bytes()
    with Project.open(lead) as project, pytest.raises(ExportCancelled):
        export(project, ExportOptions(format="jsonl"), out, cancelled=lambda: True)
    assert (out / "manifest.json").read_bytes() == current
    assert _hidden(out.parent) == []
