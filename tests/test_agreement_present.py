"""How agreement figures are shown (core/agreement/present.py): numbers, colours, the worst-first
order and the command line's table, which must stay exactly what ``workbench-cli agreement`` printed."""

from __future__ import annotations

import pytest

from workbench.core.actions import CreateSpan, SetStatus
from workbench.core.agreement import Annotation, Document, compute_agreement
from workbench.core.agreement.present import (
    NA,
    VIRIDIS,
    agreement_table,
    fmt_score,
    mean_strict_f1,
    text_colour,
    viridis_hex,
    viridis_rgb,
    worst_first,
)
from workbench.core.agreement.source import project_agreement
from workbench.core.importer import import_paths
from workbench.core.store.project import GOLD
from workbench.core.store.spans import Span

DOCS = ("001_6c20427af2e36eef", "002_af682284de1024ff", "003_ea1dba6c08793fa4", "004_81a9822a3aa30eff")


# --- the table as the command line printed it before it moved here (workbench/cli/commands.py) ---


def _reference_fmt(value, ci=None) -> str:
    if value is None:
        return "n/a"
    text = f"{value:.3f}"
    if ci:
        text += f" [{ci[0]:.2f}, {ci[1]:.2f}]"
    return text


def _reference_table(data, shown) -> str:
    _fmt = _reference_fmt
    lines = [f"{'PAIR':<24} {'DOCS':>5} {'STRICT F1':>22} {'RELAXED F1':>22} {'ALPHA-U':>8} {'KAPPA':>7}"]
    for name, pair in data["pairs"].items():
        lines.append(
            f"{shown(name):<24} {pair['documents']:>5} {_fmt(pair['strict_f1'], pair['strict_f1_ci']):>22} "
            f"{_fmt(pair['relaxed_f1'], pair['relaxed_f1_ci']):>22} {_fmt(pair['alpha_u']):>8} {_fmt(pair['cohen_kappa_bio']):>7}"
        )
    alpha = data["alpha_u"]
    lines.append("")
    lines.append(
        f"alpha-U, all annotators, {data['documents']['all']} documents: pooled {_fmt(alpha['pooled'], alpha['pooled_ci'])}, "
        f"mean over documents {_fmt(alpha['mean_over_docs'])}; Fleiss' kappa (tokens) {_fmt(data['fleiss_kappa_bio'])}"
    )
    for key, reason in alpha["undefined"].items():
        lines.append(f"  {key}: n/a because {reason}")
    lines.append("per label alpha-U: " + ", ".join(f"{k} {_fmt(v)}" for k, v in data["alpha_u_per_label"].items()))
    worst = data["per_document"][:10]
    if worst:
        lines.append("")
        lines.append("documents, worst first (strict F1 averaged over pairs):")
        for row in worst:
            lines.append(f"  {_fmt(row['strict_f1']):>6}  {row['doc_id']}  {shown(row['title'])}")
    return "\n".join(lines)


def _tag(project, doc, name, needle, label, shift=0, nth=0):
    text = project.db.execute("SELECT text FROM documents WHERE id = ?", [doc]).fetchone()[0]
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    CreateSpan(Span(doc, name, start + shift, start + len(needle), label)).do(project)


@pytest.fixture
def small(project, corpus_files):
    """Three annotators over four documents: a full agreement, a boundary and a label
    disagreement, a document only two finished, one nobody marked a span in, and gold."""
    import_paths(project, corpus_files)
    for name in ("Salma", "Omar", "حسن"):
        project.add_annotator(name)
    for name in ("Salma", "Omar", "حسن"):
        _tag(project, DOCS[1], name, "طرابلس", "LOCATION")
        _tag(project, DOCS[1], name, "خليفة حفتر", "ACTOR" if name != "حسن" else "LOCATION")
        _tag(project, DOCS[2], name, "مصراته", "LOCATION", shift=1 if name == "Omar" else 0)
        for doc in DOCS[1:3]:
            SetStatus(doc, name, "done").do(project)
    for name in ("Salma", "Omar"):
        _tag(project, DOCS[3], name, "بنغازي", "LOCATION")
        SetStatus(DOCS[3], name, "done").do(project)
        SetStatus(DOCS[0], name, "done").do(project)  # done, without a span
    _tag(project, DOCS[1], GOLD, "طرابلس", "LOCATION")
    return project


@pytest.mark.parametrize("bootstrap", [0, 60])
def test_table_is_what_the_command_line_printed(small, bootstrap):
    data = project_agreement(small, bootstrap=bootstrap, seed=3).to_json()
    assert data["per_document"] and any(p["strict_f1_ci"] for p in data["pairs"].values()) == bool(bootstrap)
    assert any(row["strict_f1"] is None for row in data["per_document"])
    assert agreement_table(data) == _reference_table(data, lambda s: s)

    def reorder(text: str) -> str:  # stands for the reordering a terminal that cannot shape Arabic needs
        return text[::-1]

    assert agreement_table(data, reorder) == _reference_table(data, reorder)
    assert "نسح" in agreement_table(data, reorder)


def test_table_text(small):
    text = agreement_table(project_agreement(small, bootstrap=0).to_json())
    lines = text.split("\n")
    assert lines[0] == ("PAIR                      DOCS              STRICT F1             RELAXED F1  ALPHA-U   KAPPA")
    assert lines[1].startswith("Salma|Omar                   4 ")
    assert "documents, worst first (strict F1 averaged over pairs):" in lines
    worst = lines[lines.index("documents, worst first (strict F1 averaged over pairs):") + 1 :]
    assert [line.split()[1] for line in worst] == [DOCS[2], DOCS[1], DOCS[3], DOCS[0]]
    assert worst[-1].startswith(f"     {NA}  {DOCS[0]}  ")
    assert not text.endswith("\n")


