"""Project bundles: the lead exports one per annotator; the annotator opens it as their project.

An annotator's copy holds their documents and their own spans only (annotation
is blind): nobody else's work is ever written into the bundle. The bundle is
signed with the lead's key; the copy pins that key when it is made and refuses
an update signed by another (see :mod:`workbench.core.bundles.signing`). What
it carries is checked like any import before anything is written: labels like
``labels add``, document texts like ``import`` (size, letters), spans against
their text and the schema, and every row's fields and types.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core import assistance
from workbench.core.assign import assigned
from workbench.core.bundles import PROJECT, signing
from workbench.core.bundles.archive import MAX_BUNDLE_BYTES, BundleError, BundleWriter, read_members
from workbench.core.bundles.contents import Twins, checked_span, span_from_row, where
from workbench.core.bundles.manifest import (
    MANIFEST,
    SIGNATURE,
    build_from_digests,
    jsonl,
    parse,
    read_jsonl,
    signer,
    signer_block,
)
from workbench.core.errors import InvalidInput
from workbench.core.paths import PROJECT_SUFFIX, data_dir
from workbench.core.sources import ReadOptions
from workbench.core.store import annotators as layer_owners
from workbench.core.store import bundles as bookkeeping
from workbench.core.store import changelog, documents
from workbench.core.store import gazetteer as names_store
from workbench.core.store import labels as label_store
from workbench.core.store import spans as span_store
from workbench.core.store import status as doc_status
from workbench.core.store import suggestions as suggestion_store
from workbench.core.store.labels import Label, check_label
from workbench.core.store.project import (  # (the role of a copy is the store's: read at every start)
    ROLE_ANNOTATOR,
    Project,
    is_annotator_copy,
    now,
    remove_project_file,
)
from workbench.core.store.spans import Span
from workbench.core.text.normalise import content_hash, normalize, problem

SCHEMA, IDENTITY, DOCUMENTS, SPANS, STATUSES = (
    "schema.json",
    "identity.json",
    "documents.jsonl",
    "spans.jsonl",
    "statuses.jsonl",
)
MEMBERS = {MANIFEST, SIGNATURE, SCHEMA, IDENTITY, DOCUMENTS, SPANS, STATUSES}
# A copy of the sequence floor above this is absurd (see work_bundle.MAX_SEQUENCE_JUMP).
_MAX_FLOOR = 2**62


@dataclass(frozen=True)
class ProjectBundleSummary:
    path: Path
    annotator: str
    documents: int
    spans: int
    fingerprint: str  # of the lead's key that signed it


# Documents read, and their rows written, at a time: what an export holds (a few MB).
_CHUNK_DOCUMENTS = 200


def export_project_bundle(project: Project, annotator: str, path: str | Path) -> ProjectBundleSummary:
    """Write ``annotator``'s project bundle: schema, guidelines, their documents, their spans,
    signed with the lead's key (made the first time).

    Streamed: the documents, then the spans, are read and written a chunk of documents at a
    time, each member hashed as it is written; the manifest of those hashes is signed at the end.
    Memory holds one chunk, whatever the number of documents."""
    if layer_owners.signing(project.db, annotator) is None:
        raise BundleError(f"{annotator!r} is not an annotator of this project")
    doc_ids = assigned(project, annotator).get(annotator, [])
    if not doc_ids:
        raise BundleError(f"no documents are assigned to {annotator}; assign some first ('workbench-cli assign')")
    db = project.db
    known = documents.hashes_of(db, doc_ids)
    hashes = {}
    for doc_id in doc_ids:
        if doc_id not in known:  # assignments cascade with their documents; this is a race with a delete
            raise BundleError(f"document {doc_id!r} is assigned to {annotator} but no longer in the project")
        hashes[doc_id] = known[doc_id]
    del known
    floor = bookkeeping.sequence_floor(db, annotator)
    schema = json.dumps(
        {
            "name": project.name,
            "guidelines": project.setting("guidelines", ""),
            "labels": [label.to_json() for label in project.labels()],
            # the lead's choice for the whole project: annotators' copies follow it
            "suggestions": suggestion_store.are_on(db),
            # the project's own canonical names: annotators are offered the same ones
            "gazetteer": [{"name": n.name, "label": n.label, "canonical": n.canonical} for n in names_store.names(db)],
            # the lead's A/B split of suggestions: which of the annotator's documents show them
            "assistance": _assistance_of(project, annotator, list(hashes)),
        },
        ensure_ascii=False,
        indent=1,
    ).encode("utf-8")
    with project.transaction():
        key = project.setting("signing_key")
        if not key:
            key = signing.new_private_key()
            project.set_setting("signing_key", key)
    spans = 0
    with BundleWriter(path) as out:
        out.add(SCHEMA, schema)
        out.add(IDENTITY, json.dumps({"annotator": annotator, "sequence_floor": floor}).encode())
        with out.member(DOCUMENTS, large=True) as write:
            for chunk in _chunks(doc_ids):
                write(jsonl(_document_row(project, doc_id, hashes[doc_id], annotator) for doc_id in chunk))
        with out.member(SPANS, large=True) as write:
            for chunk in _chunks(doc_ids):
                rows = [s.row() for doc_id in chunk for s in span_store.for_document(db, doc_id, annotator)]
                spans += len(rows)
                write(jsonl(rows))
        with out.member(STATUSES) as write:
            write(jsonl(row for row in doc_status.of_annotator(db, annotator) if row["doc_id"] in hashes))
        manifest = build_from_digests(
            PROJECT,
            project.setting("project_id"),
            project.name,
            annotator,
            hashes,
            out.digests,
            signer=signer_block(key),
        )
        out.add(MANIFEST, manifest)
        out.add(SIGNATURE, signing.sign(manifest, key))
    fingerprint = signing.fingerprint(signing.public_key(key))
    return ProjectBundleSummary(Path(path), annotator, len(hashes), spans, fingerprint)


def _chunks(doc_ids: list[str]) -> Iterator[list[str]]:
    for first in range(0, len(doc_ids), _CHUNK_DOCUMENTS):
        yield doc_ids[first : first + _CHUNK_DOCUMENTS]


def _document_row(project: Project, doc_id: str, digest: str, annotator: str) -> dict[str, Any]:
    """A document as its project bundle carries it."""
    document = documents.get(project.db, doc_id)
    if document is None or document.sha256 != digest:  # deleted (or replaced) during the export
        raise BundleError(f"document {doc_id!r} is assigned to {annotator} but no longer in the project")
    return {
        "id": document.id,
        "title": document.title,
        "text": document.text,
        "sha256": document.sha256,
        "source": document.source,
        "published": document.published,
        "file_name": document.file_name,
        "meta": document.meta,
    }


def _assistance_of(project: Project, annotator: str, doc_ids: list[str]) -> dict[str, Any] | None:
    split = assistance.split_of(project)
    arms = assistance.arms_for(project, annotator, doc_ids)
    if split is None or arms is None:
        return None
    return {"seed": split.seed, "since": split.since, "arms": arms}


def key_report(project: Project) -> dict:
    """The keys that sign this project's bundles, as fingerprints.

    On an annotator's copy: ``own`` (theirs) and ``lead`` (the lead's key it
    pinned). On the lead's project: ``own`` (the project's key) and, per
    annotator, the pinned key and when, or ``old_scheme`` when they still sign
    with the format-1 shared secret.
    """
    key = project.setting("signing_key")
    own = signing.fingerprint(signing.public_key(key)) if key else None
    if is_annotator_copy(project):
        lead = project.setting("lead_public_key")
        return {
            "role": ROLE_ANNOTATOR,
            "own": own,
            "lead": signing.fingerprint(lead) if lead else None,
            "lead_pinned_at": project.setting("lead_key_pinned_at"),
        }
    return {
        "role": "lead",
        "own": own,
        "annotators": [
            {
                "annotator": name,
                "fingerprint": signing.fingerprint(state.public_key) if state.public_key else None,
                "pinned_at": state.pinned_at,
                "old_scheme": state.old_scheme,
            }
            for name, state in layer_owners.signings(project.db).items()
        ],
    }


@dataclass
class _Contents:
    """A project bundle's contents, every row checked."""

    manifest: dict
    annotator: str
    sequence_floor: int
    secret: str | None  # format 1 only: the shared secret its work bundles are signed with
    lead_key: str | None  # format 2: the lead's public key that signed it
    name: str | None
    guidelines: str
    suggestions: bool | None  # the lead's setting (None: a bundle from before suggestions)
    names: list[tuple[str, str, str, str]]  # the project's gazetteer: (folded, label, name, canonical)
    labels: list[Label]
    documents: list[documents.NewDocument]
    spans: list[Span]
    statuses: list[dict]
    # the lead's A/B split ({seed, since, arms}); None: no split (or a bundle from before it)
    assistance: dict[str, Any] | None = None


