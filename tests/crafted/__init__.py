"""Crafted hostile inputs, kept per family, run through the real entry points and classified.

A *family* is a kind of input a user hands the workbench from outside: ``imports`` (files
given to ``workbench-cli import``, :mod:`tests.crafted.imports`), ``bundles`` (work bundles
given to ``bundle import``, :mod:`tests.crafted.work_bundles`) and ``project bundles`` (given
to ``bundle open``, new copies and updates, :mod:`tests.crafted.project_bundles`). A family is a catalogue of :class:`Case` and a runner that gives
one case to the product in a fresh folder and returns its :class:`Outcome`:

- ``refused with a message``: the entry point said why in a sentence, printed no
  traceback, exited non-zero, and the project is byte for byte what it was (its SQL dump);
- ``accepted as designed``: a case marked ``expect=ACCEPTED`` (odd but valid input) went
  in, and its ``check`` of what was stored holds;
- ``accepted wrongly``: a case to refuse exited 0 or changed the project, or an accepted
  case stored something wrong (its ``check`` failed);
- ``passed over without a word``: nothing changed, exit 0, no reason given;
- ``refused without a message``, ``refused wrongly`` (a case meant to be accepted);
- ``crashed``: an exception escaped, a traceback was printed, or the entry point hung.

Only the first two are good. A case that is not good today carries ``xfail_reason`` (the
tests make it a strict xfail: fixing the product without removing the mark fails too). An
accepted case whose acceptance the figures must spell out (trust on first use: a first keyed
bundle pins whatever key signed it) carries a ``note``; the figures count each note apart.

To add a family: a module here, say ``work_bundles.py``, with ``CASES`` (each
``Case(family="bundles", name=..., build=...)``, ``build`` writing the crafted ``.wbb`` into
the folder it is given) and ``run(case, folder, snapshot)`` that sets up
the receiving project in ``folder``, takes its ``snapshot``, runs the real entry point through
:func:`invoke_cli` (``bundle import`` for work bundles, ``bundle open`` for project
bundles), and returns :func:`classify` of it; then add its ``FAMILY`` to :func:`families`.
The parametrised tests, the figures and ``benchmarks/crafted_figures.py`` pick it up with
nothing else to change (``tests/test_hostile_bundles.py`` shows how to tamper and re-sign).
"""

from __future__ import annotations

import contextlib
import signal
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

REFUSED = "refused"  # what a case expects: a reason, nothing changed
ACCEPTED = "accepted"  # odd but valid by design: stored, and ``check`` holds

# Verdicts: the first two are good, the others are defects.
REFUSED_WITH_MESSAGE = "refused with a message"
ACCEPTED_AS_DESIGNED = "accepted as designed"
ACCEPTED_WRONGLY = "accepted wrongly"
PASSED_OVER = "passed over without a word"
REFUSED_SILENTLY = "refused without a message"
REFUSED_WRONGLY = "refused wrongly"
CRASHED = "crashed"
GOOD = (REFUSED_WITH_MESSAGE, ACCEPTED_AS_DESIGNED)
VERDICTS = (
    REFUSED_WITH_MESSAGE,
    ACCEPTED_AS_DESIGNED,
    ACCEPTED_WRONGLY,
    PASSED_OVER,
    REFUSED_SILENTLY,
    REFUSED_WRONGLY,
    CRASHED,
)

Snapshot = Callable[[Path], list[str]]  # the project's contents (tests/conftest.py's ``snapshot``)
Build = Callable[[Path], Sequence[Path]]  # makes the input in an empty folder; the paths to give
Check = Callable[[Path, str], "str | None"]  # an accepted case: (project, what was said) -> what is wrong, or None

TIMEOUT = 30  # seconds one entry point may take before the case counts as hung


@dataclass(frozen=True)
class Case:
    """One crafted input. ``build(folder)`` writes it into an empty folder and returns the
    paths to hand the entry point (with ``args`` before them)."""

    family: str
    name: str
    build: Build
    expect: str = REFUSED
    says: str = ""  # a phrase the refusal must contain (case-insensitive)
    args: tuple[str, ...] = ()
    check: Check | None = None  # for ACCEPTED: what must hold in the project afterwards
    group: str | None = None  # cases of one group can go together into one multi-file run
    xfail_reason: str = ""  # a product defect found today: what happens, what should
    needs: Callable[[], str | None] | None = None  # why the case cannot run here (skipped), or None
    note: str = ""  # for ACCEPTED: the design that accepts it, when the figures must say so (trust on first use)

    @property
    def id(self) -> str:
        return f"{self.family}/{self.name}"

    def skip_reason(self) -> str | None:
        return self.needs() if self.needs is not None else None


@dataclass
class Run:
    """What an entry point did."""

    exit_code: int | None
    stdout: str = ""
    stderr: str = ""
    escaped: str = ""  # an exception that escaped the entry point, with its traceback
    hung: bool = False

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass
class Outcome:
    case: Case
    verdict: str
    message: str  # what the entry point said (the refusal), or what went wrong
    exit_code: int | None = None
    changed: bool = False

    @property
    def good(self) -> bool:
        return self.verdict in GOOD


