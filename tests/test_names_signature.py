"""The names the team gave are checked in O(1) (issue 16): a row SQLite's triggers bump
(migration 0010) instead of a scan of the spans, and the cached gazetteer is never stale,
whichever path changed a canonical name: an intent, its undo, the command line, a work-bundle
merge, an annotated import."""

from __future__ import annotations

import dataclasses
import json
import os
import re
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.cli.app import cli
from workbench.core import intents
from workbench.core.actions import CreateSpan
from workbench.core.annotated_import import import_annotated
from workbench.core.assign import assign_balanced
from workbench.core.bundles.project_bundle import export_project_bundle, open_project_bundle
from workbench.core.bundles.work_bundle import export_work_bundle, import_work_bundles
from workbench.core.importer import import_paths
from workbench.core.store import documents, migrations
from workbench.core.store import gazetteer as names_store
from workbench.core.store import spans as span_store
from workbench.core.store.project import Project
from workbench.core.store.spans import Span
from workbench.core.values import project_names
from workbench.resources import sample_corpus_files

DOC1 = "001_6c20427af2e36eef"
WORD = "الضواحي الجنوبية"  # in the sample corpus's first article; not a shipped name


def canonical(project: Project, word: str = WORD, label: str = "LOCATION") -> str | None:
    entry = project_names.gazetteer_of(project).lookup(word, label)
    assert cached_team(project) == project_names.team_entries(project)  # caught up = read whole
    return None if entry is None else entry.canonical


def where(project: Project, word: str = WORD, doc_id: str = DOC1) -> tuple[int, int]:
    start = documents.get(project.db, doc_id).text.index(word)
    return start, start + len(word)


def signature(project: Project) -> tuple:
    return names_store.given_signature(project.db, project_names.name_labels(project))


def make_project(path: Path) -> Project:
    project = Project.create(path, name="names")
    import_paths(project, list(sample_corpus_files()))
    project.add_annotator("Huda")
    return project


def test_the_signature_is_a_row_bumped_only_by_spans_with_a_canonical_name(tmp_path):
    project = make_project(tmp_path / "p.wbproj")
    before = signature(project)
    assert before[0] == "log"
    start, end = where(project)
    with project.transaction() as db:  # a date and a name without canonical: the names did not change
        span_store.insert(db, Span(DOC1, "Huda", start, end, "DATE", {}), "Huda")
        span_store.insert(db, Span(DOC1, "Huda", start, end, "ACTOR", {}), "Huda")
    assert signature(project) == before
    with project.transaction() as db:
        span_store.insert(db, Span(DOC1, "Huda", start, end, "LOCATION", {"canonical": "x"}), "Huda")
    assert signature(project) != before
    project.close()


def test_intent_edit_and_undo_change_the_gazetteer(tmp_path):
    project = make_project(tmp_path / "p.wbproj")
    assert canonical(project) is None
    start, end = where(project)
    tag = intents.tag(project, DOC1, "Huda", start, end, "LOCATION", attributes={"canonical": "Mohamed Gununu"})
    tag.do(project)
    assert canonical(project) == "Mohamed Gununu"
    edit = intents.edit(project, tag.span, attributes={"canonical": "محمد قنونو"})
    assert edit is not None
    edit.do(project)
    assert canonical(project) == "محمد قنونو"
    edit.undo(project)
    assert canonical(project) == "Mohamed Gununu"
    tag.undo(project)  # the span deleted: the name is forgotten
    assert canonical(project) is None
    project.close()


def test_the_command_line_changes_the_gazetteer_of_an_open_project(tmp_path):
    path = tmp_path / "p.wbproj"
    project = make_project(path)
    assert canonical(project) is None
    start, end = where(project)
    result = CliRunner().invoke(
        cli,
        ["--db", str(path), "span", "add", DOC1, str(start), str(end), "LOCATION", "--annotator", "Huda"]
        + ["--attr", "canonical=Mohamed Gununu (GNA)", "--no-values"],
    )
    assert result.exit_code == 0, result.output
    assert canonical(project) == "Mohamed Gununu (GNA)"  # another connection wrote it
    project.close()


def test_an_annotated_import_changes_the_gazetteer(tmp_path):
    project = make_project(tmp_path / "p.wbproj")
    assert canonical(project) is None
    text = documents.get(project.db, DOC1).text
    start, end = where(project)
    record = {"text": text, "spans": [{"start": start, "end": end, "label": "LOCATION", "canonical": "قنونو (الوفاق)"}]}
    path = tmp_path / "huda.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert import_annotated(project, [path], "jsonl", "Huda").spans == 1
    assert canonical(project) == "قنونو (الوفاق)"
    project.close()


