"""Speed of the annotation window, offscreen, as medians over repeated runs.

The project is a lead's, as in issue 16 (built by ``open_bench.build``): 10,000 documents, each
with three annotators' layers and gold of about 50 spans (2,000,000 spans), assigned and done;
the lead is the current user. Figures (``name: value unit``):

- start-up to first paint of the window on that project (a fresh process each time, from
  launch to the article's first paint; opened as the app opens it, what the first paint shows
  first and the rest of the window just after: ``startup_window_whole_ms`` is when it is whole), and the same for a bare PySide6 QTextEdit showing the
  same article (the baseline, in the same run), their ratio (goal: at most 2), and where the
  window's time goes (imports, opening the project, building the window, first paint); and
  the least this stack does before that paint: the article view alone, built from the project
  file through the store (PySide6, sqlite-utils, the article's spans; no panels, menus or
  docks), in the window's place (``startup_article_view_alone_ms``);
- opening a 50,000-character document with 1,000 and with 5,000 spans (in the lead's layer of
  that project: database read, text, highlights, span table, first paint);
- adding one span in those documents, from the key press to highlighted, painted and committed
  (the selection is on screen, as when a user tags what they read; a full repaint of the
  article, where the app itself repaints only what changed), against the goal of 16 ms;
- opening the document list of a 100,000-document project, and the memory it takes (against
  a 10,000-document project: the list fetches lazily);
- opening a 20,000-character article with suggestions on and off (to its first paint; the
  suggestions are computed off the UI thread and drawn when they come), their ratio (goal:
  within 10 %), how long until the suggestions are drawn, the engines' own time on that
  article, and a full repaint of the article with its suggestions framed.

    python benchmarks/ui_bench.py [--repeat 7] [--docs 10000] [--suggestions-only]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _corpus import sample_paragraphs  # benchmarks/ is on sys.path when a benchmark runs

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STARTUP_CHILD = r"""
import os, sys, time
t0 = float(sys.argv[1])
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QEvent, QObject, QTimer
kind = sys.argv[2]
marks = []
if kind == "baseline":
    from PySide6.QtWidgets import QApplication, QTextEdit
    app = QApplication([])
    text = open(sys.argv[3], encoding="utf-8").read()
    window = QTextEdit(); window.setReadOnly(True); window.setPlainText(text); window.resize(1440, 900)
    target = window.viewport()
elif kind == "article":
    from pathlib import Path
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QWidget
    from workbench.core.store import documents, spans as span_store, status as doc_status
    from workbench.core.store.project import Project
    from workbench.ui.annotation_view import AnnotationView
    from workbench.ui.document_spans import DocumentSpans
    from workbench.ui.fonts import interface_font, register_fonts
    marks.append(time.time())
    app = QApplication([])
    register_fonts(); app.setFont(interface_font())
    project = Project.open(Path(sys.argv[3]), check=False)
    marks.append(time.time())
    window = QMainWindow(); window.resize(1440, 900)
    model = DocumentSpans(window); model.layer = project.current_annotator or ""
    view = AnnotationView(model); view.set_colors({label.name: label.color for label in project.labels()})
    splitter = QSplitter(Qt.Orientation.Horizontal)
    for widget in (QWidget(), view, QWidget()):
        splitter.addWidget(widget)
    splitter.setSizes([270, 750, 420]); window.setCentralWidget(splitter)
    doc_id = doc_status.next_unfinished(project.db, model.layer, None)
    model.load(doc_id, documents.get(project.db, doc_id).text, span_store.for_document(project.db, doc_id, model.layer))
    marks.append(time.time())
    target = view.viewport()
else:
    from pathlib import Path
    from workbench.ui.app import open_project
    from workbench.ui.session import Session, app_settings, make_application
    marks.append(time.time())
    app = make_application()
    project = open_project(Path(sys.argv[3]))
    marks.append(time.time())
    session = Session(project, app_settings())
    try:
        window = session.show(rest_after_paint=True)  # (as the app starts: workbench.ui.app.Controller)
    except TypeError:  # (a checkout from before the window was built in two steps)
        window = session.show()
    marks.append(time.time())
    target = window.view.viewport()

