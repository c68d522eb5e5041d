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

from workbench.core.lazy import lazy_getattr

# Imported on first use (PEP 562): the window and the command line import the registry
# or one name at start-up without loading every writer and numpy with it.
_LAZY = {
    "AgreementInputError": "workbench.core.agreement.model",
    "Annotation": "workbench.core.agreement.model",
    "Document": "workbench.core.agreement.model",
    "documents_from_dicts": "workbench.core.agreement.model",
    "AgreementReport": "workbench.core.agreement.report",
    "DocumentRow": "workbench.core.agreement.report",
    "PairReport": "workbench.core.agreement.report",
    "compute_agreement": "workbench.core.agreement.report",
    "Interval": "workbench.core.agreement.scores",
    "Score": "workbench.core.agreement.scores",
    "SpanCounts": "workbench.core.agreement.scores",
}


__getattr__ = lazy_getattr(__name__, _LAZY, globals())

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
