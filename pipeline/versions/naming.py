"""What a version's file names add to the payer's ``output_name``: the review that made it.

The payer's name (``{client_id}_{payer}_{plan_date}``) is the same for every version of a plan:
the plan date does not change at a review, so ``build --from-store`` wrote the reviewed ISP of
CT-1001 over version 1's in the same folder. A version made by a review adds
``_reviewed-<review date>``, one made by an intake update ``_updated-<date>``, and either adds
``_signed-<date>`` once the clinician has signed it on or after that date (the same review
completed by a later file that records the signatures: version 3 of the demo). Version 1 of a
plan, made from intake, keeps the payer's name as it was. Two versions can share a tag only
when a second file for the same review adds progress notes alone (the review completed, not a
new one): the later document replaces the earlier in a folder; the store keeps both.
"""

from __future__ import annotations

from pipeline.model import Plan


def version_tag(plan: Plan) -> str:
    """``""`` for a plan no review or intake update made, else ``_reviewed-2026-04-06`` (or
    ``_updated-...``) with ``_signed-2026-04-08`` once the clinician signed it."""
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
