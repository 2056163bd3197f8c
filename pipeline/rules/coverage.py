"""Which payers' documents a client is for: the payers their intake's coverage names.

``--payer all`` (and the web app's "each client's own payers") builds, for each client, the
documents of the payers whose ``identity:`` the intake's coverage matches, plus every
payer-neutral profile (no ``identity:``: the clinical plan). The payer name decides when it
is given (as the payer identity rule reads it, TXR017); with no name, the member id's format
does. A client with no coverage recorded, or a payer no profile declares, gets the neutral
documents and a finding that names the field to fill in. ``txplan build``, ``txplan check``
and the web app all choose through :func:`covering`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.findings import Finding, warning
from pipeline.model import Plan
from pipeline.profiles import PayerProfile

#: No coverage on the intake (no payer name, no member id a profile recognises).
NO_COVERAGE = "PAY001"
#: A payer named on the intake that no payer profile here is for.
UNKNOWN_PAYER = "PAY002"


@dataclass(frozen=True)
class Coverage:
    """The chosen payers (positions in the list given) and what the choice has to say."""

    payers: tuple[int, ...]
    findings: tuple[Finding, ...] = ()


def _neutral(payers: Sequence[PayerProfile]) -> list[int]:
    return [i for i, payer in enumerate(payers) if not payer.identity]


def _named(payers: Sequence[PayerProfile], name: str) -> list[int]:
    return [i for i, payer in enumerate(payers) if any(who.named(name) for who in payer.identity)]


def _by_member_id(payers: Sequence[PayerProfile], member_id: str) -> list[int]:
    return [
        i
        for i, payer in enumerate(payers)
        if any(who.member_id.matches(member_id) for who in payer.identity)
    ]


def _documents(payers: Sequence[PayerProfile], chosen: list[int]) -> str:
    neutral = [payers[i].name for i in chosen if not payers[i].identity]
    return " and ".join(neutral) if neutral else "no payer document"


def covering(plan: Plan, payers: Sequence[PayerProfile]) -> Coverage:
    """The payers among ``payers`` whose documents this client's plan is for, in their order:
    those the intake's payer name (else member id) belongs to, and the payer-neutral ones."""
    name = (plan.client.payer_name or "").strip()
    member_id = (plan.client.member_id or "").strip()
    neutral = _neutral(payers)
    client = f"client {plan.client.id}"
    if name:
        members = _named(payers, name)
        if members:
            return Coverage(tuple(sorted({*members, *neutral})))
        shown = f' (member id "{member_id}")' if member_id else ""
        message = (
            f'payer "{name}"{shown} is not a payer of any payer profile here, so only '
            f"{_documents(payers, neutral)} is built for this client; add the payer to a "
            "profile's identity, or correct client.payer_name if it is misspelt"
        )
        return Coverage(tuple(neutral), (warning(UNKNOWN_PAYER, client, message),))
    members = _by_member_id(payers, member_id) if member_id else []
    if members:
        return Coverage(tuple(sorted({*members, *neutral})))
    if member_id:
        what = (
            f'no payer recorded (client.payer_name is empty) and member id "{member_id}" '
            "has no payer profile's format"
        )
    else:
        what = "no coverage recorded (client.payer_name and client.member_id are empty)"
    message = (
        f"{what}, so only {_documents(payers, neutral)} is built for this client; record "
        "the client's insurance (payer and member id) on the intake to build their payer's "
        "documents, or name the payer with --payer"
    )
    return Coverage(tuple(neutral), (warning(NO_COVERAGE, client, message),))
