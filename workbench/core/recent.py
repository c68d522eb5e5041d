"""The recent-projects list: which projects a user opened last, most recent first.

Plain rules on a list of paths and a clock; the window keeps the list in the user's own
settings (never in a project file) and builds its File → Open Recent menu and its start
from these functions:

- a project is in the list once, by its resolved path (``a/../p.wbproj`` and ``p.wbproj``
  are one project), at the place of its last opening;
- the list holds at most :data:`MAX_RECENT` projects, most recent first;
- a project whose file is gone stays in the list, marked missing (the menu greys it out
  and says so), until the user clears the list or it falls off the end; at start the app
  opens the last project only if its file still exists.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

MAX_RECENT = 10


@dataclass(frozen=True)
class Recent:
    """One project of the list: its resolved path and when it was last opened (seconds since
    the epoch, from the clock the caller passed)."""

    path: Path
    opened_at: float

    def to_json(self) -> dict[str, object]:
        return {"path": str(self.path), "opened_at": self.opened_at}


@dataclass(frozen=True)
class Shown:
    """A project as the menu shows it: its name, the full path (the tooltip), missing or not."""

    path: Path
    name: str
    missing: bool


def resolved(path: str | os.PathLike[str]) -> Path:
    """The one name of a project file: absolute, symbolic links and ``..`` resolved."""
    return Path(os.path.realpath(os.path.expanduser(os.fspath(path))))


def remember(
    entries: Iterable[Recent], path: str | os.PathLike[str], clock: Callable[[], float], limit: int = MAX_RECENT
) -> list[Recent]:
    """The list after opening ``path`` at ``clock()``: it comes first, once; the oldest fall off."""
    target = resolved(path)
    kept = [entry for entry in entries if resolved(entry.path) != target]
    return [Recent(target, clock()), *kept][: max(limit, 0)]


def forget(entries: Iterable[Recent], path: str | os.PathLike[str]) -> list[Recent]:
    target = resolved(path)
    return [entry for entry in entries if resolved(entry.path) != target]


def shown(entries: Iterable[Recent], exists: Callable[[Path], bool] = Path.is_file) -> list[Shown]:
    """What the menu lists, in order; missing files marked (greyed out, not dropped)."""
    return [Shown(entry.path, entry.path.name, not exists(entry.path)) for entry in entries]


def last_project(
    entries: Iterable[Recent], exists: Callable[[Path], bool] = Path.is_file
) -> tuple[Path | None, Path | None]:
    """``(the project to open at start, the last one if its file is gone)``: the most recent
    project if its file still exists; else ``(None, that missing path)``, and the app opens its
    default project and says why. ``(None, None)`` for an empty list."""
    for entry in entries:
        return (entry.path, None) if exists(entry.path) else (None, entry.path)
    return None, None


def from_json(text: object) -> list[Recent]:
    """The list as stored in the settings; anything unreadable is skipped (a hand-edited
    settings file never stops the app from starting)."""
    if not isinstance(text, str) or not text:
        return []
    try:
        data = json.loads(text)
    except ValueError:
        return []
    entries: list[Recent] = []
    seen: set[Path] = set()
    for item in data if isinstance(data, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("path"), str) or not item["path"]:
            continue
        opened = item.get("opened_at", 0)
        path = resolved(item["path"])
        if path in seen:
            continue
        seen.add(path)
        entries.append(Recent(path, float(opened) if isinstance(opened, (int, float)) else 0.0))
    return entries[:MAX_RECENT]


def to_json(entries: Iterable[Recent]) -> str:
    return json.dumps([entry.to_json() for entry in entries], ensure_ascii=False)
