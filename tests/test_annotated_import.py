"""Import of annotated files (JSONL, doccano, CoNLL BIO, brat) into a real project file.

The files are written by hand here, from sentences of the sample corpus: entities with
proclitics attached (بمقتل، وإصابة), digits next to punctuation (106، 2019 ، "حفتر")
and quotes. Every refusal is checked to leave the project file exactly as it was.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.annotated_import import (
    ANNOTATED_FORMATS,
    AnnotatedImportReport,
    import_annotated,
    parse_label_map,
)
from workbench.core.annotated_import.offsets import normalize_with_map
from workbench.core.importer import import_paths
from workbench.core.store import documents, spans, status
from workbench.core.store.changelog import history
from workbench.core.store.project import GOLD, Project
from workbench.core.text.normalise import normalize

# Sentences of the sample corpus (001, 000 and 002).
A = (
    "وأفادت مصادر ليبية بمقتل أربعة من قوات حكومة الوفاق وإصابة 18 في عملية استعادة أبو قرين، "
    "في حين نشر موالون لما يعرف بعملية الكرامة أسماء 12 مسلحا من قوات حفتر لقوا مصرعهم."
)
B = "واستضافت العاصمة الألمانية برلين في 19 يناير 2019 مؤتمرا دوليا يرمي لتأسيس وقف إطلاق نار دائم وبدء مسار سياسي في ليبيا."
C = (
    'ويعد ذلك الاعتراف أو التأكيد من جانب قوات "حفتر" لبيانات المجلس العسكري لتجمع كتائب وسرايا '
    'ثوار الزاوية أنه أسر قوات تتبع اللواء المجحفل 106 والكتيبة 107 الموالين لـ"حفتر"، بحسب الأناضول.'
)
ARTICLE = A + "\n" + B + "\n\n" + C


def at(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(nth):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def span(text: str, needle: str, label: str, nth: int = 1, **extra) -> dict:
    start, end = at(text, needle, nth)
    return {"start": start, "end": end, "label": label, "text": text[start:end], **extra}


def salma_spans(text: str) -> list[dict]:
    return [
        span(text, "مقتل أربعة", "CASUALTY", attributes={"count": 4, "kind": "killed"}),
        span(text, "إصابة 18", "CASUALTY", attributes={"count": "18", "kind": "injured"}),
        span(text, "أبو قرين", "LOCATION"),
        span(text, "قوات حفتر", "ACTOR", canonical="الجيش الوطني الليبي"),
        span(text, "19 يناير 2019", "DATE", attributes={"value": "2019-01-19"}),
        span(text, "اللواء المجحفل 106", "ACTOR", note="digits at the end"),
        span(text, "حفتر", "ACTOR", nth=2),  # inside the quotes: "حفتر"
    ]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def layer(project: Project, doc_id: str, annotator: str) -> list[tuple[str, str]]:
    """(label, covered text) of a layer, in reading order."""
    text = documents.get(project.db, doc_id).text
    return [(s.label, text[s.start : s.end]) for s in spans.for_document(project.db, doc_id, annotator)]


# --- JSONL (this project's) ---------------------------------------------------------------


def test_two_annotators_files_of_one_article_join_one_document(project, tmp_path):
    salma = write_jsonl(
        tmp_path / "salma.jsonl",
        [
            {
                "id": "ly-1",
                "text": ARTICLE,
                "spans": salma_spans(ARTICLE),
                "meta": {"url": "https://example.org/1"},
                "section": "news",
            }
        ],
    )
    report = import_annotated(project, [salma], "jsonl", "Salma")
    assert report.ok and report.imported == ["ly-1"] and report.spans == 7 and report.annotator_added
    assert isinstance(report, AnnotatedImportReport)
    assert {"imported", "joined", "duplicates", "refused", "spans"} <= report.to_json().keys()
    assert "Salma" in project.annotators()
    doc = documents.get(project.db, "ly-1")
    assert doc.text == ARTICLE and doc.meta == {"url": "https://example.org/1", "section": "news"}
    got = layer(project, "ly-1", "Salma")
    assert ("CASUALTY", "مقتل أربعة") in got and ("ACTOR", "اللواء المجحفل 106") in got
    assert ("ACTOR", "حفتر") in got and ("DATE", "19 يناير 2019") in got
    stored = {s.label + ":" + ARTICLE[s.start : s.end]: s for s in spans.for_document(project.db, "ly-1", "Salma")}
    assert stored["CASUALTY:إصابة 18"].attributes == {"count": 18, "kind": "injured"}
    assert stored["ACTOR:قوات حفتر"].attributes == {"canonical": "الجيش الوطني الليبي"}
    assert stored["ACTOR:اللواء المجحفل 106"].note == "digits at the end"
    assert status.get(project.db, "ly-1", "Salma") == status.DONE
    assert sum(1 for c in history(project.db, "ly-1") if c["action"] == "span.create") == 7

    # Omar's tool saved the same article with CRLF line ends: offsets count the CR.
    crlf = ARTICLE.replace("\n", "\r\n")
    omar_spans = [
        span(crlf, "بمقتل أربعة", "CASUALTY"),
        span(crlf, "برلين", "LOCATION"),
        span(crlf, "اللواء المجحفل 106", "ACTOR"),
    ]
    omar = write_jsonl(tmp_path / "omar.jsonl", [{"id": "other-id", "text": crlf, "spans": omar_spans}])
    report = import_annotated(project, [omar], "jsonl", "Omar")
    assert report.ok and report.imported == []
    assert report.joined == [{"path": f"{omar}:1", "doc_id": "ly-1", "spans": 3}]
    assert report.to_json()["duplicates"] == report.joined and report.to_json()["imported"] == 0
    assert documents.count(project.db) == 1
    assert layer(project, "ly-1", "Omar") == [
        ("CASUALTY", "بمقتل أربعة"),
        ("LOCATION", "برلين"),
        ("ACTOR", "اللواء المجحفل 106"),
    ]
    assert len(layer(project, "ly-1", "Salma")) == 7  # untouched

    # And the adjudicated version, as gold.
    gold = write_jsonl(tmp_path / "gold.jsonl", [{"text": ARTICLE, "spans": salma_spans(ARTICLE)[:3]}])
    report = import_annotated(project, [gold], "jsonl", "gold")
    assert report.ok and report.spans == 3 and not report.annotator_added
    assert len(layer(project, "ly-1", GOLD)) == 3 and GOLD not in project.annotators()


def test_importing_a_file_again_adds_no_span_twice(project, tmp_path):
    path = write_jsonl(tmp_path / "s.jsonl", [{"text": ARTICLE, "spans": salma_spans(ARTICLE)}])
    assert import_annotated(project, [path], "jsonl", "Salma").spans == 7
    again = import_annotated(project, [path], "jsonl", "Salma")
    assert again.ok and again.spans == 0 and again.skipped == 7 and len(again.joined) == 1
    assert len(spans.for_document(project.db, again.joined[0]["doc_id"], "Salma")) == 7
    # The same spans in another layer are that layer's.
    assert import_annotated(project, [path], "jsonl", "Omar").spans == 7


def test_spans_join_a_document_imported_as_plain_text(project, corpus_files, corpus_texts, tmp_path):
    import_paths(project, corpus_files)
    stem = "001_6c20427af2e36eef"
    text = corpus_texts[stem]
    path = tmp_path / "a.jsonl"
    write_jsonl(path, [{"text": text, "spans": [span(text, "مقتل أربعة", "CASUALTY"), span(text, "حفتر", "ACTOR")]}])
    report = import_annotated(project, [path], "jsonl", "Salma")
    assert report.ok and report.joined[0]["doc_id"] == stem and documents.count(project.db) == 5
    assert layer(project, stem, "Salma") == sorted(
        [("CASUALTY", "مقتل أربعة"), ("ACTOR", "حفتر")], key=lambda p: text.index(p[1])
    )


def test_doccano_label_lists_and_entities(project, tmp_path):
    s1, e1 = at(A, "أبو قرين")
    s2, e2 = at(A, "قوات حفتر")
    s3, e3 = at(B, "19 يناير 2019")
    path = write_jsonl(
        tmp_path / "doccano.jsonl",
        [
            {"id": 1, "text": A, "label": [[s1, e1, "LOCATION"], [s2, e2, "ACTOR"]], "Comments": ["checked"]},
            {
                "id": 2,
                "text": B,
                "entities": [{"id": 7, "label": "DATE", "start_offset": s3, "end_offset": e3}],
                "relations": [{"id": 1, "from_id": 7, "to_id": 7, "type": "same"}],
            },
        ],
    )
    report = import_annotated(project, [path], "jsonl", "Salma")
    assert report.ok and len(report.imported) == 2 and report.spans == 3 and report.ignored == 1
    first, second = report.imported
    assert layer(project, first, "Salma") == [("LOCATION", "أبو قرين"), ("ACTOR", "قوات حفتر")]
    assert layer(project, second, "Salma") == [("DATE", "19 يناير 2019")]
    assert documents.get(project.db, first).meta == {"doccano_id": 1, "Comments": ["checked"]}


def test_a_label_map_renames_the_files_labels(project, tmp_path, snapshot, project_path):
    s1, e1 = at(A, "قوات حفتر")
    s2, e2 = at(A, "أبو قرين")
    path = write_jsonl(
        tmp_path / "d.jsonl", [{"text": A, "label": [[s1, e1, "PER"], [s2, e2, "LOC"], [s2, e2, "GPE"]]}]
    )
    before = snapshot(project_path)
    report = import_annotated(project, [path], "jsonl", "Salma")
    assert not report.ok and snapshot(project_path) == before
    reason = report.refused[0]["reason"]
    assert "GPE, LOC, PER" in reason and "--map" in reason
    # Half a map is not enough; the message lists what is left.
    report = import_annotated(project, [path], "jsonl", "Salma", parse_label_map(["PER=ACTOR"]))
    assert "GPE, LOC" in report.refused[0]["reason"] and "PER" not in report.refused[0]["reason"].split("(")[0]
    report = import_annotated(
        project, [path], "jsonl", "Salma", parse_label_map(["PER=ACTOR", "LOC=LOCATION", "GPE = LOCATION"])
    )
    assert report.ok and report.spans == 2 and report.skipped == 1  # LOC and GPE map to the same span
    assert layer(project, report.imported[0], "Salma") == [("LOCATION", "أبو قرين"), ("ACTOR", "قوات حفتر")]


def test_parse_label_map_and_bad_arguments(project):
    assert parse_label_map([]) == {} and parse_label_map(["PER=ACTOR"]) == {"PER": "ACTOR"}
    for bad in (["PER"], ["=ACTOR"], ["PER="], ["A=B=C"], ["PER=ACTOR", "PER=LOCATION"]):
        with pytest.raises(ValueError, match="--map"):
            parse_label_map(bad)
    with pytest.raises(ValueError, match="PERSON"):
        import_annotated(project, [], "jsonl", "Salma", {"PER": "PERSON"})
    with pytest.raises(ValueError, match="format"):
        import_annotated(project, [], "spacy", "Salma")
    with pytest.raises(ValueError, match="annotator"):
        import_annotated(project, [], "jsonl", "a,b")
    assert ANNOTATED_FORMATS == ("jsonl", "conll", "brat", "label-studio", "webanno-tsv", "xmi", "prodigy")
    assert import_annotated(project, [], "jsonl", "Gold").layer == GOLD


# --- refusals: the project is unchanged ----------------------------------------------------


def _refused(project, project_path, snapshot, paths, fmt="jsonl", label_map=None) -> str:
    before = snapshot(project_path)
    report = import_annotated(project, paths, fmt, "Salma", label_map)
    assert not report.ok and not report.imported and report.spans == 0
    assert snapshot(project_path) == before
    assert "Salma" not in project.annotators()
    return report.refused[0]["reason"]


def test_spans_that_do_not_fit_refuse_the_file(project, project_path, snapshot, tmp_path):
    harakat = "قُتِلَ أربعة من قوات حفتر"
    cases = {
        "outside": ({"start": 10, "end": len(A) + 5, "label": "ACTOR"}, A, "outside the document's text"),
        "empty": ({"start": 10, "end": 10, "label": "ACTOR"}, A, "empty"),
        "grapheme": ({"start": 0, "end": 1, "label": "CASUALTY"}, harakat, "inside a character"),
        "text": ({**span(A, "أبو قرين", "LOCATION"), "text": "أبو قرين،"}, A, "«أبو قرين،»"),
        "crlf": ({"start": 0, "end": len(A) + 1, "label": "ACTOR"}, A + "\r\n" + B, "between CR and LF"),
        "attribute": ({**span(A, "إصابة 18", "CASUALTY"), "attributes": {"count": "many"}}, A, "'many' is not a count"),
        "unknown attribute": ({**span(A, "قرين", "LOCATION"), "severity": "high"}, A, "LOCATION.severity"),
        "float": ({"start": 1.0, "end": 4, "label": "ACTOR"}, A, "whole number"),
    }
    for name, (bad, text, message) in cases.items():
        good = span(text, "قوات حفتر", "ACTOR")
        path = write_jsonl(tmp_path / f"{name}.jsonl", [{"text": B, "spans": []}, {"text": text, "spans": [good, bad]}])
        reason = _refused(project, project_path, snapshot, [path])
        assert message in reason, (name, reason)
        assert "line 2, span 2" in reason, reason


def test_unreadable_files_are_refused(project, project_path, snapshot, tmp_path):
    broken = tmp_path / "broken.jsonl"
    broken.write_text(
        json.dumps({"text": A, "spans": []}, ensure_ascii=False) + '\n{"text": "قتل", \n', encoding="utf-8"
    )
    assert "line 2: not valid JSON" in _refused(project, project_path, snapshot, [broken])
    binary = tmp_path / "image.jsonl"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + bytes(range(256)))
    for fmt in ("jsonl", "conll"):
        assert "binary" in _refused(project, project_path, snapshot, [binary], fmt)
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    for fmt in ("jsonl", "conll"):
        assert "empty" in _refused(project, project_path, snapshot, [empty], fmt)
    not_a_record = write_jsonl(tmp_path / "list.jsonl", [{"content": A}])
    assert '"text" string' in _refused(project, project_path, snapshot, [not_a_record])
    classification = write_jsonl(tmp_path / "cls.jsonl", [{"text": A, "label": ["positive"]}])
    assert "[start, end, label]" in _refused(project, project_path, snapshot, [classification])
    assert "no such file" in _refused(project, project_path, snapshot, [tmp_path / "missing.jsonl"])
    # An id that another text holds: refused, with what the file brought before it.
    import_annotated(
        project, [write_jsonl(tmp_path / "o.jsonl", [{"id": "ly-1", "text": A, "spans": []}])], "jsonl", "Omar"
    )
    taken = write_jsonl(
        tmp_path / "taken.jsonl",
        [{"text": C, "spans": [span(C, "حفتر", "ACTOR")]}, {"id": "ly-1", "text": B, "spans": []}],
    )
    assert "'ly-1' is already used" in _refused(project, project_path, snapshot, [taken])


def test_a_run_imports_the_good_files_and_reports_the_others(project, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    write_jsonl(folder / "1-good.jsonl", [{"text": A, "spans": [span(A, "أبو قرين", "LOCATION")]}])
    write_jsonl(folder / "2-bad.jsonl", [{"text": B, "spans": [span(B, "برلين", "CITY")]}])
    write_jsonl(folder / "3-good.jsonl", [{"text": C, "spans": [span(C, "اللواء المجحفل 106", "ACTOR")]}])
    (folder / "notes.md").write_text("not read", encoding="utf-8")
    seen = []
    report = import_annotated(project, [folder], "jsonl", "Salma", progress=lambda d, n, p: seen.append((d, n)))
    assert len(report.imported) == 2 and report.spans == 2
    assert report.refused == [{"path": str(folder / "2-bad.jsonl"), "reason": report.refused[0]["reason"]}]
    assert "CITY" in report.refused[0]["reason"]
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)  # notes.md counts: it is passed over by name
    assert report.passed_over == [
        {"path": str(folder / "notes.md"), "reason": "a .md file: not a kind of file import reads"}
    ]
    assert "2 documents imported" in report.summary() and "1 file passed over" in report.summary()
    cancelled = import_annotated(project, [folder], "jsonl", "Omar", cancelled=lambda: True)
    assert cancelled.cancelled and cancelled.to_json()["cancelled"] and cancelled.spans == 0


# --- CoNLL ---------------------------------------------------------------------------------


def conll(sentences: list[list[tuple[str, str]]], sep: str = " ", extra: str = "") -> str:
    return "\n\n".join("\n".join(f"{tok}{sep}{extra}{tag}" for tok, tag in s) for s in sentences) + "\n"


S_A = [
    ("وأفادت", "O"),
    ("مصادر", "O"),
    ("ليبية", "O"),
    ("بمقتل", "B-CASUALTY"),
    ("أربعة", "I-CASUALTY"),
    ("من", "O"),
    ("قوات", "B-ACTOR"),
    ("حكومة", "I-ACTOR"),
    ("الوفاق", "I-ACTOR"),
    ("وإصابة", "B-CASUALTY"),
    ("18", "I-CASUALTY"),
    ("في", "O"),
    ("عملية", "O"),
    ("استعادة", "O"),
    ("أبو", "B-LOCATION"),
    ("قرين", "I-LOCATION"),
    ("،", "O"),
]
S_B = [("برلين", "B-LOCATION"), ("في", "O"), ("19", "B-DATE"), ("يناير", "I-DATE"), ("2019", "I-DATE"), (".", "O")]
S_C = [
    ("تتبع", "O"),
    ("اللواء", "B-ACTOR"),
    ("المجحفل", "I-ACTOR"),
    ("106", "I-ACTOR"),
    ("والكتيبة", "B-ACTOR"),
    ("107", "I-ACTOR"),
    ("الموالين", "O"),
    ("لـ", "O"),
    ('"', "O"),
    ("حفتر", "B-ACTOR"),
    ('"', "O"),
    ("،", "O"),
]


def entities(sentences) -> list[tuple[str, str]]:
    out = []
    for sentence in sentences:
        for tok, tag in sentence:
            if tag.startswith("B-"):
                out.append([tag[2:], [tok]])
            elif tag.startswith("I-"):
                out[-1][1].append(tok)
    return [(label, " ".join(toks)) for label, toks in out]


def test_conll_rebuilds_the_text_and_places_spans_on_the_tokens(project, tmp_path):
    path = tmp_path / "salma.conll"
    path.write_text(conll([S_A, S_B]) + "\n-DOCSTART- -X- O O\n\n" + conll([S_C], "\t", "NN\tB-NP\t"), encoding="utf-8")
    report = import_annotated(project, [path], "conll", "Salma")
    assert report.ok and report.imported == ["salma-1", "salma-2"]
    first = documents.get(project.db, "salma-1").text
    assert first == " ".join(t for t, _ in S_A) + "\n" + " ".join(t for t, _ in S_B)
    assert layer(project, "salma-1", "Salma") == entities([S_A, S_B])
    assert layer(project, "salma-2", "Salma") == entities([S_C])
    assert ("ACTOR", "اللواء المجحفل 106") in layer(project, "salma-2", "Salma")
    # Omar's tags of the same tokens join the same documents.
    omar = tmp_path / "omar.conll"
    tags = [[(t, "O") if g.endswith("ACTOR") else (t, g) for t, g in s] for s in (S_A, S_B)]
    omar.write_text(conll(tags), encoding="utf-8")
    report = import_annotated(project, [omar], "conll", "Omar")
    assert report.joined[0]["doc_id"] == "salma-1" and report.spans == 5
    assert layer(project, "salma-1", "Omar") == entities(tags)


def test_conll_iob1_and_i_without_b(project, tmp_path):
    # IOB1: I- opens an entity, B- only splits two adjacent entities of one label.
    tokens = [
        ("قوات", "I-ACTOR"),
        ("حفتر", "I-ACTOR"),
        ("قوات", "B-ACTOR"),
        ("الوفاق", "I-ACTOR"),
        ("في", "O"),
        ("طرابلس", "I-LOCATION"),
        ("بنغازي", "I-ACTOR"),
        ("و", "O"),
        ("سرت", "S-LOCATION"),
        ("مصراتة", "E-LOCATION"),
    ]
    path = tmp_path / "iob1.bio"
    path.write_text(conll([tokens]), encoding="utf-8")
    report = import_annotated(project, [path], "conll", "Salma")
    assert report.ok
    assert layer(project, report.imported[0], "Salma") == [
        ("ACTOR", "قوات حفتر"),
        ("ACTOR", "قوات الوفاق"),
        ("LOCATION", "طرابلس"),
        ("ACTOR", "بنغازي"),
        ("LOCATION", "سرت"),
        ("LOCATION", "مصراتة"),
    ]


def test_conll_refusals(project, project_path, snapshot, tmp_path):
    bad_tag = tmp_path / "bad.conll"
    bad_tag.write_text("قوات B-ACTOR\nحفتر X-ACTOR\n", encoding="utf-8")
    assert "line 2" in _refused(project, project_path, snapshot, [bad_tag], "conll")
    one_column = tmp_path / "one.conll"
    one_column.write_text("قوات B-ACTOR\nحفتر\n", encoding="utf-8")
    assert "line 2: expected a token and a tag" in _refused(project, project_path, snapshot, [one_column], "conll")
    unknown = tmp_path / "unknown.conll"
    unknown.write_text("قوات B-ORG\nحفتر I-ORG\nفي O\nليبيا B-GPE\n", encoding="utf-8")
    assert "GPE, ORG" in _refused(project, project_path, snapshot, [unknown], "conll")
    report = import_annotated(project, [unknown], "conll", "Salma", {"ORG": "ACTOR", "GPE": "LOCATION"})
    assert report.ok and layer(project, report.imported[0], "Salma") == [("ACTOR", "قوات حفتر"), ("LOCATION", "ليبيا")]


# --- brat ----------------------------------------------------------------------------------


def write_brat(folder: Path, stem: str, text: str, ann: str, newline: str = "\n", bom: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data = text.replace("\n", newline).encode("utf-8")
    (folder / f"{stem}.txt").write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    (folder / f"{stem}.ann").write_text(ann, encoding="utf-8")
    return folder / f"{stem}.ann"


def brat_ann(text: str, entries: list[tuple[str, str, int]], extra: str = "") -> str:
    lines = []
    for number, (label, needle, nth) in enumerate(entries, start=1):
        start, end = at(text, needle, nth)
        lines.append(f"T{number}\t{label} {start} {end}\t{text[start:end]}")
    return "\n".join(lines) + "\n" + extra


BRAT_ENTITIES = [
    ("CASUALTY", "مقتل أربعة", 1),
    ("ACTOR", "قوات حفتر", 1),
    ("DATE", "19 يناير 2019", 1),
    ("ACTOR", "اللواء المجحفل 106", 1),
]
BRAT_EXTRA = (
    "A1\tcount T1 4\nA2\tkind T1 killed\nA3\tapproximate T1\nM4\tvalue T3 2019-01-19\n"
    "#1\tAnnotatorNotes T2\tقوات حفتر = الجيش الوطني الليبي\nR1\tPart-of Arg1:T2 Arg2:T4\n"
    "E1\tAttack:T1\n*\tEquiv T2 T4\n"
)


def test_brat_with_attributes_notes_and_crlf_text(project, tmp_path):
    crlf = ARTICLE.replace("\n", "\r\n")
    # Counted by a tool that reads the bytes: a CRLF is two characters.
    salma = write_brat(tmp_path / "salma", "article", ARTICLE, brat_ann(crlf, BRAT_ENTITIES, BRAT_EXTRA), "\r\n")
    report = import_annotated(project, [salma], "brat", "Salma")
    assert report.ok and report.imported == ["article"] and report.spans == 4 and report.ignored == 3
    doc = documents.get(project.db, "article")
    assert doc.text == ARTICLE and doc.file_name == "article.txt"
    stored = {ARTICLE[s.start : s.end]: s for s in spans.for_document(project.db, "article", "Salma")}
    assert stored["مقتل أربعة"].attributes == {"count": 4, "kind": "killed", "approximate": True}
    assert stored["19 يناير 2019"].attributes == {"value": "2019-01-19"}
    assert stored["قوات حفتر"].note == "قوات حفتر = الجيش الوطني الليبي"
    # Counted by brat itself (universal newlines: a CRLF is one character), with a BOM in the file.
    omar = write_brat(tmp_path / "omar", "copy", ARTICLE, brat_ann(ARTICLE, BRAT_ENTITIES[:2]), "\r\n", bom=True)
    report = import_annotated(project, [omar.with_suffix(".txt")], "brat", "Omar")
    assert report.ok and report.joined[0]["doc_id"] == "article"
    assert layer(project, "article", "Omar") == [("CASUALTY", "مقتل أربعة"), ("ACTOR", "قوات حفتر")]
    # The BOM counted as a character (brat reads UTF-8 without stripping it).
    write_brat(tmp_path / "gold", "g", ARTICLE, brat_ann("\ufeff" + ARTICLE, BRAT_ENTITIES[2:]), bom=True)
    report = import_annotated(project, [tmp_path / "gold"], "brat", "gold")
    assert report.ok and layer(project, "article", GOLD) == [("DATE", "19 يناير 2019"), ("ACTOR", "اللواء المجحفل 106")]


def test_brat_notes_of_several_lines_and_the_unsure_flag(project, tmp_path):
    # As this project's brat export writes them: the attributes brat cannot hold as one JSON
    # note, the annotator's note one line each, the unsure flag as the binary attribute Unsure.
    extra = (
        "A1\tkind T1 killed\nA2\tUnsure T1\n"
        '#1\tAnnotatorNotes T1\t{"count": 4}\n'
        "#2\tAnnotatorNotes T1\tالعدد من بيان الوزارة\n#3\tAnnotatorNotes T1\tلم يؤكده مصدر آخر\n"
    )
    ann = write_brat(tmp_path / "n", "notes", ARTICLE, brat_ann(ARTICLE, BRAT_ENTITIES[:2], extra))
    report = import_annotated(project, [ann], "brat", "Salma")
    assert report.ok and report.spans == 2 and not report.ignored, report.refused
    stored = {ARTICLE[s.start : s.end]: s for s in spans.for_document(project.db, "notes", "Salma")}
    casualty = stored["مقتل أربعة"]
    assert casualty.attributes == {"count": 4, "kind": "killed"}
    assert casualty.note == "العدد من بيان الوزارة\nلم يؤكده مصدر آخر" and casualty.unsure is True
    assert stored["قوات حفتر"].note == "" and stored["قوات حفتر"].unsure is False


def test_brat_refusals(project, project_path, snapshot, tmp_path):
    start, end = at(ARTICLE, "أبو قرين")
    mismatch = write_brat(tmp_path / "m", "m", ARTICLE, f"T1\tLOCATION {start} {end + 1}\tأبو قرين\n")
    assert "«أبو قرين»" in _refused(project, project_path, snapshot, [mismatch], "brat")
    shifted = write_brat(tmp_path / "s", "s", ARTICLE, brat_ann(ARTICLE, BRAT_ENTITIES), "\r\n\r\n")
    assert "no reading fits" in _refused(project, project_path, snapshot, [shifted], "brat")
    (s1, e1), (s2, e2) = at(ARTICLE, "مقتل"), at(ARTICLE, "قوات")
    discontinuous = write_brat(tmp_path / "d", "d", ARTICLE, f"T1\tCASUALTY {s1} {e1};{s2} {e2}\tمقتل قوات\n")
    assert "discontinuous" in _refused(project, project_path, snapshot, [discontinuous], "brat")
    dangling = write_brat(tmp_path / "a", "a", ARTICLE, brat_ann(ARTICLE, BRAT_ENTITIES[:1], "A1\tkind T9 killed\n"))
    assert "T9" in _refused(project, project_path, snapshot, [dangling], "brat")
    unknown_attribute = write_brat(
        tmp_path / "u", "u", ARTICLE, brat_ann(ARTICLE, BRAT_ENTITIES[:1], "A1\tNegated T1\n")
    )
    assert "CASUALTY.Negated" in _refused(project, project_path, snapshot, [unknown_attribute], "brat")
    bad_value = write_brat(tmp_path / "v", "v", ARTICLE, brat_ann(ARTICLE, BRAT_ENTITIES[:1], "A1\tkind T1 dead\n"))
    assert "kind must be one of" in _refused(project, project_path, snapshot, [bad_value], "brat")
    empty = write_brat(tmp_path / "e", "e", "", "")
    assert "e.txt is empty" in _refused(project, project_path, snapshot, [empty], "brat")
    (tmp_path / "o").mkdir()
    (tmp_path / "o" / "orphan.txt").write_text(A, encoding="utf-8")
    assert "orphan.ann" in _refused(project, project_path, snapshot, [tmp_path / "o"], "brat")
    (tmp_path / "o" / "orphan.md").write_text(A, encoding="utf-8")
    assert "name either" in _refused(project, project_path, snapshot, [tmp_path / "o" / "orphan.md"], "brat")
    binary = write_brat(tmp_path / "b", "b", ARTICLE, "")
    binary.with_suffix(".txt").write_bytes(b"\x00\x01" * 50 + b"\xff" * 10)
    assert "binary" in _refused(project, project_path, snapshot, [binary], "brat")


def test_brat_fragments_over_a_line_break_are_one_span(project, tmp_path):
    # How brat (and this project's export) write a span over a line break.
    start, end = at(ARTICLE, "مسلحا من قوات حفتر لقوا مصرعهم.\nواستضافت العاصمة")
    middle = ARTICLE.index("\n", start)
    ann = f"T1\tACTOR {start} {middle};{middle + 1} {end}\t{ARTICLE[start:middle]} {ARTICLE[middle + 1 : end]}\n"
    report = import_annotated(project, [write_brat(tmp_path, "f", ARTICLE, ann)], "brat", "Salma")
    assert report.ok and layer(project, "f", "Salma") == [("ACTOR", ARTICLE[start:end])]


def test_brat_empty_ann_is_a_document_without_spans(project, tmp_path):
    path = write_brat(tmp_path / "x", "x", A, "")
    report = import_annotated(project, [path], "brat", "Salma")
    assert report.ok and report.imported == ["x"] and report.spans == 0
    assert status.get(project.db, "x", "Salma") == status.DONE


# --- offsets through normalisation ----------------------------------------------------------


def test_offsets_follow_normalisation():
    raw = "\ufeffقوات\r\nحفتر\u200b في \u0627\u0654جدابيا"
    text, offset = normalize_with_map(raw)
    assert text == normalize(raw) == "قوات\nحفتر في أجدابيا"
    assert text[offset(raw.index("حفتر")) : offset(raw.index("حفتر") + 4)] == "حفتر"
    assert offset(raw.index("\r\n") + 1) is None  # between CR and LF
    assert offset(raw.index("\u0654")) is None  # inside the composed أ
    assert text[offset(raw.index("\u0627\u0654")) : offset(len(raw))] == "أجدابيا"


_PIECES = st.sampled_from(
    [
        "ب",
        "ق",
        "\u064f",
        "\u0651",
        "\r\n",
        "\r",
        "\n",
        "\u200b",
        "\ufeff",
        "e",
        "\u0301",
        " ",
        "\u0627",
        "\u0654",
        "1",
        "،",
        "\u2028",
        "😀",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=30))
def test_offset_map_agrees_with_normalising_prefixes(pieces):
    raw = "".join(pieces)
    text, offset = normalize_with_map(raw)
    assert text == normalize(raw)
    assert offset(0) == 0 and offset(len(raw)) == len(text)
    boundaries = {m.end() for m in regex.finditer(r"\X", raw)}
    for i in sorted(boundaries):
        if offset(i) is not None:
            assert normalize(raw[:i]) == text[: offset(i)], (raw, i)


# --- round trips -----------------------------------------------------------------------------
# First with files written here (CRLF brat, CoNLL documents), then through workbench.core.export.

_WORDS = [
    "قوات",
    "حفتر",
    "بمقتل",
    "أربعة",
    "وإصابة",
    "18",
    "في",
    "طرابلس",
    "ببنغازي",
    "19",
    "يناير",
    "2019",
    "،",
    '"الوفاق"',
    "106",
    "مُسلحا",
    "اللواء",
    "المجحفل",
    "ليبيا",
    ".",
]
_LABELS = ["ACTOR", "LOCATION", "CASUALTY", "DATE"]


@st.composite
def annotated_docs(draw):
    docs = []
    for _ in range(draw(st.integers(1, 3))):
        sentences = draw(st.lists(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12), min_size=1, max_size=3))
        tagged = []
        for sentence in sentences:
            tags, i = ["O"] * len(sentence), 0
            while i < len(sentence):
                if draw(st.booleans()):
                    length = draw(st.integers(1, min(3, len(sentence) - i)))
                    label = draw(st.sampled_from(_LABELS))
                    tags[i : i + length] = [f"B-{label}"] + [f"I-{label}"] * (length - 1)
                    i += length
                i += 1
            tagged.append(list(zip(sentence, tags)))
        docs.append(tagged)
    return docs


def _text_and_spans(doc) -> tuple[str, list[tuple[int, int, str]]]:
    text, found = "", []
    for n, sentence in enumerate(doc):
        if n:
            text += "\n"
        for m, (tok, tag) in enumerate(sentence):
            if m:
                text += " "
            if tag.startswith("B-"):
                found.append([len(text), len(text) + len(tok), tag[2:]])
            elif tag.startswith("I-"):
                found[-1][1] = len(text) + len(tok)
            text += tok
    return text, [tuple(s) for s in found]


def _fresh(tmp: Path) -> Project:
    return Project.create(tmp / "p.wbproj")


def _project_spans(project: Project) -> set:
    out = set()
    for doc in documents.summaries(project.db):
        text = documents.get(project.db, doc.id).text
        for s in spans.for_document(project.db, doc.id, "Salma"):
            out.add((text, s.start, s.end, s.label))
    return out


_ROUND_TRIP = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_ROUND_TRIP
@given(annotated_docs(), st.booleans())
def test_round_trip_jsonl_and_brat(docs, crlf):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        expected, records = set(), []
        for n, doc in enumerate(docs):
            text, found = _text_and_spans(doc)
            text = f"{n}\n{text}"
            found = [(s + 2, e + 2, label) for s, e, label in found]
            expected |= {(text, s, e, label) for s, e, label in found}
            records.append(
                {
                    "id": f"d{n}",
                    "text": text,
                    "spans": [{"start": s, "end": e, "label": lab, "text": text[s:e]} for s, e, lab in found],
                }
            )
            raw = text.replace("\n", "\r\n") if crlf else text
            entries = []
            for number, (s, e, label) in enumerate(found, start=1):
                shift_s, shift_e = (text[:s].count("\n"), text[:e].count("\n")) if crlf else (0, 0)
                entries.append(f"T{number}\t{label} {s + shift_s} {e + shift_e}\t{text[s:e]}")
            write_brat(tmp / "brat", f"d{n}", raw, "\n".join(entries) + "\n", newline="\n")
        write_jsonl(tmp / "all.jsonl", records)
        for fmt, path in (("jsonl", tmp / "all.jsonl"), ("brat", tmp / "brat")):
            with _fresh(tmp / fmt) as project:
                report = import_annotated(project, [path], fmt, "Salma")
                assert report.ok, report.refused
                texts = {documents.get(project.db, d.id).text for d in documents.summaries(project.db)}
                assert texts == {r["text"] for r in records}
                assert _project_spans(project) == expected


@_ROUND_TRIP
@given(annotated_docs())
def test_round_trip_conll(docs):
    # A first token per document keeps their texts apart (a second copy would join the first).
    docs = [[[(f"d{n}", "O"), *doc[0]], *doc[1:]] for n, doc in enumerate(docs)]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = tmp / "train.conll"
        path.write_text("".join("-DOCSTART- O\n\n" + conll(doc) + "\n" for doc in docs), encoding="utf-8")
        with _fresh(tmp) as project:
            report = import_annotated(project, [path], "conll", "Salma")
            assert report.ok, report.refused
            assert report.imported == [f"train-{n + 1}" for n in range(len(docs))]
            for doc, doc_id in zip(docs, report.imported):
                text, found = _text_and_spans(doc)
                assert documents.get(project.db, doc_id).text == text
                assert layer(project, doc_id, "Salma") == entities(doc)
                assert [(s.start, s.end, s.label) for s in spans.for_document(project.db, doc_id, "Salma")] == found


_EXPORT_WORDS = [
    ("قوات", 0),
    ("حفتر", 0),
    ("بمقتل", 1),
    ("أربعة", 0),
    ("وإصابة", 1),
    ("18", 0),
    ("في", 0),
    ("طرابلس", 0),
    ("ببنغازي", 1),
    ("19", 0),
    ("يناير", 0),
    ("2019", 0),
    ("مُسلحا", 0),
    ("اللواء", 0),
    ("المجحفل", 0),
    ("106", 0),
    ("وطرابلس", 1),
    ("الوفاق", 0),
    ("Tripoli", 0),
    ("٣٠", 0),
]
_SEPARATORS = [" ", " ", " ", "، ", ". ", "\n", ' "', '" ', " (", ") "]
_ATTRIBUTES = {
    "ACTOR": st.fixed_dictionaries({}, optional={"canonical": st.sampled_from(["الجيش الوطني الليبي", "Haftar"])}),
    "LOCATION": st.fixed_dictionaries({}, optional={"canonical": st.sampled_from(["بنغازي", "Tripoli"])}),
    "CASUALTY": st.fixed_dictionaries(
        {},
        optional={
            "count": st.one_of(st.integers(0, 500), st.just([10, 15])),
            "kind": st.sampled_from(["killed", "injured", "captured"]),
            "approximate": st.booleans(),
        },
    ),
    "DATE": st.fixed_dictionaries(
        {},
        optional={"value": st.sampled_from(["2019-01-19", "2020-01"]), "precision": st.sampled_from(["day", "month"])},
    ),
}


@st.composite
def exported_documents(draw, nested: bool):
    """Documents (text, spans) as the editor makes them: spans on whole words, some after a
    proclitic (ب|مقتل), nested and overlapping ones unless ``nested`` is false."""
    docs = []
    for n in range(draw(st.integers(1, 3))):
        text, words = f"{n}", []
        for _ in range(draw(st.integers(1, 14))):
            text += draw(st.sampled_from(_SEPARATORS))
            word, cut = draw(st.sampled_from(_EXPORT_WORDS))
            words.append((len(text), len(text) + len(word), cut))
            text += word
        text += "."
        found = {}
        for _ in range(draw(st.integers(0, 6))):
            i = draw(st.integers(0, len(words) - 1))
            j = draw(st.integers(i, min(i + 3, len(words) - 1)))
            start = words[i][0] + (words[i][2] if draw(st.booleans()) else 0)
            label = draw(st.sampled_from(_LABELS))
            found.setdefault((start, words[j][1], label), draw(_ATTRIBUTES[label]))
        spans_ = sorted(found.items())
        if not nested:
            kept, last_end = [], -1
            for (start, end, label), attributes in spans_:
                if start >= last_end:
                    kept.append(((start, end, label), attributes))
                    last_end = end
            spans_ = kept
        docs.append((text, spans_))
    return docs


def _source_project(path: Path, docs) -> Project:
    project = Project.create(path)
    project.add_annotator("Salma")
    labels = project.labels()
    with project.transaction() as db:
        for text, found in docs:
            _, doc_id = documents.insert(db, documents.NewDocument(text=text, id_hint="doc"))
            checked = [
                spans.check(text, labels, spans.Span(doc_id, "Salma", s, e, label, attributes))
                for (s, e, label), attributes in found
            ]
            spans.insert_many(db, checked, "Salma")
            status.set_status(db, doc_id, "Salma", status.DONE, "Salma")
    return project


def _contents(project: Project, drop_false: bool = False) -> tuple[set, set]:
    texts, found = set(), set()
    for doc in documents.summaries(project.db):
        text = documents.get(project.db, doc.id).text
        texts.add(text)
        for s in spans.for_document(project.db, doc.id, "Salma"):
            attributes = {k: v for k, v in s.attributes.items() if not (drop_false and v is False)}
            found.add((text, s.start, s.end, s.label, json.dumps(attributes, sort_keys=True, ensure_ascii=False)))
    return texts, found


_EXPORT_ROUND_TRIP = settings(
    max_examples=int(os.environ.get("ROUND_TRIP_EXAMPLES", 40)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@_EXPORT_ROUND_TRIP
@given(exported_documents(nested=True))
def test_export_then_import_gives_back_documents_and_spans_jsonl_brat(docs):
    from workbench.core.export import ExportOptions, export

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with _source_project(tmp / "source.wbproj", docs) as source:
            want_texts, want = _contents(source)
            for fmt in ("jsonl", "brat"):
                export(source, ExportOptions(format=fmt, source="annotator:Salma", split=(100,)), tmp / fmt)
        for fmt, drop_false in (("jsonl", False), ("brat", True)):  # brat has no false attribute
            with Project.create(tmp / f"{fmt}.wbproj") as target:
                report = import_annotated(target, [tmp / fmt], fmt, "Salma")
                assert report.ok, report.refused
                texts, got = _contents(target, drop_false)
                assert texts == want_texts
                if drop_false:
                    want = {
                        (
                            t,
                            s,
                            e,
                            label,
                            json.dumps(
                                {k: v for k, v in json.loads(a).items() if v is not False},
                                sort_keys=True,
                                ensure_ascii=False,
                            ),
                        )
                        for t, s, e, label, a in want
                    }
                assert got == want


@_EXPORT_ROUND_TRIP
@given(exported_documents(nested=False))
def test_export_conll_then_import_gives_back_labels_and_covered_text(docs):
    from workbench.core.export import ExportOptions, export

    def sequences(project: Project) -> list:
        out = []
        for doc in documents.summaries(project.db):
            text = documents.get(project.db, doc.id).text
            out.append(
                tuple(
                    (s.label, "".join(text[s.start : s.end].split()))
                    for s in spans.for_document(project.db, doc.id, "Salma")
                )
            )
        return sorted(out)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with _source_project(tmp / "source.wbproj", docs) as source:
            want = sequences(source)
            export(source, ExportOptions(format="conll", source="annotator:Salma", split=(100,)), tmp / "conll")
        with Project.create(tmp / "target.wbproj") as target:
            report = import_annotated(target, [tmp / "conll" / "train.conll"], "conll", "Salma")
            assert report.ok, report.refused
            assert len(report.imported) == len(want)
            assert sequences(target) == want
