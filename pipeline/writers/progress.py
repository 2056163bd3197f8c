"""Progress on each measure: its administrations over time, target and reliable change, in words.

:func:`progress_of` turns a plan's measures into one :class:`Progress` per instrument (dated
administrations in date order, the baseline, the objective's target, the instrument's
reliable-change threshold: the same one the history's "reliable improvement" words use).
A chart (:mod:`pipeline.writers.charts`) is drawn only for an instrument with two dated
administrations or more; everything else here is words: the clinician's sentence, a chart's
alternative text and the client copy's plain sentences.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pipeline.clinical.measures import canonical_instrument, instrument, reliable_change
from pipeline.errors import ValueProblem
from pipeline.model import Plan
from pipeline.writers.plain import target_words
from pipeline.writers.plain_words import INSTRUMENTS
from pipeline.writers.wording import MONTHS

DateFormat = Callable[[dt.date | None], str]

#: What a template prints where a chart goes; the DOCX writer puts the picture there.
MARKER = "TXPLAN-CHART-"
MARKER_RE = re.compile(r"TXPLAN-CHART-([0-9a-f]{16})")

_TARGET = re.compile(
    r"(<=|≤|<|>=|≥|>|=|(?:below|under|less than|above|over|more than)\b)?\s*(\d+)"
    r"\s*(or (?:below|less|under|lower|more|above|higher))?",
    re.IGNORECASE,
)
_SIGN = {"<=": "≤", "≤": "≤", "<": "<", ">=": "≥", "≥": "≥", ">": ">", "=": "≤", "below": "<",
         "under": "<", "less than": "<", "above": ">", "over": ">", "more than": ">"}  # fmt: skip
_WORDS = {"≤": "{} or less", "<": "below {}", "≥": "{} or more", ">": "above {}"}


@dataclass(frozen=True)
class Target:
    """An objective's target on a score: ``sign`` is one of ≤ < ≥ >, ``value`` the number."""

    sign: str
    value: int
    text: str = field(default="", compare=False)  #: as the objective writes it

    def __str__(self) -> str:
        return f"{self.sign} {self.value}"

    @property
    def words(self) -> str:
        """ "9 or less", "below 10", or the objective's own words ("4 or lower")."""
        own = target_words(self.text) if self.text else ""
        return own if re.fullmatch(r"(?:below|above) \d+|\d+ or \w+", own) else (
            _WORDS[self.sign].format(self.value))  # fmt: skip

    def met(self, score: int) -> bool:
        """Whether a score reaches the target."""
        return {"≤": score <= self.value, "<": score < self.value,
                "≥": score >= self.value, ">": score > self.value}[self.sign]  # fmt: skip


@dataclass(frozen=True)
class Progress:
    """One instrument's administrations (dated, in date order) and what they are judged by."""

    instrument: str
    title: str
    points: tuple[tuple[dt.date, int], ...]
    top: int  #: the highest possible total
    baseline: tuple[dt.date, int] | None
    target: Target | None
    reliable_change: int | None
    severity: str | None  #: the latest administration's band

    @property
    def charted(self) -> bool:
        """Two dated administrations or more: a chart; else a sentence."""
        return len(self.points) >= 2

    @functools.cached_property  # worked out once: the context and the chart both ask
    def key(self) -> str:
        """A content hash of everything the chart shows (cache key, media and marker name)."""
        text = repr((self.instrument, self.points, self.top, self.baseline,
                     self.target, self.reliable_change))  # fmt: skip
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    @property
    def marker(self) -> str:
        return MARKER + self.key

    def change(self) -> tuple[int, str] | None:
        """Latest minus baseline, and whether it is reliable (lower is better on every scale)."""
        if self.baseline is None or not self.points:
            return None
        delta = self.points[-1][1] - self.baseline[1]
        if self.reliable_change is None:
            return delta, ""
        if abs(delta) < self.reliable_change:
            return delta, "no reliable change"
        return delta, "reliable improvement" if delta < 0 else "reliable deterioration"


