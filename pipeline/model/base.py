"""The model's foundations: schema version, item bound, stable names, the base part, enums."""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Self

from pydantic import BaseModel, ConfigDict

from pipeline.model.build import new, plain, put_dict, put_extra, put_fields, put_private
from pipeline.model.reads import plain_reads

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

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Each part class reads its attributes as a plain object does (see
        :mod:`pipeline.model.reads`: a part has no private or extra members)."""
        super().__pydantic_init_subclass__(**kwargs)
        plain_reads(cls)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """pydantic's ``model_copy`` (no validation of ``update``), the shallow copy made
        without its generic steps: a part has no extra or private members to copy."""
        cls = type(self)
        if deep or self.__pydantic_private__ is not None or self.__pydantic_extra__:
            return super().model_copy(update=update, deep=deep)
        if cls not in _PLAIN:
            _PLAIN[cls] = plain(cls)
        if not _PLAIN[cls]:
            return super().model_copy(update=update, deep=deep)
        copied = new(cls)
        if update:
            put_dict(copied, {**self.__dict__, **update})
            put_fields(copied, self.__pydantic_fields_set__ | update.keys())
        else:
            put_dict(copied, self.__dict__.copy())
            put_fields(copied, self.__pydantic_fields_set__.copy())
        put_extra(copied, None)
        put_private(copied, None)
        return copied


plain_reads(Part)
#: Part classes by whether :func:`pipeline.model.build.plain` holds for them.
_PLAIN: dict[type, bool] = {}


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
