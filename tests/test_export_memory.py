"""Exports stay flat in memory: what each part holds at once is counted (never timed).

- the run hands the writers a chunk of documents at a time, never all of them;
- the spaCy writer holds one document's parts at a time and still writes the very
  ``.spacy`` file ``DocBin.to_disk`` would (byte for byte);
- the Hugging Face writer holds at most a batch of rows per split (then an Arrow file) and
  the dataset read back is the same whatever the batch;
- the data card's agreement figures are those of the agreement report.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex

from workbench.core.agreement.source import project_agreement
from workbench.core.export import ExportOptions, card_agreement, export, run
from workbench.core.importer import import_paths
from workbench.core.store import spans as span_store
from workbench.core.store import status as status_store
from workbench.core.store.project import GOLD, Project
from workbench.core.store.spans import Span
from workbench.resources import sample_corpus_files

PLACES = ("طرابلس", "بنغازي", "سرت", "ليبيا", "مصراتة", "حلب", "دمشق", "غزة")
ANNOTATORS = ("سلمى", "عمر")


def _places(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in regex.finditer("|".join(PLACES), text)]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    path = tmp_path_factory.mktemp("memory") / "memory.wbproj"
    with Project.create(path, name="memory") as project:
        for name in ANNOTATORS:
            project.add_annotator(name)
        ids = sorted(import_paths(project, list(sample_corpus_files())).imported)
        rows = []
        with project.transaction() as db:
            for n, doc_id in enumerate(ids):
                text = db.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
                found = _places(text)
                assert found, doc_id
                rows += [Span(doc_id, GOLD, s, e, "LOCATION") for s, e in found]
                rows += [Span(doc_id, ANNOTATORS[0], s, e, "LOCATION") for s, e in found]
                # the second annotator misses one place and calls another an actor
                rows += [
                    Span(doc_id, ANNOTATORS[1], s, e, "ACTOR" if i == 0 else "LOCATION")
                    for i, (s, e) in enumerate(found[1:])
                ]
                status_store.set_status(db, doc_id, GOLD, "done", "lead")
                for name in ANNOTATORS if n < 4 else ANNOTATORS[:1]:
                    status_store.set_status(db, doc_id, name, "done", name)
            span_store.insert_many(db, rows, "lead")
        yield project


def test_the_run_hands_the_writer_a_chunk_of_documents_at_a_time(project, tmp_path, monkeypatch):
    sizes: list[int] = []
    write_chunk = run._write_chunk

    def counting(chunk, *args):
        sizes.append(len(chunk))
        return write_chunk(chunk, *args)

    monkeypatch.setattr(run, "CHUNK_DOCUMENTS", 2)
    monkeypatch.setattr(run, "_write_chunk", counting)
    report = export(project, ExportOptions(format="jsonl", split=(100,)), tmp_path / "out")
    assert sizes == [2, 2, 1] and sum(report.documents.values()) == 5


def test_the_spacy_writer_holds_one_document_and_writes_what_docbin_writes(project, tmp_path, monkeypatch):
    pytest.importorskip("spacy")
    import spacy
    from spacy.tokens import DocBin

    from workbench.core.export import spacy_docbin

    made: list[spacy_docbin.StreamingDocBin] = []

    class Recorded(spacy_docbin.StreamingDocBin):
        def __init__(self, *args):
            super().__init__(*args)
            made.append(self)

    monkeypatch.setattr(spacy_docbin, "StreamingDocBin", Recorded)
    out = tmp_path / "spacy"
    export(project, ExportOptions(format="spacy", split=(60, 20, 20)), out)
    assert len(made) == 3 and all(part.held <= 1 for part in made)
    assert sum(len(part.lengths) for part in made) == 5
    assert not (out / spacy_docbin.SPOOL).exists()
    vocab = spacy.blank("ar").vocab
    for split in ("train", "dev", "test"):
        data = (out / f"{split}.spacy").read_bytes()
        docs = list(DocBin().from_bytes(data).get_docs(vocab))
        again = DocBin(store_user_data=True)
        for doc in docs:
            again.add(doc)
        assert again.to_bytes() == data  # the same file DocBin.to_disk writes for these docs
        for doc in docs:
            assert doc.user_data["layer"] == "gold"
            assert {e.text for e in doc.ents} <= set(PLACES)


def test_a_streamed_docbin_of_no_document_is_docbins_own(tmp_path):
    pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    from workbench.core.export.spacy_docbin import StreamingDocBin

    empty = StreamingDocBin(tmp_path / "parts", DocBin(store_user_data=True))
    empty.to_disk(tmp_path / "empty.spacy")
    assert (tmp_path / "empty.spacy").read_bytes() == DocBin(store_user_data=True).to_bytes()


def test_the_hf_writer_holds_a_batch_of_rows_and_reads_back_the_same(project, tmp_path, monkeypatch):
    pytest.importorskip("datasets")
    import datasets

    from workbench.core.export import hf

    whole = tmp_path / "whole"
    export(project, ExportOptions(format="hf", split=(60, 20, 20)), whole)
    made: list[hf.HfWriter] = []
    close = hf.HfWriter.close

    def recorded(self):
        made.append(self)
        return close(self)

    monkeypatch.setattr(hf, "FLUSH_ROWS", 3)
    monkeypatch.setattr(hf.HfWriter, "close", recorded)
    batched = tmp_path / "batched"
    export(project, ExportOptions(format="hf", split=(60, 20, 20)), batched)
    first, second = datasets.load_from_disk(str(whole)), datasets.load_from_disk(str(batched))
    most = 0
    for split in ("train", "validation", "test"):
        assert first[split].to_list() == second[split].to_list()
        rows = first[split]["doc_id"]
        most = max([most, *(rows.count(doc_id) for doc_id in set(rows))])
    assert most > 3  # a document has more rows than a batch: the batches did cut
    # at most a batch, plus the rows of the document that filled it
    assert made and made[0].held <= 3 - 1 + most
    assert not (batched / hf.SPOOL).exists()
    manifest = json.loads((batched / "manifest.json").read_text(encoding="utf-8"))
    assert not any(name.startswith(hf.SPOOL) for name in manifest["files"])


@pytest.mark.parametrize("chunk", [2, card_agreement.CHUNK_DOCUMENTS])
def test_the_card_agreement_is_the_agreement_reports(project, chunk, monkeypatch):
    monkeypatch.setattr(card_agreement, "CHUNK_DOCUMENTS", chunk)  # 2: counts added up over chunks
    expected = project_agreement(project, bootstrap=0).to_json()
    found = card_agreement.summary(project)
    assert found["annotators"] == expected["annotators"] == list(ANNOTATORS)
    assert (
        set(found["pairs"])
        == set(expected["pairs"])
        == {f"{ANNOTATORS[0]}|{ANNOTATORS[1]}", *(f"{a}|{GOLD}" for a in ANNOTATORS)}
    )
    for name, pair in expected["pairs"].items():
        assert found["pairs"][name]["documents"] == pair["documents"]
        assert found["pairs"][name]["strict_f1"] == pair["strict_f1"]
        assert found["pairs"][name]["relaxed_f1"] == pair["relaxed_f1"]
    assert found["pairs"][f"{ANNOTATORS[0]}|{GOLD}"]["strict_f1"] == 1.0
    assert found["pairs"][f"{ANNOTATORS[0]}|{ANNOTATORS[1]}"]["documents"] == 4
    assert found["alpha_u"]["pooled"] == expected["alpha_u"]["pooled"] is not None
    assert found["documents"]["all"] == expected["documents"]["all"] == 4


def test_the_card_says_its_figures_have_no_intervals(project, tmp_path):
    out = tmp_path / "card"
    export(project, ExportOptions(format="jsonl", split=(100,)), out)
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "without its bootstrap intervals" in readme
    assert f"| {ANNOTATORS[0]} / {GOLD} | 5 | 1.000 |" in readme
    assert Path(out / "manifest.json").exists()
