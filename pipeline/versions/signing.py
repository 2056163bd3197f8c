"""The revised plan's signatures: a review's changes are signed anew, never by earlier dates.

A signature attests to the plan as it was signed. The version a review makes is a new plan
(a recertification, for Medicare), so the signature dates of the version before it do not
carry over: the clinician and the client sign the revision (the redline's signature block)
and the review records the dates (columns Clinician Signed, Client Signed; a second file for
the same review date may add them). Until the clinician's date is recorded the payer
documents are blocked (TXR018) and REV029 says so; a date before the review is an error
(REV008): it cannot sign changes made after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pipeline.findings import Finding, error, warning
from pipeline.model import Plan, RevisionChange, Signatures, Signer
from pipeline.versions.reviews import ReviewRow
from pipeline.versions.revise_checks import place

SIGNED_BEFORE = "REV008"
UNSIGNED = "REV029"
RATIONALE = "the plan changed at this review: signatures dated before it do not sign it"


def revised(
    plan: Plan, rows: Sequence[ReviewRow], review_date: dt.date, same_review: bool
) -> tuple[Signatures, list[RevisionChange], list[Finding]]:
    """The revised plan's signatures, the change recorded for them, and findings.

    ``same_review``: the rows complete the review that made ``plan`` (its dates stand)."""
    findings: list[Finding] = []
    given: dict[str, dt.date | None] = {"clinician": None, "client": None}
    for row in rows:
        for who in given:
            day = getattr(row, f"{who}_signed")
            if day is None:
                continue
            if day < review_date and given[who] != day:  # said once a signer and date
                msg = (
                    f"signed {day}, before the review on {review_date}: a signature cannot "
                    "sign changes made after it; give the date the revised plan was signed"
                )
                findings.append(error(SIGNED_BEFORE, row.at(f"{who}_signed"), msg))  # fmt: skip
            given[who] = day
    base = plan.signatures

    def dated(signer: Signer | None, day: dt.date | None) -> Signer | None:
        if signer is None:
            return None
        kept = signer.signed_date if same_review else None
        return signer.model_copy(update={"signed_date": day or kept})

    signed = base.model_copy(
        update={
            "clinician": dated(base.clinician, given["clinician"]),
            "client": dated(base.client, given["client"]),
            "supervisor": dated(base.supervisor, None),
            "guardian": dated(base.guardian, None),
            "client_unsigned_reason": base.client_unsigned_reason if same_review else None,
        }
    )
    changes = []
    if signed != base:
        said = ", ".join(f"the {who} on {day}" for who, day in given.items() if day)
        change = (
            f"the revised plan signed by {said}"
            if said
            else "the signatures of the plan before this review no longer apply: to be signed"
        )
        changes.append(RevisionChange(target="signatures", change=change, rationale=RATIONALE))
    if signed.clinician.signed_date is None and (signed.clinician.name or "").strip():
        before = base.clinician.signed_date
        was = f" (the clinician's of {before} signed the plan before it)" if before else ""
        msg = (
            f"the revised plan is not signed yet{was}: the clinician and the client sign "
            "the revision (the redline's signature block) and the review records the dates "
            "(columns Clinician Signed, Client Signed); until then every payer document "
            "of it is blocked (TXR018)"
        )
        findings.append(warning(UNSIGNED, place(rows), msg))  # fmt: skip
    return signed, changes, findings
