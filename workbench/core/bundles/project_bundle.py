"""Project bundles: the lead exports one per annotator; the annotator opens it as their project.

An annotator's copy holds their documents and their own spans only (annotation
is blind): nobody else's work is ever written into the bundle.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from workbench.core.assign import assigned
from workbench.core.bundles import PROJECT
from workbench.core.bundles.archive import BundleError, read_members, write_members
from workbench.core.bundles.manifest import MANIFEST, build, jsonl, parse, read_jsonl
from workbench.core.paths import PROJECT_SUFFIX, data_dir
from workbench.core.store import annotators as layer_owners
from workbench.core.store import bundles as bookkeeping
from workbench.core.store import documents
from workbench.core.store import labels as label_store
from workbench.core.store import spans as span_store
from workbench.core.store import status as doc_status
from workbench.core.store.labels import Label
from workbench.core.store.project import GOLD, Project, remove_project_file
from workbench.core.store.spans import Span
from workbench.core.text.normalise import content_hash

SCHEMA, IDENTITY, DOCUMENTS, SPANS, STATUSES = (
    "schema.json",
    "identity.json",
    "documents.jsonl",
    "spans.jsonl",
    "statuses.jsonl",
)
MEMBERS = {MANIFEST, SCHEMA, IDENTITY, DOCUMENTS, SPANS, STATUSES}
ROLE_ANNOTATOR = "annotator"


@dataclass(frozen=True)
class ProjectBundleSummary:
    path: Path
    annotator: str
    documents: int
    spans: int


def export_project_bundle(project: Project, annotator: str, path: str | Path) -> ProjectBundleSummary:
    """Write ``annotator``'s project bundle: schema, guidelines, their documents, their spans."""
    secret = project.annotator_secret(annotator)
    if secret is None:
        raise BundleError(f"{annotator!r} is not an annotator of this project")
    doc_ids = assigned(project, annotator).get(annotator, [])
    if not doc_ids:
        raise BundleError(f"no documents are assigned to {annotator}; assign some first ('workbench-cli assign')")
    db = project.db
    doc_rows, hashes = [], {}
    own_spans = []
    for doc_id in doc_ids:
        document = documents.get(db, doc_id)
        if document is None:  # assignments cascade with their documents; this is a race with a delete
            raise BundleError(f"document {doc_id!r} is assigned to {annotator} but no longer in the project")
        hashes[doc_id] = document.sha256
        doc_rows.append(
            {
                "id": document.id,
                "title": document.title,
                "text": document.text,
                "sha256": document.sha256,
                "source": document.source,
                "published": document.published,
                "file_name": document.file_name,
                "meta": document.meta,
            }
        )
        own_spans += [s.row() for s in span_store.for_document(db, doc_id, annotator)]
    own_statuses = [row for row in doc_status.of_annotator(db, annotator) if row["doc_id"] in hashes]
    floor = bookkeeping.sequence_floor(db, annotator)
    members = {
        SCHEMA: json.dumps(
            {
                "name": project.name,
                "guidelines": project.setting("guidelines", ""),
                "labels": [label.to_json() for label in project.labels()],
            },
            ensure_ascii=False,
            indent=1,
        ).encode("utf-8"),
        IDENTITY: json.dumps({"annotator": annotator, "secret": secret.hex(), "sequence_floor": floor}).encode(),
        DOCUMENTS: jsonl(doc_rows),
        SPANS: jsonl(own_spans),
        STATUSES: jsonl(own_statuses),
    }
    members[MANIFEST] = build(PROJECT, project.setting("project_id"), project.name, annotator, hashes, members)
    write_members(path, members)
    return ProjectBundleSummary(Path(path), annotator, len(doc_rows), len(own_spans))


