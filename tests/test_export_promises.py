"""Exports keep the data card's promises, read back by their real consumers.

One project of the sample corpus (five Arabic articles about the war in Libya) with a gold
layer that holds nested spans (قوات حفتر around حفتر), spans whose edge is inside a token
(ببنغازي), notes (one of two lines) and unsure flags. Each export is loaded with the tool
that consumes it: spaCy's ``DocBin``, ``datasets.load_from_disk``, ``json``, and this
project's own brat, JSONL and CoNLL importers (round trips).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.annotated_import import import_annotated
from workbench.core.annotated_import.merge import token_key
from workbench.core.export import ExportOptions, export, tokenize
from workbench.core.export.splits import split_names
from workbench.core.importer import import_paths
from workbench.core.store import spans as span_store
from workbench.core.store import status as status_store
from workbench.core.store.project import GOLD, Project
from workbench.core.store.spans import Span
from workbench.resources import sample_corpus_files

NAMES = {"حفتر": "ACTOR", "قوات حفتر": "ACTOR", "بنغازي": "LOCATION", "طرابلس": "LOCATION", "مصراتة": "LOCATION"}
NOTE = "الاسم غير واضح في المصدر\nراجع المقال الأصلي"  # a note of two lines
SALMA = "Salma"


def gold_spans(text: str) -> list[tuple[int, int, str]]:
    """Names of places and actors without their proclitics (ببنغازي: the span on بنغازي),
    and قوات حفتر around حفتر (nested)."""
    out = set()
    for name, label in NAMES.items():
        for m in regex.finditer(r"(?<![\p{L}\p{M}])[وفبلك]{0,2}(" + name + r")(?![\p{L}\p{M}])", text):
            out.add((m.start(1), m.end(1), label))
    return sorted(out, key=lambda s: (s[0], -s[1], s[2]))


class Corpus:
    def __init__(self, path: Path):
        self.project = project = Project.create(path, name="promises")
        self.ids = sorted(import_paths(project, list(sample_corpus_files())).imported)
        self.texts = {
            doc_id: project.db.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
            for doc_id in self.ids
        }
        rows = []
        self.marks: dict[tuple[str, int, int, str], tuple[str, bool]] = {}
        k = 0
        for doc_id in self.ids:
            for start, end, label in gold_spans(self.texts[doc_id]):
                k += 1
                note = NOTE if k % 5 == 0 else ("قد يكون خطأ" if k % 7 == 0 else "")
                unsure = k % 3 == 0
                rows.append(Span(doc_id, GOLD, start, end, label, {}, note, unsure))
                self.marks[(doc_id, start, end, label)] = (note, unsure)
        assert any(n for n, _ in self.marks.values()) and any(u for _, u in self.marks.values())
        with project.transaction() as db:
            span_store.insert_many(db, rows, "lead")
            for doc_id in self.ids:
                status_store.set_status(db, doc_id, GOLD, "done", "lead")
        self.gold = {doc_id: [(s.start, s.end, s.label) for s in rows if s.doc_id == doc_id] for doc_id in self.ids}
        self.nested = [
            (d, s)
            for d, spans in self.gold.items()
            for s in spans
            if any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)
        ]
        assert self.nested, "the corpus must hold nested spans"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    made = Corpus(tmp_path_factory.mktemp("promises") / "promises.wbproj")
    yield made
    made.project.close()


def run(corpus, tmp_path, fmt, name=None, **options):
    out = tmp_path / (name or fmt)
    options.setdefault("split", "60/20/20")  # five documents: 3/1/1, no split empty
    report = export(corpus.project, ExportOptions(format=fmt, seed=7, **options), out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return out, report, manifest


def every_span(corpus, ids) -> list[tuple[str, int, int, str]]:
    return sorted((d, s, e, lab) for d in ids for s, e, lab in corpus.gold[d])


# --- spaCy ------------------------------------------------------------------------------------


@pytest.mark.parametrize("boundary", ["split", "expand"])
def test_spacy_docbin_has_user_data_and_every_span(corpus, tmp_path, boundary):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    out, _, manifest = run(corpus, tmp_path, "spacy", boundary=boundary)
    nlp = spacy.blank("ar")
    seen = []
    for split in manifest["options"]["split_names"]:
        docs = list(DocBin().from_disk(out / f"{split}.spacy").get_docs(nlp.vocab))
        assert [d.user_data["doc_id"] for d in docs] == manifest["splits"][split]["document_ids"]
        for doc in docs:
            doc_id = doc.user_data["doc_id"]
            assert doc.user_data["layer"] == "gold" and doc.text == corpus.texts[doc_id]
            group = doc.spans["sc"]
            got = sorted((doc_id, s.start_char, s.end_char, s.label_) for s in group)
            if boundary == "split":  # every edge cut: each span exactly as annotated
                assert got == every_span(corpus, [doc_id])
            else:  # widened to whole tokens (ببنغازي), nested ones still there
                assert len(got) == len(corpus.gold[doc_id])
                for (_, s, e, lab), (s0, e0, lab0) in zip(got, sorted(corpus.gold[doc_id])):
                    assert lab == lab0 and s <= s0 and e0 <= e
            assert len(doc.ents) < len(group) or not any(d == doc_id for d, _ in corpus.nested)
            seen.append(doc_id)
    assert sorted(seen) == corpus.ids
    card = (out / "README.md").read_text(encoding="utf-8")
    assert 'doc.spans["sc"]' in card and "doc.user_data` holds `doc_id`" in card


# --- Hugging Face -----------------------------------------------------------------------------


def test_hf_splits_are_train_validation_test_with_every_span_its_note_and_flag(corpus, tmp_path):
    datasets = pytest.importorskip("datasets")

    out, report, manifest = run(corpus, tmp_path, "hf")
    data = datasets.load_from_disk(str(out))
    assert list(data) == ["train", "validation", "test"] == manifest["options"]["split_names"]
    assert set(report.documents) == {"train", "validation", "test"}
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "train/validation/test" in card and "`validation`" in card and "`note`" in card and "`unsure`" in card
    # the same documents as the other formats put in dev
    jsonl_out, _, jsonl_manifest = run(corpus, tmp_path, "jsonl", name="jsonl-for-hf")
    assert jsonl_manifest["options"]["split_names"] == ["train", "dev", "test"]
    assert manifest["splits"]["validation"]["document_ids"] == jsonl_manifest["splits"]["dev"]["document_ids"]
    assert "| validation | 20% |" in card

    found = []
    for split in data:
        for row in data[split].to_list():
            for span in row["spans"]:
                start, end = row["offset"] + span["start"], row["offset"] + span["end"]
                key = (row["doc_id"], start, end, span["label"])
                found.append(key)
                assert row["text"][span["start"] : span["end"]] == corpus.texts[row["doc_id"]][start:end]
                assert (span["note"], span["unsure"]) == corpus.marks[key]
                assert span["token_end"] > span["token_start"]
    assert sorted(found) == every_span(corpus, corpus.ids)  # nested spans included
    assert any("\n" in n for n, _ in corpus.marks.values())


def test_split_names_are_the_projects_unless_a_format_renames_them():
    assert split_names((80, 10, 10)) == ("train", "dev", "test")
    assert split_names((80, 10, 10), {"dev": "validation"}) == ("train", "validation", "test")
    assert split_names((80, 20), {"dev": "validation"}) == ("train", "test")


# --- JSONL ------------------------------------------------------------------------------------


def test_jsonl_spans_carry_notes_and_flags_and_read_back(corpus, tmp_path):
    out, _, manifest = run(corpus, tmp_path, "jsonl")
    lines = [
        json.loads(line)
        for split in manifest["options"]["split_names"]
        for line in (out / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert sorted(row["id"] for row in lines) == corpus.ids
    for row in lines:
        for span in row["spans"]:
            assert (span["note"], span["unsure"]) == corpus.marks[
                (row["id"], span["start"], span["end"], span["label"])
            ]
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "`note`" in card and "`unsure`" in card

    # round trip: the export read back into another layer has the same notes and flags
    report = import_annotated(
        corpus.project, [out / f"{s}.jsonl" for s in manifest["options"]["split_names"]], "jsonl", SALMA
    )
    assert report.ok and len(report.joined) == 5 and not report.imported, report.refused
    assert layer_marks(corpus, SALMA) == layer_marks(corpus, GOLD)
    with corpus.project.transaction() as db:
        db.execute("DELETE FROM spans WHERE annotator = ?", [SALMA])


def layer_marks(corpus, layer) -> list[tuple]:
    return sorted(
        (doc_id, s.start, s.end, s.label, s.note, s.unsure)
        for doc_id in corpus.ids
        for s in span_store.for_document(corpus.project.db, doc_id, layer)
    )


# --- brat -------------------------------------------------------------------------------------


def test_brat_writes_notes_and_unsure_and_its_importer_reads_them_back(corpus, tmp_path):
    out, _, manifest = run(corpus, tmp_path, "brat")
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    assert "Unsure\tArg:<ENTITY>" in conf
    anns = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.ann"))
    assert regex.search(r"^#\d+\tAnnotatorNotes T\d+\tالاسم غير واضح في المصدر$", anns, flags=regex.M)
    assert regex.search(r"^#\d+\tAnnotatorNotes T\d+\tراجع المقال الأصلي$", anns, flags=regex.M)
    assert regex.search(r"^A\d+\tUnsure T\d+$", anns, flags=regex.M)
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "AnnotatorNotes T1<TAB>the\nnote" in card or "the note" in card

    layer = "Omar"
    paths = sorted(out.rglob("*.ann"))
    report = import_annotated(corpus.project, paths, "brat", layer)
    assert report.ok and len(report.joined) == 5 and not report.ignored, report.summary()
    assert [r[1:] for r in layer_marks(corpus, layer)] == [r[1:] for r in layer_marks(corpus, GOLD)]
    with corpus.project.transaction() as db:
        db.execute("DELETE FROM spans WHERE annotator = ?", [layer])


# --- CoNLL re-import joins the documents it came from -----------------------------------------


@pytest.mark.parametrize("boundary", ["split", "expand"])
def test_conll_export_reimported_joins_the_stored_documents(corpus, tmp_path, boundary):
    out, _, manifest = run(corpus, tmp_path, "conll", name=f"conll-{boundary}", boundary=boundary)
    before = corpus.project.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    layer = f"conll-{boundary}"
    files = [out / f"{s}.conll" for s in manifest["options"]["split_names"]]
    report = import_annotated(corpus.project, files, "conll", layer)
    assert report.ok, report.refused
    assert not report.imported and len(report.joined) == 5
    assert {j["matched_by"] for j in report.joined} == {"tokens"}
    assert corpus.project.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == before
    got = sorted(
        (d, s.start, s.end, s.label) for d in corpus.ids for s in span_store.for_document(corpus.project.db, d, layer)
    )
    outer = sorted(
        (d, s, e, lab)
        for d, spans in corpus.gold.items()
        for s, e, lab in spans
        if not any(o != (s, e, lab) and o[0] <= s and e <= o[1] for o in spans)
    )
    if boundary == "split":  # the spans on the stored text, as annotated (outermost: BIO)
        assert got == outer
    else:
        assert len(got) == len(outer)
    # importing the same file again joins again and adds nothing
    again = import_annotated(corpus.project, files, "conll", layer)
    assert again.ok and again.spans == 0 and not again.imported


def test_a_conll_document_matching_several_stored_ones_is_refused(tmp_path):
    project = Project.create(tmp_path / "twins.wbproj", name="twins")
    try:
        one, two = tmp_path / "one.txt", tmp_path / "two.txt"
        one.write_text("قصفت قوات حفتر مدينة طرابلس.", encoding="utf-8")
        two.write_text("قصفت قوات  حفتر\nمدينة طرابلس.", encoding="utf-8")  # the same tokens, other spacing
        import_paths(project, [one, two])
        conll = tmp_path / "twins.conll"
        conll.write_text(
            "-DOCSTART- O\n\nقصفت O\nقوات B-ACTOR\nحفتر I-ACTOR\nمدينة O\nطرابلس B-LOCATION\n. O\n\n", encoding="utf-8"
        )
        report = import_annotated(project, [conll], "conll", SALMA)
        assert not report.ok and "2 documents the project holds" in report.refused[0]["reason"]
        assert project.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 2
        # a document whose tokens match none is imported as new, as before
        other = tmp_path / "other.conll"
        other.write_text("قتل O\nأربعة B-CASUALTY\n", encoding="utf-8")
        assert len(import_annotated(project, [other], "conll", SALMA).imported) == 1
    finally:
        project.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="بنغازي طرابلس،. 19\n\t٣ـًّ«»", max_size=40))
def test_the_token_key_is_the_tokens_whatever_the_spacing(text):
    tokens = [text[a:b] for a, b in tokenize(text)]
    assert token_key(text) == token_key(" ".join(tokens)) == token_key("\n".join(tokens))


# --- notes and flags round trip through the writers and readers (no project) -------------------

TEXT = "قصفت قوات حفتر مدينة طرابلس أمس الأربعاء، وأعلنت مقتل أربعة.\nوقال المتحدث إن الهجوم فشل."
SPANS = [(5, 14, "ACTOR"), (10, 14, "ACTOR"), (21, 27, "LOCATION")]
notes = st.text(alphabet='الاسم غير واضح {}"\\\n\t x', max_size=30)


def _writer_round_trip(tmp_path, fmt, marks):
    import numpy as np

    from workbench.core.annotated_import import brat as brat_reader
    from workbench.core.annotated_import import jsonl as jsonl_reader
    from workbench.core.export import alignment
    from workbench.core.export.base import Context
    from workbench.core.export.brat import BratWriter
    from workbench.core.export.jsonl import JsonlWriter
    from workbench.core.export.run import MarkedDocument
    from workbench.core.sources import InputFile
    from workbench.core.store.labels import DEFAULT_LABELS

    labels = tuple(label.name for label in DEFAULT_LABELS)
    context = Context(labels, tuple(alignment.tag_names(list(labels))), tuple(DEFAULT_LABELS), "split")
    spans = [(s, e, lab, None) for s, e, lab in SPANS]
    doc = MarkedDocument("d1", TEXT, "0" * 64, {}, "gold", spans, marks)
    codes = np.array([labels.index(lab) for *_, lab in SPANS])
    view = alignment.align(
        [TEXT],
        np.zeros(3, dtype=np.int64),
        np.array([s for s, *_ in SPANS]),
        np.array([e for _, e, _ in SPANS]),
        codes,
        "split",
        False,
    ).document(0)
    root = tmp_path / fmt
    root.mkdir()
    if fmt == "jsonl":
        writer = JsonlWriter(root, ("train",), context)
        writer.write("train", doc, view)
        writer.close()
        read = jsonl_reader.read(InputFile(str(root / "train.jsonl"), "jsonl", "train.jsonl"))
    else:
        writer = BratWriter(root, ("train",), context)
        writer.write("train", doc, view)
        writer.close()
        ann = next((root / "train").glob("*.ann"))
        read = brat_reader.read(InputFile(str(ann), "brat", ann.name, text_path=str(ann.with_suffix(".txt"))))
    return [(r.start, r.end, r.label, r.note, r.unsure) for r in read.documents[0].spans]


def _json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(notes, st.booleans()), min_size=3, max_size=3))
def test_notes_and_flags_survive_jsonl_and_brat(tmp_path_factory, marks):
    tmp_path = tmp_path_factory.mktemp("marks")
    assert _writer_round_trip(tmp_path, "jsonl", marks) == [(*s, n, u) for s, (n, u) in zip(SPANS, marks)]
    # brat: a note is lines of AnnotatorNotes (each stripped; blank lines have no line of their own)
    expected = []
    for s, (n, u) in zip(SPANS, marks):
        lines = [line.strip() for line in n.splitlines() if line.strip()]
        if any(_json_object(line) for line in lines):
            continue  # a line that is one JSON object reads back as attributes (documented)
        expected.append((*s, "\n".join(lines), u))
    got = _writer_round_trip(tmp_path, "brat", marks)
    if len(expected) == 3:
        assert got == expected


def test_a_span_across_a_sentence_end_is_counted_not_lost(tmp_path):
    pytest.importorskip("datasets")
    project = Project.create(tmp_path / "cross.wbproj", name="cross")
    try:
        source = tmp_path / "cross.txt"
        source.write_text("أعلنت الوزارة مقتل أربعة. ثم قصفت الطائرات المدينة.", encoding="utf-8")
        [doc_id] = import_paths(project, [source]).imported
        text = project.db.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
        outer = text.index("مقتل أربعة")
        crossing = text.index("أربعة. ثم")
        with project.transaction() as db:
            span_store.insert_many(
                db,
                [
                    Span(doc_id, GOLD, outer, outer + len("مقتل أربعة"), "CASUALTY"),
                    Span(doc_id, GOLD, crossing, crossing + len("أربعة. ثم"), "CASUALTY"),
                ],
                "lead",
            )
            status_store.set_status(db, doc_id, GOLD, "done", "lead")
        report = export(project, ExportOptions(format="hf", split="100"), tmp_path / "hf")
        assert report.counts["spans_in_no_row"] == 1
        assert any("1 spans cross a sentence end" in note for note in report.notes)
        assert "spans across a sentence end, in no row | 1 |" in (tmp_path / "hf" / "README.md").read_text(
            encoding="utf-8"
        )
    finally:
        project.close()
