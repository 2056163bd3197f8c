"""The merge's memos of pure steps answer as the steps worked out afresh."""

from __future__ import annotations

import datetime as dt

from pipeline.goalbank.bank import load_bank
from pipeline.merge import complete, core, evidence, memo, order, select
from pipeline.model import Goal, Origin


def _scan(bank, goal: Goal) -> frozenset[str]:
    own = {p.id for p in bank.problems.values() if goal.problem and p.name == goal.problem}
    if goal.bank_id in bank.goals:
        own.add(bank.goals[goal.bank_id].problem_id)
    return frozenset(own)


def test_a_goals_own_problems_are_its_bank_goals_and_its_problem_names() -> None:
    bank = load_bank()
    names = [None, "", "No such problem", *sorted({p.name for p in bank.problems.values()})]
    bank_ids = [None, "NO-SUCH.G1", *sorted(bank.goals)[:40]]
    memo.clear("own problems")
    for _ in range(2):  # the second time from the memo
        for name in names:
            for bank_id in bank_ids:
                origin = Origin.BANK if bank_id else Origin.CLINICIAN
                goal = Goal(id="G1", client_words="x", problem=name, bank_id=bank_id,
                            origin=origin)  # fmt: skip
                assert core._own_problems(bank, goal) == _scan(bank, goal), (name, bank_id)


def test_a_plans_diagnosed_families_are_those_of_its_codes() -> None:
    """Remembered by the codes in their order: the same as worked out afresh, for codes of
    every bank family, unknown and malformed codes, in any order and repeated."""
    bank = load_bank()
    known = sorted({c for f in bank.families for c in (f.icd10 or "").replace(",", " ").split()})
    codes = ["F32.1", "F41.1", "F43.10", "F10.20", "Z63.0", "F99.9", "", "nonsense", *known[:30]]
    memo.clear("diagnosed families")

    def afresh(these: tuple[str, ...]) -> frozenset[str]:
        return frozenset(
            f.id for c in these for f in bank.families_for_code(c) if f.kind == "diagnosis"
        )

    for _ in range(2):  # the second time from the memo
        for first in codes:
            for second in codes:
                for these in ((first,), (first, second), (second, first, second), ()):
                    assert evidence.diagnosed_families(bank, iter(these)) == afresh(these)
    assert evidence.diagnosed_families(bank, ["F32.1"]) == afresh(("F32.1",)) != frozenset()


def test_the_codes_a_clinician_goal_treats_are_those_of_its_problems_families() -> None:
    """Remembered by the problem and the plan's codes in order: the same as worked out afresh
    for every bank problem name and several code lists (the second time from the memo)."""
    bank = load_bank()
    code_lists = [[], ["F32.1"], ["F41.1", "F32.1"], ["F32.1", "F41.1"], ["F10.20", "Z63.0"],
                  ["F43.10", "F99.9", "nonsense"], ["F32.1", "F32.1"]]  # fmt: skip
    names = sorted({p.name for p in bank.problems.values()})

    def afresh(problem_name: str, codes: list[str]) -> tuple[str, ...]:
        problem = complete.by_folded_name(bank).get(problem_name.strip().casefold())
        families = set(problem.family_ids)
        return tuple(c for c in codes if any(f.id in families for f in bank.families_for_code(c)))

    memo.clear("treated codes")
    for _ in range(2):
        for name in names:
            goal = Goal(id="G1", client_words="x", problem=name, origin=Origin.CLINICIAN)
            for codes in code_lists:
                assert order.treated_codes(bank, goal, codes) == afresh(name, codes), name


def test_a_domain_problem_is_foreign_to_clients_without_its_families() -> None:
    """Remembered by the problem and the client's families: the same as worked out afresh for
    every bank problem and several clients' families (the second time from the memo)."""
    from pipeline.merge.client import ClientFacts

    bank = load_bank()
    all_families = sorted({f for p in bank.problems.values() for f in p.family_ids})
    family_sets = [frozenset(), frozenset(all_families), frozenset(all_families[:3]),
                   frozenset(all_families[3::2]), frozenset(["NO-SUCH"])]  # fmt: skip
    domains = {f.id for f in select._domains(bank)}
    memo.clear("foreign")
    for _ in range(2):
        for families in family_sets:
            client = ClientFacts(scores={}, text="", plan_date=dt.date(2026, 1, 1),
                                 review_date=dt.date(2026, 4, 1), responsible="Dr A",
                                 families=families)  # fmt: skip
            for problem in bank.problems.values():
                expected = any(f not in domains and f not in families for f in problem.family_ids)
                assert select._foreign(bank, client, problem) == expected, problem.id


def test_a_pool_offered_at_an_age_is_one_tuple_of_the_treatments_in_range() -> None:
    """The treatments of a pool offered at an age are those in range, in the pool's order,
    as one tuple a pool and age (the pool itself when none is age-bound out), so that a
    clinician's treatment is matched once a pool (treatments._bank_match remembers its
    answers for tuples only)."""
    from pipeline.goalbank.ages import in_range
    from pipeline.merge import treatments

    bank = load_bank()
    pool = tuple(t for ts in bank.interventions_by_problem.values() for t in ts)
    assert any(t.ages for t in pool)  # the bank has age-bound treatments
    memo.clear("offered pools")
    for _ in range(2):
        for age in (None, 0, 9, 17, 18, 40, 120):
            offered = core._offered(bank, pool, age)
            assert type(offered) is tuple
            assert offered == tuple(t for t in pool if in_range(t.ages, age)), age
            assert core._offered(bank, pool, age) is offered
    everyone = tuple(t for t in pool if t.ages is None)
    assert core._offered(bank, everyone, None) is everyone
    offered = core._offered(bank, pool, 40)
    treatments._MATCHES.clear()
    match = treatments._bank_match(offered, "CBT")
    again = treatments._bank_match(core._offered(bank, pool, 40), "CBT")
    assert len(treatments._MATCHES) == 1 and again is match
