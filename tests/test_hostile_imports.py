"""Hostile input files given to ``import``: each is refused with a reason, at once, and the good files still arrive."""

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.core.annotated_import import import_annotated
from workbench.core.errors import RefusedInput
from workbench.core.importer import import_paths
from workbench.core.sources import InputFile, ReadOptions, read, read_bytes
from workbench.core.store import documents
from workbench.core.store.project import Project
from workbench.core.text.decoding import decode

ARABIC = "قتل أربعة في بنغازي وأصيب 18 آخرون في اشتباكات مع قوات حفتر"
PURE_ARABIC = "قتلأربعةفيبنغازي،وأصيبآخرونفياشتباكاتمعقواتحفتر" * 3  # no ASCII at all
BINARY_15 = b"\x00\x01\x02\xff\xfe binary"
HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652" * 20


def cli(db: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workbench.cli", "--db", str(db), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=60,
    )


def in_time(function, seconds: int = 20):
    """``function()``, failing the test (not hanging it) if it takes longer than ``seconds``."""

    def late(*_):
        raise TimeoutError("the import hangs")

    previous = signal.signal(signal.SIGALRM, late)
    signal.alarm(seconds)
    try:
        return function()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- 1. only regular files, size limit while reading ----------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_a_folder_is_refused_and_the_rest_imported(project_path, tmp_path):
    Project.create(project_path, name="t").close()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARABIC, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    (folder / "z.txt").write_text("أسر 30 من قوات حفتر", encoding="utf-8")
    result = cli(project_path, "import", folder, "--json")
    assert result.returncode == 2, result.stderr
    report = json.loads(result.stdout)
    assert report["imported"] == 2
    [refused] = report["refused"]
    assert refused["path"].endswith("pipe.txt") and "not a regular file" in refused["reason"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_explicitly_is_refused_at_once(project, tmp_path):
    os.mkfifo(tmp_path / "pipe.jsonl")
    os.mkfifo(tmp_path / "pipe.csv")
    os.mkfifo(tmp_path / "pipe.txt")
    paths = [tmp_path / "pipe.jsonl", tmp_path / "pipe.csv", tmp_path / "pipe.txt"]
    report = in_time(lambda: import_paths(project, paths))
    assert len(report.refused) == 3 and not report.imported
    assert all("not a regular file" in r["reason"] for r in report.refused)
    layer = in_time(lambda: import_annotated(project, [tmp_path / "pipe.jsonl"], "jsonl", "gold", {}))
    assert "not a regular file" in layer.refused[0]["reason"]
    assert documents.count(project.db) == 0


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_dev_zero_is_refused_at_once(project_path):
    Project.create(project_path, name="t").close()
    result = cli(project_path, "import", "/dev/zero")
    assert result.returncode == 2
    assert "not a regular file" in result.stderr and "Traceback" not in result.stderr
    with pytest.raises(RefusedInput, match="not a regular file"):
        list(read(InputFile("/dev/zero", "txt", "zero"), ReadOptions()))


def test_the_size_limit_is_enforced_while_reading(project, tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(("ب" * (600 * 1024)).encode("utf-8"))  # 1.2 MB
    with pytest.raises(RefusedInput, match="over the limit"):
        read_bytes(str(big), limit=1024 * 1024)
    assert len(read_bytes(str(big), limit=2 * 1024 * 1024)) == 1200 * 1024
    report = import_paths(project, [big], options=ReadOptions(max_document_bytes=1024 * 1024))
    assert "over the limit" in report.refused[0]["reason"] and not report.imported


# --- 2. no letters ---------------------------------------------------------------


def test_a_file_of_only_harakat_is_refused(project, project_path, tmp_path):
    path = tmp_path / "marks.txt"
    path.write_text(HARAKAT, encoding="utf-8")
    jsonl = tmp_path / "marks.jsonl"
    jsonl.write_text(json.dumps({"text": HARAKAT}) + "\n", encoding="utf-8")
    report = import_paths(project, [path, jsonl])
    assert len(report.refused) == 2 and all("no letters" in r["reason"] for r in report.refused)
    assert documents.count(project.db) == 0
    project.close()
    result = cli(project_path, "import", path)
    assert result.returncode == 2 and "no letters" in result.stderr


# --- 3. UTF-16 without BOM and without ASCII ----------------------------------------


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_pure_arabic_utf16_without_bom_is_decoded(project, tmp_path, codec):
    path = tmp_path / "pure.txt"
    path.write_bytes(PURE_ARABIC.encode(codec))
    assert decode(PURE_ARABIC.encode(codec)) == (PURE_ARABIC, codec)
    report = import_paths(project, [path])
    assert report.ok, report.refused
    doc = documents.get(project.db, report.imported[0])
    assert doc.text == PURE_ARABIC and doc.encoding == codec


def test_the_fifteen_byte_binary_and_random_bytes_stay_refused(project, project_path, tmp_path):
    with pytest.raises(RefusedInput, match="binary"):
        decode(BINARY_15)
    rng = random.Random(12)
    (tmp_path / "small.txt").write_bytes(BINARY_15)
    (tmp_path / "noise.txt").write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    # Bytes with 0x06 on every other position but nonsense around them are no text either.
    (tmp_path / "odd.txt").write_bytes(bytes(b for _ in range(200) for b in (rng.randrange(0x80, 0x100), 0x06)))
    report = import_paths(project, [tmp_path])
    assert not report.imported and len(report.refused) == 3
    assert all("binary" in r["reason"] or "not text" in r["reason"] for r in report.refused), report.refused
    project.close()
    result = cli(project_path, "import", tmp_path / "small.txt")
    assert result.returncode == 2 and "binary" in result.stderr


# --- 4. CSV with an unterminated quote ---------------------------------------------


def test_a_csv_with_an_unterminated_quote_is_refused_with_its_line(project, project_path, tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text(
        'id,text\n1,"قتل أربعة في بنغازي"\n2,"أسر 30 من قوات حفتر\n3,وصول تعزيزات إلى طرابلس\n4,اشتباكات\n',
        encoding="utf-8",
    )
    report = import_paths(project, [path])
    assert not report.imported
    [refused] = report.refused
    assert "line 3" in refused["reason"] and "quote" in refused["reason"]
    assert documents.count(project.db) == 0
    project.close()
    result = cli(project_path, "import", path)
    assert result.returncode == 2 and "line 3" in result.stderr


def test_a_csv_whose_quotes_close_still_imports(project, tmp_path):
    path = tmp_path / "fine.csv"
    path.write_text('id,text\n1,"قتل ""أربعة""\nفي بنغازي"\n2,أسر 30\n', encoding="utf-8")
    report = import_paths(project, [path])
    assert report.ok and len(report.imported) == 2


# --- 5. deeply nested JSON in a JSONL import -------------------------------------------


def _nested_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "lines"
    folder.mkdir()
    (folder / "a.jsonl").write_text(json.dumps({"text": ARABIC}, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "b.jsonl").write_text("[" * 100000 + "\n", encoding="utf-8")
    deep_meta = '{"text": "نص", "meta": {"x": ' + "[" * 5000 + "]" * 5000 + "}}\n"
    (folder / "c.jsonl").write_text(deep_meta, encoding="utf-8")
    (folder / "d.jsonl").write_text(
        json.dumps({"text": "أسر 30 من قوات حفتر"}, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return folder


def test_deeply_nested_jsonl_is_refused_and_the_folder_goes_on(project, project_path, tmp_path):
    folder = _nested_folder(tmp_path)
    report = import_paths(project, [folder])
    assert len(report.imported) == 2
    assert sorted(Path(r["path"]).name for r in report.refused) == ["b.jsonl", "c.jsonl"]
    assert all("nested too deeply" in r["reason"] for r in report.refused)
    gold = import_annotated(project, [folder], "jsonl", "gold", {})
    assert sorted(Path(r["path"]).name for r in gold.refused) == ["b.jsonl", "c.jsonl"]
    project.close()
    result = cli(project_path, "import", folder / "b.jsonl", "--annotator", "gold")
    assert result.returncode == 2 and "nested too deeply" in result.stderr
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
