"""Who must sign a plan for a payer: the clinician, a co-signer, the client or their guardian.

:func:`required_signers` is the one answer the rules (TXR009, TXR018) and every document's
signature block share: the clinician the profile lists; a co-signer when the profile asks for
one or the clinician's credential practises under supervision (associate, intern,
provisional licences); the client, or for a minor or a client with a guardian or legal
representative that person, where the payer accepts their signature.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.model import Plan, Signer
from pipeline.profiles import AgencyProfile, PayerProfile

#: Credentials that practise under supervision and need a co-signer.
ASSOCIATE = (
    "LPC-Associate", "LPCA", "LPC-A", "LMSW", "LSW", "LMFT-Associate", "AMFT", "LCSW-A",
    "LAPC", "LPCC-Intern", "LMHC-Associate", "LMHCA", "MHC-LP", "LSWA", "CSWA", "LGSW",
)  # fmt: skip
#: Words that mark a credential held under supervision ("Provisional LPC", "LPCC-intern").
_SUPERVISED_WORDS = ("associate", "intern", "resident", "trainee", "provisional", "pre-licensed")


#: A signer not named: parts are immutable, so one serves every plan without that signer.
NOBODY = Signer()


def credentials_of(signer: Signer) -> tuple[str, ...]:
    """A signer's credentials one by one ("PhD, LP" -> ("PhD", "LP"))."""
    return _credentials(signer.credentials or "")


@lru_cache(maxsize=1024)  # a pure function of the text; a batch has few clinicians
def _credentials(text: str) -> tuple[str, ...]:
    text = text.replace("/", ",").replace(";", ",")
    return tuple(c.strip() for c in text.split(",") if c.strip())


@lru_cache(maxsize=1024)  # a pure function of a credential and a payer's list
def is_associate(credential: str, associate: tuple[str, ...] = ASSOCIATE) -> bool:
    """Whether a credential practises under supervision (and so needs a co-signer)."""
    folded = credential.casefold()
    return folded in {a.casefold() for a in associate} or any(
        w in folded for w in _SUPERVISED_WORDS
    )


def needs_supervision(signer: Signer, associate: tuple[str, ...] = ASSOCIATE) -> bool:
    return any(is_associate(c, associate) for c in credentials_of(signer))


def with_agency(signer: Signer, agency: AgencyProfile | None) -> Signer:
    """A signer's missing credentials, NPI and role filled from the agency's clinician list."""
    if agency is None or not signer.name:
        return signer
    done = _FILLED.get(id(signer))
    if done is not None and done[0] is signer and done[1] is agency:
        return done[2]  # the same signer of the same plan, asked by another rule or payer
    known = _clinician(agency, signer.name)
    if known is None:
        return signer
    filled = signer.model_copy(
        update={
            "credentials": signer.credentials or known.credentials,
            "npi": signer.npi or known.npi,
            "role": signer.role or known.role,
        }
    )
    if len(_FILLED) >= 16:  # a plan's few signers; a plan's own, freed soon after it
        _FILLED.clear()
    _FILLED[id(signer)] = (signer, agency, filled)
    return filled


#: id(signer) -> (the signer, the agency profile, the signer filled from it): both are
#: immutable and kept with the answer, so their id() is not reused while the entry lives.
_FILLED: dict[int, tuple[Signer, AgencyProfile, Signer]] = {}


#: id(agency profile) -> (the profile, name -> its clinician): the profile is immutable and
#: kept with its answers, so its id() cannot be reused while the entry lives.
_KNOWN: dict[int, tuple[AgencyProfile, dict[str, Any]]] = {}


def _clinician(agency: AgencyProfile, name: str) -> Any:
    """``agency.clinician(name)``, looked up once a name."""
    entry = _KNOWN.get(id(agency))
    if entry is None or entry[0] is not agency:
        if len(_KNOWN) >= 16:
            _KNOWN.clear()
        entry = _KNOWN[id(agency)] = (agency, {})
    found = entry[1]
    if name not in found:
        if len(found) >= 4096:
            found.clear()
        found[name] = agency.clinician(name)
    return found[name]


def age_on(plan: Plan, today: dt.date | None = None) -> int | None:
    """The client's age in whole years at the plan date (or intake date, or ``today``)."""
    born = plan.client.date_of_birth
    on = plan.plan_date or plan.intake_date or today
    if born is None or on is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def has_guardian(plan: Plan) -> bool:
    """The plan names a guardian or legal representative for the client."""
    guardian = plan.signatures.guardian
    return guardian is not None and bool((guardian.name or "").strip())


def represented(plan: Plan, payer: PayerProfile, today: dt.date | None = None) -> str | None:
    """Why someone signs for the client ("a minor, 16 at the plan date", "has a legal
    guardian"), or None when the client signs for themselves."""
    age = age_on(plan, today)
    if age is not None and age < payer.age_of_majority:
        return f"a minor ({age} at the plan date)"
    if has_guardian(plan):
        relation = ((plan.signatures.guardian or NOBODY).relationship or "").strip()
        return (
            f"represented by their {relation.casefold()}"
            if relation
            else "represented by a guardian"
        )
    return None


@dataclass(frozen=True)
class Required:
    """One signer a document must carry a line for."""

    key: str  #: "clinician", "supervisor", "client", "guardian"
    title: str  #: the role printed on the line, e.g. "Clinical supervisor (co-signer)"
    signer: Signer  #: the plan's signer (agency details filled in); empty when not named
    why: str  #: why this payer needs this signature


