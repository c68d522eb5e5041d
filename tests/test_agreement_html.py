"""The HTML agreement report: one self-contained page, Arabic as stored, every number from the report.

A report is built from the sample corpus with three annotators whose spans are drawn,
seeded, over the words of the real text; one label nobody used and one document nobody
annotated give undefined figures. The page is parsed with the standard library's
HTMLParser to check that tags balance and to read the heat maps back.
"""

from __future__ import annotations

import random
import re
import subprocess
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from workbench.core.agreement import Annotation, Document, compute_agreement
from workbench.core.agreement.html_report import format_value, render_html
from workbench.core.agreement.present import mean_strict_f1, worst_first
from workbench.resources import sample_corpus_files

LABELS = ("ACTOR", "LOCATION", "CASUALTY", "DATE")  # DATE: nobody uses it
USED = LABELS[:3]
ANNOTATORS = ("amal", "bashir", "سلمى")  # one Arabic name, to exercise RTL text in SVG
VOID = {"meta", "link", "br", "img", "hr", "input", "col", "area", "base", "wbr", "source", "track", "embed"}
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
ARABIC_WORD = re.compile("[\u0621-\u064a]+")


def _spans_for(text: str, rng: random.Random) -> dict[str, list[Annotation]]:
    """A seeded "truth" over the text's Arabic words and three noisy copies of it."""
    words = [m.span() for m in ARABIC_WORD.finditer(text)]
    truth = []
    i = rng.randrange(3)
    while i < len(words) - 3 and len(truth) < 25:
        n = rng.randint(1, 3)
        truth.append((words[i][0], words[i + n - 1][1], rng.choice(USED)))
        i += n + rng.randint(2, 12)
    out = {}
    for name in ANNOTATORS:
        spans = []
        for s, e, label in truth:
            roll = rng.random()
            if roll < 0.1:
                continue  # missed
            if roll < 0.2:
                label = rng.choice([x for x in USED if x != label])
            elif roll < 0.3 and e - s > 2:
                s += 1  # a proclitic left out, or a boundary shift
            spans.append(Annotation(s, e, label))
        if rng.random() < 0.5:
            w = rng.choice(words)
            spans.append(Annotation(w[0], w[1], rng.choice(USED)))  # an extra
        out[name] = spans
    return out


@pytest.fixture(scope="module")
def corpus() -> tuple[list[Document], dict[str, str]]:
    rng = random.Random(20240611)
    documents, titles = [], {}
    for k, path in enumerate(sample_corpus_files()):
        text = path.read_text(encoding="utf-8")
        doc_id = path.stem
        titles[doc_id] = text.splitlines()[0].strip()
        # The last document: nobody annotated it (its own figures are undefined).
        annotations = _spans_for(text, rng) if k < 4 else {}
        documents.append(Document(doc_id, text, annotations))
    return documents, titles


@pytest.fixture(scope="module")
def report(corpus):
    documents, _ = corpus
    return compute_agreement(documents, annotators=ANNOTATORS, labels=LABELS, bootstrap=200, seed=3)


@pytest.fixture(scope="module")
def page(report, corpus, tmp_path_factory) -> str:
    _, titles = corpus
    html = render_html(
        report,
        title="مشروع أخبار ليبيا",
        doc_titles=titles,
        generated_at="2024-06-11T10:00:00Z",
        source="libya.wbproj",
    )
    out = tmp_path_factory.mktemp("agreement-html") / "agreement.html"
    out.write_text(html, encoding="utf-8")
    return html


