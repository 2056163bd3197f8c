"""Assembles a Plan from a record's collected values: codes checked, measures scored, ids set."""

from __future__ import annotations

import re
from typing import Any

from pipeline.clinical import icd10 as codes
from pipeline.clinical import measures, vocabulary
from pipeline.clinical.risk import means_named
from pipeline.errors import ValueProblem
from pipeline.findings import error, info, warning
from pipeline.model import (
    Diagnosis,
    Goal,
    Intervention,
    Measure,
    Objective,
    Plan,
    Provenance,
    Risk,
    Service,
    Signatures,
    Signer,
    Source,
)
from pipeline.readers.mapping.client import client_id, date_findings
from pipeline.readers.mapping.collected import Collected, Item
from pipeline.readers.mapping.dx_cells import DxItem
from pipeline.readers.mapping.values import RiskCell, parse_int, quoted

BAD_VALUE = "IN002"  #: a value that cannot be read (date, number, yes/no...)
UNKNOWN_CODE = "IN003"  #: not an ICD-10-CM code
NOT_BILLABLE = "IN004"  #: a valid category code that cannot be billed
BAD_MEASURE = "IN005"  #: a measure that cannot be scored
CONFLICT = "IN006"  #: one client, two different values for one field; the first is kept
FORMULA_TEXT = "IN007"  #: a cell that looks like a formula, kept as text
UNKNOWN_INSTRUMENT = "IN008"  #: a measure txplan does not score; skipped
INCOMPLETE = "IN009"  #: a goal/objective/intervention missing its text
INVALID = "IN012"  #: the assembled plan does not validate
MAPPED = "IN010"  #: explain: label -> model path
IGNORED = "IN011"  #: explain: label ignored
OTHER_CODE = "IN042"  #: a diagnosis in another code system (ICD-9, SNOMED CT) or deferred
NOT_GIVEN = "IN041"  #: a measure cell that says it was not given (n/a, refused): left blank


_SECTIONS = ("presenting_problem", "assessment", "formulation", "review")
_SAFETY = ("safety_plan",)


def _row(source: Source) -> Source:
    return source.model_copy(update={"column": None, "field": None})


def _row_place(source: Source, known: dict[tuple[Any, ...], str]) -> str:
    """Where a source's row is, as findings name it; ``known`` keeps the rows already named."""
    key = (source.file, source.sheet, source.page, source.row)
    if key not in known:
        known[key] = str(_row(source))
    return known[key]


def assemble(b: Collected) -> Plan | None:
    """The plan for a builder's values; problems are appended to ``b.findings``."""

    client = b.section("client")
    first = b.record.fields[0].source.file if b.record.fields else None
    pattern = getattr(b.profile, "id_from_filename", None)
    client["id"], found = client_id(client, first, pattern, b.record.where)
    b.findings.extend(found)
    if client["id"] is None:
        return None
    b.findings.extend(
        date_findings(client.get("date_of_birth"), b.value("intake_date"), b.record.where)
    )
    diagnoses = _diagnoses(b)
    scored = _measures(b, client.get("sex_assigned_at_birth"))
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
    sources = b.record.sources()
    data["provenance"] = Provenance(
        sources=sources, fields=dict(sorted(b.fields.items())), icd10cm=codes.release()
    )
    return Plan.model_validate(data)


def _diagnoses(b: Collected) -> tuple[Diagnosis, ...]:

    entries: list[tuple[DxItem, dict[str, Any], dict[str, Source]]] = []
    for _key, item in sorted(b.groups["diagnoses"].items(), key=lambda kv: kv[0][0] != "#"):
        code: DxItem | None = item.values.get("code")
        source = item.sources.get("code")
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
        source = sources.get("code")
        where = str(source) if source else b.record.where
        made = _diagnosis(b, dx, values, where, len(found))
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
    b: Collected, dx: DxItem, values: dict[str, Any], where: str, index: int
) -> Diagnosis | None:

    entry = codes.lookup(dx.code)
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
    return Diagnosis(
        code=entry.code,
        description=values.get("description") or dx.description or entry.description,
        primary=bool(values.get("primary", False)),
        provisional=bool(values.get("provisional", False) or dx.provisional),
        billable=entry.billable,
        notes=values.get("notes"),
    )


def _measures(b: Collected, sex: str | None) -> tuple[Measure, ...]:

    result: list[Measure] = []
    row_dates: dict[tuple[Any, ...], Any] = {}  # a row's "Date Administered" for its measures
    administrations: list[tuple[str, Item]] = []
    for key, item in b.groups["measures"].items():
        if "@" not in key and item.values.keys() == {"date"}:
            source = item.sources["date"]
            row_dates[(source.file, source.sheet, source.row)] = item.values["date"]
        else:
            administrations.append((key, item))
    places: dict[tuple[Any, ...], str] = {}  # a row's place, shared by its measures
    administrations = _coded_items(administrations)
    for key, item in administrations:
        sources = [s for _v, s in item.items.values()] + list(item.sources.values())
        if "@" in key and "date" not in item.values:
            row = (sources[0].file, sources[0].sheet, sources[0].row)
            if row in row_dates:
                item.values["date"] = row_dates[row]
        named = key.split("@")[0] if "@" in key else item.values.get("instrument")
        place = _row_place(sources[0], places) if sources else b.record.where
        if not named:
            msg = "item scores or a total without an instrument; add an Instrument column"
            b.findings.append(error(BAD_MEASURE, place, msg))
            continue
        canonical = measures.canonical_instrument(str(named)) or vocabulary.instrument_in(
            str(named)
        )
        if canonical is None:
            msg = (
                f"{quoted(named)} is not a measure txplan scores (PHQ-9, GAD-7, PCL-5, "
                "AUDIT-C); it is skipped"
            )
            coded = _OBSERVATION_CODE.fullmatch(str(named).strip())  # a lab or vital sign row
            b.findings.append((info if coded else warning)(UNKNOWN_INSTRUMENT, place, msg))
            continue
        try:
            measure, found = _score(canonical, item, place, sex)
        except ValueProblem as exc:
            b.findings.append(error(BAD_MEASURE, exc.where or place, exc.message))
            continue
        b.findings.extend(found)
        if measure is not None:
            index = len(result)
            for sub, source in item.sources.items():
                b.fields.setdefault(f"measures[{index}].{sub}", source)
            for number, (_value, source) in sorted(item.items.items()):
                b.fields.setdefault(f"measures[{index}].items[{number - 1}]", source)
            result.append(measure)
    return tuple(result)


