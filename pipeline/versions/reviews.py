"""Progress reviews: a CSV or XLSX sheet with one row per objective or per client.

Columns (any order, case and punctuation ignored; aliases in ``ALIASES``): client id, review
date, reviewer, objective id, status (met / partially met / not met / discontinued / in
progress), the objective's progress note, measure and score, new concern (with an optional
ICD-10-CM code), goal id with the goal's new wording, the safety plan made with the client
(a column per section), the dates the clinician and the client signed the revised plan, and
the rationale. Reading never
applies anything: it returns rows and located findings, and :mod:`pipeline.versions.revise`
refuses a review that has any error.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import InputError, ValueProblem
from pipeline.findings import Finding, error
from pipeline.model import ObjectiveStatus
from pipeline.readers.delimited import detect_encoding, sniff
from pipeline.readers.mapping.collect import STATUS_WORDS as INTAKE_STATUS
from pipeline.readers.mapping.values import is_blank, parse_date, text

#: review field -> header spellings (compared lower-case, letters and digits only).
ALIASES: dict[str, tuple[str, ...]] = {
    "client_id": ("client id", "client", "client #", "client number", "mrn", "client no"),
    "date": ("review date", "date", "reviewed on", "date of review"),
    "reviewer": ("reviewer", "reviewed by", "clinician"),
    "objective_id": ("objective id", "objective", "objective #", "objective no"),
    "status": ("status", "objective status", "progress"),
    "instrument": ("measure", "instrument", "measure name"),
    "score": ("score", "measure score", "total", "new score"),
    "concern": ("new concern", "concern", "new problem"),
    "concern_code": ("concern code", "new diagnosis", "concern icd10", "new dx"),
    "goal_id": ("goal id", "goal", "goal #"),
    "goal_text": ("changed goal", "goal change", "new goal wording", "goal in client's words"),
    "rationale": ("rationale", "reason", "why", "rationale for change"),
    "note": ("progress note", "progress notes", "note", "notes", "progress in words"),
    # the safety plan made with the client, section by section (items separated by ";")
    "warning_signs": ("warning signs", "safety plan warning signs"),
    "coping_strategies": ("coping strategies", "internal coping strategies"),
    "people_and_places": ("people and places", "social settings for distraction"),
    "people_to_ask": ("people to ask for help", "people to ask", "support people"),
    "professionals": ("professionals and crisis lines", "professionals", "crisis contacts"),
    "means_safety": ("means safety", "means restriction", "lethal means safety"),
    "reasons_for_living": ("reasons for living",),
    # the dated signatures of the revised plan (the redline's signature block, signed)
    "clinician_signed": ("clinician signed", "clinician signature date", "signed by clinician"),
    "client_signed": ("client signed", "client signature date", "signed by client"),
}
#: the review fields that record a section of the safety plan
SAFETY_PLAN_FIELDS = ("warning_signs", "coping_strategies", "people_and_places", "people_to_ask",
                      "professionals", "means_safety", "reasons_for_living")  # fmt: skip

#: the intake readers' status words (deferred, active, achieved...), letters only
STATUS_WORDS: dict[str, ObjectiveStatus] = {
    re.sub(r"[^a-z]", "", word): ObjectiveStatus(value) for word, value in INTAKE_STATUS.items()
}


@dataclass(frozen=True)
class ReviewRow:
    """One row of a progress review, with where each of its values was read."""

    where: str  #: 'review.csv, row 4'
    client_id: str
    date: dt.date
    reviewer: str | None = None
    objective_id: str | None = None
    status: ObjectiveStatus | None = None
    instrument: str | None = None
    score: int | None = None
    concern: str | None = None
    concern_code: str | None = None
    goal_id: str | None = None
    goal_text: str | None = None
    rationale: str | None = None
    note: str | None = None  #: the objective's progress note (kept on the review, not a change)
    warning_signs: str | None = None  #: safety plan sections, as written (items split on ";")
    coping_strategies: str | None = None
    people_and_places: str | None = None
    people_to_ask: str | None = None
    professionals: str | None = None
    means_safety: str | None = None
    reasons_for_living: str | None = None
    clinician_signed: dt.date | None = None  #: the clinician signed the revised plan on
    client_signed: dt.date | None = None  #: the client signed the revised plan on
    columns: tuple[tuple[str, str], ...] = ()  #: field -> the header it was read from

    def at(self, field: str) -> str:
        """The row's place with the column of ``field``: 'review.csv, row 4, column "Status"'."""
        column = dict(self.columns).get(field)
        return f'{self.where}, column "{column}"' if column else self.where

    @property
    def changes_something(self) -> bool:
        return any(
            v is not None
            for v in (self.status, self.score, self.concern, self.concern_code, self.goal_text)
        ) or bool(self.safety_plan)

    @property
    def safety_plan(self) -> dict[str, str]:
        """The safety plan sections this row records: field -> text as written."""
        found = {f: getattr(self, f) for f in SAFETY_PLAN_FIELDS}
        return {f: v for f, v in found.items() if v is not None}


#: fields that ask for a change; a row with none of them (and no rationale) is skipped
CHANGE_FIELDS = ("status", "score", "instrument", "concern", "concern_code", "goal_text",
                 "rationale", "note", "clinician_signed", "client_signed",
                 *SAFETY_PLAN_FIELDS)  # fmt: skip


def _key(label: str) -> str:
    return re.sub(r"[^a-z0-9#]", "", label.lower())


_LOOKUP = {_key(alias): field for field, aliases in ALIASES.items() for alias in aliases}


