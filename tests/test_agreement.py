"""Properties of the agreement measures on random annotations (hypothesis).

Symmetry of F1, perfect agreement for identical annotations, optimal >= greedy
matching, undefined figures as None with a reason, a reproducible bootstrap, and the
fast implementations against slow, obviously-correct ones (a line-by-line port of
DKPro's α_U walk, brute-force matchings, re.finditer).
"""

from __future__ import annotations

import itertools
import json
import re
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.agreement import AgreementInputError, Annotation, Document, compute_agreement
from workbench.core.agreement.alpha_u import alpha_u, alpha_units
from workbench.core.agreement.assignment import max_weight_assignment
from workbench.core.agreement.bootstrap import AlphaUResampler
from workbench.core.agreement.clitics import differ_by_proclitic, is_proclitic_prefix, proclitic_prefix_mask
from workbench.core.agreement.span_f1 import compare_pair
from workbench.core.agreement.table import build_table
from workbench.core.agreement.tokens import tokenize

LETTERS = "ابتجدهوزحطيكلمنسعفصقرشتثخذضظغال"
LABELS = ("ACTOR", "LOCATION", "DATE")
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def span_lists(draw, length: int, max_size: int = 6) -> list[Annotation]:
    spans = []
    if length == 0:
        return spans
    for _ in range(draw(st.integers(0, max_size))):
        start = draw(st.integers(0, length - 1))
        end = draw(st.integers(start + 1, min(length, start + 12)))
        spans.append(Annotation(start, end, draw(st.sampled_from(LABELS))))
    return spans


@st.composite
def corpora(draw, annotators=("A", "B"), max_docs: int = 3, min_len: int = 0) -> list[Document]:
    docs = []
    for d in range(draw(st.integers(1, max_docs))):
        text = draw(st.text(alphabet=LETTERS + "  \n", min_size=min_len, max_size=40))
        anns = {name: draw(span_lists(len(text))) for name in annotators}
        docs.append(Document(f"d{d}", text, anns))
    return docs


# --- F1 and matching ---------------------------------------------------------------


@FAST
@given(corpora())
def test_f1_is_symmetric(docs):
    table = build_table(docs, ["A", "B"])
    ab, ba = compare_pair(table, 0, 1), compare_pair(table, 1, 0)
    assert ab.strict_f1 == ba.strict_f1
    assert ab.relaxed_f1 == ba.relaxed_f1
    assert {k: v.value for k, v in ab.relaxed_f1_per_label.items()} == {
        k: v.value for k, v in ba.relaxed_f1_per_label.items()
    }
    x, y = ab.counts, ba.counts
    assert (x.n_a, x.n_b, x.only_in_a, x.only_in_b) == (y.n_b, y.n_a, y.only_in_b, y.only_in_a)
    assert (x.strict_matched, x.relaxed_matched, x.boundary_conflict) == (
        y.strict_matched,
        y.relaxed_matched,
        y.boundary_conflict,
    )
    assert (x.label_conflict_a, x.label_conflict_same_extent) == (y.label_conflict_b, y.label_conflict_same_extent)


@FAST
@given(corpora(annotators=("A",), min_len=1))
def test_identical_annotations_agree_perfectly(docs):
    docs = [Document(d.doc_id, d.text, {"A": d.annotations["A"], "B": list(d.annotations["A"])}) for d in docs]
    report = compute_agreement(docs, bootstrap=0)
    pair = report.pairs["A|B"]
    if pair.counts.n_a == 0:
        assert pair.strict_f1.value is None and report.alpha_u.value is None
        return
    assert pair.strict_f1.value == 1.0 and pair.relaxed_f1.value == 1.0
    assert pair.counts.only_in_a == pair.counts.only_in_b == pair.counts.label_conflict_a == 0
    assert report.alpha_u.value is None or report.alpha_u.value == pytest.approx(1.0)
    for row in report.documents:
        assert row.alpha_u.value is None or row.alpha_u.value == pytest.approx(1.0)
    assert pair.cohen_kappa_bio.value in (None, 1.0)


def _spans(docs, name):
    return [(d, a.start, a.end, a.label) for d, doc in enumerate(docs) for a in set(doc.annotations.get(name, ()))]


def _greedy(a_spans, b_spans) -> int:
    used, count = set(), 0
    for d, s, e, lab in sorted(a_spans):
        for j, (d2, s2, e2, lab2) in enumerate(sorted(b_spans)):
            if j not in used and d == d2 and lab == lab2 and s < e2 and s2 < e:
                used.add(j)
                count += 1
                break
    return count


