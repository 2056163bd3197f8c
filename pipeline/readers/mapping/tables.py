"""Columns whose meaning depends on the table they are in: a ``Date`` in a measures table,
``CODE`` / ``VALUE`` in an observations table (Synthea, FHIR, EHI), ``CODE`` beside a
diagnosis's description. The alias table maps one label at a time; this looks at the header."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.readers.mapping.aliases import normalize

_ITEMS = re.compile(r"measures\[([^\]@]+)\]\.items\[\d+\]")
_LONG_MEASURE = frozenset({"measures[].instrument", "measures[].total"})
_ROW_DATES = frozenset(
    {"intake date", "assessment date", "date", "visit date", "encounter date", "contact date"}
)
_CODES = frozenset(
    {"code", "code code", "loinc", "loinc code", "observation code", "code coding code"}
)
_VALUES = frozenset(
    {"value", "result", "value quantity", "valuequantity value", "value quantity value",
     "result value", "valueinteger", "value integer", "numeric value", "obs value"}
)  # fmt: skip
_EAV_DATES = frozenset(
    {"date", "effective", "effectivedatetime", "effective date time", "issued", "start",
     "observation date", "obs date", "result date"}
)  # fmt: skip
_DESCRIPTIONS = frozenset(
    {"description", "display", "code display", "code text", "code coding display"}
)


def table_roles(labels: Sequence[str], paths: Sequence[str | None]) -> dict[str, str | None]:
    """Labels whose path the table decides: label -> path (None = ignored)."""
    keys = {label: normalize(label) for label in labels if label}
    found = set(paths)
    roles: dict[str, str | None] = {}
    codes = [label for label, key in keys.items() if key in _CODES]
    values = [label for label, key in keys.items() if key in _VALUES]
    if values and "measures[].total" not in found and "measures[].instrument" not in found:
        # an observations table: one row per coded result (LOINC 44261-6 -> PHQ-9 total)
        described = [label for label, key in keys.items() if key in _DESCRIPTIONS]
        instrument = codes[:1] or described[:1]
        if instrument:
            roles[instrument[0]] = "measures[].instrument"
            roles[values[0]] = "measures[].total"
            for label in described:
                if label not in roles:
                    roles[label] = None
            for label, key in keys.items():
                if key in _EAV_DATES and "measures[].date" not in found:
                    roles[label] = "measures[].date"
                    break
            return roles
    # a table that also names the client (name, birth date) keeps its intake date as such
    about_client = any(p and p.startswith("client.") and p != "client.id" for p in paths)
    row_dates = {"date"} if about_client else _ROW_DATES
    if _LONG_MEASURE & found and "measures[].date" not in found:
        for label, key in keys.items():
            if key in row_dates:
                roles[label] = "measures[].date"
    named = {m[1] for p in paths if p and (m := _ITEMS.match(p))}
    dated = any(p and p.endswith("].date") for p in paths)
    if len(named) == 1 and not dated and not about_client:
        # a form table (OpenEMR form_phq9): one administration per row, dated by its row
        (instrument,) = named
        for label, key in keys.items():
            if key in _ROW_DATES:
                roles[label] = f"measures[{instrument}].date"
                break
    has_dx = any(p and p.startswith("diagnoses[]") for p in paths)
    has_measures = any(p and p.startswith("measures[") for p in paths)
    if codes and not values and not has_measures and "diagnoses[].code" not in found:
        # a conditions / problems table (FHIR Condition, Synthea conditions.csv): CODE is the
        # diagnosis code (another code system is reported, IN042) and its display the name
        roles[codes[0]] = "diagnoses[].code"
        if not has_dx:
            for label, key in keys.items():
                if key in _DESCRIPTIONS:
                    roles[label] = "diagnoses[].description"
                    break
    return roles
