"""Where one machine ends: projects of growing size, each cost measured against a baseline.

For each size (``--sizes``, documents of 2-5 KB made from the sample paragraphs) a lead's
project is built the way a lead builds one (the JSONL imported through the importer), and an
annotated subset (``--annotated``, default a tenth) gets three annotators' layers and gold,
about 50 spans each, all marked done. Then each step runs in a child process of its own
(``--repeat`` times, medians; one run for sizes over 100,000), with its peak memory (the
child's ``VmHWM``), beside a baseline measured in the same run: a plain python+sqlite3 (or
zipfile) script doing the least the same step must do:

- ``import``: the JSONL through ``importer.import_paths`` (dedup, checks, the search index)
  vs inserting the same ``(id, text)`` rows into a bare SQLite table;
- ``file_mb``: the project file's size;
- ``doc_list``: opening the project as the window does (without the damage check, which the
  window runs on a worker after its first paint) and reading the first page of the document
  list with its count, vs the same SELECT on a bare connection;
- ``damage_check``: that check (``Project.quick_check``) vs ``PRAGMA quick_check`` on a bare
  connection;
- ``search_*``: corpus search (``core/search.py``: the trigram index, then the folded check)
  for a common word, a rare phrase, an absent phrase and a two-letter query, vs a raw
  ``instr()`` scan of every text in SQL (no folding: less than the search must do);
- ``agreement``: ``project_agreement`` (``--bootstrap``, 0 by default) vs reading the same
  spans and texts;
- ``export_jsonl`` / ``export_spacy``: the gold export vs writing gold spans as JSONL by hand;
- ``bundle_export``: ann1's project bundle (their assigned, annotated documents) vs zipping
  the same texts; ``bundle_import``: ann1's work bundle merged into the lead vs reading and
  hashing the zip.

    python benchmarks/scale_bench.py [--sizes 2000] [--annotated 0.1] [--repeat 3] [--keep DIR]
    python benchmarks/scale_bench.py --sizes 10000,100000,1000000 --repeat 3 > benchmarks/results/scale-DATE.txt

Output: ``name: value unit`` lines, ``<size>_<step>_s``, ``<size>_<step>_peak_mb``,
``<size>_<step>_baseline_s`` and ``<size>_<step>_ratio``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _corpus  # benchmarks/ is on sys.path when a benchmark runs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUERIES = {
    "common": "طرابلس",
    "rare": "تقرير رقم {middle}\n",
    "absent": "قافلة الإمدادات الجوية المتأخرة",
    "short": "ال",
}


def peak_mb() -> float:
    """This process's peak resident memory (``VmHWM``: reset by exec, unlike ``ru_maxrss``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# ----------------------------------------------------------------------------- steps (children)


