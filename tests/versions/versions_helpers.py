"""Plans for the version tests, built directly from the model (no intake samples needed)."""

from __future__ import annotations

import datetime as dt

from pipeline.model import (
    Client,
    Diagnosis,
    Goal,
    Intervention,
    Measure,
    Objective,
    ObjectiveStatus,
    Plan,
    Review,
)


def sample_plan(client_id: str = "C-1001", **changes: object) -> Plan:
    """A small two-goal plan for a synthetic client."""
    goals = (
        Goal(
            id="G1",
            client_words="I want to stop feeling so down all the time",
            description="Reduce depressive symptoms",
            diagnosis_codes=("F32.1",),
            objectives=(
                Objective(
                    id="G1.O1",
                    text="Client will complete a daily activity log on 5 of 7 days",
                    measure="activity log",
                    baseline="1 of 7 days",
                    target="5 of 7 days",
                    target_date=dt.date(2024, 4, 1),
                    status=ObjectiveStatus.IN_PROGRESS,
                ),
                Objective(
                    id="G1.O2",
                    text="Client will reduce PHQ-9 total from 14 to below 10",
                    measure="PHQ-9",
                    baseline="14",
                    target="< 10",
                    target_date=dt.date(2024, 4, 1),
                    status=ObjectiveStatus.IN_PROGRESS,
                ),
            ),
            interventions=(
                Intervention(
                    id="G1.I1",
                    modality="Behavioral activation",
                    description="Schedule pleasant and mastery activities weekly",
                    frequency="weekly",
                ),
            ),
        ),
        Goal(
            id="G2",
            client_words="I want to sleep through the night",
            description="Improve sleep",
            objectives=(
                Objective(
                    id="G2.O1",
                    text="Client will keep a regular wake time on 6 of 7 days",
                    measure="sleep diary",
                    baseline="2 of 7 days",
                    target="6 of 7 days",
                    target_date=dt.date(2024, 4, 1),
                    status=ObjectiveStatus.IN_PROGRESS,
                ),
            ),
            interventions=(Intervention(id="G2.I1", modality="CBT-I", frequency="biweekly"),),
        ),
    )
    plan = Plan(
        client=Client(id=client_id, first_name="Alex", last_name="Rivera"),
        intake_date=dt.date(2024, 1, 2),
        plan_date=dt.date(2024, 1, 2),
        diagnoses=(
            Diagnosis(
                code="F32.1",
                description="Major depressive disorder, single episode, moderate",
                primary=True,
                billable=True,
            ),
        ),
        measures=(Measure(instrument="PHQ-9", date=dt.date(2024, 1, 2), total=14),),
        goals=goals,
        review=Review(interval_days=90, next_review_date=dt.date(2024, 4, 1)),
    )
    return plan.model_copy(update=changes) if changes else plan


def only_due(*keep: str, plan: Plan | None = None) -> Plan:
    """The sample plan with every objective but ``keep`` due after the next review: for tests
    of a review that names those objectives alone (a review must address every objective due
    before the next review, REV024)."""
    plan = plan or sample_plan()
    later = dt.date(2024, 12, 31)
    goals = tuple(
        g.model_copy(update={"objectives": tuple(
            o if o.id in keep else o.model_copy(update={"target_date": later})
            for o in g.objectives
        )})
        for g in plan.goals
    )  # fmt: skip
    return plan.model_copy(update={"goals": goals})
