"""The sequence model of issue 14 (values/crf.py): train time, peak memory, predict time, and
held-out F1 against the rule and gazetteer engines measured in the same run.

The data is built here, and it is NOT the issue's independent hold-out (Arabic newswire you do
not have): the evaluation sentences of tests/data/values (names.jsonl: ACTOR/LOCATION,
dates.jsonl: DATE, casualties.jsonl: CASUALTY; a sentence in several files gets all their
spans) are grouped, 3 to a pseudo-article. They are partially annotated (a dates sentence's
names are not tagged), which costs the model precision on every label; and the rule engines
were tuned on these very sentences, which flatters the baseline. Read the F1 lines as a sanity
check of the pipeline, not as the issue's goals.

- train time and memory: 150 pseudo-articles of about 4,000 characters, sentences drawn with
  replacement (for time and memory only), peak resident memory (VmHWM) after training;
- F1: the unique sentences' pseudo-articles, a seeded fifth held out by article; strict (same
  start, end, label) and relaxed (same label, overlapping), per label and overall;
- predict time: a 20,000-character article (the sample corpus and sentences), median of runs.

    python benchmarks/suggest_bench.py [--runs 10]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data" / "values"
LABELS = ["ACTOR", "LOCATION", "DATE", "CASUALTY"]


def vm(key: str) -> float:
    """A /proc/self/status memory figure in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def sentences() -> list[tuple[str, list[SimpleNamespace]]]:
    found: dict[str, list[SimpleNamespace]] = {}
    for name, label in (("names", None), ("dates", "DATE"), ("casualties", "CASUALTY")):
        for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            spans = found.setdefault(row["text"], [])
            for s in row["spans"]:
                key = (s["start"], s["end"], s.get("label") or label)
                if all((x.start, x.end, x.label) != key for x in spans):
                    spans.append(SimpleNamespace(start=key[0], end=key[1], label=key[2]))
    return list(found.items())


def join(items) -> tuple[str, list[SimpleNamespace]]:
    text, spans = "", []
    for sentence, sentence_spans in items:
        if text:
            text += "\n"
        offset = len(text)
        text += sentence
        spans += [SimpleNamespace(start=s.start + offset, end=s.end + offset, label=s.label) for s in sentence_spans]
    return text, spans


def figures(pairs, labels) -> dict:
    """``pairs``: (predicted, gold) lists of (start, end, label) per document."""
    from workbench.core.values.training import Counts, compare

    per = {label: Counts() for label in labels}
    for predicted, gold in pairs:
        for label, counts in compare(predicted, gold, labels).items():
            per[label].add(counts)
    overall = Counts()
    for counts in per.values():
        overall.add(counts)
    return {"overall": overall.figures(), **{label: c.figures() for label, c in per.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    from workbench.core.values import crf
    from workbench.core.values.casualties import find_casualties
    from workbench.core.values.dates import find_dates
    from workbench.core.values.gazetteer import shipped_gazetteer

    print(f"memory before training (VmRSS): {vm('VmRSS'):.0f} MB")
    items = sentences()
    rng = random.Random(14)

    # 1. time and memory: 150 articles of ~4,000 characters (sentences drawn with replacement)
    big = []
    for _ in range(150):
        chosen, size = [], 0
        while size < 4000:
            chosen.append(rng.choice(items))
            size += len(chosen[-1][0]) + 1
        big.append(join(chosen))
    chars = sum(len(t) for t, _ in big)
    started = time.perf_counter()
    trained = crf.train_report(big, LABELS)
    seconds = time.perf_counter() - started
    print(f"train articles: {len(big)} articles ({chars} characters, {trained.tokens} tokens, resampled sentences)")
    print(f"train time 150 articles: {seconds:.2f} s")
    print(f"train peak memory (VmHWM): {vm('VmHWM'):.0f} MB")
    print(f"model size: {len(trained.data) / 1e6:.2f} MB")
    print(f"spans skipped (not on token edges): {trained.skipped} spans")

    # 2. held-out F1, split by pseudo-article
    order = list(range(len(items)))
    rng.shuffle(order)
    articles = [join([items[k] for k in order[i : i + 3]]) for i in range(0, len(order), 3)]
    held = set(random.Random(7).sample(range(len(articles)), round(len(articles) * 0.2)))
    train = [a for k, a in enumerate(articles) if k not in held]
    test = [a for k, a in enumerate(articles) if k in held]
    started = time.perf_counter()
    model = crf.Model.from_bytes(crf.train(train, LABELS))
    print(f"train time {len(train)} pseudo-articles (F1 model): {time.perf_counter() - started:.2f} s")
    gold = [[(s.start, s.end, s.label) for s in spans] for _, spans in test]
    predicted = [[(f.start, f.end, f.label) for f in model.predict(text)] for text, _ in test]
    gazetteer = shipped_gazetteer()

    def baseline(text: str) -> list[tuple[int, int, str]]:
        found = gazetteer.find(text, ["ACTOR", "LOCATION"]) + find_dates(text, None) + find_casualties(text, None)
        return [(f.start, f.end, f.label) for f in found]

    base = [baseline(text) for text, _ in test]
    ours, theirs = figures(zip(predicted, gold), LABELS), figures(zip(base, gold), LABELS)
    print(f"held-out: {len(test)} pseudo-articles, {sum(map(len, gold))} spans (NOT the issue's independent hold-out)")
    for name, result in (("model", ours), ("baseline rules+gazetteer", theirs)):
        for label in ["overall", *LABELS]:
            for kind in ("strict", "relaxed"):
                f = result[label][kind]
                print(
                    f"held-out {kind} F1 {label} {name}: {f['f1']:.3f} ratio "
                    f"(P {f['precision']:.3f} R {f['recall']:.3f})"
                )

    # 3. predict time on a 20,000-character article
    from workbench.resources import sample_corpus_files

    text = "\n".join(p.read_text(encoding="utf-8") for p in sample_corpus_files())
    while len(text) < 20_000:
        text += "\n" + rng.choice(items)[0]
    text = text[:20_000]
    model = crf.Model.from_bytes(trained.data)
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        found = model.predict(text)
        times.append(time.perf_counter() - started)
    print(
        f"predict time per 20,000-character article (median of {args.runs}): {statistics.median(times) * 1000:.0f} ms"
    )
    print(f"predicted spans in it: {len(found)} spans")
    # and per real article: the sample corpus's five (2,400-2,900 characters each)
    articles = [p.read_text(encoding="utf-8") for p in sample_corpus_files()]
    per_article = []
    for _ in range(args.runs):
        for article in articles:
            started = time.perf_counter()
            model.predict(article)
            per_article.append(time.perf_counter() - started)
    median_chars = statistics.median(len(a) for a in articles)
    print(
        f"predict time per sample article (median of {len(per_article)}, {median_chars:.0f} characters): "
        f"{statistics.median(per_article) * 1000:.1f} ms"
    )
    print(f"peak memory at the end (VmHWM): {vm('VmHWM'):.0f} MB")


if __name__ == "__main__":
    main()
