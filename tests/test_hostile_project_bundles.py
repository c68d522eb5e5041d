"""Crafted project bundles, signed with the lead's real key (a broken or compromised lead, or a
bug): their contents are checked like any import, so each is refused with a sentence, no
traceback, and no copy is made (or an existing copy is left as it was)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.test_bundles import jsonl_bytes, jsonl_rows, make_lead, read_zip, resign, snapshot_of
from workbench.core.bundles import archive
from workbench.core.bundles.archive import BundleError
from workbench.core.bundles.project_bundle import export_project_bundle, open_project_bundle
from workbench.core.text.normalise import content_hash


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> tuple[dict[str, bytes], str, Path]:
    """Salma's genuine project bundle (with one span of hers), and the lead's private key."""
    root = tmp_path_factory.mktemp("project-bundles")
    lead = make_lead(root / "lead.wbproj", annotators=("Salma",), k=1)
    from workbench.core.actions import CreateSpan
    from workbench.core.store import documents
    from workbench.core.store.spans import Span

    doc_id = lead.db.execute("SELECT id FROM documents ORDER BY rowid").fetchone()[0]
    text = documents.get(lead.db, doc_id).text
    start = text.index("ليبيا") if "ليبيا" in text else 0
    CreateSpan(Span(doc_id, "Salma", start, start + 5, "LOCATION", {}), actor="lead").do(lead)
    export_project_bundle(lead, "Salma", root / "salma.wbb")
    key = lead.setting("signing_key")
    lead.close()
    return read_zip(root / "salma.wbb"), key, root


def _json(data: bytes):
    return json.loads(data)


def _edit_rows(member: str, edit: Callable[[list[dict]], None]) -> Callable[[dict], None]:
    def change(members: dict[str, bytes]) -> None:
        rows = jsonl_rows(members[member])
        edit(rows)
        members[member] = jsonl_bytes(rows)

    return change


def _edit_json(member: str, edit: Callable[[dict], None]) -> Callable[[dict], None]:
    def change(members: dict[str, bytes]) -> None:
        data = _json(members[member])
        edit(data)
        members[member] = json.dumps(data, ensure_ascii=False).encode("utf-8")

    return change


def _set_span(**fields) -> Callable[[dict], None]:
    return _edit_rows("spans.jsonl", lambda rows: rows[0].update(fields))


def _set_label(index: int, **fields) -> Callable[[dict], None]:
    return _edit_json("schema.json", lambda schema: schema["labels"][index].update(fields))


def _replace_text(text: str) -> Callable[[dict], None]:
    """A document's text replaced, its hashes (row and manifest) made to match."""

    def change(members: dict[str, bytes]) -> None:
        rows = jsonl_rows(members["documents.jsonl"])
        rows[0]["text"], rows[0]["sha256"] = text, content_hash(text)
        members["documents.jsonl"] = jsonl_bytes(rows)
        members["spans.jsonl"] = b""  # its span no longer fits; leave the text to be judged alone

    return change


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


