"""Cell values as exports write them: dates, names, yes/no, numbers, lists, diagnosis cells.

Every parser takes the value exactly as the file holds it (str, int, float, bool, date,
datetime or None) and returns a Python value or raises :class:`ValueProblem` whose message
says what the value should look like. Text is kept exactly (only trimmed and NFC-composed):
a cell beginning with ``=``, ``+``, ``-`` or ``@`` is text like any other, never a formula.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pipeline.errors import ValueProblem

DATE_HINT = "use YYYY-MM-DD or MM/DD/YYYY"
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?")
_SLASHED = re.compile(
    r"(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})(?:\s+\d{1,2}:\d\d(?::\d\d)?(?:\s*[AP]M)?)?", re.I
)
_MONTH_FIRST = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_DAY_FIRST = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})")
_SERIAL = re.compile(r"\d{5}(\.\d+)?")
_COMPACT = re.compile(r"(\d{4})(\d\d)(\d\d)")
_WEEKDAY = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.I)


def quoted(value: Any) -> str:
    """A value as messages show it: in double quotes, exactly as written."""
    return f'"{text(value)}"'


def is_blank(value: Any) -> bool:
    """True for None and for text that is only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    """A cell as text, kept exactly (trimmed, NFC); numbers without a spurious ``.0``."""
    if type(value) is str:  # most cells: skip the checks for other types
        if value.isascii():  # already NFC
            return value.strip()
        return unicodedata.normalize("NFC", value).strip()
    if type(value) is int:  # a number cell (XLSX): its digits
        return str(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value)).strip()


_NOT_GIVEN = frozenset(
    {
        "n/a", "na", "n.a.", "n a", "not applicable", "not administered", "not given",
        "not done", "refused", "declined", "unable", "unable to assess", "unknown", "unk",
        "missing", "-", "--", "---", "?", "pending", "not completed", "skipped", "null", "none",
    }
)  # fmt: skip


def not_given(value: Any) -> bool:
    """True for a cell that says a score was not given (``n/a``, ``refused``, ``--``)."""
    return isinstance(value, str) and value.strip().lower() in _NOT_GIVEN


_REFERENCE = re.compile(r"^(?:urn:uuid:|(?:https?://\S+/)?(?:Patient|Person|Client)/)", re.I)


def parse_id(value: Any) -> str:
    """A client id as text; a FHIR reference (``Patient/pat-1``, ``urn:uuid:...``) is its id."""
    found = text(value)
    if "/" not in found and ":" not in found:  # no reference: most ids, every row
        return found
    return _REFERENCE.sub("", found)


#: what a spreadsheet takes for the start of a formula
FORMULA_START = frozenset("=+-@")


def looks_like_formula(value: Any) -> bool:
    """True for text that a spreadsheet would take for a formula (kept as text by txplan)."""
    return isinstance(value, str) and value.lstrip()[:1] in FORMULA_START


def _make_date(year: int, month: int, day: int, raw: Any) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueProblem(f"{quoted(raw)} is not a date; {DATE_HINT}") from None


