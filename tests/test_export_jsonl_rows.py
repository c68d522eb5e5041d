"""The JSONL writer's rows (issue 16: written by orjson, a chunk of documents at a time).

Each line is one JSON object on one line, read back with ``json`` and with ``str.splitlines``
(which also breaks at U+2028, U+2029 and U+0085, left raw by JSON): ids, metadata, attributes
and notes that hold them are escaped. What orjson refuses (an integer beyond 64 bits in the
metadata) is written by ``json`` in the same form. A chunk written at once is the documents
written one by one, byte for byte. The tokenizer's table of the Basic Multilingual Plane is the
regex's classes, character by character.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import regex

from workbench.core.export import alignment
from workbench.core.export.base import Context
from workbench.core.export.files import HashedFile
from workbench.core.export.jsonl import JsonlWriter
from workbench.core.export.layers import SourceDocument
from workbench.core.export.run import MarkedDocument
from workbench.core.export.tokens import _bmp_table, _classify_char
from workbench.core.store.labels import DEFAULT_LABELS

TEXT = "قصفت قوات حفتر مدينة طرابلس أمس الأربعاء، وأعلنت مقتل أربعة.\nوقال المتحدث إن الهجوم فشل."
SPANS = [(5, 14, "ACTOR", None), (10, 14, "ACTOR", '{"canonical": "خليفة حفتر"}'), (21, 27, "LOCATION", None)]
LABELS = tuple(label.name for label in DEFAULT_LABELS)
CONTEXT = Context(LABELS, tuple(alignment.tag_names(list(LABELS))), tuple(DEFAULT_LABELS), "split")


def _view(docs):
    counts = [len(d.spans) for d in docs]
    flat = [s for d in docs for s in d.spans]
    return alignment.align(
        [d.text for d in docs],
        np.repeat(np.arange(len(docs)), counts),
        np.array([s[0] for s in flat], dtype=np.int64),
        np.array([s[1] for s in flat], dtype=np.int64),
        np.array([LABELS.index(s[2]) for s in flat], dtype=np.int64),
        "split",
        False,
    )


def _documents():
    meta = {"title": "خبر\u2028عنوان", "layer": "gold"}
    plain = SourceDocument("d1", TEXT, "0" * 64, meta, "gold", list(SPANS))
    marked = MarkedDocument(
        "d2\u2029",
        TEXT,
        "1" * 64,
        {"title": "x"},
        "gold",
        [(5, 14, "ACTOR", '{"canonical": "حفتر\u0085"}'), (21, 27, "LOCATION", '{\n  "k": 1\n}')],
        [("ملاحظة\u2028ثانية", True), ("", False)],
    )
    big = MarkedDocument(  # beyond orjson's 64 bits: written by json
        "d3", TEXT, "2" * 64, {"big": 2**70}, "gold", marked.spans, marked.marks
    )
    empty = SourceDocument("d4", "", "3" * 64, {}, "gold", [])
    return [plain, marked, big, empty]


def test_rows_are_one_line_each_and_read_back(tmp_path):
    docs = _documents()
    writer = JsonlWriter(tmp_path, ("train",), CONTEXT)
    writer.write_chunk(["train"] * len(docs), docs, _view(docs))
    writer.close()
    data = (tmp_path / "train.jsonl").read_bytes()
    text = data.decode("utf-8")
    assert len(text.splitlines()) == len(docs) and text.endswith("\n")
    assert not any(c in text for c in "\u2028\u2029\x85")
    rows = [json.loads(line) for line in text.splitlines()]
    assert [r["id"] for r in rows] == ["d1", "d2\u2029", "d3", "d4"]
    first, second, third, fourth = rows
    assert first["meta"]["title"] == "خبر\u2028عنوان"
    assert [(s["start"], s["end"], s["label"], s["text"]) for s in first["spans"]] == [
        (s, e, lab, TEXT[s:e]) for s, e, lab, _ in SPANS
    ]
    assert [s["attributes"] for s in first["spans"]] == [{}, {"canonical": "خليفة حفتر"}, {}]
    assert all(s["note"] == "" and s["unsure"] is False for s in first["spans"])
    assert first["tokens"][:3] == [[0, 4], [5, 9], [10, 14]]
    assert [s["attributes"] for s in second["spans"]] == [{"canonical": "حفتر\x85"}, {"k": 1}]
    assert [(s["note"], s["unsure"]) for s in second["spans"]] == [("ملاحظة\u2028ثانية", True), ("", False)]
    assert third["meta"]["big"] == 2**70 and third["spans"] == second["spans"] and third["tokens"] == second["tokens"]
    assert fourth == {"id": "d4", "text": "", "spans": [], "meta": {}, "tokens": []}
    assert b", " not in data.split(b'"text"')[0]  # compact: no blank after a separator


def test_a_chunk_is_its_documents_written_one_by_one(tmp_path):
    docs = _documents()
    view = _view(docs)
    (tmp_path / "chunk").mkdir()
    (tmp_path / "one").mkdir()
    chunk = JsonlWriter(tmp_path / "chunk", ("train", "dev"), CONTEXT)
    splits = ["train", "dev", "train", "dev"]
    chunk.write_chunk(splits, docs, view)
    one = JsonlWriter(tmp_path / "one", ("train", "dev"), CONTEXT)
    for k, (split, doc) in enumerate(zip(splits, docs)):
        one.write(split, doc, view.document(k))
    assert chunk.close() == one.close()
    for name in ("train.jsonl", "dev.jsonl"):
        assert (tmp_path / "chunk" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()


def test_a_hashed_file_takes_text_and_bytes_in_order(tmp_path, monkeypatch):
    from workbench.core.export import files

    monkeypatch.setattr(files, "_CHUNK", 64)  # many flushes
    handle = HashedFile(tmp_path / "mixed.txt")
    pieces = [f"سطر {i} {'ب' * (i % 40)}\n" for i in range(300)]
    for i, piece in enumerate(pieces):
        if i % 3:
            handle.write_bytes(piece.encode("utf-8"))
        else:
            handle.write(piece)
    digest = handle.close()
    expected = "".join(pieces).encode("utf-8")
    assert (tmp_path / "mixed.txt").read_bytes() == expected
    assert digest == hashlib.sha256(expected).hexdigest()


def test_the_bmp_table_is_the_regex_classes_character_by_character():
    table = _bmp_table()
    # every code point of the plane: the run-by-run table equals one regex match per character
    expected = np.fromiter((_classify_char(chr(cp)) for cp in range(0x10000)), dtype=np.uint8, count=0x10000)
    assert np.array_equal(table, expected)
    assert regex.match(r"\s", "\u2028") and table[0x2028] == 0  # SPACE
