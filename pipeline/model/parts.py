"""The plan's parts: the client, what brings them, diagnoses, measures, goals, services,
safety plan, review and signatures."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from pipeline.model.base import (
    MAX_ITEMS,
    EmploymentStatus,
    ObjectiveStatus,
    Origin,
    Part,
    RiskLevel,
    ServiceType,
)
from pipeline.model.encoders import empty, remember_texts

# --- client -------------------------------------------------------------------------------


class Contact(Part):
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    emergency_contact: str | None = None


class Client(Part):
    id: str = Field(description="The practice's client identifier (client #, MRN).")
    first_name: str | None = None
    last_name: str | None = None
    middle_name: str | None = None
    preferred_name: str | None = None
    date_of_birth: dt.date | None = None
    pronouns: str | None = None
    gender_identity: str | None = None
    sex_assigned_at_birth: str | None = None
    marital_status: str | None = None
    occupation: str | None = None
    employment_status: EmploymentStatus | None = Field(
        None, description="Employed, on leave, unemployed...: work goals need 'employed'."
    )
    student: bool | None = Field(None, description="In school or college (school goals).")
    dependents: int | None = Field(
        None, ge=0, description="Children or others in the client's care (parenting goals)."
    )
    contact: Contact = Contact()
    payer_name: str | None = Field(None, description="Insurance or funding source.")
    member_id: str | None = None
    group_number: str | None = None

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.first_name or ""
        return " ".join(p for p in (first, self.last_name) if p) or self.id


# --- what brings the client ----------------------------------------------------------------


class PresentingProblem(Part):
    client_words: str | None = Field(None, description="The problem in the client's own words.")
    description: str | None = None
    onset: str | None = Field(None, description="When it began (free text or ISO date).")
    functional_impact: str | None = None
    what_would_be_different: str | None = Field(
        None, description="What would be different if things were better (client's words)."
    )


class Assessment(Part):
    symptoms: tuple[str, ...] = Field((), max_length=MAX_ITEMS)
    strengths: tuple[str, ...] = Field((), max_length=MAX_ITEMS)
    challenges: tuple[str, ...] = Field((), max_length=MAX_ITEMS)
    mental_status: str | None = None
    substance_use: str | None = None
    prognosis: str | None = None


class Risk(Part):
    suicidal_ideation: bool = False
    homicidal_ideation: bool = False
    self_harm: bool = False
    level: RiskLevel | None = None
    cssrs_positive: bool = Field(False, description="A positive C-SSRS screen.")
    means_access: bool = Field(False, description="Access to lethal means (firearm, pills).")
    notes: str | None = None
    safety_plan_required: bool = False


class Diagnosis(Part):
    code: str = Field(description="ICD-10-CM code with its dot, e.g. F41.1.")
    description: str | None = None
    primary: bool = False
    provisional: bool = Field(False, description="Diagnostic uncertainty: rule-out/provisional.")
    billable: bool | None = Field(None, description="A leaf code that can be billed.")
    notes: str | None = None


class Formulation(Part):
    """The 5 P's case formulation."""

    presenting: str | None = None
    predisposing: str | None = None
    precipitating: str | None = None
    perpetuating: str | None = None
    protective: str | None = None


class Measure(Part):
    instrument: str = Field(description='Canonical name: "PHQ-9", "GAD-7", "PCL-5", "AUDIT-C".')
    date: dt.date | None = None
    items: tuple[int, ...] = Field((), max_length=MAX_ITEMS)
    total: int | None = None
    severity: str | None = None


# --- goals -------------------------------------------------------------------------------


class Objective(Part):
    id: str
    text: str
    measure: str | None = Field(None, description="Instrument or observable count.")
    baseline: str | None = None
    baseline_date: dt.date | None = Field(
        None, description="When the baseline was measured: on or before the plan date."
    )
    target: str | None = None
    target_date: dt.date | None = None
    frequency: str | None = None
    status: ObjectiveStatus = ObjectiveStatus.NOT_STARTED
    origin: Origin = Origin.CLINICIAN
    bank_id: str | None = None


class Intervention(Part):
    id: str
    modality: str
    description: str | None = None
    frequency: str | None = None
    responsible: str | None = None
    rationale: str | None = None
    origin: Origin = Origin.CLINICIAN
    bank_id: str | None = None


class Goal(Part):
    id: str
    client_words: str = Field(description="The goal as the client says it.")
    description: str | None = Field(None, description="The clinical long-term goal.")
    problem: str | None = None
    problem_definition: str | None = None
    diagnosis_codes: tuple[str, ...] = Field((), max_length=MAX_ITEMS)
    objectives: tuple[Objective, ...] = Field((), max_length=MAX_ITEMS)
    interventions: tuple[Intervention, ...] = Field((), max_length=MAX_ITEMS)
    origin: Origin = Origin.CLINICIAN
    bank_id: str | None = None


#: Shared by many plans: the merge's filled bank parts (a plan's own are freed with it).
remember_texts(Objective, Intervention, Goal, shared=("origin", Origin.BANK))

# --- services, safety, review, signatures ---------------------------------------------------


class Service(Part):
    type: ServiceType = ServiceType.INDIVIDUAL
    modality: str | None = None
    session_minutes: int | None = None
    frequency: str | None = Field(None, description='e.g. "weekly", "2x per month".')
    expected_duration: str | None = Field(None, description='e.g. "16 weeks", "6 months".')
    cpt_code: str | None = None


class SafetyPlan(Part):
    """Stanley-Brown style safety plan."""

    warning_signs: tuple[str, ...] = Field((), max_length=MAX_ITEMS)
    coping_strategies: tuple[str, ...] = Field((), max_length=MAX_ITEMS)
    people_and_places: tuple[str, ...] = Field(
        (), max_length=MAX_ITEMS, description="People and places to distract."
    )
    people_to_ask: tuple[str, ...] = Field((), max_length=MAX_ITEMS)
    professionals: tuple[str, ...] = Field(
        (), max_length=MAX_ITEMS, description="Professionals and crisis lines."
    )
    means_safety: str | None = None
    reasons_for_living: str | None = None


#: The safety plan's sections, in order: the names goal banks and payer rules refer to.
SAFETY_PLAN_SECTIONS = tuple(SafetyPlan.model_fields)


class Review(Part):
    interval_days: int = 90
    next_review_date: dt.date | None = None
    last_review_date: dt.date | None = None
    recertified_from: dt.date | None = Field(
        None,
        description="The first day of the period a review recertified the plan for (the day "
        "after the previous certification period ended, or the review date when that period "
        "had ended before it); none: the plan date (txplan revise sets it).",
        exclude_if=empty,  # written only when set (see pipeline.model)
    )


class Signer(Part):
    name: str | None = None
    credentials: str | None = None
    role: str | None = None
    npi: str | None = None
    signed_date: dt.date | None = None
    relationship: str | None = Field(
        None, description='A guardian\'s relation to the client ("mother", "legal guardian").'
    )


class Signatures(Part):
    clinician: Signer = Signer()
    client: Signer = Signer()
    client_unsigned_reason: str | None = Field(
        None, description="Why the client did not sign (documented reason)."
    )
    supervisor: Signer | None = Field(None, description="Supervisor or co-signer.")
    guardian: Signer | None = Field(
        None,
        description="Parent, guardian or legal representative who signs for the client "
        "(a minor, or an adult with a guardian); naming one records that the client has one.",
    )
