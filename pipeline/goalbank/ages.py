"""The Interventions sheet's ``ages`` column: the client ages a treatment is offered at.

"0-17" (a child or adolescent's treatment: parent coaching for a child's anxiety), "18-" (an
adult's), "7-17": whole years on the plan date, both ends included; blank: any age. The merge
offers an age-bound treatment only to a client whose age it knows and that is in range (a
child-only treatment is never offered to an adult, nor to a client whose date of birth is not
recorded), and matches no clinician's treatment to it outside that range.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from pipeline.findings import Finding, error
from pipeline.goalbank.sheets import SheetRow

BAD_AGES = "BANK014"
OLDEST = 120  #: the highest age a range may name
_RANGE = re.compile(r"^\s*(\d{1,3})?\s*-\s*(\d{1,3})?\s*$")


def parse_ages(text: str) -> tuple[int, int] | None:
    """(youngest, oldest) of a range such as "0-17" or "18-" (None: blank, any age); raises
    ValueError saying what is wrong."""
    if not text.strip():
        return None
    found = _RANGE.match(text)
    if found is None or found.group(1) is None and found.group(2) is None:
        raise ValueError(f'{text!r} is not an age range; write "0-17", "18-" or "7-17"')
    low = int(found.group(1) or 0)
    high = int(found.group(2)) if found.group(2) is not None else OLDEST
    if high > OLDEST or low > high:
        raise ValueError(f"{text!r} is not an age range from a younger to an older age")
    return low, high


def lint_ages(path: Path | str, rows: Iterable[SheetRow]) -> list[Finding]:
    """BANK014 for each ``ages`` cell that is not an age range, located to its cell."""
    found = []
    for row in rows:
        try:
            parse_ages(row.text("ages"))
        except ValueError as exc:
            found.append(error(BAD_AGES, row.where(path, "ages"), str(exc)))
    return found


def in_range(ages: tuple[int, int] | None, age: int | None) -> bool:
    """Whether a treatment for ``ages`` is offered to a client aged ``age`` (None: unknown)."""
    if ages is None:
        return True
    return age is not None and ages[0] <= age <= ages[1]
