"""A run of work bundles imported in one call ends, and reports, exactly as the same bundles
imported one call each (issue 16).

In a run, the next bundle is checked on a thread of its own (its own connection to the project)
while the one before it is merged. What that check read of the project may have changed by the
time its merge takes the write lock: the bundle before it pinned its annotator's key or raised
their sequence floor, or another connection changed the project meanwhile. The merge sees the
project as it is under the lock, as a bundle imported alone would.
"""

from __future__ import annotations

import contextlib
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


# --- what the review of the run found (each was a difference from one bundle at a time) ----------


def _with_line(team, folder: Path, name: str, member: str, extra: bytes) -> Path:
    """Salma's good bundle, signed again with her key, whose ``member``'s first line carries
    ``extra`` (a key the checks ignore): only how the line is read can refuse it."""
    members = dict(good_members(team))
    lines = members[member].split(b"\n")
    lines[0] = lines[0][:-1] + b", " + extra + b"}"
    members[member] = b"\n".join(lines)
    return archive.write_members(folder / name, resign(members, team.keys["Salma"]))


@pytest.mark.parametrize(
    ("extra", "refused"),
    [
        (b'"x": ' + b"[" * 512 + b"]" * 512, "nested too deeply to be read"),  # (in the row's object)
        (b'"n": 12345678901234567890, "x": ' + b"[" * 512 + b"]" * 512, "nested too deeply to be read"),
        (b'"x": ' + b"[" * 511 + b"]" * 511, None),
        (b'"n": 12345678901234567890, "x": ' + b"[" * 511 + b"]" * 511, None),
        (b'"n": 1' + b"0" * 5000, "holds a number too long to be read"),
    ],
    ids=["513 deep", "513 deep, read by json", "512 deep", "512 deep, read by json", "5001 digits"],
)
def test_how_a_line_is_read_does_not_depend_on_the_thread_that_reads_it(team, tmp_path, extra, refused):
    """How deep a line may nest (512) is the bundle's rule, not the reader's (json's limit depends
    on the stack of the thread it runs on; orjson's is 1024): alone or checked ahead in a run,
    the same bundle is merged or refused with the same sentence. A number Python cannot read is
    refused too, and the run goes on."""
    odd = _with_line(team, tmp_path, "odd.wbb", "statuses.jsonl", extra)
    results = []
    for paths in ([odd], [team.bundles["Huda"][-1], odd], [odd, team.bundles["Omar"][-1]]):
        copy = tmp_path / f"lead-{len(results)}.wbproj"
        shutil.copy(team.lead_path, copy)
        with Project.open(copy) as project:
            report = import_work_bundles(project, paths)
        results.append(
            ("merged" if any(m["annotator"] == "Salma" for m in report.merged) else "refused", report.refused)
        )
        assert len(report.merged) + len(report.refused) == len(paths)  # (the run went on)
    assert {outcome for outcome, _ in results} == {"refused" if refused else "merged"}
    if refused:
        assert len({reasons[0]["reason"] for _, reasons in results}) == 1
        assert refused in results[0][1][0]["reason"]


def test_a_manifest_with_half_a_character_is_refused_and_the_run_goes_on(team, lead, tmp_path):
    """JSON may escape a lone surrogate; the manifest's names go to SQLite, which takes only
    Unicode: refused with a sentence, before the project is asked anything."""
    made = []
    for name, change in (("other.wbb", {"annotator": "\ud800", "project_id": "another"}), ("doc.wbb", {})):
        members = dict(good_members(team))
        data = json.loads(members["manifest.json"])
        data.update(change)
        if not change:
            data["documents"] = {"\udc00": "0" * 64}
        members["manifest.json"] = json.dumps(data).encode()  # (ASCII escapes: the surrogate stays)
        made.append(archive.write_members(tmp_path / name, members))
    report = import_work_bundles(lead, [*made, team.bundles["Omar"][-1]])
    assert [m["annotator"] for m in report.merged] == ["Omar"]
    assert [r["reason"] for r in report.refused] == [
        f"{path.name}: the manifest holds text that is not Unicode (half a character); refused" for path in made
    ]


def test_the_project_file_itself_is_refused_as_a_bundle_and_the_project_is_unharmed(team, lead):
    """Reading the project file as a zip would open and close it from Python, which drops the
    locks SQLite holds on it: it is refused before it is opened, alone or in a run."""
    for paths in ([lead.path], [lead.path, team.bundles["Omar"][-1]]):
        report = import_work_bundles(lead, paths)
        assert report.refused == [
            {
                "path": str(lead.path),
                "reason": f"{lead.path.name} is this project's own file, not a work bundle; refused",
            }
        ]
    assert [m["annotator"] for m in report.merged] == ["Omar"]
    assert lead.db.execute("PRAGMA quick_check").fetchone()[0] == "ok"


