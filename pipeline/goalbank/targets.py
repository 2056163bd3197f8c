"""Score targets: an instrument's severity bands and the goal score a baseline in each gets."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    instrument: str
    name: str
    low: int
    high: int
    rule: str
    value: float | None
    index: int  #: 0 = mildest band of the instrument


@dataclass(frozen=True)
class Target:
    """A score target for one client: the band the baseline falls in and the goal score."""

    band: Band
    score: int | None  #: None: no target (rule "none", or not below the baseline)

    @property
    def text(self) -> str:
        return f"{self.score} or lower"


def band_target(bands: tuple[Band, ...], floor: int, baseline: int) -> Target | None:
    """The target for a baseline score by an instrument's bands, or None if not covered."""
    band = next((b for b in bands if b.low <= baseline <= b.high), None)
    if band is None:
        return None
    value = band.value or 0
    if band.rule == "at_or_below":
        score = int(value)
    elif band.rule == "percent_reduction":
        score = math.floor(baseline * (100 - value) / 100)
    elif band.rule == "points_reduction":
        score = int(baseline - value)
    else:
        return Target(band, None)
    score = max(score, floor)
    return Target(band, score if score < baseline else None)
