"""Assembles a Plan from a record's collected values: codes checked, measures scored, ids set."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, TypeVar

from pipeline.clinical import icd10 as codes
from pipeline.clinical import measures
from pipeline.clinical.risk import means_named
from pipeline.findings import error, warning
from pipeline.model import (
    MAX_ITEMS,
    Diagnosis,
    Goal,
    Intervention,
    Measure,
    Objective,
    Part,
    Plan,
    Provenance,
    Risk,
    Service,
    Signatures,
    Signer,
    Source,
)
from pipeline.model.build import new, put_dict, put_extra, put_fields, put_private
from pipeline.readers.mapping.client import client_id, date_findings
from pipeline.readers.mapping.codes import INCOMPLETE, NOT_BILLABLE, UNKNOWN_CODE
from pipeline.readers.mapping.collected import Collected, Item
from pipeline.readers.mapping.dx_cells import DxItem
from pipeline.readers.mapping.scores import scored_measures
from pipeline.readers.mapping.values import RiskCell, quoted

_SECTIONS = ("presenting_problem", "assessment", "formulation", "review")
P = TypeVar("P", bound=Part)


@lru_cache(maxsize=4096)
def _cached_part(
    kind: type[Part], names: tuple[str, ...], types: tuple[type, ...], values: tuple[Any, ...]
) -> Part:
    return kind.model_validate(dict(zip(names, values, strict=True)))


def part(kind: type[P], values: dict[str, Any]) -> P:
    """``kind.model_validate(values)``, the same part for the same values (a bounded cache
    keyed by every value and its type): exports repeat signers, services, interventions,
    risk and diagnoses row after row. Parts are immutable; a value that cannot be a key
    (a nested dict) is validated each time; an invalid one raises each time."""
    given = tuple(values.values())
    try:
        found = _cached_part(kind, tuple(values), tuple(map(type, given)), given)
    except TypeError:  # unhashable: a nested dict or list
        return kind.model_validate(values)
    return found  # type: ignore[return-value]


def assemble(b: Collected) -> Plan | None:
    """The plan for a builder's values; problems are appended to ``b.findings``."""

    client = b.section("client")
    first = b.first_file()
    pattern = getattr(b.profile, "id_from_filename", None)
    client["id"], found = client_id(client, first, pattern, b.record.where)
    b.findings.extend(found)
    if client["id"] is None:
        return None
    b.findings.extend(
        date_findings(client.get("date_of_birth"), b.value("intake_date"), b.record.where)
    )
    diagnoses = _diagnoses(b)
    scored = scored_measures(b, client.get("sex_assigned_at_birth"))
    data: dict[str, Any] = {
        "client": client,
        "intake_date": b.value("intake_date"),
        "plan_date": b.value("plan_date"),
        "diagnoses": diagnoses,
        "measures": scored,
        "risk": _risk(b, scored),
        "services": _services(b),
        "goals": _goals(b),
        "signatures": _signatures(b),
    }
    for name in _SECTIONS:
        if section := b.section(name):
            data[name] = section
    if safety := b.section("safety_plan"):
        data["safety_plan"] = safety
    sources = b.sources()
    paths = _sorted_paths(tuple(b.fields))
    fields = dict(zip(paths, map(b.fields.__getitem__, paths), strict=True))
    provenance = {"sources": sources, "fields": fields}
    provenance["icd10cm"] = codes.release()
    if data["goals"] and (unrecorded := b.unrecorded_goals()):  # the goal fields its system
        provenance["unrecorded"] = unrecorded  # cannot record: said once a file (IN045)
    data["provenance"] = provenance_of(provenance)
    return Plan.model_validate(data)


@lru_cache(maxsize=256)
def _sorted_paths(paths: tuple[str, ...]) -> tuple[str, ...]:
    """A record's provenance paths in sorted order, kept by the paths as the record filled
    them (a table's records fill the same paths in the same order: model paths, no values;
    strings alone sort about twice as fast as (path, source) pairs)."""
    return tuple(sorted(paths))


