"""Checks a goal bank's sheets: references, ids, placeholders, SMART templates, codes, rules.

Every finding names the file, sheet, row and column. ``check_codes`` also checks each
ICD-10-CM code against the official table (slower: the table loads on first use).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from pathlib import Path

from pipeline.clinical.icd10 import lookup, parse_range
from pipeline.clinical.smart import VAGUE_RE
from pipeline.errors import ValueProblem
from pipeline.findings import Finding, error, warning
from pipeline.goalbank.ages import lint_ages
from pipeline.goalbank.groups import lint_groups
from pipeline.goalbank.sheets import (
    PRESUMES,
    RULES,
    SAFETY_SECTIONS,
    SheetRow,
    instrument_key,
    split_list,
)

DUPLICATE_ID = "BANK001"
MISSING_VALUE = "BANK002"
BROKEN_REFERENCE = "BANK003"
UNKNOWN_PLACEHOLDER = "BANK004"
NO_MEASURE = "BANK005"
NO_TIMEFRAME = "BANK006"
VAGUE_VERB = "BANK007"
BAD_CODE = "BANK008"
BAD_CHOICE = "BANK009"
BAD_NUMBER = "BANK010"
BAD_BANDS = "BANK011"
UNUSED = "BANK012"

#: The placeholders an objective template may use (documented on the README sheet).
PLACEHOLDERS = ("measure", "baseline", "target", "target_date", "weeks", "frequency")
TIMEFRAME = ("target_date", "weeks")

#: sheet -> id column
ID_COLUMNS = {
    "Families": "family_id",
    "Problems": "problem_id",
    "Goals": "goal_id",
    "Objectives": "objective_id",
    "Interventions": "intervention_id",
    "Instruments": "instrument",
}
#: sheet -> columns that must not be blank
REQUIRED = {
    "Families": ("name", "kind"),
    "Problems": ("family_ids", "name", "definition"),
    "Goals": ("problem_id", "client_words", "clinical_goal"),
    "Objectives": ("goal_id", "text", "kind", "direction"),
    "Interventions": ("problem_id", "modality", "description", "frequency"),
    "Instruments": ("min_score", "max_score"),
    "MeasureRules": ("instrument", "band", "min_score", "max_score", "rule"),
    "SafetyPlan": ("section", "text"),
}
CHOICES = {
    ("Families", "kind"): ("diagnosis", "domain", "safety"),
    ("Objectives", "kind"): ("instrument", "count"),
    ("Objectives", "direction"): ("up", "down"),
    ("MeasureRules", "rule"): RULES,
    ("SafetyPlan", "section"): SAFETY_SECTIONS,
}


def placeholders(text: str) -> list[str]:
    """The placeholder names in a template; raises ValueError for unbalanced braces."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def lint_sheets(
    path: Path | str, sheets: dict[str, tuple[SheetRow, ...]], *, check_codes: bool = True
) -> list[Finding]:
    """Every problem found in the rows, in sheet order."""
    found: list[Finding] = []
    ids: dict[str, set[str]] = {}
    for sheet, column in ID_COLUMNS.items():
        ids[sheet] = _ids(path, sheets[sheet], column, found)
    for sheet, columns in REQUIRED.items():
        for row in sheets[sheet]:
            for column in columns:
                if row.get(column) is None:
                    found.append(
                        error(
                            MISSING_VALUE,
                            row.where(path, column),
                            f'"{column}" is blank; fill it in',
                        )
                    )
    for (sheet, column), allowed in CHOICES.items():
        for row in sheets[sheet]:
            value = row.text(column)
            if value and value not in allowed:
                found.append(
                    error(
                        BAD_CHOICE,
                        row.where(path, column),
                        f"{value!r} is not one of: {', '.join(allowed)}",
                    )
                )
    for row in sheets["Problems"]:
        for value in split_list(row.text("presumes")):
            if value not in PRESUMES:
                found.append(
                    error(
                        BAD_CHOICE,
                        row.where(path, "presumes"),
                        f"{value!r} is not one of: {', '.join(PRESUMES)}",
                    )
                )
    found += _families(path, sheets["Families"], check_codes)
    instruments = {instrument_key(i) for i in ids["Instruments"]}
    _refs(path, sheets["Problems"], "family_ids", ids["Families"], "Families", found, many=True)
    _refs(path, sheets["Goals"], "problem_id", ids["Problems"], "Problems", found)
    _refs(path, sheets["Objectives"], "goal_id", ids["Goals"], "Goals", found)
    _refs(path, sheets["Interventions"], "problem_id", ids["Problems"], "Problems", found)
    _refs(path, sheets["Interventions"], "requires_family", ids["Families"], "Families", found,
          many=True)  # fmt: skip
    for row in sheets["MeasureRules"]:
        name = row.text("instrument")
        if name and instrument_key(name) not in instruments:
            found.append(
                error(
                    BROKEN_REFERENCE,
                    row.where(path, "instrument"),
                    f'instrument "{name}" is not on the Instruments sheet; add it '
                    "there or fix the spelling",
                )
            )
    for row in sheets["Objectives"]:
        found += _objective(path, row, instruments)
    found += _bands(path, sheets["Instruments"], sheets["MeasureRules"])
    found += _unused(path, sheets)
    found += lint_groups(path, sheets["Interventions"])
    found += lint_ages(path, sheets["Interventions"])
    return found


