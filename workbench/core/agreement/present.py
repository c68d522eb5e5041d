"""How agreement figures are shown, in one place: the window, the command line and the HTML report use it.

- :func:`fmt_score`: a figure as text: ``"n/a"`` when undefined (never 0 or 1), else three
  decimals, with its interval in brackets when given;
- :func:`viridis_hex` / :func:`viridis_rgb`: the colour of a value on matplotlib's viridis
  scale (perceptually uniform, colour-blind safe), and :func:`text_colour` for the text on it;
- :func:`worst_first`: the one order of "documents, worst first" (see :data:`WORST_FIRST`);
- :func:`agreement_table`: the text table ``workbench-cli agreement`` prints.

No Qt here: the window converts the ``(r, g, b)`` form into its own colour type.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from workbench.core.store.project import GOLD

if TYPE_CHECKING:  # (the report module brings numpy: not needed to format figures)
    from workbench.core.agreement.report import DocumentRow

NA = "n/a"

# matplotlib's viridis at 0, 1/8, ..., 1 (its 256-entry table at entries 0, 32, ..., 224, 255),
# interpolated linearly in between.
VIRIDIS: tuple[tuple[float, tuple[int, int, int]], ...] = (
    (0.000, (68, 1, 84)),  # #440154
    (0.125, (71, 45, 123)),  # #472d7b
    (0.250, (59, 82, 139)),  # #3b528b
    (0.375, (44, 114, 142)),  # #2c728e
    (0.500, (33, 145, 140)),  # #21918c
    (0.625, (40, 174, 128)),  # #28ae80
    (0.750, (94, 201, 98)),  # #5ec962
    (0.875, (173, 220, 48)),  # #addc30
    (1.000, (253, 231, 37)),  # #fde725
)
BLACK, WHITE = "#000000", "#ffffff"

WORST_FIRST = (
    "strict F1 averaged over the pairs of annotators that compared the document, lowest first; "
    "documents where it is undefined come last; ties in document id order"
)

Row = TypeVar("Row")


# --- numbers ---------------------------------------------------------------------------


def fmt_interval(ci: Sequence[float], digits: int = 2) -> str:
    """An interval as ``[low, high]`` with ``digits`` decimals."""
    return f"[{ci[0]:.{digits}f}, {ci[1]:.{digits}f}]"


def fmt_score(value: float | None, ci: Sequence[float] | None = None, *, digits: int = 3, ci_digits: int = 2) -> str:
    """A figure as text: ``"n/a"`` when undefined, else ``digits`` decimals; with ``ci`` (low, high)
    its interval follows in brackets with ``ci_digits`` decimals: ``0.812 [0.75, 0.86]``."""
    if value is None:
        return NA
    text = f"{value:.{digits}f}"
    if ci:
        text += " " + fmt_interval(ci, ci_digits)
    return text


# --- colours ---------------------------------------------------------------------------


def viridis_rgb(value: float) -> tuple[int, int, int]:
    """The viridis colour of ``value`` as ``(r, g, b)`` in 0-255; values outside [0, 1] are clipped
    (agreement below chance is as dark as 0)."""
    v = min(1.0, max(0.0, float(value)))
    for (x0, c0), (x1, c1) in zip(VIRIDIS, VIRIDIS[1:]):
        if v <= x1:
            t = (v - x0) / (x1 - x0)
            r, g, b = (round(a + (z - a) * t) for a, z in zip(c0, c1))
            return r, g, b
    return VIRIDIS[-1][1]  # pragma: no cover - v <= 1.0 always ends the loop


def viridis_hex(value: float) -> str:
    """The viridis colour of ``value`` as ``#rrggbb`` (see :func:`viridis_rgb`)."""
    return "#{:02x}{:02x}{:02x}".format(*viridis_rgb(value))


