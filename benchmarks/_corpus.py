"""The sample corpus's paragraphs, which every benchmark builds its documents from."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def sample_paragraphs(min_chars: int = 40) -> list[str]:
    """The paragraphs of the bundled articles longer than ``min_chars``, in file order."""
    paragraphs = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        paragraphs += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.strip()) > min_chars]
    return paragraphs
