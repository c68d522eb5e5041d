"""The registry of export formats and boundary policies (core/export/formats.py): the command
line's choices and help, the dialog, the run and the data card are all built from it."""

from __future__ import annotations

from workbench.core.export import BOUNDARIES, BOUNDARY_POLICIES, FORMATS, BoundaryInfo, FormatInfo
from workbench.core.export.base import Writer
from workbench.core.export.brat import BratWriter
from workbench.core.export.conll import ConllWriter
from workbench.core.export.formats import DEFAULT_BOUNDARY, boundaries_help, formats_help
from workbench.core.export.jsonl import JsonlWriter
from workbench.core.export.options import TOKEN_FORMATS, ExportOptions


def test_registry_order_and_entries():
    assert list(FORMATS)[:5] == ["jsonl", "conll", "spacy", "hf", "brat"]
    assert {"label-studio", "prodigy"} <= set(FORMATS)  # other tools' formats follow (issue 15)
    assert list(BOUNDARIES) == list(BOUNDARY_POLICIES) == ["split", "expand", "drop"]
    assert all(isinstance(f, FormatInfo) and f.name == name for name, f in FORMATS.items())
    assert all(isinstance(b, BoundaryInfo) and b.name == name for name, b in BOUNDARIES.items())
    assert {name: f.extra for name, f in FORMATS.items() if f.extra} == {"spacy": "spacy", "hf": "hf", "xmi": "xmi"}
    assert TOKEN_FORMATS == ("conll", "spacy", "hf")
    assert DEFAULT_BOUNDARY == ExportOptions("jsonl").boundary == "split"


def test_help_texts_are_the_command_lines():
    assert formats_help().startswith(
        "jsonl (character spans), conll (BIO), spacy (DocBin), hf (datasets DatasetDict), brat (standoff), "
    )
    assert "label-studio (Label Studio JSON), prodigy (Prodigy JSONL)" in formats_help()
    assert boundaries_help() == (
        "A span edge inside a token (a proclitic: ببنغازي): cut the token, label it whole, or drop the sentence."
    )


def test_writers_load_lazily_by_name():
    assert FORMATS["jsonl"].load() is JsonlWriter
    assert FORMATS["conll"].load() is ConllWriter
    assert FORMATS["brat"].load() is BratWriter
    for info in FORMATS.values():
        if info.extra is None:
            assert issubclass(info.load(), Writer)
    # A new format is one entry naming its writer.
    extra = FormatInfo("tsv", "tab-separated", "TSV", "workbench.core.export.conll:ConllWriter", "card", tokens=True)
    assert extra.load() is ConllWriter


def test_every_entry_has_its_texts():
    for info in FORMATS.values():
        assert info.summary and info.title and info.card.endswith("\n")
    for policy in BOUNDARIES.values():
        assert policy.summary and policy.title and policy.card and not policy.card.endswith(".")
