"""The plan of care says when the goals fall due: CT-1004's read "Certification through April
13, 2026" above short-term goals due "by April 14, 2026", one day outside the period. Session
7 printed the recertification day ("Recertification due April 14, 2026") beside the period;
session 8 (the lead's decision) dates every goal the merge dates on the period's last day, the
day before the review that recertifies the plan, so each lies inside the certified period."""

from __future__ import annotations

import datetime as dt

from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.model import Origin
from pipeline.profiles import load_agency, load_payer
from pipeline.readers import read
from pipeline.versions.certification import period
from pipeline.writers.docx.render import render_docx
from tests.support import ROOT
from tests.writers.test_render import doc_of


def _ct_1004():
    for result in read(ROOT / "inputs" / "counseltrack_wide.xlsx"):
        if result.plan is not None and result.plan.client.id == "CT-1004":
            return merge(result.plan, load_bank())[0]
    raise AssertionError("CT-1004")


def _fields(table) -> dict[str, str]:
    cells = [[c.text.strip() for c in row.cells] for row in table.rows]
    return {row[i]: row[i + 1] for row in cells for i in range(0, len(row), 2)}


def test_the_plan_of_care_prints_the_recertification_the_goals_are_due_on() -> None:
    plan = _ct_1004()
    certified = period(plan)
    assert certified is not None
    assert (certified.start, certified.end) == (dt.date(2026, 1, 14), dt.date(2026, 4, 13))
    bank_dates = {o.target_date for g in plan.goals for o in g.objectives
                  if o.origin is Origin.BANK}  # fmt: skip
    assert bank_dates == {certified.end}  # the period's last day, the day before the review
    for renderer in ("fast", "docxtpl"):
        doc = doc_of(render_docx(plan, load_payer("medicare-poc"), load_agency("riverside"),
                                 renderer=renderer))  # fmt: skip
        fields = _fields(next(t for t in doc.tables if "Beneficiary" in _fields(t)))
        assert fields["Certification through"] == "April 13, 2026"
        assert fields["Recertification due"] == "April 14, 2026"
        assert fields["Plan date"] == "January 14, 2026"
        goals = [p.text for p in doc.paragraphs if p.text.startswith("Short-term goal")]
        assert goals and all("April 13, 2026" in g for g in goals if "2026" in g)
        assert not any("April 14, 2026" in g for g in goals)
