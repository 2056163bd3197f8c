"""``txplan watch``: build each intake file saved into a folder, once, as it arrives."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.batch.build import BuildOptions, build
from pipeline.batch.pool import available_cpus
from pipeline.batch.watch import Watcher, WatchEvent
from pipeline.cli.build import _formats, _payers
from pipeline.cli.common import (
    CONTEXT,
    EXIT_REJECTED,
    EXIT_UNUSABLE,
    Tally,
    iter_plans,
    translate_errors,
)
from pipeline.cli.guard import echo_err
from pipeline.cli.store_option import store_option
from pipeline.profiles import load_agency
from pipeline.versions.store import Store


@click.command(context_settings=CONTEXT)
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--payer", "payer_ids", required=True, metavar="ID[,ID...]|all",
              help="Payer profile(s) to render for, or all.")  # fmt: skip
@click.option("--agency", "agency_id", required=True, metavar="ID",
              help="Agency whose letterhead and clinicians apply.")  # fmt: skip
@click.option("--format", "formats", default="docx", show_default=True, metavar="docx,pdf",
              help="Output formats.")  # fmt: skip
@click.option("-o", "--output", "out_dir", default="outputs", show_default=True,
              type=click.Path(file_okay=False),
              help="Folder for the results: one sub-folder per intake file.")  # fmt: skip
@click.option("--draft", is_flag=True, help="Render blocked plans anyway, marked DRAFT.")
@click.option("--interval", type=click.FloatRange(min=0.1), default=2.0, show_default=True,
              metavar="SECONDS", help="Seconds between two looks at the folder.")  # fmt: skip
@click.option("--once", is_flag=True,
              help="Build what is in the folder now (once stable), then exit.")  # fmt: skip
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes per build (default: the cores available).")  # fmt: skip
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60.0,
              show_default=True, metavar="SECONDS", help="Time limit of each render.")  # fmt: skip
@store_option
@translate_errors
def watch_command(folder, payer_ids, agency_id, formats, out_dir, draft, interval, once,
                  workers, timeout, store_path) -> None:  # fmt: skip
    """Build every new or changed intake file saved into FOLDER, once each.

    Each file is built (as txplan build would) into OUTPUT/<file name>/, with its own
    manifest; a file is built again only when its content changes. Temporary and partial
    files (~$x.xlsx, .~lock.x#, *.part, *.tmp) are ignored, and a file is built only once
    its size stops changing. Runs until Ctrl-C; --once builds what is there and exits
    (0 all rendered; 1 some plan blocked or failed; 2 some file unusable).

    Example: txplan watch inputs/ -o outputs/ --payer medicaid-isp --agency riverside
    """
    payers = _payers(payer_ids)
    agency = load_agency(agency_id)
    fmt = _formats(formats)
    out = Path(out_dir)
    totals = Tally()

    def build_file(path: Path):
        tally = Tally()
        options = BuildOptions(
            out_dir=out / path.name.replace(".", "_"),
            formats=fmt,
            draft=draft,
            store=Store(store_path),
            workers=workers or available_cpus(),
            timeout=timeout,
            keep_rows=False,
        )
        result = build(iter_plans([str(path)], tally=tally), payers, agency, options)
        totals.unusable += tally.unusable
        totals.rejected += tally.rejected + sum(
            n for s, n in result.progress.statuses.items() if s != "ok"
        )
        return result

    def report(event: WatchEvent) -> None:
        if event.kind == "failed":
            totals.unusable += 1
            echo_err(f"{event.path}: not built: {event.error}")
            return
        state, manifest = event.result.progress, event.result.manifest
        counts = ", ".join(f"{state.statuses.get(s, 0)} {s}" for s in ("ok", "blocked", "failed"))
        skipped = f", {state.skipped} unchanged" if state.skipped else ""
        where = f" -> {manifest[0]}" if manifest else " (no rows: manifest left as it was)"
        click.echo(f"{event.path}: {state.plans_done} plans ({counts}{skipped}){where}")

    watcher = Watcher(Path(folder), out, build_file, settle=min(interval, 1.0), on_event=report)
    if not once:
        click.echo(f"watching {folder} (Ctrl-C to stop)", err=True)
    try:
        watcher.run(once=once, interval=interval)
    except KeyboardInterrupt:
        return
    if totals.unusable:
        raise SystemExit(EXIT_UNUSABLE)
    if totals.rejected:
        raise SystemExit(EXIT_REJECTED)


watch_command.name = "watch"
COMMANDS = [watch_command]
