"""The JSONL export writes the same bytes as before it was made faster (issue 16).

A project built here, the same way each time (the sample corpus and a document with characters
outside the BMP; gold, two annotators and a majority; spans that share a start, a range with two
labels, nested and crossing spans, edges inside a word, attributes, notes and unsure flags,
written in an order that is not the reading order), is exported as JSON Lines from three
sources and two boundary policies. Every file must be, byte for byte, what commit e500eb9 wrote
(``tests/data/export_jsonl/``, gzipped, made by running this module as a script with that commit's code
first on ``sys.path``; write them again only when the JSONL format changes on purpose). Each
line is also read back by ``json`` and spaCy, the files' real consumers.

    python tests/test_export_jsonl_same_bytes.py OUT_DIR    # write the expected files
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from pathlib import Path

import pytest
import regex

from workbench.core.export import ExportOptions, export
from workbench.core.importer import import_paths
from workbench.core.store import spans as span_store
from workbench.core.store import status as status_store
from workbench.core.store.project import GOLD, Project
from workbench.core.store.spans import Span
from workbench.resources import sample_corpus_files

EXPECTED = Path(__file__).parent / "data" / "export_jsonl"
SALMA, OMAR = "Salma", "Omar"
CASES = [("gold", "split"), ("gold", "expand"), ("annotator:Salma", "split"), ("majority", "split")]
NON_BMP = "أعلنت 𝕏 عن مقتل ٣ في 🙂 مدينة سرت أمس، وقالت «قوات حفتر» إن 12 جُرحوا.\n\nوفي بنغازي 𝟙𝟚 حادثاً."
PLACES = "طرابلس|بنغازي|مصراتة|ليبيا|سرت|درنة"


def gold_spans(text: str) -> list[tuple[int, int, str, dict, str, bool]]:
    """Spans of ``text`` that reach every case of the writer: ``(start, end, label, attributes, note, unsure)``."""
    out: list[tuple[int, int, str, dict, str, bool]] = []
    for n, m in enumerate(regex.finditer(rf"(?<![\p{{L}}\p{{M}}])([وفبل]?)({PLACES})(?![\p{{L}}\p{{M}}])", text)):
        out.append((m.start(2), m.end(2), "LOCATION", {"canonical": m.group(2)} if n % 2 else {}, "", n % 5 == 1))
        if n % 3 == 0:  # the same range with a second label
            out.append((m.start(2), m.end(2), "ACTOR", {}, "مكان أم جهة؟" if n % 2 else "", False))
    for m in regex.finditer(r"قوات حفتر", text):  # nested: three spans, two of them on one start
        out.append((m.start(), m.end(), "ACTOR", {"canonical": "الجيش الوطني الليبي"}, "", False))
        out.append((m.start(), m.start() + 4, "ACTOR", {}, "note\u2028two lines", True))
        out.append((m.end() - 4, m.end(), "ACTOR", {"canonical": 'خليفة "حفتر"'}, "", False))
    for m in regex.finditer(r"(مقتل|إصابة|أسر) ([\d٠-٩]+)", text):  # بأسر 30: an edge inside a word
        out.append((m.start(), m.end(), "CASUALTY", {"count": 1, "kind": "killed"}, "", False))
        out.append((m.start(2), m.end(2) + 2, "DATE", {}, "", False))  # crosses the casualty's end
    return out


def build(path: Path, extra: Path) -> Project:
    """The project (see the module docstring)."""
    project = Project.create(path, name="same-bytes")
    for name in (SALMA, OMAR):
        project.add_annotator(name)
    extra.write_text(NON_BMP, encoding="utf-8")
    ids = sorted(import_paths(project, [*sample_corpus_files(), extra]).imported)
    assert len(ids) == 6
    labels = project.labels()
    rng = random.Random(16)
    rows: list[Span] = []
    texts = {i: project.db.execute("SELECT text FROM documents WHERE id = ?", [i]).fetchone()[0] for i in ids}
    for k, doc_id in enumerate(ids):
        found = gold_spans(texts[doc_id])
        assert found, doc_id
        layers = [GOLD] if k < 4 else []
        layers += [SALMA, OMAR] if k >= 3 else []
        for layer in layers:
            mine = found if layer == GOLD else [s for i, s in enumerate(found) if (i + len(layer)) % 4]
            for s, e, label, attributes, note, unsure in mine:
                span = Span(doc_id, layer, s, e, label, attributes, note if layer == GOLD else "", unsure)
                rows.append(span_store.check(texts[doc_id], labels, span))
    rng.shuffle(rows)  # the reading order is not the order of writing
    with project.transaction() as db:
        span_store.insert_many(db, rows, "lead")
        for doc_id in ids[:4]:
            status_store.set_status(db, doc_id, GOLD, "done", "lead")
        for doc_id in ids[3:]:
            for name in (SALMA, OMAR):
                status_store.set_status(db, doc_id, name, "done", name)
    return project


def export_all(project: Project, out: Path) -> dict[str, bytes]:
    """``case/split.jsonl`` -> the bytes the export wrote."""
    files = {}
    for source, boundary in CASES:
        case = f"{source.replace(':', '-')}-{boundary}"
        export(project, ExportOptions(format="jsonl", source=source, boundary=boundary), out / case)
        for path in sorted((out / case).glob("*.jsonl")):
            files[f"{case}/{path.name}"] = path.read_bytes()
    return files


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, bytes]:
    root = tmp_path_factory.mktemp("same-bytes")
    project = build(root / "p.wbproj", root / "extra.txt")
    try:
        return export_all(project, root / "out")
    finally:
        project.close()


def test_the_jsonl_files_are_the_bytes_written_before(written):
    expected = {
        p.relative_to(EXPECTED).as_posix().removesuffix(".gz"): gzip.decompress(p.read_bytes())
        for p in sorted(EXPECTED.rglob("*.jsonl.gz"))
    }
    assert sorted(written) == sorted(expected)
    for name, data in written.items():
        if data != expected[name]:
            pairs = zip(data.splitlines(), expected[name].splitlines())
            line = next((n for n, (a, b) in enumerate(pairs) if a != b), None)
            pytest.fail(f"{name} differs from what e500eb9 wrote (first at line {line})")


def test_the_files_hold_every_case_and_read_back(written):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc
    from spacy.util import get_words_and_spaces

    nlp = spacy.blank("ar")
    ties = nested_labels = notes = unsure = non_bmp = 0
    for name, data in written.items():
        for line in data.decode("utf-8").splitlines():
            row = json.loads(line)
            text = row["text"]
            words, spaces = get_words_and_spaces([text[s:e] for s, e in row["tokens"]], text)
            doc = Doc(nlp.vocab, words=words, spaces=spaces)
            keys = [(s["start"], -s["end"], s["label"]) for s in row["spans"]]
            assert keys == sorted(keys), (name, row["id"])  # reading order
            starts = [s["start"] for s in row["spans"]]
            ties += len(starts) - len(set(starts))
            nested_labels += len(keys) - len({(s, e) for s, e, _ in keys})
            non_bmp += any(ord(c) > 0xFFFF for c in text)
            for span in row["spans"]:
                assert span["text"] == text[span["start"] : span["end"]]
                notes += bool(span["note"])
                unsure += span["unsure"]
                if "-split/" in name:  # under split, every span lines up with the tokens
                    made = doc.char_span(span["start"], span["end"], alignment_mode="strict")
                    assert made is not None and made.text == span["text"], (name, span)
    assert ties and nested_labels and notes and unsure and non_bmp


if __name__ == "__main__":  # write the expected files with the code first on sys.path
    import tempfile

    target = Path(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        made = build(Path(tmp) / "p.wbproj", Path(tmp) / "extra.txt")
        for name, data in export_all(made, Path(tmp) / "out").items():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / f"{name}.gz").write_bytes(gzip.compress(data, mtime=0))
        made.close()
