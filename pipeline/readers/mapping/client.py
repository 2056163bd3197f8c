"""The client of a record: its id (given, from the file name, or derived), sex vs gender
identity, and the checks on birth and intake dates."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePath
from typing import Any

from pipeline.findings import Finding, error, warning
from pipeline.readers.mapping.identity import derived_id

NO_ID = "IN001"  #: a record without a client id
DERIVED_ID = "IN043"  #: no id in the file: a stable id derived from the file name or the person
BAD_DATES = "IN044"  #: a birth date in the future, an intake before birth or in the future

_SEXES = {"m": "male", "male": "male", "man": "male", "f": "female", "female": "female"}
_SEXES |= {"woman": "female"}


def sex_value(value: Any) -> str | None:
    """``M``/``F``/``male``/``female`` as the sex field keeps them; None for anything else."""
    return _SEXES.get(str(value).strip().lower().rstrip("."))


def client_id(
    client: dict[str, Any], file: str | None, pattern: str | None, where: str
) -> tuple[str | None, list[Finding]]:
    """The client's id: the id column, else the profile's file-name pattern, else derived from
    last name, first name and date of birth (with a warning naming it); else an IN001 error."""
    if client.get("id"):
        return str(client["id"]), []
    if pattern and file:
        name = PurePath(file).name
        m = re.search(pattern, name)
        if m:
            found = m.groupdict().get("id") or (m.group(1) if m.groups() else m.group(0))
            msg = f"no client id in the file; the id {found!r} is taken from the file name"
            return found, [warning(DERIVED_ID, where, msg)]
    derived = derived_id(client.get("last_name"), client.get("first_name"), _iso(client))
    if derived is None:
        msg = (
            "no client id, and no last name and date of birth to derive one; fill the client "
            "id column (Client ID, MRN...) or map it in a profile"
        )
        return None, [error(NO_ID, where, msg)]
    msg = (
        f"no client id in the file; the plan gets the derived id {derived} (from last name, "
        "first name and date of birth, the same on every run). Link it to the practice's "
        "record, or set id_from_filename in a profile"
    )
    return derived, [warning(DERIVED_ID, where, msg)]


def _iso(client: dict[str, Any]) -> str | None:
    birth = client.get("date_of_birth")
    return birth.isoformat() if isinstance(birth, dt.date) else None


def date_findings(
    birth: dt.date | None, intake: dt.date | None, where: str, today: dt.date | None = None
) -> list[Finding]:
    """A birth date in the future is an error; an intake before birth or in the future too."""
    today = today or dt.date.today()
    found: list[Finding] = []
    if birth and birth > today:
        msg = f"the date of birth {birth} is in the future; correct it (a 4-digit year is safest)"
        found.append(error(BAD_DATES, where, msg))
    if intake and birth and intake < birth:
        msg = f"the intake date {intake} is before the date of birth {birth}; correct one of them"
        found.append(error(BAD_DATES, where, msg))
    if intake and intake > today:  # (the year ahead found only then: most are past)
        if intake > today + dt.timedelta(days=366):
            msg = f"the intake date {intake} is more than a year in the future; correct it"
            found.append(error(BAD_DATES, where, msg))
        else:
            msg = f"the intake date {intake} is in the future; check it"
            found.append(warning(BAD_DATES, where, msg))
    return found
