"""Completing clinician items from their own words: measure, baseline, target, CPT, who."""

import datetime as dt

import pytest

from pipeline.goalbank.bank import load_bank
from pipeline.merge.baseline import log_baseline
from pipeline.merge.client import ClientFacts
from pipeline.merge.complete import complete_objective
from pipeline.merge.treatments import complete_intervention, complete_service
from pipeline.model import Intervention, Objective, Service, ServiceType


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def _client(**scores: int) -> ClientFacts:
    day = dt.date(2026, 1, 5)
    return ClientFacts(dict(scores), "", day, day + dt.timedelta(days=90), "Treating clinician")


@pytest.mark.parametrize(
    ("text", "measure", "baseline", "target"),
    [
        (
            "Reduce depressive symptoms from PHQ-9 16 to below 10 by 2026-04-06.",
            "PHQ-9",
            "16",
            "below 10",
        ),
        ("Reduce PCL-5 from 48 to below 33 by 2026-05-08.", "PCL-5", "48", "below 33"),
        (
            "Use a worry-postponement routine on 5 of 7 days, tracked in a log.",
            "log",
            log_baseline(dt.date(2026, 1, 5)),
            "5 of 7 days",
        ),
        (
            "Limit drinking to 2 or fewer nights per week, tracked with a drink log.",
            "drink log",
            log_baseline(dt.date(2026, 1, 5)),
            "2 or fewer",
        ),
    ],
)
def test_objective_fields_are_read_from_the_clinicians_words(
    bank, text, measure, baseline, target
) -> None:
    objective = complete_objective(Objective(id="G1.O1", text=text), bank, _client())
    assert objective.text == text
    assert (objective.measure, objective.baseline, objective.target) == (measure, baseline, target)


def test_missing_baseline_comes_from_the_intake_score(bank) -> None:
    objective = Objective(id="G1.O1", text="Bring the GAD-7 to 9 or lower.")
    done = complete_objective(objective, bank, _client(GAD7=15))
    assert (done.measure, done.baseline, done.target) == ("GAD-7", "15", "9 or lower")


def test_fields_the_clinician_gave_are_never_replaced(bank) -> None:
    objective = Objective(
        id="G1.O1", text="Reduce PHQ-9 from 16 to 9.", measure="PHQ-9", baseline="17", target="8"
    )
    assert complete_objective(objective, bank, _client()) == objective


def test_an_objective_with_nothing_to_read_stays_incomplete(bank) -> None:
    objective = Objective(id="G1.O1", text="Feel better about work.")
    done = complete_objective(objective, bank, _client())
    assert (done.measure, done.baseline, done.target) == (None, None, None)


def _pool(bank, code: str):
    return [
        tx
        for family in bank.families_for_code(code)
        for problem in bank.problems_by_family.get(family.id, ())
        for tx in bank.interventions_by_problem.get(problem.id, ())
    ]


def test_intervention_gets_responsible_frequency_and_rationale(bank) -> None:
    done = complete_intervention(
        Intervention(id="G1.I1", modality="CBT: behavioral activation with activity scheduling"),
        _pool(bank, "F33.1"),
        "Maya Okafor, LCSW",
        "weekly",
    )
    assert done.responsible == "Maya Okafor, LCSW"
    assert done.frequency and done.rationale
    mine = Intervention(id="G1.I1", modality="Art", frequency="monthly", responsible="Case manager")
    kept = complete_intervention(mine, _pool(bank, "F33.1"), "X", "weekly")
    assert (kept.frequency, kept.responsible, kept.rationale) == ("monthly", "Case manager", None)


def test_rationale_never_comes_from_another_disorder(bank) -> None:
    bulimia = [tx for tx in _pool(bank, "F50.2") if "bulimia" in tx.evidence.lower()]
    assert bulimia, "the bank has a bulimia-specific intervention to tempt the match"
    done = complete_intervention(
        Intervention(id="G1.I1", modality=bulimia[0].modality), _pool(bank, "F33.1"), "X", None
    )
    assert "bulimia" not in (done.rationale or "").lower()


@pytest.mark.parametrize(
    ("service", "code"),
    [
        (Service(session_minutes=53), "90837"),
        (Service(session_minutes=45), "90834"),
        (Service(session_minutes=30), "90832"),
        (Service(session_minutes=10), None),
        (Service(type=ServiceType.FAMILY, session_minutes=50), "90847"),
        (Service(type=ServiceType.GROUP, session_minutes=90), "90853"),
        (Service(session_minutes=53, cpt_code="90791"), "90791"),
    ],
)
def test_cpt_code_from_type_and_minutes(service: Service, code: str | None) -> None:
    assert complete_service(service).cpt_code == code


def test_a_pools_match_is_remembered_for_the_same_pool_modality_and_problems(bank) -> None:
    """The merge's pool of the same problems is one tuple: its best match for a modality and
    the goal's own problems is worked out once, and is what matching a list finds."""
    from pipeline.merge import treatments

    _bank_match = treatments._bank_match
    by_problem = bank.interventions_by_problem
    problems = sorted(by_problem)
    pools = [tuple(by_problem[p]) for p in problems[:6]]
    pools.append(tuple(tx for p in problems for tx in by_problem[p]))
    pools.append(pools[-1][::-1])
    modalities = sorted({tx.modality for tx in bank.interventions.values()})[:20]
    modalities += ["CBT", "CBT-I", "DBT skills", "Referral to IOP", "EMDR", "therapy", ""]
    owns = [frozenset(), frozenset(problems[:1]), frozenset(problems[1:4])]
    for _ in range(2):  # asked again: the remembered answers
        for pool in pools:
            for modality in modalities:
                for own in owns:
                    expected = _bank_match(list(pool), modality, own)  # never remembered
                    assert _bank_match(pool, modality, own) is expected, (modality, own)
