"""The agreement measures reproduce the reference vectors (shared/agreement-vectors/vectors.json).

Each case holds Arabic sentences annotated by two or three annotators and the values
that reference implementations gave (DKPro Statistics for α_U, scikit-learn and
statsmodels for the kappas, set intersection and optimal matching for span F1); null
means undefined. Tolerance: 1e-6, and 1e-3 for α_U.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from workbench.core.agreement import compute_agreement, documents_from_dicts
from workbench.core.agreement.table import build_table
from workbench.core.agreement.tokens import bio_tags, tag_names, tokenize

# The shared reference vectors beside the checkout when present; else the copy kept with
# the tests (a clone elsewhere still tests against the same values).
_SHARED = Path(__file__).resolve().parents[2] / "shared" / "agreement-vectors" / "vectors.json"
VECTORS = _SHARED if _SHARED.exists() else Path(__file__).resolve().parent / "data" / "agreement-vectors.json"
DATA = json.loads(VECTORS.read_text(encoding="utf-8")) if VECTORS.exists() else {"cases": []}
CASES = {case["id"]: case for case in DATA["cases"]}
TOL = 1e-6
TOL_ALPHA = 1e-3


def test_vectors_file_is_there():
    assert VECTORS.exists(), f"reference vectors missing: {VECTORS}"
    assert DATA["schema"] == "span-agreement-vectors/1"
    assert len(CASES) == 14


def same(got, expected, tol=TOL):
    """A Score against a reference value: both undefined, or both defined and close."""
    if expected is None:
        return got.value is None and bool(got.reason)
    return got.value is not None and math.isclose(got.value, expected, rel_tol=0, abs_tol=tol)


def assert_scores(got: dict, expected: dict, tol=TOL):
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert same(got[key], value, tol), (key, got[key], value)


@pytest.fixture(scope="module")
def reports():
    cache = {}

    def get(case_id):
        if case_id not in cache:
            case = CASES[case_id]
            docs = documents_from_dicts(case["documents"])
            cache[case_id] = compute_agreement(docs, annotators=case["annotators"], bootstrap=50, seed=1)
        return cache[case_id]

    return get


@pytest.mark.parametrize("case_id", list(CASES))
def test_span_f1(case_id, reports):
    case, report = CASES[case_id], reports(case_id)
    assert set(report.pairs) == set(case["expected"]["pairwise"])
    for name, expected in case["expected"]["pairwise"].items():
        pair = report.pairs[name]
        checks = expected["checks"]
        assert same(pair.strict_f1, checks["exact_f1_set_intersection"])
        assert_scores(pair.strict_f1_per_label, checks["exact_f1_set_intersection_per_label"])
        assert same(pair.relaxed_f1, checks["overlap_f1_optimal_matching"])
        assert_scores(pair.relaxed_f1_per_label, checks["overlap_f1_optimal_matching_per_label"])
        # Optimal matching never pairs fewer spans than nervaluate's greedy one.
        if pair.relaxed_f1.value is not None:
            greedy = max(expected["overlap_f1_micro"], expected.get("overlap_f1_micro_reversed", 0))
            assert pair.relaxed_f1.value >= greedy - TOL


@pytest.mark.parametrize("case_id", list(CASES))
def test_token_kappas(case_id, reports):
    case, report = CASES[case_id], reports(case_id)
    for name, expected in case["expected"]["pairwise"].items():
        assert same(report.pairs[name].cohen_kappa_bio, expected["token_cohen_kappa_bio"])
    assert same(report.fleiss_kappa_bio, case["expected"]["all_annotators"]["token_fleiss_kappa_bio"])


@pytest.mark.parametrize("case_id", list(CASES))
def test_token_view(case_id):
    """Tokens and BIO tags follow the vectors' conventions exactly."""
    case = CASES[case_id]
    table = build_table(documents_from_dicts(case["documents"]), case["annotators"])
    tokens = tokenize(table)
    names = tag_names(table.labels)
    tags = [bio_tags(table, tokens, r) for r in range(len(table.annotators))]
    for d, doc in enumerate(case["documents"]):
        view = case["token_view_bio"][doc["doc_id"]]
        mine = (tokens.doc == d).nonzero()[0]
        assert [doc["text"][tokens.start[i] : tokens.end[i]] for i in mine] == view["tokens"]
        for r, annotator in enumerate(case["annotators"]):
            assert [names[t] for t in tags[r][mine]] == view[annotator]


