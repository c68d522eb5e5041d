"""An :class:`~.report.AgreementReport` as one self-contained HTML page.

:func:`render_html` writes a single file a team lead can open offline or mail: inline
CSS, charts drawn as inline SVG by hand, no script, no font, no image and no link to
anything outside the file.

Arabic text (document titles, a project's own label or annotator names) goes into the
page exactly as stored: logical order, unshaped. The browser shapes and orders it; the
page only says which way it runs (``dir="auto"`` on HTML elements, which isolates it
from the surrounding left-to-right table, and ``direction``/``unicode-bidi`` on SVG
``<text>``). Never pass text through arabic-reshaper or python-bidi for this page: the
presentation forms they produce break search, copy and the browser's own shaping.

Every undefined figure (``Score.value is None``) is written "n/a" with its reason,
never as 0 or 1. Every value is written by :func:`format_value`; numbers, colours and the
documents' worst-first order come from :mod:`.present`, as in the window and the command line.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime
from html import escape

from workbench.core.agreement.present import NA, VIRIDIS, WORST_FIRST, fmt_score, mean_strict_f1, worst_first
from workbench.core.agreement.present import text_colour as text_colour
from workbench.core.agreement.present import viridis_hex as colour
from workbench.core.agreement.report import AgreementReport, DocumentRow, PairReport
from workbench.core.agreement.scores import Interval, Score, SpanCounts

UNDEFINED_FILL = "#d9d9d9"
# The α_U chart's marks, from the same scale: the interval, the pooled value, the per-document mean.
WHISKER, POOLED_DOT, MEAN_SQUARE = colour(0.25), colour(0.5), colour(1.0)

_CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, "Noto Sans", "Noto Sans Arabic", "DejaVu Sans", Arial, sans-serif;
       margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #1a1a1a; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
table { border-collapse: collapse; margin: .6rem 0; font-size: .9rem; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; vertical-align: top; }
th { background: #f2f2f2; text-align: start; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.doctitle { max-width: 28rem; unicode-bidi: isolate; }
bdi, .iso { unicode-bidi: isolate; }
.na { color: #6b6b6b; font-style: italic; }
.reason { color: #6b6b6b; font-size: .8rem; }
.ci { color: #444; font-size: .85rem; white-space: nowrap; }
.how { background: #f7f7f2; border-left: 4px solid #b5b58a; padding: .4rem .8rem; font-size: .9rem; }
.meta td { border: none; padding: .1rem .8rem .1rem 0; }
.big { font-size: 1.4rem; font-weight: 600; }
.literature { background: #fbfbfb; border: 1px dashed #aaa; padding: .2rem 1rem 1rem; margin-top: 2.2rem; }
svg { max-width: 100%; height: auto; }
svg text { font-family: system-ui, "Noto Sans", "Noto Sans Arabic", "DejaVu Sans", Arial, sans-serif; }
.muted { color: #6b6b6b; }
"""


# ----------------------------------------------------------------------------- helpers


def format_value(value: float | None) -> str:
    """How every figure is written on the page: three decimals, or "n/a" when undefined
    (:func:`~.present.fmt_score`)."""
    return fmt_score(value)


