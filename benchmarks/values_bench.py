"""Values: how well the engines find DATE, CASUALTY, ACTOR and LOCATION spans and their values,
and how fast they suggest a long article.

Evaluation sets (tests/data/values/): dates.jsonl, casualties.jsonl, names.jsonl, sentences from
the sample corpus and written ones covering every rule of issue 13, each line
``{"text", "spans": [...], "anchor"?, "split"?}``. Lines marked ``"split": "holdout"`` were
written before the rules were tuned; their figures are printed apart.

dates-lead.jsonl and casualties-lead.jsonl were written afterwards by someone who had not read
the rules (the "lead-set"): the closest thing here to the independent hold-out of issue 13.

Printed, per set and split: span precision / recall / F1, strict (same start, end and label)
and relaxed (overlapping, same label; one gold span per prediction), and the value accuracy of
the relaxed matches (DATE value; CASUALTY count and kind; canonical name). A baseline measured
in the same run (a plain regex for the casualty word and a number, dateparser's search for
dates) gives the ratios. Then the time to suggest a 20,000-character article with every engine
(median of repeated runs; the goal is under 50 ms).

    python benchmarks/values_bench.py [--runs 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data" / "values"


def load(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def score(gold: list[tuple], predicted: list[tuple], value_keys: tuple[str, ...]) -> dict[str, float]:
    """gold / predicted: (sentence, start, end, label, attributes) each."""
    strict = len({g[:4] for g in gold} & {p[:4] for p in predicted})
    matched: list[tuple[tuple, tuple]] = []
    used: set[int] = set()
    for g in gold:
        for i, p in enumerate(predicted):
            if i not in used and p[0] == g[0] and p[3] == g[3] and p[1] < g[2] and g[1] < p[2]:
                used.add(i)
                matched.append((g, p))
                break
    out: dict[str, float] = {}
    for kind, hits in (("strict", strict), ("relaxed", len(matched))):
        precision = hits / len(predicted) if predicted else 1.0
        recall = hits / len(gold) if gold else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[f"{kind}_p"], out[f"{kind}_r"], out[f"{kind}_f1"] = precision, recall, f1
    for key in value_keys:
        relevant = [(g, p) for g, p in matched if key in g[4]]
        right = sum(1 for g, p in relevant if _same(g[4].get(key), p[4].get(key)))
        out[f"{key}_accuracy"] = right / len(relevant) if relevant else float("nan")
    out["gold"], out["predicted"] = len(gold), len(predicted)
    return out


def _same(a, b) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return list(a or []) == list(b or [])
    return a == b


def gold_of(rows: list[dict], label: str | None) -> list[tuple]:
    out = []
    for n, row in enumerate(rows):
        for span in row["spans"]:
            attrs = {k: v for k, v in span.items() if k not in ("start", "end", "label")}
            out.append((n, span["start"], span["end"], span.get("label", label), attrs))
    return out


def anchor_of(row: dict) -> dt.date | None:
    return dt.date.fromisoformat(row["anchor"]) if row.get("anchor") else None


def predictions(rows: list[dict], find) -> list[tuple]:
    return [
        (n, f.start, f.end, f.label, dict(f.attributes)) for n, row in enumerate(rows) for f in find(row["text"], row)
    ]


# --- the baseline: what a regex and dateparser give without this project's rules ------------------

_BASE_CASUALTY = re.compile(r"(مقتل|قتل|إصابة|اصابة|جرح|أسر|اعتقال)\s+(\d+)")


def baseline_casualties(text: str, _row: dict) -> list:
    from workbench.core.values import Found

    kinds = {"مقتل": "killed", "قتل": "killed", "إصابة": "injured", "اصابة": "injured", "جرح": "injured"}
    return [
        Found(m.start(), m.end(), "CASUALTY", {"count": int(m[2]), "kind": kinds.get(m[1], "captured")})
        for m in _BASE_CASUALTY.finditer(text)
    ]


def baseline_dates(text: str, row: dict) -> list:
    from dateparser.search import search_dates

    from workbench.core.values import Found

    found, start = [], 0
    settings = {"RELATIVE_BASE": dt.datetime.combine(anchor_of(row), dt.time())} if row.get("anchor") else {}
    for phrase, when in search_dates(text, languages=["ar"], settings=settings) or []:
        at = text.find(phrase, start)
        if at >= 0:
            found.append(Found(at, at + len(phrase), "DATE", {"value": when.date().isoformat()}))
            start = at + len(phrase)
    return found


def line(name: str, value: float, unit: str) -> None:
    print(f"{name}: {value:.3f} {unit}" if unit != "ms" else f"{name}: {value:.2f} {unit}")


def evaluate(set_name: str, rows: list[dict], label: str | None, find, keys: tuple[str, ...], tag: str) -> None:
    for split in ("all", "holdout"):
        chosen = [r for r in rows if split == "all" or r.get("split") == "holdout"]
        if not chosen:
            continue
        result = score(gold_of(chosen, label), predictions(chosen, find), keys)
        prefix = f"{set_name} {tag} {split}"
        line(f"{prefix} spans", result["gold"], "gold")
        for kind in ("strict", "relaxed"):
            line(f"{prefix} {kind} precision", result[f"{kind}_p"], "ratio")
            line(f"{prefix} {kind} recall", result[f"{kind}_r"], "ratio")
            line(f"{prefix} {kind} f1", result[f"{kind}_f1"], "ratio")
        for key in keys:
            line(f"{prefix} {key} accuracy", result[f"{key}_accuracy"], "ratio")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    from workbench.core.values import casualties, dates
    from workbench.core.values.project_names import shipped_gazetteer

    names = shipped_gazetteer()
    date_rows, casualty_rows, name_rows = load("dates.jsonl"), load("casualties.jsonl"), load("names.jsonl")
    evaluate("date", date_rows, "DATE", lambda t, r: dates.find_dates(t, anchor_of(r)), ("value",), "engine")
    evaluate("date", date_rows, "DATE", baseline_dates, ("value",), "baseline")
    evaluate(
        "casualty", casualty_rows, "CASUALTY", lambda t, r: casualties.find_casualties(t), ("count", "kind"), "engine"
    )
    evaluate("casualty", casualty_rows, "CASUALTY", baseline_casualties, ("count", "kind"), "baseline")
    evaluate("names", name_rows, None, lambda t, r: names.find(t), ("canonical",), "engine")
    # Written by the lead after the engines were done, by someone who had not seen their rules.
    lead_dates, lead_casualties = load("dates-lead.jsonl"), load("casualties-lead.jsonl")
    evaluate("date", lead_dates, "DATE", lambda t, r: dates.find_dates(t, anchor_of(r)), ("value",), "lead-set")
    evaluate("date", lead_dates, "DATE", baseline_dates, ("value",), "lead-set-baseline")
    evaluate(
        "casualty",
        lead_casualties,
        "CASUALTY",
        lambda t, r: casualties.find_casualties(t),
        ("count", "kind"),
        "lead-set",
    )
    evaluate("casualty", lead_casualties, "CASUALTY", baseline_casualties, ("count", "kind"), "lead-set-baseline")

    # Speed: every engine on a 20,000-character article made of the sample corpus.
    from workbench.resources import sample_corpus_files

    corpus = "\n\n".join(f.read_text(encoding="utf-8") for f in sample_corpus_files())
    article = (corpus * (20_000 // len(corpus) + 1))[:20_000]
    anchor = dt.date(2019, 4, 5)

    def all_engines() -> int:
        return (
            len(dates.find_dates(article, anchor)) + len(casualties.find_casualties(article)) + len(names.find(article))
        )

    all_engines()
    timings = {}
    for name, run in (
        ("dates", lambda: dates.find_dates(article, anchor)),
        ("casualties", lambda: casualties.find_casualties(article)),
        ("names", lambda: names.find(article)),
        ("all engines", all_engines),
    ):
        samples = []
        for _ in range(args.runs):
            began = time.perf_counter()
            run()
            samples.append((time.perf_counter() - began) * 1000)
        timings[name] = statistics.median(samples)
        line(f"suggest 20000-char article {name} median", timings[name], "ms")
    line("suggest 20000-char article all engines vs 50 ms goal", timings["all engines"] / 50, "ratio")
    return 0


if __name__ == "__main__":
    sys.exit(main())
