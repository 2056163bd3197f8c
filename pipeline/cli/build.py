"""``txplan build``: parse, merge, check and render plans into payer documents + a manifest."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.batch.build import FORMATS, BuildOptions, build
from pipeline.batch.pool import available_cpus
from pipeline.batch.progress import estimate_plans
from pipeline.cli.common import CONTEXT, Tally, UnusableInput, iter_plans, report, translate_errors
from pipeline.cli.guard import echo_out, finding_line, printable
from pipeline.cli.progress_view import PlanReport, ProgressView, summary_table
from pipeline.cli.store_option import store_option
from pipeline.profiles import list_payers, load_agency
from pipeline.rules import load_payer
from pipeline.versions.store import Store
from pipeline.writers import RENDERERS


def _payers(value: str) -> list:
    ids = [p.strip() for p in value.split(",") if p.strip()]
    if ids == ["all"]:
        ids = list_payers()
    if not ids:
        raise click.BadParameter("give at least one payer id, or all", param_hint="--payer")
    return [load_payer(payer_id) for payer_id in dict.fromkeys(ids)]


def _formats(value: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise click.BadParameter(
            f"{', '.join(bad) or 'nothing'} is not a format; use docx, pdf, fhir or a list "
            "(docx,pdf,fhir)",
            param_hint="--format",
        )
    return formats


def _missing(inputs: tuple[str, ...]) -> None:
    """Every input path must exist before anything is written (a typo wipes nothing)."""
    missing = [name for name in inputs if not Path(name).exists()]
    if missing:
        raise UnusableInput(
            f"input not found: {', '.join(missing)}; check the path (nothing was written)"
        )


def _stored_plans(store: Store, ids: tuple[str, ...], version: int | None):
    """The stored versions to render: each id's latest (or --version N), else every client's
    latest version."""
    if version is not None and len(ids) != 1:
        raise UnusableInput("--version needs exactly one client id")
    if not ids:
        return [v.plan for v in store.latest_all()]
    return [store.get(client_id, version).plan for client_id in ids]


@click.command(context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, type=click.Path(), metavar="INPUTS...|CLIENT_ID...")
@click.option(
    "--payer",
    "payer_ids",
    required=True,
    metavar="ID[,ID...]|all",
    help="Payer profile(s) to render for (templates/payers/<id>/), or all.",
)
@click.option(
    "--agency",
    "agency_id",
    required=True,
    metavar="ID",
    help="Agency whose letterhead and clinicians apply (templates/agencies/<id>/).",
)
@click.option(
    "--format",
    "formats",
    default="docx",
    show_default=True,
    metavar="docx,pdf,fhir",
    help="Output formats; PDF comes from the DOCX through one LibreOffice per batch; fhir "
    "writes each plan as a FHIR R4 Bundle (<name>.fhir.json) beside each payer's document.",
)
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
    "--draft",
    is_flag=True,
    help="Render plans that fail a payer rule anyway, DRAFT on every page.",
)
@click.option(
    "--client-copy",
    is_flag=True,
    help="Also write a plain-language copy for each client (no codes or jargon).",
)
@click.option(
    "--flatten",
    is_flag=True,
    default=None,
    help="Flatten filled PDF forms (values become page content, fields removed).",
)
@click.option(
    "--goalbank",
    type=click.Path(dir_okay=False),
    help="Goal bank workbook to merge with (default: the bundled goalbank.xlsx).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Worker processes rendering plans (default: the cores available; 1 = in-process).",
)
@click.option(
    "--cluster",
    envvar="TXPLAN_CLUSTER",
    default=None,
    metavar="ADDRESS|local:N",
    help="Render on a Dask cluster: a scheduler's address (tcp://host:8786) or local:N "
    "(N local worker processes); also TXPLAN_CLUSTER. Needs pip install 'txplan[cluster]'; "
    "documents come back to this machine, which writes them, the manifest and PDFs.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="Time limit of each render; a render that overruns fails its document only.",
)
@click.option(
    "--renderer",
    type=click.Choice(RENDERERS),
    default="auto",
    show_default=True,
    help="DOCX renderer: auto (fast path, stock docxtpl where needed), fast, or docxtpl.",
)
@click.option(
    "--rebuild",
    is_flag=True,
    help="Render every document again, even those unchanged since the last build here.",
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
@store_option
@translate_errors
def build_command(inputs, payer_ids, agency_id, formats, out_dir, draft, client_copy,
                  flatten, goalbank, workers, cluster, timeout, renderer, rebuild, verbose,
                  from_store, version, supersede, store_path) -> None:  # fmt: skip
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
        raise UnusableInput("--version needs --from-store")
    if from_store and supersede:
        raise UnusableInput("--supersede applies to intake, not to --from-store")
    if not inputs and not from_store:
        raise UnusableInput("give the intake files to build (or --from-store)")
    if not from_store:
        _missing(inputs)
    payers = _payers(payer_ids)
    agency = load_agency(agency_id)
    formats = _formats(formats)
    tally = Tally()
    plans_report = PlanReport()
    store = Store(store_path)
    if from_store:
        plans = _stored_plans(store, inputs, version)
        estimate = len(plans)
    else:
        plans = None
        estimate = estimate_plans(inputs)

    def on_row(row) -> None:
        plans_report.add_row(row)
        if verbose:
            files = ", ".join(o.path for o in row.outputs) or "no document"
            echo_out(f"{row.client_id} / {row.payer}: {row.status} -> {files}")
        if row.status != "ok":
            tally.rejected += 1

    with ProgressView(estimate) as view:
        options = BuildOptions(
            out_dir=Path(out_dir),
            formats=formats,
            draft=draft,
            client_copy=client_copy,
            flatten=flatten,
            goalbank=Path(goalbank) if goalbank else None,
            store=None if from_store else store,
            supersede=supersede,
            merge=not from_store,  # stored versions are merged already
            workers=workers or available_cpus(),
            timeout=timeout,
            cluster=cluster or None,
            renderer=renderer,
            resume=not rebuild,
            keep_rows=False,
            progress=view,
            on_row=on_row,
            estimate=estimate,
        )
        if from_store:
            source = plans
        else:
            source = iter_plans(inputs, tally=tally, on_findings=plans_report.add_read)
        result = build(source, payers, agency, options)
    store.close()
    for line in plans_report.lines(verbose=verbose, line=finding_line):
        click.echo(printable(line), err=True)
    report(result.notices)
    state = result.progress
    if state.skipped:
        click.echo(f"skipped {state.skipped} unchanged", err=True)
    view.console.print(summary_table(state))
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
    tally.exit()


build_command.name = "build"
COMMANDS = [build_command]
