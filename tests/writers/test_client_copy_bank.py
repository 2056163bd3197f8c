"""Every objective the goal bank can write reads plainly in a client copy: no jargon, no
scale in parentheses, a comparison word that fits what is counted, right articles.

CT-1004's and CT-1002's copies said "check-ins a week using the agreed skills"; reading
every bank objective's client line found more: "Fewer insomnia severity", "do an practice
facing fears", "the assigned CPT worksheet", "interoceptive exposure exercises", "anxiety of
7 or more (0-10)", "dressed by 10 a.m..".
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pipeline.goalbank.bank import load_bank
from pipeline.model import Goal
from pipeline.writers.plain import objective_steps
from pipeline.writers.views import goal_view
from tests.support import filled_bank_objective
from tests.writers.client_jargon import GRAMMAR, JARGON, SCALE

BANK = load_bank()
ROWS = sorted(BANK.objectives.values(), key=lambda row: row.id)
PLAN_DATE = dt.date(2026, 1, 14)
#: What a count of something that is not counted one by one ("Fewer insomnia severity").
MASS = re.compile(
    r"^Fewer (?:[\w-]+ ){0,2}(?:use|distress|stress|worry|severity|impairment|impact|fear|"
    r"difficulties|how you feel)[ .]"
)


def _date(day: dt.date | None) -> str:
    return day.strftime("%B %-d, %Y") if day else ""


def _line(row) -> str:
    objective = filled_bank_objective(BANK, row, PLAN_DATE)
    goal = Goal(id="G1", client_words="I want things to change", objectives=(objective,))
    [view] = goal_view(1, goal, _date)["objectives"]
    return objective_steps(view, {}, "female")


LINES = {row.id: _line(row) for row in ROWS}


@pytest.mark.parametrize("row_id", sorted(LINES))
def test_every_bank_objective_reads_plainly_in_a_client_copy(row_id: str) -> None:
    line = LINES[row_id]
    assert line, row_id
    assert not JARGON.search(line), (row_id, line)
    assert not SCALE.search(line), (row_id, line)
    assert not GRAMMAR.search(line), (row_id, line)
    assert not MASS.search(line), (row_id, line)
    assert "every week average" not in line, (row_id, line)
