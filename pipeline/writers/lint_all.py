"""Every template txplan would render, linted: payer templates, the client copy, logos."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.errors import TxplanError
from pipeline.findings import Finding
from pipeline.findings import error as error_finding
from pipeline.profiles import list_agencies, list_payers, load_agency
from pipeline.rules import load_payer
from pipeline.writers.client_copy import TEMPLATE as CLIENT_COPY
from pipeline.writers.lint import lint_docx, lint_form, lint_logo, sample_context, shape_of
from pipeline.writers.pdf_form import FIELDS_FILE


def lint_profiles(shape: dict[str, Any] | None = None) -> tuple[list[Finding], int]:
    """Lint every payer template (DOCX, or a PDF form's fields), the client copy and every
    agency's logo: the findings and how many templates were checked."""
    shape = shape if shape is not None else shape_of(sample_context())
    findings: list[Finding] = []
    checked = 0
    for payer_id in list_payers():
        try:
            payer = load_payer(payer_id)
        except TxplanError as exc:
            findings.append(error_finding("TPL005", exc.where or payer_id, exc.message))
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
            findings.append(error_finding("TPL005", exc.where or agency_id, exc.message))
            continue
        checked += 1
        findings += lint_logo(agency.logo, f"templates/agencies/{agency_id}")
    checked += 1
    findings += lint_docx(CLIENT_COPY, shape)
    return findings, checked


def lint_templates(paths: Sequence[Path] = ()) -> tuple[list[Finding], int]:
    """``txplan templates check``: the given DOCX templates, or (none given) every template
    txplan would render (:func:`lint_profiles`); the findings and how many were checked."""
    shape = shape_of(sample_context())
    if not paths:
        return lint_profiles(shape)
    return [f for p in paths for f in lint_docx(Path(p), shape)], len(paths)
