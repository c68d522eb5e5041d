"""``export``: the gold standard (or one annotator's layer, or the majority) as a training set."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.context import Context
from workbench.cli.output import emit_json
from workbench.core.export.formats import BOUNDARIES, DEFAULT_BOUNDARY, FORMATS, boundaries_help, formats_help


@click.command(name="export")
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(list(FORMATS)),
    help=formats_help(),
)
@click.option(
    "--source",
    default="gold",
    show_default=True,
    help="gold (adjudicated documents), annotator:NAME, or majority (spans most annotators agree on).",
)
@click.option(
    "--split", "split_text", default="80/10/10", show_default=True, help="train/dev/test percentages, by document."
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Seed of the split (the same seed, the same split)."
)
@click.option(
    "--boundary",
    type=click.Choice(list(BOUNDARIES)),
    default=DEFAULT_BOUNDARY,
    show_default=True,
    help=boundaries_help(),
)
@click.option("--stratify", is_flag=True, help="Balance the splits on which labels each document contains.")
@click.option(
    "-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder to write."
)
@click.option(
    "--predictions",
    "with_predictions",
    is_flag=True,
    help="label-studio: write each document's suggestions as Label Studio predictions (pre-annotations).",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@click.pass_obj
def export_cmd(
    obj: Context, fmt, source, split_text, seed, boundary, stratify, output, with_predictions, as_json
) -> None:
    """Write a training set: the files, a data card (README.md) and manifest.json.

    The data card says where the spans come from, the counts per split, the
    agreement figures, the schema, the boundary policy and its counts, the seed
    and the SHA-256 of every file.
    """
    from workbench.core.export import ExportOptions, export, parse_split

    options = ExportOptions(
        format=fmt, source=source, split=parse_split(split_text), seed=seed, boundary=boundary, stratify=stratify
    )
    project = obj.project(reading=True)
    predictions = None
    if with_predictions:
        from workbench.core import intents

        predictions = intents.export_predictions(project, source)
    report = export(project, options, output, predictions=predictions)
    figures = report.agreement
    if figures:  # on stderr: --json output stays one JSON document
        how = "from the cache" if figures.get("from_cache") else f"computed in {figures.get('seconds', 0):.1f} s"
        click.echo(f"agreement figures for the data card: {how}", err=True)
    if as_json:
        emit_json(report.to_json())
    else:
        per_split = ", ".join(f"{name} {count}" for name, count in report.documents.items())
        click.echo(f"Wrote {report.out_dir}: {per_split} documents; see README.md there.")
        for note in report.notes:
            click.echo(f"{note}.")


COMMANDS = (export_cmd,)
