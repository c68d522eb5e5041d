"""The agreement figures of the data card, computed in one pass over the project.

The card reports, as ``workbench-cli agreement`` does, each pair's strict and
relaxed span F1 over the documents both finished (gold compared like one more annotator)
and the pooled α_U of the human annotators over the documents all of them finished: the
same computation as :func:`workbench.core.agreement.source.project_agreement` (documents
read once, a chunk at a time, every report added up over the chunks), without what the card
does not show: no bootstrap intervals, no token kappas and no per-document rows (those are
the agreement report's).
"""

from __future__ import annotations

from typing import Any

from workbench.core.store import annotators as layer_owners
from workbench.core.store import spans as span_store
from workbench.core.store import status as doc_status
from workbench.core.store.project import GOLD, Project


def finished(project: Project) -> dict[str, set[str]]:
    """annotator -> the documents they marked done; gold -> the documents with gold spans or
    marked done in the gold layer (what the agreement report compares)."""
    db = project.db
    out: dict[str, set[str]] = {}
    for doc_id, names in layer_owners.of_documents(db, layer_owners.DONE).items():
        for name in names:
            out.setdefault(name, set()).add(doc_id)
    gold_docs = doc_status.documents_in(db, GOLD, (doc_status.DONE,)) | span_store.documents_with(db, GOLD)
    if gold_docs:
        out[GOLD] = gold_docs
    return out


CHUNK_DOCUMENTS = 200  # documents read (texts and spans) at a time


def summary(project: Project) -> dict[str, Any]:
    """The card's figures: ``pairs`` (documents, strict and relaxed F1, undefined reasons)
    and the pooled ``alpha_u`` of the human annotators (``None`` where undefined); the
    ``*_ci`` keys of the manifest are ``None`` (no bootstrap here).

    Computed by :func:`workbench.core.agreement.source.project_agreement` (``full=False``),
    :data:`CHUNK_DOCUMENTS` documents read at a time."""
    from workbench.core.agreement.source import project_agreement  # numpy: loaded when used

    result = project_agreement(project, bootstrap=0, full=False, chunk_documents=CHUNK_DOCUMENTS)
    out_pairs = {}
    for name, report in result.pairs.items():
        pair = report.pairs[name]
        strict, relaxed = pair.strict_f1, pair.relaxed_f1
        out_pairs[name] = {
            "documents": result.documents[name],
            "strict_f1": strict.value,
            "strict_f1_ci": None,  # (the manifest keeps its keys: no interval computed)
            "relaxed_f1": relaxed.value,
            "relaxed_f1_ci": None,
            "undefined": {
                key: score.reason
                for key, score in (("strict_f1", strict), ("relaxed_f1", relaxed))
                if score.value is None and score.reason
            },
        }
    pooled = result.overall.alpha_u if result.annotators else None
    return {
        "annotators": result.annotators,
        "documents": {"all": result.documents["all"], **{name: pair["documents"] for name, pair in out_pairs.items()}},
        "pairs": out_pairs,
        "alpha_u": {
            "pooled": pooled.value if pooled is not None else None,
            "pooled_ci": None,
            "units": pooled.n_units if pooled is not None else 0,
            "undefined": (
                ({"pooled": pooled.reason} if pooled.value is None and pooled.reason else {})
                if pooled is not None
                else {"pooled": "no annotators to compare"}
            ),
        },
    }