def _maximum_matching(a_spans, b_spans) -> int:
    """Maximum bipartite matching by augmenting paths (slow and simple)."""
    edges = [
        [j for j, (d2, s2, e2, lab2) in enumerate(b_spans) if d == d2 and lab == lab2 and s < e2 and s2 < e]
        for d, s, e, lab in a_spans
    ]
    owner: dict[int, int] = {}

    def augment(i, seen):
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return sum(augment(i, set()) for i in range(len(a_spans)))


@FAST
@given(corpora())
def test_relaxed_matching_is_maximum_and_beats_greedy(docs):
    table = build_table(docs, ["A", "B"])
    pair = compare_pair(table, 0, 1)
    a, b = _spans(docs, "A"), _spans(docs, "B")
    best = _maximum_matching(a, b)
    assert pair.counts.relaxed_matched == best
    assert best >= _greedy(a, b) and best >= _greedy(b, a)
    strict = len(set(a) & set(b))
    assert pair.counts.strict_matched == strict


def test_optimal_matching_beats_greedy_on_a_chain():
    # Greedy pairs A[0,10) with B[0,4) and leaves A[5,8) alone; optimal pairs both.
    text = "x" * 20
    doc = Document(
        "d",
        text,
        {"A": [Annotation(0, 10, "X"), Annotation(5, 8, "X")], "B": [Annotation(0, 4, "X"), Annotation(6, 12, "X")]},
    )
    pair = compute_agreement([doc], bootstrap=0).pairs["A|B"]
    assert pair.counts.relaxed_matched == 2
    assert pair.relaxed_f1.value == 1.0


@FAST
@given(st.integers(1, 5), st.integers(1, 5), st.data())
def test_assignment_is_maximum_weight(n, m, data):
    w = [[data.draw(st.sampled_from([0.0, 0.5, 1.0, 1.25, 2.0, 3.5])) for _ in range(m)] for _ in range(n)]
    pairs = max_weight_assignment(w)
    assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})
    got = sum(w[i][j] for i, j in pairs)
    best = 0.0
    rows = range(n)
    for k in range(min(n, m) + 1):
        for chosen in itertools.combinations(rows, k):
            for cols in itertools.permutations(range(m), k):
                best = max(best, sum(w[i][j] for i, j in zip(chosen, cols)))
    assert got == pytest.approx(best)


def test_large_cluster_uses_the_vectorised_assignment():
    rng = np.random.default_rng(3)
    w = rng.integers(0, 5, size=(25, 30)).astype(float).tolist()
    pairs = max_weight_assignment(w)
    from workbench.core.agreement.assignment import _hungarian

    small = _hungarian(w, 25, 30)
    assert sum(w[i][j] for i, j in pairs) == pytest.approx(sum(w[i][j] for i, j in small if w[i][j] > 0))


# --- proclitics and tokens ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("longer", "shorter", "expected"),
    [
        ("وطرابلس", "طرابلس", True),
        ("بالموصل", "الموصل", True),
        ("الجيش", "جيش", True),
        ("وبالموصل", "موصل", True),
        ("سوريا", "ريا", False),
        ("في غزة", "غزة", False),
    ],
)
def test_proclitic_definition(longer, shorter, expected):
    text = "قال " + longer + " أمس"
    start = 4
    end = start + len(longer)
    assert differ_by_proclitic(text, start, end, end - len(shorter), end) is expected
    assert differ_by_proclitic(text, end - len(shorter), end, start, end) is expected


def test_trailing_difference_is_no_proclitic():
    text = "في طرابلس، أمس"
    assert not differ_by_proclitic(text, 3, 10, 3, 9)


@FAST
@given(st.text(alphabet="وفبلكاال" + "جشس ", min_size=0, max_size=8))
def test_vectorised_proclitic_check_matches_the_definition(prefix):
    cps = np.frombuffer(prefix.encode("utf-32-le"), dtype="<u4")
    for lo in range(len(prefix) + 1):
        for hi in range(lo, len(prefix) + 1):
            got = proclitic_prefix_mask(cps, np.array([lo]), np.array([hi]))[0]
            assert got == is_proclitic_prefix(prefix[lo:hi])


@FAST
@given(st.lists(st.text(alphabet="اب.،" + " \t\n\u00a0\u2003\u3000x", max_size=15), min_size=1, max_size=4))
def test_tokens_are_whitespace_runs(texts):
    docs = [Document(f"d{i}", t, {}) for i, t in enumerate(texts)]
    tokens = tokenize(build_table(docs, []))
    got = [(int(d), int(s), int(e)) for d, s, e in zip(tokens.doc, tokens.start, tokens.end)]
    want = [(i, m.start(), m.end()) for i, t in enumerate(texts) for m in re.finditer(r"\S+", t)]
    assert got == want


