"""``txplan revise``: apply progress reviews to the latest plan versions, saving new versions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from pipeline.batch.ledger import file_digest
from pipeline.cli.common import CONTEXT, Tally, report, translate_errors
from pipeline.cli.store_option import store_option
from pipeline.errors import InputError
from pipeline.findings import Finding, error, has_errors
from pipeline.model import Plan
from pipeline.rules import load_payer
from pipeline.versions.reviews import ReviewRow, read_review
from pipeline.versions.revise import Merger, apply_review, bank_merger
from pipeline.versions.store import Origin, Store


def _merger(goalbank: str | None, use_bank: bool) -> Merger | None:
    """Merge with the goal bank, loaded only when a review names a new concern."""
    if not use_bank:
        return None
    loaded: list[Merger] = []

    def run(plan: Plan, interval_days: int) -> tuple[Plan, list[Finding]]:
        if not loaded:
            from pipeline.goalbank.bank import DEFAULT_GOALBANK, load_bank

            bank = load_bank(Path(goalbank) if goalbank else DEFAULT_GOALBANK)
            loaded.append(bank_merger(bank))
        return loaded[0](plan, interval_days)

    return run


def _stored_id(store: Store, typed: str) -> str:
    """The stored id a review names (case aside); the id as typed when there is none."""
    try:
        return store.resolve(typed)
    except InputError:
        return typed


def _revise_file(
    path: str,
    store: Store,
    merger: Merger | None,
    interval: Callable[[tuple[str, ...]], int | None],
) -> tuple[list[str], list[Finding]]:
    """Apply one review file; every client's new version is saved together, or none is."""
    rows, findings = read_review(Path(path))
    by_client: dict[str, list[ReviewRow]] = {}
    for row in rows:
        client_id = _stored_id(store, row.client_id)
        by_client.setdefault(client_id, []).append(row)
    pending = []
    for client_id, client_rows in by_client.items():
        latest = store.latest(client_id)
        if latest is None:
            where = client_rows[0].at("client_id")
            msg = f"client {client_id!r} has no plan in the store; build the plan first"
            findings.append(error("REV040", where, msg))
            continue
        revised, found = apply_review(
            latest.plan, client_rows, interval_days=interval(latest.payers), merger=merger
        )
        findings.extend(found)
        if revised is not None:
            reason = f"{revised.revision.reason} ({Path(path).name})"
            rationales = dict.fromkeys(r.rationale for r in client_rows if r.rationale)
            origin = Origin(
                kind="review",
                sources=((path, file_digest(Path(path))),),
                statuses=latest.statuses,
                rationale="; ".join(rationales),
                expected=latest.number,  # saved only if no other version came in between
            )
            pending.append((revised, [path], reason, latest.payers, origin))
    if has_errors(findings):
        return [], findings
    saved = store.save_many(pending)
    lines = []
    for (plan, *_), version in zip(pending, saved, strict=True):
        if version is None:
            lines.append(f"{plan.client.id}: unchanged")
        else:
            count = len(plan.revision.changes) if plan.revision else 0
            lines.append(f"{plan.client.id}: version {version.number} ({count} changes)")
    return lines, findings


@click.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--payer", "payer_id", metavar="ID", help="Use this payer's review interval.")
@click.option("--goalbank", type=click.Path(dir_okay=False), help="Goal bank for new concerns.")
@click.option("--no-bank", is_flag=True, help="Do not add goal-bank goals for new concerns.")
@store_option
@translate_errors
def revise(files, payer_id, goalbank, no_bank, store_path) -> None:
    """Apply progress reviews (CSV/XLSX) to each client's latest plan as a new version.

    Statuses and scores are recorded, met objectives close, open ones get a new target
    date one review interval on, new concerns add goal-bank goals, and every change keeps
    its rationale. A review file with any error changes nothing (exit 1). The interval is
    --payer's, else the shortest of the payers the plan was built for, else the plan's.

    Example: txplan revise reviews/2024-04.csv
    """
    fixed = load_payer(payer_id).review_interval_days if payer_id else None

    def interval(payers: tuple[str, ...]) -> int | None:
        if fixed is not None:
            return fixed
        return min((load_payer(p).review_interval_days for p in payers), default=None)

    merger = _merger(goalbank, not no_bank)
    tally = Tally()
    with Store(store_path) as store:
        for path in files:
            lines, findings = _revise_file(path, store, merger, interval)
            report(findings)
            if has_errors(findings):
                click.echo(f"{path}: not applied (fix the errors above)", err=True)
                tally.rejected += 1
            for line in lines:
                click.echo(line)
            if not lines and not has_errors(findings):
                click.echo(f"{path}: nothing to apply (no line asks for a change)")
    tally.exit()


COMMANDS = [revise]
