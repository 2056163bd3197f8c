"""Writes good.json and one plan per broken rule into this folder (run on purpose, then diff).

Usage: .venv/bin/python tests/data/rules/make_cases.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

GOOD: dict[str, Any] = {
    "schema_version": "1.0",
    "client": {
        "id": "R-100",
        "first_name": "Alex",
        "last_name": "Rivera",
        "date_of_birth": "1990-04-12",
        "pronouns": "they/them",
        "member_id": "ZZ123456789",
        "group_number": "BP-4471",
    },
    "intake_date": "2026-01-05",
    "plan_date": "2026-01-20",
    "presenting_problem": {
        "client_words": "I worry all the time and can't sleep.",
        "functional_impact": "Missed 6 work days in the last month; stopped seeing friends.",
        "what_would_be_different": "I'd sleep through the night and go back to my running club.",
    },
    "assessment": {
        "symptoms": ["excessive worry", "insomnia", "low mood"],
        "strengths": ["supportive partner", "motivated for treatment"],
        "prognosis": "Good with weekly CBT and consistent attendance.",
    },
    "risk": {"suicidal_ideation": True, "level": "low", "safety_plan_required": True},
    "diagnoses": [
        {"code": "F41.1", "description": "Generalized anxiety disorder", "primary": True},
        {"code": "F32.1", "description": "Major depressive disorder, single episode, moderate"},
    ],
    "formulation": {
        "presenting": "Chronic worry and insomnia with low mood.",
        "predisposing": "Family history of anxiety.",
        "precipitating": "Job loss in October 2025.",
        "perpetuating": "Avoidance of social contact and irregular sleep schedule.",
        "protective": "Supportive partner; regular exercise before the job loss.",
    },
    "measures": [
        {"instrument": "GAD-7", "date": "2026-01-05", "total": 15, "severity": "severe"},
        {"instrument": "PHQ-9", "date": "2026-01-05", "total": 12, "severity": "moderate"},
    ],
    "goals": [
        {
            "id": "G1",
            "client_words": "I want to stop worrying so much that I can't sleep.",
            "description": "Reduce generalized anxiety symptoms to the mild range.",
            "problem": "Anxiety",
            "diagnosis_codes": ["F41.1"],
            "objectives": [
                {
                    "id": "G1.O1",
                    "text": "Reduce GAD-7 score from 15 to 9 or below.",
                    "measure": "GAD-7",
                    "baseline": "15",
                    "target": "9 or below",
                    "target_date": "2026-04-15",
                    "frequency": "every 2 weeks",
                },
                {
                    "id": "G1.O2",
                    "text": "Practice diaphragmatic breathing at least 5 days a week.",
                    "measure": "days practised per week (self-report log)",
                    "baseline": "0",
                    "target": "5",
                    "target_date": "2026-03-01",
                },
            ],
            "interventions": [
                {
                    "id": "G1.I1",
                    "modality": "CBT",
                    "description": "Cognitive restructuring of worry thoughts.",
                    "frequency": "weekly",
                    "responsible": "Maya Okafor, LCSW",
                    "rationale": "CBT is a first-line treatment for generalized anxiety.",
                }
            ],
        },
        {
            "id": "G2",
            "client_words": "I want to stay safe when things get dark.",
            "description": "Keep safe with a written safety plan and risk checked every session.",
            "problem": "Suicide risk",
            "objectives": [
                {
                    "id": "G2.O1",
                    "text": "Complete a C-SSRS screen at every session through April 15, 2026.",
                    "measure": "sessions with a C-SSRS screen",
                    "baseline": "the intake screen",
                    "target": "every session",
                    "target_date": "2026-04-15",
                }
            ],
            "interventions": [
                {
                    "id": "G2.I1",
                    "modality": "Safety planning intervention",
                    "description": "Stanley-Brown safety plan, reviewed every session.",
                    "frequency": "every session",
                    "responsible": "Maya Okafor, LCSW",
                    "rationale": "Reduces suicidal behavior (Stanley et al., 2018).",
                }
            ],
        },
    ],
    "services": [
        {
            "type": "individual",
            "modality": "CBT",
            "session_minutes": 53,
            "frequency": "weekly",
            "expected_duration": "16 weeks",
            "cpt_code": "90837",
        }
    ],
    "safety_plan": {
        "warning_signs": ["staying in bed all day"],
        "coping_strategies": ["walk the dog", "breathing exercise"],
        "people_and_places": ["the climbing gym", "coffee with my sister Dana"],
        "people_to_ask": ["partner"],
        "professionals": ["988 Suicide & Crisis Lifeline", "Maya Okafor, LCSW: 555-0142"],
        "means_safety": "Medications kept by partner.",
    },
    "review": {"interval_days": 90, "next_review_date": "2026-04-20"},
    "signatures": {
        "clinician": {
            "name": "Maya Okafor",
            "credentials": "LCSW",
            "npi": "1143044323",
            "signed_date": "2026-01-20",
        },
        "client": {"name": "Alex Rivera", "signed_date": "2026-01-20"},
    },
}


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted path; list positions count from 1 (goals.1.objectives.2.target_date)."""
    parts = path.split(".")
    node: Any = data
    for part in parts[:-1]:
        node = node[int(part) - 1] if isinstance(node, list) else node[part]
    last = parts[-1]
    if isinstance(node, list):
        node[int(last) - 1] = value
    else:
        node[last] = value


