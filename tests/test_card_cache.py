"""The data card's agreement figures, kept in the project (issue 16), are never shown stale.

Each test uses a real project file on disk: it exports (the figures are computed), exports
again (read back from the project), changes the project through one write path (an intent and
its undo, the command line, an annotated import, a work bundle's merge, an adjudication, a
status, a label, a project bundle's update of a copy, another process writing with SQLite
alone), exports once more and checks that the figures were computed again and are those of
the project as it now is.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import regex
from click.testing import CliRunner

from workbench.cli.app import cli
from workbench.core import intents
from workbench.core.annotated_import import import_annotated
from workbench.core.assign import assign_by_hand
from workbench.core.bundles.project_bundle import export_project_bundle, open_project_bundle
from workbench.core.bundles.work_bundle import export_work_bundle, import_work_bundles
from workbench.core.export import ExportOptions, card_agreement, export, run
from workbench.core.importer import import_paths
from workbench.core.store import card_cache
from workbench.core.store import documents as doc_store
from workbench.core.store import spans as span_store
from workbench.core.store import status as status_store
from workbench.core.store.labels import Label
from workbench.core.store.project import GOLD, Project
from workbench.core.store.spans import Span
from workbench.resources import sample_corpus_files

SALMA, OMAR = "سلمى", "عمر"
PLACES = ("طرابلس", "بنغازي", "سرت", "ليبيا", "مصراتة")


def _places(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in regex.finditer("|".join(PLACES), text)]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """Five articles; Salma and Omar finished all (Omar missed a place in each); gold on four
    of them (the fifth waits for adjudication), marked done."""
    path = tmp_path_factory.mktemp("card") / "template.wbproj"
    with Project.create(path, name="card") as project:
        project.add_annotator(SALMA)
        project.add_annotator(OMAR)
        project.set_current_annotator("lead")
        ids = sorted(import_paths(project, list(sample_corpus_files())).imported)
        assign_by_hand(project, ids, SALMA)
        assign_by_hand(project, ids, OMAR)
        rows = []
        with project.transaction() as db:
            for n, doc_id in enumerate(ids):
                found = _places(doc_store.get(db, doc_id).text)
                assert len(found) >= 2, doc_id
                rows += [Span(doc_id, SALMA, s, e, "LOCATION") for s, e in found]
                rows += [Span(doc_id, OMAR, s, e, "LOCATION") for s, e in found[1:]]
                if n < 4:
                    rows += [Span(doc_id, GOLD, s, e, "LOCATION") for s, e in found]
                    status_store.set_status(db, doc_id, GOLD, "done", "lead")
                for name in (SALMA, OMAR):
                    status_store.set_status(db, doc_id, name, "done", name)
            span_store.insert_many(db, rows, "lead")
    return path


@pytest.fixture
def project_path(template, tmp_path) -> Path:
    path = tmp_path / "lead.wbproj"
    shutil.copy(template, path)
    return path


@pytest.fixture
def project(project_path):
    with Project.open(project_path, check=False) as project:
        yield project


class Exports:
    """Exports into new folders, returning the manifest's agreement figures."""

    def __init__(self, folder: Path, source: str = "gold"):
        self.folder = folder
        self.source = source
        self.n = 0

    def __call__(self, project: Project) -> dict:
        self.n += 1
        out = self.folder / f"export-{self.n}"
        report = export(project, ExportOptions(format="jsonl", source=self.source, split=(100,)), out)
        figures = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["agreement"]
        assert report.agreement == figures.get("as_of", {})
        return figures


def plain(figures: dict) -> dict:
    """The figures without when and how they were had."""
    return {key: value for key, value in figures.items() if key != "as_of"}


def fresh(project: Project) -> dict:
    data = card_agreement.summary(project)
    data["bootstrap"] = 0
    return json.loads(json.dumps(data, ensure_ascii=False))


