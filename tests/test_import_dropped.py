"""Imports that used to drop data without a word (issue 12).

Real files on disk, shaped as the other tools write them: doccano's download example
(``labels``) and its v1 export (``annotations``), relations and events from doccano and
brat, and a UIMA CAS XMI file given to the plain import.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.core.annotated_import import import_annotated
from workbench.core.importer import import_paths
from workbench.core.store import documents, spans

A = "واستضافت العاصمة الألمانية برلين في 19 يناير 2019 مؤتمرا دوليا."
B = "وأفادت مصادر ليبية بمقتل أربعة من قوات حكومة الوفاق في أبو قرين."
C = "نشر موالون لما يعرف بعملية الكرامة أسماء 12 مسلحا من قوات حفتر."


def at(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def cli(*args, check=True):
    result = subprocess.run(
        [sys.executable, "-m", "workbench.cli", *map(str, args)], capture_output=True, timeout=120, env=dict(os.environ)
    )
    if check and result.returncode != 0:
        raise AssertionError(f"exit {result.returncode}: {result.stderr.decode()}")
    return result


def layer(project, doc_id: str, name: str) -> list[tuple[str, str]]:
    text = documents.get(project.db, doc_id).text
    return [(s.label, text[s.start : s.end]) for s in spans.for_document(project.db, doc_id, name)]


def test_doccano_download_example_with_labels(project, tmp_path):
    # doccano's sequence labelling download: {"id", "text", "labels": [[start, end, label]]}
    path = write_jsonl(
        tmp_path / "admin.jsonl",
        [
            {"id": 1, "text": A, "labels": [[*at(A, "برلين"), "LOCATION"], [*at(A, "19 يناير 2019"), "DATE"]]},
            {"id": 2, "text": B, "labels": [[*at(B, "أبو قرين"), "LOCATION"]]},
            {"id": 3, "text": C, "labels": [[*at(C, "قوات حفتر"), "ACTOR"]], "Comments": []},
        ],
    )
    report = import_annotated(project, [path], "jsonl", "Salma")
    assert report.ok and len(report.imported) == 3 and report.spans == 4
    first, second, third = report.imported
    assert layer(project, first, "Salma") == [("LOCATION", "برلين"), ("DATE", "19 يناير 2019")]
    assert layer(project, second, "Salma") == [("LOCATION", "أبو قرين")]
    assert layer(project, third, "Salma") == [("ACTOR", "قوات حفتر")]
    assert documents.get(project.db, first).meta.get("doccano_id") == 1


def test_doccano_v1_annotations_with_label_names_and_ids(project, tmp_path):
    # doccano 1.x: "annotations": [{"label", "start_offset", "end_offset", "user"}]; the label
    # is a name, or the label's id in the doccano project (mapped with --map).
    path = write_jsonl(
        tmp_path / "doccano_v1.jsonl",
        [
            {
                "id": 11,
                "text": A,
                "annotations": [
                    {
                        "id": 5,
                        "label": "LOCATION",
                        "start_offset": at(A, "برلين")[0],
                        "end_offset": at(A, "برلين")[1],
                        "user": 1,
                    }
                ],
                "meta": {},
                "annotation_approver": None,
            },
            {
                "id": 12,
                "text": B,
                "annotations": [
                    {
                        "id": 6,
                        "label": 3,
                        "start_offset": at(B, "أبو قرين")[0],
                        "end_offset": at(B, "أبو قرين")[1],
                        "user": 1,
                    }
                ],
                "meta": {},
            },
            {"id": 13, "text": C, "annotations": [], "meta": {}},
        ],
    )
    report = import_annotated(project, [path], "jsonl", "Salma", {"3": "LOCATION"})
    assert report.ok and len(report.imported) == 3 and report.spans == 2
    first, second, _third = report.imported
    assert layer(project, first, "Salma") == [("LOCATION", "برلين")]
    assert layer(project, second, "Salma") == [("LOCATION", "أبو قرين")]


def test_doccano_v1_label_id_unmapped_is_refused_naming_it(project, tmp_path):
    path = write_jsonl(
        tmp_path / "ids.jsonl",
        [{"id": 1, "text": B, "annotations": [{"label": 3, "start_offset": 0, "end_offset": 6, "user": 1}]}],
    )
    report = import_annotated(project, [path], "jsonl", "Salma")
    assert not report.ok and report.spans == 0 and "3" in report.refused[0]["reason"]


def test_relations_and_events_counted_per_kind_in_the_cli(tmp_path):
    db = tmp_path / "p.wbproj"
    cli("--db", db, "init", "--name", "p")
    s1, e1 = at(A, "برلين")
    s2, e2 = at(A, "19 يناير 2019")
    doccano = write_jsonl(
        tmp_path / "rel.jsonl",
        [
            {
                "id": 1,
                "text": A,
                "entities": [
                    {"id": 1, "label": "LOCATION", "start_offset": s1, "end_offset": e1},
                    {"id": 2, "label": "DATE", "start_offset": s2, "end_offset": e2},
                ],
                "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "when"}],
            }
        ],
    )
    brat = tmp_path / "brat"
    brat.mkdir()
    (brat / "b.txt").write_text(B, encoding="utf-8")
    t1, t2 = at(B, "أبو قرين"), at(B, "قوات حكومة الوفاق")
    (brat / "b.ann").write_text(
        f"T1\tLOCATION {t1[0]} {t1[1]}\tأبو قرين\nT2\tACTOR {t2[0]} {t2[1]}\tقوات حكومة الوفاق\n"
        "R1\tLocated Arg1:T2 Arg2:T1\nR2\tNear Arg1:T1 Arg2:T2\nE1\tAttack:T2\n*\tEquiv T1 T2\n",
        encoding="utf-8",
    )
    human = cli("--db", db, "import", "--annotator", "Salma", doccano).stdout.decode()
    assert "1 relation ignored: Workbench stores spans only" in human
    human = cli("--db", db, "import", "--annotator", "Salma", "--format", "brat", brat).stdout.decode()
    assert "2 relations, 1 event, 1 equivalence ignored: Workbench stores spans only" in human
    report = json.loads(cli("--db", db, "import", "--json", "--annotator", "Omar", "--format", "brat", brat).stdout)
    assert report["ignored"] == 4
    assert report["ignored_kinds"] == {"relations": 2, "events": 1, "equivalences": 1}


XMI = """<?xml version="1.0" encoding="UTF-8"?>
<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore"
  xmlns:type="http:///de/tudarmstadt/ukp/dkpro/core/api/ner/type.ecore" xmi:version="2.0">
  <cas:NULL xmi:id="0"/>
  <cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" mimeType="text" sofaString="واستضافت العاصمة الألمانية برلين"/>
  <type:NamedEntity xmi:id="2" sofa="1" begin="27" end="32" value="LOC"/>
  <cas:View sofa="1" members="2"/>