def base_direction(text: str) -> str:
    """ "rtl" or "ltr" from the first strong character (the Unicode bidi rule P2/P3)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _iso(text: str) -> str:
    """Text of unknown direction inside an LTR context (names, labels)."""
    return f'<bdi dir="auto">{_e(text)}</bdi>'


def _score_html(score: Score, *, ci: bool = False) -> str:
    if score.value is None:
        reason = score.reason or "undefined"
        return f'<span class="na" title="{_e(reason)}">{NA}</span> <span class="reason">({_e(reason)})</span>'
    out = _e(format_value(score.value))
    if ci:
        out += " " + _ci_html(score.ci)
    return out


def _ci_text(interval: Interval | None) -> str:
    if interval is None:
        return "no interval (bootstrap off)"
    if interval.low is None or interval.high is None:
        return f"{round(interval.level * 100)}% CI {NA} ({interval.reason or 'undefined'})"
    return (
        f"{round(interval.level * 100)}% CI {format_value(interval.low)} to {format_value(interval.high)}"
        f" ({interval.replicates} resamples)"
    )


def _ci_html(interval: Interval | None) -> str:
    return f'<span class="ci">[{_e(_ci_text(interval))}]</span>'


def _score_title(name: str, score: Score) -> str:
    if score.value is None:
        return f"{name}: {NA} ({score.reason or 'undefined'})"
    text = f"{name}: {format_value(score.value)}, {score.n_units} units"
    if score.ci is not None:
        text += f"; {_ci_text(score.ci)}"
    return text


def _svg_text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "middle",
    size: int = 12,
    fill: str = "#1a1a1a",
    weight: str = "normal",
    cls: str = "",
) -> str:
    """An SVG <text> whose run direction follows its own first strong character.

    For right-to-left text ``direction="rtl"`` makes "start" the right edge, so a
    requested anchor of "start"/"end" (meant visually: left/right edge) is swapped.
    """
    direction = base_direction(text)
    if direction == "rtl" and anchor in ("start", "end"):
        anchor = "end" if anchor == "start" else "start"
    attrs = (
        f'x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}"'
        f' font-weight="{weight}" direction="{direction}" unicode-bidi="embed"'
    )
    if cls:
        attrs += f' class="{cls}"'
    return f"<text {attrs}>{_e(text)}</text>"


def _how(text: str) -> str:
    return f'<p class="how"><strong>How to read this.</strong> {text}</p>'


# ----------------------------------------------------------------------------- charts


def heat_map_svg(report: AgreementReport, measure: str, *, chart_id: str) -> str:
    """Annotator × annotator heat map of ``measure`` ("strict_f1" or "relaxed_f1"): one cell per pair.

    Pair "A|B" sits in row A, column B (upper triangle); the value is written in the
    cell, "n/a" where undefined, and the full figure (or the reason) is the cell's
    SVG ``<title>`` tooltip.
    """
    names = list(report.annotators)
    rows, cols = names[:-1], names[1:]
    cell = 72
    longest = max((len(n) for n in names), default=1)
    left = min(220, 16 + 8 * longest)
    top = 40
    legend_h = 46
    lw = min(200, cell * max(1, len(cols)))
    width = max(left + cell * max(1, len(cols)) + 20, left + lw + 130)
    height = top + cell * max(1, len(rows)) + legend_h
    human = "strict F1" if measure == "strict_f1" else "relaxed F1"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{_e(chart_id)}" class="heatmap" data-measure="{_e(measure)}"'
        f' width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img"'
        f' aria-label="{_e(human)} per pair of annotators">',
        f"<title>{_e(human)} per pair of annotators</title>",
        "<defs>",
        f'<pattern id="{_e(chart_id)}-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{UNDEFINED_FILL}"/><line x1="0" y1="0" x2="0" y2="6"'
        ' stroke="#b0b0b0" stroke-width="2"/></pattern>',
        f'<linearGradient id="{_e(chart_id)}-scale" x1="0" x2="1" y1="0" y2="0">',
        *(f'<stop offset="{x:.3f}" stop-color="{colour(x)}"/>' for x, _ in VIRIDIS),
        "</linearGradient>",
        "</defs>",
    ]
    for j, name in enumerate(cols):
        out.append(_svg_text(left + cell * j + cell / 2, top - 10, name, size=12, weight="bold"))
    for i, name in enumerate(rows):
        # Centred in the margin: "middle" means the same in either direction, in every renderer.
        out.append(_svg_text((left - 8) / 2, top + cell * i + cell / 2 + 4, name, size=12, weight="bold"))
    index = {n: k for k, n in enumerate(names)}
    for pair_name, pair in report.pairs.items():
        a, b = pair_name.split("|", 1)
        i, j = index[a], index[b] - 1
        score: Score = getattr(pair, measure)
        x, y = left + cell * j, top + cell * i
        if score.value is None:
            fill, ink, label = f"url(#{_e(chart_id)}-hatch)", "#333333", NA
        else:
            fill, ink, label = colour(score.value), text_colour(score.value), format_value(score.value)
        tip = _score_title(f"{human} {a} vs {b}", score)
        out.append(
            f'<g class="cell" data-pair="{_e(pair_name)}" data-value="{_e(label)}">'
            f"<title>{_e(tip)}</title>"
            f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{fill}" stroke="#ffffff" stroke-width="2"/>'
            + _svg_text(x + cell / 2, y + cell / 2 + 5, label, size=14, fill=ink, weight="bold", cls="value")
            + "</g>"
        )
    # Colour legend: 0 to 1.
    ly = top + cell * max(1, len(rows)) + 14
    out.append(f'<rect x="{left}" y="{ly}" width="{lw}" height="10" fill="url(#{_e(chart_id)}-scale)" stroke="#888"/>')
    out.append(_svg_text(left, ly + 24, "0", size=10, anchor="start"))
    out.append(_svg_text(left + lw, ly + 24, "1", size=10, anchor="end"))
    out.append(
        f'<rect x="{left + lw + 14}" y="{ly}" width="14" height="10" fill="url(#{_e(chart_id)}-hatch)" stroke="#888"/>'
    )
    out.append(_svg_text(left + lw + 32, ly + 9, "n/a (undefined)", size=10, anchor="start"))
    out.append("</svg>")
    return "\n".join(out)


def alpha_chart_svg(report: AgreementReport, *, chart_id: str = "alpha-u-chart") -> str:
    """Dot-and-whisker chart: pooled α_U with its interval, the mean over documents, each label's α_U."""
    rows: list[tuple[str, Score]] = [
        ("pooled α_U (all documents end to end)", report.alpha_u),
        ("mean of per-document α_U", report.alpha_u_mean_over_docs),
    ] + [(f"α_U {label}", s) for label, s in report.alpha_u_per_label.items()]
    values = [s.value for _, s in rows if s.value is not None]
    values += [s.ci.low for _, s in rows if s.ci is not None and s.ci.low is not None]
    lo = min([0.0] + values)
    lo = -1.0 if lo < -1.0 else (int(lo * 5 - 0.999999) / 5 if lo < 0 else 0.0)
    hi = 1.0
    left, right, top, row_h = 250, 30, 26, 26
    plot_w = 420
    width = left + plot_w + right + 50
    height = top + row_h * len(rows) + 30

    def px(v: float) -> float:
        v = min(hi, max(lo, v))
        return left + (v - lo) / (hi - lo) * plot_w

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{_e(chart_id)}" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" role="img" aria-label="Krippendorff unitizing alpha">',
        "<title>Krippendorff's α_U: pooled with its bootstrap interval, mean over documents, per label</title>",
    ]
    ticks = []
    t = lo
    while t <= hi + 1e-9:
        ticks.append(round(t, 1))
        t += 0.2
    for t in ticks:
        x = px(t)
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{top + row_h * len(rows)}" '
            f'stroke="{"#777" if t == 0 else "#e0e0e0"}" stroke-width="1"/>'
        )
        out.append(_svg_text(x, top + row_h * len(rows) + 16, f"{t:.1f}", size=10))
    for k, (name, score) in enumerate(rows):
        y = top + row_h * k + row_h / 2
        out.append(f'<g class="alpha-row"><title>{_e(_score_title(name, score))}</title>')
        out.append(_svg_text(left - 10, y + 4, name, anchor="end", size=12))
        if score.value is None:
            out.append(
                _svg_text(
                    left + 4, y + 4, f"{NA}: {score.reason or 'undefined'}", anchor="start", size=11, fill="#6b6b6b"
                )
            )
        else:
            if score.ci is not None and score.ci.low is not None and score.ci.high is not None:
                out.append(
                    f'<line x1="{px(score.ci.low):.1f}" y1="{y:.1f}" x2="{px(score.ci.high):.1f}" y2="{y:.1f}"'
                    f' stroke="{WHISKER}" stroke-width="2"/>'
                )
                for end in (score.ci.low, score.ci.high):
                    out.append(
                        f'<line x1="{px(end):.1f}" y1="{y - 5:.1f}" x2="{px(end):.1f}" y2="{y + 5:.1f}"'
                        f' stroke="{WHISKER}" stroke-width="2"/>'
                    )
            shape = "rect" if k == 1 else "circle"
            x = px(score.value)
            if shape == "circle":
                out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{POOLED_DOT}" stroke="#1a1a1a"/>')
            else:
                out.append(
                    f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{MEAN_SQUARE}" stroke="#1a1a1a"/>'
                )
            out.append(_svg_text(left + plot_w + 12, y + 4, format_value(score.value), anchor="start", size=12))
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


