"""The ``bundles`` family: crafted work bundles given to ``workbench-cli --db LEAD bundle import``.

A team is made once per process (:func:`base`): a lead project with three annotators, their
copies (each with its own Ed25519 key), genuine work bundles, and the lead in the states a
case may need (``receiver``): keys pinned (the default), no key pinned yet (trust on first
use), bundles already merged, and the format-1 (shared secret) project of
``tests/data/legacy_hmac``, upgraded, before and after its annotator's key is pinned. Each
case gets a fresh copy of its lead file and one crafted bundle, made from a genuine one by
the tests' own helpers (``tests/test_bundles.py``) and, where the tamper must get past the
signature, re-signed with the key the case names.

The attacks on the container (zip, manifest, signature) are shared with the ``project
bundles`` family: :func:`container_attacks` makes them from any genuine bundle.
"""

from __future__ import annotations

import atexit
import functools
import gzip
import hashlib
import io
import json
import os
import shutil
import struct
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.crafted import ACCEPTED, Build, Case, Check, Family, Outcome, Snapshot, classify, invoke_cli
from tests.test_bundles import (
    annotate_first_round,
    current,
    doc_ids,
    jsonl_bytes,
    jsonl_rows,
    layer,
    make_lead,
    open_copy,
    read_zip,
    resign,
)
from workbench.core.actions import DeleteSpan, EditSpan, SetStatus
from workbench.core.bundles import archive, signing
from workbench.core.bundles.work_bundle import export_work_bundle, import_work_bundles
from workbench.core.store import annotators as layer_owners
from workbench.core.store import documents
from workbench.core.store.project import Project

FAMILY_NAME = "bundles"
TEAM = ("Salma", "Omar", "Huda")
LEGACY = Path(__file__).resolve().parents[1] / "data" / "legacy_hmac"
MB = 1024 * 1024
DEEP = 100_000
FILE = "crafted.wbb"

# The lead's states a case is given to (``BundleCase.receiver``).
PINNED = "pinned"  # every annotator's key pinned, nothing merged yet
UNPINNED = "unpinned"  # no key pinned yet: the first keyed bundle pins its key
MERGED = "merged"  # keys pinned, Salma's newest bundle and Omar's merged
LEGACY_LEAD = "legacy"  # the format-1 lead, upgraded; nobody has a key pinned
LEGACY_PINNED = "legacy-pinned"  # the same, after Salma's first keyed bundle pinned her key

CHANGE_LOG = "a deep change log (kept as received, never parsed; only its hash and UTF-8 are checked)"
TOFU = "trust on first use (an annotator's first keyed bundle pins the key that signed it, shown to compare by voice)"
OLD_SCHEME = "format 1 (shared secret) from an annotator still on the old scheme"

Members = dict[str, bytes]


@dataclass(frozen=True)
class BundleCase(Case):
    receiver: str = PINNED  # which prepared lead project receives the bundle


# --- the team, made once per process ---------------------------------------------------------------


@dataclass
class Base:
    root: Path
    leads: dict[str, Path]  # prepared lead projects (closed), by state
    bundles: dict[str, list[Path]]  # genuine work bundles, oldest first
    keys: dict[str, str]  # each annotator's private key (what only their copy holds)
    docs: dict[str, list[str]]  # each annotator's documents
    layers: dict[str, dict[str, list[tuple]]]  # each annotator's layer after their newest bundle
    forger: str  # a private key nobody pinned
    other_project: Path  # a genuine work bundle of Salma's from another project
    project_bundle: Path  # Salma's genuine project bundle (a bundle of the other kind)
    omar_span_ids: list[str]
    legacy: Path  # a copy of tests/data/legacy_hmac (its lead and Salma's copy upgraded)


