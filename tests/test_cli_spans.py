"""workbench-cli span commands as a user runs them: a real process, a real project file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from workbench.resources import sample_corpus_files

DOC = "001_6c20427af2e36eef"  # "... بمقتل أربعة من قوات حكومة الوفاق وإصابة 18 ..."
QUOTED = "000_1d4f535c4afa2fda"  # "... المستقيل “غسّان سلامة” ..."


def run(*args, check=True):
    result = subprocess.run(
        [sys.executable, "-m", "workbench.cli", *map(str, args)],
        capture_output=True,
        env=dict(os.environ),
        timeout=60,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"exit {result.returncode}: {result.stderr.decode()}")
    return result


def out(result) -> str:
    return result.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A project made with init, the sample corpus imported and Salma as the current user."""
    path = tmp_path_factory.mktemp("template") / "spans.wbproj"
    run("--db", path, "init")
    run("--db", path, "import", sample_corpus_files()[0].parent)
    assert out(run("--db", path, "user", "Salma")).strip() == "Salma"
    return path


@pytest.fixture
def db(template, tmp_path):
    """A fresh copy of the template for each test (the processes closed it: no WAL is left)."""
    path = tmp_path / template.name
    for suffix in ("", "-wal"):
        source = template.with_name(template.name + suffix)
        if source.exists():
            shutil.copyfile(source, str(path) + suffix)
    return path


_TEXTS: dict[str, str] = {}


def stored_text(db, doc_id: str) -> str:
    """The document's stored text, as `show` prints it to a pipe (read once per document)."""
    if doc_id not in _TEXTS:
        _TEXTS[doc_id] = out(run("--db", db, "show", doc_id))
    return _TEXTS[doc_id]


