"""The one decision on a plan: merged with the goal bank, then checked, ok or blocked per payer.

``txplan build`` (in each worker, :mod:`pipeline.batch.job`) and ``txplan check`` both call
:func:`prepare` and :func:`decide`, so a plan that ``check`` blocks is the plan ``build``
blocks, for the same findings. The client copy's own decision is :func:`decide_client_copy`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.findings import Finding, has_errors
from pipeline.model import Plan


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


def decide_all(plan: Plan, payers: Sequence[Any], agency: Any = None, *, bank: Any = None,
               today: dt.date | None = None) -> tuple[Plan, list[Decision]]:  # fmt: skip
    """Merge once (when ``bank`` is given), then decide for every payer."""
    merged, found = prepare(plan, bank)
    return merged, [decide(merged, p, agency, merge_findings=found, today=today) for p in payers]


def decide_client_copy(plan: Plan, notes: Sequence[Finding] = ()) -> Decision:
    """Whether the client copy may be made (TXR030: not while an at-risk client's safety
    plan is incomplete)."""
    from pipeline.rules.safety import client_copy_findings

    return Decision(plan.client.id, "client-copy", (*notes, *client_copy_findings(plan)))
