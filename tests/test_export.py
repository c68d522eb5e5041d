"""Export to training data, read back the way each format's own consumers read it.

One project (the sample corpus) is built per module: gold spans found in the real text
(places and حفتر, also with a proclitic attached so that the span edge falls inside the
token: ببنغازي, وطرابلس, لحفتر; dates; casualty phrases with digits), with attributes, a
nested pair (قوات حفتر around حفتر) and a crossing pair; three annotators on the document
without gold, two of whom agree. Each format is then loaded with its consumer: spaCy for
JSONL and DocBin, seqeval for CoNLL, ``datasets.load_from_disk`` for hf, a small standoff
parser for brat.
"""

from __future__ import annotations

import builtins
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.agreement.source import project_agreement
from workbench.core.export import (
    BOUNDARY_POLICIES,
    FORMATS,
    ExportCancelled,
    ExportError,
    ExportOptions,
    MissingExtra,
    export,
    parse_source,
    parse_split,
    tokenize,
)
from workbench.core.export import splits as split_module
from workbench.core.export.alignment import align, tag_names
from workbench.core.export.conll import ConllWriter
from workbench.core.export.tokens import codepoints, token_arrays
from workbench.core.importer import import_paths
from workbench.core.store import spans as span_store
from workbench.core.store import status as status_store
from workbench.core.store.project import GOLD, Project
from workbench.core.store.spans import Span
from workbench.resources import sample_corpus_files

