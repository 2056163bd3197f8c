"""Safety rule: a safety plan whenever risk is flagged."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pipeline.model import SAFETY_PLAN_SECTIONS, Plan, RiskLevel
from pipeline.rules.registry import Context, Params, rule

_SECTIONS = Literal[SAFETY_PLAN_SECTIONS]  # type: ignore[valid-type]


class SafetyPlanParams(Params):
    require: tuple[_SECTIONS, ...] = ("warning_signs", "coping_strategies", "professionals")


def _flags(plan: Plan) -> list[str]:
    risk = plan.risk
    flags = [
        name
        for name in ("safety_plan_required", "suicidal_ideation", "homicidal_ideation", "self_harm")
        if getattr(risk, name)
    ]
    if risk.level in (RiskLevel.MODERATE, RiskLevel.HIGH):
        flags.append(f"level {risk.level.value}")
    return flags


@rule("safety_plan", "TXR011", SafetyPlanParams)
def safety_plan(plan: Plan, p: SafetyPlanParams, ctx: Context) -> Iterator[tuple[str, str]]:
    """When risk is flagged, a safety plan with the required sections is present."""
    flags = _flags(plan)
    if not flags:
        return
    why = f"risk is flagged ({', '.join(flags)})"
    if plan.safety_plan is None:
        yield "safety_plan", f"missing; {why}, so the plan needs a safety plan"
        return
    for name in p.require:
        value = getattr(plan.safety_plan, name)
        if not value or (isinstance(value, str) and not value.strip()):
            label = name.replace("_", " ")
            yield f"safety_plan.{name}", f"missing; {why}, so the safety plan needs {label}"
