"""Values, not just spans: which day a DATE means, how many a CASUALTY counts, whose canonical
name an ACTOR or LOCATION is.

Each engine reads a document's text (code points, as stored) and proposes :class:`Found`
items: a span's range, its label, the attributes it would carry, where the proposal comes
from and how sure it is. Engines know nothing of projects or the database: the suggestion
feature (:mod:`workbench.core.suggestions`) runs them, drops what the schema cannot hold,
what the annotator already tagged or rejected, and fills values when a span is tagged.

- :mod:`.dates`: DATE expressions of every Arabic tradition, relative ones against the
  document's publication date (the *anchor*), Hijri dates converted.
- :mod:`.casualties`: CASUALTY counts and kinds (number words, duals, sums, vague
  quantities by ACLED's conservative rule, denials).
- :mod:`.gazetteer`: canonical names of ACTORs and LOCATIONs from shipped data, the
  project's own gazetteer and the names the team already gave.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Where a proposal comes from (``Found.source``): shown to the annotator, logged on acceptance.
RULES_DATE, RULES_CASUALTY, GAZETTEER, PROJECT_NAMES = "rules:date", "rules:casualty", "gazetteer", "project"


@dataclass(frozen=True)
class Found:
    """A proposed span: ``[start, end)`` in code points of the stored text."""

    start: int
    end: int
    label: str
    attributes: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    confidence: float = 1.0  # 0 to 1: how sure the engine is of the span and its values

    def to_json(self, text: str) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "text": text[self.start : self.end],
            "attributes": dict(self.attributes),
            "source": self.source,
            "confidence": round(self.confidence, 3),
        }


# An engine: the document's text and its anchor (publication date, or None) -> proposals,
# sorted by start, not overlapping one another.
Engine = Callable[[str, "_dt.date | None"], list[Found]]
