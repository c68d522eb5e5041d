"""One call for everything: :func:`compute_agreement` and the :class:`AgreementReport` it returns."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from typing import Any, overload

import numpy as np

from workbench.core.agreement.alpha_u import alpha_u, alpha_units
from workbench.core.agreement.bootstrap import BootstrapResult
from workbench.core.agreement.bootstrap import bootstrap as run_bootstrap
from workbench.core.agreement.kappa import cohen_kappa_of_counts, fleiss_kappa_of_counts
from workbench.core.agreement.model import AgreementInputError, Document
from workbench.core.agreement.scores import Score, SpanCounts
from workbench.core.agreement.span_f1 import PairResult, compare_pair
from workbench.core.agreement.table import SpanTable, build_table
from workbench.core.agreement.tokens import tag_chunks, tag_names


@dataclass(frozen=True)
class PairReport:
    """Agreement of one pair of annotators; see :func:`compute_agreement` for each figure."""

    strict_f1: Score
    relaxed_f1: Score
    strict_f1_per_label: dict[str, Score]
    relaxed_f1_per_label: dict[str, Score]
    counts: SpanCounts
    counts_per_label: dict[str, SpanCounts]
    confusion: dict[str, dict[str, int]]
    cohen_kappa_bio: Score

    def to_dict(self) -> dict[str, Any]:
        return {
            "strict_f1": self.strict_f1.to_dict(),
            "relaxed_f1": self.relaxed_f1.to_dict(),
            "strict_f1_per_label": {k: v.to_dict() for k, v in self.strict_f1_per_label.items()},
            "relaxed_f1_per_label": {k: v.to_dict() for k, v in self.relaxed_f1_per_label.items()},
            "counts": self.counts.to_dict(),
            "counts_per_label": {k: v.to_dict() for k, v in self.counts_per_label.items()},
            "confusion": self.confusion,
            "cohen_kappa_bio": self.cohen_kappa_bio.to_dict(),
        }


@dataclass(frozen=True)
class DocumentRow:
    """One document's figures. F1 here is pooled over every pair of annotators."""

    doc_id: str
    n_spans: int
    strict_f1: Score
    relaxed_f1: Score
    strict_f1_per_pair: dict[str, Score]
    alpha_u: Score
    alpha_u_per_label: dict[str, Score]

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "n_spans": self.n_spans,
            "strict_f1": self.strict_f1.to_dict(),
            "relaxed_f1": self.relaxed_f1.to_dict(),
            "strict_f1_per_pair": {k: v.to_dict() for k, v in self.strict_f1_per_pair.items()},
            "alpha_u": self.alpha_u.to_dict(),
            "alpha_u_per_label": {k: v.to_dict() for k, v in self.alpha_u_per_label.items()},
        }


@dataclass(frozen=True)
class AgreementReport:
    """Everything :func:`compute_agreement` measured; ``to_dict()`` gives plain JSON-ready data."""

    annotators: tuple[str, ...]
    labels: tuple[str, ...]
    n_documents: int
    pairs: dict[str, PairReport]
    alpha_u: Score
    alpha_u_mean_over_docs: Score
    alpha_u_per_label: dict[str, Score]
    fleiss_kappa_bio: Score
    documents: Sequence[DocumentRow]  # a list, or :class:`DocumentRows` (made when read)
    bootstrap: dict[str, Any]

    def worst_documents(self, key: str = "alpha_u") -> list[DocumentRow]:
        """Documents sorted worst first by ``key`` ("alpha_u", "strict_f1" or "relaxed_f1"); undefined last."""
        if key not in ("alpha_u", "strict_f1", "relaxed_f1"):
            raise ValueError(f"cannot sort documents by {key!r}")

        def order(row: DocumentRow) -> tuple[int, float]:
            value = getattr(row, key).value
            return (1, 0.0) if value is None else (0, value)

        return sorted(self.documents, key=order)

    def to_dict(self) -> dict[str, Any]:
        return {
            "annotators": list(self.annotators),
            "labels": list(self.labels),
            "n_documents": self.n_documents,
            "pairs": {name: pair.to_dict() for name, pair in self.pairs.items()},
            "alpha_u": self.alpha_u.to_dict(),
            "alpha_u_mean_over_docs": self.alpha_u_mean_over_docs.to_dict(),
            "alpha_u_per_label": {k: v.to_dict() for k, v in self.alpha_u_per_label.items()},
            "fleiss_kappa_bio": self.fleiss_kappa_bio.to_dict(),
            "documents": [row.to_dict() for row in self.documents],
            "bootstrap": dict(self.bootstrap),
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)


