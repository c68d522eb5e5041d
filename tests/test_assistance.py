"""Time saved by suggestions, measured honestly (issue 14): the A/B split of documents, active time
from the change log, and `report assistance`.

Projects are real SQLite files with Arabic articles; time is a fake clock patched into the change
log, so the active times the report reads are the ones the test made the annotator spend.
"""

from __future__ import annotations

import datetime as _dt
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.cli import cli
from workbench.core import assistance, suggestions
from workbench.core.actions import CreateSpan, SetStatus
from workbench.core.assign import assign_balanced, assign_by_hand
from workbench.core.bundles.project_bundle import export_project_bundle, open_project_bundle
from workbench.core.bundles.work_bundle import export_work_bundle, import_work_bundles
from workbench.core.errors import InvalidInput
from workbench.core.store import assistance as arms_store
from workbench.core.store import changelog, documents
from workbench.core.store import project as project_module
from workbench.core.store import status as doc_status
from workbench.core.store.documents import NewDocument
from workbench.core.store.project import GOLD, Project
from workbench.core.store.spans import Span

TOWNS = ["بنغازي", "مصراتة", "سرت", "درنة", "طرابلس", "الزاوية", "غريان", "سبها", "زليتن", "البيضاء", "توكرة", "المرج"]


def article(number: int) -> str:
    # Equal lengths (the town names are padded), so that time per 1,000 characters compares like
    # with like; a date the rules suggest, and a casualty count.
    town = TOWNS[number % len(TOWNS)].ljust(8, "ـ")
    return (
        f"قال مصدر عسكري في {town} إن قوات حفتر قصفت المدينة يوم 19 يناير 2019، "
        f"وقتل 5 أشخاص في الهجوم رقم {number:03d} على الأحياء الجنوبية."
    )


def make_project(path: Path, documents_count: int = 12, annotators=("Salma",)) -> Project:
    project = Project.create(path, name="lead")
    with project.transaction() as db:
        for number in range(documents_count):
            documents.insert(db, NewDocument(text=article(number), title=f"article {number}", id=f"doc-{number:02d}"))
    for name in annotators:
        project.add_annotator(name)
    return project


class Clock:
    """The change log's clock, moved by hand."""

    def __init__(self) -> None:
        self.at = _dt.datetime(2026, 11, 2, 8, 0, tzinfo=_dt.UTC)

    def __call__(self) -> str:
        return self.at.isoformat(timespec="milliseconds")

    def wait(self, seconds: float) -> None:
        self.at += _dt.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    # Every module that stamps rows with the project's clock (spans, statuses, the log).
    original = project_module.now
    for name, module in list(sys.modules.items()):
        if name.startswith("workbench.core") and getattr(module, "now", None) is original:
            monkeypatch.setattr(module, "now", fake)
    return fake


