"""Agreement over a project: which documents count for whom."""

from workbench.core.actions import CreateSpan, SetStatus
from workbench.core.agreement.source import project_agreement
from workbench.core.importer import import_paths
from workbench.core.store.spans import Span

DOCS = ("002_af682284de1024ff", "003_ea1dba6c08793fa4", "004_81a9822a3aa30eff")


def _tag(project, doc, name, needle, label, shift=0):
    text = project.db.execute("SELECT text FROM documents WHERE id = ?", [doc]).fetchone()[0]
    start = text.index(needle) + shift
    CreateSpan(Span(doc, name, start, start + len(needle) - shift, label)).do(project)


def test_pairs_use_their_shared_finished_documents_and_all_figures_need_everyone(project, corpus_files):
    import_paths(project, corpus_files)
    for name in ("Salma", "Omar", "Huda"):
        project.add_annotator(name)
    # Salma and Omar both finish 002; Huda only 003 with Salma; 004 is in progress for Omar.
    for name in ("Salma", "Omar"):
        _tag(project, DOCS[0], name, "طرابلس", "LOCATION")
        SetStatus(DOCS[0], name, "done").do(project)
    for name in ("Salma", "Huda"):
        _tag(project, DOCS[1], name, "مصراته", "LOCATION")
        SetStatus(DOCS[1], name, "done").do(project)
    _tag(project, DOCS[2], "Omar", "بنغازي", "LOCATION")
    result = project_agreement(project, bootstrap=50)
    data = result.to_json()
    assert data["documents"] == {"all": 0, "Salma|Omar": 1, "Salma|Huda": 1, "Omar|Huda": 0}
    assert data["pairs"]["Salma|Omar"]["strict_f1"] == 1.0
    assert data["pairs"]["Omar|Huda"]["strict_f1"] is None and data["pairs"]["Omar|Huda"]["undefined"]
    assert data["alpha_u"]["pooled"] is None and data["alpha_u"]["undefined"]  # nobody finished all three
    assert {row["doc_id"] for row in data["per_document"]} == {DOCS[0], DOCS[1]}
    # In progress counts only when asked.
    more = project_agreement(project, include_in_progress=True, bootstrap=0).to_json()
    assert more["documents"]["Salma|Omar"] == 1 and more["documents"]["Omar|Huda"] == 0
    combined = result.combined()
    assert {row.doc_id for row in combined.documents} == {DOCS[0], DOCS[1]}
    assert set(combined.pairs) == {"Salma|Omar", "Salma|Huda", "Omar|Huda"}


def test_gold_is_compared_with_each_annotator_once_it_exists(project, corpus_files):
    import_paths(project, corpus_files)
    for name in ("Salma", "Omar"):
        project.add_annotator(name)
        _tag(project, DOCS[0], name, "طرابلس", "LOCATION")
        SetStatus(DOCS[0], name, "done").do(project)
    assert "Salma|gold" not in project_agreement(project, bootstrap=0).pairs
    _tag(project, DOCS[0], "gold", "طرابلس", "LOCATION")
    data = project_agreement(project, bootstrap=0).to_json()
    assert data["pairs"]["Salma|gold"]["strict_f1"] == 1.0 and data["documents"]["Omar|gold"] == 1