# ----------------------------------------------------------------------------- sections


def _per_annotator_label_counts(report: AgreementReport) -> dict[str, dict[str, int]]:
    """Spans per annotator and label, read off the pairs' counts (0 where a label is absent)."""
    out = {name: dict.fromkeys(report.labels, 0) for name in report.annotators}
    seen: set[str] = set()
    for pair_name, pair in report.pairs.items():
        a, b = pair_name.split("|", 1)
        for who, side in ((a, "n_a"), (b, "n_b")):
            if who in seen:
                continue
            for label, c in pair.counts_per_label.items():
                out[who][label] = getattr(c, side)
            seen.add(who)
    return out


def _per_annotator_totals(report: AgreementReport) -> dict[str, int | None]:
    out: dict[str, int | None] = dict.fromkeys(report.annotators)
    for pair_name, pair in report.pairs.items():
        a, b = pair_name.split("|", 1)
        out[a] = pair.counts.n_a
        out[b] = pair.counts.n_b
    return out


def _pooled_label_f1(report: AgreementReport, label: str, strict: bool) -> Score:
    """F1 of one label pooled over every pair: 2·Σ matched / Σ (spans of A + spans of B)."""
    matched = units = 0
    for pair in report.pairs.values():
        c = pair.counts_per_label.get(label)
        if c is None:
            continue
        matched += c.strict_matched if strict else c.relaxed_matched
        units += c.n_a + c.n_b
    if not report.pairs:
        return Score.undefined("fewer than two annotators")
    if units == 0:
        return Score.undefined(f"nobody marked a span labelled {label}")
    return Score(2.0 * matched / units, None, units)


