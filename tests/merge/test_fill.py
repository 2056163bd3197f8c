"""Bank goals filled without the validator are exactly what validation gives; a bank whose rows
are not all text goes through the validator."""

from __future__ import annotations

import dataclasses
import datetime as dt
from types import MappingProxyType

import pytest
from pydantic import ValidationError

from pipeline.goalbank.bank import load_bank
from pipeline.merge import memo
from pipeline.merge.core import merge
from pipeline.model import Goal, Intervention, Objective, Origin
from pipeline.model.build import assemble, validated
from pipeline.readers import read
from tests.support import ROOT

SAMPLES = ("counseltrack_wide.xlsx", "mindledger_long.csv", "practiceflow_workbook.xlsx")


def _bank_parts(plan):
    for goal in plan.goals:
        if goal.origin is Origin.BANK:
            yield goal
        yield from (o for o in goal.objectives if o.origin is Origin.BANK)
        yield from (i for i in goal.interventions if i.origin is Origin.BANK)


@pytest.mark.parametrize("sample", SAMPLES)
def test_assembled_parts_are_what_validation_gives(sample: str) -> None:
    path = ROOT / "inputs" / sample
    if not path.exists():
        pytest.skip(f"{sample} not in inputs/")
    bank = load_bank()
    seen = 0
    for result in read(path):
        if result.plan is None:
            continue
        merged, _ = merge(result.plan, bank)
        for part in _bank_parts(merged):
            assert validated(part), part
            seen += 1
    assert seen


def test_validated_tells_a_wrong_type() -> None:
    good = Objective(id="o1", text="Reduce PHQ-9 from 16 to 9", target_date=dt.date(2026, 4, 6))
    assert validated(good)
    assert not validated(assemble(Objective, {"id": "o1", "text": "x", "status": "met"}))
    with pytest.raises(ValidationError):
        validated(assemble(Objective, {"id": 7, "text": "x"}))


def test_a_bank_with_other_values_is_validated() -> None:
    """A bank made by hand with other than text where the model wants text (here a str
    subclass): its parts are not assembled, they go through the validator."""

    class Text(str):
        pass

    bank = load_bank()
    first = next(iter(bank.objectives.values()))
    objectives = dict(bank.objectives)
    objectives[first.id] = dataclasses.replace(first, text=Text(first.text))
    odd = dataclasses.replace(bank, objectives=MappingProxyType(objectives))
    memo.clear()
    from pipeline.merge.fill import text_only

    assert text_only(bank) and not text_only(odd)


def test_assembled_equals_constructed() -> None:
    values = {"id": "i1", "modality": "CBT", "origin": Origin.BANK, "bank_id": "TX-1"}
    assert assemble(Intervention, values) == Intervention(**values)
    assert list(assemble(Intervention, values).__dict__) == list(Intervention(**values).__dict__)
    goal = {"id": "g1", "client_words": "sleep", "diagnosis_codes": ("F41.1",)}
    assert assemble(Goal, goal).model_dump_json() == Goal(**goal).model_dump_json()
    assert assemble(Goal, goal).model_fields_set == Goal(**goal).model_fields_set


def test_filled_parts_are_remembered_by_content_only() -> None:
    """A part filled with the same values is the part made before; a plan merged after
    others is what it is merged alone (no value of another plan's parts reaches it)."""
    path = ROOT / "inputs" / "counseltrack_wide.xlsx"
    if not path.exists():
        pytest.skip("counseltrack_wide.xlsx not in inputs/")
    bank = load_bank()
    plans = [r.plan for r in read(path) if r.plan is not None]
    alone = []
    for plan in plans:
        memo.clear()
        alone.append(merge(plan, bank)[0].model_dump_json())
    memo.clear()
    first = [merge(plan, bank)[0] for plan in plans]
    assert [m.model_dump_json() for m in first] == alone
    later = plans[-1].model_copy(update={"plan_date": dt.date(2031, 5, 4)})
    again = merge(plans[0], bank)[0]
    moved = merge(later, bank)[0]
    pairs = list(zip(_bank_parts(first[0]), _bank_parts(again), strict=True))
    assert all(a == b for a, b in pairs)
    assert any(a is b for a, b in pairs if type(a) is Objective)  # remembered, not made again
    assert any(a is b for a, b in pairs if type(a) is Goal)  # its objectives the same: remembered
    memo.clear()
    assert moved.model_dump_json() == merge(later, bank)[0].model_dump_json()
    dates = {o.target_date for g in moved.goals for o in g.objectives if o.origin is Origin.BANK}
    assert dates and min(dates) > dt.date(2031, 5, 4)


def test_a_filled_goal_is_remembered_by_what_it_is_made_of() -> None:
    """The same bank goal for the same problem, codes, id, objectives and interventions is the
    goal made before; any of those different makes a goal of its own."""
    from pipeline.merge.client import client_facts
    from pipeline.merge.fill import bank_goal
    from pipeline.model import Diagnosis, Measure, Plan, PresentingProblem

    bank = load_bank()
    plan = Plan(
        client={"id": "C1"},
        intake_date=dt.date(2026, 3, 2),
        presenting_problem=PresentingProblem(client_words="I worry all the time"),
        diagnoses=(Diagnosis(code="F41.1", primary=True),),
        measures=(Measure(instrument="GAD-7", total=15, date=dt.date(2026, 3, 2)),),
    )
    problem = next(iter(bank.problems.values()))
    memo.clear()

    def made(day: dt.date, codes: tuple[str, ...] = ("F41.1",), used: tuple[str, ...] = ()):
        client = client_facts(plan, day, day + dt.timedelta(days=90))
        return bank_goal(bank, client, problem, codes, (3, 3), set(used), set())

    first = made(dt.date(2026, 3, 2))
    assert first is not None and first.objectives
    assert made(dt.date(2026, 3, 2)) is first
    assert made(dt.date(2026, 3, 2)).model_dump_json() == first.model_dump_json()
    other_codes = made(dt.date(2026, 3, 2), ("F41.9",))
    assert other_codes is not first and other_codes.diagnosis_codes == ("F41.9",)
    later = made(dt.date(2026, 4, 6))
    assert later is not first and later.objectives != first.objectives
    taken = made(dt.date(2026, 3, 2), used=(first.id,))
    assert taken is not first and taken.id != first.id
    memo.clear()
    again = made(dt.date(2026, 3, 2))
    assert again is not first and again == first
