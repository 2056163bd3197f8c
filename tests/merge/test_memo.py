"""The merge's memos: per bank, by content, bounded; a memo answers what the step answers."""

from __future__ import annotations

from pipeline.goalbank.bank import load_bank
from pipeline.merge import memo
from pipeline.merge.fit import best_covered
from pipeline.merge.select import covered_by_clinician
from pipeline.model import Goal, Objective


def test_tables_are_per_bank_and_bounded(monkeypatch) -> None:
    memo.clear()
    one, two = object(), object()
    memo.table(one, "t")["k"] = 1
    assert memo.table(two, "t") == {} and memo.table(one, "t") == {"k": 1}
    monkeypatch.setattr(memo, "LIMIT", 2)
    memo.table(one, "t")["j"] = 2
    assert memo.table(one, "t") == {}  # emptied at its limit
    memo.table(one, "u")["k"] = 1
    memo.clear("u")
    assert memo.table(one, "u") == {}


def test_best_covered_answers_what_covered_by_clinician_does() -> None:
    """The same words give the memo's answer; other words (an objective added) are worked
    out again, never answered from another goal's entry."""
    bank = load_bank()
    candidates = [(p, ("F41.1",)) for p in bank.problems.values()]
    memo.clear()
    goals = [
        Goal(id="g1", client_words="I want to sleep through the night"),
        Goal(id="g2", client_words="Stop drinking so much"),
        Goal(
            id="g3",
            client_words="Feel less worried",
            objectives=(Objective(id="o1", text="Reduce GAD-7 from 15 to 9"),),
        ),
    ]
    for _ in range(2):  # the second time from the memo
        for goal in goals:
            ids = covered_by_clinician(bank, [goal], candidates)
            expected = next((p for p, _ in candidates if p.id in ids), None)
            assert best_covered(bank, goal, candidates) is expected


def test_best_covered_of_candidate_tuples_answers_for_their_own_content() -> None:
    """Tuples of candidates (the merge passes one) asked about in turn: each answer is that
    tuple's, never the one asked about before."""
    bank = load_bank()
    problems = list(bank.problems.values())
    sets = [
        tuple((p, ("F41.1",)) for p in problems),
        tuple((p, ()) for p in reversed(problems)),
        tuple((p, ("F32.1",)) for p in problems[len(problems) // 2 :]),
    ]
    goals = [
        Goal(id="g1", client_words="I want to sleep through the night and worry less"),
        Goal(id="g2", client_words="Stop drinking so much", description="Reduce alcohol use"),
    ]
    memo.clear()
    for _ in range(2):
        for candidates in sets:
            for goal in goals:
                ids = covered_by_clinician(bank, [goal], list(candidates))
                expected = next((p for p, _ in candidates if p.id in ids), None)
                assert best_covered(bank, goal, candidates) is expected


def test_tables_follow_the_bank_asked_about_and_clear_forgets_them() -> None:
    """Two banks asked about in turn each find their own tables; a table emptied by
    ``clear`` (by name or all) is empty for the bank asked about last too."""
    memo.clear()
    one, two = object(), object()
    for _ in range(3):
        memo.table(one, "t").setdefault("k", "one")
        memo.table(two, "t").setdefault("k", "two")
        assert memo.table(one, "t") == {"k": "one"} and memo.table(two, "t") == {"k": "two"}
    memo.clear("t")
    assert memo.table(two, "t") == {} and memo.table(one, "t") == {}
    memo.table(one, "t")["k"] = 1
    memo.clear()
    assert memo.table(one, "t") == {}
    assert memo.table(None, "t") == {}  # any object may key tables, None too
    memo.table(None, "t")["k"] = 2
    assert memo.table(None, "t") == {"k": 2} and memo.table(one, "t") == {}
    memo.clear()
