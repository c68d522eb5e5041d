"""Work bundles: the annotator sends their work; the lead checks it and merges it.

Merging replaces, document by document, the annotator's layer in the lead's
project with the state the bundle carries (so spans deleted by the annotator
are deleted), but only when the bundle is newer than the last one merged for
that annotator and document (its sequence number, then its creation time).
So importing a bundle twice changes nothing, an older bundle never overwrites
newer work, and any order of the same bundles ends in the same state. Each
bundle is checked completely before anything is written, and merged in one
transaction.

A bundle is never read whole, whatever its size: the check pass streams each
member (hashing it against the manifest, checking each row), and the merge pass
streams the spans again from the same open file, one document at a time (the
exporter writes each document's spans in one block; a bundle that does not is
refused), hashing them again; the file is then kept in the project in chunks,
hashed again. Memory holds one document's spans (the spans of a bundle of usual
size, up to :data:`KEEP_CHECKED_BYTES`, are kept between the passes instead of
being read twice); a file that changes between the two passes is refused, and the
transaction takes back what was merged of it.

At team scale (ten bundles of 50,000 spans) the work per span is kept small: each line is parsed
by orjson (:func:`manifest.streamed_rows`), a usual row is checked in a few steps
(:func:`contents.quick_row`, the same checks), the change log is verified beside the spans in a
second thread, and the spans of the documents in which the annotator has none yet are written by
few statements (:class:`_Writer`, :mod:`workbench.core.store.bulk`). A run of bundles copies the
WAL into the file once, at its end, rather than after each bundle's commit
(:meth:`Project.bulk_writes`), and checks the next bundle on a thread of its own while SQLite writes
the one before it (:class:`ahead.Ahead`; see "a run of bundles" below). The spans are inserted without the
statement journal and the temporary table SQLite would otherwise fill with a copy of every page and
row of a many-row ``INSERT``: the run's connection leaves the foreign keys to the merge's own checks
(every reference is among the facts compared under the write lock:
:meth:`Project.bulk_writes`), the spans table's INSERT triggers are set aside in each merge's
transaction and their work done once for all its spans (:func:`spans.inserts_in_bulk`), and a
refused row rolls the transaction back (``INSERT OR ROLLBACK``). What is left is mostly SQLite's
own work on the spans table's indexes (see ``benchmarks/bundle_bench.py``, ``parse_insert``).
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import hashlib
import json
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.bundles import WORK, signing
from workbench.core.bundles.ahead import Ahead
from workbench.core.bundles.archive import MAX_BUNDLE_BYTES, Archive, BundleError, BundleWriter, Member, open_archive
from workbench.core.bundles.contents import (
    CheckedRow,
    Twins,
    checked_span,
    quick_row,
    row_of,
    span_from_row,
    span_of,
    where,
)
from workbench.core.bundles.manifest import (
    MANIFEST,
    SIGNATURE,
    build_from_digests,
    jsonl,
    parse_manifest,
    sha256,
    signer,
    signer_block,
    streamed_rows,
)
from workbench.core.errors import InvalidInput
from workbench.core.store import annotators as layer_owners
from workbench.core.store import assignments, changelog, documents
from workbench.core.store import bundles as bookkeeping
from workbench.core.store import spans as span_store
from workbench.core.store import status as doc_status
from workbench.core.store.labels import Label
from workbench.core.store.project import Project, is_annotator_copy, now
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
# A spans.jsonl up to this size is kept, checked, between the two passes (about 2.5 times its size
# in memory), so that a bundle of the usual size is parsed once and its merge holds the write lock
# no longer than its writes take; a larger one is streamed again, one document at a time.
KEEP_CHECKED_BYTES = 16 * 1024**2


@dataclass(frozen=True)
class WorkBundleSummary:
    path: Path
    annotator: str
    sequence: int
    documents: int
    spans: int
    deleted: int
    fingerprint: str  # of the key that signed it, for the annotator to read to the lead


def export_work_bundle(project: Project, path: str | Path) -> WorkBundleSummary:
    """Write the annotator's work on all their documents, signed with their key.

    A copy made before keys existed (it holds a shared secret) makes its key now:
    the lead pins it from this bundle.
    """
    if not is_annotator_copy(project):
        raise BundleError("this project is not an annotator's copy: open your project bundle first")
    annotator = project.current_annotator
    if not annotator:
        raise BundleError("this copy has no annotator; open your project bundle again")
    db = project.db
    hashes = documents.hashes(db)
    with project.transaction():
        sequence = int(project.setting("work_sequence", 0)) + 1
        project.set_setting("work_sequence", sequence)
        key = own_key(project)
    doc_ids = list(hashes)
    spans = 0
    with BundleWriter(path) as out:
        with out.member(SPANS, large=True) as write:
            for first in range(0, len(doc_ids), _EXPORT_CHUNK):
                rows = [
                    s.row()
                    for doc_id in doc_ids[first : first + _EXPORT_CHUNK]
                    for s in span_store.for_document(db, doc_id, annotator)
                ]
                spans += len(rows)
                write(jsonl(rows))
        # (the spans deleted and not restored: the layer's own spans are left out by SQLite)
        deleted = [
            {"id": span_id, "doc_id": doc_id, "deleted_at": at}
            for span_id, doc_id, at in changelog.deletions(db, except_layer=annotator)
        ]
        out.add(DELETED, jsonl(deleted))
        out.add(STATUSES_MEMBER, jsonl(doc_status.of_annotator(db, annotator)))
        # The change log, streamed: a copy of a hundred thousand documents logs millions of
        # changes (4.9 million, over 2 GB as JSON Lines, measured at a million documents).
        with out.member(CHANGES, large=True) as write:
            batch: list[dict] = []
            for change in changelog.iter_history(db):
                batch.append(change)
                if len(batch) == _EXPORT_CHANGES:
                    write(jsonl(batch))
                    batch = []
            if batch:
                write(jsonl(batch))
        manifest = build_from_digests(
            WORK,
            project.setting("project_id"),
            project.name,
            annotator,
            hashes,
            out.digests,
            sequence=sequence,
            signer=signer_block(key),
        )
        out.add(MANIFEST, manifest)
        out.add(SIGNATURE, signing.sign(manifest, key))
    return WorkBundleSummary(
        Path(path),
        annotator,
        sequence,
        len(hashes),
        spans,
        len(deleted),
        signing.fingerprint(signing.public_key(key)),
    )


# Documents whose spans are read, and written, at a time; changes of the log written at a time.
_EXPORT_CHUNK = 200
_EXPORT_CHANGES = 5000


def own_key(project: Project) -> str:
    """This copy's private key, made (and kept in the project file) the first time it is
    needed. Call it inside a transaction."""
    key = project.setting("signing_key")
    if not key:
        key = signing.new_private_key()
        project.set_setting("signing_key", key)
    return key


def own_fingerprint(project: Project) -> str | None:
    """The fingerprint of this copy's key, to read to the lead (``None`` before it exists)."""
    key = project.setting("signing_key")
    return signing.fingerprint(signing.public_key(key)) if key else None


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
    if project.db.in_transaction:  # (a refused span takes back the whole transaction it is in)
        raise RuntimeError("work bundles are merged one transaction each: not inside the caller's")
    report = WorkImportReport()
    # (the WAL folded back into the file once, at the end, not after each bundle's commit; each
    # merge writes only what its check found in the project, still true under the write lock)
    with project.bulk_writes(references_checked=True), contextlib.ExitStack() as run:
        ahead: Ahead[_CheckedAhead] | None = None
        if len(paths) > 1 and project.writable:
            # The next bundle checked on a thread of its own while this one is merged.
            try:
                # Once it has checked the last one, the thread copies into the file what the
                # run has committed so far, while the last bundle is merged: the run's own
                # checkpoint, at its end, then copies only what that merge wrote.
                ahead = run.enter_context(
                    Ahead(
                        project.path,
                        len(paths),
                        _check_ahead(project.path, paths, max_bytes),
                        _discard,
                        then=Project.checkpoint,
                    )
                )
            except RuntimeError:  # (no thread can be started: each bundle is checked in its turn)
                ahead = None
        for done, path in enumerate(paths):
            if cancelled is not None and cancelled():
                break
            if progress is not None:
                progress(done, len(paths), str(path))
            try:
                if ahead is None:
                    report.merged.append(_import_one(project, Path(path), max_bytes))
                else:
                    found = ahead.take(done)
                    go_on = functools.partial(ahead.go_on, done + 1)
                    report.merged.append(_import_checked_ahead(project, Path(path), max_bytes, found, go_on))
            except BundleError as exc:
                report.refused.append({"path": str(path), "reason": str(exc)})
            except RecursionError:  # JSON nested past what any check foresaw: refuse this one, go on
                report.refused.append(
                    {
                        "path": str(path),
                        "reason": f"{Path(path).name}: its content is nested too deeply to be read; refused",
                    }
                )
    if progress is not None:
        progress(len(paths), len(paths), "")
    return report


