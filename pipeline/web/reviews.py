"""A filled review sheet, previewed then applied: what it would change, then the new versions.

The preview applies the review to each client's latest version without saving and keeps the
version numbers it started from; confirming applies it again and saves only if none of those
clients got a newer version meanwhile (else it asks to preview again).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.batch.ledger import file_digest
from pipeline.errors import InputError
from pipeline.findings import Finding, error, has_errors
from pipeline.versions.diff import diff_plans
from pipeline.versions.reviews import ReviewRow, read_review
from pipeline.versions.revise import apply_review
from pipeline.versions.store import Origin, Store


@dataclass
class Outcome:
    """What a review file does: per client the changes; the findings; what was saved."""

    clients: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    pending: list[tuple[Any, ...]] = field(default_factory=list)
    bases: dict[str, int] = field(default_factory=dict)  #: client -> latest version number

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)


def _interval(payers: tuple[str, ...]) -> int | None:
    from pipeline.profiles import load_payer

    return min((load_payer(p).review_interval_days for p in payers), default=None)


def _merger() -> Any:
    """Merge new concerns with the bundled goal bank, loaded only when a review names one."""
    loaded: list[Any] = []

    def run(plan: Any, interval_days: int) -> Any:
        if not loaded:
            from pipeline.goalbank.bank import DEFAULT_GOALBANK, load_bank
            from pipeline.versions.revise import bank_merger

            loaded.append(bank_merger(load_bank(DEFAULT_GOALBANK)))
        return loaded[0](plan, interval_days)

    return run


def evaluate(path: Path, name: str, store: Path) -> Outcome:
    """Apply the review in memory: the changes each client's plan would get."""
    rows, findings = read_review(path)
    outcome = Outcome(findings=list(findings))
    by_client: dict[str, list[ReviewRow]] = {}
    for row in rows:
        by_client.setdefault(row.client_id, []).append(row)
    with Store(store) as st:
        for client_id, client_rows in by_client.items():
            latest = st.latest(client_id)
            if latest is None:
                where = client_rows[0].at("client_id")
                msg = f"client {client_id!r} has no plan in the store; build the plan first"
                outcome.findings.append(error("REV040", where, msg))
                continue
            outcome.bases[client_id] = latest.number
            revised, found = apply_review(
                latest.plan, client_rows, interval_days=_interval(latest.payers), merger=_merger()
            )
            outcome.findings.extend(found)
            if revised is None:
                continue
            changes = diff_plans(latest.plan, revised).changes
            outcome.clients.append(
                {
                    "client_id": client_id,
                    "from": latest.number,
                    "changes": [c.to_json() for c in changes],
                }
            )
            reason = f"{revised.revision.reason} ({name})" if revised.revision else name
            rationales = dict.fromkeys(r.rationale for r in client_rows if r.rationale)
            origin = Origin(
                kind="review",
                sources=((name, file_digest(path)),),
                statuses=latest.statuses,
                rationale="; ".join(rationales),
                expected=latest.number,  # the store saves it only if still the latest
            )
            outcome.pending.append((revised, [name], reason, latest.payers, origin))
    return outcome


def confirm(path: Path, name: str, store: Path, bases: dict[str, int]) -> list[dict[str, Any]]:
    """Apply and save; refuse when the review has errors or a plan changed since the preview."""
    outcome = evaluate(path, name, store)
    if not outcome.ok:
        raise InputError("the review has errors; nothing was saved", name)
    if outcome.bases != bases:
        raise InputError("a plan in this review changed since the preview; preview it again", name)
    with Store(store) as st:
        saved = st.save_many(outcome.pending)
    return [
        {"client_id": plan.client.id, "version": None if v is None else v.number}
        for (plan, *_), v in zip(outcome.pending, saved, strict=True)
    ]
