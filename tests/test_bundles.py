"""Team work through bundles (issue 4): assignment, project bundles out, work bundles back.

Real project files on disk, the same core actions the window uses, real zip files.
Refused bundles must say why in words and leave the lead's database exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import struct
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.actions import CreateSpan, DeleteSpan, EditSpan, SetStatus
from workbench.core.assign import AssignError, assign_balanced, assign_by_hand, assigned, team_progress
from workbench.core.bundles import FORMAT_VERSION, archive, signing
from workbench.core.bundles import manifest as manifest_mod
from workbench.core.bundles.archive import BundleError
from workbench.core.bundles.project_bundle import (
    export_project_bundle,
    open_project_bundle,
)
from workbench.core.bundles.work_bundle import export_work_bundle, import_work_bundles, repin
from workbench.core.importer import import_paths
from workbench.core.store import annotators as layer_owners
from workbench.core.store import documents
from workbench.core.store import spans as span_store
from workbench.core.store import status as doc_status
from workbench.core.store.project import Project, is_annotator_copy
from workbench.core.store.spans import Span
from workbench.resources import sample_corpus_files

TEAM = ["Salma", "Omar", "Huda"]
WORD = re.compile(r"[\u0621-\u064A][\u0621-\u0652]*")


# --- helpers ---------------------------------------------------------------------------------


def make_lead(path: Path, annotators=TEAM, k: int = 2, seed: int = 7, name: str = "lead") -> Project:
    lead = Project.create(path, name=name)
    assert len(import_paths(lead, list(sample_corpus_files())).imported) == 5
    for who in annotators:
        lead.add_annotator(who)
    if k:
        assign_balanced(lead, list(annotators), k=k, seed=seed)
    return lead


def snapshot_of(path: Path) -> list[str]:
    conn = sqlite3.connect(str(path))
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def doc_ids(project: Project) -> list[str]:
    return [row[0] for row in project.db.execute("SELECT id FROM documents ORDER BY rowid")]


def words(project: Project, doc_id: str) -> list[tuple[int, int]]:
    """Whole Arabic words (with their harakat) of the stored text, as [start, end)."""
    text = documents.get(project.db, doc_id).text
    return [(m.start(), m.end()) for m in WORD.finditer(text) if len(m.group()) > 2]


def layer(project: Project, annotator: str, docs=None) -> dict[str, list[tuple]]:
    """An annotator's spans per document, timestamps left out."""
    out = {}
    for doc_id in docs if docs is not None else doc_ids(project):
        out[doc_id] = sorted(
            (s.id, s.start, s.end, s.label, json.dumps(s.attributes, sort_keys=True), s.note, s.unsure)
            for s in span_store.for_document(project.db, doc_id, annotator)
        )
    return out


def statuses(project: Project, annotator: str, docs=None) -> dict[str, str]:
    return {d: doc_status.get(project.db, d, annotator) for d in (docs if docs is not None else doc_ids(project))}


def open_copy(lead: Project, annotator: str, folder: Path) -> Project:
    bundle = folder / f"{annotator}.project.wbb"
    export_project_bundle(lead, annotator, bundle)
    return open_project_bundle(bundle, folder / f"{annotator}.wbproj")


def annotate_first_round(copy: Project, annotator: str, shift: int = 0) -> list[Span]:
    """Three spans on each of the annotator's documents, through the core actions."""
    made = []
    for number, doc_id in enumerate(doc_ids(copy)):
        positions = words(copy, doc_id)
        plan = [
            ("ACTOR", {"canonical": f"actor {number}"}, "", False),
            ("LOCATION", {"canonical": "مصراتة"}, "ملاحظة", False),
            ("CASUALTY", {"count": 4, "kind": "killed"}, "", True),
        ]
        for index, (label, attrs, note, unsure) in enumerate(plan):
            start, end = positions[3 * index + shift + number]
            action = CreateSpan(Span(doc_id, annotator, start, end, label, attrs, note, unsure))
            action.do(copy)
            made.append(action.span)
    return made


def current(copy: Project, span_id: str) -> Span:
    found = span_store.get(copy.db, span_id)
    assert found is not None
    return found


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return path


def resign(members: dict[str, bytes], key: str | None, sign: bool = True, **manifest_changes) -> dict[str, bytes]:
    """A bundle rebuilt by hand: member hashes recomputed, manifest changed, re-signed with the
    private ``key`` (its manifest naming that key, unless ``signer`` is among the changes)."""
    members = dict(members)
    data = json.loads(members["manifest.json"])
    data["members"] = {
        name: hashlib.sha256(body).hexdigest()
        for name, body in sorted(members.items())
        if name not in ("manifest.json", "signature")
    }
    if sign and key is not None:
        data["signer"] = {"scheme": signing.ED25519, "public_key": signing.public_key(key)}
    data.update(manifest_changes)
    raw = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    members["manifest.json"] = raw
    if sign:
        assert key is not None
        members["signature"] = signing.sign(raw, key)
    return members


def jsonl_rows(data: bytes) -> list[dict]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]


def jsonl_bytes(rows: list[dict]) -> bytes:
    return manifest_mod.jsonl(rows)


# --- assignment -------------------------------------------------------------------------------


@pytest.mark.parametrize("names,k", [(TEAM, 2), (TEAM, 1), (TEAM, 3), (["A", "B", "C", "D"], 2), (["A", "B"], 1)])
def test_balanced_assignment_gives_every_document_k_annotators_evenly(tmp_path, names, k):
    lead = make_lead(tmp_path / "lead.wbproj", annotators=names, k=0)
    report = assign_balanced(lead, names, k=k, seed=3)
    per_doc: dict[str, list[str]] = {}
    for name, docs in assigned(lead).items():
        for doc_id in docs:
            per_doc.setdefault(doc_id, []).append(name)
    assert sorted(per_doc) == doc_ids(lead)
    assert all(len(who) == k == len(set(who)) for who in per_doc.values())
    loads = [len(assigned(lead, name).get(name, [])) for name in names]
    assert sum(loads) == 5 * k and max(loads) - min(loads) <= 1
    assert report.added == 5 * k and report.documents == 5
    assert report.per_annotator == {n: c for n, c in zip(names, loads) if c}
    # Running it again tops up nothing: every document already has k annotators.
    before = assigned(lead)
    again = assign_balanced(lead, names, k=k, seed=99)
    assert again.added == 0 and assigned(lead) == before
    lead.close()


