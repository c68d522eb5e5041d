"""Who annotates which document: k annotators per document, balanced, reproducible; or by hand."""

from __future__ import annotations

import random
from dataclasses import dataclass

from workbench.core.errors import WorkbenchError
from workbench.core.store import changelog
from workbench.core.store.project import Project, now


class AssignError(WorkbenchError):
    """An assignment that cannot be made; nothing was changed."""


@dataclass(frozen=True)
class AssignReport:
    added: int  # new (document, annotator) pairs
    documents: int  # documents that now have k annotators or more
    per_annotator: dict[str, int]  # documents assigned to each, after the change


def _check_annotators(project: Project, names: list[str]) -> list[str]:
    known = set(project.annotators())
    unknown = [n for n in names if n not in known]
    if unknown:
        raise AssignError(
            f"not annotators of this project: {', '.join(unknown)} (add them with 'workbench-cli annotators add')"
        )
    if len(set(names)) != len(names):
        raise AssignError("an annotator is named twice")
    return names


def assigned(project: Project, annotator: str | None = None) -> dict[str, list[str]]:
    """``{annotator: [doc ids in list order]}`` (or only ``annotator``'s)."""
    sql = (
        "SELECT a.annotator, a.doc_id FROM assignments a JOIN documents d ON d.id = a.doc_id"
        + (" WHERE a.annotator = ?" if annotator else "")
        + " ORDER BY a.annotator, d.rowid"
    )
    out: dict[str, list[str]] = {}
    for name, doc_id in project.db.execute(sql, [annotator] if annotator else []):
        out.setdefault(name, []).append(doc_id)
    return out


def _counts(project: Project) -> dict[str, int]:
    return dict(project.db.execute("SELECT annotator, COUNT(*) FROM assignments GROUP BY annotator").fetchall())


def assign_balanced(
    project: Project, annotators: list[str], k: int = 2, seed: int = 0, actor: str = "lead"
) -> AssignReport:
    """Give every document ``k`` annotators out of ``annotators``, spreading the load evenly.

    Reproducible: the same documents, annotators, k and seed give the same
    assignment. Existing assignments are kept (documents that already have k
    annotators get none), so running it again after an import only tops up
    the new documents.
    """
    _check_annotators(project, annotators)
    if not 1 <= k <= len(annotators):
        raise AssignError(f"k must be between 1 and the number of annotators ({len(annotators)}), not {k}")
    db = project.db
    docs = [row[0] for row in db.execute("SELECT id FROM documents ORDER BY rowid")]
    existing: dict[str, set[str]] = {}
    for doc_id, name in db.execute("SELECT doc_id, annotator FROM assignments"):
        existing.setdefault(doc_id, set()).add(name)
    load = dict.fromkeys(annotators, 0)
    for names in existing.values():
        for name in names:
            if name in load:
                load[name] += 1
    rng = random.Random(seed)
    order = docs[:]
    rng.shuffle(order)
    tiebreak = {name: rng.random() for name in annotators}
    stamp = now()
    added = 0
    with project.transaction():
        for doc_id in order:
            have = existing.get(doc_id, set())
            missing = k - len(have)
            if missing <= 0:
                continue
            candidates = sorted((n for n in annotators if n not in have), key=lambda n: (load[n], tiebreak[n]))
            for name in candidates[:missing]:
                db.execute(
                    "INSERT INTO assignments (doc_id, annotator, assigned_at) VALUES (?, ?, ?)", [doc_id, name, stamp]
                )
                load[name] += 1
                added += 1
        changelog.record(
            db, "assign.balanced", actor, after={"annotators": annotators, "k": k, "seed": seed, "added": added}
        )
    complete = db.execute(
        "SELECT COUNT(*) FROM (SELECT doc_id FROM assignments GROUP BY doc_id HAVING COUNT(*) >= ?)", [k]
    ).fetchone()[0]
    return AssignReport(added, complete, _counts(project))


def assign_by_hand(project: Project, doc_ids: list[str], annotator: str, actor: str = "lead") -> AssignReport:
    """Assign the given documents to one annotator (already assigned ones are kept)."""
    _check_annotators(project, [annotator])
    db = project.db
    missing = [d for d in doc_ids if db.execute("SELECT 1 FROM documents WHERE id = ?", [d]).fetchone() is None]
    if missing:
        raise AssignError(f"no such documents: {', '.join(missing[:10])}")
    stamp = now()
    added = 0
    with project.transaction():
        for doc_id in doc_ids:
            cursor = db.execute(
                "INSERT OR IGNORE INTO assignments (doc_id, annotator, assigned_at) VALUES (?, ?, ?)",
                [doc_id, annotator, stamp],
            )
            added += cursor.rowcount
        changelog.record(db, "assign.by_hand", actor, after={"annotator": annotator, "documents": doc_ids})
    return AssignReport(added, len(doc_ids), _counts(project))


def team_progress(project: Project) -> list[dict]:
    """Per annotator: documents assigned, and how many are not started, in progress, done."""
    rows = project.db.execute(
        "SELECT a.annotator, COUNT(*),"
        " SUM(COALESCE(s.status, 'not-started') = 'not-started'),"
        " SUM(COALESCE(s.status, 'not-started') = 'in-progress'),"
        " SUM(COALESCE(s.status, 'not-started') = 'done')"
        " FROM assignments a LEFT JOIN doc_status s ON s.doc_id = a.doc_id AND s.annotator = a.annotator"
        " GROUP BY a.annotator"
    ).fetchall()
    by_name = {row[0]: row for row in rows}
    out = []
    for name in project.annotators():
        _, total, not_started, in_progress, done = by_name.get(name, (name, 0, 0, 0, 0))
        out.append(
            {
                "annotator": name,
                "assigned": total,
                "not-started": not_started or 0,
                "in-progress": in_progress or 0,
                "done": done or 0,
            }
        )
    return out
