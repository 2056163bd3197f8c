"""Completes a clinician's interventions and services: the person responsible, a frequency and
a rationale from the goal bank's matching treatment, and a service's CPT code."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.clinical.abbreviations import spelled_out
from pipeline.clinical.pace import pace_of, paced
from pipeline.goalbank.bank import BankIntervention, words
from pipeline.merge.evidence import fits, generic_rationale
from pipeline.model import Intervention, Service, ServiceType


def complete_intervention(
    intervention: Intervention,
    pool: Sequence[BankIntervention],
    responsible: str,
    frequency: str | None,
    families: frozenset[str] | None = None,
    problem: str | None = None,
    own: frozenset[str] = frozenset(),
) -> Intervention:
    """Responsible person, frequency and rationale filled where missing.

    Frequency and rationale come only from a bank intervention of the same modality among
    ``pool``, the interventions for this client's own problems: a modality's evidence for
    another disorder is not a rationale for this client. With ``families`` (the client's
    diagnosed ones), an evidence note citing a disorder outside them gives way to a generic
    rationale naming the goal's ``problem``. A treatment of the goal's own bank problems
    (``own``, their ids) is matched before any other: the worry goal's "CBT" takes the
    evidence for anxiety, not the depression goal's. A frequency taken from the bank is no
    more often than the sessions of ``frequency`` (the plan's first service's; a referral's is
    kept: another provider sees the client).
    """
    match = None
    if not (intervention.frequency and intervention.rationale):  # the match fills only these
        match = _bank_match(pool, intervention.modality, own)
    updates: dict[str, str] = {}
    if not intervention.responsible:
        updates["responsible"] = responsible
    if not intervention.frequency:
        found = (match.frequency if match else None) or frequency
        if match is not None and found == match.frequency and frequency:
            found = paced(found, match.modality, pace_of(frequency))
        if found:
            updates["frequency"] = found
    if not intervention.rationale and match is not None and match.evidence:
        fitting = families is None or fits(match.evidence, families)
        updates["rationale"] = match.evidence if fitting else generic_rationale(problem)
    return intervention.model_copy(update=updates) if updates else intervention


#: CPT psychotherapy codes by service type; individual sessions by minutes (CPT time rules).
_CPT_BY_TYPE = {
    ServiceType.FAMILY: "90847",
    ServiceType.COUPLES: "90847",
    ServiceType.GROUP: "90853",
}
_CPT_BY_MINUTES = ((53, "90837"), (38, "90834"), (16, "90832"))


def complete_service(service: Service) -> Service:
    """A missing CPT code derived from the service type and session length."""
    if service.cpt_code:
        return service
    code = _CPT_BY_TYPE.get(service.type)
    if code is None and service.session_minutes:
        code = next((c for low, c in _CPT_BY_MINUTES if service.session_minutes >= low), None)
    return service.model_copy(update={"cpt_code": code}) if code else service


#: Words that say what kind of thing a modality is, not which treatment: a match on these alone
#: is no match ("Referral to IOP" shares only "referral" with "Medication referral" and took
#: its rationale, CT-1006).
_GENERIC = frozenset(
    [
        "a",
        "an",
        "and",
        "for",
        "in",
        "of",
        "the",
        "to",
        "with",
        "therapy",
        "treatment",
        "intervention",
        "referral",
        "training",
    ]
)


def _wanted(modality: str) -> frozenset[str]:
    """The clinician's modality words with its abbreviations spelled out."""
    return spelled_out(words(modality))


def _bank_match(
    pool: Sequence[BankIntervention], modality: str, own: frozenset[str] = frozenset()
) -> BankIntervention | None:
    """The pool's intervention whose modality words best overlap the clinician's (its
    abbreviations spelled out), sharing at least one word that names the treatment (not only
    :data:`_GENERIC` words); one of the ``own`` problems' before any other. For a tuple
    (immutable; the merge's pools of the same problems are one tuple, see
    ``merge.core._pool``) worked out once for the same modality and ``own``."""
    if type(pool) is not tuple:
        return _best_match(pool, modality, own)
    key = (id(pool), modality, own)
    found = _MATCHES.get(key)
    if found is None or found[0] is not pool:
        if len(_MATCHES) >= 4096:
            _MATCHES.clear()
        found = _MATCHES[key] = (pool, _best_match(pool, modality, own))
    return found[1]


#: (id(pool), modality, own) -> (the pool, its best match): the pool is kept with its answer,
#: so its id() is not reused while the entry lives.
_MATCHES: dict[tuple[int, str, frozenset[str]], tuple[tuple, BankIntervention | None]] = {}


def _best_match(
    pool: Sequence[BankIntervention], modality: str, own: frozenset[str]
) -> BankIntervention | None:
    wanted = _wanted(modality)
    best: tuple[bool, float, int, BankIntervention] | None = None
    for candidate in pool:
        theirs = candidate.modality_words
        if not theirs:
            continue
        common = theirs & wanted
        shared = len(common)
        overlap = shared / len(theirs)
        mine = candidate.problem_id in own
        if overlap >= 0.5 and (best is None or (mine, overlap, shared) > best[:3]):
            if common <= _GENERIC:
                continue
            best = (mine, overlap, shared, candidate)
    return best[3] if best else None
