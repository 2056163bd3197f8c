"""``txplan templates check``: lint payer and agency templates against the plan's variables."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.common import CONTEXT, report
from pipeline.cli.guard import EXIT_OK, EXIT_REJECTED


@click.group(context_settings=CONTEXT)
def templates() -> None:
    """Work with payer and agency templates (see README, 'Templates and rendering').

    Example: txplan templates check
    """


@templates.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False))
def check(paths: tuple[str, ...]) -> int:
    """Lint templates: unknown variables, attribute chains, syntax and sandbox errors, and
    hostile constructs (include/import/extends, format-string tricks, huge or unbounded
    ranges, constant-folding bombs such as 9**9**9 or 'a' * 10**9).

    Without PATH, checks every payer template (DOCX, or a PDF form's fields.yaml), the
    client copy and every agency's logo; with PATH, checks those DOCX files. Each problem
    names the template, the part and the paragraph. Exit 1 if any template has a problem.

    Example: txplan templates check templates/payers/clinical/template.docx
    """
    from pipeline.writers.lint_all import lint_templates  # docxtpl loads only when needed

    findings, checked = lint_templates([Path(p) for p in paths])
    report(findings)
    problems = len(findings)
    click.echo(f"{checked} template(s) checked, {problems} problem{'s' * (problems != 1)}")
    return EXIT_REJECTED if problems else EXIT_OK


COMMANDS = [templates]
