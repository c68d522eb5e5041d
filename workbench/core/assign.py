"""Who annotates which document: k annotators per document, balanced, reproducible; or by hand."""

from __future__ import annotations

import random
from dataclasses import dataclass

from workbench.core import assistance
from workbench.core.errors import InvalidInput, WorkbenchError
from workbench.core.store import annotators as layer_owners
from workbench.core.store import assignments, changelog, documents
from workbench.core.store import status as doc_status
from workbench.core.store.project import Project, now


class AssignError(WorkbenchError):
    """An assignment that cannot be made; nothing was changed."""


@dataclass(frozen=True)
class AssignReport:
    added: int  # new (document, annotator) pairs
    documents: int  # documents that now have k annotators or more
    per_annotator: dict[str, int]  # documents assigned to each, after the change


def _check_annotators(project: Project, names: list[str]) -> list[str]:
    for name in names:
        try:
            layer_owners.check_name(name)
        except InvalidInput as exc:
            raise AssignError(str(exc)) from None
    unknown = layer_owners.unknown(project.db, names)
    if unknown:
        raise AssignError(
            f"not annotators of this project: {', '.join(unknown)} (add them with 'workbench-cli annotators add')"
        )
    if len(set(names)) != len(names):
        raise AssignError("an annotator is named twice")
    return names


def assigned(project: Project, annotator: str | None = None) -> dict[str, list[str]]:
    """``{annotator: [doc ids in list order]}`` (or only ``annotator``'s)."""
    return assignments.assigned(project.db, annotator)


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
    docs = documents.ids(db)
    existing = assignments.by_document(db)
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
    given: list[tuple[str, str]] = []
    with project.transaction():
        for doc_id in order:
            have = existing.get(doc_id, set())
            missing = k - len(have)
            if missing <= 0:
                continue
            candidates = sorted((n for n in annotators if n not in have), key=lambda n: (load[n], tiebreak[n]))
            for name in candidates[:missing]:
                if assignments.add(db, [(doc_id, name)], stamp):
                    added += 1
                    given.append((doc_id, name))
                load[name] += 1
        assistance.on_assigned(project, given)
        changelog.record(
            db, "assign.balanced", actor, after={"annotators": annotators, "k": k, "seed": seed, "added": added}
        )
    complete = assignments.documents_with_at_least(db, k)
    return AssignReport(added, complete, assignments.counts(db))


def assign_by_hand(project: Project, doc_ids: list[str], annotator: str, actor: str = "lead") -> AssignReport:
    """Assign the given documents to one annotator (already assigned ones are kept)."""
    if not doc_ids:
        raise AssignError("no document ids given: list them with --docs ID,ID,... (see 'docs')")
    _check_annotators(project, [annotator])
    db = project.db
    missing = documents.missing(db, doc_ids)
    if missing:
        raise AssignError(f"no such documents: {', '.join(missing[:10])}")
    with project.transaction():
        added = assignments.add(db, [(doc_id, annotator) for doc_id in doc_ids], now())
        assistance.on_assigned(project, [(doc_id, annotator) for doc_id in doc_ids])
        changelog.record(db, "assign.by_hand", actor, after={"annotator": annotator, "documents": doc_ids})
    return AssignReport(added, len(doc_ids), assignments.counts(db))


def team_progress(project: Project) -> list[dict]:
    """Per annotator: documents assigned, and how many are not started, in progress, done."""
    by_name = doc_status.team_progress(project.db)
    empty = {"assigned": 0, **dict.fromkeys(doc_status.STATUSES, 0)}
    return [{"annotator": name, **by_name.get(name, empty)} for name in project.annotators()]
