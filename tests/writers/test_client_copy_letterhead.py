"""The client copy carries the agency's name and contact details, not what third parties get.

Its letterhead printed "NPI 1416721102" (a billing identifier) and its footer Riverside's
"Do not redisclose without consent", a notice for a payer or agency receiving the record
(42 CFR Part 2, HIPAA), not for the client's own copy. Both renderers, both agencies.
"""

from __future__ import annotations

import pytest

from pipeline.model import Plan
from pipeline.profiles import load_agency
from pipeline.rules import load_payer
from pipeline.writers import WriterOptions, prepare, render
from pipeline.writers.client_copy import CLIENT_COPY, CLIENT_NOTICE
from pipeline.writers.textlint import docx_lines
from tests.support import TEST_DATA

PLAN = Plan.model_validate_json((TEST_DATA / "render" / "full.json").read_text())


@pytest.mark.parametrize("renderer", ["auto", "docxtpl"])
@pytest.mark.parametrize("agency_id", ["riverside", "northstar"])
def test_client_copy_letterhead_is_for_the_client(agency_id: str, renderer: str) -> None:
    agency = load_agency(agency_id)
    options = WriterOptions(renderer=renderer)
    prepare(CLIENT_COPY, agency, options)
    (doc,) = render(PLAN, CLIENT_COPY, agency, options)
    text = "\n".join(docx_lines(doc.data))
    assert agency.npi not in text and "NPI" not in text, text
    assert agency.fax and agency.fax not in text
    assert agency.tax_id and agency.tax_id not in text
    assert "redisclose" not in text.casefold()
    assert agency.footer and agency.footer not in text
    assert CLIENT_NOTICE in text
    for contact in (agency.name, agency.address, f"Phone {agency.phone}", f"Email {agency.email}"):
        assert contact in text, contact


def test_payer_documents_keep_the_agency_npi_and_notice() -> None:
    """Only the client copy changes: a payer's document after it (same process, same
    compiled-template cache) still carries the NPI and the agency's own notice."""
    agency = load_agency("riverside")
    render(PLAN, CLIENT_COPY, agency, WriterOptions())
    (doc,) = render(PLAN, load_payer("clinical"), agency, WriterOptions())
    text = "\n".join(docx_lines(doc.data))
    assert f"NPI {agency.npi}" in text
    assert agency.footer in text
    assert CLIENT_NOTICE not in text
