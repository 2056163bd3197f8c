"""Merge: clinician text wins, safety survives the bounds, shared problems once, SMART output."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.clinical.smart import check_objective
from pipeline.findings import Severity
from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import MergeOptions, merge
from pipeline.model import (
    Client,
    Diagnosis,
    Goal,
    Intervention,
    Measure,
    Objective,
    Origin,
    Plan,
    PresentingProblem,
    Review,
    Risk,
    SafetyPlan,
)

DAY = dt.date(2025, 3, 3)


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def _plan(*codes: str, risk: bool = False, **extra) -> Plan:
    diagnoses = tuple(Diagnosis(code=c, primary=i == 0) for i, c in enumerate(codes))
    measures = (
        Measure(instrument="PHQ-9", total=18, date=DAY),
        Measure(instrument="GAD-7", total=12, date=DAY),
    )
    fields = dict(
        client=Client(id="T1"),
        intake_date=DAY,
        diagnoses=diagnoses,
        measures=measures,
        risk=Risk(safety_plan_required=risk),
    )
    return Plan(**{**fields, **extra})


def test_fills_placeholders_from_the_client(bank) -> None:
    merged, findings = merge(_plan("F33.1"), bank)
    assert findings == []
    assert merged.plan_date == DAY
    assert merged.review.next_review_date == DAY + dt.timedelta(days=90)
    first = merged.goals[0]
    assert first.bank_id == "DEP-MOOD.G1" and first.origin is Origin.BANK
    phq = first.objectives[0]
    assert (phq.measure, phq.baseline, phq.target) == ("PHQ-9", "18", "9 or lower")
    # the last day before the review (June 1): the review day starts the next period
    assert phq.target_date == dt.date(2025, 5, 31)
    assert "from a PHQ-9 score of 18 (March 3, 2025) to 9 or lower by May 31, 2025" in phq.text
    # how often it is measured is its text's ("repeated every 4 weeks"), never the first
    # intervention's session frequency ("weekly"): the Measured by column said "measured weekly"
    assert phq.frequency is None and "repeated every 4 weeks" in phq.text
    assert "{" not in " ".join(o.text for g in merged.goals for o in g.objectives)


def test_measured_by_is_the_objectives_measure_not_a_session_frequency(bank) -> None:
    from pipeline.writers.views import goal_view

    merged, _ = merge(_plan("F43.23", "F41.1"), bank)
    views = [goal_view(n, g, str) for n, g in enumerate(merged.goals, start=1)]
    measured = [o["measured_by"] for v in views for o in v["objectives"]]
    assert measured and not any("session" in m or "measured weekly" in m for m in measured)


def test_every_generated_objective_is_smart(bank) -> None:
    codes = [
        "F32.1",
        "F33.2",
        "F34.1",
        "F41.1",
        "F41.0",
        "F40.10",
        "F40.218",
        "F43.10",
        "F43.22",
        "F42.2",
        "F31.32",
        "F31.81",
        "F90.0",
        "F10.20",
        "F12.20",
        "F11.20",
        "F51.01",
        "F43.81",
        "F50.810",
        "F50.20",
        "F60.3",
        "F20.9",
        "Z63.0",
        "Z56.9",
        "R45.4",
        "Z62.820",
    ]
    for code in codes:
        merged, findings = merge(_plan(code, risk=True), bank, options=MergeOptions(max_goals=5))
        assert not [f for f in findings if f.severity == "error"], (code, findings)
        assert len(merged.goals) >= 2, code
        for goal in merged.goals:
            assert goal.objectives and goal.interventions, (code, goal.id)
            for objective in goal.objectives:
                assert check_objective(objective, code) == []


def test_clinician_items_are_kept_and_win(bank) -> None:
    mine = Goal(
        id="G1",
        client_words="I want to get out of bed and see my friends.",
        objectives=(
            Objective(
                id="G1.O1",
                text="Reduce PHQ-9 from 18 to under 10.",
                target_date=dt.date(2025, 5, 1),
            ),
        ),
        interventions=(Intervention(id="G1.I1", modality="Behavioral activation"),),
    )
    plan = _plan(
        "F33.1",
        "F41.1",
        goals=(mine,),
        presenting_problem=PresentingProblem(client_words="I can't enjoy anything"),
    )
    merged, findings = merge(plan, bank)
    kept = merged.goals[0]
    # her words are kept exactly; only the fields her sentence implies are filled in
    assert kept.client_words == mine.client_words
    assert kept.objectives[0].text == mine.objectives[0].text
    assert kept.objectives[0].target_date == dt.date(2025, 5, 1)
    assert (kept.objectives[0].measure, kept.objectives[0].baseline) == ("PHQ-9", "18")
    assert kept.objectives[0].target == "under 10"
    assert kept.interventions[0].modality == "Behavioral activation"
    assert kept.interventions[0].origin is Origin.CLINICIAN
    assert kept.interventions[0].responsible and kept.interventions[0].frequency
    bank_goals = merged.goals[1:]
    assert bank_goals and all(g.origin is Origin.BANK for g in bank_goals)
    assert "DEP-MOOD.G1" not in {g.bank_id for g in bank_goals}  # the clinician covered it
    # her goal, with her own objective, is the depression plan: the bank plans the anxiety
    assert {g.bank_id for g in bank_goals} == {"ANX-WORRY.G1"}
    assert all(o.measure != "PHQ-9" for g in bank_goals for o in g.objectives)
    # measure, baseline, target read from her text; only the problem she left out is named
    # and the clinical goal she left out is the bank's for that problem (never its name)
    assert [f.code for f in findings] == ["MERGE022", "MERGE033"]
    assert findings[0].severity is Severity.WARNING  # shown, to be checked by the clinician
    assert kept.problem == "Depressed mood and loss of interest" and kept.problem_definition
    assert '"Depressed mood and loss of interest"' in findings[0].message
    assert kept.description and kept.description.startswith("Achieve remission")
    assert kept.diagnosis_codes == ("F33.1",)  # the goal says which diagnosis it serves
    assert findings[1].severity is Severity.WARNING and kept.description in findings[1].message


def test_a_clinician_goal_gets_the_problem_it_addresses_only_when_one_matches(bank) -> None:
    named = Goal(id="G1", client_words="I want to stop worrying all day.", problem="Worry",
                 objectives=(Objective(id="G1.O1", text="Reduce GAD-7 from 15 to under 10."),),
                 interventions=(Intervention(id="G1.I1", modality="CBT"),))  # fmt: skip
    unmatched = Goal(id="G2", client_words="I want to paint again.",
                     objectives=(Objective(id="G2.O1", text="Paint twice a week."),),
                     interventions=(Intervention(id="G2.I1", modality="Art therapy"),))  # fmt: skip
    merged, findings = merge(_plan("F41.1", goals=(named, unmatched)), bank)
    by_id = {g.id: g for g in merged.goals}
    assert by_id["G1"].problem == "Worry"  # the clinician's own problem stays
    assert by_id["G2"].problem is None  # nothing in the bank matches its words: left empty
    assert not [f for f in findings if f.code == "MERGE022"]
    # "Worry" is no bank problem's name: no clinical goal is made up for it
    assert by_id["G1"].description is None and by_id["G2"].description is None
    assert not [f for f in findings if f.code == "MERGE033"]


def test_a_document_never_shows_the_problem_as_the_clinical_goal() -> None:
    from pipeline.writers.views import goal_view

    goal = Goal(id="G1", client_words="I want to sleep.", problem="Insomnia")
    assert goal_view(1, goal, str)["clinical_goal"] == "Not written yet"


def test_existing_safety_plan_is_kept(bank) -> None:
    own = SafetyPlan(warning_signs=("Not answering texts",), professionals=("988",))
    merged, findings = merge(_plan("F33.1", risk=True, safety_plan=own), bank)
    assert merged.safety_plan == own
    assert "MERGE030" not in [f.code for f in findings]


def test_safety_goal_survives_tight_bounds(bank) -> None:
    options = MergeOptions(max_goals=1, max_objectives_per_goal=1)
    merged, findings = merge(_plan("F33.1", "F41.1", risk=True), bank, options=options)
    ids = [g.bank_id for g in merged.goals]
    assert ids[0] == "SAFETY.G1" and len(ids) == 2
    assert merged.goals[0].objectives[0].bank_id == "SAFETY.G1.O1"
    assert merged.goals[0].objectives[0].target_date == DAY + dt.timedelta(days=7)
    assert merged.safety_plan is not None
    assert any("[Complete with the client]" in s for s in merged.safety_plan.warning_signs)
    assert "MERGE030" in [f.code for f in findings]
    # the safety goal is outside the bounds: written plan, a step on hard days, risk screened
    # every session (no lethal-means objective: no means recorded)
    safety = [o.bank_id for o in merged.goals[0].objectives]
    assert safety == ["SAFETY.G1.O1", "SAFETY.G1.O3", "SAFETY.G1.O4"]
    assert merged.goals[0].problem == "Suicide risk"
    assert all(len(g.objectives) == 1 for g in merged.goals[1:])


def test_two_diagnoses_sharing_a_problem(bank) -> None:
    merged, _ = merge(_plan("F33.1", "F34.1"), bank, options=MergeOptions(max_goals=5))
    mood = [g for g in merged.goals if g.bank_id == "DEP-MOOD.G1"]
    assert len(mood) == 1
    assert mood[0].diagnosis_codes == ("F33.1", "F34.1")
    assert len({g.bank_id for g in merged.goals}) == len(merged.goals)


def test_each_diagnosis_gets_a_goal_before_any_gets_two(bank) -> None:
    merged, _ = merge(_plan("F33.1", "F41.1", "F43.10"), bank)
    assert [g.bank_id for g in merged.goals] == ["DEP-MOOD.G1", "ANX-WORRY.G1", "PTSD-INTRUSION.G1"]


def test_uncovered_diagnosis_is_a_warning_not_a_crash(bank) -> None:
    merged, findings = merge(_plan("F99", "F41.1"), bank)
    assert [(f.code, f.severity) for f in findings] == [("MERGE010", "warning")]
    assert "F99" in findings[0].where
    assert merged.goals[0].bank_id == "ANX-WORRY.G1"


def test_presenting_problem_brings_in_a_domain(bank) -> None:
    words = PresentingProblem(client_words="My partner and I argue every night.")
    merged, _ = merge(_plan("F41.1", presenting_problem=words), bank)
    assert "RELATIONSHIP-CONFLICT.G1" in [g.bank_id for g in merged.goals]


def test_review_interval_and_bounds_are_configurable(bank) -> None:
    options = MergeOptions(max_goals=2, max_objectives_per_goal=2, review_interval_days=60)
    merged, _ = merge(_plan("F33.1", "F41.1"), bank, options=options)
    assert len(merged.goals) == 2
    assert all(len(g.objectives) <= 2 for g in merged.goals)
    assert merged.review.next_review_date == DAY + dt.timedelta(days=60)
    kept = _plan(
        "F33.1", plan_date=dt.date(2025, 4, 1), review=Review(next_review_date=dt.date(2025, 5, 1))
    )
    merged, _ = merge(kept, bank)
    assert merged.plan_date == dt.date(2025, 4, 1)
    assert {o.target_date for g in merged.goals for o in g.objectives} == {dt.date(2025, 4, 30)}


def test_deterministic_and_idempotent(bank) -> None:
    plan = _plan("F33.1", "F10.20", risk=True)
    first, f1 = merge(plan, bank)
    second, f2 = merge(plan, bank)
    assert first == second and f1 == f2
    again, _ = merge(first, bank)
    assert again == first


def test_no_date_is_an_error(bank) -> None:
    merged, findings = merge(
        Plan(client=Client(id="X"), diagnoses=(Diagnosis(code="F41.1"),)), bank
    )
    assert [f.code for f in findings] == ["MERGE001"]
    assert merged.goals == ()
