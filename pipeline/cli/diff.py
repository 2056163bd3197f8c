"""``txplan diff``: what changed between two versions of a plan, as text, JSON or a redline."""

from __future__ import annotations

import json
from pathlib import Path

import click

from pipeline import atomic
from pipeline.cli.common import CONTEXT, report
from pipeline.cli.options import store_option
from pipeline.errors import InputError
from pipeline.findings import has_errors
from pipeline.model import Plan
from pipeline.readers import read
from pipeline.versions.diff import PlanDiff, diff_plans
from pipeline.versions.store import Store
from pipeline.versions.wording import numbers_for, plain


def _plan_file(path: str) -> Plan:
    results = list(read(Path(path)))
    for result in results:
        report(result.findings)
    plans = [r.plan for r in results if r.plan is not None]
    if len(plans) != 1 or any(has_errors(r.findings) for r in results):
        raise InputError(f"expected exactly one valid plan, found {len(plans)}", path)
    return plans[0]


def _from_store(client: str, old: int | None, new: int | None, store_path: str | None):
    with Store(store_path) as store:
        to_version = store.get(client, new)
        if old is None:
            if to_version.number == 1:
                raise InputError(
                    f"client {client!r} has only version 1: nothing to compare", "--from"
                )
            old = to_version.number - 1
        from_version = store.get(client, old)
    return (
        from_version.plan,
        to_version.plan,
        f"version {from_version.number}",
        f"version {to_version.number}",
    )


def _redline(before: Plan, after: Plan, changes: PlanDiff, author: str | None,
             agency_id: str | None, payer_id: str | None) -> bytes:  # fmt: skip
    """The redline: the plan's own tracked-change document, or the payer's layout compared.

    In a payer's layout the newer plan is checked against the payer's rules first: a plan the
    payer would refuse is redlined marked DRAFT, with the findings on stderr."""
    from pipeline.profiles import load_agency

    agency = load_agency(agency_id) if agency_id else None
    if payer_id is None:
        from pipeline.writers.docx.redline import render_redline

        return render_redline(before, after, changes, author=author, agency=agency)
    from pipeline.rules import check, load_payer
    from pipeline.writers.docx.compare import payer_redline

    payer = load_payer(payer_id)
    findings = check(after, payer, agency=agency)
    blocked = has_errors(findings)
    if blocked:
        report([f for f in findings if f.severity == "error"])
        click.echo(f"{payer_id}: the newer plan is blocked; the redline is marked DRAFT", err=True)
    return payer_redline(before, after, payer, agency, author=author, draft=blocked)


@click.command(context_settings=CONTEXT)
@click.argument("what", nargs=-1, required=True, metavar="CLIENT | OLD.json NEW.json")
@click.option(
    "--from", "old", type=int, metavar="N", help="Older version (default: the one before --to)."
)
@click.option("--to", "new", type=int, metavar="M", help="Newer version (default: the latest).")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@click.option(
    "--docx",
    "--redline",
    "docx_path",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Also write the redline: the newer plan as a Word document with tracked changes.",
)
@click.option("--author", metavar="NAME", help="Tracked-change author (default: the reviewer).")
@click.option("--agency", "agency_id", metavar="ID",
              help="Put the redline on this agency's letterhead.")  # fmt: skip
@click.option(
    "--payer",
    "payer_id",
    metavar="ID",
    help="Write the redline in this payer's own layout: both versions rendered through its "
    "template and compared as tracked changes (needs --agency).",
)
@store_option
def diff(what, old, new, as_json, docx_path, author, agency_id, payer_id, store_path) -> None:
    """Show what changed between two versions of a client's plan, or two plan JSON files.

    Goals, objectives and interventions are matched by id, so reordering is not a change;
    changes are printed in plain words with the numbers the documents print (Objective 1.2).

    Examples: txplan diff C-1001 --from 1 --to 2 --docx C-1001-redline.docx
              txplan diff C-1001 --redline isp-redline.docx --payer medicaid-isp --agency riverside
              txplan diff old.json new.json --json
    """
    if payer_id and not docx_path:
        raise click.UsageError("--payer is for the redline: add --redline FILE")
    if payer_id and not agency_id:
        raise click.UsageError(
            "--payer needs --agency (the payer's document carries its letterhead)"
        )
    if len(what) == 2:
        if old is not None or new is not None:
            raise click.UsageError("--from/--to are for a client in the store, not two files")
        before, after = _plan_file(what[0]), _plan_file(what[1])
        labels = (what[0], what[1])
    elif len(what) == 1:
        before, after, *labels = _from_store(what[0], old, new, store_path)
    else:
        raise click.UsageError("give a CLIENT id, or two plan JSON files")
    changes: PlanDiff = diff_plans(before, after, old_label=labels[0], new_label=labels[1])
    if docx_path:
        redline = _redline(before, after, changes, author, agency_id, payer_id)
        atomic.write_bytes(Path(docx_path), redline)
    if as_json:
        click.echo(json.dumps(changes.to_json(), indent=2, ensure_ascii=False))
        return
    click.echo(f"{changes.client_id}: {changes.old_label} → {changes.new_label}")
    if not changes.changes:
        click.echo("    no changes")
    numbers = numbers_for(before, after)  # as the documents print them; --json keeps the ids
    for change in changes.changes:
        why = f"  ({change.rationale})" if change.rationale else ""
        click.echo(f"    {plain(change, numbers)}{why}")
    if docx_path:
        click.echo(f"redline: {docx_path}", err=True)


COMMANDS = [diff]