def word(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def work_on(project: Project, clock: Clock, doc_id: str, layer: str, gap: float, *, accept: bool) -> None:
    """Tag an ACTOR, then (with suggestions) accept the DATE and reject the CASUALTY suggestion, or
    (without) tag them by hand; ``gap`` seconds before each change; then mark the document done."""
    text = documents.get(project.db, doc_id).text
    clock.wait(gap)
    CreateSpan(Span(doc_id, layer, *word(text, "حفتر"), "ACTOR")).do(project)
    offered = suggestions.suggest(project, doc_id, layer)
    if accept:
        date = next(f for f in offered if f.label == "DATE")
        clock.wait(gap)
        suggestions.accept(project, doc_id, layer, date, layer).do(project)
        casualty = next(f for f in offered if f.label == "CASUALTY")
        clock.wait(gap)
        suggestions.RejectSuggestion(doc_id, layer, casualty, layer).do(project)
    else:
        assert offered == []
        clock.wait(gap)
        CreateSpan(Span(doc_id, layer, *word(text, "19 يناير 2019"), "DATE")).do(project)
        clock.wait(gap)
        CreateSpan(Span(doc_id, layer, *word(text, "أشخاص"), "CASUALTY")).do(project)
    clock.wait(gap)
    SetStatus(doc_id, layer, doc_status.DONE).do(project)
    clock.wait(600)  # a coffee: a pause, never counted


# --- the split ---------------------------------------------------------------------------------


def test_split_is_balanced_per_annotator_reproducible_and_extends_to_later_assignments(tmp_path):
    lead = make_project(tmp_path / "a.wbproj", 21, ("Salma", "Omar", "Huda"))
    assign_balanced(lead, ["Salma", "Omar", "Huda"], k=2, seed=3)
    given_ = assistance.start(lead, seed=11)
    for name, (shown, hidden) in given_.items():
        assert shown + hidden == len(
            lead.db.execute("SELECT 1 FROM assignments WHERE annotator = ?", [name]).fetchall()
        )
        assert abs(shown - hidden) <= 1, (name, shown, hidden)
    again = make_project(tmp_path / "b.wbproj", 21, ("Salma", "Omar", "Huda"))
    assign_balanced(again, ["Salma", "Omar", "Huda"], k=2, seed=3)
    assistance.start(again, seed=11)
    other = make_project(tmp_path / "c.wbproj", 21, ("Salma", "Omar", "Huda"))
    assign_balanced(other, ["Salma", "Omar", "Huda"], k=2, seed=3)
    assistance.start(other, seed=12)
    arms = {name: arms_store.arms(lead.db, name) for name in ("Salma", "Omar", "Huda")}
    assert arms == {name: arms_store.arms(again.db, name) for name in arms}  # the same seed: the same halves
    assert arms != {name: arms_store.arms(other.db, name) for name in arms}
    # Documents assigned later get their halves when assigned, keeping the balance.
    with lead.transaction() as db:
        for number in range(21, 31):
            documents.insert(db, NewDocument(text=article(number), id=f"doc-{number:02d}"))
    assign_by_hand(lead, [f"doc-{n:02d}" for n in range(21, 31)], "Salma")
    shown, hidden = arms_store.counts(lead.db, "Salma")
    assert shown + hidden == 14 + 10 and abs(shown - hidden) <= 1
    # A second seed while the split goes on is refused; the same one tops up.
    with pytest.raises(InvalidInput, match="seed 11"):
        assistance.start(lead, seed=99)
    assert assistance.start(lead, seed=11)["Salma"] == (shown, hidden)
    entry = [c for c in changelog.history(lead.db) if c["action"] == "assistance.split.on"][0]
    assert entry["after"]["seed"] == 11


def test_a_document_without_suggestions_offers_and_fills_nothing_and_says_why(tmp_path):
    lead = make_project(tmp_path / "p.wbproj", 8)
    assistance.start(lead, seed=5)
    arms = arms_store.arms(lead.db, "Salma")
    on = next(d for d, shown in arms.items() if shown)
    off = next(d for d, shown in arms.items() if not shown)
    assert {f.label for f in suggestions.suggest(lead, on, "Salma")} >= {"DATE", "CASUALTY"}
    assert suggestions.suggest(lead, off, "Salma") == []
    assert assistance.quiet_reason(lead, on, "Salma") is None
    assert "without them" in assistance.quiet_reason(lead, off, "Salma")
    text = documents.get(lead.db, off).text
    tagged = Span(off, "Salma", *word(text, "19 يناير 2019"), "DATE")
    assert suggestions.fill(lead, tagged).attributes == {}  # no value filled on that half
    filled = suggestions.fill(lead, Span(on, "Salma", *word(text, "19 يناير 2019"), "DATE"))
    assert filled.attributes.get("value") == "2019-01-19"
    # Gold is never split; ending the split gives every document its suggestions back, halves kept.
    assert assistance.shown(lead, off, GOLD)
    assert assistance.stop(lead) and assistance.split_of(lead) is None
    assert suggestions.suggest(lead, off, "Salma") and arms_store.arms(lead.db, "Salma") == arms
    assert not assistance.stop(lead)


def test_the_halves_travel_to_the_annotators_copy_which_cannot_change_them(tmp_path):
    lead = make_project(tmp_path / "lead.wbproj", 10, ("Salma", "Omar"))
    assign_balanced(lead, ["Salma", "Omar"], k=1, seed=2)
    assistance.start(lead, seed=9)
    bundle = tmp_path / "salma.wbbundle"
    export_project_bundle(lead, "Salma", bundle)
    schema = json.loads(__import__("zipfile").ZipFile(bundle).read("schema.json"))
    assert set(schema["assistance"]["arms"]) == set(arms_store.arms(lead.db, "Salma"))
    copy = open_project_bundle(bundle, tmp_path / "salma.wbproj")
    for doc_id, shown in arms_store.arms(lead.db, "Salma").items():
        assert assistance.shown(copy, doc_id, "Salma") == shown
        assert bool(suggestions.suggest(copy, doc_id, "Salma")) == shown
    with pytest.raises(InvalidInput, match="lead"):
        assistance.start(copy, seed=1)
    with pytest.raises(InvalidInput, match="lead"):
        assistance.stop(copy)
    # The lead ends the split: the next project bundle gives the copy its suggestions back.
    assistance.stop(lead)
    export_project_bundle(lead, "Salma", bundle)
    open_project_bundle(bundle, tmp_path / "salma.wbproj").close()
    copy = Project.open(tmp_path / "salma.wbproj")
    assert all(suggestions.suggest(copy, d, "Salma") for d in arms_store.arms(lead.db, "Salma"))


def test_a_forged_split_in_a_project_bundle_is_refused(tmp_path):
    import zipfile

    from workbench.core.bundles.archive import BundleError

    lead = make_project(tmp_path / "lead.wbproj", 4)
    assign_by_hand(lead, ["doc-00", "doc-01"], "Salma")
    assistance.start(lead, seed=1)
    bundle = tmp_path / "salma.wbbundle"
    export_project_bundle(lead, "Salma", bundle)
    members = {name: zipfile.ZipFile(bundle).read(name) for name in zipfile.ZipFile(bundle).namelist()}
    schema = json.loads(members["schema.json"])
    schema["assistance"]["arms"]["doc-03"] = True  # not in the bundle (and the signature breaks)
    members["schema.json"] = json.dumps(schema).encode()
    forged = tmp_path / "forged.wbbundle"
    with zipfile.ZipFile(forged, "w") as out:
        for name, data in members.items():
            out.writestr(name, data)
    with pytest.raises(BundleError):
        open_project_bundle(forged, tmp_path / "forged.wbproj")
    assert not (tmp_path / "forged.wbproj").exists()


# --- active time ---------------------------------------------------------------------------------


def test_active_time_counts_gaps_up_to_two_minutes_for_the_document_worked_on():
    t0 = _dt.datetime(2026, 1, 1, tzinfo=_dt.UTC)

    def at(seconds: float) -> _dt.datetime:
        return t0 + _dt.timedelta(seconds=seconds)

    events = [(at(0), "a"), (at(30), "a"), (at(150), "a"), (at(151), "b"), (at(500), "b"), (at(560), "a")]
    # a: 30 (0->30), 120 (30->150), then 60 (500->560: switching back counts for a); b: 1; 349 s is a pause.
    assert assistance.active_seconds(events) == {"a": 210.0, "b": 1.0}
    assert assistance.active_seconds([(at(0), "x")]) == {"x": 0.0}
    assert assistance.active_seconds([]) == {}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from("abc")), max_size=40))
