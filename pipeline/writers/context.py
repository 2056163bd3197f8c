"""The one place that names template variables: plan + payer + agency -> plain, tidy values.

Every template (DOCX, the PDF form's field map, the client copy) sees exactly the dict
:func:`build_context` returns: strings, numbers, booleans, None, lists and dicts, never a
model object, so a template cannot reach into Python. Every date is in the payer profile's
one format (``render: {date_format: long|short|iso}``, long by default: "March 4, 2025"),
also inside free text; the ISO form is beside a date as ``*_iso`` where a form needs it.
Every string is tidied (no doubled or trailing separators, no wrapping quotes, no "None"),
and what a template would print by joining values is composed here, so a missing value
leaves no bare label or dangling "; ": templates print ``empty`` (the profile's
``render: {empty_text: ...}``) or omit the paragraph.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Container
from typing import Any

from pipeline import __version__
from pipeline.clinical.risk import safety_plan_gaps
from pipeline.model import Plan
from pipeline.writers.progress import Progress, progress_of
from pipeline.writers.review_columns import ReviewHistory, review_history
from pipeline.writers.sections import (
    agency_values,
    client_values,
    diagnosis_values,
    measure_values,
    plain_values,
    progress_context,
    service_context,
    service_modalities,
    signer_values,
)
from pipeline.writers.signing import signature_lines
from pipeline.writers.usage import Fields, reads
from pipeline.writers.views import authorization, certification, goal_view, grid
from pipeline.writers.wording import DATE_FORMATS, DateFormat, joined, tidy, tidy_all, tidy_used

#: Review points of the state-Medicaid grid, in days after the plan date.
REVIEW_POINTS = (90, 180, 270)

#: What a template prints for a value the plan does not have, unless the profile says.
EMPTY_TEXT = "Not recorded"


#: Risk levels as a document prints them ("None" alone would read as a missing value).
RISK_WORDS = {"none": "No risk identified"}


def anchor_date(plan: Plan) -> dt.date | None:
    """The date a document is "as of": the plan date, else the intake date."""
    return plan.plan_date or plan.intake_date


def render_options(payer: Any) -> dict[str, Any]:
    """The payer profile's ``render:`` options (none for the client copy's audience)."""
    return dict(getattr(payer, "render", None) or {})


def date_format(payer: Any) -> DateFormat:
    """The payer profile's date format (``render: {date_format: ...}``, long by default)."""
    name = str(render_options(payer).get("date_format", "long"))
    return DATE_FORMATS.get(name, DATE_FORMATS["long"])


class _Made:
    """What several variables are made from (goals with their reviews, services, ...), each
    made on first use, so a template gets only what its variables need."""

    def __init__(self, plan: Plan, payer: Any, agency: Any, draft: bool,
                 names: Container[str] | None = None,
                 fields: Fields | None = None) -> None:  # fmt: skip
        self.plan, self.payer, self.agency, self.draft = plan, payer, agency, draft
        self.options = render_options(payer)
        self.date = date_format(payer)
        self.anchor = anchor_date(plan)
        self.names, self.fields = names, fields

    def reads(self, *path: str) -> bool:
        """Whether the template may read this key path ("[]": a list's items): a key known
        unread need not be made (what the template reads: :mod:`pipeline.writers.usage`)."""
        return self.names is None or reads(self.fields, path)

    def _goal_reads(self, *path: str) -> bool:
        """Whether anything reads this key path of a goal (the goals feed four variables)."""
        if self.names is None or any(n in self.names for n in ("interventions", "grid", "plain")):
            return True
        return self.reads("goals", "[]", *path)

    @functools.cached_property
    def points(self) -> tuple[int, ...]:
        return tuple(self.options.get("review_columns_days") or REVIEW_POINTS)

    @functools.cached_property
    def reviews(self) -> list[dict[str, Any]]:
        anchor, date = self.anchor, self.date
        return [
            {"days": days, "date": date(anchor + dt.timedelta(days=days)) if anchor else ""}
            for days in self.points
        ]

    @functools.cached_property
    def history(self) -> ReviewHistory:  # what each recorded review said
        return review_history(self.plan, self.anchor, self.points, self.date)

    @functools.cached_property
    def goals(self) -> list[dict[str, Any]]:
        outline = self._goal_reads("outline") or self._goal_reads("outline_rest")
        goals = [goal_view(n, g, self.date, outline=outline)
                 for n, g in enumerate(self.plan.goals, start=1)]  # fmt: skip
        if self._goal_reads("objectives", "[]", "reviews"):
            for goal in goals:
                for objective in goal["objectives"]:
                    objective["reviews"] = self.history.for_objective(objective["id"])
        return goals

    @functools.cached_property
    def services(self) -> list[dict[str, Any]]:
        plan = self.plan  # each service lists the treatments its code bills (sections.py)
        lines = service_modalities(plan)
        return [service_context(s, ", ".join(m)) for s, m in zip(plan.services, lines, strict=True)]

    @functools.cached_property
    def measures(self) -> list[dict[str, Any]]:
        return [
            measure_values(m, self.date) for m in self.plan.measures_known()
        ]  # none after the plan

    @functools.cached_property
    def diagnoses(self) -> list[dict[str, Any]]:
        return [diagnosis_values(d) for d in self.plan.diagnoses]

    @functools.cached_property
    def days_to_plan(self) -> int | None:
        plan = self.plan
        if plan.plan_date and plan.intake_date:
            return (plan.plan_date - plan.intake_date).days
        return None

    @functools.cached_property
    def progress(self) -> list[Progress]:
        return progress_of(self.plan)

    @functools.cached_property
    def sources(self) -> list[str]:
        return [str(s) for s in self.plan.provenance.sources]