@functools.lru_cache(maxsize=4096)  # a pure function of two strings that recur across plans
def target_of(text: str | None, name: str) -> Target | None:
    """A target as objectives write it ("<= 9", "PHQ-9 < 10", "9 or below"); None if unread."""
    if not text:
        return None
    rest = re.sub(re.escape(name), "", text, flags=re.IGNORECASE)
    m = _TARGET.search(rest)
    if m is None:
        return None
    sign = _SIGN.get((m.group(1) or "").lower(), "≤")
    if m.group(3):
        sign = "≥" if m.group(3).lower().endswith(("more", "above", "higher")) else "≤"
    return Target(sign, int(m.group(2)), rest.strip())


#: The last plan :func:`progress_of` read and its answer: a plan is immutable, and held here
#: its id cannot be reused, so the context and the chart embedding of one document share it.
_LAST: list[tuple[Plan, tuple[Progress, ...]]] = []


def progress_of(plan: Plan) -> list[Progress]:
    """One :class:`Progress` per scored instrument the plan measures, in first-seen order:
    only administrations known on the plan's date (``Plan.measures_known``)."""
    if _LAST and _LAST[0][0] is plan:
        return list(_LAST[0][1])
    out = _progress_of(plan)
    _LAST[:] = [(plan, tuple(out))]
    return out


@functools.lru_cache(maxsize=1024)  # a pure function of a string (the instrument tables)
def _canonical(name: str) -> str | None:
    return canonical_instrument(name)


@functools.lru_cache(maxsize=64)
def _spec(canonical: str) -> tuple[str, int, int | None]:
    """An instrument's title, highest total and reliable-change threshold."""
    spec = instrument(canonical)
    return spec.title, spec.total_max, reliable_change(canonical)


def _progress_of(plan: Plan) -> list[Progress]:
    found = []
    measures = plan.measures_known()
    for name in dict.fromkeys(m.instrument for m in measures):
        canonical = _canonical(name)
        if canonical is None:
            continue
        given = [m for m in measures if m.instrument == name and m.total is not None]
        if not given:
            continue
        if len(given) > 1:
            given = [m for _, m in sorted(enumerate(given), key=_when)]
        points = tuple([(m.date, int(m.total)) for m in given if m.date])  # type: ignore[arg-type]
        base = plan.baseline_measure(name)
        known = base is not None and base.date is not None and base.total is not None
        baseline = (base.date, base.total) if base and known else None
        found.append((canonical, points, baseline, given[-1].severity))
    if not found:
        return []
    targets = _targets(plan, {canonical for canonical, *_ in found})
    out = []
    for canonical, points, baseline, severity in found:
        title, top, rci = _spec(canonical)
        out.append(_progress(canonical, title, points, top, baseline, targets.get(canonical),
                             rci, severity))  # fmt: skip
    return out


def _progress(instrument: str, title: str, points: tuple[tuple[dt.date, int], ...], top: int,
              baseline: tuple[dt.date, int] | None, target: Target | None,
              reliable_change: int | None, severity: str | None) -> Progress:  # fmt: skip
    """``Progress(...)`` of these fields, its attributes set at once (the frozen dataclass's
    ``__init__`` sets each with a call of ``object.__setattr__``): the same object."""
    made = _NEW(Progress)
    _SET(made, "__dict__", {"instrument": instrument, "title": title, "points": points,
                            "top": top, "baseline": baseline, "target": target,
                            "reliable_change": reliable_change, "severity": severity})  # fmt: skip
    return made


_NEW = object.__new__
_SET = object.__setattr__


def _when(item: tuple[int, Any]) -> tuple[dt.date, int]:
    """An administration's place in date order (undated first, then as given)."""
    return item[1].date or dt.date.min, item[0]


def _targets(plan: Plan, wanted: set[str]) -> dict[str, Target | None]:
    """Each wanted instrument's target: the first objective's that names it as its measure."""
    found: dict[str, Target | None] = {}
    for goal in plan.goals:
        for o in goal.objectives:
            if o.measure:
                name = _canonical(o.measure)
                if name in wanted and found.get(name) is None:
                    found[name] = _target_on(o.measure, o.target)
    return found


