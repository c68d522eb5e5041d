"""Many spans inserted at once (a work bundle's merge, issue 16): the spans table's INSERT triggers
are set aside inside the transaction and their work done once, for all the rows, at the end
(``spans.inserts_in_bulk``); a refused row rolls the whole transaction back (``INSERT OR
ROLLBACK``); a run of merges turns SQLite's foreign-key checks off for its connection only, and
on again after (``Project.bulk_writes``). Each is compared with what the triggers and the checks
themselves do, on real project files."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.store import documents, migrations
from workbench.core.store import spans as span_store
from workbench.core.store.project import Project, now

TEXT = "قال مصدر في الضواحي الجنوبية إن ثلاثة قتلى سقطوا يوم الأحد في قصف على بلدة الخيام."
LABELS = ("ACTOR", "LOCATION", "CASUALTY", "DATE")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bulk") / "template.wbproj"
    project = Project.create(path, name="bulk")
    with project.transaction() as db:
        for n in range(3):
            documents.insert(db, documents.NewDocument(text=f"{TEXT} ({n})", id=f"d{n}"))
    project.add_annotator("Huda")
    project.add_annotator("Omar")
    project.close()
    return path


def copy_of(template: Path, folder: Path, name: str) -> Project:
    target = folder / name
    shutil.copyfile(template, target)
    return Project.open(target)


def words() -> list[tuple[int, int]]:
    found, start = [], None
    for index, char in enumerate(TEXT + " "):
        if char not in " .":
            start = index if start is None else start
        elif start is not None:
            found.append((start, index))
            start = None
    return found


# Attributes as a merge may carry them: none, a canonical name (with spaces to trim, empty, not a
# text), other keys, and text that is not JSON (the triggers do not read it as JSON).
ATTRIBUTES = st.one_of(
    st.just("{}"),
    st.builds(
        lambda v: json.dumps({"canonical": v}, ensure_ascii=False), st.sampled_from(["الخيام", "  بلدة  ", "", 3])
    ),
    st.builds(lambda v: json.dumps({"canonical": v, "note": "x"}, ensure_ascii=False), st.sampled_from(["حزب", " "])),
    st.just('{"CANONICAL": "Capital"}'),
    st.just('not json "canonical"'),
)


def rows_for(annotator: str, picks: list[tuple[int, int, int, str]]) -> list[tuple]:
    spans, stamp, seen = [], now(), set()
    for doc, word, label, attributes in picks:
        start, end = words()[word]
        key = (doc, start, end, label)
        if key in seen:
            continue
        seen.add(key)
        spans.append(
            (
                f"{annotator}-{len(spans)}",
                f"d{doc}",
                annotator,
                start,
                end,
                LABELS[label],
                attributes,
                "",
                0,
                stamp,
                stamp,
            )
        )
    return spans


def logged(project: Project) -> Counter:
    return Counter(
        project.db.execute(f"SELECT text, label, canonical, sign FROM {migrations.NAMES_LOG_TABLE}").fetchall()
    )


def triggers(project: Project) -> dict[str, str]:
    return dict(project.db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'spans'"))


def clean(project: Project) -> int:
    return project.db.execute(f"SELECT clean FROM {migrations.CARD_STATE_TABLE}").fetchone()[0]


PICKS = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, len(words()) - 1), st.integers(0, 3), ATTRIBUTES), max_size=40
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picks=PICKS, first=PICKS, clean_before=st.booleans())
def test_setting_the_triggers_aside_does_what_they_do(template, tmp_path, picks, first, clean_before):
    """The same rows inserted with the triggers and inside ``inserts_in_bulk``, into two copies
    of one file that already holds spans: the same names logged, the same card state, the same
    spans, the same triggers after."""
    projects = [copy_of(template, tmp_path, name) for name in ("with.wbproj", "aside.wbproj")]
    earlier, rows = rows_for("Omar", first), rows_for("Huda", picks)
    try:
        for project, aside in zip(projects, (False, True), strict=True):
            with project.transaction() as db:
                assert span_store.insert_rows(db, earlier) is None
                db.execute(f"UPDATE {migrations.CARD_STATE_TABLE} SET clean = ?", [int(clean_before)])
            with project.transaction() as db:
                if aside:
                    with span_store.inserts_in_bulk(db) as set_aside:
                        assert set_aside
                        assert not {"given_names_insert", "card_spans_insert"} & set(triggers(project))
                        assert span_store.insert_rows(db, rows) is None
                else:
                    assert span_store.insert_rows(db, rows) is None
        with_triggers, aside = projects
        assert logged(aside) == logged(with_triggers)
        assert clean(aside) == clean(with_triggers) == (0 if picks else int(clean_before))
        assert triggers(aside) == triggers(with_triggers)
        query = "SELECT * FROM spans ORDER BY id"
        assert aside.db.execute(query).fetchall() == with_triggers.db.execute(query).fetchall()
    finally:
        for project in projects:
            project.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{project.path}{suffix}").unlink(missing_ok=True)


def test_a_refused_row_rolls_the_transaction_back_and_names_the_row(template, tmp_path):
    project = copy_of(template, tmp_path, "p.wbproj")
    with project.transaction() as db:
        assert span_store.insert_rows(db, rows_for("Omar", [(0, 0, 0, "{}")])) is None  # id Omar-0
    before = triggers(project)
    taken = rows_for("Omar", [(1, 1, 1, "{}")])[0]
    rows = rows_for("Huda", [(0, n, 1, '{"canonical": "x"}') for n in range(8)])
    rows = [*rows[:5], taken, *rows[5:]]
    big = rows_for("Huda", [(d, n, label, "{}") for d in range(3) for n in range(len(words())) for label in range(4)])
    big = [(f"big-{i}", *row[1:]) for i, row in enumerate(big)]
    # (a caller that goes on after the refusal is told)
    with (
        pytest.raises(RuntimeError, match="transaction ended"),
        project.transaction() as db,
        span_store.inserts_in_bulk(db),
    ):
        assert span_store.insert_rows(db, big) is None  # (more than one statement's rows before)
        assert span_store.insert_rows(db, rows) == 5
        assert not db.conn.in_transaction  # SQLite rolled all of it back
    assert project.db.execute("SELECT id FROM spans").fetchall() == [("Omar-0",)]
    assert triggers(project) == before
    assert logged(project) == Counter()
    # a row twice in one call: the second is the one refused
    with pytest.raises(LookupError), project.transaction() as db:
        assert span_store.insert_rows(db, [big[0], big[1], big[0]]) == 2
        raise LookupError("a merge refuses its bundle: the transaction is gone")
    assert project.db.execute("SELECT COUNT(*) FROM spans").fetchone()[0] == 1


def test_leaving_the_block_early_keeps_the_triggers(template, tmp_path):
    project = copy_of(template, tmp_path, "p.wbproj")
    before = triggers(project)
    with pytest.raises(ValueError), project.transaction() as db, span_store.inserts_in_bulk(db):
        span_store.insert_rows(db, rows_for("Huda", [(0, 2, 1, '{"canonical": "الخيام"}')]))
        raise ValueError("the merge found something wrong")
    assert triggers(project) == before
    assert project.db.execute("SELECT COUNT(*) FROM spans").fetchone()[0] == 0
    assert logged(project) == Counter()


def test_a_trigger_it_does_not_know_keeps_every_trigger_in_place(template, tmp_path):
    project = copy_of(template, tmp_path, "p.wbproj")
    project.db.execute("CREATE TABLE seen (id TEXT)")
    project.db.execute("CREATE TRIGGER someone_elses AFTER INSERT ON spans BEGIN INSERT INTO seen VALUES (NEW.id); END")
    before = triggers(project)
    with project.transaction() as db, span_store.inserts_in_bulk(db) as set_aside:
        assert not set_aside
        assert triggers(project) == before
        span_store.insert_rows(db, rows_for("Huda", [(0, 2, 1, '{"canonical": "الخيام"}')]))
    assert project.db.execute("SELECT id FROM seen").fetchall() == [("Huda-0",)]
    assert logged(project) == Counter({(TEXT[slice(*words()[2])], "LOCATION", "الخيام", 1): 1})


def test_it_needs_a_transaction(template, tmp_path):
    project = copy_of(template, tmp_path, "p.wbproj")
    with pytest.raises(RuntimeError, match="transaction"), span_store.inserts_in_bulk(project.db):
        pass


def foreign_keys(project: Project) -> int:
    return project.db.execute("PRAGMA foreign_keys").fetchone()[0]


def test_a_run_whose_references_are_checked_turns_the_foreign_keys_off_for_its_connection_only(template, tmp_path):
    project = copy_of(template, tmp_path, "p.wbproj")
    other = Project.open(project.path)
    assert foreign_keys(project) == 1
    with project.bulk_writes():
        assert foreign_keys(project) == 1
    with project.bulk_writes(references_checked=True):
        assert foreign_keys(project) == 0
        assert foreign_keys(other) == 1
        # (the other connection still checks them: a span of nobody's is refused)
        with pytest.raises(LookupError), other.transaction() as db:
            assert span_store.insert_rows(db, rows_for("Nobody", [(0, 0, 0, "{}")])) == 0
            raise LookupError("refused")
        assert other.db.execute("SELECT COUNT(*) FROM spans").fetchone()[0] == 0
    assert foreign_keys(project) == 1
    with pytest.raises(ValueError), project.bulk_writes(references_checked=True):
        raise ValueError("a merge failed")
    assert foreign_keys(project) == 1
    other.close()
