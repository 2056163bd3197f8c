"""The resources of one FHIR export, indexed by type, id and reference, grouped by patient."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from pipeline.clinical import fhir as f

#: The resource types txplan reads; every other type is counted and ignored.
READ_TYPES = frozenset(
    {
        "Patient",
        "Coverage",
        "Condition",
        "Observation",
        "QuestionnaireResponse",
        "Goal",
        "CarePlan",
        "Practitioner",
        "PractitionerRole",
        "Organization",
        "Provenance",
        "RiskAssessment",
    }
)


#: Extensions txplan reads; the others are counted for ``--explain`` and otherwise ignored.
KNOWN_EXTENSIONS = frozenset(
    {f.BIRTH_SEX, f.GENDER_IDENTITY, f.PRONOUNS, f.GOAL_RELATIONSHIP}
    | {getattr(f, name) for name in dir(f) if name.startswith("EXT_")}
)


@dataclass
class Located:
    """A resource and where it was read (file, line or entry), for findings."""

    resource: dict[str, Any]
    where: str

    @property
    def type(self) -> str:
        return str(self.resource.get("resourceType", ""))

    @property
    def id(self) -> str:
        return str(self.resource.get("id", ""))

    def at(self, element: str = "") -> str:
        """``bundle.json, entry 4, Condition/abc, code``: the place a finding names."""
        name = f"{self.type}/{self.id}" if self.id else self.type
        return ", ".join(p for p in (self.where, name, element) if p)


@dataclass
class Export:
    """Every resource of an export, with look-ups by reference."""

    resources: list[Located] = field(default_factory=list)
    by_ref: dict[str, Located] = field(default_factory=dict)
    ignored: Counter[str] = field(default_factory=Counter)
    extensions: Counter[str] = field(default_factory=Counter)  #: extension URLs not read

    def add(self, resource: dict[str, Any], where: str, full_url: str | None = None) -> None:
        item = Located(resource, where)
        if item.type not in READ_TYPES:
            self.ignored[item.type or "(no resourceType)"] += 1
            return
        self.resources.append(item)
        for ext in resource.get("extension") or ():
            url = str(ext.get("url", "")) if isinstance(ext, dict) else ""
            if url not in KNOWN_EXTENSIONS:
                self.extensions[url.rsplit("/", 1)[-1] or "(no url)"] += 1
        if item.id:
            self.by_ref[f"{item.type}/{item.id}"] = item
            self.by_ref.setdefault(item.id, item)
        if full_url:
            self.by_ref[full_url] = item

    def resolve(self, reference: Any) -> Located | None:
        """The resource a Reference points at (``urn:uuid:…``, ``Type/id``, absolute URLs)."""
        if not isinstance(reference, dict):
            return None
        ref = str(reference.get("reference") or "")
        if not ref:
            return None
        if ref in self.by_ref:
            return self.by_ref[ref]
        tail = "/".join(ref.rstrip("/").split("/")[-2:])
        return self.by_ref.get(tail)

    def of_type(self, kind: str) -> list[Located]:
        return [r for r in self.resources if r.type == kind]

    def by_patient(self) -> dict[str, list[Located]]:
        """Resources by the patient they are about (subject/patient, a Coverage's
        beneficiary), in export order."""
        groups: dict[str, list[Located]] = defaultdict(list)
        for item in self.resources:
            resource = item.resource
            subject = resource.get("subject") or resource.get("patient")
            subject = subject or resource.get("beneficiary")
            target = self.resolve(subject)
            if target is not None and target.type == "Patient":
                groups[f"Patient/{target.id}"].append(item)
        return groups