def open_project_bundle(bundle: str | Path, db_path: str | Path) -> Project:
    """Make (or bring up to date) an annotator's project file from their project bundle.

    A new file is created whole or not at all. An existing copy of the same
    project for the same annotator receives the documents it lacks and the
    lead's current schema and guidelines; the annotator's work in it is kept.
    """
    bundle, db_path = Path(bundle), Path(db_path)
    members = read_members(bundle, MEMBERS)
    manifest = parse(members, PROJECT, bundle.name)
    try:
        identity = json.loads(members[IDENTITY])
        schema = json.loads(members[SCHEMA])
        labels = [Label.from_json(item) for item in schema["labels"]]
        annotator, secret = identity["annotator"], identity["secret"]
        bytes.fromhex(secret)
        if not isinstance(annotator, str) or layer_owners.check_name(annotator) != annotator:
            raise ValueError(annotator)
    except (KeyError, TypeError, ValueError, RecursionError):
        raise BundleError(f"{bundle.name}: its schema or identity is malformed") from None
    if annotator != manifest["annotator"]:
        raise BundleError(f"{bundle.name}: the identity does not match the manifest; refused")
    doc_rows = list(read_jsonl(members[DOCUMENTS], DOCUMENTS))
    for row in doc_rows:
        if (
            content_hash(row.get("text", "")) != row.get("sha256")
            or manifest["documents"].get(row.get("id")) != row["sha256"]
        ):
            raise BundleError(f"{bundle.name}: document {row.get('id')!r} does not match its hash; refused")

    if db_path.exists():
        project = Project.open(db_path)
        try:
            if project.setting("project_id") != manifest["project_id"] or project.current_annotator != annotator:
                raise BundleError(
                    f"{db_path} is another project or another annotator's copy; open the bundle into a new file"
                )
            _fill(project, manifest, identity, schema, labels, doc_rows, members, annotator, secret, created=False)
        except BaseException:
            project.close()
            raise
        return project
    # A new copy is made whole in a hidden file next to its path and renamed into place, so
    # that a run killed half-way leaves nothing at the path (its hidden file is removed by
    # the next run).
    db_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_copies(db_path)
    partial = db_path.with_name(f".{db_path.name}.partial-{os.getpid()}-{secrets.token_hex(4)}")
    project = Project.create(partial, name=schema.get("name"))
    try:
        _fill(project, manifest, identity, schema, labels, doc_rows, members, annotator, secret, created=True)
        project.close()  # the last connection: SQLite checkpoints and removes the WAL
        if Path(f"{partial}-wal").exists():  # pragma: no cover - another connection held it
            raise BundleError(f"{partial} is still in use; try again")
        try:
            os.link(partial, db_path)  # never replaces a file that appeared meanwhile
        except FileExistsError:
            raise BundleError(f"{db_path} appeared while the copy was being made; try again") from None
        except OSError:  # a file system without hard links
            if db_path.exists():
                raise BundleError(f"{db_path} appeared while the copy was being made; try again") from None
            os.replace(partial, db_path)
    finally:
        project.close()
        remove_project_file(partial)
    return Project.open(db_path)


def _fill(
    project: Project,
    manifest: dict,
    identity: dict,
    schema: dict,
    labels: list[Label],
    doc_rows: list[dict],
    members: dict[str, bytes],
    annotator: str,
    secret: str,
    *,
    created: bool,
) -> None:
    """Write the bundle's schema, guidelines and documents (and, for a new copy, the
    annotator's identity, spans and statuses) in one transaction."""
    with project.transaction() as db:
        if created:
            label_store.delete_all(db)
            for key, value in (
                ("project_id", manifest["project_id"]),
                ("role", ROLE_ANNOTATOR),
                ("bundle_secret", secret),
                ("work_sequence", int(identity.get("sequence_floor", 0))),
            ):
                project.set_setting(key, value)
            project.set_current_annotator(annotator)
        project.set_setting("guidelines", schema.get("guidelines", ""))
        label_store.merge(db, labels)
        for row in doc_rows:
            if documents.exists(db, row["id"]):
                continue  # already in this copy (a re-issued bundle)
            documents.insert(
                db,
                documents.NewDocument(
                    text=row["text"],
                    title=row.get("title") or "",
                    source=row.get("source"),
                    published=row.get("published"),
                    file_name=row.get("file_name"),
                    meta=row.get("meta") or {},
                    id=row["id"],
                ),
            )
        if created:
            for row in read_jsonl(members[SPANS], SPANS):
                span_store.insert(db, Span(**row), annotator)
            doc_status.restore(db, ({**row, "annotator": annotator} for row in read_jsonl(members[STATUSES], STATUSES)))


def _remove_abandoned_copies(db_path: Path) -> None:
    """Hidden half-made copies left by a killed ``bundle open`` (their process is gone)."""
    for partial in db_path.parent.glob(f".{db_path.name}.partial-*"):
        if partial.name.endswith(("-wal", "-shm", "-journal")):
            continue
        pid = partial.name.rsplit(".partial-", 1)[1].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            remove_project_file(partial)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_annotator_copy(project: Project) -> bool:
    return project.setting("role") == ROLE_ANNOTATOR and project.current_annotator not in (None, GOLD)


def copy_path_for(bundle: str | Path) -> Path:
    """Where an annotator's copy made from ``bundle`` lives by default: the data directory."""
    bundle = Path(bundle)
    manifest = parse(read_members(bundle, MEMBERS), PROJECT, bundle.name)
    safe = "".join(
        c if c.isalnum() or c in "-_" else "-" for c in f"{manifest['project_id'][:8]}-{manifest['annotator']}"
    )
    return data_dir() / "projects" / f"{safe}{PROJECT_SUFFIX}"
