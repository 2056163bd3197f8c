"""Signature rules: the client's signature (or a documented reason), credentials, co-signers."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from pipeline.clinical.npi import npi_valid
from pipeline.model import Plan, Signer
from pipeline.rules.registry import Context, Params, rule


class ClientSignature(Params):
    reason_allowed: bool = True  #: a documented reason may stand in for the signature


@rule("client_signature", "TXR009", ClientSignature)
def client_signature(plan: Plan, p: ClientSignature, ctx: Context) -> Iterator[tuple[str, str]]:
    """The client signed the plan, or (where allowed) the reason they did not is documented."""
    sig = plan.signatures
    if sig.client.signed_date is not None:
        return
    reason = (sig.client_unsigned_reason or "").strip()
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


#: Credentials that practise under supervision and need a co-signer.
ASSOCIATE = ("LPC-Associate", "LPCA", "LMSW", "LSW", "LMFT-Associate", "AMFT", "LCSW-A", "LAPC")
_ASSOCIATE_WORDS = ("associate", "intern", "resident", "trainee")


def credentials_of(signer: Signer) -> tuple[str, ...]:
    """A signer's credentials one by one ("PhD, LP" -> ("PhD", "LP"))."""
    text = (signer.credentials or "").replace("/", ",").replace(";", ",")
    return tuple(c.strip() for c in text.split(",") if c.strip())


def is_associate(credential: str, associate: tuple[str, ...] = ASSOCIATE) -> bool:
    folded = credential.casefold()
    return folded in {a.casefold() for a in associate} or any(w in folded for w in _ASSOCIATE_WORDS)


def _with_agency(signer: Signer, ctx: Context) -> Signer:
    """Fill a signer's missing credentials, NPI and role from the agency's clinician list."""
    if ctx.agency is None:
        return signer
    known = ctx.agency.clinician(signer.name)
    if known is None:
        return signer
    return signer.model_copy(
        update={
            "credentials": signer.credentials or known.credentials,
            "npi": signer.npi or known.npi,
            "role": signer.role or known.role,
        }
    )


class ClinicianCredentials(Params):
    accepted: tuple[str, ...] | None = None  #: credentials this payer recognizes (None = any)
    associate: tuple[str, ...] = ASSOCIATE  #: credentials that need a co-signer
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
    associate = any(is_associate(c, p.associate) for c in creds)
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