def _header(report: AgreementReport, title: str, doc_titles: Mapping[str, str], generated_at: str, source: str) -> str:
    totals = _per_annotator_totals(report)
    n_spans = sum(row.n_spans for row in report.documents)
    tokens = report.fleiss_kappa_bio.n_units or next((p.cohen_kappa_bio.n_units for p in report.pairs.values()), 0)
    annotators = (
        ", ".join(
            f"{_iso(name)} ({totals[name] if totals[name] is not None else '?'} spans)" for name in report.annotators
        )
        or '<span class="na">none</span>'
    )
    labels = ", ".join(_iso(label) for label in report.labels) or '<span class="na">none</span>'
    rows = [
        ("Generated", _e(generated_at)),
        ("Documents compared", f"{report.n_documents}"),
        ("Annotators compared", annotators),
        ("Labels", labels),
        ("Spans (all annotators)", f"{n_spans}"),
        ("α<sub>U</sub> units", f"{report.alpha_u.n_units}"),
        ("Tokens (kappas)", f"{tokens}"),
        (
            "Bootstrap",
            _e(
                f"{report.bootstrap.get('replicates', 0)} resamples of {report.bootstrap.get('resampling', 'documents')},"
                f" seed {report.bootstrap.get('seed')}, level {report.bootstrap.get('level')}"
                if report.bootstrap.get("replicates")
                else "off (no confidence intervals)"
            ),
        ),
    ]
    if source:
        rows.insert(1, ("Source", f'<bdi dir="auto">{_e(source)}</bdi>'))
    out = [
        f'<h1 dir="auto">{_e(title)}</h1>',
        '<p class="muted">Inter-annotator agreement report</p>',
        '<table class="meta">',
    ]
    out += [f"<tr><td><strong>{name}</strong></td><td>{value}</td></tr>" for name, value in rows]
    out.append("</table>")
    if 0 < report.n_documents <= 30:
        items = "".join(
            f'<li><bdi dir="auto">{_e(doc_titles.get(row.doc_id, row.doc_id))}</bdi>'
            f' <code class="muted">{_e(row.doc_id)}</code></li>'
            for row in report.documents
        )
        out.append(f"<details><summary>Which documents</summary><ul>{items}</ul></details>")
    return "\n".join(out)