def test_table_through_the_command_line(small):
    from click.testing import CliRunner

    from workbench.cli import cli

    path = small.path
    data = project_agreement(small, bootstrap=40, seed=1).to_json()
    small.close()
    result = CliRunner().invoke(
        cli, ["--db", str(path), "--bidi", "logical", "agreement", "--bootstrap", "40", "--seed", "1"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == agreement_table(data) + "\n"


# --- numbers ---------------------------------------------------------------------------------


def test_fmt_score():
    assert fmt_score(None) == "n/a" and fmt_score(None, [0.1, 0.2]) == "n/a"
    assert fmt_score(0.0) == "0.000" and fmt_score(1) == "1.000" and fmt_score(-0.12345) == "-0.123"
    assert fmt_score(0.8125, [0.75, 0.8649]) == "0.812 [0.75, 0.86]"
    assert fmt_score(0.8125, None) == fmt_score(0.8125, []) == "0.812"
    assert fmt_score(0.5, (0.25, 0.75), digits=2, ci_digits=3) == "0.50 [0.250, 0.750]"


# --- colours ---------------------------------------------------------------------------------


def test_viridis_is_matplotlibs_and_clips():
    # matplotlib's viridis at 0, 1/8, ..., 1 (to_hex(viridis(x)) for x in linspace(0, 1, 9))
    reference = ["#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725"]
    assert [viridis_hex(x) for x, _ in VIRIDIS] == reference
    assert [x for x, _ in VIRIDIS] == [k / 8 for k in range(9)]
    assert viridis_hex(-0.4) == viridis_hex(0) == "#440154" and viridis_hex(3) == "#fde725"
    assert viridis_rgb(1 / 16) == (70, 23, 104)  # halfway between the first two stops
    # Viridis grows lighter all the way up: the text on it switches from white to black once.
    inks = [text_colour(k / 100) for k in range(101)]
    assert inks[0] == "#ffffff" and inks[-1] == "#000000"
    switch = inks.index("#000000")
    assert set(inks[switch:]) == {"#000000"} and 35 < switch < 55


# --- order -----------------------------------------------------------------------------------


def test_worst_first_on_rows_of_the_command_line_and_the_window():
    rows = [
        {"doc_id": "d", "strict_f1": None},
        {"doc_id": "c", "strict_f1": 0.5},
        {"doc_id": "b", "strict_f1": None},
        {"doc_id": "a", "strict_f1": 0.5},
        {"doc_id": "e", "strict_f1": 0.25},
    ]
    assert [r["doc_id"] for r in worst_first(rows)] == ["e", "a", "c", "b", "d"]
    assert worst_first([]) == []


def test_worst_first_on_report_rows_is_the_mean_over_pairs():
    text = "قتل ثلاثة في بنغازي أمس وأصيب اثنان في طرابلس"
    a, b = (Annotation(text.index(w), text.index(w) + len(w), "LOCATION") for w in ("بنغازي", "طرابلس"))
    docs = [
        Document("z", text, {"x": [a, b], "y": [a, b], "w": [a]}),  # pairs 1, 2/3, 2/3: mean 7/9
        Document("m", text, {"x": [a], "y": [a], "w": [a]}),  # 1
        Document("k", text, {"x": [], "y": [], "w": []}),  # undefined
        Document("a", text, {"x": [a, b], "y": [a], "w": [b]}),  # 2/3, 2/3, 0: mean 4/9
    ]
    report = compute_agreement(docs, bootstrap=0)
    rows = {row.doc_id: row for row in report.documents}
    assert mean_strict_f1(rows["z"]) == pytest.approx(7 / 9)
    assert mean_strict_f1(rows["k"]) is None
    # The mean over pairs, not the F1 pooled over pairs (0.8 for "z"): the order differs from it.
    assert rows["z"].strict_f1.value == pytest.approx(0.8)
    assert [row.doc_id for row in worst_first(report.documents)] == ["a", "z", "m", "k"]
    # Pairs with gold do not rank documents.
    with_gold = [Document("g", text, {"x": [a], "y": [a], GOLD: []})]
    row = compute_agreement(with_gold, bootstrap=0).documents[0]
    assert mean_strict_f1(row) == 1.0


def test_the_window_uses_the_same_order_and_colours(small, qtbot):
    from PySide6.QtCore import Qt

    from workbench.ui.agreement_view import AgreementView

    result = project_agreement(small, bootstrap=0)
    data = result.to_json()
    expected = [row["doc_id"] for row in worst_first(data["per_document"])]

    class Shuffled:  # the rows arrive in any order: the view sorts them itself
        titles = result.titles

        def to_json(self):
            return {**data, "per_document": list(reversed(data["per_document"]))}

        def combined(self):
            return result.combined()

    view = AgreementView(small)
    qtbot.addWidget(view)
    view.show_result(Shuffled())
    shown = [view.documents.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(view.documents.rowCount())]
    assert shown == expected
    for r, doc_id in enumerate(shown):
        value = next(row["strict_f1"] for row in data["per_document"] if row["doc_id"] == doc_id)
        cell = view.documents.item(r, 1)
        assert cell.text() == fmt_score(value, digits=2)
        if value is not None:
            assert cell.background().color().name() == viridis_hex(value)
            assert cell.foreground().color().name() == text_colour(value)