def _presenting(m: _Made) -> dict[str, Any]:
    p = m.plan.presenting_problem
    return {
        "client_words": p.client_words,
        "description": p.description,
        "onset": p.onset,
        "functional_impact": p.functional_impact,
        "what_would_be_different": p.what_would_be_different,
    }


def _assessment(m: _Made) -> dict[str, Any]:
    a = m.plan.assessment
    return {
        "symptoms": list(a.symptoms),
        "strengths": list(a.strengths),
        "challenges": list(a.challenges),
        "symptoms_text": joined(a.symptoms),
        "strengths_text": joined(a.strengths),
        "challenges_text": joined(a.challenges),
        "mental_status": a.mental_status,
        "substance_use": a.substance_use,
        "prognosis": a.prognosis,
    }


def _risk(m: _Made) -> dict[str, Any]:
    risk = m.plan.risk
    level = RISK_WORDS.get(risk.level.value, risk.level.value.capitalize()) if risk.level else None
    return {
        "level": level,
        "suicidal_ideation": risk.suicidal_ideation,
        "homicidal_ideation": risk.homicidal_ideation,
        "self_harm": risk.self_harm,
        "flagged": risk.suicidal_ideation or risk.homicidal_ideation or risk.self_harm,
        "notes": risk.notes,
        "summary": joined([level or "Not assessed", tidy(risk.notes)], ". "),
        "safety_plan_required": risk.safety_plan_required,
    }


def _formulation(m: _Made) -> dict[str, Any]:
    f = m.plan.formulation
    return {
        "presenting": f.presenting,
        "predisposing": f.predisposing,
        "precipitating": f.precipitating,
        "perpetuating": f.perpetuating,
        "protective": f.protective,
    }


def _safety_plan(m: _Made) -> dict[str, Any] | None:
    safety = m.plan.safety_plan
    if safety is None:
        return None
    return {
        "warning_signs": list(safety.warning_signs),
        "coping_strategies": list(safety.coping_strategies),
        "people_and_places": list(safety.people_and_places),
        "people_to_ask": list(safety.people_to_ask),
        "professionals": list(safety.professionals),
        "means_safety": safety.means_safety,
        "reasons_for_living": safety.reasons_for_living,
        "warning_signs_text": joined(safety.warning_signs),
        "coping_strategies_text": joined(safety.coping_strategies),
        "people_to_ask_text": joined(safety.people_to_ask),
        "professionals_text": joined(safety.professionals),
    }


def _review(m: _Made) -> dict[str, Any]:
    review = m.plan.review
    return _made(m, "review", {
        "interval_days": lambda: review.interval_days,
        "next_date": lambda: m.date(review.next_review_date),
        "last_date": lambda: m.date(review.last_review_date),
        "points": lambda: m.reviews,
        "points_text": lambda: " · ".join(f"{r['days']} days: {r['date']}" for r in m.reviews
                                          if r["date"]),
        "recorded": lambda: m.history.reviews,
    })  # fmt: skip


