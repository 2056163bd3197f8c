"""Hypothesis strategies for the objective properties: intakes with scores around the plan date,
count words, clinician objectives (some whose columns contradict their text) and review dates.

Only the model's long-standing fields are required, so the same strategies run against older
code (the properties must fail there); the client's situation is drawn when the model has it.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from pipeline.model import (
    Client,
    Diagnosis,
    Goal,
    Measure,
    Objective,
    Plan,
    PresentingProblem,
    Review,
)

#: instrument -> highest total
INSTRUMENTS = {"PHQ-9": 27, "GAD-7": 21, "PCL-5": 80, "AUDIT-C": 12}
CODES = (
    "F32.1", "F33.1", "F41.1", "F43.10", "F10.20", "F51.01", "F90.0", "F43.21", "F31.81",
    "F40.10", "F42.2", "Z56.9", "Z62.820",
)  # fmt: skip
WORDS = (
    "Missed 6 shifts in 2 months.",
    "Calling in sick once a week.",
    "Drinking 6+ drinks 5 nights a week.",
    "Drinking 5-6 beers daily.",
    "Skipped 4 classes this month.",
    "Since the layoff I just lie in bed.",
    "Exhausted at work and late on deadlines.",
    "Moved here for college and stopped going to class.",
    "I snap at my kids and yell at home.",
    "I worry about everything and can't sleep at night.",
    "Checks on her children at night 4-5 times.",
    "Panic attacks on the train; avoids crowds.",
    "Nightmares and flashbacks since the accident.",
    "",
)
_DAY = st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31))


@st.composite
def measures(draw: st.DrawFn, plan_date: dt.date) -> tuple[Measure, ...]:
    """0-3 administrations per instrument, dated up to 90 days either side of the plan date
    (some on the day), now and then undated."""
    found: list[Measure] = []
    for name, top in INSTRUMENTS.items():
        for _ in range(draw(st.integers(0, 3))):
            offset = draw(st.one_of(st.just(0), st.integers(-90, 90), st.none()))
            day = None if offset is None else plan_date + dt.timedelta(days=offset)
            found.append(Measure(instrument=name, date=day, total=draw(st.integers(0, top))))
    return tuple(draw(st.permutations(found)))


@st.composite
def clinician_objective(draw: st.DrawFn, plan_date: dt.date, number: str) -> Objective:
    """An objective as clinicians write them: consistent, bare words, or with columns that
    contradict the text (plan 30017's "Reduce night-time checking from 5 to 1 or fewer")."""
    due = draw(st.one_of(st.none(), st.integers(-30, 150)))
    target_date = None if due is None else plan_date + dt.timedelta(days=due)
    kind = draw(st.sampled_from(("score", "bare", "contradicted", "count")))
    if kind == "score":
        name = draw(st.sampled_from(sorted(INSTRUMENTS)))
        start = draw(st.integers(5, INSTRUMENTS[name]))
        goal = draw(st.integers(0, start - 1))
        return Objective(
            id=number,
            text=f"Reduce {name} from {start} to below {goal}.",
            measure=name,
            baseline=str(start),
            target=f"below {goal}",
            target_date=target_date,
        )
    if kind == "contradicted":
        start, goal = draw(st.integers(3, 9)), draw(st.integers(0, 2))
        other = draw(st.integers(10, 21))
        return Objective(
            id=number,
            text=f"Reduce night-time checking from {start} to {goal} or fewer per night",
            measure="GAD-7",
            baseline=f"GAD-7 = {other}",
            target=f"GAD-7 < {draw(st.integers(3, 9))}",
            target_date=target_date,
        )
    if kind == "count":
        return Objective(
            id=number,
            text="Limit drinking to 2 or fewer nights per week, tracked with a drink log.",
            target_date=target_date,
        )
    return Objective(
        id=number,
        text="Use a worry-postponement routine on 5 of 7 days, tracked in a log.",
        target_date=target_date,
    )


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    """A plan as an intake gives it to merge."""
    plan_date = draw(_DAY)
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True))
    goals = []
    for g in range(1, draw(st.integers(0, 2)) + 1):
        count = draw(st.integers(0, 2))
        objectives = tuple(
            draw(clinician_objective(plan_date, f"G{g}.O{o}")) for o in range(1, count + 1)
        )
        words = draw(st.sampled_from(("I want to feel like myself again.", "Go to every class")))
        goals.append(Goal(id=f"G{g}", client_words=words, objectives=objectives))
    client: dict = {"id": "P1", "date_of_birth": draw(st.dates(dt.date(1950, 1, 1), plan_date))}
    if "employment_status" in Client.model_fields:
        client["employment_status"] = draw(
            st.sampled_from((None, "employed", "unemployed", "on_leave", "retired"))
        )
        client["student"] = draw(st.sampled_from((None, True, False)))
        client["dependents"] = draw(st.sampled_from((None, 0, 2)))
    review_in = draw(st.one_of(st.none(), st.integers(-20, 120)))
    review = Review(
        next_review_date=None if review_in is None else plan_date + dt.timedelta(days=review_in)
    )
    return Plan(
        client=Client(**client),
        intake_date=plan_date - dt.timedelta(days=draw(st.integers(0, 14))),
        plan_date=plan_date,
        diagnoses=tuple(Diagnosis(code=c, primary=i == 0) for i, c in enumerate(codes)),
        measures=draw(measures(plan_date)),
        presenting_problem=PresentingProblem(
            functional_impact=" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=3)))
        ),
        goals=tuple(goals),
        review=review,
    )
