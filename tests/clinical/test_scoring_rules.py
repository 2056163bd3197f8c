"""Scoring beyond the totals (issue 13): the PCL-5's DSM-5 rule beside its cut-off, the
AUDIT-C by the client's sex on every path (intake, review, merge), the missing-item rules."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pipeline.clinical.instruments import INSTRUMENTS
from pipeline.clinical.measures import RULE_DISAGREES, score, screens_negative
from pipeline.errors import ValueProblem
from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.model import Client, Diagnosis, Measure, Plan
from pipeline.versions.reviews import ReviewRow
from pipeline.versions.revise import apply_review
from tests.support import ROOT
from tests.versions.versions_helpers import only_due


def pcl5(b=(), c=(), d=(), e=(), rating: int = 2) -> list[int]:
    """PCL-5 items with the given (1-based) items rated ``rating`` and the rest 0."""
    chosen = {*b, *c, *d, *e}
    return [rating if n in chosen else 0 for n in range(1, 21)]


# The DSM-5 provisional rule: an item counts when rated 2 or more; at least 1 B (1-5),
# 1 C (6-7), 2 D (8-14) and 2 E (15-20).
def test_pcl5_total_12_meeting_the_rule_is_not_just_below_threshold() -> None:
    measure, findings = score("PCL-5", items=pcl5(b=[1], c=[6], d=[8, 9], e=[15, 16]))
    assert measure.total == 12
    assert measure.severity == (
        "below threshold; DSM-5 provisional PTSD rule met (B 1/1, C 1/1, D 2/2, E 2/2)"
    )
    assert [f.code for f in findings] == [RULE_DISAGREES]
    assert "is met" in findings[0].message and "31-33" in findings[0].message


def test_pcl5_total_36_failing_the_rule_says_so_beside_probable_ptsd() -> None:
    items = [4, 4, 4, 4, 4, 0, 0, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0]  # no C, no E
    measure, findings = score("PCL-5", items=items)
    assert measure.total == 36
    assert measure.severity.startswith("probable PTSD; DSM-5 provisional PTSD rule not met")
    assert "C 0/1" in measure.severity and "E 0/2" in measure.severity
    assert [f.code for f in findings] == [RULE_DISAGREES]


@pytest.mark.parametrize(
    "short",
    [
        dict(b=[], c=[6], d=[8, 9], e=[15, 16]),
        dict(b=[1], c=[], d=[8, 9], e=[15, 16]),
        dict(b=[1], c=[6], d=[8], e=[15, 16]),
        dict(b=[1], c=[6], d=[8, 9], e=[15]),
    ],
)
def test_each_cluster_one_short_fails_the_rule(short) -> None:
    assert "rule not met" in score("PCL-5", items=pcl5(**short))[0].severity


def test_items_rated_1_never_count_and_agreement_is_quiet() -> None:
    ones = pcl5(b=[1, 2, 3, 4, 5], c=[6, 7], d=range(8, 15), e=range(15, 21), rating=1)
    measure, findings = score("PCL-5", items=ones)
    assert measure.total == 20 and "rule not met (B 0/1, C 0/1, D 0/2, E 0/2)" in measure.severity
    assert findings == ()  # below the cut-off and the rule not met: they agree
    high, findings = score("PCL-5", items=[3] * 20)
    assert high.severity.startswith("probable PTSD; DSM-5 provisional PTSD rule met")
    assert findings == ()
    total_only, _ = score("PCL-5", total=40)
    assert total_only.severity == "probable PTSD"  # no items: the cut-off alone


# --- AUDIT-C and sex ------------------------------------------------------------------------


def test_audit_c_unknown_sex_reports_both_cut_offs() -> None:
    for total in (0, 3, 4, 12):
        label = score("AUDIT-C", total=total)[0].severity
        assert "3" in label and "4" in label and "sex not recorded" in label
    assert "positive for a woman" in score("AUDIT-C", total=3)[0].severity
    assert screens_negative("AUDIT-C", 3, "M") and not screens_negative("AUDIT-C", 3, "F")
    assert not screens_negative("AUDIT-C", 3, None) and not screens_negative("PHQ-9", 0, "M")


def _review(plan: Plan, total: int) -> Measure:
    row = ReviewRow(where="review.csv, row 2", client_id=plan.client.id,
                    date=dt.date(2024, 4, 1), instrument="AUDIT-C", score=total)  # fmt: skip
    revised, findings = apply_review(plan, [row])
    assert revised is not None, findings
    return revised.latest_measure("AUDIT-C")


@pytest.mark.parametrize(("sex", "band"), [("F", "positive screen"), ("M", "negative screen")])
def test_review_scores_the_audit_c_with_the_clients_sex(sex: str, band: str) -> None:
    """A woman's 3 is positive at intake and at review (revise used to drop the sex)."""
    base = only_due()  # a scores-only review: no objective due before the next review
    plan = base.model_copy(
        update={"client": base.client.model_copy(update={"sex_assigned_at_birth": sex})}
    )
    assert score("AUDIT-C", total=3, sex=sex)[0].severity == band
    assert _review(plan, 3).severity == band


def _alcohol_plan(sex: str | None) -> Plan:
    return Plan(
        client=Client(id="A-1", first_name="Sam", last_name="Reyes",
                      date_of_birth=dt.date(1990, 1, 1), sex_assigned_at_birth=sex),
        plan_date=dt.date(2026, 1, 5),
        diagnoses=(Diagnosis(code="F10.10", description="Alcohol use disorder, mild"),),
        measures=(Measure(instrument="AUDIT-C", date=dt.date(2026, 1, 5), total=3),),
    )  # fmt: skip


def test_merge_sets_no_audit_c_target_below_the_clients_cut_off() -> None:
    """A man's AUDIT-C 3 is a negative screen: no "reduce AUDIT-C from 3 to 2" objective; a
    woman's 3 (positive) and a 3 with sex unknown (positive for one of the cut-offs) get it."""
    bank = load_bank()

    def audit_objectives(sex: str | None) -> list[str]:
        merged, _ = merge(_alcohol_plan(sex), bank)
        return [o.text for g in merged.goals for o in g.objectives if o.measure == "AUDIT-C"]

    assert audit_objectives("male") == []
    assert audit_objectives("female") and audit_objectives(None)
    assert "score of 3" in audit_objectives("female")[0]


# --- missing items --------------------------------------------------------------------------


def test_phq9_item_9_blank_is_an_error_even_with_a_total() -> None:
    with pytest.raises(ValueProblem, match="item 9 .* is blank while other items are answered"):
        score("PHQ-9", items=[1, 1, 1, 1, 1, 1, 1, 1, None], total=8)
    measure, findings = score("PHQ-9", items=[1, None, 1, 1, 1, 1, 1, 1, 0], total=8)
    assert measure.total == 8 and [f.code for f in findings] == ["MEAS002"]


def test_readme_states_the_missing_item_rule_of_every_instrument() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("**Missing items**") :]
    rows = dict(re.findall(r"^\| (\S+) \| (.+) \|$", section, flags=re.M))
    for spec in INSTRUMENTS:
        assert rows.get(spec.name) == spec.missing, spec.name
    assert "C-SSRS" in rows
