"""Annotators: who may own a layer, and which annotators a document has.

"A document's annotators" depends on what the question is, so each caller
names its *basis*:

- :data:`ASSIGNED_OR_ANNOTATED`: assigned to the document or with spans in it
  (adjudication compares these);
- :data:`ANNOTATED_OR_DONE`: with spans in it or marked it done (the export's
  majority vote counts these; a document marked done without spans votes "no span");
- :data:`DONE`: marked it done (agreement compares finished work);
- :data:`DONE_OR_IN_PROGRESS`: marked it done or started it (agreement with
  ``include_in_progress``).

Only human annotators count, in the order they joined the project; the gold
layer is never one of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from workbench.core.errors import InvalidInput
from workbench.core.store.database import Database
from workbench.core.store.project import GOLD, now
from workbench.core.store.status import DONE as _DONE
from workbench.core.store.status import IN_PROGRESS as _IN_PROGRESS

ASSIGNED_OR_ANNOTATED = "assigned or annotated"
ANNOTATED_OR_DONE = "annotated or done"
DONE = "done"
DONE_OR_IN_PROGRESS = "done or in progress"
BASES = (ASSIGNED_OR_ANNOTATED, ANNOTATED_OR_DONE, DONE, DONE_OR_IN_PROGRESS)

_FORBIDDEN = ",|\n\t"

_BASIS_SQL = {
    ASSIGNED_OR_ANNOTATED: "SELECT doc_id, annotator FROM spans {where}"
    " UNION SELECT doc_id, annotator FROM assignments {where}",
    ANNOTATED_OR_DONE: "SELECT doc_id, annotator FROM spans {where}"
    f" UNION SELECT doc_id, annotator FROM doc_status {{where_and}} status = '{_DONE}'",
    DONE: f"SELECT doc_id, annotator FROM doc_status {{where_and}} status = '{_DONE}'",
    DONE_OR_IN_PROGRESS: "SELECT doc_id, annotator FROM doc_status"
    f" {{where_and}} status IN ('{_DONE}', '{_IN_PROGRESS}')",
}


def check_name(name: str) -> str:
    """A human annotator's name, stripped; :class:`InvalidInput` says why one is refused."""
    clean = (name or "").strip()
    if not clean or clean.lower() == GOLD or any(c in clean for c in _FORBIDDEN):
        raise InvalidInput(
            f"{name!r} cannot be an annotator's name (empty, 'gold', or containing , | a tab or a line break)"
        )
    return clean


def check_layer(name: str) -> str:
    """A layer's owner: ``gold`` (in any case) or a valid annotator name (see :func:`check_name`)."""
    if (name or "").strip().lower() == GOLD:
        return GOLD
    return check_name(name)


def add(db: Database, name: str) -> bool:
    """Add ``name`` (already checked) as a human annotator; ``False`` if they are one already.

    Their key is pinned from their first work bundle (see :mod:`workbench.core.bundles.signing`).
    """
    cursor = db.execute(
        "INSERT OR IGNORE INTO annotators (name, kind, created_at) VALUES (?, 'human', ?)", [name, now()]
    )
    return cursor.rowcount > 0


@dataclass(frozen=True)
class Signing:
    """How a human annotator's work bundles are signed, as far as this project knows."""

    public_key: str | None  # pinned Ed25519 key (hex), or None before their first keyed bundle
    pinned_at: str | None
    secret: bytes | None  # the format-1 shared secret, kept until a key is pinned

    @property
    def old_scheme(self) -> bool:
        """Still on the shared secret: no key pinned, and a secret from before keys existed."""
        return self.public_key is None and self.secret is not None


def signing(db: Database, name: str) -> Signing | None:
    """``name``'s key, pin date and old secret (``None`` if not a human annotator)."""
    row = db.execute(
        "SELECT public_key, key_pinned_at, secret FROM annotators WHERE name = ? AND kind = 'human'", [name]
    ).fetchone()
    if row is None:
        return None
    return Signing(row[0], row[1], bytes.fromhex(row[2]) if row[2] else None)


def signings(db: Database) -> dict[str, Signing]:
    """Every human annotator's :class:`Signing`, in joining order."""
    return {
        name: Signing(key, at, bytes.fromhex(secret) if secret else None)
        for name, key, at, secret in db.execute(
            "SELECT name, public_key, key_pinned_at, secret FROM annotators WHERE kind = 'human' ORDER BY rowid"
        )
    }


def pin_key(db: Database, name: str, public_key: str) -> str:
    """Pin ``public_key`` as ``name``'s (their old shared secret, if any, is no longer accepted);
    returns when."""
    at = now()
    db.execute(
        "UPDATE annotators SET public_key = ?, key_pinned_at = ?, secret = NULL WHERE name = ? AND kind = 'human'",
        [public_key, at, name],
    )
    return at


def humans(db: Database) -> list[str]:
    """Human annotators, in the order they joined."""
    return [row[0] for row in db.execute("SELECT name FROM annotators WHERE kind = 'human' ORDER BY rowid")]


def exists(db: Database, name: str) -> bool:
    """Whether ``name`` owns a layer in this project (a human annotator or gold)."""
    return db.execute("SELECT 1 FROM annotators WHERE name = ?", [name]).fetchone() is not None


def unknown(db: Database, names: Iterable[str]) -> list[str]:
    """The names in ``names`` that are not human annotators of the project."""
    known = set(humans(db))
    return [n for n in names if n not in known]


def of_documents(db: Database, basis: str, doc_ids: Iterable[str] | None = None) -> dict[str, list[str]]:
    """``doc_id -> annotators`` on ``basis`` (joining order), for ``doc_ids`` or every document."""
    if basis not in _BASIS_SQL:
        raise ValueError(f"unknown basis {basis!r}: one of {', '.join(BASES)}")
    wanted = None if doc_ids is None else list(dict.fromkeys(doc_ids))
    params: list[str] = []
    if wanted is None:
        where, where_and = "", "WHERE"
    else:
        marks = ", ".join("?" for _ in wanted)
        where, where_and = f"WHERE doc_id IN ({marks})", f"WHERE doc_id IN ({marks}) AND"
    sql = _BASIS_SQL[basis].format(where=where, where_and=where_and)
    if wanted is not None:
        params = wanted * sql.count("IN (")
    order = {name: i for i, name in enumerate(humans(db))}
    found: dict[str, set[str]] = {}
    for doc_id, annotator in db.execute(sql, params):
        if annotator in order:
            found.setdefault(doc_id, set()).add(annotator)
    return {doc_id: sorted(names, key=order.__getitem__) for doc_id, names in found.items()}


def of_document(db: Database, doc_id: str, basis: str) -> list[str]:
    """The document's human annotators on ``basis``, in joining order."""
    return of_documents(db, basis, [doc_id]).get(doc_id, [])
