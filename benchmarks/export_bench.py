"""Export at scale: documents with 50 gold spans each, in every format.

Each export runs in a fresh process (so peak memory, ``ru_maxrss``, is its own), several
times; prints medians. The baseline is a bare loop that reads the same documents and gold
spans from SQLite and writes the same JSON Lines rows, in the same run (its peak memory is
the memory baseline). ``--annotators 3`` builds a lead's project instead (three annotators
who finished every document, and gold: ``open_bench.build``), where the data card's
agreement figures cost something; ``--docs`` takes several sizes (``1000,3000``) to show
whether memory stays flat.

The data card's agreement figures are kept in the project (``core/store/card_cache.py``) until
what they read changes, so each format is measured twice: ``cold``, the first export after a
change (a status set and set back: the figures are computed), and ``warm``, the next one (read
back). ``cli_*`` lines time the whole command (``workbench-cli export``, start-up included,
with this checkout first on ``PYTHONPATH`` so that it runs the code the other lines measure)
against the baseline loop run as a script of its own. Each line also has its CPU time (user +
system, ``*_cpu_s``): on a machine other work shares, the wall time of a run depends on what else
ran, its CPU time much less.

    python benchmarks/export_bench.py [--docs 10000] [--spans 50] [--annotators 0] [--repeat 3]
                                      [--formats jsonl,hf] [--cli] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from _corpus import sample_paragraphs  # benchmarks/ is on sys.path when a benchmark runs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FORMATS = ("jsonl", "conll", "hf", "spacy")


def build(path: Path, docs: int, spans: int, seed: int = 5) -> None:
    import regex

    from workbench.core.store import documents
    from workbench.core.store.project import GOLD, Project, now
    from workbench.core.text.normalise import normalize

    rng = random.Random(seed)
    paragraphs = sample_paragraphs(80)
    project = Project.create(path, name="export-bench")
    stamp = now()
    labels = ["ACTOR", "LOCATION", "CASUALTY", "DATE"]
    with project.transaction() as db:
        rows = []
        for n in range(docs):
            parts, size, target = [f"تقرير {n}"], 0, rng.randint(2000, 5000)
            while size < target:
                parts.append(rng.choice(paragraphs))
                size += len(parts[-1].encode())
            text = normalize("\n\n".join(parts))
            doc_id = f"d{n:05d}"
            documents.insert(db, documents.NewDocument(text=text, id=doc_id))
            words = [m.span() for m in regex.finditer(r"[\p{L}\p{M}\p{N}]+", text)]
            for index in sorted(rng.sample(range(len(words) - 2), spans)):
                start, end = words[index][0], words[index + rng.randint(0, 1)][1]
                rows.append((uuid.uuid4().hex, doc_id, GOLD, start, end, rng.choice(labels), "{}", "", 0, stamp, stamp))
            db.execute(
                "INSERT INTO doc_status (doc_id, annotator, status, updated_at) VALUES (?, ?, 'done', ?)",
                [doc_id, GOLD, stamp],
            )
        db.conn.executemany(
            'INSERT INTO spans (id, doc_id, annotator, start, "end", label, attributes, note, unsure,'
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    project.close()


def baseline(path: Path, out: Path) -> float:
    """Read documents and gold spans from SQLite and write the same JSON Lines rows."""
    start = time.perf_counter()
    conn = sqlite3.connect(str(path))
    spans: dict[str, list] = {}
    for doc_id, s, e, label in conn.execute(
        "SELECT doc_id, start, \"end\", label FROM spans WHERE annotator = 'gold' ORDER BY doc_id, start"
    ):
        spans.setdefault(doc_id, []).append((s, e, label))
    with open(out / "baseline.jsonl", "w", encoding="utf-8") as handle:
        for doc_id, text in conn.execute("SELECT id, text FROM documents ORDER BY rowid"):
            row = {
                "id": doc_id,
                "text": text,
                "spans": [
                    {"start": s, "end": e, "label": lab, "text": text[s:e]} for s, e, lab in spans.get(doc_id, [])
                ],
            }
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    conn.close()
    return time.perf_counter() - start


def touch(path: Path) -> None:
    """A change the figures read (a document's status set and set back): the next export computes them."""
    from workbench.core.store import status
    from workbench.core.store.project import Project

    with Project.open(path, check=False) as project:
        doc_id = project.db.execute("SELECT doc_id FROM doc_status ORDER BY rowid LIMIT 1").fetchone()[0]
        for state in (status.IN_PROGRESS, status.DONE):
            with project.transaction() as db:
                status.set_status(db, doc_id, "gold", state, "bench")


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def child(kind: str, path: Path, out: Path) -> dict:
    if kind == "baseline":
        cpu = cpu_seconds()
        seconds = baseline(path, out)
        return {"seconds": seconds, "cpu_seconds": cpu_seconds() - cpu}
    from workbench.core.export import ExportOptions, export
    from workbench.core.store.project import Project

    with Project.open(path) as project:
        start, cpu = time.perf_counter(), cpu_seconds()
        report = export(project, ExportOptions(format=kind, source="gold", split=(80, 10, 10)), out / kind)
        elapsed, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    return {
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "documents": sum(report.documents.values()),
        "figures": report.agreement,
    }


def run_cli(kind: str, path: Path, out: Path) -> dict:
    """The whole command, or the baseline as a script, timed from outside (start-up included)."""
    target = out / f"cli-{kind}-{time.monotonic_ns()}"
    target.mkdir()
    if kind == "baseline":
        argv = [sys.executable, __file__, "--child", "baseline", str(path), str(target)]
    else:
        cli = Path(sys.executable).with_name("workbench-cli")
        argv = [str(cli), "--db", str(path), "export", "--format", kind, "-o", str(target / kind)]
    # the code of this checkout, as the in-process runs use (the installed command would
    # otherwise import whichever copy the environment points at: an editable install's)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    start, cpu = time.perf_counter(), cpu_seconds(resource.RUSAGE_CHILDREN)
    result = subprocess.run(argv, capture_output=True, text=True, env=env)
    elapsed, cpu = time.perf_counter() - start, cpu_seconds(resource.RUSAGE_CHILDREN) - cpu
    if result.returncode:
        raise SystemExit(f"cli {kind} failed:\n{result.stderr[-3000:]}")
    shutil.rmtree(target, ignore_errors=True)
    return {"seconds": elapsed, "cpu_seconds": cpu, "stderr": result.stderr.strip()}


def run(kind: str, path: Path, out: Path) -> dict:
    target = out / f"{kind}-{time.monotonic_ns()}"
    target.mkdir()
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path), str(target)], capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"{kind} failed:\n{result.stderr[-3000:]}")
    shutil.rmtree(target, ignore_errors=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", default="10000", help="document counts, comma-separated")
    parser.add_argument("--spans", type=int, default=50)
    parser.add_argument("--annotators", type=int, default=0, help="annotators besides gold (0: gold only)")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--cli", action="store_true", help="also time the whole jsonl command against the baseline script"
    )
    parser.add_argument("--keep", type=Path, help="build the projects here once and reuse them")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, path, out = args.child
        result = child(kind, Path(path), Path(out))
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    formats = tuple(args.formats.split(","))
    for docs in (int(n) for n in args.docs.split(",")):
        measure(docs, args.spans, args.annotators, args.repeat, formats, args.cli, args.keep)


