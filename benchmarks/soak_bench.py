"""Soak: the window and the command line on one project file at once, for a minute.

The window (the real one, offscreen) tags, relabels, deletes and undoes in the
lead's layer as fast as it can, through its action runner, while a second thread
runs `workbench-cli` processes on the same file one after another: adding spans
(to their own layer), reading spans, importing new articles, and merging work
bundles of three annotators; every two seconds a background worker of the window
opens and closes the project in the window's process, as the agreement, export
and team panels do. At the end every write that was confirmed (the window's change
signal, the CLI's exit status and printed id) is looked for in the file.

Prints ``name: value unit`` lines: window actions done and failed, CLI commands
done and failed, spans lost (must be 0), documents lost (must be 0), and the
median and 99th percentile latency of a window action, during bundle merges and
outside them (the baseline from the same run).

    python benchmarks/soak_bench.py [--seconds 60] [--docs 200] [--spans 50]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bundle_bench import build_lead  # noqa: E402  (benchmarks/ is on sys.path when a benchmark runs)

ANNOTATORS = 3
LABELS = ("ACTOR", "LOCATION", "CASUALTY", "DATE")


def make_work_bundles(folder: Path, copies: list[Path], rounds: int, rng: random.Random) -> list[Path]:
    """Each annotator's work bundles, round after round (each round adds spans and a newer bundle)."""
    import regex

    from workbench.core.bundles.work_bundle import export_work_bundle
    from workbench.core.store.project import Project
    from workbench.core.store.spans import Span, insert

    bundles = []
    for round_ in range(rounds):
        for copy_path in copies:
            with Project.open(copy_path) as copy:
                name = copy.current_annotator
                if round_:
                    with copy.transaction() as db:
                        for doc_id, text in db.execute("SELECT id, text FROM documents LIMIT 20").fetchall():
                            words = [m.span() for m in regex.finditer(r"[\p{L}\p{M}\p{N}]+", text)]
                            start, end = words[rng.randrange(len(words))]
                            try:
                                insert(db, Span(doc_id, name, start, end, rng.choice(LABELS)), name)
                            except Exception:
                                pass  # the same span drawn twice
                bundles.append(export_work_bundle(copy, folder / f"work-{name}-{round_}.wbwork").path)
    return bundles


def cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workbench.cli", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "WORKBENCH_BIDI": "logical"},
        timeout=300,
    )


class CommandLine(threading.Thread):
    """Runs CLI commands on the project until told to stop; remembers what they confirmed."""

    def __init__(self, db: Path, folder: Path, bundles: list[Path], texts: dict[str, str], seed: int):
        super().__init__(daemon=True)
        self.db, self.folder, self.bundles, self.texts = db, folder, list(bundles), texts
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.span_ids: list[str] = []
        self.imported_texts: list[str] = []
        self.merges: list[tuple[float, float]] = []
        self.done = self.failed = 0
        self.errors: list[str] = []

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            kind = ("span", "read", "span", "import", "bundle")[n % 5]
            if kind == "bundle" and self.bundles:
                bundle = self.bundles.pop(0)
                start = time.perf_counter()
                result = cli(self.db, "bundle", "import", str(bundle), "--json")
                self.merges.append((start, time.perf_counter()))
            elif kind == "read":
                result = cli(self.db, "spans", self.rng.choice(sorted(self.texts)), "--all", "--json")
            elif kind == "import":
                path = self.folder / f"new-{n}.txt"
                text = f"خبر جديد رقم {n}: اشتباكات في طرابلس ومقتل {n} من المسلحين."
                path.write_text(text, encoding="utf-8")
                result = cli(self.db, "import", str(path), "--json", "--no-progress")
                if result.returncode == 0:
                    self.imported_texts.append(text)
            else:
                doc_id = self.rng.choice(sorted(self.texts))
                text = self.texts[doc_id]
                start = self.rng.randrange(0, len(text) - 40)
                start = text.index(" ", start) + 1
                end = text.index(" ", start)
                result = cli(
                    self.db, "span", "add", doc_id, str(start), str(end), self.rng.choice(LABELS),
                    "--annotator", "Cli", "--json",
                )  # fmt: skip
                if result.returncode == 0:
                    self.span_ids.append(json.loads(result.stdout)["id"])
            if result.returncode == 0:
                self.done += 1
            else:
                self.failed += 1
                if kind == "bundle" and result.stdout.strip():
                    said = [r["reason"] for r in json.loads(result.stdout).get("refused", [])]
                else:
                    said = (result.stderr.strip() or result.stdout.strip()).splitlines()[-1:]
                self.errors.append(f"{kind} (exit {result.returncode}): {' '.join(said)[:300]}")


