"""Agreement speed and memory: 3 annotators × 10,000 documents × about 50 spans each.

Documents of 2-5 KB are made from the sample corpus paragraphs; a seeded "truth" of
about 50 word-aligned spans per document is copied by each annotator with seeded
noise (misses, label flips, boundary shifts, a leading proclitic left out, extra
spans). Each measurement runs in a fresh child process, ``--repeat`` times
(interleaved), and the medians are printed, one figure per line as
``name: value unit``:

- ``build_table_s``, ``span_f1_all_pairs_s`` (strict and relaxed F1, counts and
  confusion of every pair, :func:`.span_f1.compare_pair`), ``alpha_u_s`` (units and
  pooled, per-label and per-document α_U, :func:`.alpha_u.alpha_u`), and their sum
  ``f1_and_alpha_u_s`` — the targeted figure (≤ 10 s);
- ``compute_agreement_no_bootstrap_s`` and ``compute_agreement_bootstrap_<n>_s``
  (everything, kappas included);
- ``peak_rss_*_mb``: the child's maximum resident set size (``ru_maxrss``), with the
  data alone (``data_rss_mb``) for scale;
- the HTML report of the whole corpus: render time and size.

Reference figures (from the issue, same input, this machine) are printed as
constants, with our time divided by theirs (``ratio_to_*``: below 1 is faster).

    python benchmarks/agreement_bench.py [--docs 10000] [--repeat 3] [--bootstrap 1000]
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _corpus import sample_paragraphs  # benchmarks/ is on sys.path when a benchmark runs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ANNOTATORS = ("ann1", "ann2", "ann3")
LABELS = ("ACTOR", "LOCATION", "CASUALTY", "DATE")
SPANS_PER_DOC = 50
PROCLITICS = "وبلفك"

# Reference timings from the issue, on this input and this machine (seconds).
DKPRO_ALPHA_U_S = 32.0  # DKPro Statistics (Java) α_U alone
NERVALUATE_S = 74.0  # nervaluate, span F1 of all pairs
SEQEVAL_S = 75.0  # seqeval, span F1 of all pairs

WORD = re.compile(r"\S+")


# ----------------------------------------------------------------------------- data


def make_documents(count: int, seed: int = 11) -> list[tuple[str, str, dict[str, list[tuple[int, int, str]]]]]:
    """(doc_id, text, {annotator: [(start, end, label), ...]}) for ``count`` documents, reproducibly."""
    paragraphs = sample_paragraphs(40)
    rng = random.Random(seed)
    docs = []
    for number in range(count):
        target = rng.randint(2048, 5120)
        parts = [f"تقرير رقم {number}"]
        size = len(parts[0].encode())
        while size < target:
            paragraph = rng.choice(paragraphs)
            parts.append(paragraph)
            size += len(paragraph.encode()) + 2
        text = "\n\n".join(parts).encode("utf-8")[:target].decode("utf-8", errors="ignore")
        words = [m.span() for m in WORD.finditer(text)]
        truth = _truth(words, rng)
        annotations = {name: _noisy(truth, words, text, rng) for name in ANNOTATORS}
        docs.append((f"doc{number:06d}", text, annotations))
    return docs


def _truth(words: list[tuple[int, int]], rng: random.Random) -> list[tuple[int, int, str]]:
    """About SPANS_PER_DOC non-overlapping spans of 1-3 whole words."""
    n = min(SPANS_PER_DOC, len(words))
    starts = sorted(rng.sample(range(len(words)), n))
    out = []
    for k, i in enumerate(starts):
        limit = (starts[k + 1] if k + 1 < n else len(words)) - i
        length = min(rng.choice((1, 1, 1, 2, 2, 3)), limit)
        out.append((words[i][0], words[i + length - 1][1], rng.choice(LABELS)))
    return out


def _noisy(truth, words, text, rng: random.Random) -> list[tuple[int, int, str]]:
    """One annotator's copy of the truth: ~6% missed, 6% relabelled, 8% shifted, proclitics, extras."""
    out = []
    for s, e, label in truth:
        roll = rng.random()
        if roll < 0.06:
            continue
        if roll < 0.12:
            label = rng.choice([x for x in LABELS if x != label])
        elif roll < 0.20:
            shift = rng.choice((-2, -1, 1, 2))
            if rng.random() < 0.5:
                s = min(max(0, s + shift), e - 1)
            else:
                e = max(min(len(text), e + shift), s + 1)
        elif roll < 0.26 and e - s > 2 and text[s] in PROCLITICS:
            s += 1  # the proclitic left out of the span
        out.append((s, e, label))
    for _ in range(rng.choice((0, 1, 2, 3, 4))):
        ws, we = rng.choice(words)
        out.append((ws, we, rng.choice(LABELS)))
    return out


def load_documents(path: Path):
    from workbench.core.agreement import Annotation, Document

    with path.open("rb") as fh:
        raw = pickle.load(fh)
    return [
        Document(doc_id, text, {name: [Annotation(s, e, lab) for s, e, lab in spans] for name, spans in anns.items()})
        for doc_id, text, anns in raw
    ]


