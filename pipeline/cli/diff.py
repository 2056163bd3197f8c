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


@click.command(context_settings=CONTEXT)
@click.argument("what", nargs=-1, required=True, metavar="CLIENT | OLD.json NEW.json")
@click.option(
    "--from", "old", type=int, metavar="N", help="Older version (default: the one before --to)."
)
@click.option("--to", "new", type=int, metavar="M", help="Newer version (default: the latest).")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@click.option(
    "--docx",
    "docx_path",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Also write the newer plan as a Word document with tracked changes.",
)
@click.option("--author", metavar="NAME", help="Tracked-change author (default: the reviewer).")
@click.option("--agency", "agency_id", metavar="ID",
              help="Put the redline on this agency's letterhead.")  # fmt: skip
@store_option
def diff(what, old, new, as_json, docx_path, author, agency_id, store_path) -> None:
    """Show what changed between two versions of a client's plan, or two plan JSON files.

    Goals, objectives and interventions are matched by id, so reordering is not a change.

    Examples: txplan diff C-1001 --from 1 --to 2 --docx C-1001-redline.docx
              txplan diff old.json new.json --json
    """
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
        from pipeline.profiles import load_agency
        from pipeline.writers.docx.redline import render_redline

        agency = load_agency(agency_id) if agency_id else None
        redline = render_redline(before, after, changes, author=author, agency=agency)
        atomic.write_bytes(Path(docx_path), redline)
    if as_json:
        click.echo(json.dumps(changes.to_json(), indent=2, ensure_ascii=False))
        return
    click.echo(f"{changes.client_id}: {changes.old_label} → {changes.new_label}")
    if not changes.changes:
        click.echo("    no changes")
    for change in changes.changes:
        why = f"  ({change.rationale})" if change.rationale else ""
        click.echo(f"    {change.summary()}{why}")
    if docx_path:
        click.echo(f"redline: {docx_path}", err=True)


COMMANDS = [diff]
