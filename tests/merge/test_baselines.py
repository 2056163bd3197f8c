"""Baselines: on or before the plan date and dated; counts from the intake or a dated log step;
the measure columns agree with the objective's text."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.clinical.smart import check_objective, disagreements
from pipeline.goalbank.bank import load_bank
from pipeline.merge.baseline import intake_count, log_baseline
from pipeline.merge.core import merge
from pipeline.model import (
    Client,
    Diagnosis,
    Goal,
    Measure,
    Objective,
    Plan,
    PresentingProblem,
)
from pipeline.readers import read
from tests.support import ROOT


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def _objectives(plan: Plan, measure: str) -> list[Objective]:
    return [o for g in plan.goals for o in g.objectives if o.measure == measure]


@pytest.fixture(scope="module")
def northstar(bank) -> dict[str, tuple[Plan, list]]:
    merged = {}
    for result in read(ROOT / "inputs" / "mindledger_long.csv"):
        if result.plan is not None:
            merged[result.plan.client.id] = merge(result.plan, bank)
    return merged


@pytest.mark.parametrize(
    ("client", "measure", "baseline", "quoted"),
    [
        # plan 2026-01-07: GAD-7 15 that day, 12 on 02-04 (progress, not a baseline)
        ("2041", "GAD-7", "15", "GAD-7 score of 15 (January 7, 2026)"),
        # plan 2026-01-09: PHQ-9 10 that day, 7 on 02-06
        ("2042", "PHQ-9", "10", "PHQ-9 score of 10 (January 9, 2026)"),
    ],
)
def test_the_baseline_is_the_score_on_or_before_the_plan_date_and_is_dated(
    northstar, client, measure, baseline, quoted
) -> None:
    plan, _ = northstar[client]
    (objective,) = _objectives(plan, measure)
    assert objective.baseline == baseline
    assert objective.baseline_date == plan.plan_date
    assert quoted in objective.text


def _plan(*measures: Measure, words: str = "", day: dt.date = dt.date(2026, 3, 2)) -> Plan:
    return Plan(
        client=Client(id="B1"),
        plan_date=day,
        diagnoses=(Diagnosis(code="F41.1", primary=True),),
        measures=measures,
        presenting_problem=PresentingProblem(functional_impact=words),
    )


def test_a_score_given_only_after_the_plan_date_is_no_baseline(bank) -> None:
    later = Measure(instrument="GAD-7", total=15, date=dt.date(2026, 3, 30))
    merged, findings = merge(_plan(later), bank)
    assert _objectives(merged, "GAD-7") == []
    assert [f.code for f in findings if f.code == "MERGE025"] == ["MERGE025"]


def test_the_nearest_earlier_score_wins_over_an_older_and_a_later_one(bank) -> None:
    scores = (
        Measure(instrument="GAD-7", total=18, date=dt.date(2026, 1, 5)),
        Measure(instrument="GAD-7", total=14, date=dt.date(2026, 2, 27)),
        Measure(instrument="GAD-7", total=9, date=dt.date(2026, 3, 9)),
    )
    merged, _ = merge(_plan(*scores), bank)
    (objective,) = _objectives(merged, "GAD-7")
    assert (objective.baseline, objective.baseline_date) == ("14", dt.date(2026, 2, 27))
    assert "GAD-7 score of 14 (February 27, 2026)" in objective.text


WORK = "days of work missed per month because of symptoms"


@pytest.mark.parametrize(
    ("measure", "text", "value"),
    [
        (WORK, "missed 6 shifts in 2 months", "3"),
        (WORK, "missed 6 work shifts last month", "6"),
        (WORK, "calling in sick once a week", "4.3"),
        ("drinking days per week", "drinking 6+ drinks 5 nights a week", "5"),
        ("drinking days per week", "drinking 5-6 beers daily", "7"),
        ("classes missed per month", "skipped 4 classes this month", "4"),
        (WORK, "two missed deadlines", None),
        ("drinking days per week", "sleeps 5 nights a week at her sister's", None),
    ],
)
def test_a_count_baseline_comes_from_a_number_the_intake_gives(measure, text, value) -> None:
    found = intake_count(measure, text)
    assert (found.value if found else None) == value


LIMIT = "Limit drinking to 2 or fewer nights per week, tracked with a drink log."


@pytest.mark.parametrize(
    ("objective", "text", "value"),
    [
        (LIMIT, "nightmares; drinking 4-5 beers nightly", "7"),  # CT-1002
        (LIMIT, "drinking 6+ drinks 5 nights a week", "5"),
        ("Cut down drinking to 3 or fewer days a week.", "drinks every night", "7"),
        # what the objective counts is not drinking: the intake's drinking is not its baseline
        (
            "Attend 2 or more recovery meetings weekly, with drinking days recorded in a "
            "drinking log.",
            "drinking 6+ drinks 5 nights a week",
            None,
        ),
        ("Limit drinking to 2 drinks per day.", "drinking 4-5 beers nightly", None),
        # no current amount: the past, words too far apart, another clause
        (LIMIT, "used to drink every night; sober since 2019", None),
        (LIMIT, "i have been drinking and i missed work 3 days a week", None),
        (LIMIT, "drinking more since the layoff. out 5 nights a week", None),
        (LIMIT, "sleeps badly", None),
    ],
)
def test_a_clinician_count_objective_takes_the_intake_number_for_what_it_counts(
    objective, text, value
) -> None:
    found = intake_count("drink log", text, objective)
    assert (found.value if found else None) == value


def test_plan_ct_1002_limit_drinking_starts_from_the_intake_not_a_log(bank) -> None:
    """The intake says "drinking 4-5 beers nightly": the clinician's "Limit drinking to 2 or
    fewer nights per week" starts from 7 nights a week, quoted with its source and date
    (it was "to be established from a log")."""
    path = ROOT / "inputs" / "counseltrack_wide.xlsx"
    plans = {r.plan.client.id: r.plan for r in read(path) if r.plan is not None}
    merged, _ = merge(plans["CT-1002"], bank)
    (limit,) = [o for g in merged.goals for o in g.objectives if o.text.startswith("Limit")]
    assert limit.baseline == '7 (intake, January 8, 2026: "drinking 4-5 beers nightly")'
    assert limit.baseline_date == dt.date(2026, 1, 8)
    assert limit.text == LIMIT  # the clinician's words are never rewritten
    assert check_objective(limit, "") == []


def test_count_objectives_quote_the_intake_number_or_a_dated_log_step(bank) -> None:
    path = ROOT / "inputs" / "counseltrack_wide.xlsx"
    plans = {r.plan.client.id: r.plan for r in read(path) if r.plan is not None}
    merged, _ = merge(plans["CT-1001"], bank)
    (missed,) = _objectives(merged, "days of work missed per month because of symptoms")
    assert missed.baseline == "3" and missed.baseline_date == merged.plan_date
    assert 'from 3 (intake, January 6, 2026: "missed 6 shifts in 2 months")' in missed.text
    step = log_baseline(merged.plan_date)
    assert step == "the average of the first 2 weeks' log (January 6-19, 2026)"
    assert "(set" not in " ".join(o.text for g in merged.goals for o in g.objectives)
    for goal in merged.goals:
        for objective in goal.objectives:
            assert "weeks 1-2" not in (objective.baseline or "") + objective.text


def test_columns_that_contradict_the_text_are_an_error_and_merge_takes_the_text(bank) -> None:
    wrong = Objective(
        id="G1.O1",
        text="Reduce night-time checking from 5 to 1 or fewer per night",
        measure="GAD-7",
        baseline="GAD-7 = 16",
        target="GAD-7 < 10",
        target_date=dt.date(2026, 5, 2),
    )
    assert "SMART007" in [f.code for f in check_objective(wrong, "plan")]
    goal = Goal(id="G1", client_words="I want to stop checking on the kids.", objectives=(wrong,))
    plan = _plan(Measure(instrument="GAD-7", total=16, date=dt.date(2026, 3, 2)))
    merged, findings = merge(plan.model_copy(update={"goals": (goal,)}), bank)
    fixed = merged.goals[0].objectives[0]
    assert fixed.text == wrong.text
    assert (fixed.measure, fixed.baseline, fixed.target) == (
        "night-time checking per night",
        "5",
        "1 or fewer",
    )
    assert disagreements(fixed) == []
    assert "MERGE023" in [f.code for f in findings]


def test_plan_30017_objective_1_1_measures_the_checking_not_the_gad7(bank) -> None:
    path = ROOT / "inputs" / "practiceflow_workbook.xlsx"
    plans = {r.plan.client.id: r.plan for r in read(path) if r.plan is not None}
    merged, _ = merge(plans["30017"], bank)
    first = merged.goals[0].objectives[0]
    assert first.text.startswith("Reduce night-time checking from 5 to 1 or fewer")
    assert (first.measure, first.baseline, first.target) == (
        "night-time checking per night",
        "5",
        "1 or fewer",
    )


def test_count_baselines_of_measures_no_intake_number_counts_are_the_log_step(bank) -> None:
    """A measure no stated number counts gets the dated log step whatever the intake says
    (worked out without reading the text); one that a number counts reads it."""
    from pipeline.merge.baseline import count_baseline
    from pipeline.merge.client import ClientFacts

    day = dt.date(2026, 1, 7)
    text = "missed 6 work days this month. drinking 4-5 beers nightly"
    client = ClientFacts(scores={}, text=text, plan_date=day, review_date=day, responsible="A",
                         intake_date=day)  # fmt: skip
    measures = sorted({o.measure for o in bank.objectives.values() if o.kind == "count"})
    counted = 0
    for measure in measures:
        found, stated = count_baseline(client, measure), intake_count(measure, text)
        if stated is None:
            assert found == (log_baseline(day), log_baseline(day), None)
        else:
            assert (found[0], found[2]) == (stated.value, day)
            counted += 1
    assert count_baseline(client, "panic attacks per week")[0] == log_baseline(day)
    assert counted >= 2  # days of work missed and drinking days read the text