def test_assignment_is_reproducible_from_its_seed(tmp_path):
    def assignment(folder: str, seed: int) -> dict:
        with make_lead(tmp_path / folder / "lead.wbproj", k=0) as lead:
            assign_balanced(lead, TEAM, k=2, seed=seed)
            return assigned(lead)

    assert assignment("a", 7) == assignment("b", 7)
    different = {json.dumps(assignment(f"s{seed}", seed), sort_keys=True) for seed in range(6)}
    assert len(different) > 1  # other seeds may (and some do) give other assignments


def test_assignment_refusals_change_nothing(project, project_path, snapshot):
    import_paths(project, list(sample_corpus_files()))
    for who in TEAM:
        project.add_annotator(who)
    before = snapshot(project_path)
    cases = [
        (lambda: assign_balanced(project, ["Salma", "Nobody"], k=1), "not annotators of this project: Nobody"),
        (lambda: assign_balanced(project, TEAM, k=4), "k must be between 1 and the number of annotators (3)"),
        (lambda: assign_balanced(project, TEAM, k=0), "k must be between 1"),
        (lambda: assign_balanced(project, ["Salma", "Salma"], k=1), "named twice"),
        (lambda: assign_by_hand(project, ["nope"], "Omar"), "no such documents: nope"),
        (lambda: assign_by_hand(project, doc_ids(project)[:1], "Nobody"), "not annotators of this project"),
    ]
    for call, message in cases:
        with pytest.raises(AssignError) as info:
            call()
        assert message in str(info.value)
    assert snapshot(project_path) == before


def test_assignment_by_hand_and_team_progress(tmp_path):
    lead = make_lead(tmp_path / "lead.wbproj", k=0)
    docs = doc_ids(lead)
    report = assign_by_hand(lead, docs[:3], "Omar")
    assert report.added == 3 and assigned(lead, "Omar") == {"Omar": docs[:3]}
    assert assign_by_hand(lead, docs[:2], "Omar").added == 0  # already assigned: kept, not doubled
    assign_by_hand(lead, docs[2:], "Salma")
    SetStatus(docs[0], "Omar", "done", "lead").do(lead)
    SetStatus(docs[1], "Omar", "in-progress", "lead").do(lead)
    SetStatus(docs[0], "Salma", "done", "lead").do(lead)  # not assigned to Salma: not counted
    SetStatus(docs[4], "Salma", "in-progress", "lead").do(lead)
    assert team_progress(lead) == [
        {"annotator": "Salma", "assigned": 3, "not-started": 2, "in-progress": 1, "done": 0},
        {"annotator": "Omar", "assigned": 3, "not-started": 1, "in-progress": 1, "done": 1},
        {"annotator": "Huda", "assigned": 0, "not-started": 0, "in-progress": 0, "done": 0},
    ]
    lead.close()


# --- project bundles ----------------------------------------------------------------------------


def test_project_bundle_holds_the_annotators_documents_and_own_work_only(tmp_path):
    lead = make_lead(tmp_path / "lead.wbproj")
    lead.set_setting("guidelines", "ضع العلامة على الكلمة كاملة.")
    salma_docs = assigned(lead, "Salma")["Salma"]
    omar_docs = assigned(lead, "Omar")["Omar"]
    shared = next(d for d in salma_docs if d in omar_docs)
    not_salmas = [d for d in doc_ids(lead) if d not in salma_docs]
    assert not_salmas  # the blindness check below means something

    # The lead holds Omar's work (spans, a note, a status) on a document shared with Salma,
    # and one of Salma's own spans (as after an earlier merge).
    (s1, e1), (s2, e2), (s3, e3) = words(lead, shared)[:3]
    omar_spans = []
    for start, end in ((s1, e1), (s2, e2)):
        action = CreateSpan(Span(shared, "Omar", start, end, "ACTOR", {"canonical": "OMARS-ACTOR"}, "OMARS-NOTE"))
        action.do(lead)
        omar_spans.append(action.span)
    SetStatus(shared, "Omar", "done", "lead").do(lead)
    salma_own = CreateSpan(Span(shared, "Salma", s3, e3, "LOCATION", {"canonical": "طرابلس"}), actor="lead")
    salma_own.do(lead)

    bundle = tmp_path / "salma.wbb"
    summary = export_project_bundle(lead, "Salma", bundle)
    assert summary.documents == len(salma_docs) and summary.spans == 1

    members = read_zip(bundle)
    assert set(members) == {
        "manifest.json",
        "signature",
        "schema.json",
        "identity.json",
        "documents.jsonl",
        "spans.jsonl",
        "statuses.jsonl",
    }
    for name, data in members.items():
        assert b"Omar" not in data and b"OMARS-" not in data, name
        for span in omar_spans:
            assert span.id.encode() not in data, name
    for doc_id in not_salmas:
        text = documents.get(lead.db, doc_id).text
        assert not any(text.encode("utf-8") in data for data in members.values())
    assert [row["id"] for row in jsonl_rows(members["documents.jsonl"])] == salma_docs
    assert [row["id"] for row in jsonl_rows(members["spans.jsonl"])] == [salma_own.span.id]
    identity = json.loads(members["identity.json"])
    # No secret travels any more: the bundle is signed by the lead's key, which the copy pins.
    assert identity == {"annotator": "Salma", "sequence_floor": 0}
    lead_key = signing.public_key(lead.setting("signing_key"))
    assert json.loads(members["manifest.json"])["signer"] == {"scheme": "ed25519", "public_key": lead_key}
    assert signing.verifies(members["manifest.json"], members["signature"], lead_key)
    assert not any(lead.setting("signing_key").encode() in data for data in members.values())
    schema = json.loads(members["schema.json"])
    assert schema["guidelines"] == "ضع العلامة على الكلمة كاملة."
    assert [label["name"] for label in schema["labels"]] == ["ACTOR", "LOCATION", "CASUALTY", "DATE"]
    manifest = json.loads(members["manifest.json"])
    assert manifest["kind"] == "project" and manifest["annotator"] == "Salma"
    assert manifest["project_id"] == lead.setting("project_id")
    assert set(manifest["documents"]) == set(salma_docs)

    copy = open_project_bundle(bundle, tmp_path / "salma.wbproj")
    assert is_annotator_copy(copy) and copy.current_annotator == "Salma"
    assert copy.annotators() == ["Salma"]
    assert doc_ids(copy) == salma_docs
    for doc_id in salma_docs:
        assert documents.get(copy.db, doc_id).text == documents.get(lead.db, doc_id).text
    assert copy.db.execute("SELECT DISTINCT annotator FROM spans").fetchall() == [("Salma",)]
    assert [s.id for s in span_store.for_document(copy.db, shared)] == [salma_own.span.id]
    assert copy.db.execute("SELECT COUNT(*) FROM doc_status WHERE annotator != 'Salma'").fetchone()[0] == 0
    dump = "\n".join(snapshot_of(copy.path))
    assert "Omar" not in dump and "OMARS-" not in dump
    assert copy.setting("guidelines") == "ضع العلامة على الكلمة كاملة."
    assert copy.setting("project_id") == lead.setting("project_id")
    copy.close()
    lead.close()


