"""Train/dev/test splits by document: seeded, reproducible, optionally stratified.

- ``80/10/10`` gives train/dev/test, ``80/20`` train/test, ``100`` train only. The shares
  are whole positive percentages that add up to 100. A format may call a split its own
  way: the Hugging Face export names the middle one ``validation``, as ``datasets`` do
  (its writer's ``split_names``); the documents in it are the same.
- Documents with the same text (SHA-256) always land in the same split: they are grouped
  before anything else (in this project a text is one document, so a group is one
  document; the grouping keeps the rule if that ever changes).
- The groups are sorted by hash, then shuffled with ``random.Random(seed)``: the same
  documents and seed give the same split on any machine, whatever order the project
  holds them in.
- Without stratification, split k takes its share of the groups (largest remainder, so
  the sizes add up), in shuffled order.
- With stratification (iterative stratification, Sechidis et al. 2011), the labels a
  document's spans carry are what is balanced: the rarest label first, each of its
  documents goes to the split that still wants most of that label (then most documents);
  documents without spans fill the splits up to their size. A label held by a single
  document therefore lands in train, the largest split.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping

from workbench.core.export.options import ExportError

NAMES = {1: ("train",), 2: ("train", "test"), 3: ("train", "dev", "test")}


def parse_split(text: str) -> tuple[int, ...]:
    """``"80/10/10"`` -> ``(80, 10, 10)``; a clear :class:`ExportError` (a ``ValueError``) otherwise."""
    raw = str(text).strip()
    if not raw:
        raise ExportError("give the split as percentages, e.g. 80/10/10 (train/dev/test) or 100")
    parts = [p.strip() for p in re.split(r"[/:,]", raw)]
    if not all(re.fullmatch(r"\d+", p) for p in parts):
        raise ExportError(f"split {raw!r} must be whole percentages separated by /, e.g. 80/10/10")
    return check_split(tuple(int(p) for p in parts))


def check_split(shares: tuple[int, ...]) -> tuple[int, ...]:
    shares = tuple(shares)
    if not 1 <= len(shares) <= 3:
        raise ExportError(f"a split has 1 to 3 parts (train, train/test or train/dev/test), not {len(shares)}")
    if any(not isinstance(s, int) or isinstance(s, bool) or s <= 0 for s in shares):
        raise ExportError(f"every part of the split must be a positive whole percentage: {shares}")
    if sum(shares) != 100:
        raise ExportError(f"the split {'/'.join(map(str, shares))} adds up to {sum(shares)}, not 100")
    return shares


def split_names(shares: tuple[int, ...], renamed: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The names of the splits of ``shares``; ``renamed`` maps this project's names to a
    format's own (Hugging Face's ``datasets`` call the middle split ``validation``)."""
    names = NAMES[len(shares)]
    return tuple((renamed or {}).get(name, name) for name in names)


def assign(
    documents: list[tuple[str, str]],
    shares: tuple[int, ...],
    seed: int,
    labels: dict[str, set[str]] | None = None,
    renamed: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """doc id -> split name. ``documents`` are ``(id, sha256)``; ``labels`` (doc id -> labels)
    turns stratification on; ``renamed`` as for :func:`split_names` (the same documents
    land in each split whatever it is called)."""
    names = split_names(shares, renamed)
    groups: dict[str, list[str]] = {}
    for doc_id, sha in documents:
        groups.setdefault(sha, []).append(doc_id)
    keys = sorted(groups)
    random.Random(seed).shuffle(keys)
    if labels is None:
        chosen = _by_share(keys, shares)
    else:
        group_labels = {k: set().union(*(labels.get(d, set()) for d in groups[k])) for k in keys}
        chosen = _stratified(keys, {k: len(groups[k]) for k in keys}, group_labels, shares)
    return {doc_id: names[chosen[key]] for key in keys for doc_id in groups[key]}


def _quotas(n: int, shares: tuple[int, ...]) -> list[int]:
    exact = [n * s / 100 for s in shares]
    counts = [int(x) for x in exact]
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return counts


def _by_share(keys: list[str], shares: tuple[int, ...]) -> dict[str, int]:
    out, position = {}, 0
    for index, count in enumerate(_quotas(len(keys), shares)):
        for key in keys[position : position + count]:
            out[key] = index
        position += count
    return out


def _stratified(
    keys: list[str], sizes: dict[str, int], labels: dict[str, set[str]], shares: tuple[int, ...]
) -> dict[str, int]:
    total = sum(sizes.values())
    wanted_docs = [total * s / 100 for s in shares]
    holders: dict[str, list[str]] = {}
    for key in keys:
        for label in labels[key]:
            holders.setdefault(label, []).append(key)
    wanted = {label: [sum(sizes[k] for k in held) * s / 100 for s in shares] for label, held in holders.items()}
    out: dict[str, int] = {}
    remaining = {label: len(held) for label, held in holders.items()}
    while any(remaining.values()):
        label = min((lab for lab, n in remaining.items() if n), key=lambda lab: (remaining[lab], lab))
        for key in holders[label]:
            if key in out:
                continue
            want = wanted[label]
            best = max(range(len(shares)), key=lambda i: (want[i], wanted_docs[i], -i))
            out[key] = best
            wanted_docs[best] -= sizes[key]
            for other in labels[key]:
                wanted[other][best] -= sizes[key]
                remaining[other] -= 1
    for key in keys:
        if key not in out:
            best = max(range(len(shares)), key=lambda i: (wanted_docs[i], -i))
            out[key] = best
            wanted_docs[best] -= sizes[key]
    return out
