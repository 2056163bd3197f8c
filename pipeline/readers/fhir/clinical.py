"""FHIR Condition, Observation and QuestionnaireResponse -> diagnoses and scored measures."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pipeline.clinical import fhir as f
from pipeline.clinical import icd10, measures
from pipeline.clinical.vocabulary import answer_score, instrument_in
from pipeline.errors import ValueProblem
from pipeline.findings import Finding, error, warning
from pipeline.model import Diagnosis, Measure, Risk, RiskLevel
from pipeline.readers.fhir.index import Export, Located
from pipeline.readers.fhir.people import text_of

NOT_ICD10 = "FHIR010"  #: a Condition coded only in another system (SNOMED CT, ICD-9)
BAD_CODE = "FHIR011"  #: a Condition's ICD-10-CM code that is not in the table
BAD_SCORE = "FHIR012"  #: an instrument administration that cannot be scored

_LOINC_CODE = re.compile(r"(\d{4,5}-\d)")
_INACTIVE = {"inactive", "resolved", "remission"}
_UNCERTAIN = {"provisional", "differential", "unconfirmed"}


def _has_ext(resource: dict[str, Any], url: str) -> bool:
    return any(
        e.get("url") == url and e.get("valueBoolean") for e in resource.get("extension") or ()
    )


def _codes(concept: Any) -> list[tuple[str, str, str | None]]:
    return [
        (str(c.get("system", "")), str(c.get("code", "")), c.get("display"))
        for c in (concept or {}).get("coding") or ()
        if c.get("code")
    ]


def _status(concept: Any) -> str | None:
    codes = _codes(concept)
    return codes[0][1] if codes else None


def diagnosis(item: Located, findings: list[Finding]) -> Diagnosis | None:
    """An active Condition's ICD-10-CM code; other code systems are reported, not guessed."""
    resource = item.resource
    if _status(resource.get("clinicalStatus")) in _INACTIVE or resource.get("abatementDateTime"):
        return None
    codes = _codes(resource.get("code"))
    icd = [(code, display) for system, code, display in codes if system == f.ICD10CM]
    text = text_of(resource.get("code")) or "no text"
    if not icd:
        systems = sorted({s.rsplit("/", 1)[-1] or "no system" for s, _c, _d in codes}) or ["none"]
        msg = (
            f"{text!r} is coded in {', '.join(systems)}, not ICD-10-CM: not a billable "
            "diagnosis; add its ICD-10-CM code in the EHR or the plan"
        )
        findings.append(warning(NOT_ICD10, item.at("code"), msg))
        return None
    code, display = icd[0]
    info = icd10.lookup(code)
    if info is None:
        msg = f"{code!r} is not an ICD-10-CM code; correct it in the EHR"
        findings.append(error(BAD_CODE, item.at("code.coding"), msg))
        return None
    uncertain = _status(resource.get("verificationStatus")) in _UNCERTAIN
    notes = "; ".join(n.get("text", "") for n in resource.get("note") or () if n.get("text"))
    fields: dict[str, Any] = {}
    if "rule_out" in Diagnosis.model_fields:
        fields["rule_out"] = _has_ext(resource, f.EXT_RULE_OUT)
    return Diagnosis(
        code=info.code,
        description=display or info.description,
        primary=_has_ext(resource, f.EXT_PRIMARY),
        provisional=uncertain,
        billable=info.billable,
        notes=notes or None,
        **fields,
    )


def _date(value: Any) -> dt.date | None:
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _number(observation: dict[str, Any]) -> Any:
    if "valueInteger" in observation:
        return observation["valueInteger"]
    if "valueQuantity" in observation:
        return (observation["valueQuantity"] or {}).get("value")
    concept = observation.get("valueCodeableConcept")
    return text_of(concept) if concept else None


def _loinc(concept: Any) -> list[str]:
    return [code for system, code, _d in _codes(concept) if system == f.LOINC]


def _instrument(concept: Any) -> tuple[str | None, bool]:
    """(instrument, is it the total?) a code names: a LOINC total or panel, or its words."""
    for code in _loinc(concept):
        if code in f.LOINC_TOTALS:
            return f.LOINC_TOTALS[code], True
        if code in f.LOINC_PANELS:
            return f.LOINC_PANELS[code], False
    text = text_of(concept) or ""
    named = instrument_in(text)
    return named, bool(named) and "total" in text.casefold()


def _item_number(concept: Any, instrument: str) -> int | None:
    for code in _loinc(concept):
        found = f.LOINC_ITEMS.get(code)
        if found and found[0] == instrument:
            return found[1]
    match = re.search(r"item (\d+)$", text_of(concept) or "")
    return int(match.group(1)) if match else None


