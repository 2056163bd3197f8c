"""Dates and wording of the payer documents, read as an auditor reads them.

The treatment report's authorization period holds the objectives due at the next review: the
managed-care report asked for "January 15, 2026 to April 14, 2026" while every objective
of the plan was due "by April 15, 2026" (northstar 2044): the merge dates objectives on the
next review (plan date + interval), the period ended the day before it.
"""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given
from hypothesis import strategies as st

from pipeline.merge.baseline import log_baseline
from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.writers import WriterOptions, render
from pipeline.writers.textlint import docx_lines
from pipeline.writers.wording import MONTHS, human_date, short_date, tidy
from tests.support import TEST_DATA

AGENCY = load_agency("riverside")
OTR = load_payer("managed-care-otr")
FULL = json.loads((TEST_DATA / "render" / "full.json").read_text(encoding="utf-8"))


def _plan(review: str | None) -> Plan:
    data = json.loads(json.dumps(FULL))
    data["review"]["next_review_date"] = review
    return Plan.model_validate(data)


def test_period_runs_through_the_review_the_objectives_are_due_on() -> None:
    plan = _plan("2025-06-16")  # plan date 2025-03-18 + 90 days
    (doc,) = render(plan, OTR, AGENCY, WriterOptions())
    lines = docx_lines(doc.data)
    assert lines[lines.index("From") + 1] == "March 18, 2025"
    # the day before the review: the review day starts the next period (session 8)
    assert lines[lines.index("To") + 1] == "June 15, 2025", lines
    due = [o.target_date for g in plan.goals for o in g.objectives]
    assert due and max(due) <= dt.date(2025, 6, 15)


def test_a_services_frequency_reads_mid_sentence_in_lower_case() -> None:
    """The clinical plan said "53-minute individual psychotherapy, Weekly, 16 weeks, CPT
    90837" (the exports write "Weekly"); an acronym such as "BID" stays as written."""
    data = json.loads(json.dumps(FULL))
    data["services"][0]["frequency"] = "Every other week"
    plan = Plan.model_validate(data)
    (doc,) = render(plan, load_payer("clinical"), AGENCY, WriterOptions())
    text = "\n".join(docx_lines(doc.data))
    assert "individual CBT, every other week, 16 weeks" in text, text
    assert "Every other week" not in text.replace("\nEvery other week", "")


def test_a_span_of_days_takes_the_documents_date_format() -> None:
    """The ISP and the BluePeak form print dates as 04/09/2026, but an objective's baseline
    log read "(January 9-22, 2026) to 5 or more by 04/09/2026" (2042), and a span across
    months "(January 26 to 02/08/2026)": only the span's last date, which has the year, was
    converted. Documents in the long format keep "January 9-22, 2026"."""
    data = json.loads(json.dumps(FULL))
    objective = data["goals"][0]["objectives"][0]
    objective["text"] = (
        "Increase calm days per week from the average of the first 2 weeks' log "
        "(March 18-31, 2025) to 5 or more by June 16, 2025, as recorded in a log"
    )
    data["goals"][0]["objectives"].append(
        dict(
            objective,
            id="G1.O9",
            text="Sleep 6 hours from the log (March 25 to April 7, "
            "2025) to 5 nights by June 16, 2025",
        )  # fmt: skip
    )
    plan = Plan.model_validate(data)
    (isp,) = render(plan, load_payer("medicaid-isp"), AGENCY, WriterOptions())
    text = "\n".join(docx_lines(isp.data))
    assert "(03/18/2025 to 03/31/2025) to 5 or more by 06/16/2025" in text, text
    assert "(03/25/2025 to 04/07/2025) to 5 nights by 06/16/2025" in text, text
    assert "March 18-31" not in text and "March 25 to" not in text
    (clinical,) = render(plan, load_payer("clinical"), AGENCY, WriterOptions())
    text = "\n".join(docx_lines(clinical.data))
    assert "(March 18-31, 2025) to 5 or more by June 16, 2025" in text, text
    assert "(March 25 to April 7, 2025)" in text, text


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 1)))
def test_a_short_date_document_never_mixes_date_forms(start: dt.date) -> None:
    text = tidy(f"the log ({log_baseline(start)})", short_date)
    assert not any(month in text for month in MONTHS), text
    assert tidy(log_baseline(start), human_date) == log_baseline(start)