@pytest.mark.parametrize("case_id", list(CASES))
def test_alpha_u(case_id, reports):
    case, report = CASES[case_id], reports(case_id)
    expected = case["expected"]["all_annotators"]["alpha_u_dkpro"]
    pooled = expected["concatenated_continuum"]
    assert same(report.alpha_u, pooled["alpha_u"], TOL_ALPHA)
    assert_scores(report.alpha_u_per_label, pooled["per_label"], TOL_ALPHA)
    assert same(report.alpha_u_mean_over_docs, expected["mean_over_docs"], TOL_ALPHA)
    rows = {row.doc_id: row for row in report.documents}
    assert set(rows) == set(expected["per_document"])
    for doc_id, per_doc in expected["per_document"].items():
        assert same(rows[doc_id].alpha_u, per_doc["alpha_u"], TOL_ALPHA)
        assert_scores(rows[doc_id].alpha_u_per_label, per_doc["per_label"], TOL_ALPHA)


@pytest.mark.parametrize("case_id", list(CASES))
def test_report_is_plain_json(case_id, reports):
    report = reports(case_id)
    data = json.loads(report.to_json())
    assert set(data["pairs"]) == set(report.pairs)
    for pair in report.pairs.values():
        c = pair.counts
        assert c.n_a == c.relaxed_matched + c.label_conflict_a + c.only_in_a
        assert c.n_b == c.relaxed_matched + c.label_conflict_b + c.only_in_b
        # Every span of each side appears once in the confusion matrix.
        assert sum(sum(row.values()) for label, row in pair.confusion.items() if label != "none") == c.n_a
        assert sum(row.get(label, 0) for row in pair.confusion.values() for label in row if label != "none") == c.n_b


def test_nothing_annotated_is_undefined_not_zero(reports):
    report = reports("no_annotations")
    pair = report.pairs["A|B"]
    for score in (
        pair.strict_f1,
        pair.relaxed_f1,
        pair.cohen_kappa_bio,
        report.fleiss_kappa_bio,
        report.alpha_u,
        report.alpha_u_mean_over_docs,
    ):
        assert score.value is None and score.reason
    assert pair.strict_f1.ci.low is None and pair.strict_f1.ci.reason


def test_greedy_and_optimal_differ_where_the_vectors_say(reports):
    expected = CASES["overlap_different_labels"]["expected"]["pairwise"]["A|B"]
    assert expected["overlap_f1_micro_reversed"] == 0
    pair = reports("overlap_different_labels").pairs["A|B"]
    assert pair.relaxed_f1.value == pytest.approx(2 / 3)
    assert pair.counts.only_in_a == 1 and pair.counts.boundary_conflict == 1


def test_clitic_case_counts_proclitic_conflicts(reports):
    counts = reports("clitic_boundaries").pairs["A|B"].counts_per_label["LOCATION"]
    assert counts.boundary_conflict == 2
    assert counts.proclitic_conflict == 2


def test_label_confusion(reports):
    confusion = reports("label_confusion_same_span").pairs["A|B"].confusion
    assert confusion["ACTOR"]["LOCATION"] == 1
    assert confusion["DATE"]["DATE"] == 1
    counts = reports("label_confusion_same_span").pairs["A|B"].counts
    assert counts.label_conflict_a == counts.label_conflict_same_extent == 1