def open_project_bundle(
    bundle: str | Path,
    db_path: str | Path,
    *,
    repin: str | None = None,
    max_bytes: int = MAX_BUNDLE_BYTES,
) -> Project:
    """Make (or bring up to date) an annotator's project file from their project bundle.

    A new file is created whole or not at all, and pins the lead's key. An
    existing copy of the same project for the same annotator receives the
    documents it lacks and the lead's current schema and guidelines (the
    annotator's work in it is kept), provided the bundle is signed by the key it
    pinned; ``repin`` (the fingerprint the lead read out) accepts a new key.
    """
    bundle, db_path = Path(bundle), Path(db_path)
    members = read_members(bundle, MEMBERS, max_bytes)
    contents = _checked(members, bundle.name)

    if db_path.exists():
        project = Project.open(db_path)
        try:
            if (
                project.setting("project_id") != contents.manifest["project_id"]
                or project.current_annotator != contents.annotator
            ):
                raise BundleError(
                    f"{db_path} is another project or another annotator's copy; open the bundle into a new file"
                )
            _check_lead_key(project, contents, bundle.name, repin)
            _fill(project, contents, created=False)
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
    project = Project.create(partial, name=contents.name)
    try:
        _fill(project, contents, created=True)
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


def _checked(members: dict[str, bytes], name: str) -> _Contents:
    """Everything the bundle carries, checked like any import; :class:`BundleError` says
    what is wrong with the first problem found, and nothing is written."""
    manifest = parse(members, PROJECT, name)
    missing = sorted({SCHEMA, IDENTITY, DOCUMENTS, SPANS, STATUSES} - set(members))
    if missing:
        raise BundleError(f"{name} lacks {', '.join(missing)}: it is not a whole project bundle; refused")
    listed = manifest["documents"]
    scheme, lead_key = signer(manifest, name)
    if scheme == signing.ED25519:
        assert lead_key is not None
        signature = members.get(SIGNATURE)
        if signature is None:
            raise BundleError(f"{name} is not signed; refused")
        if not signing.verifies(members[MANIFEST], signature, lead_key):
            raise BundleError(
                f"{name}: the signature does not match the key it names — the bundle was altered after "
                "it was signed; refused"
            )
    elif SIGNATURE in members:
        raise BundleError(f"{name}: a bundle of format 1 carries no signature; refused")

    try:
        identity = json.loads(members[IDENTITY])
        schema = json.loads(members[SCHEMA])
        annotator = identity["annotator"]
        if not isinstance(annotator, str) or layer_owners.check_name(annotator) != annotator:
            raise ValueError(annotator)
        secret = identity.get("secret") if scheme == signing.HMAC else None
        if scheme == signing.HMAC:  # a format-1 copy signs its work with this secret
            if not isinstance(secret, str):
                raise ValueError(secret)
            bytes.fromhex(secret)
        floor = identity.get("sequence_floor", 0)
        if type(floor) is not int or not 0 <= floor <= _MAX_FLOOR:
            raise ValueError(floor)
        project_name = schema.get("name")
        guidelines = schema.get("guidelines", "") or ""
        if not (project_name is None or isinstance(project_name, str)) or not isinstance(guidelines, str):
            raise ValueError(project_name)
        raw_labels = schema["labels"]
        if not isinstance(raw_labels, list):
            raise ValueError(raw_labels)
        offer = schema.get("suggestions")
        if offer is not None and not isinstance(offer, bool):
            raise ValueError(offer)
        raw_names = schema.get("gazetteer", [])
        split = schema.get("assistance")
        if split is not None and (
            not isinstance(split, dict)
            or type(split.get("seed")) is not int
            or not isinstance(split.get("since"), str)
            or not isinstance(split.get("arms"), dict)
            or not all(isinstance(k, str) and isinstance(v, bool) for k, v in split["arms"].items())
        ):
            raise ValueError(split)
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError, UnicodeDecodeError, InvalidInput):
        raise BundleError(f"{name}: its schema or identity is malformed; refused") from None
    if annotator != manifest["annotator"]:
        raise BundleError(f"{name}: the identity does not match the manifest; refused")

    labels: list[Label] = []
    for item in raw_labels:
        try:
            label = Label.from_json(item)
        except (KeyError, TypeError, ValueError, AttributeError, InvalidInput):
            raise BundleError(f"{name}: a label of its schema is malformed; refused") from None
        try:
            check_label(label, labels)
        except TypeError:
            raise BundleError(f"{name}: a label of its schema is malformed; refused") from None
        except InvalidInput as exc:
            raise BundleError(f"{name}: the schema's label {label.name!r} is refused: {exc}") from None
        labels.append(label)

    try:
        from workbench.core.values import project_names  # (not loaded with the window: only here)

        names = project_names.checked_names(raw_names, labels)
    except InvalidInput as exc:
        raise BundleError(f"{name}: {exc}; refused") from None

    limit = ReadOptions().max_document_bytes
    docs: list[documents.NewDocument] = []
    texts: dict[str, str] = {}
    for row in read_jsonl(members[DOCUMENTS], f"{name}: {DOCUMENTS}"):
        doc_id, text = row.get("id"), row.get("text")
        if not isinstance(doc_id, str) or not doc_id or not isinstance(text, str):
            raise BundleError(f"{name}: a document row is malformed (its id or text); refused")
        if doc_id in texts:
            raise BundleError(f"{name}: document {doc_id!r} appears twice; refused")
        if content_hash(text) != row.get("sha256") or listed.get(doc_id) != row["sha256"]:
            raise BundleError(f"{name}: document {doc_id!r} does not match its hash; refused")
        size = len(text.encode("utf-8"))
        if size > limit:
            raise BundleError(
                f"{name}: document {doc_id!r} is {size / 1024**2:.1f} MB, over the limit of "
                f"{limit / 1024**2:g} MB per document that import applies; refused"
            )
        why = problem(text) or (
            None if normalize(text) == text else "the text is not normalised as an import leaves it"
        )
        if why:
            raise BundleError(f"{name}: document {doc_id!r} is refused as an import would refuse it: {why}")
        meta = row.get("meta") or {}
        if not isinstance(meta, dict) or not all(
            value is None or isinstance(value, str)
            for value in (row.get("title"), row.get("source"), row.get("published"), row.get("file_name"))
        ):
            raise BundleError(f"{name}: document {doc_id!r} has malformed fields; refused")
        texts[doc_id] = text
        docs.append(
            documents.NewDocument(
                text=text,
                title=row.get("title") or "",
                source=row.get("source"),
                published=row.get("published"),
                file_name=row.get("file_name"),
                meta=meta,
                id=doc_id,
            )
        )
    if set(texts) != set(listed):
        raise BundleError(f"{name}: its documents do not match its manifest; refused")
    if split is not None and not set(split["arms"]) <= set(texts):
        raise BundleError(f"{name}: its A/B split names documents that are not in the bundle; refused")

    by_name = {label.name: label for label in labels}
    spans: list[Span] = []
    twins = Twins()
    for row in read_jsonl(members[SPANS], f"{name}: {SPANS}"):
        span = span_from_row(row, name)
        if span.annotator != annotator:
            raise BundleError(f"{where(name, span)} belongs to {span.annotator!r}, not to {annotator!r}; refused")
        if span.doc_id not in texts:
            raise BundleError(f"{where(name, span)}: the document is not in the bundle; refused")
        twins.check(span, name)
        spans.append(checked_span(texts[span.doc_id], by_name, span, name))
    statuses = []
    for row in read_jsonl(members[STATUSES], f"{name}: {STATUSES}"):
        if (
            not isinstance(row.get("doc_id"), str)
            or row["doc_id"] not in texts
            or row.get("status") not in doc_status.STATUSES
        ):
            raise BundleError(f"{name}: a status is malformed or for a document not in the bundle; refused")
        statuses.append(row)
    return _Contents(
        manifest,
        annotator,
        floor,
        secret,
        lead_key,
        project_name,
        guidelines,
        offer,
        names,
        labels,
        docs,
        spans,
        statuses,
        split,
    )


