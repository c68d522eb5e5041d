"""Hostile work bundles (issue 12): deep JSON, duplicate members, size caps, absurd sequences.

Each bundle is made by the project's own functions, then tampered with and, where the tamper
must get past the signature, re-signed with the annotator's secret (what a broken or hostile
annotator's machine could do). A refused bundle says why, changes nothing, and does not stop
the other bundles of the same import.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests import test_bundles as shared
from tests.test_bundles import Team, good_members, jsonl_bytes, jsonl_rows, layer, refused, resign, write_zip
from workbench.core.bundles import archive, signing
from workbench.core.bundles.work_bundle import import_work_bundles

team, lead = shared.team, shared.lead  # the fixtures: a team's genuine bundles, a fresh lead

DEEP = 100_000


def _deep_list(depth: int) -> str:
    return "[" * depth + "]" * depth


def _merges_after(lead, team: Team, bad: Path) -> None:
    """A multi-file import: the bad bundle first, a good one after it; the good one is merged."""
    report = import_work_bundles(lead, [bad, team.bundles["Huda"][-1]])
    assert [r["path"] for r in report.refused] == [str(bad)]
    assert "Traceback" not in report.refused[0]["reason"]
    assert [m["annotator"] for m in report.merged] == ["Huda"]
    assert layer(lead, "Huda", team.docs["Huda"]) == team.expected["Huda"][0]


# --- 1. deeply nested JSON -------------------------------------------------------------------


def test_refuses_a_deeply_nested_manifest_and_goes_on(team, lead, snapshot, tmp_path):
    members = resign(good_members(team), team.keys["Salma"])
    raw = members["manifest.json"].decode("utf-8")
    raw = raw.replace("{", '{"deep": ' + _deep_list(DEEP) + ",", 1)
    members["manifest.json"] = raw.encode("utf-8")
    members["signature"] = signing.sign(members["manifest.json"], team.keys["Salma"])
    bad = archive.write_members(tmp_path / "deep-manifest.wbb", members)
    refused(lead, snapshot, bad, "deep-manifest.wbb", "nested too deeply")
    _merges_after(lead, team, bad)


@pytest.mark.parametrize("where", ["line", "attributes"])
def test_refuses_a_deeply_nested_span_and_goes_on(team, lead, snapshot, tmp_path, where):
    members = good_members(team)
    rows = jsonl_rows(members["spans.jsonl"])
    lines = [json.dumps(row, ensure_ascii=False, sort_keys=True) for row in rows]
    if where == "line":
        lines.insert(1, _deep_list(DEEP))
    else:
        lines[0] = lines[0].replace('"attributes": {', '"attributes": {"deep": ' + _deep_list(DEEP) + ", ", 1)
    members["spans.jsonl"] = ("\n".join(lines) + "\n").encode("utf-8")
    bad = archive.write_members(tmp_path / f"deep-{where}.wbb", resign(members, team.keys["Salma"]))
    refused(lead, snapshot, bad, "spans.jsonl", "nested too deeply")
    _merges_after(lead, team, bad)


def test_refuses_deep_json_in_the_other_members(team, lead, snapshot, tmp_path):
    for member in ("statuses.jsonl", "deleted.jsonl"):
        members = good_members(team)
        members[member] = (_deep_list(DEEP) + "\n").encode()
        bad = archive.write_members(tmp_path / f"deep-{member}.wbb", resign(members, team.keys["Salma"]))
        refused(lead, snapshot, bad, member, "nested too deeply")


# --- 2. duplicate member names ---------------------------------------------------------------


def test_refuses_duplicate_member_names(team, lead, snapshot, tmp_path):
    members = resign(good_members(team), team.keys["Salma"])
    bad = tmp_path / "twice.wbb"
    # A forged spans.jsonl first, the genuine signed members after it: Python reads the last copy
    # (so the signature holds), other tools show the first.
    forged = jsonl_rows(members["spans.jsonl"])[:1]
    with zipfile.ZipFile(bad, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("spans.jsonl", jsonl_bytes(forged))
        with pytest.warns(UserWarning):
            for name, data in members.items():
                zf.writestr(name, data)
    refused(lead, snapshot, bad, "twice.wbb", "two members named 'spans.jsonl'")
    _merges_after(lead, team, bad)


# --- 3. size caps ----------------------------------------------------------------------------


def test_refuses_a_bundle_larger_than_the_cap(team, lead, snapshot, tmp_path):
    """A signed bundle with a big (not bomb-like) member: merged under the default cap, refused under 2 MB."""
    members = good_members(team)
    members["changes.jsonl"] = b"".join(
        json.dumps({"n": n, "pad": os.urandom(40).hex()}).encode() + b"\n" for n in range(40_000)
    )
    assert len(members["changes.jsonl"]) > 3 * 1024 * 1024
    big = archive.write_members(tmp_path / "big.wbb", resign(members, team.keys["Salma"]))
    before = snapshot(lead.path)
    report = import_work_bundles(lead, [big], max_bytes=2 * 1024 * 1024)
    assert report.merged == [] and len(report.refused) == 1
    reason = report.refused[0]["reason"]
    assert "big.wbb" in reason and "2 MB" in reason and "refused" in reason, reason
    assert snapshot(lead.path) == before
    assert import_work_bundles(lead, [big]).refused == []  # the default cap is generous
    assert archive.MAX_BUNDLE_BYTES >= 64 * 1024 * 1024


# Peak memory of the probe itself: VmHWM where Linux has it (``ru_maxrss`` survives exec, so a child
# of a large test process would report the parent's size and hide its own).
_RSS_PROBE = """
import resource, sys
from pathlib import Path
from workbench.core.bundles.archive import BundleError, read_members
def peak_kb():
    try:
        return int(Path("/proc/self/status").read_text().split("VmHWM:")[1].split()[0])
    except (OSError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("BASE_KB", peak_kb())
try:
    read_members(Path(sys.argv[1]), {"manifest.json", "signature", "spans.jsonl"}, max_bytes=4 * 1024 * 1024)
except BundleError as exc:
    print("REFUSED", exc)
else:
    print("ACCEPTED")
print("RSS_KB", peak_kb())
"""


def test_an_oversize_member_is_refused_with_flat_memory(tmp_path):
    bomb = tmp_path / "zeros.wbb"
    zf = zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED)
    with zf, zf.open("spans.jsonl", "w", force_zip64=True) as member:
        chunk = b"\0" * (1024 * 1024)
        for _ in range(200):
            member.write(chunk)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    result = subprocess.run(
        [sys.executable, "-c", _RSS_PROBE, str(bomb)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].startswith("REFUSED") and "4 MB" in lines[1], result.stdout
    base_kb, peak_kb = int(lines[0].split()[1]), int(lines[-1].split()[1])
    assert peak_kb - base_kb < 20 * 1024, (base_kb, peak_kb)  # nothing like the 200 MB it unpacks to


def test_a_member_larger_than_it_declares_is_not_read_past_the_cap(team, lead, snapshot, tmp_path):
    """The declared size says small; the data is bigger: reading stops, the bundle is refused."""
    members = resign(good_members(team), team.keys["Salma"])
    members["changes.jsonl"] = b"x" * (3 * 1024 * 1024)
    path = write_zip(tmp_path / "liar.wbb", members)
    raw = bytearray(path.read_bytes())
    # Declare every member's uncompressed size as 100 bytes in the central directory.
    offset = raw.index(b"PK\x01\x02")
    while True:
        offset = raw.find(b"PK\x01\x02", offset)
        if offset < 0:
            break
        raw[offset + 24 : offset + 28] = (100).to_bytes(4, "little")
        offset += 4
    path.write_bytes(bytes(raw))
    refused(lead, snapshot, path, "liar.wbb")


# --- 4. sequence numbers ---------------------------------------------------------------------


def test_refuses_an_absurd_sequence_and_later_genuine_bundles_still_merge(team, lead, snapshot, tmp_path):
    members = resign(good_members(team), team.keys["Salma"], sequence=2**63 - 1)
    bad = archive.write_members(tmp_path / "huge-seq.wbb", members)
    reason = refused(lead, snapshot, bad, "huge-seq.wbb", "sequence")
    assert "1,000,000" in reason or "1000000" in reason, reason
    # The genuine bundles of that annotator still merge afterwards.
    report = import_work_bundles(lead, [team.bundles["Salma"][-1]])
    assert report.refused == [] and report.merged[0]["documents"] == len(team.docs["Salma"])
    assert layer(lead, "Salma", team.docs["Salma"]) == team.expected["Salma"][0]


def test_a_sequence_close_above_the_last_merged_one_is_accepted(team, lead, tmp_path):
    import_work_bundles(lead, [team.bundles["Salma"][0]])
    members = resign(good_members(team), team.keys["Salma"], sequence=1 + 999_999)
    ok = archive.write_members(tmp_path / "far.wbb", members)
    assert import_work_bundles(lead, [ok]).refused == []


def test_an_ignored_older_bundle_says_so(team, lead):
    newest, older = team.bundles["Salma"][-1], team.bundles["Salma"][0]
    import_work_bundles(lead, [newest])
    report = import_work_bundles(lead, [older, newest])
    assert report.refused == []
    for item in report.merged:
        assert item["documents"] == 0 and item["skipped_older"] == len(team.docs["Salma"])
        assert item["not_newer_than"] == 3
        assert item["nothing_changed"] is True