class Walker(HTMLParser):
    """Checks that tags nest and close, and records elements, attributes and text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.opened: dict[str, int] = {}
        self.closed: dict[str, int] = {}
        # Heat map cells: (measure, pair, text in the cell's value <text>, title text)
        self.cells: list[dict] = []
        self._cell: dict | None = None
        self._measure: str | None = None
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "svg" and "heatmap" in (a.get("class") or ""):
            self._measure = a.get("data-measure")
        if tag == "g" and a.get("class") == "cell":
            self._cell = {
                "measure": self._measure,
                "pair": a.get("data-pair"),
                "value": "",
                "title": "",
                "data": a.get("data-value"),
            }
        if self._cell is not None and tag == "text" and a.get("class") == "value":
            self._in = "value"
        if self._cell is not None and tag == "title":
            self._in = "title"
        if tag not in VOID:
            self.stack.append((tag, a))
            self.opened[tag] = self.opened.get(tag, 0) + 1

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        self.closed[tag] = self.closed.get(tag, 0) + 1
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        self.stack.pop()
        if tag in ("text", "title"):
            self._in = None
        if tag == "g" and self._cell is not None:
            self.cells.append(self._cell)
            self._cell = None
        if tag == "svg":
            self._measure = None

    def handle_data(self, data):
        if self._cell is not None and self._in:
            self._cell[self._in] += data


@pytest.fixture(scope="module")
def walked(page) -> Walker:
    w = Walker()
    w.feed(page)
    w.close()
    return w


def test_page_parses_and_tags_balance(walked, page):
    assert page.startswith("<!DOCTYPE html>")
    assert walked.errors == []
    assert walked.stack == []
    for tag in ("svg", "table", "g", "text", "tr", "td", "html", "body"):
        assert walked.opened.get(tag, 0) == walked.closed.get(tag, 0), tag
    assert walked.opened["svg"] >= 3  # two heat maps and the α_U chart
    assert walked.opened["table"] >= 6


def test_self_contained(walked, page):
    names = [t for t, _ in walked.tags]
    assert "link" not in names and "script" not in names and "img" not in names and "iframe" not in names
    for tag, attrs in walked.tags:
        for key in ("src", "href", "xlink:href", "srcset", "data", "poster", "action"):
            value = attrs.get(key)
            assert value is None or value.startswith("#"), (tag, key, value)
    # CSS and SVG paint may only point inside the page (url(#id)).
    for ref in re.findall(r"url\(([^)]*)\)", page):
        assert ref.strip("'\" ").startswith("#"), ref
    assert "@import" not in page and "@font-face" not in page
    assert not re.search(r"(?:https?|file|ftp)://(?!www\.w3\.org/2000/svg\")", page)


def test_arabic_in_logical_order_without_presentation_forms(page, corpus, report):
    _, titles = corpus
    assert PRESENTATION_FORMS.search(page) is None
    raw_checked = 0
    for _doc_id, title in titles.items():
        assert escape(title) in page
        if escape(title) == title:
            assert title in page
            raw_checked += 1
        # In the per-document table the title sits in its own cell that finds its direction itself.
        assert f'<td class="doctitle" dir="auto">{escape(title)}</td>' in page
    assert raw_checked >= 4
    assert "مشروع أخبار ليبيا" in page
    assert '<h1 dir="auto">مشروع أخبار ليبيا</h1>' in page
    # The Arabic annotator name in SVG text runs right to left, stored as is.
    arabic_text = re.findall(r"<text [^>]*>سلمى</text>", page)
    assert arabic_text and all('direction="rtl"' in t for t in arabic_text)
    assert all('direction="ltr"' in t for t in re.findall(r"<text [^>]*>amal</text>", page))


def test_heat_maps_one_cell_per_pair_with_the_reports_numbers(walked, report):
    for measure in ("strict_f1", "relaxed_f1"):
        cells = [c for c in walked.cells if c["measure"] == measure]
        assert sorted(c["pair"] for c in cells) == sorted(report.pairs)
        assert len(cells) == 3
        for cell in cells:
            score = getattr(report.pairs[cell["pair"]], measure)
            assert score.value is not None
            assert cell["value"] == format_value(score.value) == cell["data"]
            assert re.fullmatch(r"-?\d\.\d{3}", cell["value"])
            assert abs(float(cell["value"]) - score.value) <= 0.0005
            a, b = cell["pair"].split("|")
            assert a in cell["title"] and b in cell["title"] and cell["value"] in cell["title"]


def test_figures_match_the_report(page, report):
    assert format_value(report.alpha_u.value) in page
    assert format_value(report.alpha_u_mean_over_docs.value) in page
    assert "Pooled α<sub>U</sub>" in page and "Mean of the per-document α<sub>U</sub> values" in page
    ci = report.alpha_u.ci
    assert ci is not None and ci.low is not None
    assert f"95% CI {format_value(ci.low)} to {format_value(ci.high)}" in page
    for label in USED:
        assert format_value(report.alpha_u_per_label[label].value) in page
    for pair in report.pairs.values():
        assert format_value(pair.cohen_kappa_bio.value) in page
    assert format_value(report.fleiss_kappa_bio.value) in page
    assert "For comparison with the literature only" in page
    assert "rises" in page and "unannotated text" in page
    assert page.count("How to read this.") >= 6


def test_undefined_figures_are_na_with_reason(page, report):
    assert report.alpha_u_per_label["DATE"].value is None
    row = re.search(r'<tr data-label="DATE">.*?</tr>', page, re.S).group(0)
    cells = re.findall(r'<td class="num">(.*?)</td>', row, re.S)
    assert len(cells) == 4 + len(ANNOTATORS)
    for cell in cells[:3]:  # strict F1, relaxed F1, α_U
        assert "n/a" in cell and "reason" in cell
        assert "0.000" not in cell and "1.000" not in cell
    assert escape(report.alpha_u_per_label["DATE"].reason) in row
    # The document nobody annotated: n/a with the reason, sorted last.
    last_doc = sample_corpus_files()[4].stem
    rows = re.findall(r'<tr data-doc="([^"]+)">(.*?)</tr>', page, re.S)
    assert rows[-1][0] == last_doc
    assert "n/a" in rows[-1][1] and "no span in this document" in rows[-1][1]
    # Worst first, the one rule of the window and the CLI (present.worst_first): strict F1 averaged
    # over the pairs ascends down the table, undefined last. (The report used to sort by α_U.)
    assert [d for d, _ in rows] == [r.doc_id for r in worst_first(report.documents)]
    keys = [mean_strict_f1(r) for r in worst_first(report.documents)]
    defined = [v for v in keys if v is not None]
    assert len(defined) == 4 and keys[:4] == defined and keys[4:] == [None]
    assert defined == sorted(defined)
    shown = [re.findall(r'<td class="num">(.*?)</td>', cells, re.S)[2] for _, cells in rows]  # #, spans, mean
    assert shown[:4] == [format_value(v) for v in defined]
    assert "strict F1 averaged over the pairs" in page


def test_confusion_matrix_has_none_row_and_column(page, report):
    for name, pair in report.pairs.items():
        table = re.search(rf'<table class="confusion" data-pair="{re.escape(escape(name))}">(.*?)</table>', page, re.S)
        assert table, name
        body = table.group(1)
        assert '<th><bdi dir="auto">none</bdi></th>' in body
        rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
        assert len(rows) == len(pair.confusion) + 1  # header + one per row label
        total = sum(int(v) for v in re.findall(r'<td class="num"[^>]*>(\d+)</td>', body))
        assert total == sum(sum(r.values()) for r in pair.confusion.values())
        # The page shows every cell of the matrix where it belongs, the none row and column too:
        # the none row counts spans only B marked, the none column spans only A marked.
        header = re.findall(r'<th><bdi dir="auto">([^<]*)</bdi></th>', rows[0])
        assert header == list(next(iter(pair.confusion.values())))
        shown = {}
        for row in rows[1:]:
            label = re.match(r'<th><bdi dir="auto">([^<]*)</bdi></th>', row).group(1)
            cells = [int(v) for v in re.findall(r'<td class="num"[^>]*>(\d+)</td>', row)]
            shown[label] = dict(zip(header, cells, strict=True))
        assert shown == pair.confusion
        assert sum(shown["none"].values()) == pair.counts.only_in_b > 0
        assert sum(row["none"] for row in shown.values()) == pair.counts.only_in_a > 0


def test_undefined_pair_in_heat_map():
    text = "قتل ثلاثة في بنغازي أمس"
    docs = [Document("d", text, {"a": [Annotation(0, 3, "ACTOR")], "b": [], "c": []})]
    report = compute_agreement(docs, annotators=["a", "b", "c"], bootstrap=0)
    assert report.pairs["b|c"].strict_f1.value is None
    w = Walker()
    w.feed(render_html(report, title="t", generated_at="x"))
    cell = next(c for c in w.cells if c["measure"] == "strict_f1" and c["pair"] == "b|c")
    assert cell["value"] == "n/a"
    assert report.pairs["b|c"].strict_f1.reason in cell["title"]
    defined = next(c for c in w.cells if c["measure"] == "strict_f1" and c["pair"] == "a|b")
    assert defined["value"] == "0.000"  # a real 0: a marked one span, b none


def test_written_file_and_optional_screenshot(page, tmp_path):
    out = tmp_path / "agreement.html"
    out.write_text(page, encoding="utf-8")
    assert out.read_text(encoding="utf-8") == page
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("no /usr/bin/chromium for a screenshot")
    png = tmp_path / "agreement.png"
    subprocess.run(
        [
            str(chromium),
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            f"--screenshot={png}",
            "--window-size=1280,3000",
            out.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert png.exists() and png.stat().st_size > 10_000