# --- a run of bundles: the next one checked while this one is merged --------------------------------
#
# Checking a bundle is Python's work (unzip, hash, parse, check each row); merging it is mostly
# SQLite's, which lets other threads run meanwhile. In a run, the bundle after the one being merged
# is checked on a thread of its own (ahead.Ahead), through a connection of its own, which only
# reads. What it read of the project (_Facts) may have changed by the time its merge takes the
# write lock (the merge before it pinned a key or raised a sequence floor; another connection wrote
# meanwhile): the merge reads the facts again under the lock and uses the check only if they are
# the same; else the bundle is checked again, there. Refusals, their words and the report are
# those of the bundle imported alone.


@dataclass
class _CheckedAhead:
    """A bundle of a run as the look-ahead thread left it: open (``opened`` closes it), and
    checked, or refused (``error``), against ``facts``; ``facts`` is ``None`` when it was refused
    before anything of the project was read (for what its bytes are)."""

    opened: contextlib.ExitStack
    archive: Archive | None = None
    manifest: dict[str, Any] | None = None
    signed: dict[str, bytes] | None = None
    facts: _Facts | None = None
    checked: _Checked | None = None
    error: BaseException | None = None


def _check_ahead(
    project_path: Path, paths: list[str | Path], max_bytes: int
) -> Callable[[Project, int, threading.Event], _CheckedAhead]:
    def check(project: Project, index: int, stop: threading.Event) -> _CheckedAhead:
        found = _CheckedAhead(contextlib.ExitStack())
        try:
            found.archive = found.opened.enter_context(_open_bundle(project_path, Path(paths[index]), max_bytes))
            found.manifest, found.signed = _manifest(found.archive)
            found.facts = _facts(project, found.manifest)
            found.checked = _checked_with(project, found.archive, found.manifest, found.signed, found.facts, stop)
        except BaseException as exc:  # kept for the merge to judge, in the caller's thread
            found.error = exc
        return found

    return check


def _discard(found: _CheckedAhead) -> None:
    found.opened.close()