def _score(
    instrument: str,
    answers: dict[int, Any],
    total: Any,
    date: dt.date | None,
    sex: str | None,
    where: str,
    findings: list[Finding],
) -> Measure | None:
    spec = measures.instrument(instrument)
    items = None
    if answers:
        items = []
        for number in range(1, spec.items + 1):
            value = answers.get(number)
            label = answer_score(instrument, number, value) if value is not None else None
            items.append(value if label is None else label)
    try:
        measure, found = measures.score(
            instrument, items=items, total=total, date=date, where=where, sex=sex
        )
    except ValueProblem as exc:
        findings.append(error(BAD_SCORE, exc.where or where, exc.message))
        return None
    findings.extend(found)
    return measure


def observation(
    item: Located, export: Export, sex: str | None, findings: list[Finding]
) -> Measure | None:
    """A total or panel Observation of an instrument txplan scores, with its items."""
    resource = item.resource
    if resource.get("status") in ("entered-in-error", "cancelled"):
        return None
    instrument, is_total = _instrument(resource.get("code"))
    if instrument is None or measures.canonical_instrument(instrument) is None:
        return None
    answers: dict[int, Any] = {}
    for component in resource.get("component") or ():
        number = _item_number(component.get("code"), instrument)
        if number is not None:
            answers[number] = _number(component)
    for member in resource.get("hasMember") or ():
        found = export.resolve(member)
        if found is not None:
            number = _item_number(found.resource.get("code"), instrument)
            if number is not None:
                answers[number] = _number(found.resource)
    total = _number(resource) if is_total or not answers else None
    if total is None and not answers:
        return None
    date = (
        _date(resource.get("effectiveDateTime"))
        or _date((resource.get("effectivePeriod") or {}).get("start"))
        or _date(resource.get("issued"))
    )
    return _score(instrument, answers, total, date, sex, item.at(), findings)


def is_item_observation(item: Located) -> bool:
    """An Observation that is one item of a panel (read through its panel, not alone)."""
    return any(code in f.LOINC_ITEMS for code in _loinc(item.resource.get("code")))


def questionnaire_response(
    item: Located, sex: str | None, findings: list[Finding]
) -> Measure | None:
    """A completed PHQ-9/GAD-7/PCL-5/AUDIT-C questionnaire: item answers by LOINC linkId."""
    resource = item.resource
    if resource.get("status") not in (None, "completed", "amended"):
        return None
    named = instrument_in(str(resource.get("questionnaire", "")))
    answers: dict[int, Any] = {}
    total = None
    stack = list(resource.get("item") or ())
    while stack:
        entry = stack.pop(0)
        stack.extend(entry.get("item") or ())
        codes = _LOINC_CODE.findall(str(entry.get("linkId", "")))
        answer = (entry.get("answer") or [{}])[0]
        value: Any = answer.get("valueInteger", answer.get("valueDecimal"))
        if value is None and answer.get("valueCoding"):
            coding = answer["valueCoding"]
            ordinal = next(
                (
                    e.get("valueDecimal")
                    for e in coding.get("extension") or ()
                    if e.get("url", "").endswith("ordinalValue")
                ),
                None,
            )
            value = ordinal if ordinal is not None else coding.get("display") or coding.get("code")
        for code in codes:
            if code in f.LOINC_ITEMS:
                named = named or f.LOINC_ITEMS[code][0]
                answers[f.LOINC_ITEMS[code][1]] = value
            elif code in f.LOINC_TOTALS:
                named = named or f.LOINC_TOTALS[code]
                total = value
    if named is None or measures.canonical_instrument(named) is None:
        return None
    instrument = measures.canonical_instrument(named) or named
    date = _date(resource.get("authored"))
    return _score(instrument, answers, total, date, sex, item.at("item"), findings)


def risk(items: list[Located], scored: list[Measure]) -> Risk:
    """The recorded risk (RiskAssessment), raised by what the measures' items show."""
    values: dict[str, Any] = {}
    for item in items:
        resource = item.resource
        for ext in resource.get("extension") or ():
            if ext.get("url") == f.EXT_RISK_FLAG and ext.get("valueCode") in Risk.model_fields:
                values[ext["valueCode"]] = True
        for prediction in resource.get("prediction") or ():
            level = _status(prediction.get("qualitativeRisk"))
            level = "none" if level == "negligible" else level
            if level in {r.value for r in RiskLevel}:
                values["level"] = level
        notes = [n.get("text") for n in resource.get("note") or () if n.get("text")]
        if notes:
            values["notes"] = "; ".join(notes)
    for name, raised in measures.risk_from_measures(scored).items():
        if raised and name in Risk.model_fields:
            values[name] = True
    if values.get("suicidal_ideation") or values.get("level") in ("moderate", "high"):
        values["safety_plan_required"] = True
    return Risk.model_validate(values)