#: file stem -> changes (dotted path -> new value) that break exactly one rule.
CASES: dict[str, dict[str, Any]] = {
    "TXR001-not-a-code": {"diagnoses.1.code": "F99.9"},
    "TXR001-category-not-billable": {"diagnoses.2.code": "F32"},
    "TXR001-no-diagnoses": {"diagnoses": []},
    "TXR001-provisional-primary": {"diagnoses.1.provisional": True},
    "TXR002-no-goals": {"goals": []},
    "TXR003-objective-no-target-date": {"goals.1.objectives.2.target_date": None},
    "TXR003-goal-without-objectives": {"goals.1.objectives": []},
    "TXR003-objective-no-baseline": {"goals.1.objectives.1.baseline": None},
    "TXR003-objective-vague": {"goals.1.objectives.2.text": "Client will improve coping."},
    "TXR004-intervention-no-frequency": {"goals.1.interventions.1.frequency": None},
    "TXR004-intervention-no-responsible": {"goals.1.interventions.1.responsible": None},
    "TXR004-intervention-no-rationale": {"goals.1.interventions.1.rationale": None},
    "TXR005-no-services": {"services": []},
    "TXR005-service-no-session-length": {"services.1.session_minutes": None},
    "TXR005-duration-one-year": {"services.1.expected_duration": "12 months"},
    "TXR005-duration-unreadable": {"services.1.expected_duration": "until better"},
    "TXR006-session-too-short": {"services.1.session_minutes": 10},
    "TXR007-plan-late": {"plan_date": "2026-02-20", "review.next_review_date": "2026-05-15"},
    "TXR007-no-intake-date": {"intake_date": None},
    "TXR008-review-too-late": {"review.next_review_date": "2026-06-30"},
    "TXR008-no-review-date": {"review.next_review_date": None},
    "TXR009-client-unsigned-with-reason": {
        "signatures.client.signed_date": None,
        "signatures.client_unsigned_reason": "Client declined to sign; plan reviewed verbally.",
    },
    "TXR009-client-unsigned": {"signatures.client.signed_date": None},
    "TXR009-minor-without-guardian": {"client.date_of_birth": "2009-03-02"},
    "TXR009-guardian-not-signed": {
        "signatures.guardian": {"name": "Dana Rivera", "relationship": "legal guardian"},
    },
    "TXR010-no-credentials": {"signatures.clinician.credentials": None},
    "TXR010-associate-without-supervisor": {
        "signatures.clinician.name": "Jordan Ellis",
        "signatures.clinician.credentials": "LPC-Associate",
        "signatures.clinician.npi": "1344010743",
    },
    "TXR010-not-recognized-by-medicare": {"signatures.clinician.credentials": "CADC"},
    "TXR010-no-npi": {"signatures.clinician.npi": None},
    "TXR011-no-safety-plan": {"safety_plan": None},
    "TXR011-safety-plan-incomplete": {"safety_plan.professionals": []},
    "TXR011-safety-plan-skeleton": {
        "safety_plan.warning_signs": ["[Complete with the client] Thoughts that signal a crisis."]
    },
    "TXR011-no-safety-goal": {"goals.2.problem": "Sleep"},
    "TXR011-phq9-item9-no-safety-plan": {
        "risk": {},
        "safety_plan": None,
        "measures.2.items": [2, 2, 1, 1, 1, 1, 1, 1, 2],
    },
    "TXR012-formulation-missing-perpetuating": {"formulation.perpetuating": None},
    "TXR013-goal-words-copied": {
        "goals.1.client_words": "Reduce generalized anxiety symptoms to the mild range."
    },
    "TXR014-no-scored-measures": {"measures": []},
    "TXR014-measure-without-total": {"measures.1.total": None, "measures.2.total": None},
    "TXR015-no-member-id": {"client.member_id": None},
    "TXR015-no-functional-impact": {"presenting_problem.functional_impact": None},
    "TXR015-no-prognosis": {"assessment.prognosis": None},
    "TXR016-too-many-sessions": {"services.1.expected_duration": "40 weeks"},
    "TXR016-frequency-unreadable": {"services.1.frequency": "as needed"},
    "TXR018-clinician-not-signed": {"signatures.clinician.signed_date": None},
    # a month past the next review (2026-04-20): outside the period an authorization requests
    "TXR019-target-after-period": {"goals.2.objectives.1.target_date": "2026-05-20"},
    # the same date on a plan of care: after the certification period (through 2026-04-19)
    "TXR032-target-after-certification": {"goals.2.objectives.1.target_date": "2026-05-20"},
    # the GAD-7 baseline (15) given undated, as RC-1077's intake questionnaire gives it
    "TXR022-baseline-undated": {"measures.1.date": None},
    # the clinician's weekly CBT beside sessions every other week (CT-1004's shape)
    "TXR024-intervention-more-often-than-sessions": {"services.1.frequency": "every other week"},
    "TXR018-cosigner-not-signed": {
        "signatures.clinician": {
            "name": "Jordan Ellis",
            "credentials": "LPC-Associate",
            "npi": "1344010743",
            "signed_date": "2026-01-20",
        },
        "signatures.supervisor": {
            "name": "Maya Okafor",
            "credentials": "LCSW",
            "npi": "1143044323",
        },
    },
    # payer identity: the test renders these for the payer named in tests/rules/test_rules.py
    "TXR017-medicare-with-ohp-id": {
        "client.payer_name": "Oregon Health Plan",
        "client.member_id": "OHP4471920",
    },
    "TXR017-mbi-malformed": {"client.payer_name": "Medicare", "client.member_id": "5KA2-PL9-RR03"},
    "TXR017-medicaid-with-bluepeak-id": {
        "client.payer_name": "Oregon Health Plan",
        "client.member_id": "BPH-5521-0098",
    },
    "TXR017-bluepeak-with-ohp-id": {
        "client.payer_name": "BluePeak Health",
        "client.member_id": "OHP4471920",
    },
}


def main() -> None:
    def write(name: str, data: dict[str, Any]) -> None:
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        (HERE / f"{name}.json").write_text(text, encoding="utf-8")

    write("good", GOOD)
    for name, changes in CASES.items():
        data = json.loads(json.dumps(GOOD))
        for path, value in changes.items():
            _set(data, path, value)
        write(name, data)


if __name__ == "__main__":
    main()