@functools.lru_cache(maxsize=4096)  # a pure function of two strings that recur across plans
def _target_on(measure: str, target: str | None) -> Target | None:
    """An objective's target on its measure (None: none read, or not a target)."""
    try:
        return target_of(target, measure)
    except ValueProblem:
        return None


# --- words ------------------------------------------------------------------------------


def _points_text(p: Progress, date: DateFormat) -> str:
    return ", ".join(f"{score} on {date(when)}" for when, score in p.points)


def clinician_text(p: Progress, date: DateFormat) -> str:
    """The chart's caption, or the sentence standing for it with one administration."""
    target = f"; target {p.target}" if p.target else ""
    if not p.points:
        return f"{p.instrument}: not dated, so not charted{target}."
    if not p.charted:
        when, score = p.points[0]
        band = f" ({p.severity})" if p.severity else ""
        return (f"{p.instrument}: one administration so far, {score}{band} on {date(when)}"
                f"{target}. A chart needs a second administration.")  # fmt: skip
    (first, a), (last, b) = p.points[0], p.points[-1]
    change = p.change()
    judged = ""
    if change is not None:
        delta, words = change
        base = f"{p.baseline[1]} → {b}" if p.baseline else ""
        rci = f"; threshold ±{p.reliable_change}" if p.reliable_change else ""
        sign = f"{delta:+d}".replace("-", "−")
        judged = f"; change from baseline {base} ({sign}{', ' + words if words else ''}{rci})"
    if p.target:
        target += ", met by the latest score" if p.target.met(b) else ", not met yet"
    return (f"{p.instrument}: {len(p.points)} administrations, {a} on {date(first)} to {b} on "
            f"{date(last)}{judged}{target}.")  # fmt: skip


def alt_text(p: Progress, date: DateFormat) -> str:
    """A chart's alternative text: the measure, every value with its date, target and band."""
    text = f"Line chart of {p.instrument} ({p.title}) total scores over time: "
    text += _points_text(p, date) + f" (0 to {p.top}, lower is better)."
    if p.target:
        text += f" Target: {p.target.words}."
    if p.baseline and p.reliable_change:
        low = max(0, p.baseline[1] - p.reliable_change)
        high = min(max(p.top, p.baseline[1]), p.baseline[1] + p.reliable_change)
        text += (f" Shaded band of no reliable change around the baseline {p.baseline[1]}: "
                 f"{low} to {high}.")  # fmt: skip
    return text


def _month(when: dt.date, other: dt.date) -> str:
    """ "in January" (or "on January 7" within one month, with the year across years)."""
    if when.year == other.year and when.month == other.month:
        return f"on {MONTHS[when.month - 1]} {when.day}"
    if when.year == other.year:
        return f"in {MONTHS[when.month - 1]}"
    return f"in {MONTHS[when.month - 1]} {when.year}"


def client_text(p: Progress) -> str:
    """How the client copy says it: "Your mood questionnaire score went from 14 in January
    to 8 in April. Your goal is below 10." No instrument codes, no jargon."""
    name = INSTRUMENTS.get(p.instrument, "questionnaire")
    goal = f" Your goal is {p.target.words}." if p.target else ""
    if not p.points:
        return ""
    if not p.charted:
        when, score = p.points[0]
        return (f"Your {name} score was {score} {_month(when, dt.date.min)}.{goal} We will "
                "ask again to see how it changes.")  # fmt: skip
    (first, a), (last, b) = p.points[0], p.points[-1]
    text = f"Your {name} score went from {a} {_month(first, last)} to {b} {_month(last, first)}."
    change = p.change()
    if change is not None and change[1] == "reliable improvement":
        text += " That is a real change for the better."
    elif change is not None and change[1] == "reliable deterioration":
        text += " It went up. We will talk about it together."
    if p.target and p.target.met(b):
        return text + f" Your goal was {p.target.words}, and you reached it."
    return text + goal
