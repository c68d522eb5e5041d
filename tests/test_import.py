"""Import into a real project file: good files in, duplicates skipped, bad files refused unchanged."""

import codecs
import json

import arabic_reshaper
import pytest

from workbench.core.importer import import_paths
from workbench.core.sources import MB, ReadOptions
from workbench.core.store import documents
from workbench.core.text.normalise import content_hash, normalize


def test_sample_corpus_folder_imports_with_titles_hashes_and_encodings(project, corpus_files, corpus_texts):
    report = import_paths(project, [corpus_files[0].parent])
    assert len(report.imported) == 5 and report.ok and not report.duplicates
    rows = documents.summaries(project.db)
    assert [r.id for r in rows] == sorted(corpus_texts)
    doc = documents.get(project.db, "002_af682284de1024ff")
    assert doc.text == normalize(corpus_texts["002_af682284de1024ff"])
    assert doc.sha256 == content_hash(doc.text)
    assert doc.title == "مصدر بجيش حفتر يعترف بأسر 30 من قواته"
    assert doc.encoding == "utf-8" and doc.file_name == "002_af682284de1024ff.txt"
    assert rows[2].chars == len(doc.text)


def test_importing_again_creates_no_second_copy(project, corpus_files, tmp_path):
    import_paths(project, corpus_files)
    # The same article in another encoding and with CRLF is the same document.
    text = corpus_files[3].read_text(encoding="utf-8")
    copy = tmp_path / "copy.txt"
    copy.write_bytes(codecs.BOM_UTF16_LE + text.replace("\n", "\r\n").encode("utf-16-le"))
    report = import_paths(project, [*corpus_files, copy])
    assert report.imported == []
    assert len(report.duplicates) == 6
    assert report.duplicates[-1] == {"path": str(copy), "existing_id": corpus_files[3].stem}
    assert documents.count(project.db) == 5


def test_folders_are_read_recursively_and_same_names_get_distinct_ids(project, tmp_path):
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep" / "report.txt").write_text("قتل أربعة في بنغازي", encoding="utf-8")
    (tmp_path / "b" / "report.txt").write_text("أسر 30 من قوات حفتر", encoding="utf-8")
    (tmp_path / "b" / ".hidden.txt").write_text("مخفي", encoding="utf-8")
    (tmp_path / "b" / "image.png").write_bytes(b"\x89PNG\x00\x00")
    report = import_paths(project, [tmp_path])
    assert report.ok and len(report.imported) == 2
    assert set(report.imported) == {"a_deep_report", "b_report"}
    names = {documents.get(project.db, i).file_name for i in report.imported}
    assert names == {"a/deep/report.txt", "b/report.txt"}


def test_windows_1256_is_detected_and_recorded(project, tmp_path, corpus_texts):
    text = "".join(c for c in corpus_texts["004_81a9822a3aa30eff"] if c.encode("cp1256", errors="ignore"))
    path = tmp_path / "w.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode("cp1256"))
    report = import_paths(project, [path])
    doc = documents.get(project.db, report.imported[0])
    assert doc.encoding == "windows-1256"
    assert doc.text == normalize(text) and "\r" not in doc.text


def test_jsonl_with_ids_titles_dates_sources_and_meta(project, tmp_path):
    path = tmp_path / "docs.jsonl"
    lines = [
        {
            "id": "ly-1",
            "text": "قتل أربعة في بنغازي أمس الأربعاء",
            "title": "بنغازي",
            "date": "2019-01-19",
            "source": "libya24",
            "meta": {"url": "https://example.org/1"},
        },
        {"text": "وصلت تعزيزات إلى طرابلس يوم 12 جانفي", "date": "19 يناير 2019", "section": "local"},
    ]
    path.write_text("\n".join(json.dumps(lab, ensure_ascii=False) for lab in lines) + "\n\n", encoding="utf-8")
    report = import_paths(project, [path])
    assert report.ok and report.imported[0] == "ly-1"
    first = documents.get(project.db, "ly-1")
    assert (first.title, first.published, first.source) == ("بنغازي", "2019-01-19", "libya24")
    assert first.meta == {"url": "https://example.org/1"}
    second = documents.get(project.db, report.imported[1])
    assert second.published is None
    assert second.meta == {"date": "19 يناير 2019", "section": "local"}
    assert second.id == "docs-2"  # derived from the file name and line when no id is given


def test_csv_with_a_text_column_in_windows_1256(project, tmp_path):
    path = tmp_path / "news.csv"
    content = 'id,title,النص\r\nc1,"عنوان, بفاصلة","قتل أربعة\r\nفي سرت"\r\nc2,ثان,أسر 30 من قواته\r\n'
    path.write_bytes(content.encode("cp1256"))
    report = import_paths(project, [path], options=ReadOptions(text_column="النص"))
    assert report.ok and report.imported == ["c1", "c2"]
    doc = documents.get(project.db, "c1")
    assert doc.text == "قتل أربعة\nفي سرت" and doc.title == "عنوان, بفاصلة"
    assert doc.encoding == "windows-1256"


