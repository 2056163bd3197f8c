"""One stored plan version as a value: canonical JSON, content hash, origin and status."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pipeline.errors import InputError
from pipeline.model import Plan
from pipeline.model.canonical import canonical_and_hashed, hashed_form


def content_hash(plan: Plan, *, remember: bool = True) -> str:
    """SHA-256 of the canonical JSON without provenance.

    Provenance says where values were read, not what the plan says: building the same intake
    from a moved or renamed export must not make a new version. ``remember``: see
    :func:`~pipeline.model.canonical.hashed_form`.
    """
    return _digest(hashed_form(plan, remember=remember))


def _digest(hashed: str) -> str:
    return hashlib.sha256(hashed.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Prepared:
    """What a version keeps of a plan, computable away from the store (in a worker)."""

    client_id: str
    content_hash: str
    canonical: str


def prepare(plan: Plan, aside: str | None = None) -> Prepared:
    """The plan's canonical JSON and content hash, from one encoding of the plan; ``aside``:
    its provenance's field sources as canonical JSON, when the plan was sent without them
    (see :func:`pipeline.model.canonical.canonical_and_hashed`)."""
    canonical, hashed = canonical_and_hashed(plan, aside)
    return Prepared(plan.client.id, _digest(hashed), canonical)


@dataclass(frozen=True)
class Origin:
    """What a version came from, beyond its plan: kind, the intake plan's hash, the files
    read (path and SHA-256), each payer's status, the rationale, and (for a save that must
    not overtake another) the version number the change was made from."""

    kind: str = "intake"
    intake_hash: str = ""
    sources: tuple[tuple[str, str], ...] = ()  #: (path, sha256)
    statuses: dict[str, dict[str, Any]] = field(default_factory=dict)
    rationale: str = ""
    expected: int | None = None  #: save only if the latest version still has this number


@dataclass(frozen=True)
class Version:
    """One stored version of one client's plan."""

    client_id: str
    number: int
    content_hash: str
    created_at: dt.datetime
    inputs: tuple[str, ...]
    reason: str
    payers: tuple[str, ...]
    plan_json: str = field(repr=False)
    kind: str = "intake"
    intake_hash: str = ""
    sources: tuple[tuple[str, str], ...] = ()
    statuses: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    rationale: str = ""

    @cached_property
    def plan(self) -> Plan:
        return Plan.model_validate_json(self.plan_json)

    def status_line(self) -> str:
        """'medicaid-isp blocked (SIG001), clinical ok' (empty when no payer was built)."""
        parts = []
        for payer, info in sorted(self.statuses.items()):
            codes = ", ".join(dict.fromkeys(f["code"] for f in info.get("findings", ())))
            parts.append(f"{payer} {info['status']}" + (f" ({codes})" if codes else ""))
        return ", ".join(parts)

    def source_line(self) -> str:
        """'intake inputs/a.xlsx (sha256 1a2b3c4d)' or 'review reviews/x.csv'."""
        files = ", ".join(f"{p} (sha256 {h[:8]})" if h else p for p, h in self.sources)
        text = self.kind + (f" {files}" if files else "")
        return text + (f"; rationale: {self.rationale}" if self.rationale else "")


class StaleVersion(InputError):
    """The latest version changed between reading it and saving the change made from it."""


COLUMNS = (
    "client_id, number, content_hash, created_at, inputs, reason, payers, plan_json,"
    " kind, intake_hash, sources, statuses, rationale"
)
MARKS = ", ".join("?" * len(COLUMNS.split(", ")))


def version_of(row: Any) -> Version:
    return Version(
        client_id=row["client_id"],
        number=row["number"],
        content_hash=row["content_hash"],
        created_at=dt.datetime.fromisoformat(row["created_at"]),
        inputs=tuple(json.loads(row["inputs"])),
        reason=row["reason"],
        payers=tuple(json.loads(row["payers"])),
        plan_json=row["plan_json"],
        kind=row["kind"],
        intake_hash=row["intake_hash"],
        sources=tuple((p, h) for p, h in json.loads(row["sources"])),
        statuses=json.loads(row["statuses"]),
        rationale=row["rationale"],
    )
