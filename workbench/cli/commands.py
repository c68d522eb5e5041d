"""``workbench-cli``: the project's core operations from the command line.

A thin layer: every command parses its options, calls ``workbench.core`` and
prints the result, as a table for people or as JSON (``--json``) for scripts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from workbench import __version__
from workbench.cli.terminal import AUTO, LOGICAL, VISUAL, use_visual, visual_line, visual_text
from workbench.core.actions import CreateSpan, DeleteSpan, SetStatus
from workbench.core.agreement.source import project_agreement
from workbench.core.assign import assign_balanced, assign_by_hand, team_progress
from workbench.core.bundles.project_bundle import export_project_bundle, open_project_bundle
from workbench.core.bundles.work_bundle import export_work_bundle, import_work_bundles
from workbench.core.errors import WorkbenchError
from workbench.core.importer import import_paths
from workbench.core.paths import default_project_path
from workbench.core.sources import FORMATS, MB, ReadOptions
from workbench.core.store import documents
from workbench.core.store import spans as span_store
from workbench.core.store.labels import Label
from workbench.core.store.project import GOLD, Project
from workbench.core.store.spans import Span
from workbench.resources import sample_corpus_files

EXIT_REFUSED = 2


class Context:
    def __init__(self, db: Path, bidi: str):
        self.db_path = db
        self.bidi = bidi
        self._project: Project | None = None

    def project(self) -> Project:
        if self._project is None:
            self._project = Project.open(self.db_path)
        return self._project

    def close(self) -> None:
        if self._project is not None:
            self._project.close()

    def shown(self, text: str) -> str:
        """A line for stdout: reordered for a terminal that cannot shape Arabic."""
        return visual_line(text) if use_visual(sys.stdout, self.bidi) else text


def emit_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


class WorkbenchGroup(click.Group):
    """Turns the core's user-facing errors into a message and exit status 1, no traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except WorkbenchError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)


@click.group(cls=WorkbenchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="WORKBENCH_DB",
    default=None,
    help=f"Project file to use (env WORKBENCH_DB). Default: the user's default project, {default_project_path()}.",
)
@click.option(
    "--bidi",
    type=click.Choice([AUTO, VISUAL, LOGICAL]),
    default=AUTO,
    show_default=True,
    help="How Arabic is printed. 'visual' reshapes and reorders it for terminals that cannot "
    "(most Linux terminals, the Windows console); 'logical' prints the stored text. 'auto' is "
    "visual for a terminal and logical for a pipe or file (env WORKBENCH_BIDI sets the default).",
)
@click.version_option(__version__, prog_name="workbench-cli")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, bidi: str) -> None:
    """Annotate Arabic conflict news: manage a project's documents from the command line.

    A project is one SQLite file. Create one with 'init', add articles with
    'import', list them with 'docs' and read one with 'show'.
    """
    ctx.obj = Context(db or default_project_path(), bidi)
    ctx.call_on_close(ctx.obj.close)