# ----------------------------------------------------------------------------- children


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def child(kind: str, data: Path, replicates: int) -> dict:
    documents = load_documents(data)
    result: dict = {"data_rss_mb": rss_mb()}
    if kind == "steps":
        from itertools import combinations

        from workbench.core.agreement.alpha_u import alpha_u, alpha_units
        from workbench.core.agreement.span_f1 import compare_pair
        from workbench.core.agreement.table import build_table

        t0 = time.perf_counter()
        table = build_table(documents, ANNOTATORS, LABELS)
        t1 = time.perf_counter()
        pairs = [compare_pair(table, a, b, True) for a, b in combinations(range(len(ANNOTATORS)), 2)]
        t2 = time.perf_counter()
        alpha = alpha_u(table, True, alpha_units(table))
        t3 = time.perf_counter()
        result.update(
            build_table_s=t1 - t0,
            span_f1_all_pairs_s=t2 - t1,
            alpha_u_s=t3 - t2,
            f1_and_alpha_u_s=t3 - t0,
            alpha_u=alpha.pooled.value,
            strict_f1={p.name: p.strict_f1.value for p in pairs},
            relaxed_f1={p.name: p.relaxed_f1.value for p in pairs},
        )
    else:
        from workbench.core.agreement import compute_agreement

        t0 = time.perf_counter()
        report = compute_agreement(documents, ANNOTATORS, LABELS, bootstrap=replicates, seed=0)
        result["seconds"] = time.perf_counter() - t0
        result["alpha_u"] = report.alpha_u.value
        if kind == "full0":
            from workbench.core.agreement.html_report import render_html

            t0 = time.perf_counter()
            page = render_html(report, title="benchmark", generated_at="-")
            result["html_s"] = time.perf_counter() - t0
            result["html_mb"] = len(page.encode("utf-8")) / 1e6
    result["peak_rss_mb"] = rss_mb()
    return result


def run_child(kind: str, data: Path, replicates: int = 0) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(data), str(replicates)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


# ----------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--child", nargs=3, metavar=("KIND", "DATA", "REPLICATES"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        kind, data, replicates = args.child
        print(json.dumps(child(kind, Path(data), int(replicates))))
        return

    t0 = time.perf_counter()
    raw = make_documents(args.docs)
    gen_s = time.perf_counter() - t0
    n_spans = sum(len(spans) for _, _, anns in raw for spans in anns.values())
    n_chars = sum(len(text) for _, text, _ in raw)
    n_bytes = sum(len(text.encode("utf-8")) for _, text, _ in raw)

    with tempfile.TemporaryDirectory(prefix="agreement-bench-") as tmp:
        data = Path(tmp) / "docs.pickle"
        with data.open("wb") as fh:
            pickle.dump(raw, fh, protocol=pickle.HIGHEST_PROTOCOL)
        del raw
        steps, full0, full_b = [], [], []
        for _ in range(args.repeat):  # interleaved, so machine noise hits all alike
            steps.append(run_child("steps", data))
            full0.append(run_child("full0", data))
            full_b.append(run_child("full", data, args.bootstrap))

    def med(runs: list[dict], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    f1_s, alpha_s = med(steps, "span_f1_all_pairs_s"), med(steps, "alpha_u_s")
    total_s = med(steps, "f1_and_alpha_u_s")
    assert all(r["alpha_u"] == steps[0]["alpha_u"] for r in steps + full0 + full_b)

    print(f"documents: {args.docs} docs")
    print(f"annotators: {len(ANNOTATORS)} x")
    print(f"spans: {n_spans} spans")
    print(f"spans_per_doc_per_annotator: {n_spans / args.docs / len(ANNOTATORS):.1f} spans")
    print(f"text_chars: {n_chars} chars")
    print(f"text_mb: {n_bytes / 1e6:.1f} MB")
    print(f"data_generation_s: {gen_s:.1f} s")
    print(f"alpha_u_pooled: {steps[0]['alpha_u']:.4f} value")
    for name, value in steps[0]["strict_f1"].items():
        print(f"strict_f1_{name.replace('|', '_')}: {value:.4f} value")
    for name, value in steps[0]["relaxed_f1"].items():
        print(f"relaxed_f1_{name.replace('|', '_')}: {value:.4f} value")
    print(f"build_table_s: {med(steps, 'build_table_s'):.3f} s")
    print(f"span_f1_all_pairs_s: {f1_s:.3f} s")
    print(f"alpha_u_s: {alpha_s:.3f} s")
    print(f"f1_and_alpha_u_s: {total_s:.3f} s")
    print(f"f1_and_alpha_u_target_s: 10 s ({'met' if total_s <= 10 else 'NOT met'})")
    print(f"compute_agreement_no_bootstrap_s: {med(full0, 'seconds'):.3f} s")
    print(f"compute_agreement_bootstrap_{args.bootstrap}_s: {med(full_b, 'seconds'):.3f} s")
    print(f"html_report_render_s: {med(full0, 'html_s'):.3f} s")
    print(f"html_report_size_mb: {med(full0, 'html_mb'):.1f} MB")
    print(f"data_rss_mb: {med(steps, 'data_rss_mb'):.0f} MB")
    print(f"peak_rss_f1_and_alpha_u_mb: {med(steps, 'peak_rss_mb'):.0f} MB")
    print(f"peak_rss_no_bootstrap_mb: {med(full0, 'peak_rss_mb'):.0f} MB")
    print(f"peak_rss_bootstrap_{args.bootstrap}_mb: {med(full_b, 'peak_rss_mb'):.0f} MB")
    print(f"reference_dkpro_alpha_u_s: {DKPRO_ALPHA_U_S:.0f} s")
    print(f"reference_nervaluate_s: {NERVALUATE_S:.0f} s")
    print(f"reference_seqeval_s: {SEQEVAL_S:.0f} s")
    print(f"ratio_to_dkpro: {alpha_s / DKPRO_ALPHA_U_S:.4g} x")
    print(f"ratio_to_nervaluate: {f1_s / NERVALUATE_S:.4g} x")
    print(f"ratio_to_seqeval: {f1_s / SEQEVAL_S:.4g} x")
    print(f"runs: {args.repeat} x")


if __name__ == "__main__":
    main()
