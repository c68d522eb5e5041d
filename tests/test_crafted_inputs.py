"""Crafted hostile inputs, kept per family and run through the real entry points (issue 12, Figures).

Every case of every family (:func:`tests.crafted.families`) runs on its own fresh project
and is classified (:mod:`tests.crafted`): a case to refuse must be refused with a message
that says why, exit non-zero, print no traceback and leave the project's SQL dump as it
was; a case that is odd but valid by design must be accepted and stored right. A product
defect found is a strict xfail naming what happens and what should. The cases of each
import group also go into one multi-file import, between two good files, which must
refuse each bad file by name and import the good ones after it.

``test_figures`` prints, per family, how many crafted inputs were tried, refused with a
message and accepted wrongly (``benchmarks/crafted_figures.py`` prints the same).
"""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from tests.crafted import (
    ACCEPTED,
    ACCEPTED_AS_DESIGNED,
    ACCEPTED_WRONGLY,
    CRASHED,
    PASSED_OVER,
    REFUSED,
    REFUSED_SILENTLY,
    REFUSED_WITH_MESSAGE,
    REFUSED_WRONGLY,
    Case,
    Outcome,
    Run,
    classify,
    families,
    figure_lines,
    imports,
    invoke_cli,
    run_case,
)
from workbench.core.store.project import Project

FAMILIES = families()
CASES = [case for family in FAMILIES.values() for case in family.cases]
_OUTCOMES: dict[str, Outcome] = {}  # filled by test_crafted_input, read by test_figures


def _param(case: Case):
    marks = [pytest.mark.xfail(reason=case.xfail_reason, strict=True)] if case.xfail_reason else []
    return pytest.param(case, id=case.id, marks=marks)


def test_the_catalogue_is_well_formed():
    names = [case.id for case in CASES]
    assert len(names) == len(set(names)), "two cases share a name"
    assert len(FAMILIES["imports"].cases) >= 40
    for case in CASES:
        assert case.expect == REFUSED or case.check is not None, f"{case.id}: an accepted case needs a check"
        assert case.expect != REFUSED or case.check is None, f"{case.id}: a refused case has nothing to check"


def test_the_classifier_tells_each_verdict():
    case = Case("test", "case", lambda folder: [])
    said = "refused: /in/a.txt: the file is empty"
    assert classify(case, Run(2, "", said), changed=False).verdict == REFUSED_WITH_MESSAGE
    assert (
        classify(case, Run(1, "", "Error: --map 'X': write it as SOURCE=TARGET"), False).verdict == REFUSED_WITH_MESSAGE
    )
    assert classify(case, Run(0, "1 imported, 0 refused."), changed=True).verdict == ACCEPTED_WRONGLY
    assert classify(case, Run(2, "", said), changed=True).verdict == ACCEPTED_WRONGLY  # said no, wrote anyway
    assert classify(case, Run(0, "0 imported, 0 refused."), changed=False).verdict == PASSED_OVER
    assert classify(case, Run(2, "", ""), changed=False).verdict == REFUSED_SILENTLY
    assert classify(case, Run(1, "", "Traceback (most recent call last):\n  ..."), False).verdict == CRASHED
    assert classify(case, Run(None, escaped="TypeError: ..."), False).verdict == CRASHED
    assert classify(case, Run(None, escaped="hung", hung=True), False).verdict == CRASHED
    accepted = replace(case, expect=ACCEPTED, check=lambda project, said: None)
    assert classify(accepted, Run(0, "1 imported"), True).verdict == ACCEPTED_AS_DESIGNED
    assert classify(accepted, Run(0, "1 imported"), True, "the stored text differs").verdict == ACCEPTED_WRONGLY
    assert classify(accepted, Run(2, "", said), False).verdict == REFUSED_WRONGLY