def _import_checked_ahead(
    project: Project, path: Path, max_bytes: int, found: _CheckedAhead | None, go_on: Callable[[], None]
) -> dict[str, Any]:
    """Merge a bundle checked ahead, once what its check read of the project is still true under
    the write lock. ``None``: imported as if alone. ``go_on`` begins the check of the next bundle:
    called once the merge's reads are done (it is called anyway when the next bundle is taken).

    As for a bundle imported alone, a refusal takes no lock, and a check made again (the facts
    changed since the thread read them: the merge before it pinned a key, another connection
    wrote) runs before the lock is taken, not while it is held; the facts are then compared
    under the lock. Should they change between that check and the lock three times over, the
    last check is made under the lock."""
    if found is None:
        return _import_one(project, path, max_bytes)
    with found.opened:
        if found.facts is None:  # refused for its bytes alone, or it could not be read here
            if isinstance(found.error, BundleError):
                raise found.error
            return _import_one(project, path, max_bytes)
        archive, manifest, signed = found.archive, found.manifest, found.signed
        assert archive is not None and manifest is not None and signed is not None
        return _merge_while_true(project, archive, manifest, signed, found.facts, found.checked, found.error, go_on)


def _merge_while_true(
    project: Project,
    archive: Archive,
    manifest: dict[str, Any],
    signed: dict[str, bytes],
    facts: _Facts,
    checked: _Checked | None,
    error: BaseException | None,
    go_on: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Merge a bundle checked against ``facts`` (or refused: ``error``) once they are still true
    under the write lock; else check it again, before the lock is taken (three times over; then
    under the lock). So whatever the merge writes names documents, an annotator and labels the
    project holds as it commits: the run's foreign keys are not checked again by SQLite
    (:meth:`Project.bulk_writes`)."""
    for _attempt in range(3):
        now = _facts(project, manifest)
        if now != facts or (checked is None and not isinstance(error, BundleError)):
            # the project changed since, or the check failed in another way: checked here
            facts, checked, error = now, _checked_with(project, archive, manifest, signed, now), None
        if isinstance(error, BundleError):
            raise error
        assert checked is not None
        with project.transaction():
            if _facts(project, manifest) == facts:  # still true under the write lock
                return _merge_in(project, archive, checked, go_on)
    with project.transaction():
        checked = _checked_with(project, archive, manifest, signed, _facts(project, manifest))
        return _merge_in(project, archive, checked, go_on)


# --- checking, streamed ----------------------------------------------------------------------
#
# A work bundle may hold hundreds of MB of spans, so it is never read whole. The check pass streams
# each member once, hashing it and checking every row; the merge pass (one transaction) streams
# spans.jsonl again from the same open file, document by document, hashing it again (unless it is
# small enough to have been kept), and copies the file into received_bundles in chunks, hashing it
# again. Memory holds one document's spans (and text) at a time.


@dataclass(frozen=True)
class _Facts:
    """What the check of a bundle reads of the project (:func:`_facts`).

    The check is a function of the bundle's bytes and of these alone (the texts it reads are the
    ones whose hashes are in ``stored``), so a bundle checked against facts that are still true
    under the write lock was checked against the project as it is: a run checks the next bundle
    on a connection of its own, before the one ahead of it is merged, and compares the facts
    under the lock (:func:`_import_checked_ahead`)."""

    project_id: str | None
    signing: layer_owners.Signing | None  # of the annotator the manifest names
    absurd_above: int | None  # the sequence floor, when the bundle's sequence is absurdly above it
    assigned: frozenset[str]  # the listed documents assigned to the annotator
    stored: dict[str, str]  # the stored hash of each listed document the project holds
    labels: tuple[Label, ...]


def _facts(project: Project, manifest: dict[str, Any]) -> _Facts:
    db = project.db
    annotator, listed = manifest["annotator"], manifest["documents"]
    sequence = _sequence(manifest)
    floor = bookkeeping.sequence_floor(db, annotator) if sequence is not None else 0
    given = set(assignments.assigned(db, annotator).get(annotator, []))
    return _Facts(
        project.setting("project_id"),
        layer_owners.signing(db, annotator),
        floor if sequence is not None and sequence > floor + MAX_SEQUENCE_JUMP else None,
        frozenset(doc_id for doc_id in listed if doc_id in given),
        documents.hashes_of(db, listed),  # the hashes only: each text is read once, by the check
        tuple(project.labels()),
    )


def _sequence(manifest: dict[str, Any]) -> int | None:
    """The manifest's sequence number, if it is a valid one."""
    sequence = manifest.get("sequence")
    if not isinstance(sequence, int) or isinstance(sequence, bool) or not 1 <= sequence < 2**63:
        return None
    return sequence


@dataclass
class _Checked:
    """What the check pass keeps of a bundle (its spans only when they are few)."""

    manifest: dict[str, Any]
    digest: str  # the manifest's SHA-256: the bundle's identity
    trust: dict[str, Any]
    statuses: dict[str, str]  # at most one per document the manifest lists
    file_sha256: str  # of the file checked, for the merge pass to compare
    groups: list[tuple[str, list[CheckedRow]]] | None  # the checked spans by document, if kept (small)


class _Stopped(Exception):
    """A check given up half-way: the run it was made for stopped."""


