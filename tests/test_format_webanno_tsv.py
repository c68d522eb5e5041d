"""WebAnno TSV 3.3 (INCEpTION): the reader on INCEpTION's own test files, the writer read back
by the reader and by an independent parse written here from the format's documentation, and
the round trip export -> import through a real project file.

The files under ``tests/data/formats/webanno_tsv/`` are INCEpTION's (see the README there):
each ``testX.tsv`` has INCEpTION's expected CAS beside it as ``testX.xmi``, loaded here with
``dkpro-cassis``, so the reader is checked against INCEpTION's own reading.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.annotated_import import import_annotated, webanno_tsv
from workbench.core.annotated_import.webanno_tsv import NAMED_ENTITY, looks_like_inception
from workbench.core.errors import RefusedInput
from workbench.core.export import ExportOptions, export
from workbench.core.export.alignment import align
from workbench.core.export.webanno_tsv import document_tsv, escape_text, escape_value
from workbench.core.importer import import_paths
from workbench.core.sources import InputFile
from workbench.core.store import documents
from workbench.core.store import spans as span_store
from workbench.core.store import status as status_store
from workbench.core.store.project import Project
from workbench.core.store.spans import Span

DATA = Path(__file__).parent / "data" / "formats" / "webanno_tsv"
EMOJI_DOC = "قصف على 😊 سرت أمس.\nوقال 𝐀𝐁 مسؤول في ببنغازي إن 30 شخصاً قُتلوا."


def read(path: Path):
    return webanno_tsv.read(InputFile(str(path), "webanno-tsv", path.name))


def as_named_entities(source: Path, tmp_path: Path) -> Path:
    """INCEpTION's suite declares its test layer as ``webanno.custom.Span|value``; the same file
    with the layer named as INCEpTION's Named entity layer."""
    out = tmp_path / source.name
    text = source.read_text(encoding="utf-8").replace("#T_SP=webanno.custom.Span|", f"#T_SP={NAMED_ENTITY}|")
    out.write_text(text, encoding="utf-8")
    return out


# --- INCEpTION's files ----------------------------------------------------------------


