"""Work bundles: the annotator sends their work; the lead checks it and merges it.

Merging replaces, document by document, the annotator's layer in the lead's
project with the state the bundle carries (so spans deleted by the annotator
are deleted), but only when the bundle is newer than the last one merged for
that annotator and document (its sequence number, then its creation time).
So importing a bundle twice changes nothing, an older bundle never overwrites
newer work, and any order of the same bundles ends in the same state. Each
bundle is checked completely before anything is written, and merged in one
transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.bundles import WORK
from workbench.core.bundles.archive import MAX_BUNDLE_BYTES, BundleError, read_members, write_members
from workbench.core.bundles.manifest import (
    MANIFEST,
    SIGNATURE,
    build,
    jsonl,
    parse,
    read_jsonl,
    sha256,
    sign,
    verify_signature,
)
from workbench.core.bundles.project_bundle import is_annotator_copy
from workbench.core.errors import InvalidInput
from workbench.core.store import annotators as layer_owners
from workbench.core.store import bundles as bookkeeping
from workbench.core.store import changelog, documents
from workbench.core.store import spans as span_store
from workbench.core.store import status as doc_status
from workbench.core.store.project import Project
from workbench.core.store.spans import Span, SpanError
from workbench.core.store.status import STATUSES

SPANS, DELETED, STATUSES_MEMBER, CHANGES = "spans.jsonl", "deleted.jsonl", "statuses.jsonl", "changes.jsonl"
MEMBERS = {MANIFEST, SIGNATURE, SPANS, DELETED, STATUSES_MEMBER, CHANGES}
# How far above the last merged bundle of an annotator a sequence number may be. An annotator's copy
# counts its bundles one by one from that floor (a re-issued project bundle resets it), so a genuine
# bundle is a few, at most a few thousand, above it. A bundle claiming far more (2**63 - 1, say)
# would make every later genuine bundle of that annotator "not newer" and be ignored without a
# word, so it is refused. A million leaves room for any real use and still bounds the damage.
MAX_SEQUENCE_JUMP = 1_000_000
_SPAN_KEYS = {
    "id",
    "doc_id",
    "annotator",
    "start",
    "end",
    "label",
    "attributes",
    "note",
    "unsure",
    "created_at",
    "updated_at",
}


@dataclass(frozen=True)
class WorkBundleSummary:
    path: Path
    annotator: str
    sequence: int
    documents: int
    spans: int
    deleted: int


def export_work_bundle(project: Project, path: str | Path) -> WorkBundleSummary:
    """Write the annotator's work on all their documents, signed with their secret."""
    if not is_annotator_copy(project):
        raise BundleError("this project is not an annotator's copy: open your project bundle first")
    annotator = project.current_annotator
    if not annotator:
        raise BundleError("this copy has no annotator; open your project bundle again")
    secret = bytes.fromhex(project.setting("bundle_secret"))
    db = project.db
    hashes = documents.hashes(db)
    own = [s.row() for doc_id in hashes for s in span_store.for_document(db, doc_id, annotator)]
    live = {row["id"] for row in own}
    deleted = [
        {"id": span_id, "doc_id": doc_id, "deleted_at": at}
        for span_id, doc_id, at in changelog.deletions(db)
        if span_id not in live
    ]
    statuses = doc_status.of_annotator(db, annotator)
    changes = changelog.history(db)
    with project.transaction():
        sequence = int(project.setting("work_sequence", 0)) + 1
        project.set_setting("work_sequence", sequence)
    members = {SPANS: jsonl(own), DELETED: jsonl(deleted), STATUSES_MEMBER: jsonl(statuses), CHANGES: jsonl(changes)}
    manifest = build(WORK, project.setting("project_id"), project.name, annotator, hashes, members, sequence=sequence)
    members[MANIFEST] = manifest
    members[SIGNATURE] = sign(manifest, secret)
    write_members(path, members)
    return WorkBundleSummary(Path(path), annotator, sequence, len(hashes), len(own), len(deleted))


@dataclass
class WorkImportReport:
    merged: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"merged": self.merged, "refused": self.refused}


