"""``txplan build``: parse, merge, check and render plans into payer documents + a manifest."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.batch.build import build
from pipeline.batch.progress import estimate_plans
from pipeline.cli.common import CONTEXT, Tally, iter_plans
from pipeline.cli.guard import echo_out, finding_line, printable
from pipeline.cli.options import BuildSpec, build_options
from pipeline.cli.progress_view import PlanReport, ProgressView, summary_table


@click.command(context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option(
    "-o",
    "--output",
    "out_dir",
    default="outputs",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for documents and the manifest.",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Print every document's status and each plan's findings in full.",
)
@build_options
def build_command(inputs: tuple[str, ...], out_dir: str, verbose: bool, spec: BuildSpec) -> int:
    """Parse, merge, check and render plans into each payer's documents.

    Writes one document per plan and payer (named by the payer's output_name) and
    manifest.csv / manifest.json with each row's status (ok, blocked, failed), findings,
    output paths and SHA-256. A plan with a rule error is blocked for that payer unless
    --draft. Exit 0 all rendered; 1 some blocked or failed; 2 unusable input or option.

    Plans are rendered by --workers processes, each render limited to --timeout seconds.
    Building into the same folder again skips documents whose plan, goal bank, payer,
    agency, template and options are unchanged and whose files are intact (--rebuild
    renders all); a killed build resumes where it stopped.

    Example: txplan build inputs/intake.xlsx --payer medicaid-isp,clinical --agency riverside
    --format docx,pdf -o outputs

    Prints each plan's findings once (one line a plan: statuses and finding codes; -v: every
    document and every finding in full), then the summary table.
    """
    payers, agency = spec.payers(), spec.agency()
    tally = Tally()
    plans_report = PlanReport()

    def on_row(row) -> None:
        plans_report.add_row(row)
        if verbose:
            files = ", ".join(o.path for o in row.outputs) or "no document"
            echo_out(f"{row.client_id} / {row.payer}: {row.status} -> {files}")
        if row.status != "ok":
            tally.rejected += 1

    estimate = estimate_plans(inputs)
    with ProgressView(estimate) as view:
        options = spec.options(Path(out_dir), progress=view, on_row=on_row, estimate=estimate)
        plans = iter_plans(inputs, tally=tally, on_findings=plans_report.add_read)
        result = build(plans, payers, agency, options)
    for line in plans_report.lines(verbose=verbose, line=finding_line):
        click.echo(printable(line), err=True)
    state = result.progress
    if state.skipped:
        click.echo(f"skipped {state.skipped} unchanged", err=True)
    view.console.print(summary_table(state))
    where = []
    if result.manifest:
        where.append(f"manifest: {result.manifest[0]} and {result.manifest[1].name}")
    if result.versions_saved or result.versions_unchanged:
        where.append(f"store: {result.versions_saved} new plan versions, "
                     f"{result.versions_unchanged} unchanged")  # fmt: skip
    if where:
        click.echo("; ".join(where) + ("" if verbose else " (-v: every finding)"), err=True)
    return tally.code()


build_command.name = "build"
COMMANDS = [build_command]