def test_an_escaping_exception_and_a_hang_are_recorded_not_raised(tmp_path, monkeypatch):
    db = tmp_path / "p.wbproj"
    Project.create(db, name="p").close()
    (tmp_path / "a.txt").write_text(imports.A, encoding="utf-8")

    def broken(*_args, **_kwargs):
        raise TypeError("a bug")

    monkeypatch.setattr("workbench.cli.importing.import_paths", broken)
    run = invoke_cli(["--db", db, "import", tmp_path / "a.txt"])
    assert run.exit_code is None and "TypeError: a bug" in run.escaped

    monkeypatch.setattr("workbench.cli.importing.import_paths", lambda *_a, **_k: time.sleep(30))
    started = time.perf_counter()
    run = invoke_cli(["--db", db, "import", tmp_path / "a.txt"], timeout=1)
    assert run.hung and time.perf_counter() - started < 10


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_crafted_input(case: Case, tmp_path, snapshot):
    skip = case.skip_reason()
    if skip:
        pytest.skip(skip)
    outcome = run_case(FAMILIES[case.family], case, tmp_path, snapshot)
    _OUTCOMES[case.id] = outcome
    assert outcome.good, f"{case.id}: {outcome.verdict}: {outcome.message}"
    if outcome.verdict == REFUSED_WITH_MESSAGE:
        assert case.says.lower() in outcome.message.lower(), f"{case.id}: the refusal does not say {case.says!r}"
        if outcome.exit_code == 2:  # an input refused, not the command: the report names it
            assert "refused: " in outcome.message


@pytest.mark.parametrize("group", list(imports.GROUP_ARGS))
def test_a_multi_file_import_refuses_each_crafted_file_and_goes_on(group, tmp_path):
    cases = [c for c in imports.CASES if c.group == group and not c.xfail_reason and not c.skip_reason()]
    result = imports.run_group(group, cases, tmp_path)
    assert not result.run.escaped, result.run.escaped
    assert "Traceback" not in result.run.output
    assert result.run.exit_code == 2, result.run.output[-2000:]
    to_refuse = {c.name for c in cases if c.expect == REFUSED}
    assert set(result.refused) == to_refuse, (
        f"not refused: {sorted(to_refuse - set(result.refused))}; "
        f"refused wrongly: {sorted(set(result.refused) - to_refuse)}"
    )
    for case in cases:
        if case.expect == REFUSED:
            [reason] = result.refused[case.name]
            assert case.says.lower() in reason.lower(), f"{case.id}: {reason}"
    assert not result.stray
    # The good file before the crafted ones and the one after them are both in.
    assert imports.FIRST in result.stored_texts and imports.LAST in result.stored_texts
    if group != "plain":
        assert result.layer_spans >= 2


def test_figures(tmp_path_factory, snapshot, capsys):
    """Per family: crafted inputs tried, refused with a message, accepted wrongly (must be 0).

    Reuses the outcomes of ``test_crafted_input`` when it ran first in this session, and
    runs the cases it did not. Every case not good today must be a known defect (a strict
    xfail in the catalogue), and every known defect must still be one; while any remain,
    this test is an xfail too, naming them."""
    lines: list[str] = []
    bad: set[str] = set()
    known: set[str] = set()
    for family in FAMILIES.values():
        outcomes = []
        for case in family.cases:
            if case.skip_reason():
                continue
            outcome = _OUTCOMES.get(case.id) or run_case(family, case, tmp_path_factory.mktemp("crafted"), snapshot)
            outcomes.append(outcome)
            if not outcome.good:
                bad.add(case.id)
            if case.xfail_reason:
                known.add(case.id)
        lines += figure_lines(family.name, outcomes)
        unknown = [o for o in outcomes if not o.good and not o.case.xfail_reason]
        assert not [o for o in unknown if o.verdict == ACCEPTED_WRONGLY], "crafted inputs accepted wrongly"
        assert not [o for o in unknown if o.verdict == CRASHED], "crafted inputs crashed"
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert bad - known == set(), f"not good and not marked as a known defect: {sorted(bad - known)}"
    assert known - bad == set(), f"marked as known defects but good now (remove the mark): {sorted(known - bad)}"
    if known:
        pytest.xfail(f"{len(known)} known defects: {', '.join(sorted(known))}")
