"""Columns whose meaning depends on the table they are in: a ``Date`` in a measures table,
``CODE`` / ``VALUE`` in an observations table (Synthea, FHIR, EHI), ``CODE`` beside a
diagnosis's description. The alias table maps one label at a time; this looks at the header."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.readers.mapping.aliases import normalize

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
_DESCRIPTIONS = frozenset({"description", "display", "code display", "code text", "name"})


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
    if _LONG_MEASURE & found and "measures[].date" not in found:
        for label, key in keys.items():
            if key in _ROW_DATES:
                roles[label] = "measures[].date"
    has_dx = any(p and p.startswith("diagnoses[]") for p in paths)
    if codes and has_dx and "diagnoses[].code" not in found:
        roles[codes[0]] = "diagnoses[].code"
    return roles
