"""The objective table's "Measured by" column, over the goal bank's objective rows filled for
generated clients: it names the instrument or the record the objective is kept in (or what
it counts), never the baseline or target; the baseline has its own column."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.goalbank.bank import load_bank
from pipeline.model import Goal
from pipeline.writers.views import goal_view
from pipeline.writers.wording import tidy
from tests.support import filled_bank_objective

BANK = load_bank()
ROWS = sorted(BANK.objectives.values(), key=lambda row: row.id)
INSTRUMENTS = {row.measure for row in ROWS if row.kind == "instrument"}


def _date(day: dt.date | None) -> str:
    return day.strftime("%B %-d, %Y") if day else ""


@st.composite
def filled(draw: st.DrawFn):
    row = draw(st.sampled_from(ROWS))
    plan_date = draw(st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)))
    score = None
    if row.kind == "instrument":
        _, low, high = BANK.instruments[row.measure_key]
        score = draw(st.integers(low, high))
    return row, filled_bank_objective(BANK, row, plan_date, score)


@settings(max_examples=600, deadline=None)
@given(filled())
def test_measured_by_names_the_method_and_the_baseline_has_its_own_column(case) -> None:
    row, objective = case
    goal = Goal(id="G1", client_words="I want things to change", objectives=(objective,))
    [view] = goal_view(1, goal, _date)["objectives"]
    measured = view["measured_by"]
    assert measured, row.id
    assert "baseline" not in measured.lower() and "target" not in measured.lower(), measured
    if objective.baseline and not objective.baseline.isdigit():
        assert objective.baseline.lower() not in measured.lower(), (row.id, measured)
    method = measured.lower()
    if row.measure in INSTRUMENTS:
        assert method == row.measure.lower(), (row.id, measured)  # the instrument itself
    else:  # the record the text names, else what is counted
        assert method in objective.text.lower() or method == row.measure.lower(), (row.id, measured)
    if objective.baseline:  # in its own column, dates as the document prints them
        baseline = tidy(objective.baseline, _date).lower()
        assert baseline in view["baseline_text"].lower(), (row.id, view)
        # and in the sentence the payer documents print, stated by the text or noted after it
        head = baseline.split(" (", 1)[0]  # a noted baseline's dates follow a comma
        numbers = re.findall(r"\d+", baseline)  # its dates and counts, whichever way written
        sentence = view["text_dated"].lower()
        assert head in sentence and all(n in sentence for n in numbers), (row.id, sentence)
