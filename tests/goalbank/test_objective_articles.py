"""Every objective the goal bank writes, filled for a client, takes the article its words are
said with: 2043's plan read "Reduce alcohol use from a AUDIT-C score of 10" (the clinical plan
and the BluePeak form); the ASRS and ISI objectives were written the same way."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pipeline.goalbank.bank import load_bank
from tests.support import filled_bank_objective

BANK = load_bank()
PLAN_DATE = dt.date(2026, 1, 14)
#: "a" before a vowel-initial word or an abbreviation said from a vowel (AUDIT-C, ASRS, ISI);
#: "an" before a consonant-initial lower-case word.
WRONG = re.compile(
    r"\b[Aa] (?:[AEIOU][A-Z]|(?!one|use|usual|uni|eu)[aeiou])"
    r"|\b[Aa]n (?!hour|honest)[b-df-hj-np-tv-z]"
)


def _text(row) -> str:
    return filled_bank_objective(BANK, row, PLAN_DATE).text


@pytest.mark.parametrize(
    "row", sorted(BANK.objectives.values(), key=lambda r: r.id), ids=lambda r: r.id
)
def test_objective_text_takes_the_right_article(row) -> None:
    text = _text(row)
    assert not WRONG.search(text), (row.id, text)
