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
from collections.abc import Callable, Container
from typing import Any

from pipeline import __version__
from pipeline.clinical.risk import safety_plan_gaps
from pipeline.clinical.schedule import requested_sessions
from pipeline.model import Diagnosis, Measure, Plan, Service, Signer
from pipeline.writers.progress import alt_text, client_text, clinician_text, progress_of
from pipeline.writers.review_columns import review_history
from pipeline.writers.signing import signature_lines
from pipeline.writers.views import authorization, certification, goal_view, grid
from pipeline.writers.wording import (
    DATE_FORMATS,
    client_copy_words,
    joined,
    tidied,
    tidy,
)

#: Highest possible total of each instrument (for "14 / 27").
MAX_TOTAL = {"PHQ-9": 27, "GAD-7": 21, "PCL-5": 80, "AUDIT-C": 12}

#: Review points of the state-Medicaid grid, in days after the plan date.
REVIEW_POINTS = (90, 180, 270)

#: What a template prints for a value the plan does not have, unless the profile says.
EMPTY_TEXT = "Not recorded"


#: Risk levels as a document prints them ("None" alone would read as a missing value).
RISK_WORDS = {"none": "No risk identified"}

DateFormat = Callable[[dt.date | None], str]


def _age(born: dt.date | None, on: dt.date | None) -> int | None:
    if born is None or on is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _client(plan: Plan, anchor: dt.date | None, date: DateFormat) -> dict[str, Any]:
    c = plan.client
    age = _age(c.date_of_birth, anchor)
    born = date(c.date_of_birth)
    return {
        "id": c.id,
        "name": " ".join(p for p in (c.first_name, c.middle_name, c.last_name) if p) or c.id,
        "display_name": c.display_name,
        "first_name": c.first_name,
        "last_name": c.last_name,
        "preferred_name": c.preferred_name,
        "call_name": c.preferred_name or c.first_name or c.id,
        "date_of_birth": born,
        "date_of_birth_iso": c.date_of_birth.isoformat() if c.date_of_birth else "",
        "born": f"{born} (age {age})" if born and age is not None else born,
        "age": age,
        "pronouns": c.pronouns,
        "gender_identity": c.gender_identity,
        "sex": c.sex_assigned_at_birth,
        "phone": c.contact.phone,
        "email": c.contact.email,
        "address": c.contact.address,
        "emergency_contact": c.contact.emergency_contact,
        "payer_name": c.payer_name,
        "member_id": c.member_id,
        "group_number": c.group_number,
    }


def _diagnosis(dx: Diagnosis) -> dict[str, Any]:
    notes = [w for w, on in (("primary", dx.primary), ("provisional", dx.provisional)) if on]
    status = notes + (["not billable"] if dx.billable is False else [])
    status += [dx.notes] if dx.notes else []
    label = f"{dx.code} {dx.description or ''}".strip()
    return {
        "code": dx.code,
        "description": dx.description,
        "primary": dx.primary,
        "provisional": dx.provisional,
        "billable": dx.billable,
        "label": f"{label} ({', '.join(notes)})" if notes else label,
        "status": "; ".join(status),
    }


def _measure(m: Measure, date: DateFormat) -> dict[str, Any]:
    top = MAX_TOTAL.get(m.instrument)
    score = "" if m.total is None else (f"{m.total} / {top}" if top else str(m.total))
    return {
        "instrument": m.instrument,
        "date": date(m.date),
        "total": m.total,
        "max": top,
        "score": score,
        "severity": m.severity,
        "items": list(m.items),
    }


def service_context(s: Service, modalities: str = "") -> dict[str, Any]:
    kind = s.type.value
    modality = s.modality or modalities
    minutes = f"{s.session_minutes}-minute " if s.session_minutes else ""
    what = f"{minutes}{kind} {s.modality or 'psychotherapy'}"
    return {
        "type": kind.capitalize(),
        "modality": modality,
        "session_minutes": s.session_minutes,
        "frequency": s.frequency,
        "expected_duration": s.expected_duration,
        "cpt_code": s.cpt_code,
        "label": joined([what, s.frequency], ", "),
        "summary": joined(
            [what, s.frequency, s.expected_duration, f"CPT {s.cpt_code}" if s.cpt_code else ""],
            ", ",
        ),
        "sessions": requested_sessions(s),
    }


def _signer(s: Signer | None, agency: Any, date: DateFormat) -> dict[str, Any] | None:
    """A signer; credentials, NPI and role the plan leaves out come from the agency's list."""
    if s is None:
        return None
    credentials, npi, role = s.credentials, s.npi, s.role
    known = agency.clinician(s.name) if s.name and hasattr(agency, "clinician") else None
    if known is not None:
        credentials = credentials or known.credentials
        npi = npi or known.npi
        role = role or known.role
    line = ", ".join(p for p in (s.name, credentials) if p)
    signed = date(s.signed_date)
    return {
        "name": s.name,
        "credentials": credentials,
        "role": role,
        "npi": npi,
        "signed_date": signed,
        "signed": s.signed_date is not None,
        "line": line,
        "line_npi": joined([line, f"NPI {npi}" if npi else ""], ", "),
        "summary": joined([f"{line} ({role})" if role and line else line,
                           f"signed {signed}" if signed else "not signed yet"], ", "),
    }  # fmt: skip


