"""Reads a FHIR R4 Bundle (JSON) or a Bulk Data export (NDJSON files) into one plan per Patient.

Everything goes through the same clinical vocabulary as the other readers: ICD-10-CM codes
are looked up in the official table, instrument answers scored by ``clinical.measures``;
findings name the file, the resource (type/id) and the element. Resource types and
extensions txplan does not use are ignored and counted (shown with ``--explain``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pipeline.clinical import fhir as fv
from pipeline.errors import InputError
from pipeline.findings import Finding, error, has_errors, info, warning
from pipeline.model import Plan, Signatures
from pipeline.readers import ReadOptions, ReadResult
from pipeline.readers.fhir import clinical, plans
from pipeline.readers.fhir.index import Export, Located
from pipeline.readers.fhir.people import client, signatures, with_coverage
from pipeline.readers.fhir.review import plan_dates

NO_PATIENT = "FHIR001"  #: an export with no Patient resource
IGNORED = "FHIR020"  #: explain: resource types txplan does not use, counted
UNLINKED = "FHIR021"  #: CarePlan activities that serve no goal
INVALID = "FHIR013"  #: the plan assembled from the resources does not validate
REVIEW_FROM_PERIOD = "FHIR022"  #: no review activity: the next review is the day after the period


def is_fhir(data: Any) -> bool:
    """A JSON value that is a FHIR resource (it names its ``resourceType``)."""
    return isinstance(data, dict) and isinstance(data.get("resourceType"), str)


def export_of_bundle(data: dict[str, Any], where: str) -> Export:
    export = Export()
    if data.get("resourceType") != "Bundle":
        export.add(data, where)
        return export
    for number, entry in enumerate(data.get("entry") or (), start=1):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict):
            export.add(resource, f"{where}, entry {number}", entry.get("fullUrl"))
    return export


def add_ndjson(export: Export, path: Path, text: str) -> None:
    """Each line one resource; a bad line is skipped with the line named by the caller."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"line {number}: not JSON ({exc.msg})", str(path)) from exc
            if is_fhir(data):
                export.add(data, f"{path}, line {number}")


def plans_of(export: Export, source: str, options: ReadOptions) -> Iterator[ReadResult]:
    """One result per Patient, in export order."""
    if options.explain and (export.ignored or export.extensions):
        types = ", ".join(f"{k} ×{v}" for k, v in sorted(export.ignored.items())) or "none"
        exts = ", ".join(f"{k} ×{v}" for k, v in sorted(export.extensions.items())) or "none"
        msg = f"resources not used: {types}; extensions not used: {exts}"
        yield ReadResult(source, None, (info(IGNORED, source, msg),))
    groups = export.by_patient()
    patients = export.of_type("Patient")
    if not patients:
        yield ReadResult(source, None, (error(NO_PATIENT, source, "no Patient resource"),))
        return
    for patient in patients:
        yield _plan(patient, groups.get(f"Patient/{patient.id}", []), export, options)


