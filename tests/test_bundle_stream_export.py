"""Bundles are written streamed (issue 16): a chunk of documents at a time, hashed as written.

A project bundle (and a work bundle's spans) used to be built whole in memory before it was
written. Now each member goes into the zip as it is read from the project, and the manifest of
the members' hashes is signed at the end. The file must be what the reader has always read: the
same zip entries, byte for byte, and the same members whatever the chunk size.
"""

from __future__ import annotations

import json
import zipfile

import pytest

from tests.test_bundles import TEAM, layer, make_lead, read_zip, resign, write_zip
from workbench.core.actions import DeleteSpan
from workbench.core.bundles import archive, project_bundle, work_bundle
from workbench.core.bundles.archive import BundleError, BundleWriter
from workbench.core.bundles.manifest import jsonl, sha256
from workbench.core.bundles.project_bundle import export_project_bundle, open_project_bundle
from workbench.core.bundles.work_bundle import export_work_bundle, import_work_bundles
from workbench.core.store import changelog, documents
from workbench.core.text.normalise import content_hash

MEMBERS = {
    "schema.json": json.dumps({"name": "أخبار ليبيا"}, ensure_ascii=False).encode("utf-8"),
    "documents.jsonl": "".join(
        json.dumps({"id": f"خبر-{n}", "text": "اشتباكات في بنغازي " * n}, ensure_ascii=False) + "\n" for n in range(300)
    ).encode("utf-8"),
    "signature": b"c2lnbmF0dXJl",
}


def test_a_streamed_member_is_the_zip_entry_written_whole_before(tmp_path):
    old = write_zip(tmp_path / "old.wbb", MEMBERS)  # how bundles were written: each member whole
    new = tmp_path / "new.wbb"
    with BundleWriter(new) as out:
        for name, data in MEMBERS.items():
            with out.member(name) as write:
                for at in range(0, len(data), 777):  # in pieces, as an export writes them
                    write(data[at : at + 777])
    assert new.read_bytes() == old.read_bytes()
    assert out.digests == {name: sha256(data) for name, data in MEMBERS.items()}
    assert archive.write_members(tmp_path / "whole.wbb", MEMBERS).read_bytes() == old.read_bytes()


def test_a_failed_write_leaves_no_file(tmp_path):
    path = tmp_path / "half.wbb"
    out = BundleWriter(path)
    with pytest.raises(RuntimeError, match="the project went away"), out, out.member("documents.jsonl") as write:
        write(MEMBERS["documents.jsonl"])
        raise RuntimeError("the project went away")
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def lead(tmp_path):
    project = make_lead(tmp_path / "lead.wbproj", k=3)
    yield project
    project.close()


def _contents(path) -> dict[str, bytes]:
    members = read_zip(path)
    members.pop("signature")
    manifest = json.loads(members.pop("manifest.json"))
    manifest.pop("created_at")
    members["manifest"] = json.dumps(manifest, sort_keys=True).encode()
    return members


def test_the_chunk_size_changes_nothing_in_a_project_bundle(lead, tmp_path, monkeypatch):
    whole = export_project_bundle(lead, "Salma", tmp_path / "whole.wbb")
    monkeypatch.setattr(project_bundle, "_CHUNK_DOCUMENTS", 2)
    chunked = export_project_bundle(lead, "Salma", tmp_path / "chunked.wbb")
    assert (whole.documents, whole.spans) == (chunked.documents, chunked.spans) == (5, 0)
    assert _contents(whole.path) == _contents(chunked.path)
    rows = [json.loads(line) for line in read_zip(chunked.path)["documents.jsonl"].splitlines()]
    assert [row["id"] for row in rows] == list(json.loads(read_zip(chunked.path)["manifest.json"])["documents"])
    assert all(content_hash(row["text"]) == row["sha256"] for row in rows)


def test_a_streamed_project_bundle_opens_and_an_old_one_still_does(lead, tmp_path):
    new = export_project_bundle(lead, "Omar", tmp_path / "omar.wbb").path
    with open_project_bundle(new, tmp_path / "omar.wbproj") as copy:
        assert sorted(documents.hashes(copy.db)) == sorted(json.loads(read_zip(new)["manifest.json"])["documents"])
    # A bundle written the old way (every member whole, in the order the old exporter used).
    members = read_zip(new)
    order = ["schema.json", "identity.json", "documents.jsonl", "spans.jsonl", "statuses.jsonl"]
    old = write_zip(tmp_path / "old.wbb", {name: members[name] for name in [*order, "manifest.json", "signature"]})
    with open_project_bundle(old, tmp_path / "omar-old.wbproj") as copy:
        assert copy.current_annotator == "Omar" and len(documents.hashes(copy.db)) == 5


