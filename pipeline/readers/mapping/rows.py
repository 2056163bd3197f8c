"""A table's rows mapped straight into the collector, without a raw field per cell first.

Each labelled column of a table is compiled once (its :class:`~.routes.Step`, and what the
collector does with it: drop it, report its header's problem, set a plain scalar, file an
item response, or the general case); every row is then read column by column into the
collector, with the same values, sources, findings and order as
:meth:`~.collect.Collector.add_all` gives for the row's labelled cells.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from pipeline.errors import ValueProblem
from pipeline.findings import error, info, warning
from pipeline.model import Source
from pipeline.model.build import new, put_dict, put_extra, put_fields, put_private
from pipeline.readers.mapping.codes import BAD_VALUE, FORMULA_TEXT, OTHER_CODE
from pipeline.readers.mapping.collected import GoalItems, Item
from pipeline.readers.mapping.dx_cells import NotIcd10
from pipeline.readers.mapping.routes import Routes, Step
from pipeline.readers.mapping.values import FORMULA_START, not_given, quoted, text
from pipeline.readers.raw import (
    RawField,
    TableRow,
    cell_source,
    cell_template,
    row_source,
    row_template,
)

if TYPE_CHECKING:
    from pipeline.readers.mapping.collect import Collector

_DROP, _PROBLEM, _PLAIN, _TEXT, _ITEM, _GOAL, _NUMBERED, _OTHER = range(8)
#: (index, label, mode, step, its sources' dict and fields set but for the row, scalar path,
#: the mode's constants): what a column's cells need, found once a table. The constants: an
#: item response's (key, slot, number, measure number); a goal's (number, part, part number,
#: sub); a numbered diagnosis or service's (its keyed slot, group, item name, sub)
Column = tuple[int, str, int, Step, tuple[dict[str, Any], set[str]], str, tuple[Any, ...]]


combine, midnight = datetime.combine, time()
#: what a formula's text may begin with: a formula sign, or white space before one
_SUSPECT = FORMULA_START | frozenset(c for c in map(chr, range(0x3001)) if c.isspace())


def _compiled(
    b: Collector,
    routes: Routes,
    table: tuple[str, str | None],
    labelled: tuple[tuple[int, str], ...],
) -> tuple[tuple[Column, ...], tuple[int, ...], tuple[dict[str, Any], set[str]]]:
    """(the columns whose cells are read, each with the maker of its cell sources; the
    indexes of the dropped ones; its row sources' dict and fields set but for the row),
    once a table."""
    found = routes.columns
    if found is None or found[0] is not labelled:  # (a table's columns are one tuple)
        read: list[Column] = []
        dropped: list[int] = []
        for index, label in labelled:
            step = routes.steps.get(label) or b.step_of(routes, label)
            if step.path is None:
                if not step.problem:
                    dropped.append(index)
                    continue
                mode = _PROBLEM
            else:
                mode = _PLAIN if step.plain else _ITEM if step.item else _OTHER
            path = step.path
            if mode == _PLAIN and step.parse is text:  # a text column (most)
                mode = _TEXT
            item: tuple[Any, ...] = ()
            if mode == _ITEM:
                item = (path.key, path.slot, path.item, step.number)
            elif mode == _OTHER and path.group == "goals":  # Collector._goal's constants
                mode, item = _GOAL, (int(path.key), path.part, path.item or 1, path.sub)
            elif (
                mode == _OTHER
                and path.group in ("diagnoses", "services")
                and path.key.isdigit()
                and path.item is None
            ):  # Collector._grouped's for a numbered item (Diagnosis 1, services[1].type)
                number = int(path.key)
                slot = (path.group, number)
                mode, item = _NUMBERED, (slot, path.group, f"#{number:05d}", path.sub)
            name = path.text if path is not None else ""
            read.append((index, label, mode, step, cell_template(*table, label), name, item))
        found = routes.columns = (labelled, tuple(read), tuple(dropped), row_template(*table))
    return found[1], found[2], found[3]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def add_rows(b: Collector, rows: Iterable[TableRow], explain: bool = False) -> None:
    """Every labelled non-blank cell of the rows, in order, as ``add_all`` of their fields."""
    if explain:  # the explain findings name every cell: read them as fields
        for file, sheet, labelled, number, values in rows:
            found = row_fields(file, sheet, labelled, number, values)
            if found:
                b.places.append(row_source(file, sheet, number))
                b.add_all(found, explain)
        return
    scalars, fields_of, findings, keyed = b.scalars, b.fields, b.findings, b.keyed
    goals, groups = b.goals, b.groups
    for file, sheet, labelled, number, values in rows:
        routes = b.routes.get((file, sheet)) or b.routes_of(file, sheet)
        profile = routes.profile
        mapper = profile.map_value if profile is not None and profile.values else None
        columns, dropped, (row_made, row_set) = _compiled(b, routes, (file, sheet), labelled)
        width = len(values)
        placed = False
        row_items: dict[str, Any] = {}  # this row's administrations by instrument (_slot)
        for index, label, mode, step, (made, made_set), name, item_of in columns:
            value = values[index] if index < width else None
            if value is None:
                continue
            if type(value) is str:  # (is_text: a str; stringy: a str or a subclass of it)
                if not value or value.isspace():  # blank (as ``not value.strip()``)
                    continue
                is_text = stringy = scalar = True
            elif (kind := type(value)) is float or kind is date:  # a workbook's number, date
                if kind is date:  # calamine's date: openpyxl's datetime at midnight
                    value = combine(value, midnight)
                is_text = stringy = False
                scalar = True
            else:  # another workbook value: a datetime, a bool...
                is_text, stringy = False, isinstance(value, str)
                if stringy and not value.strip():
                    continue
                scalar = stringy or not isinstance(value, (list, tuple))
            placed = True
            if mapper is not None:  # the profile's values: map for this column
                value = mapper(label, value)
                if _blank(value):
                    continue
                is_text, stringy = type(value) is str, isinstance(value, str)
                scalar = stringy or not isinstance(value, (list, tuple))
            # the cell's source: raw.cell_sources(file, sheet, label)(number), inlined
            found = made.copy()
            found["row"] = number
            source = new(Source)
            put_dict(source, found)
            put_fields(source, made_set.copy())
            put_extra(source, None)
            put_private(source, None)
            if mode == _PROBLEM:  # a date-per-column pivot whose header date is no date
                findings.append(error(BAD_VALUE, str(source), step.problem))
                continue
            path = step.path
            if (  # looks_like_formula, inlined
                stringy and value[:1] in _SUSPECT and value.lstrip()[:1] in FORMULA_START
            ):
                msg = f"{quoted(value)} looks like a formula; kept as text, never evaluated"
                findings.append(info(FORMULA_TEXT, str(source), msg))
            try:
                if mode <= _TEXT and scalar:  # plain
                    if mode == _TEXT and is_text and value.isascii():  # text(), inlined
                        value = value.strip()
                    else:
                        value = step.parse(value)
                    if name in scalars:
                        b.set_value(name, value, source, label)
                    else:  # the first value of a path (Collector.set_value, inlined)
                        scalars[name] = (value, source)
                        fields_of.setdefault(name, source)
                elif mode == _ITEM and not (
                    is_text and not value.isdigit() and not_given(value)
                ):  # an item response (a number is never "not given")
                    key, slot_name, item_number, measure = item_of
                    item = row_items.get(key) if measure is None else None
                    if item is None:
                        if measure is None:  # one administration a row (see Collector.slot)
                            slot: tuple[Any, ...] = ("measures", key, (file, sheet, number))
                        else:
                            slot = ("measures", measure)
                        item = keyed.get(slot) or b.slot("measures", key, "", source)
                        if measure is None:
                            row_items[key] = item
                    item.values[slot_name] = True
                    item.items[item_number] = (value, source)
                elif mode == _GOAL and scalar:
                    goal_number, part, part_number, sub = item_of  # Collector._goal, inlined
                    goal = goals.get(goal_number) or goals.setdefault(goal_number, GoalItems())
                    if part is None:
                        target = goal.item
                    else:
                        parts = goal.objectives if part == "objectives" else goal.interventions
                        target = parts.get(part_number) or parts.setdefault(part_number, Item())
                    target.values[sub] = step.parse(value)
                    target.sources[sub] = source
                elif mode == _NUMBERED and scalar:
                    slot, group, item_name, sub = item_of  # Collector._grouped, inlined
                    value = step.parse(value)  # before its item is made (a bad value: none)
                    item = keyed.get(slot)
                    if item is None:  # Collector.slot for a numbered item
                        item = keyed[slot] = groups[group][item_name] = Item()
                    if sub == "code":
                        first, *rest = value
                        item.values["code"] = first
                        item.extra.extend((dx, source) for dx in rest)
                    else:
                        item.values[sub] = value
                    item.sources[sub] = source
                else:
                    b.take(path, RawField(label, value, source))
            except NotIcd10 as exc:  # left out with a warning: the plan never carries it
                findings.append(warning(OTHER_CODE, str(source), exc.message))
                if path.group == "diagnoses":
                    b.slot("diagnoses", path.key, "skipped", source).values["skipped"] = True
            except ValueProblem as exc:
                findings.append(error(BAD_VALUE, str(source), exc.message))
        if placed or any(i < width and not _blank(values[i]) for i in dropped):
            found = row_made.copy()  # row_source(file, sheet, number), inlined
            found["row"] = number
            place = new(Source)
            put_dict(place, found)
            put_fields(place, row_set.copy())
            put_extra(place, None)
            put_private(place, None)
            b.places.append(place)
    b.changed()  # the scalars set above


def row_fields(
    file: str, sheet: str | None, labelled: Sequence[tuple[int, str]], number: int, values: Any
) -> list[RawField]:
    """The row's non-blank cells under a label, each with its source."""
    width = len(values)
    return [
        RawField(label, _datetime(values[index]), cell_source(file, sheet, number, label))
        for index, label in labelled
        if index < width and not _blank(values[index])
    ]


def _datetime(value: Any) -> Any:
    """A cell as the mapping takes it: calamine's ``date`` as openpyxl's datetime at midnight."""
    return combine(value, midnight) if type(value) is date else value