def _pair_table(report: AgreementReport) -> str:
    head = (
        "<tr><th>Pair</th><th>Strict F1</th><th>Relaxed F1</th><th>Spans A</th><th>Spans B</th>"
        "<th>Identical</th><th>Boundary conflicts</th><th>of which proclitic only</th>"
        "<th>Label conflicts</th><th>Only in A</th><th>Only in B</th></tr>"
    )
    body = []
    for name, pair in report.pairs.items():
        a, b = name.split("|", 1)
        c: SpanCounts = pair.counts
        body.append(
            f'<tr data-pair="{_e(name)}"><td>{_iso(a)} vs {_iso(b)}</td>'
            f'<td class="num">{_score_html(pair.strict_f1, ci=True)}</td>'
            f'<td class="num">{_score_html(pair.relaxed_f1, ci=True)}</td>'
            + "".join(
                f'<td class="num">{v}</td>'
                for v in (
                    c.n_a,
                    c.n_b,
                    c.strict_matched,
                    c.boundary_conflict,
                    c.proclitic_conflict,
                    c.label_conflict_a,
                    c.only_in_a,
                    c.only_in_b,
                )
            )
            + "</tr>"
        )
    return f'<table class="pairs">{head}{"".join(body)}</table>'


def _f1_section(report: AgreementReport) -> str:
    out = ["<h2>Span F1 per pair of annotators</h2>"]
    if not report.pairs:
        out.append(f'<p><span class="na">{NA}</span> <span class="reason">(fewer than two annotators)</span></p>')
        return "\n".join(out)
    out.append("<h3>Strict F1 (start, end and label identical)</h3>")
    out.append(heat_map_svg(report, "strict_f1", chart_id="heatmap-strict"))
    out.append("<h3>Relaxed F1 (overlapping spans with the same label)</h3>")
    out.append(heat_map_svg(report, "relaxed_f1", chart_id="heatmap-relaxed"))
    undefined = [
        (name, kind, getattr(p, kind))
        for name, p in report.pairs.items()
        for kind in ("strict_f1", "relaxed_f1")
        if getattr(p, kind).value is None
    ]
    if undefined:
        items = "".join(
            f"<li>{_e(name)}, {'strict' if kind == 'strict_f1' else 'relaxed'} F1: "
            f'<span class="na">{NA}</span> ({_e(s.reason or "undefined")})</li>'
            for name, kind, s in undefined
        )
        out.append(f"<p>Undefined cells:</p><ul>{items}</ul>")
    out.append(_pair_table(report))
    out.append(
        _how(
            "Each cell compares two annotators over all documents. <em>Strict F1</em> counts a span as agreed "
            "only when both marked exactly the same characters with the same label; <em>relaxed F1</em> pairs "
            "overlapping spans of the same label one to one, so a disagreement about where a name starts or ends "
            "(for instance an attached proclitic such as و or ب) still counts as agreement. F1 = 2 × agreed spans "
            "/ (spans of A + spans of B): 1 means identical work, 0 nothing in common. A large gap between relaxed "
            "and strict F1 points to boundary rules that need clarifying; the table splits the disagreements into "
            "boundary conflicts, label conflicts and spans only one annotator marked. The interval in brackets is "
            "a bootstrap interval from resampling documents. Colours follow the viridis scale (dark = low, "
            "yellow = high); hatched grey cells are undefined (hover for the reason)."
        )
    )
    return "\n".join(out)