def test_project_bundle_refusals(tmp_path, snapshot):
    lead = make_lead(tmp_path / "lead.wbproj", k=0)
    lead.add_annotator("Idle")
    assign_by_hand(lead, doc_ids(lead)[:2], "Salma")
    before = snapshot(lead.path)
    with pytest.raises(BundleError, match="'Nobody' is not an annotator of this project"):
        export_project_bundle(lead, "Nobody", tmp_path / "x.wbb")
    with pytest.raises(BundleError, match="no documents are assigned to Idle"):
        export_project_bundle(lead, "Idle", tmp_path / "x.wbb")
    assert not (tmp_path / "x.wbb").exists()
    with pytest.raises(BundleError, match="not an annotator's copy"):
        export_work_bundle(lead, tmp_path / "w.wbb")
    assert snapshot(lead.path) == before

    # A project bundle opened over another project's file is refused, and the file is kept.
    export_project_bundle(lead, "Salma", tmp_path / "salma.wbb")
    other = make_lead(tmp_path / "other.wbproj", k=0)
    other.close()
    other_before = snapshot(tmp_path / "other.wbproj")
    with pytest.raises(BundleError, match="another project or another annotator's copy"):
        open_project_bundle(tmp_path / "salma.wbb", tmp_path / "other.wbproj")
    assert snapshot(tmp_path / "other.wbproj") == other_before
    # A damaged project bundle makes no file at all.
    (tmp_path / "bad.wbb").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(BundleError, match="not a zip file, or truncated"):
        open_project_bundle(tmp_path / "bad.wbb", tmp_path / "new.wbproj")
    assert not (tmp_path / "new.wbproj").exists()
    lead.close()


def test_reissued_project_bundle_updates_the_copy_and_keeps_the_work(tmp_path):
    lead = make_lead(tmp_path / "lead.wbproj", k=0)
    docs = doc_ids(lead)
    assign_by_hand(lead, docs[:2], "Salma")
    copy = open_copy(lead, "Salma", tmp_path)
    made = annotate_first_round(copy, "Salma")
    work = layer(copy, "Salma")
    copy.close()

    assign_by_hand(lead, docs[2:3], "Salma")
    lead.set_setting("guidelines", "new guidelines")
    export_project_bundle(lead, "Salma", tmp_path / "again.wbb")
    copy = open_project_bundle(tmp_path / "again.wbb", tmp_path / "Salma.wbproj")
    assert doc_ids(copy) == docs[:3]
    assert copy.setting("guidelines") == "new guidelines"
    assert {k: v for k, v in layer(copy, "Salma").items() if k in work} == work
    assert len(made) == 6 and all(span_store.get(copy.db, s.id) for s in made)
    copy.close()
    lead.close()


# --- work bundles: export, merge, supersede ------------------------------------------------------


def test_work_bundle_is_signed_and_carries_only_the_annotators_work(tmp_path):
    lead = make_lead(tmp_path / "lead.wbproj")
    copy = open_copy(lead, "Salma", tmp_path)
    made = annotate_first_round(copy, "Salma")
    DeleteSpan(made[0]).do(copy)
    summary = export_work_bundle(copy, tmp_path / "w1.wbb")
    assert (summary.annotator, summary.sequence, summary.spans, summary.deleted) == ("Salma", 1, len(made) - 1, 1)
    members = read_zip(tmp_path / "w1.wbb")
    assert set(members) == {
        "manifest.json",
        "signature",
        "spans.jsonl",
        "deleted.jsonl",
        "statuses.jsonl",
        "changes.jsonl",
    }
    own_key = signing.public_key(copy.setting("signing_key"))
    assert signing.verifies(members["manifest.json"], members["signature"], own_key)
    assert json.loads(members["manifest.json"])["signer"]["public_key"] == own_key
    assert summary.fingerprint == signing.fingerprint(own_key)
    assert not any(copy.setting("signing_key").encode() in data for data in members.values())
    manifest = json.loads(members["manifest.json"])
    assert manifest["kind"] == "work" and manifest["sequence"] == 1 and manifest["format_version"] == FORMAT_VERSION
    assert {row["annotator"] for row in jsonl_rows(members["spans.jsonl"])} == {"Salma"}
    assert [row["id"] for row in jsonl_rows(members["deleted.jsonl"])] == [made[0].id]
    assert export_work_bundle(copy, tmp_path / "w2.wbb").sequence == 2
    copy.close()
    lead.close()


def test_importing_the_same_bundle_twice_changes_nothing(tmp_path, snapshot):
    lead = make_lead(tmp_path / "lead.wbproj")
    copy = open_copy(lead, "Salma", tmp_path)
    made = annotate_first_round(copy, "Salma")
    SetStatus(doc_ids(copy)[0], "Salma", "done").do(copy)
    export_work_bundle(copy, tmp_path / "w1.wbb")
    first = import_work_bundles(lead, [tmp_path / "w1.wbb"])
    assert (
        first.refused == []
        and first.merged[0]["added"] == len(made) == 3 * len(doc_ids(copy))
        and first.merged[0]["statuses"] >= 1
    )
    assert layer(lead, "Salma", doc_ids(copy)) == layer(copy, "Salma")
    before = snapshot(lead.path)
    second = import_work_bundles(lead, [tmp_path / "w1.wbb", tmp_path / "w1.wbb"])
    assert second.refused == []
    assert [m["skipped_older"] for m in second.merged] == [len(doc_ids(copy))] * 2
    assert all(m["added"] == m["updated"] == m["deleted"] == m["documents"] == 0 for m in second.merged)
    assert snapshot(lead.path) == before
    copy.close()
    lead.close()


