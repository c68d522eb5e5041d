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
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any

from workbench.core.agreement.report import AgreementReport, DocumentRows, compute_agreement
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
        overall = self.overall
        pairs = {}
        for name, report in self.pairs.items():
            found = report.pairs.get(name)
            if found is None:
                continue
            data = found.to_dict()
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
                "alpha_u": report.alpha_u.value,
                "undefined": _reasons(data),
            }
        alpha, mean = overall.alpha_u.to_dict(), overall.alpha_u_mean_over_docs.to_dict()
        return {
            "annotators": self.annotators,
            "labels": self.labels,
            "documents": self.documents,
            "pairs": pairs,
            "alpha_u": {
                "pooled": _value(alpha),
                "pooled_ci": _interval(alpha),
                "mean_over_docs": _value(mean),
                "units": alpha["n_units"],
                "undefined": _reasons({"pooled": alpha, "mean_over_docs": mean}),
            },
            "alpha_u_per_label": {k: v.value for k, v in overall.alpha_u_per_label.items()},
            "cohen_kappa_bio": {name: entry["cohen_kappa_bio"] for name, entry in pairs.items()},
            "fleiss_kappa_bio": overall.fleiss_kappa_bio.value,
            "per_document": self.per_document(),
        }

    def per_document(self) -> list[dict[str, Any]]:
        """Each document compared by at least one pair, worst first: strict and relaxed F1
        averaged over the pairs that compared it (undefined ones last)."""
        rows: dict[str, dict[str, list]] = {}
        for name, report in self.pairs.items():
            if name.endswith(f"|{GOLD}"):
                continue
            for doc_id, strict, relaxed in _f1_values(report.documents):
                entry = rows.setdefault(doc_id, {"strict": [], "relaxed": [], "pairs": []})
                entry["pairs"].append(name)
                if strict is not None:
                    entry["strict"].append(strict)
                if relaxed is not None:
                    entry["relaxed"].append(relaxed)
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


def _f1_values(rows: Any) -> Iterator[tuple[str, float | None, float | None]]:
    """Each row's document id and its strict and relaxed F1 values."""
    if isinstance(rows, DocumentRows):
        yield from rows.f1_values()
    else:
        for row in rows:
            yield row.doc_id, row.strict_f1.value, row.relaxed_f1.value


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


# Documents read (texts and spans of every compared layer) at a time.
CHUNK_DOCUMENTS = 250