@cli.command()
@click.option("--name", help="Project name (default: the file name).")
@click.option("--with-sample", is_flag=True, help="Also import the bundled sample corpus.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_obj
def init(obj: Context, name: str | None, with_sample: bool, as_json: bool) -> None:
    """Create a new project file (refused if the file exists)."""
    with Project.create(obj.db_path, name=name) as project:
        imported = 0
        if with_sample:
            imported = len(import_paths(project, list(sample_corpus_files())).imported)
        info = {
            "path": str(project.path),
            "name": project.name,
            "project_id": project.setting("project_id"),
            "schema_version": project.schema_version,
            "documents": imported,
        }
    if as_json:
        emit_json(info)
    else:
        click.echo(
            f"Created project {info['name']!r} at {info['path']}"
            + (f" with {imported} sample documents." if with_sample else ".")
        )


@cli.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*FORMATS, "conll", "brat"]),
    help="Read every file in this format (default: by extension: .txt, .jsonl, .csv/.tsv; "
    "other files named explicitly are read as plain text). With --annotator: jsonl (this "
    "project's or doccano's), conll or brat files bring their spans too.",
)
@click.option(
    "--annotator",
    "layer",
    help="Import the files' spans as this annotator's layer (or 'gold'); needed for conll and brat.",
)
@click.option(
    "--map", "label_map", multiple=True, metavar="SRC=DST", help="Rename a label of the files, e.g. PER=ACTOR."
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
def import_(obj: Context, paths, fmt, layer, label_map, text_column, max_mb, as_json, progress) -> None:
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
    refused unless mapped with --map; spans that do not fit are refused.
    Exit status: 0 when nothing was refused, 2 otherwise.
    """
    project = obj.project()
    if layer or fmt in ("conll", "brat"):
        _import_annotated(obj, project, list(paths), fmt, layer, label_map, as_json)
        return
    if label_map:
        raise click.UsageError("--map applies to files with spans: give --annotator too")
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
        for item in report.refused:
            click.echo(f"refused: {item['path']}: {item['reason']}", err=True)
        for item in report.duplicates:
            click.echo(f"already in the project: {item['path']} (as {item['existing_id']})")
        click.echo(report.summary() + ".")
    if report.refused:
        sys.exit(EXIT_REFUSED)


def _import_annotated(obj: Context, project: Project, paths: list, fmt, layer, label_map, as_json: bool) -> None:
    """Documents with their spans, into an annotator's layer or gold."""
    from workbench.core.annotated_import import ANNOTATED_FORMATS, import_annotated, parse_label_map

    if not layer:
        raise click.UsageError(f"--format {fmt} brings spans: say whose with --annotator NAME (or gold)")
    fmt = fmt or "jsonl"
    if fmt not in ANNOTATED_FORMATS:
        raise click.UsageError(f"with --annotator, --format is one of {', '.join(ANNOTATED_FORMATS)}")
    try:
        mapping = parse_label_map(list(label_map))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--map") from None
    report = import_annotated(project, paths, fmt, layer, mapping)
    if as_json:
        emit_json(report.to_json())
    else:
        for item in report.refused:
            click.echo(f"refused: {item['path']}: {item['reason']}", err=True)
        click.echo(
            f"{len(report.imported)} documents imported, {len(report.joined)} joined documents already "
            f"in the project, {report.spans} spans into {obj.shown(layer)}'s layer, {len(report.refused)} refused."
        )
    if report.refused:
        sys.exit(EXIT_REFUSED)


@cli.command()
@click.option("--annotator", help="Whose status to show (default: the project's current user).")
@click.option("--status", type=click.Choice(documents.STATUSES), help="Only documents with this status.")
@click.option("--limit", type=click.IntRange(min=1), help="Show at most this many.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many first.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of {id, title, chars, sha256, status}.")
@click.pass_obj
def docs(obj: Context, annotator, status, limit, offset, as_json) -> None:
    """List the project's documents: id, title, characters, status."""
    project = obj.project()
    rows = documents.summaries(
        project.db,
        annotator or project.current_annotator,
        status=status,
        offset=offset,
        limit=limit or -1,
    )
    if as_json:
        emit_json([row.to_json() for row in rows])
        return
    if not rows:
        click.echo("No documents." if not status else f"No documents with status {status}.")
        return
    id_width = max(len("ID"), *(len(r.id) for r in rows))
    click.echo(f"{'ID':<{id_width}}  {'CHARS':>7}  {'STATUS':<11}  TITLE")
    for row in rows:
        click.echo(f"{row.id:<{id_width}}  {row.chars:>7}  {row.status:<11}  {obj.shown(row.title)}")


@cli.command()
@click.argument("doc_id")
@click.option("--json", "as_json", is_flag=True, help="Print the document and its metadata as JSON.")
@click.pass_obj
def show(obj: Context, doc_id: str, as_json: bool) -> None:
    """Print a document's stored text (exactly as stored when piped)."""
    document = documents.get(obj.project().db, doc_id)
    if document is None:
        raise click.ClickException(f"there is no document {doc_id!r} in this project (see 'docs')")
    if as_json:
        emit_json(document.__dict__)
    elif use_visual(sys.stdout, obj.bidi):
        click.echo(visual_text(document.text))
    else:
        sys.stdout.write(document.text)
        if sys.stdout.isatty() and not document.text.endswith("\n"):
            sys.stdout.write("\n")  # only for the prompt's sake: a pipe gets the exact text


@cli.group()
def labels() -> None:
    """The project's label schema."""


@labels.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print the schema as JSON.")
@click.pass_obj
def labels_list(obj: Context, as_json: bool) -> None:
    """List labels with their colour, key and attributes."""
    schema = obj.project().labels()
    if as_json:
        emit_json(
            [
                {
                    "name": label.name,
                    "color": label.color,
                    "key": label.key,
                    "description": label.description,
                    "attributes": [a.to_json() for a in label.attributes],
                }
                for label in schema
            ]
        )
        return
    for label in schema:
        attributes = ", ".join(f"{a.name} ({a.type})" for a in label.attributes) or "-"
        click.echo(f"{label.key or ' '}  {label.name:<10} {label.color}  {attributes}")


@labels.command(name="add")
@click.argument("name")
@click.option("--color", required=True, help="Highlight colour, #RRGGBB.")
@click.option("--key", default="", help="Keyboard key that applies the label.")
@click.option("--description", default="", help="Shown as the label's tooltip.")
@click.pass_obj
def labels_add(obj: Context, name: str, color: str, key: str, description: str) -> None:
    """Add a label to the schema."""
    try:
        obj.project().add_label(Label(name, color, key, description))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Added label {name}.")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def info(obj: Context, as_json: bool) -> None:
    """Show the project's file, name, id, schema version, documents and annotators."""
    project = obj.project()
    data = {
        "path": str(project.path),
        "name": project.name,
        "project_id": project.setting("project_id"),
        "schema_version": project.schema_version,
        "documents": documents.count(project.db),
        "annotators": project.annotators(),
        "current_annotator": project.current_annotator,
    }
    if as_json:
        emit_json(data)
        return
    for key, value in data.items():
        if isinstance(value, list):
            value = ", ".join(value)
        value = "-" if value in (None, "") else value
        click.echo(f"{key.replace('_', ' '):<18} {obj.shown(str(value))}")


def _annotator(project: Project, name: str | None) -> str:
    """The layer to work on: ``--annotator``, else the project's current user."""
    name = name or project.current_annotator
    if not name:
        raise click.ClickException(
            "no annotator given and the project has no current user; "
            "pass --annotator NAME or set one with 'workbench-cli user NAME'"
        )
    if name != GOLD and name not in project.annotators():
        raise click.ClickException(
            f"{name!r} is not an annotator of this project; add them with 'workbench-cli annotators add {name}'"
        )
    return name


def _document(project: Project, doc_id: str) -> documents.Document:
    document = documents.get(project.db, doc_id)
    if document is None:
        raise click.ClickException(f"there is no document {doc_id!r} in this project (see 'docs')")
    return document


@cli.command()
@click.argument("name", required=False)
@click.pass_obj
def user(obj: Context, name: str | None) -> None:
    """Show the project's current user, or set it to NAME (who is annotating in this copy)."""
    project = obj.project()
    if name:
        try:
            project.set_current_annotator(name)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(obj.shown(project.current_annotator or "(no current user)"))


@cli.group()
def annotators() -> None:
    """The project's annotators."""


@annotators.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of names.")
@click.pass_obj
def annotators_list(obj: Context, as_json: bool) -> None:
    """List annotators in the order they joined."""
    names = obj.project().annotators()
    if as_json:
        emit_json(names)
    else:
        for name in names:
            click.echo(obj.shown(name))


@annotators.command(name="add")
@click.argument("names", nargs=-1, required=True)
@click.pass_obj
def annotators_add(obj: Context, names: tuple[str, ...]) -> None:
    """Add annotators (names already present are left as they are)."""
    project = obj.project()
    for name in names:
        try:
            project.add_annotator(name)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"{len(project.annotators())} annotators.")


