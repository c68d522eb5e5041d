"""Prodigy's JSON Lines, both ways: export then import gives the same documents and spans;
the tokens rebuild the text as spaCy builds a Doc and every span is its tokens; accepted
answers only are imported, the others counted; a Prodigy file given to another reader is
refused saying what it is."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc
from spacy.vocab import Vocab
from test_format_label_studio import MARKS, SALMA, build, document_rows, documents, layer_rows, written_and_read

from workbench.core.annotated_import import import_annotated
from workbench.core.annotated_import import prodigy as reader
from workbench.core.errors import RefusedInput
from workbench.core.export.options import ExportOptions
from workbench.core.export.prodigy import ProdigyWriter, prodigy_tokens
from workbench.core.export.run import export
from workbench.core.export.tokens import tokenize
from workbench.core.sources import InputFile, ReadOptions
from workbench.core.store.project import GOLD, Project

DATA = Path(__file__).parent / "data" / "formats" / "prodigy"
VOCAB = Vocab()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    made = build(tmp_path_factory.mktemp("prodigy-source") / "source.wbproj")
    yield made
    made.project.close()


def check_like_spacy(line: dict) -> None:
    """What Prodigy's ``split_spans`` and spaCy's ``Doc`` need of a task: the tokens rebuild
    the text, and ``doc[token_start : token_end + 1]`` is each span, at its characters."""
    tokens = line["tokens"]
    assert [t["id"] for t in tokens] == list(range(len(tokens)))
    doc = Doc(VOCAB, words=[t["text"] for t in tokens], spaces=[t["ws"] for t in tokens])
    assert doc.text == line["text"]
    for token, mine in zip(doc, tokens):
        assert (token.idx, token.idx + len(token.text)) == (mine["start"], mine["end"])
    for span in line["spans"]:
        piece = doc[span["token_start"] : span["token_end"] + 1]
        assert (piece.start_char, piece.end_char) == (span["start"], span["end"])
        assert piece.text == span["text"] == line["text"][span["start"] : span["end"]]


@pytest.mark.parametrize("source, layer", [("gold", GOLD), (f"annotator:{SALMA}", SALMA)])
def test_export_then_import_gives_the_same_documents_spans_and_attributes(built, tmp_path, source, layer):
    out = tmp_path / "prodigy"
    export(built.project, ExportOptions(format="prodigy", source=source, split=(100,)), out)
    again = Project.create(tmp_path / "again.wbproj", name="again")
    report = import_annotated(again, [out / "train.jsonl"], "prodigy", layer)
    assert report.ok and report.ignored == 0, report.to_json()
    assert document_rows(again) <= document_rows(built.project)
    assert len(document_rows(again)) == (3 if layer == GOLD else 2)
    assert layer_rows(again, layer, MARKS) == layer_rows(built.project, layer, MARKS)
    again.close()


@pytest.mark.parametrize("boundary", ["split", "expand", "drop"])
def test_every_exported_span_is_whole_spacy_tokens(built, tmp_path, boundary):
    out = tmp_path / boundary
    export(built.project, ExportOptions(format="prodigy", split=(100,), boundary=boundary), out)
    lines = [json.loads(line) for line in (out / "train.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 3 and all(line["answer"] == "accept" for line in lines)
    for line in lines:
        check_like_spacy(line)
        assert line["meta"]["doc_id"] in built.spans and line["meta"]["layer"] == "gold"
        assert isinstance(line["_input_hash"], int) and isinstance(line["_task_hash"], int)
    proclitic = next(line for line in lines if line["meta"]["doc_id"] == "libya-001")
    texts = [t["text"] for t in proclitic["tokens"]]
    assert texts[texts.index("بنغازي", texts.index("بنغازي") + 1) - 1] == "ب"  # ببنغازي cut at the span


WORDS = st.sampled_from(["قوات", "حفتر", "ببنغازي", "طرابلس", "،", "12", "😢", "𝕏", "مقتل"])
GAPS = st.sampled_from([" ", " ", "  ", "\n", " \n ", "\t"])


@settings(max_examples=80, deadline=None)
@given(pieces=st.lists(st.tuples(WORDS, GAPS), min_size=1, max_size=8), data=st.data())
def test_tokens_rebuild_any_text_and_hold_any_span(pieces, data):
    text = "".join(w + g for w, g in pieces).strip()
    chars = [i for i, c in enumerate(text) if not c.isspace()]
    spans = []
    for _ in range(data.draw(st.integers(0, 3))):
        start = data.draw(st.sampled_from(chars))
        end = data.draw(st.sampled_from([i + 1 for i in chars if i >= start]))
        spans.append((start, end))
    found = tokenize(text)
    tokens = prodigy_tokens(text, [s for s, _ in found], [e for _, e in found], {x for s in spans for x in s})
    starts, ends = [t["start"] for t in tokens], [t["end"] for t in tokens]
    line = {
        "text": text,
        "tokens": tokens,
        "spans": [
            {"start": s, "end": e, "token_start": starts.index(s), "token_end": ends.index(e), "text": text[s:e]}
            for s, e in spans
        ],
    }
    check_like_spacy(line)


def test_a_real_prodigy_answer_imports(tmp_path):
    project = Project.create(tmp_path / "p.wbproj", name="p")
    path = DATA / "drug_seizure_readme.jsonl"
    report = import_annotated(project, [path], "prodigy", "esteban", {"QUANTITY": "CASUALTY", "DRUG": "ACTOR"})
    assert report.ok and report.spans == 2 and report.ignored == 0, report.to_json()
    rows = project.db.execute(
        'SELECT d.text, s.start, s."end", s.label, s.attributes FROM spans s JOIN documents d ON d.id = s.doc_id'
    )
    assert sorted((t[s:e], label, a) for t, s, e, label, a in rows) == [
        ("798 Grams", "CASUALTY", "{}"),  # Prodigy's own span keys (source, input_hash) are no attributes
        ("Amphetamine", "ACTOR", "{}"),
    ]


def test_only_accepted_answers_are_imported_the_others_counted(tmp_path):
    project = Project.create(tmp_path / "p.wbproj", name="p")
    report = import_annotated(project, [DATA / "arabic_answers.jsonl"], "prodigy", SALMA)
    assert report.ok and len(report.imported) == 2 and report.spans == 3
    assert report.ignored_kinds == {"rejected answers": 1, "ignored answers": 1}
    assert "1 rejected answer, 1 ignored answer ignored" in report.summary() or "rejected answers" in report.summary()
    texts = [t for (t,) in project.db.execute("SELECT text FROM documents")]
    assert not any("سرت" in t for t in texts)  # the rejected and ignored task's text is not imported


@dataclass(frozen=True)
class LayerOptions(ReadOptions):
    annotator: str | None = None


def test_two_sessions_on_one_text_refuse_or_take_the_layers_one(tmp_path):
    lines = [json.loads(line) for line in (DATA / "arabic_answers.jsonl").read_text(encoding="utf-8").splitlines()]
    other = dict(lines[0], _session_id="news-omar", spans=lines[0]["spans"][:1])
    path = tmp_path / "two.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in [*lines, other]), encoding="utf-8")
    unit = InputFile(str(path), "prodigy", path.name)
    with pytest.raises(RefusedInput, match="sessions news-salma, news-omar"):
        reader.read(unit)
    chosen = reader.read(unit, LayerOptions(annotator="omar"))
    first = next(d for d in chosen.documents if "طرابلس" in d.document.text)
    assert [s.label for s in first.spans] == ["LOCATION"]
    assert chosen.ignored_kinds["other sessions' answers"] == 1
    again = tmp_path / "again.jsonl"  # the same answer twice (two sessions that agree) is read once
    again.write_text(
        "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in [lines[0], dict(lines[0], _session_id="x")])
    )
    assert len(reader.read(InputFile(str(again), "prodigy", again.name)).documents) == 1


def test_prodigy_files_given_to_other_readers_are_refused_saying_what_they_are(tmp_path):
    project = Project.create(tmp_path / "p.wbproj", name="p")
    for name in ("arabic_answers.jsonl", "drug_seizure_readme.jsonl"):
        for fmt in ("jsonl", "label-studio"):
            (refused,) = import_annotated(project, [DATA / name], fmt, SALMA).refused
            assert refused["reason"] == (
                f"{name} looks like Prodigy annotations: import it with "
                f"'workbench-cli import {name} --format prodigy --annotator NAME'"
            )
    assert project.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0
    # A span given only by its tokens takes its offsets from them.
    line = json.loads((DATA / "drug_seizure_readme.jsonl").read_text(encoding="utf-8"))
    for span in line["spans"]:
        del span["start"], span["end"]
    path = tmp_path / "tokens.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    (doc,) = reader.read(InputFile(str(path), "prodigy", path.name)).documents
    assert [(s.start, s.end) for s in doc.spans] == [(106, 115), (116, 127)]
    assert regex.search("Amphetamine", line["text"]).span() == (116, 127)


@settings(max_examples=40, deadline=None)
@given(document=documents())
def test_any_document_goes_through_writer_and_reader_unchanged(document, tmp_path_factory):
    text, spans = document
    folder = tmp_path_factory.mktemp("prodigy-round")
    read, written = written_and_read("prodigy", ProdigyWriter, text, spans, folder)
    assert read == written
    check_like_spacy(json.loads((folder / "train.jsonl").read_text(encoding="utf-8")))
