"""``txplan templates check``: lint payer and agency templates against the plan's variables."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.common import CONTEXT, EXIT_REJECTED, report, translate_errors
from pipeline.errors import TxplanError
from pipeline.findings import Finding, error
from pipeline.profiles import list_agencies, list_payers, load_agency
from pipeline.rules import load_payer


@click.group(context_settings=CONTEXT)
def templates() -> None:
    """Work with payer and agency templates (see README, 'Templates and rendering').

    Example: txplan templates check
    """


def _lint_profiles(shape: dict) -> tuple[list[Finding], int]:
    from pipeline.writers.client_copy import TEMPLATE as CLIENT_COPY
    from pipeline.writers.lint import lint_docx, lint_form, lint_logo
    from pipeline.writers.pdf_form import FIELDS_FILE

    findings: list[Finding] = []
    checked = 0
    for payer_id in list_payers():
        try:
            payer = load_payer(payer_id)
        except TxplanError as exc:
            findings.append(error("TPL005", exc.where or payer_id, exc.message))
            continue
        checked += 1
        if payer.kind == "pdf_form":
            findings += lint_form(payer.directory / FIELDS_FILE, payer.template, shape)
        else:
            findings += lint_docx(payer.template, shape)
    for agency_id in list_agencies():
        try:
            agency = load_agency(agency_id)
        except TxplanError as exc:
            findings.append(error("TPL005", exc.where or agency_id, exc.message))
            continue
        checked += 1
        findings += lint_logo(agency.logo, f"templates/agencies/{agency_id}")
    checked += 1
    findings += lint_docx(CLIENT_COPY, shape)
    return findings, checked


@templates.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@translate_errors
def check(paths: tuple[str, ...]) -> None:
    """Lint templates: unknown variables, attribute chains, syntax and sandbox errors.

    Without PATH, checks every payer template (DOCX, or a PDF form's fields.yaml), the
    client copy and every agency's logo; with PATH, checks those DOCX files. Each problem
    names the template, the part and the paragraph. Exit 1 if any template has a problem.

    Example: txplan templates check templates/payers/clinical/template.docx
    """
    from pipeline.writers.lint import lint_docx, sample_context, shape_of

    shape = shape_of(sample_context())
    if paths:
        findings = [f for p in paths for f in lint_docx(Path(p), shape)]
        checked = len(paths)
    else:
        findings, checked = _lint_profiles(shape)
    report(findings)
    problems = len(findings)
    click.echo(f"{checked} template(s) checked, {problems} problem{'s' * (problems != 1)}")
    if problems:
        raise SystemExit(EXIT_REJECTED)


COMMANDS = [templates]