@pytest.fixture
def exports(tmp_path) -> Exports:
    return Exports(tmp_path / "exports")


def kept_then(project: Project, exports: Exports, change, *, changes_figures: bool = True) -> tuple[dict, dict]:
    """Compute and keep the figures, change the project with ``change()``, export: the figures
    are computed again and are the project's as it now is. The figures before and after."""
    first = exports(project)
    second = exports(project)
    assert second["as_of"]["from_cache"] is True and plain(second) == plain(first)
    assert second["as_of"]["change"] == first["as_of"]["change"]
    change()
    third = exports(project)
    assert third["as_of"]["from_cache"] is False, "stale figures shown"
    assert plain(third) == fresh(project)
    if changes_figures:
        assert plain(third) != plain(first)
    assert exports(project)["as_of"]["from_cache"] is True  # kept again
    return plain(first), plain(third)


def doc_ids(project: Project) -> list[str]:
    return sorted(row[0] for row in project.db.execute("SELECT id FROM documents"))


def missed_place(project: Project, doc_id: str) -> tuple[int, int]:
    """The place Salma tagged and Omar missed."""
    return _places(doc_store.get(project.db, doc_id).text)[0]


# --- the cache itself ------------------------------------------------------------------------


def test_the_second_export_reads_the_figures_back_and_the_card_says_as_of_which_change(project, exports, tmp_path):
    first = exports(project)
    newest = project.db.execute("SELECT max(seq) FROM changes").fetchone()[0]
    assert first["as_of"]["change"] == newest and first["as_of"]["from_cache"] is False
    assert plain(first) == fresh(project) and first["pairs"][f"{SALMA}|{OMAR}"]["strict_f1"] < 1
    second = exports(project)
    assert second["as_of"] == {**first["as_of"], "from_cache": True}
    readme = (exports.folder / "export-2" / "README.md").read_text(encoding="utf-8")
    assert (
        f"as of change {newest} of the project's change log" in readme
        and "nothing they depend on has changed" in readme
    )
    # another format reads them back too
    out = tmp_path / "conll"
    report = export(project, ExportOptions(format="conll", split=(100,)), out)
    assert report.agreement["from_cache"] is True


def test_a_change_that_does_not_touch_what_the_figures_read_keeps_them(project, exports):
    first = exports(project)
    span = next(s for s in span_store.for_document(project.db, doc_ids(project)[0], SALMA))
    intents.edit(project, span, note="ملاحظة: المكان غير مؤكد").do(project)
    intents.set_guidelines(project, "# الإرشادات\n\nضع علامة على الأماكن.", "lead").do(project)
    second = exports(project)
    assert second["as_of"]["from_cache"] is True and plain(second) == plain(first)


def test_figures_are_not_kept_if_the_project_changed_while_they_were_computed(project, exports, monkeypatch):
    summary = card_agreement.summary
    doc_id = doc_ids(project)[0]
    start, end = missed_place(project, doc_id)

    def with_a_write_meanwhile(p):
        data = summary(p)
        with Project.open(p.path, check=False) as other:  # another connection, as the window's
            intents.tag(other, doc_id, OMAR, start, end, "LOCATION", snap=intents.EXACT).do(other)
        return data

    monkeypatch.setattr(card_agreement, "summary", with_a_write_meanwhile)
    exports(project)
    monkeypatch.setattr(card_agreement, "summary", summary)
    again = exports(project)
    assert again["as_of"]["from_cache"] is False and plain(again) == fresh(project)


def test_failed_figures_are_not_kept(project, exports, monkeypatch):
    def broken(p):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(card_agreement, "summary", broken)
    assert "error" in exports(project)
    monkeypatch.undo()
    assert exports(project)["as_of"]["from_cache"] is False


def test_another_version_computes_them_again(project, exports, monkeypatch):
    exports(project)
    monkeypatch.setattr(run, "CARD_FIGURES_VERSION", run.CARD_FIGURES_VERSION + 1)
    assert exports(project)["as_of"]["from_cache"] is False
    assert exports(project)["as_of"]["from_cache"] is True