def _alpha_section(report: AgreementReport) -> str:
    defined_docs = sum(1 for row in report.documents if row.alpha_u.value is not None)
    pooled, mean = report.alpha_u, report.alpha_u_mean_over_docs
    out = [
        "<h2>Krippendorff's unitizing alpha (α<sub>U</sub>)</h2>",
        '<table class="alpha">',
        "<tr><th>Figure</th><th>Value</th><th>Units</th></tr>",
        f'<tr id="alpha-pooled"><td><strong>Pooled α<sub>U</sub></strong>: all documents laid end to end</td>'
        f'<td class="num"><span class="big">{_score_html(pooled)}</span> '
        f"{_ci_html(pooled.ci) if pooled.value is not None else ''}</td>"
        f'<td class="num">{pooled.n_units}</td></tr>',
        f'<tr id="alpha-mean"><td><strong>Mean of the per-document α<sub>U</sub> values</strong>'
        f" (as INCEpTION shows it; {defined_docs} of {report.n_documents} documents defined)</td>"
        f'<td class="num">{_score_html(mean)}</td><td class="num">{mean.n_units}</td></tr>',
        "</table>",
        alpha_chart_svg(report),
        _how(
            "α<sub>U</sub> (Krippendorff's unitizing alpha, computed as DKPro Statistics / INCEpTION do) compares where "
            "every annotator put each label, character by character, against what chance would give: 1 is "
            "perfect agreement, 0 is chance level, below 0 is systematic disagreement. Near misses cost less "
            "than far ones. The <em>pooled</em> figure treats the corpus as one long text, so long documents "
            "weigh more; the <em>mean of per-document values</em> gives a short document as much weight as a "
            "long one and skips documents where α<sub>U</sub> is undefined. The two can differ a lot: quote the pooled "
            "figure with its interval, and say which one you quote. In the chart the circle is the pooled "
            "value with its bootstrap interval, the square the per-document mean."
        ),
    ]
    return "\n".join(out)


def _label_section(report: AgreementReport) -> str:
    counts = _per_annotator_label_counts(report)
    names = list(report.annotators)
    head = (
        "<tr><th>Label</th><th>Strict F1 (all pairs)</th><th>Relaxed F1 (all pairs)</th><th>α<sub>U</sub></th>"
        "<th>α<sub>U</sub> units</th>" + "".join(f"<th>Spans by {_iso(n)}</th>" for n in names) + "</tr>"
    )
    body = []
    for label in report.labels:
        alpha = report.alpha_u_per_label.get(label) or Score.undefined("no span with this label")
        body.append(
            f'<tr data-label="{_e(label)}"><td>{_iso(label)}</td>'
            f'<td class="num">{_score_html(_pooled_label_f1(report, label, True))}</td>'
            f'<td class="num">{_score_html(_pooled_label_f1(report, label, False))}</td>'
            f'<td class="num">{_score_html(alpha)}</td><td class="num">{alpha.n_units}</td>'
            + "".join(f'<td class="num">{counts[n][label]}</td>' for n in names)
            + "</tr>"
        )
    out = ["<h2>Per label</h2>", f'<table class="labels">{head}{"".join(body)}</table>']
    if report.pairs:
        sub = ["<tr><th>Label</th>"]
        for name in report.pairs:
            a, b = name.split("|", 1)
            sub.append(f"<th>Strict F1 {_iso(a)} vs {_iso(b)}</th><th>Relaxed F1 {_iso(a)} vs {_iso(b)}</th>")
        sub.append("</tr>")
        for label in report.labels:
            sub.append(f"<tr><td>{_iso(label)}</td>")
            for pair in report.pairs.values():
                strict = pair.strict_f1_per_label.get(label) or Score.undefined(
                    f"neither annotator marked any span labelled {label}"
                )
                relaxed = pair.relaxed_f1_per_label.get(label) or Score.undefined(
                    f"neither annotator marked any span labelled {label}"
                )
                sub.append(f'<td class="num">{_score_html(strict)}</td><td class="num">{_score_html(relaxed)}</td>')
            sub.append("</tr>")
        out.append("<h3>Per label and pair</h3>")
        out.append(f'<table class="labels-pairs">{"".join(sub)}</table>')
    out.append(
        _how(
            "One row per label. The F1 columns pool every pair of annotators (2 × agreed spans / all spans the "
            "pairs compared), the table below gives each pair separately. α<sub>U</sub> per label is pooled over all "
            "documents. A label nobody used has no agreement to measure: it shows n/a, not 0 or 1. Low strict but "
            "high relaxed F1 for a label means annotators find the same things but cut them differently."
        )
    )
    return "\n".join(out)


