"""One plan version -> one FHIR R4 Bundle (JSON), deterministic: same plan, same bytes.

The bundle is a ``collection`` of the plan's resources, each with a name-based UUID (from the
agency, the client and the item's stable id), so the same plan always gives the same bundle
and a revised plan's resources keep their ids. It is validated against the R4B models of
``fhir.resources`` before it is returned; a plan that does not make a valid bundle raises.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from pipeline.errors import TemplateError
from pipeline.model import Plan, Signer
from pipeline.writers.fhir import careplan as cp
from pipeline.writers.fhir.clinical import (
    condition,
    goal_resource,
    objective_goal,
    observation,
    risk_assessment,
)
from pipeline.writers.fhir.people import (
    coverage,
    organization,
    patient,
    practitioner,
    practitioner_role,
)
from pipeline.writers.fhir.refs import Refs


def _signers(plan: Plan) -> list[tuple[str, Signer]]:
    found = [("clinician", plan.signatures.clinician), ("client", plan.signatures.client)]
    if plan.signatures.supervisor is not None:
        found.append(("supervisor", plan.signatures.supervisor))
    guardian = getattr(plan.signatures, "guardian", None)
    if guardian is not None:
        found.append(("guardian", guardian))
    return [(role, s) for role, s in found if s.name or s.signed_date]


def to_bundle(
    plan: Plan,
    payer: Any,
    agency: Any,
    *,
    status: str = "active",
    version: int | None = None,
    replaces: int | None = None,
) -> dict[str, Any]:
    """The plan as a FHIR R4 Bundle (a dict). ``status`` is the CarePlan's: active or draft."""
    refs = Refs(agency.id, plan.client.id, payer.id)
    start = plan.plan_date or plan.intake_date
    started = start.isoformat() if start else None
    resources: list[dict[str, Any]] = [patient(plan.client, refs), organization(agency, refs)]
    insurance = coverage(plan.client, refs)
    resources += [insurance] if insurance else []
    org_ref = refs.shared_ref("Organization")
    conditions = {dx.code: refs.ref("Condition", dx.code) for dx in plan.diagnoses}
    resources += [condition(dx, refs, started) for dx in plan.diagnoses]
    resources += [observation(m, i, refs) for i, m in enumerate(plan.measures)]
    risk = risk_assessment(plan.risk, refs, started)
    resources += [risk] if risk else []
    # the treating clinician, who chose the goals the goal bank added (see people below)
    chosen_by = next(
        (refs.shared_ref("Practitioner", s.name or s.npi or "")
         for role, s in _signers(plan) if role == "clinician"),
        None,
    )  # fmt: skip
    for goal in plan.goals:
        addresses = [conditions[c] for c in goal.diagnosis_codes if c in conditions]
        resources.append(goal_resource(goal, refs, started, addresses, chosen_by))
        resources += [objective_goal(o, goal, refs, started) for o in goal.objectives]
    people: dict[str, str] = {}
    for role, signer in _signers(plan):
        if role == "client":
            people[role] = refs.ref("Patient", plan.client.id)
            continue
        if role == "guardian":  # not the patient: named, with the relationship as its role
            people[role] = ""
            continue
        key = signer.name or signer.npi or ""
        people[role] = refs.shared_ref("Practitioner", key)
        if all(r.get("id") != refs.shared_id("Practitioner", key) for r in resources):
            resources.append(practitioner(signer, refs))
            resources.append(practitioner_role(signer, refs, org_ref))
    main = cp.careplan(
        plan,
        refs,
        status=status,
        version=version,
        replaces=replaces,
        conditions=list(conditions.values()),
        author=people.get("clinician"),
    )
    resources.append(main)
    main_ref = f"urn:uuid:{main['id']}"
    if plan.safety_plan is not None:
        resources.append(
            cp.safety_careplan(plan.safety_plan, refs, status=status, part_of=main_ref)
        )
    recorded = f"{started}T00:00:00Z" if started else "1970-01-01T00:00:00Z"
    for role, signer in _signers(plan):
        resources.append(cp.provenance(role, signer, people[role], main_ref, refs, recorded))
    bundle = {
        "resourceType": "Bundle",
        "id": refs.id("Bundle", f"v{version}" if version else "current"),
        "type": "collection",
        "timestamp": recorded,
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }
    validate(bundle, f"client {plan.client.id}")
    return bundle


def validate(bundle: dict[str, Any], where: str) -> None:
    """Raise TemplateError naming the element when the bundle is not valid FHIR R4(B)."""
    from fhir.resources.R4B.bundle import Bundle

    try:
        Bundle.model_validate(bundle)
    except ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(p) for p in first["loc"])
        raise TemplateError(f"not a valid FHIR bundle at {place}: {first['msg']}", where) from exc


def bundle_bytes(bundle: dict[str, Any]) -> bytes:
    """Canonical JSON: sorted keys, two-space indent, UTF-8, one trailing newline."""
    return (json.dumps(bundle, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def render_fhir(plan: Plan, payer: Any, agency: Any, **how: Any) -> bytes:
    """The plan's bundle as bytes (``how``: :func:`to_bundle`'s status, version, replaces)."""
    return bundle_bytes(to_bundle(plan, payer, agency, **how))
