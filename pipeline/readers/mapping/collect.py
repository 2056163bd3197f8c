"""Maps one raw record (labelled values from any reader) into a Plan.

One alias table (``aliases.py``) and one profile mechanism (``profile.py``) serve every input
format. Labels resolve to model paths; values are parsed by the path's kind (``values.py``);
repeated labels group into diagnoses, measures, services and goals; codes are checked against
ICD-10-CM (``pipeline.clinical.icd10``) and measures scored (``pipeline.clinical.measures``).
Every mapped value's source goes into ``plan.provenance.fields``. A record with an error
finding gets no plan.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache, partial
from typing import Any

from pydantic import ValidationError

from pipeline.errors import ValueProblem
from pipeline.findings import error, has_errors, info, warning
from pipeline.model import Plan, Source
from pipeline.readers import ReadResult
from pipeline.readers.mapping.aliases import normalize
from pipeline.readers.mapping.assemble import assemble
from pipeline.readers.mapping.client import sex_value
from pipeline.readers.mapping.codes import (
    BAD_VALUE,
    CONFLICT,
    FORMULA_TEXT,
    INVALID,
    NOT_GIVEN,
    OTHER_CODE,
)
from pipeline.readers.mapping.collected import Collected, GoalItems, Item
from pipeline.readers.mapping.dx_cells import NotIcd10, parse_diagnoses
from pipeline.readers.mapping.items import contextual_paths, dated_label
from pipeline.readers.mapping.paths import Path, parse_path
from pipeline.readers.mapping.profile import Profile
from pipeline.readers.mapping.routes import Routes, explain_label, unrecorded_goal_fields
from pipeline.readers.mapping.situation import parse_dependents, parse_employment, parse_student
from pipeline.readers.mapping.values import (
    is_blank,
    looks_like_formula,
    not_given,
    parse_bool,
    parse_date,
    parse_full_name,
    parse_id,
    parse_int,
    parse_last_first,
    parse_risk_flag,
    quoted,
    split_credentials,
    split_ints,
    split_list,
    text,
)
from pipeline.readers.raw import RawField, RawRecord

_RISK_LEVELS = {
    "none": "none", "no risk": "none", "denies": "none", "minimal": "low", "low": "low",
    "mild": "low", "moderate": "moderate", "mod": "moderate", "medium": "moderate",
    "high": "high", "severe": "high", "imminent": "high", "acute": "high",
}  # fmt: skip
_SERVICE_TYPES = {
    "individual": "individual", "ind": "individual", "indiv": "individual",
    "individual therapy": "individual", "individual psychotherapy": "individual",
    "psychotherapy": "individual", "group": "group", "group therapy": "group",
    "family": "family", "family therapy": "family", "couples": "couples", "couple": "couples",
    "marital": "couples", "couples therapy": "couples",
}  # fmt: skip
_STATUS = {
    "not started": "not_started", "new": "not_started", "in progress": "in_progress",
    "ongoing": "in_progress", "active": "in_progress", "met": "met", "achieved": "met",
    "partially met": "partially_met", "partial": "partially_met", "not met": "not_met",
    "discontinued": "discontinued", "deferred": "discontinued",
}  # fmt: skip
#: objective status words as intake and progress reviews accept them (word -> model value)
STATUS_WORDS = _STATUS


_PUNCTUATION = re.compile(r"[^\w ]")
_SPACES = re.compile(r"\s+")
_RISK_SUFFIX = re.compile(r" risk$")


def _lookup_table(value: Any, table: dict[str, str], what: str) -> str:
    key = _SPACES.sub(" ", _PUNCTUATION.sub(" ", text(value).lower())).strip()
    key = _RISK_SUFFIX.sub("", key)
    if key in table:
        return table[key]
    choices = ", ".join(sorted(set(table.values())))
    raise ValueProblem(f"{quoted(value)} is not a {what}; use one of {choices}")


#: kind -> how a value of that kind is read (dates need the profile's date order; every
#: other kind, "text" and "id" included, is read as text).
_PARSERS: dict[str, Callable[[Any], Any]] = {
    "bool": parse_bool,
    "risk_flag": parse_risk_flag,
    "int": parse_int,
    "id": parse_id,
    "list": split_list,
    "ints": split_ints,
    "dx": parse_diagnoses,
    "risk_level": partial(_lookup_table, table=_RISK_LEVELS, what="risk level"),
    "employment": parse_employment,
    "student": parse_student,
    "dependents": parse_dependents,
    "service_type": partial(_lookup_table, table=_SERVICE_TYPES, what="service type"),
    "status": partial(_lookup_table, table=_STATUS, what="objective status"),
}


#: kinds whose cells repeat from row to row (yes/no, levels, types, dates, symptom lists):
#: read through a bounded cache by the cell's content (each parser is a pure function of the
#: cell, its result immutable). Birth dates are not: a two-digit year depends on today.
_REPEATED = frozenset({"bool", "risk_flag", "risk_level", "service_type", "status", "date", "list"})
#: cell types a cache may key on (hashable; typed, so that 1, 1.0 and True stay apart)
_KEYABLE = frozenset({str, int, float, bool, dt.date, dt.datetime})


def _by_content(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    cached = lru_cache(maxsize=1024, typed=True)(parse)

    def read(value: Any) -> Any:
        return cached(value) if type(value) in _KEYABLE else parse(value)

    return read


@lru_cache(maxsize=4)
def _parsers(date_order: str) -> dict[str, Callable[[Any], Any]]:
    """Every kind's parser, dates read in this date order ("MDY" or "DMY")."""
    found = _PARSERS | {
        "date": partial(parse_date, date_order=date_order),
        "birth_date": partial(parse_date, date_order=date_order, past=True),
    }
    return {kind: _by_content(p) if kind in _REPEATED else p for kind, p in found.items()}


