"""The plan itself, with the review that made its version and where its values were read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from pipeline.model.base import MAX_ITEMS, SCHEMA_VERSION, ObjectiveStatus, Part
from pipeline.model.encoders import empty, remember_tails
from pipeline.model.parts import (
    Assessment,
    Client,
    Diagnosis,
    Formulation,
    Goal,
    Measure,
    PresentingProblem,
    Review,
    Risk,
    SafetyPlan,
    Service,
    Signatures,
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
        exclude_if=empty,  # written only when it holds something (see pipeline.model)
    )
    part: int | None = Field(
        None,
        ge=2,
        description="A later file of the same review that made this version (2, 3, ...), set "
        "only when the version's documents would otherwise take the name of the version "
        "before (a file adding progress notes alone): see pipeline.versions.naming.",
        exclude_if=empty,  # written only when set (see pipeline.model)
    )


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


#: A plan's field sources share their file, sheet and row (one intake row): encoded once.
remember_tails(Source, "file")


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
    unrecorded: tuple[str, ...] = Field(
        (),
        max_length=MAX_ITEMS,
        description="Goal fields the source system has no place for (`goals[].problem`, "
        "`goals[].description`): the merge names them from the goal bank, said once for the "
        "file (IN045), not as a warning on every plan.",
        exclude_if=empty,  # written only when it holds something (see pipeline.model)
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
        exclude_if=empty,  # written only when it holds something (see pipeline.model)
    )

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
