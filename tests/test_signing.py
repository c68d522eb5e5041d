"""Who may write an annotator's layer: Ed25519 keys, trust on first use, re-pinning, the lead's
signed project bundles, and the upgrade of projects and copies made with the shared secret
(bundle format 1, files in tests/data/legacy_hmac made by the version before keys)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.test_bundles import annotate_first_round, layer, make_lead, open_copy, read_zip, resign, snapshot_of
from workbench.core.bundles import archive, signing
from workbench.core.bundles.archive import BundleError
from workbench.core.bundles.project_bundle import export_project_bundle, key_report, open_project_bundle
from workbench.core.bundles.work_bundle import export_work_bundle, import_work_bundles
from workbench.core.store import annotators as layer_owners
from workbench.core.store.project import Project

LEGACY = Path(__file__).parent / "data" / "legacy_hmac"
PROJECT_MEMBERS = {"manifest.json", "signature", "schema.json", "identity.json", "documents.jsonl", "spans.jsonl"}


def cli(*args: str, db: Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workbench.cli", "--db", str(db), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


@pytest.fixture
def legacy(tmp_path) -> Path:
    folder = tmp_path / "legacy"
    shutil.copytree(LEGACY, folder)
    return folder


# --- fingerprints ---------------------------------------------------------------------------------


def test_fingerprints_are_read_aloud_in_groups_and_compared_loosely():
    key = signing.new_private_key()
    public = signing.public_key(key)
    printed = signing.fingerprint(public)
    assert len(printed.split(" ")) == 8 and all(len(group) == 4 for group in printed.split(" "))
    assert signing.same_fingerprint(printed.upper().replace(" ", ":"), public)
    assert not signing.same_fingerprint(printed[:-1] + ("0" if printed[-1] != "0" else "1"), public)
    assert not signing.same_fingerprint("", public)
    manifest = b'{"kind": "work"}'
    signature = signing.sign(manifest, key)
    assert signing.verifies(manifest, signature, public)
    assert not signing.verifies(manifest + b" ", signature, public)
    assert not signing.verifies(manifest, signature, signing.public_key(signing.new_private_key()))
    assert not signing.verifies(manifest, b"%%%", public) and not signing.verifies(manifest, signature, "zz")


# --- the lead's key on project bundles ------------------------------------------------------------


def test_an_update_signed_by_another_key_is_refused_by_the_annotators_copy(tmp_path):
    lead = make_lead(tmp_path / "lead.wbproj", annotators=("Salma",), k=1)
    export_project_bundle(lead, "Salma", tmp_path / "first.wbb")
    copy = open_project_bundle(tmp_path / "first.wbb", tmp_path / "salma.wbproj")
    lead_fingerprint = key_report(lead)["own"]
    assert key_report(copy)["lead"] == lead_fingerprint
    annotate_first_round(copy, "Salma")
    mine = layer(copy, "Salma")
    copy.close()
    # Someone holding the first bundle makes an "update" with a schema of their own, signed by their key.
    members = read_zip(tmp_path / "first.wbb")
    schema = json.loads(members["schema.json"])
    schema["guidelines"] = "Tag every word as ACTOR."
    members["schema.json"] = json.dumps(schema).encode()
    forger = signing.new_private_key()
    archive.write_members(tmp_path / "forged.wbb", resign(members, forger))
    before = snapshot_of(tmp_path / "salma.wbproj")
    with pytest.raises(BundleError) as refused:
        open_project_bundle(tmp_path / "forged.wbb", tmp_path / "salma.wbproj")
    message = str(refused.value)
    assert "signed by a different key than the lead's key this copy pinned on" in message
    assert lead_fingerprint in message and signing.fingerprint(signing.public_key(forger)) in message
    assert "--repin" in message
    assert snapshot_of(tmp_path / "salma.wbproj") == before
    # An unsigned one (as format 1 bundles were) is refused too, now that a key is pinned.
    members = read_zip(tmp_path / "first.wbb")
    del members["signature"]
    members["identity.json"] = json.dumps({"annotator": "Salma", "secret": "ab" * 32}).encode()
    archive.write_members(tmp_path / "unsigned.wbb", resign(members, None, sign=False, format_version=1, signer=None))
    with pytest.raises(BundleError, match="is not signed, but this copy pinned the lead's key"):
        open_project_bundle(tmp_path / "unsigned.wbb", tmp_path / "salma.wbproj")
    # A tampered member with the lead's signature kept: the hash, then the signature, give it away.
    members = read_zip(tmp_path / "first.wbb")
    members["schema.json"] = json.dumps(schema).encode()
    archive.write_members(tmp_path / "tampered.wbb", resign(members, None, sign=False))
    with pytest.raises(BundleError, match="altered after it was signed"):
        open_project_bundle(tmp_path / "tampered.wbb", tmp_path / "salma.wbproj")
    assert snapshot_of(tmp_path / "salma.wbproj") == before

    # The lead really moved: the annotator re-pins with the fingerprint the lead reads out.
    lead.close()
    moved = Project.open(tmp_path / "lead.wbproj")
    with moved.transaction():
        moved.set_setting("signing_key", signing.new_private_key())
    summary = export_project_bundle(moved, "Salma", tmp_path / "moved.wbb")
    with pytest.raises(BundleError, match="the fingerprint you typed is not the one"):
        open_project_bundle(tmp_path / "moved.wbb", tmp_path / "salma.wbproj", repin=lead_fingerprint)
    assert snapshot_of(tmp_path / "salma.wbproj") == before
    copy = open_project_bundle(tmp_path / "moved.wbb", tmp_path / "salma.wbproj", repin=summary.fingerprint)
    assert key_report(copy)["lead"] == summary.fingerprint and layer(copy, "Salma") == mine
    assert [r[0] for r in copy.db.execute("SELECT action FROM changes WHERE action LIKE 'key.%' ORDER BY seq")] == [
        "key.pin",
        "key.repin",
    ]
    copy.close()
    moved.close()


# --- the upgrade from the shared secret (format 1) ------------------------------------------------


def test_an_old_project_upgrades_and_its_annotators_keep_working(legacy, tmp_path):
    lead = Project.open(legacy / "lead.wbproj")  # migrated: the keys columns are added
    before = key_report(lead)["annotators"]
    assert [(r["annotator"], r["old_scheme"], r["fingerprint"]) for r in before] == [
        ("Salma", True, None),
        ("Omar", True, None),
    ]
    # A format-1 bundle from Salma's old copy still merges: she has no key pinned yet.
    report = import_work_bundles(lead, [legacy / "salma.work-1.wbb"])
    assert report.refused == [] and report.merged[0]["added"] == 1
    assert report.merged[0]["signed_with"] == "old shared secret" and report.merged[0]["fingerprint"] is None

    # Salma's old copy, opened by this version: its next work bundle is signed with a key made now.
    copy = Project.open(legacy / "salma.wbproj")
    assert copy.setting("signing_key") is None and copy.setting("bundle_secret")
    summary = export_work_bundle(copy, tmp_path / "salma.work-3.wbb")
    assert summary.sequence == 3 and copy.setting("signing_key")
    copy.close()
    report = import_work_bundles(lead, [tmp_path / "salma.work-3.wbb"])
    assert report.refused == [] and report.merged[0]["key_pinned_now"]
    assert report.merged[0]["fingerprint"] == summary.fingerprint
    rows = {r["annotator"]: r for r in key_report(lead)["annotators"]}
    assert rows["Salma"]["fingerprint"] == summary.fingerprint and not rows["Salma"]["old_scheme"]
    assert rows["Omar"]["old_scheme"]  # the lead sees who is still on the old scheme
    assert layer_owners.signing(lead.db, "Salma").secret is None  # the secret is no longer accepted
    pinned = lead.db.execute("SELECT after FROM changes WHERE action = 'key.pin'").fetchone()[0]
    assert json.loads(pinned)["upgraded"] is True

    # From now on a bundle signed with the old secret is refused: anyone holding Salma's first
    # project bundle had that secret.
    snapshot = snapshot_of(legacy / "lead.wbproj")
    report = import_work_bundles(lead, [legacy / "salma.work-2.wbb"])
    assert report.merged == []
    assert "signed with the old shared secret, but Salma signs with a key since" in report.refused[0]["reason"]
    assert snapshot_of(legacy / "lead.wbproj") == snapshot
    lead.close()


def test_an_old_project_bundle_still_opens_and_its_copy_pins_the_next_signed_one(legacy, tmp_path):
    # A format-1 project bundle (unsigned, carrying the secret) still makes a copy.
    copy = open_project_bundle(legacy / "omar.project.wbb", tmp_path / "omar.wbproj")
    assert copy.setting("bundle_secret") and copy.setting("signing_key") and copy.setting("lead_public_key") is None
    copy.close()
    # The upgraded lead project signs its next project bundle; the old copy pins that key.
    lead = Project.open(legacy / "lead.wbproj")
    summary = export_project_bundle(lead, "Omar", tmp_path / "omar-2.wbb")
    assert "secret" not in json.loads(read_zip(tmp_path / "omar-2.wbb")["identity.json"])
    lead.close()
    copy = open_project_bundle(tmp_path / "omar-2.wbb", tmp_path / "omar.wbproj")
    assert key_report(copy)["lead"] == summary.fingerprint
    copy.close()
    with pytest.raises(BundleError, match="is not signed, but this copy pinned"):
        open_project_bundle(legacy / "omar.project.wbb", tmp_path / "omar.wbproj")


def test_a_format_1_bundle_claiming_a_signer_block_or_signed_project_bundle_is_refused(legacy, tmp_path):
    # A format-1 project bundle never carried a signature; one that does was made by hand.
    members = read_zip(legacy / "omar.project.wbb")
    members["signature"] = b"AAAA"
    archive.write_members(tmp_path / "odd.wbb", members)
    with pytest.raises(BundleError, match="format 1 carries no signature"):
        open_project_bundle(tmp_path / "odd.wbb", tmp_path / "odd.wbproj")
    # A format-2 bundle must say which key signed it.
    lead = make_lead(tmp_path / "lead.wbproj", annotators=("Salma",), k=1)
    export_project_bundle(lead, "Salma", tmp_path / "p.wbb")
    lead.close()
    members = read_zip(tmp_path / "p.wbb")
    archive.write_members(tmp_path / "nosigner.wbb", resign(members, None, sign=False, signer=None))
    with pytest.raises(BundleError, match="does not say which key signed it"):
        open_project_bundle(tmp_path / "nosigner.wbb", tmp_path / "x.wbproj")
    assert not (tmp_path / "x.wbproj").exists() and not (tmp_path / "odd.wbproj").exists()


# --- the command line -----------------------------------------------------------------------------


def test_the_command_line_shows_pins_and_repins_keys(tmp_path):
    lead = make_lead(tmp_path / "lead.wbproj", annotators=("Salma", "Omar"))
    lead.close()
    db = tmp_path / "lead.wbproj"
    exported = cli("bundle", "export", "--annotator", "Salma", "-o", str(tmp_path / "salma.wbb"), db=db)
    assert exported.returncode == 0, exported.stderr
    assert "Signed with your key " in exported.stdout
    opened = cli("bundle", "open", str(tmp_path / "salma.wbb"), db=tmp_path / "salma.wbproj")
    assert opened.returncode == 0, opened.stderr
    lead_key = key_report(Project.open(db))["own"]
    assert f"Your lead's key: {lead_key}" in opened.stdout and "Your key: " in opened.stdout
    copy = Project.open(tmp_path / "salma.wbproj")
    annotate_first_round(copy, "Salma")
    copy.close()
    work = cli("bundle", "work", "-o", str(tmp_path / "w1.wbwork"), db=tmp_path / "salma.wbproj")
    own = work.stdout.split("Signed with your key ")[1].strip().rstrip(".")
    merged = cli("bundle", "import", str(tmp_path / "w1.wbwork"), db=db)
    assert merged.returncode == 0, merged.stderr
    assert f"first bundle signed with a key from Salma: pinned {own}" in merged.stdout
    keys = cli("bundle", "keys", db=db)
    assert f"Salma                {own}  (pinned " in keys.stdout
    assert "Omar                 no key yet" in keys.stdout
    as_json = json.loads(cli("bundle", "keys", "--json", db=db).stdout)
    assert as_json["own"] == lead_key and as_json["annotators"][0]["fingerprint"] == own
    annotator_view = cli("bundle", "keys", db=tmp_path / "salma.wbproj")
    assert f"Your key:        {own}" in annotator_view.stdout and lead_key in annotator_view.stdout

    # A reinstall: a new copy, a new key; refused with the command to re-pin in the message.
    cli("bundle", "open", str(tmp_path / "salma.wbb"), db=tmp_path / "again.wbproj")
    again = cli("bundle", "work", "-o", str(tmp_path / "w2.wbwork"), db=tmp_path / "again.wbproj")
    new = again.stdout.split("Signed with your key ")[1].strip().rstrip(".")
    refused = cli("bundle", "import", str(tmp_path / "w2.wbwork"), db=db)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert f'bundle repin w2.wbwork --fingerprint "{new}"' in refused.stderr
    wrong = cli("bundle", "repin", str(tmp_path / "w2.wbwork"), "--fingerprint", own, db=db)
    assert wrong.returncode == 1 and "the fingerprint you typed is not the one" in wrong.stderr
    right = cli("bundle", "repin", str(tmp_path / "w2.wbwork"), "--fingerprint", new.replace(" ", ""), db=db)
    assert right.returncode == 0 and f"Pinned {new} for Salma (was {own})" in right.stdout
    assert cli("bundle", "import", str(tmp_path / "w2.wbwork"), db=db).returncode == 0


def test_no_private_key_leaves_its_machine(tmp_path):
    lead = make_lead(tmp_path / "lead.wbproj", annotators=("Salma",), k=1)
    copy = open_copy(lead, "Salma", tmp_path)
    annotate_first_round(copy, "Salma")
    export_work_bundle(copy, tmp_path / "w.wbb")
    import_work_bundles(lead, [tmp_path / "w.wbb"])
    private = {lead.setting("signing_key"), copy.setting("signing_key")}
    assert all(private)
    for bundle in (tmp_path / "Salma.project.wbb", tmp_path / "w.wbb"):
        with zipfile.ZipFile(bundle) as zf:
            blob = b"".join(zf.read(name) for name in zf.namelist())
        assert not any(key.encode() in blob for key in private)
    # The lead's project keeps the annotator's public key only; the copy keeps the lead's public key only.
    assert copy.setting("signing_key") not in str(list(lead.db.execute("SELECT * FROM annotators")))
    assert lead.setting("signing_key") not in str(list(copy.db.execute("SELECT * FROM settings")))
    copy.close()
    lead.close()
