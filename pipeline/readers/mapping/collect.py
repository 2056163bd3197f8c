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
from collections.abc import Iterable
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
from pipeline.readers.mapping.dx_cells import NotIcd10
from pipeline.readers.mapping.items import contextual_paths, dated_label
from pipeline.readers.mapping.kinds import STATUS_WORDS, parsers
from pipeline.readers.mapping.paths import Path, parse_path
from pipeline.readers.mapping.profile import Profile
from pipeline.readers.mapping.routes import Routes, Step, explain_label, unrecorded_goal_fields
from pipeline.readers.mapping.rows import add_rows
from pipeline.readers.mapping.values import (
    FORMULA_START,
    is_blank,
    not_given,
    parse_date,
    parse_full_name,
    parse_int,
    parse_last_first,
    quoted,
    split_credentials,
    text,
)
from pipeline.readers.raw import RawField, RawRecord

__all__ = ["STATUS_WORDS", "Collector", "map_record"]  # STATUS_WORDS: kept where reviews find it

#: kinds whose one value fills several fields (first/middle/last name, signer and credentials)
_SPLIT_KINDS = frozenset({"name", "name_last_first", "signer_name"})


#: headers that say "gender" or "sex" without saying gender identity
_SEX_LABELS = re.compile(
    r"^(?:(?:client|patient|pt|legal|administrative) )?(?:gender|sex)(?: sex| gender)?$"
)


