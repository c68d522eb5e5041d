"""Agreement between annotators, and the gold layer built from it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from workbench.cli.context import Context, split_list
from workbench.core.agreement.present import agreement_table


@click.command()
@click.option(
    "--annotators", "names", help="Comma-separated annotators to compare (default: all who finished documents)."
)
@click.option("--labels", "label_names", help="Comma-separated labels to count (default: the schema's).")
@click.option(
    "--include-in-progress", is_flag=True, help="Count documents in progress too, not only those marked done."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "html"]),
    default="table",
    show_default=True,
    help="table for people, json for scripts, html for a self-contained report to share.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file instead of stdout."
)
@click.option(
    "--bootstrap",
    type=click.IntRange(min=0),
    default=1000,
    show_default=True,
    help="Bootstrap resamples for the intervals (0: none).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the bootstrap.")
@click.pass_obj
def agreement(obj: Context, names, label_names, include_in_progress, fmt, output, bootstrap, seed) -> None:
    """Inter-annotator agreement: span F1 (strict and relaxed), Krippendorff's alpha-U, token kappas.

    \b
    Each pair is compared over the documents both marked done; pooled alpha-U and
    Fleiss' kappa over the documents every compared annotator marked done. Once
    gold exists, each annotator is compared with it too (pair "A|gold").
    Undefined figures are "n/a" (null in JSON), never 0 or 1.
    """
    from workbench.core.agreement.source import project_agreement  # numpy: loaded when used

    project = obj.project(reading=True)
    result = project_agreement(
        project,
        split_list(names) if names else None,
        [n.upper() for n in split_list(label_names)] if label_names else None,
        include_in_progress,
        bootstrap=bootstrap,
        seed=seed,
    )
    if fmt == "json":
        text = json.dumps(result.to_json(), ensure_ascii=False, indent=2)
    elif fmt == "html":
        from workbench.core.agreement.html_report import render_html

        text = render_html(result.combined(), title=project.name, doc_titles=result.titles, source=str(project.path))
    else:
        text = agreement_table(result.to_json(), obj.shown)
    if output:
        try:
            output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        except OSError as exc:
            raise click.FileError(str(output), hint=exc.strerror or str(exc)) from None
        click.echo(f"Wrote {output}.", err=True)
    else:
        click.echo(text)


@click.command()
@click.option("--auto-unanimous", is_flag=True, required=True, help="Accept every unanimous span into gold.")
@click.option("--docs", "doc_ids", help="Only these documents (comma-separated ids).")
@click.option("--annotators", "names", help="Annotators whose agreement counts (default: all).")
@click.pass_obj
def adjudicate(obj: Context, auto_unanimous: bool, doc_ids, names) -> None:
    """Build the gold layer: --auto-unanimous accepts every span all annotators agree on.

    Each accepted span records which annotators agreed, who adjudicated and when.
    Running it again accepts nothing twice.
    """
    from workbench.core import intents  # (loaded when used: it brings the suggestion engines)

    count = intents.accept_all_unanimous(
        obj.project(),
        split_list(doc_ids) if doc_ids else None,
        split_list(names) if names else None,
    )
    click.echo(f"{count} unanimous spans accepted into gold.")


COMMANDS = (agreement, adjudicate)