@cli.command(name="spans")
@click.argument("doc_id")
@click.option("--annotator", help="Whose spans (default: the current user); 'gold' for the gold layer.")
@click.option("--all", "everyone", is_flag=True, help="Every annotator's spans.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of spans.")
@click.pass_obj
def spans_list(obj: Context, doc_id: str, annotator: str | None, everyone: bool, as_json: bool) -> None:
    """List a document's spans in reading order: id, start, end, label, text, attributes."""
    project = obj.project()
    document = _document(project, doc_id)
    layer = None if everyone else _annotator(project, annotator)
    rows = [s.to_json(document.text) for s in span_store.for_document(project.db, doc_id, layer)]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("No spans.")
        return
    for row in rows:
        attributes = " ".join(f"{k}={v}" for k, v in row["attributes"].items())
        click.echo(
            f"{row['id'][:8]}  {row['start']:>6} {row['end']:>6}  {row['label']:<9} "
            f"{obj.shown(row['text'])}  {attributes}".rstrip()
        )


@cli.group()
def span() -> None:
    """Create or delete one span (the same operations as the window)."""


def _parse_attrs(pairs: tuple[str, ...]) -> dict[str, str]:
    attributes = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="--attr")
        attributes[key.strip()] = value
    return attributes


@span.command(name="add")
@click.argument("doc_id")
@click.argument("start", type=int)
@click.argument("end", type=int)
@click.argument("label")
@click.option("--annotator", help="Whose span (default: the current user); 'gold' for the gold layer.")
@click.option("--attr", "attrs", multiple=True, metavar="KEY=VALUE", help="An attribute, e.g. count=4 kind=killed.")
@click.option("--note", default="", help="A note on the span.")
@click.option("--unsure", is_flag=True, help="Flag the span as unsure.")
@click.option("--json", "as_json", is_flag=True, help="Print the new span as JSON.")
@click.pass_obj
def span_add(obj: Context, doc_id, start, end, label, annotator, attrs, note, unsure, as_json) -> None:
    """Create a span over code points [START, END) of DOC_ID (END exclusive).

    Refused with a message if the range is outside the text, cuts a letter from
    its marks, or the label or an attribute is unknown.
    """
    project = obj.project()
    document = _document(project, doc_id)
    action = CreateSpan(
        Span(doc_id, _annotator(project, annotator), start, end, label.upper(), _parse_attrs(attrs), note, unsure)
    )
    action.do(project)
    if as_json:
        emit_json(action.span.to_json(document.text))
    else:
        click.echo(f"{action.span.id}  {label.upper()}  {obj.shown(document.text[start:end])}")


