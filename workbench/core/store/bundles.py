"""Bundle bookkeeping on the lead's side: which work bundle was merged last for each
annotator and document, and every work bundle received, kept as it came."""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from workbench.core.store.project import now


def sequence_floor(db: Database, annotator: str) -> int:
    """The highest work-bundle sequence merged from ``annotator`` (0 if none)."""
    return db.execute("SELECT MAX(sequence) FROM merged_work WHERE annotator = ?", [annotator]).fetchone()[0] or 0


def last_merged(db: Database, annotator: str, doc_id: str) -> tuple[int, str, str] | None:
    """``(sequence, created_at, bundle_sha256)`` of the newest bundle merged for the document."""
    row = db.execute(
        "SELECT sequence, created_at, bundle_sha256 FROM merged_work WHERE annotator = ? AND doc_id = ?",
        [annotator, doc_id],
    ).fetchone()
    return None if row is None else (row[0], row[1], row[2])


def record_merged(db: Database, annotator: str, doc_id: str, sequence: int, created_at: str, digest: str) -> None:
    """Note that the bundle ``digest`` is now the newest merged for the document."""
    db.execute(
        "INSERT INTO merged_work (annotator, doc_id, sequence, created_at, bundle_sha256, merged_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(annotator, doc_id) DO UPDATE SET"
        " sequence = excluded.sequence, created_at = excluded.created_at,"
        " bundle_sha256 = excluded.bundle_sha256, merged_at = excluded.merged_at",
        [annotator, doc_id, sequence, created_at, digest, now()],
    )


def keep_received(
    db: Database,
    digest: str,
    annotator: str,
    sequence: int,
    created_at: str,
    file_name: str,
    size: int,
    content: Iterable[bytes],
) -> None:
    """Keep a merged work bundle as received (once per content hash): ``content`` is its file,
    ``size`` bytes in chunks, written into the row's blob one chunk at a time (a bundle may be
    hundreds of MB; it is never held whole). ``content`` is not read if the bundle is kept already."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO received_bundles (bundle_sha256, annotator, sequence, created_at,"
        " received_at, file_name, content) VALUES (?, ?, ?, ?, ?, ?, zeroblob(?))",
        [digest, annotator, sequence, created_at, now(), file_name, size],
    )
    if cursor.rowcount != 1:
        return
    row = cursor.lastrowid
    assert row is not None
    written = 0
    with db.conn.blobopen("received_bundles", "content", row) as blob:
        for chunk in content:
            blob.write(chunk)  # ValueError past ``size``
            written += len(chunk)
    if written != size:
        raise ValueError(f"{file_name}: {written} bytes kept, not the {size} announced")
