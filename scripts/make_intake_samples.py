"""Writes the synthetic intake samples (inputs/ and tests/data/intake/), byte for byte the same.

Run: .venv/bin/python scripts/make_intake_samples.py
Three exports of different shapes from three fictional practice-management systems, each
naming its columns and writing its dates its own way, plus bad files for the tests.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fixed_zip import fixed_zip  # noqa: E402
from intake_sample_data import (  # noqa: E402
    COUNSELTRACK,
    MINDLEDGER,
    PRACTICEFLOW,
    PROGNOSIS,
    SERVICE,
)

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
TESTS = ROOT / "tests" / "data" / "intake"
FIXED = dt.datetime(2026, 2, 1, 9, 0, 0)


def save_workbook(book: Workbook, path: Path) -> None:
    """Save with fixed document dates and zip timestamps, so the bytes never change."""
    book.properties.created = FIXED
    book.properties.modified = FIXED
    book.properties.creator = "txplan sample generator"
    raw = io.BytesIO()
    book.save(raw)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(fixed_zip(raw.getvalue(), FIXED))


def write_csv(path: Path, rows: list[list[object]], *, delimiter: str = ",", encoding="utf-8"):
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.getvalue().encode(encoding))


def text_cell(sheet, row: int, column: int, value: str) -> None:
    """A cell that holds text even if it begins with '=' (never a formula)."""
    cell = sheet.cell(row=row, column=column, value=value)
    cell.data_type = "s"


# --- CounselTrack: wide XLSX with a title block above the header ---------------------------

CT_COLUMNS = (
    ["Client #", "Last Name", "First Name", "Preferred Name", "Pronouns", "DOB",
     "Gender Identity", "Sex Assigned at Birth", "Marital Status", "Occupation", "Phone",
     "Email", "Insurance", "Member ID", "Group Number", "Intake Date",
     "Presenting Problem (Client's Words)", "Presenting Problem", "Onset", "Functional Impact",
     "What Would Be Different", "Symptoms", "Strengths", "Challenges", "Prognosis",
     "Diagnosis 1", "Diagnosis 2", "Screening Date"]
    + [f"PHQ-9 Item {n}" for n in range(1, 10)]
    + [f"GAD-7 Item {n}" for n in range(1, 8)]
    + ["PCL-5 Total", "AUDIT-C Total", "Suicidal Ideation", "Risk Level", "Risk Notes",
       "5 Ps Presenting", "Predisposing", "Precipitating", "Perpetuating", "Protective",
       "Goal 1 Problem", "Goal 1 (client's words)", "Objective 1.1",
       "Objective 1.1 Target Date", "Intervention 1.1", "Goal 2 Problem",
       "Goal 2 (client's words)", "Objective 2.1",
       "Objective 2.1 Target Date", "Intervention 2.1", "Service Type", "Session Minutes",
       "Frequency", "Expected Duration", "CPT Code", "Clinician", "Clinician Credentials",
       "Supervisor", "Supervisor Credentials", "Client Signature Date",
       "Reason Client Did Not Sign", "Clinician Signature Date", "Supervisor Signature Date",
       "Guardian Name", "Guardian Relationship", "Guardian Signature Date", "Billing Notes"]
)  # fmt: skip


def _day(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def clinician_signed(c: dict) -> dt.date | None:
    """When the clinician signed: given, else with the client, else a week after intake."""
    if "clinician_signed" in c:
        return c["clinician_signed"]
    return _day(c.get("signed")) or _day(c["intake"]) + dt.timedelta(days=7)


def cosigned(c: dict, supervisor: str | None) -> dt.date | None:
    """When the co-signer signed: the day after the clinician (none without a co-signer)."""
    clinician = clinician_signed(c)
    if not supervisor or clinician is None:
        return None
    return c.get("cosigned", clinician + dt.timedelta(days=1))


def guardian(c: dict) -> list[object]:
    """Guardian name, relationship and signature date (blank for a client who signs)."""
    g = c.get("guardian") or {}
    return [g.get("name"), g.get("relationship"), g.get("signed")]


def counseltrack_row(c: dict) -> list[object]:
    service = c.get("service", SERVICE)
    goals = c.get("goals", []) + [("", "", None, "")] * 2
    problems = [*c.get("problems", ()), "", ""]
    five = c.get("five_ps", ("",) * 5)
    cpt = "90837" if service["minutes"] >= 53 else "90834"
    if service["type"] == "Family":
        cpt = "90847"
    row = [
        c["id"], c["last"], c["first"], c.get("preferred"), c["pronouns"], c["dob"],
        c["gender"], c["sex"], c["marital"], c["occupation"], c.get("phone"), c.get("email"),
        c["payer"], c["member"], c.get("group"), c["intake"], c["words"], c.get("description"),
        c["onset"],
        c["impact"], c["different"], c.get("symptoms"), c["strengths"], c["challenges"],
        PROGNOSIS.get(c["id"]), c["dx"][0], c["dx"][1] if len(c["dx"]) > 1 else None, c["intake"],
        *(c.get("phq9") or [None] * 9), *(c.get("gad7") or [None] * 7),
        c.get("pcl5"), c.get("auditc"), c["si"], c["risk"], c.get("risk_notes"), *five,
        problems[0], goals[0][0], goals[0][1], goals[0][2], goals[0][3],
        problems[1], goals[1][0], goals[1][1], goals[1][2], goals[1][3],
        service["type"], service["minutes"], service["frequency"], service["duration"], cpt,
        c["clinician"], c["creds"], c.get("supervisor"), c.get("supervisor_creds"),
        c.get("signed"), c.get("unsigned"), clinician_signed(c),
        cosigned(c, c.get("supervisor")), *guardian(c),
        "Copay collected" if c["id"] != "CT-1006" else None,
    ]  # fmt: skip
    return [None if v == "" else v for v in row]


def make_counseltrack(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Treatment Plan Intake"
    sheet["A1"] = "CounselTrack 4.2 — Treatment Plan Intake Export"
    sheet["A2"] = "Riverside Counseling Collective · exported 02/01/2026 09:00 by front desk"
    sheet.append([])
    sheet.append(CT_COLUMNS)
    for client in COUNSELTRACK:
        sheet.append(counseltrack_row(client))
    sheet.append([])
    sheet.append([f"Total clients: {len(COUNSELTRACK)}"])
    for row in sheet.iter_rows(min_row=5):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "mm/dd/yyyy"
    save_workbook(book, path)


# --- MindLedger: long CSV, one row per diagnosis or measure administration ---------------------

ML_COLUMNS = [
    "Client ID", "Client Name (Last, First)", "Date of Birth (MM/DD/YYYY)", "Pronouns", "Payer",
    "Member #", "Group #", "Intake Date", "Chief Complaint", "Functional Impact", "Strengths",
    "Risk Level", "Prognosis", "Goal 1 (client's words)", "Record Type", "Dx Code",
    "Dx Description", "Primary (Y/N)", "Rule Out", "Instrument", "Date Administered", "Items",
    "Total Score", "Clinician", "Supervisor", "Client Signed", "Reason Not Signed",
    "Clinician Signed", "Supervisor Signed", "Service", "Session Length (min)", "Frequency",
    "Length of Treatment",
]  # fmt: skip


def _text(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _long_date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def make_mindledger(path: Path) -> None:
    rows: list[list[object]] = [ML_COLUMNS]
    for c in MINDLEDGER:
        unsigned = "" if c["signed"] else "Client attended by telehealth; e-signature pending"
        head = [
            c["id"], f"{c['last']}, {c['first']}", f"{c['dob']:%m/%d/%Y}", c["pronouns"],
            c["payer"], c["member"], c["group"] or "", _long_date(c["intake"]), c["words"],
            c["impact"], c["strengths"], c["risk"], PROGNOSIS.get(c["id"], ""), c["goal"],
        ]  # fmt: skip
        clinician, cosigner = clinician_signed(c), cosigned(c, c.get("supervisor"))
        tail = [
            c["clinician"], c.get("supervisor", ""),
            f"{c['signed']:%m/%d/%Y}" if c["signed"] else "", unsigned,
            f"{clinician:%m/%d/%Y}" if clinician else "",
            f"{cosigner:%m/%d/%Y}" if cosigner else "",
            "Individual psychotherapy", "53", "Weekly", "16 weeks",
        ]  # fmt: skip
        for code, description, primary, rule_out in c["dx"]:
            rows.append(
                head + ["Diagnosis", code, description, primary, rule_out] + [""] * 4 + tail
            )
        for instrument, day, items, total in c["measures"]:
            item_text = ",".join(map(str, items)) if items else ""
            measure = [instrument, f"{day:%m/%d/%Y}", item_text, "" if total is None else total]
            rows.append(head + ["Measure", "", "", "", ""] + measure + tail)
    rows.append([])
    rows.append(["End of report — MindLedger 2026.1 — 7 clients"])
    write_csv(path, rows)


# --- PracticeFlow: workbook with Read Me, Clients, Diagnoses, Measures and Goals sheets ----


def make_practiceflow(path: Path) -> None:
    book = Workbook()
    readme = book.active
    readme.title = "Read Me"
    readme["A1"] = "PracticeFlow EHR — clinical export"
    readme["A2"] = "Contains PHI. Dates in Birth Date are Excel serial numbers."
    clients = book.create_sheet("Clients")
    clients.append([
        "MRN", "Legal First Name", "Legal Last Name", "Preferred Name", "Birth Date", "Gender",
        "Pronouns", "Health Plan", "Subscriber ID", "Group Number", "Admission Date",
        "Reason for Seeking Services", "Functional Impairment", "Hoped-for Outcome",
        "Strengths and Supports", "Barriers", "Prognosis", "SI Present", "Overall Risk",
        "Rendering Provider", "Co-Signer", "Session Type", "Session Duration", "Visit Frequency",
        "Estimated Duration",
        "Client Signature Date", "Reason Not Signed", "Clinician Signature Date",
        "Co-Signer Signature Date", "Legal Guardian", "Guardian Relationship",
        "Guardian Signature Date",
    ])  # fmt: skip
    epoch = dt.date(1899, 12, 30)
    for c in PRACTICEFLOW:
        clients.append([
            c["id"], c["first"], c["last"], c["preferred"], (c["dob"] - epoch).days, c["gender"],
            c["pronouns"], c["payer"], c["member"], c["group"], c["intake"], c["words"],
            c["impact"],
            c["different"], c["strengths"], c["barriers"], PROGNOSIS.get(c["id"]), c["si"],
            c["risk"], c["provider"], c["cosigner"], c["type"], c["duration"], c["freq"],
            c["length"], c["signed"],
            c["reason"], _text(clinician_signed(c)), _text(cosigned(c, c["cosigner"])),
            *guardian(c),
        ])  # fmt: skip
    diagnoses = book.create_sheet("Diagnoses")
    diagnoses.append(["MRN", "ICD-10-CM Code", "Diagnosis Name", "Primary", "Provisional"])
    for c in PRACTICEFLOW:
        for code, name, primary, provisional in c["dx"]:
            diagnoses.append([c["id"], code, name or None, primary, provisional])
    measures = book.create_sheet("Measures")
    measures.append(
        ["MRN", "Administered"]
        + [f"PHQ9_Q{n}" for n in range(1, 10)]
        + [f"GAD7_Q{n}" for n in range(1, 8)]
        + ["AUDIT-C Score", "PCL-5 Score"]
    )
    for c in PRACTICEFLOW:
        for day, phq, gad, audit, pcl in c["measures"]:
            measures.append(
                [c["id"], dt.date.fromisoformat(day)]
                + (phq or [None] * 9)
                + (gad or [None] * 7)
                + [audit, pcl]
            )
    goals = book.create_sheet("Goals")
    goals.append([
        "MRN", "Goal 1", "Goal 1 Objective 1", "Goal 1 Objective 1 Measure",
        "Goal 1 Objective 1 Baseline", "Goal 1 Objective 1 Target",
        "Goal 1 Objective 1 Target Date", "Goal 1 Intervention 1",
    ])  # fmt: skip
    for c in PRACTICEFLOW:
        for goal in c["goals"]:
            goals.append([c["id"], *goal])
    save_workbook(book, path)


# --- CarePoint: an export only a profile can read (odd names, day-first dates) -----------------


def make_carepoint(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Roster"
    sheet["A1"] = "CarePoint PM — Clinical Roster"
    sheet.append(["Run date: 01/02/2026"])
    sheet.append(["Pt Acct", "Pt Surname", "Pt Given", "Born", "Dx (all)", "Q9 self-harm",
                  "Seen", "Internal flag"])  # fmt: skip
    sheet.append(["CP-77", "Łukasiewicz", "Agnieszka", "05/03/1990",
                  "F41.1; F43.10 PTSD, unspecified", 0, "14/01/2026", "A"])  # fmt: skip
    sheet.append(["CP-78", "D'Souza", "Rohan", "28/11/1979", "F33.1", 2, "20/01/2026", "B"])
    save_workbook(book, path)


CAREPOINT_PROFILE = """\
# Mapping profile for CarePoint PM "Clinical Roster" exports (see README, "Profiles").
name: CarePoint PM "Clinical Roster" export
header_row: 3          # 1-based row of the column headers; default: found automatically
sheet: Roster          # default: every sheet
date_order: DMY        # CarePoint writes day-first dates (28/11/1979)
use_aliases: true      # also use the built-in alias table for the other columns
columns:
  Pt Acct: client.id
  Pt Surname: client.last_name
  Pt Given: client.first_name
  Born: client.date_of_birth
  Dx (all): diagnoses[].code
  Q9 self-harm: ignore   # one PHQ-9 item alone cannot be scored
  Seen: intake_date
  Internal flag: ignore
