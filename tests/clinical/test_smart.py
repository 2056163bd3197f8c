"""The shared SMART check of one objective."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.clinical.smart import check_objective, vague_lead
from pipeline.model import Objective

FULL = dict(
    id="O1",
    text="Reduce PHQ-9 from 18 to 9 or lower by June 1, 2025.",
    measure="PHQ-9",
    baseline="18",
    target="9 or lower",
    target_date=dt.date(2025, 6, 1),
)


def _codes(**changes) -> list[str]:
    return [f.code for f in check_objective(Objective(**{**FULL, **changes}), "plan.json")]


def test_complete_objective_passes() -> None:
    assert _codes() == []


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"measure": None}, "SMART002"),
        ({"baseline": " "}, "SMART003"),
        ({"target": None}, "SMART004"),
        ({"target_date": None}, "SMART005"),
        ({"text": ""}, "SMART001"),
        ({"text": "Client will improve mood."}, "SMART006"),
        ({"text": "Understand the triggers of anxiety."}, "SMART006"),
    ],
)
def test_each_missing_part_is_an_error(changes, code) -> None:
    findings = check_objective(Objective(**{**FULL, **changes}), "plan.json, goal G1")
    assert code in [f.code for f in findings]
    assert all(f.severity == "error" and "objective O1" in f.where for f in findings)


def test_vague_verb_with_a_number_is_specific_enough() -> None:
    assert (
        _codes(
            text="Improve sleep to 6 or more hours on 5 nights a week by June 1.",
            target="6 or more",
        )
        == []
    )


@pytest.mark.parametrize(
    ("text", "verb"),
    [
        ("Client will feel better", "feel better"),
        ("I will be aware of triggers", "be aware"),
        ("Reduce panic attacks", None),
        ("Explore feelings", "explore"),
        ("Improve sleep", "improve"),  # the "I" of "Improve" is not the pronoun
        ("Understand triggers", "understand"),
        ("Toward better sleep", None),
        ("Client will improve mood", "improve"),
    ],
)
def test_vague_lead(text, verb) -> None:
    assert vague_lead(text) == verb


def test_the_same_columns_give_the_same_findings_wherever_the_objective_is() -> None:
    """The SMART problems are worked out once per set of columns; each finding still names
    the objective it was found on."""
    vague = Objective(id="A", text="Client will improve mood", measure="PHQ-9")
    first = check_objective(vague, "goal G1")
    again = check_objective(vague.model_copy(update={"id": "B"}), "goal G2")
    assert [f.code for f in first] == [f.code for f in again]
    assert [f.message for f in first] == [f.message for f in again]
    assert {f.where for f in first} == {"goal G1, objective A"}
    assert {f.where for f in again} == {"goal G2, objective B"}
    dated = check_objective(vague.model_copy(update={"target_date": dt.date(2026, 5, 1)}), "")
    assert "SMART005" in {f.code for f in first} - {f.code for f in dated}
