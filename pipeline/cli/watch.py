"""``txplan watch``: build each intake file saved into a folder, once, as it arrives."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.batch.build import BuildResult, build
from pipeline.batch.watch import SETTLE, Watcher, WatchEvent, output_folder
from pipeline.cli.common import CONTEXT, Tally, iter_plans
from pipeline.cli.guard import EXIT_OK, echo_err
from pipeline.cli.options import BuildSpec, build_options, formats


@click.command(context_settings=CONTEXT)
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("-o", "--output", "out_dir", default="outputs", show_default=True,
              type=click.Path(file_okay=False),
              help="Folder for the results: one sub-folder per intake file.")  # fmt: skip
@click.option("--interval", type=click.FloatRange(min=0.1), default=2.0, show_default=True,
              metavar="SECONDS", help="Seconds between two looks at the folder.")  # fmt: skip
@click.option("--settle", type=click.FloatRange(min=0), default=SETTLE, show_default=True,
              metavar="SECONDS",
              help="Seconds a file's size and time must not change before it is read.")  # fmt: skip
@click.option("--once", is_flag=True,
              help="Build what is in the folder now (once stable), then exit.")  # fmt: skip
@build_options
def watch_command(folder: str, out_dir: str, interval: float, settle: float, once: bool,
                  spec: BuildSpec) -> int:  # fmt: skip
    """Build every new or changed intake file saved into FOLDER, once each.

    Each file is built (as txplan build would, with the same options) into
    OUTPUT/<file name>/, with its own manifest; a file is built again only when its content
    changes. Temporary and partial files (~$x.xlsx, .~lock.x#, *.part, *.tmp) are ignored;
    a file is built only once its size and time have not changed for --settle seconds and it
    reads to its end (a CSV whose last row is cut, a workbook whose zip is not finished, is
    waited for): save or move files into FOLDER whole. Runs until Ctrl-C; --once builds what
    is there and exits (0 all rendered; 1 some plan blocked or failed; 2 some file unusable
    or cut short).

    Example: txplan watch inputs/ -o outputs/ --payer medicaid-isp --agency riverside
    """
    payers, agency = spec.payers(), spec.agency()
    formats(spec.formats)  # a bad --format stops here, before any file is watched
    out = Path(out_dir)
    totals = Tally()

    def build_file(path: Path) -> BuildResult:
        tally = Tally()
        options = spec.options(output_folder(out, path))
        result = build(iter_plans([str(path)], tally=tally, merging=True), payers, agency, options)
        totals.unusable += tally.unusable
        totals.rejected += tally.rejected + sum(
            n for s, n in result.progress.statuses.items() if s != "ok"
        )
        return result

    def report(event: WatchEvent) -> None:
        if event.kind == "waiting":
            if once:
                totals.unusable += 1
                echo_err(f"{event.path}: not built: it looks cut short ({event.error}); "
                         "save or move the whole file into the folder")  # fmt: skip
            else:
                echo_err(f"{event.path}: waiting: it looks cut short ({event.error}); "
                         "built once it reads whole")  # fmt: skip
            return
        if event.kind == "failed":
            totals.unusable += 1
            echo_err(f"{event.path}: not built: {event.error}")
            return
        state, manifest = event.result.progress, event.result.manifest
        counts = ", ".join(f"{state.statuses.get(s, 0)} {s}" for s in ("ok", "blocked", "failed"))
        skipped = f", {state.skipped} unchanged" if state.skipped else ""
        where = f" -> {manifest[0]}" if manifest else " (no rows: manifest left as it was)"
        click.echo(f"{event.path}: {state.plans_done} plans ({counts}{skipped}){where}")

    watcher = Watcher(Path(folder), out, build_file, settle=settle, on_event=report)
    if not once:
        click.echo(f"watching {folder} (Ctrl-C to stop)", err=True)
    try:
        watcher.run(once=once, interval=interval)
    except KeyboardInterrupt:
        return EXIT_OK
    return totals.code()


watch_command.name = "watch"
COMMANDS = [watch_command]
