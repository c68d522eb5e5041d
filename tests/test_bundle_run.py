"""A run of work bundles imported in one call ends, and reports, exactly as the same bundles
imported one call each (issue 16).

In a run, the next bundle is checked on a thread of its own (its own connection to the project)
while the one before it is merged. What that check read of the project may have changed by the
time its merge takes the write lock: the bundle before it pinned its annotator's key or raised
their sequence floor, or another connection changed the project meanwhile. The merge sees the
project as it is under the lock, as a bundle imported alone would.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import test_bundles as shared
from tests.test_bundles import (
    TEAM,
    annotate_first_round,
    final_state,
    good_members,
    layer,
    make_lead,
    open_copy,
    resign,
)
from workbench.core.bundles import archive, signing
from workbench.core.bundles.work_bundle import export_work_bundle, import_work_bundles
from workbench.core.store import annotators as layer_owners
from workbench.core.store.project import Project

team, lead = shared.team, shared.lead


@pytest.fixture(scope="module")
def hostile(team, tmp_path_factory) -> dict[str, Path]:
    """Bundles a run must refuse, each with its own sentence, going on with the others."""
    folder = tmp_path_factory.mktemp("hostile")
    garbage = folder / "garbage.wbb"
    garbage.write_bytes("ليس ملفا مضغوطا".encode())
    members = good_members(team)
    tampered = dict(members)
    tampered["spans.jsonl"] = members["spans.jsonl"].replace("ملاحظة".encode(), "تعليق".encode())
    forger = signing.new_private_key()
    made = {
        "garbage": garbage,
        "tampered": archive.write_members(folder / "tampered.wbb", tampered),
        "forged": archive.write_members(folder / "forged.wbb", resign(members, forger)),
        "absurd": archive.write_members(folder / "absurd.wbb", resign(members, team.keys["Salma"], sequence=5_000_000)),
    }
    return made


def _project_state(project: Project) -> dict:
    """What a merge writes, without the times it was written at."""
    db = project.db
    spans = db.execute(
        'SELECT id, doc_id, annotator, start, "end", label, attributes, note, unsure, created_at FROM spans ORDER BY id'
    ).fetchall()
    changes = [
        (*row[:4], _timeless(row[4]), _timeless(row[5]))
        for row in db.execute("SELECT actor, action, doc_id, span_id, before, after FROM changes ORDER BY seq")
    ]
    merged = db.execute(
        "SELECT annotator, doc_id, sequence, created_at, bundle_sha256 FROM merged_work ORDER BY annotator, doc_id"
    ).fetchall()
    received = db.execute(
        "SELECT bundle_sha256, annotator, sequence, file_name, length(content) FROM received_bundles ORDER BY rowid"
    ).fetchall()
    statuses = db.execute("SELECT doc_id, annotator, status FROM doc_status ORDER BY doc_id, annotator").fetchall()
    return {"spans": spans, "changes": changes, "merged": merged, "received": received, "statuses": statuses}


def _timeless(logged: str | None) -> object:
    """A logged row without the time it was written at (``updated_at``: the time of the merge)."""
    if logged is None:
        return None
    value = json.loads(logged)
    if isinstance(value, dict):
        value.pop("updated_at", None)
    return value


def _one_at_a_time(project: Project, paths: list[Path]) -> dict:
    merged, refused = [], []
    for path in paths:
        report = import_work_bundles(project, [path])
        merged += report.merged
        refused += report.refused
    return {"merged": merged, "refused": refused}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_run_ends_and_reports_as_its_bundles_one_at_a_time(team, hostile, data):
    genuine = [path for who in TEAM for path in team.bundles[who]]
    pool = genuine + list(hostile.values())
    paths = data.draw(st.lists(st.sampled_from(pool), min_size=2, max_size=9), label="run")
    with tempfile.TemporaryDirectory() as folder:
        together, alone = Path(folder) / "together.wbproj", Path(folder) / "alone.wbproj"
        shutil.copy(team.lead_path, together)
        shutil.copy(team.lead_path, alone)
        with Project.open(together) as one_run, Project.open(alone) as each:
            report = import_work_bundles(one_run, paths).to_json()
            assert report == _one_at_a_time(each, paths)
            assert _project_state(one_run) == _project_state(each)
            assert final_state(one_run, team) == final_state(each, team)
    for reason in (r["reason"] for r in report["refused"]):
        assert "Traceback" not in reason and reason.endswith(("refused", "refused)", "truncated"))


def test_the_run_refuses_each_hostile_bundle_with_its_sentence_and_goes_on(team, lead, hostile):
    paths = [hostile["garbage"], team.bundles["Huda"][-1], hostile["forged"], hostile["tampered"]]
    paths += [hostile["absurd"], team.bundles["Omar"][-1]]
    report = import_work_bundles(lead, paths)
    assert [m["annotator"] for m in report.merged] == ["Huda", "Omar"]
    reasons = {Path(r["path"]).name: r["reason"] for r in report.refused}
    assert "not a zip file" in reasons["garbage.wbb"]
    assert "signed by a different key" in reasons["forged.wbb"]
    assert "spans.jsonl was altered after the bundle was made" in reasons["tampered.wbb"]
    assert "sequence number 5000000 is absurd" in reasons["absurd.wbb"]
    assert layer(lead, "Omar", team.docs["Omar"]) == team.expected["Omar"][0]
    assert all(spans == [] for spans in layer(lead, "Salma", team.docs["Salma"]).values())


def test_the_first_keyed_bundles_of_an_annotator_in_one_run_pin_their_key_once(tmp_path):
    """The second and third bundles are checked before the first one's merge pinned the key."""
    lead = make_lead(tmp_path / "lead.wbproj")
    copy = open_copy(lead, "Salma", tmp_path)
    annotate_first_round(copy, "Salma")
    paths = [tmp_path / f"w{n}.wbb" for n in (1, 2, 3)]
    for path in paths:
        export_work_bundle(copy, path)
    copy.close()
    report = import_work_bundles(lead, paths)
    assert report.refused == []
    state = layer_owners.signing(lead.db, "Salma")
    assert [m["key_pinned_now"] for m in report.merged] == [True, False, False]
    assert [m["key_pinned_at"] for m in report.merged] == [state.pinned_at] * 3
    assert [m["nothing_changed"] for m in report.merged] == [False, False, False]
    assert [row[0] for row in lead.db.execute("SELECT action FROM changes WHERE action LIKE 'key.%'")] == ["key.pin"]
    lead.close()