def provenance_of(values: dict[str, Any]) -> Provenance:
    """``Provenance(**values)`` for values made here of exactly their fields' types (sources
    and a fresh dict of them, the release text, goal paths), built without validating the
    50 or so sources again (as ``Provenance.model_construct(**values)`` builds it: its
    fields in order, the missing one's default, the given ones set); validated (and so
    checked, or refused) beyond MAX_ITEMS rows."""
    if len(values["sources"]) > MAX_ITEMS or len(values.get("unrecorded", ())) > MAX_ITEMS:
        return Provenance(**values)
    made = new(Provenance)
    put_dict(made, {
        "sources": values["sources"],
        "fields": values["fields"],
        "icd10cm": values.get("icd10cm"),
        "unrecorded": values.get("unrecorded", ()),
    })  # fmt: skip
    put_fields(made, set(values))
    put_extra(made, None)
    put_private(made, None)
    return made


def _diagnoses(b: Collected) -> tuple[Diagnosis, ...]:

    entries: list[tuple[DxItem, dict[str, Any], dict[str, Source]]] = []
    for _key, item in sorted(b.groups["diagnoses"].items(), key=lambda kv: kv[0][0] != "#"):
        code: DxItem | None = item.values.get("code")
        if item.values.get("skipped"):  # its code was deferred or in another system (IN042)
            continue
        if code is None:
            place = str(next(iter(item.sources.values()), b.record.where))
            msg = "a diagnosis without a code; add the ICD-10-CM code (e.g. F41.1)"
            b.findings.append(error(UNKNOWN_CODE, place, msg))
            continue
        entries.append((code, item.values, item.sources))
        entries.extend((dx, {}, {"code": src}) for dx, src in item.extra)
    found: dict[str, Diagnosis] = {}
    for dx, values, sources in entries:
        made = _diagnosis(b, dx, values, sources.get("code"), len(found))
        if made is None:
            continue
        if made.code in found:  # the same code twice (e.g. wide and long columns): keep one
            old = found[made.code]
            found[made.code] = old.model_copy(update={"primary": old.primary or made.primary})
            continue
        found[made.code] = made
        for sub, where_from in sources.items():
            b.fields.setdefault(f"diagnoses[{len(found) - 1}].{sub}", where_from)
    result = list(found.values())
    if result and not any(d.primary for d in result):
        result[0] = result[0].model_copy(update={"primary": True})
    return tuple(result)


def _diagnosis(
    b: Collected, dx: DxItem, values: dict[str, Any], source: Source | None, index: int
) -> Diagnosis | None:
    """The diagnosis of a code, or None; a finding names ``source`` (the code's cell), else
    the record (the place is made only for a finding)."""
    entry = codes.lookup(dx.code)
    where = "" if entry is not None and entry.billable else str(source or b.record.where)
    if entry is None:
        msg = (
            f"{quoted(dx.code)} is not an ICD-10-CM code; correct it to a code from the "
            "official table (e.g. F41.1)"
        )
        b.findings.append(error(UNKNOWN_CODE, where, msg))
        return None
    if not entry.billable:
        children = codes.billable_children(entry.code, 3)
        hint = f" such as {', '.join(children)}" if children else ""
        msg = (
            f"{entry.code} ({entry.description}) is a category, not a billable code; "
            f"use a more specific code{hint}"
        )
        b.findings.append(warning(NOT_BILLABLE, where, msg))
    found = {
        "code": entry.code,
        "description": values.get("description") or dx.description or entry.description,
        "primary": bool(values.get("primary", False)),
        "provisional": bool(values.get("provisional", False) or dx.provisional),
        "billable": entry.billable,
        "notes": values.get("notes"),
    }
    return part(Diagnosis, found)


_RISK_WORDS = {
    "suicidal_ideation": "Suicidal ideation",
    "homicidal_ideation": "Homicidal ideation",
    "self_harm": "Self-harm",
    "cssrs_positive": "C-SSRS",
    "means_access": "Means",
}


def _risk(b: Collected, scored: tuple[Measure, ...]) -> Risk:
    values = b.section("risk")
    notes = [values["notes"]] if values.get("notes") else []
    for name, words in _RISK_WORDS.items():
        cell = values.get(name)
        if not isinstance(cell, RiskCell):
            continue
        values[name] = cell.flag
        if cell.words:  # a "No ..." cell keeps its no, so its words never read as a yes
            notes.append(f"{words}: {cell.words}" if cell.flag else f"{words}: no ({cell.words})")
        if cell.means:
            values["means_access"] = True
    if notes:
        values["notes"] = "; ".join(notes)
    if means_named(values.get("notes")):
        values["means_access"] = True
    flags = measures.risk_from_measures(scored)
    for name, raised in flags.items():
        if raised and name in Risk.model_fields:
            values[name] = True
    level = values.get("level")
    if any(values.get(k) for k in ("suicidal_ideation", "cssrs_positive", "means_access")) or (
        level in ("moderate", "high")
    ):
        values["safety_plan_required"] = True
    return part(Risk, values)


