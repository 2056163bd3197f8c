"""Session formats: what a psychotherapy service bills (individual, conjoint, group) by its CPT
code or type, and the format a treatment's modality needs.

CPT bills psychotherapy by who is in the room: 90832/90834/90837 (and the E/M add-ons 90833,
90836, 90838; crisis 90839/90840) an individual session, 90847 family or couples
(conjoint) psychotherapy with the client present and 90846 without, 90853 a group, 90849 a
multiple-family group. A treatment delivered conjointly (couples therapy, family therapy,
parent-child interaction therapy) or in a group is billed under those codes only, so a
document never lists it under an individual service; a treatment any session can hold
(CBT, problem solving, measurement) fits every service, and care coordination (a referral, a
consultation with a school) none: it is planned, but no psychotherapy code bills it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from pipeline.model import Service, ServiceType

INDIVIDUAL = "individual"
CONJOINT = "conjoint"
GROUP = "group"

#: CPT psychotherapy code -> the session format it bills
CPT_FORMATS = {
    "90832": INDIVIDUAL,
    "90833": INDIVIDUAL,
    "90834": INDIVIDUAL,
    "90836": INDIVIDUAL,
    "90837": INDIVIDUAL,
    "90838": INDIVIDUAL,
    "90839": INDIVIDUAL,
    "90840": INDIVIDUAL,
    "90846": CONJOINT,
    "90847": CONJOINT,
    "90849": GROUP,
    "90853": GROUP,
}
TYPE_FORMATS = {
    ServiceType.INDIVIDUAL: INDIVIDUAL,
    ServiceType.FAMILY: CONJOINT,
    ServiceType.COUPLES: CONJOINT,
    ServiceType.GROUP: GROUP,
}
#: how a message names a format, and the codes that bill it
WORDS = {
    INDIVIDUAL: "individual psychotherapy",
    CONJOINT: "couples or family (conjoint) therapy",
    GROUP: "group therapy",
}
SERVICES = {INDIVIDUAL: "an individual", CONJOINT: "a couples or family", GROUP: "a group"}
CODES = {
    INDIVIDUAL: "CPT 90832, 90834 or 90837 by session length",
    CONJOINT: "CPT 90847 with the client present, 90846 without",
    GROUP: "CPT 90853 (90849 for a multiple-family group)",
}

_PARTS = re.compile(r"[;,+/]|\band\b(?=\s+(?:a\s+)?referr)", re.I)
#: Care coordination (a referral, a consultation) and the practice of measuring outcomes
#: (measurement-based care, outcome or progress monitoring): planned, never a modality billed.
_NOT_A_SESSION = re.compile(
    r"\brefer(?:ral|red|s)?\b|\bconsultation\b|\bmeasurement-based care\b|"
    r"\b(?:routine )?(?:outcome|progress) monitoring\b",
    re.I,
)
_GROUP = re.compile(r"\bgroups?\b", re.I)
_CONJOINT = re.compile(
    r"\b(?:couples?|couple's|marital|marriage|conjoint|famil(?:y|ies|ial)|multi-?family|"
    r"parent-child interaction|pcit|gottman|emotionally focused couple)\b",
    re.I,
)


@lru_cache(maxsize=4096)  # a pure function of a modality's words, which recur across plans
def modality_format(modality: str) -> str | None:
    """The format a treatment needs: GROUP for group therapy, CONJOINT for couples or family
    therapy, None for one any psychotherapy session can hold. A part that is a referral, a
    consultation ("support group referral") needs no session of its own."""
    for part in _PARTS.split(modality or ""):
        if not part or _NOT_A_SESSION.search(part):
            continue
        if _GROUP.search(part):
            return GROUP
        if _CONJOINT.search(part):
            return CONJOINT
    return None


@lru_cache(maxsize=4096)
def coordination(modality: str) -> bool:
    """Whether a treatment is care coordination, not psychotherapy: every part of it a referral
    or a consultation ("Medication referral", "School consultation"). It is planned and done,
    but no psychotherapy code bills it, so no service line lists it."""
    parts = [p for p in _PARTS.split(modality or "") if p.strip()]
    return bool(parts) and all(_NOT_A_SESSION.search(p) for p in parts)


def service_format(service: Service) -> str:
    """The format a service bills: its CPT code's, else its type's."""
    return CPT_FORMATS.get((service.cpt_code or "").strip(), TYPE_FORMATS[service.type])


def covers(service: Service, modality: str) -> bool:
    """Whether a treatment may be listed under (and billed as) this service."""
    if coordination(modality):
        return False
    needed = modality_format(modality)
    return needed is None or needed == service_format(service)


def formats_of(services: Iterable[Service]) -> frozenset[str]:
    """The formats a plan's services bill."""
    return frozenset(service_format(s) for s in services)
