"""Risk is decided from the plan's structure; a safety plan is complete only when every
section is the client's own."""

from __future__ import annotations

import datetime as dt

from pipeline.clinical.risk import (
    at_risk,
    means_named,
    risk_reasons,
    safety_plan_complete,
    safety_plan_gaps,
)
from pipeline.model import Client, Measure, Plan, Risk, RiskLevel, SafetyPlan

COMPLETE = SafetyPlan(
    warning_signs=("Lying awake past 2am",),
    coping_strategies=("Walk the dog",),
    people_and_places=("The climbing gym",),
    people_to_ask=("Tom (brother) 555-0101",),
    professionals=("988 Suicide & Crisis Lifeline", "Jordan Lee, LCSW 555-0142"),
    means_safety="Pills kept by Tom; no firearms at home.",
)


def _plan(**changes) -> Plan:
    return Plan(client=Client(id="R-1"), plan_date=dt.date(2026, 1, 10), **changes)


def test_risk_comes_from_recorded_facts() -> None:
    assert not at_risk(_plan())
    item9 = Measure(instrument="PHQ-9", date=dt.date(2026, 1, 10), items=(1,) * 9, total=9)
    assert risk_reasons(_plan(measures=(item9,))) == ("PHQ-9 item 9 = 1",)
    assert at_risk(_plan(risk=Risk(cssrs_positive=True)))
    assert at_risk(_plan(risk=Risk(level=RiskLevel.MODERATE)))
    assert not at_risk(_plan(risk=Risk(level=RiskLevel.LOW)))
    assert at_risk(_plan(risk=Risk(means_access=True)))


def test_phq9_after_the_plan_date_does_not_decide_risk_at_the_plan_date() -> None:
    before = Measure(instrument="PHQ-9", date=dt.date(2026, 1, 3), items=(1,) * 8 + (0,), total=8)
    after = Measure(instrument="PHQ-9", date=dt.date(2026, 2, 3), items=(1,) * 9, total=9)
    assert not at_risk(_plan(measures=(before, after)))


def test_means_are_named_unless_negated() -> None:
    assert means_named("passive, no plan; handgun at home")
    assert means_named("Active SI without intent; firearm moved to brother's home")
    assert not means_named("No history of attempts; no access to firearms")
    assert not means_named("denies access to guns")
    assert not means_named(None)


def test_skeleton_placeholder_and_generic_lines_are_incomplete() -> None:
    assert safety_plan_gaps(COMPLETE) == {}
    assert safety_plan_complete(_plan(safety_plan=COMPLETE))
    skeleton = COMPLETE.model_copy(
        update={"warning_signs": ("[Complete with the client] Thoughts that signal a crisis.",)}
    )
    assert safety_plan_gaps(skeleton) == {"warning_signs": "placeholder text"}
    generic = COMPLETE.model_copy(update={"professionals": ("Call 988", "911")})
    assert "professionals" in safety_plan_gaps(generic)
    empty = COMPLETE.model_copy(update={"people_and_places": (), "means_safety": "TBD"})
    assert set(safety_plan_gaps(empty)) == {"people_and_places", "means_safety"}
    assert set(safety_plan_gaps(None)) >= {"warning_signs", "means_safety"}


def test_the_reasons_of_a_plan_sharing_risk_and_measures_are_its_own() -> None:
    """A plan that shares the last plan's risk and measures (a merged copy) gets the same
    reasons; another date, other measures or another risk are worked out for themselves."""
    item9 = Measure(instrument="PHQ-9", date=dt.date(2026, 1, 10), items=(1,) * 9, total=9)
    plan = _plan(measures=(item9,), risk=Risk(self_harm=True))
    expected = ("PHQ-9 item 9 = 1", "self-harm")
    assert risk_reasons(plan) == expected
    assert risk_reasons(plan.model_copy(update={"goals": ()})) == expected
    earlier = plan.model_copy(update={"plan_date": dt.date(2026, 1, 9)})
    assert risk_reasons(earlier) == ("self-harm",)  # item 9 given after that plan date
    assert risk_reasons(plan.model_copy(update={"measures": ()})) == ("self-harm",)
    assert risk_reasons(plan.model_copy(update={"risk": Risk()})) == ("PHQ-9 item 9 = 1",)
    assert risk_reasons(plan) == expected


def test_a_safety_goal_is_known_by_its_problem_or_bank_family() -> None:
    """The problem's words (remembered by text) or a SAFETY. bank id, as the plain test."""
    from pipeline.clinical.risk import is_safety_goal
    from pipeline.model import Goal

    problems = [None, "", "  ", "Suicide risk", " SAFETY planning ", "Risk of suicide", "Worry"]
    bank_ids = [None, "", "SAFETY.G1", "safety.G1", "DEP.G1"]
    for _ in range(2):  # the second time the problems' answers are remembered
        for problem in problems:
            for bank_id in bank_ids:
                goal = Goal(id="G1", client_words="w", problem=problem, bank_id=bank_id)
                plain = (problem or "").strip().casefold() in {
                    "suicide risk", "safety", "safety planning", "risk of suicide"
                } or (bank_id or "").startswith("SAFETY.")  # fmt: skip
                assert is_safety_goal(goal) is plain, (problem, bank_id)