def read_review(path: Path) -> tuple[list[ReviewRow], list[Finding]]:
    """Rows and located findings of one review file; InputError when it cannot be read."""
    path = Path(path)
    rows: list[ReviewRow] = []
    findings: list[Finding] = []
    header: dict[int, str] | None = None
    seen_header = False
    current = None
    for sheet, number, cells in _rows(path):
        if sheet != current:  # every sheet of a workbook has its own header row
            current, header = sheet, None
        if all(is_blank(c) for c in cells):
            continue
        if header is None:
            seen_header = True
            header = {i: text(c) for i, c in enumerate(cells) if _key(text(c)) in _LOOKUP}
            fields = {_LOOKUP[_key(h)] for h in header.values()}
            missing = [f for f in ("client_id", "date") if f not in fields]
            if missing:
                wanted = " and ".join(f'"{ALIASES[f][0]}"' for f in missing)
                place = f'sheet "{sheet}", row {number}' if sheet else f"row {number}"
                raise InputError(f"{place}: no {wanted} column in the header row", str(path))
            continue
        row, problems = _row(path, number, header, cells, sheet)
        findings.extend(problems)
        if row is not None:
            rows.append(row)
    if not seen_header:
        raise InputError("the review is empty: expected a header row and a row per item", str(path))
    return rows, findings


def _row(
    path: Path, number: int, header: dict[int, str], cells: list[Any], sheet: str | None = None
) -> tuple[ReviewRow | None, list[Finding]]:
    where = f'{path.name}, sheet "{sheet}", row {number}' if sheet else f"{path.name}, row {number}"
    labels: dict[str, str] = {}
    for label in header.values():
        labels.setdefault(_LOOKUP[_key(label)], label)
    values: dict[str, Any] = {}
    problems: list[Finding] = []
    for index, label in header.items():
        field = _LOOKUP[_key(label)]
        cell = cells[index] if index < len(cells) else None
        if field in values or is_blank(cell):
            continue
        try:
            values[field] = _convert(field, cell)
        except ValueProblem as exc:
            values[field] = None
            problems.append(error("REV001", f'{where}, column "{label}"', exc.message))
    if not any(f in values for f in CHANGE_FIELDS) and not problems:
        return None, []  # a review sheet's line left as it was: nothing to apply
    for field in ("client_id", "date"):
        if field not in values:
            place = f'{where}, column "{labels[field]}"'
            problems.append(error("REV002", place, f"{labels[field]} is blank; fill it in"))
    if problems:
        return None, problems
    row = ReviewRow(where=where, columns=tuple(sorted(labels.items())), **values)
    if row.changes_something and not row.rationale:
        problems.append(
            error(
                "REV003",
                row.at("rationale"),
                "a change needs its rationale: fill in the Rationale column",
            )
        )
    if (row.status is None) != (row.objective_id is None) and row.note is None:
        need = "status" if row.status is None else "objective id"
        problems.append(
            error(
                "REV004",
                where,
                f"an objective status needs both objective id and status; add the {need}",
            )
        )
    elif row.status is not None and row.objective_id is None:
        problems.append(error("REV004", where, "an objective status needs its objective id"))
    if row.note is not None and row.objective_id is None:
        msg = "a progress note is about an objective: add its number (1.2) or id"
        problems.append(error("REV007", row.at("note"), msg))
    if (row.instrument is None) != (row.score is None):
        need = "score" if row.score is None else "measure"
        problems.append(
            error("REV005", where, f"a measure score needs both measure and score; add the {need}")
        )
    if row.goal_text is not None and row.goal_id is None:
        problems.append(error("REV006", row.at("goal_text"), "a changed goal needs its goal id"))
    return (None if problems else row), problems


def _convert(field: str, cell: Any) -> Any:
    if field in ("date", "clinician_signed", "client_signed"):
        return parse_date(cell)
    if field == "score":
        value = text(cell)
        if not re.fullmatch(r"\d+(\.0+)?", value):
            raise ValueProblem(f"{value!r} is not a whole-number score")
        return int(float(value))
    if field == "status":
        status = STATUS_WORDS.get(re.sub(r"[^a-z]", "", text(cell).lower()))
        if status is None:
            raise ValueProblem(
                f"{text(cell)!r} is not a status; use met, partially met, not met, "
                "discontinued, deferred, not started or in progress"
            )
        return status
    return text(cell)


def _rows(path: Path) -> Iterator[tuple[str | None, int, list[Any]]]:
    """(sheet, 1-based row number, cells) of a CSV file or of every sheet of an XLSX workbook
    (a review sheet from ``txplan review-sheet`` has one sheet per client)."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError("file not found; check the path", str(path))
    if suffix in (".csv", ".tsv", ".txt"):
        # the intake readers' encodings (UTF-8 with or without BOM, Windows-1252) and delimiters
        encoding = detect_encoding(path)
        with path.open(encoding=encoding, newline="") as handle:
            delimiter = sniff(handle.read(65536), suffix)
            handle.seek(0)
            for number, cells in enumerate(csv.reader(handle, delimiter=delimiter), start=1):
                yield None, number, cells
        return
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # zipfile/openpyxl raise many types for a broken workbook
            raise InputError(f"not a readable XLSX workbook ({exc})", str(path)) from exc
        try:
            for sheet in book.worksheets:
                for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                    yield sheet.title, number, list(cells)
        finally:
            book.close()
        return
    raise InputError("a review is a .csv, .tsv or .xlsx file", str(path))