def test_a_project_that_cannot_be_written_computes_them_and_keeps_nothing(project, exports, monkeypatch):
    kept = exports(project)
    monkeypatch.setattr(Project, "writable", property(lambda self: False))
    assert exports(project)["as_of"]["from_cache"] is True  # what was kept is read
    start, end = missed_place(project, doc_ids(project)[0])
    with project.db.conn:  # (a write the project's checks would refuse, made anyway)
        project.db.execute("UPDATE spans SET label = 'ACTOR' WHERE annotator = ? AND start = ?", [SALMA, start])
    for _ in range(2):
        found = exports(project)
        assert found["as_of"]["from_cache"] is False and plain(found) == fresh(project) != plain(kept)


# --- every write path ------------------------------------------------------------------------


def test_an_intent_and_its_undo(project, exports):
    doc_id = doc_ids(project)[0]
    start, end = missed_place(project, doc_id)
    action = intents.tag(project, doc_id, OMAR, start, end, "LOCATION", snap=intents.EXACT)
    before, after = kept_then(project, exports, lambda: action.do(project))
    assert after["pairs"][f"{SALMA}|{OMAR}"]["strict_f1"] > before["pairs"][f"{SALMA}|{OMAR}"]["strict_f1"]
    action.undo(project)
    undone = exports(project)
    assert undone["as_of"]["from_cache"] is False and plain(undone) == before


def test_a_relabel_and_a_delete(project, exports):
    doc_id = doc_ids(project)[1]
    span = span_store.for_document(project.db, doc_id, OMAR)[0]
    kept_then(project, exports, lambda: intents.relabel(project, span, "ACTOR").do(project))
    span = span_store.for_document(project.db, doc_id, OMAR)[0]
    kept_then(project, exports, lambda: intents.delete(project, span).do(project))


def test_a_status_change(project, exports):
    doc_id = doc_ids(project)[2]
    _, after = kept_then(project, exports, lambda: intents.set_status(project, doc_id, OMAR, "in-progress").do(project))
    assert after["pairs"][f"{SALMA}|{OMAR}"]["documents"] == 4


def test_the_command_line_says_whether_it_computed_them(project_path, tmp_path):
    runner = CliRunner()

    def cli_export(n: int, *extra: str):
        result = runner.invoke(
            cli, ["--db", str(project_path), "export", "--format", "jsonl", "-o", str(tmp_path / f"e{n}"), *extra]
        )
        assert result.exit_code == 0, result.output
        return result

    first = cli_export(1, "--json")
    assert "agreement figures for the data card: computed in" in first.stderr
    assert json.loads(first.stdout)["agreement_figures"]["from_cache"] is False  # stdout: JSON only
    assert "from the cache" in cli_export(2).stderr
    with Project.open(project_path, check=False) as project:
        doc_id = doc_ids(project)[0]
        start, end = missed_place(project, doc_id)
    added = runner.invoke(
        cli, ["--db", str(project_path), "span", "add", doc_id, str(start), str(end), "LOCATION", "--annotator", OMAR]
    )
    assert added.exit_code == 0, added.output
    third = cli_export(3)
    assert "computed in" in third.stderr
    with Project.open(project_path, check=False) as project:
        manifest = json.loads((tmp_path / "e3" / "manifest.json").read_text(encoding="utf-8"))
        assert plain(manifest["agreement"]) == fresh(project)
    status = runner.invoke(cli, ["--db", str(project_path), "status", doc_id, "not-started", "--annotator", SALMA])
    assert status.exit_code == 0, status.output
    assert "computed in" in cli_export(4).stderr