def _signatures(m: _Made) -> dict[str, Any]:
    s, date = m.plan.signatures, m.date
    return _made(m, "signatures", {
        "clinician": lambda: signer_values(s.clinician, m.agency, date),
        "client": lambda: signer_values(s.client, None, date),
        "client_unsigned_reason": lambda: s.client_unsigned_reason,
        "supervisor": lambda: signer_values(s.supervisor, m.agency, date),
        "guardian": lambda: signer_values(s.guardian, None, date),
        "lines": lambda: signature_lines(m.plan, m.payer, m.agency, date),
    })  # fmt: skip


def _made(m: _Made, name: str, makers: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """A variable's keys, each made only if the template may read it."""
    return {key: make() for key, make in makers.items() if m.reads(name, key)}


def _generated_from(m: _Made) -> dict[str, Any]:
    return {
        "sources": m.sources,
        "sources_text": joined(m.sources),
        "txplan_version": __version__,
        "schema_version": m.plan.schema_version,
    }


#: Every template variable, in the context's order, and how it is made.
VARIABLES: dict[str, Callable[[_Made], Any]] = {
    "empty": lambda m: str(m.options.get("empty_text", EMPTY_TEXT)),
    "client": lambda m: client_values(m.plan, m.anchor, m.date),
    "intake_date": lambda m: m.date(m.plan.intake_date),
    "plan_date": lambda m: m.date(m.plan.plan_date),
    "days_intake_to_plan": lambda m: m.days_to_plan,
    "plan_date_text": lambda m: joined([m.date(m.plan.plan_date),
        f"({m.days_to_plan} days after intake)" if m.days_to_plan is not None else ""], " "),
    "presenting": _presenting,
    "assessment": _assessment,
    "risk": _risk,
    "diagnoses": lambda m: m.diagnoses,
    "diagnoses_text": lambda m: joined([d["label"] for d in m.diagnoses]),
    "primary_diagnosis": lambda m: diagnosis_values(m.plan.primary_diagnosis)
        if m.plan.diagnoses else None,
    "formulation": _formulation,
    "measures": lambda m: m.measures,
    "measures_text": lambda m: joined([f"{x['instrument']} {x['score']} "
        f"({x['severity'] or 'no severity'})" for x in m.measures]),
    "progress": lambda m: progress_context(m.plan, m.date, m.progress,
                                           lambda key: m.reads("progress", "[]", key)),
    "goals": lambda m: m.goals,
    "interventions": lambda m: [iv | {"goal": g["number"]} for g in m.goals
                                for iv in g["interventions"]],
    "grid": lambda m: grid(m.goals, m.reviews),
    "services": lambda m: m.services,
    "service": lambda m: m.services[0] if m.services else None,
    "has_safety_plan": lambda m: m.plan.safety_plan is not None,
    #: the payer form's "safety plan in place": only a complete plan, never a skeleton
    "safety_plan_complete": lambda m: m.plan.safety_plan is not None
        and not safety_plan_gaps(m.plan.safety_plan),
    "safety_plan": _safety_plan,
    "review": _review,
    "signatures": _signatures,
    "certification": lambda m: certification(m.plan, m.anchor, m.date),
    "authorization": lambda m: authorization(m.plan, m.services, m.date),
    "plain": lambda m: plain_values(m.plan, m.goals, m.services, m.progress),
    "agency": lambda m: agency_values(m.agency),
    "payer": lambda m: {"id": m.payer.id, "name": m.payer.name},
    "draft": lambda m: m.draft,
    "generated_from": _generated_from,
}  # fmt: skip


def build_context(plan: Plan, payer: Any, agency: Any, *, draft: bool = False,
                  names: Container[str] | None = None,
                  fields: Fields | None = None) -> dict[str, Any]:  # fmt: skip
    """Every template variable, as plain values (see README, 'Templates and rendering').

    ``names`` are the variables a template uses (None, or one that says ``*``: all); the
    others are None (made, tidied and copied for nothing otherwise): a template cannot see
    a variable it does not use. ``fields``, what the template reads of them
    (:func:`pipeline.writers.usage.fields_used`), leaves out the keys it does not read.
    What several variables share is made once (:class:`_Made`).
    """
    if names is not None and "*" in names:
        names = None
    made = _Made(plan, payer, agency, draft, names, fields if names is not None else None)
    context = {
        name: make(made) if names is None or name in names else None
        for name, make in VARIABLES.items()
    }
    if fields is not None and names is not None:
        return tidy_used(context, made.date, fields)
    return tidy_all(context, made.date)