def test_active_time_never_exceeds_the_gaps_and_ignores_order(raw):
    t0 = _dt.datetime(2026, 1, 1, tzinfo=_dt.UTC)
    events = [(t0 + _dt.timedelta(seconds=s), d) for s, d in raw]
    found = assistance.active_seconds(events)
    assert found == assistance.active_seconds(list(reversed(events)))
    times = sorted(s for s, _ in raw)
    counted = sum(b - a for a, b in zip(times, times[1:]) if 0 < b - a <= assistance.PAUSE)
    assert sum(found.values()) == pytest.approx(counted)
    assert set(found) == {d for _, d in raw}


# --- the report ----------------------------------------------------------------------------------


def annotate_all(project: Project, clock: Clock, layer: str, fast: float = 10.0, slow: float = 30.0) -> dict:
    arms = arms_store.arms(project.db, layer)
    for doc_id in sorted(arms):
        work_on(project, clock, doc_id, layer, fast if arms[doc_id] else slow, accept=arms[doc_id])
    return arms


def test_report_compares_the_halves_from_the_change_log(tmp_path, clock):
    lead = make_project(tmp_path / "p.wbproj", 12)
    clock.wait(1)
    assistance.start(lead, seed=4)
    clock.wait(1)
    arms = annotate_all(lead, clock, "Salma")
    assert sum(arms.values()) == 6
    # Gold on the first three documents of each half: the annotator's ACTOR and DATE, and a
    # CASUALTY covering "5 أشخاص" (the annotator's by-hand CASUALTY, "أشخاص", only overlaps it).
    with_gold = [d for d in sorted(arms) if arms[d]][:3] + [d for d in sorted(arms) if not arms[d]][:3]
    for doc_id in with_gold:
        text = documents.get(lead.db, doc_id).text
        for needle, label in (("حفتر", "ACTOR"), ("19 يناير 2019", "DATE"), ("5 أشخاص", "CASUALTY")):
            CreateSpan(Span(doc_id, GOLD, *word(text, needle), label), actor="lead").do(lead)
    found = assistance.report(lead, replicates=300)
    length = len(article(0))
    on, off = found.with_suggestions, found.without
    assert (on.documents, off.documents) == (6, 6)
    # With suggestions: 3 gaps of 10 s; without: 3 of 30 s (the gap after a 600 s pause never counts).
    assert on.median == pytest.approx(30 * 1000 / length) and off.median == pytest.approx(90 * 1000 / length)
    assert found.ratio == pytest.approx(1 / 3)
    assert on.median_interval.low == pytest.approx(on.median) == on.median_interval.high  # no spread
    assert found.ratio_interval.low == pytest.approx(1 / 3)
    assert (on.accepted, on.rejected, on.acceptance) == (6, 6, 0.5)
    assert (off.accepted, off.rejected, off.acceptance) == (0, 0, None)
    # Gold: with suggestions the layer has ACTOR and the accepted DATE "يوم 19 يناير 2019", which
    # only overlaps gold's (the CASUALTY was rejected): strict 2*1/(2+3), relaxed P 1, R 2/3. By
    # hand: ACTOR and DATE exact, the CASUALTY overlapping: strict 2*2/(3+3), relaxed 1.
    assert (on.gold_documents, off.gold_documents) == (3, 3)
    assert on.strict_f1 == pytest.approx(0.4) and on.relaxed_f1 == pytest.approx(0.8)
    assert off.strict_f1 == pytest.approx(2 / 3) and off.relaxed_f1 == pytest.approx(1.0)
    assert on.strict_interval.low == pytest.approx(0.4) == on.strict_interval.high  # the same on each document
    assert found.per_annotator["Salma"]["time_ratio"] == pytest.approx(1 / 3, abs=1e-3)
    assert found.not_counted == {}
    data = found.to_json()
    assert data["with_suggestions"]["documents"] == 6 and data["split"]["seed"] == 4
    json.dumps(data)  # serialisable


