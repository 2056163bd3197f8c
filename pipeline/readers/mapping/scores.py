"""The measures of a record: administrations gathered (item columns, long rows, observation
codes, date pivots), item answers read, each administration scored by its instrument."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pipeline.clinical import measures, vocabulary
from pipeline.errors import ValueProblem
from pipeline.findings import error, info, warning
from pipeline.model import Measure, Source
from pipeline.readers.mapping.codes import BAD_MEASURE, UNKNOWN_INSTRUMENT
from pipeline.readers.mapping.collected import Collected, Item
from pipeline.readers.mapping.values import parse_int, quoted


def row_place(source: Source, known: dict[tuple[Any, ...], str]) -> str:
    """Where a source's row is, as findings name it: ``str`` of the source without its column
    or field (``Source.__str__``'s parts, joined here); ``known`` keeps the rows named."""
    file, sheet, page, row = key = (source.file, source.sheet, source.page, source.row)
    found = known.get(key)
    if found is None:
        parts = [file]
        if sheet is not None:
            parts.append(f'sheet "{sheet}"')
        if page is not None:
            parts.append(f"page {page}")
        if row is not None:
            parts.append(f"row {row}")
        found = known[key] = ", ".join(parts)
    return found


def scored_measures(b: Collected, sex: str | None) -> tuple[Measure, ...]:
    """Every administration of the record that can be scored; problems go to b.findings."""

    result: list[Measure] = []
    row_dates: dict[tuple[Any, ...], Any] = {}  # a row's "Date Administered" for its measures
    administrations: list[tuple[str, Item]] = []
    for key, item in b.groups["measures"].items():
        if "@" not in key and item.values.keys() == {"date"}:
            source = item.sources["date"]
            row_dates[(source.file, source.sheet, source.row)] = item.values["date"]
        else:
            administrations.append((key, item))
    places: dict[tuple[Any, ...], str] = {}  # a row's place, shared by its measures
    administrations = _coded_items(administrations)
    for key, item in administrations:
        first = _first_source(item)
        if "@" in key and "date" not in item.values and first is not None:
            row = (first.file, first.sheet, first.row)
            if row in row_dates:
                item.values["date"] = row_dates[row]
        named = key.split("@")[0] if "@" in key else item.values.get("instrument")
        place = row_place(first, places) if first is not None else b.record.where
        if not named:
            msg = "item scores or a total without an instrument; add an Instrument column"
            b.findings.append(error(BAD_MEASURE, place, msg))
            continue
        canonical = measures.canonical_instrument(str(named)) or vocabulary.instrument_in(
            str(named)
        )
        if canonical is None:
            msg = (
                f"{quoted(named)} is not a measure txplan scores (PHQ-9, GAD-7, PCL-5, "
                "AUDIT-C); it is skipped"
            )
            coded = _OBSERVATION_CODE.fullmatch(str(named).strip())  # a lab or vital sign row
            b.findings.append((info if coded else warning)(UNKNOWN_INSTRUMENT, place, msg))
            continue
        try:
            measure, found = _score(canonical, item, place, sex)
        except ValueProblem as exc:
            b.findings.append(error(BAD_MEASURE, exc.where or place, exc.message))
            continue
        b.findings.extend(found)
        if measure is not None:
            index = len(result)
            for sub, source in item.sources.items():
                b.fields.setdefault(f"measures[{index}].{sub}", source)
            if item.items:
                paths = _item_paths(index, max(item.items))
                for number, (_value, source) in sorted(item.items.items()):
                    path = paths[number - 1] if number > 0 else f"measures[{index}].items[-1]"
                    b.fields.setdefault(path, source)
            result.append(measure)
    return tuple(result)


@lru_cache(maxsize=256)
def _item_paths(index: int, count: int) -> tuple[str, ...]:
    """The provenance paths of a measure's items 1..count (``measures[0].items[8]``)."""
    return tuple(f"measures[{index}].items[{number}]" for number in range(count))


def _first_source(item: Item) -> Source | None:
    """The source of an administration's first item response, else of its first value."""
    for _value, source in item.items.values():
        return source
    for source in item.sources.values():
        return source
    return None


_OBSERVATION_CODE = re.compile(r"\d{1,7}-\d|\d{5,18}")


def _coded_items(administrations: list[tuple[str, Item]]) -> list[tuple[str, Item]]:
    """Rows of an observations table whose code is an item's LOINC code (44260-8 = PHQ-9
    item 9): gathered into one administration per instrument and date, its items filled."""
    kept: list[tuple[str, Item]] = []
    gathered: dict[tuple[str, Any], Item] = {}
    for key, item in administrations:
        named = item.values.get("instrument") if "@" not in key else None
        found = vocabulary.LOINC_ITEMS.get(str(named).strip()) if named else None
        if found is None or "total" not in item.values:
            kept.append((key, item))
            continue
        instrument, number = found
        date = item.values.get("date")
        target = gathered.get((instrument, date))
        if target is None:
            target = gathered[(instrument, date)] = Item()
            target.values["instrument"] = instrument
            if date is not None:
                target.values["date"] = date
                target.sources["date"] = item.sources["date"]
            kept.append((f"~{instrument}~{date}", target))
        target.items[number] = (item.values["total"], item.sources["total"])
    return kept


def _score(canonical: str, item: Item, place: str, sex: str | None):
    spec = measures.instrument(canonical, place)
    items: list[Any] | None = None
    if item.items:
        if max(item.items) > spec.items:
            source = item.items[max(item.items)][1]
            msg = f"{canonical} has {spec.items} items; there is no item {max(item.items)}"
            raise ValueProblem(msg, str(source))
        items = [None] * spec.items
        for number, (value, source) in item.items.items():
            items[number - 1] = _answer(spec, canonical, number, value, source)
        _check_risk_items(spec, canonical, items, place)
    elif "items" in item.values:
        items = list(item.values["items"])
    total = item.values.get("total")
    if items is None and total is None:
        return None, ()
    where = place
    if "total" in item.sources and items is None:
        where = str(item.sources["total"])
    return measures.score(
        canonical, items=items, total=total, date=item.values.get("date"), where=where, sex=sex
    )


def _answer(spec: Any, canonical: str, number: int, value: Any, source: Source) -> int:
    """One item response: a number or an answer label (``Several days``, ``1 - Several days``,
    REDCap ``Checked``), within the item's range."""
    try:
        found = _answer_in(canonical, number, type(value), value)
    except TypeError:  # a value that cannot be a key: read as it is
        found = _answer_in.__wrapped__(canonical, number, type(value), value)
    if type(found) is str:
        raise ValueProblem(found, str(source))
    return found


@lru_cache(maxsize=8192)
def _answer_in(canonical: str, number: int, _kind: type, value: Any) -> int | str:
    """The score of one item's answer, or why it is none (a pure function of the answer and
    its type, cached: a batch repeats "0" to "3" in every item)."""
    spec = measures.instrument(canonical)
    answer = vocabulary.answer_score(canonical, number, value) if isinstance(value, str) else None
    if answer is None:
        try:
            answer = parse_int(value, what=f"a {canonical} item score")
        except ValueProblem as exc:
            labels = ", ".join(sorted(vocabulary.answer_labels(canonical, number)))
            return f"{exc.message} or an answer ({labels})"
    if not spec.item_min <= answer <= spec.item_max:
        return (
            f"{quoted(value)} is out of range for {canonical} item {number}; "
            f"use {spec.item_min}-{spec.item_max}"
        )
    return answer


def _check_risk_items(spec: Any, canonical: str, items: list[Any], place: str) -> None:
    """Items given without a risk item (PHQ-9 item 9): never scored, whatever the total says."""
    missing = [n for n, answer in enumerate(items, start=1) if answer is None]
    risky = [rule for rule in spec.risk if rule.item in missing]
    if not missing or not risky or len(missing) == len(items):
        return
    listed = ", ".join(map(str, missing))
    rule = risky[0]
    msg = (
        f"{canonical} item{'s' if len(missing) > 1 else ''} {listed} missing while other items "
        f"are given; item {rule.item} ({rule.reason}) is needed to score it and to keep the "
        f'risk flag: give every item (a column like phq_{rule.item} or "{canonical} item '
        f'{rule.item}")'
    )
    raise ValueProblem(msg, place)
