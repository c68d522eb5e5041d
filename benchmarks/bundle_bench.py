"""Bundles at team scale: 10 annotators, each with 1,000 documents and 50 spans per document.

Times, as medians over repeated runs: exporting the ten project bundles,
writing one work bundle (50,000 spans), and importing all ten work bundles
(500,000 spans) into the lead's project; with peak memory of the import, against
a baseline measured in the same run: reading, hashing and parsing every row of the
ten bundles (``read_hash_parse_*``), the least any import must do.
Setting up the annotators' copies (opening their bundles, writing their spans
in bulk) is not timed.

The team import is also set against the least a merge must do: reading and parsing every span
row and inserting it with ``sqlite3`` into a copy of the same lead project, one transaction per
bundle, with the project's connection settings (``parse_insert_*``).

Then one large work bundle (``--big-mb`` of spans, 200 MB by default, over
``--big-docs`` documents), signed like a real one, imported into a fresh copy of
its lead's project: its time and peak memory (the whole process, and its growth
during the import), against a baseline measured in the same run: opening the
same zip and reading and hashing every member, the least any import must do.

With ``--project-export-sizes 1000,3000,10000``: a lead project of each size (3 annotators and
gold, ``--spans`` spans per document in each layer, every document assigned to the three), and
the export of one annotator's project bundle from it: its time and peak memory, against a
baseline measured in the same run: reading the same rows with ``sqlite3`` and writing them, as
JSON Lines, into a zip (``project_export_baseline_*``). Memory should stay flat as documents grow.

    python benchmarks/bundle_bench.py [--repeat 3] [--annotators 10] [--docs 1000] [--spans 50]
                                      [--big-mb 200] [--big-docs 1000] [--skip-team] [--keep DIR]
                                      [--project-export-sizes 1000,3000,10000]
"""

from __future__ import annotations

import argparse
import contextlib
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

