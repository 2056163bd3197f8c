"""``txplan build``: parse, merge, check and render plans into payer documents + a manifest."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.batch.build import build
from pipeline.batch.progress import estimate_plans
from pipeline.cli.common import CONTEXT, Tally, iter_plans
from pipeline.cli.guard import echo_out, finding_line
from pipeline.cli.options import BuildSpec, build_options
from pipeline.cli.progress_view import ProgressView, summary_table
from pipeline.findings import Severity


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
@build_options
def build_command(inputs: tuple[str, ...], out_dir: str, spec: BuildSpec) -> int:
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
    """
    payers, agency = spec.payers(), spec.agency()
    tally = Tally()

    def on_row(row) -> None:
        files = ", ".join(o.path for o in row.outputs) or "no document"
        echo_out(f"{row.client_id} / {row.payer}: {row.status} -> {files}")
        for finding in row.findings:
            if finding.severity is not Severity.INFO:
                click.echo(f"  {finding_line(finding)}", err=True)
        if row.status != "ok":
            tally.rejected += 1

    estimate = estimate_plans(inputs)
    with ProgressView(estimate) as view:
        options = spec.options(Path(out_dir), progress=view, on_row=on_row, estimate=estimate)
        result = build(iter_plans(inputs, tally=tally), payers, agency, options)
    state = result.progress
    if state.skipped:
        click.echo(f"skipped {state.skipped} unchanged", err=True)
    if result.versions_saved or result.versions_unchanged:
        click.echo(f"store: {result.versions_saved} new plan versions, "
                   f"{result.versions_unchanged} unchanged", err=True)  # fmt: skip
    view.console.print(summary_table(state))
    if result.manifest:
        click.echo(f"manifest: {result.manifest[0]} and {result.manifest[1].name}", err=True)
    return tally.code()


build_command.name = "build"
COMMANDS = [build_command]
