"""The client's situation as exports write it: employment status, student, dependants."""

from __future__ import annotations

import re
from typing import Any

from pipeline.errors import ValueProblem
from pipeline.readers.mapping.values import parse_bool, parse_int, quoted, text

#: first match wins: (pattern, model value); "not employed" before "employed"
_EMPLOYMENT = (
    (r"\b(?:laid off|lay ?off|unemployed|not employed|not working|jobless|looking for work|"
     r"job ?seeking|seeking work|between jobs|out of work)\b", "unemployed"),
    (r"\b(?:leave|fmla|sick leave|furlough)", "on_leave"),
    (r"\bretire", "retired"),
    (r"\b(?:student|homemaker|home ?maker|disabled|disability|unable to work|ssdi|ssi|"
     r"not in (?:the )?labou?r force|caregiver)\b", "not_in_labor_force"),
    (r"\b(?:employed|full[- ]?time|part[- ]?time|self[- ]?employed|working|works|contract|"
     r"contractor|seasonal|per diem|temp|ft|pt|active duty|military)\b", "employed"),
)  # fmt: skip
_EMPLOYMENT_RE = tuple((re.compile(p, re.IGNORECASE), value) for p, value in _EMPLOYMENT)
_ENROLLED = re.compile(
    r"\b(?:full[- ]?time|part[- ]?time|enrolled|in school|college|high school)\b"
)
_NOT_ENROLLED = re.compile(r"\b(?:not|none|n/?a|no longer|graduated|dropped out)\b")
_NONE = {"none", "no", "n", "0", "n/a", "na", "no children", "no kids"}


def parse_employment(value: Any) -> str:
    """An employment status cell ("Full-time", "Laid off", "On medical leave") as the model's
    value: employed, on_leave, unemployed, retired or not_in_labor_force."""
    raw = text(value)
    if raw.lower().rstrip(".") in ("yes", "y", "true", "no", "n", "false"):
        return "employed" if parse_bool(value) else "unemployed"
    for pattern, status in _EMPLOYMENT_RE:
        if pattern.search(raw):
            return status
    raise ValueProblem(
        f"{quoted(value)} is not an employment status; use Employed, Unemployed, On leave, "
        "Retired or Not in labor force"
    )


def parse_student(value: Any) -> bool:
    """A student cell: yes/no, or "Full-time", "Part-time", "Enrolled"."""
    raw = text(value).lower()
    if _NOT_ENROLLED.search(raw):
        return False
    if _ENROLLED.search(raw):
        return True
    return parse_bool(value)


def parse_dependents(value: Any) -> int:
    """A number of children or dependants: "2", "None" (0)."""
    raw = text(value).lower().strip(" .")
    if raw in _NONE:
        return 0
    return parse_int(value, what="a number of children or dependants")