def test_whitespace_table_covers_every_code_point():
    assert max(c for c in range(0x110000) if chr(c).isspace()) < 0x3001


# --- α_U against a line-by-line port of DKPro's walk ---------------------------------------------


def _dkpro_alpha(units, n_raters, length):
    """DKPro KrippendorffAlphaUnitizingAgreement, walked position by position, in exact fractions.

    ``units``: (offset, length, rater, label), non-overlapping per rater and label.
    Returns (overall, {label: value}) with None where DKPro divides by zero.
    """
    units = sorted(units, key=lambda u: (u[0], u[1], u[2]))
    R, L = n_raters, length

    def walk(r, c):
        # The segments (offset, length, label or None) that rater r's units of c cut.
        segs, pos = [], 0
        for off, ln, rr, cc in units:
            if rr == r and cc == c:
                if off > pos:
                    segs.append((pos, off - pos, None))
                segs.append((off, ln, c))
                pos = off + ln
        if pos < L:
            segs.append((pos, L - pos, None))
        return segs

    def distance(o1, l1, c1, o2, l2, c2):
        b, d = o1 - o2, l1 - l2
        if c1 is not None and c2 is not None and -l1 < b < l2:
            return b * b + (b + d) ** 2
        if c1 is not None and c2 is None and -d >= b >= 0:
            return l1 * l1
        if c1 is None and c2 is not None and -d <= b <= 0:
            return l2 * l2
        return 0

    per, do_sum, de_sum = {}, Fraction(0), Fraction(0)
    for c in sorted({u[3] for u in units}):
        obs = 0
        for r1, r2 in itertools.combinations(range(R), 2):
            for s1 in walk(r1, c):
                for s2 in walk(r2, c):
                    if s1[0] < s2[0] + s2[1] and s2[0] < s1[0] + s1[1]:
                        obs += distance(*s1, *s2)
        do = Fraction(2 * obs, R * (R - 1) * L * L)
        mine = [u for u in units if u[3] == c]
        gaps = [s[1] for r in range(R) for s in walk(r, c) if s[2] is None]
        total = 0
        for u in mine:
            ln = u[1]
            total += Fraction((len(mine) - 1) * (2 * ln**3 - 3 * ln**2 + ln), 3)
            total += ln * ln * sum(g - ln + 1 for g in gaps if g >= ln)
        de = total * Fraction(2, L) / (R * L * (R * L - 1) - sum(u[1] * (u[1] - 1) for u in mine))
        per[c] = None if de == 0 else (0.0 if do == de else float(1 - do / de))
        do_sum += do
        de_sum += de
    if not per or de_sum == 0:
        return None, per
    return (0.0 if do_sum == de_sum else float(1 - do_sum / de_sum)), per


@FAST
@given(corpora(annotators=("A", "B", "C"), min_len=1))
def test_alpha_u_matches_dkpro_walk(docs):
    table = build_table(docs, ["A", "B", "C"])
    units = alpha_units(table)
    result = alpha_u(table, units=units)
    merged = [
        (int(s), int(e - s), int(r), table.labels[int(c)])
        for s, e, r, c in zip(units.gstart, units.gend, units.rater, units.label)
    ]
    overall, per = _dkpro_alpha(merged, 3, table.total_len)
    assert (result.pooled.value is None) == (overall is None)
    if overall is not None:
        assert result.pooled.value == pytest.approx(overall, abs=1e-9)
    for label, value in per.items():
        got = result.pooled_per_label[label].value
        assert (got is None) == (value is None)
        if value is not None:
            assert got == pytest.approx(value, abs=1e-9)
    for d in range(table.n_docs):
        here = units.doc == d
        doc_units = [
            (int(s), int(e - s), int(r), table.labels[int(c)])
            for s, e, r, c in zip(units.start[here], units.end[here], units.rater[here], units.label[here])
        ]
        overall, _ = _dkpro_alpha(doc_units, 3, int(table.doc_len[d]))
        got = result.per_document[d].value
        assert (got is None) == (overall is None)
        if overall is not None:
            assert got == pytest.approx(overall, abs=1e-9)


def test_overlapping_spans_of_one_annotator_are_merged_for_alpha_u():
    nested = [Annotation(0, 10, "X"), Annotation(5, 15, "X")]
    doc = Document("d", "x" * 30, {"A": nested, "B": [Annotation(0, 15, "X")]})
    assert compute_agreement([doc], bootstrap=0).alpha_u.value == pytest.approx(1.0)


# --- undefined figures ------------------------------------------------------------------------