def _ids(path: Path | str, rows: Iterable[SheetRow], column: str, found: list[Finding]) -> set:
    seen: dict[str, int] = {}
    for row in rows:
        value = row.text(column)
        if not value:
            found.append(
                error(
                    MISSING_VALUE,
                    row.where(path, column),
                    f'"{column}" is blank; give every row a unique id',
                )
            )
            continue
        if value in seen:
            found.append(
                error(
                    DUPLICATE_ID,
                    row.where(path, column),
                    f'duplicate id "{value}" (first on row {seen[value]}); ids must '
                    "be unique: give this row a new id",
                )
            )
            continue
        seen[value] = row.row
    return set(seen)


def _refs(path, rows, column, known, target, found, *, many=False) -> None:
    for row in rows:
        values = split_list(row.text(column)) if many else (row.text(column),)
        for value in values:
            if value and value not in known:
                found.append(
                    error(
                        BROKEN_REFERENCE,
                        row.where(path, column),
                        f'"{value}" is not an id on the {target} sheet; fix the id or add that row',
                    )
                )


def _families(path, rows: Iterable[SheetRow], check_codes: bool) -> list[Finding]:
    found: list[Finding] = []
    kinds = []
    for row in rows:
        kinds.append(row.text("kind"))
        spec = row.text("icd10")
        if not spec:
            if row.text("kind") == "diagnosis":
                found.append(
                    error(
                        MISSING_VALUE,
                        row.where(path, "icd10"),
                        "a diagnosis family needs ICD-10-CM codes, e.g. F41.1 or F32.0-F32.9",
                    )
                )
            continue
        try:
            pairs = parse_range(spec)
        except ValueProblem as exc:
            found.append(error(BAD_CODE, row.where(path, "icd10"), exc.message))
            continue
        if not check_codes:
            continue
        for part in {code for pair in pairs for code in pair}:
            if lookup(part) is None:
                found.append(
                    error(
                        BAD_CODE,
                        row.where(path, "icd10"),
                        f'"{part}" is not an ICD-10-CM code; check it against the official table',
                    )
                )
    if "safety" not in kinds:
        found.append(
            warning(
                UNUSED,
                f'{Path(path).name}, sheet "Families"',
                'no family of kind "safety": plans needing a safety plan get no safety goal',
            )
        )
    return found