@pytest.mark.parametrize("source", sorted(DATA.glob("test*.tsv")), ids=lambda p: p.stem)
def test_reads_inception_files_as_inception_does(source, tmp_path):
    from cassis import load_cas_from_xmi, load_dkpro_core_typesystem

    result = read(as_named_entities(source, tmp_path))
    (doc,) = result.documents
    raw = doc.raw_texts[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with open(source.with_suffix(".xmi"), "rb") as handle:
            cas = load_cas_from_xmi(handle, typesystem=load_dkpro_core_typesystem(), lenient=True)
    expected = sorted((e.begin, e.end, e.value) for e in cas.select(NAMED_ENTITY) if e.value)
    assert sorted((s.start, s.end, s.label) for s in doc.spans) == expected
    assert cas.sofa_string in (raw, raw + "\n")  # INCEpTION keeps a line break after the last sentence


def test_emoji_offsets_count_utf16_units(tmp_path):
    result = read(as_named_entities(DATA / "testSentenceWithEmoji.tsv", tmp_path))
    raw = result.documents[0].raw_texts[0]
    assert raw == "I like it 😊 ."
    assert result.ignored_kinds == {"named entities without a value": 1}  # the emoji's "*"


def test_escaped_values_stacked_and_sub_tokens(tmp_path):
    nasty = read(as_named_entities(DATA / "testTokenBoundedSpanWithSpecialSymbolsValue.tsv", tmp_path))
    assert {s.label for s in nasty.documents[0].spans} == {"#*'\"`´\t:;{}|[ ]()\\§$%?=&_\n"}
    look_alike = read(as_named_entities(DATA / "testTokenBoundedStackedLookAlike.tsv", tmp_path))
    assert [s.label for s in look_alike.documents[0].spans] == [f"NOTSTACKED[{i}]" for i in range(5)]
    stacked = read(as_named_entities(DATA / "testStackedSubMultiTokenSpanWithFeatureValue.tsv", tmp_path))
    spans = {(s.start, s.end, s.label) for s in stacked.documents[0].spans}
    assert (3, 17, "9a") in spans and (7, 7, "11a") in spans and len(spans) == 24


def test_example2_named_entities_with_pos_and_dependencies_ignored():
    result = read(DATA / "example2.tsv")
    (doc,) = result.documents
    raw = doc.raw_texts[0]
    found = [(raw[s.start : s.end], s.label) for s in doc.spans]
    assert found[:4] == [("Ms. Haag", "PER"), ("Elianti", "OTH"), ("Rolls-Royce Motor", "ORG"), ("U.S.", "LOC")]
    tokens = [line for line in (DATA / "example2.tsv").read_text(encoding="utf-8").split("\n") if line[:1].isdigit()]
    assert result.ignored_kinds["POS annotations"] == len(tokens)  # one POS tag per token
    assert set(result.ignored_kinds) == {"POS annotations", "relations"}
    assert result.ignored_kinds["relations"] > 20


def test_example2_joins_a_project_layer_with_the_ignored_counted(project, project_path, snapshot):
    report = import_annotated(
        project, [DATA / "example2.tsv"], "webanno-tsv", "Salma", {"PER": "ACTOR", "ORG": "ACTOR", "LOC": "LOCATION"}
    )
    # OTH has no label in the schema: refused whole, with the --map advice, nothing written
    assert report.refused and "OTH" in report.refused[0]["reason"] and "--map" in report.refused[0]["reason"]
    before = snapshot(project_path)
    report = import_annotated(
        project,
        [DATA / "example2.tsv"],
        "webanno-tsv",
        "Salma",
        {"PER": "ACTOR", "ORG": "ACTOR", "LOC": "LOCATION", "OTH": "ACTOR"},
    )
    assert not report.refused and report.spans >= 5
    assert "POS annotations" in report.ignored_phrase() and "relations" in report.ignored_phrase()
    assert snapshot(project_path) != before


# --- refusals ----------------------------------------------------------------------------


HEADER = f"#FORMAT=WebAnno TSV 3.3\n#T_SP={NAMED_ENTITY}|value\n\n\n"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("Ms.\tB-PER\nHaag\tI-PER\n", "looks like CoNLL BIO (a token and a tag a line); import it with: "),
        ("id\ttext\n1\tقصف على سرت\n", "not WebAnno TSV: the first line must be '#FORMAT=WebAnno TSV 3.3'"),
        ('<?xml version="1.0"?><xmi:XMI xmlns:xmi="http://www.omg.org/XMI"/>', "UIMA CAS XMI"),
        ("#FORMAT=WebAnno TSV 2\n\n\n#text=x\n", "older WebAnno format"),
        (HEADER + "#Text=😊 سرت\n1-1\t0-1\t😊\t_\t\n1-2\t3-6\tسرت\tLOCATION\t\n", "two halves"),
        (HEADER + "#Text=قصف سرت\n1-1\t0-3\tقصف\t_\t\n1-2\t6-9\tسرت\tLOCATION\t\n", "not inside the sentence"),
        (HEADER + "#Text=قصف سرت\n1-1\t0-3\tقصف\t_\t\n1-2\t4-7\tبنغازي\tLOCATION\t\n", "is not the text at 4-7"),
        (HEADER + "#Text=قصف سرت\n1-1\t0-3\tقصف\n", "expected 4 tab-separated fields"),
        (HEADER + "1-1\t0-3\tقصف\t_\t\n", "expected a sentence's '#Text=' line"),
        (HEADER + "#Text=قصف\n1-1\t0-3\tقصف\tX[a]\t\n", "disambiguation number"),
        (
            "#FORMAT=WebAnno TSV 3.3\n#T_SP=de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.pos.POS|PosValue\n\n\n"
            "#Text=قصف\n1-1\t0-3\tقصف\tNN\t\n",
            "no named entity layer",
        ),
        ("#FORMAT=WebAnno TSV 3.3\n\n\n", "no sentences"),
        (HEADER + "#Text=قصف\n\n#Text=سرت\n1-1\t4-7\tسرت\t_\t\n", "line 6: the sentence above has no token lines"),
        (HEADER + "#Text=قصف\n1-1\t0-3\tقصف\t_\t\n\n#Text=سرت\n", "sentence above has no token lines"),
    ],
)
def test_refused_with_a_sentence_and_nothing_written(content, reason, tmp_path, project, project_path, snapshot):
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RefusedInput) as caught:
        read(path)
    assert reason in caught.value.reason
    before = snapshot(project_path)
    report = import_annotated(project, [path], "webanno-tsv", "Salma")
    assert report.refused == [{"path": str(path), "reason": caught.value.reason}]
    assert snapshot(project_path) == before


