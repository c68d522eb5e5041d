"""UIMA CAS XMI (INCEpTION, DKPro Core) through dkpro-cassis: INCEpTION's own files, the export
read back by cassis (the independent reader) and by the import, UTF-16 offsets with text
outside the Basic Multilingual Plane, and hostile XML refused before any parser sees it.

Files under ``tests/data/formats/xmi/`` are INCEpTION's (see the README there).
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.annotated_import import import_annotated, xmi
from workbench.core.errors import RefusedInput
from workbench.core.export import ExportOptions, export
from workbench.core.export.alignment import align
from workbench.core.export.base import Context
from workbench.core.export.layers import SourceDocument
from workbench.core.export.options import MissingExtra
from workbench.core.export.xmi import XmiWriter
from workbench.core.importer import import_paths
from workbench.core.sources import InputFile
from workbench.core.store import documents
from workbench.core.store import spans as span_store
from workbench.core.store import status as status_store
from workbench.core.store.project import Project
from workbench.core.store.spans import Span

cassis = pytest.importorskip("cassis")

DATA = Path(__file__).parent / "data" / "formats" / "xmi"
NE = xmi.NAMED_ENTITY
TEXT = "قصف على 😊 سرت أمس.\nوقال 𝐀𝐁 مسؤول في ببنغازي إن 30 شخصاً قُتلوا."


def read(path: Path):
    return xmi.read(InputFile(str(path), "xmi", path.name))


# --- INCEpTION's files --------------------------------------------------------------------


def test_inception_reference_cas_with_stacked_and_sub_token_entities():
    (doc,) = read(DATA / "inception" / "testMultiTokenStackedSpanWithFeatureValue.xmi").documents
    assert doc.raw_texts == ["This is a test ."]
    assert [(s.start, s.end, s.label) for s in doc.spans] == [(0, 16, "PERSON"), (0, 16, "LOCATION")]
    assert doc.document.id_hint == "doc"
    (sub,) = read(DATA / "inception" / "testSubMultiTokenSpanWithFeatureValue.xmi").documents
    assert (3, 17, "9") in {(s.start, s.end, s.label) for s in sub.spans}


def test_emoji_offsets_are_utf16_in_the_file_and_code_points_here(tmp_path):
    source = (DATA / "inception" / "testSentenceWithEmoji.xmi").read_text(encoding="utf-8")
    assert 'begin="10" end="12"' in source  # INCEpTION's entity on the emoji: two UTF-16 units
    folder = tmp_path / "emoji"
    folder.mkdir()
    (folder / "TypeSystem.xml").write_bytes((DATA / "TypeSystem.xml").read_bytes())
    (folder / "doc.xmi").write_text(
        source.replace(
            'NamedEntity xmi:id="10" sofa="2" begin="10" end="12"/>',
            'NamedEntity xmi:id="10" sofa="2" begin="10" end="12" value="EMOJI"/>',
        ),
        encoding="utf-8",
    )
    (doc,) = read(folder / "doc.xmi").documents
    assert [(s.start, s.end, s.label) for s in doc.spans] == [(10, 11, "EMOJI")]
    assert doc.raw_texts[0][10:11] == "😊"


def test_inception_export_with_custom_layers_counts_them(project):
    result = read(DATA / "relation" / "relation_test.xmi")
    (doc,) = result.documents
    assert doc.spans == [] and doc.document.title == "relation_test.txt"
    assert result.ignored_kinds == {"MyRelationBase annotations": 4, "MyRelationLayer annotations": 1}
    report = import_annotated(project, [DATA / "relation" / "relation_test.xmi"], "xmi", "Salma")
    assert not report.refused and len(report.imported) == 1
    assert "4 MyRelationBase annotations" in report.summary()


def test_a_zip_as_inception_exports_a_document(tmp_path, project):
    archive = tmp_path / "doc.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.write(DATA / "inception" / "testMultiTokenStackedSpanWithFeatureValue.xmi", "doc.xmi")
        out.write(DATA / "TypeSystem.xml", "TypeSystem.xml")
    report = import_annotated(project, [archive], "xmi", "Salma")
    assert "PERSON" in report.refused[0]["reason"] and "--map" in report.refused[0]["reason"]
    report = import_annotated(project, [archive], "xmi", "Salma", {"PERSON": "ACTOR"})
    assert not report.refused and report.spans == 2  # stacked: the same words, two labels
    (doc_id,) = report.imported
    assert [s.label for s in span_store.for_document(project.db, doc_id, "Salma")] == ["ACTOR", "LOCATION"]


def test_a_zip_of_a_project_export_is_refused_with_what_to_do(tmp_path):
    archive = tmp_path / "project.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("exportedproject.json", "{}")
        out.writestr("annotation/doc.txt/Salma.xmi", "<x/>")
    with pytest.raises(RefusedInput, match="INCEpTION project export"):
        read(archive)


# --- refusals ------------------------------------------------------------------------------

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore" '
    'xmlns:type4="http:///de/tudarmstadt/ukp/dkpro/core/api/ner/type.ecore" xmi:version="2.0">'
    '<cas:NULL xmi:id="0"/>'
)


def cas_xml(sofa: str, entities: str = "", doctype: str = "") -> str:
    head = HEAD.replace("\n", "\n" + doctype + "\n", 1) if doctype else HEAD
    members = " ".join(str(i) for i in range(10, 10 + entities.count("<")))
    return (
        head
        + entities
        + f'<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" mimeType="text" sofaString="{sofa}"/>'
        f'<cas:View sofa="1" members="{members}"/></xmi:XMI>'
    )


def write_pair(folder: Path, content: str | bytes, name: str = "doc.xmi") -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "TypeSystem.xml").write_bytes((DATA / "TypeSystem.xml").read_bytes())
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + "]>"
)


@pytest.mark.parametrize("kind", ["laughs", "file", "utf16", "typesystem"])
def test_hostile_xml_is_refused_and_nothing_is_read(kind, tmp_path, project, project_path, snapshot):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-PASSWORD", encoding="utf-8")
    external = f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    entity = '<type4:NamedEntity xmi:id="10" sofa="1" begin="0" end="3" value="LOCATION"/>'
    if kind == "laughs":
        path = write_pair(tmp_path / "in", cas_xml("&lol9;", entity, LAUGHS))
    elif kind == "file":
        path = write_pair(tmp_path / "in", cas_xml("&xxe;", entity, external))
    elif kind == "utf16":
        path = write_pair(tmp_path / "in", cas_xml("&xxe;", entity, external).encode("utf-16"))
    else:
        path = write_pair(tmp_path / "in", cas_xml("قصف سرت", entity))
        (tmp_path / "in" / "TypeSystem.xml").write_text(
            f'<?xml version="1.0"?>{external}<typeSystemDescription>&xxe;</typeSystemDescription>', encoding="utf-8"
        )
    with pytest.raises(RefusedInput) as caught:
        read(path)
    assert "DOCTYPE or entities" in caught.value.reason and "SECRET" not in caught.value.reason
    before = snapshot(project_path)
    report = import_annotated(project, [path], "xmi", "Salma")
    assert report.refused and "SECRET" not in json.dumps(report.to_json())
    assert snapshot(project_path) == before


@pytest.mark.parametrize(
    ("sofa", "entities", "reason"),
    [
        ("😊 سرت", '<type4:NamedEntity xmi:id="10" sofa="1" begin="1" end="5" value="LOCATION"/>', "two halves"),
        ("قصف سرت", '<type4:NamedEntity xmi:id="10" sofa="1" begin="4" end="70" value="LOCATION"/>', "offset"),
        ("قصف سرت", '<type4:Unknown xmi:id="10" sofa="1" begin="4" end="7"/>', "not readable UIMA CAS XMI"),
    ],
)
def test_bad_offsets_and_types_are_refused(sofa, entities, reason, tmp_path):
    path = write_pair(tmp_path / "in", cas_xml(sofa, entities))
    with pytest.raises(RefusedInput, match=reason):
        read(path)


def test_a_webanno_tsv_file_given_as_xmi_names_the_command_that_reads_it(tmp_path):
    path = tmp_path / "doc.xmi"
    path.write_text("#FORMAT=WebAnno TSV 3.3\n\n\n", encoding="utf-8")
    with pytest.raises(RefusedInput, match="--format webanno-tsv --annotator NAME"):
        read(path)


def test_no_typesystem_beside_it(tmp_path):
    path = tmp_path / "alone" / "doc.xmi"
    path.parent.mkdir()
    path.write_text(cas_xml("قصف سرت"), encoding="utf-8")
    with pytest.raises(RefusedInput, match="no TypeSystem.xml beside it"):
        read(path)


def test_a_cas_without_named_entities_but_other_layers_is_refused(tmp_path):
    folder = tmp_path / "custom"
    ts = cassis.TypeSystem()
    custom = ts.create_type("webanno.custom.Event", supertypeName="uima.tcas.Annotation")
    ts.create_feature(custom, "kind", "uima.cas.String")
    cas = cassis.Cas(typesystem=ts)
    cas.sofa_string = "قصف سرت"
    cas.add(custom(begin=0, end=3, kind="attack"))
    folder.mkdir()
    ts.to_xml(str(folder / "TypeSystem.xml"))
    cas.to_xmi(str(folder / "doc.xmi"))
    with pytest.raises(RefusedInput, match="no named entity type .* only Event"):
        read(folder / "doc.xmi")


def test_missing_cassis_is_a_sentence_naming_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "cassis", None)  # as if not installed: importing it fails
    with pytest.raises(RefusedInput, match=r"needs dkpro-cassis \(the 'xmi' extra\).*\[xmi\]"):
        read(DATA / "relation" / "relation_test.xmi")
    from workbench.core.export import xmi as writer

    with pytest.raises(MissingExtra, match=r"XMI format needs dkpro-cassis.*\[xmi\]"):
        writer.require()


# --- the writer, read back by cassis and by the import ------------------------------------------


def schema():
    from workbench.core.store.labels import DEFAULT_LABELS

    return tuple(DEFAULT_LABELS)


def write_one(root: Path, text: str, spans: list[tuple], title: str = "") -> Path:
    labels = schema()
    names = tuple(label.name for label in labels)
    spans = sorted(spans, key=lambda s: (s[0], -s[1]))
    writer = XmiWriter(root, ("train",), Context(names, ("O",), labels, "split"))
    view = align(
        [text],
        np.zeros(len(spans), dtype=np.int64),
        [s[0] for s in spans],
        [s[1] for s in spans],
        [names.index(s[2]) for s in spans],
        "split",
        False,
    )
    writer.write("train", SourceDocument("doc-1", text, "0" * 64, {"title": title}, "gold", spans), view.document(0))
    writer.close()
    return root / "train" / "doc-1.xmi"


WORDS = ["قصف", "ببنغازي", "😊", "𝐀𝐁", "30", "،", "«الجيش»", "x", "\u200d"]


@st.composite
def texts_with_spans(draw):
    pieces = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=10))
    text = "قصف " + " ".join(pieces)
    spans = set()
    for _ in range(draw(st.integers(0, 4))):
        a = draw(st.integers(0, len(text) - 1))
        b = draw(st.integers(a + 1, len(text)))
        spans.add((a, b, draw(st.sampled_from(["ACTOR", "LOCATION"])), None))
    return text, sorted(spans)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(texts_with_spans())
def test_offsets_round_trip_through_cassis(tmp_path_factory, doc):
    text, spans = doc
    path = write_one(tmp_path_factory.mktemp("xmi"), text, spans)
    with open(path.parent / "TypeSystem.xml", "rb") as handle:
        ts = cassis.load_typesystem(handle)
    with open(path, "rb") as handle:
        cas = cassis.load_cas_from_xmi(handle, typesystem=ts)
    assert cas.sofa_string == text
    assert sorted((e.begin, e.end, e.value) for e in cas.select(NE)) == sorted(s[:3] for s in spans)
    (record,) = read(path).documents
    assert record.raw_texts == [text]
    assert sorted((s.start, s.end, s.label) for s in record.spans) == sorted(s[:3] for s in spans)


def test_written_file_holds_utf16_offsets_metadata_and_attributes(tmp_path):
    sirt = TEXT.index("سرت")
    astral = TEXT.index("𝐀𝐁")
    attributes = {"count": 30, "kind": "killed", "approximate": True}
    spans = [
        (sirt, sirt + 3, "LOCATION", json.dumps({"canonical": "سرت"}, ensure_ascii=False)),
        (astral, astral + 2, "ACTOR", None),
        (TEXT.index("30"), TEXT.index("قُتلوا") + 6, "CASUALTY", json.dumps(attributes)),
        (TEXT.index("أمس"), TEXT.index("أمس") + 3, "DATE", json.dumps({"value": "2019-01-19"})),
    ]
    path = write_one(tmp_path, TEXT, spans, title="خبر")
    content = path.read_text(encoding="utf-8")
    utf16 = len(TEXT[:sirt].encode("utf-16-le")) // 2
    assert f'begin="{utf16}" end="{utf16 + 3}" value="LOCATION"' in content  # UTF-16 units in the file
    assert 'documentId="doc-1"' in content and 'documentTitle="خبر"' in content
    assert 'approximate="true"' in content and "workbenchAttributes=" in content  # DATE's "value" attribute
    assert (tmp_path / "train" / "TypeSystem.xml").exists()
    (record,) = read(path).documents
    assert record.document.title == "خبر" and record.document.id_hint == "doc-1"
    got = {(s.start, s.end, s.label): s.attributes for s in record.spans}
    assert got[(sirt, sirt + 3, "LOCATION")] == {"canonical": "سرت"}
    assert got[spans[2][:3]] == {"count": "30", "kind": "killed", "approximate": True}
    assert got[spans[3][:3]] == {"value": "2019-01-19"}
    assert got[(astral, astral + 2, "ACTOR")] == {}


def annotated_project(path: Path, corpus_files, tmp_path: Path) -> tuple[Project, list[str]]:
    project = Project.create(path, name="xmi")
    extra = tmp_path / "emoji.txt"
    extra.write_text(TEXT, encoding="utf-8")
    ids = import_paths(project, [*corpus_files[:2], extra]).imported
    labels = project.labels()
    rows = []
    for doc_id in ids:
        text = documents.get(project.db, doc_id).text
        for needle, label, attributes in (
            ("ليبي", "LOCATION", {"canonical": "ليبيا"}),
            ("قوات", "ACTOR", {}),
            ("قوات حكومة", "ACTOR", {}),
            ("30 شخصاً", "CASUALTY", {"count": 30, "kind": "killed", "approximate": False}),
            ("أمس", "DATE", {"value": "2019-01-19"}),
            ("𝐀𝐁 مسؤول", "ACTOR", {}),
        ):
            start = text.find(needle)
            if start >= 0:
                span = Span(doc_id, "Salma", start, start + len(needle), label, attributes)
                rows.append(span_store.check(text, labels, span))
    project.add_annotator("Salma")
    with project.transaction() as db:
        span_store.insert_many(db, rows, "lead")
        for doc_id in ids:
            status_store.set_status(db, doc_id, "Salma", "done", "Salma")
    return project, ids


def _layer(project: Project, doc_id: str) -> list[tuple]:
    return [
        (s.start, s.end, s.label, json.dumps(s.attributes, sort_keys=True))
        for s in span_store.for_document(project.db, doc_id, "Salma")
    ]


def test_export_then_import_gives_the_same_documents_spans_and_attributes(corpus_files, tmp_path):
    project, ids = annotated_project(tmp_path / "a.wbproj", corpus_files, tmp_path)
    out = tmp_path / "out"
    export(project, ExportOptions("xmi", "annotator:Salma", (100,)), out)
    assert "UIMA CAS XMI" in (out / "README.md").read_text(encoding="utf-8")
    target = Project.create(tmp_path / "b.wbproj", name="back")
    back = import_annotated(target, [out / "train"], "xmi", "Salma")
    assert not back.refused and len(back.imported) == 3 and back.ignored == 0
    by_hash = {documents.get(target.db, d).sha256: d for d in back.imported}
    for doc_id in ids:
        other = by_hash[documents.get(project.db, doc_id).sha256]
        assert _layer(target, other) == _layer(project, doc_id)
        assert documents.get(target.db, other).text == documents.get(project.db, doc_id).text
    project.close()
    target.close()


def test_characters_xml_cannot_hold_are_written_as_spaces(tmp_path):
    text = "قصف\x01على سرت\x0b أمس"
    sirt = text.index("سرت")
    path = write_one(tmp_path, text, [(sirt, sirt + 3, "LOCATION", None)], title="خبر\x02")
    (record,) = read(path).documents
    assert record.raw_texts == ["قصف على سرت  أمس"] and record.document.title == "خبر"
    assert [(s.start, s.end) for s in record.spans] == [(sirt, sirt + 3)]  # offsets unchanged


def test_attribute_names_cassis_or_uima_use_go_to_the_json_feature(tmp_path):
    from workbench.core.export.xmi import feature_types
    from workbench.core.store.labels import Attribute, Label

    labels = (Label("ACTOR", "#ffffff", "a", "", tuple(Attribute(n, "text") for n in ("type", "get", "end", "role"))),)
    assert feature_types(labels) == {"role": "uima.cas.String"}
    writer = XmiWriter(tmp_path, ("train",), Context(("ACTOR",), ("O",), labels, "split"))
    text = "قال مسؤول في سرت"
    attributes = {"type": "official", "get": "x", "end": "e", "role": "spokesman"}
    view = align([text], np.zeros(1, dtype=np.int64), [0], [9], [0], "split", False).document(0)
    spans = [(0, 9, "ACTOR", json.dumps(attributes, ensure_ascii=False))]
    writer.write("train", SourceDocument("d", text, "0" * 64, {}, "gold", spans), view)
    writer.close()
    (record,) = read(tmp_path / "train" / "d.xmi").documents
    assert record.spans[0].attributes == attributes
