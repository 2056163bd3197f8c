"""TXR020: every goal names its problem and its clinical goal (an ISP printed "Problem 1: Not
recorded" on a plan marked ok)."""

from __future__ import annotations

from pipeline.model import Plan
from pipeline.rules import check, load_payer
from tests.support import DATA

FULL = DATA / "render" / "full.json"


def _plan(**goal_update) -> Plan:
    plan = Plan.model_validate_json(FULL.read_text(encoding="utf-8"))
    goals = list(plan.goals)
    goals[0] = goals[0].model_copy(update=goal_update)
    return plan.model_copy(update={"goals": tuple(goals)})


def _codes(plan: Plan, payer: str) -> list[tuple[str, str]]:
    return [(f.code, str(f.where)) for f in check(plan, load_payer(payer)) if f.code == "TXR020"]


def test_a_complete_plan_has_no_finding() -> None:
    for payer in ("medicaid-isp", "medicare-poc", "managed-care-otr", "clinical", "bluepeak-pdf"):
        assert _codes(_plan(), payer) == []


def test_a_goal_without_a_problem_blocks_the_plan() -> None:
    plan = _plan(problem=None, problem_definition=None, description=None)
    found = check(plan, load_payer("medicaid-isp"))
    mine = [f for f in found if f.code == "TXR020"]
    assert [(f.severity.value, str(f.where)) for f in mine] == [
        ("error", "goals[1].problem"),
        ("error", "goals[1].description"),  # the ISP prints the clinical goal: required there
    ]
    assert "name the problem" in mine[0].message


def test_the_documents_printing_the_clinical_goal_require_it() -> None:
    """The ISP and the clinical plan print "Clinical goal:" for every goal: without one they
    are blocked (they printed the problem's name as the goal)."""
    plan = _plan(description=None)
    for payer in ("medicaid-isp", "clinical"):
        assert _codes(plan, payer) == [("TXR020", "goals[1].description")], payer
    for payer in ("medicare-poc", "managed-care-otr", "bluepeak-pdf"):
        assert _codes(plan, payer) == [], payer


def test_a_clinical_goal_that_repeats_the_problem_is_not_a_goal() -> None:
    plan = _plan(problem="Harmful drinking", description="Harmful drinking.")
    for payer in ("medicaid-isp", "clinical"):
        found = [f for f in check(plan, load_payer(payer)) if f.code == "TXR020"]
        assert [str(f.where) for f in found] == ["goals[1].description"], payer
        assert "only repeats the problem" in found[0].message


def test_a_payer_can_require_the_clinical_goal_too() -> None:
    from pipeline.rules.goals import ProblemStatements, problem_statements

    plan = _plan(description=None)
    params = ProblemStatements(require=("problem", "description"))
    assert [w for w, _ in problem_statements(plan, params, None)] == ["goals[1].description"]


def test_a_problem_definition_names_the_problem() -> None:
    assert (
        _codes(_plan(problem=None, problem_definition="Low mood, withdrawn"), "medicaid-isp") == []
    )