def test_other_tools_files_name_their_format_and_command():
    tsv = looks_like_inception((DATA / "example2.tsv").read_bytes())
    assert tsv is not None and "--format webanno-tsv" in tsv
    xmi = looks_like_inception((DATA / "testSentenceWithEmoji.xmi").read_bytes())
    assert xmi is not None and "UIMA CAS XMI" in xmi and "--format xmi" in xmi
    assert looks_like_inception("قصف على سرت\tB-LOCATION\n".encode()) is None


# --- the writer ------------------------------------------------------------------------------


def _units(text: str) -> str:
    """``text`` as UTF-16 code units, one Python character each (as Java holds a string)."""
    return "".join(chr(u) for u in np.frombuffer(text.encode("utf-16-le"), dtype="<u2"))


def _from_units(units: str) -> str:
    return np.array([ord(c) for c in units], dtype="<u2").tobytes().decode("utf-16-le")


def parse_independently(content: str) -> tuple[str, list[tuple[int, int, str]]]:
    """A reading of a TSV file written from the format's documentation (not the reader's
    code): checks its rules and returns the text and the named entities, in code points."""
    lines = content.split("\n")
    assert lines[0] == "#FORMAT=WebAnno TSV 3.3"
    assert lines[1] == f"#T_SP={NAMED_ENTITY}|value"
    assert lines[2] == lines[3] == ""  # two empty lines after the header
    assert content.endswith("\t\n") and lines[-1] == ""
    units = ""  # the text so far, in UTF-16 units
    numbered: dict[str, list] = {}
    spans: list[list] = []
    sentence, token_number = 0, 0
    texts: list[str] = []
    for line in lines[4:-1]:
        if line == "":
            assert not texts
            continue
        if line.startswith("#Text="):
            texts.append(re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n"}.get(m.group(1), m.group(1)), line[6:]))
            continue
        fields = line.split("\t")
        assert len(fields) == 5 and fields[4] == "", line  # id, offsets, token, value, the trailing tab
        ident, offsets, token, value = fields[:4]
        begin, end = (int(x) for x in offsets.split("-"))
        if texts:  # a sentence's first token: its text starts at the token's offset
            sentence, token_number = sentence + 1, 0
            if len(units) > begin:
                assert len(units) == begin + 1 and units.endswith("\n")
                units = units[:-1]
            units += " " * (begin - len(units)) + _units("\n".join(texts) + "\n")
            texts = []
        main, _, sub = ident.partition(".")
        if not sub:
            token_number += 1
        assert main == f"{sentence}-{token_number}", line
        assert _from_units(units[begin:end]) == token, line
        if value == "_":
            continue
        for item in re.split(r"(?<!\\)\|", value):
            number = re.search(r"(?<!\\)\[(\d+)\]$", item)
            label = item[: number.start()] if number else item
            label = re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n"}.get(m.group(1), m.group(1)), label)
            if number and number.group(1) in numbered:
                numbered[number.group(1)][1] = end
                continue
            spans.append([begin, end, label])
            if number:
                numbered[number.group(1)] = spans[-1]
    text = _from_units(units)[:-1]  # the line break after the last sentence

    def codepoints(offset: int) -> int:
        return len(_from_units(units[:offset]))

    return text, sorted((codepoints(b), codepoints(e), label) for b, e, label in spans)


def tsv_of(text: str, spans: list[tuple[int, int, str]], policy: str = "split") -> str:
    spans = sorted(spans, key=lambda s: (s[0], -s[1], s[2]))
    view = align(
        [text],
        np.zeros(len(spans), dtype=np.int64),
        [s[0] for s in spans],
        [s[1] for s in spans],
        [0] * len(spans),
        policy,
        False,
    ).document(0)
    return document_tsv(text, view.starts, view.ends, [(*s, None) for s in spans])


def test_written_file_follows_the_format(tmp_path):
    text = EMOJI_DOC
    sirt = text.index("سرت")
    benghazi = text.index("بنغازي")  # after the proclitic ب
    said = text.index("وقال")
    spans = [
        (sirt, sirt + 3, "LOCATION"),
        (benghazi, benghazi + 6, "LOCATION"),
        (benghazi - 1, benghazi + 6, "LOC|_[x]*"),  # stacked on one token, with reserved characters
        (said, text.index("مسؤول") + 5, "ACTOR"),  # over the astral letters: several tokens
    ]
    for policy in ("split", "expand"):
        content = tsv_of(text, spans, policy)
        assert parse_independently(content) == (text, sorted(spans))
        path = tmp_path / f"{policy}.tsv"
        path.write_text(content, encoding="utf-8")
        (doc,) = read(path).documents
        assert doc.raw_texts == [text]
        assert sorted((s.start, s.end, s.label) for s in doc.spans) == sorted(spans)
    assert content.count("\n#Text=") == 2 and "\n2-1\t" in content  # two sentences: one per line here
    assert "😊" in content and "\t8-10\t😊\t" in content  # the emoji counts two UTF-16 units
    assert re.search(r"\tLOC\\\|\\_\\\[x\\\]\\\*(\[\d+\])?", content)
    assert ".1\t" in content  # expand: the span after the proclitic is a sub-token


def test_escaping_matches_inception():
    assert escape_value("a_b|c[1]*;->\\\t\n") == "a\\_b\\|c\\[1\\]\\*\\;\\->\\\\\\t\\n"
    assert escape_text("a\tb\\c\rd\x01") == "a\\tb\\\\c\\rd\\\x01"
    assert webanno_tsv.unescape_value(escape_value("a_b|c[1]*;->\\\t\n")) == "a_b|c[1]*;->\\\t\n"
    assert webanno_tsv.unescape_text(escape_text("a\tb\\c\rd\x01")) == "a\tb\\c\rd\x01"


WORDS = ["قصف", "ببنغازي", "سرت", "😊", "𝐀𝐁", "30", "،", ".", "«الجيش»", "x_y", "a|b", "\\", "[1]", "٣٫٥"]


@st.composite
def documents_with_spans(draw):
    pieces = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=14))
    gaps = draw(st.lists(st.sampled_from([" ", " ", "\n", "  ", "\n\n", " \n", "\t"]), min_size=len(pieces)))
    text = "قصف " + "".join(p + g for p, g in zip(pieces, gaps)).rstrip(" \t")  # a letter to annotate
    edges = [i for i, c in enumerate(text) if not c.isspace()]
    spans = set()
    for _ in range(draw(st.integers(0, 5))):
        a = draw(st.sampled_from(edges))
        b = draw(st.sampled_from([e for e in edges if e >= a]))
        spans.add((a, b + 1, draw(st.sampled_from(["ACTOR", "LOCATION", "A_[1]"]))))
    return text, sorted(spans)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents_with_spans(), st.sampled_from(["split", "expand"]))
