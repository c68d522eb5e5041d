"""Documents in a project: add one (deduplicated by content hash), list them, read one."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from workbench.core.errors import RefusedInput
from workbench.core.store.project import Database, now  # (project.py imports sqlite-utils quietly)
from workbench.core.store.status import NOT_STARTED
from workbench.core.store.status import STATUSES as STATUSES  # re-exported: the CLI's and window's choices
from workbench.core.store.status import check as check_status
from workbench.core.text.fold import fold
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


# The corpus search index (migration 0009): an FTS5 trigram index over each document's folded
# text (``core/text/fold.py``: no harakat or tatweel, one form of alef, yeh and teh marbuta),
# contentless (the text itself stays in ``documents``), keyed by the document's rowid. A
# query of three characters or more finds every document whose folded text holds it as a
# substring, inside words too (``طرابلس`` in ``وطرابلس``); shorter ones scan.
FTS_TABLE = "documents_fts"
FTS_MIN_CHARS = 3  # the trigram tokenizer cannot look up anything shorter
FTS_CREATE = f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(folded, content='', tokenize='trigram case_sensitive 1')"
_FTS_INSERT = f"INSERT INTO {FTS_TABLE} (rowid, folded) VALUES (?, ?)"


INDEXED_THROUGH = "search_indexed_through"  # setting: the highest document rowid in the index


def indexed_through(conn: sqlite3.Connection) -> int:
    """The highest document rowid the search index holds (documents are never deleted, and
    are indexed in rowid order: every document above it is not indexed yet)."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", [INDEXED_THROUGH]).fetchone()
    return int(row[0]) if row and str(row[0]).isdigit() else 0


def index_pending(db: Database, limit: int = 1000) -> int:
    """Add up to ``limit`` documents not in the search index yet (the oldest first) to it, in
    the caller's transaction; how many were added (0: the index is complete)."""
    through = indexed_through(db.conn)
    rows = db.conn.execute(
        "SELECT rowid, text FROM documents WHERE rowid > ? ORDER BY rowid LIMIT ?", [through, limit]
    ).fetchall()
    if not rows:
        return 0
    db.conn.executemany(_FTS_INSERT, ((rowid, fold(text)) for rowid, text in rows))
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [INDEXED_THROUGH, str(rows[-1][0])],
    )
    return len(rows)


def pending_index(conn: sqlite3.Connection) -> int:
    """How many documents the search index does not hold yet."""
    return conn.execute("SELECT COUNT(*) FROM documents WHERE rowid > ?", [indexed_through(conn)]).fetchone()[0]


def _fts_phrase(needle: str) -> str:
    """``needle`` as one FTS5 phrase (a trigram phrase: the substring itself)."""
    return '"' + needle.replace('"', '""') + '"'


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


def texts_by_id(db: Database, doc_ids: Iterable[str]) -> Iterator[tuple[str, str]]:
    """``(id, text)`` of the given documents in id order (code point order, as Python sorts),
    streamed a chunk at a time: never every text at once. Unknown ids are left out."""
    wanted = sorted(set(doc_ids))
    for first in range(0, len(wanted), 500):  # (SQLite's limit on parameters)
        chunk = wanted[first : first + 500]
        marks = ", ".join("?" * len(chunk))
        yield from db.conn.execute(f"SELECT id, text FROM documents WHERE id IN ({marks}) ORDER BY id", chunk)


def hashes_of(db: Database, doc_ids: Iterable[str]) -> dict[str, str]:
    """``id -> sha256`` of the given documents, without reading their texts (unknown ids are
    left out)."""
    wanted = list(dict.fromkeys(doc_ids))
    found: dict[str, str] = {}
    for first in range(0, len(wanted), 500):  # (SQLite's limit on parameters)
        chunk = wanted[first : first + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(db.execute(f"SELECT id, sha256 FROM documents WHERE id IN ({marks})", chunk).fetchall())
    return found


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
def read_only_texts(
    path: str | os.PathLike[str], containing: str | None = None
) -> Iterator[tuple[int, Iterator[tuple[str, str]]]]:
    """``(count, (id, text) in list order)`` through a read-only connection of its own, so that
    a worker thread can read the corpus while the window keeps the project open.

    ``containing``: a folded needle (:func:`~workbench.core.text.fold.fold`); when it has
    :data:`FTS_MIN_CHARS` characters or more and the project has the search index, only the
    documents whose folded text holds it are given (every one of them, and possibly a few
    more: the caller checks each text), streamed from the index; otherwise every document.
    ``count`` is the number of documents in the project either way."""
    conn = sqlite3.connect(f"file:{os.fspath(path)}?mode=ro", uri=True, timeout=5)
    try:
        total = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        if containing is not None and len(containing) >= FTS_MIN_CHARS and _has_index(conn):
            # Streamed from the index in rowid order: a search that stops at its limit after a
            # few documents never asks the index for the rest (``total`` stays the whole count).
            # The documents the index does not hold yet (imported since it was last caught up:
            # search.catch_up) follow, read whole; their rowids are all higher.
            through = indexed_through(conn)
            found = conn.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? ORDER BY rowid", [_fts_phrase(containing)]
            )
            rest = conn.execute("SELECT id, text FROM documents WHERE rowid > ? ORDER BY rowid", [through])
            yield total, itertools.chain(_texts_of(conn, found), rest)
            return
        yield total, iter(conn.execute("SELECT id, text FROM documents ORDER BY rowid"))
    finally:
        conn.close()


def _has_index(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [FTS_TABLE]).fetchone()
    return row is not None


def _texts_of(conn: sqlite3.Connection, found: sqlite3.Cursor) -> Iterator[tuple[str, str]]:
    """``(id, text)`` of the documents whose rowids ``found`` gives (ascending), 200 at a time."""
    while chunk := [row[0] for row in found.fetchmany(200)]:
        marks = ", ".join("?" * len(chunk))
        yield from conn.execute(f"SELECT id, text FROM documents WHERE rowid IN ({marks}) ORDER BY rowid", chunk)


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