def parse_date(value: Any, *, date_order: str = "MDY", past: bool = False) -> dt.date:
    """A date from an Excel date, an Excel serial number, ISO, MM/DD/YYYY or month names.

    ``date_order`` ("MDY" or "DMY") decides slashed dates like 05/03/1990. ``past``: a
    two-digit year is the latest year that is not in the future (a birth date: ``3/14/48`` is
    1948, ``1/5/15`` is 2015); otherwise years below 50 are 20xx.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueProblem(f"{quoted(value)} is not a date; {DATE_HINT}")
    if isinstance(value, int | float):
        return _serial(value, value)
    raw = text(value)
    if len(raw) == 10 and raw.isascii():  # MM/DD/YYYY or YYYY-MM-DD: most text dates
        if raw[2] == raw[5] == "/" and (digits := raw[:2] + raw[3:5] + raw[6:]).isdigit():
            return _slashed(int(digits[:2]), int(digits[2:4]), digits[4:], raw, date_order, past)
        if raw[4] == raw[7] == "-" and (raw[:4] + raw[5:7] + raw[8:]).isdigit():
            return _make_date(int(raw[:4]), int(raw[5:7]), int(raw[8:]), raw)
    return date_in_text(raw, date_order, past)


def date_in_text(raw: str, date_order: str = "MDY", past: bool = False) -> dt.date:
    """A date written as text (trimmed), by the patterns alone: what :func:`parse_date`
    reads, without its shortcut for the two commonest shapes (a test holds them equal)."""
    if _SERIAL.fullmatch(raw):
        return _serial(float(raw), raw)
    if m := _COMPACT.fullmatch(raw):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), raw)
    if m := _ISO.fullmatch(raw):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), raw)
    if m := _SLASHED.fullmatch(raw):
        return _slashed(int(m[1]), int(m[2]), m[3], raw, date_order, past)
    words = _WEEKDAY.sub("", raw)
    if m := _MONTH_FIRST.fullmatch(words):
        month = _MONTHS.get(m[1].lower())
        if month:
            return _make_date(int(m[3]), month, int(m[2]), raw)
    if m := _DAY_FIRST.fullmatch(words):
        month = _MONTHS.get(m[2].lower())
        if month:
            return _make_date(int(m[3]), month, int(m[1]), raw)
    raise ValueProblem(f"{quoted(raw)} is not a date; {DATE_HINT}")


def _serial(number: float, raw: Any) -> dt.date:
    if not 1 <= number < 2958466:
        raise ValueProblem(f"{quoted(raw)} is not a date; {DATE_HINT}")
    return _EXCEL_EPOCH + dt.timedelta(days=int(number))


def _slashed(
    first: int, second: int, third: str, raw: str, date_order: str, past: bool = False
) -> dt.date:
    if first > 999:  # 1990/03/05
        return _make_date(first, second, int(third), raw)
    year = int(third)
    if len(third) == 2 and past:  # the latest such date that is not in the future
        month, day = (first, second) if date_order.upper() == "MDY" else (second, first)
        recent = _make_date(2000 + year, month, day, raw) if month <= 12 else None
        year += 2000 if recent is not None and recent <= dt.date.today() else 1900
    elif len(third) == 2:
        year += 2000 if year < 50 else 1900
    elif len(third) != 4:
        raise ValueProblem(f"{quoted(raw)} is not a date; {DATE_HINT}")
    month, day = (first, second) if date_order.upper() == "MDY" else (second, first)
    if month > 12 and day <= 12:
        order = "DD/MM/YYYY" if date_order.upper() == "MDY" else "MM/DD/YYYY"
        hint = "DMY" if date_order.upper() == "MDY" else "MDY"
        raise ValueProblem(
            f"{quoted(raw)} is not a date; {DATE_HINT} "
            f"(if the export writes {order}, set date_order: {hint} in a profile)"
        )
    return _make_date(year, month, day, raw)


_YES = {"y", "yes", "true", "t", "1", "x", "checked", "present", "endorsed", "positive"}
_NO = {"n", "no", "false", "f", "0", "none", "denied", "denies", "absent", "negative", "unchecked"}


def parse_bool(value: Any) -> bool:
    """Yes/no, true/false, 1/0, x (a ticked box), denies/endorsed."""
    if isinstance(value, bool):
        return value
    raw = text(value).lower().rstrip(".")
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise ValueProblem(f"{quoted(value)} is not yes or no; use Yes or No")


@dataclass(frozen=True)
class RiskCell:
    """A risk cell as clinicians write it: "Yes - passive, no plan; handgun at home"."""

    flag: bool
    words: str | None = None  #: what follows the yes/no, kept as a risk note
    means: bool = False  #: the words name lethal means the client has


_RISK_LEAD = re.compile(r"^\s*([a-z]+)\b[\s\-\u2013\u2014:;,.()]*(.*)$", re.IGNORECASE | re.DOTALL)


def parse_risk_flag(value: Any) -> RiskCell:
    """A yes/no risk cell, possibly followed by words: the words are kept (risk notes) and
    lethal means named in them are recorded; a cell that does not begin with yes or no is
    an error, as for any yes/no cell."""
    from pipeline.clinical.risk import means_named

    if isinstance(value, bool):
        return RiskCell(value)
    raw = text(value)
    match = _RISK_LEAD.match(raw)
    lead = match.group(1).lower() if match else ""
    if not match or (lead not in _YES and lead not in _NO):
        return RiskCell(parse_bool(value))
    words = match.group(2).strip().rstrip(".").strip() or None
    if words and words.endswith(")") and "(" not in words:
        words = words[:-1].strip() or None
    # The whole cell: a lead "No" negates the means after it ("No access to firearms").
    return RiskCell(lead in _YES, words, means_named(raw))


_INT = re.compile(r"\s*(-?\d+)(?:\.0+)?\s*([A-Za-z. ]*)\s*")


def parse_int(value: Any, *, what: str = "a whole number") -> int:
    """An integer from a number or text like ``"53"`` / ``"53 min"``."""
    if type(value) is str and value.isascii() and value.isdigit():  # "12": most cells
        return int(value)
    if isinstance(value, bool):
        raise ValueProblem(f"{quoted(value)} is not {what}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    m = _INT.fullmatch(text(value))
    if not m:
        raise ValueProblem(f"{quoted(value)} is not {what}; write digits only, e.g. 12")
    return int(m[1])


_LIST_SEPARATOR = re.compile(r"\s*(?:;|\r?\n|\u2022|\|)\s*")
_BULLET = re.compile(r"^[-*]\s+")


def split_list(value: Any) -> tuple[str, ...]:
    """A list cell: items separated by ``;``, newlines or bullets (commas stay in items)."""
    parts = _LIST_SEPARATOR.split(text(value))
    items = (_BULLET.sub("", p.strip()) for p in parts)  # "- item" bullets only
    return tuple(p for p in items if p)


def split_ints(value: Any) -> tuple[int, ...]:
    """Item responses written in one cell: ``"2,3,1,0"`` or ``"2 3 1 0"``."""
    raw = text(value)
    parts = [p for p in re.split(r"[\s,;/|]+", raw) if p]
    if not parts or not all(re.fullmatch(r"-?\d+", p) for p in parts):
        raise ValueProblem(f"{quoted(raw)} is not a list of item scores; write e.g. 2,1,0,3")
    return tuple(int(p) for p in parts)


# --- names --------------------------------------------------------------------------------

_PARTICLES = {
    "de",
    "del",
    "della",
    "der",
    "di",
    "da",
    "dos",
    "du",
    "la",
    "le",
    "van",
    "von",
    "st.",
    "bin",
    "ibn",
}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


@dataclass(frozen=True)
class Name:
    first: str | None
    last: str | None
    middle: str | None = None


def parse_last_first(value: Any) -> Name:
    """``"O'Connor-Núñez, Zoë"`` or ``"Nguyen, Thi Mai"``: the last name before the comma."""
    raw = text(value)
    if "," not in raw:
        return parse_full_name(raw)
    last, _, rest = raw.partition(",")
    given = rest.split()
    if not last.strip() or not given:
        raise ValueProblem(f"{quoted(raw)} is not a name as Last, First; write e.g. Rivera, Ana")
    middle = " ".join(given[1:]) or None
    return Name(first=given[0], last=last.strip(), middle=middle)


def parse_full_name(value: Any) -> Name:
    """``"Zoë O'Connor-Núñez"``, ``"María de la Cruz"``: given names first, surname last."""
    raw = text(value)
    if "," in raw and raw.split(",", 1)[1].strip().lower() not in _SUFFIXES:
        return parse_last_first(raw)
    words = raw.split()
    if not words:
        raise ValueProblem("the name is empty; write First Last or Last, First")
    if len(words) == 1:
        return Name(first=None, last=words[0])
    start = len(words) - 1
    if words[-1].lower().rstrip(",") in _SUFFIXES and len(words) > 2:
        start -= 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    middle = " ".join(words[1:start]) or None
    return Name(first=words[0], last=" ".join(words[start:]), middle=middle)


_CREDENTIAL = re.compile(
    r"^(?:[A-Z]{2,}(?:-[A-Z]{1,3})?(?:-(?:Associate|Intern|Resident|Candidate|S))?"
    r"|PsyD|PhD|EdD|MD|DO|MEd|MSEd|DNP|PMHNP-BC|APRN|NCC)$"
)


def split_credentials(value: Any) -> tuple[str, str | None]:
    """``"Dana Whitfield, LCSW"`` -> ``("Dana Whitfield", "LCSW")``; no credentials -> None."""
    raw = text(value)
    name, sep, rest = raw.partition(",")
    if sep:
        creds = [c.strip() for c in rest.split(",") if c.strip()]
        if creds and all(_CREDENTIAL.match(c.replace(" ", "")) for c in creds):
            return name.strip(), ", ".join(creds)
    return raw, None
