"""DOCX rendering: each payer's document holds the plan where the payer expects it."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from docx import Document

from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.writers.client_copy import render_client_copy
from pipeline.writers.docx.render import render_docx
from pipeline.writers.marking import DRAFT_MARK
from tests.support import TEST_DATA

DATA = TEST_DATA / "render"


def load(name: str) -> Plan:
    return Plan.model_validate(json.loads((DATA / f"{name}.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load("full")


@pytest.fixture(scope="module")
def agency():
    return load_agency("riverside")


def doc_of(data: bytes):
    return Document(io.BytesIO(data))


def table_with(document, header: str):
    for table in document.tables:
        if header in [c.text for c in table.rows[0].cells]:
            return table
    raise AssertionError(f"no table with a {header!r} column")


def column(table, header: str) -> list[str]:
    headers = [c.text for c in table.rows[0].cells]
    i = headers.index(header)
    return [row.cells[i].text for row in table.rows[1:]]


def body_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [c.text for row in table.rows for c in row.cells]
    return "\n".join(parts)


def test_clinical_plan_places_formulation_goals_and_signatures(plan, agency) -> None:
    doc = doc_of(render_docx(plan, load_payer("clinical"), agency))
    info = doc.tables[0]
    assert info.cell(0, 1).text == "Maya Okafor" and info.cell(0, 3).text == "RC-1001"
    assert column(table_with(doc, "ICD-10-CM"), "ICD-10-CM") == ["F41.1", "G47.00"]
    five_ps = {row.cells[0].text: row.cells[1].text for row in doc.tables[2].rows}
    assert five_ps["Precipitating"] == "Job loss in 2024"
    objectives = [t for t in doc.tables if t.rows[0].cells[1].text == "Objective"]
    assert column(objectives[0], "Objective")[0] == "Reduce GAD-7 score from 15 to 9 or below"
    # the Measured by column names the instrument or method (and how often), even where the
    # text says it; the baseline has a column of its own, never "baseline ..." in this one
    assert column(objectives[0], "Measured by") == ["GAD-7, every 4 weeks", "Practice log"]
    assert column(objectives[0], "Baseline") == ["15", "0 days"]
    assert column(objectives[0], "Target date")[0] == "June 15, 2025"
    assert column(objectives[1], "#") == ["2.1"]
    interventions = table_with(doc, "Intervention")
    assert column(interventions, "Why") == ["First-line treatment for GAD"]
    text = body_text(doc)
    assert "Goal 1: “I want to stop worrying all the time”" in text
    assert "“I can't stop worrying & I'm not sleeping”" in text  # escaped, not broken XML
    assert "Warning signs: Lying awake past 2am" in text
    signatures = table_with(doc, "Role")
    assert column(signatures, "Role") == [
        "Treating clinician",
        "Clinical supervisor (co-signer)",
        "Client",
    ]
    assert column(signatures, "Name and credentials")[:2] == [
        "Jordan Lee, LCSW, NPI 1234567893",
        "Dr. Priya Raman, PhD",
    ]
    assert column(signatures, "Signature")[0] == "Signed (on file)"
    assert column(signatures, "Date") == ["March 18, 2025", "March 19, 2025", "March 18, 2025"]


def test_medicaid_isp_lists_interventions_once_and_refers_to_them(plan, agency) -> None:
    doc = doc_of(render_docx(plan, load_payer("medicaid-isp"), agency))
    objectives = [t for t in doc.tables if t.rows[0].cells[1].text == "Objective"]
    assert [column(t, "#") for t in objectives] == [["1.1", "1.2"], ["2.1"], ["3.1", "3.2"]]
    assert column(objectives[1], "Objective")[0].startswith("Increase nights with 6+ hours")
    assert column(objectives[0], "Interventions") == ["1.a", "1.a"]
    interventions = [t for t in doc.tables if t.rows[0].cells[1].text == "Intervention"]
    assert column(interventions[0], "Intervention") == ["CBT: Cognitive restructuring of worry"]
    assert column(interventions[0], "Responsible") == ["Jordan Lee, LCSW"]
    text = body_text(doc)
    assert text.count("Cognitive restructuring of worry") == 1
    # one date format (the profile's short one); the day before the review of June 16, 2025
    assert column(objectives[0], "Target date") == ["06/15/2025", "05/15/2025"]
    headers = [c.text for c in objectives[0].rows[0].cells]
    assert headers[4:] == [
        "90-day review (due 06/16/2025)",
        "180-day review (due 09/14/2025)",
        "270-day review (due 12/13/2025)",
    ]
    info = doc.tables[0]
    assert info.cell(0, 3).text == "1EG4-TE5-MK73"
    assert info.cell(1, 5).text == "03/18/2025 (14 days after intake)"
    assert "March" not in text
    assert column(table_with(doc, "Role"), "Name and credentials")[2] == "Maya Okafor"


def test_managed_care_report_shows_interventions_period_and_prognosis(plan, agency) -> None:
    doc = doc_of(render_docx(plan, load_payer("managed-care-otr"), agency))
    scores = table_with(doc, "Measure")
    assert column(scores, "Score") == ["15 / 21", "10 / 27"]
    assert column(scores, "Severity") == ["severe", "moderate"]
    services = table_with(doc, "Sessions (whole course)")
    assert column(services, "Sessions (whole course)") == ["16"]
    assert column(services, "CPT") == ["90837"]
    interventions = table_with(doc, "Intervention")
    assert column(interventions, "Frequency") == ["weekly", "weekly", "every session"]
    period = table_with(doc, "From")
    # to the day before the next review (June 16, which starts the next period), the date
    # every objective due at the review carries
    assert period.cell(0, 1).text == "March 18, 2025" and period.cell(0, 3).text == "June 15, 2025"
    assert "(target date June 15, 2025)" in body_text(doc)
    # weekly sessions in the 90 days requested, said beside the whole course's count
    assert period.cell(1, 0).text == "Sessions this period"
    assert period.cell(1, 1).text == "13 of the 16 planned for the whole course"
    text = body_text(doc)
    assert "Prognosis: Good with weekly CBT" in text
    assert "Impact on daily functioning: Missed 6 days of work" in text
    assert table_with(doc, "Member").cell(2, 3).text == "1416721102"  # the agency's NPI


def test_managed_care_report_never_prints_a_required_item_as_missing(plan, agency) -> None:
    """A missing prognosis blocks the report (TXR015); a draft says "Not recorded", never
    that the payer requires it (an ok document cannot admit it is incomplete)."""
    assessment = plan.assessment.model_copy(update={"prognosis": None})
    unstated = plan.model_copy(update={"assessment": assessment})
    payer = load_payer("managed-care-otr")
    text = body_text(doc_of(render_docx(unstated, payer, agency, draft=True)))
    assert "Prognosis: Not recorded" in text
    assert "required" not in text.lower()


def test_medicare_plan_of_care_has_modality_and_a_90_day_certification(plan, agency) -> None:
    doc = doc_of(render_docx(plan, load_payer("medicare-poc"), agency))
    services = table_with(doc, "Service type")
    assert column(services, "Session length") == ["53 min"]
    assert column(services, "Modality") == ["CBT"]
    assert column(services, "Duration") == ["16 weeks"]
    provider = doc.tables[-1]  # the certification's signature block: every required signer
    assert provider.cell(1, 0).text == "Treating clinician"
    assert provider.cell(1, 1).text == "Jordan Lee, LCSW, NPI 1234567893"
    assert provider.cell(1, 3).text == "March 18, 2025"
    # 90 days from March 18, both counted, end June 15 (the review due June 16 recertifies);
    # a target date never stretches the period past 90 days (session 6, fix-revise #1)
    assert doc.tables[0].cell(2, 3).text == "June 15, 2025"
    assert "Short-term goal 1.2: Practise a worry-postponement" in body_text(doc)


def test_letterhead_and_footer_on_any_payer(plan) -> None:
    northstar = load_agency("northstar")
    data = render_docx(plan, load_payer("medicare-poc"), northstar)
    doc = doc_of(data)
    header = "\n".join(p.text for p in doc.sections[0].header.paragraphs)
    assert northstar.name in header and f"NPI {northstar.npi}" in header
    assert "Medicare plan of care" in header  # the template's own header line stays
    footer = doc.sections[0].footer._element.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    assert any(n.startswith("word/media/") for n in zipfile.ZipFile(io.BytesIO(data)).namelist())


@pytest.mark.parametrize("payer", ["clinical", "medicaid-isp", "managed-care-otr", "medicare-poc"])
def test_draft_marks_every_header_and_only_drafts(plan, agency, payer) -> None:
    draft = doc_of(render_docx(plan, load_payer(payer), agency, draft=True))
    for section in draft.sections:
        assert DRAFT_MARK in section.header.paragraphs[0].text
    final = doc_of(render_docx(plan, load_payer(payer), agency))
    assert all(DRAFT_MARK not in p.text for s in final.sections for p in s.header.paragraphs)


def test_two_renders_are_byte_identical_with_fixed_zip_times(plan, agency) -> None:
    payer = load_payer("clinical")
    first, second = render_docx(plan, payer, agency), render_docx(plan, payer, agency)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert z.namelist()[0] == "[Content_Types].xml"
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = doc_of(first).core_properties
    assert props.created.date().isoformat() == "2025-03-18" == props.modified.date().isoformat()
    assert props.author == "Jordan Lee" and props.title.endswith("RC-1001")


def test_a_changed_plan_changes_the_document(plan, agency) -> None:
    payer = load_payer("clinical")
    other = plan.model_copy(update={"plan_date": plan.intake_date})
    assert render_docx(plan, payer, agency) != render_docx(other, payer, agency)


@pytest.mark.parametrize("payer", ["clinical", "medicaid-isp", "managed-care-otr", "medicare-poc"])
def test_a_bare_plan_renders_without_errors(agency, payer) -> None:
    doc = doc_of(render_docx(load("minimal"), load_payer(payer), agency))
    text = body_text(doc)
    assert "Sam Ruiz" in text
    assert re.search(r"\bNone\b(?! reported)", text) is None  # no None printed for a blank


def test_client_copy_is_plain_language(plan, agency) -> None:
    doc = doc_of(render_client_copy(plan, agency))
    text = body_text(doc)
    assert "Hello May," in text
    assert "“I want to stop worrying all the time”" in text
    assert "Your worry questionnaire score is 15 now. The goal is 9 or less by June 15" in text
    assert "We will meet every week. Each visit is about 53 minutes." in text
    assert "988 Suicide & Crisis Lifeline" in text
    for jargon in ("F41.1", "G47.00", "GAD-7", "PHQ-9", "CPT", "90837", "ICD"):
        assert jargon not in text
