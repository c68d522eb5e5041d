"""The project file: SQLite in WAL mode, versioned schema, upgrades with a backup, clear refusals."""

import sqlite3

import pytest
import sqlite_utils

from workbench.core.errors import ProjectError
from workbench.core.store import changelog, migrations
from workbench.core.store.database import Database
from workbench.core.store.labels import DEFAULT_LABELS, Label, validate_attributes
from workbench.core.store.project import GOLD, Project


def test_a_new_project_is_wal_with_foreign_keys_and_a_busy_timeout(project, project_path):
    assert project_path.exists()
    db = project.db
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert {"settings", "labels", "documents", "annotators", "spans", "doc_status", "changes"} <= set(db.table_names())
    assert project.schema_version == len(migrations.known_names())
    assert len(project.setting("project_id")) == 36


def test_default_schema_has_four_labels_with_keys_colours_and_attributes(project):
    labels = project.labels()
    assert [lab.name for lab in labels] == ["ACTOR", "LOCATION", "CASUALTY", "DATE"]
    assert [lab.key for lab in labels] == ["1", "2", "3", "4"]
    assert len({lab.color for lab in labels}) == 4
    casualty = project.label("CASUALTY")
    assert [a.name for a in casualty.attributes] == ["count", "kind", "approximate", "denied"]
    assert casualty.attribute("kind").choices == ("killed", "injured", "captured", "missing", "unspecified")
    date = project.label("DATE")
    assert [a.name for a in date.attributes] == ["value", "precision", "calendar"]
    assert date.attribute("precision").choices == ("day", "week", "month", "quarter", "year", "century")
    assert project.label("ACTOR").attribute("canonical").type == "text"
    assert project.label("LOCATION").attribute("canonical").type == "text"


def test_a_project_can_add_a_label_and_refuses_bad_ones(project):
    project.add_label(Label("WEAPON", "#0072B2", "5", "A weapon or munition."))
    assert project.labels()[-1].name == "WEAPON"
    with pytest.raises(ValueError, match="already has"):
        project.add_label(Label("ACTOR", "#000000"))
    with pytest.raises(ValueError, match="key 1"):
        project.add_label(Label("GROUP", "#000000", "1"))
    with pytest.raises(ValueError, match="#RRGGBB"):
        project.add_label(Label("GROUP", "red"))


def test_attributes_are_validated_against_the_label():
    casualty = DEFAULT_LABELS[2]
    assert validate_attributes(casualty, {"count": "١٨", "kind": "injured", "approximate": "yes"}) == {
        "count": 18,
        "kind": "injured",
        "approximate": True,
    }
    assert validate_attributes(casualty, {"count": "10-15"}) == {"count": [10, 15]}
    with pytest.raises(ValueError, match="one of"):
        validate_attributes(casualty, {"kind": "dead"})
    with pytest.raises(ValueError, match="not a count"):
        validate_attributes(casualty, {"count": "many"})
    date = DEFAULT_LABELS[3]
    assert validate_attributes(date, {"value": "2019-01-19", "precision": "day"})["value"] == "2019-01-19"
    assert validate_attributes(date, {"value": "2019-02"})["value"] == "2019-02"
    with pytest.raises(ValueError, match="ISO 8601"):
        validate_attributes(date, {"value": "2019-02-30"})
    with pytest.raises(ValueError, match="no attribute"):
        validate_attributes(date, {"canonical": "x"})


def test_settings_round_trip_arabic(project):
    project.set_setting("guidelines", "لا تُدرج حروف العطف (و، ف) في الكيان.")
    assert project.setting("guidelines") == "لا تُدرج حروف العطف (و، ف) في الكيان."
    assert project.setting("missing", 42) == 42


def test_annotators_and_the_gold_layer(project):
    project.set_current_annotator("Salma")
    project.add_annotator("Omar")
    assert project.current_annotator == "Salma"
    assert project.annotators() == ["Salma", "Omar"]
    kinds = dict(project.db.execute("SELECT name, kind FROM annotators").fetchall())
    assert kinds[GOLD] == "gold"
    with pytest.raises(ValueError):
        project.add_annotator("gold")
    with pytest.raises(ValueError):
        project.add_annotator("a,b")


