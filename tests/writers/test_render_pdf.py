"""PDF output: LibreOffice batch conversion (one process), and BluePeak's filled PDF form."""

from __future__ import annotations

import io
import json
import os
import shutil
import stat

import pdfplumber
import pytest
from pypdf import PdfReader

from pipeline.errors import ConfigError
from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.writers.client_copy import render_client_copy
from pipeline.writers.docx.render import render_docx
from pipeline.writers.libreoffice import ConversionError, PdfConverter, find_soffice
from pipeline.writers.marking import DRAFT_MARK
from pipeline.writers.pdf_form import fill_form
from tests.support import ROOT, TEST_DATA

DATA = TEST_DATA / "render"
PLAN = Plan.model_validate(json.loads((DATA / "full.json").read_text(encoding="utf-8")))
AGENCY = load_agency("riverside")
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")


@pytest.fixture(scope="module")
def converted() -> tuple[dict[str, bytes], int]:
    """Three documents converted in ONE LibreOffice process, shared by the tests below."""
    docs = {
        "clinical-draft": render_docx(PLAN, load_payer("clinical"), AGENCY, draft=True),
        "medicaid": render_docx(PLAN, load_payer("medicaid-isp"), AGENCY),
        "client-copy": render_client_copy(PLAN, AGENCY),
    }
    with PdfConverter() as converter:
        pdfs = converter.convert(docs)
    return pdfs, converter.calls


def pages_text(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


@needs_soffice
def test_one_libreoffice_process_converts_the_whole_batch(converted) -> None:
    pdfs, calls = converted
    assert calls == 1
    assert all(isinstance(v, bytes) and v.startswith(b"%PDF") for v in pdfs.values())


@needs_soffice
def test_draft_is_on_every_page_of_the_pdf(converted) -> None:
    pages = pages_text(converted[0]["clinical-draft"])
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert DRAFT_MARK in text, f"page {number} has no DRAFT mark"
        assert f"Page {number} of {len(pages)}" in text
        assert AGENCY.name in text


@needs_soffice
def test_pdf_text_holds_the_grid_and_letterhead(converted) -> None:
    text = "\n".join(pages_text(converted[0]["medicaid"]))
    assert "Individualized Service Plan" in text and "1EG4-TE5-MK73" in text
    assert "12/13/2025" in text  # 270-day review column
    assert DRAFT_MARK not in text
    assert "NPI 1416721102" in text


def test_missing_libreoffice_is_a_clear_error(monkeypatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("TXPLAN_SOFFICE", raising=False)
    with pytest.raises(ConfigError, match="LibreOffice is not installed"):
        find_soffice()


def test_a_stalled_conversion_times_out(tmp_path, monkeypatch) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("TXPLAN_SOFFICE", str(fake))
    with PdfConverter(timeout=0.3, startup=0.2) as converter:
        result = converter.convert({"a.docx": b"not used", "b.docx": b"not used"})
    assert all(isinstance(r, ConversionError) and "stalled" in r.message for r in result.values())
    assert result["a.docx"].where == "a.docx"


def form_fields(data: bytes) -> dict:
    return {k: v.get("/V") for k, v in (PdfReader(io.BytesIO(data)).get_fields() or {}).items()}


def test_form_fields_are_filled_from_the_plan() -> None:
    fields = form_fields(fill_form(PLAN, load_payer("bluepeak-pdf"), AGENCY, flatten=False))
    assert fields["member_name"] == "Maya Okafor"
    assert fields["member_id"] == "1EG4-TE5-MK73"
    assert fields["dx1_code"] == "F41.1"
    assert fields["dx_other"] == "G47.00 Insomnia, unspecified (provisional)"
    assert fields["provider_npi"] == AGENCY.npi
    assert fields["clinician_credentials"] == "LCSW"
    assert fields["measures"] == "GAD-7 15 / 21 (severe); PHQ-9 10 / 27 (moderate)"
    assert fields["sessions_requested"] == "16"
    assert fields["risk_suicidal"] == "/Yes" and fields["risk_homicidal"] == "/Off"
    assert fields["svc_individual"] == "/Yes" and fields["svc_group"] == "/Off"
    assert fields["goal2"].startswith("Sleep through the night / Increase nights")
    assert fields["goal3"].startswith("Stay safe on the hard nights / Use at least one step")


def test_form_fill_is_deterministic() -> None:
    payer = load_payer("bluepeak-pdf")
    assert fill_form(PLAN, payer, AGENCY) == fill_form(PLAN, payer, AGENCY)


def test_flattened_form_has_no_fields_and_shows_values_and_draft() -> None:
    data = fill_form(PLAN, load_payer("bluepeak-pdf"), AGENCY, flatten=True, draft=True)
    assert not PdfReader(io.BytesIO(data)).get_fields()
    text = pages_text(data)[0]
    assert "Maya Okafor" in text and "1EG4-TE5-MK73" in text
    assert DRAFT_MARK in text


def test_every_form_field_has_a_mapping() -> None:
    from pipeline.writers.pdf_form import load_fields

    payer = load_payer("bluepeak-pdf")
    mapped = {f.name for f in load_fields(payer.directory / "fields.yaml")}
    assert mapped == set(PdfReader(payer.template).get_fields())


@pytest.mark.skipif(os.environ.get("TXPLAN_SKIP_SLOW") == "1", reason="slow")
def test_generated_templates_logos_and_form_are_current(tmp_path) -> None:
    """Every file scripts/make_templates.py makes (the lean DOCX templates, the logos and the
    form built from its fields map) is byte-identical to the one committed."""
    import subprocess
    import sys

    root = ROOT
    subprocess.run([sys.executable, str(root / "scripts" / "make_templates.py"), str(tmp_path)],
                   check=True, capture_output=True)  # fmt: skip
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert len(made) == 8
    for relative in made:
        committed = root / "templates" / relative
        assert (tmp_path / relative).read_bytes() == committed.read_bytes(), f"{relative} is stale"
