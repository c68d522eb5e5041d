"""Bundle bookkeeping on the lead's side: which work bundle was merged last for each
annotator and document, and every work bundle received, kept as it came."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterable

from workbench.core.store import bulk
from workbench.core.store.database import Database
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


def last_merged_of(db: Database, annotator: str) -> dict[str, tuple[int, str, str]]:
    """:func:`last_merged` of every document merged from ``annotator``, by document id."""
    return {
        doc_id: (sequence, created_at, digest)
        for doc_id, sequence, created_at, digest in db.conn.execute(
            "SELECT doc_id, sequence, created_at, bundle_sha256 FROM merged_work WHERE annotator = ?", [annotator]
        )
    }


def with_layer(db: Database, annotator: str, doc_ids: Iterable[str]) -> set[str]:
    """Those of ``doc_ids`` in which ``annotator`` has spans (an index probe each)."""
    wanted = list(doc_ids)
    found: set[str] = set()
    for first in range(0, len(wanted), 500):  # (SQLite's limit on parameters)
        chunk = wanted[first : first + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(
            row[0]
            for row in db.conn.execute(
                f"SELECT DISTINCT doc_id FROM spans WHERE annotator = ? AND doc_id IN ({marks})", [annotator, *chunk]
            )
        )
    return found


def record_merged_many(
    db: Database, annotator: str, doc_ids: Iterable[str], sequence: int, created_at: str, digest: str
) -> None:
    """:func:`record_merged` for each of ``doc_ids``, in few statements (:mod:`bulk`)."""
    at = now()
    bulk.write(
        db,
        "INSERT INTO merged_work (annotator, doc_id, sequence, created_at, bundle_sha256, merged_at)",
        [(annotator, doc_id, sequence, created_at, digest, at) for doc_id in doc_ids],
        " ON CONFLICT(annotator, doc_id) DO UPDATE SET"
        " sequence = excluded.sequence, created_at = excluded.created_at,"
        " bundle_sha256 = excluded.bundle_sha256, merged_at = excluded.merged_at",
    )


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


def newest_received(db: Database, annotator: str) -> int | None:
    """The row of the newest work bundle received from ``annotator`` (its whole change log is in
    it), or ``None``."""
    row = db.execute(
        "SELECT rowid FROM received_bundles WHERE annotator = ? ORDER BY sequence DESC, received_at DESC LIMIT 1",
        [annotator],
    ).fetchone()
    return None if row is None else int(row[0])


def received_content(db: Database, row: int) -> io.BufferedReader:
    """The kept bundle's file, read-only and seekable (close it after use); read from the
    database as it is read, never held whole."""
    return io.BufferedReader(_BlobFile(db.conn.blobopen("received_bundles", "content", row, readonly=True)))


class _BlobFile(io.RawIOBase):
    """A SQLite blob as a file (``zipfile`` needs ``seekable``, which ``sqlite3.Blob`` lacks)."""

    def __init__(self, blob: sqlite3.Blob):
        self._blob = blob

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._blob.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._blob.seek(offset, whence)
        return self._blob.tell()

    def tell(self) -> int:
        return self._blob.tell()

    def close(self) -> None:
        if not self.closed:
            self._blob.close()
        super().close()