@span.command(name="delete")
@click.argument("span_id")
@click.pass_obj
def span_delete(obj: Context, span_id: str) -> None:
    """Delete a span by id (the change log keeps it)."""
    project = obj.project()
    found = span_store.get(project.db, span_id)
    if found is None:
        raise click.ClickException(f"there is no span {span_id!r} in this project")
    DeleteSpan(found, project.current_annotator).do(project)
    click.echo(f"Deleted {span_id}.")


@cli.command(name="status")
@click.argument("doc_id")
@click.argument("new_status", type=click.Choice(documents.STATUSES))
@click.option("--annotator", help="Whose status (default: the current user).")
@click.pass_obj
def status_cmd(obj: Context, doc_id: str, new_status: str, annotator: str | None) -> None:
    """Set a document's status for an annotator: done, in-progress or not-started."""
    project = obj.project()
    _document(project, doc_id)
    name = _annotator(project, annotator)
    SetStatus(doc_id, name, new_status, project.current_annotator).do(project)
    click.echo(f"{doc_id}: {new_status} for {obj.shown(name)}.")


@cli.command()
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
        result = assign_by_hand(project, _split(doc_ids), to)
    elif names:
        result = assign_balanced(project, _split(names), k=k, seed=seed)
    else:
        raise click.UsageError("give --annotators (balanced) or --docs with --to (by hand)")
    if as_json:
        emit_json({"added": result.added, "per_annotator": result.per_annotator})
    else:
        click.echo(f"{result.added} assignments added.")
        for name, count in result.per_annotator.items():
            click.echo(f"  {obj.shown(name)}: {count} documents")


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of per-annotator counts.")
@click.pass_obj
def progress(obj: Context, as_json: bool) -> None:
    """Each annotator's assigned documents: not started, in progress, done."""
    rows = team_progress(obj.project())
    if as_json:
        emit_json(rows)
        return
    click.echo(f"{'ANNOTATOR':<20} {'ASSIGNED':>8} {'TO DO':>7} {'STARTED':>8} {'DONE':>6}")
    for row in rows:
        click.echo(
            f"{obj.shown(row['annotator']):<20} {row['assigned']:>8} {row['not-started']:>7} "
            f"{row['in-progress']:>8} {row['done']:>6}"
        )


