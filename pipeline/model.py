"""The canonical treatment plan: the only contract between readers, merge, rules and writers.

Every part is an immutable pydantic model; sequences are tuples. Change a plan with
``plan.model_copy(update=...)`` (or :func:`replace`), never in place. The JSON form carries
``schema_version``; names listed in ``STABLE_FIELDS`` are public and will not change within a
major version.
Lists added after 1.0 (``Plan.reviews``, ``Revision.progress``) are written only when they hold
something, so the JSON and the content hash of a plan that has none are what they were before.
"""

from __future__ import annotations

import datetime as dt
import os
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

SCHEMA_VERSION = "1.0"
#: Entries one list of a plan may hold (goals, objectives, measures...), checked as the plan
#: is validated; raise it with ``TXPLAN_LIMIT_PLAN_ITEMS`` (see pipeline/bounded.py).
MAX_ITEMS = int(os.environ.get("TXPLAN_LIMIT_PLAN_ITEMS") or 1_000)

#: Field paths other tools may rely on (see README, "The plan model").
STABLE_FIELDS = (
    "client.id",
    "client.first_name",
    "client.last_name",
    "client.date_of_birth",
    "client.pronouns",
    "intake_date",
    "diagnoses[].code",
    "diagnoses[].description",
    "diagnoses[].billable",
    "measures[].instrument",
    "measures[].total",
    "measures[].severity",
    "risk.safety_plan_required",
    "goals[].objectives[].target_date",
)


class Part(BaseModel):
    """Base of every model part: immutable, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Origin(StrEnum):
    """Who wrote an item: the clinician (intake) or the goal bank (merge)."""

    CLINICIAN = "clinician"
    BANK = "bank"


class ObjectiveStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    MET = "met"
    PARTIALLY_MET = "partially_met"
    NOT_MET = "not_met"
    DISCONTINUED = "discontinued"


class ServiceType(StrEnum):
    INDIVIDUAL = "individual"
    GROUP = "group"
    FAMILY = "family"
    COUPLES = "couples"


class EmploymentStatus(StrEnum):
    """The client's work situation, as intake records it."""

    EMPLOYED = "employed"
    ON_LEAVE = "on_leave"
    UNEMPLOYED = "unemployed"
    RETIRED = "retired"
    NOT_IN_LABOR_FORCE = "not_in_labor_force"


class RiskLevel(StrEnum):
    NONE = "none"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


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


# --- revision -----------------------------------------------------------------------------


class RevisionChange(Part):
    """Why one item changed at a review; ``target`` is the item's stable id (goal, objective,
    intervention id, ``measure:PHQ-9``, ``diagnosis:F41.1``)."""

    target: str
    change: str = Field(description='What changed, e.g. "status met", "added from the bank".')
    rationale: str


class ObjectiveProgress(Part):
    """One objective as a review found it: its status after the review and the progress note."""

    objective: str = Field(description="The objective's stable id.")
    status: ObjectiveStatus
    note: str | None = Field(None, description="The clinician's progress note at the review.")


def _omit_empty(data: Any, *names: str) -> Any:
    """``data`` without the named members that are empty lists (see the module docstring)."""
    if isinstance(data, dict):
        for name in names:
            if name in data and not data[name]:
                del data[name]
    return data


class Revision(Part):
    """The review that made this version of the plan, with the rationale of each change."""

    date: dt.date | None = None
    reviewer: str | None = None
    reason: str | None = None
    changes: tuple[RevisionChange, ...] = Field((), max_length=MAX_ITEMS)
    progress: tuple[ObjectiveProgress, ...] = Field(
        (),
        max_length=MAX_ITEMS,
        description="Every objective's status after a progress review, with its progress note.",
    )

    @model_serializer(mode="wrap")
    def _serialize(self, handler: SerializerFunctionWrapHandler) -> Any:
        return _omit_empty(handler(self), "progress")


# --- provenance --------------------------------------------------------------------------