def test_an_import_of_annotated_files(project, exports, tmp_path):
    doc_id = doc_ids(project)[3]
    text = doc_store.get(project.db, doc_id).text
    start, end = missed_place(project, doc_id)
    record = {"text": text, "spans": [{"start": start, "end": end, "label": "LOCATION"}]}
    path = tmp_path / "omar.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    kept_then(project, exports, lambda: import_annotated(project, [path], "jsonl", OMAR))


def test_a_merge_of_a_work_bundle(project, exports, tmp_path):
    bundle = tmp_path / "omar.project.wbb"
    export_project_bundle(project, OMAR, bundle)
    doc_id = doc_ids(project)[0]
    start, end = missed_place(project, doc_id)
    with open_project_bundle(bundle, tmp_path / "omar.wbproj") as copy:
        intents.tag(copy, doc_id, OMAR, start, end, "LOCATION", snap=intents.EXACT).do(copy)
        export_work_bundle(copy, tmp_path / "omar.wbwork")

    def merge():
        report = import_work_bundles(project, [tmp_path / "omar.wbwork"])
        assert not report.refused, report.refused

    kept_then(project, exports, merge)


def test_an_adjudication(project, exports):
    waiting = doc_ids(project)[4]  # no gold yet
    action = intents.accept_unanimous(project, waiting)
    assert action is not None
    before, after = kept_then(project, exports, lambda: action.do(project))
    assert after["pairs"][f"{SALMA}|{GOLD}"]["documents"] == before["pairs"][f"{SALMA}|{GOLD}"]["documents"] + 1


def test_label_edits(project, exports):
    kept_then(
        project,
        exports,
        lambda: project.add_label(Label("WEAPON", "#805030", "w", "سلاح")),
        changes_figures=False,
    )
    # an attribute (like a colour) is not read by the figures: they stay kept
    intents.add_attribute(project, "LOCATION", "region", values="شرق, غرب").do(project)
    assert exports(project)["as_of"]["from_cache"] is True


def test_a_project_bundle_updating_a_copy(project, exports, tmp_path):
    bundle = tmp_path / "salma.project.wbb"
    export_project_bundle(project, SALMA, bundle)
    copy_path = tmp_path / "salma.wbproj"
    with open_project_bundle(bundle, copy_path) as copy:
        for doc_id in doc_ids(copy):
            start, end = regex.search(r"\p{L}{4,}", doc_store.get(copy.db, doc_id).text).span()
            intents.tag(copy, doc_id, SALMA, start, end, "DATE", snap=intents.EXACT).do(copy)
            intents.set_status(copy, doc_id, SALMA, "done").do(copy)
        copy_exports = Exports(tmp_path / "copy-exports", f"annotator:{SALMA}")
        copy_exports(copy)
        assert copy_exports(copy)["as_of"]["from_cache"] is True
    project.add_label(Label("WEAPON", "#805030", "w", "سلاح"))
    export_project_bundle(project, SALMA, bundle)
    with open_project_bundle(bundle, copy_path) as copy:  # the copy brought up to date
        assert copy.label("WEAPON") is not None
        again = copy_exports(copy)
        assert again["as_of"]["from_cache"] is False and plain(again) == fresh(copy)


def test_another_process_writing_with_sqlite_alone(project, exports):
    doc_id = doc_ids(project)[0]
    script = (
        "import sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1])\n"
        "with conn:\n"
        '    conn.execute("DELETE FROM spans WHERE doc_id = ? AND annotator = ?", [sys.argv[2], sys.argv[3]])\n'
        "conn.close()\n"
    )

    def elsewhere():
        subprocess.run([sys.executable, "-c", script, str(project.path), doc_id, OMAR], check=True, timeout=60)

    kept_then(project, exports, elsewhere)


def test_a_document_removed_elsewhere(project, exports):
    doc_id = doc_ids(project)[0]

    def remove():
        conn = sqlite3.connect(str(project.path))
        with conn:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("DELETE FROM spans WHERE doc_id = ?", [doc_id])
            conn.execute("DELETE FROM doc_status WHERE doc_id = ?", [doc_id])
            conn.execute("DELETE FROM assignments WHERE doc_id = ?", [doc_id])
            conn.execute("DELETE FROM documents WHERE id = ?", [doc_id])
        conn.close()

    kept_then(project, exports, remove)