def _agency(agency: Any) -> dict[str, Any]:
    return {
        "id": agency.id,
        "name": agency.name,
        "address": agency.address,
        "phone": agency.phone,
        "fax": getattr(agency, "fax", None),
        "npi": agency.npi,
        "has_logo": bool(getattr(agency, "logo", None)),
    }


def anchor_date(plan: Plan) -> dt.date | None:
    """The date a document is "as of": the plan date, else the intake date."""
    return plan.plan_date or plan.intake_date


def tidy_all(value: Any, date: DateFormat, key: str = "") -> Any:
    """Every string of a context tidied (see :func:`wording.tidy`); ``*_iso`` left as is.

    A new tree: the containers are copied, never changed, so a value shared by two places
    (or by two contexts) is never tidied in place."""
    if type(value) is dict:
        return _tidy_dict(value, date)
    if isinstance(value, str):
        return value if key.endswith("_iso") else tidy(value, date)
    if isinstance(value, dict):
        return {k: tidy_all(v, date, k) for k, v in value.items()}
    if isinstance(value, list):
        return [tidy_all(v, date, key) for v in value]
    return value


def _tidy_dict(value: dict[Any, Any], date: DateFormat) -> dict[Any, Any]:
    """:func:`tidy_all` of a dict, strings and plain containers handled without a call each
    (a context holds some 600 values a plan, most of them strings tidied before)."""
    done = tidied(date)
    out = {}
    for k, v in value.items():
        kind = type(v)
        if kind is str and type(k) is str:
            if k.endswith("_iso"):
                out[k] = v
            else:
                s = done.get(v)
                out[k] = tidy(v, date) if s is None else s
        elif kind is dict:
            out[k] = _tidy_dict(v, date)
        elif kind is list and type(k) is str and not k.endswith("_iso"):
            out[k] = [
                (done.get(x) or tidy(x, date)) if type(x) is str
                else _tidy_dict(x, date) if type(x) is dict else tidy_all(x, date, k)
                for x in v
            ]  # fmt: skip
        elif kind in _SCALARS:
            out[k] = v
        else:
            out[k] = tidy_all(v, date, k)
    return out


#: Value types :func:`tidy_all` leaves as they are.
_SCALARS = frozenset({int, float, bool, type(None)})


def render_options(payer: Any) -> dict[str, Any]:
    """The payer profile's ``render:`` options (none for the client copy's audience)."""
    return dict(getattr(payer, "render", None) or {})


def date_format(payer: Any) -> DateFormat:
    """The payer profile's date format (``render: {date_format: ...}``, long by default)."""
    name = str(render_options(payer).get("date_format", "long"))
    return DATE_FORMATS.get(name, DATE_FORMATS["long"])


def progress_context(plan: Plan, date: DateFormat) -> list[dict[str, Any]]:
    """Each measure's progress: ``chart`` is the marker the DOCX writer replaces with the
    chart (two dated administrations or more; else empty), ``text`` the caption or the
    sentence standing for it (see pipeline/writers/progress.py)."""
    out = []
    for p in progress_of(plan):
        change = p.change()
        out.append({
            "instrument": p.instrument,
            "title": p.title,
            "chart": p.marker if p.charted else "",
            "text": clinician_text(p, date),
            "alt": alt_text(p, date) if p.charted else "",
            "count": len(p.points),
            "points": [{"date": date(d), "date_iso": d.isoformat(), "score": s}
                       for d, s in p.points],
            "target": str(p.target) if p.target else "",
            "change": change[1] if change else "",
        })  # fmt: skip
    return out


def _plain(plan: Plan, goals: list[dict], services: list[dict]) -> dict[str, Any]:
    """The client copy's words, with ``progress``: each measure in plain sentences."""
    words = client_copy_words(plan, goals, services)
    words["progress"] = [text for p in progress_of(plan) if (text := client_text(p))]
    return words


