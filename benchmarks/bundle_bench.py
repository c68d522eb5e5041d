"""Bundles at team scale: 10 annotators, each with 1,000 documents and 50 spans per document.

Times, as medians over repeated runs: exporting the ten project bundles,
writing one work bundle (50,000 spans), and importing all ten work bundles
(500,000 spans) into the lead's project; with peak memory of the import.
Setting up the annotators' copies (opening their bundles, writing their spans
in bulk) is not timed.

    python benchmarks/bundle_bench.py [--repeat 3] [--annotators 10] [--docs 1000] [--spans 50]
"""

from __future__ import annotations

import argparse
import json
import random
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


def build_lead(folder: Path, annotators: int, docs: int, spans: int, seed: int = 3) -> tuple[Path, list[Path]]:
    """The lead's project and each annotator's copy holding their spans."""
    import regex

    from workbench.core.assign import assign_balanced
    from workbench.core.bundles.project_bundle import export_project_bundle, open_project_bundle
    from workbench.core.store import documents
    from workbench.core.store.project import Project
    from workbench.core.store.spans import Span, insert
    from workbench.core.text.normalise import normalize

    rng = random.Random(seed)
    paragraphs = sample_paragraphs(80)
    lead_path = folder / "lead.wbproj"
    lead = Project.create(lead_path, name="bench")
    with lead.transaction() as db:
        for n in range(docs):
            parts, size = [f"تقرير {n}"], 0
            while size < rng.randint(2000, 5000):
                parts.append(rng.choice(paragraphs))
                size += len(parts[-1])
            documents.insert(db, documents.NewDocument(text=normalize("\n\n".join(parts)), id=f"d{n:05d}"))
    names = [f"annotator{i:02d}" for i in range(annotators)]
    for name in names:
        lead.add_annotator(name)
    assign_balanced(lead, names, k=annotators, seed=seed)
    copies = []
    for name in names:
        bundle = export_project_bundle(lead, name, folder / f"{name}.wbbundle").path
        copy = open_project_bundle(bundle, folder / f"{name}.wbproj")
        with copy.transaction() as db:
            for doc_id, text in db.execute("SELECT id, text FROM documents").fetchall():
                words = [m.span() for m in regex.finditer(r"[\p{L}\p{M}\p{N}]+", text)]
                for index in rng.sample(range(len(words) - 2), spans):
                    start, end = words[index][0], words[index + rng.randint(0, 1)][1]
                    insert(
                        db, Span(doc_id, name, start, end, rng.choice(["ACTOR", "LOCATION", "CASUALTY", "DATE"])), name
                    )
        copy.close()
        copies.append(folder / f"{name}.wbproj")
    lead.close()
    return lead_path, copies


def child(kind: str, folder: Path) -> dict:
    from workbench.core.assign import assigned
    from workbench.core.bundles.project_bundle import export_project_bundle
    from workbench.core.bundles.work_bundle import export_work_bundle, import_work_bundles
    from workbench.core.store.project import Project

    if kind == "export_project":
        with Project.open(folder / "lead.wbproj") as lead:
            start = time.perf_counter()
            for name in assigned(lead):
                export_project_bundle(lead, name, folder / "out" / f"{name}.wbbundle")
            return {"seconds": time.perf_counter() - start}
    if kind == "export_work":
        copy = sorted(folder.glob("annotator*.wbproj"))[0]
        with Project.open(copy) as project:
            start = time.perf_counter()
            summary = export_work_bundle(project, folder / "out" / "work.wbwork")
            return {"seconds": time.perf_counter() - start, "spans": summary.spans}
    # import: into a fresh copy of the lead's project
    target = folder / "out" / "lead-import.wbproj"
    shutil.copyfile(folder / "lead.wbproj", target)
    bundles = sorted(folder.glob("work-*.wbwork"))
    with Project.open(target) as lead:
        start = time.perf_counter()
        report = import_work_bundles(lead, bundles)
        elapsed = time.perf_counter() - start
        assert not report.refused, report.refused
        spans = lead.db.execute("SELECT COUNT(*) FROM spans").fetchone()[0]
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    return {"seconds": elapsed, "spans": spans}


def run_child(kind: str, folder: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(folder)], capture_output=True, text=True, check=True
    )
    result = json.loads(out.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--annotators", type=int, default=10)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--spans", type=int, default=50)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = child(args.child[0], Path(args.child[1]))
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return

    from workbench.core.bundles.work_bundle import export_work_bundle
    from workbench.core.store.project import Project

    with tempfile.TemporaryDirectory(prefix="bundle-bench-") as tmp:
        folder = Path(tmp)
        (folder / "out").mkdir()
        start = time.perf_counter()
        _, copies = build_lead(folder, args.annotators, args.docs, args.spans)
        for copy in copies:
            with Project.open(copy) as project:
                export_work_bundle(project, folder / f"work-{copy.stem}.wbwork")
        setup = time.perf_counter() - start
        runs = {
            kind: [run_child(kind, folder) for _ in range(args.repeat)]
            for kind in ("export_project", "export_work", "import")
        }
        work_mb = sum(p.stat().st_size for p in folder.glob("work-*.wbwork")) / 1e6

    def med(kind: str, key: str = "seconds") -> float:
        return statistics.median(r[key] for r in runs[kind])

    print(f"setup_s: {setup:.1f} s")
    print(f"export_{args.annotators}_project_bundles_s: {med('export_project'):.2f} s")
    print(f"export_one_work_bundle_s: {med('export_work'):.2f} s")
    print(f"work_bundle_spans: {runs['export_work'][0]['spans']} spans")
    print(f"import_{args.annotators}_work_bundles_s: {med('import'):.2f} s")
    print(f"imported_spans: {runs['import'][0]['spans']} spans")
    print(f"import_spans_per_s: {runs['import'][0]['spans'] / med('import'):.0f} spans/s")
    print(f"import_peak_rss_mb: {med('import', 'peak_rss_mb'):.0f} MB")
    print(f"work_bundles_total_mb: {work_mb:.1f} MB")
    print(f"runs: {args.repeat} x")


if __name__ == "__main__":
    main()