def test_a_document_deleted_during_the_export_refuses_it_and_writes_nothing(lead, tmp_path, monkeypatch):
    real = documents.get
    calls = []

    def vanishing(db, doc_id):
        calls.append(doc_id)
        return None if len(calls) == 3 else real(db, doc_id)

    monkeypatch.setattr(documents, "get", vanishing)
    with pytest.raises(BundleError, match="no longer in the project"):
        export_project_bundle(lead, "Huda", tmp_path / "out" / "huda.wbb")
    assert list((tmp_path / "out").iterdir()) == []


def test_a_work_bundle_streamed_in_small_chunks_merges_the_same(tmp_path, monkeypatch):
    from tests.test_bundles import annotate_first_round, open_copy

    with make_lead(tmp_path / "lead.wbproj", annotators=TEAM[:1], k=1) as lead:
        (tmp_path / "salma").mkdir()
        copy = open_copy(lead, "Salma", tmp_path / "salma")
        made = annotate_first_round(copy, "Salma")
        # a span deleted (in the deleted member), one deleted and restored by an undo (not)
        gone, restored = made[0], made[1]
        delete = DeleteSpan(gone, "Salma")
        delete.do(copy)
        undone = DeleteSpan(restored, "Salma")
        undone.do(copy)
        undone.undo(copy)
        monkeypatch.setattr(work_bundle, "_EXPORT_CHUNK", 2)
        monkeypatch.setattr(work_bundle, "_EXPORT_CHANGES", 2)  # the change log streamed, 2 at a time
        summary = export_work_bundle(copy, tmp_path / "work.wbb")
        assert summary.spans == len(made) - 1 == 14
        members = read_zip(summary.path)
        spans = [json.loads(line) for line in members["spans.jsonl"].splitlines()]
        assert sorted(row["id"] for row in spans) == sorted(s.id for s in made[1:])
        assert [row["id"] for row in map(json.loads, members["deleted.jsonl"].splitlines())] == [gone.id]
        assert members["changes.jsonl"] == jsonl(changelog.history(copy.db))  # (as the log held whole)
        assert len(members["changes.jsonl"].splitlines()) > 2
        report = import_work_bundles(lead, [summary.path])
        assert report.refused == [] and report.merged[0]["added"] == 14
        assert layer(lead, "Salma") == layer(copy, "Salma")
        copy.close()
    with zipfile.ZipFile(summary.path) as zf:
        assert [info.filename for info in zf.infolist()] == [
            "spans.jsonl",
            "deleted.jsonl",
            "statuses.jsonl",
            "changes.jsonl",
            "manifest.json",
            "signature",
        ]


def test_resigned_members_of_a_streamed_bundle_still_verify(lead, tmp_path):
    bundle = export_project_bundle(lead, "Salma", tmp_path / "salma.wbb").path
    members = read_zip(bundle)
    manifest = json.loads(members["manifest.json"])
    for name, digest in manifest["members"].items():
        assert sha256(members[name]) == digest
    key = lead.setting("signing_key")
    again = archive.write_members(tmp_path / "again.wbb", resign(members, key))
    with open_project_bundle(again, tmp_path / "salma.wbproj") as copy:
        assert copy.current_annotator == "Salma"


def test_a_member_past_the_zip64_limit_is_written_when_declared_large_or_whole(tmp_path, monkeypatch):
    """At a hundred thousand documents an annotator's change log passes 2 GiB: a member written
    whole picks ZIP64 from its size, a streamed one declared large has it from its first byte,
    and one not declared large is refused with a sentence, leaving no file. (The limit is made
    small here: writing 2 GiB is not what is tested.)"""
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 4096)
    big = "سطر من سجل التغييرات\n".encode() * 400  # past the (small) limit
    path = tmp_path / "big.wbb"
    with BundleWriter(path) as out:
        out.add("changes.jsonl", big)
        with out.member("spans.jsonl", large=True) as write:
            for at in range(0, len(big), 1000):
                write(big[at : at + 1000])
        out.add("manifest.json", b"{}")
    with zipfile.ZipFile(path) as zf:
        assert zf.read("changes.jsonl") == big and zf.read("spans.jsonl") == big
    assert out.digests["spans.jsonl"] == out.digests["changes.jsonl"] == sha256(big)

    refused = tmp_path / "refused.wbb"
    with (
        pytest.raises(BundleError, match="spans.jsonl is too large"),
        BundleWriter(refused) as out,
        out.member("spans.jsonl") as write,
    ):
        for at in range(0, len(big), 1000):
            write(big[at : at + 1000])
    assert not refused.exists() and not list(tmp_path.glob(".refused.wbb.*"))