def _document_section(report: AgreementReport, doc_titles: Mapping[str, str], max_documents: int | None) -> str:
    rows: list[DocumentRow] = worst_first(report.documents)
    shown = rows if max_documents is None else rows[:max_documents]
    pair_names = list(report.pairs) if len(report.pairs) <= 6 else []
    head = (
        "<tr><th>#</th><th>Document</th><th>Id</th><th>Spans</th><th>Strict F1, mean over pairs</th>"
        "<th>α<sub>U</sub></th><th>Strict F1</th><th>Relaxed F1</th>"
        + "".join(f"<th>Strict F1 {_iso(n.split('|', 1)[0])} vs {_iso(n.split('|', 1)[1])}</th>" for n in pair_names)
        + "</tr>"
    )
    body = []
    for k, row in enumerate(shown, 1):
        title = doc_titles.get(row.doc_id)
        title_cell = (
            f'<td class="doctitle" dir="auto">{_e(title)}</td>'
            if title
            else '<td class="doctitle muted">(no title)</td>'
        )
        body.append(
            f'<tr data-doc="{_e(row.doc_id)}"><td class="num">{k}</td>{title_cell}'
            f'<td><code>{_e(row.doc_id)}</code></td><td class="num">{row.n_spans}</td>'
            f'<td class="num">{_score_html(_mean_strict(row))}</td>'
            f'<td class="num">{_score_html(row.alpha_u)}</td>'
            f'<td class="num">{_score_html(row.strict_f1)}</td><td class="num">{_score_html(row.relaxed_f1)}</td>'
            + "".join(
                f'<td class="num">{_score_html(row.strict_f1_per_pair.get(n) or Score.undefined("no data"))}</td>'
                for n in pair_names
            )
            + "</tr>"
        )
    out = ["<h2>Per document, worst first</h2>", f'<table class="documents">{head}{"".join(body)}</table>']
    if len(shown) < len(rows):
        out.append(f'<p class="muted">Showing the {len(shown)} worst of {len(rows)} documents.</p>')
    out.append(
        _how(
            f"Documents are sorted worst first by {_e(WORST_FIRST)} (the column <em>Strict F1, mean over pairs</em>), "
            "as in the agreement window and <code>workbench-cli agreement</code>. The other Strict F1 and Relaxed F1 columns "
            "pool every pair of annotators within the document. Start adjudication and guideline discussions "
            "with the documents at the top."
        )
    )
    return "\n".join(out)


def _mean_strict(row: DocumentRow) -> Score:
    """The figure the documents are sorted by (:func:`~.present.mean_strict_f1`), as a score."""
    value = mean_strict_f1(row)
    if value is None:
        return Score.undefined(row.strict_f1.reason or "no pair has a span in this document")
    return Score(value)


def _confusion_section(report: AgreementReport) -> str:
    out = ["<h2>Label confusion</h2>"]
    if not report.pairs:
        out.append(f'<p><span class="na">{NA}</span> <span class="reason">(fewer than two annotators)</span></p>')
        return "\n".join(out)
    for name, pair in report.pairs.items():
        a, b = name.split("|", 1)
        out.append(_confusion_table(name, a, b, pair))
    out.append(
        _how(
            "Rows are the first annotator's label, columns the second's. The diagonal counts overlapping spans "
            "both gave the same label (the relaxed matches); an off-diagonal cell counts overlapping spans given "
            "different labels; the <em>none</em> column counts spans only the row annotator marked, the "
            "<em>none</em> row spans only the column annotator marked. A busy none row or column means missed "
            "entities, a busy off-diagonal cell a label definition that needs work."
        )
    )
    return "\n".join(out)