def test_round_trip_of_offsets_with_arabic_and_astral_text(tmp_path_factory, doc, policy):
    text, spans = doc
    content = tsv_of(text, spans, policy)
    assert parse_independently(content) == (text, spans)
    path = tmp_path_factory.mktemp("tsv") / "doc.tsv"
    path.write_text(content, encoding="utf-8")
    (record,) = read(path).documents
    assert record.raw_texts == [text]
    assert sorted((s.start, s.end, s.label) for s in record.spans) == spans


# --- export, then import: the same documents and spans ------------------------------------------


def _layer(project: Project, doc_id: str, annotator: str) -> list[tuple]:
    return [
        (s.start, s.end, s.label, json.dumps(s.attributes, sort_keys=True))
        for s in span_store.for_document(project.db, doc_id, annotator)
    ]


def annotated_project(path: Path, corpus_files, tmp_path: Path) -> tuple[Project, dict[str, str]]:
    project = Project.create(path, name="tsv")
    extra = tmp_path / "emoji.txt"
    extra.write_text(EMOJI_DOC, encoding="utf-8")
    ids = import_paths(project, [*corpus_files[:2], extra]).imported
    texts = {doc_id: documents.get(project.db, doc_id).text for doc_id in ids}
    labels = project.labels()
    rows = []
    for doc_id, text in texts.items():
        for needle, label, attributes in (
            ("ليبي", "LOCATION", {}),
            ("قوات", "ACTOR", {}),
            ("قوات حكومة", "ACTOR", {}),  # nested with the one above: stacked in TSV
            ("بنغازي", "LOCATION", {"canonical": "بنغازي"}),
            ("سرت", "LOCATION", {}),
            ("𝐀𝐁 مسؤول", "ACTOR", {}),
        ):
            start = text.find(needle)
            if start >= 0:
                span = Span(doc_id, "Salma", start, start + len(needle), label, attributes)
                rows.append(span_store.check(text, labels, span))
    project.add_annotator("Salma")
    with project.transaction() as db:
        span_store.insert_many(db, rows, "lead")
        for doc_id in texts:
            status_store.set_status(db, doc_id, "Salma", "done", "Salma")
    return project, texts


