"""The CarePlan (interventions and services as activities), the safety plan, the signatures."""

from __future__ import annotations

import html
from typing import Any

from pipeline.clinical import fhir as f
from pipeline.clinical.schedule import duration_days, review_period, sessions_per_week
from pipeline.model import Goal, Intervention, Plan, SafetyPlan, Service, Signer
from pipeline.writers.fhir.refs import Refs, prune

_SIGNERS = {  # role -> (Provenance agent type, ASTM E1762 signature type, its display)
    "clinician": ("author", "1.2.840.10065.1.12.1.1", "Author's Signature"),
    "supervisor": ("verifier", "1.2.840.10065.1.12.1.5", "Verification Signature"),
    "client": ("attester", "1.2.840.10065.1.12.1.7", "Consent Signature"),
    "guardian": ("legal", "1.2.840.10065.1.12.1.7", "Consent Signature"),
}


def timing(frequency: str | None, minutes: int | None = None, bounds: str | None = None) -> Any:
    """A Timing from free text ("weekly", "2x per month"): the text always, numbers when read."""
    if not frequency and not minutes:
        return None
    repeat: dict[str, Any] = {}
    per_week = sessions_per_week(frequency)
    if per_week:
        if per_week >= 1 and float(per_week).is_integer():
            repeat.update(frequency=int(per_week), period=1, periodUnit="wk")
        else:
            repeat.update(frequency=1, period=round(1 / per_week, 2), periodUnit="wk")
    if minutes:
        repeat.update(duration=minutes, durationUnit="min")
    days = duration_days(bounds)
    if days:
        repeat["boundsDuration"] = {
            "value": round(days),
            "unit": "days",
            "system": "http://unitsofmeasure.org",
            "code": "d",
        }
    return {"code": {"text": frequency} if frequency else None, "repeat": repeat}


def _intervention(iv: Intervention, goal: Goal, refs: Refs) -> dict[str, Any]:
    return {
        "extension": [
            {"url": f.EXT_ITEM_ID, "valueString": iv.id},
            {"url": f.EXT_ORIGIN, "valueCode": iv.origin.value},
            {"url": f.EXT_BANK_ID, "valueString": iv.bank_id} if iv.bank_id else None,
        ],
        "detail": {
            "code": {"text": iv.modality},
            "reasonCode": [{"text": iv.rationale}] if iv.rationale else None,
            "goal": [{"reference": refs.ref("Goal", goal.id)}],
            "status": "scheduled",
            "scheduledTiming": timing(iv.frequency),
            "performer": [{"display": iv.responsible}] if iv.responsible else None,
            "description": iv.description,
        },
    }


def _service(service: Service) -> dict[str, Any]:
    parts = [
        {"url": "type", "valueCode": service.type.value},
        {"url": "modality", "valueString": service.modality} if service.modality else None,
        {"url": "sessionMinutes", "valueInteger": service.session_minutes}
        if service.session_minutes
        else None,
        {"url": "frequency", "valueString": service.frequency} if service.frequency else None,
        {"url": "expectedDuration", "valueString": service.expected_duration}
        if service.expected_duration
        else None,
    ]
    label = " ".join(p for p in (service.type.value, service.modality or "psychotherapy") if p)
    cpt = [{"system": f.CPT, "code": service.cpt_code}] if service.cpt_code else None
    return {
        "extension": [{"url": f.EXT_SERVICE, "extension": parts}],
        "detail": {
            "code": {"coding": cpt, "text": label},
            "status": "scheduled",
            "scheduledTiming": timing(
                service.frequency, service.session_minutes, service.expected_duration
            ),
        },
    }


def _review(day: Any, status: str, interval_days: int | None = None) -> dict[str, Any]:
    """A review of the plan as an activity: SNOMED CT 425268008 "Review of care plan" (as
    C-CDA's Care Plan conveys its reviews), ``completed`` for the last review, ``scheduled``
    for the next one, on its day (``scheduledTiming.event``); the next one repeats every
    review interval (``repeat``: once every ``interval_days`` days)."""
    repeat = {"frequency": 1, "period": interval_days, "periodUnit": "d"} if interval_days else None
    code = {"system": f.SNOMED, "code": f.REVIEW_CODE, "display": f.REVIEW_DISPLAY}
    return {
        "detail": {
            "code": {
                "coding": [code],
                "text": f.REVIEW_DISPLAY,
            },
            "status": status,
            "scheduledTiming": {"event": [day.isoformat()], "repeat": repeat},
        }
    }


def _reviews(plan: Plan) -> list[dict[str, Any]]:
    """The last review that took place and the next one due, when the plan dates them."""
    review = plan.review
    out = []
    if review.last_review_date:
        out.append(_review(review.last_review_date, "completed"))
    if review.next_review_date:
        out.append(_review(review.next_review_date, "scheduled", review.interval_days))
    return out


