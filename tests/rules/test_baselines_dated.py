"""A Medicaid ISP never carries a score baseline without its date (TXR022): RC-1077's intake
questionnaire gives its PHQ-9 and GAD-7 with no date (the rule blocks the ISP, naming each
objective); a clinician's baseline column that is a dated intake score carries that date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest

from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.model import Plan
from pipeline.profiles import load_payer
from pipeline.readers import read
from pipeline.rules import check
from tests.support import ROOT

QUESTIONNAIRE = ROOT / "inputs" / "intake-questionnaire.docx"


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def _merged(path: Path, client_id: str, bank) -> Plan:
    [plan] = [r.plan for r in read(path) if r.plan is not None and r.plan.client.id == client_id]
    return merge(plan, bank)[0]


def test_rc_1077s_undated_scores_block_its_isp_naming_each_objective(bank) -> None:
    plan = _merged(QUESTIONNAIRE, "RC-1077", bank)
    found = [f for f in check(plan, load_payer("medicaid-isp")) if f.code == "TXR022"]
    assert [f.where for f in found] == [
        "goals[1].objectives[1].baseline_date",
        "goals[1].objectives[2].baseline_date",
    ]  # goal 1: the adjustment disorder's (F43.23, primary) goals come first
    assert "objective 1.1 starts from a PHQ-9 score of 10 with no date" in found[0].message
    assert "record the date the GAD-7 was given" in found[1].message
    assert "(date not recorded)" in plan.goals[0].objectives[0].text  # what the ISP would print


def test_the_same_questionnaire_with_its_dates_passes(bank, tmp_path) -> None:
    """What the finding asks for is possible: a PHQ-9 and GAD-7 date on the form."""
    dated = docx.Document(str(QUESTIONNAIRE))
    dated.add_paragraph("PHQ-9 date: October 20, 2026")
    dated.add_paragraph("GAD-7 date: October 20, 2026")
    path = tmp_path / "intake-questionnaire-dated.docx"
    dated.save(str(path))
    plan = _merged(path, "RC-1077", bank)
    assert not [f for f in check(plan, load_payer("medicaid-isp")) if f.code == "TXR022"]
    assert "PHQ-9 score of 10 (October 20, 2026)" in plan.goals[0].objectives[0].text


def test_a_clinician_baseline_column_that_is_the_intake_score_carries_its_date(bank) -> None:
    """PracticeFlow gives 30020's objective with Measure PCL-5 and Baseline 55, the PCL-5 of
    February 6, 2026: the date was on the intake and lost in the merge."""
    plan = _merged(ROOT / "inputs" / "practiceflow_workbook.xlsx", "30020", bank)
    [pcl] = [o for g in plan.goals for o in g.objectives if o.measure == "PCL-5"]
    assert (pcl.baseline, pcl.baseline_date) == ("55", dt.date(2026, 2, 6))
    assert not [f for f in check(plan, load_payer("medicaid-isp")) if f.code == "TXR022"]
