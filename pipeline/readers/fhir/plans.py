"""FHIR Goal and CarePlan -> the clinician's goals, objectives, interventions and services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pipeline.clinical import fhir as f
from pipeline.model import (
    Goal,
    Intervention,
    Objective,
    ObjectiveStatus,
    Origin,
    SafetyPlan,
    Service,
    ServiceType,
)
from pipeline.readers.fhir.index import Export, Located
from pipeline.readers.fhir.people import text_of
from pipeline.readers.fhir.review import is_review

_STATUS = {  # (lifecycleStatus, achievementStatus) -> objective status
    ("planned", None): ObjectiveStatus.NOT_STARTED,
    ("proposed", None): ObjectiveStatus.NOT_STARTED,
    ("completed", "achieved"): ObjectiveStatus.MET,
    ("completed", None): ObjectiveStatus.MET,
    ("cancelled", None): ObjectiveStatus.DISCONTINUED,
}
_ACHIEVED = {v: k for k, v in f.ACHIEVEMENT.items() if k not in ("not_started", "discontinued")}


def _ext(resource: dict[str, Any], url: str, kind: str = "valueString") -> Any:
    for ext in resource.get("extension") or ():
        if ext.get("url") == url:
            return ext.get(kind)
    return None


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _status(resource: dict[str, Any]) -> ObjectiveStatus:
    lifecycle = resource.get("lifecycleStatus")
    codes = (resource.get("achievementStatus") or {}).get("coding") or [{}]
    achievement = codes[0].get("code")
    if (lifecycle, achievement) in _STATUS:
        return _STATUS[(lifecycle, achievement)]
    if lifecycle == "cancelled":
        return ObjectiveStatus.DISCONTINUED
    return ObjectiveStatus(_ACHIEVED.get(achievement, "in_progress"))


def _origin(resource: dict[str, Any]) -> Origin:
    value = _ext(resource, f.EXT_ORIGIN, "valueCode")
    return Origin(value) if value in {o.value for o in Origin} else Origin.CLINICIAN


def _target_text(target: dict[str, Any]) -> str | None:
    if target.get("detailString"):
        return str(target["detailString"])
    quantity = target.get("detailQuantity")
    if quantity:
        return f"{quantity.get('comparator', '')}{quantity.get('value')}".strip()
    span = target.get("detailRange")
    if span:
        low, high = (span.get("low") or {}).get("value"), (span.get("high") or {}).get("value")
        return f"{low}-{high}" if low is not None and high is not None else None
    return None


def objective(item: Located, number: str) -> Objective:
    """A Goal that is an objective (a milestone of a goal, or a generic EHR target)."""
    resource = item.resource
    target = (resource.get("target") or [{}])[0]
    measure = target.get("measure")
    instrument = next(
        (
            f.LOINC_TOTALS[c.get("code")]
            for c in (measure or {}).get("coding") or ()
            if c.get("code") in f.LOINC_TOTALS
        ),
        None,
    )
    return Objective(
        id=_ext(resource, f.EXT_ITEM_ID) or number,
        text=text_of(resource.get("description")) or "",
        measure=text_of(measure) if measure and not instrument else instrument,
        baseline=_ext(resource, f.EXT_BASELINE),
        baseline_date=_date(_ext(resource, f.EXT_BASELINE_DATE, "valueDate")),
        target=_target_text(target),
        target_date=_date(target.get("dueDate")),
        frequency=_ext(resource, f.EXT_FREQUENCY),
        status=_status(resource),
        origin=_origin(resource),
        bank_id=_ext(resource, f.EXT_BANK_ID),
    )


def _milestones(resource: dict[str, Any], export: Export) -> list[Located]:
    found = []
    for ext in resource.get("extension") or ():
        if ext.get("url") != f.GOAL_RELATIONSHIP:
            continue
        subs = {s.get("url"): s for s in ext.get("extension") or ()}
        if (subs.get("type") or {}).get("valueCode") == "milestone":
            target = export.resolve((subs.get("target") or {}).get("valueReference"))
            if target is not None:
                found.append(target)
    return found


def goals(
    items: list[Located], export: Export, codes: dict[int, str]
) -> list[tuple[Located, Goal]]:
    """Top-level goals with their objectives: txplan's milestones, or a Goal's own target."""
    children = {id(m) for g in items for m in _milestones(g.resource, export)}
    out: list[tuple[Located, Goal]] = []
    for item in (g for g in items if id(g) not in children):
        resource = item.resource
        number = len(out) + 1
        milestones = _milestones(resource, export)
        if milestones:
            objectives = [objective(m, f"G{number}.O{i}") for i, m in enumerate(milestones, 1)]
        elif resource.get("target"):  # an EHR goal with a measured target: its own objective
            objectives = [objective(item, f"G{number}.O1")]
        else:
            objectives = []
        addresses = [export.resolve(a) for a in resource.get("addresses") or ()]
        notes = [n.get("text") for n in resource.get("note") or () if n.get("text")]
        out.append(
            (
                item,
                Goal(
                    id=_ext(resource, f.EXT_ITEM_ID) or f"G{number}",
                    client_words=text_of(resource.get("description")) or "",
                    description=notes[0] if notes else None,
                    problem=_ext(resource, f.EXT_PROBLEM),
                    problem_definition=_ext(resource, f.EXT_PROBLEM_DEFINITION),
                    bank_id=_ext(resource, f.EXT_BANK_ID),
                    diagnosis_codes=tuple(codes[id(a)] for a in addresses if a and id(a) in codes),
                    objectives=tuple(objectives),
                    origin=_origin(resource),
                ),
            )
        )
    return out


def _intervention(activity: dict[str, Any], number: str) -> Intervention:
    detail = activity.get("detail") or {}
    timing = detail.get("scheduledTiming") or {}
    frequency = text_of(timing.get("code")) or detail.get("scheduledString")
    performer = (detail.get("performer") or [{}])[0].get("display")
    reasons = [text_of(r) for r in detail.get("reasonCode") or ()]
    return Intervention(
        id=_ext(activity, f.EXT_ITEM_ID) or number,
        modality=text_of(detail.get("code")) or detail.get("description") or "intervention",
        description=detail.get("description") if detail.get("code") else None,
        frequency=frequency,
        responsible=performer,
        rationale=next((r for r in reasons if r), None),
        origin=_origin(activity),
        bank_id=_ext(activity, f.EXT_BANK_ID),
    )


def _service(activity: dict[str, Any]) -> Service | None:
    for ext in activity.get("extension") or ():
        if ext.get("url") != f.EXT_SERVICE:
            continue
        parts = {s.get("url"): s for s in ext.get("extension") or ()}

        def value(key: str, kind: str = "valueString", parts: dict = parts) -> Any:
            return (parts.get(key) or {}).get(kind)

        cpt = next(
            (
                c.get("code")
                for c in ((activity.get("detail") or {}).get("code") or {}).get("coding") or ()
                if c.get("system") == f.CPT
            ),
            None,
        )
        kind = value("type", "valueCode")
        return Service(
            type=ServiceType(kind) if kind in {t.value for t in ServiceType} else "individual",
            modality=value("modality"),
            session_minutes=value("sessionMinutes", "valueInteger"),
            frequency=value("frequency"),
            expected_duration=value("expectedDuration"),
            cpt_code=cpt,
        )
    return None


def activities(
    careplan: Located, export: Export, goal_items: dict[int, int], goals_: list[Goal]
) -> tuple[list[Goal], list[Service], list[str]]:
    """Interventions attached to the goals they serve, the services, and the activities that
    serve no goal (named, for a finding), from one CarePlan."""
    by_goal: dict[int, list[Intervention]] = {}
    services = []
    unlinked: list[str] = []
    for activity in careplan.resource.get("activity") or ():
        if not isinstance(activity, dict) or not isinstance(activity.get("detail", {}), dict):
            continue  # not an activity (an export's wrong shape is ignored)
        if is_review(activity):
            continue  # the plan's own review (readers/fhir/review.py)
        service = _service(activity)
        if service is not None:
            services.append(service)
            continue
        detail = activity.get("detail") or {}
        targets = [export.resolve(g) for g in detail.get("goal") or ()]
        index = next((goal_items[id(t)] for t in targets if t and id(t) in goal_items), None)
        if index is None and len(goals_) == 1:
            index = 0  # one goal: every activity serves it
        if index is None:
            unlinked.append(text_of(detail.get("code")) or detail.get("description") or "?")
            continue
        n = len(by_goal.setdefault(index, [])) + 1
        by_goal[index].append(_intervention(activity, f"G{index + 1}.I{n}"))
    out = [
        g.model_copy(update={"interventions": g.interventions + tuple(by_goal.get(i, ()))})
        for i, g in enumerate(goals_)
    ]
    return out, services, unlinked


def safety_plan(careplan: Located) -> SafetyPlan:
    """The safety plan CarePlan's entries by section (the activity's code names the section)."""
    sections: dict[str, list[str]] = {}
    for activity in careplan.resource.get("activity") or ():
        detail = activity.get("detail") or {}
        section, text = text_of(detail.get("code")), detail.get("description")
        if section in SafetyPlan.model_fields and text:
            sections.setdefault(section, []).append(text)
    values: dict[str, Any] = {}
    for name, entries in sections.items():
        single = SafetyPlan.model_fields[name].annotation in (str | None, "str | None")
        values[name] = "; ".join(entries) if single else tuple(entries)
    return SafetyPlan(**values)


def is_safety_plan(careplan: Located) -> bool:
    resource = careplan.resource
    words = [text_of(c) or "" for c in resource.get("category") or ()]
    words.append(resource.get("title") or "")
    return any("safety plan" in w.casefold() for w in words)
