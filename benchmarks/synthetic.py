"""Synthetic intake rows (fictional clients) in a real export's column names, for benchmarks."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

#: CounselTrack's wide export columns (see inputs/counseltrack_wide.xlsx): one row a client.
COLUMNS = [
    "Client #", "Last Name", "First Name", "Pronouns", "DOB", "Phone", "Insurance", "Member ID",
    "Intake Date", "Presenting Problem (Client's Words)", "Functional Impact", "Symptoms",
    "Strengths", "Diagnosis 1", "Diagnosis 2", "Screening Date",
    *(f"PHQ-9 Item {i}" for i in range(1, 10)), *(f"GAD-7 Item {i}" for i in range(1, 8)),
    "Suicidal Ideation", "Risk Level", "5 Ps Presenting", "Predisposing", "Precipitating",
    "Perpetuating", "Protective", "Goal 1 (client's words)", "Objective 1.1",
    "Objective 1.1 Target Date", "Intervention 1.1", "Service Type", "Session Minutes",
    "Frequency", "Expected Duration", "CPT Code", "Clinician", "Clinician Credentials",
    "Client Signature Date",
]  # fmt: skip

FIRST = ["Ana", "Ben", "Chloe", "Dev", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kai", "Lena"]
LAST = ["Alvarez", "Brooks", "Chen", "Diallo", "Evans", "Fischer", "Gray", "Haddad", "Ito", "Jones"]
DIAGNOSES = [
    "F33.1 Major depressive disorder, recurrent, moderate",
    "F41.1 Generalized anxiety disorder",
    "F43.10 Post-traumatic stress disorder, unspecified",
    "F32.1 Major depressive disorder, single episode, moderate",
    "F43.23 Adjustment disorder with mixed anxiety and depressed mood",
    "F40.10 Social phobia, unspecified",
]
WORDS = [
    ("I can't sleep and I keep worrying about work.", "I want to sleep through the night."),
    ("I feel flat and I stopped seeing my friends.", "I want to enjoy things again."),
    ("I panic before every meeting.", "I want to speak up without panicking."),
    ("Since the accident I jump at every noise.", "I want to feel safe driving again."),
]
CLINICIANS = [("Maya Okafor", "LCSW"), ("Priya Natarajan", "LMFT"), ("Samuel Reyes", "LPC")]


def _date(day: dt.date) -> str:
    return f"{day.month:02d}/{day.day:02d}/{day.year}"


def synthetic_rows(count: int, seed: int = 7) -> Iterator[dict[str, str]]:
    """``count`` fictional intake rows, the same for the same seed."""
    rng = random.Random(seed)
    start = dt.date(2026, 1, 5)
    for n in range(count):
        intake = start + dt.timedelta(days=n % 60)
        words, goal = WORDS[n % len(WORDS)]
        clinician, credentials = CLINICIANS[n % len(CLINICIANS)]
        phq = [rng.randint(0, 3) for _ in range(8)] + [1 if n % 10 == 0 else 0]
        row = {
            "Client #": f"SYN-{n + 1:06d}",
            "Last Name": rng.choice(LAST),
            "First Name": rng.choice(FIRST),
            "Pronouns": rng.choice(["she/her", "he/him", "they/them"]),
            "DOB": _date(dt.date(1960 + n % 45, 1 + n % 12, 1 + n % 28)),
            "Phone": f"(503) 555-{n % 10000:04d}",
            "Insurance": "Oregon Health Plan",
            "Member ID": f"OHP{4000000 + n}",
            "Intake Date": _date(intake),
            "Presenting Problem (Client's Words)": words,
            "Functional Impact": f"Missed {1 + n % 6} work days this month.",
            "Symptoms": "Low mood; poor sleep; worry",
            "Strengths": "Supportive family; steady job",
            "Diagnosis 1": DIAGNOSES[n % len(DIAGNOSES)],
            "Diagnosis 2": DIAGNOSES[(n + 2) % len(DIAGNOSES)] if n % 3 == 0 else "",
            "Screening Date": _date(intake),
            **{f"PHQ-9 Item {i}": str(v) for i, v in enumerate(phq, start=1)},
            **{f"GAD-7 Item {i}": str(rng.randint(0, 3)) for i in range(1, 8)},
            "Suicidal Ideation": "Yes" if phq[8] else "No",
            "Risk Level": "Low",
            "5 Ps Presenting": words,
            "Predisposing": "Family history of depression.",
            "Precipitating": "Job loss last spring.",
            "Perpetuating": "Withdrawal from friends; irregular sleep.",
            "Protective": "Close sister; motivated for therapy.",
            "Goal 1 (client's words)": goal,
            "Objective 1.1": f"Reduce PHQ-9 from {sum(phq)} to below 10, tracked every 4 weeks.",
            "Objective 1.1 Target Date": _date(intake + dt.timedelta(days=90)),
            "Intervention 1.1": "CBT: behavioral activation with weekly activity scheduling",
            "Service Type": "Individual",
            "Session Minutes": "53",
            "Frequency": "Weekly",
            "Expected Duration": "16 weeks",
            "CPT Code": "90837",
            "Clinician": clinician,
            "Clinician Credentials": credentials,
            "Client Signature Date": _date(intake + dt.timedelta(days=7)),
        }
        yield row


#: What a practice system puts above the header of an XLSX export (title, run date, blank).
TITLE_ROWS = [["CounselTrack - Client Intake Export"], ["Exported 01/31/2026 17:05 by admin"], []]


def _xlsx_row(row: dict[str, str]) -> list[object]:
    """One row as an XLSX export stores it: dates as dates, scores and minutes as numbers,
    both diagnoses in one cell ("F33.1 ...; F41.1 ...")."""
    cells: list[object] = []
    for name in XLSX_COLUMNS:
        if name == "Diagnoses":
            cells.append("; ".join(v for v in (row["Diagnosis 1"], row["Diagnosis 2"]) if v))
            continue
        value = row[name]
        if value and name in _DATES:
            month, day, year = (int(part) for part in value.split("/"))
            cells.append(dt.datetime(year, month, day))
        elif value.isdigit() and name != "Client #":
            cells.append(int(value))
        else:
            cells.append(value)
    return cells


_DATES = {"DOB", "Intake Date", "Screening Date", "Objective 1.1 Target Date",
          "Client Signature Date"}  # fmt: skip
#: The XLSX export's columns: the CSV's, with the diagnoses in one "Diagnoses" cell.
XLSX_COLUMNS = [c for c in COLUMNS if c != "Diagnosis 2"]
XLSX_COLUMNS[XLSX_COLUMNS.index("Diagnosis 1")] = "Diagnoses"


def write_intake_xlsx(path: Path, count: int, seed: int = 7) -> Path:
    """Write the same ``count`` rows as a real-shaped XLSX export (title rows above the header,
    Excel dates, numbers as numbers, several codes in one cell); returns the path."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Clients")
    for title in TITLE_ROWS:
        sheet.append(title)
    sheet.append(XLSX_COLUMNS)
    for row in synthetic_rows(count, seed):
        sheet.append(_xlsx_row(row))
    book.save(path)
    return Path(path)


def write_intake_csv(path: Path, count: int, seed: int = 7) -> Path:
    """Write ``count`` synthetic rows as a UTF-8 CSV export; returns the path."""
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(synthetic_rows(count, seed))
    return Path(path)
