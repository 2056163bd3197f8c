"""What a build does with intake for a client who already has versions: never revert a review.

:func:`decide` looks at one intake plan and the client's history and answers with a
:class:`Decision`:

- **build** — no history; or the latest version was built from this same intake (a rebuild,
  which adds a version only if the merged plan changed, e.g. a new goal bank); or no review yet
  and the intake is new (a newer export replaces an unreviewed draft); or ``--supersede``.
- **skip** — intake the client's history has already seen (same content hash) while a later
  version exists, or intake no newer than the latest review: no version; the latest version is
  rendered instead, with a VER001 warning naming it and ``--supersede``.
- **update** — new intake for a client with a reviewed plan: :func:`apply_intake` puts the new
  client details, administrations, risk and diagnoses on top of the latest version, never
  touching reviewed goals, objectives and statuses (VER002 says what was done).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from pipeline.clinical.schedule import due_by
from pipeline.findings import Finding, warning
from pipeline.model import Diagnosis, Plan, Revision, RevisionChange
from pipeline.versions.naming import with_own_name
from pipeline.versions.record import Origin, Version, content_hash
from pipeline.versions.reviews import ReviewRow
from pipeline.versions.revise import Merger, add_concerns

REVIEWED = ("review", "update", "manual")


@dataclass(frozen=True)
class Decision:
    """What to render and save for one intake plan."""

    action: str  #: build | skip | update
    plan: Plan  #: the plan to render (the intake, the latest version, or the update)
    merge: bool  #: merge with the goal bank first (only intake that is built as is)
    origin: Origin
    reason: str
    notice: Finding | None = None
    findings: tuple[Finding, ...] = ()  #: what applying the update found (goal bank warnings)


def newest_date(plan: Plan) -> dt.date | None:
    """The newest date an intake plan carries (plan, intake, administrations, signatures)."""
    s = plan.signatures
    dates = [plan.plan_date, plan.intake_date, s.clinician.signed_date, s.client.signed_date]
    dates += [m.date for m in plan.measures]
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def decide(
    plan: Plan,
    latest: Version | None,
    seen: bool,
    *,
    source: str,
    supersede: str | None = None,
    intake_hash: str | None = None,
    merger: Merger | None = None,
) -> Decision:
    """The decision for ``plan`` (intake read from ``source``) given the client's latest
    version and whether its history has seen this intake's content hash."""
    digest = intake_hash or content_hash(plan)
    build = Origin(kind="intake", intake_hash=digest)
    if supersede:
        origin = replace(build, kind="supersede", rationale=supersede)
        return Decision("build", plan, True, origin, f"supersede: {supersede}")
    if latest is None:
        return Decision("build", plan, True, build, "build")
    if latest.kind in ("intake", "supersede") and latest.intake_hash == digest:
        return Decision("build", plan, True, build, "build")
    reviewed = latest.kind in REVIEWED
    review_date = latest.plan.review.last_review_date if reviewed else None
    newest = newest_date(plan)
    if seen or (reviewed and (newest is None or (review_date and newest <= review_date))):
        why = (
            "this intake was already recorded"
            if seen
            else (f"it is dated {newest or 'nowhere'}, not after the review of {review_date}")
        )
        msg = (
            f"intake from {source} adds no version ({why}): version {latest.number} "
            f"({latest.reason}) stays the latest and is what was rendered; to replace it on "
            'purpose, build again with --supersede "RATIONALE"'
        )
        notice = warning("VER001", f"client {plan.client.id}", msg)
        return Decision("skip", latest.plan, False, Origin(kind=latest.kind), latest.reason,
                        notice)  # fmt: skip
    if not reviewed:
        return Decision("build", plan, True, build, "build")
    updated, changes, found = apply_intake(latest.plan, plan, source, merger)
    origin = replace(build, kind="update", rationale=f"intake update from {source}")
    listed = "; ".join(c.change for c in changes) or "nothing new"
    msg = (f"new intake from {source} applied on top of version {latest.number} ({listed}); "
           "reviewed goals, objectives and statuses kept")  # fmt: skip
    notice = warning("VER002", f"client {plan.client.id}", msg)
    return Decision("update", updated, False, origin, f"intake update from {source}", notice,
                    tuple(found))  # fmt: skip


def apply_intake(
    base: Plan, intake: Plan, source: str, merger: Merger | None = None
) -> tuple[Plan, list[RevisionChange], list[Finding]]:
    """``base`` with what is new in ``intake``: client details, administrations, risk and
    diagnoses (each new one with the goal bank's goal for it, as a review's new concern, or
    a warning). Reviewed goals, objectives, statuses, services and signatures are kept."""
    rationale = f"intake update from {source}"
    changes: list[RevisionChange] = []
    update: dict[str, Any] = {}

    def record(target: str, change: str) -> None:
        changes.append(RevisionChange(target=target, change=change, rationale=rationale))

    if intake.client.model_dump(exclude={"id"}) != base.client.model_dump(exclude={"id"}):
        update["client"] = intake.client.model_copy(update={"id": base.client.id})
        record("client", "client details updated")
    seen = {(m.instrument, m.date, m.total) for m in base.measures}
    added = [m for m in intake.measures if (m.instrument, m.date, m.total) not in seen]
    if added:
        update["measures"] = base.measures + tuple(added)
        for m in added:
            record(f"measure:{m.instrument}", f"{m.instrument} {m.total} on {m.date} added")
    if intake.risk != base.risk and intake.risk.model_dump() != type(intake.risk)().model_dump():
        update["risk"] = intake.risk
        record("risk", "risk assessment updated")
    codes = {d.code for d in base.diagnoses}
    new_dx = [d for d in intake.diagnoses if d.code not in codes]  # added by _propose_goals
    plan = base.model_copy(update=update)
    when = newest_date(intake) or base.review.last_review_date or dt.date.today()
    findings: list[Finding] = []
    if new_dx:
        plan, findings = _propose_goals(plan, new_dx, when, source, merger, changes)
    if not changes:
        return base, [], findings
    revision = Revision(date=when, reason=rationale, changes=tuple(changes))
    return with_own_name(base, plan.model_copy(update={"revision": revision})), changes, findings


def _propose_goals(plan: Plan, new_dx: list[Diagnosis], when: dt.date, source: str,
                   merger: Merger | None, changes: list[RevisionChange],
                   ) -> tuple[Plan, list[Finding]]:  # fmt: skip
    """Add each new diagnosis, with the goal bank's goal for it (as a review's new concern
    does), or a warning to plan one by hand."""
    rationale = f"intake update from {source}"
    rows = [
        ReviewRow(where=f"{source}, client {plan.client.id}", client_id=plan.client.id,
                  date=when, concern_code=d.code, concern=d.description, rationale=rationale)
        for d in new_dx
    ]  # fmt: skip

    def record(target: str, change: str, row: ReviewRow) -> None:
        changes.append(RevisionChange(target=target, change=change, rationale=rationale))

    interval = plan.review.interval_days
    target = due_by(when + dt.timedelta(days=interval))  # the period's last day
    return add_concerns(plan, rows, interval, target, merger, record)