# --- bad input: a clear reason, and the database exactly as it was ---------------


def _refused_unchanged(project, project_path, snapshot, paths, options=ReadOptions()):
    import_paths(project, [])  # make sure nothing is pending
    before = snapshot(project_path)
    report = import_paths(project, paths, options=options)
    assert report.imported == [] and len(report.refused) == len(paths)
    assert snapshot(project_path) == before
    return [r["reason"] for r in report.refused]


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty"),
        (b"  \n\t\r\n  ", "only whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary"),
        (bytes(range(1, 9)) * 500, "binary"),
        ("ليبيا".encode().decode("cp1256").encode("utf-8") * 20, "garbled"),
        (arabic_reshaper.reshape("قتل أربعة في بنغازي " * 10).encode("utf-8"), "presentation forms"),
        (codecs.BOM_UTF8 + b"\xc3\x28 broken", "UTF-8 mark"),
    ],
    ids=["empty", "whitespace", "png", "controls", "mojibake", "presentation-forms", "bad-bom"],
)
def test_bad_text_files_are_refused(project, project_path, snapshot, tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    [message] = _refused_unchanged(project, project_path, snapshot, [path])
    assert reason in message


def test_a_file_over_the_size_limit_is_refused_before_reading(project, project_path, snapshot, tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("ليبيا " * 300_000, encoding="utf-8")  # about 3.3 MB
    [message] = _refused_unchanged(project, project_path, snapshot, [path], ReadOptions(max_document_bytes=2 * MB))
    assert "over the limit of 2 MB" in message


def test_jsonl_with_one_bad_line_imports_nothing_from_that_file(project, project_path, snapshot, tmp_path):
    path = tmp_path / "mixed.jsonl"
    good = json.dumps({"id": "ok-1", "text": "قتل أربعة في بنغازي"}, ensure_ascii=False)
    path.write_text(good + "\n" + '{"text": 5}\n', encoding="utf-8")
    [message] = _refused_unchanged(project, project_path, snapshot, [path])
    assert message.startswith("line 2:")
    assert documents.get(project.db, "ok-1") is None


@pytest.mark.parametrize(
    "content, reason",
    [
        (b'{"text": "\xd9\x84\xff"}\n', "not UTF-8"),
        (b'{"text": "abc"\n', "not valid JSON"),
        (b'["text"]\n', "JSON object"),
        (b"\n\n", "no JSON lines"),
        ('{"text": "ط¨ظ†ط؛ط§ط²ظٹ ط¨ظ†ط؛ط§ط²ظٹ ط¨ظ†ط؛ط§ط²ظٹ"}\n'.encode(), "garbled"),
        ('{"text": "قتل", "meta": [1]}\n'.encode(), "meta"),
    ],
)
def test_bad_jsonl_is_refused(project, project_path, snapshot, tmp_path, content, reason):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    [message] = _refused_unchanged(project, project_path, snapshot, [path])
    assert reason in message


def test_a_jsonl_id_already_used_by_another_text_is_refused(project, project_path, snapshot, tmp_path):
    first = tmp_path / "one.jsonl"
    first.write_text('{"id": "x", "text": "قتل أربعة"}\n', encoding="utf-8")
    assert import_paths(project, [first]).ok
    second = tmp_path / "two.jsonl"
    second.write_text('{"id": "y", "text": "أسر 30"}\n{"id": "x", "text": "نص آخر"}\n', encoding="utf-8")
    [message] = _refused_unchanged(project, project_path, snapshot, [second])
    assert "already used" in message


def test_csv_without_the_text_column_is_refused(project, project_path, snapshot, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id,body\n1,قتل أربعة\n", encoding="utf-8")
    [message] = _refused_unchanged(project, project_path, snapshot, [path])
    assert "no column 'text'" in message and "body" in message


def test_missing_path_is_refused(project, project_path, snapshot, tmp_path):
    [message] = _refused_unchanged(project, project_path, snapshot, [tmp_path / "nope.txt"])
    assert "no such file" in message


def test_a_run_imports_the_good_files_and_reports_the_bad(project, tmp_path, corpus_files):
    bad = str(tmp_path / "empty.txt")
    open(bad, "wb").close()
    report = import_paths(project, [corpus_files[0], bad, corpus_files[1]])
    assert len(report.imported) == 2
    assert report.to_json() == {
        "imported": 2,
        "duplicates": [],
        "refused": [{"path": str(bad), "reason": "the file is empty"}],
    }


def test_progress_is_reported_and_cancel_keeps_whole_files(project, corpus_files):
    seen = []
    calls = iter(range(100))
    report = import_paths(
        project,
        corpus_files,
        progress=lambda done, total, current: seen.append((done, total)),
        cancelled=lambda: next(calls) >= 3,
    )
    assert report.cancelled and len(report.imported) == 3
    assert seen == [(0, 5), (1, 5), (2, 5)]
    assert documents.count(project.db) == 3
