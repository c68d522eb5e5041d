"""Suggestions in the core: what is offered (schema, layer, rejections, overlaps), accepting and
rejecting (undoable, logged), the project switch, the publication date that anchors relative
dates, values filled when tagging, and the command line's suggest / date / suggestions / span add.

The engines' own rules are tested in tests/test_values_*.py; here a fake engine stands in where
the test is about what the feature does with proposals."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from workbench.core import intents, suggestions
from workbench.core.errors import InvalidInput
from workbench.core.export import ExportOptions, export
from workbench.core.importer import import_paths
from workbench.core.store import documents
from workbench.core.store import spans as span_store
from workbench.core.store.project import Project
from workbench.core.values import Found

TEXT = "قتل أربعة مدنيين في قصف على مدينة بنغازي يوم 19 يناير 2019 وأصيب آخرون."


def at(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


@pytest.fixture
def proj(tmp_path) -> Project:
    path = tmp_path / "s.wbproj"
    project = Project.create(path, name="suggestions")
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    import_paths(project, [article])
    project.add_annotator("Salma")
    project.set_current_annotator("Salma")
    yield project
    project.close()


@pytest.fixture
def doc(proj) -> str:
    return proj.db.execute("SELECT id FROM documents").fetchone()[0]


@pytest.fixture
def fake(monkeypatch):
    """A fake engine proposing what the test puts in ``found`` (and recording its anchor)."""
    state = {"found": [], "anchors": []}

    def engine(text, anchor):
        state["anchors"].append(anchor)
        return list(state["found"])

    monkeypatch.setattr(suggestions, "_engines", lambda project, which: [engine])
    return state


def test_offered_suggestions_fit_the_schema_the_layer_and_each_other(proj, doc, fake):
    s, e = at(TEXT, "19 يناير 2019")
    c0, c1 = at(TEXT, "قتل أربعة")
    b0, b1 = at(TEXT, "بنغازي")
    fake["found"] = [
        Found(s, e, "DATE", {"value": "2019-01-19", "precision": "day", "colour": "red"}, "rules:date", 0.95),
        Found(c0, c1, "CASUALTY", {"count": 4, "kind": "killed"}, "rules:casualty", 0.9),
        Found(c0, c1 + 6, "CASUALTY", {"count": 4}, "other", 0.5),  # overlaps a surer one: dropped
        Found(b0, b1, "WEAPON", {}, "gazetteer", 0.99),  # the schema lacks it
        Found(b0, b1, "LOCATION", {"canonical": "Benghazi"}, "gazetteer", 0.9),
        Found(0, 3, "DATE", {"value": "not a date"}, "rules:date", 0.2),  # invalid value: kept, without it
    ]
    found = suggestions.suggest(proj, doc, "Salma")
    assert [(f.label, TEXT[f.start : f.end]) for f in found] == [
        ("CASUALTY", "قتل أربعة"),
        ("LOCATION", "بنغازي"),
        ("DATE", "19 يناير 2019"),
    ]
    assert found[2].attributes == {"value": "2019-01-19", "precision": "day"}  # "colour" is not an attribute
    # What the layer already tagged (same label, overlapping) is not offered again.
    intents.tag(proj, doc, "Salma", b0, b1, "LOCATION", snap=intents.EXACT, values=False).do(proj)
    assert [f.label for f in suggestions.suggest(proj, doc, "Salma")] == ["CASUALTY", "DATE"]
    # Only DATE asked: the weak DATE proposal at the start no longer competes with the casualty.
    dates_only = suggestions.suggest(proj, doc, "Salma", labels=["DATE"])
    assert [(f.start, f.attributes) for f in dates_only] == [(0, {}), (s, found[2].attributes)]
    with pytest.raises(InvalidInput, match="unknown label 'CITY'"):
        suggestions.suggest(proj, doc, "Salma", labels=["CITY"])


def test_accepting_is_an_undoable_logged_action(proj, doc, fake):
    s, e = at(TEXT, "19 يناير 2019")
    fake["found"] = [Found(s, e, "DATE", {"value": "2019-01-19", "precision": "day"}, "rules:date", 0.95)]
    (found,) = suggestions.suggest(proj, doc, "Salma")
    action = suggestions.accept(proj, doc, "Salma", found, "Salma")
    change = action.do(proj)
    (span,) = span_store.for_document(proj.db, doc, "Salma")
    assert (span.start, span.end, span.label, span.attributes) == (s, e, "DATE", found.attributes)
    assert change.added == (span,)
    logged = proj.db.execute("SELECT after FROM changes WHERE action = 'suggestion.accept'").fetchone()[0]
    assert json.loads(logged)["source"] == "rules:date" and json.loads(logged)["confidence"] == 0.95
    assert suggestions.suggest(proj, doc, "Salma") == []
    action.undo(proj)
    assert span_store.for_document(proj.db, doc, "Salma") == []
    assert len(suggestions.suggest(proj, doc, "Salma")) == 1
    # With another label: the attributes that label lacks are left out.
    action = suggestions.accept(proj, doc, "Salma", found, "Salma", label="ACTOR")
    action.do(proj)
    assert [(x.label, x.attributes) for x in span_store.for_document(proj.db, doc, "Salma")] == [("ACTOR", {})]


def test_a_rejection_is_remembered_per_document_and_layer_and_undoable(proj, doc, fake):
    c0, c1 = at(TEXT, "قتل أربعة")
    fake["found"] = [Found(c0, c1, "CASUALTY", {"count": 4, "kind": "killed"}, "rules:casualty", 0.9)]
    (found,) = suggestions.suggest(proj, doc, "Salma")
    reject = suggestions.RejectSuggestion(doc, "Salma", found, "Salma")
    assert reject.do(proj).extra == {"suggestions": True}
    assert suggestions.suggest(proj, doc, "Salma") == []
    proj.add_annotator("Omar")
    assert len(suggestions.suggest(proj, doc, "Omar")) == 1  # another layer still sees it
    assert len(suggestions.suggest(proj, doc, "Salma", including_rejected=True)) == 1
    reject.undo(proj)
    assert len(suggestions.suggest(proj, doc, "Salma")) == 1


def test_accept_all_above_a_confidence(proj, doc, fake):
    s, e = at(TEXT, "19 يناير 2019")
    c0, c1 = at(TEXT, "قتل أربعة")
    fake["found"] = [
        Found(c0, c1, "CASUALTY", {"count": 4, "kind": "killed"}, "rules:casualty", 0.7),
        Found(s, e, "DATE", {"value": "2019-01-19", "precision": "day"}, "rules:date", 0.95),
    ]
    action = suggestions.accept_all(proj, doc, "Salma", "Salma", confidence=0.9)
    action.do(proj)
    assert [x.label for x in span_store.for_document(proj.db, doc, "Salma")] == ["DATE"]
    action.undo(proj)
    assert span_store.for_document(proj.db, doc, "Salma") == []
    assert suggestions.accept_all(proj, doc, "Salma", "Salma", confidence=0.99) is None
    with pytest.raises(InvalidInput, match="between 0 and 1"):
        suggestions.accept_all(proj, doc, "Salma", "Salma", confidence=1.5)


def test_switched_off_nothing_is_offered_or_filled_and_the_data_card_says_so(proj, doc, fake, tmp_path):
    s, e = at(TEXT, "19 يناير 2019")
    fake["found"] = [Found(s, e, "DATE", {"value": "2019-01-19", "precision": "day"}, "rules:date", 0.95)]
    suggestions.set_enabled(proj, False)
    assert not suggestions.enabled(proj) and suggestions.suggest(proj, doc, "Salma") == []
    span = intents.tag(proj, doc, "Salma", s, e, "DATE", snap=intents.EXACT).span
    assert span.attributes == {}
    intents.tag(proj, doc, "Salma", s, e, "DATE").do(proj)
    intents.set_status(proj, doc, "Salma", "done").do(proj)
    export(proj, ExportOptions(format="jsonl", source="annotator:Salma", split=(100,)), tmp_path / "out")
    card = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "- Suggestions: off: annotation was unassisted" in card and "switched off" in card
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["suggestions"]["on"] is False
    suggestions.set_enabled(proj, True)
    assert len(suggestions.suggest(proj, doc, "Salma")) == 0  # already tagged


def test_the_publication_date_anchors_relative_dates(proj, doc, fake):
    suggestions.suggest(proj, doc, "Salma")
    assert fake["anchors"][-1] is None  # no date, no dateline: never today
    action = suggestions.SetPublished(doc, "2019-04-05", "Salma")
    action.do(proj)
    suggestions.suggest(proj, doc, "Salma")
    assert fake["anchors"][-1] == dt.date(2019, 4, 5)
    assert documents.get(proj.db, doc).published == "2019-04-05"
    action.undo(proj)
    assert documents.get(proj.db, doc).published is None
    with pytest.raises(InvalidInput, match="is not a date"):
        suggestions.SetPublished(doc, "5/4/2019", "Salma")


def cli(*args, db):
    return subprocess.run(
        [sys.executable, "-m", "workbench.cli", "--db", str(db), *args], capture_output=True, text=True, timeout=120
    )


def test_the_command_line_suggestions_switch_and_date(proj, doc):
    path = proj.path
    proj.close()
    assert "Suggestions are on" in cli("suggestions", db=path).stdout
    assert "Suggestions are off" in cli("suggestions", "off", db=path).stdout
    assert json.loads(cli("suggest", doc, "--json", db=path).stdout) == {"doc_id": doc, "suggestions": []}
    assert cli("suggestions", "on", db=path).returncode == 0
    assert f"{doc}: published 2019-01-20" in cli("date", doc, "2019-01-20", db=path).stdout
    assert f"{doc}: published 2019-01-20" in cli("date", doc, db=path).stdout
    bad = cli("date", doc, "yesterday", db=path)
    assert bad.returncode == 1 and "is not a date" in bad.stderr and "Traceback" not in bad.stderr
    assert "cleared" in cli("date", doc, "--clear", db=path).stdout
    missing = cli("suggest", "no-such-doc", db=path)
    assert missing.returncode == 1 and "there is no document" in missing.stderr


def test_the_leads_switch_reaches_the_annotators_copies(tmp_path):
    from tests.test_bundles import make_lead
    from workbench.core.bundles.project_bundle import export_project_bundle, open_project_bundle

    lead = make_lead(tmp_path / "lead.wbproj", annotators=("Salma",), k=1)
    suggestions.set_enabled(lead, False)
    export_project_bundle(lead, "Salma", tmp_path / "salma.wbb")
    copy = open_project_bundle(tmp_path / "salma.wbb", tmp_path / "salma.wbproj")
    assert not suggestions.enabled(copy) and not suggestions.can_switch(copy)
    with pytest.raises(InvalidInput, match="switched on or off by the lead"):
        suggestions.set_enabled(copy, True)
    copy.close()
    suggestions.set_enabled(lead, True)  # the lead changes their mind: the next bundle says so
    export_project_bundle(lead, "Salma", tmp_path / "salma-2.wbb")
    copy = open_project_bundle(tmp_path / "salma-2.wbb", tmp_path / "salma.wbproj")
    assert suggestions.enabled(copy)
    copy.close()
    lead.close()


def test_values_are_filled_by_the_real_engines_when_tagging(proj, doc):
    s, e = at(TEXT, "19 يناير")  # the year left out of the selection: the span takes the whole date
    span = intents.tag(proj, doc, "Salma", s, e, "DATE", snap=intents.WORDS).span  # as the window tags
    assert TEXT[span.start : span.end] == "يوم 19 يناير 2019"
    assert span.attributes == {"value": "2019-01-19", "precision": "day", "calendar": "gregorian"}
    c0, c1 = at(TEXT, "قتل أربعة")
    casualty = intents.tag(proj, doc, "Salma", c0, c1, "CASUALTY", attributes={"kind": "injured"}).span
    assert casualty.attributes["count"] == 4 and casualty.attributes["kind"] == "injured"  # given wins
    # On the command line (exact offsets) the edges stay as given; the values are filled all the same.
    exact = intents.tag(proj, doc, "Salma", s, e, "DATE", snap=intents.EXACT).span
    assert (exact.start, exact.end) == (s, e) and exact.attributes["value"] == "2019-01-19"
    plain = intents.tag(proj, doc, "Salma", s, e, "DATE", snap=intents.EXACT, values=False).span
    assert plain.attributes == {}
    found = suggestions.suggest(proj, doc, "Salma")
    assert {(f.label, TEXT[f.start : f.end]) for f in found} >= {
        ("DATE", "يوم 19 يناير 2019"),
        ("LOCATION", "بنغازي"),
        ("CASUALTY", "قتل أربعة"),
    }
    assert suggestions.suggest(proj, doc, "gold") == []


def test_the_projects_gazetteer_travels_in_the_project_bundle(tmp_path):
    from tests.test_bundles import make_lead, read_zip, resign
    from workbench.core.bundles import archive
    from workbench.core.bundles.archive import BundleError
    from workbench.core.bundles.project_bundle import export_project_bundle, open_project_bundle
    from workbench.core.values import project_names

    lead = make_lead(tmp_path / "lead.wbproj", annotators=("Salma",), k=1)
    names = tmp_path / "names.csv"
    names.write_text("name,label,canonical,aliases\nطرابلس,LOCATION,Tripoli (capital),\n", encoding="utf-8")
    project_names.import_gazetteer(lead, names)
    export_project_bundle(lead, "Salma", tmp_path / "salma.wbb")
    copy = open_project_bundle(tmp_path / "salma.wbb", tmp_path / "salma.wbproj")
    assert project_names.gazetteer_of(copy).lookup("طرابلس", "LOCATION").canonical == "Tripoli (capital)"
    copy.close()
    # A bundle whose gazetteer holds a name for a label without canonical names is refused.
    members = read_zip(tmp_path / "salma.wbb")
    schema = json.loads(members["schema.json"])
    schema["gazetteer"].append({"name": "أربعة", "label": "CASUALTY", "canonical": "four"})
    members["schema.json"] = json.dumps(schema, ensure_ascii=False).encode()
    archive.write_members(tmp_path / "bad.wbb", resign(members, lead.setting("signing_key")))
    with pytest.raises(BundleError, match="name 2 of its gazetteer is refused"):
        open_project_bundle(tmp_path / "bad.wbb", tmp_path / "bad.wbproj")
    lead.close()