@functools.cache
def base() -> Base:
    root = Path(tempfile.mkdtemp(prefix="crafted-bundles-"))
    atexit.register(shutil.rmtree, root, True)
    lead = make_lead(root / "lead.wbproj")
    copies = {}
    for who in TEAM:
        (root / who).mkdir()
        copies[who] = open_copy(lead, who, root / who)
    lead.close()
    docs = {who: doc_ids(copy) for who, copy in copies.items()}
    keys = {who: copy.setting("signing_key") for who, copy in copies.items()}
    bundles: dict[str, list[Path]] = {}

    def emit(who: str) -> None:
        path = root / who / f"work-{len(bundles.setdefault(who, [])) + 1}.wbb"
        export_work_bundle(copies[who], path)
        bundles[who].append(path)

    salma = copies["Salma"]
    made = annotate_first_round(salma, "Salma")
    emit("Salma")
    EditSpan(current(salma, made[0].id), label="LOCATION", attributes={"canonical": "بنغازي"}).do(salma)
    DeleteSpan(current(salma, made[1].id)).do(salma)
    SetStatus(docs["Salma"][0], "Salma", "done").do(salma)
    emit("Salma")
    annotate_first_round(copies["Omar"], "Omar", shift=1)
    emit("Omar")
    layers = {who: layer(copies[who], who) for who in ("Salma", "Omar")}
    omar_span_ids = [row[0] for row in copies["Omar"].db.execute("SELECT id FROM spans")]
    for copy in copies.values():
        copy.close()

    leads = {UNPINNED: root / "lead.wbproj"}
    leads[PINNED] = _derived(leads[UNPINNED], root / "pinned.wbproj")
    with Project.open(leads[PINNED]) as project, project.transaction() as db:
        for who in TEAM:
            layer_owners.pin_key(db, who, signing.public_key(keys[who]))
    leads[MERGED] = _derived(leads[PINNED], root / "merged.wbproj")
    with Project.open(leads[MERGED]) as project:
        report = import_work_bundles(project, [bundles["Salma"][-1], bundles["Omar"][-1]])
        assert not report.refused, report.refused

    other = make_lead(root / "other" / "lead.wbproj", name="مشروع آخر")
    other_copy = open_copy(other, "Salma", root / "other")
    annotate_first_round(other_copy, "Salma")
    export_work_bundle(other_copy, root / "other" / "work.wbb")
    other_copy.close()
    other.close()

    legacy = root / "legacy"
    shutil.copytree(LEGACY, legacy)
    Project.open(legacy / "lead.wbproj").close()  # upgraded once here: a case's lead changes only by the case
    leads[LEGACY_LEAD] = legacy / "lead.wbproj"
    leads[LEGACY_PINNED] = _derived(leads[LEGACY_LEAD], root / "legacy-pinned.wbproj")
    with Project.open(legacy / "salma.wbproj") as old_copy:  # her old copy makes a key with its next bundle
        export_work_bundle(old_copy, legacy / "salma.work-3.wbb")
    with Project.open(leads[LEGACY_PINNED]) as project:
        report = import_work_bundles(project, [legacy / "salma.work-3.wbb"])
        assert not report.refused and report.merged[0]["key_pinned_now"], report
    return Base(
        root,
        leads,
        bundles,
        keys,
        docs,
        layers,
        signing.new_private_key(),
        root / "other" / "work.wbb",
        root / "Salma" / "Salma.project.wbb",
        omar_span_ids,
        legacy,
    )


def _derived(source: Path, path: Path) -> Path:
    shutil.copy(source, path)
    return path


# --- making crafted bundles -------------------------------------------------------------------------


def sign_manifest(members: Members, key: str) -> Members:
    return {**members, "signature": signing.sign(members["manifest.json"], key)}