def _confusion_table(name: str, a: str, b: str, pair: PairReport) -> str:
    keys = list(pair.confusion)
    top = max((v for row in pair.confusion.values() for v in row.values()), default=0)
    cols = list(next(iter(pair.confusion.values()), {}).keys()) if pair.confusion else []
    head = f"<tr><th>{_iso(a)} ↓ / {_iso(b)} →</th>" + "".join(f"<th>{_iso(c)}</th>" for c in cols) + "</tr>"
    body = []
    for r in keys:
        cells = []
        for c in cols:
            v = pair.confusion[r].get(c, 0)
            if v and top:
                share = v / top
                style = f' style="background:{colour(share)};color:{text_colour(share)}"'
            else:
                style = ""
            cells.append(f'<td class="num"{style}>{v}</td>')
        body.append(f"<tr><th>{_iso(r)}</th>{''.join(cells)}</tr>")
    return (
        f'<h3>{_iso(a)} vs {_iso(b)}</h3><table class="confusion" data-pair="{_e(name)}">{head}{"".join(body)}</table>'
    )


def _kappa_section(report: AgreementReport) -> str:
    out = [
        '<section class="literature">',
        "<h2>For comparison with the literature only: token kappas on BIO tags</h2>",
        '<table class="kappas"><tr><th>Figure</th><th>Value</th><th>Tokens</th></tr>',
        f'<tr><td>Fleiss\' kappa, all annotators</td><td class="num">{_score_html(report.fleiss_kappa_bio)}</td>'
        f'<td class="num">{report.fleiss_kappa_bio.n_units}</td></tr>',
    ]
    for name, pair in report.pairs.items():
        a, b = name.split("|", 1)
        out.append(
            f"<tr><td>Cohen's kappa, {_iso(a)} vs {_iso(b)}</td>"
            f'<td class="num">{_score_html(pair.cohen_kappa_bio)}</td>'
            f'<td class="num">{pair.cohen_kappa_bio.n_units}</td></tr>'
        )
    out.append("</table>")
    out.append(
        _how(
            "Many papers report Cohen's or Fleiss' kappa over the BIO tag of every whitespace token; these "
            "figures are here only so you can compare with them. They are <strong>not</strong> a measure of span "
            "agreement: every token that all annotators leave untagged (O) is an easy agreement, so kappa rises "
            "with the amount of unannotated text, and it cannot see nested spans or differences inside a token "
            "(such as an attached proclitic). Judge the annotation by span F1 and α<sub>U</sub> above."
        )
    )
    out.append("</section>")
    return "\n".join(out)


# ----------------------------------------------------------------------------- entry point


def render_html(
    report: AgreementReport,
    *,
    title: str,
    doc_titles: Mapping[str, str] | None = None,
    generated_at: str | None = None,
    source: str = "",
    max_documents: int | None = None,
) -> str:
    """The whole report as one self-contained HTML page (a string; write it with UTF-8).

    ``title``: the project's name for the heading. ``doc_titles``: document id → title
    (Arabic as stored, logical order; shown right to left); documents without one show
    their id. ``generated_at``: the date to print (default: now, UTC, ISO 8601).
    ``source``: where the annotations came from (e.g. the project file). ``max_documents``:
    show only that many worst documents in the per-document table (default: all).
    """
    doc_titles = dict(doc_titles or {})
    if generated_at is None:
        generated_at = datetime.now(UTC).isoformat(timespec="seconds")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en" dir="ltr">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)} — agreement report</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        _header(report, title, doc_titles, generated_at, source),
        _f1_section(report),
        _alpha_section(report),
        _label_section(report),
        _document_section(report, doc_titles, max_documents),
        _confusion_section(report),
        _kappa_section(report),
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


__all__ = ["alpha_chart_svg", "base_direction", "colour", "format_value", "heat_map_svg", "render_html"]
