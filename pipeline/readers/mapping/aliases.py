"""The built-in alias table: the labels real exports and intake forms use -> model paths.

Each label maps to a *model path* (see ``paths.py``); profiles (``profile.py``) use the same
paths.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pipeline.readers.mapping.items import resolve_item
from pipeline.readers.mapping.paths import IGNORE

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")  # PatientId, birthDate: words apart


def normalize(label: str) -> str:
    """Lower case, accents kept, punctuation to spaces, letters and digits apart."""
    label = _CAMEL.sub(" ", unicodedata.normalize("NFKC", str(label))).lower()
    label = label.replace("#", " number ")
    label = label.replace("'", "").replace("\u2019", "")
    label = re.sub(r"[^\w]+|_", " ", label)
    label = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", label)
    return " ".join(label.split())


# fmt: off
_TABLE: dict[str, tuple[str, ...]] = {
    "client.id": (
        "client id", "client #", "client number", "client no", "clientid", "mrn",
        "medical record number", "record number", "chart #", "chart number", "patient id",
        "patient #", "pt id", "pt #", "account #", "account number", "acct #", "person id", "id",
        # REDCap, myAvatar/Netsmart, Epic Clarity/EHI, OpenEMR, Synthea, FHIR, practice systems
        "record id", "record_id", "patid", "pat id", "pat_id", "pat mrn id", "pat_mrn_id",
        "pid", "pubpid", "patient mrn", "client mrn", "mrn #", "mrn number", "mrn no",
        "medical record #", "medical record no", "med rec #", "med rec no", "medical record id",
        "external id", "external client id", "client external id", "chart", "chart no",
        "chart id", "account", "account no", "account id", "acct", "acct no", "acct number",
        "patient account number", "patient account #", "patient number", "patient no",
        "patient identifier", "client identifier", "person number", "consumer id",
        "individual id", "participant id", "subject id", "client_id", "patient_id", "patient",
        "subject", "patient reference", "subject reference", "member", "clientid number",
    ),
    "client.first_name": (
        "first name", "first", "given name", "legal first name", "client first name",
        "patient first name", "first name legal", "fname", "pt first", "pt first name",
        "patient first", "client first",
        "given", "name given", "first nm",
    ),
    "client.last_name": (
        "last name", "last", "surname", "family name", "legal last name", "client last name",
        "patient last name", "lname", "pt last", "pt last name", "patient last", "client last",
        "family", "name family", "last nm",
    ),
    "client.middle_name": ("middle name", "middle initial", "mi", "middle", "mname", "mid name"),
    "client.preferred_name": ("preferred name", "nickname", "goes by", "chosen name"),
    "client.name": (
        "client name", "full name", "name", "patient name", "client full name", "client",
        "pat name", "pat_name", "patient full name", "client name last first m",
        "individual name", "consumer name",
    ),
    "client.name_last_first": (
        "name last first", "client name last first", "patient name last first", "last first",
        "client last first",
    ),
    "client.date_of_birth": (
        "dob", "date of birth", "birth date", "birthdate", "birthday", "d o b", "client dob",
        "patient dob",
    ),
    "client.pronouns": ("pronouns", "pronoun", "preferred pronouns"),
    "client.gender_identity": (
        "gender identity", "gender", "gender identity c name", "gender identity name",
    ),
    "client.sex_assigned_at_birth": (
        "sex assigned at birth", "sex", "birth sex", "legal sex", "sex c name", "sex c",
        "patient sex value", "sex value", "patient sex", "client sex",
        "administrative sex", "birth sex c name", "gender at birth", "assigned sex at birth",
    ),
    "client.marital_status": ("marital status", "relationship status"),
    "client.occupation": ("occupation", "employment", "job", "employer occupation"),
    "client.employment_status": (
        "employment status", "employment status c name", "work status", "employed",
        "employment situation", "job status", "currently employed", "employment type",
        "labor force status", "labour force status",
    ),
    "client.student": (
        "student", "student status", "in school", "currently in school", "enrolled in school",
        "school enrollment", "student y n", "is student",
    ),
    "client.dependents": (
        "number of children", "dependents", "dependants", "number of dependents",
        "number of dependants", "children", "no of children", "children in home",
        "children in the home", "number of kids", "kids", "minor children", "dependent children",
    ),
    "client.contact.phone": (
        "phone", "phone number", "mobile", "cell", "cell phone", "mobile phone", "home phone",
        "telephone",
    ),
    "client.contact.email": ("email", "e mail", "email address"),
    "client.contact.address": ("address", "home address", "street address", "mailing address"),
    "client.contact.emergency_contact": ("emergency contact", "emergency contact name and phone"),
    "client.payer_name": (
        "insurance", "payer", "payor", "insurance name", "insurance company", "primary insurance",
        "funding source", "plan name", "health plan", "carrier",
        "primary insurance policy company name", "insurance company name", "payer name",
        "insurance payer name", "primary insurance company", "primary payer",
    ),
    "client.member_id": (
        "member id", "member #", "member number", "subscriber id", "insurance id", "policy number",
        "policy #", "medicaid id", "medicare id", "primary insurance policy number",
        "insurance member id", "insurance policy number", "subscriber number",
    ),
    "client.group_number": ("group number", "group #", "group no", "group id"),
    "intake_date": (
        "intake date", "date of intake", "assessment date", "admission date", "admit date",
        "first session", "first visit", "episode start", "date of first session",
    ),
    "plan_date": ("plan date", "treatment plan date", "date of plan", "tx plan date"),
    "presenting_problem.client_words": (
        "presenting problem client s words", "presenting problem clients words",
        "in the client s words", "in client s own words", "client s words", "chief complaint",
        "reason for referral client s words", "what brings you in", "reason for seeking services",
        "client statement", "client's words", "in your own words", "in client's own words",
    ),
    "presenting_problem.description": (
        "presenting problem", "presenting problem description", "clinical description",
        "reason for referral", "presenting concerns", "history of presenting problem",
    ),
    "presenting_problem.onset": ("onset", "problem onset", "onset date", "when did it start"),
    "presenting_problem.functional_impact": (
        "functional impact", "functional impairment", "impact on functioning", "impairment",
    ),
    "presenting_problem.what_would_be_different": (
        "what would be different", "what would be different if things were better",
        "miracle question", "desired outcome", "hoped for outcome",
    ),
    "assessment.symptoms": ("symptoms", "current symptoms", "symptom list"),
    "assessment.strengths": ("strengths", "client strengths", "strengths and supports"),
    "assessment.challenges": ("challenges", "barriers", "limitations", "weaknesses"),
    "assessment.mental_status": ("mental status", "mse", "mental status exam"),
    "assessment.substance_use": ("substance use", "substance use summary", "alcohol drug use"),
    "assessment.prognosis": ("prognosis",),
    "risk.suicidal_ideation": (
        "suicidal ideation", "si", "si present", "current si", "suicidal thoughts",
        "suicidal ideation y n",
    ),
    "risk.homicidal_ideation": ("homicidal ideation", "hi", "hi present", "current hi"),
    "risk.self_harm": ("self harm", "nssi", "self injury", "self harm behavior"),
    "risk.cssrs_positive": (
        "c ssrs", "cssrs", "c ssrs screen", "cssrs screen", "columbia screen", "c ssrs positive",
    ),
    "risk.means_access": (
        "means access", "access to lethal means", "access to means", "firearm access",
        "access to firearms", "firearms at home", "firearm in home",
    ),
    "risk.level": ("risk level", "suicide risk level", "overall risk", "risk", "risk rating"),
    "risk.notes": ("risk notes", "risk assessment notes", "risk comments"),
    "risk.safety_plan_required": ("safety plan required", "safety plan needed"),
    "formulation.presenting": ("presenting p", "5 ps presenting", "formulation presenting"),
    "formulation.predisposing": ("predisposing", "predisposing factors", "5 ps predisposing"),
    "formulation.precipitating": ("precipitating", "precipitating factors", "5 ps precipitating"),
    "formulation.perpetuating": ("perpetuating", "perpetuating factors", "5 ps perpetuating"),
    "formulation.protective": ("protective", "protective factors", "5 ps protective"),
    "safety_plan.warning_signs": ("warning signs", "safety plan warning signs"),
    "safety_plan.coping_strategies": ("coping strategies", "internal coping strategies"),
    "safety_plan.people_and_places": ("people and places", "social settings for distraction"),
    "safety_plan.people_to_ask": ("people to ask for help", "support people"),
    "safety_plan.professionals": ("professionals and crisis lines", "crisis contacts"),
    "safety_plan.means_safety": ("means safety", "means restriction", "lethal means"),
    "safety_plan.reasons_for_living": ("reasons for living",),
    "review.interval_days": ("review interval", "review interval days", "review every days"),
    "review.next_review_date": ("next review", "next review date", "review due", "review date"),
    "review.last_review_date": ("last review", "last review date"),
    "signatures.clinician.name": (
        "clinician", "clinician name", "therapist", "therapist name", "provider",
        "rendering provider", "primary clinician", "counselor", "assigned clinician",
    ),
    "signatures.clinician.credentials": (
        "clinician credentials", "credentials", "license", "licensure", "provider credentials",
        "therapist credentials",
    ),
    "signatures.clinician.npi": ("npi", "clinician npi", "provider npi", "rendering npi"),
    "signatures.clinician.signed_date": (
        "clinician signature date", "clinician signed", "clinician signed date",
        "provider signature date", "therapist signature date", "date clinician signed",
        "rendering provider signature date", "clinician sign date",
    ),
    "signatures.client.signed_date": (
        "client signature date", "client signed", "date client signed", "client signed date",
    ),
    "signatures.client_unsigned_reason": (
        "reason client did not sign", "client unsigned reason", "reason not signed",
        "client signature reason", "reason for no client signature",
    ),
    "signatures.supervisor.name": ("supervisor", "clinical supervisor", "co signer", "cosigner"),
    "signatures.supervisor.credentials": ("supervisor credentials", "co signer credentials"),
    "signatures.supervisor.npi": ("supervisor npi",),
    "signatures.supervisor.signed_date": (
        "supervisor signature date", "co signed date", "supervisor signed", "co signer signed",
        "cosigner signature date", "co signer signature date", "supervisor signed date",
    ),
    # a parent, guardian or legal representative who signs for the client (EHR columns)
    "signatures.guardian.name": (
        "guardian", "guardian name", "legal guardian", "legal guardian name", "parent guardian",
        "parent guardian name", "parent or guardian", "responsible party",
        "responsible party name", "legal representative", "legal representative name",
        "authorized representative", "personal representative",
    ),
    "signatures.guardian.relationship": (
        "guardian relationship", "relationship of guardian", "guardian relationship to client",
        "responsible party relationship", "legal representative relationship",
        "parent guardian relationship",
    ),
    "signatures.guardian.signed_date": (
        "guardian signature date", "guardian signed", "guardian signed date",
        "date guardian signed", "legal guardian signature date", "parent guardian signature date",
        "parent guardian signed", "responsible party signature date",
        "legal representative signature date",
    ),
    "services[1].type": ("service type", "session type", "treatment modality type", "service"),
    "services[1].modality": ("modality", "treatment modality", "therapy modality", "approach"),
    "services[1].session_minutes": (
        "session minutes", "session length", "session length min", "minutes", "duration min",
        "session duration",
    ),
    "services[1].frequency": ("frequency", "session frequency", "visit frequency"),
    "services[1].expected_duration": (
        "expected duration", "estimated duration", "length of treatment", "treatment duration",
        "expected length of treatment",
    ),
    "services[1].cpt_code": ("cpt", "cpt code", "service code", "procedure code"),
    "diagnoses[].code": (
        "diagnosis", "diagnoses", "dx", "dx code", "dx codes", "diagnosis code", "diagnosis codes",
        "icd 10", "icd 10 code", "icd 10 codes", "icd 10 cm", "icd 10 cm code", "icd code", "icd10",
        "all diagnoses",
        "current icd10 list", "icd10 list", "icd 10 cm code s", "diagnosis code icd 10",
        "icd10 code", "icd code 10", "dx icd10", "condition code", "problem code",
        "diagnosis icd10",
    ),
    "diagnoses[].description": (
        "dx description", "diagnosis description", "diagnosis name", "dx name", "icd description",
        "description",
        "dx id dx name", "dx name", "condition", "condition name", "problem", "problem name",
        "diagnosis text", "problem description",
    ),
    "diagnoses[].primary": (
        "primary", "is primary", "primary dx y n", "primary y n", "primary dx yn",
        "primary diagnosis yn", "is primary diagnosis", "primary diagnosis flag", "rank primary",
    ),
    "diagnoses[].provisional": ("rule out", "r o", "provisional", "rule out y n", "dx status"),
    "diagnoses[1].code": ("primary diagnosis", "primary dx", "principal diagnosis"),
    "diagnoses[2].code": ("secondary diagnosis", "secondary dx"),
    "diagnoses[3].code": ("tertiary diagnosis", "tertiary dx"),
    "measures[].instrument": (
        "instrument", "measure", "measure name", "assessment", "assessment tool", "screening",
        "screening tool", "outcome measure", "scale",
    ),
    "measures[].date": (
        "date administered", "administered", "administration date", "measure date", "score date",
        "screening date", "date completed", "administered date", "administered on",
        "completed date", "completed on", "completion date", "date of administration",
        "collected date", "observation date", "effective date", "effectivedatetime",
        "effective date time", "result date", "survey date", "questionnaire date",
        "date submitted", "submitted date", "submitted on", "measure completed date",
        "assessment completed date", "completed at",
    ),
    "measures[].total": ("score", "total score", "total", "raw score", "measure score"),
    "measures[].items": ("items", "item responses", "responses", "item scores"),
}
# fmt: on

_INSTRUMENTS = {"phq 9": "PHQ-9", "gad 7": "GAD-7", "pcl 5": "PCL-5", "audit c": "AUDIT-C"}
_I = r"(?P<i>phq 9|gad 7|pcl 5|audit c)"
_OBJ = r"(?P<s>text|measure|baseline|target|target date|frequency|status|due date|due)"
_GW = r"(?: client s words| in client s words| client words| in own words)?"
_INT = r"(?P<s>modality|description|frequency|responsible|rationale|who|provider)"
_DX = r"(?:diagnosis|dx|icd 10|icd|diag)"
_SUB = {
    "due date": "target_date",
    "due": "target_date",
    "who": "responsible",
    "provider": "responsible",
}
# (pattern over the normalized label, path template, default sub-field)
_PATTERNS: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(pattern), template, default)
    for pattern, template, default in (
        (
            _I + r" (?:item |q |question |number |no )?(?P<n>\d+)(?: score| response)?",
            "measures[{i}].items[{n}]",
            "",
        ),
        (_I + r"(?: total| score| total score| raw score)?", "measures[{i}].total", ""),
        (_I + r" (?:items|responses|item responses|item scores)", "measures[{i}].items", ""),
        (_I + r" (?:date|administered|date administered|completed)", "measures[{i}].date", ""),
        (r"date (?:of )?" + _I, "measures[{i}].date", ""),
        (_I + r" (?:severity|band|interpretation|severity band)", IGNORE, ""),
        (r"(?:item|q|question) (?P<n>\d+)", "measures[].items[{n}]", ""),
        (_DX + r" (?P<n>\d+)(?: code| codes)?", "diagnoses[{n}].code", ""),
        (_DX + r" (?P<n>\d+) (?:description|desc|name)", "diagnoses[{n}].description", ""),
        (_DX + r" (?P<n>\d+) (?:rule out|r o|provisional)", "diagnoses[{n}].provisional", ""),
        (_DX + r" (?P<n>\d+) primary", "diagnoses[{n}].primary", ""),
        (r"goal (?P<g>\d+)" + _GW, "goals[{g}].client_words", ""),
        (
            r"goal (?P<g>\d+) (?:description|clinical|clinical goal|long term goal)",
            "goals[{g}].description",
            "",
        ),
        (r"goal (?P<g>\d+) (?:problem|problem area|domain)", "goals[{g}].problem", ""),
        (
            r"(?:goal \d+ )?objective (?P<g>\d+) (?P<n>\d+)(?: " + _OBJ + ")?",
            "goals[{g}].objectives[{n}].{s}",
            "text",
        ),
        (
            r"goal (?P<g>\d+) objective (?P<n>\d+)(?: " + _OBJ + ")?",
            "goals[{g}].objectives[{n}].{s}",
            "text",
        ),
        (
            r"(?:goal \d+ )?intervention (?P<g>\d+) (?P<n>\d+)(?: " + _INT + ")?",
            "goals[{g}].interventions[{n}].{s}",
            "modality",
        ),
        (
            r"goal (?P<g>\d+) intervention (?P<n>\d+)(?: " + _INT + ")?",
            "goals[{g}].interventions[{n}].{s}",
            "modality",
        ),
    )
)


def _build() -> dict[str, str]:
    table: dict[str, str] = {}
    for path, labels in _TABLE.items():
        for label in labels:
            key = normalize(label)
            assert table.get(key, path) == path, f"alias {label!r} names two paths"
            table[key] = path
    return table


ALIASES: dict[str, str] = _build()


def _by_pattern(key: str) -> str | None:
    for pattern, template, default in _PATTERNS:
        if m := pattern.fullmatch(key):
            found = m.groupdict()
            if found.get("i"):
                found["i"] = _INSTRUMENTS[found["i"]]
            sub = found.get("s") or default
            found["s"] = _SUB.get(sub, sub).replace(" ", "_")
            return template.format(**found)
    return None


@lru_cache(maxsize=4096)
def resolve(label: str) -> str | None:
    """The model path the built-in table gives a label, or None when it knows none."""
    key = normalize(label)
    if not key:
        return None
    found = ALIASES.get(key) or _by_pattern(key)
    if found is None:
        found = resolve_item(label)  # question texts, LOINC codes, OpenEMR columns, names
    if found is None and "(" in label:
        bare = normalize(re.sub(r"\([^)]*\)", " ", label))
        found = ALIASES.get(bare) or (_by_pattern(bare) if bare else None)
    return found
