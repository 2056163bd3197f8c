"""Every objective the goal bank writes, filled for a client, takes the article its words are
said with: 2043's plan read "Reduce alcohol use from a AUDIT-C score of 10" (the clinical plan
and the BluePeak form); the ASRS and ISI objectives were written the same way."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pipeline.goalbank.bank import load_bank
from pipeline.merge.client import ClientFacts
from pipeline.merge.fill import fill

BANK = load_bank()
PLAN_DATE = dt.date(2026, 1, 14)
#: "a" before a vowel-initial word or an abbreviation said from a vowel (AUDIT-C, ASRS, ISI);
#: "an" before a consonant-initial lower-case word.
WRONG = re.compile(
    r"\b[Aa] (?:[AEIOU][A-Z]|(?!one|use|usual|uni|eu)[aeiou])"
    r"|\b[Aa]n (?!hour|honest)[b-df-hj-np-tv-z]"
)


def _text(row) -> str:
    score = None
    if row.kind == "instrument":
        _, _, high = BANK.instruments[row.measure_key]
        score = high
    client = ClientFacts(
        scores={row.measure_key: score} if score is not None else {},
        text="",
        plan_date=PLAN_DATE,
        review_date=PLAN_DATE + dt.timedelta(days=90),
        responsible="Jordan Reyes, LPC",
        baseline_dates={row.measure_key: PLAN_DATE} if score is not None else {},
        intake_date=PLAN_DATE,
    )
    return fill(BANK, client, row, "weekly", set()).text


@pytest.mark.parametrize(
    "row", sorted(BANK.objectives.values(), key=lambda r: r.id), ids=lambda r: r.id
)
def test_objective_text_takes_the_right_article(row) -> None:
    text = _text(row)
    assert not WRONG.search(text), (row.id, text)
