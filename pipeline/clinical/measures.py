"""Standardized measures: PHQ-9, GAD-7, PCL-5 and AUDIT-C scoring, severity bands, risk flags.

Every instrument is described once, as data, in :data:`pipeline.clinical.instruments.INSTRUMENTS`:
its items and their range, its severity bands, the items that raise risk flags, a diagnostic
rule over the items (the PCL-5's DSM-5 rule), and its default reliable-change threshold.
Scoring never prorates: a blank item is an error unless a total is given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from pipeline.clinical.instruments import (  # noqa: F401
    INSTRUMENTS,
    Band,
    ClusterRule,
    Instrument,
    RiskRule,
)
from pipeline.errors import ValueProblem
from pipeline.findings import Finding, info, warning
from pipeline.model import Measure

# Finding codes (stable).
TOTAL_MISMATCH = "MEAS001"  # a given total contradicts the item sum; the sum wins
ITEMS_INCOMPLETE = "MEAS002"  # blank items, total taken as given, items not kept
RISK_ITEM = "MEAS003"  # an item that raises a risk flag was answered above 0
SEX_UNKNOWN = "MEAS004"  # a sex-specific cut-off could not be applied
RULE_DISAGREES = "MEAS005"  # the cut-off and the diagnostic rule (PCL-5 DSM-5) disagree

_SUFFIXES = ("totalscore", "total", "score")
_SEXES = {
    "m": "male",
    "male": "male",
    "man": "male",
    "f": "female",
    "female": "female",
    "woman": "female",
}


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


_BY_KEY: dict[str, Instrument] = {
    _key(alias): spec for spec in INSTRUMENTS for alias in (spec.name, spec.title, *spec.aliases)
}
_BY_NAME: dict[str, Instrument] = {spec.name: spec for spec in INSTRUMENTS}


@lru_cache(maxsize=1024)
def canonical_instrument(name: str) -> str | None:
    """The canonical name of an instrument as people spell it, or None if unknown.

    Case, spaces, dashes and a trailing "total"/"score" do not matter: ``"phq9"``,
    ``"PHQ 9"``, ``"Patient Health Questionnaire-9"`` and ``"PHQ-9 Total"`` give ``"PHQ-9"``.
    """
    key = _key(name)
    for suffix in _SUFFIXES:
        if key not in _BY_KEY and key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)]
    spec = _BY_KEY.get(key)
    return spec.name if spec else None


def instrument(name: str, where: str = "") -> Instrument:
    """The spec of an instrument by any of its spellings; ValueProblem if unknown."""
    canonical = canonical_instrument(name)
    if canonical is None:
        known = ", ".join(spec.name for spec in INSTRUMENTS)
        raise ValueProblem(f"unknown instrument {name!r}: use one of {known}", where)
    return _BY_NAME[canonical]


def _sex(sex: str | None) -> str | None:
    return _SEXES.get(sex.strip().lower()) if sex else None


def bands(name: str, sex: str | None = None) -> tuple[Band, ...]:
    """The severity bands of an instrument (for the client's sex where that matters)."""
    spec = instrument(name)
    return spec.sex_bands.get(_sex(sex) or "", spec.bands)


def severity(name: str, total: int, sex: str | None = None, where: str = "") -> str:
    """The severity band label of a total; ValueProblem if the total is out of range.

    ``sex`` ("male"/"female", "M"/"F") matters only for AUDIT-C; unknown reports both cut-offs.
    """
    spec = instrument(name, where)
    value = _whole(total, f"{spec.name} total", spec.total_min, spec.total_max, where)
    return _band(spec, value, sex)


def _band(spec: Instrument, value: int, sex: str | None) -> str:
    """The band label of a total already checked to be in range."""
    for band in spec.sex_bands.get(_sex(sex) or "", spec.bands):
        if band.low <= value <= band.high:
            return band.label
    raise AssertionError(f"{spec.name} bands do not cover {value}")  # the table is wrong


def reliable_change(name: str) -> int | None:
    """The default reliable-change threshold in points (PHQ-9 5, GAD-7 4, PCL-5 10).

    These are defaults from the literature; the goal bank's MeasureRules may override them.
    None when the instrument has none (AUDIT-C) or is unknown.
    """
    canonical = canonical_instrument(name)
    return _BY_NAME[canonical].reliable_change if canonical else None


def _integer(value: object) -> int | None:
    """An int from an int, an integral float or a digit string; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+(\.0*)?", value.strip()):
        return int(float(value))
    return None


def _whole(value: object, what: str, low: int, high: int, where: str) -> int:
    """An integer within low..high; ValueProblem naming ``what``, the value and the range."""
    number = _integer(value)
    if number is None:
        raise ValueProblem(f"{what} is {value!r}: expected a whole number {low}-{high}", where)
    if not low <= number <= high:
        raise ValueProblem(f"{what} is {number}: allowed {low}-{high}; correct the value", where)
    return number


def score(
    name: str,
    *,
    items: Sequence[int | None] | None = None,
    total: int | None = None,
    date: dt.date | None = None,
    where: str = "",
    sex: str | None = None,
) -> tuple[Measure, tuple[Finding, ...]]:
    """Score one administration from its item responses, its total, or both.

    - Items must be all there, in order, each within the instrument's range. A given total
      that contradicts their sum is a warning (MEAS001) and the sum is used.
    - Blank (None or "") items are an error unless a total is given; then the total is used,
      the items are not kept (no prorating) and a warning (MEAS002) says so. If an answered
      item would raise a risk flag, blank items are an error even with a total, so that a
      risk is never lost. All items blank is the same as no items.
    - An item that raises a risk flag (PHQ-9 item 9 above 0) adds a warning (MEAS003); the
      flags themselves come from :func:`risk_from_measures`.
    - ``sex`` matters only for AUDIT-C's cut-off (4 for men, 3 for women; both reported
      when unknown).
    - An instrument with a diagnostic rule (PCL-5: DSM-5 provisional PTSD) reports it beside
      the band when the items are there; MEAS005 when the rule and the cut-off disagree.
    - A risk item (PHQ-9 item 9) left blank while other items are answered is an error.
    - Numbers as spreadsheets give them are accepted: ``2``, ``2.0``, ``"2"``.

    Raises ValueProblem (with ``where``) for an unknown instrument, a wrong item count, an
    out-of-range item or total, or neither items nor total.
    """
    spec = instrument(name, where)
    given = _given_total(spec, total, where)
    findings: list[Finding] = []
    kept, value = _from_items(spec, items or (), given, where, findings)
    if value is None:
        raise ValueProblem(
            f"{spec.name} has neither item responses nor a total: give one of them", where
        )
    value = _whole(value, f"{spec.name} total", spec.total_min, spec.total_max, where)
    band = _band(spec, value, sex)
    if spec.rule is not None and kept:
        band = _with_rule(spec, spec.rule, kept, value, where, findings)
    for rule in spec.risk:
        if kept and kept[rule.item - 1] > rule.above:
            flags = " and ".join(f"risk.{flag}" for flag in rule.flags)
            message = (
                f"{spec.name} item {rule.item} ({rule.reason}) is {kept[rule.item - 1]}: "
                f"sets {flags}; review risk and complete a safety plan."
            )
            findings.append(warning(RISK_ITEM, where, message))
    if spec.sex_bands and _sex(sex) is None:
        findings.extend(_unknown_sex(spec, value, where))
    measure = Measure(instrument=spec.name, date=date, items=kept, total=value, severity=band)
    return measure, tuple(findings)


def _with_rule(spec: Instrument, rule: ClusterRule, items: tuple[int, ...], value: int,
               where: str, findings: list[Finding]) -> str:  # fmt: skip
    """The band label with the diagnostic rule beside it; MEAS005 when the two disagree."""
    band, met = _band(spec, value, None), rule.met(items)
    counts = rule.describe(items)
    above = value >= spec.bands[-1].low
    if met != above:
        cut = spec.cut_off or str(spec.bands[-1].low)
        message = (
            f"{spec.name} total {value} is {'at or above' if above else 'below'} the cut-off "
            f"({cut}, txplan uses {spec.bands[-1].low}) but the {rule.name} rule is "
            f"{'met' if met else 'not met'} (items rated {rule.at_least}+ per cluster, "
            f"found/needed: {counts}); review the diagnosis with the client."
        )
        findings.append(warning(RULE_DISAGREES, where, message))
    return f"{band}; {rule.name} rule {'met' if met else 'not met'} ({counts})"


def _given_total(spec: Instrument, total: object, where: str) -> int | None:
    """A given total as an int (range checked later), None when blank."""
    if total is None or (isinstance(total, str) and not total.strip()):
        return None
    number = _integer(total)
    if number is None:
        raise ValueProblem(
            f"{spec.name} total is {total!r}: expected a whole number "
            f"{spec.total_min}-{spec.total_max}",
            where,
        )
    return number


def _from_items(
    spec: Instrument,
    items: Sequence[object],
    total: int | None,
    where: str,
    findings: list[Finding],
) -> tuple[tuple[int, ...], int | None]:
    """The kept item responses and the total to use, adding findings on the way."""
    if not items:
        return (), total
    if len(items) != spec.items:
        raise ValueProblem(
            f"{spec.name} has {spec.items} items but {len(items)} were given: "
            f"give all {spec.items} responses in order, or only the total",
            where,
        )
    answers = [_answer(spec, number, item, where) for number, item in enumerate(items, start=1)]
    blank = [number for number, answer in enumerate(answers, start=1) if answer is None]
    if len(blank) == spec.items:
        return (), total  # every item blank: a total-only record
    unasked = [rule for rule in spec.risk if answers[rule.item - 1] is None]
    if unasked:
        rule = unasked[0]
        raise ValueProblem(
            f"{spec.name} item {rule.item} ({rule.reason}) is blank while other items are "
            "answered: the risk item must be asked and recorded; a total cannot stand in for it",
            where,
        )
    if blank:
        listed = (
            f"items {', '.join(map(str, blank))} are" if len(blank) > 1 else f"item {blank[0]} is"
        )
        risky = [rule for rule in spec.risk if (answers[rule.item - 1] or 0) > rule.above]
        if risky:
            rule = risky[0]
            raise ValueProblem(
                f"{spec.name} {listed} blank while item {rule.item} ({rule.reason}) is "
                f"{answers[rule.item - 1]}; the items are needed to keep the risk flag: "
                "fill in every item",
                where,
            )
        if total is None:
            raise ValueProblem(
                f"{spec.name} {listed} blank and txplan does not prorate: fill in every item "
                "or give the total",
                where,
            )
        message = (
            f"{spec.name} {listed} blank; the given total {total} is used and the item "
            "responses are not kept (no prorating)."
        )
        findings.append(warning(ITEMS_INCOMPLETE, where, message))
        return (), total
    kept = tuple(answer for answer in answers if answer is not None)
    item_sum = sum(kept)
    if total is not None and total != item_sum:
        message = (
            f"{spec.name} total {total} does not match the sum of its items ({item_sum}); "
            "the item sum is used. Check the total or the items."
        )
        findings.append(warning(TOTAL_MISMATCH, where, message))
    return kept, item_sum


def _answer(spec: Instrument, number: int, item: object, where: str) -> int | None:
    """One item response: None when blank, else a whole number within the item range."""
    if item is None or (isinstance(item, str) and not item.strip()):
        return None
    if type(item) is int and spec.item_min <= item <= spec.item_max:
        return item  # the usual answer, accepted without building a message
    return _whole(item, f"{spec.name} item {number}", spec.item_min, spec.item_max, where)


def _unknown_sex(spec: Instrument, value: int, where: str) -> list[Finding]:
    """An info finding when a total would screen positive for one sex only."""
    # The last band is the positive screen; its low end is the cut-off.
    cut = {sex: table[-1].low for sex, table in spec.sex_bands.items()}
    positive_for = sorted(sex for sex in cut if value >= cut[sex])
    if not positive_for or value >= spec.bands[-1].low:
        return []
    negative_for = sorted(sex for sex in cut if value < cut[sex])
    message = (
        f"{spec.name} {value} screens positive for {' and '.join(positive_for)} clients "
        f"(cut-off {min(cut[s] for s in positive_for)}) and negative for "
        f"{' and '.join(negative_for)} clients (cut-off {min(cut[s] for s in negative_for)}); "
        "sex is not recorded, so both are reported. Record the sex assigned at birth to apply "
        "the right cut-off."
    )
    return [info(SEX_UNKNOWN, where, message)]


@lru_cache(maxsize=1024)  # a pure function of a few instruments, totals and sexes
def screens_negative(name: str, total: int, sex: str | None) -> bool:
    """Whether a total is below the screening cut-off for the client's recorded sex
    (AUDIT-C: 4 men, 3 women). False when the instrument has no sex-specific cut-off, the
    sex is not recorded (both cut-offs stand), or the total reaches the cut-off."""
    canonical = canonical_instrument(name)
    table = _BY_NAME[canonical].sex_bands.get(_sex(sex) or "") if canonical else None
    return bool(table) and total < table[-1].low


def risk_from_measures(measures: Iterable[Measure]) -> dict[str, bool]:
    """The risk flags the measures raise, e.g. ``{"suicidal_ideation": True, ...}``.

    Only raised flags are returned (all True), so ``risk.model_copy(update=flags)`` never
    lowers a flag a clinician set. A measure without its full item responses raises none.
    """
    flags: dict[str, bool] = {}
    for measure in measures:
        canonical = canonical_instrument(measure.instrument)
        if canonical is None:
            continue
        spec = _BY_NAME[canonical]
        if len(measure.items) != spec.items:
            continue
        for rule in spec.risk:
            if measure.items[rule.item - 1] > rule.above:
                flags.update(dict.fromkeys(rule.flags, True))
    return flags
