"""Domain goals read on real intakes (session 8): 2044's client copy listed "I want to keep my job
and stop panicking about it" (its own goal, an anxiety goal) and the bank's "I want to do my job
well again and not worry about losing it" as two goals; CT-1004 (adjustment disorder, "tension
with his wife") got the borderline pattern's "Unstable relationships", with DEAR MAN objectives
"recorded in the DBT diary card", because the relationships domain's problems tied and that one
came first in the bank."""

from __future__ import annotations

import pytest

from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.readers import read
from tests.support import ROOT

BANK = load_bank()


def _sample(path: str, client: str):
    for result in read(ROOT / "inputs" / path):
        if result.plan is not None and result.plan.client.id == client:
            return result.plan
    raise AssertionError(client)


def test_a_domain_the_clients_own_goal_names_gets_no_second_goal_in_the_banks_words() -> None:
    merged, findings = merge(_sample("mindledger_long.csv", "2044"), BANK)
    words = [g.client_words for g in merged.goals]
    assert words == [
        "I want to get things done without everything slipping through the cracks.",
        "I want to keep my job and stop panicking about it.",
    ]
    [said] = [f for f in findings if f.code == "MERGE042"]
    assert said.severity == "info"
    assert said.where == "client 2044, problem Reduced work functioning"
    assert '"I want to keep my job and stop panicking about it."' in said.message


@pytest.mark.parametrize(
    ("words", "dropped"),
    [
        ("I want to keep my job and stop panicking about it.", True),
        ("I want to stop panicking about everything.", False),  # names no domain
        ("I want to work on my panic.", False),  # "work" alone: not the work problem's words
    ],
)
def test_only_the_domains_own_words_and_its_problems_claim_it(words: str, dropped: bool) -> None:
    plan = _sample("mindledger_long.csv", "2044")
    goal = plan.goals[0].model_copy(update={"client_words": words})
    merged, findings = merge(plan.model_copy(update={"goals": (goal,)}), BANK)
    work = [g for g in merged.goals if g.bank_id == "WORK-FUNCTION.G1"]
    assert (not work) is dropped
    assert any(f.code == "MERGE042" for f in findings) is dropped


def test_a_domain_tie_never_picks_a_disorders_pattern_the_client_is_not_diagnosed_with() -> None:
    plan = _sample("counseltrack_wide.xlsx", "CT-1004")
    assert [d.code for d in plan.diagnoses] == ["F43.23"]  # no borderline personality disorder
    merged, _ = merge(plan, BANK)
    banked = [g.bank_id for g in merged.goals if g.bank_id]
    assert banked == ["RELATIONSHIP-CONFLICT.G1"]
    text = " ".join(o.text for g in merged.goals for o in g.objectives)
    assert "DBT" not in text and "DEAR MAN" not in text
    # a client with that diagnosis still gets it
    bpd = plan.model_copy(
        update={
            "diagnoses": (
                *plan.diagnoses,
                plan.diagnoses[0].model_copy(update={"code": "F60.3", "primary": False}),
            )
        }  # fmt: skip
    )
    merged, _ = merge(bpd, BANK)
    assert "UNSTABLE-RELATIONSHIPS.G1" in [g.bank_id for g in merged.goals]
