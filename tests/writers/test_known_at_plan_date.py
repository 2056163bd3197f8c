"""A plan shows only what was known at its date: no score dated after it (the 2041 OTR and
BluePeak form listed a February GAD-7 on a January plan)."""

from __future__ import annotations

import datetime as dt
import json

from pipeline.model import Measure, Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.rules import check
from pipeline.writers.context import build_context
from pipeline.writers.progress import progress_of
from tests.support import TEST_DATA

LATER = Measure(instrument="GAD-7", date=dt.date(2025, 4, 1), total=9, severity="mild")


def full() -> Plan:
    data = json.loads((TEST_DATA / "render" / "full.json").read_text(encoding="utf-8"))
    return Plan.model_validate(data)


def with_later_score(plan: Plan) -> Plan:
    return plan.model_copy(update={"measures": (*plan.measures, LATER)})


def test_documents_leave_out_scores_dated_after_the_plan() -> None:
    plan = with_later_score(full())  # plan date 2025-03-18; the GAD-7 of 2025-04-01 is later
    agency = load_agency("riverside")
    for payer_id in ("managed-care-otr", "bluepeak-pdf"):
        context = build_context(plan, load_payer(payer_id), agency)
        assert [m["date"] for m in context["measures"] if m["instrument"] == "GAD-7"] == [
            context["intake_date"]
        ], payer_id
        assert "9 / 21" not in context["measures_text"]
        assert "(mild)" not in context["measures_text"]
    assert [p.points for p in progress_of(plan) if p.instrument == "GAD-7"] == [
        ((dt.date(2025, 3, 4), 15),)
    ]


def test_a_reviewed_plan_shows_the_scores_of_its_review() -> None:
    plan = with_later_score(full())
    review = plan.review.model_copy(update={"last_review_date": dt.date(2025, 4, 1)})
    reviewed = plan.model_copy(update={"review": review})
    assert reviewed.as_of == dt.date(2025, 4, 1)
    assert LATER in reviewed.measures_known()
    (gad,) = [p for p in progress_of(reviewed) if p.instrument == "GAD-7"]
    assert gad.points[-1] == (dt.date(2025, 4, 1), 9)


def test_a_payer_needing_a_score_does_not_count_one_after_the_plan() -> None:
    plan = full()
    only_later = plan.model_copy(update={"measures": (LATER,)})
    payer = load_payer("managed-care-otr")
    codes = [f.code for f in check(only_later, payer) if f.where == "measures"]
    assert codes == ["TXR014"]