def _objective(path, row: SheetRow, instruments: set[str]) -> list[Finding]:
    found: list[Finding] = []
    text, measure, kind = row.text("text"), row.text("measure"), row.text("kind")
    try:
        names = placeholders(text)
    except ValueError as exc:
        return [
            error(
                UNKNOWN_PLACEHOLDER,
                row.where(path, "text"),
                f"malformed braces ({exc}); write placeholders as {{target_date}}",
            )
        ]
    for name in names:
        if name not in PLACEHOLDERS:
            found.append(
                error(
                    UNKNOWN_PLACEHOLDER,
                    row.where(path, "text"),
                    f"unknown placeholder {{{name}}}; use one of "
                    + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS),
                )
            )
    if not measure:
        found.append(
            error(
                NO_MEASURE,
                row.where(path, "measure"),
                "no measure; name an instrument or what is counted (panic attacks per week)",
            )
        )
    elif kind == "instrument" and instrument_key(measure) not in instruments:
        found.append(
            error(
                BROKEN_REFERENCE,
                row.where(path, "measure"),
                f'instrument "{measure}" is not on the Instruments sheet',
            )
        )
    if not any(t in names for t in TIMEFRAME):
        found.append(
            error(
                NO_TIMEFRAME,
                row.where(path, "text"),
                "no timeframe; add {target_date} (or {weeks}) to the text",
            )
        )
    vague = VAGUE_RE.search(text)
    if vague and ("target" not in names or not measure) and not re.search(r"\d", text):
        found.append(
            error(
                VAGUE_VERB,
                row.where(path, "text"),
                f'"{vague.group(1)}" without a measured target; name the action '
                "and tie it to {target} on a measure",
            )
        )
    if kind == "count":
        for column in ("baseline", "target"):
            if not row.text(column):
                found.append(
                    error(
                        MISSING_VALUE,
                        row.where(path, column),
                        f"a count objective needs a {column} (instruments compute theirs)",
                    )
                )
    due = row.get("due_days")
    if due is not None and (not isinstance(due, int) or due <= 0):
        found.append(
            error(
                BAD_NUMBER,
                row.where(path, "due_days"),
                f"{due!r} is not a whole number of days above 0; leave it blank for "
                "the review interval",
            )
        )
    return found


def _number(path, row: SheetRow, column: str, found: list[Finding]) -> float | None:
    value = row.get(column)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        found.append(error(BAD_NUMBER, row.where(path, column), f"{value!r} is not a number"))
        return None
    return float(value)


def _bands(path, instruments: Iterable[SheetRow], rules: Iterable[SheetRow]) -> list[Finding]:
    found: list[Finding] = []
    ranges: dict[str, tuple[float, float, SheetRow]] = {}
    for row in instruments:
        low, high = _number(path, row, "min_score", found), _number(path, row, "max_score", found)
        if low is not None and high is not None:
            ranges[instrument_key(row.text("instrument"))] = (low, high, row)
    by_instrument: dict[str, list[tuple[float, float, SheetRow]]] = {}
    for row in rules:
        low, high = _number(path, row, "min_score", found), _number(path, row, "max_score", found)
        value = _number(path, row, "value", found)
        if row.text("rule") in RULES[1:] and value is None:
            found.append(
                error(
                    MISSING_VALUE,
                    row.where(path, "value"),
                    f'rule "{row.text("rule")}" needs a value',
                )
            )
        if low is not None and high is not None:
            by_instrument.setdefault(instrument_key(row.text("instrument")), []).append(
                (low, high, row)
            )
    for key, (low, high, irow) in ranges.items():
        bands = sorted(by_instrument.get(key, []), key=lambda b: b[0])
        if not bands:
            found.append(
                error(
                    BAD_BANDS,
                    irow.where(path, "instrument"),
                    "no MeasureRules rows for this instrument; add its bands",
                )
            )
            continue
        expected = low
        for b_low, b_high, row in bands:
            if b_low != expected:
                what = "overlaps the band before" if b_low < expected else "leaves a gap"
                found.append(
                    error(
                        BAD_BANDS,
                        row.where(path, "min_score"),
                        f"{what}: this band should start at {expected:g}",
                    )
                )
            expected = b_high + 1
        if expected - 1 != high:
            found.append(
                error(
                    BAD_BANDS,
                    bands[-1][2].where(path, "max_score"),
                    f"the bands end at {expected - 1:g}, not at the instrument's "
                    f"max_score {high:g}",
                )
            )
    return found


def _unused(path, sheets: dict[str, tuple[SheetRow, ...]]) -> list[Finding]:
    found: list[Finding] = []
    with_goals = {r.text("problem_id") for r in sheets["Goals"]}
    with_objectives = {r.text("goal_id") for r in sheets["Objectives"]}
    for row in sheets["Problems"]:
        if row.text("problem_id") not in with_goals:
            found.append(warning(UNUSED, row.where(path, "problem_id"), "problem has no goals"))
    for row in sheets["Goals"]:
        if row.text("goal_id") not in with_objectives:
            found.append(
                error(
                    UNUSED, row.where(path, "goal_id"), "goal has no objectives; add at least one"
                )
            )
    return found