def _check_lead_key(project: Project, contents: _Contents, name: str, repin: str | None) -> None:
    """An update must be signed by the lead's key this copy pinned (or re-pinned on purpose)."""
    pinned, pinned_at = project.setting("lead_public_key"), project.setting("lead_key_pinned_at")
    if contents.lead_key is None:
        if pinned:
            raise BundleError(
                f"{name} is not signed, but this copy pinned the lead's key on {str(pinned_at)[:10]} "
                f"({signing.fingerprint(pinned)}): it was made by an old Workbench or by someone else; refused"
            )
        return
    if not pinned or pinned == contents.lead_key:
        return
    new = signing.fingerprint(contents.lead_key)
    if repin is not None and signing.same_fingerprint(repin, contents.lead_key):
        return
    if repin is not None:
        raise BundleError(
            f"the fingerprint you typed is not the one of the key that signed {name} ({new}); "
            "ask your lead to read it again. Nothing changed"
        )
    raise BundleError(
        f"{name} is signed by a different key than the lead's key this copy pinned on {str(pinned_at)[:10]}: "
        f"someone else made it, or the lead moved to another computer. Pinned: {signing.fingerprint(pinned)}; "
        f"this bundle: {new}. If your lead reads you the new fingerprint, open it with "
        f'--repin "{new}"; refused'
    )


