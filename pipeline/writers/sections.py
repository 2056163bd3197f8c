"""The context's sections, each from the plan's parts: diagnosis, measure, service,
signer, agency, each measure's progress and the client copy's words (see context.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipeline.clinical.abbreviations import treatment_key
from pipeline.clinical.formats import (
    INDIVIDUAL,
    coordination,
    covers,
    formats_of,
    modality_format,
    service_format,
)
from pipeline.clinical.schedule import requested_sessions
from pipeline.model import Diagnosis, Measure, Plan, Service, Signer
from pipeline.writers.cut import content_number
from pipeline.writers.plain import client_copy_words
from pipeline.writers.progress import Progress, alt_text, client_text, clinician_text, progress_of
from pipeline.writers.wording import DateFormat, joined

#: Highest possible total of each instrument (for "14 / 27").
MAX_TOTAL = {"PHQ-9": 27, "GAD-7": 21, "PCL-5": 80, "AUDIT-C": 12}


def diagnosis_values(dx: Diagnosis) -> dict[str, Any]:
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


def measure_values(m: Measure, date: DateFormat) -> dict[str, Any]:
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


def mid_sentence(text: str | None) -> str | None:
    """A value as it reads after a comma: "Weekly" -> "weekly" (an acronym stays). Frequency
    cells are written so too, whatever their source: the goal bank's "weekly" and an intake's
    "Weekly" in one column read as two styles."""
    if text and text[:1].isupper() and text[1:2].islower():
        return text[:1].lower() + text[1:]
    return text


def service_modalities(plan: Plan) -> list[list[str]]:
    """Each service's treatments, each once. A couples, family or group treatment goes under a
    service of its format only (CPT 90847/90846, 90853), one any session can hold under the
    individual services (under every service when there is none); care coordination (a
    referral, a consultation) under none, nor a treatment no service bills (the
    ``service_modalities`` rule blocks the plan). A service's own modality stands alone when
    its code bills it."""
    # one name a treatment: "CBT" and the bank's "Cognitive behavioral therapy" are one (the first
    # name written is kept)
    named: dict[str, str] = {}
    for modality in (iv.modality for g in plan.goals for iv in g.interventions):
        named.setdefault(treatment_key(modality), modality)
    treatments = list(named.values())
    formats = formats_of(plan.services)
    lines = []
    for service in plan.services:
        if service.modality and covers(service, service.modality):
            lines.append([service.modality])
            continue
        own = service_format(service)
        lines.append(
            [
                m
                for m in treatments
                if not coordination(m)
                and (
                    (needed := modality_format(m)) == own
                    or (needed is None and (own == INDIVIDUAL or INDIVIDUAL not in formats))
                )
            ]
        )
    return lines


#: How many services' treatment lines are kept (a bound on their memory).
LINES_KEPT = 4096
_LINES: dict[tuple[Any, ...], list[str]] = {}


def service_lines(plan: Plan) -> list[str]:
    """Each service's treatments (:func:`service_modalities`) as one line, "CBT, DBT skills":
    a pure function of the plan's services and its interventions' modalities in order, kept
    by them (most plans of a batch share their services and treatments)."""
    key = (tuple([iv.modality for g in plan.goals for iv in g.interventions]),
           tuple([content_number(s) for s in plan.services]))  # fmt: skip
    lines = _LINES.get(key)
    if lines is None:
        if len(_LINES) >= LINES_KEPT:
            _LINES.clear()
        lines = _LINES[key] = [", ".join(m) for m in service_modalities(plan)]
    return lines.copy()


def service_context(s: Service, modalities: str = "") -> dict[str, Any]:
    kind = s.type.value
    modality = modalities
    minutes = f"{s.session_minutes}-minute " if s.session_minutes else ""
    own = s.modality if s.modality and covers(s, s.modality) else None
    what = f"{minutes}{kind} {own or 'psychotherapy'}"
    often = mid_sentence(s.frequency)
    return {
        "type": kind.capitalize(),
        "modality": modality,
        "session_minutes": s.session_minutes,
        "frequency": often,
        "expected_duration": s.expected_duration,
        "cpt_code": s.cpt_code,
        "label": joined([what, often], ", "),
        "summary": joined(
            [what, often, s.expected_duration, f"CPT {s.cpt_code}" if s.cpt_code else ""], ", "
        ),
        "sessions": requested_sessions(s),
    }


def signer_values(s: Signer | None, agency: Any, date: DateFormat) -> dict[str, Any] | None:
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


def agency_values(agency: Any) -> dict[str, Any]:
    return {
        "id": agency.id,
        "name": agency.name,
        "address": agency.address,
        "phone": agency.phone,
        "fax": getattr(agency, "fax", None),
        "npi": agency.npi,
        "has_logo": bool(getattr(agency, "logo", None)),
    }


def progress_context(plan: Plan, date: DateFormat, progress: list[Progress] | None = None,
                     reads: Callable[[str], bool] | None = None,
                     ) -> list[dict[str, Any]]:  # fmt: skip
    """Each measure's progress: ``chart`` is the marker the DOCX writer replaces with the
    chart (two dated administrations or more; else empty), ``text`` the caption or the
    sentence standing for it (see pipeline/writers/progress.py). ``reads(key)`` False: the
    template does not read that key (it is left out, not made)."""
    out = []
    for p in progress_of(plan) if progress is None else progress:
        item = {
            "instrument": p.instrument,
            "title": p.title,
            "chart": p.marker if p.charted else "",
            "text": clinician_text(p, date),
        }
        if reads is None or reads("alt"):
            item["alt"] = alt_text(p, date) if p.charted else ""
        item["count"] = len(p.points)
        if reads is None or reads("points"):
            item["points"] = [{"date": date(d), "date_iso": d.isoformat(), "score": s}
                              for d, s in p.points]  # fmt: skip
        item["target"] = str(p.target) if p.target else ""
        if reads is None or reads("change"):
            change = p.change()
            item["change"] = change[1] if change else ""
        out.append(item)
    return out


def plain_values(plan: Plan, goals: list[dict], services: list[dict],
                 progress: list[Progress] | None = None) -> dict[str, Any]:  # fmt: skip
    """The client copy's words, with ``progress``: each measure in plain sentences."""
    words = client_copy_words(plan, goals, services)
    items = progress_of(plan) if progress is None else progress
    words["progress"] = [text for p in items if (text := client_text(p))]
    return words