def test_report_names_what_it_leaves_out(tmp_path, clock):
    lead = make_project(tmp_path / "p.wbproj", 6)
    # Work begun before the split, and a done document with no logged change.
    work_on(lead, clock, "doc-00", "Salma", 10, accept=True)
    clock.wait(5)
    assistance.start(lead, seed=4)
    with lead.transaction() as db:  # done, with no logged change (as a copy's statuses come back)
        doc_status.restore(db, [{"doc_id": "doc-02", "annotator": "Salma", "status": "done", "updated_at": clock()}])
    found = assistance.report(lead, replicates=200)
    assert found.not_counted == {
        "begun before the split": 1,
        "done without a logged change (imported or merged without a log)": 1,
    }
    assert found.ratio is None and found.with_suggestions.documents + found.without.documents == 0
    with pytest.raises(InvalidInput, match="Nobody"):
        assistance.report(lead, ["Nobody"])


def test_the_lead_times_work_done_in_a_copy_from_its_work_bundle(tmp_path, clock):
    lead = make_project(tmp_path / "lead.wbproj", 8, ("Salma", "Omar"))
    assign_balanced(lead, ["Salma", "Omar"], k=1, seed=1)
    assistance.start(lead, seed=6)
    bundle = tmp_path / "salma.wbbundle"
    export_project_bundle(lead, "Salma", bundle)
    copy = open_project_bundle(bundle, tmp_path / "salma.wbproj")
    arms = annotate_all(copy, clock, "Salma", fast=12, slow=24)
    work = tmp_path / "salma.wbwork"
    export_work_bundle(copy, work)
    clock.wait(3600)
    import_work_bundles(lead, [work])
    found = assistance.report(lead, ["Salma"], replicates=200)
    assert found.with_suggestions.documents == sum(arms.values())
    assert found.without.documents == len(arms) - sum(arms.values())
    assert found.ratio == pytest.approx(0.5)
    assert found.with_suggestions.accepted == sum(arms.values())


