"""Documents in a project: add one (deduplicated by content hash), list them, read one."""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from workbench.core.errors import RefusedInput
from workbench.core.store.project import now
from workbench.core.store.status import NOT_STARTED
from workbench.core.store.status import STATUSES as STATUSES  # re-exported: the CLI's and window's choices
from workbench.core.store.status import check as check_status
from workbench.core.text.normalise import content_hash

_TITLE_CHARS = 120
_ID_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f/\\]")


@dataclass
class NewDocument:
    """A document ready to be stored: ``text`` is already normalised and checked."""

    text: str
    title: str = ""
    source: str | None = None
    published: str | None = None
    file_name: str | None = None
    encoding: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    id: str | None = None  # asked for by the input (JSONL/CSV ``id``)
    id_hint: str | None = None  # a name to derive the id from (the file's stem)

    @property
    def sha256(self) -> str:
        return content_hash(self.text)


@dataclass(frozen=True)
class DocumentSummary:
    id: str
    title: str
    chars: int
    sha256: str
    status: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "chars": self.chars,
            "sha256": self.sha256,
            "status": self.status,
        }


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    text: str
    sha256: str
    source: str | None
    published: str | None
    file_name: str | None
    encoding: str | None
    meta: dict[str, Any]
    imported_at: str


def default_title(text: str) -> str:
    """The first non-empty line, shortened on a word boundary."""
    for line in text.split("\n", 20)[:20]:
        line = " ".join(line.split())
        if line:
            if len(line) <= _TITLE_CHARS:
                return line
            cut = line.rfind(" ", 0, _TITLE_CHARS)
            return line[: cut if cut > _TITLE_CHARS // 2 else _TITLE_CHARS] + "…"
    return ""


def insert(db: Database, doc: NewDocument) -> tuple[bool, str]:
    """Store ``doc`` unless the project already holds its text.

    Returns ``(True, new_id)`` or ``(False, id_of_the_existing_copy)``. Call
    inside a transaction. Raises :class:`RefusedInput` if the input asks for an
    id that another document already has.
    """
    sha256 = doc.sha256
    row = db.execute("SELECT id FROM documents WHERE sha256 = ?", [sha256]).fetchone()
    if row is not None:
        return False, row[0]
    title = doc.title.strip() or default_title(doc.text)
    values = [
        None,
        title,
        doc.source,
        doc.published,
        doc.text,
        sha256,
        len(doc.text),
        doc.file_name,
        doc.encoding,
        json.dumps(doc.meta, ensure_ascii=False) if doc.meta else "{}",
        now(),
    ]
    # The id is the one asked for, else the file's name, else the name with a
    # piece of the hash: try each until one is free (the primary key decides).
    for doc_id in _candidate_ids(doc, sha256):
        values[0] = doc_id
        values[1] = title or doc_id
        try:
            db.execute(_INSERT, values)
        except sqlite3.IntegrityError as exc:
            if "documents.id" not in str(exc):
                raise
            if doc.id is not None:
                raise RefusedInput(
                    f"document id {doc_id!r} is already used by a different text in this project"
                ) from None
            continue
        return True, doc_id
    raise RefusedInput(f"cannot find a free id for {doc.id_hint!r}")  # pragma: no cover - hash collision


_INSERT = (
    "INSERT INTO documents (id, title, source, published, text, sha256, chars, file_name,"
    " encoding, meta, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _candidate_ids(doc: NewDocument, sha256: str) -> Iterator[str]:
    if doc.id is not None:
        wanted = str(doc.id).strip()
        if not wanted or _ID_FORBIDDEN.search(wanted):
            raise RefusedInput(f"document id {doc.id!r} is empty or has control characters or slashes")
        yield wanted
        return
    hint = _ID_FORBIDDEN.sub("_", (doc.id_hint or "").strip()) or "doc"
    yield hint
    for size in (8, 16, 64):
        yield f"{hint}-{sha256[:size]}"


def exists(db: Database, doc_id: str) -> bool:
    """Whether the project holds a document with this id (without reading its text)."""
    return db.execute("SELECT 1 FROM documents WHERE id = ?", [doc_id]).fetchone() is not None


def missing(db: Database, doc_ids: list[str]) -> list[str]:
    """The ids in ``doc_ids`` that no document has, in the order given."""
    return [doc_id for doc_id in doc_ids if not exists(db, doc_id)]


def ids(db: Database) -> list[str]:
    """Every document id, in list (import) order."""
    return [row[0] for row in db.execute("SELECT id FROM documents ORDER BY rowid")]


def hashes(db: Database) -> dict[str, str]:
    """``id -> sha256`` of every document, in list order."""
    return dict(db.execute("SELECT id, sha256 FROM documents ORDER BY rowid").fetchall())


def titles(db: Database) -> dict[str, str]:
    """``id -> title`` of every document."""
    return dict(db.execute("SELECT id, title FROM documents").fetchall())


def titles_of(db: Database, doc_ids: Iterable[str]) -> dict[str, str]:
    """``id -> title`` of the given documents (unknown ids are left out)."""
    wanted = list(dict.fromkeys(doc_ids))
    found: dict[str, str] = {}
    for first in range(0, len(wanted), 500):  # (SQLite's limit on parameters)
        chunk = wanted[first : first + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(db.execute(f"SELECT id, title FROM documents WHERE id IN ({marks})", chunk).fetchall())
    return found


def text(db: Database, doc_id: str) -> str | None:
    """The document's stored text (``None`` for an unknown id)."""
    row = db.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()
    return None if row is None else row[0]


def hash_and_text(db: Database, doc_id: str) -> tuple[str, str] | None:
    """``(sha256, text)`` of the document, or ``None`` for an unknown id."""
    row = db.execute("SELECT sha256, text FROM documents WHERE id = ?", [doc_id]).fetchone()
    return None if row is None else (row[0], row[1])


# Every column an export writes, documents in id order (SQLite's binary order is code
# point order, like Python's): one streaming query for the whole export.
_EXPORT_ROWS = "SELECT id, title, source, published, file_name, meta, sha256, text FROM documents ORDER BY id"


def export_rows(db: Database) -> Iterator[tuple[str, str, str | None, str | None, str | None, str, str, str]]:
    """``(id, title, source, published, file_name, meta JSON, sha256, text)`` of every
    document, by id, streamed from one cursor."""
    return db.conn.execute(_EXPORT_ROWS)


@contextlib.contextmanager
def read_only_texts(path: str | os.PathLike[str]) -> Iterator[tuple[int, Iterator[tuple[str, str]]]]:
    """``(count, (id, text) in list order)`` through a read-only connection of its own, so that
    a worker thread can read the corpus while the window keeps the project open."""
    conn = sqlite3.connect(f"file:{os.fspath(path)}?mode=ro", uri=True, timeout=5)
    try:
        total = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        yield total, iter(conn.execute("SELECT id, text FROM documents ORDER BY rowid"))
    finally:
        conn.close()


def set_published(db: Database, doc_id: str, published: str | None) -> str | None:
    """Set the document's publication date (ISO ``YYYY-MM-DD`` or ``None``); returns the old one."""
    row = db.execute("SELECT published FROM documents WHERE id = ?", [doc_id]).fetchone()
    if row is None:
        raise KeyError(doc_id)
    db.execute("UPDATE documents SET published = ? WHERE id = ?", [published, doc_id])
    return row[0]


def get(db: Database, doc_id: str) -> Document | None:
    row = db.execute(
        "SELECT id, title, text, sha256, source, published, file_name, encoding, meta, imported_at"
        " FROM documents WHERE id = ?",
        [doc_id],
    ).fetchone()
    if row is None:
        return None
    values = list(row)
    values[8] = json.loads(values[8])
    return Document(*values)


def count(db: Database, annotator: str | None = None, status: str | None = None) -> int:
    if status is None:
        return db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    sql, params = _status_filter(status)
    return db.execute(
        "SELECT COUNT(*) FROM documents d LEFT JOIN doc_status s ON s.doc_id = d.id AND s.annotator = ?" + sql,
        [annotator, *params],
    ).fetchone()[0]


def summaries(
    db: Database,
    annotator: str | None = None,
    *,
    status: str | None = None,
    offset: int = 0,
    limit: int = -1,
) -> list[DocumentSummary]:
    """Documents in list order, with ``annotator``'s status for each (a page at a time)."""
    where, params = _status_filter(status) if status else ("", [])
    rows = db.execute(
        "SELECT d.id, d.title, d.chars, d.sha256, COALESCE(s.status, ?)"
        " FROM documents d LEFT JOIN doc_status s ON s.doc_id = d.id AND s.annotator = ?"
        + where
        + " ORDER BY d.rowid LIMIT ? OFFSET ?",
        [NOT_STARTED, annotator, *params, limit, offset],
    ).fetchall()
    return [DocumentSummary(*row) for row in rows]


def _status_filter(status: str) -> tuple[str, list[Any]]:
    return " WHERE COALESCE(s.status, ?) = ?", [NOT_STARTED, check_status(status)]