</xmi:XMI>
"""


def test_xmi_given_to_plain_import_is_refused(project, tmp_path):
    path = tmp_path / "doc.xmi"
    path.write_text(XMI, encoding="utf-8")
    report = import_paths(project, [path])
    assert report.imported == [] and len(report.refused) == 1
    reason = report.refused[0]["reason"]
    assert "UIMA CAS XMI" in reason and "INCEpTION" in reason and "--format xmi --annotator NAME" in reason
    assert documents.ids(project.db) == []


@pytest.mark.parametrize(
    ("name", "content", "named"),
    [
        ("page.html", "<!DOCTYPE html>\n<html><body><p>برلين</p></body></html>", "HTML"),
        ("page.txt", "  <html lang='ar'><body>برلين</body></html>", "HTML"),
        ("tei.xml", '<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><text>برلين</text></TEI>', "XML"),
    ],
)
def test_markup_files_are_refused(project, tmp_path, name, content, named):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    report = import_paths(project, [path])
    assert report.imported == [] and named in report.refused[0]["reason"]


def test_text_that_merely_mentions_tags_is_still_imported(project, tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("نص عن الوسم <html> في صفحات الويب.", encoding="utf-8")
    report = import_paths(project, [path])
    assert report.ok and len(report.imported) == 1


def test_cli_refuses_xmi_with_the_reason(tmp_path):
    db = tmp_path / "p.wbproj"
    cli("--db", db, "init", "--name", "p")
    path = tmp_path / "doc.xmi"
    path.write_text(XMI, encoding="utf-8")
    result = cli("--db", db, "import", path, check=False)
    assert result.returncode == 2
    out = result.stdout.decode() + result.stderr.decode()
    assert "UIMA CAS XMI" in out and "import doc.xmi --format xmi --annotator NAME" in out


# --- what a plain import passes over is said, not dropped -----------------------------------------


def test_a_plain_import_says_that_a_files_spans_were_not_read(project, tmp_path):
    path = write_jsonl(tmp_path / "doccano.jsonl", [{"id": 1, "text": A, "label": [[*at(A, "برلين"), "LOCATION"]]}])
    report = import_paths(project, [path])
    assert len(report.imported) == 1 and report.spans_not_read == 1
    assert "1 document carried spans" in report.summary() and "--annotator NAME" in report.summary()
    assert report.to_json()["spans_not_read"] == 1
    doc = documents.get(project.db, report.imported[0])
    assert doc.meta["label"] == [[*at(A, "برلين"), "LOCATION"]]  # kept, not lost
    # A CSV-like "label" column (a category, not spans) is no such thing.
    other = write_jsonl(tmp_path / "topics.jsonl", [{"text": B, "label": "politics"}])
    assert import_paths(project, [other]).spans_not_read == 0


def test_an_empty_folder_or_one_of_unread_kinds_is_refused_with_what_it_holds(project, tmp_path):
    empty = tmp_path / "article.txt"
    empty.mkdir()
    report = import_paths(project, [empty])
    assert [r["path"] for r in report.refused] == [str(empty)]
    assert "the folder holds no file that import reads" in report.refused[0]["reason"]
    assert "it is empty" in report.refused[0]["reason"]
    office = tmp_path / "reports"
    office.mkdir()
    (office / "a.docx").write_bytes(b"PK\x03\x04")
    (office / "b.pdf").write_bytes(b"%PDF-1.4")
    (office / "c.pdf").write_bytes(b"%PDF-1.4")
    report = import_paths(project, [office])
    assert "3 files of other kinds (.docx ×1, .pdf ×2)" in report.refused[0]["reason"]
    assert ".txt" in report.refused[0]["reason"] and ".jsonl" in report.refused[0]["reason"]


def test_files_of_other_kinds_in_a_folder_are_passed_over_by_name(project, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.txt").write_text(A, encoding="utf-8")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    (folder / "README").write_text("read me", encoding="utf-8")
    result = cli("--db", tmp_path / "p.wbproj", "init", check=True)
    result = cli("--db", tmp_path / "p.wbproj", "import", folder, "--json")
    data = json.loads(result.stdout)
    assert data["imported"] == 1 and data["refused"] == []
    assert [Path(item["path"]).name for item in data["passed_over"]] == ["README", "notes.docx"]
    human = cli("--db", tmp_path / "p2.wbproj", "init") and cli("--db", tmp_path / "p2.wbproj", "import", folder)
    assert "2 files passed over (not a kind import reads): README, notes.docx" in human.stdout.decode()