def import_work_bundles(
    project: Project,
    paths: list[str | Path],
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    max_bytes: int = MAX_BUNDLE_BYTES,
) -> WorkImportReport:
    """Check and merge each bundle (one transaction each); report what was merged and refused.

    ``max_bytes`` caps each bundle: its file and what its members unpack to.
    A bundle that is not newer than what was merged for its documents changes
    nothing; its entry says ``nothing_changed`` and ``not_newer_than`` (the
    sequence of the newest bundle already merged).
    """
    report = WorkImportReport()
    for done, path in enumerate(paths):
        if cancelled is not None and cancelled():
            break
        if progress is not None:
            progress(done, len(paths), str(path))
        try:
            report.merged.append(_import_one(project, Path(path), max_bytes))
        except BundleError as exc:
            report.refused.append({"path": str(path), "reason": str(exc)})
        except RecursionError:  # JSON nested past what any check foresaw: refuse this one, go on
            report.refused.append(
                {
                    "path": str(path),
                    "reason": f"{Path(path).name}: its content is nested too deeply to be read; refused",
                }
            )
    project.checkpoint()  # a merge writes thousands of pages: fold the WAL back into the file
    if progress is not None:
        progress(len(paths), len(paths), "")
    return report


def _checked_bundle(project: Project, path: Path, max_bytes: int) -> tuple[dict, list[Span], list[dict]]:
    members = read_members(path, MEMBERS, max_bytes)
    manifest = parse(members, WORK, path.name)
    listed = manifest["documents"]
    if not (
        all(isinstance(manifest[key], str) for key in ("project_id", "annotator", "created_at"))
        and isinstance(listed, dict)
        and all(isinstance(key, str) and isinstance(value, str) for key, value in listed.items())
    ):
        raise BundleError(f"{path.name}: the manifest is malformed; refused")
    if manifest["project_id"] != project.setting("project_id"):
        raise BundleError(
            f"{path.name} belongs to another project ({manifest.get('project_name') or manifest['project_id']}); refused"
        )
    annotator = manifest["annotator"]
    try:
        layer_owners.check_name(annotator)
    except InvalidInput:
        raise BundleError(f"{path.name}: the manifest names no valid annotator ({annotator!r}); refused") from None
    secret = project.annotator_secret(annotator)
    if secret is None:
        raise BundleError(f"{path.name} is from {annotator!r}, who is not an annotator of this project; refused")
    verify_signature(members, secret, path.name, annotator)
    sequence = manifest.get("sequence")
    if not isinstance(sequence, int) or isinstance(sequence, bool) or not 1 <= sequence < 2**63:
        raise BundleError(f"{path.name}: the manifest has no valid sequence number; refused")
    floor = bookkeeping.sequence_floor(project.db, annotator)
    if sequence > floor + MAX_SEQUENCE_JUMP:
        raise BundleError(
            f"{path.name}: its sequence number {sequence} is absurd — more than {MAX_SEQUENCE_JUMP:,} above "
            f"bundle {floor}, the last merged from {annotator}; it would hide their later bundles; refused"
        )

    db = project.db
    texts: dict[str, str] = {}
    for doc_id, digest in manifest["documents"].items():
        stored = documents.hash_and_text(db, doc_id)
        if stored is None:
            raise BundleError(f"{path.name}: document {doc_id!r} is not in this project; refused")
        if stored[0] != digest:
            raise BundleError(f"{path.name}: the text of document {doc_id!r} differs from the project's; refused")
        texts[doc_id] = stored[1]

    labels = {label.name: label for label in project.labels()}
    spans: list[Span] = []
    for row in read_jsonl(members[SPANS], SPANS):
        if row.keys() != _SPAN_KEYS:
            raise BundleError(f"{path.name}: a span has unexpected fields; refused")
        # Plain type tests, not generic helpers: a bundle carries tens of thousands of spans.
        if not (
            type(row["id"]) is str
            and type(row["doc_id"]) is str
            and type(row["annotator"]) is str
            and type(row["label"]) is str
            and type(row["created_at"]) is str
            and type(row["updated_at"]) is str
            and type(row["attributes"]) is dict
            and (row["note"] is None or type(row["note"]) is str)
            and type(row["unsure"]) in (bool, int)
        ):
            raise BundleError(f"{path.name}: a span is malformed; refused")
        span = Span(**row)
        if span.annotator != annotator:
            raise BundleError(f"{_where(path, span)} belongs to {span.annotator!r}, not to {annotator!r}; refused")
        text = texts.get(span.doc_id)
        if text is None:
            raise BundleError(f"{_where(path, span)}: the document is not listed in the manifest; refused")
        if type(span.start) is not int or type(span.end) is not int:
            raise BundleError(f"{_where(path, span)}: offsets are not integers; refused")
        try:
            span = span_store.check(text, labels, span)
        except SpanError as exc:
            if exc.problem == span_store.EDGES:
                raise BundleError(f"{_where(path, span)} does not fit the text ({exc}); refused") from None
            if exc.problem == span_store.LABEL:
                raise BundleError(
                    f"{_where(path, span)} has the label {span.label!r}, which the schema lacks; refused"
                ) from None
            raise BundleError(f"{_where(path, span)}: {exc}; refused") from None
        span.note, span.unsure = str(span.note or ""), bool(span.unsure)
        spans.append(span)
    statuses: list[dict[str, Any]] = []
    for row in read_jsonl(members[STATUSES_MEMBER], STATUSES_MEMBER):
        if not isinstance(row.get("doc_id"), str) or row["doc_id"] not in texts or row.get("status") not in STATUSES:
            raise BundleError(f"{path.name}: a status is malformed or for an unlisted document; refused")
        statuses.append(row)
    list(read_jsonl(members[DELETED], DELETED))
    # The annotator's change log is kept as received (in received_bundles), not interpreted:
    # its hash is checked with the manifest's, and it must be text.
    try:
        members[CHANGES].decode("utf-8")
    except UnicodeDecodeError:
        raise BundleError(f"{path.name}: {CHANGES} is not UTF-8; refused") from None
    manifest["_sha256"] = sha256(members[MANIFEST])
    return manifest, spans, statuses


