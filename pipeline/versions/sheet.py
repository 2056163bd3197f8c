"""The review sheet: a workbook a therapist fills in at a review, one sheet per client.

Each sheet lists the client's current objectives by the numbers printed on the plan, with
their text, status, baseline, latest score and target date, and empty columns for the new
status, measure and score, progress note, new concern and rationale, and the safety plan made
with the client (a column a section, on the line that says what is still to complete, for a
client at risk or with a safety plan). ``txplan revise`` reads it back
(:mod:`pipeline.versions.reviews`): lines left as they were are skipped.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence

from pipeline.clinical.risk import at_risk, describe_gaps, safety_plan_gaps
from pipeline.model import Plan
from pipeline.versions.numbering import number_of
from pipeline.versions.reviews import ALIASES, SAFETY_PLAN_FIELDS

#: the safety plan's sections as the review reads them back ("Warning signs", ...)
SAFETY_COLUMNS = tuple(ALIASES[f][0].capitalize() for f in SAFETY_PLAN_FIELDS)
HEADER = (
    "Client ID", "Review Date", "Reviewer", "Objective", "Objective text", "Current status",
    "Measure used", "Baseline", "Latest score", "Target date",
    "Status", "Measure", "Score", "Progress note", "New Concern", "Concern Code", "Rationale",
    *SAFETY_COLUMNS,
)  # fmt: skip
#: the columns the therapist fills in (shaded in the sheet)
TO_FILL = HEADER[10:]
WIDTHS = (11, 12, 18, 10, 60, 14, 16, 12, 12, 12, 14, 10, 8, 40, 30, 12, 40,
          *(30 for _ in SAFETY_COLUMNS))  # fmt: skip
_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_name(client_id: str, taken: set[str]) -> str:
    """An Excel sheet name for a client: at most 31 characters, no []:*?/\\, unique."""
    base = _BAD.sub("-", client_id)[:31] or "client"
    name, n = base, 2
    while name.lower() in taken:
        name = f"{base[:27]}~{n}"
        n += 1
    taken.add(name.lower())
    return name


def _latest(plan: Plan, instrument: str | None) -> str:
    if not instrument:
        return ""
    found = plan.latest_measure(instrument)
    return "" if found is None or found.total is None else f"{found.total} ({found.date})"


def _safety_line(plan: Plan) -> str | None:
    """What the safety-plan line says: the sections still to complete with the client, or
    that the plan is complete (None: no safety plan and no risk, no line)."""
    if plan.safety_plan is None and not at_risk(plan):
        return None
    gaps = safety_plan_gaps(plan.safety_plan)
    now = (
        f"to complete: {describe_gaps(gaps)}"
        if gaps
        else "complete; a section written here replaces it"
    )
    return (
        "(the safety plan made with the client: each section in its column, items separated "
        f'by ";", with the rationale; now {now})'
    )


def review_sheet(plans: Sequence[Plan], *, review_date: dt.date | None = None) -> bytes:
    """The workbook (XLSX bytes) for these plans' next review."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    fill = PatternFill("solid", fgColor="FFF2CC")
    for plan in plans:
        sheet = book.create_sheet(sheet_name(plan.client.id, taken))
        sheet.append(HEADER)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        date = review_date or plan.review.next_review_date
        numbers = number_of(plan)
        for goal in plan.goals:
            for objective in goal.objectives:
                sheet.append((
                    plan.client.id, date, None, numbers[objective.id], objective.text,
                    objective.status.value.replace("_", " "), objective.measure or "",
                    objective.baseline or "", _latest(plan, objective.measure),
                    objective.target_date,
                ))  # fmt: skip
        if (safety := _safety_line(plan)) is not None:
            sheet.append((plan.client.id, date, None, None, safety))
        sheet.append((plan.client.id, date, None, None, "(a new concern, or a score for "
                      "another measure: one line each)"))  # fmt: skip
        for column, width in enumerate(WIDTHS, start=1):
            letter = sheet.cell(row=1, column=column).column_letter
            sheet.column_dimensions[letter].width = width
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if cell.data_type == "f":  # openpyxl takes "=..." for a formula: keep it text
                    cell.data_type = "s"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if cell.column > len(HEADER) - len(TO_FILL):
                    cell.fill = fill
            row[1].number_format = "yyyy-mm-dd"
            row[9].number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "E2"
    fixed = dt.datetime(2000, 1, 1)  # no clock value in the file
    book.properties.created = book.properties.modified = fixed
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
