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
    assert not list(batched.rglob("*.part"))  # every shard written was finished and named
    manifest = json.loads((batched / "manifest.json").read_text(encoding="utf-8"))
    assert {name for name in manifest["files"] if name.endswith(".arrow")} == {
        f"{split}/data-00000-of-00001.arrow" for split in ("train", "validation", "test")
    }


def test_the_hf_writer_writes_the_files_save_to_disk_writes(project, tmp_path):
    """The rows go straight to the dataset's files (no dataset read back through a memory map,
    whose pages grew the peak with the export): the very files ``DatasetDict.save_to_disk``
    writes for the same rows, byte for byte, an empty split included."""
    pytest.importorskip("datasets")
    import datasets

    out = tmp_path / "hf"
    export(project, ExportOptions(format="hf", split=(96, 2, 2)), out)  # 5 documents: empty splits
    loaded = datasets.load_from_disk(str(out))
    assert len(loaded["validation"]) == 0 and len(loaded["train"]) > 0
    again = tmp_path / "again"
    # an empty split: one empty shard (save_to_disk writes none unless told, and cannot load that)
    loaded.save_to_disk(str(again), num_shards={name: 1 for name, rows in loaded.items() if len(rows) == 0} or None)
    written = {p.relative_to(again).as_posix(): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    ours = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert set(written) == set(ours) - {"README.md", "manifest.json"}
    for name, data in written.items():
        if name.endswith("state.json"):  # (the fingerprint is the export's own: the same export, the same)
            data, mine = json.loads(data), json.loads(ours[name])
            assert len(mine.pop("_fingerprint")) == 16
            data.pop("_fingerprint")
            assert mine == data, name
        else:
            assert ours[name] == data, name


def test_a_large_hf_split_is_cut_into_shards_as_save_to_disk_cuts_it(project, tmp_path, monkeypatch):
    pytest.importorskip("datasets")
    import datasets

    from workbench.core.export import hf

    whole = tmp_path / "whole"
    export(project, ExportOptions(format="hf", split=(100,)), whole)
    monkeypatch.setattr(hf, "FLUSH_ROWS", 4)
    monkeypatch.setattr(hf, "MAX_SHARD_BYTES", 2000)
    cut = tmp_path / "cut"
    export(project, ExportOptions(format="hf", split=(100,)), cut)
    shards = sorted(p.name for p in (cut / "train").glob("*.arrow"))
    assert len(shards) > 2 and shards[-1] == f"data-{len(shards) - 1:05d}-of-{len(shards):05d}.arrow"
    state = json.loads((cut / "train" / "state.json").read_text(encoding="utf-8"))
    assert [f["filename"] for f in state["_data_files"]] == shards
    assert (
        datasets.load_from_disk(str(cut))["train"].to_list() == datasets.load_from_disk(str(whole))["train"].to_list()
    )
    assert not list(cut.rglob("*.part"))


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


def test_the_marked_spans_are_read_through_their_index(project):
    """Notes and unsure flags are read apart from the layer's rows: through the partial index of
    migration 0011 (``spans_marked``), not a scan of every span of every layer."""
    import sqlite3

    from workbench.core.store import spans as store

    captured: list[str] = []
    conn = sqlite3.connect(str(project.path))
    try:
        conn.set_trace_callback(captured.append)
        list(store.layer_marks(type("Db", (), {"conn": conn})(), GOLD))
        conn.set_trace_callback(None)
        sql = next(s for s in captured if "FROM spans" in s)
        plan = " ".join(str(row[-1]) for row in conn.execute("EXPLAIN QUERY PLAN " + sql))
    finally:
        conn.close()
    assert "spans_marked" in plan, plan