def measure(
    docs: int, spans: int, annotators: int, repeat: int, formats: tuple[str, ...], cli: bool, keep: Path | None
) -> None:
    with tempfile.TemporaryDirectory(prefix="export-bench-") as tmp:
        folder = Path(tmp)
        path = (keep or folder) / f"bench-{docs}-{spans}-{annotators}.wbproj"
        start = time.perf_counter()
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            if annotators:
                from open_bench import build as build_team

                build_team(path, docs, spans, annotators)
            else:
                build(path, docs, spans)
        print(f"setup_s: {time.perf_counter() - start:.1f} s")
        results: dict[str, list[dict]] = {"baseline": []}
        for _ in range(repeat):
            results["baseline"].append(run("baseline", path, folder))
            for kind in formats:  # interleaved: noise hits all alike
                touch(path)
                results.setdefault(f"{kind}_cold", []).append(run(kind, path, folder))
                results.setdefault(f"{kind}_warm", []).append(run(kind, path, folder))
            if cli:
                results.setdefault("cli_baseline", []).append(run_cli("baseline", path, folder))
                results.setdefault("cli_jsonl_warm", []).append(run_cli("jsonl", path, folder))
    med = {kind: statistics.median(r["seconds"] for r in rows) for kind, rows in results.items()}
    cpu = {kind: statistics.median(r["cpu_seconds"] for r in rows) for kind, rows in results.items()}
    rss = {kind: statistics.median(r.get("peak_rss_mb", 0) for r in rows) for kind, rows in results.items()}
    print(f"documents: {docs} docs, annotators: {annotators} + gold")
    print(f"gold_spans: {docs * spans} spans")
    print(f"baseline_jsonl_s: {med['baseline']:.2f} s")
    print(f"baseline_jsonl_cpu_s: {cpu['baseline']:.2f} s")
    print(f"baseline_peak_rss_mb: {rss['baseline']:.0f} MB")
    for kind in formats:
        for when in ("cold", "warm"):
            key = f"{kind}_{when}"
            print(f"export_{key}_s: {med[key]:.2f} s ({med[key] / med['baseline']:.2f} x baseline)")
            print(f"export_{key}_cpu_s: {cpu[key]:.2f} s ({cpu[key] / cpu['baseline']:.2f} x baseline)")
            print(f"export_{key}_peak_rss_mb: {rss[key]:.0f} MB ({rss[key] / rss['baseline']:.2f} x baseline)")
        figures = [r["figures"] for r in results[f"{kind}_cold"] + results[f"{kind}_warm"]]
        cached = sum(bool(f.get("from_cache")) for f in figures)
        computed = statistics.median([f["seconds"] for f in figures if f and not f.get("from_cache")] or [0])
        print(
            f"card_figures_{kind}: computed {len(figures) - cached} x (median {computed:.1f} s), read back {cached} x"
        )
    if cli:
        print(f"cli_baseline_script_s: {med['cli_baseline']:.2f} s")
        ratio = med["cli_jsonl_warm"] / med["cli_baseline"]
        print(f"cli_export_jsonl_warm_s: {med['cli_jsonl_warm']:.2f} s ({ratio:.2f} x baseline script)")
        print(f"cli_baseline_script_cpu_s: {cpu['cli_baseline']:.2f} s")
        ratio = cpu["cli_jsonl_warm"] / cpu["cli_baseline"]
        print(f"cli_export_jsonl_warm_cpu_s: {cpu['cli_jsonl_warm']:.2f} s ({ratio:.2f} x baseline script)")
    print(f"runs: {repeat} x")


if __name__ == "__main__":
    main()