def test_newer_bundle_supersedes_and_older_never_overwrites(tmp_path):
    lead = make_lead(tmp_path / "lead.wbproj")
    lead.close()
    copy = open_copy(Project.open(tmp_path / "lead.wbproj"), "Salma", tmp_path)
    made = annotate_first_round(copy, "Salma")
    export_work_bundle(copy, tmp_path / "old.wbb")
    old_state = layer(copy, "Salma")
    # Edit one span, delete another, add one, finish a document.
    EditSpan(current(copy, made[0].id), label="LOCATION", attributes={"canonical": "سرت"}, note="relabelled").do(copy)
    DeleteSpan(current(copy, made[1].id)).do(copy)
    first_doc = doc_ids(copy)[0]
    start, end = words(copy, first_doc)[40]
    CreateSpan(Span(first_doc, "Salma", start, end, "DATE", {"value": "2019-04-05"})).do(copy)
    SetStatus(first_doc, "Salma", "done").do(copy)
    export_work_bundle(copy, tmp_path / "new.wbb")
    new_state, new_status = layer(copy, "Salma"), statuses(copy, "Salma")
    assert new_state != old_state
    docs = doc_ids(copy)
    copy.close()

    # Lead A: old then new. Lead B: new then old. Both end with the newer work.
    for order, folder in (
        ((tmp_path / "old.wbb", tmp_path / "new.wbb"), "a"),
        ((tmp_path / "new.wbb", tmp_path / "old.wbb"), "b"),
    ):
        (tmp_path / folder).mkdir()
        shutil.copy(tmp_path / "lead.wbproj", tmp_path / folder / "lead.wbproj")
        with Project.open(tmp_path / folder / "lead.wbproj") as lead_copy:
            report = import_work_bundles(lead_copy, list(order))
            assert report.refused == []
            assert layer(lead_copy, "Salma", docs) == new_state
            assert statuses(lead_copy, "Salma", docs) == new_status
            assert span_store.get(lead_copy.db, made[1].id) is None  # the deletion reached the lead
            if folder == "a":
                assert report.merged[1]["deleted"] == 1 and report.merged[1]["updated"] == 1
                assert report.merged[1]["added"] == 1
            else:
                assert report.merged[1]["skipped_older"] == len(docs) and report.merged[1]["documents"] == 0


def test_round_trip_with_three_annotators(tmp_path):
    lead = make_lead(tmp_path / "lead.wbproj")
    expected, expected_status, bundles, mine = {}, {}, [], {}
    for shift, who in enumerate(TEAM):
        folder = tmp_path / who
        folder.mkdir()
        copy = open_copy(lead, who, folder)
        mine[who] = assigned(lead, who)[who]
        assert doc_ids(copy) == mine[who]
        made = annotate_first_round(copy, who, shift=shift)
        EditSpan(current(copy, made[2].id), start=made[2].start, end=words(copy, made[2].doc_id)[30][1]).do(copy)
        EditSpan(current(copy, made[3].id), attributes={"canonical": f"{who}'s place"}, unsure=True).do(copy)
        DeleteSpan(current(copy, made[-1].id)).do(copy)
        SetStatus(mine[who][0], who, "done").do(copy)
        if shift == 1:
            SetStatus(mine[who][1], who, "not-started").do(copy)
        export_work_bundle(copy, folder / "work.wbb")
        bundles.append(folder / "work.wbb")
        expected[who], expected_status[who] = layer(copy, who), statuses(copy, who)
        copy.close()

    report = import_work_bundles(lead, bundles)
    assert report.refused == [] and [m["annotator"] for m in report.merged] == TEAM
    for who in TEAM:
        assert layer(lead, who, mine[who]) == expected[who]
        assert statuses(lead, who, mine[who]) == expected_status[who]
        # nothing of theirs landed on documents they were not given
        others = [d for d in doc_ids(lead) if d not in mine[who]]
        assert all(not spans for spans in layer(lead, who, others).values())
    by_name = {row["annotator"]: row for row in team_progress(lead)}
    for who in TEAM:
        values = list(expected_status[who].values())
        assert by_name[who] == {
            "annotator": who,
            "assigned": len(mine[who]),
            "not-started": values.count("not-started"),
            "in-progress": values.count("in-progress"),
            "done": values.count("done"),
        }
    assert by_name["Omar"]["not-started"] == 1 and all(by_name[w]["done"] == 1 for w in TEAM)

    # The next round: a re-issued bundle gives Salma her merged work (and only hers) back,
    # and a copy made from it on a new laptop continues the sequence, so its work is newer.
    export_project_bundle(lead, "Salma", tmp_path / "salma-again.wbb")
    laptop = open_project_bundle(tmp_path / "salma-again.wbb", tmp_path / "laptop.wbproj")
    assert layer(laptop, "Salma") == expected["Salma"]
    assert laptop.db.execute("SELECT COUNT(*) FROM spans WHERE annotator != 'Salma'").fetchone()[0] == 0
    victim = laptop.db.execute("SELECT id FROM spans LIMIT 1").fetchone()[0]
    DeleteSpan(current(laptop, victim)).do(laptop)
    summary = export_work_bundle(laptop, tmp_path / "laptop.wbb")
    assert summary.sequence == 2
    expected_after = layer(laptop, "Salma")
    laptop.close()
    # A new laptop made a new key: the lead refuses it until Salma reads out its fingerprint.
    (refusal,) = import_work_bundles(lead, [tmp_path / "laptop.wbb"]).refused
    assert "signed by a different key than the one pinned for Salma" in refusal["reason"]
    assert f'--fingerprint "{summary.fingerprint}"' in refusal["reason"]
    repin(lead, tmp_path / "laptop.wbb", summary.fingerprint.upper().replace(" ", ""))
    assert import_work_bundles(lead, [tmp_path / "laptop.wbb"]).merged[0]["deleted"] == 1
    assert layer(lead, "Salma", mine["Salma"]) == expected_after
    lead.close()


# --- refusals: one bad bundle each, the lead's database untouched --------------------------------


@dataclass
class Team:
    root: Path
    lead_path: Path
    bundles: dict[str, list[Path]]  # annotator -> successive work bundles, oldest first
    expected: dict[str, tuple[dict, dict]]  # annotator -> (layer, statuses) after the last bundle
    docs: dict[str, list[str]]
    keys: dict[str, str]  # annotator -> the private key of their copy (what only they hold)
    omar_span_ids: list[str]