#: kinds whose one value fills several fields (first/middle/last name, signer and credentials)
_SPLIT_KINDS = frozenset({"name", "name_last_first", "signer_name"})


#: headers that say "gender" or "sex" without saying gender identity
_SEX_LABELS = re.compile(
    r"^(?:(?:client|patient|pt|legal|administrative) )?(?:gender|sex)(?: sex| gender)?$"
)


class Collector(Collected):
    """Collects one record's parsed values by model path, then assembles the Plan."""

    def __init__(self, record: RawRecord, profile: Profile | None) -> None:
        super().__init__(record, profile)
        self.tables = record.context
        self.context = contextual_paths(record.labels()) if record.context is None else {}
        self.routes: dict[tuple[str | None, str | None], Routes] = {}
        for key, routes in (record.routes or {}).items():
            if routes.base is profile:  # routed for this profile by the reader, once a table
                self.routes[key] = routes
        self.parsers = _parsers(self.date_order)

    def _routes(self, file: str | None, sheet: str | None) -> Routes:
        """How the labels of one table (file and sheet) route, found once per table."""
        context = self.context
        if self.tables is not None:  # each table's own header decides its labels
            context = self.tables.get((file, sheet), {})
        found = self.routes[(file, sheet)] = Routes(self.profile, file, sheet, context)
        return found

    # --- collecting ------------------------------------------------------------------------

    def add(self, raw: RawField, explain: bool) -> None:
        source = raw.source
        routes = self.routes.get((source.file, source.sheet)) or self._routes(
            source.file, source.sheet
        )
        profile = routes.profile
        if profile is not None:  # its tables: entry for this file or sheet, its values: maps
            raw = raw._replace(value=profile.map_value(raw.label, raw.value))
        if explain:
            self.findings.append(explain_label(raw.label, profile, str(source), routes.context))
        value = raw.value
        if value is None or (isinstance(value, str) and not value.strip()):  # blank
            return
        path = routes.paths.get(raw.label, False)
        if path is False:  # the first row of its table: routed now, for every other row
            path = routes.path(raw.label)
        if path is None:
            return
        group = path.group
        if group == "measures" and path.key and not path.key.isdigit():
            dated = dated_label(raw.label)
            if dated:
                path = self._dated(path, dated[1], raw)
                if path is None:
                    return
        if looks_like_formula(value):
            msg = f"{quoted(value)} looks like a formula; kept as text, never evaluated"
            self.findings.append(info(FORMULA_TEXT, str(source), msg))
        try:
            if group is None:
                self._scalar(path, raw)
            elif group == "goals":
                self._goal(path, raw)
            else:
                self._grouped(path, raw)
        except NotIcd10 as exc:  # left out with a warning: the plan never carries it
            self.findings.append(warning(OTHER_CODE, str(source), exc.message))
            if group == "diagnoses":
                self._slot("diagnoses", path.key, "skipped", source).values["skipped"] = True
        except ValueProblem as exc:
            self.findings.append(error(BAD_VALUE, str(source), exc.message))

    def _dated(self, path: Path, written: str, raw: RawField) -> Path | None:
        """A date-per-column pivot (``PHQ-9 (01/05/2026)``): one administration per date."""
        try:
            when = parse_date(written, date_order=self.date_order)
        except ValueProblem as exc:
            self.findings.append(error(BAD_VALUE, str(raw.source), exc.message))
            return None
        key = path.key.split("@")[0]
        return parse_path(path.text.replace(f"[{path.key}]", f"[{key}@{when.isoformat()}]", 1))

    def parse(self, kind: str, value: Any) -> Any:
        if isinstance(value, (list, tuple)):  # ticked options of a form field
            if kind == "list":
                return tuple(text(v) for v in value if not is_blank(v))
            if kind == "ints":
                return tuple(parse_int(v) for v in value if not is_blank(v))
            value = "; ".join(text(v) for v in value if not is_blank(v))
        return self.parsers.get(kind, text)(value)

    def _set(self, path: str, value: Any, source: Source, label: str) -> None:
        if path in self.scalars:
            first, first_source = self.scalars[path]
            if first != value:
                msg = (
                    f"{quoted(label)} is {quoted(value)} here but was {quoted(first)} at "
                    f"{first_source}; the first is kept. Correct the export if it is wrong."
                )
                self.findings.append(warning(CONFLICT, str(source), msg))
            return
        self.scalars[path] = (value, source)
        self._by_section = None
        self.fields.setdefault(path, source)

    def _scalar(self, scalar: Path, raw: RawField) -> None:
        path, kind = scalar.text, scalar.kind
        if (
            path == "client.gender_identity"
            and _SEX_LABELS.match(normalize(raw.label))
            and sex_value(raw.value)  # "Gender: M" is the sex recorded at birth, as EHRs mean it
        ):
            path = "client.sex_assigned_at_birth"
        if kind not in _SPLIT_KINDS:  # one value for one field: most cells
            value = raw.value
            if isinstance(value, (list, tuple)):  # ticked options of a form field
                value = self.parse(kind, value)
            else:
                value = self.parsers.get(kind, text)(value)
            self._set(path, value, raw.source, raw.label)
        elif kind == "signer_name":
            name, creds = split_credentials(raw.value)
            self._set(path, name, raw.source, raw.label)
            if creds:
                role = path.rsplit(".", 1)[0]
                self._set(f"{role}.credentials", creds, raw.source, raw.label)
        else:
            parse = parse_last_first if kind == "name_last_first" else parse_full_name
            name = parse(raw.value)
            for part, value in (
                ("first", name.first),
                ("last", name.last),
                ("middle", name.middle),
            ):
                if value:
                    self._set(f"client.{part}_name", value, raw.source, raw.label)

    def _slot(self, group: str, key: str, sub: str, source: Source) -> Item:
        """The item a value goes into: by number, by instrument and row, or one per row."""
        items = self.groups[group]
        row = (source.file, source.sheet, source.row)
        if key:  # a number, or an instrument named in the label (one administration per row)
            slot = (group, int(key)) if key.isdigit() else (group, key, row)
            item = self.keyed.get(slot)
            if item is None:
                name = f"#{int(key):05d}" if key.isdigit() else f"{key}@{row}"
                item = self.keyed[slot] = items[name] = Item()
            return item
        current = self.current.get(group)
        if current and current[0] == row and sub not in items[current[1]].values:
            return items[current[1]]
        name = f"~{len(items):05d}"
        items[name] = Item()
        self.current[group] = (row, name)
        return items[name]

    def _grouped(self, path: Path, raw: RawField) -> None:
        if path.group == "measures" and not_given(raw.value):
            msg = f"{quoted(raw.value)} means not given; the value is left blank"
            self.findings.append(warning(NOT_GIVEN, str(raw.source), msg))
            return
        # parsed before its item is made, so that a bad value never leaves an empty item
        value = None if path.item is not None else self.parse(path.kind, raw.value)
        item = self._slot(path.group or "", path.key, path.slot, raw.source)
        if "@" in path.key and "date" not in item.values:  # a pivot column's own date
            item.values["date"] = dt.date.fromisoformat(path.key.split("@", 1)[1])
            item.sources["date"] = raw.source
        if path.item is not None:
            item.values[path.slot] = True
            item.items[path.item] = (raw.value, raw.source)
            return
        if path.sub == "code":
            first, *rest = value
            item.values["code"] = first
            item.extra.extend((dx, raw.source) for dx in rest)
        else:
            item.values[path.sub] = value
        item.sources[path.sub] = raw.source

    def _goal(self, path: Path, raw: RawField) -> None:
        number = int(path.key)
        goal = self.goals.get(number) or self.goals.setdefault(number, GoalItems())
        if path.part is None:
            target = goal.item
        else:
            parts = goal.objectives if path.part == "objectives" else goal.interventions
            number = path.item or 1
            target = parts.get(number) or parts.setdefault(number, Item())
        target.values[path.sub] = self.parse(path.kind, raw.value)
        target.sources[path.sub] = raw.source

    def build(self) -> Plan | None:
        return assemble(self)


def map_record(
    record: RawRecord, profile: Profile | None = None, *, explain: bool = False
) -> ReadResult:
    """Map one raw record into a Plan, with findings; no plan when there is an error."""
    builder = Collector(record, profile)
    for raw in record.fields:
        builder.add(raw, explain)
    plan: Plan | None = None
    try:  # assembled even after an error, so that every problem of the record is reported
        plan = builder.build()
    except ValidationError as exc:
        for problem in exc.errors():
            place = ".".join(str(p) for p in problem["loc"])
            msg = f"{place}: {problem['msg']} (got {problem.get('input')!r})"
            builder.findings.append(error(INVALID, record.where, msg))
    if has_errors(builder.findings):
        plan = None
    elif plan is not None and plan.goals:  # the goal fields its system cannot record
        profiles = tuple(dict.fromkeys(r.profile for r in builder.routes.values())) or (profile,)
        unrecorded = unrecorded_goal_fields(record.labels(), profiles)
        if unrecorded:
            provenance = plan.provenance.model_copy(update={"unrecorded": unrecorded})
            plan = plan.model_copy(update={"provenance": provenance})
    return ReadResult(record.where, plan, tuple(builder.findings))
