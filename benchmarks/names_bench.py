"""What adding a span costs the gazetteer's cache on a big project (issue 16).

After every span added, the suggestion feed asks for the project's gazetteer
(``project_names.gazetteer_of``), whose check of the names the team gave
(``core/store/gazetteer.py: given_signature``) scanned every span of the name labels; since
migration 0010 it reads the newest row of a log SQLite's triggers keep, and catches up
from that log's changes. The project: ``open_bench.build``
(10,000 documents, 3 annotators and gold, 50 spans each: 2,000,000 spans, a third of the
names with their canonical name). Medians of ``--repeat`` runs, warm page cache:

- ``given_signature_scan``: the old check (one pass over the name labels' spans);
- ``given_signature``: the check now (the row of 0010);
- ``gazetteer_after_add_scan`` / ``gazetteer_after_add``: ``gazetteer_of`` after a span without
  a canonical name was added (an intent, logged), with the old check and with the new one;
- ``gazetteer_after_named_add``: ``gazetteer_of`` after a span with a canonical name was added:
  the names the team gave are read again (``given_names``, what is left);
- ``given_names``: that read alone;
- ``insert_named_spans_triggers`` / ``..._no_triggers``: inserting ``--insert`` spans with a
  canonical name in one transaction (rolled back), with the triggers and without them.

    python benchmarks/names_bench.py [--docs 10000] [--spans 50] [--annotators 3] [--repeat 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from open_bench import build  # benchmarks/ is on sys.path when a benchmark runs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OLD_SCAN = (
    'SELECT COUNT(*), MAX(updated_at), TOTAL(start), TOTAL("end"), TOTAL(length(attributes))'
    " FROM spans WHERE label IN ({marks})"
)


def scan_signature(db: Any, labels: Any) -> tuple[Any, ...]:
    """The check as it was before migration 0010."""
    marks = ", ".join("?" for _ in labels)
    return tuple(db.execute(OLD_SCAN.format(marks=marks), list(labels)).fetchone())


def median(times: list[float]) -> float:
    return statistics.median(times)


def timed(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--spans", type=int, default=50, help="spans per document per annotator")
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--insert", type=int, default=20_000, help="named spans inserted for the triggers' cost")
    parser.add_argument("--keep", type=Path, help="build the project in this folder (reused if it is there)")
    args = parser.parse_args()

    from workbench.core import intents
    from workbench.core.store import gazetteer as names_store
    from workbench.core.store.project import Project
    from workbench.core.values import project_names

    folder = args.keep or Path(tempfile.mkdtemp(prefix="names-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "big.wbproj"
    if not path.exists():
        started = time.perf_counter()
        build(path, args.docs, args.spans, args.annotators)
        print(f"build: {time.perf_counter() - started:.1f} s")
    project = Project.open(path, check=False)
    db = project.db
    labels = project_names.name_labels(project)
    print(f"spans: {db.execute('SELECT COUNT(*) FROM spans').fetchone()[0]} count")
    named = db.execute("SELECT COUNT(*) FROM spans WHERE attributes LIKE '%\"canonical\"%'").fetchone()[0]
    print(f"spans_with_canonical: {named} count")

    scan = [timed(lambda: scan_signature(db, labels)) for _ in range(args.repeat)]
    now = [timed(lambda: names_store.given_signature(db, labels)) for _ in range(args.repeat)]
    print(f"given_signature_scan: {median(scan) * 1000:.1f} ms")
    print(f"given_signature: {median(now) * 1000:.3f} ms")

    doc_id, text = db.execute("SELECT id, text FROM documents ORDER BY rowid LIMIT 1").fetchone()
    word = text.index("تقرير")
    project_names.gazetteer_of(project)  # warm: the team's names read once

    def after_add(attributes: dict[str, Any], check=None, label: str = "ACTOR", whole: bool = False) -> float:
        """Add a span through the intent (logged), time gazetteer_of, undo it (and refill)."""
        real, changes = names_store.given_signature, names_store.given_changes
        if check is not None:
            names_store.given_signature = check  # type: ignore[assignment]
        if whole:
            names_store.given_changes = lambda *_: None  # type: ignore[assignment]
        try:
            action = intents.tag(project, doc_id, "lead", word, word + 5, label, attributes=attributes, values=False)
            action.do(project)
            took = timed(lambda: project_names.gazetteer_of(project))
            action.undo(project)
            project_names.gazetteer_of(project)
            return took
        finally:
            names_store.given_signature, names_store.given_changes = real, changes  # type: ignore[assignment]

    project.add_annotator("lead")
    before = [after_add({}, scan_signature) for _ in range(args.repeat)]
    after = [after_add({}) for _ in range(args.repeat)]
    date_before = [after_add({}, scan_signature, label="DATE") for _ in range(args.repeat)]
    named = {"canonical": "تقرير الفريق"}
    named_whole = [after_add(named, whole=True) for _ in range(args.repeat)]
    named_add = [after_add(named) for _ in range(args.repeat)]
    print(f"gazetteer_after_add_scan: {median(before) * 1000:.1f} ms")
    print(f"gazetteer_after_date_add_scan: {median(date_before) * 1000:.1f} ms")
    print(f"gazetteer_after_add: {median(after) * 1000:.2f} ms")
    print(f"gazetteer_after_add_ratio: {median(before) / median(after):.0f} x")
    print(f"gazetteer_after_named_add_full: {median(named_whole) * 1000:.1f} ms")
    print(f"gazetteer_after_named_add: {median(named_add) * 1000:.1f} ms")
    print(f"gazetteer_after_named_add_ratio: {median(named_whole) / median(named_add):.1f} x")
    given = [timed(lambda: names_store.given_names(db, labels)) for _ in range(args.repeat)]
    print(f"given_names: {median(given) * 1000:.1f} ms")

    def insert_named(triggers: bool) -> float:
        rows = [
            (uuid.uuid4().hex, doc_id, "lead", word, word + 5, "ACTOR", '{"canonical": "x"}', "", 0, "t", "t")
            for _ in range(args.insert)
        ]
        conn = db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if not triggers:
                for kind in ("insert", "update", "delete"):
                    conn.execute(f"DROP TRIGGER given_names_{kind}")
            return timed(
                lambda: conn.executemany(
                    'INSERT INTO spans (id, doc_id, annotator, start, "end", label, attributes, note, unsure,'
                    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
            )
        finally:
            conn.execute("ROLLBACK")

    with_triggers = [insert_named(True) for _ in range(args.repeat)]
    without = [insert_named(False) for _ in range(args.repeat)]
    print(f"insert_named_spans: {args.insert} count")
    print(f"insert_named_spans_triggers: {median(with_triggers) * 1000:.1f} ms")
    print(f"insert_named_spans_no_triggers: {median(without) * 1000:.1f} ms")
    print(f"runs: {args.repeat} x")
    project.close()


if __name__ == "__main__":
    main()