@cli.group()
def bundle() -> None:
    """Move work between machines: project bundles out, work bundles back."""


@bundle.command(name="export")
@click.option("--annotator", required=True, help="Whose project bundle.")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Bundle file to write."
)
@click.pass_obj
def bundle_export(obj: Context, annotator: str, output: Path) -> None:
    """(Lead) Write an annotator's project bundle: schema, guidelines, their documents, their secret."""
    summary = export_project_bundle(obj.project(), annotator, output)
    click.echo(f"Wrote {summary.path}: {summary.documents} documents for {obj.shown(annotator)}.")


@bundle.command(name="open")
@click.argument("bundle_file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def bundle_open(obj: Context, bundle_file: Path) -> None:
    """(Annotator) Make your project from a project bundle, at --db (or bring it up to date)."""
    project = open_project_bundle(bundle_file, obj.db_path)
    try:
        count = documents.count(project.db)
        click.echo(f"{obj.db_path}: {count} documents for {obj.shown(project.current_annotator)}.")
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


@bundle.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print what was merged and what was refused, as JSON.")
@click.option(
    "--progress/--no-progress", "show_progress", default=None, help="Show a progress bar (default: on a terminal)."
)
@click.pass_obj
def bundle_import(obj: Context, files, as_json: bool, show_progress) -> None:
    """(Lead) Check and merge work bundles. Exit status 2 if any was refused."""
    project = obj.project()
    if show_progress if show_progress is not None else sys.stderr.isatty():
        with click.progressbar(length=len(files), label="Merging", file=sys.stderr) as bar:
            report = import_work_bundles(project, list(files), progress=lambda done, _t, _c: bar.update(done - bar.pos))
    else:
        report = import_work_bundles(project, list(files))
    if as_json:
        emit_json(report.to_json())
    else:
        for item in report.merged:
            click.echo(
                f"merged {item['path']}: {obj.shown(item['annotator'])}, {item['documents']} documents "
                f"(+{item['added']} ~{item['updated']} -{item['deleted']} spans"
                + (f", {item['skipped_older']} not newer" if item["skipped_older"] else "")
                + ")"
            )
        for item in report.refused:
            click.echo(f"refused: {item['path']}: {item['reason']}", err=True)
    if report.refused:
        sys.exit(EXIT_REFUSED)


def _fmt(value, ci=None) -> str:
    if value is None:
        return "n/a"
    text = f"{value:.3f}"
    if ci:
        text += f" [{ci[0]:.2f}, {ci[1]:.2f}]"
    return text


@cli.command()
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
    project = obj.project()
    result = project_agreement(
        project,
        _split(names) if names else None,
        [n.upper() for n in _split(label_names)] if label_names else None,
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
        data = result.to_json()
        lines = [f"{'PAIR':<24} {'DOCS':>5} {'STRICT F1':>22} {'RELAXED F1':>22} {'ALPHA-U':>8} {'KAPPA':>7}"]
        for name, pair in data["pairs"].items():
            lines.append(
                f"{obj.shown(name):<24} {pair['documents']:>5} {_fmt(pair['strict_f1'], pair['strict_f1_ci']):>22} "
                f"{_fmt(pair['relaxed_f1'], pair['relaxed_f1_ci']):>22} {_fmt(pair['alpha_u']):>8} {_fmt(pair['cohen_kappa_bio']):>7}"
            )
        alpha = data["alpha_u"]
        lines.append("")
        lines.append(
            f"alpha-U, all annotators, {data['documents']['all']} documents: pooled {_fmt(alpha['pooled'], alpha['pooled_ci'])}, "
            f"mean over documents {_fmt(alpha['mean_over_docs'])}; Fleiss' kappa (tokens) {_fmt(data['fleiss_kappa_bio'])}"
        )
        for key, reason in alpha["undefined"].items():
            lines.append(f"  {key}: n/a because {reason}")
        lines.append("per label alpha-U: " + ", ".join(f"{k} {_fmt(v)}" for k, v in data["alpha_u_per_label"].items()))
        worst = data["per_document"][:10]
        if worst:
            lines.append("")
            lines.append("documents, worst first (strict F1 averaged over pairs):")
            for row in worst:
                lines.append(f"  {_fmt(row['strict_f1']):>6}  {row['doc_id']}  {obj.shown(row['title'])}")
        text = "\n".join(lines)
    if output:
        output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        click.echo(f"Wrote {output}.", err=True)
    else:
        click.echo(text)


@cli.command()
@click.option("--auto-unanimous", is_flag=True, required=True, help="Accept every unanimous span into gold.")
@click.option("--docs", "doc_ids", help="Only these documents (comma-separated ids).")
@click.option("--annotators", "names", help="Annotators whose agreement counts (default: all).")
@click.pass_obj
def adjudicate(obj: Context, auto_unanimous: bool, doc_ids, names) -> None:
    """Build the gold layer: --auto-unanimous accepts every span all annotators agree on.

    Each accepted span records which annotators agreed, who adjudicated and when.
    Running it again accepts nothing twice.
    """
    from workbench.core.adjudication import accept_all_unanimous

    project = obj.project()
    count = accept_all_unanimous(
        project,
        _split(doc_ids) if doc_ids else None,
        project.current_annotator or "lead",
        _split(names) if names else None,
    )
    click.echo(f"{count} unanimous spans accepted into gold.")


@cli.command(name="export")
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(["jsonl", "conll", "spacy", "hf", "brat"]),
    help="jsonl (character spans), conll (BIO), spacy (DocBin), hf (datasets DatasetDict), brat (standoff).",
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
    type=click.Choice(["split", "expand", "drop"]),
    default="split",
    show_default=True,
    help="A span edge inside a token (a proclitic: ببنغازي): cut the token, label it whole, or drop the sentence.",
)
@click.option("--stratify", is_flag=True, help="Balance the splits on which labels each document contains.")
@click.option(
    "-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder to write."
)
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@click.pass_obj
def export_cmd(obj: Context, fmt, source, split_text, seed, boundary, stratify, output, as_json) -> None:
    """Write a training set: the files, a data card (README.md) and manifest.json.

    The data card says where the spans come from, the counts per split, the
    agreement figures, the schema, the boundary policy and its counts, the seed
    and the SHA-256 of every file.
    """
    from workbench.core.export import ExportOptions, export, parse_source, parse_split

    project = obj.project()
    try:
        split = parse_split(split_text)
        parse_source(project, source)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    options = ExportOptions(format=fmt, source=source, split=split, seed=seed, boundary=boundary, stratify=stratify)
    report = export(project, options, output)
    if as_json:
        emit_json(report.to_json())
    else:
        per_split = ", ".join(f"{name} {count}" for name, count in report.documents.items())
        click.echo(f"Wrote {report.out_dir}: {per_split} documents; see README.md there.")


def main() -> None:
    cli(prog_name="workbench-cli")
