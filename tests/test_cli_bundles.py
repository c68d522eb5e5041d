"""Team work from the command line, as a lead and an annotator run it: real processes, real files."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys

import pytest

TEAM = "Salma,Omar,Huda"
WORD = re.compile(r"[\u0621-\u064A][\u0621-\u0652]*")


def run(*args, check=True):
    result = subprocess.run(
        [sys.executable, "-m", "workbench.cli", *map(str, args)],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"exit {result.returncode}: {result.stderr.decode()}")
    return result


def as_json(*args):
    return json.loads(run(*args).stdout)


def dump(path) -> list[str]:
    conn = sqlite3.connect(str(path))
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_lead_and_annotator_round_trip(tmp_path):
    lead = tmp_path / "lead.wbproj"
    run("--db", lead, "init", "--with-sample")
    run("--db", lead, "annotators", "add", "Salma", "Omar", "Huda")
    assert as_json("--db", lead, "annotators", "list", "--json") == ["Salma", "Omar", "Huda"]

    # Balanced and reproducible: 5 documents x 2 annotators over 3 people.
    assigned = as_json("--db", lead, "assign", "--annotators", TEAM, "--k", "2", "--seed", "7", "--json")
    loads = assigned["per_annotator"]
    assert assigned["added"] == 10 and sorted(loads) == ["Huda", "Omar", "Salma"]
    assert sum(loads.values()) == 10 and max(loads.values()) - min(loads.values()) <= 1
    again = as_json("--db", lead, "assign", "--annotators", TEAM, "--k", "2", "--seed", "7", "--json")
    assert again == {"added": 0, "per_annotator": loads}
    progress = as_json("--db", lead, "progress", "--json")
    assert progress == [
        {"annotator": name, "assigned": loads[name], "not-started": loads[name], "in-progress": 0, "done": 0}
        for name in ("Salma", "Omar", "Huda")
    ]
    table = run("--db", lead, "progress").stdout.decode()
    assert "ANNOTATOR" in table and "Salma" in table

    # The lead writes Salma's project bundle; Salma opens it as her own project file.
    project_bundle = tmp_path / "salma-project.wbb"
    out = run("--db", lead, "bundle", "export", "--annotator", "Salma", "-o", project_bundle).stdout.decode()
    assert project_bundle.exists() and f"{loads['Salma']} documents for Salma" in out
    salma = tmp_path / "salma.wbproj"
    out = run("--db", salma, "bundle", "open", project_bundle).stdout.decode()
    assert f"{loads['Salma']} documents for Salma" in out
    info = as_json("--db", salma, "info", "--json")
    assert info["current_annotator"] == "Salma" and info["annotators"] == ["Salma"]
    assert info["documents"] == loads["Salma"]
    docs = [row["id"] for row in as_json("--db", salma, "docs", "--json")]
    doc = docs[0]
    text = as_json("--db", salma, "show", "--json", doc)["text"]
    (a, b), (c, d), (e, f) = [(m.start(), m.end()) for m in WORD.finditer(text) if len(m.group()) > 2][:3]

    # Salma annotates in her copy and sends her work back.
    first = as_json("--db", salma, "span", "add", doc, a, b, "ACTOR", "--attr", "canonical=حفتر", "--json")
    second = as_json(
        "--db",
        salma,
        "span",
        "add",
        doc,
        c,
        d,
        "CASUALTY",
        "--attr",
        "count=4",
        "--attr",
        "kind=killed",
        "--unsure",
        "--json",
    )
    third = as_json("--db", salma, "span", "add", doc, e, f, "LOCATION", "--note", "تحقق", "--json")
    run("--db", salma, "status", doc, "done")
    work = tmp_path / "salma-work-1.wbb"
    out = run("--db", salma, "bundle", "work", "-o", work).stdout.decode()
    assert "3 spans" in out and "(bundle 1)" in out

    # The lead merges it: the report says what came in.
    report = as_json("--db", lead, "bundle", "import", work, "--json")
    assert report["refused"] == []
    assert len(report["merged"]) == 1
    merged = report["merged"][0]
    assert (merged["path"], merged["annotator"], merged["sequence"]) == (str(work), "Salma", 1)
    assert merged["added"] == 3 and merged["documents"] == loads["Salma"] and merged["statuses"] == 1
    on_lead = as_json("--db", lead, "spans", doc, "--annotator", "Salma", "--json")
    in_copy = as_json("--db", salma, "spans", doc, "--json")
    assert on_lead == in_copy
    assert [(s["id"], s["start"], s["end"], s["label"]) for s in on_lead] == [
        (first["id"], a, b, "ACTOR"),
        (second["id"], c, d, "CASUALTY"),
        (third["id"], e, f, "LOCATION"),
    ]
    assert on_lead[1]["attributes"] == {"count": 4, "kind": "killed"} and on_lead[1]["unsure"] is True
    salma_progress = next(r for r in as_json("--db", lead, "progress", "--json") if r["annotator"] == "Salma")
    assert salma_progress == {
        "annotator": "Salma",
        "assigned": loads["Salma"],
        "not-started": loads["Salma"] - 1,
        "in-progress": 0,
        "done": 1,
    }

    # The same bundle again changes nothing.
    before = dump(lead)
    report = as_json("--db", lead, "bundle", "import", work, "--json")
    assert report["refused"] == [] and report["merged"][0]["documents"] == 0
    assert report["merged"][0]["skipped_older"] == loads["Salma"]
    assert dump(lead) == before
    human = run("--db", lead, "bundle", "import", work).stdout.decode()
    assert f"{loads['Salma']} not newer" in human
    assert "not newer than bundle 1 already merged: nothing changed" in human
    assert report["merged"][0]["not_newer_than"] == 1 and report["merged"][0]["nothing_changed"] is True
    # A size cap given on the command line refuses the bundle, says the cap, and changes nothing.
    capped = run("--db", lead, "bundle", "import", work, "--max-mb", "0.001", check=False)
    assert capped.returncode == 2 and "refused" in capped.stderr.decode() + capped.stdout.decode()
    assert "0.001 MB" in capped.stderr.decode() + capped.stdout.decode()
    assert dump(lead) == before

    # A newer bundle: a deletion in the copy reaches the lead.
    run("--db", salma, "span", "delete", second["id"])
    work2 = tmp_path / "salma-work-2.wbb"
    run("--db", salma, "bundle", "work", "-o", work2)
    report = as_json("--db", lead, "bundle", "import", work, work2, "--json")  # the older one first: skipped
    assert [m["sequence"] for m in report["merged"]] == [1, 2] and report["merged"][1]["deleted"] == 1
    assert [s["id"] for s in as_json("--db", lead, "spans", doc, "--annotator", "Salma", "--json")] == [
        first["id"],
        third["id"],
    ]

    # A refused bundle: exit status 2, the path and the reason, and nothing merged.
    junk = tmp_path / "junk.wbb"
    junk.write_bytes(b"\x00\x01 this is not a bundle " * 10)
    before = dump(lead)
    result = run("--db", lead, "bundle", "import", junk, "--json", check=False)
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert report["merged"] == []
    assert report["refused"] == [
        {"path": str(junk), "reason": "junk.wbb is not a bundle: not a zip file, or truncated"}
    ]
    human = run("--db", lead, "bundle", "import", junk, check=False)
    assert human.returncode == 2
    assert f"refused: {junk}: junk.wbb is not a bundle" in human.stderr.decode()
    assert "Traceback" not in human.stderr.decode()
    assert dump(lead) == before

    # A bundle altered after it was made is refused as well.
    tampered = tmp_path / "tampered.wbb"
    data = bytearray(work2.read_bytes())
    data[len(data) // 3] ^= 0xFF
    tampered.write_bytes(bytes(data))
    result = run("--db", lead, "bundle", "import", tampered, "--json", check=False)
    assert result.returncode == 2 and json.loads(result.stdout)["refused"][0]["path"] == str(tampered)
    assert dump(lead) == before

    # By hand: the lead gives Omar two more documents.
    omar_before = loads["Omar"]
    not_omars = [row["id"] for row in as_json("--db", lead, "docs", "--json")]
    by_hand = as_json("--db", lead, "assign", "--docs", ",".join(not_omars), "--to", "Omar", "--json")
    assert by_hand["per_annotator"]["Omar"] == 5 and by_hand["added"] == 5 - omar_before
    omar_progress = next(r for r in as_json("--db", lead, "progress", "--json") if r["annotator"] == "Omar")
    assert omar_progress["assigned"] == 5


def test_bundle_command_errors_are_messages(tmp_path):
    lead = tmp_path / "lead.wbproj"
    run("--db", lead, "init", "--with-sample")
    run("--db", lead, "annotators", "add", "Salma")
    cases = [
        (("bundle", "export", "--annotator", "Salma", "-o", tmp_path / "x.wbb"), "no documents are assigned to Salma"),
        (("bundle", "export", "--annotator", "Nobody", "-o", tmp_path / "x.wbb"), "'Nobody' is not an annotator"),
        (("bundle", "work", "-o", tmp_path / "w.wbb"), "not an annotator's copy"),
        (("assign", "--annotators", "Salma,Nobody"), "not annotators of this project: Nobody"),
        (("assign", "--docs", "nope", "--to", "Salma"), "no such documents: nope"),
    ]
    before = dump(lead)
    for args, message in cases:
        result = run("--db", lead, *args, check=False)
        err = result.stderr.decode()
        assert result.returncode == 1 and message in err and "Traceback" not in err, (args, err)
    assert dump(lead) == before
    assert not (tmp_path / "x.wbb").exists() and not (tmp_path / "w.wbb").exists()
    usage = run("--db", lead, "assign", "--docs", "x", check=False)
    assert usage.returncode == 2 and "give --docs and --to" in usage.stderr.decode()
    opened = run("--db", tmp_path / "copy.wbproj", "bundle", "open", tmp_path / "missing.wbb", check=False)
    assert opened.returncode == 1 and "no such bundle file" in opened.stderr.decode()
    assert not (tmp_path / "copy.wbproj").exists()


@pytest.mark.parametrize("command", ["export", "open", "work", "import"])
def test_bundle_subcommands_have_help(command):
    text = run("bundle", command, "--help").stdout.decode()
    assert text.startswith(f"Usage: workbench-cli bundle {command}")
    assert len(text.splitlines()) > 4
