"""The command line on a real project: start-up and ``docs --json`` against plain scripts.

The project: ``--docs`` documents (2-5 KB) with three annotators' layers and gold on every
one (about 50 spans each, all done), imported and annotated as a lead does
(``benchmarks/_corpus.py``), with the extras installed ([spacy,hf]: pandas, numpy).
Each figure is the median of ``--repeat`` fresh processes, interleaved with its baseline:

- ``startup_s``: ``python -c "import workbench.cli.app"`` vs ``python -c "import sqlite3"``;
- ``sqlite_utils_import_s``: what importing sqlite-utils costs with pandas visible (as
  before issue 16) and with it hidden (as ``core/store/project.py`` imports it now);
- ``docs_json_s``: ``workbench-cli --db P docs --json`` vs a python+sqlite3 script printing
  the same JSON (the same query, ``json.dumps(indent=2)``); the outputs are checked equal.

    python benchmarks/cli_bench.py [--docs 10000] [--repeat 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _corpus  # benchmarks/ is on sys.path when a benchmark runs

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-c", "from workbench.cli.app import main; main()"]

PLAIN_DOCS = r"""
import json, sqlite3, sys
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
rows = conn.execute(
    "SELECT d.id, d.title, d.chars, d.sha256, COALESCE(s.status, 'not-started') FROM documents d"
    " LEFT JOIN doc_status s ON s.doc_id = d.id AND s.annotator = ? ORDER BY d.rowid",
    [sys.argv[2]],
)
keys = ("id", "title", "chars", "sha256", "status")
print(json.dumps([dict(zip(keys, row)) for row in rows], ensure_ascii=False, indent=2))
"""

QUIET_SQLITE_UTILS = "import sys; sys.modules['pandas'] = None; sys.modules['numpy'] = None; import sqlite_utils"


def timed(command: list[str]) -> tuple[float, bytes]:
    start = time.perf_counter()
    out = subprocess.run(command, capture_output=True, check=True).stdout
    return time.perf_counter() - start, out


def median_pair(repeat: int, ours: list[str], baseline: list[str]) -> tuple[float, float, bytes, bytes]:
    a, b = [], []
    out_a = out_b = b""
    for _ in range(repeat):
        t, out_a = timed(ours)
        a.append(t)
        t, out_b = timed(baseline)
        b.append(t)
    return statistics.median(a), statistics.median(b), out_a, out_b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the project here (reused if it is there)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    folder = args.keep or Path(tempfile.mkdtemp(prefix="cli-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    project = folder / "lead.wbproj"
    try:
        if not project.exists():
            from workbench.core.importer import import_paths
            from workbench.core.store.project import Project

            _corpus.write_jsonl(folder / "docs.jsonl", args.docs)
            with Project.create(project) as lead:
                import_paths(lead, [folder / "docs.jsonl"])
            _corpus.annotate(project, args.docs)

        py = sys.executable
        ours, base, _, _ = median_pair(
            args.repeat, [py, "-c", "import workbench.cli.app"], [py, "-c", "import sqlite3"]
        )
        print(f"startup_s: {ours:.3f} s")
        print(f"startup_baseline_s: {base:.3f} s")
        print(f"startup_ratio: {ours / base:.2f} x")
        loud, quiet, _, _ = median_pair(args.repeat, [py, "-c", "import sqlite_utils"], [py, "-c", QUIET_SQLITE_UTILS])
        print(f"sqlite_utils_import_with_pandas_s: {loud:.3f} s")
        print(f"sqlite_utils_import_quiet_s: {quiet:.3f} s")
        print(f"sqlite_utils_import_saved_s: {loud - quiet:.3f} s")

        command = [*CLI, "--db", str(project), "docs", "--json", "--annotator", "ann1"]
        plain = [py, "-c", PLAIN_DOCS, str(project), "ann1"]
        ours, base, out_ours, out_plain = median_pair(args.repeat, command, plain)
        assert out_ours == out_plain, "docs --json and the plain script printed different output"
        print(f"docs: {args.docs} docs")
        print(f"docs_json_output_mb: {len(out_ours) / 1e6:.1f} MB")
        print(f"docs_json_s: {ours:.3f} s")
        print(f"docs_json_baseline_s: {base:.3f} s")
        print(f"docs_json_ratio: {ours / base:.2f} x")
        print(f"runs: {args.repeat} x")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