def test_cli_split_and_report(tmp_path, clock):
    path = tmp_path / "p.wbproj"
    make_project(path, 8).close()
    runner = CliRunner()
    out = runner.invoke(cli, ["--db", str(path), "suggestions", "split", "--seed", "3"])
    assert out.exit_code == 0, out.output
    assert "seed 3" in out.output and "Salma: 4 documents with suggestions, 4 without" in out.output
    status = runner.invoke(cli, ["--db", str(path), "suggestions"])
    assert "A/B split (seed 3)" in status.output
    project = Project.open(path)
    off = next(d for d, shown in arms_store.arms(project.db, "Salma").items() if not shown)
    quiet = runner.invoke(cli, ["--db", str(path), "suggest", off, "--annotator", "Salma"])
    assert quiet.exit_code == 0 and "half of your documents annotated without them" in quiet.stderr
    annotate_all(project, clock, "Salma")
    project.close()
    text = runner.invoke(cli, ["--db", str(path), "report", "assistance", "--replicates", "200"])
    assert text.exit_code == 0, text.output
    assert "Time ratio (with / without): 0.33" in text.output and "50% (4/8)" in text.output
    data = json.loads(runner.invoke(cli, ["--db", str(path), "report", "assistance", "--json"]).output)
    assert data["time_ratio"] == pytest.approx(1 / 3, abs=1e-3)
    assert runner.invoke(cli, ["--db", str(path), "suggestions", "on", "--seed", "3"]).exit_code == 2
    ended = runner.invoke(cli, ["--db", str(path), "suggestions", "end-split"])
    assert "ended" in ended.output
    again = json.loads(runner.invoke(cli, ["--db", str(path), "report", "assistance", "--json"]).output)
    assert again["split"] is None and again["with_suggestions"]["documents"] == 4  # halves kept


# --- the window ----------------------------------------------------------------------------------


def test_the_window_says_why_a_document_of_the_other_half_has_no_suggestions(tmp_path, qtbot, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from workbench.ui.document_spans import is_suggestion
    from workbench.ui.session import Session, app_settings, make_application
    from workbench.ui.suggestion_feed import QUIET

    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    make_application()
    project = make_project(tmp_path / "p.wbproj", 6)
    project.set_current_annotator("Salma")
    assistance.start(project, seed=2)
    arms = arms_store.arms(project.db, "Salma")
    off = next(d for d, shown in arms.items() if not shown)
    on = next(d for d, shown in arms.items() if shown)
    assert assistance.quiet_reason(project, off, "Salma") == QUIET  # the sentence lupdate translates
    session = Session(project, app_settings())
    session.apply_language("en")
    window = session.show()
    qtbot.waitExposed(window)
    said: list[str] = []
    window.feed.quiet.connect(said.append)

    def shown_suggestions() -> int:
        return sum(1 for key in window.spans.ordered_items() if is_suggestion(key))

    for doc_id in (on, off):
        window.open_document(doc_id)
        qtbot.waitUntil(lambda: not window.feed.busy, timeout=20000)
        QApplication.processEvents()
        assert (shown_suggestions() > 0) == (doc_id == on)
    assert said == [QUIET]
    assert "without them" in window.statusBar().currentMessage()
    window.close()
    project.close()


def test_the_data_card_says_which_documents_had_suggestions(tmp_path, clock):
    from workbench.core.export import ExportOptions, export

    lead = make_project(tmp_path / "p.wbproj", 6)
    assistance.start(lead, seed=8)
    annotate_all(lead, clock, "Salma")
    export(lead, ExportOptions(format="jsonl", source="annotator:Salma", split=(100,)), tmp_path / "out")
    card = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "an A/B split since 2026-11-02, seed 8: 3 annotator-document pairs with suggestions, 3 without" in card
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["suggestions"]["split"]["with"] == 3 and manifest["suggestions"]["accepted"] == 3
