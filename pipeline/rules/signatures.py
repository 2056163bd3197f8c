"""Signature rules: the client's (or guardian's) signature, credentials, co-signers, dates.

Who must sign is :func:`pipeline.rules.signers.required_signers`, the same answer every
document's signature block prints.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from pipeline.clinical.npi import npi_valid
from pipeline.model import Plan, Signer
from pipeline.rules.registry import Context, Params, rule
from pipeline.rules.signers import (
    ASSOCIATE,
    credentials_of,
    is_associate,
    represented,
    required_signers,
    with_agency,
)

__all__ = ["ASSOCIATE", "credentials_of", "is_associate"]


class ClientSignature(Params):
    reason_allowed: bool = True  #: a documented reason may stand in for the signature


@rule("client_signature", "TXR009", ClientSignature)
def client_signature(plan: Plan, p: ClientSignature, ctx: Context) -> Iterator[tuple[str, str]]:
    """The client signed the plan, or for a minor or a client with a guardian their guardian
    did (where the payer accepts it), or (where allowed) the reason is documented."""
    sig = plan.signatures
    reason = (sig.client_unsigned_reason or "").strip()
    for_client = represented(plan, ctx.payer, ctx.today)
    if for_client is not None and ctx.payer.guardian_signs:
        yield from _guardian(plan, for_client, reason if p.reason_allowed else "")
        return
    if sig.client.signed_date is not None:
        return
    guardian = sig.guardian
    if for_client is not None and guardian is not None and guardian.signed_date is not None:
        yield (
            "signatures.client.signed_date",
            (
                "missing; this payer needs the client's own signature; "
                f"{guardian.name or 'a guardian'} signed for them (the client is {for_client}), "
                "which this payer does not accept"
            ),
        )
        return
    if p.reason_allowed:
        if not reason:
            yield (
                "signatures.client.signed_date",
                (
                    "missing; get the client's signature or document why they did not sign "
                    "(signatures.client_unsigned_reason)"
                ),
            )
    elif reason:
        yield (
            "signatures.client.signed_date",
            (
                f"missing; this payer needs the client's signature, a reason ({reason!r}) "
                "is not enough"
            ),
        )
    else:
        yield "signatures.client.signed_date", "missing; this payer needs the client's signature"


def _guardian(plan: Plan, for_client: str, reason: str) -> Iterator[tuple[str, str]]:
    guardian = plan.signatures.guardian
    if guardian is None or not (guardian.name or "").strip():
        yield (
            "signatures.guardian",
            (
                f"missing; the client is {for_client}, so their parent, guardian or legal "
                "representative signs: name them and their relationship (e.g. a "
                '"Guardian Name" and "Guardian Relationship" column)'
            ),
        )
        return
    if guardian.signed_date is None and not reason:
        relation = f" ({guardian.relationship})" if guardian.relationship else ""
        yield (
            "signatures.guardian.signed_date",
            (
                f"missing; the client is {for_client}, so {guardian.name}{relation} must sign "
                "and date the plan (or document why not, where this payer allows it)"
            ),
        )


def _with_agency(signer: Signer, ctx: Context) -> Signer:
    """Fill a signer's missing credentials, NPI and role from the agency's clinician list."""
    return with_agency(signer, ctx.agency)


class ClinicianCredentials(Params):
    accepted: tuple[str, ...] | None = None  #: credentials this payer recognizes (None = any)
    associate: tuple[str, ...] = ASSOCIATE  #: credentials that need a co-signer (and words
    #: that mark one: associate, intern, resident, trainee, provisional)
    require_npi: bool = False
    require_signed: bool = False  #: the clinician (and co-signer) dated their signatures
    note: str | None = Field(None, description="Why the payer limits credentials (for messages).")


@rule("clinician_credentials", "TXR010", ClinicianCredentials)
def clinician_credentials(
    plan: Plan, p: ClinicianCredentials, ctx: Context
) -> Iterator[tuple[str, str]]:
    """The clinician is named with credentials the payer accepts; associates have a co-signer."""
    clinician = _with_agency(plan.signatures.clinician, ctx)
    if not (clinician.name or "").strip():
        yield "signatures.clinician.name", "missing; name the clinician responsible for the plan"
        return
    creds = credentials_of(clinician)
    if not creds:
        yield (
            "signatures.clinician.credentials",
            (f"missing for {clinician.name}; give the license (e.g. LCSW, LPC, PsyD)"),
        )
        return
    yield from _npi_and_date("signatures.clinician", clinician, p)
    associate = ctx.payer.cosign_supervised and any(is_associate(c, p.associate) for c in creds)
    needs_cosigner = associate or "supervisor" in ctx.payer.required_signatures
    role = ctx.payer.cosigner_role or "supervisor"
    supervisor = plan.signatures.supervisor
    billing = clinician
    if needs_cosigner:
        why = (
            f"{clinician.name} ({clinician.credentials}) is associate-level"
            if associate
            else "this payer requires a co-signature"
        )
        if supervisor is None or not (supervisor.name or "").strip():
            yield "signatures.supervisor", f"missing; {why}, so a {role} must co-sign"
            return
        supervisor = _with_agency(supervisor, ctx)
        sup_creds = credentials_of(supervisor)
        if not sup_creds:
            yield (
                "signatures.supervisor.credentials",
                (f"missing for {supervisor.name}; the {role} must hold a full license"),
            )
            return
        if all(is_associate(c, p.associate) for c in sup_creds):
            yield (
                "signatures.supervisor.credentials",
                (
                    f"{supervisor.credentials} is associate-level; "
                    f"the {role} must hold a full license"
                ),
            )
            return
        yield from _npi_and_date("signatures.supervisor", supervisor, p)
        if associate:
            billing = supervisor
    if p.accepted is not None:
        accepted = {a.casefold() for a in p.accepted}
        if not any(c.casefold() in accepted for c in credentials_of(billing)):
            path = "signatures.clinician" if billing is clinician else "signatures.supervisor"
            note = f" ({p.note})" if p.note else ""
            yield (
                f"{path}.credentials",
                (
                    f"{billing.credentials} is not a credential this payer recognizes{note}; "
                    f"accepted: {', '.join(p.accepted)}"
                ),
            )


def _npi_and_date(path: str, signer: Signer, p: ClinicianCredentials) -> Iterator[tuple[str, str]]:
    if p.require_npi:
        if not signer.npi:
            yield f"{path}.npi", f"missing for {signer.name}; this payer needs the provider's NPI"
        elif not npi_valid(signer.npi):
            yield f"{path}.npi", f"{signer.npi} is not a valid NPI (10 digits, check digit)"
    if p.require_signed and signer.signed_date is None:
        yield f"{path}.signed_date", f"missing; {signer.name} has not signed the plan"


class SignaturesDated(Params):
    pass


@rule("signatures_dated", "TXR018", SignaturesDated)
def signatures_dated(plan: Plan, p: SignaturesDated, ctx: Context) -> Iterator[tuple[str, str]]:
    """The clinician and any required co-signer have signed and dated the plan."""
    for required in required_signers(plan, ctx.payer, ctx.agency, ctx.today):
        if required.key not in ("clinician", "supervisor"):
            continue  # the client's or guardian's signature is client_signature's (TXR009)
        signer = required.signer
        if not (signer.name or "").strip():
            continue  # an unnamed clinician or co-signer is clinician_credentials' (TXR010)
        if signer.signed_date is None:
            who = ", ".join(x for x in (signer.name, signer.credentials) if x)
            role = "treating clinician" if required.key == "clinician" else "co-signer"
            why = f" ({required.why})" if required.key == "supervisor" else ""
            yield (
                f"signatures.{required.key}.signed_date",
                f"missing; {who}, the {role}, has not signed and dated the plan{why}",
            )