def _checked_with(
    project: Project,
    archive: Archive,
    manifest: dict[str, Any],
    signed: dict[str, bytes],
    facts: _Facts,
    stop: threading.Event | None = None,
) -> _Checked:
    """Everything about the bundle checked, before anything is written, once the manifest is read,
    against ``facts``; :class:`BundleError` if not. Of the project it reads only the texts of the
    listed documents (through ``project``)."""
    name = archive.name
    listed = manifest["documents"]
    if manifest["project_id"] != facts.project_id:
        raise BundleError(
            f"{name} belongs to another project ({manifest.get('project_name') or manifest['project_id']}); refused"
        )
    annotator = manifest["annotator"]
    try:
        layer_owners.check_name(annotator)
    except InvalidInput:
        raise BundleError(f"{name}: the manifest names no valid annotator ({annotator!r}); refused") from None
    trust = _trust(facts.signing, signed, manifest, name)
    sequence = _sequence(manifest)
    if sequence is None:
        raise BundleError(f"{name}: the manifest has no valid sequence number; refused")
    if facts.absurd_above is not None:
        raise BundleError(
            f"{name}: its sequence number {sequence} is absurd — more than {MAX_SEQUENCE_JUMP:,} above "
            f"bundle {facts.absurd_above}, the last merged from {annotator}; it would hide their later bundles; refused"
        )
    for doc_id, digest in listed.items():
        _same_text(facts.stored.get(doc_id), doc_id, digest, name)
        if doc_id not in facts.assigned:
            raise BundleError(
                f"{name}: document {doc_id!r} is not assigned to {annotator}, so no copy of theirs holds it; refused"
            )
    labels = {label.name: label for label in facts.labels}
    hashes = manifest["members"]
    groups: list[tuple[str, list[CheckedRow]]] | None = (
        [] if archive.declared_size(SPANS) <= KEEP_CHECKED_BYTES else None
    )
    # The annotator's change log is kept as received (in received_bundles), not interpreted: its
    # hash is checked with the manifest's, and it must be text. That is work for zlib, hashlib and
    # the UTF-8 codec, which let other threads run: it is done beside the check of the spans (a
    # change log is often larger than the spans), and its refusal comes after theirs, as before.
    log = _Beside(lambda: _check_text(archive, CHANGES, hashes[CHANGES], name, stop))
    try:
        with _verified(archive, SPANS, hashes[SPANS], _altered(name, SPANS)) as stream:
            for group in _document_groups(project, _rows(stream, name), name, annotator, listed, labels):
                if stop is not None and stop.is_set():
                    raise _Stopped
                if groups is not None:
                    groups.append(group)
        statuses = _checked_statuses(archive, hashes[STATUSES_MEMBER], listed, name)
        with _verified(archive, DELETED, hashes[DELETED], _altered(name, DELETED)) as stream:
            for _ in _rows(stream, name):
                if stop is not None and stop.is_set():
                    raise _Stopped
    finally:
        log.join()  # (before the archive closes, whatever happened)
    log.result()
    return _Checked(manifest, sha256(signed[MANIFEST]), trust, statuses, archive.sha256(), groups)


def _checked_statuses(archive: Archive, digest: object, listed: dict[str, str], name: str) -> dict[str, str]:
    statuses: dict[str, str] = {}
    with _verified(archive, STATUSES_MEMBER, digest, _altered(name, STATUSES_MEMBER)) as stream:
        for row in _rows(stream, name):
            doc_id, status = row.get("doc_id"), row.get("status")
            if not isinstance(doc_id, str) or doc_id not in listed or status not in STATUSES:
                raise BundleError(f"{name}: a status is malformed or for an unlisted document; refused")
            statuses[doc_id] = status
    return statuses


def _check_text(archive: Archive, member: str, digest: object, name: str, stop: threading.Event | None = None) -> None:
    """``member`` is the one the manifest lists (its hash), and UTF-8 text. ``stop`` set: given up
    at the next chunk (:class:`_Stopped`; a run that stops does not wait for a long change log)."""
    with _verified(archive, member, digest, _altered(name, member)) as stream:
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            for chunk in stream.chunks():
                if stop is not None and stop.is_set():
                    raise _Stopped
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise BundleError(f"{name}: {member} is not UTF-8; refused") from None


class _Beside:
    """``work`` run in a thread of its own (work that lets other threads run: zlib, hashlib);
    :meth:`result` gives what it raised, once :meth:`join` has waited for it."""

    def __init__(self, work: Callable[[], None]):
        self._error: BaseException | None = None

        def run() -> None:
            try:
                work()
            except BaseException as exc:  # handed to the caller's thread by result()
                self._error = exc

        self._thread = threading.Thread(target=run, name="bundle-check", daemon=True)
        self._thread.start()

    def join(self) -> None:
        self._thread.join()

    def result(self) -> None:
        if self._error is not None:
            raise self._error


