"""One agreement report built a chunk of documents at a time, never holding them all.

:class:`ReportBuilder` takes the documents of a report in order, as span tables of a few
hundred documents each (:func:`.table.table_from_columns`), and gives the
:class:`.report.AgreementReport` that :func:`.report.agreement_of_table` gives for one table of
all of them (the same figures, to float precision, and the same bootstrap intervals for the same
seed). What it keeps between chunks:

- the pairs' span counts, per label and in the confusion cells, and the token kappas' tag
  counts: sums (spans are matched, and tokens cut, within their document);
- per document and pair its strict pairs, relaxed pairs and spans (the per-document rows and
  the F1 bootstrap), and its α_U and per-label α_U as columns of numbers
  (:class:`.report.DocumentRows`);
- the pooled α_U as histograms of unit and gap lengths (:class:`.alpha_u.PooledAlphaU`: the size
  of the distinct lengths, not of the documents);
- for the pooled α_U's bootstrap interval, the per-document summaries of
  :class:`.bootstrap.AlphaUParts`.

Measured on a lead's project (3 annotators and gold, 50 spans each): the all-annotator report
keeps 675 bytes a document for the bootstrap and 152 for its rows, each pair's report 539 and
104; about 4.7 KB a document for the seven reports of ``workbench-cli agreement``, whatever the
texts' length.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from workbench.core.agreement.alpha_u import PooledAlphaU, alpha_units, mean_over_documents, per_document
from workbench.core.agreement.bootstrap import AlphaUParts, AlphaUResampler, bootstrap_of
from workbench.core.agreement.report import (
    AgreementReport,
    DocumentRows,
    ScoreColumns,
    _check_options,
    assemble,
    kappas_of_counts,
    tag_counts,
)
from workbench.core.agreement.scores import Score
from workbench.core.agreement.span_f1 import PairCounts, pair_counts, pair_result
from workbench.core.agreement.table import SpanTable
from workbench.core.agreement.tokens import tag_names


class ReportBuilder:
    """Add the report's documents a table at a time (:meth:`add`), then :meth:`finish`.

    ``annotators`` and ``labels``: the tables' (every table has them, in this order);
    ``every_label`` as :func:`.report.agreement_of_table`. ``full`` False leaves out what the
    data card does not show: token kappas (undefined), per-document rows (none) and the
    bootstrap. ``alpha_interval`` False leaves the pooled α_U without its interval (and the
    summaries it needs)."""

    def __init__(
        self,
        annotators: tuple[str, ...],
        labels: tuple[str, ...],
        every_label: bool = True,
        bootstrap: int = 1000,
        seed: int = 0,
        level: float = 0.95,
        *,
        full: bool = True,
        alpha_interval: bool = True,
    ):
        _check_options(bootstrap, level)
        self.annotators, self.labels, self.every_label = tuple(annotators), tuple(labels), every_label
        self.options = (bootstrap if full else 0, seed, level)
        self.full = full
        R, C = len(self.annotators), len(self.labels)
        self.pairs = list(combinations(range(R), 2))
        self.names = [f"{self.annotators[a]}|{self.annotators[b]}" for a, b in self.pairs]
        self.counts = [PairCounts.empty(C) for _ in self.pairs]
        self.tokens = 0
        self.tags = np.zeros((R, len(tag_names(self.labels))), dtype=np.int64)
        self.agree = [0] * len(self.pairs)
        self.pooled = PooledAlphaU(R, self.labels, every_label)
        self.parts = AlphaUParts(R, C) if full and alpha_interval and self.options[0] and R >= 2 else None
        self.alpha_interval = alpha_interval
        self.doc_ids: list[str] = []
        self.n_spans: list[np.ndarray] = []
        self.reasons: list[str] = []  # shared by every column of figures
        self.alpha: list[ScoreColumns] = []
        self.alpha_per_label: list[list[ScoreColumns]] = [[] for _ in self.labels]

    def add(self, table: SpanTable) -> None:
        """The next documents (after those added so far), as a table with this report's
        annotators and labels."""
        if table.annotators != self.annotators or table.labels != self.labels:
            raise ValueError("a chunk's annotators or labels differ from the report's")
        if table.n_docs == 0:
            return
        for k, (a, b) in enumerate(self.pairs):
            self.counts[k].add(pair_counts(table, a, b))
        if self.full:
            n, tags, agree = tag_counts(table)
            self.tokens += n
            self.tags += tags
            self.agree = [x + y for x, y in zip(self.agree, agree)]
        units = alpha_units(table)
        sums = None
        self.doc_ids.extend(table.doc_ids)
        if self.full:
            self.n_spans.append(np.bincount(table.doc, minlength=table.n_docs))
            if len(self.annotators) >= 2:
                per_doc, per_label, sums = per_document(table, units, self.every_label)
                self.alpha.append(ScoreColumns.of(per_doc, self.reasons))
                for k, name in enumerate(self.labels):
                    column = ScoreColumns.of([row.get(name) for row in per_label], self.reasons)
                    self.alpha_per_label[k].append(column)
        self.pooled.add(table, units, sums)
        if self.parts is not None:
            self.parts.add(table, units, sums)

    def finish(self) -> AgreementReport:
        """The report of every document added."""
        bootstrap, seed, level = self.options
        D = len(self.doc_ids)
        results = [pair_result(name, self.labels, c, self.every_label) for name, c in zip(self.names, self.counts)]
        self.counts = []
        if self.full:
            kappas = kappas_of_counts(self.names, self.tokens, self.tags, self.agree)
        else:
            skipped = Score.undefined("not computed")
            kappas = (dict.fromkeys(self.names, skipped), skipped)
        pooled, per_label = self.pooled.scores()
        rows: DocumentRows | list = []
        if len(self.annotators) < 2:
            mean = pooled
            alpha: ScoreColumns | Score = pooled
            alpha_per_label = None
        else:
            alpha = ScoreColumns.joined(self.alpha)
            mean, _ = mean_over_documents(alpha.value, alpha.units)
            alpha_per_label = [ScoreColumns.joined(parts) for parts in self.alpha_per_label]
        if self.full:
            n_spans = np.concatenate(self.n_spans) if self.n_spans else np.zeros(0, dtype=np.int64)
            rows = DocumentRows(self.doc_ids, n_spans, results, alpha, alpha_per_label, self.labels)
        else:
            mean = Score.undefined("not computed")
        resampler = None
        if self.parts is not None and D:
            resampler = AlphaUResampler(None, parts=self.parts)
            self.parts = None
        boot = bootstrap_of(
            D,
            {p.name: (p.doc_strict, p.doc_relaxed, p.doc_units) for p in results},
            resampler,
            bootstrap,
            seed,
            level,
        )
        del resampler
        return assemble(
            self.annotators,
            self.labels,
            D,
            results,
            kappas,
            (pooled, per_label, mean),
            rows,
            boot,
            (bootstrap, seed, level),
            self.alpha_interval,
        )