CASES: dict[str, tuple[Callable[[dict], None], str]] = {
    # spans
    "span past the end": (_set_span(start=10**6, end=10**6 + 3), "does not fit the text"),
    "span reversed": (_set_span(start=9, end=3), "does not fit the text"),
    "span label unknown": (_set_span(label="WEAPON"), "has the label 'WEAPON', which the schema lacks"),
    "span offsets as strings": (_set_span(start="3"), "offsets are not integers"),
    "span offsets as floats": (_set_span(end=8.0), "offsets are not integers"),
    "span offsets as booleans": (_set_span(start=True), "offsets are not integers"),
    "span missing a field": (_edit_rows("spans.jsonl", lambda rows: rows[0].pop("label")), "unexpected fields"),
    "span extra field": (_set_span(evil="1"), "unexpected fields"),
    "span attributes not an object": (_set_span(attributes=[1, 2]), "a span is malformed"),
    "span of another annotator": (_set_span(annotator="Omar"), "belongs to 'Omar', not to 'Salma'"),
    "span on a document not in the bundle": (_set_span(doc_id="nope"), "the document is not in the bundle"),
    "span same range twice": (
        _edit_rows("spans.jsonl", lambda rows: rows.append({**rows[0], "id": "another-id"})),
        "repeats span",
    ),
    "spans member missing": (lambda m: m.pop("spans.jsonl"), "lacks spans.jsonl"),
    "statuses member missing": (lambda m: m.pop("statuses.jsonl"), "lacks statuses.jsonl"),
    "span id twice": (_edit_rows("spans.jsonl", lambda rows: rows.append(dict(rows[0]))), "appears twice"),
    "span attribute unknown": (_set_span(attributes={"color": "red"}), "refused"),
    "span row not an object": (lambda m: m.update({"spans.jsonl": b"[1, 2]\n"}), "is not a JSON object"),
    "span row nested too deeply": (
        lambda m: m.update({"spans.jsonl": (_deep(100_000) + "\n").encode()}),
        "nested too deeply",
    ),
    # labels
    "label name as HTML": (_set_label(0, name="<b>ACTOR</b>"), "label name '<b>ACTOR</b>' must be"),
    "label colour a word": (_set_label(0, color="red"), "colour 'red' must look like #RRGGBB"),
    "label key Ctrl+Q": (_set_label(0, key="Ctrl+Q"), "key 'Ctrl+Q'"),
    "label name not text": (_set_label(0, name=5), "refused"),
    "label twice": (_edit_json("schema.json", lambda s: s["labels"].append(s["labels"][0])), "already has"),
    "label attribute type unknown": (
        _set_label(0, attributes=[{"name": "x", "type": "script"}]),
        "unknown type 'script'",
    ),
    "label not an object": (_edit_json("schema.json", lambda s: s["labels"].append("ACTOR")), "malformed"),
    "labels not a list": (_edit_json("schema.json", lambda s: s.update(labels="ACTOR")), "malformed"),
    "guidelines not text": (_edit_json("schema.json", lambda s: s.update(guidelines=["x"])), "malformed"),
    "schema not JSON": (lambda m: m.update({"schema.json": b"{not json"}), "malformed"),
    "schema nested too deeply": (
        lambda m: m.update({"schema.json": _deep(100_000).encode()}),
        "malformed",
    ),
    # identity
    "identity not JSON": (lambda m: m.update({"identity.json": b"\xff\xfe"}), "malformed"),
    "identity names another annotator": (
        _edit_json("identity.json", lambda i: i.update(annotator="Omar")),
        "the identity does not match the manifest",
    ),
    "identity annotator not text": (_edit_json("identity.json", lambda i: i.update(annotator=7)), "malformed"),
    "sequence floor negative": (_edit_json("identity.json", lambda i: i.update(sequence_floor=-1)), "malformed"),
    "sequence floor absurd": (_edit_json("identity.json", lambda i: i.update(sequence_floor=2**63)), "malformed"),
    "sequence floor a boolean": (_edit_json("identity.json", lambda i: i.update(sequence_floor=True)), "malformed"),
    # documents
    "document text only harakat": (_replace_text("\u064e\u064f\u0650" * 50), "the text has no letters"),
    "document binary": (_replace_text("abc\x00\x01\x02" * 40), "binary"),
    "document not normalised": (_replace_text("سطر\r\nسطر"), "not normalised"),
    # Random letters: a repeated one would be refused first for its compression ratio (a zip bomb).
    "document over 10 MB": (
        _replace_text("".join(random.Random(1).choices("ابتثجحخدذرزسشصضطظعغفقكلمنهوي ", k=5_600_000))),
        "over the limit of 10 MB",
    ),
    "document text not text": (_edit_rows("documents.jsonl", lambda rows: rows[0].update(text=5)), "malformed"),
    "document without id": (_edit_rows("documents.jsonl", lambda rows: rows[0].pop("id")), "malformed"),
    "document twice": (
        _edit_rows("documents.jsonl", lambda rows: rows.append(dict(rows[0]))),
        "appears twice",
    ),
    "document missing": (_edit_rows("documents.jsonl", lambda rows: rows.pop()), "do not match its manifest"),
    "document meta not an object": (_edit_rows("documents.jsonl", lambda rows: rows[0].update(meta=[1])), "malformed"),
    "document title not text": (_edit_rows("documents.jsonl", lambda rows: rows[0].update(title=["x"])), "malformed"),
    "document text changed": (
        _edit_rows("documents.jsonl", lambda rows: rows[0].update(text=rows[0]["text"] + "!")),
        "does not match its hash",
    ),
    # statuses
    "status unknown": (
        lambda m: m.update({"statuses.jsonl": jsonl_bytes([{"doc_id": "x", "status": "finished"}])}),
        "a status is malformed",
    ),
}


