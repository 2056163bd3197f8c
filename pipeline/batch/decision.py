"""The one decision on a plan: merged with the goal bank, then checked, ok or blocked per payer.

``txplan build`` (in each worker, :mod:`pipeline.batch.job`) and ``txplan check`` both call
:func:`prepare` and :func:`decide`, so a plan that ``check`` blocks is the plan ``build``
blocks, for the same findings. The client copy's own decision is :func:`decide_client_copy`.
Which payers a plan is decided for is :func:`choose_payers` (``all``: each client's own payers
and the clinical plan, :func:`pipeline.rules.coverage.covering`), the same for both verbs and
the web app. The client copy is made only for a plan in force (a payer document of it ok).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.findings import Finding, has_errors
from pipeline.model import Plan

#: The payer choice meaning "each client's own payers, and the payer-neutral plans".
ALL = "all"


@dataclass(frozen=True)
class PayerChoice:
    """The payers asked for: every one for every plan, or (``all``) each plan's own."""

    payers: tuple[Any, ...]  #: loaded PayerProfiles, in the order given (or of their folders)
    by_coverage: bool = False  #: each plan gets only the payers its coverage names

    def for_plan(self, plan: Plan) -> tuple[tuple[int, ...], tuple[Finding, ...]]:
        """Positions in ``payers`` to decide this plan for, and what the choice says."""
        if not self.by_coverage:
            return tuple(range(len(self.payers))), ()
        from pipeline.rules.coverage import covering

        coverage = covering(plan, self.payers)
        return coverage.payers, coverage.findings


def choose_payers(ids: Sequence[str]) -> PayerChoice:
    """The payers named by ``ids`` (profile folder names), loaded and checked; ``["all"]``
    means every profile, each plan decided only for its own payers (its intake's payer name
    or member id) and the payer-neutral plan. ConfigError for an unknown or broken profile."""
    from pipeline.profiles import list_payers
    from pipeline.rules import load_payer

    ids = list(dict.fromkeys(ids))
    by_coverage = ids == [ALL]
    if by_coverage:
        ids = list_payers()
    return PayerChoice(tuple(load_payer(payer_id) for payer_id in ids), by_coverage)


@dataclass(frozen=True)
class Decision:
    """One plan's decision for one payer: its findings, ok or blocked."""

    client_id: str
    payer: str
    findings: tuple[Finding, ...]

    @property
    def blocked(self) -> bool:
        return has_errors(self.findings)

    @property
    def status(self) -> str:
        return "blocked" if self.blocked else "ok"


def prepare(plan: Plan, bank: Any) -> tuple[Plan, tuple[Finding, ...]]:
    """The plan as it is checked and rendered: merged with ``bank`` (a loaded
    :class:`~pipeline.goalbank.bank.GoalBank`), or as given when ``bank`` is None, its
    provenance naming the ICD-10-CM release its codes are checked against now."""
    plan = stamp_release(plan)
    if bank is None:
        return plan, ()
    from pipeline.merge.core import merge

    merged, findings = merge(plan, bank)
    return merged, tuple(findings)


def stamp_release(plan: Plan) -> Plan:
    """The plan with ``provenance.icd10cm`` set to the release in use (the rules check the
    plan's codes against it, whatever release the plan was read under)."""
    from pipeline.clinical.icd10 import release

    current = release()
    if plan.provenance.icd10cm == current:
        return plan
    provenance = plan.provenance.model_copy(update={"icd10cm": current})
    return plan.model_copy(update={"provenance": provenance})


def decide(plan: Plan, payer: Any, agency: Any = None, *, merge_findings: Sequence[Finding] = (),
           today: dt.date | None = None, notes: Sequence[Finding] = ()) -> Decision:  # fmt: skip
    """The decision for one payer on a plan already :func:`prepare`-d: the notes, the merge's
    findings and the payer's rules; any error blocks it."""
    from pipeline.rules import check

    findings = (*notes, *merge_findings, *check(plan, payer, today=today, agency=agency))
    return Decision(plan.client.id, payer.id, findings)


def decide_all(plan: Plan, payers: Sequence[Any] | PayerChoice, agency: Any = None, *,
               bank: Any = None, today: dt.date | None = None,
               ) -> tuple[Plan, list[Decision]]:  # fmt: skip
    """Merge once (when ``bank`` is given), then decide for every payer (a
    :class:`PayerChoice`: for the payers it chooses for this plan, with its findings)."""
    choice = payers if isinstance(payers, PayerChoice) else PayerChoice(tuple(payers))
    chosen, notes = choice.for_plan(plan)
    merged, found = prepare(plan, bank)
    return merged, [
        decide(merged, choice.payers[i], agency, merge_findings=found, today=today, notes=notes)
        for i in chosen
    ]


#: The client copy of a plan no payer document accepts (the plan is not in force).
NOT_IN_FORCE = "TXR031"


def decide_client_copy(plan: Plan, notes: Sequence[Finding] = (),
                       payers: Sequence[Decision] = ()) -> Decision:  # fmt: skip
    """Whether the client copy may be made: not while an at-risk client's safety plan is
    incomplete (TXR030, never even as a draft), and not while no payer document of the plan
    is ok (TXR031: the copy hands the client a plan in force). ``payers``: this build's
    decisions for the plan, one per payer."""
    from pipeline.rules.safety import client_copy_findings

    findings = (*notes, *client_copy_findings(plan), *not_in_force(plan, payers))
    return Decision(plan.client.id, "client-copy", findings)


def may_be_draft(copy: Decision) -> bool:
    """Whether a blocked client copy may be made as a DRAFT (``--draft``): a plan not in
    force may; a copy withheld for an incomplete safety plan (TXR030) never is."""
    from pipeline.rules.safety import CLIENT_COPY_WITHHELD

    return not any(f.code == CLIENT_COPY_WITHHELD for f in copy.findings)


def not_in_force(plan: Plan, payers: Sequence[Decision]) -> list[Finding]:
    """TXR031 when no payer document of the plan is ok, naming what blocks them."""
    from pipeline.findings import error

    if any(not d.blocked for d in payers):
        return []
    codes = sorted({f.code for d in payers for f in d.findings if f.severity == "error"})
    blocked = ", ".join(d.payer for d in payers) or "no payer was built"
    why = f" by {', '.join(codes)}" if codes else ""
    unsigned = (
        " (TXR018: the treating clinician, and a required co-signer, sign and date the plan)"
        if "TXR018" in codes
        else ""
    )
    message = (
        f"no client copy for a plan not in force: every payer document of this plan is blocked"
        f"{why} ({blocked}); fix what blocks them{unsigned} and build again. With --draft the "
        "copy is made marked DRAFT, for the clinician, never to hand to the client"
    )
    return [error(NOT_IN_FORCE, f"client {plan.client.id}", message)]