"""


# --- bad inputs ------------------------------------------------------------------------------

BAD_COLUMNS = ["Client ID", "First Name", "Last Name", "DOB", "Diagnosis", "PHQ-9 Item 1",
               "PHQ-9 Item 2", "PHQ-9 Item 3", "PHQ-9 Item 4", "PHQ-9 Item 5", "PHQ-9 Item 6",
               "PHQ-9 Item 7", "PHQ-9 Item 8", "PHQ-9 Item 9", "Intake Date", "Notes"]  # fmt: skip


def make_bad_rows(path: Path) -> None:
    ok = [1, 1, 1, 1, 0, 1, 0, 0, 0]
    rows = [
        ["Harborview PM — weekly intake export"],
        BAD_COLUMNS,
        ["B-01", "Ngozi", "Adeyemi", "04/12/1988", "F41.1", *ok, "2026-01-05", ""],
        ["B-02", "Pieter", "van der Berg", "31/02/1990", "F43.10", *ok, "2026-01-05", ""],
        ["B-03", "Keiko", "Tanaka", "1992-07-01", "F41.7 Anxiety, other", *ok, "2026-01-06", ""],
        ["B-04", "Omar", "Farouk", "1985-03-15", "F33.1", 1, 1, 1, 1, 1, 1, 1, 1, 4,
         "2026-01-06", ""],
        ["B-05", "Renée", "Lavoie", "1979-09-09", "F32", *ok, "January 7, 2026",
         '=HYPERLINK("http://example.com/phish","Click for records")'],
        ["", "Nobody", "Noid", "1990-01-01", "F41.1", *ok, "2026-01-07", ""],
        ["B-07", "Ivan", "Petrović", "March 3, 1995", "F43.23", *ok, "not yet", "+1 follow up"],
        [],
        ["Total", "6 clients"],
    ]  # fmt: skip
    write_csv(path, rows)


def make_win1252(path: Path) -> None:
    rows = [
        ["Client ID", "Last Name", "First Name", "Date of Birth", "Diagnosis", "GAD-7 Total",
         "Intake Date", "Clinician"],
        ["W-1", "Dubois", "Renée", "02/14/1986", "F41.1", "13", "01/12/2026", "Zoë Martin, LPC"],
        ["W-2", "Muñoz", "José", "11/30/1975", "F43.21 Trouble d’adaptation", "8", "01/13/2026",
         "Zoë Martin, LPC"],
        ["W-3", "D’Angelo", "Françoise", "07/04/2000", "F40.10", "15", "01/14/2026",
         "Zoë Martin, LPC"],
    ]  # fmt: skip
    write_csv(path, rows, delimiter=";", encoding="cp1252")


def make_formula_workbook(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Clients"
    sheet.append(["Client ID", "First Name", "Last Name", "Presenting Problem", "Strengths"])
    sheet.append(["F-1", "Hana", "Novak", None, None])
    text_cell(sheet, 2, 4, '=HYPERLINK("http://example.com","see chart")')
    text_cell(sheet, 2, 5, "@SUM(A1:A9); -sings in a choir; +runs")
    save_workbook(book, path)


def main() -> None:
    make_counseltrack(INPUTS / "counseltrack_wide.xlsx")
    make_mindledger(INPUTS / "mindledger_long.csv")
    make_practiceflow(INPUTS / "practiceflow_workbook.xlsx")
    (INPUTS / "profiles").mkdir(parents=True, exist_ok=True)
    (INPUTS / "profiles" / "carepoint.yaml").write_text(CAREPOINT_PROFILE, encoding="utf-8")
    make_carepoint(TESTS / "carepoint_roster.xlsx")
    make_bad_rows(TESTS / "bad_rows.csv")
    make_win1252(TESTS / "win1252_semicolon.csv")
    make_formula_workbook(TESTS / "formula_cells.xlsx")
    (TESTS / "empty.csv").write_bytes(b"")
    good = (INPUTS / "counseltrack_wide.xlsx").read_bytes()
    (TESTS / "corrupt.xlsx").write_bytes(good[: len(good) // 2])
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"EncryptedPackage" + bytes(1000)
    (TESTS / "encrypted.xlsx").write_bytes(ole)
    (TESTS / "not_a_workbook.xlsx").write_text("Client ID,Name\n1,Test\n", encoding="utf-8")
    (TESTS / "no_header.csv").write_text("Notes\nnothing here\n", encoding="utf-8")


if __name__ == "__main__":
    main()
