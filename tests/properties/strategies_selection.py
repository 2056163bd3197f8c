"""Hypothesis strategies for goal selection: intakes with generated diagnoses, presenting
problems, the clinician's own goals and interventions, and merge bounds.

Every plan starts from tests/data/render/full.json (its measures give the bank's instrument
objectives something to start from); diagnoses, words, goals and services are generated.
"""

from __future__ import annotations

import json

from hypothesis import strategies as st

from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import MergeOptions
from pipeline.model import Diagnosis, Goal, Intervention, Plan, PresentingProblem, Service
from tests.support import TEST_DATA

BANK = load_bank()
BASE = Plan.model_validate(
    json.loads((TEST_DATA / "render" / "full.json").read_text(encoding="utf-8"))
)
#: One or more codes of each diagnosis family of the bank, and codes of domains.
CODES = ("F43.10", "F43.12", "F33.0", "F33.1", "F32.1", "F34.1", "F41.1", "F41.0", "F40.10",
         "F43.21", "F43.23", "F43.25", "F42.2", "F31.81", "F90.0", "F10.20", "F12.20",
         "F11.20", "F51.01", "F43.81", "F60.3", "F20.9", "Z63.0", "Z56.0")  # fmt: skip
#: Words that bring domains in, or point to one of a diagnosis's problems.
WORDS = ("we argue all the time", "missed work", "I can't sleep", "I feel so lonely",
         "yelling at the kids", "nightmares and flashbacks", "I avoid going out",
         "I am so hard on myself", "it keeps coming back every winter", "")  # fmt: skip
#: How an intake names a treatment: each alternative of the bank's groups, in its words or
#: its initials, and treatments that are no alternative of anything.
TREATMENTS = tuple(sorted({tx.modality for txs in BANK.alternatives.values() for tx in txs}))
NAMED = (*TREATMENTS, "CPT", "PE", "Prolonged Exposure (PE) therapy", "CBT",
         "Supportive counselling", "Behavioral activation")  # fmt: skip
PROBLEMS = tuple(p.name for p in BANK.problems.values() if p.id != "SAFETY")


@st.composite
def clinician_goal(draw, index: int) -> Goal:
    interventions = tuple(
        Intervention(id=f"G{index}.I{n}", modality=modality)
        for n, modality in enumerate(draw(st.lists(st.sampled_from(NAMED), max_size=2)), 1)
    )
    return Goal(
        id=f"G{index}",
        client_words=draw(st.sampled_from(("I want my life back.", "I want to sleep.",
                                           "I want to stop drinking.", "I want to feel safe."))),
        problem=draw(st.none() | st.sampled_from(PROBLEMS)),
        interventions=interventions,
    )  # fmt: skip


@st.composite
def intakes(draw) -> tuple[Plan, MergeOptions]:
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True))
    goals = tuple(draw(clinician_goal(n)) for n in range(1, draw(st.integers(0, 3)) + 1))
    services = tuple(
        Service(modality=m) for m in draw(st.lists(st.sampled_from(NAMED), max_size=1))
    )
    text = " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=3)))
    plan = BASE.model_copy(
        update={
            "diagnoses": tuple(Diagnosis(code=c, primary=i == 0) for i, c in enumerate(codes)),
            "goals": goals,
            "services": services,
            "presenting_problem": PresentingProblem(client_words=text or None),
        }
    )
    options = MergeOptions(
        max_goals=draw(st.integers(1, 5)),
        max_interventions_per_goal=draw(st.integers(1, 4)),
    )
    return plan, options
