"""The services bill the plan's treatments: each CPT code matches its service's type, and a
couples, family or group treatment has a service of its format (see clinical/formats.py)."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import field_validator

from pipeline.clinical.formats import (
    CODES,
    CPT_FORMATS,
    SERVICES,
    TYPE_FORMATS,
    WORDS,
    formats_of,
    modality_format,
    service_format,
)
from pipeline.model import Plan, Service
from pipeline.rules.registry import Context, Params, rule


class ServiceModalities(Params):
    #: the psychotherapy CPT codes this payer bills (empty: every code txplan knows)
    cpt_codes: tuple[str, ...] = ()

    @field_validator("cpt_codes", mode="before")
    @classmethod
    def _codes(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            value = tuple(str(v).strip() for v in value)
            unknown = [v for v in value if v not in CPT_FORMATS]
            if unknown:
                known = ", ".join(CPT_FORMATS)
                raise ValueError(f"not a psychotherapy CPT code: {', '.join(unknown)} ({known})")
        return value


def _service(service: Service) -> str:
    code = f", CPT {service.cpt_code}" if service.cpt_code else ""
    return f"{service.type.value}{code}"


@rule("service_modalities", "TXR023", ServiceModalities)
def service_modalities(plan: Plan, p: ServiceModalities, ctx: Context) -> Iterator[tuple[str, str]]:
    """Every service's CPT code bills its type, and every couples, family or group treatment
    (a service's own modality, or a goal's intervention) has a service of its format that
    the payer bills."""
    if not plan.services:
        return  # service_details says so where the payer needs services
    billed = p.cpt_codes
    for s, service in enumerate(plan.services, start=1):
        code = (service.cpt_code or "").strip()
        by_type = TYPE_FORMATS[service.type]
        if code in CPT_FORMATS and CPT_FORMATS[code] != by_type:
            yield (
                f"services[{s}].cpt_code",
                f"CPT {code} bills {WORDS[CPT_FORMATS[code]]}, not a {service.type.value} "
                f"service ({WORDS[by_type]} is billed {CODES[by_type]})",
            )
        elif billed and code and code not in billed:
            yield (
                f"services[{s}].cpt_code",
                f"this payer does not bill CPT {code} ({WORDS[service_format(service)]}); "
                f"it bills {', '.join(billed)}",
            )
        needed = modality_format(service.modality or "")
        if needed is not None and needed != service_format(service):
            yield (
                f"services[{s}].modality",
                f"{service.modality!r} is {WORDS[needed]}, which this {_service(service)} "
                f"service does not bill ({WORDS[needed]} is billed {CODES[needed]})",
            )
    formats = formats_of(plan.services)
    for g, goal in enumerate(plan.goals, start=1):
        for i, intervention in enumerate(goal.interventions, start=1):
            needed = modality_format(intervention.modality)
            if needed is None or needed in formats:
                continue
            where = f"goals[{g}].interventions[{i}].modality"
            payable = {CPT_FORMATS[c] for c in billed} if billed else set(CPT_FORMATS.values())
            services = "; ".join(_service(s) for s in plan.services)
            if needed not in payable:
                yield (
                    where,
                    f"{intervention.modality!r} is {WORDS[needed]}, which this payer does not "
                    f"bill (it bills {', '.join(billed)}); plan a treatment an individual "
                    "session holds, or bill this one to a payer that covers it",
                )
            else:
                yield (
                    where,
                    f"{intervention.modality!r} is {WORDS[needed]}, but no service of the plan "
                    f"bills it (services: {services}); add {SERVICES[needed]} service "
                    f"({CODES[needed]}) or plan a treatment the services bill",
                )