def _manifest(archive: Archive) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The manifest, with its format, version, kind and members checked, and the manifest and
    signature members (small: read whole).

    The checks of :func:`workbench.core.bundles.manifest.parse_manifest`; each member's hash is
    checked while it is streamed (:func:`_verified`).
    """
    name = archive.name
    if MANIFEST not in archive.names:
        raise BundleError(f"{name} has no manifest; it is not a Workbench bundle")
    signed = {MANIFEST: archive.read(MANIFEST)}
    if SIGNATURE in archive.names:
        signed[SIGNATURE] = archive.read(SIGNATURE)
    manifest = parse_manifest(signed[MANIFEST], set(archive.names), WORK, name)
    listed = manifest["members"]
    missing = sorted(MEMBERS - {MANIFEST, SIGNATURE} - set(listed))
    if missing:
        raise BundleError(f"{name} has no {', '.join(missing)}; it is not a complete work bundle; refused")
    return manifest, signed


def _altered(name: str, member: str) -> str:
    return f"{name}: {member} was altered after the bundle was made; refused"


def _changed_on_disk(name: str) -> str:
    return (
        f"{name} changed on disk while it was being merged (it is not the file that was checked); "
        "nothing of it was merged; refused. Import it again once it is complete"
    )


@contextlib.contextmanager
def _verified(
    archive: Archive, member: str, digest: object, altered: str, damaged: str | None = None
) -> Iterator[Member]:
    """``member``, streamed by the block; then the SHA-256 of all of it must be ``digest`` (from
    the manifest), or ``altered`` is the refusal.

    When the block fails (a row that does not parse or check; in the merge pass, a write the
    project refuses), the rest of the member is read first: if it was altered, that is what is
    reported, as when every hash was checked before anything was read. ``damaged``, if given,
    replaces the refusal of a member the zip cannot read (in the merge pass: the file was readable
    when it was checked).
    """
    with archive.member(member) as stream:
        try:
            yield stream
        except Exception:
            if stream.damaged:
                if damaged is not None:
                    raise BundleError(damaged) from None
                raise
            stream.drain()
            if stream.hexdigest() != digest:
                raise BundleError(altered) from None
            raise
        stream.drain()
        if stream.hexdigest() != digest:
            raise BundleError(altered)


def _rows(stream: Member, bundle: str) -> Iterator[dict[str, Any]]:
    """The JSON object on each line of a JSON Lines member, streamed."""
    return streamed_rows(stream.chunks(), f"{bundle}: {stream.name}")


def _same_text(stored: str | None, doc_id: str, digest: str, name: str) -> None:
    """Refuse a listed document the project lacks, or whose stored hash is not the bundle's."""
    if stored is None:
        raise BundleError(f"{name}: document {doc_id!r} is not in this project; refused")
    if stored != digest:
        raise BundleError(f"{name}: the text of document {doc_id!r} differs from the project's; refused")


def _stored_text(project: Project, doc_id: str, digest: str, name: str) -> str:
    """The project's text of a document the bundle lists, once it is the text the bundle was made on."""
    stored = documents.hash_and_text(project.db, doc_id)
    if stored is None:
        raise BundleError(f"{name}: document {doc_id!r} is not in this project; refused")
    if stored[0] != digest:
        raise BundleError(f"{name}: the text of document {doc_id!r} differs from the project's; refused")
    return stored[1]


def _document_groups(
    project: Project,
    rows: Iterable[dict[str, Any]],
    name: str,
    annotator: str,
    listed: dict[str, str],
    labels: dict[str, Label],
) -> Iterator[tuple[str, list[CheckedRow]]]:
    """Each document's spans, checked against its text and the schema, in the bundle's order.

    A document's spans come in one block, as Workbench writes them; a bundle whose spans of one
    document are apart is refused. So only one document's spans, and its text, are held at a time.
    A usual row is checked in a few steps (:func:`quick_row`); any other (the first of each
    document, and every row that is refused) by the checks one at a time, which say what is wrong.
    """
    finished: set[str] = set()
    doc_id: str | None = None
    text = ""
    group: list[CheckedRow] = []
    twins = Twins()
    for row in rows:
        quick = quick_row(row, doc_id, annotator, text, labels, twins)
        if quick is not None:
            group.append(quick)
            continue
        span = span_from_row(row, name)
        if span.annotator != annotator:
            raise BundleError(f"{where(name, span)} belongs to {span.annotator!r}, not to {annotator!r}; refused")
        if span.doc_id != doc_id:
            if span.doc_id not in listed:
                raise BundleError(f"{where(name, span)}: the document is not listed in the manifest; refused")
            if doc_id is not None:
                finished.add(doc_id)
            if span.doc_id in finished:
                raise BundleError(
                    f"{name}: the spans of document {span.doc_id!r} are not together in {SPANS} (Workbench "
                    "writes each document's spans in one block: something else made or changed this bundle); refused"
                )
            if doc_id is not None:
                yield doc_id, group
            doc_id, group, twins = span.doc_id, [], Twins()  # one document's spans held at a time
            text = _stored_text(project, doc_id, listed[doc_id], name)
        twins.check(span, name)
        group.append(row_of(checked_span(text, labels, span, name)))
    if doc_id is not None:
        yield doc_id, group


def _trust(
    state: layer_owners.Signing | None, members: dict[str, bytes], manifest: dict[str, Any], name: str
) -> dict[str, Any]:
    """Whether the bundle is signed by the key this project trusts for its annotator.

    A format-2 bundle must verify with the key it carries; that key must be the
    one pinned for the annotator, or, if none is pinned yet, it will be (trust on
    first use). A format-1 bundle (shared secret) is accepted only from an
    annotator with no key pinned, and only with their secret. ``state`` is what the project
    knows of the annotator's signing (:func:`layer_owners.signing`).
    """
    annotator = manifest["annotator"]
    if state is None:
        raise BundleError(f"{name} is from {annotator!r}, who is not an annotator of this project; refused")
    signature = members.get(SIGNATURE)
    if signature is None:
        raise BundleError(f"{name} is not signed; refused")
    scheme, public = signer(manifest, name)
    if scheme == signing.ED25519:
        assert public is not None
        if not signing.verifies(members[MANIFEST], signature, public):
            raise BundleError(
                f"{name}: the signature does not match the key it names — the bundle was altered after "
                "it was signed; refused"
            )
        if state.public_key is not None and state.public_key != public:
            raise different_key(name, annotator, state, public)
        return {
            "scheme": scheme,
            "public_key": public,
            "fingerprint": signing.fingerprint(public),
            "key_pinned_now": state.public_key is None,
            "pinned_at": state.pinned_at,
        }
    if state.public_key is not None:
        raise BundleError(
            f"{name} is signed with the old shared secret, but {annotator} signs with a key since "
            f"{_day(state.pinned_at)} (fingerprint {signing.fingerprint(state.public_key)}); anyone holding "
            f"{annotator}'s first project bundle could have made it; refused"
        )
    if state.secret is None or not signing.hmac_verifies(members[MANIFEST], signature, state.secret):
        raise BundleError(
            f"{name}: the signature does not match {annotator}'s key — the bundle was altered, "
            "or it is not from this annotator; refused"
        )
    return {"scheme": scheme, "public_key": None, "fingerprint": None, "key_pinned_now": False, "pinned_at": None}