class Chunk:
    """The texts and every compared layer's spans of some documents, read once, as columns;
    :meth:`table` cuts the span table of a report out of them."""

    def __init__(self, project: Project, doc_ids: set[str], layers: list[str]):
        import numpy as np

        self.layer_of = {name: i for i, name in enumerate(layers)}
        self.ids: list[str] = []
        lengths = array("q")
        chars: list[np.ndarray] = []
        self.label_names: list[str] = []
        label_of: dict[str, int] = {}
        doc, rater, label, start, end = (array("q") for _ in range(5))
        for index, (doc_id, text) in enumerate(doc_store.texts_by_id(project.db, doc_ids)):
            self.ids.append(doc_id)
            lengths.append(len(text))
            points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
            chars.append(np.minimum(points, 0xFFFF).astype(np.uint16))
            for annotator, s, e, name in span_store.ranges(project.db, doc_id, layers):
                doc.append(index)
                rater.append(self.layer_of[annotator])
                code = label_of.get(name)
                if code is None:
                    code = label_of[name] = len(self.label_names)
                    self.label_names.append(name)
                label.append(code)
                start.append(s)
                end.append(e)
        self.lengths = np.frombuffer(lengths, dtype=np.int64)
        self.offsets = np.concatenate(([0], np.cumsum(self.lengths))).astype(np.int64)
        self.chars = np.concatenate(chars) if chars else np.zeros(0, dtype=np.uint16)
        self.doc, self.rater, self.label, self.start, self.end = (
            np.frombuffer(column, dtype=np.int64) for column in (doc, rater, label, start, end)
        )
        self.index = {doc_id: i for i, doc_id in enumerate(self.ids)}

    def table(self, doc_ids: set[str], layers: list[str], labels: list[str]) -> SpanTable:
        """The span table of these documents (those of the chunk, in id order) and layers, as
        :func:`.report.compute_agreement` on them would lay it out."""
        import numpy as np

        from workbench.core.agreement.table import table_from_columns

        chosen = np.array(sorted(self.index[d] for d in doc_ids if d in self.index), dtype=np.int64)
        new_doc = np.full(len(self.ids), -1, dtype=np.int64)
        new_doc[chosen] = np.arange(len(chosen))
        new_rater = np.full(len(self.layer_of), -1, dtype=np.int64)
        for i, name in enumerate(layers):
            new_rater[self.layer_of[name]] = i
        keep = (new_doc[self.doc] >= 0) & (new_rater[self.rater] >= 0) if len(self.doc) else np.zeros(0, dtype=bool)
        pieces = [self.chars[self.offsets[i] : self.offsets[i + 1]] for i in chosen.tolist()]
        return table_from_columns(
            [self.ids[i] for i in chosen.tolist()],
            self.lengths[chosen] if len(chosen) else np.zeros(0, dtype=np.int64),
            np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.uint16),
            layers,
            labels,
            new_doc[self.doc[keep]],
            new_rater[self.rater[keep]],
            self.label[keep],
            self.label_names,
            self.start[keep],
            self.end[keep],
        )


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
    *,
    full: bool = True,
    chunk_documents: int | None = None,
) -> ProjectAgreement:
    """Every figure of the agreement view and report, computed from the project.

    Each compared document is read once (its text and every compared layer's spans), a chunk
    of ``chunk_documents`` (default :data:`CHUNK_DOCUMENTS`) at a time, and every report
    (all annotators, each pair) takes its documents of the chunk
    (:class:`.stream.ReportBuilder`): memory grows by about 4 KB a document (3 annotators and
    gold), not with the texts and spans. The figures are those of
    :func:`.report.agreement_of_table` on one table of each report's documents (floats to
    their last digits: the pooled α_U is summed in another order). ``full`` False computes
    only what the data card shows (:mod:`workbench.core.export.card_agreement`): span counts
    and the pooled α_U, no bootstrap, token kappas or per-document rows."""
    from workbench.core.agreement.stream import ReportBuilder

    _check_names(project, annotators, labels)
    finished = _finished(project, include_in_progress)
    humans = annotators or [name for name in project.annotators() if finished.get(name)]
    compared = list(humans)
    label_list = labels or [label.name for label in project.labels()]
    everyone = set.intersection(*(finished.get(name, set()) for name in compared)) if compared else set()
    with_gold = compared + ([GOLD] if finished.get(GOLD) and GOLD not in compared else [])
    reports: dict[str, tuple[set[str], list[str], ReportBuilder]] = {}
    if compared:
        builder = ReportBuilder(tuple(compared), tuple(label_list), True, bootstrap, seed, full=full)
        reports["all"] = (everyone, compared, builder)
    for a, b in combinations(with_gold, 2):
        shared = finished.get(a, set()) & finished.get(b, set())
        builder = ReportBuilder((a, b), tuple(label_list), True, bootstrap, seed, full=full)
        reports[f"{a}|{b}"] = (shared, [a, b], builder)
    wanted: set[str] = set()
    for docs, _, _ in reports.values():
        wanted |= docs
    ordered = sorted(wanted)
    size = max(1, chunk_documents or CHUNK_DOCUMENTS)
    for first in range(0, len(ordered), size):
        ids = set(ordered[first : first + size])
        chunk = Chunk(project, ids, with_gold)
        for docs, layers, builder in reports.values():
            mine = docs & ids
            if mine:
                builder.add(chunk.table(mine, layers, label_list))
        del chunk
    if compared:
        overall = reports.pop("all")[2].finish()
    else:  # nobody to compare: the report of no documents, as compute_agreement gives it
        overall = compute_agreement([], None, label_list, bootstrap, seed)
    result = ProjectAgreement(compared, label_list, overall, documents={"all": len(everyone)})
    for name, (docs, _, builder) in reports.items():
        result.pairs[name] = builder.finish()
        result.documents[name] = len(docs)
    result.titles = doc_store.titles_of(project.db, wanted)
    return result
