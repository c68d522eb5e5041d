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

The lead's project (``--lead``, issue 16): ``workbench-cli agreement --format json`` (default
bootstrap) on projects of 1,000, 3,000 and 10,000 documents, each with 3 annotators and gold
of 50 spans each, all done (built by ``open_bench.build``), each run a fresh child process
whose peak memory (``ru_maxrss`` of the command, through ``RUSAGE_CHILDREN`` of a process
started for it alone) and time are printed beside a baseline measured in the same run: a
python+sqlite3 script reading the same texts and spans (``lead_<docs>_*``). The growth of the
peak from the smallest to the largest project, per 1,000 documents, shows whether memory is
flat. ``--code DIR`` runs another checkout's code (e.g. ``git worktree add /tmp/old HEAD``)
on the same projects, for before/after figures, and says whether its JSON is the same.

    python benchmarks/agreement_bench.py [--docs 10000] [--repeat 3] [--bootstrap 1000]
    python benchmarks/agreement_bench.py --lead 1000,3000,10000 [--repeat 3] [--code /tmp/old]
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import re
import resource
import shutil
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


# ----------------------------------------------------------------------------- the lead's project

LEAD_RUNNER = (
    "import sys; from workbench.cli import main; "
    "sys.argv = ['workbench-cli', '--db', sys.argv[1], 'agreement', '--format', 'json', '-o', sys.argv[2]]; main()"
)


def measure(code: str, project: str, out: str) -> dict:
    """Run the agreement command (``code``'s checkout) as this process's only child."""
    env = dict(__import__("os").environ, PYTHONPATH=code, WORKBENCH_BIDI="logical")
    start = time.perf_counter()
    # (run in the checkout: ``python -c`` puts the working directory first on the path)
    subprocess.run(
        [sys.executable, "-c", LEAD_RUNNER, project, out], env=env, check=True, capture_output=True, cwd=code
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak}


def baseline(project: str) -> dict:
    """The least the command must do: read every compared text and span once, python+sqlite3."""
    import sqlite3

    start = time.perf_counter()
    conn = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
    spans = chars = 0
    done = "SELECT DISTINCT doc_id FROM doc_status WHERE status = 'done'"
    for (text,) in conn.execute(f"SELECT text FROM documents WHERE id IN ({done}) ORDER BY id"):
        chars += len(text)
    for _ in conn.execute(f'SELECT doc_id, annotator, start, "end", label FROM spans WHERE doc_id IN ({done})'):
        spans += 1
    conn.close()
    return {"seconds": time.perf_counter() - start, "peak_mb": rss_mb(), "spans": spans, "chars": chars}


def run_measure(kind: str, code: str, project: Path, out: Path) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--measure", kind, code, str(project), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def same_json(a, b) -> bool:
    """Equal, floats to 1e-9."""
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    return a == b


def lead(sizes: list[int], repeat: int, code: str | None) -> None:
    from open_bench import build as build_lead

    loadavg = __import__("os").getloadavg()
    print(f"machine_load_1min: {loadavg[0]:.2f} processes")
    peaks: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="agreement-lead-") as tmp:
        for size in sizes:
            path = Path(tmp) / f"lead-{size}.wbproj"
            started = time.perf_counter()
            if code:  # built by the other checkout (an older schema), then a copy of it for this one
                old_path = Path(tmp) / f"lead-{size}-old.wbproj"
                builder = (
                    f"import sys; sys.path[:0] = [{code!r}, {code + '/benchmarks'!r}]; from open_bench import build; "
                )
                builder += f"from pathlib import Path; build(Path({str(old_path)!r}), {size}, {SPANS_PER_DOC}, {len(ANNOTATORS)})"
                subprocess.run([sys.executable, "-c", builder], check=True, cwd=code)
                shutil.copyfile(old_path, path)
                upgrade = (
                    "import sys; from workbench.core.store.project import Project; Project.open(sys.argv[1]).close()"
                )
                subprocess.run([sys.executable, "-c", upgrade, str(path)], check=True, cwd=ROOT)  # (not timed)
            else:
                build_lead(path, size, SPANS_PER_DOC, len(ANNOTATORS))
            print(f"lead_{size}_build_s: {time.perf_counter() - started:.1f} s")
            runs: dict[str, list[dict]] = {"new": [], "old": [], "baseline": []}
            for _ in range(repeat):  # interleaved, so machine noise hits all alike
                runs["baseline"].append(run_measure("baseline", str(ROOT), path, Path(tmp) / "none"))
                runs["new"].append(run_measure("cli", str(ROOT), path, Path(tmp) / "new.json"))
                if code:
                    runs["old"].append(run_measure("cli", code, old_path, Path(tmp) / "old.json"))

            def med(kind: str, key: str, runs: dict[str, list[dict]] = runs) -> float:
                return statistics.median(r[key] for r in runs[kind])

            base_s = med("baseline", "seconds")
            print(f"lead_{size}_spans: {runs['baseline'][0]['spans']} spans")
            print(f"lead_{size}_baseline_s: {base_s:.2f} s")
            print(f"lead_{size}_baseline_peak_mb: {med('baseline', 'peak_mb'):.0f} MB")
            print(f"lead_{size}_agreement_s: {med('new', 'seconds'):.2f} s")
            print(f"lead_{size}_agreement_ratio: {med('new', 'seconds') / base_s:.1f} x")
            print(f"lead_{size}_agreement_peak_mb: {med('new', 'peak_mb'):.0f} MB")
            peaks[size] = med("new", "peak_mb")
            if code:
                print(f"lead_{size}_old_agreement_s: {med('old', 'seconds'):.2f} s")
                print(f"lead_{size}_old_agreement_peak_mb: {med('old', 'peak_mb'):.0f} MB")
                new = json.loads((Path(tmp) / "new.json").read_text(encoding="utf-8"))
                old = json.loads((Path(tmp) / "old.json").read_text(encoding="utf-8"))
                print(f"lead_{size}_same_json_as_old: {int(same_json(new, old))} bool")
            path.unlink()
            if code:
                old_path.unlink()
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        growth = (peaks[large] - peaks[small]) / (large - small) * 1000
        print(f"lead_peak_growth_per_1000_docs: {growth:.1f} MB")
    print(f"lead_runs: {repeat} x")


# ----------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--child", nargs=3, metavar=("KIND", "DATA", "REPLICATES"), help=argparse.SUPPRESS)
    parser.add_argument("--lead", help="document counts of lead projects, e.g. 1000,3000,10000 (only those)")
    parser.add_argument("--code", help="with --lead: another checkout whose code to measure as well")
    parser.add_argument("--measure", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        kind, code, project, out = args.measure
        print(json.dumps(measure(code, project, out) if kind == "cli" else baseline(project)))
        return
    if args.lead:
        lead([int(n) for n in args.lead.split(",")], args.repeat, args.code)
        return
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
