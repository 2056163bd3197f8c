"""Diagnosis rules: every code a valid, billable ICD-10-CM code."""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.model import Plan
from pipeline.rules.registry import Context, Params, rule


class BillableDiagnosis(Params):
    require_primary: bool = False  #: one diagnosis must be marked primary
    allow_provisional: bool = True  #: a provisional (rule-out) primary diagnosis is accepted


@rule("billable_diagnosis", "TXR001", BillableDiagnosis)
def billable_diagnosis(plan: Plan, p: BillableDiagnosis, ctx: Context) -> Iterator[tuple[str, str]]:
    """At least one diagnosis; every code valid and billable in the ICD-10-CM table."""
    from pipeline.clinical.icd10 import lookup

    if not plan.diagnoses:
        yield "diagnoses", "missing; give at least one billable ICD-10-CM diagnosis"
        return
    for number, dx in enumerate(plan.diagnoses, start=1):
        where = f"diagnoses[{number}].code"
        info = lookup(dx.code)
        if info is None:
            yield where, f"{dx.code!r} is not an ICD-10-CM code; check it against the code table"
        elif not info.billable:
            yield (
                where,
                (
                    f"{info.code} ({info.description}) is a category, not a billable code; "
                    "use one of its more specific codes"
                ),
            )
    primary = [dx for dx in plan.diagnoses if dx.primary]
    if p.require_primary and not primary:
        yield "diagnoses", "no diagnosis is marked primary; mark the one treatment addresses"
    if not p.allow_provisional:
        first = plan.primary_diagnosis
        if first is not None and first.provisional:
            number = plan.diagnoses.index(first) + 1
            yield (
                f"diagnoses[{number}].provisional",
                (
                    f"the primary diagnosis {first.code} is provisional; this payer needs a "
                    "confirmed primary diagnosis"
                ),
            )
