"""``txplan revise``: apply progress reviews to the latest plan versions, saving new versions."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.common import CONTEXT, Tally, report
from pipeline.cli.guard import echo_out
from pipeline.cli.options import store_option
from pipeline.versions.review_file import apply_review_file, lazy_bank_merger, payer_interval
from pipeline.versions.store import Store


@click.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--payer", "payer_id", metavar="ID", help="Use this payer's review interval.")
@click.option("--goalbank", type=click.Path(dir_okay=False), help="Goal bank for new concerns.")
@click.option("--no-bank", is_flag=True, help="Do not add goal-bank goals for new concerns.")
@store_option
def revise(files, payer_id, goalbank, no_bank, store_path) -> int:
    """Apply progress reviews (CSV/XLSX) to each client's latest plan as a new version.

    Statuses and scores are recorded, met objectives close, open ones get a new target
    date one review interval on, new concerns add goal-bank goals, and every change keeps
    its rationale. A review file with any error changes nothing (exit 1). The interval is
    --payer's, else the shortest of the payers the plan was built for, else the plan's.

    Example: txplan revise reviews/2024-04.csv
    """
    interval = payer_interval(payer_id)
    merger = None if no_bank else lazy_bank_merger(Path(goalbank) if goalbank else None)
    tally = Tally()
    with Store(store_path) as store:
        for path in files:
            result = apply_review_file(Path(path), store, interval=interval, merger=merger,
                                       source=path)  # fmt: skip
            report(result.findings)
            if not result.saved:
                click.echo(f"{path}: not applied (fix the errors above)", err=True)
                tally.rejected += 1
                continue
            for client in result.clients:
                if client.saved is None:
                    echo_out(f"{client.client_id}: unchanged")
                else:
                    echo_out(f"{client.client_id}: version {client.saved.number} "
                             f"({client.changes} changes)")  # fmt: skip
            if not result.clients and result.ok:
                click.echo(f"{path}: nothing to apply (no line asks for a change)")
    return tally.code()


COMMANDS = [revise]