@pytest.fixture(scope="module")
def team(tmp_path_factory) -> Team:
    """A lead project (closed) and successive work bundles from three annotators, made once."""
    root = tmp_path_factory.mktemp("team")
    lead = make_lead(root / "lead.wbproj")
    bundles, expected, docs = {}, {}, {}
    copies = {}
    for who in TEAM:
        folder = root / who
        folder.mkdir()
        copies[who] = open_copy(lead, who, folder)
        docs[who] = doc_ids(copies[who])
    keys = {who: copies[who].setting("signing_key") for who in TEAM}
    with lead.transaction() as db:  # as if each annotator's first bundle had been merged: keys pinned
        for who in TEAM:
            layer_owners.pin_key(db, who, signing.public_key(keys[who]))
    lead.close()

    def emit(who: str) -> None:
        path = root / who / f"work-{len(bundles.setdefault(who, [])) + 1}.wbb"
        export_work_bundle(copies[who], path)
        bundles[who].append(path)
        expected[who] = (layer(copies[who], who), statuses(copies[who], who))

    # Salma: three bundles, with edits, deletions, an undone deletion and status changes between.
    salma = copies["Salma"]
    made = annotate_first_round(salma, "Salma")
    emit("Salma")
    EditSpan(current(salma, made[0].id), label="LOCATION", attributes={"canonical": "بنغازي"}).do(salma)
    DeleteSpan(current(salma, made[1].id)).do(salma)
    start, end = words(salma, docs["Salma"][1])[50]
    extra = CreateSpan(Span(docs["Salma"][1], "Salma", start, end, "DATE", {"value": "2019-04"}, "", True))
    extra.do(salma)
    SetStatus(docs["Salma"][0], "Salma", "done").do(salma)
    emit("Salma")
    DeleteSpan(current(salma, extra.span.id)).do(salma)
    undone = DeleteSpan(current(salma, made[4].id))
    undone.do(salma)
    undone.undo(salma)
    EditSpan(current(salma, made[2].id), start=made[2].start, end=made[2].end, note="checked").do(salma)
    SetStatus(docs["Salma"][0], "Salma", "in-progress").do(salma)
    SetStatus(docs["Salma"][1], "Salma", "done").do(salma)
    emit("Salma")
    # Omar: two bundles.
    omar = copies["Omar"]
    made = annotate_first_round(omar, "Omar", shift=1)
    emit("Omar")
    DeleteSpan(current(omar, made[0].id)).do(omar)
    EditSpan(current(omar, made[5].id), attributes={"count": "10-15", "kind": "injured", "approximate": True}).do(omar)
    SetStatus(docs["Omar"][-1], "Omar", "done").do(omar)
    emit("Omar")
    omar_span_ids = [row[0] for row in omar.db.execute("SELECT id FROM spans")]
    # Huda: one bundle.
    annotate_first_round(copies["Huda"], "Huda", shift=2)
    emit("Huda")
    for copy in copies.values():
        copy.close()
    return Team(root, root / "lead.wbproj", bundles, expected, docs, keys, omar_span_ids)


@pytest.fixture
def lead(team, tmp_path):
    path = tmp_path / "lead.wbproj"
    shutil.copy(team.lead_path, path)
    project = Project.open(path)
    yield project
    project.close()


def refused(lead: Project, snapshot, bundle: Path, *phrases: str) -> str:
    """Import ``bundle``: it must be refused with every phrase in its reason, changing nothing."""
    before = snapshot(lead.path)
    report = import_work_bundles(lead, [bundle])
    assert report.merged == [], report.merged
    assert len(report.refused) == 1 and report.refused[0]["path"] == str(bundle)
    reason = report.refused[0]["reason"]
    for phrase in phrases:
        assert phrase in reason, reason
    assert "Traceback" not in reason
    assert snapshot(lead.path) == before
    return reason


def good_members(team: Team, who: str = "Salma") -> dict[str, bytes]:
    return archive.read_members(
        team.bundles[who][-1],
        {"manifest.json", "signature", "spans.jsonl", "deleted.jsonl", "statuses.jsonl", "changes.jsonl"},
    )


def test_the_valid_bundles_are_accepted(team, lead):
    # The baseline for the refusals below: the unmodified bundle merges, and so does a rebuilt one.
    rebuilt = archive.write_members(team.root / "rebuilt.wbb", resign(good_members(team), team.keys["Salma"]))
    report = import_work_bundles(lead, [rebuilt])
    assert report.refused == [] and layer(lead, "Salma", team.docs["Salma"]) == team.expected["Salma"][0]


def test_refuses_random_bytes(team, lead, snapshot, tmp_path):
    bad = tmp_path / "random.wbb"
    bad.write_bytes(bytes(range(256)) * 40)
    refused(lead, snapshot, bad, "random.wbb is not a bundle: not a zip file, or truncated")


def test_refuses_empty_file_and_missing_file(team, lead, snapshot, tmp_path):
    empty = tmp_path / "empty.wbb"
    empty.write_bytes(b"")
    refused(lead, snapshot, empty, "not a zip file")
    refused(lead, snapshot, tmp_path / "missing.wbb", "no such bundle file")