def edit_manifest(members: Members, edit: Callable[[Any], Any]) -> Members:
    """The manifest parsed, edited (``edit`` returns the new value), dumped; nothing re-signed."""
    data = edit(json.loads(members["manifest.json"]))
    return {**members, "manifest.json": json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")}


def zipped(members: Members, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A plain zip of ``members`` (what any zip tool makes), as bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data, compression)
    return buffer.getvalue()


def write_bundle(folder: Path, content: bytes | Members, name: str = FILE) -> list[Path]:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        archive.write_members(path, content)
    return [path]


def entries(raw: bytes, member: str) -> tuple[int, int]:
    """Offsets of ``member``'s central directory entry and local header in the zip ``raw``."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        local = archive.getinfo(member).header_offset
    central = raw.index(member.encode(), raw.index(b"PK\x01\x02")) - 46
    assert raw[central : central + 4] == b"PK\x01\x02" and raw[local : local + 4] == b"PK\x03\x04"
    return central, local


def deep(depth: int = DEEP) -> str:
    return "[" * depth + "]" * depth


@dataclass(frozen=True)
class Source:
    """A family's genuine bundle, as :func:`container_attacks` needs it: its members, the private
    key that signs it, a JSON Lines member to tamper with, its kind, and a genuine bundle of the
    other kind (to give in its place)."""

    members: Callable[[], Members]
    key: Callable[[], str]
    rows_member: str  # a JSON Lines member with rows
    kind: str  # "work" or "project"
    other_kind: Callable[[], Path]  # a genuine bundle of the other kind


def container_attacks(source: Source) -> list[tuple[str, Build, str]]:
    """``(name, build, phrase)``: attacks on a bundle's zip, manifest and signature, made from
    ``source``'s genuine bundle, each with a phrase its refusal must contain."""
    genuine, key, target = source.members, source.key, source.rows_member
    other = "project" if source.kind == "work" else "work"

    def of(make: Callable[[], bytes | Members]) -> Build:
        return lambda folder: write_bundle(folder, make())

    def signed(**changes: Any) -> Build:
        return of(lambda: resign(genuine(), key(), **changes))

    def manifest_signed(edit: Callable[[Any], Any]) -> Build:
        return of(lambda: sign_manifest(edit_manifest(resign(genuine(), key()), edit), key()))

    def raw_manifest(data: bytes) -> Build:
        return of(lambda: {**genuine(), "manifest.json": data})

    def patched(patch: Callable[[bytearray, int, int], None], compression: int = zipfile.ZIP_DEFLATED) -> Build:
        def make() -> bytes:
            raw = zipped(genuine(), compression)
            central, local = entries(raw, target)
            data = bytearray(raw)
            patch(data, central, local)
            return bytes(data)

        return of(make)

    def flip(raw: bytearray, _central: int, local: int) -> None:
        name_length, extra_length = struct.unpack_from("<HH", raw, local + 26)
        raw[local + 30 + name_length + extra_length + 5] ^= 0xFF

    def garble(raw: bytearray, _central: int, local: int) -> None:
        name_length, extra_length = struct.unpack_from("<HH", raw, local + 26)
        start = local + 30 + name_length + extra_length
        raw[start : start + 4] = b"\xff\xff\xff\xff"  # deflate block type 3: invalid

    def encrypted(raw: bytearray, central: int, local: int) -> None:
        raw[central + 8] |= 1
        raw[local + 6] |= 1

    def future_zip(raw: bytearray, central: int, _local: int) -> None:
        struct.pack_into("<H", raw, central + 6, 99)  # version needed to extract: 9.9

    def declared(size: int) -> Callable[[bytearray, int, int], None]:
        return lambda raw, central, _local: struct.pack_into("<I", raw, central + 24, size)

    def tampered() -> Members:
        members = genuine()
        lines = jsonl_rows(members[target])
        lines.append(lines[0] if lines else {"evil": True})
        return {**members, target: jsonl_bytes(lines)}

    def bomb() -> bytes:
        return zipped({**genuine(), target: b"\n" * (50 * MB)})

    def liar() -> bytes:
        """Every member's size declared as 100 bytes; one holds 3 MB."""
        raw = bytearray(zipped({**resign(genuine(), key()), target: b"x" * (3 * MB)}))
        offset = raw.index(b"PK\x01\x02")
        while (offset := raw.find(b"PK\x01\x02", offset)) >= 0:
            struct.pack_into("<I", raw, offset + 24, 100)
            offset += 4
        return bytes(raw)

    def twice() -> bytes:
        members = resign(genuine(), key())
        forged = jsonl_rows(members[target])[:1]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # zipfile's "Duplicate name": the point of the case
            archive.writestr(target, jsonl_bytes(forged))  # the first copy, which other tools show
            for name, data in members.items():
                archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
        return buffer.getvalue()

    def with_member(name: str, data: bytes = b"x") -> Build:
        return of(lambda: zipped({**genuine(), name: data}))

    def without(name: str) -> Members:
        members = genuine()
        del members[name]
        return members

    def truncated() -> bytes:
        data = zipped(genuine())
        return data[: len(data) // 2]

    def unsigned() -> Members:
        return without("signature")

    def forged_signature() -> Members:
        """Signed by a new key while its manifest names the genuine one."""
        members = genuine()
        named = json.loads(members["manifest.json"])["signer"]
        return resign(members, signing.new_private_key(), signer=named)

    def hash_updated() -> Members:
        """A member changed and its hash in the manifest updated; the old signature kept."""
        return resign(tampered(), None, sign=False)

    attacks: list[tuple[str, Build, str]] = [
        ("container/not-a-zip", of(lambda: b"This is a letter, not a bundle.\n" * 20), "not a zip file"),
        ("container/empty-file", of(lambda: b""), "not a zip file"),
        ("container/random-bytes", of(lambda: bytes(range(256)) * 40), "not a zip file, or truncated"),
        ("container/gzip-not-zip", of(lambda: gzip.compress(b"{}" * 100, mtime=0)), "not a zip file"),
        ("container/truncated", of(truncated), "not a zip file, or truncated"),
        ("container/flipped-byte-in-a-member", patched(flip, zipfile.ZIP_STORED), "is damaged"),
        ("container/broken-deflate-stream", patched(garble), "is damaged"),
        ("container/encrypted-member", patched(encrypted), "is damaged"),
        ("container/zip-version-9.9", patched(future_zip), "damaged or not a Workbench bundle"),
        ("container/zip-bomb-50-mb-of-newlines", of(bomb), "absurd compression ratio"),
        ("container/declared-size-4-gb", patched(declared(0xFFFF_FF00)), "more than the"),
        ("container/declared-size-too-small", patched(declared(10)), "damaged"),
        ("container/members-larger-than-declared", of(liar), "damaged"),
        (
            "container/too-many-members",
            of(lambda: zipped({**genuine(), **{f"m{i}.json": b"{}" for i in range(40)}})),
            "a bundle has at most 32",
        ),
        ("container/duplicate-member-names", of(twice), f"two members named '{target}'"),
        ("container/unsafe-name-dotdot", with_member(f"../{target}"), "unsafe member name"),
        ("container/unsafe-name-absolute", with_member("/etc/passwd"), "unsafe member name"),
        ("container/unsafe-name-in-a-folder", with_member(f"sub/{target}"), "unsafe member name"),
        ("container/unsafe-name-backslash", with_member("..\\evil"), "unsafe member name"),
        ("container/unsafe-name-drive", with_member(f"C:{target}"), "unsafe member name"),
        ("container/folder-member", with_member("folder/", b""), "unsafe member name"),
        (
            "container/unexpected-member-signed",
            of(lambda: resign({**genuine(), "payload.py": b"import os\n"}, key())),
            "unexpected member 'payload.py'",
        ),
        ("container/a-bundle-of-the-other-kind", of(lambda: source.other_kind().read_bytes()), "unexpected member"),
        ("manifest/missing", of(lambda: without("manifest.json")), "has no manifest"),
        ("manifest/a-member-missing-re-signed", of(lambda: resign(without(target), key())), f"{target}"),
        ("manifest/not-json", raw_manifest(b"{not json"), "not valid JSON"),
        ("manifest/not-utf8", raw_manifest(b"\xff\xfe{}"), "not valid JSON"),
        ("manifest/nested-too-deeply", raw_manifest(deep().encode()), "nested too deeply"),
        ("manifest/a-list", raw_manifest(b"[1, 2]"), "is not a Workbench bundle"),
        ("manifest/wrong-format-name", signed(format="zip-bundle"), "is not a Workbench bundle"),
        ("manifest/newer-format-version", signed(format_version=3), "made by a newer version of Workbench"),
        ("manifest/format-version-0", signed(format_version=0), "no valid format version"),
        ("manifest/format-version-as-text", signed(format_version="2"), "bundle format"),
        ("manifest/kind-swapped", signed(kind=other), f"is a {other} bundle, not a {source.kind} bundle"),
        ("manifest/members-not-listed", manifest_signed(lambda m: {**m, "members": None}), "lists no members"),
        (
            "manifest/lists-a-member-not-there",
            manifest_signed(lambda m: {**m, "members": {**m["members"], "extra.jsonl": "0" * 64}}),
            "do not match its manifest",
        ),
        (
            "manifest/no-project-id",
            manifest_signed(lambda m: {k: v for k, v in m.items() if k != "project_id"}),
            "has no project_id",
        ),
        ("manifest/documents-a-list", signed(documents=[]), "malformed"),
        ("manifest/annotator-a-list", signed(annotator=["Salma"]), "malformed"),
        ("manifest/created-at-a-number", signed(created_at=5), "malformed"),
        ("manifest/project-id-a-number", signed(project_id=5), "malformed"),
        ("signature/member-altered-not-resigned", of(tampered), f"{target} was altered after the bundle was made"),
        (
            "signature/hash-updated-old-signature-kept",
            of(hash_updated),
            "the signature does not match the key it names",
        ),
        ("signature/missing", of(unsigned), "is not signed"),
        ("signature/garbage", of(lambda: {**genuine(), "signature": b"not base64 at all!"}), "does not match the key"),
        ("signature/empty", of(lambda: {**genuine(), "signature": b""}), "does not match the key"),
        (
            "signature/another-key-naming-the-genuine-one",
            of(forged_signature),
            "the signature does not match the key it names",
        ),
        ("signature/no-signer-block", signed(signer=None), "does not say which key signed it"),
        (
            "signature/signer-key-not-hex",
            signed(signer={"scheme": "ed25519", "public_key": "zz" * 32}),
            "does not say which key signed it",
        ),
        (
            "signature/signer-scheme-unknown",
            signed(signer={"scheme": "rsa", "public_key": "ab" * 32}),
            "does not say which key signed it",
        ),
    ]
    return attacks


# --- the cases ---------------------------------------------------------------------------------------


def _salma() -> Members:
    return read_zip(base().bundles["Salma"][-1])


def _key(who: str = "Salma") -> Callable[[], str]:
    return lambda: base().keys[who]


SOURCE = Source(_salma, _key(), "spans.jsonl", "work", lambda: base().project_bundle)


def case(name: str, build: Build, says: str = "", **kw: Any) -> BundleCase:
    return BundleCase(FAMILY_NAME, name, build, says=says, **kw)


def salmas(which: int) -> Build:
    """One of Salma's genuine bundles, as her copy wrote it (``-1``: her newest)."""
    return lambda folder: write_bundle(folder, base().bundles["Salma"][which].read_bytes())


def made(make: Callable[[Base], bytes | Members]) -> Build:
    """A build from the team: ``make(base)`` gives the bundle's bytes or members."""
    return lambda folder: write_bundle(folder, make(base()))


def salma_signed(edit: Callable[[Members, Base], None] | None = None, key: str = "Salma", **changes: Any) -> Build:
    """Salma's newest bundle, ``edit``-ed, re-signed with ``key``'s private key (an annotator's,
    or ``forger``); manifest ``changes`` may be callables of the team."""

    def make(b: Base) -> Members:
        members = _salma()
        if edit is not None:
            edit(members, b)
        private = b.forger if key == "forger" else b.keys[key]
        return resign(members, private, **{k: v(b) if callable(v) else v for k, v in changes.items()})

    return made(make)


def span_rows(edit: Callable[[list[dict[str, Any]], Base], None]) -> Callable[[Members, Base], None]:
    def change(members: Members, b: Base) -> None:
        lines = jsonl_rows(members["spans.jsonl"])
        edit(lines, b)
        members["spans.jsonl"] = jsonl_bytes(lines)

    return change


def first_span(**fields: Any) -> Callable[[Members, Base], None]:
    return span_rows(lambda lines, _b: lines[0].update(fields))


def casualty(**fields: Any) -> Callable[[Members, Base], None]:
    """The first CASUALTY span (one with attributes to get wrong) changed."""
    return span_rows(lambda lines, _b: next(r for r in lines if r["label"] == "CASUALTY").update(fields))


def member(name: str, data: bytes) -> Callable[[Members, Base], None]:
    return lambda members, _b: members.update({name: data})


def _listed(_b: Base) -> dict[str, str]:
    return json.loads(_salma()["manifest.json"])["documents"]


def _text_length(b: Base) -> int:
    with Project.open(b.leads[PINNED], check=False) as lead:
        return len(documents.get(lead.db, b.docs["Salma"][0]).text)


def _past_the_end(lines: list[dict[str, Any]], b: Base) -> None:
    row = next(r for r in lines if r["doc_id"] == b.docs["Salma"][0])
    length = _text_length(b)
    row["start"], row["end"] = length - 2, length + 10


def _relabel_all(lines: list[dict[str, Any]], _b: Base) -> None:
    for row in lines:
        row["label"], row["attributes"] = "DATE", {}


def _deep_attributes(members: Members, _b: Base) -> None:
    lines = [json.dumps(row, ensure_ascii=False, sort_keys=True) for row in jsonl_rows(members["spans.jsonl"])]
    lines[0] = lines[0].replace('"attributes": {', '"attributes": {"deep": ' + deep() + ", ", 1)
    members["spans.jsonl"] = ("\n".join(lines) + "\n").encode()


def _deep_line(members: Members, _b: Base) -> None:
    lines = members["spans.jsonl"].decode().splitlines()
    lines.insert(1, deep())
    members["spans.jsonl"] = ("\n".join(lines) + "\n").encode()


def _not_assigned_document(b: Base) -> Members:
    """Salma's bundle also listing a document given to Omar only, with a span of hers on it."""
    doc_id = next(d for d in b.docs["Omar"] if d not in b.docs["Salma"])
    with Project.open(b.leads[PINNED], check=False) as lead:
        document = documents.get(lead.db, doc_id)
    members = _salma()
    lines = jsonl_rows(members["spans.jsonl"])
    start = document.text.index(" ") + 1
    end = document.text.index(" ", start)
    lines.append(
        {**lines[0], "id": "f" * 32, "doc_id": doc_id, "start": start, "end": end, "label": "DATE", "attributes": {}}
    )
    members["spans.jsonl"] = jsonl_bytes(lines)
    return resign(members, b.keys["Salma"], documents={**_listed(b), doc_id: document.sha256})


def _format_1(secret: bytes | None = None) -> Callable[[Base], Members]:
    """Salma's newest bundle as format 1 made it: no signer, an HMAC signature (with a secret
    nobody holds, unless one is given)."""

    def make(b: Base) -> Members:
        members = resign(_salma(), None, sign=False, format_version=1, signer=None)
        return {**members, "signature": signing.hmac_sign(members["manifest.json"], secret or os.urandom(32))}

    return make


def _legacy(name: str) -> Build:
    return lambda folder: write_bundle(folder, (base().legacy / name).read_bytes())


def _legacy_tampered(b: Base) -> Members:
    """Salma's format-1 bundle with its span relabelled and the member hash updated; the HMAC kept."""
    members = read_zip(b.legacy / "salma.work-1.wbb")
    lines = jsonl_rows(members["spans.jsonl"])
    lines[0]["label"], lines[0]["attributes"] = "DATE", {}
    return resign({**members, "spans.jsonl": jsonl_bytes(lines)}, None, sign=False)


def _long_change_log(members: Members, _b: Base) -> None:
    """A change log of 5 MB that packs to a thirtieth of it: big, not a bomb."""
    line = {"action": "span.create", "note": "قتل أربعة في بنغازي"}
    members["changes.jsonl"] = jsonl_bytes([{**line, "seq": n} for n in range(60_000)])


def _without(key: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda manifest: {k: v for k, v in manifest.items() if k != key}


def _deep_manifest(members: Members) -> Members:
    """The manifest with a deeply nested value in front of its own fields (then signed again)."""
    return {
        **members,
        "manifest.json": members["manifest.json"].replace(b"{", b'{"deep": ' + deep().encode() + b",", 1),
    }


def _steal(lines: list[dict[str, Any]], b: Base) -> None:
    lines[-1]["id"] = b.omar_span_ids[0]


# --- checks of what an accepted bundle did --------------------------------------------------------


def _lead_state(project_path: Path, who: str) -> tuple[dict[str, list[tuple]], str | None]:
    with Project.open(project_path, check=False) as lead:
        state = layer_owners.signing(lead.db, who)
        return layer(lead, who, base().docs[who]), state.public_key if state else None


def merges(who: str = "Salma", pins: str | None = None, says: str = "merged ") -> Check:
    """``who``'s layer on their documents is now their copy's, the report says ``says``, and
    (``pins``: an annotator's name or ``forger``) that key is pinned and its fingerprint shown."""

    def check(project_path: Path, said: str) -> str | None:
        held, pinned = _lead_state(project_path, who)
        if says not in said:
            return f"the report does not say {says!r}: {said[:300]}"
        b = base()
        if pins == "forger":
            if {span[3] for spans in held.values() for span in spans} != {"DATE"}:
                return f"{who}'s layer in the lead is not the bundle's (every span relabelled DATE)"
        elif held != b.layers[who]:
            return f"{who}'s layer in the lead is not the bundle's"
        if pins is None:
            return None
        public = signing.public_key(b.forger if pins == "forger" else b.keys[pins])
        if pinned != public:
            return f"the key pinned for {who} is not the one that signed the bundle"
        if f"pinned {signing.fingerprint(public)}" not in said or "read you their key" not in said:
            return f"the report does not show the pinned fingerprint to compare by voice: {said[:300]}"
        return None

    return check


def nothing_changed(state: str, says: str) -> Check:
    """The lead is byte for byte its prepared state, and the report says why (``says``)."""

    def check(project_path: Path, said: str) -> str | None:
        from tests.conftest import _snapshot

        if _snapshot(project_path) != _snapshot(base().leads[state]):
            return "the lead changed"
        return None if says in said else f"the report does not say {says!r}: {said[:300]}"

    return check


def merges_old_scheme(project_path: Path, said: str) -> str | None:
    with Project.open(project_path, check=False) as lead:
        count = lead.db.execute("SELECT COUNT(*) FROM spans WHERE annotator = 'Salma'").fetchone()[0]
    if "signed with the old shared secret" not in said:
        return f"the report does not say it was signed with the old shared secret: {said[:300]}"
    return None if count == 1 else f"{count} spans of Salma's in the lead, not 1"


# --- the catalogue ----------------------------------------------------------------------------------

CONTAINER = [case(name, build, says) for name, build, says in container_attacks(SOURCE)]

WHO = [
    case(
        "who/another-project",
        lambda folder: write_bundle(folder, base().other_project.read_bytes()),
        "belongs to another project (مشروع آخر)",
    ),
    case(
        "who/unknown-annotator",
        salma_signed(annotator="Zaid"),
        "is from 'Zaid', who is not an annotator of this project",
    ),
    case("who/annotator-named-gold", salma_signed(annotator="gold"), "names no valid annotator"),
    case("who/annotator-empty", salma_signed(annotator=""), "names no valid annotator"),
    case("who/annotator-with-a-tab", salma_signed(annotator="Sal\tma"), "names no valid annotator"),
    # The headline: every span of Salma's relabelled, signed by someone else's key.
    case(
        "who/forged-relabel-of-all-salmas-spans",
        salma_signed(span_rows(_relabel_all), key="forger"),
        "is signed by a different key than the one pinned for Salma on ",
    ),
    case(
        "who/salmas-key-claiming-omar",
        salma_signed(key="Salma", annotator="Omar"),
        "signed by a different key than the one pinned for Omar",
    ),
    case(
        "who/omars-key-carrying-salmas-spans",
        salma_signed(key="Omar", annotator="Omar"),
        "is not assigned to Omar",
    ),
    case(
        "who/hudas-key-signing-as-salma",
        salma_signed(key="Huda"),
        "signed by a different key than the one pinned for Salma",
    ),
    case(
        "who/salmas-signature-on-a-manifest-naming-omar",
        made(lambda b: {**resign(_salma(), None, sign=False, annotator="Omar"), "signature": _salma()["signature"]}),
        "the signature does not match the key it names",
    ),
    case(
        "who/format-1-downgrade-after-her-key-was-pinned",
        _legacy("salma.work-2.wbb"),
        "signed with the old shared secret, but Salma signs with a key since",
        receiver=LEGACY_PINNED,
    ),
    case(
        "who/format-1-crafted-for-a-pinned-annotator",
        made(_format_1()),
        "signed with the old shared secret, but Salma signs with a key since",
    ),
    case(
        "who/format-1-for-an-annotator-without-a-secret",
        made(_format_1()),
        "the signature does not match Salma's key",
        receiver=UNPINNED,
    ),
    case(
        "who/format-1-tampered-hmac-kept",
        made(_legacy_tampered),
        "the signature does not match Salma's key",
        receiver=LEGACY_LEAD,
    ),
]

CONTENT = [
    case("content/span-past-the-end", salma_signed(span_rows(_past_the_end)), "does not fit the text"),
    case("content/span-reversed", salma_signed(first_span(start=9, end=3)), "does not fit the text"),
    case("content/span-empty", salma_signed(first_span(start=3, end=3)), "does not fit the text"),
    case("content/span-negative-start", salma_signed(first_span(start=-4)), "does not fit the text"),
    case("content/span-offsets-huge", salma_signed(first_span(start=10**30, end=10**30 + 1)), "does not fit the text"),
    case("content/span-offsets-as-strings", salma_signed(first_span(start="3")), "offsets are not integers"),
    case("content/span-offsets-as-floats", salma_signed(first_span(end=8.0)), "offsets are not integers"),
    case("content/span-offsets-as-booleans", salma_signed(first_span(start=True)), "offsets are not integers"),
    case(
        "content/span-label-unknown",
        salma_signed(first_span(label="WEAPON", attributes={})),
        "has the label 'WEAPON', which the schema lacks",
    ),
    case("content/span-label-not-text", salma_signed(first_span(label=5)), "a span is malformed"),
    case(
        "content/span-attribute-bad-choice",
        salma_signed(casualty(attributes={"kind": "exploded"})),
        "kind must be one of",
    ),
    case(
        "content/span-attribute-unknown",
        salma_signed(casualty(attributes={"colour": "red"})),
        "CASUALTY has no attribute 'colour'",
    ),
    case("content/span-attributes-a-list", salma_signed(first_span(attributes=[1])), "a span is malformed"),
    case("content/span-note-a-number", salma_signed(first_span(note=5)), "a span is malformed"),
    case("content/span-unsure-text", salma_signed(first_span(unsure="yes")), "a span is malformed"),
    case("content/span-id-a-number", salma_signed(first_span(id=5)), "a span is malformed"),
    case("content/span-extra-field", salma_signed(first_span(script="rm -rf /")), "a span has unexpected fields"),
    case(
        "content/span-missing-field",
        salma_signed(span_rows(lambda lines, _b: lines[0].pop("label"))),
        "a span has unexpected fields",
    ),
    case(
        "content/span-of-another-annotator",
        salma_signed(first_span(annotator="Omar")),
        "belongs to 'Omar', not to 'Salma'",
    ),
    case(
        "content/span-on-an-unlisted-document",
        salma_signed(first_span(doc_id="nope")),
        "the document is not listed in the manifest",
    ),
    case(
        "content/span-id-of-another-layer",
        salma_signed(span_rows(_steal), sequence=3),
        "is already used by another layer",
        receiver=MERGED,
    ),
    case(
        "content/span-id-twice",
        salma_signed(span_rows(lambda lines, _b: lines.insert(1, {**lines[0], "label": "DATE", "attributes": {}}))),
        "appears twice",
    ),
    case(
        "content/span-same-range-twice",
        salma_signed(span_rows(lambda lines, _b: lines.insert(1, {**lines[0], "id": "e" * 32}))),
        "repeats span",
    ),
    case("content/span-row-not-an-object", salma_signed(member("spans.jsonl", b"[1, 2]\n")), "is not a JSON object"),
    case(
        "content/spans-not-json",
        salma_signed(member("spans.jsonl", b"{not json\n")),
        "spans.jsonl line 1 is not valid JSON",
    ),
    case("content/spans-not-utf8", salma_signed(member("spans.jsonl", b"\xff\xfe\n")), "spans.jsonl is not UTF-8"),
    case(
        "content/document-not-in-the-project",
        salma_signed(documents=lambda b: {**_listed(b), "no-such-doc": "0" * 64}),
        "document 'no-such-doc' is not in this project",
    ),
    case(
        "content/document-text-differs",
        salma_signed(
            documents=lambda b: {**_listed(b), b.docs["Salma"][0]: hashlib.sha256(b"another text").hexdigest()}
        ),
        "differs from the project's",
    ),
    case(
        "content/document-hash-a-number",
        salma_signed(documents=lambda b: {**_listed(b), b.docs["Salma"][0]: 5}),
        "malformed",
    ),
    case(
        "content/document-not-assigned-to-her",
        made(_not_assigned_document),
        "not assigned",
    ),
    case(
        "content/status-unknown",
        salma_signed(member("statuses.jsonl", jsonl_bytes([{"doc_id": "x", "status": "finished"}]))),
        "a status is malformed",
    ),
    case(
        "content/status-for-an-unlisted-document",
        salma_signed(member("statuses.jsonl", b'{"doc_id": "nope", "status": "done"}\n')),
        "a status is malformed or for an unlisted document",
    ),
    case(
        "content/status-doc-id-an-object",
        salma_signed(member("statuses.jsonl", jsonl_bytes([{"doc_id": {"a": 1}, "status": "done"}]))),
        "a status is malformed",
    ),
    case(
        "content/status-row-not-an-object", salma_signed(member("statuses.jsonl", b'"done"\n')), "is not a JSON object"
    ),
    case(
        "content/deleted-not-json",
        salma_signed(member("deleted.jsonl", b"{not json\n")),
        "deleted.jsonl line 1 is not valid JSON",
    ),
    case(
        "content/changes-not-utf8",
        salma_signed(member("changes.jsonl", b"\xff\xfe\xfd\n")),
        "changes.jsonl is not UTF-8",
    ),
    case(
        "content/unpacks-past-max-mb",
        salma_signed(_long_change_log),
        "would unpack to",
        args=("--max-mb", "2"),
    ),
    case(
        "content/over-max-mb",
        salmas(-1),
        "more than the",
        args=("--max-mb", "0.001"),
    ),
]

SEQUENCE = [
    case("sequence/2-to-the-63-minus-1", salma_signed(sequence=2**63 - 1), "absurd"),
    case("sequence/a-million-and-one-above-the-floor", salma_signed(sequence=1_000_001), "more than 1,000,000 above"),
    case("sequence/2-to-the-63", salma_signed(sequence=2**63), "no valid sequence number"),
    case("sequence/10-to-the-30", salma_signed(sequence=10**30), "no valid sequence number"),
    case("sequence/zero", salma_signed(sequence=0), "no valid sequence number"),
    case("sequence/negative", salma_signed(sequence=-1), "no valid sequence number"),
    case("sequence/as-text", salma_signed(sequence="2"), "no valid sequence number"),
    case("sequence/a-boolean", salma_signed(sequence=True), "no valid sequence number"),
    case(
        "sequence/missing",
        made(
            lambda b: sign_manifest(
                edit_manifest(resign(_salma(), b.keys["Salma"]), _without("sequence")), b.keys["Salma"]
            )
        ),
        "no valid sequence number",
    ),
]

DEEP_JSON = [
    case("deep/spans-line", salma_signed(_deep_line), "spans.jsonl line 2 is nested too deeply"),
    case("deep/span-attributes", salma_signed(_deep_attributes), "spans.jsonl line 1 is nested too deeply"),
    case(
        "deep/statuses",
        salma_signed(member("statuses.jsonl", (deep() + "\n").encode())),
        "statuses.jsonl line 1 is nested too deeply",
    ),
    case(
        "deep/deleted",
        salma_signed(member("deleted.jsonl", (deep() + "\n").encode())),
        "deleted.jsonl line 1 is nested too deeply",
    ),
    case(
        "deep/changes-kept-unread",
        salma_signed(member("changes.jsonl", (deep() + "\n").encode())),
        expect=ACCEPTED,
        check=merges(),
        note=CHANGE_LOG,
    ),
    case(
        "deep/manifest-signed",
        made(lambda b: sign_manifest(_deep_manifest(_salma()), b.keys["Salma"])),
        "nested too deeply",
    ),
]

GENUINE = [
    case(
        "accepted/genuine",
        salmas(-1),
        expect=ACCEPTED,
        check=merges(),
    ),
    case("accepted/rebuilt-and-re-signed-by-her", salma_signed(), expect=ACCEPTED, check=merges()),
    case(
        "accepted/re-import",
        salmas(-1),
        expect=ACCEPTED,
        check=nothing_changed(MERGED, "is not newer than bundle 2 already merged: nothing changed"),
        receiver=MERGED,
    ),
    case(
        "accepted/older-bundle",
        salmas(0),
        expect=ACCEPTED,
        check=nothing_changed(MERGED, "bundle 1 is not newer than bundle 2 already merged: nothing changed"),
        receiver=MERGED,
    ),
    case(
        "accepted/sequence-a-million-above-the-floor", salma_signed(sequence=1_000_000), expect=ACCEPTED, check=merges()
    ),
    case(
        "accepted/first-keyed-bundle-pins-her-key",
        salmas(-1),
        expect=ACCEPTED,
        check=merges(pins="Salma", says="first bundle signed with a key from Salma: pinned"),
        receiver=UNPINNED,
        note=TOFU,
    ),
    # What trust on first use means: whoever sends the first keyed bundle is pinned; the report
    # shows the fingerprint for the lead to compare by voice, and the real Salma's next bundle is refused.
    case(
        "accepted/first-keyed-bundle-from-a-stranger-is-pinned-and-shown",
        salma_signed(span_rows(_relabel_all), key="forger"),
        expect=ACCEPTED,
        check=merges(pins="forger", says="first bundle signed with a key from Salma: pinned"),
        receiver=UNPINNED,
        note=TOFU,
    ),
    case(
        "accepted/format-1-from-an-annotator-on-the-old-scheme",
        _legacy("salma.work-1.wbb"),
        expect=ACCEPTED,
        check=merges_old_scheme,
        receiver=LEGACY_LEAD,
        note=OLD_SCHEME,
    ),
]

CASES: tuple[Case, ...] = (*CONTAINER, *WHO, *CONTENT, *SEQUENCE, *DEEP_JSON, *GENUINE)


# --- running ---------------------------------------------------------------------------------------


def run(case: Case, folder: Path, snapshot: Snapshot) -> Outcome:
    """``workbench-cli --db LEAD bundle import ARGS FILE`` on a fresh copy of the case's lead."""
    receiver = case.receiver if isinstance(case, BundleCase) else PINNED
    lead = folder / "lead.wbproj"
    shutil.copy(base().leads[receiver], lead)
    inputs = folder / "input"
    inputs.mkdir()
    paths = case.build(inputs)
    before = snapshot(lead)
    result = invoke_cli(["--db", lead, "bundle", "import", *case.args, *paths])
    changed = snapshot(lead) != before
    problem = None
    if case.check is not None and result.exit_code == 0 and not result.escaped:
        problem = case.check(lead, result.output)
    return classify(case, result, changed, problem)


FAMILY = Family(FAMILY_NAME, CASES, run)
