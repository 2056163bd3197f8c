"""``txplan build``: parse, merge, check and render plans into payer documents + a manifest."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import click

from pipeline.batch.build import build
from pipeline.batch.progress import estimate_later
from pipeline.cli.common import CONTEXT, Tally, read_groups, report
from pipeline.cli.guard import Stop, echo_out, finding_line, printable, redact
from pipeline.cli.options import BuildSpec, build_options, formats
from pipeline.cli.plan_report import PLAN_LINES, PlanReport
from pipeline.cli.progress_view import ProgressView, summary_table
from pipeline.versions.store import Store
from pipeline.writers.pdfform import STOCK_PATH


def _missing(inputs: tuple[str, ...]) -> None:
    """Every input path must exist before anything is written (a typo wipes nothing)."""
    missing = [name for name in inputs if not Path(name).exists()]
    if missing:
        raise Stop(f"input not found: {', '.join(missing)}; check the path (nothing was written)")


def _stored_plans(store: Store, ids: tuple[str, ...], version: int | None):
    """The stored versions to render: each id's latest (or --version N), else every client's
    latest version."""
    if version is not None and len(ids) != 1:
        raise Stop("--version needs exactly one client id")
    if not ids:
        return [v.plan for v in store.latest_all()]
    return [store.get(client_id, version).plan for client_id in ids]


@click.command(context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, type=click.Path(), metavar="INPUTS...|CLIENT_ID...")
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
@click.option(
    "--from-store",
    is_flag=True,
    help="Render stored plan versions (the arguments are client ids; none: every client's "
    "latest version) instead of reading intake files.",
)
@click.option(
    "--version",
    "version",
    type=click.IntRange(min=1),
    metavar="N",
    help="With --from-store and one client id: render version N (default: the latest).",
)
@click.option(
    "--supersede",
    metavar="RATIONALE",
    help="Save this intake as each client's new version even over reviewed versions or intake "
    "already recorded, with the rationale recorded.",
)
@build_options
def build_command(inputs: tuple[str, ...], out_dir: str, verbose: bool, from_store: bool,
                  version: int | None, supersede: str | None, spec: BuildSpec) -> int:  # fmt: skip
    """Parse, merge, check and render plans into each payer's documents.

    Writes one document per plan and payer (named by the payer's output_name) and
    manifest.csv / manifest.json with each row's status (ok, blocked, failed), findings,
    output paths and SHA-256. A plan with a rule error is blocked for that payer unless
    --draft. Exit 0 all rendered; 1 some blocked or failed; 2 unusable input or option.

    Plans are rendered by --workers processes, each render limited to --timeout seconds.
    Building into the same folder again skips documents whose plan, goal bank, payer,
    agency, template and options are unchanged and whose files are intact (--rebuild
    renders all); a killed build resumes where it stopped.

    Every plan built is saved in the store as a version with each payer's status (ok,
    blocked with its findings, draft). Intake a client's history has already seen, or no
    newer than its latest review, adds no version (the latest is rendered; --supersede
    replaces it on purpose); newer intake for a reviewed plan is applied on top of it.
    --from-store renders stored versions instead of intake (client ids, or none for all).

    Example: txplan build inputs/intake.xlsx --payer medicaid-isp,clinical --agency riverside
    --format docx,pdf -o outputs

    Prints each plan's findings once (one line a plan: statuses and finding codes; -v: every
    document and every finding in full), then the summary table.
    """
    if version is not None and not from_store:
        raise Stop("--version needs --from-store")
    if from_store and supersede:
        raise Stop("--supersede applies to intake, not to --from-store")
    if not inputs and not from_store:
        raise Stop("give the intake files to build (or --from-store)")
    if not from_store:
        _missing(inputs)
        counted = estimate_later(inputs)  # counted while the profiles and the store load
    payers, agency = spec.payers(), spec.agency()
    formats(spec.formats)  # a bad --format stops here, before anything is read
    tally = Tally()
    plans_report = PlanReport()
    store = Store(spec.store_path)
    if from_store:
        plans = _stored_plans(store, inputs, version)
        estimate = len(plans)
    else:
        plans = None
        estimate = counted  # asked by the build once its job is set up, before its workers

    stock_path: Counter[str] = Counter()  # forms the fast path handed to the stock path

    def on_row(row: dict[str, Any]) -> None:  # a row's JSON form: no Row made for it
        plans_report.add_row_json(row)
        for f in row["findings"]:
            if f["code"] == STOCK_PATH:
                stock_path[f["message"]] += 1
        if verbose:
            files = ", ".join(o["path"] for o in row["outputs"]) or "no document"
            echo_out(f"{row['client_id']} / {row['payer']}: {row['status']} -> {files}")
        if row["status"] != "ok":
            tally.rejected += 1

    with ProgressView(None if callable(estimate) else estimate) as view:
        options = spec.options(
            Path(out_dir),
            store=None if from_store else store,
            supersede=supersede,
            merge=not from_store,  # stored versions are merged already
            progress=view,
            on_row_json=on_row,
            estimate=estimate,
        )
        if from_store:
            source = plans
        else:
            source = read_groups(inputs, tally=tally, on_findings=plans_report.add_read)
        result = build(source, payers, agency, options)
    store.close()
    for line in plans_report.lines(verbose=verbose, line=finding_line, limit=PLAN_LINES):
        click.echo(printable(line), err=True)
    if not verbose and len(plans_report.noted()) > PLAN_LINES:
        view.console.print(plans_report.by_code(message=example))
    report(result.notices)
    state = result.progress
    if state.skipped:
        click.echo(f"skipped {state.skipped} unchanged", err=True)
    view.console.print(summary_table(state))
    for line in stock_path_lines(stock_path):
        click.echo(line, err=True)
    where = []
    if result.manifest:
        where.append(f"manifest: {result.manifest[0]} and {result.manifest[1].name}")
    else:
        where.append("no documents: the folder's manifest was left as it was")
    if result.versions_saved or result.versions_unchanged:
        where.append(f"store: {result.versions_saved} new plan versions, "
                     f"{result.versions_unchanged} unchanged")  # fmt: skip
    if where:
        click.echo("; ".join(where) + ("" if verbose else " (-v: every finding)"), err=True)
    return tally.code()


def example(finding, width: int = 110) -> str:
    """A finding as the batch table shows it: the field it is about (a plan's field, not a
    file's row or a client), then its message, values hidden, cut at ``width``."""
    where = finding.where or ""
    field = where and not where.startswith("client ") and ", row " not in where
    text = redact(finding.message, where)
    text = f"{where}: {text}" if field else text
    return printable(text if len(text) <= width else text[: width - 1].rstrip() + "…")


build_command.name = "build"
COMMANDS = [build_command]


def stock_path_lines(reasons: Counter[str]) -> list[str]:
    """How many forms the fast form writer handed to the slower stock pypdf path, and why
    (nothing when none: a batch that slows down says so)."""
    total = sum(reasons.values())
    if not total:
        return []
    lines = [f"{total} form{'s' if total > 1 else ''} filled by the stock pypdf path "
             "(slower than the fast path), by reason:"]  # fmt: skip
    lines += [f"  {count} × {why}" for why, count in sorted(reasons.items(), key=lambda i: -i[1])]
    return lines
