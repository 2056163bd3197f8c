"""Real-corpus shapes of practice-management and measurement systems (see make_real_corpus)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from real_corpus_io import (  # noqa: E402
    Rows,
    dx_text,
    full,
    last_first,
    shape,
    us,
    write_csv,
)
from real_corpus_people import PEOPLE, expected  # noqa: E402

# --- practice-management systems -----------------------------------------------------------


@shape("simplepractice_client_details")
def simplepractice(folder: Path) -> list[dict]:
    header = ["Client", "First Name", "Last Name", "Date of Birth", "Email", "Phone", "Status",
              "Primary Clinician", "Primary Insurance", "Insurance ID"]  # fmt: skip
    rows = [header] + [
        [full(p), p.first, p.last, us(p.born), p.email, p.phone, "Active", "Dana Whitfield",
         p.payer, p.member_id]
        for p in PEOPLE
    ]  # fmt: skip
    write_csv(folder / "client_details_report.csv", rows)
    fields = ("first", "last", "born", "email", "phone", "payer", "member")
    return [expected(p, id=None, fields=fields, diagnoses=False) for p in PEOPLE]


@shape("therapynotes_patients")
def therapynotes(folder: Path) -> list[dict]:
    header = ["Patient ID", "Last Name", "First Name", "Middle Name", "Date of Birth", "Sex",
              "Diagnosis 1", "Diagnosis 2", "Intake Date"]  # fmt: skip
    rows: Rows = [header]
    for n, p in enumerate(PEOPLE, start=101):
        dx = dx_text(p) + [""]
        rows.append([f"TN{n}", p.last, p.first, p.middle, us(p.born), p.sex_word, dx[0], dx[1],
                     us(p.intake)])  # fmt: skip
    write_csv(folder / "patients.csv", rows)
    return [
        expected(p, id=f"TN{n}", fields=("first", "middle", "last", "born", "sex", "intake"))
        for n, p in enumerate(PEOPLE, start=101)
    ]


@shape("theranest_clients")
def theranest(folder: Path) -> list[dict]:
    header = ["Client Id", "Client Name", "DOB", "Gender", "Primary Diagnosis",
              "Secondary Diagnosis", "Intake Date"]  # fmt: skip
    rows: Rows = [header]
    for n, p in enumerate(PEOPLE, start=1):
        codes = [code for code, _ in p.diagnoses] + [""]
        rows.append([str(7000 + n), full(p), p.born.strftime("%m/%d/%Y"), p.sex, codes[0],
                     codes[1], p.intake.isoformat()])  # fmt: skip
    write_csv(folder / "clients.csv", rows)
    return [
        expected(p, id=str(7000 + n), fields=("first", "last", "born", "sex", "intake"))
        for n, p in enumerate(PEOPLE, start=1)
    ]


@shape("jane_patient_list")
def jane(folder: Path) -> list[dict]:
    header = ["Patient Number", "First Name", "Last Name", "Preferred Name", "Birth Date", "Sex",
              "Email", "Mobile Phone"]  # fmt: skip
    rows: Rows = [header]
    for n, p in enumerate(PEOPLE, start=1):
        rows.append([n, p.first, p.last, "", f"{p.born:%b} {p.born.day}, {p.born.year}", p.sex_word,
                     p.email, p.phone])  # fmt: skip
    write_csv(folder / "patient_list.csv", rows)
    fields = ("first", "last", "born", "sex", "email", "phone")
    return [
        expected(p, id=str(n), fields=fields, diagnoses=False)
        for n, p in enumerate(PEOPLE, start=1)
    ]


@shape("tebra_patients")
def tebra(folder: Path) -> list[dict]:
    header = ["PatientId", "PatientFullName", "DateOfBirth", "Gender", "Email", "MobilePhone",
              "PrimaryInsurancePolicyCompanyName", "PrimaryInsurancePolicyNumber"]  # fmt: skip
    rows: Rows = [header]
    for n, p in enumerate(PEOPLE, start=100234):
        rows.append([n, last_first(p), p.born.isoformat(), p.sex_word, p.email, p.phone, p.payer,
                     p.member_id])  # fmt: skip
    write_csv(folder / "patients.csv", rows)
    fields = ("first", "last", "born", "sex", "email", "phone", "payer", "member")
    return [
        expected(p, id=str(n), fields=fields, diagnoses=False)
        for n, p in enumerate(PEOPLE, start=100234)
    ]


@shape("valant_outcomes")
def valant(folder: Path) -> list[dict]:
    header = ["Patient ID", "Patient Name", "Measure", "Administered Date", "Total Score",
              "Severity"]  # fmt: skip
    rows: Rows = [header]
    for n, p in enumerate(PEOPLE, start=1):
        for m in p.measures:
            rows.append([f"V-{n:04d}", last_first(p), m.instrument, us(m.date), m.score, ""])
    write_csv(folder / "outcomes_report.csv", rows)
    every = ("PHQ-9", "GAD-7", "PCL-5", "AUDIT-C")
    return [
        expected(p, id=f"V-{n:04d}", fields=("first", "last"), diagnoses=False, measures=every)
        for n, p in enumerate(PEOPLE, start=1)
    ]


@shape("greenspace_assessments")
def greenspace(folder: Path) -> list[dict]:
    header = ["Patient ID", "Patient", "Assessment", "Completed Date", "Score"]
    rows: Rows = [header]
    names = {"PHQ-9": "Depression (PHQ-9)", "GAD-7": "Anxiety (GAD-7)", "PCL-5": "PTSD (PCL-5)",
             "AUDIT-C": "Alcohol Use (AUDIT-C)"}  # fmt: skip
    for n, p in enumerate(PEOPLE, start=1):
        for m in p.measures:
            rows.append([f"GS{n}", full(p), names[m.instrument], f"{m.date.isoformat()}T14:30:00",
                         m.score])  # fmt: skip
    write_csv(folder / "assessment_results.csv", rows)
    every = tuple(names)
    return [
        expected(p, id=f"GS{n}", fields=("first", "last"), diagnoses=False, measures=every)
        for n, p in enumerate(PEOPLE, start=1)
    ]


@shape("owl_measures")
def owl(folder: Path) -> list[dict]:
    header = ["Client ID", "Measure Name", "Completed Date", "Total"] + [
        f"Item {i}" for i in range(1, 10)
    ]
    rows: Rows = [header]
    names = {"PHQ-9": "PHQ-9 Depression", "GAD-7": "GAD-7 Anxiety", "AUDIT-C": "AUDIT-C"}
    for n, p in enumerate(PEOPLE, start=1):
        for m in p.measures:
            if m.instrument not in names:
                continue
            items = list(m.items) + [""] * (9 - len(m.items))
            rows.append([f"OWL-{n}", names[m.instrument], us(m.date), m.score, *items])
    write_csv(folder / "measures_export.csv", rows)
    got = ("PHQ-9", "GAD-7", "AUDIT-C")
    return [
        expected(p, id=f"OWL-{n}", fields=(), diagnoses=False, measures=got, items=got)
        for n, p in enumerate(PEOPLE, start=1)
    ]


@shape("osmind_pivot")
def osmind(folder: Path) -> list[dict]:
    columns: list[tuple[str, dt.date]] = []
    for p in PEOPLE:
        for m in p.measures:
            if (m.instrument, m.date) not in columns and m.instrument in ("PHQ-9", "GAD-7"):
                columns.append((m.instrument, m.date))
    columns.sort(key=lambda c: (c[0], c[1]))
    header = ["Patient ID", "Patient Name"] + [f"{i} ({us(d)})" for i, d in columns]
    rows: Rows = [header]
    for n, p in enumerate(PEOPLE, start=1):
        scores = {(m.instrument, m.date): m.score for m in p.measures}
        rows.append([f"OS{n}", full(p)] + [scores.get(c, "") for c in columns])
    write_csv(folder / "measures_pivot.csv", rows)
    got = ("PHQ-9", "GAD-7")
    return [
        expected(p, id=f"OS{n}", fields=("first", "last"), diagnoses=False, measures=got)
        for n, p in enumerate(PEOPLE, start=1)
    ]


@shape("myavatar_demographics")
def myavatar(folder: Path) -> list[dict]:
    header = ["PATID", "patient_name", "date_of_birth", "patient_sex_value",
              "gender_identity_value", "diagnosis_code", "diagnosis_value"]  # fmt: skip
    rows: Rows = [header]
    for n, p in enumerate(PEOPLE, start=1):
        for code, name in p.diagnoses:
            rows.append([f"{n:06d}", last_first(p, upper=True), us(p.born), p.sex_word, "",
                         f"ICD-10-CM: {code}", name])  # fmt: skip
    write_csv(folder / "patient_current_demographics.csv", rows)
    out = []
    for n, p in enumerate(PEOPLE, start=1):
        found = expected(p, id=f"{n:06d}", fields=("born", "sex"))
        found["fields"]["client.last_name"] = p.last.upper()
        found["fields"]["client.first_name"] = p.first.upper()
        out.append(found)
    return out
