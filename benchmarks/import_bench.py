"""Import speed and memory: 10,000 articles of 2-5 KB made from the sample paragraphs.

Compares ``workbench.core.importer.import_paths`` with a bare baseline (a
Python ``sqlite3`` loop that reads the same files, decodes them as UTF-8 and
inserts text and SHA-256 in one transaction), each run in a fresh process on a
fresh database, several times; prints medians. Peak memory is the child
process's maximum resident set size, measured at 1,000 and 10,000 documents to
show it does not grow with the corpus.

    python benchmarks/import_bench.py [--docs 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _corpus import sample_paragraphs  # benchmarks/ is on sys.path when a benchmark runs

ROOT = Path(__file__).resolve().parents[1]


def make_corpus(folder: Path, count: int, seed: int = 7) -> None:
    paragraphs = sample_paragraphs(40)
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        target = rng.randint(2048, 5120)
        parts = [f"تقرير رقم {number}"]
        size = len(parts[0].encode())
        while size < target:
            paragraph = rng.choice(paragraphs)
            parts.append(paragraph)
            size += len(paragraph.encode()) + 2
        data = "\n\n".join(parts).encode("utf-8")[:target]
        data = data.decode("utf-8", errors="ignore").encode("utf-8")  # never cut a letter in half
        (folder / f"doc{number:06d}.txt").write_bytes(data)


def child_baseline(folder: Path, db_path: Path) -> dict:
    conn = sqlite3.connect(str(db_path))
    conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, text TEXT, sha256 TEXT)")
    conn.commit()
    start = time.perf_counter()
    with conn:
        for path in sorted(folder.glob("*.txt")):
            text = path.read_bytes().decode("utf-8")
            conn.execute(
                "INSERT INTO documents (text, sha256) VALUES (?, ?)",
                (text, hashlib.sha256(text.encode("utf-8")).hexdigest()),
            )
    elapsed = time.perf_counter() - start
    conn.close()
    return {"seconds": elapsed}


def child_workbench(folder: Path, db_path: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    from workbench.core.importer import import_paths
    from workbench.core.store.project import Project

    project = Project.create(db_path)
    start = time.perf_counter()
    report = import_paths(project, [folder])
    elapsed = time.perf_counter() - start
    project.close()
    assert report.ok, report.refused[:3]
    return {"seconds": elapsed, "imported": len(report.imported)}


def run_child(kind: str, folder: Path, scratch: Path) -> dict:
    db_path = scratch / f"{kind}-{time.monotonic_ns()}.sqlite"
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(folder), str(db_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", nargs=3, metavar=("KIND", "FOLDER", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        kind, folder, db_path = args.child
        result = (child_baseline if kind == "baseline" else child_workbench)(Path(folder), Path(db_path))
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return

    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        scratch = Path(tmp)
        big, small = scratch / "big", scratch / "small"
        make_corpus(big, args.docs)
        make_corpus(small, max(args.docs // 10, 1))
        total_mb = sum(p.stat().st_size for p in big.glob("*.txt")) / 1e6

        ours, base = [], []
        for _ in range(args.repeat):  # interleaved, so machine noise hits both alike
            base.append(run_child("baseline", big, scratch))
            ours.append(run_child("workbench", big, scratch))
        small_runs = [run_child("workbench", small, scratch) for _ in range(3)]

    assert all(r["imported"] == args.docs for r in ours)
    ours_s = statistics.median(r["seconds"] for r in ours)
    base_s = statistics.median(r["seconds"] for r in base)
    rss_big = statistics.median(r["peak_rss_mb"] for r in ours)
    rss_small = statistics.median(r["peak_rss_mb"] for r in small_runs)
    label = f"{args.docs // 1000}k" if args.docs % 1000 == 0 else str(args.docs)
    print(f"corpus_mb: {total_mb:.1f} MB")
    print(f"import_{label}_docs_s: {ours_s:.3f} s")
    print(f"import_docs_per_s: {args.docs / ours_s:.0f} docs/s")
    print(f"baseline_{label}_docs_s: {base_s:.3f} s")
    print(f"ratio_to_baseline: {ours_s / base_s:.2f} x")
    print(f"peak_rss_{label}_docs_mb: {rss_big:.1f} MB")
    print(f"peak_rss_{max(args.docs // 10, 1)}_docs_mb: {rss_small:.1f} MB")
    print(f"peak_rss_growth_mb: {rss_big - rss_small:.1f} MB")
    print(f"baseline_peak_rss_mb: {statistics.median(r['peak_rss_mb'] for r in base):.1f} MB")
    print(f"runs: {args.repeat} x")


if __name__ == "__main__":
    main()
