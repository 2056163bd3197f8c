"""Choosing a bank goal's objectives: the rows pre-sorted once a goal choose what scoring each
row for each client chooses."""

from __future__ import annotations

import datetime as dt
import itertools
from operator import itemgetter

from pipeline.goalbank.bank import BankObjective, GoalBank, load_bank
from pipeline.merge import memo
from pipeline.merge.client import ClientFacts
from pipeline.merge.select import objective_score, pick_scored


def _reference(
    bank: GoalBank, client: ClientFacts, goal_id: str, limit: int, ranked: bool, taken: set[str]
) -> tuple[list[BankObjective], int]:
    """Every row scored for the client, sorted, then the best of each measure."""
    scored = []
    for objective in bank.objectives_by_goal.get(goal_id, ()):
        score = objective_score(bank, client, objective)
        if score is not None:
            scored.append((-score if ranked else 0, objective.order, score, objective))
    chosen: list[BankObjective] = []
    total, measures = 0, set(taken)
    for _, _, score, objective in sorted(scored, key=itemgetter(0, 1)):
        if objective.measure.lower() in measures:
            continue
        measures.add(objective.measure.lower())
        chosen.append(objective)
        total += score
        if len(chosen) >= limit:
            break
    return chosen, total


def _clients(bank: GoalBank) -> list[ClientFacts]:
    """Clients with no scores, low and high scores on every instrument, and words that name
    the objectives' keywords (all, some, none)."""
    keys = {o.measure_key for o in bank.objectives.values() if o.kind == "instrument"}
    words = sorted({k for o in bank.objectives.values() for k in o.keywords})
    texts = ["", " ".join(words), " ".join(words[::3]), "nothing of the kind"]
    day = dt.date(2026, 1, 5)
    clients = []
    for text, scores in itertools.product(
        texts, ({}, dict.fromkeys(keys, 3), dict.fromkeys(keys, 22))
    ):
        clients.append(
            ClientFacts(
                scores=scores,
                text=text,
                plan_date=day,
                review_date=day,
                responsible="Dr A",
                sex="male",
            )  # fmt: skip
        )
    return clients


def test_pick_scored_chooses_what_scoring_every_row_chooses() -> None:
    bank = load_bank()
    memo.clear()
    measures = sorted({o.measure.lower() for o in bank.objectives.values()})
    compared = 0
    for client in _clients(bank):
        for goal in bank.goals.values():
            for limit, ranked, taken in itertools.product(
                (1, 3), (True, False), (set(), set(measures[::2]))
            ):
                expected = _reference(bank, client, goal.id, limit, ranked, taken)
                assert pick_scored(bank, client, goal, limit, ranked, set(taken)) == expected
                compared += bool(expected[0])
    assert compared > 1000  # most goals choose something for most clients


def test_facts_are_what_the_dataclass_makes() -> None:
    """``facts`` gives what ``ClientFacts(**values)`` gives: equal, the same members, each
    factory's member new (never shared between two clients)."""
    import dataclasses

    from pipeline.merge.client import facts

    day = dt.date(2026, 1, 5)
    some = {
        "scores": {"PHQ9": 12},
        "text": "worry",
        "plan_date": day,
        "review_date": day,
        "responsible": "Dr A",
    }
    every = {
        **some,
        "baseline_dates": {"PHQ9": day},
        "only_later": {},
        "intake_date": day,
        "sex": "female",
        "families": frozenset({"GAD"}),
        "formats": frozenset({"IND"}),
    }
    for values in (some, every):
        made, expected = facts(values), ClientFacts(**values)
        assert made == expected and vars(made) == vars(expected)
        assert {f.name for f in dataclasses.fields(ClientFacts)} == set(vars(made))
    one, two = facts(some), facts(some)
    assert one.targets is not two.targets and one.alternatives is not two.alternatives