def build_context(plan: Plan, payer: Any, agency: Any, *, draft: bool = False,
                  names: Container[str] | None = None) -> dict[str, Any]:  # fmt: skip
    """Every template variable, as plain values (see README, 'Templates and rendering').

    ``names`` are the variables a template uses (None: all). The costly ones it does not use
    (``grid``, ``plain``) are left None: a template cannot see a variable it does not use.
    """

    def wanted(name: str) -> bool:
        return names is None or name in names

    options = render_options(payer)
    date = date_format(payer)
    anchor = anchor_date(plan)
    goals = [goal_view(n, g, date) for n, g in enumerate(plan.goals, start=1)]
    points = tuple(options.get("review_columns_days") or REVIEW_POINTS)
    reviews = [
        {"days": days, "date": date(anchor + dt.timedelta(days=days)) if anchor else ""}
        for days in points
    ]
    history = review_history(plan, anchor, points, date)  # what each recorded review said
    for goal in goals:
        for objective in goal["objectives"]:
            objective["reviews"] = history.for_objective(objective["id"])
    risk = plan.risk
    modalities = ", ".join(dict.fromkeys(iv.modality for g in plan.goals for iv in g.interventions))
    services = [service_context(s, modalities) for s in plan.services]
    measures = [_measure(m, date) for m in plan.measures]
    safety = plan.safety_plan
    sources = [str(s) for s in plan.provenance.sources]
    a = plan.assessment
    p = plan.presenting_problem
    f = plan.formulation
    days_to_plan = (
        (plan.plan_date - plan.intake_date).days if plan.plan_date and plan.intake_date else None
    )
    risk_level = (
        RISK_WORDS.get(risk.level.value, risk.level.value.capitalize()) if risk.level else None
    )
    context = {
        "empty": str(options.get("empty_text", EMPTY_TEXT)),
        "client": _client(plan, anchor, date),
        "intake_date": date(plan.intake_date),
        "plan_date": date(plan.plan_date),
        "days_intake_to_plan": days_to_plan,
        "plan_date_text": joined(
            [
                date(plan.plan_date),
                f"({days_to_plan} days after intake)" if days_to_plan is not None else "",
            ],
            " ",
        ),
        "presenting": {
            "client_words": p.client_words,
            "description": p.description,
            "onset": p.onset,
            "functional_impact": p.functional_impact,
            "what_would_be_different": p.what_would_be_different,
        },
        "assessment": {
            "symptoms": list(a.symptoms),
            "strengths": list(a.strengths),
            "challenges": list(a.challenges),
            "symptoms_text": joined(a.symptoms),
            "strengths_text": joined(a.strengths),
            "challenges_text": joined(a.challenges),
            "mental_status": a.mental_status,
            "substance_use": a.substance_use,
            "prognosis": a.prognosis,
        },
        "risk": {
            "level": risk_level,
            "suicidal_ideation": risk.suicidal_ideation,
            "homicidal_ideation": risk.homicidal_ideation,
            "self_harm": risk.self_harm,
            "flagged": risk.suicidal_ideation or risk.homicidal_ideation or risk.self_harm,
            "notes": risk.notes,
            "summary": joined([risk_level or "Not assessed", tidy(risk.notes)], ". "),
            "safety_plan_required": risk.safety_plan_required,
        },
        "diagnoses": [_diagnosis(d) for d in plan.diagnoses],
        "diagnoses_text": joined([_diagnosis(d)["label"] for d in plan.diagnoses]),
        "primary_diagnosis": _diagnosis(plan.primary_diagnosis) if plan.diagnoses else None,
        "formulation": {
            "presenting": f.presenting,
            "predisposing": f.predisposing,
            "precipitating": f.precipitating,
            "perpetuating": f.perpetuating,
            "protective": f.protective,
        },
        "measures": measures,
        "measures_text": joined(
            [f"{m['instrument']} {m['score']} ({m['severity'] or 'no severity'})" for m in measures]
        ),
        "progress": progress_context(plan, date) if wanted("progress") else None,
        "goals": goals,
        "interventions": [iv | {"goal": g["number"]} for g in goals for iv in g["interventions"]],
        "grid": grid(goals, reviews) if wanted("grid") else None,
        "services": services,
        "service": services[0] if services else None,
        "has_safety_plan": safety is not None,
        #: the payer form's "safety plan in place": only a complete plan, never a skeleton
        "safety_plan_complete": safety is not None and not safety_plan_gaps(safety),
        "safety_plan": None
        if safety is None
        else {
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
        },
        "review": {
            "interval_days": plan.review.interval_days,
            "next_date": date(plan.review.next_review_date),
            "last_date": date(plan.review.last_review_date),
            "points": reviews,
            "points_text": " · ".join(
                f"{r['days']} days: {r['date']}" for r in reviews if r["date"]
            ),
            "recorded": history.reviews,
        },  # fmt: skip
        "signatures": {
            "clinician": _signer(plan.signatures.clinician, agency, date),
            "client": _signer(plan.signatures.client, None, date),
            "client_unsigned_reason": plan.signatures.client_unsigned_reason,
            "supervisor": _signer(plan.signatures.supervisor, agency, date),
            "guardian": _signer(plan.signatures.guardian, None, date),
            "lines": signature_lines(plan, payer, agency, date),
        },
        "certification": certification(plan, anchor, date),
        "authorization": authorization(plan, anchor, services, date),
        "plain": _plain(plan, goals, services) if wanted("plain") else None,
        "agency": _agency(agency),
        "payer": {"id": payer.id, "name": payer.name},
        "draft": draft,
        "generated_from": {
            "sources": sources,
            "sources_text": joined(sources),
            "txplan_version": __version__,
            "schema_version": plan.schema_version,
        },
    }
    return tidy_all(context, date)
