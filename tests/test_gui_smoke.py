"""The window opens on the sample corpus and shows Arabic right to left, in the app's own font."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QTextBlock

from workbench.core.paths import default_project_path
from workbench.ui.app import open_project
from workbench.ui.fonts import reading_font
from workbench.ui.session import Session, app_settings, make_application


def _blocks(document):
    block: QTextBlock = document.begin()
    while block.isValid():
        yield block
        block = block.next()


def test_window_opens_on_the_sample_corpus_right_to_left(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    make_application()
    project = open_project(None)  # first run: creates the default project with the sample corpus
    try:
        assert default_project_path().exists()
        project.set_current_annotator("Salma")
        session = Session(project, app_settings())
        window = session.show()
        qtbot.waitExposed(window)

        assert window.documents.model.rowCount() == 5
        assert window.current_doc_id == "000_1d4f535c4afa2fda"  # the first article opens by itself
        window.documents.table.selectRow(2)
        assert window.current_doc_id == "002_af682284de1024ff"
        stored = project.db.execute("SELECT text FROM documents WHERE id = '002_af682284de1024ff'").fetchone()[0]
        assert window.view.text == stored

        blocks = [b for b in _blocks(window.view.document()) if b.text().strip()]
        assert blocks, "the article view is empty"
        assert all(b.textDirection() == Qt.LayoutDirection.RightToLeft for b in blocks)
        # Right-to-left paragraphs end at the right edge: their first line's text is right-aligned.
        layout = blocks[2].layout()
        line = layout.lineAt(0)
        viewport_width = window.view.document().textWidth()
        assert line.naturalTextRect().right() > viewport_width - 40

        shot = tmp_path / "main-window.png"
        assert window.grab().save(str(shot))
        assert shot.stat().st_size > 10_000
        print(f"screenshot: {shot}")
        window.close()
    finally:
        project.close()


def test_the_bundled_font_draws_arabic_and_latin():
    make_application()
    metrics = QFontMetrics(reading_font())
    for char in "بنغازي،؟١٢٣ABC":
        assert metrics.inFontUcs4(ord(char)), char
