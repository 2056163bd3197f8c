"""The revised plan's signatures: a review's changes are signed anew, never by earlier dates.

A signature attests to the plan as it was signed. The version a review makes is a new plan
(a recertification, for Medicare), so the signature dates of the version before it do not
carry over: the clinician and the client sign the revision (the redline's signature block)
and the review records the dates (columns Clinician Signed, Client Signed; a second file for
the same review date may add them). Until the clinician's date is recorded the payer
documents are blocked (TXR018) and REV029 says so; a date before the review is an error
(REV008): it cannot sign changes made after it.

The plan is reviewed by its treating clinician with the client, and the treating clinician
signs the revision: CMS requires the plan of care (and its recertification) signed by the
clinician who establishes and furnishes it (Medicare Benefit Policy Manual ch. 15 §220.1.2);
a Medicaid ISP is signed by the clinician responsible for it. A review recorded by someone else
(a covering clinician, a supervisor, an intern) does not change who signs: REV034 names both,
and says the Clinician Signed date is the treating clinician's; when care has moved to the
reviewer, the plan's clinician is changed first (an intake update), then reviewed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pipeline.findings import Finding, error, warning
from pipeline.model import Plan, RevisionChange, Signatures, Signer
from pipeline.readers.mapping.values import split_credentials
from pipeline.versions.reviews import ReviewRow
from pipeline.versions.revise_checks import place

SIGNED_BEFORE = "REV008"
UNSIGNED = "REV029"
NOT_TREATING = "REV034"
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


def _person(name: str) -> str:
    return " ".join("".join(c for c in name.lower() if c.isalnum() or c.isspace()).split())


def other_reviewer(plan: Plan, reviewer: str | None) -> bool:
    """Whether ``reviewer`` ("Dana Whitfield, LCSW") is not the plan's treating clinician
    (False when either is unnamed: there is no one to compare)."""
    treating = (plan.signatures.clinician.name or "").strip()
    if not treating or not (reviewer or "").strip():
        return False
    name, _ = split_credentials(reviewer)
    return _person(name) != _person(treating)


def reviewer_check(plan: Plan, rows: Sequence[ReviewRow]) -> list[Finding]:
    """REV034 for each reviewer the review names who is not the plan's treating clinician
    (nothing when the plan names no clinician: there is no one to compare with)."""
    treating = plan.signatures.clinician
    if not (treating.name or "").strip():
        return []
    who = ", ".join(p for p in (treating.name, treating.credentials) if p)
    findings: list[Finding] = []
    seen: set[str] = set()
    for row in rows:
        if not row.reviewer or row.reviewer in seen:
            continue
        seen.add(row.reviewer)
        if not other_reviewer(plan, row.reviewer):
            continue
        msg = (
            f"the review is recorded by {row.reviewer}, not by the plan's treating clinician, "
            f"{who}: the treating clinician reviews the plan with the client and signs the "
            f"revision, so the Clinician Signed date is {treating.name}'s signature, not the "
            "reviewer's; if care has moved to the reviewer, change the plan's clinician first "
            "(an intake update), then record the review"
        )
        findings.append(warning(NOT_TREATING, row.at("reviewer"), msg))
    return findings
