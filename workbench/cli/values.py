"""Values and suggestions: what the engines read in a document, its publication date (the anchor
of relative dates), and whether the project offers suggestions at all."""

from __future__ import annotations

import click

from workbench.cli.context import Context, document_of, layer_of, split_list
from workbench.cli.output import emit_json
from workbench.core import suggestions


@click.command(name="suggest")
@click.argument("doc_id", required=False)
@click.option(
    "--engine",
    type=click.Choice(suggestions.ENGINES),
    default=suggestions.ALL,
    show_default=True,
    help="rules: dates and casualties; gazetteer: canonical names; all: both.",
)
@click.option("--labels", "labels", help="Comma-separated labels to suggest (default: all of the schema's).")
@click.option("--annotator", help="Whose layer: what it already has, or rejected, is not suggested again.")
@click.option(
    "--evaluate",
    is_flag=True,
    help="Instead: the learning curve of the layer's model (train on the first k done documents, "
    "test on held-out ones), per label.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the suggestions as JSON.")
@click.pass_obj
def suggest(
    obj: Context,
    doc_id: str | None,
    engine: str,
    labels: str | None,
    annotator: str | None,
    evaluate: bool,
    as_json: bool,
) -> None:
    """Suggest spans with their values for a document (nothing is saved).

    \b
    workbench-cli suggest 002_af682284de1024ff --json
    {"doc_id": ..., "suggestions": [{"start", "end", "label", "text", "attributes", "source", "confidence"}]}
    workbench-cli suggest --evaluate --annotator Salma
    Offsets are code points, END exclusive. Accept them in the window (Enter), or with 'span add'.
    """
    project = obj.project(reading=True)
    if evaluate:
        if doc_id is not None:
            raise click.UsageError("--evaluate takes no DOC_ID: it evaluates on the layer's done documents")
        _learning_curve(obj, project, layer_of(project, annotator), as_json)
        return
    if doc_id is None:
        raise click.UsageError("give a DOC_ID (or --evaluate)")
    text = document_of(project, doc_id).text
    layer = layer_of(project, annotator) if annotator or project.current_annotator else None
    wanted = [label.upper() for label in split_list(labels)] if labels else None
    found = suggestions.suggest(project, doc_id, layer or "", engine=engine, labels=wanted)
    if not suggestions.enabled(project) and not as_json:
        click.echo("Suggestions are off in this project ('workbench-cli suggestions on' turns them on).", err=True)
    elif layer and not as_json:
        from workbench.core import assistance

        why = assistance.quiet_reason(project, doc_id, layer)
        if why:
            click.echo(why, err=True)
    if as_json:
        emit_json({"doc_id": doc_id, "suggestions": [f.to_json(text) for f in found]})
        return
    for f in found:
        values = " ".join(f"{k}={v}" for k, v in f.attributes.items())
        click.echo(
            f"{f.start:>6} {f.end:>6}  {f.label:<9} {f.confidence:.2f}  {obj.shown(text[f.start : f.end])}"
            + (f"  {values}" if values else "")
            + f"  ({f.source})"
        )


def _learning_curve(obj: Context, project, layer: str, as_json: bool) -> None:
    from workbench.core.values import training

    points = training.learning_curve(project, layer)
    if as_json:
        emit_json({"layer": layer, "points": points})
        return
    if not points:
        click.echo(f"{obj.shown(layer)} has too few done documents to learn from and test on.")
        return
    click.echo(f"{'DOCS':>5} {'TESTED':>6}  {'STRICT P/R/F1':<20} {'RELAXED P/R/F1':<20} {'SECONDS':>7}")
    for point in points:
        strict, relaxed = point["overall"]["strict"], point["overall"]["relaxed"]
        click.echo(
            f"{point['documents']:>5} {point['held_out']:>6}  "
            f"{strict['precision']:.2f}/{strict['recall']:.2f}/{strict['f1']:.2f}        "
            f"{relaxed['precision']:.2f}/{relaxed['recall']:.2f}/{relaxed['f1']:.2f}        {point['seconds']:>7.1f}"
        )