def _documents_listed(members: dict[str, bytes]) -> dict[str, str]:
    return {row["id"]: row["sha256"] for row in jsonl_rows(members["documents.jsonl"]) if isinstance(row, dict)}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_crafted_project_bundle_is_refused_and_makes_no_copy(base, tmp_path, case):
    members, key, _root = base
    members = dict(members)
    change, phrase = CASES[case]
    change(members)
    extra = {}
    try:
        extra["documents"] = _documents_listed(members)  # keep the manifest's hashes in step with the rows
    except (ValueError, TypeError, KeyError, RecursionError):
        pass
    if case in ("document missing", "document text changed"):
        extra = {}  # these are about rows that disagree with the manifest
    bad = archive.write_members(tmp_path / "bad.wbb", resign(members, key, **extra))
    copy = tmp_path / "salma.wbproj"
    with pytest.raises(BundleError) as refused:
        open_project_bundle(bad, copy)
    message = str(refused.value)
    assert phrase in message, message
    assert "Traceback" not in message and message.startswith("bad.wbb"), message
    assert not copy.exists() and not list(tmp_path.glob(".salma.wbproj*"))


def test_a_crafted_update_leaves_the_existing_copy_as_it_was(base, tmp_path):
    members, key, root = base
    copy_path = tmp_path / "salma.wbproj"
    open_project_bundle(root / "salma.wbb", copy_path).close()
    before = snapshot_of(copy_path)
    for case in ("span past the end", "label key Ctrl+Q", "document over 10 MB", "label name as HTML"):
        crafted = dict(members)
        change, phrase = CASES[case]
        change(crafted)
        extra = {"documents": _documents_listed(crafted)}
        bad = archive.write_members(tmp_path / "bad.wbb", resign(crafted, key, **extra))
        with pytest.raises(BundleError, match="refused"):
            open_project_bundle(bad, copy_path)
        assert snapshot_of(copy_path) == before, case


def test_an_update_cannot_change_a_documents_text(base, tmp_path):
    members, key, root = base
    copy_path = tmp_path / "salma.wbproj"
    open_project_bundle(root / "salma.wbb", copy_path).close()
    before = snapshot_of(copy_path)
    crafted = dict(members)
    rows = jsonl_rows(crafted["documents.jsonl"])
    rows[0]["text"] = rows[0]["text"].replace("ليبيا", "تونس", 1) + " تحديث"
    rows[0]["sha256"] = content_hash(rows[0]["text"])
    crafted["documents.jsonl"], crafted["spans.jsonl"] = jsonl_bytes(rows), b""
    bad = archive.write_members(tmp_path / "retext.wbb", resign(crafted, key, documents=_documents_listed(crafted)))
    with pytest.raises(BundleError, match=f"gives document '{rows[0]['id']}' another text"):
        open_project_bundle(bad, copy_path)
    assert snapshot_of(copy_path) == before


def test_a_project_bundle_over_the_cap_is_refused_before_it_is_read(base, tmp_path):
    members, key, root = base
    with pytest.raises(BundleError, match="more than the"):
        open_project_bundle(root / "salma.wbb", tmp_path / "small.wbproj", max_bytes=1024)
    assert not (tmp_path / "small.wbproj").exists()
