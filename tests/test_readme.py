"""The README's command-line examples run as written, in order, in a fresh folder.

Each ```sh block after the first (the bootstrap commands) is taken from README.md and
run line by line with bash, with the test's `workbench-cli` first on PATH. What the
README leaves to the user between two blocks (the input files of the import example,
Omar doing what Salma does, annotating in the window) is done here with the CLI, and
every README line must exit 0.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.resources import sample_corpus_files

README = Path(__file__).resolve().parents[1] / "README.md"


def blocks() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S)[1:]:
        lines = [line.split("  #")[0].strip() for line in block.splitlines()]
        out.append([line for line in lines if line and not line.startswith("#")])
    return out


@pytest.fixture
def shell(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "less").write_text("#!/bin/sh\nexec cat\n")  # the README pipes `show` into a pager
    (bin_dir / "less").chmod(0o755)
    path = os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = {**os.environ, "PATH": path, "WORKBENCH_BIDI": "logical", "WORKBENCH_HOME": str(tmp_path / "home")}
    work = tmp_path / "work"
    work.mkdir()

    def run(line: str) -> str:
        result = subprocess.run(
            ["bash", "-o", "pipefail", "-c", line], cwd=work, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, f"README line failed: {line}\n{result.stdout}\n{result.stderr}"
        return result.stdout

    run.work = work  # type: ignore[attr-defined]
    return run


def _import_inputs(work: Path) -> None:
    files = sorted(sample_corpus_files())  # 000 ... 004: the README shows 002, an article of the folder
    (work / "articles").mkdir()
    for f in files[:3]:
        (work / "articles" / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    jsonl = {"id": "more-1", "title": "خبر", "text": files[3].read_text(encoding="utf-8")}
    (work / "more.jsonl").write_text(json.dumps(jsonl, ensure_ascii=False) + "\n", encoding="utf-8")
    csv_text = files[4].read_text(encoding="utf-8").replace('"', '""')
    (work / "table.csv").write_text(f'id,text\ntable-1,"{csv_text}"\n', encoding="utf-8")


def _annotate(run, copy: str, doc_id: str, text: str) -> None:
    """What an annotator does in the window: tag a few words of a shared document, mark it done."""
    for word, label in (("حفتر", "ACTOR"), ("طرابلس", "LOCATION")):
        start = text.index(word)
        run(f"workbench-cli --db {copy} span add {doc_id} {start} {start + len(word)} {label}")
    run(f"workbench-cli --db {copy} status {doc_id} done")


def test_the_readme_examples_run_as_written(shell):
    run, work = shell, shell.work
    import_block, values_block, team_block, agreement_block, export_block = blocks()

    _import_inputs(work)
    for line in import_block:
        run(line)
    listed = run("workbench-cli --db news.wbproj docs --json")
    assert len(json.loads(listed)) == 5  # three articles of the folder, one JSONL record, one CSV row

    suggested = json.loads(run(values_block[0]))
    assert {f["label"] for f in suggested["suggestions"]} >= {"DATE", "CASUALTY", "LOCATION"}
    run(values_block[1])

    for line in team_block:
        if "bundle import" in line:
            # Omar does what the README shows for Salma; both annotate a document they share.
            run("workbench-cli --db team.wbproj bundle export --annotator Omar -o omar.wbbundle")
            run("workbench-cli --db omar.wbproj bundle open omar.wbbundle")
            mine = {d["id"] for d in json.loads(run("workbench-cli --db salma.wbproj docs --json"))}
            theirs = {d["id"] for d in json.loads(run("workbench-cli --db omar.wbproj docs --json"))}
            shared = sorted(mine & theirs)
            assert shared, "k=2 of 3 annotators over 5 documents gives Salma and Omar a shared document"
            text = run(f"workbench-cli --db salma.wbproj show {shared[0]}")
            for copy in ("salma.wbproj", "omar.wbproj"):
                _annotate(run, copy, shared[0], text)
            run("workbench-cli --db salma.wbproj bundle work -o salma.wbwork")
            run("workbench-cli --db omar.wbproj bundle work -o omar.wbwork")
        run(line)

    for line in agreement_block:
        run(line)
    assert (work / "agreement.html").stat().st_size > 0

    # the files the import lines of the last block read: a CoNLL file and a brat folder
    (work / "salma.conll").write_text("قوات B-ACTOR\nحفتر I-ACTOR\nفي O\nطرابلس B-LOCATION\n\n", encoding="utf-8")
    (work / "brat").mkdir()
    brat_text = "قصف في طرابلس أمس"
    (work / "brat" / "news.txt").write_text(brat_text, encoding="utf-8")
    (work / "brat" / "news.ann").write_text("T1\tPER 7 13\tطرابلس\n", encoding="utf-8")
    for line in export_block:
        run(line)
    for folder in ("out/jsonl", "out/conll", "out/hf", "out/label-studio", "out/xmi"):
        assert (work / folder / "README.md").exists() and (work / folder / "manifest.json").exists()
