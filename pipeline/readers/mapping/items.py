"""Instrument item columns found from the whole header: ``phq_9`` beside ``phq_1`` is item 9.

A bare ``<instrument stem>_<n>`` column (REDCap's ``phq_1`` … ``phq_9``, ``gad1`` … ``gad7``,
``pcl_1`` … ``pcl_20``) is an item only when the same header has other items of the same
stem; alone, ``PHQ-9`` / ``GAD-7`` / ``PCL-5`` is the instrument's total and ``PHQ-2`` /
``PHQ-8`` are other instruments (ignored). The alias table maps one label at a time, so this
step looks at every label of a record (or table) and returns the labels whose path changes.
Question texts, LOINC item codes and OpenEMR's ``form_phq9`` columns are unambiguous and
resolved by :func:`resolve_item`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from pipeline.clinical.vocabulary import (
    ITEM_PREFIXES,
    LOINC_TOTALS,
    OPENEMR_COLUMNS,
    SHAPES,
    instrument_in,
    item_in,
    normalize,
)

#: how many bare numbered columns of one stem make them items rather than instrument names
MIN_ITEMS = 3

_STEMS = sorted(
    ((stem, name) for name, stems in ITEM_PREFIXES.items() for stem in stems),
    key=lambda pair: -len(pair[0]),
)
_BARE = re.compile(
    r"(?P<stem>"
    + "|".join(re.escape(stem) for stem, _name in _STEMS)
    + r") (?:q |item |question |no )?0*(?P<n>\d{1,2})(?: score| response| answer| value)?"
)
_STEM_NAME = dict(_STEMS)
_STEM_DATE = re.compile(
    r"(?:date (?:of )?)?(?P<stem>"
    + "|".join(re.escape(stem) for stem, _name in _STEMS)
    + r")(?: (?:date|administered|completed|date completed|completed date|administration date))"
)


@lru_cache(maxsize=4096)
def bare_item(label: str) -> tuple[str, str, int] | None:
    """(stem, instrument, n) for a label like ``phq_3``/``gad7_q2``/``phqnine_01``, else None.

    The stem is kept so that ``phq_1 … phq_9`` and ``phq9_1 … phq9_9`` count apart.
    """
    m = _BARE.fullmatch(normalize(label))
    if not m:
        return None
    stem, number = m["stem"], int(m["n"])
    name = _STEM_NAME[stem]
    if not 1 <= number <= SHAPES[name][0]:
        return None
    return stem, name, number


def contextual_paths(labels: Iterable[str]) -> dict[str, str | None]:
    """Labels whose path depends on the header they are in: label -> path (None = ignore).

    Bare numbered columns of one stem, when there are at least :data:`MIN_ITEMS` of them, are
    that instrument's items (``phq_9`` among them is item 9, never the total); fewer than that,
    only the instrument's own number (``PHQ-9``) stays a total, resolved by the alias table.
    """
    groups: dict[tuple[str, str], dict[int, str]] = {}
    for label in dict.fromkeys(labels):
        found = bare_item(label)
        if found:
            _stem, name, number = found
            style = re.sub(r"\d+", "#", label.strip().lower())  # phq_# apart from PHQ-#
            groups.setdefault((style, name), {})[number] = label
    result: dict[str, str | None] = {}
    for (_style, name), numbered in groups.items():
        if len(numbered) >= MIN_ITEMS:
            for number, label in numbered.items():
                result[label] = f"measures[{name}].items[{number}]"
    return result


_DATED = re.compile(
    r"^(?P<label>.*?\S)\s*[(\[]?\s*(?:on\s+|@\s*)?(?P<date>\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4})"
    r"\s*[)\]]?$"
)


@lru_cache(maxsize=4096)
def dated_label(label: str) -> tuple[str, str] | None:
    """``PHQ-9 (01/05/2026)`` -> ("PHQ-9", "01/05/2026"): a date-per-column pivot's header."""
    m = _DATED.match(label.strip())
    return (m["label"].rstrip(" -:"), m["date"]) if m else None


@lru_cache(maxsize=4096)
def resolve_item(label: str) -> str | None:
    """The path of an unambiguous item or total header: an OpenEMR score column, a LOINC item
    or total code, a question text, or a name like ``Depression (PHQ-9)``; else None."""
    key = normalize(label)
    if key in OPENEMR_COLUMNS:
        name, number = OPENEMR_COLUMNS[key]
        return f"measures[{name}].items[{number}]"
    found = item_in(label)
    if found:
        return f"measures[{found[0]}].items[{found[1]}]"
    if bare_item(label):
        return None  # decided by contextual_paths
    if m := _STEM_DATE.fullmatch(key):
        return f"measures[{_STEM_NAME[m['stem']]}].date"
    code = re.search(r"\b\d{4,5}-\d\b", label)
    if code and code[0] in LOINC_TOTALS:
        return f"measures[{LOINC_TOTALS[code[0]]}].total"
    name = instrument_in(label)
    if name is None:
        return None
    if re.search(r"\b(?:severity|interpretation|band)\b", key):
        return "ignore"
    if re.search(r"\bdate\b", key):
        return f"measures[{name}].date"
    if re.search(r"\b(?:total|score|sum)\b", key) or not (set(key.split()) - _NAME_WORDS):
        return f"measures[{name}].total"
    return None


#: words that may stand beside an instrument's name in a total's header (``Depression (PHQ-9)``)
_NAME_WORDS = frozenset(
    [
        "phq",
        "9",
        "gad",
        "7",
        "pcl",
        "5",
        "audit",
        "c",
        "phq9",
        "gad7",
        "pcl5",
        "auditc",
        "depression",
        "depressive",
        "anxiety",
        "ptsd",
        "alcohol",
        "screen",
        "screening",
        "questionnaire",
        "patient",
        "health",
        "generalized",
        "generalised",
        "disorder",
        "item",
        "items",
        "result",
        "results",
        "value",
        "reported",
        "the",
        "of",
        "for",
        "scale",
        "measure",
        "checklist",
        "dsm",
        "use",
        "identification",
        "test",
        "consumption",
    ]
)
