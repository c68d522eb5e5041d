"""The work-bundle import's shortcuts read and check exactly what the plain checks do (issue 16).

The import parses a member's lines with orjson (:func:`manifest.streamed_rows`), checks a usual span
row in a few steps (:func:`contents.quick_row`) and writes the spans of many documents in one
statement (:func:`spans.insert_rows`). Each shortcut must accept exactly what the plain path
accepts, and refuse the rest with the plain path's words.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import test_bundles as shared
from tests.test_bundles import good_members, jsonl_bytes, jsonl_rows, layer, refused, resign
from workbench.core.bundles import archive
from workbench.core.bundles.archive import BundleError
from workbench.core.bundles.contents import Twins, checked_span, quick_row, row_of, span_from_row, span_of
from workbench.core.bundles.manifest import json_rows, streamed_rows
from workbench.core.bundles.work_bundle import import_work_bundles
from workbench.core.store import documents
from workbench.core.store.labels import DEFAULT_LABELS

team, lead = shared.team, shared.lead

# --- lines: orjson's reading and json's line-by-line one agree -------------------------------------

ROW = {
    "id": "a1",
    "doc_id": "خبر-1",
    "annotator": "سلمى",
    "start": 3,
    "end": 9,
    "label": "LOCATION",
    "attributes": {"canonical": "بنغازي"},
    "note": "قرب الميناء\u2028سطر",
    "unsure": False,
    "created_at": "2020-01-01T00:00:00+00:00",
    "updated_at": "2020-01-01T00:00:00+00:00",
}
GOOD = json.dumps(ROW, ensure_ascii=False, sort_keys=True).encode("utf-8")
# Lines a bundle may hold, or a crafted one: each must be read (or refused) as json_rows reads it.
LINES = [
    GOOD,
    b"",
    b"   ",
    b"\x0c",
    b" " + GOOD,
    GOOD + b"\r",
    GOOD + b"  ",
    b"\x0c" + GOOD,
    b"{}",
    b"[1, 2]",
    b"5",
    b"{not json",
    b'{"a": 1} {"b": 2}',
    b'{"a": 1}, {"b": 2}',
    b'{"a": [1',
    b'2], "c": 3}, {}',
    b'{"a": NaN}',
    b'{"a": "\xd8\xa8\xd9\x86\xd8\xba\xd8\xa7\xd8\xb2\xd9\x8a"}',
    b'{"a": "\xff"}',
    b"\xef\xbb\xbf{}",
    b"[" * 3000 + b"]" * 3000,
    b'{"a": ' * 3000 + b"1" + b"}" * 3000,
    b'{"a": ' * 1500 + b"1" + b"}" * 1500,  # past orjson's depth, within json's
    # What orjson reads otherwise than json (or refuses where json reads): json's reading counts.
    b'{"start": 123456789012345678901234567890}',  # json: an int; orjson: a float
    b'{"start": 18446744073709551616, "end": 3}',
    b'{"start": -9223372036854775809}',
    b'{"start": 18446744073709551615}',
    b'{"note": "\xd8\xb1\xd9\x82\xd9\x85 1234567890123456789"}',  # 19 digits in a string
    b'{"id": "a1234567890123456789b", "n": 1}',  # 19 digits in a hex id
    b'{"a": [1, 12345678901234567890]}',
    b'{"a":\t-12345678901234567890}',
    b'{"a": 1234567890123456789.5}',
    b'{"a": 0.12345678901234567890123456789, "b": 1e-0000000000000000000001}',  # digits after '.', 'e-'
    b'{"a": "x", "b": [-1234567890123456789]}',
    b'{"a": 1e400}',
    b'{"a": -1e400}',
    b'{"a": -0}',
    b'{"a": -0.0}',
    b'{"a": 0.1, "b": 2.5e-8, "c": 9007199254740993}',
    b'{"a": NaN, "b": Infinity, "c": -Infinity}',
    b'{"a": "\\ud800"}',  # a lone surrogate, escaped
    b'{"a": "\\udc00x"}',
    b'{"a": "\\ud83d\\ude00"}',  # a pair
    b'{"a": "\xed\xa0\x80"}',  # a surrogate encoded in UTF-8
    b'{"a": "\xc0\xaf"}',  # overlong
    b'{"a": "\xf0\x9f\x98\x80"}',
    b'{"a": 1, "a": 2}',
    b'{"a": "\x01"}',  # a raw control character
    b'{"a": "\x7f"}',
    b'{"a": "\\u0000"}',
    b'\t{"a": 1}\t',
    b'{"a": 1}\x0c',
    b'{"a": 1}\x00',
    b'{"a": [1, 2,]}',
    b'{"a": 01}',
    b'{"a": .5}',
    b'{"a": true, "b": null, "c": false}',
]


def _plain(data: bytes) -> tuple[list[dict] | None, str | None]:
    try:
        return list(json_rows(data.split(b"\n"), "m")), None
    except BundleError as exc:
        return None, str(exc)


def _streamed(data: bytes, cuts: list[int]) -> tuple[list[dict] | None, str | None]:
    edges = sorted({0, len(data), *(c % (len(data) + 1) for c in cuts)})
    chunks = [data[a:b] for a, b in zip(edges, edges[1:], strict=False)]
    try:
        return list(streamed_rows(chunks, "m")), None
    except BundleError as exc:
        return None, str(exc)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(st.sampled_from(LINES), max_size=8),
    end=st.sampled_from([b"", b"\n"]),
    cuts=st.lists(st.integers(min_value=0, max_value=100_000), max_size=6),
)
def test_lines_parsed_in_place_are_read_and_refused_as_one_at_a_time(lines, end, cuts):
    data = b"\n".join(lines) + end
    assert _streamed(data, cuts) == _plain(data)


def test_a_refusal_names_the_line_across_chunks():
    data = b"\n".join([GOOD] * 5 + [b"{broken"] + [GOOD] * 3)
    for size in (1, 7, 100, len(data)):
        chunks = [data[i : i + size] for i in range(0, len(data), size)]
        with pytest.raises(BundleError, match="m line 6 is not valid JSON"):
            list(streamed_rows(chunks, "m"))
    lines = [GOOD, b"\xff\xfe"]
    with pytest.raises(BundleError, match="m is not UTF-8"):
        list(streamed_rows([b"\n".join(lines)], "m"))


# --- rows: the quick check accepts what the plain checks accept -------------------------------------

TEXT = "اشتباكات في بنغازي أمس الأربعاء، ومقتل أربعة مدنيين"
LABELS = {label.name: label for label in DEFAULT_LABELS}


def _row(**changes) -> dict:
    start = TEXT.index("بنغازي")
    row = {**ROW, "doc_id": "خبر-1", "start": start, "end": start + len("بنغازي"), **changes}
    return row


def _plainly(row: dict, twins: Twins) -> tuple | str:
    try:
        span = span_from_row(row, "b.wbb")
        if span.annotator != "سلمى":
            return "owner"
        twins.check(span, "b.wbb")
        return row_of(checked_span(TEXT, LABELS, span, "b.wbb"))
    except BundleError as exc:
        return str(exc)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"attributes": {}},
        {"note": None},
        {"unsure": 1},
        {"unsure": 0},
        {"unsure": True},
        {"created_at": ""},
        {"label": "WEAPON"},
        {"label": 5},
        {"start": 2},
        {"start": "3"},
        {"start": 3.0},
        {"end": True},
        {"end": 10_000},
        {"attributes": {"canonical": "  "}},
        {"attributes": {"colour": "red"}},
        {"attributes": [1]},
        {"annotator": "عمر"},
        {"doc_id": "خبر-2"},
        {"id": 5},
        {"extra": 1},
    ],
)
def test_a_row_checked_quickly_is_the_row_checked_plainly(changes):
    row = _row(**changes)
    quick = quick_row(row, "خبر-1", "سلمى", TEXT, LABELS, Twins())
    plain = _plainly(row, Twins())
    if quick is None:  # the plain checks decide: a refusal, or an unusual row they accept
        assert plain is not None
    else:
        assert quick == plain
        assert span_of(quick).attributes == json.loads(quick[6])


def test_twins_found_quickly_are_refused_plainly():
    twins = Twins()
    first = quick_row(_row(), "خبر-1", "سلمى", TEXT, LABELS, twins)
    assert first is not None
    again = _row(id="a2")  # the same range and label
    assert quick_row(again, "خبر-1", "سلمى", TEXT, LABELS, twins) is None
    assert "repeats span a1" in _plainly(again, twins)
    same_id = _row(label="ACTOR")
    assert quick_row(same_id, "خبر-1", "سلمى", TEXT, LABELS, twins) is None
    assert "the span id appears twice" in _plainly(same_id, twins)


# --- writes: the spans of many documents in one statement ------------------------------------------


def test_a_span_id_repeated_in_another_document_is_refused_naming_it(team, lead, snapshot, tmp_path):
    members = good_members(team)
    rows = jsonl_rows(members["spans.jsonl"])
    docs = list(dict.fromkeys(row["doc_id"] for row in rows))
    assert len(docs) >= 2
    last = next(row for row in reversed(rows) if row["doc_id"] == docs[-1])
    last["id"] = rows[0]["id"]  # another document's span id, in the same bundle
    members["spans.jsonl"] = jsonl_bytes(rows)
    bad = archive.write_members(tmp_path / "twice.wbb", resign(members, team.keys["Salma"]))
    refused(lead, snapshot, bad, "twice.wbb", f"a span id in {docs[-1]!r} is already used")


def test_many_documents_are_merged_with_their_log_and_statuses(team, lead):
    report = import_work_bundles(lead, [team.bundles["Salma"][-1]])
    assert report.refused == []
    assert layer(lead, "Salma", team.docs["Salma"]) == team.expected["Salma"][0]
    merged = lead.db.execute("SELECT doc_id, after FROM changes WHERE action = 'span.merge'").fetchall()
    added = {doc_id: json.loads(after)["added"] for doc_id, after in merged}
    stored = lead.db.execute("SELECT doc_id, id FROM spans WHERE annotator = 'Salma'").fetchall()
    assert sorted(stored) == sorted((doc_id, span_id) for doc_id, ids in added.items() for span_id in ids)
    recorded = {row[0] for row in lead.db.execute("SELECT doc_id FROM merged_work WHERE annotator = 'Salma'")}
    assert recorded == set(team.docs["Salma"])
    assert all(documents.exists(lead.db, doc_id) for doc_id in recorded)


def test_depth_counts_brackets_outside_strings_only():
    from workbench.core.bundles.manifest import MAX_DEPTH, too_deep

    deep, ok = MAX_DEPTH + 1, MAX_DEPTH
    assert too_deep(b"[" * deep + b"]" * deep)
    assert not too_deep(b"[" * ok + b"]" * ok)
    assert not too_deep(b'{"note": "' + b"[" * 2000 + b'"}')  # in a string: text, not nesting
    assert not too_deep(b'{"note": "\\"' + b"{" * 2000 + b'"}')  # (an escaped quote does not end it)
    assert too_deep(b'{"note": "\\\\", "x": ' + b"[" * deep + b"]" * deep + b"}")  # (an escaped backslash does)
    assert too_deep(("{" + '"ك": ' + "[" * deep + "]" * deep + "}").encode())
