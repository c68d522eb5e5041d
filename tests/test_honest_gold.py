"""Honest gold: a document whose gold is incomplete (a disagreement cluster without gold)
is not exported as gold unless the lead marks it adjudicated on purpose; progress shows
how far adjudication is. Real project files, the export read back from its files, the
command line run as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.core.actions import CreateSpan
from workbench.core.adjudication import accept_all_unanimous, clusters, gold_complete, gold_states
from workbench.core.export import ExportOptions, export
from workbench.core.importer import import_paths
from workbench.core.store import documents
from workbench.core.store import status as doc_status
from workbench.core.store.project import GOLD, Project
from workbench.core.store.spans import Span
from workbench.resources import sample_corpus_files

SALMA, OMAR = "Salma", "Omar"
D0 = "000_1d4f535c4afa2fda"  # "أحمد المسماري", "عبد الحكيم بلحاج", "رجب أردوغان"
D3 = "003_ea1dba6c08793fa4"
HINT = "mark a document adjudicated with `workbench-cli status DOC done --annotator gold` to export it as it is"


def add(project: Project, doc_id: str, annotator: str, word: str, label: str) -> None:
    text = documents.get(project.db, doc_id).text
    start = text.index(word)
    CreateSpan(Span(doc_id, annotator, start, start + len(word), label)).do(project)


@pytest.fixture
def proj(project):
    """D0: both annotators agree on one person and disagree on the label of another (one
    open cluster after --auto-unanimous); D3: both agree on one person (complete)."""
    for name in (SALMA, OMAR):
        project.add_annotator(name)
    assert len(import_paths(project, list(sample_corpus_files())).imported) == 5
    for name in (SALMA, OMAR):
        add(project, D0, name, "أحمد المسماري", "ACTOR")
    add(project, D0, SALMA, "رجب أردوغان", "ACTOR")
    add(project, D0, OMAR, "رجب أردوغان", "LOCATION")
    d3_word = documents.get(project.db, D3).text.split()[0]
    for name in (SALMA, OMAR):
        add(project, D3, name, d3_word, "ACTOR")
    assert accept_all_unanimous(project, None, "lead") == 2
    return project


def read_export(out: Path) -> tuple[dict, str, set[str]]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    readme = (out / "README.md").read_text(encoding="utf-8")
    ids = set()
    for path in out.rglob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            ids.add(json.loads(line)["id"])
    return manifest, readme, ids


def test_gold_complete_follows_the_clusters_and_the_done_mark(proj):
    assert [c.gold == () for c in clusters(proj, D0)].count(True) == 1  # the label dispute
    assert not gold_complete(proj, D0)
    assert gold_complete(proj, D3)
    assert not gold_complete(proj, "002_af682284de1024ff")  # no gold at all
    states = gold_states(proj)
    assert set(states) == {D0, D3}
    assert states[D0].open_clusters == 1 and not states[D0].complete and states[D3].complete
    with proj.transaction():
        doc_status.set_status(proj.db, D0, GOLD, doc_status.DONE, "lead")
    assert gold_complete(proj, D0)  # adjudicated on purpose


def test_export_gold_leaves_incomplete_gold_out_and_says_why(proj, tmp_path):
    out = tmp_path / "gold"
    report = export(proj, ExportOptions(format="jsonl", source="gold", split=(100,)), out)
    manifest, readme, ids = read_export(out)
    assert ids == {D3}
    note = f"1 documents with incomplete gold left out: 1 open clusters; {HINT}"
    assert note in report.notes
    assert note in readme
    assert manifest["source"]["incomplete_gold"]["documents"] == 1
    assert manifest["source"]["incomplete_gold"]["open_clusters"] == 1
    assert manifest["source"]["incomplete_gold"]["document_ids"] == [D0]

    with proj.transaction():
        doc_status.set_status(proj.db, D0, GOLD, doc_status.DONE, "lead")
    out2 = tmp_path / "gold2"
    export(proj, ExportOptions(format="jsonl", source="gold", split=(100,)), out2)
    manifest, readme, ids = read_export(out2)
    assert ids == {D0, D3}
    assert manifest["source"]["incomplete_gold"]["documents"] == 0
    assert "incomplete gold" not in readme


def test_export_majority_takes_only_complete_gold(proj, tmp_path):
    out = tmp_path / "majority"
    export(proj, ExportOptions(format="jsonl", source="majority", split=(100,)), out)
    manifest, _, _ = read_export(out)
    rows = {}
    for path in out.rglob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            rows[row["id"]] = row
    layer = {doc_id: json.dumps(row, ensure_ascii=False) for doc_id, row in rows.items()}
    assert '"layer": "gold"' in layer[D3]
    assert '"layer": "majority"' in layer[D0]  # incomplete gold: the majority vote, labelled so
    assert manifest["source"]["layers"] == {"gold": 1, "majority": 1}


def run_cli(*args):
    result = subprocess.run(
        [sys.executable, "-m", "workbench.cli", *map(str, args)],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


def test_progress_shows_adjudication(proj, project_path):
    proj.close()
    out = run_cli("--db", project_path, "progress")
    assert (
        "Adjudication: 1 documents with complete gold, 1 with incomplete gold (1 open clusters), 3 without gold." in out
    )
    assert f"incomplete: {D0}: 1 open clusters" in out
    data = json.loads(run_cli("--db", project_path, "progress", "--json", "--adjudication"))
    assert [row["annotator"] for row in data["annotators"]] == [SALMA, OMAR]
    assert data["adjudication"]["complete"] == 1
    assert data["adjudication"]["incomplete"] == 1
    assert data["adjudication"]["without_gold"] == 3
    assert data["adjudication"]["incomplete_documents"] == {D0: 1}
    assert isinstance(json.loads(run_cli("--db", project_path, "progress", "--json")), list)  # unchanged