def different_key(name: str, annotator: str, state: layer_owners.Signing, public: str) -> BundleError:
    assert state.public_key is not None
    return BundleError(
        f"{name} is signed by a different key than the one pinned for {annotator} on {_day(state.pinned_at)}: "
        f"someone else made it, or {annotator} reinstalled Workbench. Pinned: {signing.fingerprint(state.public_key)}; "
        f"this bundle: {signing.fingerprint(public)}. If {annotator} reads you the new fingerprint, re-pin with "
        f"'workbench-cli bundle repin {name} --fingerprint \"{signing.fingerprint(public)}\"'; refused"
    )


def _day(at: str | None) -> str:
    return (at or "?")[:10]


def repin(project: Project, path: str | Path, fingerprint: str, max_bytes: int = MAX_BUNDLE_BYTES) -> dict[str, Any]:
    """Pin the key that signed the work bundle at ``path`` as its annotator's, replacing theirs.

    The lead types the fingerprint the annotator reads them; it must be the
    bundle's. Nothing is merged: import the bundle afterwards.
    """
    path = Path(path)
    with open_archive(path, MEMBERS, max_bytes) as archive:
        manifest, members = _manifest(archive)
        for member, digest in manifest["members"].items():
            with _verified(archive, member, digest, _altered(path.name, member)):
                pass
    if manifest["project_id"] != project.setting("project_id"):
        raise BundleError(f"{path.name} belongs to another project; refused")
    annotator = manifest["annotator"]
    state = layer_owners.signing(project.db, annotator) if isinstance(annotator, str) else None
    if state is None:
        raise BundleError(f"{path.name} is from {annotator!r}, who is not an annotator of this project; refused")
    scheme, public = signer(manifest, path.name)
    signature = members.get(SIGNATURE)
    if public is None or signature is None or not signing.verifies(members[MANIFEST], signature, public):
        raise BundleError(f"{path.name} is not signed with a key (or was altered after); nothing to pin")
    if not signing.same_fingerprint(fingerprint, public):
        raise BundleError(
            f"the fingerprint you typed is not the one of the key that signed {path.name} "
            f"({signing.fingerprint(public)}); ask {annotator} to read it again. Nothing changed"
        )
    previous = state.public_key
    with project.transaction() as db:
        pinned_at = layer_owners.pin_key(db, annotator, public)
        changelog.record(
            db,
            "key.repin",
            annotator,
            before={"fingerprint": signing.fingerprint(previous) if previous else None, "pinned_at": state.pinned_at},
            after={"fingerprint": signing.fingerprint(public), "pinned_at": pinned_at, "bundle": path.name},
        )
    return {
        "annotator": annotator,
        "fingerprint": signing.fingerprint(public),
        "previous": signing.fingerprint(previous) if previous else None,
        "unchanged": previous == public,
        "pinned_at": pinned_at,
    }


def _open_bundle(project_path: Path, path: Path, max_bytes: int):
    """The bundle at ``path``, open; refused if it is the project file itself (opening and closing
    that file from Python would drop the locks SQLite holds on it: see ``core/store/project.py``)."""
    with contextlib.suppress(OSError):
        if path.samefile(project_path):
            raise BundleError(f"{path.name} is this project's own file, not a work bundle; refused")
    return open_archive(path, MEMBERS, max_bytes)


def _import_one(project: Project, path: Path, max_bytes: int = MAX_BUNDLE_BYTES) -> dict[str, Any]:
    """Check a bundle, then merge it in one transaction (streaming its spans again, document by
    document, if it is large)."""
    with _open_bundle(project.path, path, max_bytes) as archive:
        manifest, signed = _manifest(archive)
        facts = _facts(project, manifest)
        checked = _checked_with(project, archive, manifest, signed, facts)
        return _merge_while_true(project, archive, manifest, signed, facts, checked, None)


