"""``txplan parse``: intake exports (XLSX, CSV, plan JSON) in, one plan per client as JSON Lines."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline import atomic
from pipeline.cli.common import CONTEXT, Tally, iter_plans
from pipeline.readers import ReadOptions
from pipeline.writers.jsonl import plan_to_json


@click.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--profile",
    "profile_path",
    type=click.Path(dir_okay=False),
    help="Mapping profile (YAML) naming the export's columns.",
)
@click.option("--sheet", help="Read only this sheet of each workbook.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the JSON Lines here (atomically) instead of to stdout.",
)
@click.option("--explain", is_flag=True, help="Show which column became which field.")
def parse(
    files: tuple[str, ...],
    profile_path: str | None,
    sheet: str | None,
    output: str | None,
    explain: bool,
) -> int:
    """Read intake exports into plans: one plan per client, as JSON Lines.

    Reads XLSX/XLSM workbooks (every sheet, joined by client id), CSV/TSV files and txplan's
    own plan JSON. Bad rows are reported on stderr with file, sheet, row, column and value;
    the good ones are still written. Exit 0 all read, 1 some rows rejected, 2 a file unusable.

    Example: txplan parse inputs/*.xlsx inputs/*.csv -o outputs/plans.jsonl --explain
    """
    profile = None
    if profile_path:
        from pipeline.readers.mapping.profile import load_profile

        profile = load_profile(profile_path)
    options = ReadOptions(profile=profile, sheet=sheet, explain=explain)
    tally = Tally()
    lines = (plan_to_json(plan) for plan in iter_plans(files, options, tally=tally))
    if output:
        atomic.write_lines(Path(output), lines)
    else:
        for line in lines:
            click.echo(line)
    click.echo(
        f"parse: {tally.read} plan(s) read, {tally.rejected} record(s) rejected, "
        f"{tally.unusable} file(s) unusable",
        err=True,
    )
    return tally.code()


COMMANDS = [parse]
