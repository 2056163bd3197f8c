"""The canonical treatment plan: the only contract between readers, merge, rules and writers.

Every part is an immutable pydantic model; sequences are tuples. Change a plan with
``plan.model_copy(update=...)`` (or :func:`replace`), never in place. The JSON form carries
``schema_version``; names listed in ``STABLE_FIELDS`` are public and will not change within a
major version.
Lists added after 1.0 (``Plan.reviews``, ``Revision.progress``) are written only when they hold
something, so the JSON and the content hash of a plan that has none are what they were before.

The package: :mod:`.base` (schema version, bounds, the base part, enums), :mod:`.parts` (the
plan's parts), :mod:`.plan` (the plan, its revision and provenance), :mod:`.canonical` (the
canonical JSON a version's content hash is taken of) with :mod:`.encoders` (each part class's
generated encoder). Import every name from here.
"""

from pipeline.model.base import (
    MAX_ITEMS,
    SCHEMA_VERSION,
    STABLE_FIELDS,
    EmploymentStatus,
    ObjectiveStatus,
    Origin,
    Part,
    RiskLevel,
    ServiceType,
)
from pipeline.model.parts import (
    SAFETY_PLAN_SECTIONS,
    Assessment,
    Client,
    Contact,
    Diagnosis,
    Formulation,
    Goal,
    Intervention,
    Measure,
    Objective,
    PresentingProblem,
    Review,
    Risk,
    SafetyPlan,
    Service,
    Signatures,
    Signer,
)
from pipeline.model.plan import (
    ObjectiveProgress,
    Plan,
    Provenance,
    Revision,
    RevisionChange,
    Source,
    plan_json_schema,
    replace,
)

__all__ = [
    "MAX_ITEMS", "SAFETY_PLAN_SECTIONS", "SCHEMA_VERSION", "STABLE_FIELDS", "Assessment",
    "Client", "Contact", "Diagnosis", "EmploymentStatus", "Formulation", "Goal",
    "Intervention", "Measure", "Objective", "ObjectiveProgress", "ObjectiveStatus", "Origin",
    "Part", "Plan", "PresentingProblem", "Provenance", "Review", "Revision", "RevisionChange",
    "Risk", "RiskLevel", "SafetyPlan", "Service", "ServiceType", "Signatures", "Signer",
    "Source", "plan_json_schema", "replace",
]  # fmt: skip
