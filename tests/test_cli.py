"""workbench-cli as a user runs it: a real process, a real project file, exit statuses and JSON."""

import json
import os
import subprocess
import sys

import click
import pytest

from workbench.cli import cli
from workbench.core.text.normalise import normalize


def run(*args, env=None, check=True):
    full_env = {**os.environ, **(env or {})}
    result = subprocess.run(
        [sys.executable, "-m", "workbench.cli", *map(str, args)],
        capture_output=True,
        env=full_env,
        timeout=120,
    )
    if check and result.returncode not in (0,):
        raise AssertionError(f"exit {result.returncode}: {result.stderr.decode()}")
    return result


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cli.wbproj"
    run("--db", path, "init", "--name", "مشروع")
    return path


def test_init_import_docs_show(db, corpus_files, corpus_texts):
    result = run("--db", db, "import", "--json", corpus_files[0].parent)
    report = json.loads(result.stdout)
    # The sample corpus is also a Python package: its __init__.py is named as passed over, not read.
    passed_over = [
        {"path": str(corpus_files[0].parent / "__init__.py"), "reason": "a .py file: not a kind of file import reads"}
    ]
    assert report == {"imported": 5, "duplicates": [], "refused": [], "passed_over": passed_over}

    listing = json.loads(run("--db", db, "docs", "--json").stdout)
    assert [set(item) for item in listing] == [{"id", "title", "chars", "sha256", "status"}] * 5
    assert listing[2]["title"] == "مصدر بجيش حفتر يعترف بأسر 30 من قواته"
    assert listing[2]["status"] == "not-started"

    # Piped output is the stored, logical text, byte for byte.
    shown = run("--db", db, "show", "002_af682284de1024ff").stdout.decode("utf-8")
    assert shown == normalize(corpus_texts["002_af682284de1024ff"])

    table = run("--db", db, "docs").stdout.decode("utf-8")
    assert "002_af682284de1024ff" in table and "مصدر بجيش حفتر" in table


def test_import_report_and_exit_status_when_something_is_refused(db, tmp_path, corpus_files):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("--db", db, "import", "--json", corpus_files[0], empty, check=False)
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert report["imported"] == 1
    assert report["refused"] == [{"path": str(empty), "reason": "the file is empty"}]

    again = run("--db", db, "import", "--json", corpus_files[0])
    assert json.loads(again.stdout)["duplicates"] == [
        {"path": str(corpus_files[0]), "existing_id": corpus_files[0].stem}
    ]

    human = run("--db", db, "import", empty, check=False)
    assert human.returncode == 2
    assert "refused:" in human.stderr.decode() and "the file is empty" in human.stderr.decode()


def test_bidi_switch_reshapes_for_display_only(db, corpus_files):
    run("--db", db, "import", corpus_files[2])
    visual = run("--db", db, "--bidi", "visual", "show", corpus_files[2].stem).stdout.decode("utf-8")
    assert any("\ufe70" <= c <= "\ufeff" for c in visual)  # reshaped glyphs for the terminal
    assert "\u064f" in visual or "ُ" not in normalize(corpus_files[2].read_text("utf-8"))  # harakat kept
    logical = run("--db", db, "--bidi", "logical", "show", corpus_files[2].stem).stdout.decode("utf-8")
    assert not any("\ufe70" <= c <= "\ufeff" for c in logical)
    env_visual = run("--db", db, "show", corpus_files[2].stem, env={"WORKBENCH_BIDI": "visual"})
    assert env_visual.stdout.decode("utf-8") == visual
    # The stored text was never touched.
    stored = run("--db", db, "show", "--json", corpus_files[2].stem).stdout.decode("utf-8")
    assert not any("\ufe70" <= c <= "\ufeff" for c in json.loads(stored)["text"])


def test_errors_are_messages_not_tracebacks(tmp_path):
    missing = run("--db", tmp_path / "nope.wbproj", "docs", check=False)
    assert missing.returncode == 1
    err = missing.stderr.decode()
    assert "there is no project" in err and "Traceback" not in err

    bogus = tmp_path / "bogus.wbproj"
    bogus.write_text("not a database")
    result = run("--db", bogus, "docs", check=False)
    assert result.returncode == 1 and "not a Workbench project" in result.stderr.decode()
    assert bogus.read_text() == "not a database"


def test_show_unknown_document(db):
    result = run("--db", db, "show", "nope", check=False)
    assert result.returncode == 1 and "no document 'nope'" in result.stderr.decode()


def _commands(group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("path", [(), *list(_commands(cli))], ids=lambda p: " ".join(p) or "top")
def test_every_command_has_help(path):
    result = run(*path, "--help")
    text = result.stdout.decode()
    assert text.startswith("Usage: workbench-cli")
    assert len(text.splitlines()) > 4


def test_default_project_lives_in_the_data_directory(tmp_path):
    env = {"WORKBENCH_HOME": str(tmp_path / "home")}
    run("init", "--with-sample", env=env)
    assert (tmp_path / "home" / "default.wbproj").exists()
    info = json.loads(run("info", "--json", env=env).stdout)
    assert info["documents"] == 5 and info["schema_version"] >= 2


def test_labels_list_and_add(db):
    run("--db", db, "labels", "add", "WEAPON", "--color", "#0072B2", "--key", "5")
    labels = json.loads(run("--db", db, "labels", "list", "--json").stdout)
    assert [lab["name"] for lab in labels] == ["ACTOR", "LOCATION", "CASUALTY", "DATE", "WEAPON"]
    refused = run("--db", db, "labels", "add", "ACTOR", "--color", "#000000", check=False)
    assert refused.returncode == 1 and "already has a label ACTOR" in refused.stderr.decode()
