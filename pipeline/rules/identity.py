"""Payer identity rule: the plan's payer name and member id belong to the payer of the document.

A payer profile declares the payers its document is for (``identity:`` in profile.yaml), each
with the names it goes by and its member-id format (Medicare: the MBI as CMS publishes it).
A Medicare plan of care carrying an Oregon Health Plan id, or a BluePeak form naming another
payer, is an error that names both the id and the payer. The rule runs for every payer whose
profile declares an identity, listed in its rules or not.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.model import Plan
from pipeline.profiles import PayerIdentity
from pipeline.rules.registry import Context, Params, rule


class PayerIdentityParams(Params):
    pass


def _names(identities: tuple[PayerIdentity, ...]) -> str:
    return "; ".join(f"{i.name} ({i.member_id.label}: {i.member_id.describe})" for i in identities)


def _quoted(value: str | None) -> str:
    return f'"{value}"' if value else "not given"


@rule("payer_identity", "TXR017", PayerIdentityParams)
def payer_identity(plan: Plan, p: PayerIdentityParams, ctx: Context) -> Iterator[tuple[str, str]]:
    """The plan's payer name and member id are the document's payer's (its declared format)."""
    identities = ctx.payer.identity
    if not identities:
        return
    name = (plan.client.payer_name or "").strip() or None
    member_id = (plan.client.member_id or "").strip() or None
    document = ctx.payer.name
    if name is not None:
        named = [i for i in identities if i.named(name)]
        if not named:
            yield (
                "client.payer_name",
                (
                    f"payer {_quoted(name)} with member id {_quoted(member_id)} is not a payer "
                    f"of the {document}; it is for {_names(identities)}. Render this plan for "
                    "the client's own payer, or correct the payer and member id"
                ),
            )
            return
    else:
        named = list(identities)
    if member_id is None:
        return  # a missing id is required_fields' finding where the payer needs one
    if any(i.member_id.matches(member_id) for i in named):
        return
    expected = named[0].member_id if len(named) == 1 else None
    label = expected.label if expected else "member id"
    payer = f"payer {_quoted(name)}" if name else "no payer named"
    yield (
        "client.member_id",
        (
            f"{label} {_quoted(member_id)} ({payer}) is not a member id of "
            f"{' or '.join(i.name for i in named)}: expected {_formats(named)}"
        ),
    )


def _formats(identities: list[PayerIdentity]) -> str:
    return "; or ".join(f"{i.member_id.describe} (e.g. {i.member_id.example})" for i in identities)
