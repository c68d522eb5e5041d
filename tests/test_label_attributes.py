"""Attributes added to a label (`labels attr add`), and imports that bring attributes the schema
lacks: refused with both ways out named, accepted once the schema has them, or accepted with
``--ignore-attributes`` with every dropped value counted and named (issue 12).

The brat file is written as brat writes one: ``T`` lines, a multi-valued attribute
(``A1<TAB>role T2 belligerent``) and a binary one (``A2<TAB>Negated T1``), on a sentence of
the sample corpus.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.core import intents
from workbench.core.actions import CreateSpan
from workbench.core.annotated_import import import_annotated
from workbench.core.bundles.project_bundle import ROLE_ANNOTATOR
from workbench.core.errors import InvalidInput, WorkbenchError
from workbench.core.importer import import_paths
from workbench.core.store import spans
from workbench.core.store.changelog import history
from workbench.core.store.labels import CHOICE, COUNT, FLAG, TEXT, Attribute, Label
from workbench.core.store.spans import Span

A = (
    "وأفادت مصادر ليبية بمقتل أربعة من قوات حكومة الوفاق وإصابة 18 في عملية استعادة أبو قرين، "
    "في حين نشر موالون لما يعرف بعملية الكرامة أسماء 12 مسلحا من قوات حفتر لقوا مصرعهم."
)


def at(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def brat_file(folder: Path, stem: str = "abu-qurayn") -> Path:
    """A brat document whose attributes the default schema lacks: ACTOR.role (×3, multi-valued),
    CASUALTY.Negated (×1, binary) and LOCATION.kind (×1); CASUALTY.count is the schema's."""
    folder.mkdir(parents=True, exist_ok=True)
    entities = [
        ("CASUALTY", "مقتل أربعة"),
        ("ACTOR", "قوات حكومة الوفاق"),
        ("LOCATION", "أبو قرين"),
        ("ACTOR", "قوات حفتر"),
        ("ACTOR", "مصادر ليبية"),
    ]
    lines = []
    for number, (label, needle) in enumerate(entities, start=1):
        start, end = at(A, needle)
        lines.append(f"T{number}\t{label} {start} {end}\t{needle}")
    lines += [
        "A1\tcount T1 4",
        "A2\tNegated T1",
        "A3\trole T2 belligerent",
        "A4\tkind T3 town",
        "A5\trole T4 belligerent",
        "A6\trole T5 source",
    ]
    (folder / f"{stem}.txt").write_text(A + "\n", encoding="utf-8")
    ann = folder / f"{stem}.ann"
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ann


DROPPED = {"ACTOR.role": 3, "CASUALTY.Negated": 1, "LOCATION.kind": 1}
DROPPED_PHRASE = "5 attribute values dropped: ACTOR.role ×3, CASUALTY.Negated ×1, LOCATION.kind ×1"


def stored(project, layer: str) -> dict[str, dict]:
    doc_id = project.db.execute("SELECT id FROM documents").fetchone()[0]
    return {A[s.start : s.end]: s.attributes for s in spans.for_document(project.db, doc_id, layer)}


# --- the core: one attribute more on a label ------------------------------------------------


def test_add_attribute_to_a_label_logs_it_and_undo_takes_it_back(project):
    project.set_current_annotator("Lead")
    action = intents.add_attribute(project, "ACTOR", "role", values="commander, fighter ، civilian")
    change = action.do(project)
    assert change.labels == ("ACTOR",)
    actor = project.label("ACTOR")
    assert actor.attribute("role") == Attribute("role", CHOICE, "", ("commander", "fighter", "civilian"))
    assert actor.attribute("canonical") is not None  # the label's other attributes stay, first
    assert [a.name for a in actor.attributes] == ["canonical", "role"]
    entry = history(project.db)[-1]
    assert entry["action"] == "label.attribute.add" and entry["actor"] == "Lead"
    assert entry["after"]["attribute"] == {
        "name": "role",
        "type": "choice",
        "description": "",
        "choices": ["commander", "fighter", "civilian"],
    }
    assert entry["after"]["label"] == "ACTOR"
    undone = action.undo(project)
    assert undone.labels == ("ACTOR",)
    assert project.label("ACTOR").attribute("role") is None
    assert history(project.db)[-1]["action"] == "label.attribute.remove"
    action.do(project)  # redo
    assert project.label("ACTOR").attribute("role") is not None