def soak(seconds: float, docs: int, spans: int, seed: int = 11) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from workbench.core import intents
    from workbench.core.errors import WorkbenchError
    from workbench.core.store import spans as span_store
    from workbench.core.store.project import Project
    from workbench.ui.background import run_in_background
    from workbench.ui.session import Session, app_settings, make_application

    rng = random.Random(seed)
    folder = Path(tempfile.mkdtemp(prefix="soak-"))
    os.environ["WORKBENCH_HOME"] = str(folder / "home")
    lead_path, copies = build_lead(folder, ANNOTATORS, docs, spans, seed=seed)
    bundles = make_work_bundles(folder, copies, rounds=6, rng=rng)
    with Project.open(lead_path) as lead:
        lead.set_current_annotator("Lead")
        lead.add_annotator("Cli")
        texts = {row.id: span_store_text(lead, row.id) for row in _summaries(lead)}

    dialogs: list[str] = []
    for kind in ("warning", "critical", "information"):
        setattr(QMessageBox, kind, staticmethod(lambda *args, **_: dialogs.append(str(args[2])) or 0))
    make_application()
    project = Project.open(lead_path)
    session = Session(project, app_settings())
    window = session.show()
    QApplication.processEvents()

    expected: dict[str, tuple[str, int, int, str]] = {}  # the window's confirmed spans in its layer

    def follow(change) -> None:
        for span in change.removed:
            expected.pop(span.id, None)
        for span in change.added + change.updated:
            if span.annotator == "Lead":
                expected[span.id] = (span.doc_id, span.start, span.end, span.label)

    window.runner.changed.connect(follow)
    refusals: list[str] = []
    window.runner.refused.connect(lambda exc: refusals.append(str(exc)))

    commands = CommandLine(lead_path, folder, bundles, texts, seed)
    commands.start()
    latencies: list[tuple[float, float]] = []  # (started at, seconds)
    done = 0
    deadline = time.perf_counter() + seconds
    doc_ids = sorted(texts)
    next_worker = time.perf_counter()
    while time.perf_counter() < deadline:
        if time.perf_counter() >= next_worker:
            # What the agreement, export and team panels do: a worker opens and closes the
            # project in this process while the window holds it open.
            run_in_background(project.path, lambda worker, _progress, _cancelled: worker.labels())
            next_worker = time.perf_counter() + 2
        doc_id = rng.choice(doc_ids)
        text = texts[doc_id]
        mine = [s for s in expected.items() if s[1][0] == doc_id]
        op = rng.random()
        started = time.perf_counter()
        try:
            if op < 0.45 or not mine:
                at = text.index(" ", rng.randrange(0, len(text) - 40)) + 1
                action = intents.tag(project, doc_id, "Lead", at, text.index(" ", at), rng.choice(LABELS))
            elif op < 0.65:
                span = span_store.get(project.db, rng.choice(mine)[0])
                action = intents.relabel(project, span, rng.choice(LABELS)) if span else None
            elif op < 0.85:
                span = span_store.get(project.db, rng.choice(mine)[0])
                action = intents.delete(project, span) if span else None
            else:
                action = None
                window.undo_stack.undo()
                done += 1
        except WorkbenchError as exc:  # refused before any write (e.g. the span is already there)
            action = None
            refusals.append(str(exc))
        if action is not None and window.runner.run(action) is not None:
            done += 1
        latencies.append((started, time.perf_counter() - started))
        QApplication.processEvents()
    commands.stop.set()
    commands.join()
    window.close()
    project.close()

    conn = sqlite3.connect(str(lead_path))
    try:
        stored = {
            row[0]: tuple(row[1:])
            for row in conn.execute('SELECT id, doc_id, start, "end", label FROM spans WHERE annotator = ?', ["Lead"])
        }
        cli_stored = {row[0] for row in conn.execute("SELECT id FROM spans WHERE annotator = 'Cli'")}
        doc_texts = {row[0] for row in conn.execute("SELECT text FROM documents")}
    finally:
        conn.close()
    lost_window = sum(1 for span_id, row in expected.items() if stored.get(span_id) != row)
    lost_cli = sum(1 for span_id in commands.span_ids if span_id not in cli_stored)
    lost_docs = sum(1 for text in commands.imported_texts if text not in doc_texts)

    def during_merge(at: float) -> bool:
        return any(a <= at <= b for a, b in commands.merges)

    merging = [s for at, s in latencies if during_merge(at)]
    quiet = [s for at, s in latencies if not during_merge(at)]

    def pct(values: list[float], q: float) -> float:
        if not values:
            return float("nan")
        values = sorted(values)
        return values[min(len(values) - 1, int(q * len(values)))] * 1000

    out = {
        "seconds": seconds,
        "window_actions_done": done,
        "window_actions_failed": len(refusals),
        "cli_commands_done": commands.done,
        "cli_commands_failed": commands.failed,
        "bundle_merges": len(commands.merges),
        "spans_lost": lost_window + lost_cli,
        "documents_lost": lost_docs,
        "error_dialogs": len(dialogs),
        "window_action_p50_during_merge_ms": statistics.median(merging) * 1000 if merging else float("nan"),
        "window_action_p99_during_merge_ms": pct(merging, 0.99),
        "window_action_p50_baseline_ms": statistics.median(quiet) * 1000 if quiet else float("nan"),
        "window_action_p99_baseline_ms": pct(quiet, 0.99),
    }
    if commands.errors or refusals:
        print("failures:", (commands.errors + refusals)[:5], file=sys.stderr)
    return out


def _summaries(project):
    from workbench.core.store import documents

    return documents.summaries(project.db)


def span_store_text(project, doc_id: str) -> str:
    from workbench.core.store import documents

    return documents.get(project.db, doc_id).text


UNITS = {"seconds": "s", "spans_lost": "spans", "documents_lost": "docs", "error_dialogs": "dialogs"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--spans", type=int, default=50)
    args = parser.parse_args()
    result = soak(args.seconds, args.docs, args.spans)
    for name, value in result.items():
        unit = UNITS.get(name, "ms" if name.endswith("_ms") else "x")
        print(f"{name}: {value:.1f} {unit}" if isinstance(value, float) else f"{name}: {value} {unit}")


if __name__ == "__main__":
    main()