SALMA, OMAR, HUDA = "Salma", "Omar", "Huda"
PLACES = {
    "طرابلس": "Tripoli",
    "بنغازي": "Benghazi",
    "مصراتة": "Misrata",
    "ليبيا": "Libya",
    "سرت": "Sirte",
    "درنة": "Derna",
}
ACTORS = {"حفتر": "Khalifa Haftar", "داعش": "Islamic State", "تركيا": "Turkey"}
MONTHS = {"يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "مايو": 5, "يونيو": 6, "يوليو": 7, "أغسطس": 8}
WORD_BEFORE = r"(?<![\p{L}\p{M}])"
WORD_AFTER = r"(?![\p{L}\p{M}])"
PROCLITICS = r"([وفبلك]{0,2})"


def entity_spans(text: str) -> list[tuple[int, int, str, dict]]:
    """Realistic gold spans of ``text``: names (without their proclitics), dates, casualties."""
    out = []
    for m in regex.finditer(WORD_BEFORE + PROCLITICS + "(" + "|".join(PLACES) + ")" + WORD_AFTER, text):
        out.append((m.start(2), m.end(2), "LOCATION", {"canonical": PLACES[m.group(2)]}))
    for m in regex.finditer(WORD_BEFORE + PROCLITICS + "(" + "|".join(ACTORS) + ")" + WORD_AFTER, text):
        out.append((m.start(2), m.end(2), "ACTOR", {"canonical": ACTORS[m.group(2)]}))
    for m in regex.finditer(r"قوات حفتر", text):  # the outer span of a nested pair
        out.append((m.start(), m.end(), "ACTOR", {"canonical": "Libyan National Army"}))
    for m in regex.finditer(r"(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})", text):
        value = f"{int(m.group(3)):04d}-{MONTHS[m.group(2)]:02d}-{int(m.group(1)):02d}"
        out.append((m.start(), m.end(), "DATE", {"value": value, "precision": "day"}))
    for m in regex.finditer(r"(مقتل|إصابة|أسر) (\d+)", text):  # بأسر 30: an edge inside a token
        kind = {"مقتل": "killed", "إصابة": "injured", "أسر": "captured"}[m.group(1)]
        out.append((m.start(), m.end(), "CASUALTY", {"count": int(m.group(2)), "kind": kind, "approximate": False}))
    for m in regex.finditer(r"(\d+) من قواته", text):  # crosses "أسر 30" in "بأسر 30 من قواته"
        out.append(
            (m.start(), m.end(), "CASUALTY", {"count": int(m.group(1)), "kind": "captured", "approximate": True})
        )
    return out


class Corpus:
    """The module's project and what the tests expect of it."""

    def __init__(self, path: Path):
        self.project = project = Project.create(path, name="export-test")
        for name in (SALMA, OMAR, HUDA):
            project.add_annotator(name)
        self.ids = sorted(import_paths(project, list(sample_corpus_files())).imported)
        assert len(self.ids) == 5
        self.texts = {
            doc_id: project.db.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
            for doc_id in self.ids
        }
        self.gold_docs = self.ids[:4]
        self.vote_doc = self.ids[4]
        labels = project.labels()
        rows: list[Span] = []

        def add(doc_id, annotator, found):
            for s, e, label, attributes in found:
                rows.append(
                    span_store.check(self.texts[doc_id], labels, Span(doc_id, annotator, s, e, label, attributes))
                )

        self.gold: dict[str, list[tuple]] = {}
        for doc_id in self.gold_docs:
            self.gold[doc_id] = entity_spans(self.texts[doc_id])
            add(doc_id, GOLD, self.gold[doc_id])
        first = self.gold_docs[0]
        add(first, SALMA, self.gold[first][1:])  # Salma and Omar finished the first document too
        add(first, OMAR, self.gold[first][:-1])
        # Three annotators on the document without gold.
        truth = entity_spans(self.texts[self.vote_doc])
        assert len(truth) >= 6
        s0, e0, l0, a0 = truth[0]
        self.extra = (s0, e0, "DATE" if l0 != "DATE" else "ACTOR", {})  # Huda's label flip, hers alone
        add(self.vote_doc, SALMA, truth)
        add(self.vote_doc, OMAR, [(s0, e0, l0, {"canonical": "Somewhere"})] + truth[1:-1])
        add(self.vote_doc, HUDA, [truth[0]] + truth[1 : len(truth) // 2] + [self.extra])
        self.majority = truth[:-1]  # the last one is Salma's alone
        with project.transaction() as db:
            span_store.insert_many(db, rows, "lead")
            for doc_id in self.gold_docs:
                status_store.set_status(db, doc_id, GOLD, "done", "lead")
            for name in (SALMA, OMAR):
                status_store.set_status(db, first, name, "done", name)
            for name in (SALMA, OMAR, HUDA):
                status_store.set_status(db, self.vote_doc, name, "done", name)

    def text(self, doc_id: str) -> str:
        return self.texts[doc_id]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    corpus = Corpus(tmp_path_factory.mktemp("export-project") / "export.wbproj")
    yield corpus
    corpus.project.close()


def outer(found: list[tuple]) -> list[tuple]:
    """The outermost spans, as the token formats keep them (independent of the exporter)."""
    kept, reach = [], -1
    for span in sorted(found, key=lambda s: (s[0], -s[1], s[2])):
        if span[0] >= reach:
            kept.append(span)
            reach = span[1]
    return kept


def inside_token(text: str, start: int, end: int) -> bool:
    return any(a < start < b or a < end < b for a, b in tokenize(text))


def run(corpus: Corpus, tmp_path: Path, fmt: str, name: str | None = None, **options):
    out = tmp_path / (name or f"{fmt}-{options.get('boundary', 'split')}")
    report = export(corpus.project, ExportOptions(format=fmt, **options), out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return out, report, manifest


def doc_order(manifest: dict) -> list[tuple[str, str]]:
    return [
        (split, doc_id)
        for split in manifest["options"]["split_names"]
        for doc_id in manifest["splits"][split]["document_ids"]
    ]


# --- tokens -------------------------------------------------------------------------


def test_tokenizer_keeps_harakat_numbers_and_arabic_punctuation():
    text = "قالَ «الجيشُ»: قُتل ٣٠، و1,500 جريح؛ هل انتهى؟ نعم…ببنغازي"
    pieces = [text[a:b] for a, b in tokenize(text)]
    assert pieces == [
        "قالَ",
        "«",
        "الجيشُ",
        "»",
        ":",
        "قُتل",
        "٣٠",
        "،",
        "و",
        "1,500",
        "جريح",
        "؛",
        "هل",
        "انتهى",
        "؟",
        "نعم",
        "…",
        "ببنغازي",
    ]
    assert all(text[a:b].strip() == text[a:b] for a, b in tokenize(text))
    other = "٣٫٥ 19.5 يناير2019 ١٢:٣٠"
    assert [other[a:b] for a, b in tokenize(other)] == ["٣٫٥", "19.5", "يناير", "2019", "١٢", ":", "٣٠"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=list("ab ٣3.,٫٬،؟«»ببنغ\u064e\u0651\n\t\u00a0\u200c\u200f-😀𝐀\u0300\u2028\x1c"), max_size=40))
def test_vectorised_tokenizer_equals_the_regex(text):
    starts, ends = token_arrays(codepoints(text))
    assert list(zip(starts.tolist(), ends.tolist())) == tokenize(text)


def test_vectorised_tokenizer_on_the_corpus(corpus):
    for text in corpus.texts.values():
        starts, ends = token_arrays(codepoints(text))
        assert list(zip(starts.tolist(), ends.tolist())) == tokenize(text)


def test_sentences_end_at_punctuation_and_lines_but_never_inside_an_entity():
    text = "قال: «انتهى.» ثم مضى؟ نعم\nسطر جديد. د. أحمد"
    found = [(text.index("د. أحمد"), len(text), 0)]  # an entity over a full stop
    view = align([text], np.zeros(1, dtype=np.int64), *(np.array([v]) for v in found[0]), "split", True).document(0)
    sentences = [text[int(view.starts[a]) : int(view.ends[b - 1])] for a, b in view.sentences()]
    assert sentences == ["قال: «انتهى.»", "ثم مضى؟", "نعم", "سطر جديد.", "د. أحمد"]


# --- JSONL ----------------------------------------------------------------------------


def test_jsonl_every_span_lines_up_with_spacy_tokens_under_split(corpus, tmp_path):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc
    from spacy.util import get_words_and_spaces

    out, report, manifest = run(corpus, tmp_path, "jsonl")
    nlp = spacy.blank("ar")
    seen = {}
    for split in manifest["options"]["split_names"]:
        for line in (out / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            text = row["text"]
            assert text == corpus.text(row["id"])
            words, spaces = get_words_and_spaces([text[s:e] for s, e in row["tokens"]], text)
            doc = Doc(nlp.vocab, words=words, spaces=spaces)
            assert doc.text == text
            for span in row["spans"]:
                made = doc.char_span(span["start"], span["end"], label=span["label"], alignment_mode="strict")
                assert made is not None, span
                assert made.text == span["text"] == text[span["start"] : span["end"]]
            seen[row["id"]] = [(s["start"], s["end"], s["label"], s["attributes"]) for s in row["spans"]]
            assert row["meta"]["layer"] == "gold" and row["meta"]["sha256"]
    assert seen == {doc_id: sorted(found, key=lambda s: (s[0], -s[1], s[2])) for doc_id, found in corpus.gold.items()}
    total = sum(len(v) for v in corpus.gold.values())
    assert sum(report.spans.values()) == total
    # the proclitic spans are there, and their share is realistic (6 to 9 % on real gold)
    assert 0 < report.counts["split"] == report.counts["edge_inside_token"]
    assert 0.04 < report.counts["edge_inside_token"] / report.counts["entities"] < 0.12


def test_jsonl_under_expand_keeps_the_annotated_characters(corpus, tmp_path):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc
    from spacy.util import get_words_and_spaces

    out, report, manifest = run(corpus, tmp_path, "jsonl", boundary="expand")
    nlp = spacy.blank("ar")
    misaligned = 0
    for split in manifest["options"]["split_names"]:
        for line in (out / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            text = row["text"]
            assert row["tokens"] == [list(t) for t in tokenize(text)]  # the tokenizer's, uncut
            words, spaces = get_words_and_spaces([text[s:e] for s, e in row["tokens"]], text)
            doc = Doc(nlp.vocab, words=words, spaces=spaces)
            for span in row["spans"]:
                misaligned += doc.char_span(span["start"], span["end"], alignment_mode="strict") is None
                assert doc.char_span(span["start"], span["end"], alignment_mode="expand") is not None
    assert misaligned == report.counts["edge_inside_token"] > 0


# --- CoNLL ----------------------------------------------------------------------------


def read_conll(path: Path) -> list[list[list[tuple[str, str]]]]:
    """documents -> sentences -> (token, tag)."""
    documents: list[list[list[tuple[str, str]]]] = []
    sentence: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("-DOCSTART-"):
            documents.append([])
            continue
        if not line:
            if sentence:
                documents[-1].append(sentence)
                sentence = []
            continue
        token, tag = line.split(" ")
        sentence.append((token, tag))
    assert not sentence
    return documents


def conll_entities(corpus: Corpus, out: Path, manifest: dict) -> dict[str, list[tuple[int, int, str]]]:
    """Entities as seqeval reads them (strict IOB2 must agree), mapped back to character offsets."""
    pytest.importorskip("seqeval")  # a test extra: the tests that read CoNLL back skip without it
    from seqeval.metrics.sequence_labeling import get_entities
    from seqeval.scheme import IOB2, Entities

    found: dict[str, list[tuple[int, int, str]]] = {}
    for split in manifest["options"]["split_names"]:
        docs = read_conll(out / f"{split}.conll")
        ids = manifest["splits"][split]["document_ids"]
        assert len(docs) == len(ids)
        for doc_id, sentences in zip(ids, docs):
            text = corpus.text(doc_id)
            tags = [[tag for _, tag in s] for s in sentences]
            # strict IOB2 and the plain reader agree: the tags are well formed
            strict = [
                (e.sent_id, e.tag, e.start, e.end) for sent in Entities(tags, IOB2, suffix=False).entities for e in sent
            ]
            plain = [
                (i, label, start, end + 1) for i, sent in enumerate(tags) for label, start, end in get_entities(sent)
            ]
            assert strict == plain
            # token offsets: the tokens are consecutive pieces of the text
            position, offsets = 0, []
            for sent in sentences:
                offsets.append([])
                for token, _ in sent:
                    position = text.index(token, position)
                    offsets[-1].append((position, position + len(token)))
                    position += len(token)
            spans = [(offsets[i][start][0], offsets[i][end - 1][1], label) for i, label, start, end in strict]
            found[doc_id] = spans
    return found


def test_conll_seqeval_finds_exactly_the_exported_entities(corpus, tmp_path):
    out, report, manifest = run(corpus, tmp_path, "conll")
    found = conll_entities(corpus, out, manifest)
    expected = {doc_id: [(s, e, lab) for s, e, lab, _ in outer(spans)] for doc_id, spans in corpus.gold.items()}
    assert found == expected
    text = (out / "train.conll").read_text(encoding="utf-8") + (out / "dev.conll").read_text(encoding="utf-8")
    # a proclitic cut off its name: ب O then بنغازي B-LOCATION (or و + طرابلس ...)
    assert regex.search(r"\n[وفبلك]{1,2} O\n(بنغازي|طرابلس|مصراتة|ليبيا|حفتر) B-", text)
    nested = sum(len(spans) - len(outer(spans)) for spans in corpus.gold.values())
    assert manifest["counts"]["nested_inner_dropped"] + manifest["counts"]["crossing_dropped"] == nested
    assert manifest["counts"]["nested_inner_dropped"] >= 1 and manifest["counts"]["crossing_dropped"] == 1
    assert report.counts == manifest["counts"]


@pytest.mark.parametrize("policy", BOUNDARY_POLICIES)
def test_conll_boundary_policies_match_their_counts(corpus, tmp_path, policy):
    out, report, manifest = run(corpus, tmp_path, "conll", boundary=policy)
    counts = manifest["counts"]
    expected_inside = sum(
        inside_token(corpus.text(doc_id), s, e) for doc_id, spans in corpus.gold.items() for s, e, _, _ in outer(spans)
    )
    assert counts["edge_inside_token"] == expected_inside > 0
    assert counts[{"split": "split", "expand": "expanded", "drop": "dropped"}[policy]] == expected_inside
    for other in {"split", "expanded", "dropped"} - {
        {"split": "split", "expand": "expanded", "drop": "dropped"}[policy]
    }:
        assert counts[other] == 0
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert f"Boundary policy `{policy}`" in readme
    found = conll_entities(corpus, out, manifest) if policy != "drop" else None
    tags = [
        tag
        for split in manifest["options"]["split_names"]
        for doc in read_conll(out / f"{split}.conll")
        for s in doc
        for _, tag in s
    ]
    assert sum(t.startswith("B-") for t in tags) == counts["entities"] == sum(report.spans.values())
    total_outer = sum(len(outer(spans)) for spans in corpus.gold.values())
    if policy == "expand":
        # whole tokens: the entity's characters lie inside what seqeval found
        for doc_id, spans in corpus.gold.items():
            for (s, e, label, _), (fs, fe, fl) in zip(outer(spans), found[doc_id]):
                assert fl == label and fs <= s and e <= fe
        assert counts["entities"] == total_outer
    if policy == "drop":
        assert counts["sentences_dropped"] >= 1
        assert counts["entities"] == total_outer - counts["dropped"] - counts["entities_in_dropped_sentences"]
        assert "sentences dropped" in readme


# --- spaCy ------------------------------------------------------------------------------


def test_spacy_docbin_entities_equal_the_outer_spans(corpus, tmp_path):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    out, report, manifest = run(corpus, tmp_path, "spacy")
    nlp = spacy.blank("ar")
    for split in manifest["options"]["split_names"]:
        docs = list(DocBin().from_disk(out / f"{split}.spacy").get_docs(nlp.vocab))
        ids = manifest["splits"][split]["document_ids"]
        assert len(docs) == len(ids)
        for doc_id, doc in zip(ids, docs):
            assert doc.text == corpus.text(doc_id)
            ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
            assert ents == [(s, e, lab) for s, e, lab, _ in outer(corpus.gold[doc_id])]
            assert len(list(doc.sents)) > 1


def test_spacy_drop_marks_the_dropped_sentences_missing(corpus, tmp_path):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    out, report, manifest = run(corpus, tmp_path, "spacy", boundary="drop")
    nlp = spacy.blank("ar")
    missing = ents = 0
    for split in manifest["options"]["split_names"]:
        for doc in DocBin().from_disk(out / f"{split}.spacy").get_docs(nlp.vocab):
            missing += sum(t.ent_iob == 0 for t in doc)
            ents += len(doc.ents)
    assert missing > 0 and ents == report.counts["entities"]


# --- Hugging Face -----------------------------------------------------------------------


def test_hf_dataset_loads_back_with_bio_class_labels(corpus, tmp_path):
    datasets = pytest.importorskip("datasets")

    out, report, manifest = run(corpus, tmp_path, "hf")
    conll_out, _, _ = run(corpus, tmp_path, "conll", name="conll-for-hf")
    data = datasets.load_from_disk(str(out))
    assert list(data) == manifest["options"]["split_names"]
    names = data["train"].features["ner_tags"].feature.names
    assert names == manifest["tags"] == tag_names([lab.name for lab in corpus.project.labels()])
    again = datasets.load_from_disk(str(out))
    for split in data:
        assert data[split].to_dict() == again[split].to_dict()
        rows = data[split].to_list()
        # the same sentences, tokens and tags as the CoNLL export of the same options
        conll_split = "dev" if split == "validation" else split  # datasets' name of the middle split
        conll = [s for doc in read_conll(conll_out / f"{conll_split}.conll") for s in doc]
        assert [[(t, names[g]) for t, g in zip(r["tokens"], r["ner_tags"])] for r in rows] == conll
        for row in rows:
            text = corpus.text(row["doc_id"])
            assert text[row["offset"] : row["offset"] + len(row["text"])] == row["text"]
            assert row["tokens"] == [row["text"][s:e] for s, e in zip(row["token_starts"], row["token_ends"])]
            for span in row["spans"]:
                if span["tagged"]:  # an entity of the BIO tags; the others are nested or overlapping
                    assert names[row["ner_tags"][span["token_start"]]] == f"B-{span['label']}"
                assert (
                    row["text"][span["start"] : span["end"]]
                    == text[row["offset"] + span["start"] : row["offset"] + span["end"]]
                )
        spans = {
            (r["doc_id"], r["offset"] + s["start"], r["offset"] + s["end"], s["label"])
            for r in rows
            for s in r["spans"]
            if s["tagged"]
        }
        expected = {
            (d, s, e, lab) for d in manifest["splits"][split]["document_ids"] for s, e, lab, _ in outer(corpus.gold[d])
        }
        assert spans == expected
        every = [
            (r["doc_id"], r["offset"] + s["start"], r["offset"] + s["end"], s["label"])
            for r in rows
            for s in r["spans"]
        ]
        assert sorted(every) == sorted(
            (d, s, e, lab) for d in manifest["splits"][split]["document_ids"] for s, e, lab, _ in corpus.gold[d]
        )


# --- brat -------------------------------------------------------------------------------


def read_ann(path: Path) -> list[tuple[int, int, str, str, dict]]:
    """A small brat standoff reader: text-bound annotations, attributes, JSON notes."""
    spans, attributes = {}, {}
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if line.startswith("T"):
            label, offsets = fields[1].split(" ", 1)
            pieces = [tuple(map(int, p.split())) for p in offsets.split(";")]
            spans[fields[0]] = (pieces[0][0], pieces[-1][1], label, fields[2])
            attributes[fields[0]] = {}
        elif line.startswith("A"):
            parts = fields[1].split(" ")
            attributes[parts[1]][parts[0]] = parts[2] if len(parts) == 3 else True
        elif line.startswith("#"):
            kind, target = fields[1].split(" ")
            assert kind == "AnnotatorNotes"
            attributes[target].update(json.loads(fields[2]))
    return [(*spans[t], attributes[t]) for t in spans]


def test_brat_parses_back_to_the_same_spans_and_attributes(corpus, tmp_path):
    out, report, manifest = run(corpus, tmp_path, "brat")
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    for label in ("ACTOR", "LOCATION", "CASUALTY", "DATE"):
        assert f"\n{label}\n" in conf
    assert "kind\tArg:CASUALTY, Value:killed|injured|captured|missing|unspecified" in conf
    assert "approximate\tArg:CASUALTY" in conf
    assert "<OVL-TYPE>:<ANY>" in conf
    for split, doc_id in doc_order(manifest):
        assert (out / split / f"{doc_id}.txt").read_text(encoding="utf-8") == corpus.text(doc_id)
        parsed = read_ann(out / split / f"{doc_id}.ann")
        expected = [
            (s, e, label, corpus.text(doc_id)[s:e], {k: v for k, v in attrs.items() if v is not False})
            for s, e, label, attrs in sorted(corpus.gold[doc_id], key=lambda x: (x[0], -x[1], x[2]))
        ]
        assert parsed == expected


# --- splits -------------------------------------------------------------------------------


def test_parse_split():
    assert parse_split("80/10/10") == (80, 10, 10)
    assert parse_split(" 90/10 ") == (90, 10)
    assert parse_split("100") == (100,)
    for bad, words in (
        ("80/10", "adds up to 90"),
        ("70/20/5/5", "1 to 3 parts"),
        ("80/x/10", "whole percentages"),
        ("", "give the split"),
        ("100/0", "positive"),
    ):
        with pytest.raises(ValueError, match=words):
            parse_split(bad)


def test_splits_are_reproducible_and_seeded():
    docs = [(f"d{i}", hashlib.sha256(str(i).encode()).hexdigest()) for i in range(200)]
    a = split_module.assign(docs, (80, 10, 10), seed=1)
    assert a == split_module.assign(list(reversed(docs)), (80, 10, 10), seed=1)
    assert a != split_module.assign(docs, (80, 10, 10), seed=2)
    assert [list(a.values()).count(n) for n in ("train", "dev", "test")] == [160, 20, 20]
    # the same text is one group: the same split
    twins = docs + [("twin", docs[0][1])]
    b = split_module.assign(twins, (50, 50), seed=3)
    assert b["twin"] == b["d0"]


def test_stratified_split_keeps_each_label_in_train():
    docs = [(f"d{i}", hashlib.sha256(str(i).encode()).hexdigest()) for i in range(50)]
    labels = {f"d{i}": {"LOCATION"} for i in range(50)}
    labels["d7"] = {"LOCATION", "RARE"}
    labels["d8"] = {"LOCATION", "RARE2"}
    labels["d9"] = {"RARE2"}
    for seed in range(10):
        chosen = split_module.assign(docs, (80, 10, 10), seed=seed, labels=labels)
        assert chosen["d7"] == "train" and "train" in {chosen["d8"], chosen["d9"]}
        assert sorted(list(chosen.values()).count(n) for n in ("train", "dev", "test")) == [5, 5, 40]


def test_export_splits_reproduce_with_the_seed(corpus, tmp_path):
    _, _, first = run(corpus, tmp_path, "jsonl", name="seed-a", seed=4)
    _, _, again = run(corpus, tmp_path, "jsonl", name="seed-b", seed=4)
    orders = {
        doc_order(run(corpus, tmp_path, "jsonl", name=f"seed-{s}", seed=s, split=(50, 50))[2]).__repr__()
        for s in range(8)
    }
    assert doc_order(first) == doc_order(again)
    assert first["files"]["train.jsonl"] == again["files"]["train.jsonl"]
    assert len(orders) > 1
    _, _, stratified = run(corpus, tmp_path, "jsonl", name="strat", stratify=True)
    assert stratified["options"]["stratify"] is True
    for label in ("ACTOR", "LOCATION", "CASUALTY", "DATE"):
        assert stratified["splits"]["train"]["labels"][label] > 0


# --- sources ------------------------------------------------------------------------------


def test_sources_gold_annotator_and_majority(corpus, tmp_path):
    def rows(out, manifest):
        return {
            json.loads(line)["id"]: json.loads(line)
            for split in manifest["options"]["split_names"]
            for line in (out / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
        }

    out, _, manifest = run(corpus, tmp_path, "jsonl", name="gold", source="gold")
    assert sorted(rows(out, manifest)) == corpus.gold_docs

    out, _, manifest = run(corpus, tmp_path, "jsonl", name="salma", source="annotator:Salma", split=(100,))
    salma = rows(out, manifest)
    assert sorted(salma) == sorted([corpus.gold_docs[0], corpus.vote_doc])
    assert len(salma[corpus.gold_docs[0]]["spans"]) == len(corpus.gold[corpus.gold_docs[0]]) - 1
    assert salma[corpus.vote_doc]["meta"]["layer"] == "annotator:Salma"

    out, _, manifest = run(corpus, tmp_path, "jsonl", name="majority", source="majority", split=(100,))
    voted = rows(out, manifest)
    assert sorted(voted) == corpus.ids
    row = voted[corpus.vote_doc]
    assert row["meta"]["layer"] == "majority" and row["meta"]["annotators"] == [SALMA, OMAR, HUDA]
    got = [(s["start"], s["end"], s["label"], s["attributes"]) for s in row["spans"]]
    assert got == sorted(corpus.majority, key=lambda x: (x[0], -x[1], x[2]))
    first = corpus.majority[0]  # Omar gave it other attributes; Salma and Huda these
    assert [g[3] for g in got if g[:3] == first[:3]] == [first[3]]
    assert all(voted[d]["meta"]["layer"] == "gold" for d in corpus.gold_docs)
    assert manifest["source"]["layers"] == {"gold": 4, "majority": 1}
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "**Majority vote.**" in readme and "| majority | 1 |" in readme


def test_parse_source_errors(corpus):
    assert str(parse_source(corpus.project, "gold")) == "gold"
    assert str(parse_source(corpus.project, "annotator:Salma")) == "annotator:Salma"
    assert str(parse_source(corpus.project, "Majority")) == "majority"
    for bad, words in (
        ("annotator:Nobody", "no annotator 'Nobody'.*Salma, Omar, Huda"),
        ("annotator:", "give the annotator's name"),
        ("annotator:gold", "source 'gold'"),
        ("silver", "unknown source"),
    ):
        with pytest.raises(ExportError, match=words):
            parse_source(corpus.project, bad)


def test_bad_options_are_refused_before_anything_is_written(corpus, tmp_path):
    for options, words in (
        (ExportOptions(format="xml"), "unknown format"),
        (ExportOptions(format="conll", boundary="shrink"), "unknown boundary policy"),
        (ExportOptions(format="conll", split=(50, 40)), "adds up to 90"),
        (ExportOptions(format="conll", source="annotator:Nobody"), "no annotator"),
    ):
        with pytest.raises(ExportError, match=words):
            export(corpus.project, options, tmp_path / "out")
        assert not (tmp_path / "out").exists()
    assert list(tmp_path.iterdir()) == []


# --- data card, manifest, folder ----------------------------------------------------------


def test_data_card_and_manifest_hold_every_hash_and_the_agreement(corpus, tmp_path):
    out, report, manifest = run(corpus, tmp_path, "brat")
    files = {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in out.rglob("*") if p.is_file()
    }
    assert manifest["files"] == {k: v for k, v in files.items() if k != "manifest.json"}
    assert report.files == manifest["files"]
    readme = (out / "README.md").read_text(encoding="utf-8")
    for path, digest in files.items():
        if path not in ("README.md", "manifest.json"):
            assert f"| {path} | `{digest}` |" in readme
    expected = project_agreement(corpus.project, bootstrap=200).to_json()
    agreement = manifest["agreement"]
    assert set(agreement["pairs"]) == set(expected["pairs"]) and f"{SALMA}|{OMAR}" in agreement["pairs"]
    for name, pair in expected["pairs"].items():
        assert agreement["pairs"][name]["strict_f1"] == pair["strict_f1"]
        assert agreement["pairs"][name]["relaxed_f1"] == pair["relaxed_f1"]
        figure = "n/a" if pair["strict_f1"] is None else f"{pair['strict_f1']:.3f}"
        assert f"| {name.replace('|', ' / ')} | {pair['documents']} | {figure}" in readme
    assert agreement["alpha_u"]["pooled"] == expected["alpha_u"]["pooled"]
    assert "Pooled α_U" in readme
    assert manifest["options"] == {
        "split": [80, 10, 10],
        "split_names": ["train", "dev", "test"],
        "seed": 0,
        "boundary": "split",
        "stratify": False,
    }
    assert manifest["source"]["name"] == "gold" and manifest["created_at"]
    assert [label["name"] for label in manifest["labels"]] == ["ACTOR", "LOCATION", "CASUALTY", "DATE"]
    assert manifest["labels"] == [label.to_json() for label in corpus.project.labels()]  # the one JSON form
    assert "`kind` (choice; one of killed, injured, captured, missing, unspecified" in readme
    for split in ("train", "dev", "test"):
        assert manifest["splits"][split]["documents"] == report.documents[split]
        assert f"| {split} | " in readme


def test_agreement_is_na_without_annotators(tmp_path):
    with Project.create(tmp_path / "solo.wbproj") as project:
        import_paths(project, list(sample_corpus_files())[:1])
        doc_id, text = project.db.execute("SELECT id, text FROM documents").fetchone()
        start = text.index("ليبيا")
        with project.transaction() as db:
            span_store.insert_many(db, [Span(doc_id, GOLD, start, start + 5, "LOCATION")], "lead")
        export(project, ExportOptions(format="conll", split=(100,)), tmp_path / "out")
        readme = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
        manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["agreement"]["alpha_u"]["pooled"] is None
    assert "Pooled α_U (all annotators, documents all of them finished): n/a" in readme


def test_refuses_a_foreign_folder_and_replaces_a_previous_export(corpus, tmp_path):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ExportError, match="not empty and was not written by an export"):
        export(corpus.project, ExportOptions(format="conll"), foreign)
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    (foreign / "manifest.json").write_text('{"files": {}}', encoding="utf-8")  # someone else's manifest
    with pytest.raises(ExportError, match="not written by an export"):
        export(corpus.project, ExportOptions(format="conll"), foreign)

    empty = tmp_path / "empty"
    empty.mkdir()
    export(corpus.project, ExportOptions(format="conll"), empty)
    assert (empty / "train.conll").exists()

    out = tmp_path / "out"
    export(corpus.project, ExportOptions(format="jsonl"), out)
    export(corpus.project, ExportOptions(format="brat"), out)  # replaces the previous export
    assert not (out / "train.jsonl").exists() and (out / "annotation.conf").exists()
    (out / "mine.txt").write_text("added by hand", encoding="utf-8")
    with pytest.raises(ExportError, match="did not write.*mine.txt"):
        export(corpus.project, ExportOptions(format="conll"), out)
    assert (out / "mine.txt").exists() and (out / "annotation.conf").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "mine", "out"]  # no temp folders left


def test_cancel_and_failure_leave_nothing(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    with pytest.raises(ExportCancelled):
        export(corpus.project, ExportOptions(format="conll"), out, cancelled=lambda: True)
    assert list(tmp_path.iterdir()) == []
    # a previous export stays as it was
    export(corpus.project, ExportOptions(format="jsonl"), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    calls = []
    with pytest.raises(ExportCancelled):
        export(
            corpus.project,
            ExportOptions(format="conll"),
            out,
            progress=lambda d, t: calls.append((d, t)),
            cancelled=lambda: bool(calls),
        )
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before

    def broken(self, split, doc, view):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ConllWriter, "write", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        export(corpus.project, ExportOptions(format="conll"), out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_progress_reaches_the_total(corpus, tmp_path):
    calls = []
    export(corpus.project, ExportOptions(format="conll"), tmp_path / "out", progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (0, 4) and calls[-1] == (4, 4)


@pytest.mark.parametrize(
    ("fmt", "module", "extra"), [("spacy", "spacy", "workbench[spacy]"), ("hf", "datasets", "workbench[hf]")]
)
def test_missing_extra_says_what_to_install(corpus, tmp_path, monkeypatch, fmt, module, extra):
    real_import = builtins.__import__

    def no_module(name, *args, **kwargs):
        if name == module or name.startswith(module + "."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_module)
    for name in [m for m in sys.modules if m == module or m.startswith(module + ".")]:
        monkeypatch.delitem(sys.modules, name)
    # the install hint depends on how Workbench was installed (workbench.core.install); each names the extra
    with pytest.raises(MissingExtra, match=r"pip install .*" + regex.escape("[" + extra.split("[", 1)[1])):
        export(corpus.project, ExportOptions(format=fmt), tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_nothing_to_export_is_a_clear_error(tmp_path):
    with Project.create(tmp_path / "empty.wbproj") as project:
        import_paths(project, list(sample_corpus_files())[:1])
        with pytest.raises(ExportError, match="nothing to export: no document has gold spans"):
            export(project, ExportOptions(format="jsonl"), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_non_bmp_text_is_noted_and_offsets_stay_code_points(tmp_path):
    text = "وصل 😀 وفد إلى ببنغازي أمس.\nقتل 3 في طرابلس."
    source = tmp_path / "emoji.txt"
    source.write_text(text, encoding="utf-8")
    with Project.create(tmp_path / "emoji.wbproj") as project:
        import_paths(project, [source])
        doc_id = project.db.execute("SELECT id FROM documents").fetchone()[0]
        found = [(text.index("بنغازي"), "LOCATION"), (text.index("طرابلس"), "LOCATION")]
        with project.transaction() as db:
            span_store.insert_many(db, [Span(doc_id, GOLD, s, s + 6, label) for s, label in found], "lead")
        out = tmp_path / "out"
        export(project, ExportOptions(format="brat", split=(100,)), out)
        readme = (out / "README.md").read_text(encoding="utf-8")
        assert "Characters outside the BMP" in readme
        assert read_ann(out / "train" / f"{doc_id}.ann") == [
            (s, s + 6, label, text[s : s + 6], {}) for s, label in found
        ]
        conll = tmp_path / "conll"
        export(project, ExportOptions(format="conll", split=(100,)), conll)
        assert "ب O\nبنغازي B-LOCATION\n" in (conll / "train.conll").read_text(encoding="utf-8")
        assert (
            json.loads((conll / "manifest.json").read_text(encoding="utf-8"))["counts"]["documents_with_non_bmp"] == 1
        )


def test_formats_and_policies_are_the_public_ones():
    # FORMATS is the registry (name -> FormatInfo, in order); BOUNDARY_POLICIES the policies' names.
    assert tuple(FORMATS)[:5] == ("jsonl", "conll", "spacy", "hf", "brat")  # then other tools' (issue 15)
    assert BOUNDARY_POLICIES == ("split", "expand", "drop")