_NO_TABLE = object()
#: (labels, profiles, their unrecorded goal fields) of the last record asked (one tuple,
#: replaced whole: a header's labels and profiles, no client's values)
_UNRECORDED: tuple[Any, Any, tuple[str, ...]] = (None, None, ())


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
        self.parsers = parsers(self.date_order)

    def routes_of(self, file: str | None, sheet: str | None) -> Routes:
        """How the labels of one table (file and sheet) route, found once per table."""
        context = self.context
        if self.tables is not None:  # each table's own header decides its labels
            context = self.tables.get((file, sheet), {})
        found = self.routes[(file, sheet)] = Routes(self.profile, file, sheet, context)
        return found

    # --- collecting ------------------------------------------------------------------------

    def add(self, raw: RawField, explain: bool) -> None:
        """One labelled value (see :meth:`add_all`)."""
        self.add_all((raw,), explain)

    def add_all(self, fields: Iterable[RawField], explain: bool = False) -> None:
        """Every labelled value of a record, in order. Each label's route, kind and parser are
        found once per table (:meth:`step_of`, kept in its :class:`Routes`), so that a cell costs
        a look-up and its parse; a plain scalar (most cells) is set here directly."""
        file: Any = _NO_TABLE  # the first field finds its table's routes
        sheet: Any = _NO_TABLE
        scalars, fields_of = self.scalars, self.fields
        for raw in fields:
            label, value, source = raw
            if source.file is not file or source.sheet is not sheet:  # another table (rarely)
                file, sheet = source.file, source.sheet
                routes = self.routes.get((file, sheet)) or self.routes_of(file, sheet)
                profile, steps = routes.profile, routes.steps
            if profile is not None:  # its tables: entry for this file or sheet, its values: maps
                value = profile.map_value(label, value)
                raw = RawField(label, value, source)
            if explain:
                self.findings.append(explain_label(label, profile, str(source), routes.context))
            if value is None or (isinstance(value, str) and not value.strip()):  # blank
                continue
            step = steps.get(label) or self.step_of(routes, label)
            path = step.path
            if path is None:
                if step.problem:  # a date-per-column pivot whose header date is no date
                    self.findings.append(error(BAD_VALUE, str(source), step.problem))
                continue
            first = value[:1] if isinstance(value, str) else ""  # looks_like_formula, inlined
            if (first in FORMULA_START or first.isspace()) and (
                value.lstrip()[:1] in FORMULA_START
            ):
                msg = f"{quoted(value)} looks like a formula; kept as text, never evaluated"
                self.findings.append(info(FORMULA_TEXT, str(source), msg))
            try:
                if step.plain and not isinstance(value, (list, tuple)):
                    value = step.parse(value)
                    if path.text in scalars:
                        self.set_value(path.text, value, source, label)
                    else:  # _set for the first value of a path, inlined: most cells
                        scalars[path.text] = (value, source)
                        fields_of.setdefault(path.text, source)
                        self._by_section = None
                elif step.item and not not_given(value):  # an item response (most others)
                    if step.number is None:  # one administration a row (see slot)
                        slot = ("measures", path.key, (source.file, source.sheet, source.row))
                    else:
                        slot = ("measures", step.number)
                    item = self.keyed.get(slot) or self.slot("measures", path.key, "", source)
                    item.values[path.slot] = True
                    item.items[path.item] = (value, source)
                else:
                    self.take(path, raw)
            except NotIcd10 as exc:  # left out with a warning: the plan never carries it
                self.findings.append(warning(OTHER_CODE, str(source), exc.message))
                if path.group == "diagnoses":
                    self.slot("diagnoses", path.key, "skipped", source).values["skipped"] = True
            except ValueProblem as exc:
                self.findings.append(error(BAD_VALUE, str(source), exc.message))

    def take(self, path: Path, raw: RawField) -> None:
        """A value that is not a plain scalar nor an item response, by its path's group."""
        if path.group is None:
            self._scalar(path, raw)
        elif path.group == "goals":
            self._goal(path, raw)
        else:
            self._grouped(path, raw)

    def step_of(self, routes: Routes, label: str) -> Step:
        """How one label's cells are read, found at its first non-blank cell in a table."""
        path, problem = routes.path(label), ""
        if path is not None and path.group == "measures" and path.key and not path.key.isdigit():
            dated = dated_label(label)
            if dated:
                path, problem = self._dated(path, dated[1])
        plain = (
            path is not None
            and path.group is None
            and path.kind not in _SPLIT_KINDS
            and path.text != "client.gender_identity"  # may be the sex: see _scalar
        )
        kind = path.kind if path is not None else ""
        item = path is not None and path.group == "measures" and path.item is not None
        # keyed by number or instrument (not a pivot's: its date is set by _grouped)
        item = item and path.key != "" and "@" not in path.key
        number = int(path.key) if item and path.key.isdigit() else None
        parse = self.parsers.get(kind, text)
        found = routes.steps[label] = Step(path, problem, plain, parse, item, number)
        return found

    def _dated(self, path: Path, written: str) -> tuple[Path | None, str]:
        """A date-per-column pivot (``PHQ-9 (01/05/2026)``): one administration per date;
        (None, why) when the header's date is no date."""
        try:
            when = parse_date(written, date_order=self.date_order)
        except ValueProblem as exc:
            return None, exc.message
        key = path.key.split("@")[0]
        dated = path.text.replace(f"[{path.key}]", f"[{key}@{when.isoformat()}]", 1)
        return parse_path(dated), ""

    def parse(self, kind: str, value: Any) -> Any:
        if isinstance(value, (list, tuple)):  # ticked options of a form field
            if kind == "list":
                return tuple(text(v) for v in value if not is_blank(v))
            if kind == "ints":
                return tuple(parse_int(v) for v in value if not is_blank(v))
            value = "; ".join(text(v) for v in value if not is_blank(v))
        return self.parsers.get(kind, text)(value)

    def set_value(self, path: str, value: Any, source: Source, label: str) -> None:
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
            self.set_value(path, value, raw.source, raw.label)
        elif kind == "signer_name":
            name, creds = split_credentials(raw.value)
            self.set_value(path, name, raw.source, raw.label)
            if creds:
                role = path.rsplit(".", 1)[0]
                self.set_value(f"{role}.credentials", creds, raw.source, raw.label)
        else:
            parse = parse_last_first if kind == "name_last_first" else parse_full_name
            name = parse(raw.value)
            for part, value in (
                ("first", name.first),
                ("last", name.last),
                ("middle", name.middle),
            ):
                if value:
                    self.set_value(f"client.{part}_name", value, raw.source, raw.label)

    def slot(self, group: str, key: str, sub: str, source: Source) -> Item:
        """The item a value goes into: by number, by instrument and row, or one per row."""
        items = self.groups[group]
        row = (source.file, source.sheet, source.row)
        if key:  # a number, or an instrument named in the label (one administration per row)
            slot = (group, int(key)) if key.isdigit() else (group, key, row)
            item = self.keyed.get(slot)
            if item is None:
                name = f"#{int(key):05d}" if key.isdigit() else f"{key}@{len(items)}"
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
        item = self.slot(path.group or "", path.key, path.slot, raw.source)
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

    def unrecorded_goals(self) -> tuple[str, ...]:
        """The goal fields the record's system cannot record (``provenance.unrecorded``)."""
        global _UNRECORDED
        routes = self.routes
        if len(routes) == 1:  # one table (most records): its profile
            profiles: tuple[Any, ...] = (next(iter(routes.values())).profile,)
        else:
            profiles = tuple(dict.fromkeys(r.profile for r in routes.values())) or (self.profile,)
        labels = self.record.labels()
        last = _UNRECORDED  # the last answer: a table's records share their labels' tuple
        if last[0] is labels and last[1] == profiles:
            return last[2]
        found = unrecorded_goal_fields(labels, profiles)
        _UNRECORDED = (labels, profiles, found)
        return found

    def build(self) -> Plan | None:
        return assemble(self)


def map_record(
    record: RawRecord, profile: Profile | None = None, *, explain: bool = False
) -> ReadResult:
    """Map one raw record into a Plan, with findings; no plan when there is an error."""
    builder = Collector(record, profile)
    builder.add_all(record.fields, explain)
    if record.rows:  # a table's rows, read straight from their cells
        add_rows(builder, record.rows, explain)
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
    return ReadResult(record.where, plan, tuple(builder.findings))