def _period(plan: Plan) -> dict[str, Any] | None:
    """The period this version of the plan covers, both days included: from the plan date
    (a reviewed plan: the first day its review recertified it for) to the day before its next
    review, the period every document of the plan shows (the treatment report's
    authorization, :func:`pipeline.clinical.schedule.review_period`; the objectives due at the
    review are dated its last day). FHIR R4's ``CarePlan.period`` is the "time period plan
    covers" and any activity of the plan is meant to lie in it; a ``Period``'s ``end`` is
    inclusive (a closed interval, ``IVL<TS>`` with ``highClosed``; a date-only end covers the
    whole day). The review day starts the next period, so it is not the period's end: the
    review is its own activity (:func:`_review`), read back as the next review date."""
    found = review_period(plan)
    if found is None:
        return None
    if found.end < found.start:  # no period at all (a review interval of 0 days): no end
        return {"start": found.start.isoformat()}
    return {"start": found.start.isoformat(), "end": found.end.isoformat()}


def _narrative(plan: Plan) -> dict[str, str]:
    goals = "".join(f"<li>{html.escape(g.client_words)}</li>" for g in plan.goals)
    name = html.escape(plan.client.display_name)
    div = f'<div xmlns="http://www.w3.org/1999/xhtml"><p>Treatment plan for {name}</p>'
    div += f"<ul>{goals}</ul></div>" if goals else "</div>"
    return {"status": "generated", "div": div}


def careplan(
    plan: Plan,
    refs: Refs,
    *,
    status: str,
    version: int | None,
    replaces: int | None,
    conditions: list[str],
    author: str | None,
) -> dict[str, Any]:
    """The treatment plan: goals, conditions, one activity per intervention and service."""
    start = plan.plan_date or plan.intake_date
    activities = [_intervention(iv, g, refs) for g in plan.goals for iv in g.interventions]
    activities += [_service(s) for s in plan.services]
    activities += _reviews(plan)
    presenting = plan.presenting_problem.client_words or plan.presenting_problem.description
    return prune(
        {
            "resourceType": "CarePlan",
            "id": refs.id("CarePlan", f"v{version}" if version else "current"),
            "extension": [
                {
                    "url": f.EXT_UNSIGNED_REASON,
                    "valueString": plan.signatures.client_unsigned_reason,
                }
            ]
            if plan.signatures.client_unsigned_reason
            else None,
            "text": _narrative(plan),
            "status": status,
            "intent": "plan",
            "category": [{"coding": [{"system": f.CAREPLAN_CATEGORY, "code": "assess-plan"}]}],
            "title": "Treatment plan",
            "description": presenting,
            "subject": {"reference": refs.ref("Patient", refs.client_id)},
            "period": _period(plan),
            "created": start.isoformat() if start else None,
            "author": {"reference": author} if author else None,
            "replaces": [{"reference": f"CarePlan/{refs.id('CarePlan', f'v{replaces}')}"}]
            if replaces
            else None,
            "addresses": [{"reference": r} for r in conditions],
            "goal": [{"reference": refs.ref("Goal", g.id)} for g in plan.goals],
            "activity": activities,
        }
    )


def safety_careplan(safety: SafetyPlan, refs: Refs, *, status: str, part_of: str) -> dict[str, Any]:
    """The safety plan as its own CarePlan: one activity per entry, named by its section."""
    activities = []
    for section, value in safety.model_dump().items():
        entries = value if isinstance(value, list | tuple) else [value] if value else []
        for entry in entries:
            activities.append(
                {
                    "detail": {
                        "code": {"text": section},
                        "status": "not-started",
                        "description": entry,
                    }
                }
            )
    return prune(
        {
            "resourceType": "CarePlan",
            "id": refs.id("CarePlan", "safety"),
            "text": {
                "status": "generated",
                "div": '<div xmlns="http://www.w3.org/1999/xhtml"><p>Safety plan</p></div>',
            },
            "status": status,
            "intent": "plan",
            "category": [
                {"coding": [{"system": f.CAREPLAN_CATEGORY, "code": "assess-plan"}]},
                {"text": "safety plan"},
            ],
            "title": "Safety plan",
            "partOf": [{"reference": part_of}],
            "subject": {"reference": refs.ref("Patient", refs.client_id)},
            "activity": activities,
        }
    )


def provenance(
    role: str, signer: Signer, who: str, target: str, refs: Refs, recorded: str
) -> dict[str, Any]:
    """One signer of the plan, in which role; the signature when it is dated."""
    agent_type, sig_code, sig_display = _SIGNERS[role]
    when = f"{signer.signed_date.isoformat()}T00:00:00Z" if signer.signed_date else None
    person = {"reference": who, "display": signer.name} if who else {"display": signer.name}
    role_text = (signer.relationship or role) if role == "guardian" else role
    return prune(
        {
            "resourceType": "Provenance",
            "id": refs.id("Provenance", role),
            "target": [{"reference": target}],
            "recorded": when or recorded,
            "activity": {"text": f"{role} signature"},
            "agent": [
                {
                    "type": {"coding": [{"system": f.PROVENANCE_AGENT, "code": agent_type}]},
                    "role": [{"text": role_text}],
                    "who": person,
                }
            ],
            "signature": [
                {
                    "type": [
                        {"system": f.SIGNATURE_TYPE, "code": sig_code, "display": sig_display}
                    ],
                    "when": when,
                    "who": {"reference": who} if who else {"display": signer.name},
                }
            ]
            if when
            else None,
        }
    )
