"""A review file applied to the store: each client's latest version revised, saved together.

:func:`preview_review_file` applies a CSV/XLSX review (:mod:`pipeline.versions.reviews`) to each
client's latest stored version in memory (:func:`pipeline.versions.revise.apply_review`);
:func:`apply_review_file` saves every client's new version in one transaction, or none.
A plan stored before reviews were kept on the plan gets its earlier reviews from the history.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError
from pipeline.findings import Finding, error, has_errors
from pipeline.model import Plan
from pipeline.versions.record import Origin, Version
from pipeline.versions.reviews import ReviewRow, read_review
from pipeline.versions.revise import Merger, apply_review, bank_merger
from pipeline.versions.store import Store


@dataclass
class ClientRevision:
    """One client's part of a review file: the version it started from and the revised plan."""

    client_id: str
    base: Version  #: the latest stored version the review was applied to
    plan: Plan  #: the revised plan (``base.plan`` itself when the review changed nothing)
    reason: str
    origin: Origin  #: what the new version comes from (the review file, its rationale)
    saved: Version | None = None  #: the new version, once saved (None: unchanged)

    @property
    def changes(self) -> int:
        return len(self.plan.revision.changes) if self.plan.revision else 0


@dataclass
class ReviewFileResult:
    """What a review file does: per client the revision; the findings; whether it was saved."""

    source: str
    clients: list[ClientRevision] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    saved: bool = False

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)


def payer_interval(payer_id: str | None = None) -> Callable[[Sequence[str]], int | None]:
    """The review interval for a plan built for ``payers``: ``payer_id``'s when given, else the
    shortest of those payers' intervals, else None (the plan's own)."""
    from pipeline.rules import load_payer

    fixed = load_payer(payer_id).review_interval_days if payer_id else None

    def interval(payers: Sequence[str]) -> int | None:
        if fixed is not None:
            return fixed
        return min((load_payer(p).review_interval_days for p in payers), default=None)

    return interval


def lazy_bank_merger(goalbank: Path | None = None) -> Merger:
    """A merger with the goal bank (``goalbank``, else the default one), loaded only when a
    review names a new concern."""
    loaded: list[Merger] = []

    def run(plan: Plan, interval_days: int) -> tuple[Plan, list[Finding]]:
        if not loaded:
            from pipeline.goalbank.bank import DEFAULT_GOALBANK, load_bank

            loaded.append(bank_merger(load_bank(Path(goalbank) if goalbank else DEFAULT_GOALBANK)))
        return loaded[0](plan, interval_days)

    return run


def preview_review_file(
    path: Path,
    store: Store,
    *,
    interval: Callable[[Sequence[str]], int | None] | None = None,
    merger: Merger | None = None,
    source: str | None = None,
) -> ReviewFileResult:
    """Apply a review file (CSV/XLSX) to each client's latest stored version, in memory.

    ``source`` names the file in each new version's reason and inputs (default: ``path``);
    ``interval`` gives the review interval from a plan's payers (default :func:`payer_interval`).
    A client without a stored plan is an error (REV040).
    """
    interval = interval or payer_interval()
    source = source or str(path)
    rows, findings = read_review(Path(path))
    result = ReviewFileResult(source=source, findings=list(findings))
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    by_client: dict[str, list[ReviewRow]] = {}
    for row in rows:
        by_client.setdefault(_stored_id(store, row.client_id), []).append(row)
    for client_id, client_rows in by_client.items():
        latest = store.latest(client_id)
        if latest is None:
            msg = f"client {client_id!r} has no plan in the store; build the plan first"
            result.findings.append(error("REV040", client_rows[0].at("client_id"), msg))
            continue
        revised, found = apply_review(
            latest.plan, client_rows, interval_days=interval(latest.payers), merger=merger
        )
        result.findings.extend(found)
        if revised is not None and revised is not latest.plan:
            revised = with_earlier_reviews(revised, latest.plan, store)
        if revised is not None:
            base = revised.revision.reason if revised.revision else "progress review"
            reason = f"{base} ({Path(source).name})"
            rationales = dict.fromkeys(r.rationale for r in client_rows if r.rationale)
            origin = Origin(
                kind="review",
                sources=((source, digest),),
                statuses=latest.statuses,
                rationale="; ".join(rationales),
                expected=latest.number,  # saved only if no other version came in between
            )
            result.clients.append(ClientRevision(client_id, latest, revised, reason, origin))
    return result


def with_earlier_reviews(revised: Plan, base: Plan, store: Store) -> Plan:
    """A revised plan whose base was stored before reviews were kept on the plan gets the
    reviews of its client's earlier review versions (oldest first) before its own."""
    if base.reviews or len(revised.reviews) != 1:
        return revised
    history = store.history(base.client.id)
    earlier = tuple(
        v.plan.revision for v in history if v.kind == "review" and v.plan.revision is not None
    )
    if not earlier:
        return revised
    return revised.model_copy(update={"reviews": (*earlier, *revised.reviews)})


def _stored_id(store: Store, typed: str) -> str:
    """The stored id a review names (case aside); the id as typed when there is none."""
    try:
        return store.resolve(typed)
    except InputError:
        return typed


def apply_review_file(
    path: Path,
    store: Store,
    *,
    interval: Callable[[Sequence[str]], int | None] | None = None,
    merger: Merger | None = None,
    source: str | None = None,
    expected: dict[str, int] | None = None,
) -> ReviewFileResult:
    """Apply a review file and save every client's new version together, or none of them.

    Nothing is saved when the file has an error (the result says why). ``expected`` (client
    id -> version number, from a :func:`preview_review_file` shown to someone) refuses to
    save over a plan that got a newer version since the preview.
    """
    result = preview_review_file(path, store, interval=interval, merger=merger, source=source)
    if not result.ok:
        return result
    if expected is not None and {c.client_id: c.base.number for c in result.clients} != expected:
        raise InputError("a plan in this review changed since the preview; preview it again",
                         result.source)  # fmt: skip
    entries = [(c.plan, [result.source], c.reason, c.base.payers, c.origin) for c in result.clients]
    for client, version in zip(result.clients, store.save_many(entries), strict=True):
        client.saved = version
    result.saved = True
    return result
