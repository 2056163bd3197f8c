"""Safety rule: a plan with risk flagged carries its safety goal and a complete safety plan.

Risk comes from the plan's structure (:func:`pipeline.clinical.risk.risk_reasons`). The rule
runs for every payer, listed in the profile or not: a plan is never ok while its safety plan
holds a skeleton, a placeholder or an empty section.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pipeline.clinical.risk import (
    describe_gaps,
    has_means,
    is_safety_goal,
    risk_reasons,
    safety_plan_gaps,
    screen_on_file,
)
from pipeline.findings import Finding, error
from pipeline.model import SAFETY_PLAN_SECTIONS, Plan
from pipeline.rules.registry import Context, Params, rule

_SECTIONS = Literal[SAFETY_PLAN_SECTIONS]  # type: ignore[valid-type]

KIND = "safety_plan"


class SafetyPlanParams(Params):
    #: Kept for profiles written before every section was required; every section of a
    #: Stanley-Brown plan is checked whatever it lists.
    require: tuple[_SECTIONS, ...] = ()


@rule(KIND, "TXR011", SafetyPlanParams)
def safety_plan(plan: Plan, p: SafetyPlanParams, ctx: Context) -> Iterator[tuple[str, str]]:
    """When risk is flagged: a safety goal and a complete safety plan, every section the
    client's own."""
    reasons = risk_reasons(plan)
    if not reasons:
        yield from _unfinished_without_risk(plan)
        return
    why = f"risk is flagged ({', '.join(reasons)})"
    if not any(is_safety_goal(g) and g.objectives for g in plan.goals):
        yield (
            "goals",
            f"no safety goal; {why}, so the plan needs a goal linked to the safety problem "
            "(written safety plan, "
            + ("lethal-means counselling, " if has_means(plan) else "")
            + "risk screened every session)",
        )
    if plan.safety_plan is None:
        yield "safety_plan", f"missing; {why}, so the plan needs a safety plan made with the client"
        return
    gaps = safety_plan_gaps(plan.safety_plan)
    if gaps:
        yield (
            "safety_plan",
            f"incomplete; {why}. Complete with the client: {describe_gaps(gaps)}",
        )


def _unfinished_without_risk(plan: Plan) -> Iterator[tuple[str, str]]:
    """A safety plan kept although no risk is flagged is printed as it stands, so it may not
    hold skeleton or placeholder wording ("[Complete with the client]", "TBD") either."""
    gaps = safety_plan_gaps(plan.safety_plan)
    unfinished = {name: why for name, why in gaps.items() if why == "placeholder text"}
    if unfinished:
        yield (
            "safety_plan",
            f"unfinished: {describe_gaps(unfinished)}; no risk is flagged, but "
            "the document would print it as it stands: complete those sections with the "
            "client, or remove the safety plan from the plan",
        )


CLIENT_COPY_WITHHELD = "TXR030"


def client_copy_findings(plan: Plan) -> list[Finding]:
    """Why a client copy must not be made: an at-risk client's copy carries their own
    completed safety plan, so it waits until the safety plan is complete."""
    reasons = risk_reasons(plan)
    gaps = safety_plan_gaps(plan.safety_plan) if reasons else {}
    if not gaps:
        return []
    message = (
        f"client copy not produced: risk is flagged ({', '.join(reasons)}) and the safety plan "
        f"the copy must carry is incomplete; complete with the client: {describe_gaps(gaps)}"
    )
    return [error(CLIENT_COPY_WITHHELD, "safety_plan", message)]


class RiskAssessedParams(Params):
    pass


@rule("risk_assessed", "TXR021", RiskAssessedParams)
def risk_assessed(plan: Plan, p: RiskAssessedParams, ctx: Context) -> Iterator[tuple[str, str]]:
    """Risk was assessed: the clinician's level is recorded, or at least a screen (PHQ-9 item
    9, C-SSRS) is on file for a client not flagged at risk. A plan with no risk information at
    all is not passed, and no payer form may read an unanswered risk question as "no"."""
    if plan.risk.level is not None:
        return
    reasons = risk_reasons(plan)
    if reasons:
        yield (
            "risk.level",
            f"not recorded although risk is flagged ({', '.join(reasons)}); record the "
            "clinician's risk level (low, moderate or high) from the assessment",
        )
    elif screen_on_file(plan) is None:
        yield (
            "risk.level",
            "not recorded and no risk screen is on file (PHQ-9 item 9, C-SSRS); assess "
            "suicide, self-harm and violence risk with the client and record the level "
            "(none, low, moderate or high): a plan without it cannot say the client is safe",
        )