class Painted(QObject):
    def eventFilter(self, obj, event):
        if obj is target and event.type() == QEvent.Type.Paint:
            marks.append(time.time())
            if kind != "workbench":
                done()
            target.removeEventFilter(self)
            QTimer.singleShot(0, whole)
        return False

def done():
    print(" ".join(f"{mark - t0:.4f}" for mark in marks), flush=True)
    os._exit(0)

def whole():
    # the window's rest is built just after its first paint (workbench.ui.main_window): when the
    # window is whole, last (a checkout whose window is built at once: at its first paint)
    if not hasattr(window, "whole"):
        marks.append(marks[-1])
        done()
    if window.whole:
        marks.append(time.time())
        done()
    QTimer.singleShot(0, whole)

spy = Painted(); target.installEventFilter(spy)
window.show()
app.exec()
"""


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def startup(kind: str, home: Path, path: Path) -> list[float]:
    """Seconds from launch to the first paint (``baseline``), or to: imports done, project open,
    window built, first paint (``article``: the article view alone), and for the window
    (``workbench``, opened as the app opens it: what its first paint shows built first) the
    time it is whole too, the rest built just after its first paint.

    Both start with compiled bytecode, as an installed app does (pip compiles it when it
    installs): a checkout run with ``PYTHONDONTWRITEBYTECODE`` would compile every module of
    the app from source on each start (about 250 ms here). The bytecode goes to a cache beside
    the home folder (``PYTHONPYCACHEPREFIX``), not into the checkout; the first run of each
    kind fills it (``warm_up``)."""
    env = {**os.environ, "WORKBENCH_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(home.parent / "pycache")
    out = subprocess.run(
        [sys.executable, "-c", STARTUP_CHILD, repr(time.time()), kind, str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=ROOT,
    )
    return [float(value) for value in out.stdout.strip().splitlines()[-1].split()]


def make_big_document(project, spans: int, seed: int = 11, layer: str = "bench") -> str:
    """A 50,000-character article made of sample paragraphs, with ``spans`` spans on words in ``layer``."""
    import regex

    from workbench.core.store import documents
    from workbench.core.store.spans import Span, insert
    from workbench.core.text.normalise import normalize

    rng = random.Random(seed)
    paragraphs = sample_paragraphs(80)
    parts, size = [], 0
    while size < 50_000:
        paragraph = rng.choice(paragraphs)
        parts.append(paragraph)
        size += len(paragraph) + 2
    text = normalize("\n\n".join(parts)[:50_000].rsplit(" ", 1)[0])
    doc_id = f"big-{spans}"
    with project.transaction() as db:
        documents.insert(db, documents.NewDocument(text=text + f"\n{doc_id}", id=doc_id, title=doc_id))
        words = [m.span() for m in regex.finditer(r"[\p{L}\p{M}\p{N}]+", text)]
        chosen = sorted(rng.sample(range(len(words) - 3), spans))
        labels = ["ACTOR", "LOCATION", "CASUALTY", "DATE"]
        for n, index in enumerate(chosen):
            start = words[index][0]
            end = words[index + (1 if n % 7 else 2)][1]  # some two- and three-word spans (nested/crossing)
            insert(db, Span(doc_id, layer, start, end, labels[n % 4]), layer)
    return doc_id


def make_article(project, chars: int = 20_000, seed: int = 3) -> str:
    """A ``chars``-character article of sample paragraphs (dates, casualties, names), no spans."""
    from workbench.core.store import documents
    from workbench.core.text.normalise import normalize

    rng = random.Random(seed)
    paragraphs = sample_paragraphs(80)
    parts, size = [], 0
    while size < chars:
        paragraph = rng.choice(paragraphs)
        parts.append(paragraph)
        size += len(paragraph) + 2
    text = normalize("\n\n".join(parts)[:chars].rsplit(" ", 1)[0])
    doc_id = f"article-{chars}"
    with project.transaction() as db:
        documents.insert(db, documents.NewDocument(text=text, id=doc_id, title=doc_id))
    return doc_id


def suggestion_figures(app, window, doc_id: str, other: str, repeat: int) -> dict[str, float]:
    """Open ``doc_id`` with suggestions off and on (alternating), each time from ``other`` with
    nothing left running: to the first paint, and (on) until the suggestions are drawn."""
    from workbench.core import suggestions

    def idle() -> None:
        while window.feed.busy:
            app.processEvents()
            time.sleep(0.001)
        app.processEvents()

    project = window.project
    opened: dict[bool, list[float]] = {False: [], True: []}
    drawn, shown = [], []
    for _ in range(repeat):
        for on in (False, True):
            suggestions.set_enabled(project, on)
            window.open_document(other)
            idle()
            start = time.perf_counter()
            window.open_document(doc_id)
            window.view.viewport().repaint()
            opened[on].append(time.perf_counter() - start)
            idle()
            if on:
                window.view.viewport().repaint()
                drawn.append(time.perf_counter() - start)
                shown.append(len(window.spans.suggestions))
    paints = []
    for _ in range(repeat):
        start = time.perf_counter()
        window.view.viewport().repaint()
        paints.append(time.perf_counter() - start)
    engine = []
    for _ in range(repeat):
        start = time.perf_counter()
        suggestions.suggest(project, doc_id, window.annotator)
        engine.append(time.perf_counter() - start)
    off_ms, on_ms = median_ms(opened[False]), median_ms(opened[True])
    return {
        "off": off_ms,
        "on": on_ms,
        "ratio": on_ms / off_ms,
        "drawn": median_ms(drawn),
        "count": statistics.median(shown),
        "paint": median_ms(paints),
        "engine": median_ms(engine),
    }


def print_suggestion_figures(figures: dict[str, float]) -> None:
    print(f"open_20k_chars_suggestions_off_ms: {figures['off']:.1f} ms")
    print(f"open_20k_chars_suggestions_on_ms: {figures['on']:.1f} ms")
    print(f"open_20k_chars_on_off_ratio: {figures['ratio']:.3f} x (goal <= 1.10)")
    print(f"open_20k_chars_to_suggestions_drawn_ms: {figures['drawn']:.1f} ms ({figures['count']:.0f} suggestions)")
    print(f"suggest_20k_chars_engines_ms: {figures['engine']:.1f} ms")
    print(f"full_repaint_20k_chars_with_suggestions_ms: {figures['paint']:.1f} ms")


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def fill_documents(project, count: int) -> None:
    """``count`` documents written straight to the table (the import is measured elsewhere)."""
    from workbench.core.text.normalise import content_hash

    body = (ROOT / "corpus" / "002_af682284de1024ff.txt").read_text(encoding="utf-8")
    with project.transaction() as db:
        rows = []
        for n in range(count):
            text = f"{body}\n{n}"
            rows.append((f"doc{n:06d}", f"تقرير {n}", len(text), content_hash(text), "2026-01-01", text))
            if len(rows) == 5000:
                db.conn.executemany(
                    "INSERT INTO documents (id, title, chars, sha256, imported_at, text) VALUES (?, ?, ?, ?, ?, ?)",
                    rows,
                )
                rows = []
        if rows:
            db.conn.executemany(
                "INSERT INTO documents (id, title, chars, sha256, imported_at, text) VALUES (?, ?, ?, ?, ?, ?)", rows
            )


def idle(app, window) -> None:
    """Let the window finish what it does after an action (its suggestions, off the UI thread)."""
    while window.feed.busy:
        app.processEvents()
        time.sleep(0.001)
    app.processEvents()


def add_span_figures(app, window, doc_id: str, other: str, repeat: int) -> tuple[float, float, float, int]:
    """Open ``doc_id`` (from ``other``), then add spans in it: the medians of opening, of adding
    one span (key press to highlighted, painted and committed) and of a full repaint; and how
    many key presses added a span (the others hit an existing span, which is then selected)."""
    from PySide6.QtTest import QTest

    from workbench.core.store.spans import stored_in_file

    opens, adds, paints = [], [], []
    for _ in range(repeat):
        window.open_document(other)
        idle(app, window)
        start = time.perf_counter()
        window.open_document(doc_id)
        window.view.viewport().repaint()
        opens.append(time.perf_counter() - start)
    idle(app, window)
    rng = random.Random(5)
    free = list(range(100, len(window.text) - 100, 97))
    before = len(stored_in_file(window.project.path, doc_id))
    added = 0
    for _ in range(max(repeat * 3, 20)):
        at = rng.choice(free)
        view = window.view
        view.select_range(at, at + 12)  # what the user selected, on screen
        view.setFocus()
        view.ensureCursorVisible()
        view.viewport().repaint()
        idle(app, window)
        count = len(window.spans)
        start = time.perf_counter()
        QTest.keyClick(view, "2")
        view.viewport().repaint()
        elapsed = time.perf_counter() - start
        if len(window.spans) > count:
            adds.append(elapsed)
            added += 1
        idle(app, window)
    # committed: every span the window shows is in the file, read through another connection
    assert len(stored_in_file(window.project.path, doc_id)) == before + added
    for _ in range(repeat):
        start = time.perf_counter()
        window.view.viewport().repaint()
        paints.append(time.perf_counter() - start)
    return median_ms(opens), median_ms(adds), median_ms(paints), added


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--docs", type=int, default=10_000, help="documents of the lead's project")
    parser.add_argument("--suggestions-only", action="store_true", help="only the suggestions figures")
    args = parser.parse_args()
    if args.suggestions_only:
        suggestions_only(args.repeat)
        return

    from open_bench import build

    from workbench.core.store import documents
    from workbench.core.store import status as doc_status
    from workbench.core.store.project import Project
    from workbench.ui.document_panel import DocumentPanel
    from workbench.ui.session import Session, app_settings, make_application

    with tempfile.TemporaryDirectory(prefix="ui-bench-") as tmp:
        tmp_path = Path(tmp)
        home = tmp_path / "home"
        os.environ["WORKBENCH_HOME"] = str(home)
        lead = tmp_path / "lead.wbproj"
        started = time.perf_counter()
        build(lead, args.docs, 50, 3)
        with Project.open(lead) as project:
            big = {n: make_big_document(project, n, layer="lead") for n in (1000, 5000)}
            span_count = project.db.execute("SELECT COUNT(*) FROM spans").fetchone()[0]
            first = doc_status.next_unfinished(project.db, "lead", None)  # where the window opens
            document = documents.get(project.db, first or "")
            assert document is not None
            article = tmp_path / "article.txt"
            article.write_text(document.text, encoding="utf-8")
        build_s = time.perf_counter() - started

        ours, base, floor = [], [], []
        startup("baseline", home, article)  # (warm-up: the bytecode cache and the page cache)
        startup("workbench", home, lead)
        startup("article", home, lead)
        for _ in range(args.repeat):
            base.append(startup("baseline", home, article)[-1])
            ours.append(startup("workbench", home, lead))
            floor.append(startup("article", home, lead)[-1])

        app = make_application()
        project = Project.open(lead)
        session = Session(project, app_settings())
        window = session.show()
        window.activateWindow()
        app.processEvents()

        article_id = make_article(project)
        suggested = suggestion_figures(app, window, article_id, document.id, args.repeat)
        figures = {n: add_span_figures(app, window, doc_id, document.id, args.repeat) for n, doc_id in big.items()}
        window.close()
        project.close()

        lists = {}
        for count in (10_000, 100_000):
            listing = Project.create(tmp_path / f"list{count}.wbproj")
            fill_documents(listing, count)
            listing.close()
            listing = Project.open(tmp_path / f"list{count}.wbproj")
            times, memory = [], []
            for _ in range(args.repeat):
                before = rss_mb()
                start = time.perf_counter()
                panel = DocumentPanel(listing, "bench")
                panel.resize(400, 900)
                panel.show()
                panel.table.viewport().repaint()
                times.append(time.perf_counter() - start)
                memory.append(rss_mb() - before)
                panel.close()
                panel.deleteLater()
                app.processEvents()
            lists[count] = (median_ms(times), statistics.median(memory))
            listing.close()

    ours_ms, base_ms = median_ms([run[3] for run in ours]), median_ms(base)
    whole_ms = median_ms([run[4] for run in ours])
    phases = [median_ms([run[i] - (run[i - 1] if i else 0.0) for run in ours]) for i in range(4)]
    print(f"project_documents: {args.docs} count")
    print(f"project_spans: {span_count} count")
    print(f"project_build: {build_s:.1f} s")
    print(f"startup_first_paint_ms: {ours_ms:.0f} ms")
    print(f"baseline_qtextedit_first_paint_ms: {base_ms:.0f} ms")
    print(f"startup_ratio_to_baseline: {ours_ms / base_ms:.2f} x (goal <= 2.00)")
    for name, value in zip(("imports", "project_open", "window_built", "paint"), phases, strict=True):
        print(f"startup_{name}_ms: {value:.0f} ms")
    print(f"startup_window_whole_ms: {whole_ms:.0f} ms (the rest of the window, built after the first paint)")
    floor_ms = median_ms(floor)
    print(f"startup_article_view_alone_ms: {floor_ms:.0f} ms ({floor_ms / base_ms:.2f} x baseline)")
    for n in (1000, 5000):
        opened, added, painted, count = figures[n]
        print(f"open_50k_chars_{n}_spans_ms: {opened:.1f} ms")
        print(f"add_span_{n}_spans_ms: {added:.1f} ms ({count} spans added)")
        print(f"add_span_{n}_spans_ratio_to_goal: {added / 16:.2f} x (goal <= 1.00, 16 ms)")
        print(f"full_repaint_{n}_spans_ms: {painted:.1f} ms")
    print(f"open_list_10k_docs_ms: {lists[10_000][0]:.1f} ms")
    print(f"open_list_100k_docs_ms: {lists[100_000][0]:.1f} ms")
    print(f"list_memory_10k_docs_mb: {lists[10_000][1]:.2f} MB")
    print(f"list_memory_100k_docs_mb: {lists[100_000][1]:.2f} MB")
    print_suggestion_figures(suggested)
    print(f"runs: {args.repeat} x")


def suggestions_only(repeat: int) -> None:
    from workbench.core.importer import import_paths
    from workbench.core.store.project import Project
    from workbench.resources import sample_corpus_files
    from workbench.ui.session import Session, app_settings, make_application

    with tempfile.TemporaryDirectory(prefix="ui-bench-") as tmp:
        os.environ["WORKBENCH_HOME"] = str(Path(tmp) / "home")
        app = make_application()
        project = Project.create(Path(tmp) / "suggest.wbproj")
        import_paths(project, sample_corpus_files())
        project.set_current_annotator("bench")
        article = make_article(project)
        session = Session(project, app_settings())
        window = session.show()
        window.activateWindow()
        app.processEvents()
        figures = suggestion_figures(app, window, article, "002_af682284de1024ff", repeat)
        window.close()
        project.close()
    print_suggestion_figures(figures)
    print(f"runs: {repeat} x")


if __name__ == "__main__":
    main()
