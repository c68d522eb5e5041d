"""Crafted hostile inputs per family: how many were tried, refused with a message, accepted wrongly.

Runs the catalogue that ``tests/test_crafted_inputs.py`` keeps (``tests/crafted/``), each
case on a fresh project in a temporary folder, through the real entry point, and prints
the figures of each family (imports, work bundles, project bundles: ``tests.crafted.families``).
"accepted wrongly" and "crashed" must be 0; a case
that is not good today is a known defect marked in the catalogue, listed on stderr.

    python benchmarks/crafted_figures.py [--family imports] [--cases]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    from tests.conftest import _snapshot  # the tests' snapshot: the project's SQL dump
    from tests.crafted import families, figure_lines, run_case

    known = families()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--family", choices=sorted(known), action="append", help="only this family (repeatable)")
    parser.add_argument("--cases", action="store_true", help="also print each case's verdict on stderr")
    args = parser.parse_args()

    failing = 0
    for name in args.family or list(known):
        family = known[name]
        outcomes = []
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="crafted-") as scratch:
            for number, case in enumerate(family.cases):
                if case.skip_reason():
                    print(f"skipped {case.id}: {case.skip_reason()}", file=sys.stderr)
                    continue
                outcome = run_case(family, case, Path(scratch) / f"{number:04d}", _snapshot)
                outcomes.append(outcome)
                if args.cases:
                    print(f"{case.id}: {outcome.verdict}", file=sys.stderr)
        seconds = time.perf_counter() - started
        for line in figure_lines(family.name, outcomes):
            print(line)
        print(f"crafted {family.name} run time: {seconds:.1f} s")
        for outcome in outcomes:
            if not outcome.good:
                mark = "known defect" if outcome.case.xfail_reason else "NEW DEFECT"
                print(f"{mark}: {outcome.case.id}: {outcome.verdict}: {outcome.message[:300]}", file=sys.stderr)
                failing += not outcome.case.xfail_reason
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
