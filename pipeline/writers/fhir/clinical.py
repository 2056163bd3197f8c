"""FHIR resources for the clinical content: Condition, Observation, Goal."""

from __future__ import annotations

from typing import Any

from pipeline.clinical import fhir as f
from pipeline.model import Diagnosis, Goal, Measure, Objective, ObjectiveStatus, Origin, Risk
from pipeline.writers.fhir.refs import Refs, prune


def _patient(refs: Refs) -> dict[str, str]:
    return {"reference": refs.ref("Patient", refs.client_id)}


def condition(dx: Diagnosis, refs: Refs, recorded: str | None) -> dict[str, Any]:
    """A diagnosis: ICD-10-CM code, problem-list category, verification status."""
    rule_out = bool(getattr(dx, "rule_out", False))
    verification = "differential" if rule_out else "provisional" if dx.provisional else "confirmed"
    return prune(
        {
            "resourceType": "Condition",
            "id": refs.id("Condition", dx.code),
            "extension": [
                {"url": f.EXT_PRIMARY, "valueBoolean": True} if dx.primary else None,
                {"url": f.EXT_RULE_OUT, "valueBoolean": True} if rule_out else None,
            ],
            "clinicalStatus": {"coding": [{"system": f.CONDITION_CLINICAL, "code": "active"}]},
            "verificationStatus": {
                "coding": [{"system": f.CONDITION_VERIFICATION, "code": verification}]
            },
            "category": [
                {"coding": [{"system": f.CONDITION_CATEGORY, "code": "problem-list-item"}]}
            ],
            "code": {
                "coding": [{"system": f.ICD10CM, "code": dx.code, "display": dx.description}],
                "text": dx.description or dx.code,
            },
            "subject": _patient(refs),
            "recordedDate": recorded,
            "note": [{"text": dx.notes}] if dx.notes else None,
        }
    )


def observation(measure: Measure, index: int, refs: Refs) -> dict[str, Any]:
    """One administration: the LOINC total (text only where LOINC has none), items as components."""
    name = measure.instrument
    code = f.TOTAL_CODE.get(name)
    coding = (
        [{"system": f.LOINC, "code": code, "display": f.TOTAL_DISPLAY.get(name)}] if code else []
    )
    components = []
    for number, value in enumerate(measure.items, start=1):
        item_code = f.ITEM_CODE.get((name, number))
        components.append(
            {
                "code": {
                    "coding": [{"system": f.LOINC, "code": item_code}] if item_code else None,
                    "text": f"{name} item {number}",
                },
                "valueInteger": value,
            }
        )
    return prune(
        {
            "resourceType": "Observation",
            "id": refs.id("Observation", name, str(index)),
            "status": "final",
            "category": [
                {
                    "coding": [
                        {"system": f.OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}
                    ]
                }
            ],
            "code": {"coding": coding, "text": f"{name} total score"},
            "subject": _patient(refs),
            "effectiveDateTime": measure.date.isoformat() if measure.date else None,
            "valueInteger": measure.total,
            "interpretation": [{"text": measure.severity}] if measure.severity else None,
            "component": components,
        }
    )


def _lifecycle(status: ObjectiveStatus) -> tuple[str, str | None]:
    if status is ObjectiveStatus.NOT_STARTED:
        return "planned", None
    if status is ObjectiveStatus.MET:
        return "completed", "achieved"
    if status is ObjectiveStatus.DISCONTINUED:
        return "cancelled", None
    return "active", f.ACHIEVEMENT[status.value]


def _achievement(code: str | None) -> dict[str, Any] | None:
    if code is None:
        return None
    return {"coding": [{"system": f.GOAL_ACHIEVEMENT, "code": code}]}