def guardian_title(plan: Plan) -> str:
    relation = ((plan.signatures.guardian or NOBODY).relationship or "").strip()
    if relation:
        return f"Parent or guardian ({relation})"
    return "Parent, guardian or legal representative"


def required_signers(
    plan: Plan,
    payer: PayerProfile,
    agency: AgencyProfile | None = None,
    today: dt.date | None = None,
) -> tuple[Required, ...]:
    """Every signer this payer requires on this plan, in the order a signature block lists
    them: clinician, co-signer, client, guardian. Worked out once a plan, payer, agency and
    day (the payer's rules ask, then each document's signature block): all are immutable and
    kept with the answer; ``today`` counts only for a plan without a plan or intake date."""
    if plan.plan_date is not None or plan.intake_date is not None:
        today = None  # the age is taken on the plan's own date
    key = (id(plan), id(payer), id(agency), today)
    found = _REQUIRED.get(key)
    if found is not None and found[0] is plan and found[1] is payer and found[2] is agency:
        return found[3]
    required = _required_signers(plan, payer, agency, today)
    # A plan is asked about by its payers' rules and documents, then never again: the
    # answers of the plan before are dropped as soon as another plan is asked about, so a
    # plan is freed while it is still in the cache, not 16 plans at once long after.
    if _REQUIRED and (len(_REQUIRED) >= 16 or next(iter(_REQUIRED.values()))[0] is not plan):
        _REQUIRED.clear()
    _REQUIRED[key] = (plan, payer, agency, required)
    return required


#: (id(plan), id(payer), id(agency), day) -> (the plan, payer, agency, their signers).
_REQUIRED: dict[
    tuple[int, int, int, dt.date | None], tuple[Any, Any, Any, tuple[Required, ...]]
] = {}


def _required_signers(
    plan: Plan, payer: PayerProfile, agency: AgencyProfile | None, today: dt.date | None
) -> tuple[Required, ...]:
    found: list[Required] = []
    sig = plan.signatures
    clinician = with_agency(sig.clinician, agency)
    wanted = set(payer.required_signatures)
    if "clinician" in wanted:
        found.append(Required("clinician", "Treating clinician", clinician, "the profile lists it"))
    supervised = payer.cosign_supervised and needs_supervision(clinician)
    if "supervisor" in wanted or supervised:
        role = payer.cosigner_role or "supervisor"
        why = (
            f"{clinician.name} ({clinician.credentials}) practises under supervision"
            if supervised
            else "this payer requires a co-signature"
        )
        cosigner = with_agency(sig.supervisor or NOBODY, agency)
        title = f"{role[:1].upper()}{role[1:]} (co-signer)"
        found.append(Required("supervisor", title, cosigner, why))
    reason = represented(plan, payer, today)
    if "client" in wanted or "guardian" in wanted:
        if reason is not None and payer.guardian_signs:
            found.append(
                Required(
                    "guardian",
                    guardian_title(plan),
                    sig.guardian or NOBODY,
                    f"the client is {reason}",
                )  # fmt: skip
            )
        elif "client" in wanted:
            found.append(Required("client", "Client", sig.client, "the profile lists it"))
    return tuple(found)


#: Who signs a document whose audience has no profile (the client copy): as the clinical plan.
_DEFAULT_SIGNERS = ("clinician", "client")


def signature_lines(
    plan: Plan, payer: object, agency: AgencyProfile | None = None
) -> tuple[Required, ...]:
    """The signers a document prints a line for: every required signer, then anyone else
    who signed although this payer does not require it (a co-signer, a minor's assent, the
    client on a Medicare plan of care). A signature the payer does not require is printed
    only once given: an empty line or a "not signed" reason for it would read as an
    obligation the document does not have. The client copy (no payer profile) keeps the
    client's own line while a guardian signs for them ("Your mother signed for you")."""
    client_copy = not isinstance(payer, PayerProfile)
    if client_copy:  # the client copy: the clinical plan's signers
        payer = _AUDIENCE
    required = list(required_signers(plan, payer, agency))  # type: ignore[arg-type]
    keys = {r.key for r in required}
    sig = plan.signatures
    if "supervisor" not in keys and sig.supervisor is not None and sig.supervisor.signed_date:
        role = getattr(payer, "cosigner_role", None) or "supervisor"
        title = f"{role[:1].upper()}{role[1:]} (co-signer)"
        required.append(Required("supervisor", title, with_agency(sig.supervisor, agency), ""))
    if "client" not in keys and (
        sig.client.signed_date or (client_copy and sig.client_unsigned_reason)
    ):
        title = "Client (assent)" if "guardian" in keys else "Client"
        required.append(Required("client", title, sig.client, ""))
    if "guardian" not in keys and sig.guardian is not None and sig.guardian.signed_date:
        required.append(Required("guardian", guardian_title(plan), sig.guardian, ""))
    order = {"clinician": 0, "supervisor": 1, "client": 2, "guardian": 3}
    return tuple(sorted(required, key=lambda r: order[r.key]))


class _Audience:
    """The signature policy of a document without a payer profile (the client copy)."""

    required_signatures = _DEFAULT_SIGNERS
    cosigner_role = "clinical supervisor"
    cosign_supervised = True
    guardian_signs = True
    age_of_majority = 18


#: The client copy's signature policy (one: it never changes).
_AUDIENCE = _Audience()