def test_nothing_annotated_gives_reasons_not_numbers():
    docs = [Document("d1", "نص بلا وسوم", {"A": [], "B": []})]
    report = compute_agreement(docs, annotators=["A", "B"], labels=["ACTOR"], bootstrap=20)
    pair = report.pairs["A|B"]
    for score in (
        pair.strict_f1,
        pair.relaxed_f1,
        pair.strict_f1_per_label["ACTOR"],
        pair.cohen_kappa_bio,
        report.fleiss_kappa_bio,
        report.alpha_u,
        report.alpha_u_mean_over_docs,
        report.alpha_u_per_label["ACTOR"],
        report.documents[0].strict_f1,
        report.documents[0].alpha_u,
    ):
        assert score.value is None
        assert isinstance(score.reason, str) and score.reason
    assert pair.strict_f1.ci.low is None and pair.strict_f1.ci.reason
    data = json.loads(report.to_json())
    assert data["pairs"]["A|B"]["strict_f1"]["value"] is None


def test_one_annotator_has_no_pairs_and_no_alpha():
    docs = [Document("d1", "قال المتحدث", {"A": [Annotation(0, 3, "ACTOR")]})]
    report = compute_agreement(docs, bootstrap=0)
    assert report.pairs == {}
    assert report.alpha_u.value is None and report.alpha_u.reason
    assert report.fleiss_kappa_bio.value is None and report.fleiss_kappa_bio.reason


def test_empty_corpus():
    report = compute_agreement([], annotators=["A", "B"], bootstrap=10)
    assert report.pairs["A|B"].strict_f1.value is None
    assert report.alpha_u.value is None
    assert report.documents == []


@pytest.mark.parametrize(
    "span",
    [Annotation(-1, 2, "X"), Annotation(3, 3, "X"), Annotation(4, 2, "X"), Annotation(0, 99, "X")],
)
def test_spans_that_do_not_fit_are_refused(span):
    docs = [Document("d1", "قال المتحدث", {"A": [span], "B": []})]
    with pytest.raises(AgreementInputError, match="d1"):
        compute_agreement(docs, bootstrap=0)


def test_duplicate_document_is_refused():
    docs = [Document("d1", "نص", {}), Document("d1", "نص", {})]
    with pytest.raises(AgreementInputError, match="d1"):
        compute_agreement(docs, bootstrap=0)


# --- bootstrap --------------------------------------------------------------------------------


def _corpus(seed: int, n_docs: int = 8):
    rng = np.random.default_rng(seed)
    docs = []
    for d in range(n_docs):
        text = "ا" * int(rng.integers(20, 60))
        anns = {}
        for name in ("A", "B", "C"):
            spans = []
            for _ in range(int(rng.integers(0, 6))):
                s = int(rng.integers(0, len(text) - 1))
                end = int(min(len(text), s + rng.integers(1, 8)))
                spans.append(Annotation(s, end, LABELS[int(rng.integers(0, 3))]))
            anns[name] = spans
        docs.append(Document(f"d{d}", text, anns))
    return docs


def test_bootstrap_is_reproducible_with_a_seed():
    docs = _corpus(1)
    one = compute_agreement(docs, bootstrap=200, seed=7)
    two = compute_agreement(docs, bootstrap=200, seed=7)
    other = compute_agreement(docs, bootstrap=200, seed=8)
    assert one.to_dict() == two.to_dict()
    assert one.alpha_u.ci != other.alpha_u.ci or one.pairs["A|B"].strict_f1.ci != other.pairs["A|B"].strict_f1.ci
    ci = one.pairs["A|B"].relaxed_f1.ci
    assert ci.replicates > 0 and ci.low <= ci.high and ci.level == 0.95


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_resampled_alpha_u_equals_alpha_u_of_the_resampled_corpus(seed):
    """The bootstrap's shortcut gives exactly the pooled α_U of the drawn documents laid end to end."""
    docs = _corpus(seed, n_docs=int(np.random.default_rng(seed).integers(1, 6)))
    table = build_table(docs, ["A", "B", "C"])
    seq = np.random.default_rng(seed + 1).integers(0, len(docs), size=(3, len(docs)))
    values = AlphaUResampler(table).values(seq)
    for row, value in zip(seq, values):
        drawn = [Document(f"r{i}", docs[k].text, docs[k].annotations) for i, k in enumerate(row)]
        expected = alpha_u(build_table(drawn, ["A", "B", "C"])).pooled.value
        if expected is None:
            assert np.isnan(value)
        else:
            assert value == pytest.approx(expected, abs=1e-9)


def test_worst_documents_first():
    docs = _corpus(4)
    report = compute_agreement(docs, bootstrap=0)
    values = [row.alpha_u.value for row in report.worst_documents("alpha_u")]
    defined = [v for v in values if v is not None]
    assert defined == sorted(defined)
    assert values[: len(defined)] == defined