def test_the_type_is_choice_with_values_and_text_without(project):
    intents.add_attribute(project, "LOCATION", "kind", values="town,city").do(project)
    intents.add_attribute(project, "LOCATION", "gazetteer_id").do(project)
    intents.add_attribute(project, "CASUALTY", "Negated", "flag", description="The report denies it.").do(project)
    intents.add_attribute(project, "ACTOR", "size", COUNT).do(project)
    location, casualty = project.label("LOCATION"), project.label("CASUALTY")
    assert location.attribute("kind").type == CHOICE and location.attribute("kind").choices == ("town", "city")
    assert location.attribute("gazetteer_id").type == TEXT
    assert casualty.attribute("Negated") == Attribute("Negated", FLAG, "The report denies it.")
    assert project.label("ACTOR").attribute("size").type == COUNT
    # The new attributes hold values like the others: checked by the same rules.
    import_paths(project, [_text_file(project.path.parent)])
    doc_id = project.db.execute("SELECT id FROM documents").fetchone()[0]
    start, end = at(A, "أبو قرين")
    span = CreateSpan(Span(doc_id, "Salma", start, end, "LOCATION", {"kind": "town"}), "Salma")
    project.add_annotator("Salma")
    span.do(project)
    with pytest.raises(WorkbenchError, match="kind must be one of town, city"):
        CreateSpan(Span(doc_id, "Salma", *at(A, "قوات حفتر"), "LOCATION", {"kind": "village"}), "Salma").do(project)


def _text_file(folder: Path) -> Path:
    path = folder / "article.txt"
    path.write_text(A, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("label", "name", "kind", "values", "words"),
    [
        ("WEAPON", "calibre", None, "", "unknown label 'WEAPON'"),
        ("ACTOR", "canonical", None, "", "ACTOR already has an attribute canonical"),
        ("CASUALTY", "kind", CHOICE, "a,b", "CASUALTY already has an attribute kind"),
        ("ACTOR", "", None, "", "attribute name '' must"),
        ("ACTOR", "two words", None, "", "attribute name 'two words' must"),
        ("ACTOR", "ACTOR.role", None, "", "attribute name 'ACTOR.role' must"),
        ("ACTOR", "<b>role</b>", None, "", "attribute name '<b>role</b>' must"),
        ("ACTOR", "دور", None, "", "attribute name 'دور' must"),
        ("ACTOR", "r" * 33, None, "", "at most 32"),
        ("ACTOR", "role", "number", "", "unknown type 'number'"),
        ("ACTOR", "role", CHOICE, "", "a choice but lists no values"),
        ("ACTOR", "role", TEXT, "a,b", "only a choice attribute has values"),
        ("ACTOR", "role", CHOICE, "a,b,a", "lists 'a' twice"),
        ("ACTOR", "role", CHOICE, "a,\x07", "control character"),
    ],
)
def test_refusals_say_why_and_change_nothing(project, project_path, snapshot, label, name, kind, values, words):
    before = snapshot(project_path)
    with pytest.raises(InvalidInput) as refused:
        intents.add_attribute(project, label, name, kind, values).do(project)
    assert words in str(refused.value)
    assert snapshot(project_path) == before


def test_the_action_checks_again_when_it_runs(project):
    first = intents.add_attribute(project, "ACTOR", "role")
    second = intents.add_attribute(project, "ACTOR", "role")  # both made before either ran
    first.do(project)
    with pytest.raises(InvalidInput, match="ACTOR already has an attribute role"):
        second.do(project)


def test_undo_is_refused_while_spans_hold_values_of_the_attribute(project, project_path, snapshot):
    import_paths(project, [_text_file(project.path.parent)])
    project.add_annotator("Salma")
    doc_id = project.db.execute("SELECT id FROM documents").fetchone()[0]
    action = intents.add_attribute(project, "ACTOR", "role", values="belligerent,source")
    action.do(project)
    CreateSpan(Span(doc_id, "Salma", *at(A, "قوات حفتر"), "ACTOR", {"role": "belligerent"}), "Salma").do(project)
    before = snapshot(project_path)
    with pytest.raises(InvalidInput, match="1 span has a value of ACTOR.role"):
        action.undo(project)
    assert snapshot(project_path) == before


def test_label_checks_refuse_bad_attribute_definitions_too(project):
    with pytest.raises(InvalidInput, match=r"label name 'WEAPON\\n' must"):
        project.add_label(Label("WEAPON\n", "#0072B2"))
    with pytest.raises(InvalidInput, match="attribute name 'two words' must"):
        project.add_label(Label("WEAPON", "#0072B2", attributes=(Attribute("two words", TEXT),)))
    with pytest.raises(InvalidInput, match="WEAPON already has an attribute calibre"):
        project.add_label(Label("WEAPON", "#0072B2", attributes=(Attribute("calibre", TEXT),) * 2))


