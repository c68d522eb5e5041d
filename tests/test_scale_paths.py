"""The paths that must stay fast on a large project (issue 16): corpus search through the
trigram index gives exactly the hits of the folded scan; sqlite-utils does not drag pandas
into every start; agreement reads the project a document at a time."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core import search
from workbench.core.store import documents
from workbench.core.store.documents import NewDocument
from workbench.core.store.project import Project
from workbench.core.text.fold import fold
from workbench.resources import sample_corpus_files

# The sample articles cut into paragraphs: about a hundred real Arabic documents.
PARAGRAPHS = [
    p.strip() for f in sample_corpus_files() for p in f.read_text(encoding="utf-8").split("\n\n") if len(p.strip()) > 40
]
HARAKAT = "\u064e\u064f\u0650\u0651\u0652\u064b"
TATWEEL = "\u0640"
ALEF_FORMS = {"ا": "أإآٱ", "ي": "ى", "ه": "ة"}


def _fill(project: Project, texts: list[str]) -> None:
    with project.transaction() as db:
        for i, text in enumerate(texts):
            documents.insert(db, NewDocument(text=text, id_hint=f"p{i:03d}"))


@pytest.fixture(scope="module")
def corpus_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "search.wbproj"
    project = Project.create(path)
    # A few texts written with harakat, tatweel and other letter forms, so that the folded
    # index has to forgive them in the stored text too.
    extra = [
        "قُتِلَ ثلاثةُ مدنيين في مـــصراتة يومَ الأربعاء، وأُصيب آخرون في إجدابيا.",
        "وطرابلس وبنغازي ومستشفى الجلاء: سقط ١٨ جريحا و٣٠ أسيرا.",
        'قال "المتحدث" إن القوات دخلت Sirte "quote" بعد أيام.',
    ]
    _fill(project, PARAGRAPHS + extra[:2])
    assert search.catch_up(project) == len(PARAGRAPHS) + 2  # (the window does it before a search)
    _fill(project, extra[2:])  # one document not indexed yet: read whole after the index's
    project.close()
    return path


def _same(path, query):
    indexed = search.in_corpus(path, query, limit=10_000)
    scanned = search.in_corpus(path, query, limit=10_000, scan=True)
    assert indexed == scanned
    return indexed


@pytest.mark.parametrize(
    "query",
    [
        "طرابلس",  # whole word, and inside وطرابلس / بطرابلس
        "رابل",  # inside a word
        "قتل",  # stored with harakat
        "مصراتة",  # stored with tatweel, teh marbuta folded
        "أجدابيا",  # stored with إ
        "مستشفى الجلاء",  # two words, alef maqsura
        "18 جريحا",  # Arabic-Indic digits in the text
        '"المتحدث"',  # FTS5 quoting
        "SIRTE",  # case
        "ال",  # two letters: the scan
        "ق",
        "غير موجود في النصوص",
    ],
)
def test_index_finds_what_the_scan_finds(corpus_path, query):
    hits = _same(corpus_path, query)
    if query in ("طرابلس", "قتل", "مصراتة", "أجدابيا", "مستشفى الجلاء", "18 جريحا", "SIRTE"):
        assert hits


def _decorate(draw, text: str) -> str:
    """Write ``text`` another way the fold forgives: harakat, tatweel, other letter forms."""
    out = []
    for ch in text:
        if ch in ALEF_FORMS and draw(st.booleans()):
            ch = draw(st.sampled_from(ALEF_FORMS[ch]))
        out.append(ch)
        if "\u0621" <= ch <= "\u064a":
            if draw(st.integers(0, 5)) == 0:
                out.append(draw(st.sampled_from(HARAKAT)))
            if draw(st.integers(0, 8)) == 0:
                out.append(TATWEEL)
    return "".join(out)


@st.composite
def queries(draw):
    kind = draw(st.sampled_from(["cut", "cut", "cut", "random"]))
    if kind == "random":
        return draw(st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهوي ةىأإآ", min_size=1, max_size=6))
    text = draw(st.sampled_from(PARAGRAPHS))
    size = draw(st.integers(1, 14))
    start = draw(st.integers(0, max(0, len(text) - size)))
    return _decorate(draw, text[start : start + size])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=queries())
def test_index_matches_the_folded_scan_on_random_queries(corpus_path, query):
    hits = _same(corpus_path, query)
    assert all(fold(h.match) == fold(query).strip() for h in hits)


def test_documents_added_later_are_searchable_and_the_limit_holds(tmp_path):
    path = tmp_path / "later.wbproj"
    project = Project.create(path)
    _fill(project, PARAGRAPHS[:10])
    search.catch_up(project)
    assert search.in_corpus(path, "زليتن الجديدة") == []
    _fill(project, ["وصلت القوات إلى زليتن الجديدة صباحاً."])
    # Not in the index yet (import does not index): found all the same, read whole.
    assert documents.pending_index(project.db.conn) == 1
    assert [h.match for h in search.in_corpus(path, "زليتن الجديده")] == ["زليتن الجديدة"]
    assert search.catch_up(project) == 1 and documents.pending_index(project.db.conn) == 0
    project.close()
    hits = search.in_corpus(path, "زليتن الجديده")
    assert [h.match for h in hits] == ["زليتن الجديدة"]
    assert len(search.in_corpus(path, "ال", limit=7)) == 7


def test_upgrading_an_older_project_gets_the_index_and_catches_up(tmp_path):
    """A project written before schema 0009 gets the index when it is opened (empty: the
    upgrade stays quick), filled by catching up; searches are right before and after."""
    path = tmp_path / "old.wbproj"
    project = Project.create(path)
    _fill(project, PARAGRAPHS)
    with project.transaction() as db:  # what a project of schema 0007/0008 looks like
        db.execute(f"DROP TABLE {documents.FTS_TABLE}")
        db.execute("DELETE FROM _sqlite_migrations WHERE name = '0009_search_index'")
    project.close()
    assert search.in_corpus(path, "طرابلس") == search.in_corpus(path, "طرابلس", scan=True)  # (scans)
    project = Project.open(path)
    assert project.backup_path.exists()
    assert documents.pending_index(project.db.conn) == len(PARAGRAPHS)
    _same(path, "طرابلس")
    assert search.catch_up(project, seconds=60) == len(PARAGRAPHS)
    assert documents.pending_index(project.db.conn) == 0 and search.catch_up(project) == 0
    project.close()
    _same(path, "طرابلس")
    assert search.in_corpus(path, "طرابلس")


# --- pandas stays out of the start-up ---------------------------------------------------------


def test_the_cli_starts_without_pandas_and_the_hf_export_still_works(tmp_path):
    pytest.importorskip("pandas")
    pytest.importorskip("datasets")
    script = textwrap.dedent(
        f"""
        import json, sys
        from pathlib import Path
        import workbench.cli.app
        started = sorted(m for m in ("pandas", "sqlite_utils") if m in sys.modules)
        from workbench.core.export.run import ExportOptions, export
        from workbench.core.store import documents, spans
        from workbench.core.store.documents import NewDocument
        from workbench.core.store.project import GOLD, Project
        from workbench.core.store.spans import Span
        project = Project.create(Path({str(tmp_path / "hf.wbproj")!r}))  # (sqlite-utils migrates it)
        import sqlite_utils.db
        with project.transaction() as db:
            for i, text in enumerate(["قُتل ثلاثة مدنيين في طرابلس.", "أصيب خمسة في بنغازي أمس."]):
                _, doc_id = documents.insert(db, NewDocument(text=text, id_hint=f"d{{i}}"))
                start = text.index("طرابلس" if i == 0 else "بنغازي")
                spans.insert(db, Span(doc_id=doc_id, annotator=GOLD, start=start, end=start + 6,
                                      label="LOCATION"), GOLD)
        export(project, ExportOptions(format="hf"), Path({str(tmp_path / "hf-out")!r}))
        import datasets, pandas
        data = datasets.load_from_disk({str(tmp_path / "hf-out")!r})
        rows = sum(len(data[s]) for s in data)
        print(json.dumps({{"started": started, "rows": rows, "pd": sqlite_utils.db.pd is None,
                          "real_pandas": hasattr(pandas, "DataFrame")}}))
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["started"] == []
    assert result["pd"] is True  # sqlite-utils saw no pandas
    assert result["real_pandas"] is True  # and the HF export got the real one
    assert result["rows"] >= 2


