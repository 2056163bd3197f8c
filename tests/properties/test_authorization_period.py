"""Payer documents' dates over generated intakes. The managed-care report (an authorization
request): every open objective's target date it prints lies within the period it requests, or
TXR019 says which objective does not and what to do; the goal bank's own dates never fall
outside it. The Medicaid ISP: no score baseline without its date unless TXR022 blocks it.

The oracle reads the dates the document prints (the template variables, in the payer's date
format), not the rule's own period, so that it judges the writer and the rule together.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings

from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.model import ObjectiveStatus, Origin, Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.rules import check
from pipeline.writers.context import build_context
from tests.properties.strategies_objectives import plans

BANK = load_bank()
OTR = load_payer("managed-care-otr")
AGENCY = load_agency("riverside")
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_OPEN = (ObjectiveStatus.NOT_STARTED, ObjectiveStatus.IN_PROGRESS)


def _day(printed: str) -> dt.date:
    return dt.datetime.strptime(printed, "%B %d, %Y").date()  # the OTR prints long dates


@PROPERTY
@given(plan=plans())
def test_every_objective_date_on_an_otr_is_in_the_period_or_a_finding_says_why(
    plan: Plan,
) -> None:
    merged, _ = merge(plan, BANK)
    found = check(merged, OTR)
    flagged = {f.where for f in found if f.code == "TXR019"}
    context = build_context(merged, OTR, AGENCY)
    start, end = (_day(context["authorization"][k]) for k in ("start", "end"))
    review_ok = not [f for f in found if f.code == "TXR008"]
    for g, (goal, shown) in enumerate(zip(merged.goals, context["goals"], strict=True), start=1):
        for o, (objective, printed) in enumerate(
            zip(goal.objectives, shown["objectives"], strict=True), start=1
        ):
            where = f"goals[{g}].objectives[{o}].target_date"
            day = _day(printed["target_date"])
            inside = start <= day <= end
            assert inside != (where in flagged), (where, day, start, end, flagged)
            if objective.origin is Origin.BANK and review_ok:  # txplan's own dates: never out
                assert inside, (objective.id, day, start, end)
            if objective.status in _OPEN and not inside:
                message = next(f.message for f in found if f.where == where)
                assert f"objective {g}.{o}'s target date {day}" in message


ISP = load_payer("medicaid-isp")


@PROPERTY
@given(plan=plans())
def test_no_isp_lets_through_a_score_baseline_without_its_date(plan: Plan) -> None:
    """Whatever the intake's administrations (dated, undated, after the plan), a Medicaid ISP
    that TXR022 does not block prints no "date not recorded" baseline, and every objective
    starting from a score has that score's date on file."""
    merged, _ = merge(plan, BANK)
    flagged = {f.where for f in check(merged, ISP) if f.code == "TXR022"}
    dated = {
        (m.instrument, m.total)
        for m in merged.measures
        if m.date is not None and m.date <= merged.plan_date
    }
    for g, goal in enumerate(merged.goals, start=1):
        for o, objective in enumerate(goal.objectives, start=1):
            if f"goals[{g}].objectives[{o}].baseline_date" in flagged:
                continue
            assert "date not recorded" not in objective.text, objective.text
            if (
                objective.measure in ("PHQ-9", "GAD-7", "PCL-5", "AUDIT-C")
                and (objective.baseline or "").isdigit()
            ):
                on_file = (objective.measure, int(objective.baseline)) in dated
                assert objective.baseline_date is not None or on_file, objective
