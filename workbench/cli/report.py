"""Reports on how the team works: ``report assistance`` (the time suggestions save, from the A/B
split of :mod:`workbench.core.assistance`)."""

from __future__ import annotations

import click

from workbench.cli.context import Context, split_list
from workbench.cli.output import emit_json


@click.group(name="report")
def report() -> None:
    """Reports on the team's work."""


@report.command(name="assistance")
@click.option("--annotator", "names", help="Comma-separated annotators (default: all).")
@click.option(
    "--replicates",
    type=click.IntRange(min=100, max=100_000),
    default=2000,
    show_default=True,
    help="Bootstrap resamples for the intervals.",
)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True, help="The bootstrap's seed.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def assistance_cmd(obj: Context, names: str | None, replicates: int, seed: int, as_json: bool) -> None:
    """Time saved by suggestions: the two halves of the A/B split compared.

    For the annotators' done documents begun after the split ('suggestions split'): median
    active time per 1,000 characters with and without suggestions, from the change log (gaps
    over 2 minutes are pauses), their ratio, the acceptance rate, and agreement with gold in
    both halves (strict and relaxed F1), with 95% bootstrap intervals over documents.
    """
    from workbench.core import assistance

    project = obj.project(reading=True)
    chosen = split_list(names) if names else None
    found = assistance.report(project, chosen, seed=seed, replicates=replicates)
    if as_json:
        emit_json(found.to_json())
        return
    for line in lines(found, obj):
        click.echo(line)


def lines(found, obj: Context) -> list[str]:  # type: ignore[no-untyped-def]
    """The report as text lines."""
    out = []
    if found.split is None:
        out.append("No A/B split goes on ('suggestions split' starts one); halves assigned before are still compared.")
    else:
        out.append(f"A/B split with seed {found.split.seed}, since {found.split.since[:10]}.")
    out.append(
        f"Annotators: {', '.join(obj.shown(name) for name in found.annotators) or 'none'}; "
        f"active time: gaps of at most {found.pause:g} s between logged changes; "
        f"{found.level:.0%} intervals from {found.replicates} resamples."
    )
    out.append("")
    out.append(f"{'':28}{'with suggestions':>22}{'without':>22}")
    on, off = found.with_suggestions, found.without
    out.append(f"{'documents':28}{on.documents:>22}{off.documents:>22}")
    out.append(
        f"{'median s per 1,000 chars':28}{_with_interval(on.median, on.median_interval, 1):>22}"
        f"{_with_interval(off.median, off.median_interval, 1):>22}"
    )
    out.append(f"{'acceptance rate':28}{_share(on.acceptance, on.accepted, on.accepted + on.rejected):>22}{'-':>22}")
    out.append(f"{'documents with gold':28}{on.gold_documents:>22}{off.gold_documents:>22}")
    out.append(
        f"{'strict F1 with gold':28}{_with_interval(on.strict_f1, on.strict_interval, 3):>22}"
        f"{_with_interval(off.strict_f1, off.strict_interval, 3):>22}"
    )
    out.append(
        f"{'relaxed F1 with gold':28}{_with_interval(on.relaxed_f1, on.relaxed_interval, 3):>22}"
        f"{_with_interval(off.relaxed_f1, off.relaxed_interval, 3):>22}"
    )
    out.append("")
    if found.ratio is None:
        out.append("Time ratio (with / without): not measured yet: each half needs timed done documents.")
    else:
        interval = found.ratio_interval
        bounds = f" [{interval.low:.2f}, {interval.high:.2f}]" if interval.low is not None else ""
        out.append(f"Time ratio (with / without): {found.ratio:.2f}{bounds}: below 1, suggestions save time.")
    for name, row in found.per_annotator.items():
        ratio = "-" if row["time_ratio"] is None else f"{row['time_ratio']:.2f}"
        out.append(
            f"  {obj.shown(name)}: {row['with_suggestions']} with, {row['without_suggestions']} without, ratio {ratio}"
        )
    if found.not_counted:
        out.append(
            "Not compared: " + "; ".join(f"{count} {why}" for why, count in sorted(found.not_counted.items())) + "."
        )
    if found.unreadable:
        out.append(f"{found.unreadable} lines of received change logs could not be read and were left out.")
    return out


def _with_interval(value, interval, digits: int) -> str:  # type: ignore[no-untyped-def]
    if value is None:
        return "-"
    if interval.low is None:
        return f"{value:.{digits}f}"
    return f"{value:.{digits}f} [{interval.low:.{digits}f}, {interval.high:.{digits}f}]"


def _share(rate, part: int, whole: int) -> str:  # type: ignore[no-untyped-def]
    return "-" if rate is None else f"{rate:.0%} ({part}/{whole})"


COMMANDS = (report,)