@click.command(name="train")
@click.option("--annotator", help="Whose done documents the model learns from (default: the current user).")
@click.option("--gold", is_flag=True, help="Learn from the gold layer instead (to pre-annotate new batches).")
@click.option("--json", "as_json", is_flag=True, help="Print the training report as JSON.")
@click.pass_obj
def train_cmd(obj: Context, annotator: str | None, gold: bool, as_json: bool) -> None:
    """Train the layer's suggestion model now, on its done documents, and print its own held-out
    figures. Each annotator's model learns from their own work only, so blind annotation stays blind."""
    from workbench.core.values import training

    if gold and annotator:
        raise click.UsageError("give --annotator or --gold, not both")
    project = obj.project()
    layer = "gold" if gold else layer_of(project, annotator)
    report = training.train_layer(project, layer, gold=gold)
    if as_json:
        emit_json(report.to_json())
        return
    relaxed = report.evaluation.get("overall", {}).get("relaxed", {})
    click.echo(
        f"Trained {obj.shown(layer)}'s model on {report.documents} done documents in {report.seconds:.1f} s"
        + (
            f"; held-out ({report.held_out} documents) relaxed precision {relaxed['precision']:.2f}, "
            f"recall {relaxed['recall']:.2f}, F1 {relaxed['f1']:.2f}."
            if relaxed
            else "; too few documents to test it on."
        )
    )
    shown = suggestions.model_ready(project, layer)
    click.echo(
        "Its suggestions are shown."
        if shown
        else f"Its suggestions stay hidden until its held-out precision reaches {suggestions.MODEL_MIN_PRECISION}."
    )


@click.command(name="date")
@click.argument("doc_id")
@click.argument("published", required=False)
@click.option("--clear", is_flag=True, help="Forget the document's publication date.")
@click.pass_obj
def date_cmd(obj: Context, doc_id: str, published: str | None, clear: bool) -> None:
    """Show or set a document's publication date (YYYY-MM-DD), the anchor of its relative dates
    (أمس، الخميس الماضي، العام الماضي).

    \b
    workbench-cli date 002_af682284de1024ff             # what it is, and where it comes from
    workbench-cli date 002_af682284de1024ff 2019-04-05
    """
    project = obj.project(reading=published is None and not clear)
    document = document_of(project, doc_id)
    if published is None and not clear:
        if document.published:
            click.echo(f"{doc_id}: published {document.published}")
        else:
            found = suggestions.anchor(project, doc_id)
            click.echo(
                f"{doc_id}: no publication date; its dateline says {found.isoformat()}"
                if found
                else f"{doc_id}: no publication date, and no dateline: relative dates stay without a value"
            )
        return
    if published is not None and clear:
        raise click.UsageError("give a date or --clear, not both")
    actor = project.current_annotator or "lead"
    suggestions.SetPublished(doc_id, None if clear else published, actor).do(project)
    click.echo(f"{doc_id}: " + ("publication date cleared." if clear else f"published {published}."))


@click.command(name="suggestions")
@click.argument("state", type=click.Choice(["on", "off", "status", "split", "end-split"]), default="status")
@click.option(
    "--seed",
    type=click.IntRange(min=0, max=2**63 - 1),
    help="With split: the seed that draws each annotator's halves (default: a new one, recorded).",
)
@click.pass_obj
def suggestions_cmd(obj: Context, state: str, seed: int | None) -> None:
    """Switch the project's suggestions (and the values filled when tagging) on or off, or
    split them A/B to measure the time they save.

    Off is for measuring unassisted annotation; the export's data card says which it was.
    'split' gives each annotator's documents (the assigned ones, or all with no assignments)
    a half, balanced and drawn from the seed: suggestions shown on one half, not on the other;
    documents assigned later get their half when assigned. 'report assistance' compares the
    halves; 'end-split' stops it (the halves are kept for the report).
    """
    from workbench.core import assistance

    if seed is not None and state != "split":
        raise click.UsageError("--seed goes with 'split'")
    project = obj.project(reading=state == "status")
    if state in ("on", "off"):
        suggestions.set_enabled(project, state == "on")
    elif state == "split":
        given = assistance.start(project, seed, actor=project.current_annotator or "lead")
        split = assistance.split_of(project)
        assert split is not None
        click.echo(f"A/B split of suggestions with seed {split.seed}, since {split.since[:19]}Z:")
        for name, (shown, hidden) in given.items():
            click.echo(f"  {obj.shown(name)}: {shown} documents with suggestions, {hidden} without")
        if not given:
            click.echo("  no annotators yet: their documents get their halves when they are assigned")
    elif state == "end-split":
        stopped = assistance.stop(project, actor=project.current_annotator or "lead")
        click.echo(
            "The A/B split has ended; its halves are kept for 'report assistance'."
            if stopped
            else "No A/B split goes on."
        )
    click.echo(f"Suggestions are {'on' if suggestions.enabled(project) else 'off'} in this project.")
    if state == "status":
        split = assistance.split_of(project)
        if split is not None:
            click.echo(f"An A/B split (seed {split.seed}) goes on since {split.since[:10]}: see 'report assistance'.")


COMMANDS = (suggest, train_cmd, date_cmd, suggestions_cmd)
