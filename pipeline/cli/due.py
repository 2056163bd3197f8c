"""``txplan due``: the plans whose review is due or overdue, for the weekly admin list."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import click

from pipeline import atomic
from pipeline.cli.common import CONTEXT, report
from pipeline.cli.options import store_option
from pipeline.rules import load_payer
from pipeline.versions.due import CSV_COLUMNS, DueReview, due_reviews
from pipeline.versions.store import Store
from pipeline.writers.spreadsheet_safe import csv_bytes


@cache
def _interval(payer: str) -> int:
    return load_payer(payer).review_interval_days


@click.command(context_settings=CONTEXT)
@click.option(
    "--within", "within", type=click.IntRange(min=0), default=7, show_default=True,
    metavar="DAYS", help="Also list reviews due in the next DAYS days.",
)  # fmt: skip
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day to count from (YYYY-MM-DD; default: the clock's today).",
)
@click.option(
    "--csv", "csv_path", type=click.Path(dir_okay=False), help="Also write the list as CSV."
)
@store_option
def due(
    within: int, today: dt.datetime | None, csv_path: str | None, store_path: str | None
) -> None:
    """List plans whose review is overdue or due within DAYS, per payer interval.

    Example: txplan due --within 14 --csv outputs/due.csv
    """
    day = today.date() if today else dt.date.today()
    with Store(store_path) as store:
        items, findings = due_reviews(
            store.latest_all(), today=day, within_days=within, payer_interval=_interval
        )
    report(findings)
    if csv_path:
        rows = [{**item.row(), **_numbers(item)} for item in items]
        atomic.write_bytes(Path(csv_path), csv_bytes(CSV_COLUMNS, rows))
    if not items:
        click.echo(f"no reviews due by {day + dt.timedelta(days=within)}")
    for item in items:
        days = abs(item.days_left)
        plural = "day" if days == 1 else "days"
        when = f"{days} {plural} overdue" if item.days_left < 0 else f"in {days} {plural}"
        payer = item.payer or "(plan interval)"
        click.echo(
            f"{item.due_date}  {item.status:<7}  {when:<16}  {item.client_id}  "
            f"{item.client_name}  {payer}  (every {item.interval_days} days, v{item.version})"
        )


def _numbers(item: DueReview) -> dict[str, int]:
    """The numeric columns as numbers (a spreadsheet sums them; -4 days left stays -4)."""
    return {"version": item.version, "interval_days": item.interval_days,
            "days_left": item.days_left}  # fmt: skip


COMMANDS = [due]
