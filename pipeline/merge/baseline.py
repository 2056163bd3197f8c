"""Where an objective's baseline comes from: a dated score, a number the intake gives, or a log.

A score's baseline is the administration on or nearest before the plan date (never a later
one: that is progress, not a baseline), quoted with its date. A count's baseline is a number
the intake states ("missed 6 shifts in 2 months" gives 3 days of work missed per month),
quoted with where it came from; otherwise it is set from a log kept over the first two weeks,
named by its dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.merge.client import ClientFacts, format_date

#: The goal bank's marker for "set from the first two weeks' log" (its Objectives baseline).
LOG_BASELINE = "the weeks 1-2 log average"
#: Days of logging before a count's baseline is set.
LOG_DAYS = 14


@lru_cache(maxsize=1024)  # a pure function of the date; plans share few
def log_baseline(plan_date: dt.date) -> str:
    """The dated log step: "the average of the first 2 weeks' log (January 7-20, 2026)" (no
    internal "(set …)" date: the weeks say when the baseline is known)."""
    last = plan_date + dt.timedelta(days=LOG_DAYS - 1)
    if (last.year, last.month) == (plan_date.year, plan_date.month):
        span = f"{plan_date:%B} {plan_date.day}-{last.day}, {last.year}"
    elif last.year == plan_date.year:
        span = f"{plan_date:%B} {plan_date.day} to {last:%B} {last.day}, {last.year}"
    else:
        span = f"{format_date(plan_date)} to {format_date(last)}"
    return f"the average of the first 2 weeks' log ({span})"


def score_phrase(score: int | str, day: dt.date | None) -> str:
    """A baseline score as an objective quotes it: '15 (January 7, 2026)'."""
    return f"{score} ({format_date(day)})" if day else f"{score} (date not recorded)"


# --- counts the intake states ----------------------------------------------------------------

_NUMBER_WORDS = {
    "once": 1, "twice": 2, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_N = r"(\d+|once|twice|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_WEEKS_PER_MONTH = 52 / 12


@dataclass(frozen=True)
class _Fact:
    """One kind of count an intake states, the bank measures it fits, and how to read it."""

    measure: re.Pattern[str]  #: bank measures this fact is the baseline of
    patterns: tuple[tuple[re.Pattern[str], str], ...]  #: pattern, how its groups give a rate
    #: a clinician's objective whose own words count this ("Limit drinking to 2 or fewer
    #: nights per week"): its measure column is only where it is recorded ("drink log")
    objective: re.Pattern[str] | None = None


def _p(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE)


#: how much is drunk, between "drinking" and how often: "6+ drinks", "4-5 beers", "heavily"
_AMOUNT = (
    r"(?:\s+(?:about|around|heavily|alcohol|wine|beer|liquor|"
    r"\d+\+?(?:\s*-\s*\d+)?\s+(?:standard\s+)?(?:drinks|beers|glasses|cans|shots|pints)"
    r"(?:\s+of\s+\w+)?))*"
)
_MONTHS = r"(?:in\s+(?:the\s+)?(?:last\s+|past\s+)?" + _N + r"\s+months?)"
_ONE_MONTH = r"(?:(?:in\s+)?(?:the\s+)?(?:last|past|this|a|per|each)\s+month)"
_FACTS = (
    _Fact(
        _p(r"\bdays? of work missed\b|\bwork(?:days)? missed\b"),
        (
            (
                _p(
                    rf"\bmiss(?:ed|es|ing)?\s+{_N}\s+(?:work\s+)?(?:shifts?|(?:work\s*)?days?)"
                    rf"(?:\s+of\s+work)?\s+(?:{_MONTHS}|{_ONE_MONTH})"
                ),  # fmt: skip
                "per_months",
            ),
            (
                _p(rf"\bcall(?:s|ed|ing)?\s+in\s+sick\s+{_N}(?:\s+times)?\s+(?:a|per)\s+week"),
                "weekly",
            ),
            (
                _p(rf"\bcall(?:s|ed|ing)?\s+in\s+sick\s+{_N}(?:\s+times)?\s+(?:a|per)\s+month"),
                "month",
            ),
        ),
    ),
    _Fact(
        _p(r"\bclasses missed per month\b"),
        (
            (
                _p(
                    rf"\b(?:miss|skipp?)(?:ed|es|ing)?\s+{_N}\s+classes\s+(?:{_MONTHS}|{_ONE_MONTH})"
                ),
                "per_months",
            ),
        ),
    ),
    _Fact(
        _p(r"^drinking (?:days|nights) per week\b"),
        (
            # only how much between "drinking" and how often ("drinking 6+ drinks 5 nights a
            # week", "drinking 4-5 beers nightly"): never another clause's number
            (
                _p(rf"\bdrink(?:s|ing)?{_AMOUNT}\s+{_N}\s+(?:nights|days)\s+(?:a|per)\s+week"),
                "count",
            ),
            (_p(rf"\bdrink(?:s|ing)?{_AMOUNT}\s+(daily|nightly|every\s+(?:day|night))\b"), "daily"),
        ),
        objective=_p(
            r"^\s*(?:(?:the\s+)?client\s+will\s+|i\s+will\s+)?"
            r"(?:limit|reduce|cut(?:\s+down)?|decrease|lower)\s+(?:the\s+number\s+of\s+)?"
            r"(?:drinking|alcohol\s+use|days\s+drinking|nights\s+drinking)(?:\s+(?:days|nights))?"
            r"\s+(?:to|from)\s+[^.;]*?\b(?:nights?|days?)\s+(?:a|per|each)\s+week\b"
        ),
    ),
)
#: words that make a clause about the past or about not doing it: no current amount
_NOT_NOW = _p(
    r"\b(?:used\s+to|until|previously|formerly|years?\s+ago|no\s+longer|quit|stopped|sober|"
    r"abstinent|denies|denied|in\s+the\s+past)\b"
)
_CLAUSE_END = re.compile(r"[.;|]")


@dataclass(frozen=True)
class IntakeCount:
    """A count baseline read from the intake: the value and the words it came from."""

    value: str
    quote: str


def _number(word: str) -> float:
    return float(_NUMBER_WORDS.get(word.lower(), word) if not word.isdigit() else word)


def _shown(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def _clause(text: str, start: int, end: int) -> str:
    """The clause of ``text`` holding ``text[start:end]`` (between '.', ';' or '|')."""
    before = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    after = _CLAUSE_END.search(text, end)
    return text[before : after.start() if after else len(text)]


@lru_cache(maxsize=4096)  # a pure function of its three texts
def intake_count(measure: str, text: str, objective: str = "") -> IntakeCount | None:
    """The baseline of a count objective from a number the intake text states, if any: only a
    number that states the current amount of what the objective counts (its measure, or for a
    clinician's objective its own words), never one in a clause about the past ("used to
    drink daily")."""
    for fact in _counted(measure, objective):
        for pattern, how in fact.patterns:
            match = pattern.search(text)
            if match is None or _NOT_NOW.search(_clause(text, match.start(), match.end())):
                continue
            if how == "daily":
                value = 7.0
            elif how == "count":
                value = _number(match.group(1))
            elif how == "weekly":
                value = round(_number(match.group(1)) * _WEEKS_PER_MONTH, 1)
            elif how == "month":
                value = _number(match.group(1))
            else:  # per_months: n over k months (k absent: one month)
                months = match.group(2)
                value = round(_number(match.group(1)) / (_number(months) if months else 1), 1)
            if value > 31:
                continue
            return IntakeCount(_shown(value), " ".join(match.group(0).split()))
    return None


@lru_cache(maxsize=1024)  # a pure function of two texts: plans repeat the bank's measures
def _counted(measure: str, objective: str) -> tuple[_Fact, ...]:
    """The facts that count what the measure (or a clinician's objective) counts, in order."""
    return tuple(
        fact
        for fact in _FACTS
        if fact.measure.search(measure)
        or (fact.objective is not None and objective and fact.objective.search(objective))
    )


def count_baseline(
    client: ClientFacts, measure: str, objective: str = ""
) -> tuple[str, str, dt.date | None]:
    """A count objective's (baseline, as its text quotes it, baseline date): the intake's
    number when it states one (``objective``: a clinician's objective's own words, which say
    what it counts), else the dated two-week log step (no date: not measured yet)."""
    if not _counted(measure, objective):  # no number the intake states counts it
        step = log_baseline(client.plan_date)
        return step, step, None
    return _count_baseline(measure, client.text, objective, client.intake_date, client.plan_date)


@lru_cache(maxsize=4096)  # a pure function of what it reads of the client
def _count_baseline(
    measure: str, text: str, objective: str, intake_date: dt.date | None, plan_date: dt.date
) -> tuple[str, str, dt.date | None]:
    found = intake_count(measure, text, objective)
    if found is not None:
        day = min(intake_date or plan_date, plan_date)
        return found.value, f'{found.value} (intake, {format_date(day)}: "{found.quote}")', day
    step = log_baseline(plan_date)
    return step, step, None
