"""Inter-annotator agreement for span annotations: pure functions over plain data.

Entry point: :func:`compute_agreement` (documents in, :class:`AgreementReport` out).
The measures, each in its own module:

- :mod:`.span_f1` — strict and relaxed span F1 per pair, with counts and a label
  confusion matrix, from the optimal one-to-one matching of :mod:`.matching`;
- :mod:`.alpha_u` — Krippendorff's unitizing alpha exactly as DKPro Statistics
  (INCEpTION) computes it, pooled and per document;
- :mod:`.kappa` on :mod:`.tokens` — Cohen's and Fleiss' kappa on BIO tags of
  whitespace tokens;
- :mod:`.bootstrap` — document-resampling confidence intervals.

No database, no GUI: the caller picks the documents (e.g. only finished ones).
"""

from workbench.core.agreement.model import AgreementInputError, Annotation, Document, documents_from_dicts
from workbench.core.agreement.report import AgreementReport, DocumentRow, PairReport, compute_agreement
from workbench.core.agreement.scores import Interval, Score, SpanCounts

__all__ = [
    "AgreementInputError",
    "AgreementReport",
    "Annotation",
    "Document",
    "DocumentRow",
    "Interval",
    "PairReport",
    "Score",
    "SpanCounts",
    "compute_agreement",
    "documents_from_dicts",
]
