"""Agreement over a project: which documents count for whom, and the figures for the lead.

A document counts for a set of annotators when all of them have marked it done
(or, with ``include_in_progress``, at least started it). Each pair is compared
over the documents both finished, so with k of n annotators per document every
pair still has its own shared documents; the all-annotator figures (pooled α_U,
Fleiss' kappa) use the documents every compared annotator finished. Once gold
exists it is compared with each annotator like one more pair (``A|gold``) over
the documents that have gold.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any

from workbench.core.agreement.report import AgreementReport, agreement_of_table, compute_agreement
from workbench.core.agreement.table import SpanTable
from workbench.core.errors import InvalidInput
from workbench.core.store import annotators as layer_owners
from workbench.core.store import documents as doc_store
from workbench.core.store import spans as span_store
from workbench.core.store import status as doc_status
from workbench.core.store.project import GOLD, Project


@dataclass
class ProjectAgreement:
    annotators: list[str]
    labels: list[str]
    overall: AgreementReport  # every compared annotator, documents all of them finished
    pairs: dict[str, AgreementReport] = field(default_factory=dict)  # "A|B" -> over their shared documents
    documents: dict[str, int] = field(default_factory=dict)  # "all" and each pair -> documents compared
    titles: dict[str, str] = field(default_factory=dict)

    def combined(self) -> AgreementReport:
        """One report for views and the HTML file: every pair (each over its own shared
        documents), the all-annotator figures, and a document list that holds every compared
        document: the all-annotator row where every compared annotator finished it, else
        the row of its worst pair."""
        pairs = {name: report.pairs[name] for name, report in self.pairs.items() if name in report.pairs}
        overall = {row.doc_id for row in self.overall.documents}
        rows: dict[str, Any] = {row.doc_id: row for row in self.overall.documents}
        for name, report in self.pairs.items():
            if name.endswith(f"|{GOLD}"):
                continue
            for row in report.documents:
                if row.doc_id in overall:
                    continue  # every annotator finished it: the all-annotator row stands
                kept = rows.get(row.doc_id)
                if kept is None or _worse(row, kept):
                    rows[row.doc_id] = row
        names = tuple(dict.fromkeys(n for pair in pairs for n in pair.split("|")))
        return replace(
            self.overall, pairs=pairs, annotators=names or self.overall.annotators, documents=list(rows.values())
        )

    def to_json(self) -> dict[str, Any]:
        """The figures for scripts: ``null`` (with a reason) where a measure is undefined."""
        overall = self.overall.to_dict()
        # Each report's plain form once: it holds a row per document.
        reports = {name: report.to_dict() for name, report in self.pairs.items()}
        pairs = {}
        for name, report in reports.items():
            data = report["pairs"].get(name)
            if data is None:
                continue
            pairs[name] = {
                "documents": self.documents.get(name, 0),
                "strict_f1": _value(data["strict_f1"]),
                "strict_f1_ci": _interval(data["strict_f1"]),
                "relaxed_f1": _value(data["relaxed_f1"]),
                "relaxed_f1_ci": _interval(data["relaxed_f1"]),
                "strict_f1_per_label": {k: _value(v) for k, v in data["strict_f1_per_label"].items()},
                "relaxed_f1_per_label": {k: _value(v) for k, v in data["relaxed_f1_per_label"].items()},
                "counts": data["counts"],
                "counts_per_label": data["counts_per_label"],
                "confusion": data["confusion"],
                "cohen_kappa_bio": _value(data["cohen_kappa_bio"]),
                "alpha_u": _value(report["alpha_u"]),
                "undefined": _reasons(data),
            }
        return {
            "annotators": self.annotators,
            "labels": self.labels,
            "documents": self.documents,
            "pairs": pairs,
            "alpha_u": {
                "pooled": _value(overall["alpha_u"]),
                "pooled_ci": _interval(overall["alpha_u"]),
                "mean_over_docs": _value(overall["alpha_u_mean_over_docs"]),
                "units": overall["alpha_u"]["n_units"],
                "undefined": _reasons(
                    {"pooled": overall["alpha_u"], "mean_over_docs": overall["alpha_u_mean_over_docs"]}
                ),
            },
            "alpha_u_per_label": {k: _value(v) for k, v in overall["alpha_u_per_label"].items()},
            "cohen_kappa_bio": {name: entry["cohen_kappa_bio"] for name, entry in pairs.items()},
            "fleiss_kappa_bio": _value(overall["fleiss_kappa_bio"]),
            "per_document": self.per_document(reports),
        }

    def per_document(self, reports: dict[str, dict] | None = None) -> list[dict[str, Any]]:
        """Each document compared by at least one pair, worst first: strict and relaxed F1
        averaged over the pairs that compared it (undefined ones last)."""
        reports = reports or {name: report.to_dict() for name, report in self.pairs.items()}
        rows: dict[str, dict[str, list]] = {}
        for name, report in reports.items():
            if name.endswith(f"|{GOLD}"):
                continue
            for row in report["documents"]:
                entry = rows.setdefault(row["doc_id"], {"strict": [], "relaxed": [], "pairs": []})
                entry["pairs"].append(name)
                for key, target in (("strict_f1", "strict"), ("relaxed_f1", "relaxed")):
                    if row[key]["value"] is not None:
                        entry[target].append(row[key]["value"])
        out = [
            {
                "doc_id": doc_id,
                "title": self.titles.get(doc_id, doc_id),
                "pairs": entry["pairs"],
                "strict_f1": sum(entry["strict"]) / len(entry["strict"]) if entry["strict"] else None,
                "relaxed_f1": sum(entry["relaxed"]) / len(entry["relaxed"]) if entry["relaxed"] else None,
            }
            for doc_id, entry in rows.items()
        ]
        return sorted(
            out, key=lambda r: (r["strict_f1"] is None, r["strict_f1"] if r["strict_f1"] is not None else 0.0)
        )


def _worse(row: Any, than: Any) -> bool:
    a, b = row.strict_f1.value, than.strict_f1.value
    return a is not None and (b is None or a < b)


def _value(score: dict) -> float | None:
    return score["value"]


def _interval(score: dict) -> list[float] | None:
    ci = score.get("ci")
    if not ci or ci.get("low") is None:
        return None
    return [ci["low"], ci["high"]]


def _reasons(data: dict) -> dict[str, str]:
    """Why each undefined figure (``value`` None) is undefined, by name."""
    out = {}
    for key, score in data.items():
        if isinstance(score, dict) and "value" in score and score.get("value") is None and score.get("reason"):
            out[key] = score["reason"]
    return out


def _finished(project: Project, include_in_progress: bool) -> dict[str, set[str]]:
    """annotator -> the documents they finished (done, or started too); gold -> the documents
    with gold spans or a gold status."""
    db = project.db
    basis = layer_owners.DONE_OR_IN_PROGRESS if include_in_progress else layer_owners.DONE
    finished: dict[str, set[str]] = {}
    for doc_id, names in layer_owners.of_documents(db, basis).items():
        for name in names:
            finished.setdefault(name, set()).add(doc_id)
    statuses = (doc_status.DONE, doc_status.IN_PROGRESS) if include_in_progress else (doc_status.DONE,)
    gold_docs = doc_status.documents_in(db, GOLD, statuses) | span_store.documents_with(db, GOLD)
    if gold_docs:
        finished[GOLD] = gold_docs
    return finished


def _table(project: Project, doc_ids: set[str], annotators: list[str], labels: list[str]) -> SpanTable:
    """The span table of these documents and annotators, read from the project a document at
    a time: each text is turned into the code points the measures look at (2 bytes a
    character) and dropped, each span into five numbers; no :class:`Document` or
    :class:`Annotation` objects. Documents in id order, as :func:`compute_agreement` on
    ``sorted(doc_ids)`` would lay them out, so the figures are the same."""
    import numpy as np

    from workbench.core.agreement.table import table_from_columns

    rater_of = {name: i for i, name in enumerate(annotators)}
    label_of: dict[str, int] = {}
    ids: list[str] = []
    lengths = array("q")
    chars: list[np.ndarray] = []
    doc, rater, label, start, end = (array("q") for _ in range(5))
    for index, (doc_id, text) in enumerate(doc_store.texts_by_id(project.db, doc_ids)):
        ids.append(doc_id)
        lengths.append(len(text))
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        chars.append(np.minimum(points, 0xFFFF).astype(np.uint16))
        for annotator, s, e, name in span_store.ranges(project.db, doc_id, annotators):
            doc.append(index)
            rater.append(rater_of[annotator])
            code = label_of.get(name)
            if code is None:
                code = label_of[name] = len(label_of)
            label.append(code)
            start.append(s)
            end.append(e)
    joined = np.concatenate(chars) if chars else np.zeros(0, dtype=np.uint16)
    del chars
    return table_from_columns(
        ids,
        np.frombuffer(lengths, dtype=np.int64),
        joined,
        annotators,
        labels,
        np.frombuffer(doc, dtype=np.int64),
        np.frombuffer(rater, dtype=np.int64),
        np.frombuffer(label, dtype=np.int64),
        list(label_of),
        np.frombuffer(start, dtype=np.int64),
        np.frombuffer(end, dtype=np.int64),
    )


def _agreement(
    project: Project, doc_ids: set[str], annotators: list[str], labels: list[str], bootstrap: int, seed: int
) -> AgreementReport:
    return agreement_of_table(_table(project, doc_ids, annotators, labels), True, bootstrap, seed)


def _check_names(project: Project, annotators: list[str] | None, labels: list[str] | None) -> None:
    """:class:`InvalidInput` for annotators or labels the project does not have."""
    unknown = [name for name in annotators or [] if not layer_owners.exists(project.db, name)]
    if unknown:
        known = ", ".join(project.annotators()) or "none yet"
        raise InvalidInput(f"not annotators of this project: {', '.join(unknown)} (its annotators: {known})")
    names = [label.name for label in project.labels()]
    wrong = [label for label in labels or [] if label not in names]
    if wrong:
        raise InvalidInput(f"labels the schema does not have: {', '.join(wrong)} (its labels: {', '.join(names)})")


def project_agreement(
    project: Project,
    annotators: list[str] | None = None,
    labels: list[str] | None = None,
    include_in_progress: bool = False,
    bootstrap: int = 1000,
    seed: int = 0,
) -> ProjectAgreement:
    """Every figure of the agreement view and report, computed from the project."""
    _check_names(project, annotators, labels)
    finished = _finished(project, include_in_progress)
    humans = annotators or [name for name in project.annotators() if finished.get(name)]
    compared = list(humans)
    label_list = labels or [label.name for label in project.labels()]
    everyone = set.intersection(*(finished.get(name, set()) for name in compared)) if compared else set()
    if compared:
        overall = _agreement(project, everyone, compared, label_list, bootstrap, seed)
    else:  # nobody to compare: the report of no documents, as compute_agreement gives it
        overall = compute_agreement([], None, label_list, bootstrap, seed)
    result = ProjectAgreement(compared, label_list, overall, documents={"all": len(everyone)})
    with_gold = compared + ([GOLD] if finished.get(GOLD) and GOLD not in compared else [])
    for a, b in combinations(with_gold, 2):
        shared = finished.get(a, set()) & finished.get(b, set())
        name = f"{a}|{b}"
        result.pairs[name] = _agreement(project, shared, [a, b], label_list, bootstrap, seed)
        result.documents[name] = len(shared)
    result.titles = doc_store.titles(project.db)
    return result