def test_refuses_a_truncated_zip(team, lead, snapshot, tmp_path):
    data = team.bundles["Salma"][-1].read_bytes()
    cut = tmp_path / "cut.wbb"
    cut.write_bytes(data[: len(data) // 2])
    refused(lead, snapshot, cut, "cut.wbb is not a bundle: not a zip file, or truncated")


def test_refuses_a_corrupt_member(team, lead, snapshot, tmp_path):
    """A flipped byte inside a compressed member (the central directory intact): CRC or inflate error."""
    members = good_members(team)
    path = tmp_path / "flipped.wbb"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    raw = bytearray(path.read_bytes())
    offset = raw.index(b'"annotator"')  # inside the stored spans.jsonl (or manifest)
    raw[offset + 3] ^= 0xFF
    path.write_bytes(bytes(raw))
    refused(lead, snapshot, path, "flipped.wbb is damaged")


def _patched(team: Team, path: Path, patch) -> Path:
    """A well-made zip of the good members, then ``patch(raw, central, local)`` on its bytes
    (offsets of spans.jsonl's central directory entry and local header)."""
    write_zip(path, good_members(team))
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("spans.jsonl")
    local = info.header_offset
    central = raw.index(b"spans.jsonl", raw.index(b"PK\x01\x02")) - 46
    assert raw[central : central + 4] == b"PK\x01\x02" and raw[local : local + 4] == b"PK\x03\x04"
    patch(raw, central, local)
    path.write_bytes(bytes(raw))
    return path


def test_refuses_a_broken_deflate_stream(team, lead, snapshot, tmp_path):
    def garble(raw, central, local):
        name_length, extra_length = struct.unpack_from("<HH", raw, local + 26)
        data = local + 30 + name_length + extra_length
        raw[data : data + 4] = b"\xff\xff\xff\xff"  # deflate block type 3: invalid

    bad = _patched(team, tmp_path / "deflate.wbb", garble)
    refused(lead, snapshot, bad, "deflate.wbb is damaged (spans.jsonl")


def test_refuses_zip_features_a_bundle_never_uses(team, lead, snapshot, tmp_path):
    def encrypted(raw, central, local):
        raw[central + 8] |= 1
        raw[local + 6] |= 1

    refused(lead, snapshot, _patched(team, tmp_path / "encrypted.wbb", encrypted), "encrypted.wbb is damaged")

    def future_zip(raw, central, local):
        struct.pack_into("<H", raw, central + 6, 99)  # version needed to extract: 9.9

    refused(
        lead,
        snapshot,
        _patched(team, tmp_path / "zipver.wbb", future_zip),
        "zipver.wbb is damaged or not a Workbench bundle",
    )


def test_refuses_a_zip_bomb(team, lead, snapshot, tmp_path):
    members = good_members(team)
    members["spans.jsonl"] = b"\n" * (50 * 1024 * 1024)
    bomb = write_zip(tmp_path / "bomb.wbb", members)
    assert bomb.stat().st_size < 1024 * 1024
    refused(lead, snapshot, bomb, "absurd compression ratio")


def test_refuses_forged_member_sizes(team, lead, snapshot, tmp_path):
    """Sizes in the central directory that lie: huge (a bomb in disguise) or smaller than the data."""

    def forge(name: str, size: int) -> Path:
        path = write_zip(tmp_path / name, good_members(team))
        raw = bytearray(path.read_bytes())
        central = raw.index(b"PK\x01\x02")  # the first central directory entry
        struct.pack_into("<I", raw, central + 24, size)  # its uncompressed size
        path.write_bytes(bytes(raw))
        return path

    refused(lead, snapshot, forge("huge.wbb", 0xFFFF_FF00), "huge.wbb")
    small = refused(lead, snapshot, forge("small.wbb", 10), "small.wbb")
    assert "damaged" in small or "altered" in small or "not valid JSON" in small


@pytest.mark.parametrize(
    "name", ["../spans.jsonl", "/etc/passwd", "sub/spans.jsonl", "..\\evil", "C:spans.jsonl", "folder/"]
)
def test_refuses_unsafe_member_names(team, lead, snapshot, tmp_path, name):
    members = good_members(team)
    members[name] = b"x"
    bad = write_zip(tmp_path / "unsafe.wbb", members)
    assert name in zipfile.ZipFile(bad).namelist()
    refused(lead, snapshot, bad, "unsafe member name", repr(name))


def test_refuses_an_unexpected_member(team, lead, snapshot, tmp_path):
    members = good_members(team)
    members["payload.py"] = b"import os\n"
    bad = archive.write_members(tmp_path / "extra.wbb", resign(members, team.keys["Salma"]))
    refused(lead, snapshot, bad, "unexpected member 'payload.py'")


def test_refuses_too_many_members(team, lead, snapshot, tmp_path):
    members = good_members(team)
    members.update({f"m{i}.json": b"{}" for i in range(40)})
    bad = write_zip(tmp_path / "many.wbb", members)
    refused(lead, snapshot, bad, "members; a bundle has at most 32")


def test_refuses_a_project_bundle_given_as_work(team, lead, snapshot, tmp_path):
    bundle = tmp_path / "project.wbb"
    export_project_bundle(lead, "Salma", bundle)
    refused(lead, snapshot, bundle, "unexpected member")


def test_refuses_a_bundle_from_another_project(team, lead, snapshot, tmp_path):
    other = make_lead(tmp_path / "other.wbproj", name="مشروع آخر")
    copy = open_copy(other, "Salma", tmp_path)
    annotate_first_round(copy, "Salma")
    bundle = tmp_path / "other-work.wbb"
    export_work_bundle(copy, bundle)
    copy.close()
    other.close()
    refused(lead, snapshot, bundle, "belongs to another project (مشروع آخر)")


def test_refuses_a_newer_format_version(team, lead, snapshot, tmp_path):
    # Re-signed with the right key: only the version is wrong.
    members = resign(good_members(team), team.keys["Salma"], format_version=FORMAT_VERSION + 1)
    bad = archive.write_members(tmp_path / "future.wbb", members)
    refused(
        lead,
        snapshot,
        bad,
        f"made by a newer version of Workbench (bundle format {FORMAT_VERSION + 1}",
        "update Workbench",
    )
    # Not re-signed: the version is still what is reported (it is checked first).
    members = resign(good_members(team), None, sign=False, format_version=FORMAT_VERSION + 1)
    bad = archive.write_members(tmp_path / "future2.wbb", members)
    refused(lead, snapshot, bad, "newer version of Workbench")


def test_refuses_a_tampered_member_that_is_not_resigned(team, lead, snapshot, tmp_path):
    members = good_members(team)
    rows = jsonl_rows(members["spans.jsonl"])
    rows[0]["label"] = "DATE" if rows[0]["label"] != "DATE" else "ACTOR"
    rows[0]["attributes"] = {}
    members["spans.jsonl"] = jsonl_bytes(rows)
    # First without touching the manifest: the member hash gives it away.
    bad = archive.write_members(tmp_path / "tampered.wbb", members)
    refused(lead, snapshot, bad, "spans.jsonl was altered after the bundle was made")
    # Then with the manifest's hash updated but the old signature kept.
    members = resign(members, None, sign=False)
    bad = archive.write_members(tmp_path / "tampered2.wbb", members)
    refused(lead, snapshot, bad, "the signature does not match the key it names", "altered after it was signed")


def test_refuses_an_unsigned_bundle(team, lead, snapshot, tmp_path):
    members = good_members(team)
    del members["signature"]
    bad = archive.write_members(tmp_path / "unsigned.wbb", members)
    refused(lead, snapshot, bad, "unsigned.wbb is not signed")


def test_refuses_a_wrong_signature(team, lead, snapshot, tmp_path):
    # Signed by another key while naming Salma's.
    salmas = {"scheme": "ed25519", "public_key": signing.public_key(team.keys["Salma"])}
    members = resign(good_members(team), signing.new_private_key(), signer=salmas)
    bad = archive.write_members(tmp_path / "wrongkey.wbb", members)
    refused(lead, snapshot, bad, "the signature does not match the key it names")
    members = good_members(team)
    members["signature"] = b"not base64 at all!"
    refused(lead, snapshot, archive.write_members(tmp_path / "garbage.wbb", members), "does not match the key")


def test_a_forger_with_their_own_key_is_refused_once_a_key_is_pinned(team, lead, snapshot, tmp_path):
    # What the issue saw merged with exit 0: every span of Salma's relabelled, signed by someone else.
    members = good_members(team)
    rows = jsonl_rows(members["spans.jsonl"])
    for row in rows:
        row["label"], row["attributes"] = "DATE", {}
    members["spans.jsonl"] = jsonl_bytes(rows)
    forger = signing.new_private_key()
    bad = archive.write_members(tmp_path / "forged.wbb", resign(members, forger))
    pinned = signing.fingerprint(signing.public_key(team.keys["Salma"]))
    reason = refused(lead, snapshot, bad, "signed by a different key than the one pinned for Salma on ")
    assert "someone else made it, or Salma reinstalled Workbench" in reason
    assert pinned in reason and signing.fingerprint(signing.public_key(forger)) in reason
    # Re-pinning needs the fingerprint the annotator reads out: a wrong one changes nothing.
    before = snapshot(lead.path)
    with pytest.raises(BundleError, match="the fingerprint you typed is not the one"):
        repin(lead, bad, pinned)
    assert snapshot(lead.path) == before


def test_the_first_keyed_bundle_pins_its_key(tmp_path):
    lead = make_lead(tmp_path / "lead.wbproj")
    copy = open_copy(lead, "Salma", tmp_path)
    annotate_first_round(copy, "Salma")
    first = export_work_bundle(copy, tmp_path / "w1.wbb")
    second = export_work_bundle(copy, tmp_path / "w2.wbb")
    copy.close()
    assert layer_owners.signing(lead.db, "Salma").public_key is None
    report = import_work_bundles(lead, [tmp_path / "w1.wbb", tmp_path / "w2.wbb"])
    assert [m["key_pinned_now"] for m in report.merged] == [True, False]
    assert {m["fingerprint"] for m in report.merged} == {first.fingerprint} == {second.fingerprint}
    state = layer_owners.signing(lead.db, "Salma")
    assert signing.fingerprint(state.public_key) == first.fingerprint and state.pinned_at
    assert [row[0] for row in lead.db.execute("SELECT action FROM changes WHERE action LIKE 'key.%'")] == ["key.pin"]
    lead.close()


def test_refuses_one_annotators_bundle_relabelled_as_anothers(team, lead, snapshot, tmp_path):
    members = good_members(team)
    signature = members["signature"]
    members = resign(members, None, sign=False, annotator="Omar")
    members["signature"] = signature
    bad = archive.write_members(tmp_path / "relabelled.wbb", members)
    refused(lead, snapshot, bad, "the signature does not match the key it names")
    # Signed with Salma's key, naming it, but claiming to be Omar: not Omar's pinned key.
    members = resign(good_members(team), team.keys["Salma"], annotator="Omar")
    bad = archive.write_members(tmp_path / "relabelled3.wbb", members)
    refused(lead, snapshot, bad, "signed by a different key than the one pinned for Omar")
    # Signed with Omar's key but listing Salma's documents: refused, they are not his.
    members = resign(good_members(team), team.keys["Omar"], annotator="Omar")
    bad = archive.write_members(tmp_path / "relabelled2.wbb", members)
    refused(lead, snapshot, bad, "is not assigned to Omar, so no copy of theirs holds it")
    # Omar's own bundle carrying a span of Salma's: refused.
    members = good_members(team, "Omar")
    rows = jsonl_rows(members["spans.jsonl"])
    rows[0]["annotator"] = "Salma"
    members["spans.jsonl"] = jsonl_bytes(rows)
    bad = archive.write_members(tmp_path / "relabelled4.wbb", resign(members, team.keys["Omar"]))
    refused(lead, snapshot, bad, "belongs to 'Salma', not to 'Omar'")


def test_refuses_a_bundle_from_an_unknown_annotator(team, lead, snapshot, tmp_path):
    members = resign(good_members(team), team.keys["Salma"], annotator="Zaid")
    bad = archive.write_members(tmp_path / "stranger.wbb", members)
    refused(lead, snapshot, bad, "is from 'Zaid', who is not an annotator of this project")


def test_refuses_a_document_whose_text_differs(team, lead, snapshot, tmp_path):
    members = good_members(team)
    listed = json.loads(members["manifest.json"])["documents"]
    doc_id = team.docs["Salma"][0]
    changed = {**listed, doc_id: hashlib.sha256(b"another text").hexdigest()}
    bad = archive.write_members(tmp_path / "text.wbb", resign(members, team.keys["Salma"], documents=changed))
    refused(lead, snapshot, bad, f"the text of document {doc_id!r} differs from the project's")
    unknown = {**listed, "no-such-doc": hashlib.sha256(b"x").hexdigest()}
    bad = archive.write_members(tmp_path / "unknown.wbb", resign(members, team.keys["Salma"], documents=unknown))
    refused(lead, snapshot, bad, "document 'no-such-doc' is not in this project")


def _with_spans(team: Team, tmp_path: Path, name: str, change) -> Path:
    members = good_members(team)
    rows = jsonl_rows(members["spans.jsonl"])
    change(rows)
    members["spans.jsonl"] = jsonl_bytes(rows)
    return archive.write_members(tmp_path / name, resign(members, team.keys["Salma"]))


def test_refuses_a_span_outside_its_documents_text(team, lead, snapshot, tmp_path):
    length = len(documents.get(lead.db, team.docs["Salma"][0]).text)

    def outside(rows):
        row = next(r for r in rows if r["doc_id"] == team.docs["Salma"][0])
        row["start"], row["end"] = length - 2, length + 10

    bad = _with_spans(team, tmp_path, "outside.wbb", outside)
    refused(lead, snapshot, bad, "does not fit the text", f"outside the document's text (0 to {length})")

    def inside_a_letter(rows):
        rows[-1]["start"] = "3"

    refused(lead, snapshot, _with_spans(team, tmp_path, "notint.wbb", inside_a_letter), "offsets are not integers")


def test_refuses_a_span_with_a_label_the_schema_lacks(team, lead, snapshot, tmp_path):
    def weapon(rows):
        rows[0]["label"], rows[0]["attributes"] = "WEAPON", {}

    bad = _with_spans(team, tmp_path, "label.wbb", weapon)
    refused(lead, snapshot, bad, "has the label 'WEAPON', which the schema lacks")


def test_refuses_bad_attributes_and_malformed_rows(team, lead, snapshot, tmp_path):
    def bad_kind(rows):
        row = next(r for r in rows if r["label"] == "CASUALTY")
        row["attributes"] = {"kind": "exploded"}

    refused(lead, snapshot, _with_spans(team, tmp_path, "kind.wbb", bad_kind), "kind must be one of")

    def extra_field(rows):
        rows[0]["script"] = "rm -rf /"

    refused(lead, snapshot, _with_spans(team, tmp_path, "field.wbb", extra_field), "a span has unexpected fields")

    def someone_elses(rows):
        rows[0]["annotator"] = "Omar"

    refused(
        lead, snapshot, _with_spans(team, tmp_path, "owner.wbb", someone_elses), "belongs to 'Omar', not to 'Salma'"
    )

    members = good_members(team)
    members["statuses.jsonl"] = b'{"doc_id": "nope", "status": "done"}\n'
    bad = archive.write_members(tmp_path / "status.wbb", resign(members, team.keys["Salma"]))
    refused(lead, snapshot, bad, "a status is malformed or for an unlisted document")

    members = good_members(team)
    members["spans.jsonl"] = b"{not json\n"
    bad = archive.write_members(tmp_path / "json.wbb", resign(members, team.keys["Salma"]))
    refused(lead, snapshot, bad, "spans.jsonl line 1 is not valid JSON")


@pytest.mark.parametrize(
    "where,key,value",
    [
        ("manifest", "documents", []),
        ("manifest", "annotator", ["Salma"]),
        ("manifest", "created_at", 5),
        ("manifest", "sequence", "2"),
        ("manifest", "sequence", True),
        ("manifest", "sequence", 10**30),
        ("span", "doc_id", ["x"]),
        ("span", "id", 5),
        ("span", "attributes", [1]),
        ("status", "doc_id", {"a": 1}),
    ],
)
def test_refuses_signed_bundles_with_malformed_fields(team, lead, snapshot, tmp_path, where, key, value):
    """Even a bundle signed with the right key gets a message, not a traceback, for wrong types."""
    members = good_members(team)
    changes = {}
    if where == "manifest":
        changes[key] = value
    elif where == "span":
        rows = jsonl_rows(members["spans.jsonl"])
        rows[0][key] = value
        members["spans.jsonl"] = jsonl_bytes(rows)
    else:
        members["statuses.jsonl"] = jsonl_bytes([{"doc_id": value, "status": "done", "updated_at": ""}])
    bad = archive.write_members(tmp_path / "typed.wbb", resign(members, team.keys["Salma"], **changes))
    reason = refused(lead, snapshot, bad, "typed.wbb")
    assert "malformed" in reason or "sequence" in reason or "not an annotator" in reason


def test_refuses_a_span_id_taken_by_another_annotator(team, lead, snapshot, tmp_path):
    """Checked during the merge: the whole bundle is rolled back, not half-merged."""
    assert import_work_bundles(lead, [team.bundles["Omar"][-1]]).refused == []
    taken = team.omar_span_ids[0]

    def steal(rows):
        rows[-1]["id"] = taken

    bad = _with_spans(team, tmp_path, "steal.wbb", steal)
    reason = refused(lead, snapshot, bad, "steal.wbb", "is already used by")
    assert "refused" in reason


def test_a_refused_bundle_does_not_stop_the_others(team, lead, tmp_path):
    bad = tmp_path / "bad.wbb"
    bad.write_bytes(b"garbage")
    report = import_work_bundles(lead, [bad, team.bundles["Huda"][-1]])
    assert [r["path"] for r in report.refused] == [str(bad)]
    assert [m["annotator"] for m in report.merged] == ["Huda"]
    assert layer(lead, "Huda", team.docs["Huda"]) == team.expected["Huda"][0]


def test_a_run_of_merges_commits_each_bundle_and_folds_the_wal_into_the_file_at_its_end(team, lead, tmp_path):
    # During the run SQLite does not copy the WAL into the file after each commit (one
    # checkpoint at the end); each bundle is still committed, and seen by another connection,
    # before the next one is read.
    bad = tmp_path / "bad.wbb"
    bad.write_bytes(b"garbage")
    paths = [team.bundles["Huda"][-1], bad, team.bundles["Omar"][-1]]
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int, path: str) -> None:
        if done < total:
            every = lead.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
            other = sqlite3.connect(str(lead.path))
            try:
                huda = other.execute("SELECT COUNT(*) FROM spans WHERE annotator = 'Huda'").fetchone()[0]
            finally:
                other.close()
            seen.append((every, huda))

    report = import_work_bundles(lead, paths, progress=progress)
    assert [m["annotator"] for m in report.merged] == ["Huda", "Omar"] and len(report.refused) == 1
    huda = sum(len(spans) for spans in team.expected["Huda"][0].values())
    assert huda > 0 and seen == [(0, 0), (0, huda), (0, huda)]
    assert lead.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000  # put back
    busy, logged, copied = lead.db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert busy == 0 and logged == copied  # nothing of the WAL left to copy into the file
    assert layer(lead, "Omar", team.docs["Omar"]) == team.expected["Omar"][0]


def test_a_run_of_merges_that_stops_on_an_error_puts_the_checkpoints_back(team, lead):
    def progress(done: int, total: int, path: str) -> None:
        if done == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_work_bundles(lead, [team.bundles["Huda"][-1], team.bundles["Omar"][-1]], progress=progress)
    assert lead.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    assert layer(lead, "Huda", team.docs["Huda"]) == team.expected["Huda"][0]  # the first, merged whole
    assert lead.db.execute("SELECT COUNT(*) FROM spans WHERE annotator = 'Omar'").fetchone()[0] == 0


# --- any order, any repeats: the same final state ------------------------------------------------


def final_state(project: Project, team: Team) -> dict:
    return {who: (layer(project, who, team.docs[who]), statuses(project, who, team.docs[who])) for who in TEAM}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_merging_in_any_order_with_repeats_reaches_the_same_state(team, data):
    every = [path for who in TEAM for path in team.bundles[who]]
    extra = data.draw(st.lists(st.sampled_from(every), max_size=6), label="repeats")
    order = data.draw(st.permutations(every + extra), label="order")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lead.wbproj"
        shutil.copy(team.lead_path, path)
        assert not Path(f"{team.lead_path}-wal").exists()
        with Project.open(path) as lead:
            report = import_work_bundles(lead, order)
            assert report.refused == []
            assert final_state(lead, team) == team.expected