def test_a_sequence_is_judged_against_the_bundles_merged_before_it_in_the_run(team, lead, tmp_path):
    """900,000 is within a million of nothing merged; 1,500,000 is within a million of 900,000
    only once the first is merged, after the second was checked."""
    members = good_members(team)
    first = archive.write_members(tmp_path / "first.wbb", resign(members, team.keys["Salma"], sequence=900_000))
    second = archive.write_members(tmp_path / "second.wbb", resign(members, team.keys["Salma"], sequence=1_500_000))
    report = import_work_bundles(lead, [first, second])
    assert report.refused == []
    assert [m["sequence"] for m in report.merged] == [900_000, 1_500_000]
    floor = lead.db.execute("SELECT MAX(sequence) FROM merged_work WHERE annotator = 'Salma'").fetchone()[0]
    assert floor == 1_500_000


def test_the_other_order_refuses_the_absurd_one_first(team, lead, tmp_path):
    members = good_members(team)
    first = archive.write_members(tmp_path / "first.wbb", resign(members, team.keys["Salma"], sequence=900_000))
    second = archive.write_members(tmp_path / "second.wbb", resign(members, team.keys["Salma"], sequence=1_500_000))
    report = import_work_bundles(lead, [second, first])
    assert [Path(r["path"]).name for r in report.refused] == ["second.wbb"]
    assert "is absurd" in report.refused[0]["reason"]
    assert [m["sequence"] for m in report.merged] == [900_000]