def where(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def docs_status(db, *args) -> dict[str, str]:
    return {d["id"]: d["status"] for d in json.loads(out(run("--db", db, "docs", "--json", *args)))}


def test_add_list_delete_a_span_and_set_a_status(db):
    text = stored_text(db, DOC)
    start, end = where(text, "بمقتل أربعة")
    added = run(
        "--db", db, "span", "add", DOC, start, end, "CASUALTY", "--attr", "count=4", "--attr", "kind=killed", "--json"
    )
    assert added.returncode == 0 and added.stderr == b""
    span = json.loads(out(added))
    assert span["start"] == start and span["end"] == end and span["label"] == "CASUALTY"
    assert span["text"] == text[start:end] == "بمقتل أربعة"
    assert span["attributes"] == {"count": 4, "kind": "killed"}  # canonical: a number, not "4"
    assert span["annotator"] == "Salma"
    assert len(span["id"]) == 32

    listed = json.loads(out(run("--db", db, "spans", DOC, "--json")))
    assert len(listed) == 1
    assert {"id", "start", "end", "label", "text", "attributes", "annotator"} <= set(listed[0])
    assert {k: listed[0][k] for k in span} == span
    assert docs_status(db)[DOC] == "in-progress"  # the first span starts the document

    table = out(run("--db", db, "--bidi", "logical", "spans", DOC))
    assert span["id"][:8] in table and "بمقتل أربعة" in table and "count=4 kind=killed" in table

    deleted = run("--db", db, "span", "delete", span["id"])
    assert deleted.returncode == 0 and span["id"] in out(deleted)
    assert json.loads(out(run("--db", db, "spans", DOC, "--json"))) == []
    assert out(run("--db", db, "spans", DOC)).strip() == "No spans."

    done = run("--db", db, "status", DOC, "done")
    assert done.returncode == 0
    statuses = docs_status(db)
    assert statuses[DOC] == "done"
    assert list(statuses.values()).count("not-started") == 4
    assert docs_status(db, "--annotator", "gold")[DOC] == "not-started"
    assert [d["id"] for d in json.loads(out(run("--db", db, "docs", "--json", "--status", "done")))] == [DOC]


def test_lower_case_label_and_flags(db):
    text = stored_text(db, DOC)
    start, end = where(text, "وإصابة 18")
    span = json.loads(
        out(
            run(
                "--db",
                db,
                "span",
                "add",
                DOC,
                start,
                end,
                "casualty",
                "--attr",
                "count=١٨",
                "--attr",
                "kind=injured",
                "--attr",
                "approximate=yes",
                "--note",
                "عدد تقريبي",
                "--unsure",
                "--json",
            )
        )
    )
    assert span["label"] == "CASUALTY"
    assert span["attributes"] == {"count": 18, "kind": "injured", "approximate": True}
    assert span["note"] == "عدد تقريبي" and span["unsure"] is True
    assert span["text"] == "وإصابة 18"  # a span that ends in digits keeps them


def _refusals():
    # (id, arguments after "span add DOC" or a whole command, words expected on stderr)
    return [
        ("out-of-range", ["span", "add", DOC, 3970, 4000, "ACTOR"], "outside the document's text (0 to 3974)"),
        ("empty", ["span", "add", DOC, 10, 10, "ACTOR"], "is empty"),
        ("inside-grapheme", ["span", "add", DOC, "@shadda", "@after", "ACTOR"], "starts inside a character"),
        (
            "unknown-label",
            ["span", "add", DOC, 0, 5, "WEAPON"],
            "the project's labels are ACTOR, LOCATION, CASUALTY, DATE",
        ),
        ("attr-syntax", ["span", "add", DOC, 0, 5, "CASUALTY", "--attr", "count"], "'count' is not KEY=VALUE"),
        ("attr-empty-key", ["span", "add", DOC, 0, 5, "CASUALTY", "--attr", "=4"], "is not KEY=VALUE"),
        ("attr-value", ["span", "add", DOC, 0, 5, "CASUALTY", "--attr", "count=many"], "'many' is not a count"),
        ("attr-choice", ["span", "add", DOC, 0, 5, "CASUALTY", "--attr", "kind=dead"], "kind must be one of"),
        ("attr-date", ["span", "add", DOC, 0, 5, "DATE", "--attr", "value=2019-02-30"], "not an ISO 8601 date"),
        ("attr-unknown", ["span", "add", DOC, 0, 5, "ACTOR", "--attr", "count=3"], "ACTOR has no attribute 'count'"),
        (
            "unknown-annotator",
            ["span", "add", DOC, 0, 5, "ACTOR", "--annotator", "Nobody"],
            "'Nobody' is not an annotator",
        ),
        ("unknown-document", ["span", "add", "nope", 0, 5, "ACTOR"], "there is no document 'nope'"),
        ("not-a-number", ["span", "add", DOC, "five", 9, "ACTOR"], "'five' is not a valid integer"),
        ("delete-unknown", ["span", "delete", "nope"], "there is no span 'nope'"),
        ("bad-status", ["status", DOC, "finished"], "'finished' is not one of"),
        ("status-unknown-document", ["status", "nope", "done"], "there is no document 'nope'"),
        ("status-unknown-annotator", ["status", DOC, "done", "--annotator", "Nobody"], "'Nobody' is not an annotator"),
        ("spans-unknown-annotator", ["spans", DOC, "--annotator", "Nobody"], "'Nobody' is not an annotator"),
    ]


@pytest.mark.parametrize("case", _refusals(), ids=lambda c: c[0])
def test_refusals_are_messages_and_change_nothing(db, snapshot, case):
    _, args, message = case
    if "@shadda" in args:
        text = stored_text(db, DOC)
        start, end = where(text, "وحمّلت")
        shadda = text.index("\u0651", start)
        args = [shadda if a == "@shadda" else end if a == "@after" else a for a in args]
    before = snapshot(db)
    result = run("--db", db, *args, check=False)
    err = result.stderr.decode("utf-8")
    assert result.returncode != 0
    assert message in err, err
    assert "Traceback" not in err and err.rstrip().splitlines()[-1].startswith("Error:")
    assert result.stdout == b""
    assert snapshot(db) == before


def test_no_current_user_is_refused(tmp_path, snapshot, corpus_files):
    path = tmp_path / "fresh.wbproj"
    run("--db", path, "init")
    run("--db", path, "import", corpus_files[1])
    assert out(run("--db", path, "user")).strip() == "(no current user)"
    before = snapshot(path)
    for args in (["span", "add", DOC, 0, 5, "ACTOR"], ["spans", DOC], ["status", DOC, "done"]):
        result = run("--db", path, *args, check=False)
        err = result.stderr.decode()
        assert result.returncode == 1, args
        assert "no current user" in err and "Traceback" not in err
    assert snapshot(path) == before
    # An explicit annotator works without a current user.
    run("--db", path, "annotators", "add", "Omar", "Salma")
    assert json.loads(out(run("--db", path, "annotators", "list", "--json"))) == ["Omar", "Salma"]
    span = json.loads(out(run("--db", path, "span", "add", DOC, 0, 5, "ACTOR", "--annotator", "Omar", "--json")))
    assert span["annotator"] == "Omar"
    run("--db", path, "span", "delete", span["id"])  # no current user: logged as the span's annotator
    assert json.loads(out(run("--db", path, "spans", DOC, "--annotator", "Omar", "--json"))) == []


def test_gold_layer(db):
    text = stored_text(db, DOC)
    start, end = where(text, "قوات حكومة الوفاق")
    gold = json.loads(
        out(
            run(
                "--db",
                db,
                "span",
                "add",
                DOC,
                start,
                end,
                "ACTOR",
                "--attr",
                "canonical=حكومة الوفاق",
                "--annotator",
                "gold",
                "--json",
            )
        )
    )
    assert gold["annotator"] == "gold" and gold["attributes"] == {"canonical": "حكومة الوفاق"}
    assert json.loads(out(run("--db", db, "spans", DOC, "--json"))) == []  # Salma's layer is empty
    [listed] = json.loads(out(run("--db", db, "spans", DOC, "--annotator", "gold", "--json")))
    assert listed["id"] == gold["id"] and listed["annotator"] == "gold"
    salma = json.loads(out(run("--db", db, "span", "add", DOC, start, end, "ACTOR", "--json")))
    everyone = json.loads(out(run("--db", db, "spans", DOC, "--all", "--json")))
    assert sorted(s["annotator"] for s in everyone) == ["Salma", "gold"]
    assert {s["id"] for s in everyone} == {gold["id"], salma["id"]}
    assert docs_status(db, "--annotator", "gold")[DOC] == "in-progress"
    run("--db", db, "status", DOC, "done", "--annotator", "gold")
    assert docs_status(db, "--annotator", "gold")[DOC] == "done"
    assert docs_status(db)[DOC] == "in-progress"


ARABIC_SPANS = [
    (QUOTED, "غسّان سلامة"),  # harakat, between quotation marks
    (DOC, "وإصابة 18"),  # ends in digits
    (DOC, "طرد \u00a0قوات حفتر"),  # holds an NBSP, which a widget would turn into a space
    ("002_af682284de1024ff", "حفتر"),
]


def test_arabic_text_survives_exactly(db):
    for doc_id, word in ARABIC_SPANS:
        text = stored_text(db, doc_id)
        start, end = where(text, word)
        span = json.loads(out(run("--db", db, "span", "add", doc_id, start, end, "ACTOR", "--json")))
        assert span["text"] == text[start:end] == word
    assert stored_text(db, QUOTED) == json.loads(out(run("--db", db, "show", "--json", QUOTED)))["text"]
    listed = json.loads(out(run("--db", db, "spans", DOC, "--json")))
    assert [s["text"] for s in listed] == ["طرد \u00a0قوات حفتر", "وإصابة 18"]  # reading order
    doc_id, word = ARABIC_SPANS[0]
    start, end = where(stored_text(db, doc_id), word)
    human = out(run("--db", db, "--bidi", "logical", "span", "add", doc_id, start, end, "LOCATION"))
    assert human.rstrip("\n").endswith(f"LOCATION  {word}")


def _insert_with_ids(path, spans_by_id: dict[str, tuple[int, int, str]]) -> None:
    """Spans of Salma's in DOC with chosen ids (as a bundle could bring), written through the store."""
    from workbench.core.store import spans as span_store
    from workbench.core.store.project import Project
    from workbench.core.store.spans import Span

    project = Project.open(path)
    try:
        with project.transaction():
            made = [Span(DOC, "Salma", s, e, label, id=span_id) for span_id, (s, e, label) in spans_by_id.items()]
            span_store.insert_many(project.db, made, "Salma")
    finally:
        project.close()


def test_span_delete_takes_the_short_id_that_spans_prints(db, snapshot):
    text = stored_text(db, DOC)
    start, end = where(text, "بمقتل أربعة")
    city = where(text, "أربعة")
    _insert_with_ids(
        db,
        {
            "c7da0c59" + "0" * 24: (start, end, "CASUALTY"),
            "c7da1111" + "0" * 24: (city[0], city[1], "CASUALTY"),
            "ab12" + "f" * 28: (start, end, "ACTOR"),
        },
    )
    table = out(run("--db", db, "--bidi", "logical", "spans", DOC))
    assert "c7da0c59" in table  # what the user copies from the table
    before = snapshot(db)

    # Ambiguous: refused with the candidates listed (id, document, label, text); nothing changes.
    refused = run("--db", db, "span", "delete", "c7da", check=False)
    err = refused.stderr.decode("utf-8")
    assert refused.returncode == 1 and "Traceback" not in err
    assert "ambiguous" in err and "c7da0c59" in err and "c7da1111" in err and DOC in err and "CASUALTY" in err
    assert "بمقتل أربعة" in err
    # Too short, and unknown: refused too.
    short = run("--db", db, "span", "delete", "c7d", check=False)
    assert short.returncode == 1 and "too short" in short.stderr.decode() and "at least 4" in short.stderr.decode()
    unknown = run("--db", db, "span", "delete", "dead0000", check=False)
    assert unknown.returncode == 1 and "there is no span 'dead0000'" in unknown.stderr.decode()
    assert snapshot(db) == before

    deleted = run("--db", db, "span", "delete", "C7DA0C59")  # as printed, in either case
    assert ("c7da0c59" + "0" * 24) in out(deleted)
    left = {s["id"][:8] for s in json.loads(out(run("--db", db, "spans", DOC, "--json")))}
    assert left == {"c7da1111", "ab12ffff"}
    run("--db", db, "span", "delete", "ab12")  # four characters are enough when they name one span
    assert {s["id"][:8] for s in json.loads(out(run("--db", db, "spans", DOC, "--json")))} == {"c7da1111"}
