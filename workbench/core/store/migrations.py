"""Versioned schema of a project file. Append new migrations; never edit an applied one.

The schema version of a file is the number of migrations of this set applied
to it. A file that has a migration this code does not know was written by a
newer version of the app and is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from workbench.core.store.database import Database, sqlite_utils

MIGRATION_SET = "workbench"
# Where sqlite-utils' Migrations records what it applied (read here without importing it:
# ``tests/test_store_database.py`` checks the name against sqlite-utils').
MIGRATIONS_TABLE = "_sqlite_migrations"

Step = Callable[[Database], None]
_STEPS: list[tuple[str, Step]] = []  # (name, function), oldest first


def migration(name: str) -> Callable[[Step], Step]:
    """Append a step to the schema (decorator); names are unique and never change."""

    def register(step: Step) -> Step:
        if any(known == name for known, _ in _STEPS):
            raise ValueError(f"migration {name} is registered twice")
        _STEPS.append((name, step))
        return step

    return register


def known_names() -> list[str]:
    """Names of every migration this version knows, oldest first."""
    return [name for name, _ in _STEPS]


def applied(db: Database) -> list[str]:
    """Names of the migrations applied to the file, in the order they were applied (reads
    only, as sqlite-utils' ``Migrations.applied``)."""
    exists = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]).fetchone()
    if exists is None:
        return []
    rows = db.execute(f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid", [MIGRATION_SET])
    return [row[0] for row in rows]


def apply(db: Database, *, stop_before: str | Iterable[str] | None = None) -> None:
    """Apply the pending migrations, each in its own savepoint with its record, by
    sqlite-utils' ``Migrations`` (imported here: only creating or upgrading a file needs it)."""
    library = sqlite_utils()
    migrations = library.Migrations(MIGRATION_SET)
    for name, step in _STEPS:
        migrations(name=name)(lambda _db, step=step: step(db))
    migrations.apply(library.Database(db.conn, execute_plugins=False), stop_before=stop_before)


def _run(db: Database, script: str) -> None:
    # One statement at a time: executescript() would commit the migration's
    # transaction half-way.
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute(statement)


@migration("0001_core_tables")
def _core_tables(db: Database) -> None:
    _run(
        db,
        """
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL  -- JSON
);
CREATE TABLE labels (
    name TEXT PRIMARY KEY,
    color TEXT NOT NULL,
    key TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    attributes TEXT NOT NULL DEFAULT '[]',  -- JSON list of attribute definitions
    position INTEGER NOT NULL
);
CREATE TABLE documents (  -- rowid order is import order, the list's default order
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    chars INTEGER NOT NULL,    -- length in code points
    sha256 TEXT NOT NULL UNIQUE,
    source TEXT,
    published TEXT,            -- ISO 8601 date when known
    file_name TEXT,
    encoding TEXT,
    meta TEXT NOT NULL DEFAULT '{}',  -- JSON
    imported_at TEXT NOT NULL,
    text TEXT NOT NULL         -- normalised, frozen: spans point into it. Last, so that
                               -- listing documents never reads past it.
);
CREATE TABLE annotators (
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT 'human' CHECK (kind IN ('human', 'gold')),
    created_at TEXT NOT NULL
);
CREATE TABLE spans (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id),
    annotator TEXT NOT NULL REFERENCES annotators(name),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    label TEXT NOT NULL REFERENCES labels(name) ON UPDATE CASCADE,
    attributes TEXT NOT NULL DEFAULT '{}',  -- JSON
    note TEXT NOT NULL DEFAULT '',
    unsure INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (start >= 0 AND "end" > start)
);
CREATE INDEX spans_doc ON spans(doc_id, annotator, start);
CREATE TABLE doc_status (
    doc_id TEXT NOT NULL REFERENCES documents(id),
    annotator TEXT NOT NULL REFERENCES annotators(name),
    status TEXT NOT NULL CHECK (status IN ('not-started', 'in-progress', 'done')),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (doc_id, annotator)
)
""",
    )


@migration("0002_change_log")
def _change_log(db: Database) -> None:
    _run(
        db,
        """
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,       -- who did it
    action TEXT NOT NULL,      -- e.g. document.import, span.create, span.delete, status.set
    doc_id TEXT,
    span_id TEXT,
    before TEXT,               -- JSON of the row before, NULL on create
    after TEXT                 -- JSON of the row after, NULL on delete
);
CREATE INDEX changes_doc ON changes(doc_id, seq);
CREATE TRIGGER changes_no_update BEFORE UPDATE ON changes
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER changes_no_delete BEFORE DELETE ON changes
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END
""",
    )


@migration("0003_team")
def _team(db: Database) -> None:
    """Team work: who annotates what, each annotator's bundle secret, what was merged."""
    _run(
        db,
        """
-- the annotator's secret (hex) signs their work bundles
ALTER TABLE annotators ADD COLUMN secret TEXT;
CREATE TABLE assignments (
    doc_id TEXT NOT NULL REFERENCES documents(id),
    annotator TEXT NOT NULL REFERENCES annotators(name),
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (doc_id, annotator)
);
CREATE INDEX assignments_annotator ON assignments(annotator, doc_id);
CREATE TABLE merged_work (
    -- the newest work bundle merged for each annotator and document
    annotator TEXT NOT NULL REFERENCES annotators(name),
    doc_id TEXT NOT NULL REFERENCES documents(id),
    sequence INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    bundle_sha256 TEXT NOT NULL,
    merged_at TEXT NOT NULL,
    PRIMARY KEY (annotator, doc_id)
);
CREATE TABLE received_bundles (
    -- every work bundle merged, kept as received: the annotator's own change log is in it
    bundle_sha256 TEXT PRIMARY KEY,
    annotator TEXT NOT NULL REFERENCES annotators(name),
    sequence INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content BLOB NOT NULL
)
""",
    )


@migration("0004_gold_provenance")
def _gold_provenance(db: Database) -> None:
    """Where each adjudicated (gold) span came from: who agreed, who adjudicated, when.

    A gold span added or edited by hand has no row (or keeps the row of its
    acceptance); deleting the span deletes its row (ON DELETE CASCADE), and the
    adjudication actions restore it on undo.
    """
    _run(
        db,
        """
CREATE TABLE gold_provenance (
    span_id TEXT PRIMARY KEY REFERENCES spans(id) ON DELETE CASCADE,
    agreed_by TEXT NOT NULL,    -- JSON list of annotator names whose span was the same
    adjudicator TEXT NOT NULL,  -- who accepted it
    at TEXT NOT NULL,           -- when (ISO 8601, UTC)
    cluster TEXT,               -- the disagreement cluster's id, if accepted from one
    sources TEXT NOT NULL       -- JSON list of the annotators' span ids it was taken from
)
""",
    )


@migration("0005_signing_keys")
def _signing_keys(db: Database) -> None:
    """Each annotator's public key, pinned from their first work bundle signed with a key.

    ``secret`` stays for annotators who still sign with the shared secret of
    format 1; it is cleared when their key is pinned.
    """
    _run(
        db,
        """
-- Ed25519, 64 hex digits
ALTER TABLE annotators ADD COLUMN public_key TEXT;
-- when it was pinned (ISO 8601, UTC)
ALTER TABLE annotators ADD COLUMN key_pinned_at TEXT
""",
    )


@migration("0006_values_and_suggestions")
def _values_and_suggestions(db: Database) -> None:
    """Suggestions rejected per document, the project's own gazetteer, and the value attributes
    of the default DATE and CASUALTY labels (``calendar``, finer ``precision``, ``denied``)."""
    _run(
        db,
        """
-- a suggestion the annotator rejected is not offered again on that document
CREATE TABLE rejected_suggestions (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    label TEXT NOT NULL,
    source TEXT NOT NULL,
    rejected_at TEXT NOT NULL,
    PRIMARY KEY (doc_id, annotator, start, "end", label)
);
-- names the project knows: imported (CSV: name, label, canonical, aliases) or added by hand
CREATE TABLE gazetteer (
    folded TEXT NOT NULL,
    label TEXT NOT NULL,
    name TEXT NOT NULL,
    canonical TEXT NOT NULL,
    source TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (folded, label)
)
""",
    )
    _add_value_attributes(db)


def _add_value_attributes(db: Database) -> None:
    """Give a project's DATE and CASUALTY labels, when they are the default ones, the attributes
    values need; a label the lead changed (another type, or the name taken) is left alone."""
    import json
    from typing import Any

    wanted: dict[str, dict[str, dict[str, Any]]] = {
        "DATE": {
            "calendar": {
                "name": "calendar",
                "type": "choice",
                "description": "The calendar the text uses.",
                "choices": ["gregorian", "hijri"],
                "default": "gregorian",
            }
        },
        "CASUALTY": {
            "denied": {
                "name": "denied",
                "type": "flag",
                "description": "The text reports a denial (نفى مقتل …): not a reported casualty.",
                "default": False,
            }
        },
    }
    finer = ["day", "week", "month", "quarter", "year", "century"]
    for name, additions in wanted.items():
        row = db.execute("SELECT attributes FROM labels WHERE name = ?", [name]).fetchone()
        if row is None:
            continue
        attributes = json.loads(row[0] or "[]")
        names = {a.get("name") for a in attributes}
        for attribute in attributes:
            if name == "DATE" and attribute.get("name") == "precision" and attribute.get("type") == "choice":
                attribute["choices"] = finer + [c for c in attribute.get("choices", []) if c not in finer]
        attributes += [definition for key, definition in additions.items() if key not in names]
        db.execute(
            "UPDATE labels SET attributes = ? WHERE name = ?", [json.dumps(attributes, ensure_ascii=False), name]
        )


@migration("0007_models")
def _models(db: Database) -> None:
    """Sequence models trained on a layer's done documents (issue 14): one per layer, with what
    it learned from and its own held-out figures. Never carried in a bundle."""
    _run(
        db,
        """
CREATE TABLE models (
    layer TEXT PRIMARY KEY,        -- an annotator, or gold
    kind TEXT NOT NULL,            -- "crf"
    version TEXT NOT NULL,         -- the feature set's version: a model of another version is not used
    trained_at TEXT NOT NULL,
    documents INTEGER NOT NULL,    -- done documents learned from
    seconds REAL NOT NULL,         -- training time
    evaluation TEXT NOT NULL,      -- JSON: held-out precision / recall / F1, per label
    training_set TEXT NOT NULL,    -- JSON: the document ids learned from
    model BLOB NOT NULL
)
""",
    )


@migration("0008_assistance_arms")
def _assistance_arms(db: Database) -> None:
    """The A/B split of suggestions (issue 14): for each annotator and document, whether
    suggestions are shown, assigned by the lead (seeded, balanced per annotator) so that the
    time saved can be measured against documents annotated without them."""
    _run(
        db,
        """
CREATE TABLE assistance_arms (
    annotator TEXT NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    suggestions INTEGER NOT NULL CHECK (suggestions IN (0, 1)),  -- 1: shown, 0: not shown
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (annotator, doc_id)
) WITHOUT ROWID
""",
    )


@migration("0009_search_index")
def _search_index(db: Database) -> None:
    """Corpus search through an index instead of reading every text (issue 16): an FTS5 trigram
    index over each document's folded text (``core/store/documents.py``, ``FTS_TABLE``). Filled
    later, not here nor at import (it made import 4-5x slower): ``search.catch_up`` adds the
    documents it lacks, in the background; a search reads the documents not indexed yet whole."""
    from workbench.core.store import documents

    db.execute(documents.FTS_CREATE)


NAMES_LOG_TABLE = "given_names_log"  # the names the team gave, changed: (text, label, canonical, sign)
NAMES_EPOCH_TABLE = "given_names_epoch"  # one row: tells one file from another put at its path
NAMES_LOG_KEPT = 20_000  # rows of the log kept: a reader further behind reads the names again


def _canonical(row: str) -> str:
    """The trimmed canonical name in ``row``'s attributes, when it is a text (``CASE``: attributes
    that are not JSON are not read as JSON)."""
    attributes = f"{row}.attributes"
    return (
        f"CASE WHEN json_valid({attributes}) THEN CASE WHEN json_type({attributes}, '$.canonical') = 'text'"
        f" THEN trim(json_extract({attributes}, '$.canonical')) END END"
    )


def _names_like(row: str) -> str:
    """The test that ``row`` of spans may give a name (as ``gazetteer.given_names`` filters)."""
    return f"{row}.attributes LIKE '%\"canonical\"%'"


def _logged(row: str, sign: int) -> str:
    """The statement logging ``row`` (NEW or OLD) of spans with ``sign``, when it gives a name as
    ``gazetteer.given_names`` reads it: the covered text (the document still exists: spans go
    before their document), the label, the trimmed canonical name, only when it is a text that
    is not empty."""
    return (
        f"INSERT INTO {NAMES_LOG_TABLE} (text, label, canonical, sign)"
        f' SELECT substr(d.text, {row}.start + 1, {row}."end" - {row}.start), {row}.label, c, {sign}'
        f" FROM documents d, (SELECT {_canonical(row)} AS c) WHERE d.id = {row}.doc_id AND c != ''"
    )


def _prune_names() -> str:
    return f"DELETE FROM {NAMES_LOG_TABLE} WHERE seq <= (SELECT MAX(seq) FROM {NAMES_LOG_TABLE}) - {NAMES_LOG_KEPT}"


@migration("0010_given_names_log")
def _given_names_log(db: Database) -> None:
    """The names the team gave, checked in O(1) and read again incrementally (issue 16): SQLite's
    triggers log every span whose attributes hold ``"canonical"`` as it is inserted (+1), updated
    (its old row -1, its new one +1) or deleted (-1), whatever wrote it (an intent, an undo, the
    command line, a merge, an import). The log's newest ``seq`` (and the file's epoch) is the
    check of ``core/store/gazetteer.py: given_signature``; a reader applies the rows after the
    ones it has seen (``given_changes``). The last ``NAMES_LOG_KEPT`` rows are kept."""
    new, old = _names_like("NEW"), _names_like("OLD")
    prune = _prune_names()
    _run(
        db,
        f"""
CREATE TABLE {NAMES_LOG_TABLE} (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- never used again, pruned or not
    text TEXT NOT NULL,        -- the span's text, as given_names reads it
    label TEXT NOT NULL,
    canonical TEXT NOT NULL,   -- trimmed, not empty
    sign INTEGER NOT NULL      -- +1 given, -1 taken back
);
CREATE TABLE {NAMES_EPOCH_TABLE} (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    epoch TEXT NOT NULL
);
INSERT INTO {NAMES_EPOCH_TABLE} (id, epoch) VALUES (1, lower(hex(randomblob(8))));
CREATE TRIGGER given_names_insert AFTER INSERT ON spans WHEN {new}
BEGIN {_logged("NEW", 1)}; {prune}; END;
CREATE TRIGGER given_names_update AFTER UPDATE OF doc_id, start, "end", label, attributes ON spans
WHEN {old} OR {new}
BEGIN {_logged("OLD", -1)}; {_logged("NEW", 1)}; {prune}; END;
CREATE TRIGGER given_names_delete AFTER DELETE ON spans WHEN {old}
BEGIN {_logged("OLD", -1)}; {prune}; END
""",
    )


CARD_STATE_TABLE = "card_figures_state"  # one row: the epoch and whether nothing changed since it began
CARD_CACHE_TABLE = "card_figures"  # one row: the data card's agreement figures, as of an epoch
# what the card's agreement figures read, and so what ends an epoch when it changes (an INSERT,
# a DELETE, or an UPDATE of these columns): spans (every layer), statuses, labels, annotators, texts
CARD_WATCHED = {
    "spans": ("doc_id", "annotator", "start", '"end"', "label"),
    "doc_status": ("doc_id", "annotator", "status"),
    "labels": ("name", "position"),  # the schema's names and order (not colours, keys, attributes)
    "annotators": ("name", "kind"),
    "documents": ("id", "text"),  # (texts are frozen; inserting one without spans changes no figure)
}


@migration("0011_card_figures")
def _card_figures(db: Database) -> None:
    """The data card's agreement figures kept in the project (issue 16: they read every layer's
    spans, ~6 s on 2 M spans, on every export), and SQLite's triggers telling when they are
    stale, whatever wrote (an intent or its undo, the command line, an import, a merge, an
    adjudication, a project bundle, another program): a change to what the figures read sets
    ``clean`` to 0. ``core/store/card_cache.py`` starts an epoch (``clean`` = 1) before it
    computes, and keeps the figures only if the epoch is still clean after; they are read back
    only while it is. The ``WHEN`` test keeps a bulk insert to one read of one row per span.

    And a partial index of the few spans with a note or the unsure flag (``spans_marked``): the
    export reads them apart from the layer's rows, which took a scan of every span of every layer."""
    clean = f"(SELECT clean FROM {CARD_STATE_TABLE} WHERE id = 1)"
    then = f"BEGIN UPDATE {CARD_STATE_TABLE} SET clean = 0 WHERE id = 1; END"
    triggers = []
    for table, columns in CARD_WATCHED.items():
        # an UPDATE that writes a watched column with the value it had (an edit of a span's
        # note writes every column) changes nothing the figures read
        moved = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
        if table != "documents":
            triggers.append(f"CREATE TRIGGER card_{table}_insert AFTER INSERT ON {table} WHEN {clean} {then}")
        triggers += [
            f"CREATE TRIGGER card_{table}_update AFTER UPDATE OF {', '.join(columns)} ON {table}"
            f" WHEN ({moved}) AND {clean} {then}",
            f"CREATE TRIGGER card_{table}_delete AFTER DELETE ON {table} WHEN {clean} {then}",
        ]
    _run(
        db,
        f"""
CREATE TABLE {CARD_STATE_TABLE} (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    epoch INTEGER NOT NULL,   -- raised each time a computation starts
    clean INTEGER NOT NULL    -- 1: nothing the figures read changed since the epoch began
);
INSERT INTO {CARD_STATE_TABLE} (id, epoch, clean) VALUES (1, 0, 0);
-- the spans that carry a note or the unsure flag (few): what an export reads of them besides
-- the layer's rows (spans.layer_marks) is found through this instead of a scan of every span
CREATE INDEX spans_marked ON spans(annotator) WHERE note != '' OR unsure;
CREATE TABLE {CARD_CACHE_TABLE} (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    epoch INTEGER NOT NULL,        -- the epoch they were computed in (valid while it is clean)
    version TEXT NOT NULL,         -- the code that computed them (another version computes again)
    as_of_change INTEGER,          -- the change log's newest seq when they were computed
    computed_at TEXT NOT NULL,
    seconds REAL NOT NULL,         -- how long they took
    figures TEXT NOT NULL          -- JSON
);
"""
        + ";\n".join(triggers),
    )


def spans_insert_triggers() -> dict[str, list[str]]:
    """The spans table's INSERT triggers, each with the statements that do what it does, at once,
    for every span inserted after the rowid ``:after`` (a bulk insert: ``spans.inserts_in_bulk``
    sets the triggers aside while a merge writes many spans, and runs these in their place, in the
    same transaction). Kept beside the triggers they stand for, made of the same parts."""
    inserted = "(SELECT 1 FROM spans WHERE rowid > :after)"
    names = (
        f"INSERT INTO {NAMES_LOG_TABLE} (text, label, canonical, sign)"
        " SELECT text, label, c, 1 FROM ("
        f' SELECT substr(d.text, s.start + 1, s."end" - s.start) AS text, s.label AS label, {_canonical("s")} AS c,'
        " s.rowid AS r FROM spans s JOIN documents d ON d.id = s.doc_id"
        f" WHERE s.rowid > :after AND {_names_like('s')}"
        ") WHERE c != '' ORDER BY r"
    )
    return {
        "given_names_insert": [names, _prune_names()],
        "card_spans_insert": [f"UPDATE {CARD_STATE_TABLE} SET clean = 0 WHERE id = 1 AND clean AND EXISTS {inserted}"],
    }
