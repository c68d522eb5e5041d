"""Adjudication core on a real project file: disagreement clusters typed right on Arabic text,
majority, accepting versions into gold with provenance and undo, bulk acceptance of
unanimous spans (idempotent), and the clustering invariants under random spans."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.actions import CreateSpan, DeleteSpan, EditSpan
from workbench.core.adjudication import (
    KINDS,
    AcceptMany,
    AcceptVersion,
    AdjudicationError,
    Cluster,
    DeleteGoldSpan,
    Version,
    accept_all_unanimous,
    agreeing,
    cluster_spans,
    clusters,
    majority,
    provenance,
    unanimous,
)
from workbench.core.errors import WorkbenchError
from workbench.core.importer import import_paths
from workbench.core.store import changelog, documents, spans
from workbench.core.store.project import GOLD, Project
from workbench.core.store.spans import Span
from workbench.resources import sample_corpus_files

SALMA, OMAR, HUDA = "Salma", "Omar", "Huda"
LEAD = "lead"
D0 = "000_1d4f535c4afa2fda"  # "أحمد المسماري", "عبد الحكيم بلحاج", "رجب أردوغان", "برقة، وطرابلس، وفزان"
D2 = "002_af682284de1024ff"
D3 = "003_ea1dba6c08793fa4"  # "لقوات المشير خليفة حفتر"


@pytest.fixture
def proj(project):
    for name in (SALMA, OMAR, HUDA):
        project.add_annotator(name)
    assert len(import_paths(project, list(sample_corpus_files())).imported) == 5
    return project


def text_of(project: Project, doc_id: str) -> str:
    return documents.get(project.db, doc_id).text


def find(project: Project, doc_id: str, word: str, inside: str | None = None) -> tuple[int, int]:
    """Offsets of ``word`` (optionally of ``word`` inside the first ``inside``)."""
    text = text_of(project, doc_id)
    base = text.index(inside) if inside else 0
    start = text.index(word, base)
    return start, start + len(word)


def add(project: Project, doc_id: str, annotator: str, edges: tuple[int, int], label: str) -> Span:
    action = CreateSpan(Span(doc_id, annotator, edges[0], edges[1], label))
    action.do(project)
    return action.span


def table(project: Project, name: str) -> list[tuple]:
    return project.db.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall()


def by_start(found: list[Cluster]) -> dict[int, Cluster]:
    return {c.start: c for c in found}


@pytest.fixture
def d0(proj):
    """Document 000, two annotators, one cluster of each kind but nested."""
    w = {
        "unanimous": find(proj, D0, "أحمد المسماري"),
        "label": find(proj, D0, "عبد الحكيم بلحاج"),
        "boundary": find(proj, D0, "رجب أردوغان"),
        "boundary_short": find(proj, D0, "أردوغان", inside="رجب أردوغان"),
        "proclitic": find(proj, D0, "وطرابلس"),
        "proclitic_short": find(proj, D0, "طرابلس", inside="وطرابلس"),
        "missing": find(proj, D0, "ليبيا"),
    }
    assert w["proclitic_short"][0] == w["proclitic"][0] + 1
    assert w["boundary_short"][1] == w["boundary"][1]
    add(proj, D0, SALMA, w["unanimous"], "ACTOR")
    add(proj, D0, OMAR, w["unanimous"], "ACTOR")
    add(proj, D0, SALMA, w["label"], "ACTOR")
    add(proj, D0, OMAR, w["label"], "LOCATION")
    add(proj, D0, SALMA, w["boundary"], "ACTOR")
    add(proj, D0, OMAR, w["boundary_short"], "ACTOR")
    add(proj, D0, SALMA, w["proclitic"], "LOCATION")
    add(proj, D0, OMAR, w["proclitic_short"], "LOCATION")
    add(proj, D0, OMAR, w["missing"], "LOCATION")
    return w


def test_schema_has_gold_provenance(proj):
    columns = [row[1] for row in proj.db.execute("PRAGMA table_info(gold_provenance)")]
    assert columns == ["span_id", "agreed_by", "adjudicator", "at", "cluster", "sources"]
    assert proj.schema_version >= 4


def test_each_kind_is_typed_right(proj, d0):
    found = clusters(proj, D0)
    assert [c.start for c in found] == sorted(c.start for c in found)
    assert len(found) == 5
    kinds = {c.start: c.kind for c in found}
    assert kinds == {
        d0["unanimous"][0]: "unanimous",
        d0["label"][0]: "label",
        d0["boundary"][0]: "boundary",
        d0["proclitic"][0]: "proclitic",
        d0["missing"][0]: "missing",
    }
    clusters_ = by_start(found)
    missing = clusters_[d0["missing"][0]]
    assert missing.missing == (SALMA,) and [v.annotator for v in missing.versions] == [OMAR]
    proclitic = clusters_[d0["proclitic"][0]]
    assert (proclitic.start, proclitic.end) == d0["proclitic"]
    assert [v.annotator for v in proclitic.versions] == [SALMA, OMAR]  # reading order
    assert text_of(proj, D0)[proclitic.versions[1].start : proclitic.versions[1].end] == "طرابلس"
    assert all(c.kind in KINDS and c.gold == () for c in found)
    assert [c.kind for c in unanimous(found)] == ["unanimous"]
    # ids are stable for the same spans
    assert [c.id for c in clusters(proj, D0)] == [c.id for c in found]


def test_nested_cluster_and_boundary_with_label_difference(proj):
    outer = find(proj, D3, "المشير خليفة حفتر")
    inner = find(proj, D3, "خليفة حفتر", inside="المشير خليفة حفتر")
    add(proj, D3, SALMA, outer, "ACTOR")
    add(proj, D3, SALMA, inner, "ACTOR")
    add(proj, D3, OMAR, inner, "ACTOR")
    (cluster,) = clusters(proj, D3)
    assert cluster.kind == "nested" and (cluster.start, cluster.end) == outer
    assert [(v.annotator, v.start) for v in cluster.versions] == [
        (SALMA, outer[0]),
        (SALMA, inner[0]),
        (OMAR, inner[0]),
    ]
    # Omar's inner span alone against Salma's outer one: the edges differ, the labels too.
    with_two = clusters(proj, D3, [OMAR, SALMA])
    assert with_two[0].kind == "nested"
    ahmed = find(proj, D3, "حفتر", inside="المشير خليفة حفتر")
    add(proj, D3, HUDA, ahmed, "LOCATION")
    (cluster,) = clusters(proj, D3, [OMAR, HUDA])
    assert cluster.kind == "boundary" and cluster.missing == ()


def test_proclitic_needs_equal_labels_and_missing_beats_label(proj, d0):
    # a third annotator compared but silent turns every cluster into "missing" (k of n)
    found = clusters(proj, D0, [SALMA, OMAR, HUDA])
    assert {c.kind for c in found} == {"missing"}
    assert all(HUDA in c.missing for c in found)
    short = by_start(clusters(proj, D0))[d0["proclitic"][0]].versions[1]
    edit = EditSpan(spans.get(proj.db, short.span_id), label="ACTOR")
    edit.do(proj)
    assert by_start(clusters(proj, D0))[d0["proclitic"][0]].kind == "boundary"


def test_refusals(proj, d0):
    with pytest.raises(AdjudicationError, match="gold"):
        clusters(proj, D0, [SALMA, GOLD])
    with pytest.raises(AdjudicationError, match="Nobody"):
        clusters(proj, D0, [SALMA, "Nobody"])
    with pytest.raises(AdjudicationError, match="no document"):
        clusters(proj, "nope", [SALMA])


def test_majority(proj):
    word = find(proj, D2, "طرابلس")
    a = add(proj, D2, SALMA, word, "LOCATION")
    add(proj, D2, OMAR, word, "LOCATION")
    add(proj, D2, HUDA, word, "ACTOR")
    (cluster,) = clusters(proj, D2)
    assert cluster.kind == "label"
    chosen = majority(cluster, 3)
    assert chosen is not None and chosen.span_id == a.id and chosen.label == "LOCATION"
    assert majority(cluster) == chosen
    assert agreeing(cluster, chosen) == [SALMA, OMAR]
    assert majority(cluster, 5) is None  # 2 of 5 is no majority

    other = find(proj, D2, "طرابلس", inside=text_of(proj, D2)[word[1] :])
    add(proj, D2, SALMA, other, "LOCATION")
    add(proj, D2, OMAR, other, "ACTOR")
    add(proj, D2, HUDA, other, "DATE")
    second = [c for c in clusters(proj, D2) if c.start == other[0]][0]
    assert second.kind == "label" and majority(second, 3) is None


def test_accept_version_gold_provenance_undo_redo(proj, d0):
    cluster = by_start(clusters(proj, D0))[d0["label"][0]]
    salma = cluster.versions[0]
    assert salma.annotator == SALMA
    before_changes = len(changelog.history(proj.db))
    action = AcceptVersion(D0, salma, LEAD, agreeing(cluster, salma), cluster.id)
    action.do(proj)

    (gold,) = spans.for_document(proj.db, D0, GOLD)
    assert (gold.start, gold.end, gold.label) == (salma.start, salma.end, "ACTOR")
    record = provenance(proj, gold.id)
    assert record["agreed_by"] == [SALMA] and record["adjudicator"] == LEAD
    assert record["cluster"] == cluster.id and record["sources"] == [salma.span_id] and record["at"]
    logged = changelog.history(proj.db)[before_changes:]
    assert [(c["action"], c["actor"], c["span_id"]) for c in logged] == [
        ("span.create", LEAD, gold.id),
        ("gold.accept", LEAD, gold.id),
    ]
    assert by_start(clusters(proj, D0))[d0["label"][0]].gold == (gold.id,)

    action.undo(proj)
    assert spans.for_document(proj.db, D0, GOLD) == []
    assert provenance(proj, gold.id) is None and table(proj, "gold_provenance") == []
    assert by_start(clusters(proj, D0))[d0["label"][0]].gold == ()
    assert changelog.history(proj.db)[-2]["action"] == "span.delete"

    action.do(proj)  # redo: the same span and provenance
    assert [s.id for s in spans.for_document(proj.db, D0, GOLD)] == [gold.id]
    assert provenance(proj, gold.id) == record


def test_accepting_over_gold_replaces_it_and_undo_restores_it(proj, d0):
    cluster = by_start(clusters(proj, D0))[d0["boundary"][0]]
    salma, omar = cluster.versions
    AcceptVersion(D0, salma, LEAD, [SALMA], cluster.id).do(proj)
    first = spans.for_document(proj.db, D0, GOLD)
    spans_before, provenance_before = table(proj, "spans"), table(proj, "gold_provenance")

    replace = AcceptVersion(D0, omar, "lead2", [OMAR], cluster.id)
    replace.do(proj)
    (gold,) = spans.for_document(proj.db, D0, GOLD)
    assert gold.id != first[0].id and (gold.start, gold.end) == (omar.start, omar.end)
    assert provenance(proj, first[0].id) is None
    assert provenance(proj, gold.id)["adjudicator"] == "lead2"
    assert changelog.history(proj.db)[-1]["after"]["superseded"] == [first[0].id]

    replace.undo(proj)
    assert table(proj, "spans") == spans_before
    assert table(proj, "gold_provenance") == provenance_before

    # without replace_gold both stay (e.g. a nested cluster's outer and inner spans)
    AcceptVersion(D0, omar, LEAD, [OMAR], cluster.id, replace_gold=False).do(proj)
    assert len(spans.for_document(proj.db, D0, GOLD)) == 2


def test_refused_acceptance_changes_nothing(proj, d0, project_path, snapshot):
    before = snapshot(project_path)
    bad = Version(SALMA, "", 5, 3, "ACTOR", {})
    with pytest.raises(WorkbenchError):
        AcceptVersion(D0, bad, LEAD, [SALMA]).do(proj)
    with pytest.raises(WorkbenchError):
        AcceptVersion(D0, Version(SALMA, "", 0, 3, "NO_SUCH_LABEL", {}), LEAD, []).do(proj)
    assert snapshot(project_path) == before


def test_manual_gold_edits_and_delete_with_provenance(proj, d0):
    cluster = by_start(clusters(proj, D0))[d0["proclitic"][0]]
    AcceptVersion(D0, cluster.versions[1], LEAD, [OMAR], cluster.id).do(proj)
    (gold,) = spans.for_document(proj.db, D0, GOLD)
    record = provenance(proj, gold.id)
    EditSpan(gold, actor=LEAD, start=cluster.versions[0].start).do(proj)  # edited by hand: keeps its row
    assert provenance(proj, gold.id) == record
    delete = DeleteGoldSpan(spans.get(proj.db, gold.id), LEAD)
    delete.do(proj)
    assert provenance(proj, gold.id) is None
    delete.undo(proj)
    assert provenance(proj, gold.id) == record
    # a gold span added by hand has none
    hand = CreateSpan(Span(D0, GOLD, *d0["missing"], "LOCATION"), actor=LEAD)
    hand.do(proj)
    assert provenance(proj, hand.span.id) is None
    assert by_start(clusters(proj, D0))[d0["missing"][0]].gold == (hand.span.id,)
    DeleteSpan(hand.span, actor=LEAD).do(proj)


def test_accept_many_is_one_undo_step(proj, d0):
    found = clusters(proj, D0)
    action = AcceptMany([AcceptVersion(D0, c.versions[0], LEAD, agreeing(c, c.versions[0]), c.id) for c in found])
    action.do(proj)
    assert len(spans.for_document(proj.db, D0, GOLD)) == len(found)
    assert all(c.gold for c in clusters(proj, D0))
    action.undo(proj)
    assert spans.for_document(proj.db, D0, GOLD) == [] and table(proj, "gold_provenance") == []


def test_accept_all_unanimous(proj, d0, project_path, snapshot):
    # a second document, three annotators: one unanimous cluster, one majority
    word = find(proj, D2, "طرابلس")
    other = find(proj, D2, "خليفة حفتر")
    for name in (SALMA, OMAR, HUDA):
        add(proj, D2, name, word, "LOCATION")
        add(proj, D2, name, other, "ACTOR" if name != HUDA else "LOCATION")
    # a document with one annotator only is no consensus
    add(proj, D3, SALMA, find(proj, D3, "حفتر"), "ACTOR")

    expected = {D0: unanimous(clusters(proj, D0)), D2: unanimous(clusters(proj, D2))}
    assert [len(v) for v in expected.values()] == [1, 1]
    assert accept_all_unanimous(proj, None, LEAD) == 2
    for doc_id, found in expected.items():
        (gold,) = spans.for_document(proj.db, doc_id, GOLD)
        (cluster,) = found
        assert (gold.start, gold.end, gold.label) == cluster.versions[0].key
        record = provenance(proj, gold.id)
        assert record["agreed_by"] == list(cluster.annotators) and record["cluster"] == cluster.id
        assert sorted(record["sources"]) == sorted(v.span_id for v in cluster.versions)
        assert [c.gold != () for c in clusters(proj, doc_id)] == [c.kind == "unanimous" for c in clusters(proj, doc_id)]
    assert spans.for_document(proj.db, D3, GOLD) == []
    assert accept_all_unanimous(proj, [D3], LEAD) == 0

    before = snapshot(project_path)
    assert accept_all_unanimous(proj, None, LEAD) == 0
    assert snapshot(project_path) == before


def test_accept_all_unanimous_with_named_annotators(proj):
    word = find(proj, D2, "طرابلس")
    add(proj, D2, SALMA, word, "LOCATION")
    add(proj, D2, OMAR, word, "LOCATION")
    add(proj, D2, HUDA, word, "ACTOR")
    assert unanimous(clusters(proj, D2)) == []
    assert accept_all_unanimous(proj, None, LEAD, [SALMA, OMAR]) == 1
    assert provenance(proj, spans.for_document(proj.db, D2, GOLD)[0].id)["agreed_by"] == [SALMA, OMAR]


def test_project_reopens_with_gold(proj, d0, project_path):
    accept_all_unanimous(proj, None, LEAD)
    proj.close()
    with Project.open(project_path) as again:
        (gold,) = spans.for_document(again.db, D0, GOLD)
        assert provenance(again, gold.id)["adjudicator"] == LEAD
        # deleting the span (foreign keys on) takes its provenance with it
        assert again.db.execute("PRAGMA foreign_keys").fetchone() == (1,)
        DeleteSpan(gold, actor=LEAD).do(again)
        assert provenance(again, gold.id) is None
    conn = sqlite3.connect(str(project_path))
    assert conn.execute("SELECT COUNT(*) FROM gold_provenance").fetchone() == (0,)
    conn.close()


# --- invariants of clustering -----------------------------------------------------

TEXT = "وطرابلس في ليبيا"  # short text: spans often overlap


@st.composite
def random_spans(draw):
    names = ["A", "B", "C"][: draw(st.integers(2, 3))]
    out = []
    for i in range(draw(st.integers(0, 12))):
        start = draw(st.integers(0, len(TEXT) - 1))
        end = draw(st.integers(start + 1, min(len(TEXT), start + 8)))
        out.append(
            Span(
                "d", draw(st.sampled_from(names)), start, end, draw(st.sampled_from(["ACTOR", "LOCATION"])), id=f"s{i}"
            )
        )
    return names, out


@settings(max_examples=300, deadline=None)
@given(random_spans())
def test_clusters_partition_spans_in_reading_order(case):
    names, members = case
    found = cluster_spans(TEXT, members, names)
    ids = [v.span_id for c in found for v in c.versions]
    assert sorted(ids) == sorted(s.id for s in members)  # each span in exactly one cluster
    for a, b in zip(found, found[1:]):
        assert a.end <= b.start  # no overlap, reading order
    for c in found:
        assert c.kind in KINDS
        assert (c.start, c.end) == (min(v.start for v in c.versions), max(v.end for v in c.versions))
        assert list(c.versions) == sorted(
            c.versions, key=lambda v: (v.start, -v.end, names.index(v.annotator), v.span_id)
        )
        assert set(c.missing) == set(names) - {v.annotator for v in c.versions}
        # the versions overlap transitively: sweeping them never leaves a gap
        reach = c.versions[0].end
        for v in c.versions[1:]:
            assert v.start < reach
            reach = max(reach, v.end)
        if c.kind == "unanimous":
            assert not c.missing and len(c.versions) == len(names) and len({v.key for v in c.versions}) == 1
        if c.kind == "label":
            assert len({(v.start, v.end) for v in c.versions}) == 1 and len({v.label for v in c.versions}) > 1
        chosen = majority(c, len(names))
        if chosen is not None:
            assert 2 * len(agreeing(c, chosen)) > len(names)


# --- attribute disagreements (issue 11) ------------------------------------------------


def _casualties(proj, counts):
    """The same CASUALTY range by Salma, Omar (and Huda), with these counts (kind captured)."""
    edges = find(proj, D2, "30 من قواته")
    made = []
    for name, count in zip((SALMA, OMAR, HUDA), counts):
        action = CreateSpan(Span(D2, name, *edges, "CASUALTY", {"count": count, "kind": "captured"}))
        action.do(proj)
        made.append(action.span)
    return made


def test_versions_that_differ_only_in_attributes_are_a_disagreement(proj):
    from workbench.core.adjudication import ATTRIBUTES, consensus, unanimous_acceptance

    _casualties(proj, [3, 4, 4])
    (cluster,) = clusters(proj, D2, [SALMA, OMAR, HUDA])
    assert cluster.kind == ATTRIBUTES == "attributes"  # was "unanimous"
    assert unanimous([cluster]) == []
    assert unanimous_acceptance(proj, D2, LEAD, [SALMA, OMAR, HUDA]) is None
    assert accept_all_unanimous(proj, [D2], LEAD, [SALMA, OMAR, HUDA]) == 0
    salma, omar, huda = cluster.versions
    # Agreeing means the same edges, label AND attributes.
    assert agreeing(cluster, salma) == [SALMA]
    assert agreeing(cluster, omar) == [OMAR, HUDA]
    # The majority: the edges and label more than half chose, with the attributes most of them gave.
    chosen = majority(cluster)
    assert chosen.attributes["count"] == 4 and agreeing(cluster, chosen) == [OMAR, HUDA]
    assert consensus(cluster).attributes["count"] == 4
    AcceptVersion(D2, salma, LEAD, agreeing(cluster, salma), cluster.id).do(proj)
    (gold,) = spans.for_document(proj.db, D2, GOLD)
    record = provenance(proj, gold.id)
    assert gold.attributes["count"] == 3
    assert record["agreed_by"] == [SALMA]  # was [Salma, Omar, Huda]
    assert record["sources"] == [salma.span_id]


def test_the_same_attributes_are_still_unanimous(proj):
    _casualties(proj, [4, 4, 4])
    (cluster,) = clusters(proj, D2, [SALMA, OMAR, HUDA])
    assert cluster.kind == "unanimous"
    assert accept_all_unanimous(proj, [D2], LEAD, [SALMA, OMAR, HUDA]) == 1
    (gold,) = spans.for_document(proj.db, D2, GOLD)
    assert provenance(proj, gold.id)["agreed_by"] == [SALMA, OMAR, HUDA]
