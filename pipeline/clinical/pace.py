"""How often a plan sees the client, and how often an intervention's frequency promises it.

A plan must not promise an intervention more often than the client is seen: the goal bank's
"Communication skills training: weekly" beside sessions every other week (CT-1004) promises
care no session delivers. The merge writes a bank-supplied frequency no more often than the
plan's sessions (:func:`no_more_often`); the ``interventions_within_sessions`` rule (TXR024)
names a clinician's own that is more often (:func:`most_often`).

A frequency is free text ("weekly, 6-8 sessions", "once, reviewed weekly", "weekly or twice
weekly, 12-20 sessions"): each phrase in it that states a pace ("weekly", "twice a week",
"every 2 weeks", "monthly"; alternatives joined by "or" count as one phrase, at its most
often) is read; counts and durations ("12 weeks", "6-8 sessions") and a pace tied to the
sessions themselves ("every session") are not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from pipeline.clinical.schedule import sessions_per_week
from pipeline.model import Service

#: Sessions a week of each unit's "-ly" word and of "per <unit>" (a month is 52/12 weeks).
_PER = {"day": 7.0, "week": 1.0, "month": 12 / 52, "daily": 7.0, "weekly": 1.0,
        "monthly": 12 / 52}  # fmt: skip
_COUNT = {"once": 1, "twice": 2, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "other": 2}
_N = r"(?:\d+|once|twice|one|two|three|four|five)"
_ONE = (
    rf"(?:(?P<n>{_N})\s*(?:x|times?)?\s*(?:a|per|/|each|every)\s*(?P<unit>day|week|month)\b"
    rf"|(?P<m>once|twice)\s+(?P<ly>daily|weekly|monthly)"
    r"|every\s+(?P<k>other|\d+|two|three|four)\s+(?P<kunit>day|week|month)s?\b"
    r"|every\s+(?P<eunit>day|week|month)\b"
    r"|(?P<half>bi-?weekly|fortnightly)"
    r"|(?P<plain>daily|weekly|monthly))"
)
_UNNAMED = re.sub(r"\?P<\w+>", "?:", _ONE)
_PHRASE = re.compile(rf"\b{_UNNAMED}(?:\s+or\s+{_UNNAMED})*", re.I)
_SINGLE = re.compile(rf"\b{_ONE}", re.I)

#: A pace this much more often than the sessions still counts as theirs: "every 4 weeks"
#: beside "monthly" sessions (13 against 12 a year) is the same pace, written another way.
TOLERANCE = 1.1


def _rate(match: re.Match[str]) -> float:
    """Sessions a week of one pace phrase matched by :data:`_SINGLE`."""
    g = match.groupdict()
    if g["n"]:
        return float(_COUNT.get(g["n"].lower(), g["n"])) * _PER[g["unit"].lower()]
    if g["m"]:
        return float(_COUNT[g["m"].lower()]) * _PER[g["ly"].lower()]
    if g["k"]:
        return _PER[g["kunit"].lower()] / float(_COUNT.get(g["k"].lower(), g["k"]))
    if g["eunit"]:
        return _PER[g["eunit"].lower()]
    if g["half"]:
        return 0.5
    return _PER[g["plain"].lower()]


def _spans(text: str) -> list[tuple[int, int, float]]:
    """Each pace phrase of ``text``: start, end and its sessions a week (at most often)."""
    return [
        (m.start(), m.end(), max(_rate(one) for one in _SINGLE.finditer(m.group(0))))
        for m in _PHRASE.finditer(text)
    ]


@lru_cache(maxsize=1024)
def most_often(text: str | None) -> float | None:
    """The most often ``text`` promises something, in sessions a week (None: no pace in it,
    e.g. "once, then as needed" or "every session")."""
    if not text:
        return None
    rates = [rate for _, _, rate in _spans(text)]
    return max(rates) if rates else None


class Pace(NamedTuple):
    """How often the plan's services see the client: ``per_week`` sessions a week in all, and
    ``phrase``, the frequency of its most frequent service as it reads mid-sentence (a
    tuple: hashed in C, as the memos below key on it)."""

    per_week: float
    phrase: str

    def exceeded_by(self, rate: float) -> bool:
        """Whether ``rate`` (sessions a week) is more often than these sessions."""
        return rate > self.per_week * TOLERANCE


def _mid_sentence(text: str) -> str:
    """ "Every other week" -> "every other week" (an acronym first stays)."""
    text = " ".join(text.split())
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def plan_pace(services: Iterable[Service]) -> Pace | None:
    """How often the services see the client: their sessions a week added up (None when there
    is no service, or one whose frequency gives no pace: it cannot be told)."""
    return _pace(tuple([service.frequency for service in services]))


def pace_of(frequency: str) -> Pace | None:
    """How often one service of that frequency sees the client (None: it cannot be told)."""
    return _pace((frequency,))


@lru_cache(maxsize=256)
def _pace(frequencies: tuple[str | None, ...]) -> Pace | None:
    """:func:`plan_pace` from the services' frequencies (kept by them: plans share a few)."""
    total, best, phrase = 0.0, 0.0, ""
    for frequency in frequencies:
        rate = sessions_per_week(frequency) or most_often(frequency)
        if rate is None or not frequency:
            return None
        total += rate
        if rate > best:
            best, phrase = rate, _mid_sentence(frequency)
    return Pace(total, phrase) if phrase else None


@lru_cache(maxsize=1024)
def no_more_often(text: str, pace: Pace | None) -> str:
    """``text`` with every pace phrase more often than ``pace`` made the sessions' own
    ("weekly, 6-8 sessions" beside sessions every other week -> "every other week, 6-8
    sessions"); ``text`` itself when none is (or the pace is not known)."""
    if pace is None or not text:
        return text
    spans = [(a, b) for a, b, rate in _spans(text) if pace.exceeded_by(rate)]
    for start, end in reversed(spans):
        text = text[:start] + pace.phrase + text[end:]
    return text


@lru_cache(maxsize=1024)
def is_referral(modality: str) -> bool:
    """A referral or coordination with another provider: delivered outside the sessions."""
    lower = modality.lower()
    return "referral" in lower or lower.startswith("refer")


@lru_cache(maxsize=1024)
def paced(frequency: str, modality: str, pace: Pace | None) -> str:
    """A treatment's frequency taken from the goal bank, no more often than ``pace`` (a
    referral's as it is: another provider sees the client)."""
    return frequency if is_referral(modality) else no_more_often(frequency, pace)