def _import_one(project: Project, path: Path, max_bytes: int = MAX_BUNDLE_BYTES) -> dict[str, Any]:
    manifest, spans, statuses = _checked_bundle(project, path, max_bytes)
    annotator, sequence, created_at = manifest["annotator"], manifest["sequence"], manifest["created_at"]
    by_doc: dict[str, list[Span]] = {doc_id: [] for doc_id in manifest["documents"]}
    for span in spans:
        by_doc[span.doc_id].append(span)
    status_of = {row["doc_id"]: row["status"] for row in statuses}
    db = project.db
    counts = {"documents": 0, "skipped_older": 0, "added": 0, "updated": 0, "deleted": 0, "statuses": 0}
    not_newer_than = 0  # the newest bundle already merged for a document this one does not change
    with project.transaction():
        for doc_id, incoming in by_doc.items():
            stored = bookkeeping.last_merged(db, annotator, doc_id)
            if stored is not None and stored >= (sequence, created_at, manifest["_sha256"]):
                counts["skipped_older"] += 1
                not_newer_than = max(not_newer_than, stored[0])
                continue
            current = {s.id: s for s in span_store.for_document(db, doc_id, annotator)}
            wanted = {s.id: s for s in incoming}
            gone = sorted(current.keys() - wanted.keys())
            for span_id in gone:
                span_store.delete(db, span_id, annotator)  # logged with the whole row
            changed = [s for i, s in wanted.items() if i in current and _content(current[i]) != _content(s)]
            for span in changed:
                span_store.update(db, current[span.id], span, annotator)  # logged before and after
            fresh = [s for i, s in wanted.items() if i not in current]
            try:
                span_store.insert_many(db, fresh, annotator, log=False)
            except SpanError:
                raise BundleError(
                    f"{path.name}: a span id in {doc_id!r} is already used by another layer; refused"
                ) from None
            if fresh:
                # One log entry for the document's new spans: their rows are in the spans table,
                # and the annotator's own log of each action is in the bundle, kept as received.
                changelog.record(
                    db,
                    "span.merge",
                    annotator,
                    doc_id=doc_id,
                    after={"bundle": manifest["_sha256"], "sequence": sequence, "added": [s.id for s in fresh]},
                )
            counts["added"] += len(fresh)
            counts["updated"] += len(changed)
            counts["deleted"] += len(gone)
            new_status = status_of.get(doc_id, doc_status.NOT_STARTED)
            if doc_status.set_status(db, doc_id, annotator, new_status, annotator) != new_status:
                counts["statuses"] += 1
            bookkeeping.record_merged(db, annotator, doc_id, sequence, created_at, manifest["_sha256"])
            counts["documents"] += 1
        if counts["documents"]:
            # A bundle with nothing newer than what was merged changes nothing, not even the log.
            bookkeeping.keep_received(
                db, manifest["_sha256"], annotator, sequence, created_at, path.name, path.read_bytes()
            )
            changelog.record(
                db,
                "bundle.merge",
                annotator,
                after={"bundle": path.name, "sequence": sequence, "created_at": created_at, **counts},
            )
    return {
        "path": str(path),
        "annotator": annotator,
        "sequence": sequence,
        **counts,
        "not_newer_than": not_newer_than or None,
        "nothing_changed": counts["documents"] == 0,
    }


def _where(path: Path, span: Span) -> str:
    return f"{path.name}: span {span.id} in {span.doc_id!r}"


def _content(span: Span) -> tuple:
    return (span.start, span.end, span.label, json.dumps(span.attributes, sort_keys=True), span.note, span.unsure)
