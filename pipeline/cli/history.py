"""``txplan history``: a client's plan versions with dates, reasons and a line per change."""

from __future__ import annotations

import json

import click

from pipeline.cli.common import CONTEXT
from pipeline.cli.options import store_option
from pipeline.versions.diff import diff_plans
from pipeline.versions.store import Store


@click.command(context_settings=CONTEXT)
@click.argument("client_id", metavar="CLIENT")
@click.option("--json", "as_json", is_flag=True, help="Print the versions and changes as JSON.")
@store_option
def history(client_id: str, as_json: bool, store_path: str | None) -> None:
    """List a client's plan versions: number, when, why, source, each payer's status (ok,
    blocked with the findings, draft) and each change. The id is matched without regard to
    case; a miss lists the closest ids.

    Example: txplan history C-1001
    """
    with Store(store_path) as store:
        client_id = store.resolve(client_id)
        versions = store.history(client_id)
        records = []
        previous = None
        for version in versions:
            changes = () if previous is None else diff_plans(previous, version.plan).changes
            records.append((version, changes))
            previous = version.plan
    if as_json:
        data = [
            {
                "version": v.number,
                "created_at": v.created_at.isoformat(),
                "reason": v.reason,
                "inputs": list(v.inputs),
                "payers": list(v.payers),
                "kind": v.kind,
                "sources": [{"path": p, "sha256": h} for p, h in v.sources],
                "intake_hash": v.intake_hash,
                "statuses": v.statuses,
                "rationale": v.rationale,
                "content_hash": v.content_hash,
                "changes": [c.to_json() for c in changes],
            }
            for v, changes in records
        ]
        click.echo(json.dumps({"client_id": client_id, "versions": data}, indent=2))
        return
    for version, changes in records:
        when = version.created_at.strftime("%Y-%m-%d %H:%M UTC")
        inputs = f" from {', '.join(version.inputs)}" if version.inputs else ""
        click.echo(f"version {version.number}  {when}  {version.reason}{inputs}")
        click.echo(f"    source: {version.source_line()}")
        if version.statuses:
            click.echo(f"    status: {version.status_line()}")
        if version.number == 1:
            click.echo("    first version")
        for change in changes:
            click.echo(f"    {change.summary()}")


COMMANDS = [history]
