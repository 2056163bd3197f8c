"""What a version's file names add to the payer's ``output_name``: the review that made it.

The payer's name (``{client_id}_{payer}_{plan_date}``) is the same for every version of a plan:
the plan date does not change at a review, so ``build --from-store`` wrote the reviewed ISP of
CT-1001 over version 1's in the same folder. A version made by a review adds
``_reviewed-<review date>``, one made by an intake update ``_updated-<date>``, and either adds
``_signed-<date>`` once the clinician has signed it on or after that date (the same review
completed by a later file that records the signatures: version 3 of the demo). Version 1 of a
plan, made from intake, keeps the payer's name as it was. A later file of the same review that
records no new signature (progress notes alone, a status it left out) would take the tag of the
version before, and its documents would replace that version's in a folder: ``txplan revise``
numbers it (``Revision.part``, :func:`with_own_name`) and the tag adds ``_part-2``, ``_part-3``.
"""

from __future__ import annotations

from pipeline.model import Plan


def version_tag(plan: Plan) -> str:
    """``""`` for a plan no review or intake update made, else ``_reviewed-2026-04-06`` (or
    ``_updated-...``) with ``_signed-2026-04-08`` once the clinician signed it, and
    ``_part-2`` for a later file of the same review (:func:`with_own_name`)."""
    tag = _tag(plan)
    part = plan.revision.part if plan.revision is not None else None
    return f"{tag}_part-{part}" if part else tag


def with_own_name(previous: Plan, plan: Plan) -> Plan:
    """``plan`` (made from ``previous`` by a review) numbered as a later part of the same
    review when its tag would otherwise be ``previous``'s, so its documents never replace
    ``previous``'s in a folder; else ``plan`` itself."""
    revision = plan.revision
    if revision is None or previous.revision is None or _tag(plan) != _tag(previous):
        return plan
    numbered = revision.model_copy(update={"part": (previous.revision.part or 1) + 1})
    reviews = plan.reviews
    if reviews and reviews[-1] == revision:
        reviews = (*reviews[:-1], numbered)
    return plan.model_copy(update={"revision": numbered, "reviews": reviews})


def _tag(plan: Plan) -> str:
    """The tag without the part: what the review and the signature make of it."""
    revision = plan.revision
    if revision is None:
        return ""
    when = revision.date
    if plan.reviews:  # the review that made it is the last one the plan records
        reviewed = plan.reviews[-1] == revision
    else:  # a plan revised before reviews were kept on it
        reviewed = when is not None and plan.review.last_review_date == when
    tag = "_reviewed" if reviewed else "_updated"
    if when is None:
        return tag
    tag += f"-{when.isoformat()}"
    signed = plan.signatures.clinician.signed_date
    if signed is not None and signed >= when:
        tag += f"_signed-{signed.isoformat()}"
    return tag