def compute_agreement(
    documents: Sequence[Document],
    annotators: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    bootstrap: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> AgreementReport:
    """Inter-annotator agreement of span annotations over the given documents.

    ``annotators``: whom to compare (default: everyone named in the documents, sorted);
    pairs are named "A|B" in that order. ``labels``: which labels to count (default:
    all used, sorted); when given, every listed label gets a per-label entry, undefined
    where nobody used it. ``bootstrap``: number of document resamples for the intervals
    (0 for none), drawn reproducibly from ``seed``; ``level``: their coverage.

    The figures (every one a :class:`Score`: ``value`` None plus a ``reason`` where it is
    undefined, never a made-up 0 or 1, and ``n_units`` behind it):

    - ``pairs[name].strict_f1``: share of spans both annotators marked identically
      (start, end and label), F1 over all documents; ``n_units`` = spans of both.
    - ``pairs[name].relaxed_f1``: the same with overlapping same-label spans paired by an
      optimal one-to-one matching, so boundary disagreements count as agreement.
    - ``..._per_label``, ``counts``, ``counts_per_label`` (:class:`SpanCounts`: matched,
      boundary conflicts and those due only to a proclitic, label conflicts, only in A,
      only in B) and ``confusion`` (rows A's label or "none", columns B's label or
      "none"; the diagonal is the relaxed matching, off-diagonal cells its label
      conflicts).
    - ``pairs[name].cohen_kappa_bio`` and ``fleiss_kappa_bio`` (all annotators): chance-
      corrected agreement on the BIO tags of whitespace tokens. They rise with
      unannotated text (every token both leave O is an easy agreement), cannot see nested
      spans or differences inside a token; ``n_units`` = tokens.
    - ``alpha_u``: Krippendorff's α_U as DKPro Statistics / INCEpTION compute it, over all
      documents laid end to end; 1 is perfect agreement, 0 chance level, below 0
      systematic disagreement. ``alpha_u_mean_over_docs``: the mean of the per-document
      values (what INCEpTION shows), which gives a short document as much weight as a
      long one. ``alpha_u_per_label``: pooled, per label. ``n_units`` = α_U units.
    - ``documents``: per document, strict/relaxed F1 pooled over pairs and α_U, to sort
      worst first with :meth:`AgreementReport.worst_documents`.

    The headline figures (each pair's strict and relaxed F1, pooled α_U) carry a
    percentile bootstrap interval in ``ci``. Raises :class:`AgreementInputError` for
    spans that do not fit their document.
    """
    _check_options(bootstrap, level)
    return agreement_of_table(build_table(documents, annotators, labels), labels is not None, bootstrap, seed, level)


def _check_options(bootstrap: int, level: float) -> None:
    if bootstrap < 0:
        raise AgreementInputError("The number of bootstrap resamples cannot be negative.")
    if not 0 < level < 1:
        raise AgreementInputError("The interval level must lie between 0 and 1.")


def agreement_of_table(
    table: SpanTable, every_label: bool, bootstrap: int = 1000, seed: int = 0, level: float = 0.95
) -> AgreementReport:
    """:func:`compute_agreement` of a table already built (``every_label``: the labels were
    given, so each gets a per-label entry): for a caller that builds the table from columns
    (:func:`.table.table_from_columns`) instead of :class:`Document` objects."""
    _check_options(bootstrap, level)
    R = len(table.annotators)
    pair_results = [compare_pair(table, a, b, every_label) for a, b in combinations(range(R), 2)]
    kappas, fleiss = kappas_of_counts([p.name for p in pair_results], *tag_counts(table))
    if table.chars is not None:  # the characters are no longer needed: let them go
        table = replace(table, chars=np.zeros(0, dtype=np.uint16))
    units = alpha_units(table)
    alpha = alpha_u(table, every_label, units)

    boot = run_bootstrap(
        table,
        {p.name: (p.doc_strict, p.doc_relaxed, p.doc_units) for p in pair_results},
        replicates=bootstrap,
        seed=seed,
        level=level,
        units=units,
    )
    rows = DocumentRows(
        list(table.doc_ids),
        np.bincount(table.doc, minlength=table.n_docs),
        pair_results,
        ScoreColumns.of(alpha.per_document),
        [ScoreColumns.of([row.get(name) for row in alpha.per_document_per_label]) for name in table.labels],
        table.labels,
    )
    return assemble(
        table.annotators,
        table.labels,
        table.n_docs,
        pair_results,
        (kappas, fleiss),
        (alpha.pooled, alpha.pooled_per_label, alpha.mean_over_docs),
        list(rows),
        boot,
        (bootstrap, seed, level),
    )


def assemble(
    annotators: tuple[str, ...],
    labels: tuple[str, ...],
    n_documents: int,
    pair_results: list[PairResult],
    kappas: tuple[dict[str, Score], Score],
    alpha: tuple[Score, dict[str, Score], Score],
    documents: Sequence[DocumentRow],
    boot: BootstrapResult,
    options: tuple[int, int, float],
    alpha_interval: bool = True,
) -> AgreementReport:
    """The report of figures computed (over a whole table, or added up over chunks of it):
    the bootstrap intervals joined to their figures (``alpha_interval``: the pooled α_U's too)."""
    bootstrap, seed, level = options
    pooled_alpha, alpha_per_label, alpha_mean = alpha
    if bootstrap and alpha_interval:
        pooled_alpha = replace(pooled_alpha, ci=boot.alpha_u)
    pairs: dict[str, PairReport] = {}
    for p in pair_results:
        strict, relaxed = p.strict_f1, p.relaxed_f1
        if bootstrap:
            strict = replace(strict, ci=boot.strict_f1[p.name])
            relaxed = replace(relaxed, ci=boot.relaxed_f1[p.name])
        pairs[p.name] = PairReport(
            strict_f1=strict,
            relaxed_f1=relaxed,
            strict_f1_per_label=p.strict_f1_per_label,
            relaxed_f1_per_label=p.relaxed_f1_per_label,
            counts=p.counts,
            counts_per_label=p.counts_per_label,
            confusion=p.confusion,
            cohen_kappa_bio=kappas[0][p.name],
        )

    return AgreementReport(
        annotators=annotators,
        labels=labels,
        n_documents=n_documents,
        pairs=pairs,
        alpha_u=pooled_alpha,
        alpha_u_mean_over_docs=alpha_mean,
        alpha_u_per_label=alpha_per_label,
        fleiss_kappa_bio=kappas[1],
        documents=documents,
        bootstrap={"replicates": bootstrap, "seed": seed, "level": level, "resampling": "documents"},
    )


def tag_counts(table: SpanTable) -> tuple[int, np.ndarray, list[int]]:
    """The sums behind the token kappas, which add up over documents: tokens, each annotator's
    count of each tag, and per pair of annotators the tokens they tag alike; a chunk of
    documents at a time (:func:`.tokens.tag_chunks`)."""
    R = len(table.annotators)
    n_tags = len(tag_names(table.labels))
    pairs = list(combinations(range(R), 2))
    n = 0
    counts = np.zeros((R, n_tags), dtype=np.int64)
    agree = [0] * len(pairs)
    for tags in tag_chunks(table):
        n += len(tags[0]) if tags else 0
        for r, t in enumerate(tags):
            counts[r] += np.bincount(t, minlength=n_tags)
        for k, (a, b) in enumerate(pairs):
            agree[k] += int(np.count_nonzero(tags[a] == tags[b]))
    return n, counts, agree


def kappas_of_counts(names: list[str], n: int, counts: np.ndarray, agree: list[int]) -> tuple[dict[str, Score], Score]:
    """Cohen's kappa of each pair (``names``, in pair order) and Fleiss' kappa, from :func:`tag_counts`."""
    R = counts.shape[0]
    pairs = list(combinations(range(R), 2))
    kappas = {
        name: cohen_kappa_of_counts(n, agree[k], counts[a], counts[b])
        for k, (name, (a, b)) in enumerate(zip(names, pairs))
    }
    return kappas, fleiss_kappa_of_counts(R, n, sum(agree), counts.sum(axis=0))


class ScoreColumns:
    """Figures of many documents (:class:`Score` without interval) as three columns: the
    value (NaN where undefined), the reason (a code into ``reasons``; -1 none, -2 no figure
    at all) and the units: 17 bytes a figure instead of a Python object."""

    def __init__(self, value: np.ndarray, reason: np.ndarray, units: np.ndarray, reasons: list[str]):
        self.value, self.reason, self.units, self.reasons = value, reason, units, reasons

    @classmethod
    def of(cls, scores: Sequence[Score | None], reasons: list[str] | None = None) -> ScoreColumns:
        reasons = [] if reasons is None else reasons
        code = {text: i for i, text in enumerate(reasons)}
        value = np.full(len(scores), np.nan)
        reason = np.full(len(scores), -2, dtype=np.int16)
        units = np.zeros(len(scores), dtype=np.int64)
        for d, score in enumerate(scores):
            if score is None:
                continue
            if score.value is not None:
                value[d] = score.value
            if score.reason is None:
                reason[d] = -1
            else:
                if score.reason not in code:
                    code[score.reason] = len(reasons)
                    reasons.append(score.reason)
                reason[d] = code[score.reason]
            units[d] = score.n_units
        return cls(value, reason, units, reasons)

    @classmethod
    def joined(cls, parts: list[ScoreColumns]) -> ScoreColumns:
        """Columns of consecutive documents, end to end (parts built with one shared ``reasons``)."""
        if not parts:
            return cls(np.zeros(0), np.zeros(0, dtype=np.int16), np.zeros(0, dtype=np.int64), [])
        return cls(
            np.concatenate([p.value for p in parts]),
            np.concatenate([p.reason for p in parts]),
            np.concatenate([p.units for p in parts]),
            parts[0].reasons,
        )

    def __len__(self) -> int:
        return len(self.value)

    def score(self, d: int) -> Score | None:
        code = int(self.reason[d])
        if code == -2:
            return None
        value = float(self.value[d])
        return Score(None if np.isnan(value) else value, None if code < 0 else self.reasons[code], int(self.units[d]))


class DocumentRows(Sequence[DocumentRow]):
    """A report's per-document rows, kept as columns of numbers (about 40 bytes a document and
    pair and 17 a document and label) and made into :class:`DocumentRow` objects only when read.

    ``pairs``: per pair its name and per-document strict pairs, relaxed pairs and spans of both
    (:class:`.span_f1.PairResult`); ``alpha``: each document's α_U, or one figure for every
    document (fewer than two annotators); ``alpha_per_label``: per label of ``labels`` its
    per-document α_U (None: no per-label figures)."""

    def __init__(
        self,
        doc_ids: list[str],
        n_spans: np.ndarray,
        pairs: Sequence[PairResult],
        alpha: ScoreColumns | Score,
        alpha_per_label: list[ScoreColumns] | None,
        labels: tuple[str, ...] = (),
    ):
        self.doc_ids = doc_ids
        self.n_spans = n_spans
        D = len(doc_ids)
        self.names = [p.name for p in pairs]
        self.per_pair = [(p.doc_strict, p.doc_units) for p in pairs]
        if pairs:
            self.strict = np.sum([p.doc_strict for p in pairs], axis=0)
            self.relaxed = np.sum([p.doc_relaxed for p in pairs], axis=0)
            self.units = np.sum([p.doc_units for p in pairs], axis=0)
        else:
            self.strict = self.relaxed = self.units = np.zeros(D, dtype=np.int64)
        self.reason = "no span in this document" if pairs else "fewer than two annotators"
        self.alpha = alpha
        self.alpha_per_label = alpha_per_label
        self.labels = labels

    def __len__(self) -> int:
        return len(self.doc_ids)

    @overload
    def __getitem__(self, index: int) -> DocumentRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[DocumentRow]: ...

    def __getitem__(self, index: int | slice) -> DocumentRow | list[DocumentRow]:
        if isinstance(index, slice):
            return [self._row(d) for d in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._row(index)

    def __iter__(self) -> Iterator[DocumentRow]:
        return (self._row(d) for d in range(len(self)))

    def f1_values(self) -> Iterator[tuple[str, float | None, float | None]]:
        """Each document's id with its strict and relaxed F1 values (pooled over the pairs), as
        its row has them, without making the rows."""
        for d, doc_id in enumerate(self.doc_ids):
            u = int(self.units[d])
            if u:
                yield doc_id, 2.0 * int(self.strict[d]) / u, 2.0 * int(self.relaxed[d]) / u
            else:
                yield doc_id, None, None

    def _row(self, d: int) -> DocumentRow:
        u = int(self.units[d])
        no_span = "neither annotator marked a span here"
        if isinstance(self.alpha, Score):
            alpha = self.alpha
        else:
            found = self.alpha.score(d)
            assert found is not None
            alpha = found
        per_label: dict[str, Score] = {}
        if self.alpha_per_label is not None:
            for name, column in zip(self.labels, self.alpha_per_label):
                score = column.score(d)
                if score is not None:
                    per_label[name] = score
        return DocumentRow(
            doc_id=self.doc_ids[d],
            n_spans=int(self.n_spans[d]),
            strict_f1=Score(2.0 * int(self.strict[d]) / u, None, u) if u else Score.undefined(self.reason),
            relaxed_f1=Score(2.0 * int(self.relaxed[d]) / u, None, u) if u else Score.undefined(self.reason),
            strict_f1_per_pair={
                name: Score(2.0 * int(s[d]) / int(n[d]), None, int(n[d])) if n[d] else Score.undefined(no_span)
                for name, (s, n) in zip(self.names, self.per_pair)
            },
            alpha_u=alpha,
            alpha_u_per_label=per_label,
        )