def test_a_work_bundle_merge_changes_the_gazetteer(tmp_path):
    lead = make_project(tmp_path / "lead.wbproj")
    assign_balanced(lead, ["Huda"], k=1, seed=1)
    export_project_bundle(lead, "Huda", tmp_path / "huda.project.wbb")
    copy = open_project_bundle(tmp_path / "huda.project.wbb", tmp_path / "huda.wbproj")
    start, end = where(copy)
    made = CreateSpan(Span(DOC1, "Huda", start, end, "LOCATION", {"canonical": "Gununu"}))
    made.do(copy)
    export_work_bundle(copy, tmp_path / "w1.wbb")
    assert canonical(lead) is None
    assert import_work_bundles(lead, [tmp_path / "w1.wbb"]).merged
    assert canonical(lead) == "Gununu"
    intents.edit(copy, made.span, attributes={"canonical": "Gununu (spokesman)"}).do(copy)  # type: ignore[union-attr]
    export_work_bundle(copy, tmp_path / "w2.wbb")
    import_work_bundles(lead, [tmp_path / "w2.wbb"])
    assert canonical(lead) == "Gununu (spokesman)"
    copy.close()
    lead.close()


def test_an_older_project_gets_the_triggers_and_a_read_only_one_falls_back_to_a_scan(tmp_path):
    path = tmp_path / "old.wbproj"
    project = make_project(path)
    with project.transaction() as db:  # what a project of schema 0009 looks like
        for trigger in ("insert", "update", "delete"):
            db.execute(f"DROP TRIGGER given_names_{trigger}")
        db.execute(f"DROP TABLE {migrations.NAMES_LOG_TABLE}")
        db.execute(f"DROP TABLE {migrations.NAMES_EPOCH_TABLE}")
        db.execute("DELETE FROM _sqlite_migrations WHERE name = '0010_given_names_log'")
    assert signature(project)[0] == "scan"  # without the row: one pass over the spans, still right
    start, end = where(project)
    with project.transaction() as db:
        span_store.insert(db, Span(DOC1, "Huda", start, end, "LOCATION", {"canonical": "Gununu"}), "Huda")
    assert canonical(project) == "Gununu"
    project.close()
    project = Project.open(path)  # upgraded: the row and its triggers
    assert signature(project)[0] == "log"
    assert canonical(project) == "Gununu"
    (span,) = [s for s in span_store.for_document(project.db, DOC1, "Huda") if s.label == "LOCATION"]
    intents.edit(project, span, attributes={"canonical": "Gununu (GNA)"}).do(project)  # type: ignore[union-attr]
    assert canonical(project) == "Gununu (GNA)"
    project.close()


def cached_team(project: Project) -> list:
    project_names.gazetteer_of(project)
    return project_names._CACHE[os.path.realpath(project.path)].team


PARAGRAPH = "قال المتحدث باسم قوات الوفاق محمد قنونو إن القصف طال الضواحي الجنوبية لطرابلس ومصراتة."
WORDS = [(m.start(), m.end()) for m in re.finditer(r"\S+", PARAGRAPH)]
CANONICALS = st.one_of(st.sampled_from(["Tripoli", "  Tripoli ", "طرابلس", "", "   ", "Misrata"]), st.none())
OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["add", "edit", "relabel", "delete"]),
        st.integers(0, len(WORDS) - 1),
        st.sampled_from(["ACTOR", "LOCATION", "DATE"]),
        CANONICALS,
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(OPERATIONS)
def test_the_names_caught_up_from_the_log_are_the_names_read_whole(tmp_path_factory, operations):
    """Whatever is added, edited, relabelled or deleted, the cached team names, caught up from the
    log, are what reading every span again gives."""
    path = tmp_path_factory.mktemp("log") / "p.wbproj"
    project = Project.create(path, name="log")
    try:
        project.add_annotator("Huda")
        with project.transaction() as db:
            _, doc_id = documents.insert(db, documents.NewDocument(text=PARAGRAPH, id_hint="d"))
        made: list[Span] = []
        assert cached_team(project) == []
        for kind, word, label, name in operations:
            attributes = {} if name is None else {"canonical": name}
            with project.transaction() as db:
                if kind == "add" or not made:
                    start, end = WORDS[word]
                    made.append(span_store.insert(db, Span(doc_id, "Huda", start, end, label, attributes), "Huda"))
                else:
                    span = made.pop(word % len(made))
                    if kind == "delete":
                        span_store.delete(db, span.id, "Huda")
                        continue
                    changed = {"attributes": attributes} if kind == "edit" else {"label": label}
                    made.append(span_store.update(db, span, dataclasses.replace(span, **changed), "Huda"))
            assert cached_team(project) == project_names.team_entries(project)
    finally:
        project.close()


def test_a_reader_the_log_left_behind_reads_the_names_again(tmp_path):
    project = make_project(tmp_path / "p.wbproj")
    start, end = where(project)
    with project.transaction() as db:
        span_store.insert(db, Span(DOC1, "Huda", start, end, "LOCATION", {"canonical": "a"}), "Huda")
    assert canonical(project) == "a"
    seen = signature(project)[2]
    with project.transaction() as db:
        span_store.insert(db, Span(DOC1, "Huda", start, end, "ACTOR", {"canonical": "b"}), "Huda")
        span_store.insert(db, Span(DOC1, "Huda", start, end, "DATE", {"canonical": "c"}), "Huda")
        db.execute(f"DELETE FROM {migrations.NAMES_LOG_TABLE} WHERE seq <= ?", [seen + 1])  # as pruning does
    assert names_store.given_changes(project.db, seen, signature(project)[2]) is None
    assert canonical(project, label="ACTOR") == "b" and canonical(project) == "a"
    assert cached_team(project) == project_names.team_entries(project)
    project.close()
