"""The README sheet: how to edit the workbook, every sheet, column and placeholder."""

from __future__ import annotations

#: name -> meaning; the only placeholders an objective template may use.
PLACEHOLDERS = (
    ("{measure}", "The instrument (PHQ-9) or the observable count (panic attacks per week)."),
    (
        "{baseline}",
        "Instrument: the client's intake score. Count: the Objectives 'baseline' "
        "cell (by default the weeks 1-2 log average).",
    ),
    (
        "{target}",
        "Instrument: computed from MeasureRules for the client's severity band, "
        "e.g. '9 or lower'. Count: the Objectives 'target' cell.",
    ),
    (
        "{target_date}",
        "Plan date + the objective's due_days (blank: the review interval, 90 "
        "days unless the payer or agency says otherwise), written as 'June 1, 2025'.",
    ),
    ("{weeks}", "Weeks from the plan date to the target date."),
    ("{frequency}", "How often: the first selected intervention's typical frequency."),
)

TEXT = (
    (
        "What this is",
        "The txplan goal bank: problems, goals, SMART objective templates and "
        "interventions by diagnosis family, read by `txplan plan`. Edit it in Excel; run "
        "`txplan goalbank lint goalbank.xlsx` after every change (exit 0 = clean).",
    ),
    (
        "How rows are chosen",
        "For each diagnosis, the families whose ICD-10-CM codes match; "
        "domains also match presenting-problem keywords. Rows are in priority order: higher rows "
        "win ties. Instrument objectives are used only when the intake has that score; at most "
        "one objective per measure in a goal.",
    ),
    (
        "Ids",
        "Ids are permanent: plans keep them as bank_id and as item ids, so a later version "
        "of the bank keeps the same ids. Never reuse an id for different content; add new ids.",
    ),
    (
        "Lists",
        "Cells holding several values (icd10, family_ids, keywords) separate them with semicolons.",
    ),
    (
        "Families",
        "family_id; name; kind (diagnosis, domain or safety); icd10: codes, prefixes "
        "(F40.1*) or ranges (F32.0-F32.9); keywords (domains); notes.",
    ),
    (
        "Problems",
        "problem_id; family_ids (a problem shared by several families appears once "
        "in a plan); name; behavioral definition; keywords that raise its relevance; presumes "
        "(optional: employed, student, parent; the problem is planned only when the intake "
        "says the client's situation fits).",
    ),
    (
        "Goals",
        "goal_id; problem_id; client_words (the goal as a client says it); "
        "clinical_goal (the long-term goal).",
    ),
    (
        "Objectives",
        "objective_id; goal_id; text (a template, placeholders below); measure (an "
        "Instruments name for kind=instrument, else what is counted); kind (instrument or count); "
        "direction (up or down); baseline and target (counts only; instruments compute them); "
        "due_days (blank = the review interval); keywords.",
    ),
    (
        "Interventions",
        "intervention_id; problem_id; modality; description (one line); "
        "frequency (typical); evidence (a short note with a source); requires_family "
        "(optional: diagnosis families a client must have to be offered it, for a treatment "
        "made for one disorder, e.g. BPD for mentalization-based treatment); "
        "alternative_group (optional: interventions with the same group name are alternatives, "
        "e.g. the trauma-focused therapies CPT, prolonged exposure and EMDR; a plan carries one "
        "of them: the one the intake names, else the group's first row for the problem); "
        "ages (optional: the client ages it is offered at, whole years on the plan date, "
        "both ends included: 0-17 for a child's or adolescent's treatment such as parent "
        "coaching, 18- for an adult's; blank: any age; never offered when the age is unknown).",
    ),
    ("Instruments", "instrument; full_name; min_score; max_score; lower_means."),
    (
        "MeasureRules",
        "One row per instrument and severity band, covering the whole score "
        "range. rule: none (no score target), at_or_below N (e.g. remission), "
        "percent_reduction P (response), points_reduction N (reliable change). The target is "
        "never below min_score; when it would not be below the baseline, the objective is not "
        "used.",
    ),
    (
        "SafetyPlan",
        "The skeleton used when risk.safety_plan_required is set and the intake "
        "has no safety plan. section is a safety-plan field (warning_signs, coping_strategies, "
        "people_and_places, people_to_ask, professionals, means_safety, reasons_for_living). "
        "Entries starting '[Complete with the client]' are flagged for the clinician.",
    ),
    ("Placeholders", "Only these may appear in Objectives text, in braces:"),
)