def _services(b: Collected) -> tuple[Service, ...]:
    services = []
    for _key, item in sorted(b.groups["services"].items()):
        if item.values:
            _provenance(b, f"services[{len(services)}]", item)
            services.append(part(Service, item.values))
    return tuple(services)


def _provenance(b: Collected, prefix: str, item: Item) -> None:
    for sub, source in item.sources.items():
        b.fields.setdefault(f"{prefix}.{sub}", source)


_SPLIT = re.compile(r"\s*(?::|\s[-–—]\s)\s*")


def _goals(b: Collected) -> tuple[Goal, ...]:
    goals: list[Goal] = []
    for number, goal in sorted(b.goals.items()):
        words = goal.item.values.get("client_words") or goal.item.values.get("description")
        if not words:
            place = str(_first_source(goal)) if _first_source(goal) else b.record.where
            msg = f"goal {number} has objectives or interventions but no text; fill Goal {number}"
            b.findings.append(error(INCOMPLETE, place, msg))
            continue
        objectives = []
        for m, obj in sorted(goal.objectives.items()):
            if not obj.values.get("text"):
                place = str(next(iter(obj.sources.values())))
                msg = f"objective {number}.{m} has details but no text; fill Objective {number}.{m}"
                b.findings.append(error(INCOMPLETE, place, msg))
                continue
            _provenance(b, f"goals[{len(goals)}].objectives[{len(objectives)}]", obj)
            objectives.append(Objective(id=f"G{number}.O{m}", **obj.values))
        interventions = []
        for m, iv in sorted(goal.interventions.items()):
            values = dict(iv.values)
            modality = values.pop("modality", None) or values.get("description")
            if not modality:
                continue
            parts = _SPLIT.split(modality, maxsplit=1)
            if "description" not in values and len(parts) == 2 and len(parts[0]) <= 60:
                modality, values["description"] = parts
            _provenance(b, f"goals[{len(goals)}].interventions[{len(interventions)}]", iv)
            found = {"id": f"G{number}.I{m}", "modality": modality, **values}
            interventions.append(part(Intervention, found))
        values = {k: v for k, v in goal.item.values.items() if k != "client_words"}
        _provenance(b, f"goals[{len(goals)}]", goal.item)
        goals.append(
            Goal(
                id=f"G{number}",
                client_words=words,
                objectives=tuple(objectives),
                interventions=tuple(interventions),
                **values,
            )
        )
    return tuple(goals)


def _first_source(goal: Any) -> Source | None:
    for part in (goal.item, *goal.objectives.values(), *goal.interventions.values()):
        for source in part.sources.values():
            return source
    return None


def _signatures(b: Collected) -> Signatures:
    """The signatures section's parts, the same parts for the same section (a bounded cache
    keyed by its every value with its type: a clinician signs many clients' plans)."""
    sig = b.section("signatures")
    try:
        return _signed(_frozen(sig))
    except TypeError:  # a value that cannot be a key: made as it is
        return _signatures_of(sig)


def _frozen(values: dict[str, Any]) -> tuple[Any, ...]:
    """A nested section as a key: (name, type, value), a nested dict's value frozen too."""
    return tuple(
        [(k, dict, _frozen(v)) if type(v) is dict else (k, type(v), v) for k, v in values.items()]
    )


def _thawed(key: tuple[Any, ...]) -> dict[str, Any]:
    return {k: _thawed(v) if kind is dict else v for k, kind, v in key}


@lru_cache(maxsize=1024)
def _signed(key: tuple[Any, ...]) -> Signatures:
    return _signatures_of(_thawed(key))


def _signatures_of(sig: dict[str, Any]) -> Signatures:
    supervisor = sig.get("supervisor")
    guardian = sig.get("guardian")
    signed = {
        "clinician": part(Signer, sig.get("clinician", {})),
        "client": part(Signer, sig.get("client", {})),
        "client_unsigned_reason": sig.get("client_unsigned_reason"),
        "supervisor": part(Signer, supervisor) if supervisor else None,
        "guardian": part(Signer, guardian) if guardian else None,
    }
    return part(Signatures, signed)
