"""``txplan check``: the build's decision (merge, then each payer's rules) printed per plan."""

from __future__ import annotations

import json

import click

from pipeline.batch.decision import decide_all
from pipeline.cli.common import CONTEXT, Tally, iter_plans
from pipeline.cli.options import payer_choice
from pipeline.findings import Severity
from pipeline.profiles import AgencyProfile, load_agency


def _count(findings: list, severity: Severity) -> int:
    return sum(1 for f in findings if f.severity is severity)


@click.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option(
    "--payer",
    "payer_list",
    required=True,
    metavar="ID[,ID...]|all",
    help="Payer profile(s) to check every plan against (templates/payers/<id>/), or all: "
    "each client's own payers (by the intake's payer name, else member id) and the clinical "
    "plan, as build does.",
)
@click.option(
    "--agency",
    "agency_id",
    metavar="ID",
    help="Agency whose clinician list supplies credentials the plan leaves out.",
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date standing in for a plan without plan_date (YYYY-MM-DD); never the clock.",
)
@click.option(
    "--goalbank",
    type=click.Path(dir_okay=False),
    help="Goal bank workbook to merge with, as build does (default: the bundled goalbank.xlsx).",
)
@click.option(
    "--no-merge",
    is_flag=True,
    help="Check the plans as given, without the goal-bank merge build applies.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per plan and payer.")
def check(files, payer_list, agency_id, today, goalbank, no_merge, as_json) -> int:
    """Decide each plan for each payer as build does and print the findings.

    Each plan is merged with the goal bank first, exactly as `txplan build` merges it, then
    checked against each payer's rules: a plan check calls ok is a plan build renders ok
    (the same library function decides both). --no-merge checks the input as given.
    FILE may be any input txplan reads, including the plan JSON / JSON Lines that
    `txplan parse` and `txplan plan` write. Exit 1 if any plan has an error for any payer.

    Example: txplan check outputs/plans.jsonl --payer medicaid-isp,medicare-poc
    """
    payers = payer_choice(payer_list)
    agency: AgencyProfile | None = load_agency(agency_id) if agency_id else None
    day = today.date() if today else None
    bank = None
    if not no_merge:
        from pathlib import Path

        from pipeline.goalbank.bank import load_bank

        bank = load_bank(Path(goalbank)) if goalbank else load_bank()
    tally = Tally()
    blocked = 0
    for intake in iter_plans(files, tally=tally, merging=bank is not None):
        plan, decisions = decide_all(intake, payers, agency, bank=bank, today=day)
        for decision in decisions:
            findings, status = list(decision.findings), decision.status
            blocked += decision.blocked
            if as_json:
                record = {
                    "client_id": plan.client.id,
                    "payer": decision.payer,
                    "status": status,
                    "findings": [f.model_dump(mode="json") for f in findings],
                }
                click.echo(json.dumps(record, sort_keys=True))
                continue
            errors = _count(findings, Severity.ERROR)
            warnings = _count(findings, Severity.WARNING)
            click.echo(
                f"{plan.client.id} / {decision.payer}: {status} "
                f"({errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)})"
            )
            for finding in findings:
                click.echo(f"  {finding}")
    if blocked:
        tally.rejected += 1
    return tally.code()


COMMANDS = [check]
