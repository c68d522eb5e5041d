"""Project bundles: the lead exports one per annotator; the annotator opens it as their project.

An annotator's copy holds their documents and their own spans only (annotation
is blind): nobody else's work is ever written into the bundle.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from workbench.core.assign import assigned
from workbench.core.bundles import PROJECT
from workbench.core.bundles.archive import BundleError, read_members, write_members
from workbench.core.bundles.manifest import MANIFEST, build, jsonl, parse, read_jsonl
from workbench.core.paths import PROJECT_SUFFIX, data_dir
from workbench.core.store import documents
from workbench.core.store import spans as span_store
from workbench.core.store.labels import Attribute, Label
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


def label_to_json(label: Label) -> dict:
    return {
        "name": label.name,
        "color": label.color,
        "key": label.key,
        "description": label.description,
        "attributes": [a.to_json() for a in label.attributes],
    }


def label_from_json(data: dict) -> Label:
    return Label(
        data["name"],
        data["color"],
        data.get("key", ""),
        data.get("description", ""),
        tuple(Attribute.from_json(a) for a in data.get("attributes", [])),
    )


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
    own_spans, own_statuses = [], []
    for doc_id in doc_ids:
        document = documents.get(db, doc_id)
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
    for doc_id, status, updated_at in db.execute(
        "SELECT doc_id, status, updated_at FROM doc_status WHERE annotator = ?", [annotator]
    ):
        if doc_id in hashes:
            own_statuses.append({"doc_id": doc_id, "status": status, "updated_at": updated_at})
    floor = db.execute("SELECT MAX(sequence) FROM merged_work WHERE annotator = ?", [annotator]).fetchone()[0] or 0
    members = {
        SCHEMA: json.dumps(
            {
                "name": project.name,
                "guidelines": project.setting("guidelines", ""),
                "labels": [label_to_json(label) for label in project.labels()],
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
        labels = [label_from_json(item) for item in schema["labels"]]
        annotator, secret = identity["annotator"], identity["secret"]
        bytes.fromhex(secret)
    except (KeyError, TypeError, ValueError):
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

    created = not db_path.exists()
    project = Project.create(db_path, name=schema.get("name")) if created else Project.open(db_path)
    try:
        if not created and (
            project.setting("project_id") != manifest["project_id"] or project.current_annotator != annotator
        ):
            raise BundleError(
                f"{db_path} is another project or another annotator's copy; open the bundle into a new file"
            )
        with project.transaction() as db:
            if created:
                db.execute("DELETE FROM labels")
                for key, value in (
                    ("project_id", manifest["project_id"]),
                    ("role", ROLE_ANNOTATOR),
                    ("bundle_secret", secret),
                    ("work_sequence", int(identity.get("sequence_floor", 0))),
                ):
                    project.set_setting(key, value)
                project.set_current_annotator(annotator)
            project.set_setting("guidelines", schema.get("guidelines", ""))
            _merge_labels(project, labels)
            for row in doc_rows:
                if db.execute("SELECT 1 FROM documents WHERE id = ?", [row["id"]]).fetchone() is not None:
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
                for row in read_jsonl(members[STATUSES], STATUSES):
                    db.execute(
                        "INSERT INTO doc_status (doc_id, annotator, status, updated_at) VALUES (?, ?, ?, ?)",
                        [row["doc_id"], annotator, row["status"], row["updated_at"]],
                    )
    except BaseException:
        project.close()
        if created:
            remove_project_file(db_path)
        raise
    return project


def _merge_labels(project: Project, labels: list[Label]) -> None:
    """Take the lead's labels: new ones are added, existing ones updated (none removed)."""
    db = project.db
    for position, label in enumerate(labels, start=1):
        db.execute(
            "INSERT INTO labels (name, color, key, description, attributes, position) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(name) DO UPDATE SET color = excluded.color, key = excluded.key,"
            " description = excluded.description, attributes = excluded.attributes, position = excluded.position",
            [
                label.name,
                label.color,
                label.key,
                label.description,
                json.dumps([a.to_json() for a in label.attributes], ensure_ascii=False),
                position,
            ],
        )


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
