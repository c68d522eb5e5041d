"""Team work: who annotates what, how far they are, and the bundles that move work between machines."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from workbench.cli.context import Context, split_list
from workbench.cli.output import emit_json, exit_if_refused, print_refused
from workbench.core.adjudication import adjudication_progress
from workbench.core.assign import assign_balanced, assign_by_hand, team_progress
from workbench.core.bundles.archive import MAX_BUNDLE_MB
from workbench.core.bundles.project_bundle import export_project_bundle, key_report, open_project_bundle
from workbench.core.bundles.work_bundle import export_work_bundle, import_work_bundles, repin
from workbench.core.store import documents


@click.command()
@click.option("--annotators", "names", help="Comma-separated annotators to share the documents among.")
@click.option("--k", type=click.IntRange(min=1), default=2, show_default=True, help="Annotators per document.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed: the same seed gives the same assignment.")
@click.option("--docs", "doc_ids", help="By hand: comma-separated document ids (with --to).")
@click.option("--to", "to", help="By hand: the annotator who gets --docs.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_obj
def assign(obj: Context, names, k, seed, doc_ids, to, as_json) -> None:
    """Assign documents: k annotators per document, balanced and reproducible, or by hand.

    \b
    workbench-cli assign --annotators Salma,Omar,Huda --k 2 --seed 7
    workbench-cli assign --docs 002_af682284de1024ff,003_ea1dba6c08793fa4 --to Omar
    Existing assignments are kept; running it again only tops up new documents.
    """
    project = obj.project()
    if doc_ids or to:
        if not (doc_ids and to) or names:
            raise click.UsageError("by hand, give --docs and --to (and not --annotators)")
        result = assign_by_hand(project, split_list(doc_ids), to)
    elif names:
        result = assign_balanced(project, split_list(names), k=k, seed=seed)
    else:
        raise click.UsageError("give --annotators (balanced) or --docs with --to (by hand)")
    if as_json:
        emit_json({"added": result.added, "per_annotator": result.per_annotator})
    else:
        click.echo(f"{result.added} assignments added.")
        for name, count in result.per_annotator.items():
            click.echo(f"  {obj.shown(name)}: {count} documents")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of per-annotator counts.")
@click.option(
    "--adjudication",
    "with_adjudication",
    is_flag=True,
    help='With --json: print an object {"annotators": [the list], "adjudication": {...}}.',
)
@click.pass_obj
def progress(obj: Context, as_json: bool, with_adjudication: bool) -> None:
    """Each annotator's assigned documents: not started, in progress, done; and adjudication:
    documents with complete gold, with incomplete gold (open clusters), without gold."""
    project = obj.project(reading=True)
    rows = team_progress(project)
    gold = adjudication_progress(project)
    if as_json:
        emit_json({"annotators": rows, "adjudication": gold} if with_adjudication else rows)
        return
    click.echo(f"{'ANNOTATOR':<20} {'ASSIGNED':>8} {'TO DO':>7} {'STARTED':>8} {'DONE':>6}")
    for row in rows:
        click.echo(
            f"{obj.shown(row['annotator']):<20} {row['assigned']:>8} {row['not-started']:>7} "
            f"{row['in-progress']:>8} {row['done']:>6}"
        )
    click.echo(
        f"Adjudication: {gold['complete']} documents with complete gold, {gold['incomplete']} with incomplete "
        f"gold ({gold['open_clusters']} open clusters), {gold['without_gold']} without gold."
    )
    for doc_id, n in gold["incomplete_documents"].items():
        click.echo(f"  incomplete: {doc_id}: {n} open clusters")


@click.group()
def bundle() -> None:
    """Move work between machines: project bundles out, work bundles back."""


@bundle.command(name="export")
@click.option("--annotator", required=True, help="Whose project bundle.")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Bundle file to write."
)
@click.pass_obj
def bundle_export(obj: Context, annotator: str, output: Path) -> None:
    """(Lead) Write an annotator's project bundle: schema, guidelines, their documents, their own
    spans, signed with the project's key (made the first time; its private half never leaves
    this project)."""
    summary = export_project_bundle(obj.project(), annotator, output)
    click.echo(f"Wrote {summary.path}: {summary.documents} documents for {obj.shown(annotator)}.")
    click.echo(f"Signed with your key {summary.fingerprint}: read it to {obj.shown(annotator)} when they open it.")


@bundle.command(name="open")
@click.argument("bundle_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--repin",
    metavar="FINGERPRINT",
    help="Accept a project bundle signed by a new key of your lead's: the fingerprint your lead reads you.",
)
@click.pass_obj
def bundle_open(obj: Context, bundle_file: Path, repin: str | None) -> None:
    """(Annotator) Make your project from a project bundle, at --db (or bring it up to date).

    The first bundle pins your lead's key; a later one signed by another key is refused
    unless you give --repin with the fingerprint your lead reads you.
    """
    project = open_project_bundle(bundle_file, obj.db_path, repin=repin)
    try:
        count = documents.count(project.db)
        click.echo(f"{obj.db_path}: {count} documents for {obj.shown(project.current_annotator)}.")
        keys = key_report(project)
        if keys["lead"]:
            click.echo(f"Your lead's key: {keys['lead']}")
        if keys["own"]:
            click.echo(f"Your key: {keys['own']} (read it to your lead when they import your first work bundle)")
    finally:
        project.close()


@bundle.command(name="work")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Bundle file to write."
)
@click.pass_obj
def bundle_work(obj: Context, output: Path) -> None:
    """(Annotator) Write your work bundle (spans, deletions, statuses, change log), signed."""
    summary = export_work_bundle(obj.project(), output)
    click.echo(
        f"Wrote {summary.path}: {summary.spans} spans on {summary.documents} documents (bundle {summary.sequence})."
    )
    click.echo(f"Signed with your key {summary.fingerprint}.")


@bundle.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print what was merged and what was refused, as JSON.")
@click.option(
    "--progress/--no-progress", "show_progress", default=None, help="Show a progress bar (default: on a terminal)."
)
@click.option(
    "--max-mb",
    # A received bundle is kept in the project as one SQLite BLOB, which cannot pass 1 GB.
    type=click.FloatRange(min=0, min_open=True, max=1000),
    default=MAX_BUNDLE_MB,
    show_default=True,
    help="Refuse a bundle whose file or unpacked content is larger than this many MB (at most 1000).",
)
@click.pass_obj
def bundle_import(obj: Context, files, as_json: bool, show_progress, max_mb: float) -> None:
    """(Lead) Check and merge work bundles. Exit status 2 if any was refused."""
    project = obj.project()
    max_bytes = max(1, round(max_mb * 1024**2))
    if show_progress if show_progress is not None else sys.stderr.isatty():
        with click.progressbar(length=len(files), label="Merging", file=sys.stderr) as bar:
            report = import_work_bundles(
                project,
                list(files),
                progress=lambda done, _t, _c: bar.update(done - bar.pos),
                max_bytes=max_bytes,
            )
    else:
        report = import_work_bundles(project, list(files), max_bytes=max_bytes)
    if as_json:
        emit_json(report.to_json())
    else:
        for item in report.merged:
            if item["nothing_changed"] and item["skipped_older"]:
                click.echo(
                    f"skipped {item['path']}: {obj.shown(item['annotator'])}, bundle {item['sequence']} is "
                    f"not newer than bundle {item['not_newer_than']} already merged: nothing changed "
                    f"({item['skipped_older']} not newer)"
                )
                continue
            click.echo(
                f"merged {item['path']}: {obj.shown(item['annotator'])}, {item['documents']} documents "
                f"(+{item['added']} ~{item['updated']} -{item['deleted']} spans"
                + (f", {item['skipped_older']} not newer" if item["skipped_older"] else "")
                + ")"
            )
            who = obj.shown(item["annotator"])
            if item["key_pinned_now"]:
                click.echo(
                    f"  first bundle signed with a key from {who}: pinned {item['fingerprint']} — "
                    f"ask {who} to read you their key and check it is this one"
                )
            elif item["fingerprint"]:
                click.echo(f"  signed by {who}'s key {item['fingerprint']}")
            else:
                click.echo(f"  signed with the old shared secret: ask {who} to update Workbench")
        print_refused(report.refused)
    exit_if_refused(report.refused)


@bundle.command(name="keys")
@click.option("--json", "as_json", is_flag=True, help="Print the keys as JSON.")
@click.pass_obj
def bundle_keys(obj: Context, as_json: bool) -> None:
    """The keys that sign bundles: on the lead's project, this project's key and each
    annotator's pinned key (or that they still sign with the old shared secret); on an
    annotator's copy, your key and your lead's."""
    report = key_report(obj.project(reading=True))
    if as_json:
        emit_json(report)
        return
    if report["role"] == "annotator":
        click.echo(f"Your key:        {report['own'] or 'made with your first work bundle'}")
        click.echo(f"Your lead's key: {report['lead'] or 'not pinned (your project bundle was not signed)'}")
        return
    click.echo(f"This project's key: {report['own'] or 'made with the first project bundle'}")
    for row in report["annotators"]:
        if row["fingerprint"]:
            state = f"{row['fingerprint']}  (pinned {row['pinned_at'][:10]})"
        elif row["old_scheme"]:
            state = "old shared secret (format 1): pinned from their next bundle signed with a key"
        else:
            state = "no key yet: pinned from their first work bundle"
        click.echo(f"  {obj.shown(row['annotator']):<20} {state}")


@bundle.command(name="repin")
@click.argument("bundle_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--fingerprint", required=True, help="The fingerprint the annotator reads you (spaces and case do not matter)."
)
@click.pass_obj
def bundle_repin(obj: Context, bundle_file: Path, fingerprint: str) -> None:
    """(Lead) Trust the new key that signed an annotator's work bundle (they reinstalled, or
    moved to another computer), replacing the pinned one. Check the fingerprint by voice.

    \b
    workbench-cli bundle repin salma.wbwork --fingerprint "3f9a 0c12 …"
    Nothing is merged: run 'bundle import' on the bundle afterwards.
    """
    result = repin(obj.project(), bundle_file, fingerprint)
    who = obj.shown(result["annotator"])
    if result["unchanged"]:
        click.echo(f"{who}'s key was already {result['fingerprint']}; nothing changed.")
        return
    click.echo(
        f"Pinned {result['fingerprint']} for {who}"
        + (f" (was {result['previous']})" if result["previous"] else "")
        + f". Now import the bundle: workbench-cli bundle import {bundle_file}"
    )


COMMANDS = (assign, progress, bundle)
