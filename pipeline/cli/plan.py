"""``txplan plan``: intakes or plans in, plans with goal-bank SMART objectives out (JSON Lines)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import click

from pipeline import atomic
from pipeline.cli.common import CONTEXT, Tally, iter_plans, report
from pipeline.findings import has_errors
from pipeline.goalbank.bank import DEFAULT_GOALBANK, load_bank
from pipeline.merge.core import MergeOptions, merge
from pipeline.writers.jsonl import plan_to_json


@click.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--goalbank",
    "goalbank_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Goal bank workbook (default: goalbank.xlsx at the repository root).",
)
@click.option(
    "--max-goals",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Goals per plan, clinician goals included (the safety goal is extra).",
)
@click.option(
    "--max-objectives",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Objectives per bank goal.",
)
@click.option(
    "--review-days",
    type=click.IntRange(min=1),
    default=None,
    help="Review interval in days (default: the plan's own, 90).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the JSON Lines here (atomically) instead of to stdout.",
)
def plan(
    files: tuple[str, ...],
    goalbank_path: Path | None,
    max_goals: int,
    max_objectives: int,
    review_days: int | None,
    output: Path | None,
) -> int:
    """Merge each plan with the goal bank: SMART objectives from the client's own scores.

    Reads any input txplan knows (spreadsheets, forms, plan JSON / JSON Lines). What the
    clinician wrote is kept; the bank fills the missing goals, objectives and interventions.
    Exit 0 all planned, 1 some plans rejected, 2 an input or the goal bank unusable.

    Example: txplan plan inputs/*.xlsx --max-goals 2 -o outputs/planned.jsonl
    """
    bank = load_bank(goalbank_path or DEFAULT_GOALBANK)
    options = MergeOptions(
        max_goals=max_goals,
        max_objectives_per_goal=max_objectives,
        review_interval_days=review_days,
    )
    tally = Tally()
    planned = 0

    def lines() -> Iterable[str]:
        nonlocal planned
        for intake in iter_plans(files, tally=tally, merging=True):
            merged, findings = merge(intake, bank, options=options)
            report(findings)
            if has_errors(findings):
                tally.rejected += 1
                continue
            planned += 1
            yield plan_to_json(merged)

    if output:
        atomic.write_lines(output, lines())
    else:
        for line in lines():
            click.echo(line)
    click.echo(
        f"plan: {planned} plan(s) written, {tally.rejected} rejected, "
        f"{tally.unusable} file(s) unusable",
        err=True,
    )
    return tally.code()


COMMANDS = [plan]
