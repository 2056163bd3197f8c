"""The merge's memos of pure steps answer as the steps worked out afresh."""

from __future__ import annotations

from pipeline.goalbank.bank import load_bank
from pipeline.merge import core, evidence, memo
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