@pytest.mark.parametrize("boundary", ["split", "expand"])
def test_export_then_import_gives_the_same_documents_and_spans(boundary, corpus_files, tmp_path):
    project, texts = annotated_project(tmp_path / "a.wbproj", corpus_files, tmp_path)
    out = tmp_path / "out"
    report = export(project, ExportOptions("webanno-tsv", "annotator:Salma", (100,), boundary=boundary), out)
    written = sorted(p.name for p in (out / "train").glob("*.tsv"))
    assert len(written) == 3 and report.spans["train"] == sum(len(_layer(project, d, "Salma")) for d in texts)
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "WebAnno TSV 3.3" in readme and "Not carried: attributes" in readme
    for path in (out / "train").glob("*.tsv"):
        content = path.read_text(encoding="utf-8")
        text, _ = parse_independently(content)
        assert text in texts.values()
    target = Project.create(tmp_path / "b.wbproj", name="back")
    back = import_annotated(target, [out / "train"], "webanno-tsv", "Salma")
    assert not back.refused and len(back.imported) == 3
    by_hash = {documents.get(target.db, d).sha256: d for d in back.imported}
    for doc_id in texts:
        other = by_hash[documents.get(project.db, doc_id).sha256]  # the same text
        want = [(s, e, label, "{}") for s, e, label, _ in _layer(project, doc_id, "Salma")]
        assert _layer(target, other, "Salma") == want  # attributes are not carried by TSV
    project.close()
    target.close()


def test_a_conll_file_given_as_webanno_tsv_names_the_command_that_reads_it(tmp_path):
    path = tmp_path / "ner.tsv"
    path.write_text("سرت\tB-LOCATION\n", encoding="utf-8")
    with pytest.raises(RefusedInput, match="--format conll --annotator NAME"):
        read(path)


def test_inception_named_entity_layer_with_its_identifier_column(tmp_path):
    # INCEpTION's Named entity layer has two features: identifier (a knowledge-base link) and value.
    path = tmp_path / "ne.tsv"
    path.write_text(
        f"#FORMAT=WebAnno TSV 3.3\n#T_SP={NAMED_ENTITY}|identifier|value\n\n\n"
        "#Text=قصف على سرت\n"
        "1-1\t0-3\tقصف\t_\t_\t\n"
        "1-2\t4-7\tعلى\t_\t_\t\n"
        "1-3\t8-11\tسرت\t*[1]|http://www.wikidata.org/entity/Q1\\_2[2]\tLOCATION[1]|LOCATION[2]\t\n",
        encoding="utf-8",
    )
    (doc,) = read(path).documents
    assert [(s.start, s.end, s.label, s.attributes) for s in doc.spans] == [
        (8, 11, "LOCATION", {}),
        (8, 11, "LOCATION", {"identifier": "http://www.wikidata.org/entity/Q1_2"}),
    ]
