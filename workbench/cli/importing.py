"""``import``: documents from files, alone or with an annotator's (or gold) spans."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from workbench.cli.context import Context
from workbench.cli.output import emit_json, exit_if_refused, print_refused
from workbench.core.importer import import_paths
from workbench.core.sources import ANNOTATED, FORMATS, MB, ReadOptions
from workbench.core.store.project import Project


@click.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(dict.fromkeys([*FORMATS, *ANNOTATED]))),
    help="Read every file in this format (default: by extension: .txt, .jsonl, .csv/.tsv; "
    "other files named explicitly are read as plain text). With --annotator: jsonl (this "
    "project's or doccano's), conll, brat, label-studio (JSON export or JSON_MIN), webanno-tsv "
    "(WebAnno TSV 3.3), xmi (UIMA CAS XMI with its TypeSystem.xml) or prodigy (accepted answers) "
    "files bring their spans too.",
)
@click.option(
    "--annotator",
    "layer",
    help="Import the files' spans as this annotator's layer (or 'gold'); needed for conll and brat.",
)
@click.option(
    "--map", "label_map", multiple=True, metavar="SRC=DST", help="Rename a label of the files, e.g. PER=ACTOR."
)
@click.option(
    "--ignore-attributes",
    is_flag=True,
    help="With --annotator: drop the attributes the schema lacks from the spans (counted and named in "
    "the report) instead of refusing their file. Or add them first: 'labels attr add LABEL NAME'.",
)
@click.option("--text-column", default="text", show_default=True, help="CSV column holding the text.")
@click.option(
    "--max-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="Largest document accepted, in MB.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--progress/--no-progress", default=None, help="Show a progress bar (default: on a terminal).")
@click.pass_obj
def import_(
    obj: Context, paths, fmt, layer, label_map, ignore_attributes, text_column, max_mb, as_json, progress
) -> None:
    """Import text files, folders of them (recursively), JSON Lines or CSV.

    \b
    Text files may be UTF-8, UTF-16, Windows-1256 or ISO-8859-6; JSON Lines
    files are UTF-8, one object a line with "text" and optional "id", "title",
    "date", "source" and "meta". Each file is imported completely or not at
    all. A document whose text the project already holds is not copied again.

    \b
    With --annotator NAME (or gold), the files bring their spans: this
    project's JSONL export or doccano's JSONL, CoNLL BIO (the text is rebuilt
    from the tokens) or brat standoff (.txt with .ann). Spans join documents
    the project already holds as that layer; labels the schema lacks are
    refused unless mapped with --map; attributes the schema lacks are
    refused unless added with 'labels attr add' or dropped with
    --ignore-attributes (the report counts them); spans that do not fit are
    refused. Exit status: 0 when nothing was refused, 2 otherwise.
    """
    project = obj.project()
    if layer is not None or fmt in ("conll", "brat"):
        _import_annotated(obj, project, list(paths), fmt, layer, label_map, ignore_attributes, as_json)
        return
    if label_map:
        raise click.UsageError("--map applies to files with spans: give --annotator too")
    if ignore_attributes:
        raise click.UsageError("--ignore-attributes applies to files with spans: give --annotator too")
    options = ReadOptions(max_document_bytes=int(max_mb * MB), text_column=text_column, format=fmt)
    show_progress = sys.stderr.isatty() if progress is None else progress
    if show_progress:
        with click.progressbar(length=1, label="Importing", file=sys.stderr, show_pos=True) as bar:

            def advance(done: int, total: int, _current: str) -> None:
                bar.length = max(total, 1)
                bar.update(done - bar.pos)

            report = import_paths(project, list(paths), options=options, progress=advance)
    else:
        report = import_paths(project, list(paths), options=options)

    if as_json:
        emit_json(report.to_json())
    else:
        print_refused(report.refused)
        for item in report.duplicates:
            click.echo(f"already in the project: {item['path']} (as {item['existing_id']})")
        click.echo(report.summary() + ".")
    exit_if_refused(report.refused)


def _import_annotated(
    obj: Context, project: Project, paths: list, fmt, layer, label_map, ignore_attributes: bool, as_json: bool
) -> None:
    """Documents with their spans, into an annotator's layer or gold."""
    from workbench.core.annotated_import import ANNOTATED_FORMATS, import_annotated, parse_label_map

    if layer is None:
        raise click.UsageError(f"--format {fmt} brings spans: say whose with --annotator NAME (or gold)")
    fmt = fmt or "jsonl"
    if fmt not in ANNOTATED_FORMATS:
        raise click.UsageError(f"with --annotator, --format is one of {', '.join(ANNOTATED_FORMATS)}")
    report = import_annotated(
        project, paths, fmt, layer, parse_label_map(list(label_map)), ignore_attributes=ignore_attributes
    )
    if as_json:
        emit_json(report.to_json())
    else:
        print_refused(report.refused)
        ignored = f", {report.ignored_phrase()}" if report.ignored else ""
        click.echo(
            f"{len(report.imported)} documents imported, {len(report.joined)} joined documents already "
            f"in the project, {report.spans} spans into {obj.shown(layer)}'s layer{ignored}, "
            f"{len(report.refused)} refused."
        )
        if report.dropped_attributes:
            click.echo(f"{report.dropped_phrase()} (--ignore-attributes: the schema has no such attributes).")
    exit_if_refused(report.refused)


COMMANDS = (import_,)