def test_the_store_starts_without_dateutils_parser_and_both_its_users_still_get_it():
    """sqlite-utils' date recipes name ``dateutil.parser`` at import time: it is imported when
    they first use it (here by eight threads at once), and ``dateparser`` gets the real one."""
    script = textwrap.dedent(
        """
        import json, sys, threading
        from workbench.core.store.database import sqlite_utils
        started = "dateutil.parser" in sys.modules or "dateutil.tz" in sys.modules
        sqlite_utils()  # (what creating or upgrading a project imports)
        started = started or "dateutil.parser" in sys.modules or "dateutil.tz" in sys.modules
        from sqlite_utils import recipes
        results = []
        def convert():
            results.append(recipes.parsedate("7 December 2026"))
            results.append(recipes.parsedatetime("not a date", errors=recipes.IGNORE))  # (its ParserError too)
        threads = [threading.Thread(target=convert) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        import dateparser
        from dateutil import parser
        print(json.dumps({"started": started, "results": sorted(set(results)),
                          "real": type(sys.modules["dateutil.parser"]).__name__ == "module"
                                  and hasattr(parser, "parse"),
                          "dateparser": str(dateparser.parse("2026-12-07").date())}))
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {
        "started": False,
        "results": ["2026-12-07", "not a date"],
        "real": True,
        "dateparser": "2026-12-07",
    }


# --- agreement, a document at a time ---------------------------------------------------------

LABELS = ("ACTOR", "LOCATION", "CASUALTY", "DATE")


def _annotated(path, docs: int = 40):
    """A project of sample paragraphs with three annotators' layers and gold, all done: each
    annotator misses, relabels or shifts some of the gold's word spans, reproducibly."""
    import random
    import re

    from workbench.core.store import spans as span_store
    from workbench.core.store import status as doc_status
    from workbench.core.store.spans import Span

    project = Project.create(path)
    names = ("Salma", "Omar", "Huda")
    for name in names:
        project.add_annotator(name)
    rng = random.Random(7)
    with project.transaction() as db:
        for i, text in enumerate(PARAGRAPHS[:docs]):
            _, doc_id = documents.insert(db, NewDocument(text=text, id_hint=f"p{i:03d}"))
            words = [m.span() for m in re.finditer(r"\w+", text)]
            gold = [(s, e, rng.choice(LABELS)) for s, e in rng.sample(words, min(8, len(words)))]
            for name in (*names, "gold"):
                layer = set()
                for s, e, label in gold:
                    roll = rng.random()
                    if name != "gold" and roll < 0.1:
                        continue
                    if name != "gold" and roll < 0.2:
                        label = rng.choice(LABELS)
                    if name != "gold" and roll < 0.3 and e - s > 2:
                        s += 1  # a proclitic (or a letter) left out
                    layer.add((s, e, label))
                span_store.insert_many(db, [Span(doc_id, name, s, e, lab) for s, e, lab in sorted(layer)], name)
                doc_status.set_status(db, doc_id, name, "done", name)
    return project


def _old_way(project, doc_ids, names, bootstrap):
    """The figures as computed before issue 16: every document loaded as objects, then measured."""
    from workbench.core.agreement import Annotation, Document, compute_agreement

    docs = []
    for doc_id in sorted(doc_ids):
        rows = project.db.execute(
            'SELECT annotator, start, "end", label FROM spans WHERE doc_id = ?', [doc_id]
        ).fetchall()
        annotations = {n: [Annotation(s, e, lab) for a, s, e, lab in rows if a == n] for n in names}
        docs.append(Document(doc_id, documents.text(project.db, doc_id), annotations))
    return compute_agreement(docs, names, [label.name for label in project.labels()], bootstrap, 0)


def test_agreement_read_a_document_at_a_time_gives_the_same_figures(tmp_path, monkeypatch):
    from workbench.core.agreement import tokens
    from workbench.core.agreement.source import project_agreement

    project = _annotated(tmp_path / "agree.wbproj")
    doc_ids = set(documents.ids(project.db))
    monkeypatch.setattr(tokens, "CHUNK_CHARS", 700)  # many chunks for the token kappas
    result = project_agreement(project, bootstrap=30)
    names = ["Salma", "Omar", "Huda"]
    assert result.overall.to_dict() == _old_way(project, doc_ids, names, 30).to_dict()
    assert result.pairs["Omar|gold"].to_dict() == _old_way(project, doc_ids, ["Omar", "gold"], 30).to_dict()
    assert result.overall.fleiss_kappa_bio.value is not None
    project.close()


def test_agreement_memory_is_measured_in_a_child_process(tmp_path):
    """Peak memory of the agreement of a small project, in a child of its own (the way the scale
    benchmark measures it); a loose ceiling, not a timing: the figures are the benchmark's."""
    path = tmp_path / "mem.wbproj"
    _annotated(path).close()
    script = textwrap.dedent(
        f"""
        import resource, subprocess, sys
        child = (
            "from workbench.core.store.project import Project\\n"
            "from workbench.core.agreement.source import project_agreement\\n"
            "project_agreement(Project.open({str(path)!r}, check=False), bootstrap=50).to_json()\\n"
        )
        subprocess.run([sys.executable, "-c", child], check=True)
        print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert 0 < int(out.stdout.strip()) < 400