def test_the_triggers_watch_every_table_the_figures_read(project):
    """Each watched table's writes clear the epoch (the store's protocol, table by table)."""
    statements = {
        "spans insert": f'INSERT INTO spans (id, doc_id, annotator, start, "end", label, attributes, note, unsure,'
        f" created_at, updated_at) SELECT 'x1', id, '{OMAR}', 0, 3, 'DATE', '{{}}', '', 0, 'now', 'now'"
        " FROM documents LIMIT 1",
        "spans update": "UPDATE spans SET label = 'ACTOR' WHERE rowid = (SELECT min(rowid) FROM spans)",
        "spans delete": "DELETE FROM spans WHERE rowid = (SELECT min(rowid) FROM spans)",
        "status update": "UPDATE doc_status SET status = 'in-progress' WHERE rowid = (SELECT min(rowid) FROM doc_status)",
        "status delete": "DELETE FROM doc_status WHERE rowid = (SELECT min(rowid) FROM doc_status)",
        "label update": "UPDATE labels SET position = position + 10 WHERE name = 'DATE'",
        "annotator insert": "INSERT INTO annotators (name, kind, created_at) VALUES ('هدى', 'human', 'now')",
    }
    for name, sql in statements.items():
        epoch = card_cache.begin(project)
        assert card_cache.keep(project, epoch, "test", {"n": 1}, 0.1) and card_cache.cached(project, "test")
        with project.transaction() as db:
            db.execute(sql)
        assert card_cache.cached(project, "test") is None, name
    epoch = card_cache.begin(project)
    with project.transaction() as db:
        db.execute("UPDATE spans SET note = 'ملاحظة' WHERE rowid = (SELECT min(rowid) FROM spans)")
        db.execute("UPDATE documents SET published = '2019-01-19' WHERE rowid = 1")
    assert card_cache.keep(project, epoch, "test", {"n": 2}, 0.1)  # neither is read by the figures
    with project.transaction() as db:
        db.execute("UPDATE doc_status SET status = status WHERE 0")  # no row: no change
    assert card_cache.cached(project, "test").figures == {"n": 2}


def test_figures_kept_by_one_connection_are_read_by_another(project_path, exports):
    with Project.open(project_path, check=False) as window:
        exports(window)
    with Project.open(project_path, check=False) as command_line:
        assert exports(command_line)["as_of"]["from_cache"] is True


def test_an_old_read_only_file_without_the_tables(project, exports, monkeypatch):
    monkeypatch.setattr(card_cache, "_has_tables", lambda p: False)
    assert exports(project)["as_of"]["from_cache"] is False
    assert exports(project)["as_of"]["from_cache"] is False


def test_an_older_project_gets_the_cache_when_upgraded(project_path, exports):
    from workbench.core.store import migrations

    with Project.open(project_path, check=False) as project:
        with project.transaction() as db:  # what a project of schema 0010 looks like
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE name LIKE 'card_%' AND type = 'trigger'"):
                db.execute(f"DROP TRIGGER {name}")
            db.execute("DROP INDEX spans_marked")
            db.execute(f"DROP TABLE {migrations.CARD_STATE_TABLE}")
            db.execute(f"DROP TABLE {migrations.CARD_CACHE_TABLE}")
            db.execute("DELETE FROM _sqlite_migrations WHERE name = '0011_card_figures'")
        for _ in range(2):  # without the tables: computed each time, and the export goes on
            assert exports(project)["as_of"]["from_cache"] is False
    with Project.open(project_path) as project:  # upgraded
        assert exports(project)["as_of"]["from_cache"] is False
        assert exports(project)["as_of"]["from_cache"] is True
