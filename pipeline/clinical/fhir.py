"""FHIR R4 vocabulary txplan reads and writes: code systems, LOINC codes, extension URLs.

Shared by the FHIR reader and writer so that a bundle txplan writes reads back the same.
LOINC codes are the ones LOINC publishes for the instruments' totals and panels (PHQ-9
44261-6 in panel 44249-1, GAD-7 70274-6 in 69737-5, AUDIT-C 75626-2 in 72109-2); the PCL-5
has no LOINC total code here, so it is written as text only.
"""

from __future__ import annotations

from pipeline.clinical.vocabulary import LOINC_ITEMS, LOINC_PANELS, LOINC_TOTALS

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
ICD9CM = "http://hl7.org/fhir/sid/icd-9-cm"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
NPI = "http://hl7.org/fhir/sid/us-npi"
CPT = "http://www.ama-assn.org/go/cpt"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CAREPLAN_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/careplan-category"
GOAL_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
PROVENANCE_AGENT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
SIGNATURE_TYPE = "urn:iso-astm:E1762-95:2013"
BIRTH_SEX = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex"
GENDER_IDENTITY = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-genderIdentity"
PRONOUNS = "http://hl7.org/fhir/StructureDefinition/individual-pronouns"
GOAL_RELATIONSHIP = "http://hl7.org/fhir/StructureDefinition/goal-relationship"

#: txplan's own extensions, for what FHIR has no element for (documented in the README).
TXPLAN = "https://txplan.example/fhir/StructureDefinition/"
EXT_PRIMARY = TXPLAN + "primary-diagnosis"
EXT_RULE_OUT = TXPLAN + "rule-out"
EXT_BASELINE = TXPLAN + "objective-baseline"
EXT_BASELINE_DATE = TXPLAN + "objective-baseline-date"
EXT_FREQUENCY = TXPLAN + "objective-frequency"
EXT_TARGET_TEXT = TXPLAN + "objective-target"
EXT_ITEM_ID = TXPLAN + "item-id"
EXT_ORIGIN = TXPLAN + "origin"
EXT_RATIONALE = TXPLAN + "rationale"
EXT_SERVICE = TXPLAN + "service"
EXT_PROBLEM = TXPLAN + "problem"
EXT_PROBLEM_DEFINITION = TXPLAN + "problem-definition"
EXT_BANK_ID = TXPLAN + "goal-bank-id"
EXT_OCCUPATION = TXPLAN + "occupation"
EXT_UNSIGNED_REASON = TXPLAN + "client-unsigned-reason"
EXT_RISK_FLAG = TXPLAN + "risk-flag"
RISK_PROBABILITY = "http://terminology.hl7.org/CodeSystem/risk-probability"
CONTACT_ROLE = "http://terminology.hl7.org/CodeSystem/v2-0131"
#: Coverage.class.type (R4 "Coverage Class Codes"): "group" carries the group number
COVERAGE_CLASS = "http://terminology.hl7.org/CodeSystem/coverage-class"
DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
#: SNOMED CT 425268008 "Review of care plan": the code C-CDA's Care Plan uses for a review
#: (a date in the past: a review that took place; in the future: the next scheduled review).
#: txplan writes each review as a CarePlan activity with this code (writers/fhir/careplan.py).
REVIEW_CODE = "425268008"
REVIEW_DISPLAY = "Review of care plan"

#: instrument -> LOINC total code, panel code; item codes by (instrument, number)
TOTAL_CODE: dict[str, str] = {name: code for code, name in LOINC_TOTALS.items()}
PANEL_CODE: dict[str, str] = {name: code for code, name in LOINC_PANELS.items()}
ITEM_CODE: dict[tuple[str, int], str] = {key: code for code, key in LOINC_ITEMS.items()}
TOTAL_DISPLAY = {
    "PHQ-9": "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
    "GAD-7": "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
    "AUDIT-C": "Total score [AUDIT-C]",
}

#: objective status -> Goal.achievementStatus code
ACHIEVEMENT = {
    "not_started": "no-progress",
    "in_progress": "in-progress",
    "met": "achieved",
    "partially_met": "improving",
    "not_met": "not-achieved",
    "discontinued": "not-achieved",
}