def step(kind: str, folder: Path, size: int) -> dict:
    import sqlite3

    project_path = folder / "lead.wbproj"
    if kind == "import":
        from workbench.core.importer import import_paths
        from workbench.core.store.project import Project

        target = folder / "import.wbproj"
        _remove(target)
        project = Project.create(target)
        start = time.perf_counter()
        report = import_paths(project, [folder / "docs.jsonl"])
        seconds = time.perf_counter() - start
        project.close()
        _remove(target)
        return {"seconds": seconds, "added": len(report.added) if hasattr(report, "added") else None}
    if kind == "import_baseline":
        target = folder / "baseline.db"
        _remove(target)
        conn = sqlite3.connect(target)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE documents (id TEXT PRIMARY KEY, text TEXT NOT NULL)")
        start = time.perf_counter()
        with (folder / "docs.jsonl").open(encoding="utf-8") as lines, conn:
            conn.executemany(
                "INSERT INTO documents VALUES (?, ?)", ((r["id"], r["text"]) for r in map(json.loads, lines))
            )
        seconds = time.perf_counter() - start
        conn.close()
        _remove(target)
        return {"seconds": seconds}
    if kind == "doc_list":
        from workbench.core.store import documents
        from workbench.core.store.project import Project

        start = time.perf_counter()
        project = Project.open(project_path, check=False)  # as ui.app.open_project opens it
        total = documents.count(project.db, "ann1")
        page = documents.summaries(project.db, "ann1", offset=0, limit=200)
        seconds = time.perf_counter() - start
        project.close()
        return {"seconds": seconds, "rows": len(page), "total": total}
    if kind == "doc_list_baseline":
        start = time.perf_counter()
        conn = sqlite3.connect(f"file:{project_path}?mode=ro", uri=True)
        conn.execute("SELECT COUNT(*) FROM documents").fetchone()
        conn.execute(
            "SELECT d.id, d.title, d.chars, d.sha256, COALESCE(s.status, 'not-started') FROM documents d"
            " LEFT JOIN doc_status s ON s.doc_id = d.id AND s.annotator = 'ann1' ORDER BY d.rowid LIMIT 200"
        ).fetchall()
        seconds = time.perf_counter() - start
        conn.close()
        return {"seconds": seconds}
    if kind == "damage_check":
        from workbench.core.store.project import Project

        project = Project.open(project_path, check=False)
        start = time.perf_counter()
        found = project.quick_check()
        seconds = time.perf_counter() - start
        project.close()
        return {"seconds": seconds, "damage": found}
    if kind == "damage_check_baseline":
        start = time.perf_counter()
        conn = sqlite3.connect(f"file:{project_path}?mode=ro", uri=True)
        conn.execute("PRAGMA quick_check(5)").fetchall()
        conn.close()
        return {"seconds": time.perf_counter() - start}
    if kind.startswith("search_"):
        from workbench.core import search

        name = kind.removeprefix("search_").removesuffix("_baseline")
        query = QUERIES[name].format(middle=size // 2)
        if kind.endswith("_baseline"):
            start = time.perf_counter()
            conn = sqlite3.connect(f"file:{project_path}?mode=ro", uri=True)
            rows = conn.execute("SELECT id FROM documents WHERE instr(text, ?) > 0 LIMIT 1000", [query]).fetchall()
            conn.close()
            return {"seconds": time.perf_counter() - start, "hits": len(rows)}
        start = time.perf_counter()
        hits = search.in_corpus(project_path, query)
        return {"seconds": time.perf_counter() - start, "hits": len(hits)}
    if kind == "agreement":
        from workbench.core.agreement.source import project_agreement
        from workbench.core.store.project import Project

        project = Project.open(project_path, check=False)
        start = time.perf_counter()
        result = project_agreement(project, bootstrap=BOOTSTRAP)
        figures = result.to_json()
        seconds = time.perf_counter() - start
        project.close()
        return {"seconds": seconds, "alpha_u": figures["alpha_u"]["pooled"]}
    if kind == "agreement_baseline":
        start = time.perf_counter()
        conn = sqlite3.connect(f"file:{project_path}?mode=ro", uri=True)
        spans = 0
        for _ in conn.execute('SELECT doc_id, annotator, start, "end", label FROM spans ORDER BY doc_id'):
            spans += 1
        for _ in conn.execute(
            "SELECT text FROM documents WHERE id IN (SELECT doc_id FROM doc_status WHERE annotator = 'gold')"
        ):
            pass
        conn.close()
        return {"seconds": time.perf_counter() - start, "spans": spans}
    if kind in ("export_jsonl", "export_spacy"):
        from workbench.core.export.run import ExportOptions, export
        from workbench.core.store.project import Project

        out = folder / f"out-{kind}"
        shutil.rmtree(out, ignore_errors=True)
        project = Project.open(project_path, check=False)
        start = time.perf_counter()
        report = export(project, ExportOptions(format=kind.removeprefix("export_")), out)
        seconds = time.perf_counter() - start
        project.close()
        shutil.rmtree(out, ignore_errors=True)
        card = report.agreement  # the data card's agreement figures: computed, or kept from before
        return {"seconds": seconds, "card_cached": card.get("from_cache"), "card_s": card.get("seconds")}
    if kind in ("export_jsonl_baseline", "export_spacy_baseline"):
        out = folder / "baseline.jsonl"
        start = time.perf_counter()
        conn = sqlite3.connect(f"file:{project_path}?mode=ro", uri=True)
        with out.open("w", encoding="utf-8") as handle:
            current, spans, text = None, [], ""
            rows = conn.execute(
                'SELECT s.doc_id, d.text, s.start, s."end", s.label FROM spans s JOIN documents d ON d.id = s.doc_id'
                " WHERE s.annotator = 'gold' ORDER BY s.doc_id"
            )
            for doc_id, body, s, e, label in rows:
                if doc_id != current:
                    if current is not None:
                        handle.write(json.dumps({"id": current, "text": text, "spans": spans}, ensure_ascii=False))
                        handle.write("\n")
                    current, spans, text = doc_id, [], body
                spans.append([s, e, label])
            if current is not None:
                handle.write(json.dumps({"id": current, "text": text, "spans": spans}, ensure_ascii=False) + "\n")
        conn.close()
        seconds = time.perf_counter() - start
        out.unlink()
        return {"seconds": seconds}
    if kind == "bundle_export":
        from workbench.core.bundles.project_bundle import export_project_bundle
        from workbench.core.store.project import Project

        project = Project.open(project_path, check=False)
        start = time.perf_counter()
        export_project_bundle(project, "ann1", folder / "ann1-out.wbbundle")
        seconds = time.perf_counter() - start
        project.close()
        (folder / "ann1-out.wbbundle").unlink()
        return {"seconds": seconds}
    if kind == "bundle_export_baseline":
        import zipfile

        start = time.perf_counter()
        conn = sqlite3.connect(f"file:{project_path}?mode=ro", uri=True)
        with (
            zipfile.ZipFile(folder / "baseline.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf,
            zf.open("documents.jsonl", "w", force_zip64=True) as member,
        ):
            for doc_id, text in conn.execute(
                "SELECT d.id, d.text FROM documents d JOIN assignments a ON a.doc_id = d.id"
                " WHERE a.annotator = 'ann1' ORDER BY d.id"
            ):
                member.write((json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n").encode())
        conn.close()
        seconds = time.perf_counter() - start
        (folder / "baseline.zip").unlink()
        return {"seconds": seconds}
    if kind == "bundle_import":
        from workbench.core.bundles.work_bundle import import_work_bundles
        from workbench.core.store.project import Project

        target = folder / "lead-import.wbproj"
        _remove(target)
        shutil.copyfile(project_path, target)
        project = Project.open(target, check=False)
        start = time.perf_counter()
        report = import_work_bundles(project, [folder / "ann1.wbwork"], max_bytes=8 * 1024**3)
        seconds = time.perf_counter() - start
        assert not report.refused, report.refused
        project.close()
        _remove(target)
        return {"seconds": seconds}
    if kind == "bundle_import_baseline":
        import hashlib
        import zipfile

        start = time.perf_counter()
        with zipfile.ZipFile(folder / "ann1.wbwork") as zf:
            for info in zf.infolist():
                digest = hashlib.sha256()
                with zf.open(info) as handle:
                    while chunk := handle.read(1024 * 1024):
                        digest.update(chunk)
        return {"seconds": time.perf_counter() - start}
    raise SystemExit(f"unknown step {kind}")


BOOTSTRAP = 0


def run_step(kind: str, folder: Path, size: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(folder), str(size), str(BOOTSTRAP)],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(out.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- setup


def build(folder: Path, size: int, annotated: int) -> dict:
    """The lead's project (imported from JSONL, annotated), ann1's assignment and work bundle."""
    from workbench.core.importer import import_paths
    from workbench.core.store.project import Project, now

    start = time.perf_counter()
    _corpus.write_jsonl(folder / "docs.jsonl", size)
    project = Project.create(folder / "lead.wbproj", name=f"scale-{size}")
    import_paths(project, [folder / "docs.jsonl"])
    project.close()
    spans = _corpus.annotate(folder / "lead.wbproj", annotated)
    project = Project.open(folder / "lead.wbproj", check=False)
    with project.transaction() as db:
        db.execute(
            "INSERT INTO assignments (doc_id, annotator, assigned_at)"
            " SELECT doc_id, 'ann1', ? FROM doc_status WHERE annotator = 'ann1'",
            [now()],
        )
    project.close()
    return {"setup_s": time.perf_counter() - start, "spans": spans}


def _work_bundle(folder: Path) -> None:
    """ann1's copy (from their project bundle) with their spans, and its work bundle."""
    import sqlite3

    from workbench.core.bundles.project_bundle import export_project_bundle, open_project_bundle
    from workbench.core.bundles.work_bundle import export_work_bundle
    from workbench.core.store.project import Project

    with Project.open(folder / "lead.wbproj", check=False) as lead:
        export_project_bundle(lead, "ann1", folder / "ann1.wbbundle")
    # (a tenth of a million documents is over the 256 MB a bundle may hold by default: --max-mb)
    copy = open_project_bundle(folder / "ann1.wbbundle", folder / "ann1.wbproj", max_bytes=8 * 1024**3)
    source = sqlite3.connect(f"file:{folder / 'lead.wbproj'}?mode=ro", uri=True)
    rows = source.execute(
        'SELECT id, doc_id, annotator, start, "end", label, attributes, note, unsure, created_at, updated_at'
        " FROM spans WHERE annotator = 'ann1'"
    )
    statuses = source.execute("SELECT doc_id, annotator, status, updated_at FROM doc_status WHERE annotator = 'ann1'")
    with copy.transaction() as db:
        db.conn.executemany(
            'INSERT OR IGNORE INTO spans (id, doc_id, annotator, start, "end", label, attributes, note, unsure, created_at,'
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        db.conn.executemany(
            "INSERT OR REPLACE INTO doc_status (doc_id, annotator, status, updated_at) VALUES (?, ?, ?, ?)", statuses
        )
    source.close()
    export_work_bundle(copy, folder / "ann1.wbwork")
    copy.close()


# ----------------------------------------------------------------------------- main

STEPS = [
    "import",
    "doc_list",
    "damage_check",
    "search_common",
    "search_rare",
    "search_absent",
    "search_short",
    "agreement",
    "export_jsonl",
    "export_spacy",
    "bundle_export",
    "bundle_import",
]


def main() -> None:
    global BOOTSTRAP
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000", help="comma-separated document counts")
    parser.add_argument("--annotated", type=float, default=0.1, help="share of documents annotated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bootstrap", type=int, default=0, help="agreement's bootstrap resamples")
    parser.add_argument("--steps", default=",".join(STEPS))
    parser.add_argument("--keep", type=Path, help="build the projects here and keep them")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, folder, size, BOOTSTRAP = args.child[0], Path(args.child[1]), int(args.child[2]), int(args.child[3])
        result = step(kind, folder, size)
        result["peak_mb"] = peak_mb()
        print(json.dumps(result))
        return
    BOOTSTRAP = args.bootstrap
    steps = args.steps.split(",")
    base = args.keep or Path(tempfile.mkdtemp(prefix="scale-bench-"))
    print(f"sizes: {args.sizes} docs")
    print(f"annotated_share: {args.annotated} x")
    print(f"annotators: {len(_corpus.ANNOTATORS)} + gold")
    print(f"agreement_bootstrap: {args.bootstrap} x")
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            folder = base / f"n{size}"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            annotated = max(1, int(size * args.annotated))
            setup = build(folder, size, annotated)
            repeat = args.repeat if size <= 100_000 else 1
            print(f"{size}_annotated_docs: {annotated} docs", flush=True)
            print(f"{size}_spans: {setup['spans']} spans")
            print(f"{size}_setup_s: {setup['setup_s']:.1f} s")
            print(f"{size}_jsonl_mb: {(folder / 'docs.jsonl').stat().st_size / 1e6:.1f} MB")
            print(f"{size}_file_mb: {(folder / 'lead.wbproj').stat().st_size / 1e6:.1f} MB")
            print(f"{size}_runs: {repeat} x", flush=True)
            for name in steps:
                if name.startswith("bundle_") and not (folder / "ann1.wbwork").exists():
                    start = time.perf_counter()
                    _work_bundle(folder)  # ann1's copy and work bundle: made when first needed
                    print(f"{size}_bundle_setup_s: {time.perf_counter() - start:.1f} s", flush=True)
                runs, baselines = [], []
                for _ in range(repeat):  # interleaved: machine noise hits both alike
                    runs.append(run_step(name, folder, size))
                    baselines.append(run_step(f"{name}_baseline", folder, size))
                errors = [r["error"] for r in runs if "error" in r]
                if errors:
                    print(f"{size}_{name}_error: {errors[0]!r} -", flush=True)
                    continue
                seconds = statistics.median(r["seconds"] for r in runs)
                print(f"{size}_{name}_s: {seconds:.3f} s")
                print(f"{size}_{name}_peak_mb: {statistics.median(r['peak_mb'] for r in runs):.0f} MB")
                for key in ("hits", "alpha_u"):
                    if key in runs[0] and runs[0][key] is not None:
                        print(f"{size}_{name}_{key}: {runs[0][key]} value")
                if "card_cached" in runs[0]:  # exports: the data card's figures, computed or read back
                    cached = sum(1 for r in runs if r["card_cached"])
                    print(f"{size}_{name}_card_figures_read_back: {cached} of {len(runs)} runs")
                    computed = [r["card_s"] for r in runs if not r["card_cached"] and r["card_s"] is not None]
                    if computed:
                        print(f"{size}_{name}_card_figures_computed_s: {statistics.median(computed):.1f} s")
                if all("seconds" in b for b in baselines):
                    base_s = statistics.median(b["seconds"] for b in baselines)
                    print(f"{size}_{name}_baseline_s: {base_s:.3f} s")
                    print(
                        f"{size}_{name}_baseline_peak_mb: {statistics.median(b['peak_mb'] for b in baselines):.0f} MB"
                    )
                    print(f"{size}_{name}_ratio: {seconds / base_s if base_s else float('nan'):.2f} x", flush=True)
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