def test_an_annotators_copy_takes_its_labels_from_the_lead(project, project_path, snapshot):
    project.set_setting("role", ROLE_ANNOTATOR)
    project.set_current_annotator("Salma")
    before = snapshot(project_path)
    with pytest.raises(InvalidInput, match="annotator's copy"):
        intents.add_attribute(project, "ACTOR", "role")
    assert snapshot(project_path) == before


# --- import: refused, or accepted once the schema has them, or with the values dropped ---------


def test_import_refuses_unknown_attributes_and_names_both_ways_out(project, project_path, snapshot, tmp_path):
    ann = brat_file(tmp_path / "brat")
    before = snapshot(project_path)
    report = import_annotated(project, [ann], "brat", "Salma")
    assert not report.ok and report.spans == 0 and not report.imported
    assert snapshot(project_path) == before
    reason = report.refused[0]["reason"]
    assert "ACTOR.role, CASUALTY.Negated, LOCATION.kind" in reason
    # each way out, as a command to type: the attribute's type read from the file's values
    assert "labels attr add ACTOR role --type choice --values belligerent,source" in reason
    assert "labels attr add CASUALTY Negated --type flag" in reason
    assert "labels attr add LOCATION kind --type choice --values town" in reason
    assert "--ignore-attributes" in reason


def test_import_is_accepted_once_the_labels_have_the_attributes(project, tmp_path):
    for label, name, kind, values in (
        ("ACTOR", "role", None, "belligerent,source"),
        ("CASUALTY", "Negated", FLAG, ""),
        ("LOCATION", "kind", CHOICE, "town,city"),
    ):
        intents.add_attribute(project, label, name, kind, values).do(project)
    report = import_annotated(project, [brat_file(tmp_path / "brat")], "brat", "Salma")
    assert report.ok and report.spans == 5 and report.dropped_attributes == {}
    layer = stored(project, "Salma")
    assert layer["مقتل أربعة"] == {"count": 4, "Negated": True}
    assert layer["قوات حفتر"] == {"role": "belligerent"} and layer["مصادر ليبية"] == {"role": "source"}
    assert layer["أبو قرين"] == {"kind": "town"}


def test_import_with_ignore_attributes_drops_them_counted_and_named(project, tmp_path):
    report = import_annotated(project, [brat_file(tmp_path / "brat")], "brat", "Salma", ignore_attributes=True)
    assert report.ok and report.spans == 5
    assert report.dropped_attributes == DROPPED
    assert report.dropped_phrase() == DROPPED_PHRASE
    assert DROPPED_PHRASE in report.summary()
    data = report.to_json()
    assert data["dropped_attributes"] == DROPPED and data["dropped_attribute_values"] == 5
    layer = stored(project, "Salma")
    assert layer["مقتل أربعة"] == {"count": 4}  # the schema's attribute is kept
    assert layer["قوات حفتر"] == {} and layer["أبو قرين"] == {}


def test_ignore_attributes_counts_only_files_that_were_imported(project, tmp_path):
    good = brat_file(tmp_path / "good", "good")
    bad = brat_file(tmp_path / "bad", "bad")
    bad.write_text(bad.read_text(encoding="utf-8") + "T9\tWEAPON 0 6\tوأفادت\n", encoding="utf-8")
    report = import_annotated(project, [good, bad], "brat", "Salma", ignore_attributes=True)
    assert len(report.refused) == 1 and "WEAPON" in report.refused[0]["reason"]
    assert report.dropped_attributes == DROPPED  # the refused file's values are not counted


def test_ignore_attributes_with_jsonl(project, tmp_path):
    path = tmp_path / "a.jsonl"
    start, end = at(A, "أبو قرين")
    record = {"text": A, "spans": [{"start": start, "end": end, "label": "LOCATION", "attributes": {"kind": "x"}}]}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    report = import_annotated(project, [path], "jsonl", "Salma", ignore_attributes=True)
    assert report.ok and report.spans == 1
    assert report.dropped_phrase() == "1 attribute value dropped: LOCATION.kind ×1"


# --- the command line ---------------------------------------------------------------------


def cli(*args, check=True):
    result = subprocess.run(
        [sys.executable, "-m", "workbench.cli", *map(str, args)],
        capture_output=True,
        timeout=120,
        env={**os.environ, "WORKBENCH_BIDI": "logical"},
    )
    if check and result.returncode != 0:
        raise AssertionError(f"exit {result.returncode}: {result.stderr.decode()}")
    return result


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cli.wbproj"
    cli("--db", path, "init")
    return path


