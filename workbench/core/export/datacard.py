"""The data card (``README.md``) every export writes, from the same facts as ``manifest.json``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.core.agreement.present import NA, fmt_score
from workbench.core.export.files import HashedFile
from workbench.core.export.formats import BOUNDARIES, FORMATS


def write_text(path: Path, text: str) -> str:
    """Write ``text`` (UTF-8, ``\\n`` line ends); return its SHA-256."""
    handle = HashedFile(path)
    handle.write(text)
    return handle.close()


def _figure(value: float | None, ci: Any = None) -> str:
    """A figure of the agreement section: three decimals (its interval too), or "n/a"."""
    return fmt_score(value, ci, ci_digits=3)


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _suggestions(usage: dict[str, Any] | None) -> str:
    """Whether annotators were offered suggestions: assisted annotation is not unassisted."""
    if usage is None:
        return "not recorded"
    state = (
        f"on: {usage['accepted']} spans accepted from suggestions, {usage['rejected']} suggestions rejected"
        if usage["on"]
        else "off: annotation was unassisted (no spans or values were suggested)"
    )
    switches = "; ".join(f"switched {s['to']} {s['at'][:10]}" for s in usage.get("switched", []))
    split = usage.get("split")
    halves = ""
    if split:
        began = f" since {split['since'][:10]}, seed {split['seed']}" if split.get("going_on") else " (ended)"
        halves = (
            f"; an A/B split{began}: {split['with']} annotator-document pairs with suggestions, "
            f"{split['without']} without (`workbench-cli report assistance` compares them)"
        )
    return state + (f" ({switches})" if switches else "") + halves


def render(facts: dict[str, Any], files: dict[str, str]) -> str:
    """The data card as Markdown."""
    out: list[str] = []
    add = out.append
    project = facts["project"]
    fmt = facts["format"]
    info = FORMATS[fmt]
    source = facts["source"]
    options = facts["options"]
    names = options["split_names"]
    splits = facts["splits"]
    counts = facts["counts"]

    add(f"# Data card: {project['name']} ({fmt} export)\n")
    add(f"- Written: {facts['created_at']} by Workbench {facts['workbench_version']}")
    add(f"- Project: {project['name']} (id {project['id']}, file {project['file']})")
    add(f"- Format: {fmt}")
    add(f"- Source: `{source['name']}`: {source['description']}")
    add(
        f"- Split: {'/'.join(map(str, options['split']))} ({'/'.join(names)}), by document, seed "
        f"{options['seed']}, {'stratified on the labels each document holds' if options['stratify'] else 'not stratified'}"
    )
    add(f"- Boundary policy: `{options['boundary']}`")
    add(f"- Suggestions: {_suggestions(facts.get('suggestions'))}")
    add("")

    add("## Source\n")
    if source["name"] == "majority":
        add(
            "**Majority vote.** Documents without gold take the spans (same start, end and label) that more "
            "than half of the document's annotators marked; their attributes are those most of the "
            "agreeing annotators gave. These spans were not adjudicated. Each document's `layer` says "
            "which it is.\n"
        )
    add("| layer | documents |")
    add("|---|---|")
    for layer, n in source["layers"].items():
        add(f"| {_cell(layer)} | {n} |")
    for why, n in source["left_out"].items():
        add(f"\nLeft out: {n} documents ({why}).")
    for note in source.get("incomplete_gold", {}).get("notes", []):
        add(f"\n{note}.")
    add("")

    add("## Splits\n")
    add("| split | share | documents | tokens | sentences | spans |")
    add("|---|---|---|---|---|---|")
    for name in names:
        s = splits[name]
        sentences = NA if s["sentences"] is None else str(s["sentences"])
        if s["sentences_dropped"]:
            sentences += f" ({s['sentences_dropped']} dropped)"
        add(f"| {name} | {s['share']}% | {s['documents']} | {s['tokens']} | {sentences} | {s['spans']} |")
    add("")
    labels = [label["name"] for label in facts["labels"]]
    add(
        "Spans per label"
        + (" (the entities of the BIO tags: outermost spans)" if info.tokens else " (every span)")
        + ":\n"
    )
    add("| label | " + " | ".join(names) + " | total |")
    add("|---|" + "---|" * (len(names) + 1))
    for label in labels:
        row = [splits[name]["labels"].get(label, 0) for name in names]
        add(f"| {label} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    add("")

    add("## Annotators and agreement\n")
    agreement = facts.get("agreement") or {}
    add(f"Annotators: {', '.join(facts['annotators']) or 'none'}.\n")
    if "error" in agreement:
        add(f"Agreement: {NA} ({agreement['error']}).\n")
    else:
        add(
            "Agreement over the whole project (each pair over the documents both finished; gold "
            "compared like one more annotator), the same figures as `workbench-cli agreement` "
            f"gives, without its bootstrap intervals (it has them); {NA} where a figure is undefined.\n"
        )
        add("| pair | documents | strict F1 | relaxed F1 |")
        add("|---|---|---|---|")
        for name, pair in agreement.get("pairs", {}).items():
            add(
                f"| {_cell(name.replace('|', ' / '))} | {pair['documents']} | {_figure(pair['strict_f1'], pair.get('strict_f1_ci'))} "
                f"| {_figure(pair['relaxed_f1'], pair.get('relaxed_f1_ci'))} |"
            )
        if not agreement.get("pairs"):
            add(f"| {NA} | 0 | {NA} | {NA} |")
        alpha = agreement.get("alpha_u", {})
        add(
            f"\nPooled α_U (all annotators, documents all of them finished): "
            f"{_figure(alpha.get('pooled'), alpha.get('pooled_ci'))}"
            + (
                f" ({alpha['undefined']['pooled']})"
                if alpha.get("pooled") is None and alpha.get("undefined", {}).get("pooled")
                else ""
            )
            + "\n"
        )
        as_of = agreement.get("as_of")
        if as_of:
            change = (
                "as of the start of the project's change log (no change logged yet)"
                if as_of["change"] is None
                else f"as of change {as_of['change']} of the project's change log"
            )
            kept = (
                "; read back from the project: nothing they depend on has changed since" if as_of["from_cache"] else ""
            )
            add(f"These figures are {change} (computed {as_of['computed_at']}, in {as_of['seconds']:.1f} s{kept}).\n")

    add("## Label schema\n")
    for label in facts["labels"]:
        add(f"- **{label['name']}** ({label['color']}): {label['description']}")
        for attribute in label["attributes"]:
            extra = f"; one of {', '.join(attribute['choices'])}" if attribute.get("choices") else ""
            default = f"; default {attribute['default']}" if attribute.get("default") is not None else ""
            add(f"  - `{attribute['name']}` ({attribute['type']}{extra}{default}): {attribute['description']}")
    add(f"\nBIO tags (in this order; `ClassLabel` names for hf): {', '.join(facts['tags'])}\n")

    add("## Tokens, sentences and span boundaries\n")
    add(
        "Tokens keep their offsets into the text: words (letters with their harakat, tatweel and "
        "format characters), numbers (Western or Arabic-Indic digits, with `.` `,` `٫` `٬` between "
        "digits), and every other non-space character on its own (`، ؛ ؟ « » . :` ...). Sentences end "
        "at line breaks and after `. ! ? ؟ ؛ …` (with closing quotes or brackets written right after), "
        "never inside an entity. BIO tags hold one span per token: where spans nest or overlap, the "
        "outermost is kept.\n"
    )
    policy = options["boundary"]
    add(f"Boundary policy `{policy}`: {BOUNDARIES[policy].card}.\n")
    if not info.tokens:
        add(f"The {fmt} format keeps every span as annotated; these counts describe the token view {info.token_view}\n")
    add("| count | spans |")
    add("|---|---|")
    rows = [
        ("spans in the source", counts["spans_in_source"]),
        ("entities tagged", counts["entities"]),
        ("span edge inside a token", counts["edge_inside_token"]),
        ("split (token cut)", counts["split"]),
        ("expanded to whole tokens", counts["expanded"]),
        ("dropped (edge inside a token)", counts["dropped"]),
        ("sentences dropped", counts["sentences_dropped"]),
        ("other entities in dropped sentences", counts["entities_in_dropped_sentences"]),
        ("expand conflicts (two entities in one token; later one left out)", counts["expand_conflicts"]),
        ("nested inner spans dropped", counts["nested_inner_dropped"]),
        ("crossing spans dropped", counts["crossing_dropped"]),
    ]
    if counts.get("spans_in_no_row"):
        rows.append(("spans across a sentence end, in no row", counts["spans_in_no_row"]))
    for name, value in rows:
        add(f"| {name} | {value} |")
    add("")
    if counts["documents_with_non_bmp"]:
        add(
            f"**Characters outside the BMP**: {counts['documents_with_non_bmp']} documents hold characters "
            "beyond U+FFFF (emoji, rare scripts). All offsets here count code points (Python string "
            "indices, as brat does); tools counting UTF-16 units (JavaScript, Java, Qt) place spans after "
            "such a character one unit later per character.\n"
        )
    else:
        add(
            "All offsets count code points (Python string indices); no document holds characters outside the BMP, so UTF-16 tools agree.\n"
        )

    add("## Format\n")
    add(info.card)

    add("## Reproduce\n")
    split_text = "/".join(map(str, options["split"]))
    add(
        "```\nworkbench-cli export --format {fmt} --source {source} --split {split} --seed {seed} "
        "--boundary {boundary}{stratify} -o DIR\n```\n".format(
            fmt=fmt,
            source=source["name"],
            split=split_text,
            seed=options["seed"],
            boundary=policy,
            stratify=" --stratify" if options["stratify"] else "",
        )
    )
    add("## Files\n")
    add("SHA-256 of every file of this export (`manifest.json` holds these and this file's own).\n")
    add("| file | SHA-256 |")
    add("|---|---|")
    for path, digest in sorted(files.items()):
        add(f"| {_cell(path)} | `{digest}` |")
    return "\n".join(out) + "\n"