from _corpus import report, sample_paragraphs  # benchmarks/ is on sys.path when a benchmark runs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def peak_rss_mb() -> float:
    """This process's peak resident memory, in MB. ``VmHWM`` where Linux has it: ``ru_maxrss``
    survives ``exec``, so a child started from a big parent would report the parent's size."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


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
            documents.insert(db, documents.NewDocument(text=normalize(report(n, paragraphs, rng)), id=f"d{n:05d}"))
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


def build_big(folder: Path, megabytes: float, docs: int, seed: int = 5) -> tuple[Path, Path]:
    """A lead's project of ``docs`` documents and one annotator's signed work bundle holding about
    ``megabytes`` of valid spans, grouped by document as the exporter writes them. The bundle is
    made here (spans written straight into the zip) rather than exported from a copy: an export of
    this size is not what is measured."""
    import hashlib
    import uuid
    import zipfile

    import regex

    from workbench.core.assign import assign_balanced
    from workbench.core.bundles import WORK, signing
    from workbench.core.bundles.manifest import build, jsonl, signer_block
    from workbench.core.store import documents
    from workbench.core.store.project import Project
    from workbench.core.text.normalise import normalize

    rng = random.Random(seed)
    paragraphs = sample_paragraphs(80)
    lead_path = folder / "big-lead.wbproj"
    lead = Project.create(lead_path, name="big")
    with lead.transaction() as db:
        for n in range(docs):
            parts = [f"تقرير {n}"] + [rng.choice(paragraphs) for _ in range(8)]
            documents.insert(db, documents.NewDocument(text=normalize("\n\n".join(parts)), id=f"b{n:05d}"))
    annotator, key = "karim", signing.new_private_key()
    lead.add_annotator(annotator)
    assign_balanced(lead, [annotator], k=1, seed=seed)  # (a bundle of documents not assigned is refused)
    hashes = documents.hashes(lead.db)
    texts = dict(lead.db.execute("SELECT id, text FROM documents").fetchall())
    project_id, name = lead.setting("project_id"), lead.name
    lead.close()

    note = "ملاحظة طويلة عن هذا الموضع " * 12  # about 600 bytes: ~1 KB a span row
    per_doc = max(1, int(megabytes * 1024**2 / 1000 / docs))
    bundle = folder / "big.wbwork"
    digest = hashlib.sha256()
    with zipfile.ZipFile(bundle, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("spans.jsonl", "w", force_zip64=True) as member:
            for doc_id in hashes:
                edges = [m.span() for m in regex.finditer(r"[\p{L}\p{M}\p{N}]+", texts[doc_id])]
                rows = []
                taken: set[tuple[int, int, str]] = set()  # (one span per range and label: twins are refused)
                for _ in range(min(per_doc, 3 * len(edges))):
                    start, end = rng.choice(edges)
                    label = rng.choice(["ACTOR", "LOCATION", "DATE"])
                    while (start, end, label) in taken:
                        start, end = rng.choice(edges)
                        label = rng.choice(["ACTOR", "LOCATION", "DATE"])
                    taken.add((start, end, label))
                    rows.append(
                        {
                            "id": uuid.UUID(int=rng.getrandbits(128)).hex,
                            "doc_id": doc_id,
                            "annotator": annotator,
                            "start": start,
                            "end": end,
                            "label": label,
                            "attributes": {},
                            "note": f"{note}{rng.getrandbits(64):x}",
                            "unsure": False,
                            "created_at": "2020-01-01T00:00:00+00:00",
                            "updated_at": "2020-01-01T00:00:00+00:00",
                        }
                    )
                data = jsonl(rows)
                digest.update(data)
                member.write(data)
        small = {"deleted.jsonl": b"", "statuses.jsonl": b"", "changes.jsonl": b""}
        for member_name, data in small.items():
            zf.writestr(member_name, data)
        manifest = json.loads(
            build(WORK, project_id, name, annotator, hashes, dict(small), sequence=1, signer=signer_block(key))
        )
        manifest["members"]["spans.jsonl"] = digest.hexdigest()
        raw = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        zf.writestr("manifest.json", raw)
        zf.writestr("signature", signing.sign(raw, key))
    return lead_path, bundle


def big_child(kind: str, folder: Path) -> dict:
    """``import_big``: the large bundle into a fresh copy of its lead; ``read_big``: only open the
    zip and read and hash every member, in chunks (the baseline)."""
    import hashlib
    import zipfile

    bundle = folder / "big.wbwork"
    if kind == "read_big":
        before = peak_rss_mb()
        start = time.perf_counter()
        with zipfile.ZipFile(bundle) as zf:
            for info in zf.infolist():
                digest = hashlib.sha256()
                with zf.open(info) as handle:
                    while chunk := handle.read(1024 * 1024):
                        digest.update(chunk)
        return {"seconds": time.perf_counter() - start, "rss_before_mb": before}

    from workbench.core.bundles.work_bundle import import_work_bundles
    from workbench.core.store.project import Project

    target = folder / "out" / "big-lead-import.wbproj"
    shutil.copyfile(folder / "big-lead.wbproj", target)
    with Project.open(target) as lead:
        before = peak_rss_mb()
        start = time.perf_counter()
        report = import_work_bundles(lead, [bundle], max_bytes=4 * 1024**3)
        elapsed = time.perf_counter() - start
        assert not report.refused, report.refused
        spans = report.merged[0]["added"]
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    return {"seconds": elapsed, "spans": spans, "rss_before_mb": before}


def build_export_project(path: Path, docs: int, spans: int, seed: int = 13) -> None:
    """A lead's project of ``docs`` documents (2-5 KB), three annotators and gold, each layer with
    ``spans`` spans of whole words per document, every document assigned to the three annotators.
    The spans are written in bulk (not what is measured)."""
    import uuid

    import regex

    from workbench.core.assign import assign_balanced
    from workbench.core.store import documents
    from workbench.core.store import spans as span_store
    from workbench.core.store.project import GOLD, Project
    from workbench.core.text.normalise import normalize

    rng = random.Random(seed)
    paragraphs = sample_paragraphs(80)
    names = ["annotator00", "annotator01", "annotator02"]
    with Project.create(path, name=f"export-{docs}") as lead:
        for name in names:
            lead.add_annotator(name)
        word = regex.compile(r"[\p{L}\p{M}\p{N}]+")
        for first in range(0, docs, 500):
            with lead.transaction() as db:
                rows = []
                for n in range(first, min(docs, first + 500)):
                    text = normalize(report(n, paragraphs, rng))
                    doc_id = f"d{n:06d}"
                    documents.insert(db, documents.NewDocument(text=text, id=doc_id))
                    words = [m.span() for m in word.finditer(text)]
                    for layer in [*names, GOLD]:
                        for index in rng.sample(range(len(words) - 2), spans):
                            start, end = words[index][0], words[index + rng.randint(0, 1)][1]
                            label = rng.choice(["ACTOR", "LOCATION", "CASUALTY", "DATE"])
                            at = "2020-01-01T00:00:00+00:00"
                            rows.append((uuid.UUID(int=rng.getrandbits(128)).hex, doc_id, layer, start, end, label))
                            rows[-1] += ("{}", "", 0, at, at)
                assert span_store.insert_rows(db, rows) is None
        assign_balanced(lead, names, k=3, seed=seed)


def export_child(kind: str, folder: Path) -> dict:
    """``export_project``: one annotator's project bundle from the project in ``folder``;
    ``export_baseline``: the same rows read with sqlite3 and written into a zip as JSON Lines."""
    import hashlib
    import sqlite3
    import zipfile

    source, out = folder / "lead.wbproj", folder / "out" / "annotator00.wbbundle"
    out.unlink(missing_ok=True)
    if kind == "export_baseline":
        start = time.perf_counter()
        conn = sqlite3.connect(source)
        queries = {
            "documents.jsonl": (
                "SELECT d.id, d.title, d.text, d.sha256, d.source, d.published, d.file_name, d.meta"
                " FROM assignments a JOIN documents d ON d.id = a.doc_id WHERE a.annotator = ? ORDER BY d.rowid",
                ("id", "title", "text", "sha256", "source", "published", "file_name", "meta"),
            ),
            "spans.jsonl": (
                'SELECT s.id, s.doc_id, s.annotator, s.start, s."end", s.label, s.attributes, s.note, s.unsure,'
                " s.created_at, s.updated_at FROM assignments a JOIN spans s ON s.doc_id = a.doc_id"
                " AND s.annotator = a.annotator WHERE a.annotator = ? ORDER BY s.doc_id, s.start",
                (
                    "id",
                    "doc_id",
                    "annotator",
                    "start",
                    "end",
                    "label",
                    "attributes",
                    "note",
                    "unsure",
                    "created_at",
                    "updated_at",
                ),
            ),
        }
        rows = 0
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for member, (sql, keys) in queries.items():
                digest = hashlib.sha256()
                with zf.open(member, "w") as handle:
                    for row in conn.execute(sql, ["annotator00"]):
                        data = (json.dumps(dict(zip(keys, row)), ensure_ascii=False, sort_keys=True) + "\n").encode()
                        digest.update(data)
                        handle.write(data)
                        rows += 1
        conn.close()
        return {"seconds": time.perf_counter() - start, "rows": rows}
    from workbench.core.bundles.project_bundle import export_project_bundle
    from workbench.core.store.project import Project

    with Project.open(source) as lead:
        start = time.perf_counter()
        summary = export_project_bundle(lead, "annotator00", out)
        return {"seconds": time.perf_counter() - start, "documents": summary.documents, "spans": summary.spans}


def child(kind: str, folder: Path) -> dict:
    if kind in ("import_big", "read_big"):
        return big_child(kind, folder)
    if kind in ("export_project_sized", "export_baseline"):
        return export_child("export_project" if kind == "export_project_sized" else kind, folder)
    if kind == "parse_insert":  # the least a merge must do: parse every span row, insert it
        return parse_insert_child(folder)
    if kind == "read_team":  # the baseline of the team import: read, hash and parse every bundle
        import hashlib
        import zipfile

        start = time.perf_counter()
        rows = 0
        for bundle in sorted(folder.glob("work-*.wbwork")):
            with zipfile.ZipFile(bundle) as zf:
                for info in zf.infolist():
                    digest = hashlib.sha256()
                    with zf.open(info) as handle:
                        for line in handle:
                            digest.update(line)
                            if info.filename.endswith(".jsonl") and line.strip():
                                json.loads(line)
                                rows += 1
        return {"seconds": time.perf_counter() - start, "rows": rows}
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


def parse_insert_child(folder: Path) -> dict:
    """Each bundle's spans read, parsed and inserted with sqlite3 into a copy of the lead, one
    transaction per bundle, with the project's settings (WAL, synchronous FULL, foreign keys,
    a 32 MB page cache)."""
    import sqlite3
    import zipfile

    target = folder / "out" / "lead-baseline.wbproj"
    shutil.copyfile(folder / "lead.wbproj", target)
    columns = ("id", "doc_id", "annotator", "start", "end", "label", "note", "unsure", "created_at")
    start = time.perf_counter()
    conn = sqlite3.connect(target, isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON", "cache_size = -32768"):
        conn.execute(f"PRAGMA {pragma}")
    rows = 0
    for bundle in sorted(folder.glob("work-*.wbwork")):
        with zipfile.ZipFile(bundle) as zf, zf.open("spans.jsonl") as handle:
            parsed = [json.loads(line) for line in handle.read().splitlines() if line.strip()]
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            'INSERT INTO spans (id, doc_id, annotator, start, "end", label, note, unsure, created_at, attributes,'
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*(row[c] for c in columns), json.dumps(row["attributes"]), row["updated_at"]) for row in parsed],
        )
        conn.execute("COMMIT")
        rows += len(parsed)
    conn.close()
    elapsed = time.perf_counter() - start
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    return {"seconds": elapsed, "rows": rows}


def run_child(kind: str, folder: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(folder)], capture_output=True, text=True)
    if out.returncode != 0:  # (say why: the child's own traceback)
        raise SystemExit(f"the {kind} step failed:\n{out.stderr.strip()}")
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--annotators", type=int, default=10)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--spans", type=int, default=50)
    parser.add_argument("--big-mb", type=float, default=200, help="MB of spans in the large bundle (0: skip it)")
    parser.add_argument("--big-docs", type=int, default=1000)
    parser.add_argument("--skip-team", action="store_true", help="only the large bundle")
    parser.add_argument("--keep", type=Path, help="build the team's projects here once and reuse them")
    parser.add_argument(
        "--project-export-sizes",
        help="documents of the projects whose project-bundle export is measured, e.g. 1000,3000,10000",
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = child(args.child[0], Path(args.child[1]))
        result["peak_rss_mb"] = peak_rss_mb()
        print(json.dumps(result))
        return

    if args.project_export_sizes:
        project_exports(args, [int(size) for size in args.project_export_sizes.split(",")])
    if not args.skip_team:
        team(args)
    if args.big_mb > 0:
        big(args)
    print(f"runs: {args.repeat} x")


def team(args: argparse.Namespace) -> None:
    from workbench.core.bundles.work_bundle import export_work_bundle
    from workbench.core.store.project import Project

    with contextlib.ExitStack() as stack:
        if args.keep:  # build once, then reuse: --keep DIR
            folder = args.keep
        else:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bundle-bench-")))
        (folder / "out").mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        if not (folder / "lead.wbproj").exists():
            _, copies = build_lead(folder, args.annotators, args.docs, args.spans)
            for copy in copies:
                with Project.open(copy) as project:
                    export_work_bundle(project, folder / f"work-{copy.stem}.wbwork")
        setup = time.perf_counter() - start
        runs = {
            kind: [run_child(kind, folder) for _ in range(args.repeat)]
            for kind in ("export_project", "export_work", "import", "read_team", "parse_insert")
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
    print(f"read_hash_parse_{args.annotators}_work_bundles_s: {med('read_team'):.2f} s")
    print(f"import_vs_read_hash_parse: {med('import') / med('read_team'):.1f} x")
    print(f"parse_insert_{args.annotators}_work_bundles_s: {med('parse_insert'):.2f} s")
    print(f"import_vs_parse_insert: {med('import') / med('parse_insert'):.1f} x")
    print(f"work_bundles_total_mb: {work_mb:.1f} MB")


def project_exports(args: argparse.Namespace, sizes: list[int]) -> None:
    """The project-bundle export at each size, and its baseline, in child processes."""
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"bundle-bench-export-{size}-") as tmp:
            folder = Path(tmp)
            (folder / "out").mkdir()
            start = time.perf_counter()
            build_export_project(folder / "lead.wbproj", size, args.spans)
            setup = time.perf_counter() - start
            runs = {
                kind: [run_child(kind, folder) for _ in range(args.repeat)]
                for kind in ("export_baseline", "export_project_sized")
            }

        def med(kind: str, key: str = "seconds", runs: dict = runs) -> float:
            return statistics.median(r[key] for r in runs[kind])

        print(f"project_export_{size}_setup_s: {setup:.1f} s")
        print(f"project_export_{size}_spans: {runs['export_project_sized'][0]['spans']} spans")
        print(f"project_export_{size}_s: {med('export_project_sized'):.2f} s")
        print(f"project_export_baseline_{size}_s: {med('export_baseline'):.2f} s")
        print(f"project_export_{size}_vs_baseline: {med('export_project_sized') / med('export_baseline'):.1f} x")
        print(f"project_export_{size}_peak_rss_mb: {med('export_project_sized', 'peak_rss_mb'):.0f} MB")
        print(f"project_export_baseline_{size}_peak_rss_mb: {med('export_baseline', 'peak_rss_mb'):.0f} MB")


def big(args: argparse.Namespace) -> None:
    import zipfile

    with tempfile.TemporaryDirectory(prefix="bundle-bench-big-") as tmp:
        folder = Path(tmp)
        (folder / "out").mkdir()
        start = time.perf_counter()
        _, bundle = build_big(folder, args.big_mb, args.big_docs)
        setup = time.perf_counter() - start
        with zipfile.ZipFile(bundle) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
        packed = bundle.stat().st_size
        runs = {kind: [run_child(kind, folder) for _ in range(args.repeat)] for kind in ("read_big", "import_big")}

    def med(kind: str, key: str = "seconds") -> float:
        return statistics.median(r[key] for r in runs[kind])

    def growth(kind: str) -> float:
        return statistics.median(r["peak_rss_mb"] - r["rss_before_mb"] for r in runs[kind])

    print(f"big_setup_s: {setup:.1f} s")
    print(f"big_bundle_file_mb: {packed / 1024**2:.1f} MB")
    print(f"big_bundle_unpacked_mb: {unpacked / 1024**2:.1f} MB")
    print(f"big_bundle_spans: {runs['import_big'][0]['spans']} spans")
    print(f"big_read_and_hash_s: {med('read_big'):.2f} s")
    print(f"big_import_s: {med('import_big'):.2f} s")
    print(f"big_import_vs_read_and_hash: {med('import_big') / med('read_big'):.1f} x")
    print(f"big_import_spans_per_s: {runs['import_big'][0]['spans'] / med('import_big'):.0f} spans/s")
    print(f"big_read_peak_rss_mb: {med('read_big', 'peak_rss_mb'):.0f} MB")
    print(f"big_import_peak_rss_mb: {med('import_big', 'peak_rss_mb'):.0f} MB")
    print(f"big_import_rss_growth_mb: {growth('import_big'):.0f} MB")
    print(f"big_import_rss_growth_per_unpacked_mb: {growth('import_big') / (unpacked / 1024**2):.2f} MB/MB")


if __name__ == "__main__":
    main()
