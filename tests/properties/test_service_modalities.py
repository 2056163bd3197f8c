"""Service lines follow the treatments' formats, over generated plans: no treatment is listed
under a service whose CPT code does not bill its format (couples or family therapy under
90832-90837, group therapy under 90847), and a couples, family or group treatment no service
bills is blocked by the rules (TXR023) rather than left off silently."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clinical.formats import (
    CPT_FORMATS,
    covers,
    formats_of,
    modality_format,
    service_format,
)
from pipeline.goalbank.bank import load_bank
from pipeline.model import Plan, ServiceType
from pipeline.profiles import load_agency, load_payer
from pipeline.rules import check
from pipeline.writers.context import build_context
from pipeline.writers.sections import service_modalities
from tests.support import TEST_DATA

GOOD = json.loads((TEST_DATA / "rules" / "good.json").read_text(encoding="utf-8"))
BANK_MODALITIES = sorted({tx.modality for tx in load_bank().interventions.values()})
WRITTEN = [  # as clinicians write them on intake
    "Family therapy",
    "Couples therapy (EFT)",
    "Marital counseling",
    "DBT skills group",
    "Graded exposure with a fear ladder; parent coaching",
    "Motivational interviewing; referral to IOP",
    "Individual CBT and family sessions monthly",
    "Multifamily group psychoeducation",
]
MODALITIES = BANK_MODALITIES + WRITTEN
CODES = [*CPT_FORMATS, None, "90791"]


@st.composite
def services(draw: st.DrawFn) -> dict:
    return {
        "type": draw(st.sampled_from([t.value for t in ServiceType])),
        "modality": draw(st.one_of(st.none(), st.none(), st.sampled_from(MODALITIES))),
        "session_minutes": 53,
        "frequency": "weekly",
        "expected_duration": "16 weeks",
        "cpt_code": draw(st.sampled_from(CODES)),
    }


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    data = json.loads(json.dumps(GOOD))
    data["services"] = draw(st.lists(services(), min_size=1, max_size=3))
    template = data["goals"][0]["interventions"][0]
    chosen = draw(st.lists(st.sampled_from(MODALITIES), min_size=1, max_size=5, unique=True))
    data["goals"][0]["interventions"] = [
        dict(template, id=f"G1.I{n}", modality=m) for n, m in enumerate(chosen, start=1)
    ]
    return Plan.model_validate(data)


@settings(max_examples=200, deadline=None)
@given(plans())
def test_no_treatment_is_listed_under_a_service_that_does_not_bill_it(plan: Plan) -> None:
    lines = service_modalities(plan)
    for service, treatments in zip(plan.services, lines, strict=True):
        for modality in treatments:
            assert covers(service, modality), (service, modality)
    printed = build_context(plan, load_payer("medicare-poc"), load_agency("riverside"))
    assert [s["modality"] for s in printed["services"]] == [", ".join(t) for t in lines]


@settings(max_examples=200, deadline=None)
@given(plans())
def test_a_couples_family_or_group_treatment_is_listed_or_blocked(plan: Plan) -> None:
    lines = service_modalities(plan)
    blocked = {f.where for f in check(plan, load_payer("medicare-poc")) if f.code == "TXR023"}
    billed = formats_of(plan.services)
    for i, intervention in enumerate(plan.goals[0].interventions, start=1):
        needed = modality_format(intervention.modality)
        if needed is None:
            continue
        where = f"goals[1].interventions[{i}].modality"
        if needed in billed:
            same = [
                (s, t)
                for s, t in zip(plan.services, lines, strict=True)
                if service_format(s) == needed
            ]
            assert where not in blocked
            assert any(intervention.modality in t for _, t in same) or all(
                s.modality and covers(s, s.modality)
                for s, _ in same  # its own modality stands
            ), (intervention, lines)
        else:
            assert where in blocked, (intervention, plan.services, blocked)