def _merge_in(
    project: Project, archive: Archive, checked: _Checked, reads_done: Callable[[], None] | None = None
) -> dict[str, Any]:
    """:func:`_merge`, in the caller's transaction (whose write lock it needs: it reads what it
    replaces). ``reads_done`` is called once what it reads before it writes is read."""
    manifest, trust, name = checked.manifest, checked.trust, archive.name
    annotator, sequence, created_at = manifest["annotator"], manifest["sequence"], manifest["created_at"]
    listed: dict[str, str] = manifest["documents"]
    db = project.db
    counts = {"documents": 0, "skipped_older": 0, "added": 0, "updated": 0, "deleted": 0, "statuses": 0}
    not_newer_than = 0  # the newest bundle already merged for a document this one does not change
    if trust["scheme"] == signing.ED25519:
        # Checked again under the write lock: another process may have pinned a key meanwhile.
        state = layer_owners.signing(db, annotator)
        assert state is not None
        if state.public_key is None:
            trust["pinned_at"] = layer_owners.pin_key(db, annotator, trust["public_key"])
            changelog.record(
                db,
                "key.pin",
                annotator,
                after={
                    "fingerprint": trust["fingerprint"],
                    "bundle": name,
                    "upgraded": state.secret is not None,
                },
            )
        elif state.public_key != trust["public_key"]:
            raise different_key(name, annotator, state, trust["public_key"])
        else:
            trust["key_pinned_now"] = False
    newer: set[str] = set()  # the documents this bundle brings newer work for
    merged_before = bookkeeping.last_merged_of(db, annotator)
    for doc_id in listed:
        stored = merged_before.get(doc_id)
        if stored is not None and stored >= (sequence, created_at, checked.digest):
            counts["skipped_older"] += 1
            not_newer_than = max(not_newer_than, stored[0])
        else:
            newer.add(doc_id)

    if newer:
        writer = _Writer(project, name, checked, newer, counts)
        if reads_done is not None:
            reads_done()
        merged = set(newer)
        # A merge that only adds spans (the annotator has none yet in its documents: a first
        # bundle, new documents) deletes none, so its new spans are the ones above the highest
        # rowid before it: the spans' INSERT triggers are set aside. One that replaces a layer
        # deletes spans, whose rowids new spans may take again: the triggers stay.
        aside = span_store.inserts_in_bulk(db) if not writer.layered else contextlib.nullcontext(False)
        try:
            with aside:

                def merge(doc_id: str, incoming: list[CheckedRow]) -> None:
                    newer.discard(doc_id)
                    writer.document(doc_id, incoming)

                with contextlib.ExitStack() as reading:
                    groups: Iterable[tuple[str, list[CheckedRow]]]
                    if checked.groups is not None:
                        groups = checked.groups
                    else:
                        # Read a second time, from the same open file, and checked again, under the
                        # write lock; its hash is compared again at its end: a file changed since the
                        # check pass is refused, and the transaction takes back what was merged of it.
                        changed = _changed_on_disk(name)
                        stream = reading.enter_context(
                            _verified(archive, SPANS, manifest["members"][SPANS], changed, damaged=changed)
                        )
                        labels = {label.name: label for label in project.labels()}
                        groups = _document_groups(project, _rows(stream, name), name, annotator, listed, labels)
                    for doc_id, incoming in groups:
                        if doc_id in newer:
                            merge(doc_id, incoming)
                left = documents.hashes_of(db, newer)  # (what is left: documents without spans)
                for doc_id, digest in listed.items():
                    if doc_id in newer:  # a document without spans in the bundle
                        _same_text(left.get(doc_id), doc_id, digest, name)
                        merge(doc_id, [])
                writer.flush()
        except _Taken as taken:
            # SQLite took the whole transaction back (INSERT OR ROLLBACK): which span was refused
            # is found again, from the bundle and the project as they are now
            found = _first_taken(project, archive, checked, merged)
            raise BundleError(
                f"{name}: a span id in {found or taken.doc_id!r} is already used by another layer; refused"
            ) from None
    if counts["documents"]:
        # A bundle with nothing newer than what was merged changes nothing, not even the log.
        bookkeeping.keep_received(
            db,
            checked.digest,
            annotator,
            sequence,
            created_at,
            name,
            archive.size,
            _same_file(archive, checked.file_sha256),
        )
        changelog.record(
            db,
            "bundle.merge",
            annotator,
            after={"bundle": name, "sequence": sequence, "created_at": created_at, **counts},
        )
    return {
        "path": str(archive.path),
        "annotator": annotator,
        "sequence": sequence,
        **counts,
        "not_newer_than": not_newer_than or None,
        "nothing_changed": counts["documents"] == 0,
        "signed_with": "key" if trust["scheme"] == signing.ED25519 else "old shared secret",
        "fingerprint": trust["fingerprint"],
        "key_pinned_now": trust["key_pinned_now"],
        "key_pinned_at": trust["pinned_at"],
    }


# Spans written together, at most, when they are streamed (what is held of them meanwhile: a few
# MB). Those of a bundle kept between the passes (KEEP_CHECKED_BYTES) are in memory already: they
# are written in larger batches, so in fewer statements (in a run, each statement waits for
# Python's lock while the next bundle is being checked).
_BATCH_ROWS = 2_000
_KEPT_BATCH_ROWS = 12_000


