"""Real-corpus shapes of EHRs, EHI exports, research registries and standards (make_real_corpus)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from real_corpus_io import (  # noqa: E402
    Rows,
    full,
    last_first,
    shape,
    us,
    write_csv,
    write_xlsx,
)
from real_corpus_people import (  # noqa: E402
    FREQUENCY,
    GAD7_QUESTIONS,
    OPENEMR_PHQ9,
    PEOPLE,
    PHQ9_QUESTIONS,
    TOTAL_LOINC,
    expected,
)


@shape("epic_report")
def epic_report(folder: Path) -> list[dict]:
    header = ["MRN", "Patient", "DOB", "Sex", "Dx Code", "Dx Name", "PHQ9 Total Score",
              "PHQ-9 Date"]  # fmt: skip
    rows: Rows = [header]
    for n, p in enumerate(PEOPLE, start=1):
        phq = p.of("PHQ-9")[:1]
        code, name = p.diagnoses[0]
        rows.append([f"APL{32467 + n}", last_first(p, upper=True), p.born.strftime("%-m/%-d/%y"),
                     p.sex_word, f"ICD10:{code}", name, phq[0].score if phq else "",
                     us(phq[0].date) if phq else ""])  # fmt: skip
    write_csv(folder / "reporting_workbench.csv", rows)
    out = []
    for n, p in enumerate(PEOPLE, start=1):
        found = expected(p, id=f"APL{32467 + n}", fields=("born", "sex"), diagnoses=False)
        found["fields"]["client.last_name"] = p.last.upper()
        found["fields"]["client.first_name"] = p.first.upper()
        found["fields"]["diagnoses"] = [p.diagnoses[0][0]]
        phq = p.of("PHQ-9")[:1]
        if phq:
            found["fields"]["measures"] = [f"PHQ-9 {phq[0].date.isoformat()} {phq[0].score}"]
        out.append(found)
    return out


@shape("epic_ehi_tables")
def epic_ehi(folder: Path) -> list[dict]:
    patient = [["PAT_ID", "PAT_MRN_ID", "PAT_NAME", "BIRTH_DATE", "SEX_C_NAME"]]
    dx = [["PAT_ID", "PAT_ENC_CSN_ID", "LINE", "DX_ID", "PRIMARY_DX_YN"]]
    edg: dict[str, tuple[str, str]] = {}
    for n, p in enumerate(PEOPLE, start=1):
        birth = f"{p.born.month}/{p.born.day}/{p.born.year} 12:00:00 AM"
        patient.append([f"Z{7004240 + n}", f"APL{32467 + n}", last_first(p, upper=True), birth,
                        p.sex_word])  # fmt: skip
        for line, (code, name) in enumerate(p.diagnoses, start=1):
            dx_id = (
                str(300 + len(edg) + 1)
                if code not in {c for c, _ in edg.values()}
                else next(k for k, v in edg.items() if v[0] == code)
            )
            edg[dx_id] = (code, name)
            dx.append([f"Z{7004240 + n}", 720803470 + n, line, dx_id, "Y" if line == 1 else "N"])
    clarity = [["DX_ID", "DX_NAME", "CURRENT_ICD10_LIST"]]
    clarity += [[k, name, code] for k, (code, name) in sorted(edg.items())]
    write_csv(folder / "PATIENT.tsv", patient, "\t")
    write_csv(folder / "PAT_ENC_DX.tsv", dx, "\t")
    write_csv(folder / "CLARITY_EDG.tsv", clarity, "\t")
    out = []
    for n, p in enumerate(PEOPLE, start=1):
        found = expected(p, id=f"Z{7004240 + n}", fields=("born", "sex"))
        found["fields"]["client.last_name"] = p.last.upper()
        found["fields"]["client.first_name"] = p.first.upper()
        out.append(found)
    return out


@shape("openemr_ehi_tables")
def openemr(folder: Path) -> list[dict]:
    patients = [["id", "pid", "pubpid", "fname", "mname", "lname", "DOB", "sex"]]
    lists = [["id", "date", "type", "title", "begin", "diagnosis", "pid"]]
    forms = [["id", "date", "pid", "user", "groupname", "authorized", "activity",
              *OPENEMR_PHQ9, "difficulty"]]  # fmt: skip
    row_id = 0
    for n, p in enumerate(PEOPLE, start=1):
        patients.append([n + 40, n, f"PUB{n:03d}", p.first, p.middle or "", p.last,
                         p.born.isoformat(), p.sex_word])  # fmt: skip
        for code, name in p.diagnoses:
            row_id += 1
            lists.append([row_id, f"{p.intake} 10:00:00", "medical_problem", name,
                          f"{p.intake} 00:00:00", f"ICD10:{code}", n])  # fmt: skip
        lists.append([row_id + 100, f"{p.intake} 10:00:00", "allergy", "Penicillin", "", "", n])
        for m in p.of("PHQ-9"):
            row_id += 1
            forms.append([row_id, f"{m.date} 09:15:00", n, "dwhitfield", "Default", 1, 1,
                          *m.items, "Somewhat difficult"])  # fmt: skip
    write_csv(folder / "patient_data.csv", patients)
    write_csv(folder / "lists.csv", lists)
    write_csv(folder / "form_phq9.csv", forms)
    fields = ("first", "middle", "last", "born", "sex")
    return [
        expected(p, id=str(n), fields=fields, measures=("PHQ-9",), items=("PHQ-9",))
        for n, p in enumerate(PEOPLE, start=1)
    ]


@shape("redcap_raw")
def redcap_raw(folder: Path) -> list[dict]:
    header = (["record_id", "first_name", "last_name", "dob", "phq_date"]
              + [f"phq_{i}" for i in range(1, 10)] + ["gad_date"]
              + [f"gad_{i}" for i in range(1, 8)] + ["screening_complete"])  # fmt: skip
    rows: Rows = [header]
    for n, p in enumerate(PEOPLE, start=1):
        phq = p.of("PHQ-9")[:1]
        gad = p.of("GAD-7")[:1]
        rows.append([n, p.first, p.last, p.born.isoformat(),
                     phq[0].date.isoformat() if phq else "", *(phq[0].items if phq else [""] * 9),
                     gad[0].date.isoformat() if gad else "", *(gad[0].items if gad else [""] * 7),
                     2])  # fmt: skip
    write_csv(folder / "export_raw.csv", rows)
    out = []
    for n, p in enumerate(PEOPLE, start=1):
        firsts = [p.of(i)[:1] for i in ("PHQ-9", "GAD-7")]
        found = expected(p, id=str(n), fields=("first", "last", "born"), diagnoses=False)
        adms = [m[0] for m in firsts if m]
        found["fields"]["measures"] = [f"{m.instrument} {m.date} {m.score}" for m in adms]
        found["fields"]["items"] = [
            f"{m.instrument} {m.date} {','.join(map(str, m.items))}" for m in adms
        ]
        if any(m.instrument == "PHQ-9" and m.items[8] for m in adms):
            found["fields"]["risk.suicidal_ideation"] = True
        out.append(found)
    return out


@shape("redcap_labels")
def redcap_labels(folder: Path) -> list[dict]:
    header = (["Record ID", "First Name", "Last Name", "Date of Birth", "Sex",
               "Date completed"] + list(PHQ9_QUESTIONS) + ["Complete?"])  # fmt: skip
    rows: Rows = [header]
    for n, p in enumerate(PEOPLE, start=1):
        phq = p.of("PHQ-9")[:1]
        answers = [FREQUENCY[i] for i in phq[0].items] if phq else [""] * 9
        rows.append([n, p.first, p.last, p.born.isoformat(), p.sex_word,
                     phq[0].date.isoformat() if phq else "", *answers, "Complete"])  # fmt: skip
    write_csv(folder / "export_labels.csv", rows)
    out = []
    for n, p in enumerate(PEOPLE, start=1):
        found = expected(p, id=str(n), fields=("first", "last", "born", "sex"), diagnoses=False)
        phq = p.of("PHQ-9")[:1]
        if phq:
            m = phq[0]
            found["fields"]["measures"] = [f"PHQ-9 {m.date} {m.score}"]
            found["fields"]["items"] = [f"PHQ-9 {m.date} {','.join(map(str, m.items))}"]
            found["fields"]["risk.suicidal_ideation"] = True
        out.append(found)
    return out


@shape("redcap_longitudinal")
def redcap_longitudinal(folder: Path) -> list[dict]:
    header = (["record_id", "redcap_event_name", "first_name", "last_name", "dob", "phq9_date"]
              + [f"phq9_{i}" for i in range(1, 10)] + ["phq9_total"])  # fmt: skip
    rows: Rows = [header]
    for n, p in enumerate(PEOPLE, start=1):
        for k, m in enumerate(p.of("PHQ-9")):
            who = [p.first, p.last, p.born.isoformat()] if k == 0 else ["", "", ""]
            event = "baseline_arm_1" if k == 0 else "week_4_arm_1"
            rows.append([n, event, *who, m.date.isoformat(), *m.items, m.score])
        if not p.of("PHQ-9"):
            rows.append([n, "baseline_arm_1", p.first, p.last, p.born.isoformat(),
                         *[""] * 11])  # fmt: skip
    write_csv(folder / "longitudinal_export.csv", rows)
    return [
        expected(p, id=str(n), diagnoses=False, measures=("PHQ-9",), items=("PHQ-9",))
        for n, p in enumerate(PEOPLE, start=1)
    ]


@shape("synthea_csv")
def synthea(folder: Path) -> list[dict]:
    ids = {p.last: f"{n:08x}-9a81-4ba9-80c2-de3375d59b4{n}" for n, p in enumerate(PEOPLE, 1)}
    patients = [["Id", "BIRTHDATE", "DEATHDATE", "SSN", "PREFIX", "FIRST", "LAST", "MARITAL",
                 "GENDER", "CITY", "STATE"]]  # fmt: skip
    conditions = [["START", "STOP", "PATIENT", "ENCOUNTER", "CODE", "DESCRIPTION"]]
    observations = [["DATE", "PATIENT", "ENCOUNTER", "CATEGORY", "CODE", "DESCRIPTION", "VALUE",
                     "UNITS", "TYPE"]]  # fmt: skip
    snomed = {"F33.1": "370143000", "F41.1": "21897009", "F43.10": "47505003", "F10.20": "7200002"}
    for p in PEOPLE:
        pid = ids[p.last]
        patients.append([pid, p.born.isoformat(), "", "999-00-0000", "", p.first, p.last, "",
                         p.sex, "Springfield", "Massachusetts"])  # fmt: skip
        for code, name in p.diagnoses:
            conditions.append([p.intake.isoformat(), "", pid, "e-1", snomed[code], name])
        for m in p.measures:
            if m.instrument in TOTAL_LOINC:
                observations.append([f"{m.date}T10:00:00Z", pid, "e-2", "survey",
                                     TOTAL_LOINC[m.instrument], f"{m.instrument} total score",
                                     m.score, "{score}", "numeric"])  # fmt: skip
        observations.append([f"{p.intake}T10:00:00Z", pid, "e-2", "vital-signs", "29463-7",
                             "Body Weight", "71.2", "kg", "numeric"])  # fmt: skip
    write_csv(folder / "patients.csv", patients)
    write_csv(folder / "conditions.csv", conditions)
    write_csv(folder / "observations.csv", observations)
    got = tuple(TOTAL_LOINC)
    return [
        expected(p, id=ids[p.last], fields=("first", "last", "born", "sex"), diagnoses=False,
                 measures=got)
        for p in PEOPLE
    ]  # fmt: skip


@shape("fhir_flat_workbook")
def fhir_workbook(folder: Path) -> list[dict]:
    patient = [["id", "name.family", "name.given", "birthDate", "gender"]]
    condition = [["id", "subject.reference", "code.coding.system", "code.coding.code",
                  "code.coding.display", "clinicalStatus"]]  # fmt: skip
    observation = [["id", "subject.reference", "code.coding.code", "code.coding.display",
                    "valueInteger", "effectiveDateTime"]]  # fmt: skip
    k = 0
    for n, p in enumerate(PEOPLE, start=1):
        patient.append([f"pat-{n}", p.last, p.first, p.born.isoformat(), p.sex_word.lower()])
        for code, name in p.diagnoses:
            k += 1
            condition.append([f"cond-{k}", f"Patient/pat-{n}", "http://hl7.org/fhir/sid/icd-10-cm",
                              code, name, "active"])  # fmt: skip
        for m in p.measures:
            if m.instrument in TOTAL_LOINC:
                k += 1
                observation.append([f"obs-{k}", f"Patient/pat-{n}", TOTAL_LOINC[m.instrument],
                                    f"{m.instrument} total score", m.score,
                                    f"{m.date}T10:00:00-05:00"])  # fmt: skip
    write_xlsx(
        folder / "fhir_resources.xlsx",
        {"Patient": patient, "Condition": condition, "Observation": observation},
    )
    got = tuple(TOTAL_LOINC)
    return [
        expected(p, id=f"pat-{n}", fields=("first", "last", "born", "sex"), measures=got)
        for n, p in enumerate(PEOPLE, start=1)
    ]  # fmt: skip


@shape("credible_ndjson")
def credible(folder: Path) -> list[dict]:
    lines = []
    for n, p in enumerate(PEOPLE, start=1):
        lines.append(json.dumps({
            "client_id": 9000 + n,
            "first_name": p.first,
            "last_name": p.last,
            "dob": p.born.isoformat(),
            "sex": p.sex,
            "insurance": {"payer_name": p.payer, "member_id": p.member_id},
            "diagnoses": [{"id": 50 * n + i, "icd10_code": code, "description": name,
                           "is_primary": i == 0} for i, (code, name) in enumerate(p.diagnoses)],
            "assessments": [{"assessment": m.instrument, "score": m.score,
                             "date_completed": m.date.isoformat()} for m in p.measures],
        }, ensure_ascii=False))  # fmt: skip
    (folder / "clients.ndjson").write_text("\n".join(lines) + "\n", encoding="utf-8")
    every = ("PHQ-9", "GAD-7", "PCL-5", "AUDIT-C")
    fields = ("first", "last", "born", "sex", "payer", "member")
    return [
        expected(p, id=str(9000 + n), fields=fields, measures=every)
        for n, p in enumerate(PEOPLE, start=1)
    ]


@shape("intake_form_responses")
def form_responses(folder: Path) -> list[dict]:
    header = (["Timestamp", "Full name", "Date of birth", "Sex assigned at birth"]
              + [f"{q}" for q in PHQ9_QUESTIONS] + list(GAD7_QUESTIONS))  # fmt: skip
    rows: Rows = [header]
    for p in PEOPLE:
        phq = p.of("PHQ-9")[:1]
        gad = p.of("GAD-7")[:1]
        rows.append([f"{us(p.intake)} 9:41:07", full(p), us(p.born), p.sex_word,
                     *([FREQUENCY[i] for i in phq[0].items] if phq else [""] * 9),
                     *([FREQUENCY[i] for i in gad[0].items] if gad else [""] * 7)])  # fmt: skip
    write_csv(folder / "form_responses.csv", rows)
    out = []
    for p in PEOPLE:
        found = expected(p, id=None, fields=("first", "last", "born", "sex"), diagnoses=False,
                         measures=(), items=())  # fmt: skip
        adms = [m[0] for m in (p.of("PHQ-9")[:1], p.of("GAD-7")[:1]) if m]
        found["fields"]["items"] = [f"{m.instrument} - {','.join(map(str, m.items))}" for m in adms]
        if any(m.instrument == "PHQ-9" and m.items[8] for m in adms):
            found["fields"]["risk.suicidal_ideation"] = True
        out.append(found)
    return out


@shape("kareo_api_json")
def kareo(folder: Path) -> list[dict]:
    lines = []
    for n, p in enumerate(PEOPLE, start=100234):
        lines.append(json.dumps({
            "PatientId": n, "PatientExternalId": f"EXT-PT-{n}", "PatientFullName": last_first(p),
            "DateOfBirth": p.born.isoformat(), "Gender": p.sex_word, "Email": p.email,
            "MobilePhone": p.phone, "Address": {"City": "Springfield", "State": "MA"},
        }, ensure_ascii=False))  # fmt: skip
    (folder / "patients.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    fields = ("first", "last", "born", "sex", "email", "phone")
    return [
        expected(p, id=str(n), fields=fields, diagnoses=False)
        for n, p in enumerate(PEOPLE, start=100234)
    ]
