"""``txplan review-sheet``: a workbook to fill in at a review, read back by ``txplan revise``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from pipeline import atomic
from pipeline.cli.common import CONTEXT
from pipeline.cli.options import store_option
from pipeline.versions.sheet import review_sheet
from pipeline.versions.store import Store


@click.command("review-sheet", context_settings=CONTEXT)
@click.argument("client_ids", nargs=-1, required=True, metavar="CLIENT_ID...")
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False),
              metavar="FILE.xlsx", help="The workbook to write (a sheet per client).")  # fmt: skip
@click.option("--date", "review_date", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Review date to fill in (default: each plan's next review date).")  # fmt: skip
@store_option
def review_sheet_command(client_ids, out, review_date, store_path) -> None:
    """Write a review workbook: each client's current objectives by their plan numbers (1.1,
    2.1...), status, baseline and latest score, with empty columns for the new status,
    score, progress note, new concern and rationale, and a column a section of the safety
    plan made with the client (on its own line, for a client at risk). Fill it in and run
    `txplan revise` on it; lines left as they were change nothing.

    Example: txplan review-sheet CT-1001 CT-1002 -o reviews/2026-04.xlsx
    """
    day: dt.date | None = review_date.date() if review_date else None
    with Store(store_path) as store:
        plans = [store.get(client_id).plan for client_id in client_ids]
    atomic.write_bytes(Path(out), review_sheet(plans, review_date=day))
    click.echo(f"{out}: {len(plans)} clients, "
               f"{sum(len(g.objectives) for p in plans for g in p.goals)} objectives")  # fmt: skip


COMMANDS = [review_sheet_command]