def _fill(project: Project, contents: _Contents, *, created: bool) -> None:
    """Write the bundle's schema, guidelines and documents (and, for a new copy, the
    annotator's identity, key, spans and statuses) in one transaction."""
    annotator = contents.annotator
    with project.transaction() as db:
        if created:
            label_store.delete_all(db)
            settings: list[tuple[str, object]] = [
                ("project_id", contents.manifest["project_id"]),
                ("role", ROLE_ANNOTATOR),
                ("work_sequence", contents.sequence_floor),
                ("signing_key", signing.new_private_key()),  # made here, never sent: only its public half is
            ]
            if contents.secret is not None:
                settings.append(("bundle_secret", contents.secret))
            for key, value in settings:
                project.set_setting(key, value)
            project.set_current_annotator(annotator)
        elif not project.setting("signing_key"):  # a copy made before keys existed gets its own now
            project.set_setting("signing_key", signing.new_private_key())
        if contents.lead_key is not None and project.setting("lead_public_key") != contents.lead_key:
            previous = project.setting("lead_public_key")
            project.set_setting("lead_public_key", contents.lead_key)
            project.set_setting("lead_key_pinned_at", now())
            changelog.record(
                db,
                "key.repin" if previous else "key.pin",
                annotator,
                before={"fingerprint": signing.fingerprint(previous)} if previous else None,
                after={"fingerprint": signing.fingerprint(contents.lead_key), "lead": True},
            )
        project.set_setting("guidelines", contents.guidelines)
        if contents.suggestions is not None:
            project.set_setting(suggestion_store.SETTING, contents.suggestions)
        if contents.names:
            names_store.put(db, contents.names, source="project bundle")
        label_store.merge(db, contents.labels)
        for document in contents.documents:
            held = documents.hash_and_text(db, str(document.id))
            if held is not None:  # already in this copy (a re-issued bundle): the same text, or refused
                if held[0] != content_hash(document.text):
                    raise BundleError(
                        f"the bundle gives document {document.id!r} another text than the one in this copy "
                        "(a document's text never changes once imported: spans point into it); refused"
                    )
                continue
            documents.insert(db, document)
        split = contents.assistance  # (after the documents: the halves point at them)
        assistance.receive(
            project,
            annotator,
            None if split is None else {"seed": split["seed"], "since": split["since"]},
            {} if split is None else split["arms"],
        )
        if created:
            for span in contents.spans:
                span_store.insert(db, span, annotator)
            doc_status.restore(db, ({**row, "annotator": annotator} for row in contents.statuses))


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


def copy_path_for(bundle: str | Path) -> Path:
    """Where an annotator's copy made from ``bundle`` lives by default: the data directory."""
    bundle = Path(bundle)
    manifest = parse(read_members(bundle, MEMBERS), PROJECT, bundle.name)
    safe = "".join(
        c if c.isalnum() or c in "-_" else "-" for c in f"{manifest['project_id'][:8]}-{manifest['annotator']}"
    )
    return data_dir() / "projects" / f"{safe}{PROJECT_SUFFIX}"