def test_a_run_refuses_what_it_refuses_without_the_write_lock(team, lead, hostile):
    """A bundle refused by its check ahead is refused as one imported alone is, without taking
    the write lock: another program holding it does not stop the run."""
    holder = sqlite3.connect(str(lead.path), timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        report = import_work_bundles(lead, [hostile["forged"], hostile["absurd"], hostile["garbage"]])
    finally:
        holder.rollback()
        holder.close()
    assert report.merged == []
    assert [Path(r["path"]).name for r in report.refused] == ["forged.wbb", "absurd.wbb", "garbage.wbb"]


def test_a_stopped_look_ahead_gives_up_the_change_log_at_its_next_chunk(team):
    """A run that stops (cancelled, failed) waits for its look-ahead: the check of a change log
    (often the largest member) gives up at its next chunk instead of reading it to its end."""
    from workbench.core.bundles import work_bundle

    path = team.bundles["Omar"][-1]
    with work_bundle._open_bundle(Path("/nonexistent/lead.wbproj"), path, archive.MAX_BUNDLE_BYTES) as opened:
        manifest, _signed = work_bundle._manifest(opened)
        digest = manifest["members"][work_bundle.CHANGES]
        work_bundle._check_text(opened, work_bundle.CHANGES, digest, path.name, threading.Event())  # (reads it all)
        stop = threading.Event()
        stop.set()
        with pytest.raises(work_bundle._Stopped):
            work_bundle._check_text(opened, work_bundle.CHANGES, digest, path.name, stop)


def test_a_run_writes_what_the_triggers_and_the_foreign_keys_would_have(team, monkeypatch):
    """A run sets the spans' INSERT triggers aside in each merge and turns the foreign-key checks
    off for its connection (``spans.inserts_in_bulk``, ``Project.bulk_writes``): every round of
    the team's bundles merged so ends as the same run with the triggers left in place and the
    checks on: the same names logged, the same card state, the same project; and after it the
    checks are on again, nothing refers to what is not there, and the WAL is in the file."""
    from workbench.core.store import migrations
    from workbench.core.store import spans as span_store

    every = [path for who in TEAM for path in team.bundles[who]]
    with tempfile.TemporaryDirectory() as folder:
        fast, plain = Path(folder) / "fast.wbproj", Path(folder) / "plain.wbproj"
        shutil.copy(team.lead_path, fast)
        shutil.copy(team.lead_path, plain)
        with Project.open(fast) as project:
            fast_report = import_work_bundles(project, every).to_json()
            fast_state = _project_state(project), _names_and_card(project, migrations)
            assert project.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            assert project.db.execute("PRAGMA foreign_key_check").fetchall() == []
            busy, in_wal, copied = project.db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            assert (busy, in_wal - copied) == (0, 0)
        with monkeypatch.context() as patched:
            patched.setattr(span_store, "inserts_in_bulk", _left_in_place)
            patched.setattr(Project, "bulk_writes", _checks_kept(Project.bulk_writes))
            with Project.open(plain) as project:
                assert import_work_bundles(project, every).to_json() == fast_report
                assert (_project_state(project), _names_and_card(project, migrations)) == fast_state
    assert fast_report["merged"] and not fast_report["refused"]
    assert any(row[3] == 1 for row in fast_state[1][0])  # (names were logged)


def _names_and_card(project: Project, migrations) -> tuple:
    names = sorted(
        project.db.execute(f"SELECT text, label, canonical, sign FROM {migrations.NAMES_LOG_TABLE}").fetchall()
    )
    return names, project.db.execute(f"SELECT clean FROM {migrations.CARD_STATE_TABLE}").fetchone()[0]


@contextlib.contextmanager
def _left_in_place(db):
    yield False


def _checks_kept(real):
    def kept(self, references_checked=False):
        return real(self)

    return kept


def _copy_with_first_bundle(folder: Path) -> tuple[Project, Path]:
    from tests.test_bundles import doc_ids, words
    from workbench.core.actions import CreateSpan
    from workbench.core.store.spans import Span

    make_lead(folder / "lead.wbproj").close()
    copy = open_copy(Project.open(folder / "lead.wbproj"), "Salma", folder)
    first = doc_ids(copy)[0]
    start, end = words(copy, first)[3]
    CreateSpan(Span(first, "Salma", start, end, "ACTOR", {})).do(copy)
    export_work_bundle(copy, folder / "b1.wbb")
    with Project.open(folder / "lead.wbproj") as project:
        assert not import_work_bundles(project, [folder / "b1.wbb"]).refused
    return copy, folder / "lead.wbproj"


def test_a_merge_that_deletes_the_newest_span_still_logs_the_names_it_adds(tmp_path):
    """A merge that replaces a layer deletes spans; a span it adds may take the rowid of the one
    deleted (found by review): the names it gives are logged all the same, and the log read back
    is the names read whole."""
    from collections import Counter

    from tests.test_bundles import words
    from workbench.core.actions import CreateSpan, DeleteSpan
    from workbench.core.store import gazetteer
    from workbench.core.store import spans as span_store
    from workbench.core.store.spans import Span

    copy, lead_path = _copy_with_first_bundle(tmp_path)
    with Project.open(lead_path) as project:
        newest, doc = project.db.execute("SELECT id, doc_id FROM spans ORDER BY rowid DESC LIMIT 1").fetchone()
    DeleteSpan(span_store.get(copy.db, newest)).do(copy)
    start, end = words(copy, doc)[30]
    CreateSpan(Span(doc, "Salma", start, end, "ACTOR", {"canonical": "اسم جديد"})).do(copy)
    export_work_bundle(copy, tmp_path / "b2.wbb")
    copy.close()
    with Project.open(lead_path) as project:
        report = import_work_bundles(project, [tmp_path / "b2.wbb"])
        assert not report.refused and report.merged[0]["deleted"] == 1 and report.merged[0]["added"] == 1
        replayed: Counter = Counter()
        for text, label, canonical, sign in project.db.execute(
            "SELECT text, label, canonical, sign FROM given_names_log"
        ):
            replayed[text, label, canonical] += sign
        labels = [row[0] for row in project.db.execute("SELECT name FROM labels")]
        whole = Counter({(t, lab, c): n for t, lab, c, n in gazetteer.given_names(project.db, labels)})
        assert +replayed == +whole
        assert any(c == "اسم جديد" for _, _, c in whole)


@pytest.mark.parametrize("large", [False, True])
def test_a_span_id_taken_by_an_earlier_span_of_the_same_merge_names_its_own_document(tmp_path, monkeypatch, large):
    """The merge's transaction is taken back whole when a span's id is refused (``INSERT OR
    ROLLBACK``); the refusal still names the document of the span refused, not of another one
    written with it (found by review), whether the bundle is kept between its passes or read
    again (large)."""
    from tests.test_bundles import doc_ids, jsonl_bytes, jsonl_rows, read_zip, words
    from workbench.core.actions import CreateSpan
    from workbench.core.bundles import work_bundle
    from workbench.core.store.spans import Span

    if large:
        monkeypatch.setattr(work_bundle, "KEEP_CHECKED_BYTES", 0)
    copy, lead_path = _copy_with_first_bundle(tmp_path)
    first, second, third = doc_ids(copy)[:3]

    def add(doc: str, n: int) -> Span:
        start, end = words(copy, doc)[n]
        action = CreateSpan(Span(doc, "Salma", start, end, "ACTOR", {}))
        action.do(copy)
        return action.span

    taken = add(first, 5)
    add(second, 3)
    add(third, 3)
    add(third, 7)
    export_work_bundle(copy, tmp_path / "b2.wbb")
    key = copy.setting("signing_key")
    copy.close()
    members = read_zip(tmp_path / "b2.wbb")
    rows = jsonl_rows(members["spans.jsonl"])
    by_doc = {d: [r for r in rows if r["doc_id"] == d] for d in (first, second, third)}
    by_doc[third][-1]["id"] = taken.id  # the third document's last span takes the first's new id
    members["spans.jsonl"] = jsonl_bytes(by_doc[first] + by_doc[second] + by_doc[third])
    bad = archive.write_members(tmp_path / "bad.wbb", resign(members, key))
    with Project.open(lead_path) as project:
        before = _project_state(project)
        report = import_work_bundles(project, [bad])
        assert [r["reason"] for r in report.refused] == [
            f"bad.wbb: a span id in {third!r} is already used by another layer; refused"
        ]
        assert _project_state(project) == before
        assert project.db.execute("SELECT name FROM sqlite_temp_master").fetchall() == []


def test_a_run_inside_the_callers_transaction_is_refused_and_changes_nothing(team):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lead.wbproj"
        shutil.copy(team.lead_path, path)
        with Project.open(path) as project:
            before = _project_state(project)
            with pytest.raises(RuntimeError, match="one transaction each"), project.transaction():
                import_work_bundles(project, [team.bundles[TEAM[0]][0]])
            assert _project_state(project) == before
