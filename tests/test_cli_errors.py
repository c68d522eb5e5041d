"""Every command of workbench-cli, fed bad arguments and bad files: it exits non-zero with a sentence on stderr, never a Python traceback, and the
project is left as it was.

The table below has cases for every command of the click group, found by walking it: a new
command without a bad-input case fails :func:`test_every_command_has_bad_input_cases`.
Each case runs in this process through click (as ``main()`` runs it, an escaping exception
failing the case); a sample of them also runs in a real process.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from workbench.cli import cli

DOC = "001_6c20427af2e36eef"
SENTENCE = re.compile(r"^(Error|refused): .*\w+ \w+", re.M)


@dataclass(frozen=True)
class Case:
    """``workbench-cli --db DB *path *args``; ``{name}`` in an argument is a file of :func:`inputs`."""

    id: str
    path: tuple[str, ...]
    args: tuple[str, ...] = ()
    expect: str | None = None  # words stderr must hold
    db: str = "{db}"
    marks: tuple = field(default=(), compare=False)


def case(path: str, args: str | tuple[str, ...] = (), expect: str | None = None, *, id: str, db="{db}", xfail=None):
    marks = (pytest.mark.xfail(strict=True, reason=xfail),) if xfail else ()
    words = tuple(args.split()) if isinstance(args, str) else tuple(args)
    return Case(id, tuple(path.split()), words, expect, db, marks)


# A valid call of each command that opens the project named by --db: run with a missing,
# a non-project and an empty file as --db, each must be refused with the project's reason.
VALID = {
    "info": "",
    "docs": "",
    "show": DOC,
    "user": "",
    "labels list": "",
    "labels add": "WEAPON --color #0072B2",
    "labels attr add": "ACTOR role",
    "annotators list": "",
    "annotators add": "Huda",
    "import": "{text}",
    "spans": DOC,
    "span add": f"{DOC} 0 5 ACTOR",
    "span delete": "0123456789abcdef",
    "status": f"{DOC} done",
    "assign": "--annotators Salma,Omar",
    "progress": "",
    "suggest": DOC,
    "train": "",
    "date": f"{DOC} 2019-04-05",
    "suggestions": "off",
    "gazetteer import": "{names}",
    "gazetteer list": "",
    "guidelines show": "",
    "guidelines set": "{text}",
    "report assistance": "--replicates 100",
    "bundle export": "--annotator Salma -o {out}/x.wbb",
    "bundle work": "-o {out}/w.wbb",
    "bundle import": "{truncated}",
    "bundle keys": "",
    "bundle repin": "{truncated} --fingerprint 0000",
    "agreement": "--bootstrap 0",
    "adjudicate": "--auto-unanimous",
    "export": "--format jsonl -o {out}/export",
}
BAD_DBS = [
    ("no-project", "{out}/missing.wbproj", "there is no project"),
    ("not-a-project", "{notproj}", "not a Workbench project"),
    ("empty-db", "{emptyfile}", "is an empty file, not a Workbench project"),
]

SPECIFIC = [
    # init: the file must not exist yet, and be a file
    case("init", id="existing-project", expect="already exists"),
    case("init", db="{notproj}", id="over-a-file", expect="already exists"),
    case("init", db="{folder}", id="db-is-a-folder", expect="is a directory"),
    # import: bad files, bad formats, bad annotators and label maps
    case("import", "{binary}", id="binary", expect="binary file"),
    case("import", "{emptyfile}", id="empty", expect="the file is empty"),
    case("import", "{out}/nothing.txt", id="missing-file", expect="no such file"),
    case("import", "--format jsonl {binary}", id="binary-as-jsonl", expect="binary file"),
    case("import", "--format csv --text-column nope {text}", id="csv-no-column", expect="no column 'nope'"),
    case("import", "--max-mb 0 {text}", id="max-mb-zero", expect="--max-mb"),
    case("import", "--format nope {text}", id="unknown-format", expect="--format"),
    case("import", "--map PER=ACTOR {text}", id="map-without-annotator", expect="give --annotator"),
    case("import", "--ignore-attributes {text}", id="ignore-attributes-without-annotator", expect="give --annotator"),
    case("import", "--format conll {conll}", id="conll-without-annotator", expect="--annotator NAME"),
    case("import", "--annotator Omar {binary}", id="annotated-binary", expect="refused"),
    case("import", "--annotator Omar {emptyfile}", id="annotated-empty", expect="the file is empty"),
    case("import", "--format brat --annotator Omar {text}", id="brat-without-ann", expect=".ann"),
    case("import", "--format conll --annotator Omar --map PER {conll}", id="map-syntax", expect="SOURCE=TARGET"),
    case(
        "import",
        "--format conll --annotator Omar --map PER=NOPE {conll}",
        id="map-unknown-label",
        expect="NOPE",
    ),
    case(
        "import",
        ("--format", "conll", "--annotator", "a|b", "{conll}"),
        id="annotator-a|b",
        expect="cannot be an annotator's name",
    ),
    case(
        "import",
        ("--annotator", "", "{jsonl}"),
        id="annotator-empty",
        expect="cannot be an annotator's name",
    ),
    # documents
    case("docs", "--status finished", id="bad-status", expect="'finished' is not one of"),
    case("docs", "--limit 0", id="limit-zero", expect="--limit"),
    case("docs", ("--annotator", "a|b"), id="annotator-a|b", expect="cannot be an annotator's name"),
    case("docs", "--annotator Nobody", id="unknown-annotator", expect="'Nobody' is not an annotator"),
    case("show", "nope", id="unknown-document", expect="there is no document 'nope'"),
    case("user", ("a|b",), id="a|b", expect="cannot be an annotator's name"),
    case("user", ("",), id="empty", expect="cannot be an annotator's name"),
    case("user", "gold", id="gold", expect="cannot be an annotator's name"),
    case("labels add", "ACTOR --color #000000", id="existing", expect="already has a label ACTOR"),
    case("labels add", ("bad name", "--color", "#000000"), id="bad-name", expect="upper-case Latin"),
    case("labels add", "GOOD --color red", id="bad-colour", expect="#RRGGBB"),
    case("labels add", "GOOD --color #000000 --key 1", id="key-taken", expect="already used"),
    case("labels add", "GOOD", id="no-colour", expect="--color"),
    case("labels attr add", "WEAPON calibre", id="unknown-label", expect="unknown label 'WEAPON'"),
    case("labels attr add", "ACTOR canonical", id="existing", expect="ACTOR already has an attribute canonical"),
    case("labels attr add", ("ACTOR", "two words"), id="bad-name", expect="Latin letters"),
    case("labels attr add", "ACTOR role --type number", id="bad-type", expect="--type"),
    case("labels attr add", "ACTOR role --type choice", id="choice-without-values", expect="lists no values"),
    case("labels attr add", "ACTOR role --type flag --values a,b", id="values-not-a-choice", expect="only a choice"),
    case("labels attr add", "ACTOR", id="no-name", expect="NAME"),
    case("annotators add", ("Huda", "a|b"), id="a|b", expect="cannot be an annotator's name"),
    case("annotators add", ("",), id="empty", expect="cannot be an annotator's name"),
    case("annotators add", "gold", id="gold", expect="cannot be an annotator's name"),
    case("info", "--bogus", id="unknown-option", expect="No such option"),
    case("labels list", "--bogus", id="unknown-option", expect="No such option"),
    case("annotators list", "extra", id="extra-argument", expect="unexpected extra argument"),
    # spans
    case("spans", "nope", id="unknown-document", expect="there is no document 'nope'"),
    case("spans", f"{DOC} --annotator Nobody", id="unknown-annotator", expect="'Nobody' is not an annotator"),
    case("spans", (DOC, "--annotator", ""), id="annotator-empty", expect="cannot be an annotator's name"),
    case("span add", "nope 0 5 ACTOR", id="unknown-document", expect="there is no document 'nope'"),
    case("span add", f"{DOC} 0 5 WEAPON", id="unknown-label", expect="the project's labels are"),
    case("span add", f"{DOC} 3970 4000 ACTOR", id="out-of-range", expect="outside the document's text"),
    case("span add", f"{DOC} 5 0 ACTOR", id="reversed", expect="span"),
    case("span add", f"{DOC} zero 5 ACTOR", id="not-a-number", expect="is not a valid integer"),
    case("span add", f"{DOC} 0 5 CASUALTY --attr count", id="attr-syntax", expect="is not KEY=VALUE"),
    case("span add", f"{DOC} 0 5 CASUALTY --attr count=many", id="attr-value", expect="is not a count"),
    case("span add", f"{DOC} 0 5 ACTOR --attr nope=1", id="attr-unknown", expect="has no attribute 'nope'"),
    case("span add", (DOC, "0", "5", "ACTOR", "--annotator", "a|b"), id="annotator-a|b", expect="annotator's name"),
    case("span delete", "nope", id="unknown-span", expect="there is no span 'nope'"),
    case("span delete", ("",), id="empty-id", expect="there is no span ''"),
    case("status", f"{DOC} finished", id="bad-status", expect="'finished' is not one of"),
    case("status", "nope done", id="unknown-document", expect="there is no document 'nope'"),
    # values and suggestions
    case("suggest", "nope", id="unknown-document", expect="there is no document 'nope'"),
    case("suggest", f"{DOC} --engine magic", id="bad-engine", expect="--engine"),
    case("suggest", f"{DOC} --labels CITY", id="unknown-label", expect="unknown label 'CITY'"),
    case("suggest", f"{DOC} --annotator Nobody", id="unknown-annotator", expect="'Nobody' is not an annotator"),
    case("date", f"{DOC} yesterday", id="not-a-date", expect="is not a date"),
    case("date", f"{DOC} 2019-02-30", id="no-such-day", expect="is not a date"),
    case("date", f"{DOC} 2019-04-05 --clear", id="date-and-clear", expect="not both"),
    case("date", "nope 2019-04-05", id="unknown-document", expect="there is no document 'nope'"),
    case("suggestions", "maybe", id="bad-state", expect="'maybe' is not one of"),
    case(
        "suggest",
        "--evaluate --annotator Nobody",
        id="evaluate-unknown-annotator",
        expect="'Nobody' is not an annotator",
    ),
    case("suggest", f"{DOC} --evaluate", id="evaluate-with-a-document", expect="takes no DOC_ID"),
    case("suggest", "", id="no-document", expect="give a DOC_ID"),
    case("suggest", f"{DOC} --engine model --labels CITY", id="model-unknown-label", expect="unknown label 'CITY'"),
    case("train", "--annotator Nobody", id="unknown-annotator", expect="'Nobody' is not an annotator"),
    case("train", "--gold --annotator Salma", id="gold-and-annotator", expect="not both"),
    case("gazetteer import", "{binary}", id="binary", expect="binary"),
    case("gazetteer import", "{emptyfile}", id="empty", expect="empty"),
    case("gazetteer import", "{out}/missing.csv", id="missing", expect="missing.csv"),
    case("gazetteer import", "{folder}", id="a-folder", expect="folder"),
    case("gazetteer import", "{text}", id="no-header", expect="header"),
    case("gazetteer import", "{badnames}", id="bad-rows", expect="refused"),
    case("gazetteer list", "--label CITY", id="unknown-label", expect="CITY"),
    case("status", f"{DOC} done --annotator Nobody", id="unknown-annotator", expect="'Nobody' is not an annotator"),
    # guidelines
    case("guidelines set", "{binary}", id="binary", expect="binary file"),
    case("guidelines set", "{emptyfile}", id="empty", expect="the file is empty"),
    case("guidelines set", "{out}/missing.md", id="missing", expect="missing.md: no such file"),
    case("guidelines set", "{folder}", id="a-folder", expect="this is a folder"),
    case("guidelines set", "", id="no-file", expect="FILE"),
    case("guidelines show", "--bogus", id="unknown-option", expect="No such option"),
    # reports
    case("report assistance", "--replicates 5", id="too-few-replicates", expect="--replicates"),
    case("report assistance", "--seed -1", id="negative-seed", expect="--seed"),
    # team
    case("assign", "--docs , --to Salma", id="no-document-ids", expect="no document ids given"),
    case("assign", "", id="nothing-to-do", expect="give --annotators"),
    case("assign", "--docs x", id="docs-without-to", expect="give --docs and --to"),
    case("assign", "--annotators Salma,Nobody", id="unknown-annotator", expect="not annotators of this project"),
    case("assign", ("--annotators", "a|b"), id="annotator-a|b", expect="annotator's name"),
    case("assign", "--annotators Salma --k 0", id="k-zero", expect="--k"),
    case("assign", "--annotators Salma,Omar --k 5", id="k-too-big", expect="k must be between"),
    case("assign", "--docs nope --to Salma", id="unknown-document", expect="no such documents: nope"),
    case("progress", "--bogus", id="unknown-option", expect="No such option"),
    case("bundle export", "--annotator Nobody -o {out}/x.wbb", id="unknown-annotator", expect="not an annotator"),
    case("bundle export", "--annotator Salma -o {folder}", id="output-is-a-folder", expect="is a directory"),
    case(
        "bundle export",
        "--annotator Salma -o {file}/x.wbb",
        id="output-under-a-file",
        expect="x.wbb",
    ),
    case("bundle export", "-o {out}/x.wbb", id="no-annotator", expect="--annotator"),
    case("bundle work", "-o {out}/w.wbb", id="not-an-annotators-copy", expect="not an annotator's copy"),
    case("bundle work", "-o {folder}", id="output-is-a-folder", expect="is a directory"),
    case("bundle import", "{truncated}", id="truncated", expect="not a bundle"),
    case("bundle import", "{emptyfile}", id="empty", expect="not a bundle"),
    case("bundle import", "{binary}", id="binary", expect="not a bundle"),
    case("bundle import", "{damaged}", id="damaged", expect="refused"),
    case("bundle import", "{out}/missing.wbb", id="missing", expect="no such bundle file"),
    case("bundle import", "{folder}", id="a-folder", expect="is a directory"),
    case("bundle open", "{truncated}", db="{out}/copy.wbproj", id="truncated", expect="not a bundle"),
    case("bundle open", "{damaged}", db="{out}/copy.wbproj", id="damaged", expect="damaged"),
    case("bundle open", "{emptyfile}", db="{out}/copy.wbproj", id="empty", expect="not a bundle"),
    case("bundle open", "{binary}", db="{out}/copy.wbproj", id="binary", expect="not a bundle"),
    case("bundle open", "{out}/missing.wbb", db="{out}/copy.wbproj", id="missing", expect="no such bundle file"),
    case("bundle open", "{bundle}", db="{notproj}", id="db-not-a-project", expect="not a Workbench project"),
    case("bundle open", "{bundle}", db="{emptyfile}", id="db-empty", expect="is an empty file"),
    case("bundle open", "{bundle}", db="{folder}", id="db-is-a-folder", expect="is a directory"),
    case("bundle open", "{bundle} --repin", db="{out}/copy.wbproj", id="repin-without-value", expect="--repin"),
    case("bundle keys", "--json extra", id="extra-argument", expect="unexpected extra argument"),
    case("bundle repin", "{truncated} --fingerprint 0000", id="truncated", expect="not a bundle"),
    case("bundle repin", "{out}/missing.wbb --fingerprint 0000", id="missing", expect="no such bundle file"),
    case("bundle repin", "{binary} --fingerprint 0000", id="binary", expect="not a bundle"),
    case("bundle repin", "{bundle} --fingerprint 0000", id="a-project-bundle", expect="unexpected member"),
    case("bundle repin", "{truncated}", id="no-fingerprint", expect="--fingerprint"),
    # agreement and adjudication
    case("agreement", "--format nope", id="bad-format", expect="--format"),
    case("agreement", "--bootstrap -1", id="bad-bootstrap", expect="--bootstrap"),
    case("agreement", "-o {folder}", id="output-is-a-folder", expect="is a directory"),
    case("agreement", "--bootstrap 0 -o {file}/report.txt", id="output-under-a-file", expect="report.txt"),
    case(
        "agreement",
        "--bootstrap 0 --annotators Salma,Nobody",
        id="unknown-annotator",
        expect="Nobody",
    ),
    case(
        "agreement",
        "--bootstrap 0 --labels NOPE",
        id="unknown-label",
        expect="NOPE",
    ),
    case("adjudicate", "", id="no-mode", expect="--auto-unanimous"),
    case(
        "adjudicate",
        "--auto-unanimous --docs nope",
        id="unknown-document",
        expect="nope",
    ),
    case("adjudicate", "--auto-unanimous --annotators Nobody", id="unknown-annotator", expect="Nobody"),
    # export
    case("export", "--format jsonl -o {out}/e", id="nothing-to-export", expect="nothing to export"),
    case("export", "--format nope -o {out}/e", id="bad-format", expect="--format"),
    case("export", "--format jsonl --boundary nope -o {out}/e", id="bad-boundary", expect="--boundary"),
    case("export", "--format jsonl --split 50/50/10 -o {out}/e", id="split-sum", expect="adds up to 110"),
    case("export", "--format jsonl --split abc -o {out}/e", id="split-syntax", expect="split 'abc'"),
    case("export", "--format jsonl --source bogus -o {out}/e", id="bad-source", expect="unknown source 'bogus'"),
    case("export", "--format jsonl --source annotator:Nobody -o {out}/e", id="unknown-annotator", expect="Nobody"),
    case("export", "--format jsonl -o {file}", id="output-is-a-file", expect="is a file"),
    case("export", "--format jsonl --source annotator:Salma -o {file}/e", id="output-under-a-file", expect="a-file"),
    case("export", "-o {out}/e", id="no-format", expect="--format"),
]

CASES = [
    *SPECIFIC,
    *(case(path, args, expect, db=db, id=name) for path, args in VALID.items() for name, db, expect in BAD_DBS),
]


def _leaves(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _leaves(command, (*prefix, name))
        else:
            yield (*prefix, name)


def test_every_command_has_bad_input_cases():
    covered = {c.path for c in CASES}
    missing = sorted(" ".join(p) for p in _leaves(cli) if p not in covered)
    assert not missing, f"add bad-input cases to tests/test_cli_errors.py for: {', '.join(missing)}"
    opening = {p for p in _leaves(cli) if p not in {("init",), ("bundle", "open")}}
    assert opening <= {tuple(p.split()) for p in VALID}, "add a valid call of the new command to VALID"


def _run(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workbench.cli", *map(str, args)],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(str(path))
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _copy_project(source: Path, target: Path) -> None:
    for suffix in ("", "-wal"):
        if Path(str(source) + suffix).exists():
            shutil.copyfile(str(source) + suffix, str(target) + suffix)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    """A lead's project (the sample corpus, Salma and Omar, each assigned documents; Salma is the
    current user), a project bundle and bad files of every kind."""
    root = tmp_path_factory.mktemp("bad-inputs")
    lead = root / "lead.wbproj"
    for args in (
        ("init", "--with-sample"),
        ("annotators", "add", "Salma", "Omar"),
        ("user", "Salma"),
        ("assign", "--annotators", "Salma,Omar", "--k", "1"),
        ("status", DOC, "done"),  # Salma's layer has something to export
        ("bundle", "export", "--annotator", "Salma", "-o", root / "salma.wbb"),
    ):
        result = _run("--db", lead, *args)
        assert result.returncode == 0, result.stderr.decode()
    bundle = (root / "salma.wbb").read_bytes()
    files = {
        "db": lead,
        "bundle": root / "salma.wbb",
        "truncated": root / "truncated.wbb",
        "damaged": root / "damaged.wbb",
        "notproj": root / "notes.wbproj",
        "emptyfile": root / "empty.txt",
        "binary": root / "image.png",
        "text": root / "article.txt",
        "conll": root / "a.conll",
        "jsonl": root / "a.jsonl",
        "file": root / "a-file",
        "folder": root / "a-folder",
        "names": root / "names.csv",
        "badnames": root / "badnames.csv",
    }
    files["truncated"].write_bytes(bundle[: len(bundle) // 2])
    damaged = bytearray(bundle)
    damaged[len(damaged) // 2] ^= 0xFF
    files["damaged"].write_bytes(bytes(damaged))
    files["notproj"].write_text("not a database", encoding="utf-8")
    files["emptyfile"].write_bytes(b"")
    files["binary"].write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    files["text"].write_text("قتل أربعة من قوات حكومة الوفاق في بنغازي.\n", encoding="utf-8")
    files["conll"].write_text("Omar B-PER\nقال O\n\n", encoding="utf-8")
    files["jsonl"].write_text('{"text": "قتل أربعة في بنغازي", "spans": []}\n', encoding="utf-8")
    files["file"].write_text("a file, not a folder", encoding="utf-8")
    files["folder"].mkdir()
    files["names"].write_text("name,label,canonical,aliases\nالكرامة,ACTOR,Operation Dignity,\n", encoding="utf-8")
    files["badnames"].write_text("name,label,canonical,aliases\nبنغازي,CITY,Benghazi,\n,ACTOR,,\n", encoding="utf-8")
    return files


@pytest.fixture(scope="module")
def template(inputs) -> list[str]:
    return _dump(inputs["db"])


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    project_unchanged: bool
    created: list[str]


def _in_process(argv: list[str]) -> tuple[int, str, str]:
    """The command run by click as ``main()`` runs it; an exception escaping is a traceback."""
    try:
        result = CliRunner().invoke(cli, argv, prog_name="workbench-cli", catch_exceptions=False)
    except Exception as exc:
        pytest.fail(f"Traceback: {type(exc).__name__}: {exc} escaped {argv}")
    return result.exit_code, result.stdout, result.stderr


def _in_a_process(argv: list[str]) -> tuple[int, str, str]:
    result = _run(*argv)
    return result.returncode, result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace")


def run_case(c: Case, inputs, template, out: Path, runner=_in_process) -> Outcome:
    """``c`` on a copy of the project in ``out``: what it printed and what it changed."""
    db = out / "p.wbproj"
    _copy_project(inputs["db"], db)
    names = {**{k: str(v) for k, v in inputs.items()}, "db": str(db), "out": str(out)}
    watched = {name: inputs[name].read_bytes() for name in ("notproj", "emptyfile", "bundle", "truncated")}
    before = set(out.rglob("*"))
    code, stdout, stderr = runner(["--db", c.db.format(**names), *c.path, *(a.format(**names) for a in c.args)])
    created = sorted(
        str(p.relative_to(out)) for p in set(out.rglob("*")) - before if not p.name.endswith(("-wal", "-shm"))
    )
    assert all(inputs[name].read_bytes() == data for name, data in watched.items()), "an input file was changed"
    return Outcome(code, stdout, stderr, _dump(db) == template, created)


def check(c: Case, outcome: Outcome) -> None:
    assert "Traceback" not in outcome.stdout and "Traceback" not in outcome.stderr, outcome.stderr
    assert outcome.exit_code != 0, (outcome.exit_code, outcome.stdout, outcome.stderr)
    assert SENTENCE.search(outcome.stderr), outcome.stderr
    if c.expect:
        assert c.expect in outcome.stderr, outcome.stderr
    assert outcome.project_unchanged, "a refused command changed the project"
    assert outcome.created == [], f"a refused command wrote {outcome.created}"


@pytest.mark.parametrize("c", [pytest.param(c, id=f"{' '.join(c.path)}: {c.id}", marks=c.marks) for c in CASES])
def test_bad_input_is_a_sentence_not_a_traceback(c: Case, inputs, template, tmp_path):
    check(c, run_case(c, inputs, template, tmp_path))


# The same in a real process, for one case of each way an error reaches the user: a core
# WorkbenchError, click's own usage errors, a refused file, a refused bundle.
IN_A_PROCESS = [
    "import: map-unknown-label",
    "import: annotator-a|b",
    "import: empty",
    "docs: no-project",
    "show: unknown-document",
    "span add: attr-syntax",
    "labels add: existing",
    "labels attr add: existing",
    "bundle import: truncated",
    "bundle open: damaged",
    "export: split-sum",
]


def _by_name(name: str) -> Case:
    path, _, id_ = name.partition(": ")
    [found] = [c for c in CASES if " ".join(c.path) == path and c.id == id_]
    return found


@pytest.mark.parametrize("c", [pytest.param(_by_name(n), id=n, marks=_by_name(n).marks) for n in IN_A_PROCESS])
def test_bad_input_in_a_real_process(c: Case, inputs, template, tmp_path):
    check(c, run_case(c, inputs, template, tmp_path, runner=_in_a_process))
