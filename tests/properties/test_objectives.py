"""Properties of merged objectives over generated intakes (issue 13, items 2 and 9): no baseline
after its plan, no target date before it, measure columns that agree with the text.

The oracles here are written independently of pipeline/merge and pipeline/clinical/smart.py,
so that they judge the code rather than repeat it.
"""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import HealthCheck, given, settings

from pipeline.findings import Severity
from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.model import Objective, Origin, Plan
from tests.properties.strategies_objectives import INSTRUMENTS, plans

BANK = load_bank()
PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: the goal bank's marker for a count whose baseline comes from the first two weeks' log
LOG_MARKER = "the weeks 1-2 log average"
_MONTH_YEAR = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December) \d{1,2}(?:-\d{1,2})?, \d{4}\b"
)
_FROM = re.compile(r"\bfrom (?:an? )?(?:\S+ )?(?:score of )?(\d+)\b")
_TO = re.compile(r"\bto (?:below |under |fewer than |less than |at least )?(\d+)\b")
_NAMES = re.compile(r"\b(?:PHQ-9|GAD-7|PCL-5|AUDIT-C)\b")


def _long(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _expected_baseline(plan: Plan, instrument: str) -> tuple[int, dt.date | None] | None:
    """The administration a baseline may come from: on or nearest before the plan date; an
    undated one only when none of the instrument's administrations is dated."""
    given_ = [m for m in plan.measures if m.instrument == instrument and m.total is not None]
    dated = sorted((m for m in given_ if m.date), key=lambda m: m.date)
    if dated:
        before = [m for m in dated if m.date <= plan.plan_date]
        return (before[-1].total, before[-1].date) if before else None
    return (given_[0].total, None) if given_ else None


def _merged(plan: Plan):
    merged, findings = merge(plan, BANK)
    return merged, [f for f in findings if f.severity is Severity.ERROR]


def _objectives(plan: Plan) -> list[Objective]:
    return [o for g in plan.goals for o in g.objectives]


@PROPERTY
@given(plan=plans())
def test_no_baseline_comes_from_after_the_plan_date(plan: Plan) -> None:
    merged, _ = _merged(plan)
    for objective in _objectives(merged):
        when = getattr(objective, "baseline_date", None)
        assert when is None or when <= plan.plan_date, objective
        if objective.origin is not Origin.BANK or objective.measure not in INSTRUMENTS:
            continue
        expected = _expected_baseline(plan, objective.measure)
        assert expected is not None, f"{objective.id}: no {objective.measure} before the plan"
        total, day = expected
        assert objective.baseline == str(total), (objective.id, objective.baseline, expected)
        if day is not None:  # the objective quotes the date of its baseline
            assert _long(day) in objective.text, objective.text


@PROPERTY
@given(plan=plans())
def test_count_baselines_are_a_number_or_a_dated_log_step(plan: Plan) -> None:
    merged, _ = _merged(plan)
    for objective in _objectives(merged):
        row = BANK.objectives.get(objective.bank_id or "")
        if objective.origin is not Origin.BANK or row is None or row.baseline != LOG_MARKER:
            continue
        baseline = objective.baseline or ""
        assert re.match(r"\d", baseline) or _MONTH_YEAR.search(baseline), baseline
        assert baseline in objective.text


@PROPERTY
@given(plan=plans())
def test_no_target_date_precedes_the_plan_date_of_a_plan_merge_lets_through(plan: Plan) -> None:
    merged, errors = _merged(plan)
    late = [o for o in _objectives(merged) if o.target_date and o.target_date < plan.plan_date]
    assert not late or errors, [(o.id, o.target_date, plan.plan_date) for o in late]
    for objective in late:  # merge kept the clinician's date: it must say so, as an error
        assert objective.origin is Origin.CLINICIAN
        assert any(objective.id in f.where for f in errors), objective.id


def _number(value: str | None) -> str | None:
    match = re.search(r"\d+", _NAMES.sub(" ", value or ""))
    return match.group(0) if match else None


@PROPERTY
@given(plan=plans())
def test_measure_baseline_and_target_agree_with_the_text(plan: Plan) -> None:
    merged, _ = _merged(plan)
    for objective in _objectives(merged):
        text = objective.text
        named = set(_NAMES.findall(text))
        if objective.measure in INSTRUMENTS and named:
            assert objective.measure in named, (objective.measure, text)
        if objective.measure in INSTRUMENTS and not named and _FROM.search(text):
            # a count sentence ("from 5 to 1 per night") measured by a questionnaire
            assert objective.origin is Origin.BANK, (objective.measure, text)
        stated = _FROM.search(text)
        if stated and _number(objective.baseline) is not None:
            assert _number(objective.baseline) == stated.group(1), (objective.baseline, text)
        stated = _TO.search(text)
        if stated and _number(objective.target) is not None:
            assert _number(objective.target) == stated.group(1), (objective.target, text)


#: the strategies' intake words that state how many nights a week the client drinks now
_DRINKING_NOW = {"Drinking 6+ drinks 5 nights a week.": "5", "Drinking 5-6 beers daily.": "7"}


@PROPERTY
@given(plan=plans())
def test_a_clinician_drinking_limit_starts_from_the_intake_amount_or_a_log(plan: Plan) -> None:
    """The clinician's "Limit drinking to 2 or fewer nights per week": its baseline is the
    nights a week the intake states, quoted with its source and date, and only when the
    intake states one; else the dated two-week log step, undated (not measured yet)."""
    merged, _ = _merged(plan)
    words = plan.presenting_problem.functional_impact or ""
    stated = {value for said, value in _DRINKING_NOW.items() if said in words}
    for objective in _objectives(merged):
        if objective.origin is not Origin.CLINICIAN or not objective.text.startswith("Limit"):
            continue
        baseline = objective.baseline or ""
        if not stated:
            assert objective.baseline_date is None and _MONTH_YEAR.search(baseline), baseline
            continue
        number = baseline.split(" ", 1)[0]
        assert number in stated, (baseline, words)
        day = min(plan.intake_date or plan.plan_date, plan.plan_date)
        assert objective.baseline_date == day
        assert f"(intake, {_long(day)}: " in baseline, baseline