def _plan(
    patient: Located, items: list[Located], export: Export, options: ReadOptions
) -> ReadResult:
    findings: list[Finding] = []
    by_type: dict[str, list[Located]] = {}
    for item in items:
        by_type.setdefault(item.type, []).append(item)
    person = with_coverage(client(patient), by_type.get("Coverage", []))
    diagnoses, codes = [], {}
    for item in by_type.get("Condition", []):
        dx = clinical.diagnosis(item, findings)
        if dx is not None and dx.code not in {d.code for d in diagnoses}:
            diagnoses.append(dx)
        if dx is not None:
            codes[id(item)] = dx.code
    sex = person.sex_assigned_at_birth
    measures = []
    for item in by_type.get("Observation", []):
        if not clinical.is_item_observation(item):
            found = clinical.observation(item, export, sex, findings)
            measures += [found] if found else []
    for item in by_type.get("QuestionnaireResponse", []):
        found = clinical.questionnaire_response(item, sex, findings)
        measures += [found] if found else []
    goal_pairs = plans.goals(by_type.get("Goal", []), export, codes)
    goals = [g for _item, g in goal_pairs]
    careplans = by_type.get("CarePlan", [])
    main = next((c for c in careplans if not plans.is_safety_plan(c)), None)
    safety = next((c for c in careplans if plans.is_safety_plan(c)), None)
    services: list[Any] = []
    presenting = None
    if main is not None:
        index = {id(item): i for i, (item, _g) in enumerate(goal_pairs)}
        goals, services, unlinked = plans.activities(main, export, index, goals)
        if unlinked:
            msg = (
                f"{len(unlinked)} activit{'y' if len(unlinked) == 1 else 'ies'} serve no "
                f"goal and are not on the plan: {', '.join(unlinked)}; link each to its "
                "goal in the EHR, or add it to a goal by hand"
            )
            findings.append(warning(UNLINKED, main.at("activity"), msg))
        presenting = main.resource.get("description")
    signers: dict[str, Any] = dict(signatures(main, export))
    if main is not None:
        for ext in main.resource.get("extension") or ():
            if ext.get("url") == fv.EXT_UNSIGNED_REASON:
                signers["client_unsigned_reason"] = ext.get("valueString")
    dated = plan_dates(main.resource if main is not None else None)
    if main is not None and dated.inferred is not None:
        msg = (
            "no scheduled review of the care plan (an activity coded SNOMED CT "
            f"{fv.REVIEW_CODE}): the next review is taken as {dated.inferred.isoformat()}, "
            "the day after the plan's period ends"
        )
        findings.append(info(REVIEW_FROM_PERIOD, main.at("period"), msg))
    data: dict[str, Any] = {
        "client": person,
        "plan_date": dated.plan_date,
        "diagnoses": tuple(diagnoses),
        "measures": tuple(measures),
        "risk": clinical.risk(by_type.get("RiskAssessment", []), measures),
        "goals": tuple(goals),
        "services": tuple(services),
        "safety_plan": plans.safety_plan(safety) if safety is not None else None,
        "review": dated.review,
        "signatures": Signatures(
            **{k: v for k, v in signers.items() if k in Signatures.model_fields}
        ),
    }
    if presenting:
        data["presenting_problem"] = {"client_words": presenting}
    where = patient.at()
    try:
        plan = Plan(**data)
    except ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(p) for p in first["loc"])
        findings.append(error(INVALID, where, f"{place}: {first['msg']}"))
        return ReadResult(where, None, tuple(findings))
    if has_errors(findings):
        return ReadResult(where, None, tuple(findings))
    return ReadResult(where, plan, tuple(findings))


def read_data(data: Any, path: Path, options: ReadOptions) -> Iterator[ReadResult]:
    """A parsed JSON file holding a Bundle or a single resource."""
    yield from plans_of(export_of_bundle(data, str(path)), str(path), options)


def read_ndjson(paths: list[Path], options: ReadOptions) -> Iterator[ReadResult]:
    """A Bulk Data export: one or more NDJSON files (one resource type per file), joined."""
    export = Export()
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read as UTF-8 text ({exc})", str(path)) from exc
        add_ndjson(export, path, text)
    source = str(paths[0].parent if len(paths) > 1 else paths[0])
    yield from plans_of(export, source, options)


def read_folder(folder: Path, options: ReadOptions) -> Iterator[ReadResult]:
    """A Bulk Data export folder: every ``*.ndjson`` file in it, in name order."""
    files = sorted(folder.glob("*.ndjson"))
    if not files:
        raise InputError(
            "a folder is read as a FHIR Bulk Data export: no .ndjson files in it", str(folder)
        )
    yield from read_ndjson(files, options)


def count_types(export: Export) -> Counter[str]:
    return Counter(item.type for item in export.resources)