def _dump(path: Path) -> list[str]:
    import sqlite3

    conn = sqlite3.connect(str(path))
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_cli_labels_attr_add(db):
    out = cli("--db", db, "labels", "attr", "add", "ACTOR", "role", "--values", "commander,fighter").stdout.decode()
    assert out.strip() == "Added attribute role (choice: commander, fighter) to ACTOR."
    cli("--db", db, "labels", "attr", "add", "CASUALTY", "Negated", "--type", "flag", "--description", "Denied.")
    schema = {lab["name"]: lab for lab in json.loads(cli("--db", db, "labels", "list", "--json").stdout)}
    assert schema["ACTOR"]["attributes"][-1] == {
        "name": "role",
        "type": "choice",
        "description": "",
        "choices": ["commander", "fighter"],
    }
    assert schema["CASUALTY"]["attributes"][-1] == {"name": "Negated", "type": "flag", "description": "Denied."}
    listing = cli("--db", db, "labels", "list").stdout.decode()
    assert "role (choice)" in listing and "Negated (flag)" in listing


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("WEAPON", "calibre"), 1, "Error: unknown label 'WEAPON'"),
        (("ACTOR", "canonical"), 1, "Error: ACTOR already has an attribute canonical"),
        (("ACTOR", "two words"), 1, "Error: attribute name 'two words' must"),
        (("ACTOR", "role", "--type", "number"), 2, "'number' is not one of"),
        (("ACTOR", "role", "--type", "choice"), 1, "Error: attribute role is a choice but lists no values"),
        (("ACTOR", "role", "--type", "flag", "--values", "a,b"), 1, "only a choice attribute has values"),
    ],
)
def test_cli_labels_attr_add_refusals(db, args, code, words):
    before = _dump(db)
    result = cli("--db", db, "labels", "attr", "add", *args, check=False)
    stderr = result.stderr.decode()
    assert result.returncode == code and words in stderr and "Traceback" not in stderr, stderr
    assert _dump(db) == before


def test_cli_help_has_an_example():
    text = cli("labels", "attr", "add", "--help").stdout.decode()
    assert "labels attr add ACTOR role --type choice --values" in text
    assert "count" in text and "flag" in text and "date" in text


def test_cli_import_refused_then_attr_add_then_accepted(db, tmp_path):
    ann = brat_file(tmp_path / "brat")
    before = _dump(db)
    refused = cli("--db", db, "import", "--format", "brat", "--annotator", "Salma", ann, check=False)
    assert refused.returncode == 2
    message = refused.stderr.decode() + refused.stdout.decode()
    assert "ACTOR.role" in message and "labels attr add ACTOR role" in message and "--ignore-attributes" in message
    assert _dump(db) == before
    cli("--db", db, "labels", "attr", "add", "ACTOR", "role", "--values", "belligerent,source")
    cli("--db", db, "labels", "attr", "add", "CASUALTY", "Negated", "--type", "flag")
    cli("--db", db, "labels", "attr", "add", "LOCATION", "kind", "--type", "choice", "--values", "town,city")
    report = json.loads(cli("--db", db, "import", "--format", "brat", "--annotator", "Salma", "--json", ann).stdout)
    assert report["spans"] == 5 and report["refused"] == [] and report["dropped_attribute_values"] == 0


def test_cli_import_with_ignore_attributes(db, tmp_path):
    ann = brat_file(tmp_path / "brat")
    args = ("--db", db, "import", "--format", "brat", "--annotator", "Salma", "--ignore-attributes")
    human = cli(*args, ann).stdout.decode()
    assert DROPPED_PHRASE in human and "5 spans" in human
    again = json.loads(cli(*args, "--json", brat_file(tmp_path / "other", "other")).stdout)
    # The same document again: its spans are there already (skipped), the file's values still counted.
    assert again["skipped"] == 5 and again["dropped_attributes"] == DROPPED
    fresh = tmp_path / "fresh.wbproj"
    cli("--db", fresh, "init")
    data = json.loads(cli("--db", fresh, *args[2:], "--json", ann).stdout)
    assert data["dropped_attributes"] == DROPPED and data["dropped_attribute_values"] == 5 and data["spans"] == 5


def test_cli_ignore_attributes_needs_an_annotator(db, tmp_path):
    result = cli("--db", db, "import", "--ignore-attributes", _text_file(tmp_path), check=False)
    assert result.returncode == 2 and "give --annotator" in result.stderr.decode()
