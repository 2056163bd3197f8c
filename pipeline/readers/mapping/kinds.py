"""How a cell of each kind is read: the parser of every kind and the word tables behind
them (risk levels, service types, objective statuses); repeated kinds cached by content."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache, partial
from typing import Any

from pipeline.errors import ValueProblem
from pipeline.readers.mapping.dx_cells import parse_diagnoses
from pipeline.readers.mapping.situation import parse_dependents, parse_employment, parse_student
from pipeline.readers.mapping.values import (
    parse_bool,
    parse_date,
    parse_id,
    parse_int,
    parse_risk_flag,
    quoted,
    split_ints,
    split_list,
    text,
)

_RISK_LEVELS = {
    "none": "none", "no risk": "none", "denies": "none", "minimal": "low", "low": "low",
    "mild": "low", "moderate": "moderate", "mod": "moderate", "medium": "moderate",
    "high": "high", "severe": "high", "imminent": "high", "acute": "high",
}  # fmt: skip
_SERVICE_TYPES = {
    "individual": "individual", "ind": "individual", "indiv": "individual",
    "individual therapy": "individual", "individual psychotherapy": "individual",
    "psychotherapy": "individual", "group": "group", "group therapy": "group",
    "family": "family", "family therapy": "family", "couples": "couples", "couple": "couples",
    "marital": "couples", "couples therapy": "couples",
}  # fmt: skip
_STATUS = {
    "not started": "not_started", "new": "not_started", "in progress": "in_progress",
    "ongoing": "in_progress", "active": "in_progress", "met": "met", "achieved": "met",
    "partially met": "partially_met", "partial": "partially_met", "not met": "not_met",
    "discontinued": "discontinued", "deferred": "discontinued",
}  # fmt: skip
#: objective status words as intake and progress reviews accept them (word -> model value)
STATUS_WORDS = _STATUS


_PUNCTUATION = re.compile(r"[^\w ]")
_SPACES = re.compile(r"\s+")
_RISK_SUFFIX = re.compile(r" risk$")


def _lookup_table(value: Any, table: dict[str, str], what: str) -> str:
    key = _SPACES.sub(" ", _PUNCTUATION.sub(" ", text(value).lower())).strip()
    key = _RISK_SUFFIX.sub("", key)
    if key in table:
        return table[key]
    choices = ", ".join(sorted(set(table.values())))
    raise ValueProblem(f"{quoted(value)} is not a {what}; use one of {choices}")


#: kind -> how a value of that kind is read (dates need the profile's date order; every
#: other kind, "text" and "id" included, is read as text).
_PARSERS: dict[str, Callable[[Any], Any]] = {
    "bool": parse_bool,
    "risk_flag": parse_risk_flag,
    "int": parse_int,
    "id": parse_id,
    "list": split_list,
    "ints": split_ints,
    "dx": parse_diagnoses,
    "risk_level": partial(_lookup_table, table=_RISK_LEVELS, what="risk level"),
    "employment": parse_employment,
    "student": parse_student,
    "dependents": parse_dependents,
    "service_type": partial(_lookup_table, table=_SERVICE_TYPES, what="service type"),
    "status": partial(_lookup_table, table=_STATUS, what="objective status"),
}


#: kinds whose cells repeat from row to row (yes/no, levels, types, dates, symptom lists):
#: read through a bounded cache by the cell's content (each parser is a pure function of the
#: cell, its result immutable). Birth dates are not: a two-digit year depends on today.
_REPEATED = frozenset({"bool", "risk_flag", "risk_level", "service_type", "status", "date", "list"})
#: cell types a cache may key on (hashable; typed, so that 1, 1.0 and True stay apart)
_KEYABLE = frozenset({str, int, float, bool, dt.date, dt.datetime})


def _by_content(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    cached = lru_cache(maxsize=1024, typed=True)(parse)

    def read(value: Any) -> Any:
        return cached(value) if type(value) in _KEYABLE else parse(value)

    return read


@lru_cache(maxsize=4)
def parsers(date_order: str) -> dict[str, Callable[[Any], Any]]:
    """Every kind's parser, dates read in this date order ("MDY" or "DMY")."""
    found = _PARSERS | {
        "date": partial(parse_date, date_order=date_order),
        "birth_date": partial(parse_date, date_order=date_order, past=True),
    }
    return {kind: _by_content(p) if kind in _REPEATED else p for kind, p in found.items()}