@pytest.mark.parametrize("change", ["key re-pinned", "document taken back", "label renamed"])
def test_a_change_made_by_another_connection_during_the_run_is_seen_by_the_merge(team, lead, snapshot, change):
    """Between two bundles of a run (the second may be checked already), another connection
    changes what the second's check read: its merge sees the change, as an import of it alone
    would, and refuses it with the same sentence; the first stays merged."""
    omar = team.bundles["Omar"][0]
    doc = team.docs["Omar"][0]

    def meddle(done: int, total: int, path: str) -> None:
        if done != 1:
            return
        other = sqlite3.connect(str(lead.path))
        try:
            with other:
                if change == "key re-pinned":
                    other.execute(
                        "UPDATE annotators SET public_key = ? WHERE name = 'Omar'",
                        [signing.public_key(signing.new_private_key())],
                    )
                elif change == "document taken back":
                    other.execute("DELETE FROM assignments WHERE annotator = 'Omar' AND doc_id = ?", [doc])
                else:
                    other.execute("PRAGMA foreign_keys = ON")
                    other.execute("UPDATE labels SET name = 'CASUALTIES' WHERE name = 'CASUALTY'")
        finally:
            other.close()

    report = import_work_bundles(lead, [team.bundles["Huda"][-1], omar], progress=meddle)
    assert [m["annotator"] for m in report.merged] == ["Huda"]
    reason = report.refused[0]["reason"]
    expected = {
        "key re-pinned": "signed by a different key",
        "document taken back": f"document {doc!r} is not assigned to Omar",
        "label renamed": "which the schema lacks",
    }[change]
    assert expected in reason, reason
    assert lead.db.execute("SELECT COUNT(*) FROM spans WHERE annotator = 'Omar'").fetchone()[0] == 0
    # Alone, into the project as it now is: the same sentence, nothing changed.
    before = snapshot(lead.path)
    assert import_work_bundles(lead, [omar]).refused[0]["reason"] == reason
    assert snapshot(lead.path) == before


def _open_files(path: Path) -> int:
    folder = Path("/proc/self/fd")
    count = 0
    for fd in folder.iterdir():
        try:
            if Path(os.readlink(fd)) == path:
                count += 1
        except OSError:
            pass
    return count


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see open files")
def test_a_cancelled_run_stops_its_check_ahead_and_closes_what_it_opened(team, lead):
    paths = [team.bundles["Huda"][-1], team.bundles["Omar"][-1], team.bundles["Salma"][-1]]
    merged: list[str] = []

    def cancelled() -> bool:
        merged.append("asked")
        return len(merged) > 1  # after the first bundle

    report = import_work_bundles(lead, paths, cancelled=cancelled)
    assert [m["annotator"] for m in report.merged] == ["Huda"] and report.refused == []
    assert not [t for t in threading.enumerate() if t.name.startswith("bundle-check")]
    assert all(_open_files(path.resolve()) == 0 for path in paths)
    assert lead.db.execute("SELECT COUNT(*) FROM spans WHERE annotator = 'Omar'").fetchone()[0] == 0


def test_a_run_that_fails_closes_its_check_ahead(team, lead):
    def progress(done: int, total: int, path: str) -> None:
        if done == 1:
            raise KeyboardInterrupt

    paths = [team.bundles["Huda"][-1], team.bundles["Omar"][-1], team.bundles["Salma"][-1]]
    with pytest.raises(KeyboardInterrupt):
        import_work_bundles(lead, paths, progress=progress)
    assert not [t for t in threading.enumerate() if t.name.startswith("bundle-check")]
    assert layer(lead, "Huda", team.docs["Huda"]) == team.expected["Huda"][0]
