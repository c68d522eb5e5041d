"""The sample corpus's paragraphs, which every benchmark builds its documents from, and the
realistic project the issue-16 benchmarks measure: documents of 2-5 KB, an annotated subset
with three annotators' layers and gold (about 50 spans each), every layer marked done."""

from __future__ import annotations

import json
import random
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ANNOTATORS = ("ann1", "ann2", "ann3")
LABELS = ("ACTOR", "LOCATION", "CASUALTY", "DATE")
SPANS_PER_DOC = 50
PROCLITICS = "وبلفك"
WORD = re.compile(r"\S+")


def sample_paragraphs(min_chars: int = 40) -> list[str]:
    """The paragraphs of the bundled articles longer than ``min_chars``, in file order."""
    paragraphs = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        paragraphs += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.strip()) > min_chars]
    return paragraphs


def report(n: int, paragraphs: list[str], rng: random.Random) -> str:
    """Report ``n``: its title and paragraphs drawn with ``rng`` until the draw's 2-5 KB is
    passed (not normalised: the caller normalises as an import would)."""
    parts, size = [f"تقرير {n}"], 0
    while size < rng.randint(2000, 5000):
        parts.append(rng.choice(paragraphs))
        size += len(parts[-1])
    return "\n\n".join(parts)


def texts(count: int, seed: int = 11, start: int = 0) -> Iterator[tuple[str, str]]:
    """``(doc_id, text)`` of documents ``start .. count-1``: 2-5 KB of UTF-8 each, made of the
    sample paragraphs, each one different (a numbered first line), reproducibly."""
    paragraphs = sample_paragraphs(40)
    for number in range(start, count):
        rng = random.Random(seed * 1_000_003 + number)
        target = rng.randint(2048, 5120)
        parts = [f"تقرير رقم {number}"]
        size = len(parts[0].encode())
        while size < target:
            paragraph = rng.choice(paragraphs)
            parts.append(paragraph)
            size += len(paragraph.encode()) + 2
        text = "\n\n".join(parts).encode("utf-8")[:target].decode("utf-8", errors="ignore").strip()
        yield f"doc{number:07d}", text


def truth(text: str, rng: random.Random) -> list[tuple[int, int, str]]:
    """About SPANS_PER_DOC non-overlapping spans of 1-3 whole words (the gold layer)."""
    words = [m.span() for m in WORD.finditer(text)]
    n = min(SPANS_PER_DOC, len(words))
    starts = sorted(rng.sample(range(len(words)), n))
    out = []
    for k, i in enumerate(starts):
        limit = (starts[k + 1] if k + 1 < n else len(words)) - i
        length = min(rng.choice((1, 1, 1, 2, 2, 3)), limit)
        out.append((words[i][0], words[i + length - 1][1], rng.choice(LABELS)))
    return out


def noisy(gold: list[tuple[int, int, str]], text: str, rng: random.Random) -> list[tuple[int, int, str]]:
    """One annotator's copy of the gold: ~6% missed, 6% relabelled, 8% shifted, proclitics, extras."""
    words = [m.span() for m in WORD.finditer(text)]
    out = []
    for s, e, label in gold:
        roll = rng.random()
        if roll < 0.06:
            continue
        if roll < 0.12:
            label = rng.choice([x for x in LABELS if x != label])
        elif roll < 0.20:
            shift = rng.choice((-2, -1, 1, 2))
            if rng.random() < 0.5:
                s = min(max(0, s + shift), e - 1)
            else:
                e = max(min(len(text), e + shift), s + 1)
        elif roll < 0.26 and e - s > 2 and text[s] in PROCLITICS:
            s += 1
        out.append((s, e, label))
    for _ in range(rng.choice((0, 1, 2, 3, 4))):
        ws, we = rng.choice(words)
        out.append((ws, we, rng.choice(LABELS)))
    return sorted(set(out))


def layers(text: str, number: int, seed: int = 11) -> dict[str, list[tuple[int, int, str]]]:
    """Gold and each annotator's spans for document ``number``, reproducibly."""
    from workbench.core.store.spans import edge_problem

    rng = random.Random(seed * 7_000_003 + number)
    gold = truth(text, rng)
    out = {"gold": gold, **{name: noisy(gold, text, rng) for name in ANNOTATORS}}
    # A shifted edge that would split a letter from its marks is one the window cannot make.
    return {name: [span for span in found if not edge_problem(text, span[0], span[1])] for name, found in out.items()}


def write_jsonl(path: Path, count: int, seed: int = 11) -> int:
    """The documents as one JSONL file ``{"id", "text"}`` (what a lead imports); returns bytes."""
    with path.open("w", encoding="utf-8") as out:
        for doc_id, text in texts(count, seed):
            out.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
    return path.stat().st_size


def annotate(project_path: Path, annotated: int, seed: int = 11, batch: int = 2000) -> int:
    """Give the first ``annotated`` documents of an imported project three annotators' layers and
    gold, every layer marked done (written in bulk, unlogged: setup, not a measured path);
    returns the number of spans written."""
    import sys

    sys.path.insert(0, str(ROOT))
    from workbench.core.store import annotators as layer_owners
    from workbench.core.store.project import Project, now

    project = Project.open(project_path, check=False)
    stamp = now()
    written = 0
    try:
        with project.transaction() as db:
            for name in ANNOTATORS:
                layer_owners.add(db, name)
        pending: list[tuple[str, str, int]] = []

        def flush() -> int:
            spans, statuses = [], []
            for doc_id, text, number in pending:
                for name, found in layers(text, number, seed).items():
                    statuses.append((doc_id, name, "done", stamp))
                    for s, e, label in found:
                        spans.append((uuid.uuid4().hex, doc_id, name, s, e, label, "{}", "", 0, stamp, stamp))
            with project.transaction() as db:
                db.conn.executemany(
                    'INSERT INTO spans (id, doc_id, annotator, start, "end", label, attributes, note, unsure,'
                    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    spans,
                )
                db.conn.executemany(
                    "INSERT INTO doc_status (doc_id, annotator, status, updated_at) VALUES (?, ?, ?, ?)", statuses
                )
            pending.clear()
            return len(spans)

        # A batch of texts at a time, each read finished before its batch is written: a read
        # left open across the writes would hold a snapshot, and the WAL could never be
        # checkpointed (it grew to 22 GB on the million-document project).
        last = 0
        while annotated > 0:
            rows = project.db.execute(
                "SELECT rowid, id, text FROM documents WHERE rowid > ? ORDER BY rowid LIMIT ?",
                [last, min(batch, annotated)],
            ).fetchall()
            if not rows:
                break
            last, annotated = rows[-1][0], annotated - len(rows)
            pending.extend((doc_id, text, int(doc_id[3:])) for _, doc_id, text in rows)
            written += flush()
            project.checkpoint()
    finally:
        project.close()
    return written
