"""``txplan goalbank lint``: check a goal bank workbook and count what it holds."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.common import CONTEXT, report
from pipeline.cli.guard import EXIT_OK, EXIT_REJECTED
from pipeline.findings import Severity
from pipeline.goalbank.bank import DEFAULT_GOALBANK, read_sheets
from pipeline.goalbank.lint import lint_sheets

#: summary label -> sheet counted
COUNTED = (
    ("families", "Families"),
    ("problems", "Problems"),
    ("goals", "Goals"),
    ("objectives", "Objectives"),
    ("interventions", "Interventions"),
)


@click.group(context_settings=CONTEXT)
def goalbank() -> None:
    """Work with the goal bank (goalbank.xlsx): problems, goals, objectives, interventions.

    Example: txplan goalbank lint goalbank.xlsx
    """


@goalbank.command(context_settings=CONTEXT)
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
def lint(path: Path | None) -> int:
    """Check a goal bank: references, ids, placeholders, SMART templates, ICD-10-CM codes.

    PATH defaults to the goalbank.xlsx shipped at the repository root. Each finding names
    its sheet, row and column; the last line counts families, problems, goals, objectives
    and interventions. Exit 0 clean (warnings allowed), 1 errors found, 2 unreadable file.

    Example: txplan goalbank lint my-agency-goalbank.xlsx
    """
    path = path or DEFAULT_GOALBANK
    sheets = read_sheets(path)
    findings = lint_sheets(path, sheets)
    report(findings)
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
    counts = ", ".join(f"{len(sheets[sheet])} {label}" for label, sheet in COUNTED)
    click.echo(f"{path.name}: {counts}; {errors} error(s), {warnings} warning(s)")
    return EXIT_REJECTED if errors else EXIT_OK


COMMANDS = [goalbank]