class Source(Part):
    """Where a value came from."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    page: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet is not None:
            parts.append(f'sheet "{self.sheet}"')
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f'column "{self.column}"')
        if self.field is not None:
            parts.append(f'field "{self.field}"')
        return ", ".join(parts)


class Provenance(Part):
    sources: tuple[Source, ...] = Field(
        (), max_length=MAX_ITEMS, description="Records (rows, forms) the plan came from."
    )
    fields: dict[str, Source] = Field(
        default_factory=dict, description="Model path (client.first_name) -> where it was read."
    )
    icd10cm: str | None = Field(
        None,
        description="The ICD-10-CM release the plan's codes were checked against, as "
        "`txplan icd10 --release` prints it.",
    )


# --- the plan ---------------------------------------------------------------------------


class Plan(Part):
    schema_version: str = SCHEMA_VERSION
    client: Client
    intake_date: dt.date | None = None
    plan_date: dt.date | None = None
    presenting_problem: PresentingProblem = PresentingProblem()
    assessment: Assessment = Assessment()
    risk: Risk = Risk()
    diagnoses: tuple[Diagnosis, ...] = Field((), max_length=MAX_ITEMS)
    formulation: Formulation = Formulation()
    measures: tuple[Measure, ...] = Field((), max_length=MAX_ITEMS)
    goals: tuple[Goal, ...] = Field((), max_length=MAX_ITEMS)
    services: tuple[Service, ...] = Field((), max_length=MAX_ITEMS)
    safety_plan: SafetyPlan | None = None
    review: Review = Review()
    signatures: Signatures = Signatures()
    provenance: Provenance = Provenance()
    revision: Revision | None = Field(
        None, description="The review that made this version (set by txplan revise)."
    )
    reviews: tuple[Revision, ...] = Field(
        (),
        max_length=MAX_ITEMS,
        description="Every progress review recorded on this plan, oldest first (txplan revise "
        "adds each); the payer documents print them (the ISP's 90/180/270-day columns).",
    )

    @model_serializer(mode="wrap")
    def _serialize(self, handler: SerializerFunctionWrapHandler) -> Any:
        return _omit_empty(handler(self), "reviews")

    @property
    def primary_diagnosis(self) -> Diagnosis | None:
        for dx in self.diagnoses:
            if dx.primary:
                return dx
        return self.diagnoses[0] if self.diagnoses else None

    def baseline_measure(self, instrument: str) -> Measure | None:
        """The baseline administration of an instrument: the one on or nearest before the
        plan date (the intake date when there is none), never a later one (a score measured
        after the plan is progress, not a baseline); undated ones only when none is dated
        (then the first). None when there is none."""
        found = [m for m in self.measures if m.instrument == instrument]
        dated = sorted((m for m in found if m.date), key=lambda m: m.date or dt.date.min)
        if not dated:
            return found[0] if found else None
        on = self.plan_date or self.intake_date
        before = [m for m in dated if on is None or (m.date or dt.date.min) <= on]
        return before[-1] if before else None

    @property
    def as_of(self) -> dt.date | None:
        """The date a document of this plan speaks for: the plan date (the intake date when
        there is none), or the last recorded review when that is later; None when undated."""
        on = self.plan_date or self.intake_date
        last = self.review.last_review_date
        if on is None or last is None:
            return on or last
        return max(on, last)

    def measures_known(self) -> tuple[Measure, ...]:
        """The administrations known on :attr:`as_of`: a score dated after it is progress a
        later review reports, never part of this plan (undated ones are kept: MERGE024)."""
        on = self.as_of
        if on is None or all(m.date is None or m.date <= on for m in self.measures):
            return self.measures
        return tuple(m for m in self.measures if m.date is None or m.date <= on)

    def latest_measure(self, instrument: str) -> Measure | None:
        """The most recent administration of an instrument (undated ones count as oldest)."""
        found = [m for m in self.measures if m.instrument == instrument]
        if not found:
            return None
        return max(enumerate(found), key=lambda im: (im[1].date or dt.date.min, im[0]))[1]


def replace(part: Part, **changes: Any) -> Any:
    """A copy of an immutable part with some fields changed (validated)."""
    return type(part).model_validate({**dict(part), **changes})


def plan_json_schema() -> dict[str, Any]:
    """The JSON Schema of the plan's JSON form."""
    schema = Plan.model_json_schema()
    schema["$id"] = f"https://txplan.example/schema/plan-{SCHEMA_VERSION}.json"
    schema["title"] = "txplan treatment plan"
    return schema
