"""Label Studio's JSON, both ways: export then import gives the same documents and spans; real
Label Studio files import; the export has the shape Label Studio's task import documents;
a Label Studio file given to another reader is refused saying what it is."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.annotated_import import import_annotated
from workbench.core.annotated_import import label_studio as reader
from workbench.core.annotated_import.sniff import looks_like
from workbench.core.errors import RefusedInput
from workbench.core.export import run as export_run
from workbench.core.export.alignment import tag_names
from workbench.core.export.base import Context
from workbench.core.export.label_studio import LabelStudioWriter
from workbench.core.export.layers import SourceDocument
from workbench.core.export.options import ExportOptions
from workbench.core.export.run import export
from workbench.core.export.tokens import tokenize
from workbench.core.importer import import_paths
from workbench.core.sources import InputFile, ReadOptions
from workbench.core.store import spans as span_store
from workbench.core.store import status as status_store
from workbench.core.store.labels import DEFAULT_LABELS, validate_attributes
from workbench.core.store.project import GOLD, Project
from workbench.core.store.spans import Span
from workbench.core.text.normalise import normalize
from workbench.core.text.utf16 import Utf16Map

DATA = Path(__file__).parent / "data" / "formats" / "label_studio"
SALMA = "Salma"

DOCUMENTS = [
    {
        "id": "libya-001",
        "title": "اشتباكات في بنغازي",
        "date": "2024-03-03",
        "source": "وكالة الأنباء",
        "text": "قالت قوات حفتر إنها سيطرت على مطار بنغازي بعد اشتباكات ببنغازي أسفرت عن مقتل 12 مقاتلا "
        "وإصابة 10-15 آخرين يوم 3 مارس 2024.",
    },
    {
        "id": "libya-002",
        "title": "𝕏 منشور",
        "text": "🛬 وصلت طائرة إلى مطار معيتيقة 𝕏  وقال المتحدث\nإن 5 مدنيين أصيبوا في طرابلس 😢 صباح الأحد.",
    },
    {"id": "libya-003", "title": "بلا كيانات", "text": "لم يرد في هذا الخبر أي اسم."},
]


def _find(text: str, piece: str, nth: int = 1) -> tuple[int, int]:
    found = [m.span() for m in regex.finditer(regex.escape(piece), text)]
    return found[nth - 1]


def _spans(texts: dict[str, str]) -> dict[str, list[tuple]]:
    one, two = texts["libya-001"], texts["libya-002"]
    return {
        "libya-001": [
            (*_find(one, "قوات حفتر"), "ACTOR", {"canonical": "Libyan National Army"}, "", False),
            (*_find(one, "حفتر"), "ACTOR", {}, "nested in the army", False),
            (*_find(one, "بنغازي"), "LOCATION", {"canonical": "Benghazi"}, "", False),
            (_find(one, "ببنغازي")[0] + 1, _find(one, "ببنغازي")[1], "LOCATION", {}, "", True),  # a proclitic
            (*_find(one, "مقتل 12"), "CASUALTY", {"count": 12, "kind": "killed", "approximate": False}, "", False),
            (
                *_find(one, "إصابة 10-15"),
                "CASUALTY",
                {"count": "10-15", "kind": "injured", "approximate": True},
                "",
                False,
            ),
            (*_find(one, "3 مارس 2024"), "DATE", {"value": "2024-03-03", "precision": "day"}, "", False),
        ],
        "libya-002": [
            (*_find(two, "مطار معيتيقة"), "LOCATION", {"canonical": "Mitiga Airport"}, "", False),
            (*_find(two, "5 مدنيين"), "CASUALTY", {"count": 5, "kind": "injured"}, "ملاحظة\nمن سطرين", False),
            (*_find(two, "طرابلس"), "LOCATION", {}, "", False),
        ],
        "libya-003": [],
    }


@dataclass
class Built:
    project: Project
    texts: dict[str, str]
    spans: dict[str, list[tuple]]


def build(path: Path) -> Built:
    """A project whose gold and Salma's layer hold the spans above (gold: all three documents,
    the last adjudicated to no spans; Salma: the first two)."""
    project = Project.create(path, name="formats")
    project.add_annotator(SALMA)
    source = path.parent / "documents.jsonl"
    source.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DOCUMENTS), encoding="utf-8")
    assert len(import_paths(project, [source]).imported) == 3
    texts = dict(project.db.execute("SELECT id, text FROM documents").fetchall())
    spans = _spans(texts)
    labels = project.labels()
    rows = []
    for layer, docs in ((GOLD, list(spans)), (SALMA, ["libya-001", "libya-002"])):
        for doc_id in docs:
            for s, e, label, attributes, note, unsure in spans[doc_id]:
                rows.append(
                    span_store.check(texts[doc_id], labels, Span(doc_id, layer, s, e, label, attributes, note, unsure))
                )
    with project.transaction() as db:
        span_store.insert_many(db, rows, "lead")
        for doc_id in spans:
            status_store.set_status(db, doc_id, GOLD, "done", "lead")
    return Built(project, texts, spans)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    made = build(tmp_path_factory.mktemp("ls-source") / "source.wbproj")
    yield made
    made.project.close()


def layer_rows(project: Project, layer: str, with_marks: bool = True) -> set[tuple]:
    rows = project.db.execute(
        'SELECT doc_id, start, "end", label, attributes, note, unsure FROM spans WHERE annotator = ?', [layer]
    ).fetchall()
    return {
        (d, s, e, label, json.dumps(json.loads(a or "{}"), sort_keys=True), *((n, bool(u)) if with_marks else ()))
        for d, s, e, label, a, n, u in rows
    }


def document_rows(project: Project) -> set[tuple]:
    return set(project.db.execute("SELECT id, text, title, source, published FROM documents").fetchall())


MARKS = hasattr(export_run, "marks_of")  # notes and unsure flags reach the writers


@pytest.mark.parametrize("source, layer", [("gold", GOLD), (f"annotator:{SALMA}", SALMA)])
def test_export_then_import_gives_the_same_documents_spans_and_attributes(built, tmp_path, source, layer):
    out = tmp_path / "ls"
    export(built.project, ExportOptions(format="label-studio", source=source, split=(100,)), out)
    tasks = json.loads((out / "train.json").read_text(encoding="utf-8"))
    assert all(task["annotations"][0]["ground_truth"] is (layer == GOLD) for task in tasks)
    again = Project.create(tmp_path / "again.wbproj", name="again")
    report = import_annotated(again, [out / "train.json"], "label-studio", layer)
    assert report.ok and report.ignored == 0, report.to_json()
    exported = {
        doc_id
        for (doc_id,) in built.project.db.execute("SELECT DISTINCT doc_id FROM spans WHERE annotator = ?", [layer])
    }
    assert {row[0] for row in document_rows(again)} >= exported
    assert document_rows(again) <= document_rows(built.project)
    assert layer_rows(again, layer, MARKS) == layer_rows(built.project, layer, MARKS)
    again.close()


def test_the_export_is_a_task_list_label_studio_imports(built, tmp_path):
    """Checked against Label Studio's documented task import format (docs: "Label Studio JSON
    format of annotated tasks"; the serializer accepts ``completed_by`` only as a known user):
    fields and types, one region per span, per-region results tied by the region's id, and a
    labeling config naming every from_name the results use."""
    out = tmp_path / "ls"
    export(built.project, ExportOptions(format="label-studio", split=(100,)), out)
    tasks = json.loads((out / "train.json").read_text(encoding="utf-8"))
    config = (out / "label_config.xml").read_text(encoding="utf-8")
    names = set(regex.findall(r' name="([^"]+)"', config))
    assert isinstance(tasks, list) and len(tasks) == 3
    for task in tasks:
        assert set(task) <= {"data", "meta", "annotations", "predictions"}
        assert isinstance(task["data"]["text"], str) and isinstance(task["meta"], dict)
        text = task["data"]["text"]
        (annotation,) = task["annotations"]
        assert set(annotation) <= {"result", "ground_truth", "was_cancelled", "lead_time", "completed_by"}
        assert "completed_by" not in annotation  # Label Studio refuses an unknown user
        regions = {}
        for item in annotation["result"]:
            assert set(item) == {"id", "from_name", "to_name", "type", "value", "origin"}
            assert item["to_name"] == "text" and item["from_name"] in names and item["origin"] == "manual"
            value = item["value"]
            assert type(value["start"]) is int and type(value["end"]) is int
            if item["type"] != "textarea":  # a per-region textarea's "text" is what was typed
                assert text[value["start"] : value["end"]] == value["text"]
            if item["type"] == "labels":
                assert item["from_name"] == "label" and len(value["labels"]) == 1
                regions.setdefault(item["id"], value)
            else:
                assert item["type"] in {"choices", "number", "textarea"}
                assert regions[item["id"]]["start"] == value["start"]  # tied to its region
                key = {"choices": "choices", "number": "number", "textarea": "text"}[item["type"]]
                assert isinstance(value[key], list if key != "number" else (int, float))
        spans = built.spans[task["data"]["doc_id"]]
        assert sorted((v["start"], v["end"], v["labels"][0]) for v in regions.values()) == sorted(s[:3] for s in spans)
    assert '<Text name="text" value="$text"/>' in config and '<Label value="CASUALTY"' in config


def test_real_label_studio_export_imports_and_counts_what_it_does_not_hold(tmp_path):
    project = Project.create(tmp_path / "p.wbproj", name="p")
    report = import_annotated(project, [DATA / "converter_csv_test.json"], "label-studio", "hakan")
    assert report.ok and len(report.imported) == 2 and report.spans == 0
    assert report.ignored_kinds == {"predictions": 2, "rectanglelabels results": 3}
    meta = json.loads(project.db.execute("SELECT meta FROM documents ORDER BY id LIMIT 1").fetchone()[0])
    assert meta["label_studio_id"] in (1, 2) and meta["image"].startswith("https://")


def test_an_export_from_before_code_points_is_read_at_the_utf16_offsets(tmp_path):
    # Label Studio issue #1347: 💩This is an annotation., "annotation" at 13-23 in UTF-16 units.
    project = Project.create(tmp_path / "p.wbproj", name="p")
    report = import_annotated(
        project, [DATA / "issue_1347_json_min.json"], "label-studio", "a", {"Annotation": "ACTOR"}
    )
    assert report.ok and report.spans == 1
    (text,) = project.db.execute("SELECT text FROM documents").fetchone()
    start, end = project.db.execute('SELECT start, "end" FROM spans').fetchone()
    assert (start, end) == (12, 22) and text[start:end] == "annotation"


def test_several_annotators_refuse_the_file_or_take_the_layers_one(tmp_path):
    path = DATA / "arabic_two_annotators.json"
    project = Project.create(tmp_path / "p.wbproj", name="p")
    report = import_annotated(project, [path], "label-studio", "Nobody")
    assert not report.ok and report.imported == []
    reason = report.refused[0]["reason"]
    assert "omar@example.org, salma@example.org" in reason and "Nobody" in reason
    # The pipeline tells the reader the layer (--annotator): Salma's annotations are hers.
    taken = import_annotated(project, [path], "label-studio", "Salma")
    assert taken.ok and len(taken.imported) == 2 and taken.ignored_kinds["other annotators' annotations"] == 1
    unit = InputFile(str(path), "label-studio", path.name)
    read = reader.read(unit, ReadOptions(annotator="salma"))
    first, second = read.documents
    assert {(s.label, s.attributes.get("kind"), s.attributes.get("count")) for s in first.spans} >= {
        ("CASUALTY", "killed", 12)
    }
    assert [s.note for s in first.spans if s.label == "CASUALTY"] == ["العدد من بيان الوزارة"]
    assert read.ignored_kinds == {
        "predictions": 1,
        "cancelled annotations": 1,
        "other annotators' annotations": 1,
        "relations": 1,
        "choices results": 1,  # the task-level topic: no region has its id
    }
    assert first.document.meta["source_url"] == "https://example.org/news/1"
    with pytest.raises(
        RefusedInput, match="not exactly one of them is marked ground_truth"
    ):  # no ground truth on task 1
        reader.read(unit, ReadOptions(annotator=GOLD))
    with pytest.raises(RefusedInput, match="none of them is Nobody's"):
        reader.read(unit, ReadOptions(annotator="Nobody"))


def test_tasks_whose_text_is_a_link_or_missing_are_refused(tmp_path):
    project = Project.create(tmp_path / "p.wbproj", name="p")
    for data, said in (
        ({"text": "s3://bucket/news/libya-001.txt"}, "data.text is a link (s3://bucket/news/libya-001.txt)"),
        ({"article": "نص الخبر"}, 'task 1: "data" has no "text" string (its fields: article)'),
    ):
        path = tmp_path / "tasks.json"
        path.write_text(json.dumps([{"data": data, "annotations": []}], ensure_ascii=False), encoding="utf-8")
        (refused,) = import_annotated(project, [path], "label-studio", SALMA).refused
        assert said in refused["reason"]


def test_json_min_imports(tmp_path):
    project = Project.create(tmp_path / "p.wbproj", name="p")
    report = import_annotated(project, [DATA / "arabic_json_min.json"], "label-studio", "Salma")
    assert report.ok and len(report.imported) == 2 and report.spans == 3
    covered = {
        text[s:e]
        for text, s, e in project.db.execute(
            'SELECT d.text, s.start, s."end" FROM spans s JOIN documents d ON d.id = s.doc_id'
        )
    }
    assert covered == {"وزارة الصحة", "طرابلس", "بنغازي"}


def test_label_studio_files_given_to_other_readers_are_refused_saying_what_they_are(tmp_path):
    project = Project.create(tmp_path / "p.wbproj", name="p")
    for name in ("arabic_two_annotators.json", "arabic_json_min.json", "converter_csv_test.json"):
        for fmt in ("jsonl", "prodigy"):
            report = import_annotated(project, [DATA / name], fmt, "Salma")
            assert report.refused == [
                {
                    "path": str(DATA / name),
                    "reason": f"{name} looks like a Label Studio export: import it with "
                    f"'workbench-cli import {name} --format label-studio --annotator NAME'",
                }
            ]
    one_line = tmp_path / "tasks.jsonl"  # the tasks as JSON Lines
    tasks = json.loads((DATA / "arabic_json_min.json").read_text(encoding="utf-8"))
    one_line.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in tasks), encoding="utf-8")
    assert (
        "looks like a Label Studio export" in import_annotated(project, [one_line], "jsonl", "S").refused[0]["reason"]
    )
    assert import_annotated(project, [one_line], "label-studio", "S").ok  # which the reader reads
    assert looks_like({"text": "نص", "spans": [{"start": 0, "end": 1, "label": "ACTOR"}]}) is None  # ours


ARABIC = st.text(alphabet=st.sampled_from("بنغازيطرابلس قوات حفتر،"), min_size=1, max_size=12)
ASTRAL = st.sampled_from(["😢", "𝕏", "🛬", "𓂀"])


@settings(max_examples=60, deadline=None)
@given(pieces=st.lists(st.tuples(ARABIC, st.one_of(st.just(""), ASTRAL)), min_size=1, max_size=6), data=st.data())
def test_offsets_round_trip_in_code_points_and_old_utf16_exports(pieces, data, tmp_path_factory):
    text = "".join(a + b for a, b in pieces) + " نهاية"
    words = [m.span() for m in regex.finditer(r"[^\s،]+", text)]
    start, end = data.draw(st.sampled_from(words))
    utf16 = Utf16Map(text)
    folder = tmp_path_factory.mktemp("ls-hyp")
    for offsets in ((start, end), (utf16.to_utf16(start), utf16.to_utf16(end))):
        task = {
            "data": {"text": text},
            "annotations": [
                {
                    "result": [
                        {
                            "id": "r1",
                            "type": "labels",
                            "from_name": "label",
                            "to_name": "text",
                            "value": {
                                "start": offsets[0],
                                "end": offsets[1],
                                "text": text[start:end],
                                "labels": ["ACTOR"],
                            },
                        }
                    ]
                }
            ],
        }
        path = folder / "t.json"
        path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
        (document,) = reader.read(InputFile(str(path), "label-studio", "t.json")).documents
        (span,) = document.spans
        if offsets != (start, end) and text[offsets[0] : offsets[1]] == text[start:end]:
            # An old UTF-16 export whose offsets, read as code points, find the same text (the same
            # word further on): one span cannot tell the two readings apart, and the stated text is
            # at the offsets as they are, so they are read as code points (the module's rule;
            # found by hypothesis: "،😢،ا،😢،ا،ا نهاية", the "ا" at 7, UTF-16 9).
            assert (span.start, span.end) == offsets
        else:
            assert (span.start, span.end) == (start, end)


def _region(start: int, end: int, text: str, label: str = "ACTOR") -> dict:
    return {
        "id": f"r{start}",
        "type": "labels",
        "from_name": "label",
        "to_name": "text",
        "value": {"start": start, "end": end, "text": text, "labels": [label]},
    }


def test_an_old_utf16_export_is_read_in_utf16_units_throughout_once_a_region_shows_it(tmp_path):
    """The second task's region reads the same word at its offsets as code points and as UTF-16
    units; alone it cannot tell, but the first task's region can only be read in UTF-16 units:
    the file was exported before 2022, and the second region is read in UTF-16 units too."""
    from workbench.core.text.utf16 import Utf16Map

    first = "😢 قصف 😢 في طرابلس"
    second = "😢😢 ا ا نهاية"  # the second "ا" is 2 code points after the first: the emojis' extra units
    word = first.index("طرابلس")
    a = second.index("ا")  # the "ا" the region means; its UTF-16 offsets, read as code points, find the other
    u1, u2 = Utf16Map(first), Utf16Map(second)
    assert second[u2.to_utf16(a) : u2.to_utf16(a) + 1] == "ا"  # (read as code points: the same word)
    tasks = [
        {
            "data": {"text": first},
            "annotations": [{"result": [_region(u1.to_utf16(word), u1.to_utf16(word + 6), "طرابلس", "LOCATION")]}],
        },
        {"data": {"text": second}, "annotations": [{"result": [_region(u2.to_utf16(a), u2.to_utf16(a + 1), "ا")]}]},
    ]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    one, two = reader.read(InputFile(str(path), "label-studio", "old.json")).documents
    assert [(s.start, s.end) for s in one.spans] == [(word, word + 6)]
    assert [(s.start, s.end) for s in two.spans] == [(a, a + 1)]
    # Alone, the second task is read as code points: one region cannot tell.
    path.write_text(json.dumps(tasks[1:], ensure_ascii=False), encoding="utf-8")
    (alone,) = reader.read(InputFile(str(path), "label-studio", "old.json")).documents
    assert [(s.start, s.end) for s in alone.spans] == [(u2.to_utf16(a), u2.to_utf16(a) + 1)]


# --- writer then reader, without a project: any Arabic text, characters beyond U+FFFF ------------

LABELS = {label.name: label for label in DEFAULT_LABELS}
ATTRIBUTES = {
    "ACTOR": st.fixed_dictionaries({}, optional={"canonical": st.sampled_from(["قوات حفتر", "Libyan National Army"])}),
    "LOCATION": st.fixed_dictionaries({}, optional={"canonical": st.sampled_from(["طرابلس", "Benghazi"])}),
    "CASUALTY": st.fixed_dictionaries(
        {},
        optional={
            "count": st.one_of(st.integers(0, 500), st.just([10, 15])),
            "kind": st.sampled_from(["killed", "injured"]),
            "approximate": st.booleans(),
        },
    ),
    "DATE": st.fixed_dictionaries({}, optional={"value": st.just("2024-03-03"), "precision": st.just("day")}),
}
WORD = st.sampled_from(["قوات", "حفتر", "ببنغازي", "طرابلس", "مقتل", "12", "😢", "𝕏", "،", "مُسلّحين"])
SPACE = st.sampled_from([" ", "  ", "\n"])


@st.composite
def documents(draw):
    pieces = draw(st.lists(st.tuples(WORD, SPACE), min_size=1, max_size=10))
    text = normalize("قالت " + "".join(w + s for w, s in pieces).strip())  # stored texts are normalised
    words = [m.span() for m in regex.finditer(r"\S+", text)]
    spans = []
    for _ in range(draw(st.integers(0, 4))):
        first = draw(st.integers(0, len(words) - 1))
        last = draw(st.integers(first, min(first + 2, len(words) - 1)))
        label = draw(st.sampled_from(sorted(ATTRIBUTES)))
        attributes = draw(ATTRIBUTES[label])
        spans.append((words[first][0], words[last][1], label, json.dumps(attributes, ensure_ascii=False) or None))
    return text, sorted(set(spans))


def canonical(label: str, attributes: dict) -> str:
    return json.dumps(validate_attributes(LABELS[label], attributes), sort_keys=True)


def written_and_read(fmt: str, writer_class, text: str, spans: list, folder: Path, layer: str = "gold"):
    """The spans as written by the writer and read back by the reader of ``fmt``."""
    context = Context(tuple(LABELS), tuple(tag_names(list(LABELS))), DEFAULT_LABELS, "split")
    writer = writer_class(folder, ("train",), context)
    found = tokenize(text)
    view = SimpleNamespace(starts=np.array([s for s, _ in found]), ends=np.array([e for _, e in found]))
    doc = SourceDocument("d-1", text, "0" * 64, {"title": "عنوان", "layer": layer}, layer, spans)
    writer.write("train", doc, view)
    files = writer.close()
    name = next(f for f in files if f.startswith("train"))
    read = import_module(f"workbench.core.annotated_import.{fmt}").read(InputFile(str(folder / name), fmt, name))
    (document,) = read.documents
    assert document.document.text == text and document.document.id == "d-1" and document.document.title == "عنوان"
    return sorted({(s.start, s.end, s.label, canonical(s.label, s.attributes)) for s in document.spans}), sorted(
        {(s, e, label, canonical(label, json.loads(a or "{}"))) for s, e, label, a in spans}
    )


@settings(max_examples=40, deadline=None)
@given(document=documents())
def test_any_document_goes_through_writer_and_reader_unchanged(document, tmp_path_factory):
    text, spans = document
    read, written = written_and_read(
        "label_studio", LabelStudioWriter, text, spans, tmp_path_factory.mktemp("ls-round")
    )
    assert read == written


def test_suggestions_are_exported_as_predictions_label_studio_shows_as_pre_annotations(built, tmp_path):
    """`export --format label-studio --predictions`: each task gets one prediction whose results
    are the document's suggestions (the rules and names for gold; what gold has is left out),
    each with its score; the import reads the annotations and counts the predictions."""
    from click.testing import CliRunner

    from workbench.cli import cli
    from workbench.core import intents, suggestions

    out = tmp_path / "ls"
    predict = intents.export_predictions(built.project, "gold")
    export(built.project, ExportOptions(format="label-studio", split=(100,)), out, predictions=predict)
    tasks = json.loads((out / "train.json").read_text(encoding="utf-8"))
    config = (out / "label_config.xml").read_text(encoding="utf-8")
    names = set(regex.findall(r' name="([^"]+)"', config))
    with_predictions = [task for task in tasks if "predictions" in task]
    assert with_predictions, "the articles hold dates and casualty counts the rules suggest"
    for task in with_predictions:
        text = task["data"]["text"]
        (prediction,) = task["predictions"]
        assert prediction["model_version"] == "workbench-suggestions" and 0 < prediction["score"] <= 1
        gold = {(s[1], s[2], s[3]) for s in layer_rows(built.project, GOLD, False) if s[0] == task["data"]["doc_id"]}
        expected = suggestions.offered(
            built.project, task["data"]["doc_id"], GOLD, suggestions.proposals(built.project, task["data"]["doc_id"])
        )
        labels = [r for r in prediction["result"] if r["type"] == "labels"]
        assert [(r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]) for r in labels] == [
            (f.start, f.end, f.label) for f in expected
        ]
        for item in prediction["result"]:
            assert item["origin"] == "prediction" and 0 < item["score"] <= 1 and item["from_name"] in names
            assert text[item["value"]["start"] : item["value"]["end"]] == item["value"]["text"]
            assert (item["value"]["start"], item["value"]["end"], item["value"].get("labels", [None])[0]) not in gold
    again = Project.create(tmp_path / "again.wbproj", name="again")
    report = import_annotated(again, [out / "train.json"], "label-studio", GOLD)
    assert report.ok and report.ignored_kinds.get("predictions") == len(with_predictions)
    # A format without a place for them refuses, before anything is written.
    with pytest.raises(export_run.ExportError, match="only label-studio"):
        export(built.project, ExportOptions(format="jsonl", split=(100,)), tmp_path / "j", predictions=predict)
    assert not (tmp_path / "j").exists()
    # The command line wires the same (reading: the file stays open here too).
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            str(built.project.path),
            "export",
            "--format",
            "label-studio",
            "--predictions",
            "-o",
            str(tmp_path / "c"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert any("predictions" in t for t in json.loads((tmp_path / "c" / "train.json").read_text(encoding="utf-8")))