@dataclass(frozen=True)
class Family:
    """A catalogue and how to run one of its cases: ``run(case, folder, snapshot)``."""

    name: str  # as in the figures: "imports", "bundles", "project bundles"
    cases: tuple[Case, ...]
    run: Callable[[Case, Path, Snapshot], Outcome]


class Hung(BaseException):
    """Raised in the entry point when it overruns :data:`TIMEOUT`. A ``BaseException``, and no
    ``OSError`` (``TimeoutError`` is one), so the product's own handlers cannot take it for a
    read error and report a hang as a refusal."""


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def late(*_):
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, late)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def invoke_cli(argv: Sequence[str], timeout: int = TIMEOUT) -> Run:
    """``workbench-cli ARGV`` in this process, as ``main()`` runs it (click's own handling of
    ``SystemExit`` and usage errors); an exception escaping is recorded, never raised."""
    from click.testing import CliRunner

    from workbench.cli.app import cli

    try:
        with time_limit(timeout):
            result = CliRunner().invoke(cli, [str(a) for a in argv], prog_name="workbench-cli", catch_exceptions=False)
    except Hung as exc:
        return Run(None, escaped=f"hung: {exc}", hung=True)
    except Exception:
        return Run(None, escaped=traceback.format_exc())
    return Run(result.exit_code, result.stdout, result.stderr)


def looks_like_a_crash(text: str) -> bool:
    return "Traceback" in text


def classify(case: Case, run: Run, changed: bool, problem: str | None = None) -> Outcome:
    """The verdict on ``case`` from what its entry point did (``run``), whether the project
    changed, and for an accepted case what its ``check`` found wrong (``problem``)."""
    said = run.stderr.strip() or run.stdout.strip()
    if run.escaped or run.hung or looks_like_a_crash(run.output) or run.exit_code not in (0, 1, 2):
        detail = run.escaped or said or f"exit status {run.exit_code}"
        return Outcome(case, CRASHED, detail, run.exit_code, changed)
    if case.expect == ACCEPTED:
        if run.exit_code != 0:
            return Outcome(case, REFUSED_WRONGLY, said, run.exit_code, changed)
        if problem:
            return Outcome(case, ACCEPTED_WRONGLY, problem, run.exit_code, changed)
        return Outcome(case, ACCEPTED_AS_DESIGNED, said, run.exit_code, changed)
    if changed:
        return Outcome(case, ACCEPTED_WRONGLY, f"the project changed (exit {run.exit_code}): {said}", 0, changed)
    if run.exit_code == 0:
        return Outcome(case, PASSED_OVER, said, 0, changed)
    if not _a_sentence(run.stderr):
        return Outcome(case, REFUSED_SILENTLY, said, run.exit_code, changed)
    return Outcome(case, REFUSED_WITH_MESSAGE, run.stderr.strip(), run.exit_code, changed)


def _a_sentence(text: str) -> bool:
    """A reason in words: at least three of them after the path and the word 'refused'."""
    return len(text.split()) >= 5


def run_case(family: Family, case: Case, folder: Path, snapshot: Snapshot) -> Outcome:
    """``case`` through ``family``'s runner in the empty ``folder``; a failure of the harness
    itself (a builder that breaks) is raised, not taken for the product's."""
    folder.mkdir(parents=True, exist_ok=True)
    return family.run(case, folder, snapshot)


def tally(outcomes: Sequence[Outcome]) -> dict[str, int]:
    counts = dict.fromkeys(VERDICTS, 0)
    for outcome in outcomes:
        counts[outcome.verdict] += 1
    return counts


def figure_lines(family: str, outcomes: Sequence[Outcome]) -> list[str]:
    """The figures of a family in ``name: value unit`` form."""
    counts = tally(outcomes)
    lines = [
        f"crafted {family} tried: {len(outcomes)} inputs",
        f"crafted {family} refused with a message: {counts[REFUSED_WITH_MESSAGE]} inputs",
        f"crafted {family} accepted as designed: {counts[ACCEPTED_AS_DESIGNED]} inputs",
    ]
    notes: dict[str, int] = {}
    for outcome in outcomes:
        if outcome.verdict == ACCEPTED_AS_DESIGNED and outcome.case.note:
            notes[outcome.case.note] = notes.get(outcome.case.note, 0) + 1
    lines += [f"crafted {family} accepted as designed, of them {note}: {count} inputs" for note, count in notes.items()]
    lines += [
        f"crafted {family} accepted wrongly: {counts[ACCEPTED_WRONGLY]} inputs",
        f"crafted {family} crashed: {counts[CRASHED]} inputs",
    ]
    for verdict in (PASSED_OVER, REFUSED_SILENTLY, REFUSED_WRONGLY):
        lines.append(f"crafted {family} {verdict}: {counts[verdict]} inputs")
    known = sum(1 for o in outcomes if o.case.xfail_reason)
    lines.append(f"crafted {family} known defects (strict xfail): {known} inputs")
    return lines


def families() -> dict[str, Family]:
    """Every family, by name (imported here so that a family's module may use this one)."""
    from tests.crafted import imports, project_bundles, work_bundles

    return {family.name: family for family in (imports.FAMILY, work_bundles.FAMILY, project_bundles.FAMILY)}
