"""What detecting damage on open costs: ``PRAGMA quick_check`` on a team-sized project.

The project (a lead's, as in issue 16): 10,000 documents (2,000-5,000 characters each), each
assigned to 3 annotators who marked it done with 50 spans each, and a gold layer of 50 spans
per document (2,000,000 spans; a third of the names carry their canonical name); the lead is
the current user. ``ui_bench.py`` starts the window on the same project. Times are medians over
repeated opens of the closed file (warm page cache, as when a user reopens a project):

- ``open_with_check``: ``Project.open`` as shipped (quick_check included);
- ``open_without_check``: the same open with ``check=False`` (the baseline; how the window
  opens: it runs the check on a worker after its first paint);
- ``quick_check``: the pragma alone on an open connection;
- ``check_ratio``: open_with_check / open_without_check.

    python benchmarks/open_bench.py [--docs 10000] [--spans 50] [--annotators 3] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _corpus import report, sample_paragraphs  # benchmarks/ is on sys.path when a benchmark runs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build(
    path: Path, docs: int, spans: int, annotators: int, seed: int = 5, gold: bool = True, lead: str | None = "lead"
) -> list[str]:
    """A lead's project at ``path``: ``docs`` documents, each assigned to ``annotators``
    annotators who marked it done with ``spans`` spans each, and (``gold``) an adjudicated
    gold layer of as many spans; ``lead`` is the project's current user. The document ids."""
    import regex

    from workbench.core.store import assignments, documents
    from workbench.core.store.project import GOLD, Project
    from workbench.core.store.spans import Span, insert_many
    from workbench.core.store.status import DONE
    from workbench.core.text.normalise import normalize

    rng = random.Random(seed)
    paragraphs = sample_paragraphs(80)
    labels = ["ACTOR", "LOCATION", "CASUALTY", "DATE"]
    names = [f"annotator{i}" for i in range(annotators)]
    layers = names + ([GOLD] if gold else [])
    ids: list[str] = []
    with Project.create(path, name="bench") as project:
        for name in names:
            project.add_annotator(name)
        if lead:
            project.set_current_annotator(lead)
        stamp = "2026-01-01T00:00:00.000+00:00"
        for first in range(0, docs, 500):
            with project.transaction() as db:
                for n in range(first, min(docs, first + 500)):
                    text = normalize(report(n, paragraphs, rng))
                    _, doc_id = documents.insert(db, documents.NewDocument(text=text, id=f"d{n:05d}"))
                    ids.append(doc_id)
                    words = [(m.start(), m.end()) for m in regex.finditer(r"\w+", text)]
                    for name in layers:
                        chosen = rng.sample(words, min(spans, len(words)))
                        made = []
                        for s, e in chosen:
                            label = rng.choice(labels)
                            # a third of the names carry their canonical form, as the team gave it
                            named = label in ("ACTOR", "LOCATION") and rng.random() < 0.33
                            made.append(Span(doc_id, name, s, e, label, {"canonical": text[s:e]} if named else {}))
                        insert_many(db, made, name, log=False)
                    assignments.add(db, [(doc_id, name) for name in names], stamp)
                    db.conn.executemany(
                        "INSERT INTO doc_status (doc_id, annotator, status, updated_at) VALUES (?, ?, ?, ?)",
                        [(doc_id, name, DONE, stamp) for name in layers],
                    )
    return ids


def median_seconds(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--spans", type=int, default=50, help="spans per document per annotator")
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from workbench.core.store.project import Project

    with tempfile.TemporaryDirectory(prefix="open-bench-") as tmp:
        path = Path(tmp) / "big.wbproj"
        started = time.perf_counter()
        build(path, args.docs, args.spans, args.annotators)
        build_s = time.perf_counter() - started
        with Project.open(path) as project:
            span_count = project.db.execute("SELECT COUNT(*) FROM spans").fetchone()[0]
        size_mb = path.stat().st_size / 1e6

        with_check = median_seconds(lambda: Project.open(path).close(), args.repeat)
        without_check = median_seconds(lambda: Project.open(path, check=False).close(), args.repeat)
        project = Project.open(path)
        try:
            alone = median_seconds(lambda: project.db.execute("PRAGMA quick_check").fetchall(), args.repeat)
        finally:
            project.close()

    print(f"documents: {args.docs} count")
    print(f"spans: {span_count} count")
    print(f"file_size: {size_mb:.1f} MB")
    print(f"build: {build_s:.1f} s")
    print(f"open_without_check: {without_check * 1000:.1f} ms")
    print(f"open_with_check: {with_check * 1000:.1f} ms")
    print(f"quick_check: {alone * 1000:.1f} ms")
    print(f"check_ratio: {with_check / without_check:.1f} x")


if __name__ == "__main__":
    main()
