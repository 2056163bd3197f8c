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
from pipeline.writers.wording import MONTHS, human_date, iso_date, short_date, tidy
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
    assert lines[lines.index("To") + 1] == "June 16, 2025", lines
    due = [o.target_date for g in plan.goals for o in g.objectives]
    assert due and max(due) <= dt.date(2025, 6, 16)


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


def test_a_log_range_is_printed_in_one_date_form() -> None:
    """The ISP (short dates) printed "the first 2 weeks' log (October 20 to 11/02/2026)": only
    the range's second end was a date the writers knew to reformat."""
    across = log_baseline(dt.date(2026, 10, 20))
    assert tidy(across, short_date).endswith("log (10/20/2026 to 11/02/2026)")
    assert tidy(across, human_date) == across  # the long form is already the document's
    within = log_baseline(dt.date(2026, 1, 7))
    assert tidy(within, short_date).endswith("log (01/07/2026 to 01/20/2026)")
    assert tidy(within, iso_date).endswith("log (2026-01-07 to 2026-01-20)")


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 1)))
def test_a_short_date_document_never_mixes_date_forms(start: dt.date) -> None:
    text = tidy(f"the log ({log_baseline(start)})", short_date)
    assert not any(month in text for month in MONTHS), text
    assert tidy(log_baseline(start), human_date) == log_baseline(start)