def _luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG relative luminance of an sRGB colour."""
    linear = [c / 255 / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_colour(value: float) -> str:
    """Black or white, whichever contrasts more with :func:`viridis_hex` of ``value`` (WCAG):
    white on the dark end of the scale, black from about 0.44 up."""
    lum = _luminance(viridis_rgb(value))
    return BLACK if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else WHITE


# --- order -----------------------------------------------------------------------------


def mean_strict_f1(row: Mapping[str, Any] | DocumentRow) -> float | None:
    """The figure documents are ranked by: strict F1 averaged over the pairs that compared the
    document (pairs with gold left out), None when no pair has a defined value.

    ``row`` is a ``per_document`` entry of :meth:`ProjectAgreement.to_json` (its ``strict_f1`` is
    already that mean) or a :class:`DocumentRow` (the mean of its ``strict_f1_per_pair``)."""
    if isinstance(row, Mapping):
        return row.get("strict_f1")
    values = [
        score.value
        for name, score in row.strict_f1_per_pair.items()
        if score.value is not None and GOLD not in name.split("|")
    ]
    return sum(values) / len(values) if values else None


def _doc_id(row: Mapping[str, Any] | DocumentRow) -> str:
    return str(row["doc_id"] if isinstance(row, Mapping) else row.doc_id)


def worst_first(rows: Iterable[Row]) -> list[Row]:
    """Documents, worst first: by :func:`mean_strict_f1` ascending (strict F1 averaged over the
    pairs that compared the document), documents where it is undefined last, ties by document id.

    The one order of the agreement window, ``workbench-cli agreement`` and the HTML report.
    Rows are ``per_document`` dicts or :class:`DocumentRow` objects (see :func:`mean_strict_f1`).
    """

    def key(row: Any) -> tuple[bool, float, str]:
        value = mean_strict_f1(row)
        return (value is None, 0.0 if value is None else value, _doc_id(row))

    return sorted(rows, key=key)


# --- the command line's table ------------------------------------------------------------


def _same(text: str) -> str:
    return text


def agreement_table(data: dict[str, Any], shown: Callable[[str], str] = _same) -> str:
    """The figures of :meth:`ProjectAgreement.to_json` as the text table ``workbench-cli agreement``
    prints (no final newline): one line per pair, the all-annotator figures, α_U per label and
    the ten worst documents (:func:`worst_first`). ``shown`` prepares names and titles for the
    terminal (e.g. reordered for one that cannot shape Arabic)."""
    lines = [f"{'PAIR':<24} {'DOCS':>5} {'STRICT F1':>22} {'RELAXED F1':>22} {'ALPHA-U':>8} {'KAPPA':>7}"]
    for name, pair in data["pairs"].items():
        strict = fmt_score(pair["strict_f1"], pair["strict_f1_ci"])
        relaxed = fmt_score(pair["relaxed_f1"], pair["relaxed_f1_ci"])
        lines.append(
            f"{shown(name):<24} {pair['documents']:>5} {strict:>22} {relaxed:>22} "
            f"{fmt_score(pair['alpha_u']):>8} {fmt_score(pair['cohen_kappa_bio']):>7}"
        )
    alpha = data["alpha_u"]
    lines.append("")
    lines.append(
        f"alpha-U, all annotators, {data['documents']['all']} documents: pooled "
        f"{fmt_score(alpha['pooled'], alpha['pooled_ci'])}, mean over documents {fmt_score(alpha['mean_over_docs'])}; "
        f"Fleiss' kappa (tokens) {fmt_score(data['fleiss_kappa_bio'])}"
    )
    for key, reason in alpha["undefined"].items():
        lines.append(f"  {key}: {NA} because {reason}")
    lines.append("per label alpha-U: " + ", ".join(f"{k} {fmt_score(v)}" for k, v in data["alpha_u_per_label"].items()))
    worst = worst_first(data["per_document"])[:10]
    if worst:
        lines.append("")
        lines.append("documents, worst first (strict F1 averaged over pairs):")
        for row in worst:
            lines.append(f"  {fmt_score(row['strict_f1']):>6}  {row['doc_id']}  {shown(row['title'])}")
    return "\n".join(lines)


__all__ = [
    "NA",
    "VIRIDIS",
    "WORST_FIRST",
    "agreement_table",
    "fmt_interval",
    "fmt_score",
    "mean_strict_f1",
    "text_colour",
    "viridis_hex",
    "viridis_rgb",
    "worst_first",
]