def objective_goal(obj: Objective, goal: Goal, refs: Refs, start: str | None) -> dict[str, Any]:
    """A SMART objective as a Goal of its own: text, target (measure, detail, due date)."""
    lifecycle, achievement = _lifecycle(obj.status)
    instrument_code = f.TOTAL_CODE.get(obj.measure or "")
    measure = (
        {"coding": [{"system": f.LOINC, "code": instrument_code}], "text": obj.measure}
        if instrument_code
        else {"text": obj.measure}
        if obj.measure
        else None
    )
    return prune(
        {
            "resourceType": "Goal",
            "id": refs.id("Goal", goal.id, obj.id),
            "extension": [
                {"url": f.EXT_ITEM_ID, "valueString": obj.id},
                {"url": f.EXT_ORIGIN, "valueCode": obj.origin.value},
                {"url": f.EXT_BANK_ID, "valueString": obj.bank_id} if obj.bank_id else None,
                {"url": f.EXT_BASELINE, "valueString": obj.baseline} if obj.baseline else None,
                {"url": f.EXT_BASELINE_DATE, "valueDate": obj.baseline_date.isoformat()}
                if obj.baseline_date
                else None,
                {"url": f.EXT_FREQUENCY, "valueString": obj.frequency} if obj.frequency else None,
            ],
            "lifecycleStatus": lifecycle,
            "achievementStatus": _achievement(achievement),
            "description": {"text": obj.text},
            "subject": _patient(refs),
            "startDate": start,
            "target": [
                {
                    "measure": measure,
                    "detailString": obj.target,
                    "dueDate": obj.target_date.isoformat() if obj.target_date else None,
                }
            ],
        }
    )


def goal_resource(
    goal: Goal,
    refs: Refs,
    start: str | None,
    addresses: list[str],
    clinician: str | None = None,
) -> dict[str, Any]:
    """A goal, its objectives as milestones. ``expressedBy`` is the client for a goal in the
    client's own words, and for a goal the goal bank added (its words are the bank's, which
    the client never said: the client copy does not quote them either) the clinician who
    chose it (``clinician``, a Practitioner reference; none: left out)."""
    by_client = goal.origin is not Origin.BANK
    statuses = [o.status for o in goal.objectives]
    lifecycle = "active"
    if statuses and all(s is ObjectiveStatus.MET for s in statuses):
        lifecycle = "completed"
    elif statuses and all(s is ObjectiveStatus.DISCONTINUED for s in statuses):
        lifecycle = "cancelled"
    milestones = [
        {
            "url": f.GOAL_RELATIONSHIP,
            "extension": [
                {"url": "type", "valueCode": "milestone"},
                {"url": "target", "valueReference": {"reference": refs.ref("Goal", goal.id, o.id)}},
            ],
        }
        for o in goal.objectives
    ]
    return prune(
        {
            "resourceType": "Goal",
            "id": refs.id("Goal", goal.id),
            "extension": [
                {"url": f.EXT_ITEM_ID, "valueString": goal.id},
                {"url": f.EXT_ORIGIN, "valueCode": goal.origin.value},
                {"url": f.EXT_PROBLEM, "valueString": goal.problem} if goal.problem else None,
                {"url": f.EXT_PROBLEM_DEFINITION, "valueString": goal.problem_definition}
                if goal.problem_definition
                else None,
                {"url": f.EXT_BANK_ID, "valueString": goal.bank_id} if goal.bank_id else None,
                *milestones,
            ],
            "lifecycleStatus": lifecycle,
            "description": {"text": goal.client_words},
            "subject": _patient(refs),
            "startDate": start,
            "expressedBy": _patient(refs)
            if by_client
            else ({"reference": clinician} if clinician else None),
            "addresses": [{"reference": r} for r in addresses],
            "note": [{"text": goal.description}] if goal.description else None,
        }
    )


_FLAGS = (
    "suicidal_ideation",
    "homicidal_ideation",
    "self_harm",
    "cssrs_positive",
    "means_access",
    "safety_plan_required",
)


def risk_assessment(risk: Risk, refs: Refs, when: str | None) -> dict[str, Any] | None:
    """The risk the plan records: its level, flags (suicidal ideation...) and notes."""
    flags = [name for name in _FLAGS if getattr(risk, name)]
    if not flags and risk.level is None and not risk.notes:
        return None
    level = risk.level.value if risk.level is not None else None
    level = "negligible" if level == "none" else level
    return prune(
        {
            "resourceType": "RiskAssessment",
            "id": refs.id("RiskAssessment"),
            "extension": [{"url": f.EXT_RISK_FLAG, "valueCode": name} for name in flags],
            "status": "final",
            "subject": _patient(refs),
            "occurrenceDateTime": when,
            "prediction": [
                {
                    "outcome": {"text": "suicide or harm to self or others"},
                    "qualitativeRisk": {"coding": [{"system": f.RISK_PROBABILITY, "code": level}]}
                    if level in ("negligible", "low", "moderate", "high")
                    else None,
                }
            ],
            "note": [{"text": risk.notes}] if risk.notes else None,
        }
    )