_OBSERVATION_CODE = re.compile(r"\d{1,7}-\d|\d{5,18}")


def _coded_items(administrations: list[tuple[str, Item]]) -> list[tuple[str, Item]]:
    """Rows of an observations table whose code is an item's LOINC code (44260-8 = PHQ-9
    item 9): gathered into one administration per instrument and date, its items filled."""
    kept: list[tuple[str, Item]] = []
    gathered: dict[tuple[str, Any], Item] = {}
    for key, item in administrations:
        named = item.values.get("instrument") if "@" not in key else None
        found = vocabulary.LOINC_ITEMS.get(str(named).strip()) if named else None
        if found is None or "total" not in item.values:
            kept.append((key, item))
            continue
        instrument, number = found
        date = item.values.get("date")
        target = gathered.get((instrument, date))
        if target is None:
            target = gathered[(instrument, date)] = Item()
            target.values["instrument"] = instrument
            if date is not None:
                target.values["date"] = date
                target.sources["date"] = item.sources["date"]
            kept.append((f"~{instrument}~{date}", target))
        target.items[number] = (item.values["total"], item.sources["total"])
    return kept


def _score(canonical: str, item: Item, place: str, sex: str | None):
    spec = measures.instrument(canonical, place)
    items: list[Any] | None = None
    if item.items:
        if max(item.items) > spec.items:
            source = item.items[max(item.items)][1]
            msg = f"{canonical} has {spec.items} items; there is no item {max(item.items)}"
            raise ValueProblem(msg, str(source))
        items = [None] * spec.items
        for number, (value, source) in item.items.items():
            items[number - 1] = _answer(spec, canonical, number, value, source)
        _check_risk_items(spec, canonical, items, place)
    elif "items" in item.values:
        items = list(item.values["items"])
    total = item.values.get("total")
    if items is None and total is None:
        return None, ()
    where = place
    if "total" in item.sources and items is None:
        where = str(item.sources["total"])
    return measures.score(
        canonical, items=items, total=total, date=item.values.get("date"), where=where, sex=sex
    )


def _answer(spec: Any, canonical: str, number: int, value: Any, source: Source) -> int:
    """One item response: a number or an answer label (``Several days``, ``1 - Several days``,
    REDCap ``Checked``), within the item's range."""
    answer = vocabulary.answer_score(canonical, number, value)
    if answer is None:
        try:
            answer = parse_int(value, what=f"a {canonical} item score")
        except ValueProblem as exc:
            labels = ", ".join(sorted(vocabulary.answer_labels(canonical, number)))
            raise ValueProblem(f"{exc.message} or an answer ({labels})", str(source)) from None
    if not spec.item_min <= answer <= spec.item_max:
        msg = (
            f"{quoted(value)} is out of range for {canonical} item {number}; "
            f"use {spec.item_min}-{spec.item_max}"
        )
        raise ValueProblem(msg, str(source))
    return answer


def _check_risk_items(spec: Any, canonical: str, items: list[Any], place: str) -> None:
    """Items given without a risk item (PHQ-9 item 9): never scored, whatever the total says."""
    missing = [n for n, answer in enumerate(items, start=1) if answer is None]
    risky = [rule for rule in spec.risk if rule.item in missing]
    if not missing or not risky or len(missing) == len(items):
        return
    listed = ", ".join(map(str, missing))
    rule = risky[0]
    msg = (
        f"{canonical} item{'s' if len(missing) > 1 else ''} {listed} missing while other items "
        f"are given; item {rule.item} ({rule.reason}) is needed to score it and to keep the "
        f'risk flag: give every item (a column like phq_{rule.item} or "{canonical} item '
        f'{rule.item}")'
    )
    raise ValueProblem(msg, place)


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
    return Risk.model_validate(values)


def _services(b: Collected) -> tuple[Service, ...]:
    services = []
    for _key, item in sorted(b.groups["services"].items()):
        if item.values:
            _provenance(b, f"services[{len(services)}]", item)
            services.append(Service.model_validate(item.values))
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
            interventions.append(Intervention(id=f"G{number}.I{m}", modality=modality, **values))
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
    sig = b.section("signatures")
    supervisor = sig.get("supervisor")
    guardian = sig.get("guardian")
    return Signatures(
        clinician=Signer.model_validate(sig.get("clinician", {})),
        client=Signer.model_validate(sig.get("client", {})),
        client_unsigned_reason=sig.get("client_unsigned_reason"),
        supervisor=Signer.model_validate(supervisor) if supervisor else None,
        guardian=Signer.model_validate(guardian) if guardian else None,
    )