def test_the_change_log_is_append_only(project):
    with project.transaction() as db:
        changelog.record(db, "span.create", "Salma", doc_id="d1", span_id="s1", after={"label": "ACTOR"})
    [entry] = changelog.history(project.db)
    assert entry["action"] == "span.create" and entry["after"] == {"label": "ACTOR"}
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        project.db.execute("UPDATE changes SET actor = 'Omar'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        project.db.execute("DELETE FROM changes")


def test_spans_check_their_offsets_and_references(project):
    with pytest.raises(sqlite3.IntegrityError), project.transaction() as db:
        db.execute(
            'INSERT INTO spans (id, doc_id, annotator, start, "end", label, created_at, updated_at)'
            " VALUES ('s', 'no-such-doc', 'gold', 0, 3, 'ACTOR', '', '')"
        )


def test_reopening_keeps_everything(project_path):
    with Project.create(project_path, name="مشروع ليبيا") as project:
        project_id = project.setting("project_id")
    with Project.open(project_path) as project:
        assert project.name == "مشروع ليبيا"
        assert project.setting("project_id") == project_id


def _old_project(path):
    """A project file as the first version of the schema left it."""
    db = Database(sqlite3.connect(path))
    db.execute("PRAGMA journal_mode = WAL")
    migrations.apply(db, stop_before=migrations.known_names()[-1])
    db.execute("INSERT INTO settings (key, value) VALUES ('name', '\"old\"')")
    db.conn.commit()
    db.close()


def test_an_older_file_is_upgraded_after_a_backup(project_path):
    _old_project(project_path)
    with Project.open(project_path) as project:
        assert project.schema_version == len(migrations.known_names())
        assert "changes" in project.db.table_names()
        backup = project.backup_path
    assert backup.exists() and backup.parent == project_path.parent
    with Project.open(backup) as old:  # the backup is the old file, and itself upgradable
        assert old.name == "old"


def test_a_file_from_a_newer_version_is_refused_and_left_alone(project_path, snapshot):
    Project.create(project_path).close()
    db = sqlite_utils.Database(str(project_path))  # (a record as sqlite-utils writes it)
    with db.atomic():
        db["_sqlite_migrations"].insert(
            {"migration_set": migrations.MIGRATION_SET, "name": "9999_from_the_future", "applied_at": "x"}
        )
    db.close()
    before = snapshot(project_path)
    with pytest.raises(ProjectError, match="newer version of Workbench"):
        Project.open(project_path)
    assert snapshot(project_path) == before


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty file"),
        (b"hello, this is a text file\n", "not an SQLite file"),
        (b"SQLite format 3\x00" + b"\x00" * 84 + b"garbage" * 100, "damaged|cannot be opened"),
    ],
)
def test_files_that_are_not_projects_are_refused_unchanged(tmp_path, content, message):
    path = tmp_path / "x.wbproj"
    path.write_bytes(content)
    with pytest.raises(ProjectError, match=message):
        Project.open(path)
    assert path.read_bytes() == content


def test_another_sqlite_database_is_not_a_project(tmp_path, snapshot):
    path = tmp_path / "other.sqlite"
    sqlite_utils.Database(str(path))["things"].insert({"a": 1})
    before = snapshot(path)
    with pytest.raises(ProjectError, match="not a Workbench project"):
        Project.open(path)
    assert snapshot(path) == before


def test_missing_file_and_existing_target(tmp_path, project_path):
    with pytest.raises(ProjectError, match="there is no project"):
        Project.open(tmp_path / "nope.wbproj")
    Project.create(project_path).close()
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(project_path)


def test_an_older_project_gets_the_value_attributes_of_its_default_labels(tmp_path):
    # Made by the version before values (tests/data/legacy_hmac): DATE had day/month/year only.
    import shutil

    from tests.test_signing import LEGACY

    shutil.copy(LEGACY / "lead.wbproj", tmp_path / "old.wbproj")
    old = Project.open(tmp_path / "old.wbproj")
    date = old.label("DATE")
    assert [a.name for a in date.attributes] == ["value", "precision", "calendar"]
    assert date.attribute("precision").choices == ("day", "week", "month", "quarter", "year", "century")
    assert [a.name for a in old.label("CASUALTY").attributes] == ["count", "kind", "approximate", "denied"]
    assert old.schema_version == len(migrations.known_names())
    old.close()