class _Writer:
    """Merges a bundle's documents in its order, in one transaction (the caller's).

    A document in which the annotator has no spans yet (the usual case: a first bundle, or a
    document new to them) only receives its spans: those of many documents are written together,
    with their log entries, in few statements. One that has spans is merged on its own
    (:func:`_merge_document`: deleted, updated and new spans), as is a status that changes, after
    what is pending is written, so the log keeps the order of one document at a time.
    """

    def __init__(self, project: Project, name: str, checked: _Checked, newer: set[str], counts: dict[str, int]):
        self.project, self.name, self.checked, self.counts = project, name, checked, counts
        manifest = checked.manifest
        self.annotator: str = manifest["annotator"]
        self.sequence: int = manifest["sequence"]
        self.created_at: str = manifest["created_at"]
        db = project.db
        self.layered = bookkeeping.with_layer(db, self.annotator, newer)
        self.statuses = {row["doc_id"]: row["status"] for row in doc_status.of_annotator(db, self.annotator)}
        self.pending: list[tuple[str, list[CheckedRow]]] = []
        self.pending_rows = 0
        self.batch_rows = _BATCH_ROWS if checked.groups is None else _KEPT_BATCH_ROWS
        self.logged: list[tuple[str, str, str | None, str | None, dict | None, dict | None]] = []
        self.merged: list[str] = []

    def document(self, doc_id: str, incoming: list[CheckedRow]) -> None:
        """Replace the annotator's layer on one document with the bundle's."""
        annotator, counts = self.annotator, self.counts
        if doc_id in self.layered:
            self.flush()
            spans = [span_of(row) for row in incoming]
            _merge_document(self.project, self.name, self.checked, doc_id, spans, counts)
            return
        if incoming:
            self.pending.append((doc_id, incoming))
            self.pending_rows += len(incoming)
            # One log entry for the document's new spans (as _merge_document writes it).
            self.logged.append(
                (
                    "span.merge",
                    annotator,
                    doc_id,
                    None,
                    None,
                    {"bundle": self.checked.digest, "sequence": self.sequence, "added": [row[0] for row in incoming]},
                )
            )
            counts["added"] += len(incoming)
        new_status = self.checked.statuses.get(doc_id, doc_status.NOT_STARTED)
        if self.statuses.get(doc_id, doc_status.NOT_STARTED) != new_status:
            self.flush()
            if doc_status.set_status(self.project.db, doc_id, annotator, new_status, annotator) != new_status:
                counts["statuses"] += 1
        self.merged.append(doc_id)
        counts["documents"] += 1
        if self.pending_rows >= self.batch_rows:
            self.flush()

    def flush(self) -> None:
        """Write what is pending: spans, their log entries, the documents merged."""
        db, annotator = self.project.db, self.annotator
        if self.pending:
            stamp = now()
            written = (stamp,)
            rows = [
                row + written if row[9] else (*row[:9], stamp, stamp)  # (a bundle row without a creation time)
                for _, group in self.pending
                for row in group
            ]
            refused = span_store.insert_rows(db, rows)
            if refused is not None:  # (the transaction is gone: see _merge_in)
                raise _Taken(rows[refused][1])
        if self.logged:
            changelog.record_many(db, self.logged)
        if self.merged:
            bookkeeping.record_merged_many(
                db, annotator, self.merged, self.sequence, self.created_at, self.checked.digest
            )
        self.pending, self.pending_rows, self.logged, self.merged = [], 0, [], []


class _Taken(Exception):
    """A span the file refused (its id is taken), and with it the merge's whole transaction."""

    def __init__(self, doc_id: str):
        super().__init__(doc_id)
        self.doc_id = doc_id


def _first_taken(project: Project, archive: Archive, checked: _Checked, merged: set[str]) -> str | None:
    """The document of the first span, in the bundle's order, that a merge of ``merged`` could not
    insert, the merge taken back (:func:`spans.first_taken`), read again from the bundle (streamed,
    when it is large); ``None`` if none is found (the file changed meanwhile). Call it outside a
    transaction (the merge's was taken back)."""
    manifest, name = checked.manifest, archive.name
    annotator = manifest["annotator"]
    with contextlib.ExitStack() as reading:
        groups: Iterable[tuple[str, list[CheckedRow]]]
        if checked.groups is not None:
            groups = checked.groups
        else:
            stream = reading.enter_context(archive.member(SPANS))
            labels = {label.name: label for label in project.labels()}
            groups = _document_groups(project, _rows(stream, name), name, annotator, manifest["documents"], labels)
        inserted = ((doc_id, row[0]) for doc_id, rows in groups if doc_id in merged for row in rows)
        return span_store.first_taken(project.db, inserted, annotator)


def _merge_document(
    project: Project, name: str, checked: _Checked, doc_id: str, incoming: list[Span], counts: dict[str, int]
) -> None:
    """Replace the annotator's layer on one document with the bundle's (one that has spans)."""
    db = project.db
    manifest = checked.manifest
    annotator, sequence, created_at = manifest["annotator"], manifest["sequence"], manifest["created_at"]
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
        raise BundleError(f"{name}: a span id in {doc_id!r} is already used by another layer; refused") from None
    if fresh:
        # One log entry for the document's new spans: their rows are in the spans table,
        # and the annotator's own log of each action is in the bundle, kept as received.
        changelog.record(
            db,
            "span.merge",
            annotator,
            doc_id=doc_id,
            after={"bundle": checked.digest, "sequence": sequence, "added": [s.id for s in fresh]},
        )
    counts["added"] += len(fresh)
    counts["updated"] += len(changed)
    counts["deleted"] += len(gone)
    new_status = checked.statuses.get(doc_id, doc_status.NOT_STARTED)
    if doc_status.set_status(db, doc_id, annotator, new_status, annotator) != new_status:
        counts["statuses"] += 1
    bookkeeping.record_merged(db, annotator, doc_id, sequence, created_at, checked.digest)
    counts["documents"] += 1


def _same_file(archive: Archive, digest: str) -> Iterator[bytes]:
    """The bundle file in chunks, as it is kept; refused at its end if it is not the file checked."""
    check = hashlib.sha256()
    for chunk in archive.raw_chunks():
        check.update(chunk)
        yield chunk
    if check.hexdigest() != digest:
        raise BundleError(_changed_on_disk(archive.name))


def _content(span: Span) -> tuple:
    return (span.start, span.end, span.label, json.dumps(span.attributes, sort_keys=True), span.note, span.unsure)
