"""A table's rows mapped straight from their cells give what their raw fields give."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import TxplanError
from pipeline.model import MAX_ITEMS, Source
from pipeline.model.build import validated
from pipeline.readers import ReadOptions, read, tabular
from pipeline.readers.mapping.profile import Profile
from pipeline.readers.mapping.rows import row_fields
from pipeline.readers.raw import RawRecord, cell_source, cell_sources, row_source
from tests.support import DATA, ROOT, write_csv

_TABLES = sorted(
    p
    for folder in (DATA, ROOT / "inputs")
    for p in folder.rglob("*")
    if p.suffix.lower() in (".csv", ".tsv", ".xlsx", ".ndjson") and p.is_file()
)


def _as_fields(record: RawRecord) -> RawRecord:
    """The record as a reader of fields makes it: every labelled non-blank cell a field."""
    fields: list[Any] = []
    places: list[Source] = []
    for file, sheet, labelled, number, values in record.rows:
        if found := row_fields(file, sheet, labelled, number, values):
            fields.extend(found)
            places.append(row_source(file, sheet, number))
    return RawRecord(
        record.where, tuple(fields), tuple(places), record.columns, record.context, record.routes
    )


def _results(path: Path, options: ReadOptions) -> list[Any]:
    """Each result's place, plan as JSON (its dicts' order counts) and findings."""
    try:
        return [
            (r.where, r.plan and r.plan.model_dump_json(), r.findings) for r in read(path, options)
        ]
    except TxplanError as exc:
        return [str(exc)]


@pytest.mark.parametrize("path", _TABLES, ids=lambda p: p.name)
def test_rows_read_as_their_fields(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _results(path, ReadOptions())
    made = tabular._record
    monkeypatch.setattr(tabular, "_record", lambda *args: _as_fields(made(*args)))
    assert _results(path, ReadOptions()) == fast


def test_rows_give_every_finding_of_their_fields(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Formula text, a bad value, a not-given item, a code of another system, a row with only
    ignored cells, a pivot header without a date, a conflict, a profile's value map."""
    path = write_csv(
        tmp_path / "cells.csv",
        ["Client ID", "DOB", "PHQ-9 Item 1", "PHQ-9 Item 2", "Diagnosis", "Notes to self",
         "PHQ-9 (13/45/2026)", "Risk Level", "Presenting Problem"],
        ["C-1", "31/31/1990", "n/a", "2", "Z99.99", "x", "4", "Lo", "=SUM(A1)"],
        ["C-1", "01/02/1990", "1", "", "296.32", "", "", "", "  +1 more"],
        ["C-1", "", "", "", "", "only ignored", "", "", ""],
        ["C-2", "01/02/1990", "1", "3", "F41.1", "", "", "high", "sad"],
    )  # fmt: skip
    profile = Profile(name="t", values=(("risk level", (("lo", "low"),)),))
    for options in (ReadOptions(), ReadOptions(profile=profile)):
        fast = _results(path, options)
        made = tabular._record
        monkeypatch.setattr(tabular, "_record", lambda *args, m=made: _as_fields(m(*args)))
        assert _results(path, options) == fast
        monkeypatch.undo()
    codes = {f.code for _where, _plan, findings in fast for f in findings}
    assert {"IN002", "IN006", "IN007", "IN041", "IN042"} <= codes


def test_goal_service_and_diagnosis_cells_read_as_their_fields(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Goals, objectives, interventions, numbered diagnoses and services over several rows
    of a client, with bad values (a bad target date, minutes, service type), an ICD-9 code
    and an unknown code: the same plans, in the same order, and the same findings."""
    path = write_csv(
        tmp_path / "goals.csv",
        ["Client ID", "First Name", "Diagnosis 1", "Diagnosis 2", "Goal 1", "Objective 1.1",
         "Objective 1.1 Target Date", "Intervention 1.1", "Goal 2", "Objective 2.1",
         "Service Type", "Session Minutes", "CPT Code"],
        ["C-1", "Ann", "F41.1", "296.32", "Sleep better", "Sleep 7 hours", "13/45/2026",
         "CBT: sleep diary", "", "", "Individual", "53", "90837"],
        ["C-1", "", "F33.1 Major depressive disorder", "", "", "", "", "", "Go out",
         "Walk weekly", "Individual", "60", ""],
        ["C-2", "Bo", "Q99.99x", "F43.10", "", "Objective without goal", "04/05/2026", "",
         "", "", "Solo", "forty", "90834"],
        ["C-3", "Cy", "F41.1, F33.1", "", "Feel calmer", "", "", "Relaxation", "", "", "",
         "", ""],
    )  # fmt: skip
    fast = _results(path, ReadOptions())
    made = tabular._record
    monkeypatch.setattr(tabular, "_record", lambda *args: _as_fields(made(*args)))
    assert _results(path, ReadOptions()) == fast
    codes = {f.code for _where, _plan, findings in fast for f in findings}
    assert {"IN002", "IN042"} <= codes
    assert sum(plan is not None for _where, plan, _findings in fast) >= 1


def test_cell_sources_are_cell_sources() -> None:
    for sheet in ("Clients", None):
        made = cell_sources("intake.xlsx", sheet, "DOB")
        for row in (1, 7):
            part, plain = made(row), cell_source("intake.xlsx", sheet, row, "DOB")
            valid = Source(file="intake.xlsx", sheet=sheet, row=row, column="DOB")
            assert part == plain == valid and validated(part)
            assert part.model_fields_set == valid.model_fields_set
            assert list(part.__dict__) == list(valid.__dict__)
            assert part.model_dump_json() == valid.model_dump_json() and str(part) == str(valid)
        assert made(1) is not made(1) and made(1).model_fields_set is not made(1).model_fields_set


def test_provenance_is_the_validated_provenance(tmp_path: Path) -> None:
    path = DATA / "intake" / "win1252_semicolon.csv"
    plans = [r.plan for r in read(path, ReadOptions()) if r.plan is not None]
    assert plans
    for plan in plans:
        provenance = plan.provenance
        assert validated(provenance) and all(validated(s) for s in provenance.sources)
        again = type(provenance)(**{k: getattr(provenance, k) for k in provenance.model_fields_set})
        assert list(again.__dict__) == list(provenance.__dict__)
        assert again.model_dump_json() == provenance.model_dump_json()


def test_provenance_is_what_model_construct_makes() -> None:
    """The provenance assembled without pydantic's constructor is model_construct's: the
    same fields in the same order, the same fields set, no extra or private members."""
    from pipeline.model import Provenance
    from pipeline.readers.mapping.assemble import provenance_of

    source = cell_source("intake.csv", None, 2, "DOB")
    base = {"sources": (source,), "fields": {"client.date_of_birth": source}, "icd10cm": "x"}
    for values in (base, base | {"unrecorded": ("goals[].problem",)}):
        made, constructed = provenance_of(dict(values)), Provenance.model_construct(**values)
        assert made == constructed and list(made.__dict__) == list(constructed.__dict__)
        assert made.model_fields_set == constructed.model_fields_set
        assert made.__pydantic_extra__ is None and made.__pydantic_private__ is None
        assert made.model_dump_json() == constructed.model_dump_json() and validated(made)


def test_a_client_on_more_rows_than_a_plan_may_list_is_refused(tmp_path: Path) -> None:
    """The provenance's bound on its sources (MAX_ITEMS) is still checked."""
    rows = [["C-1", "Ann", f"note {n}"] for n in range(MAX_ITEMS + 1)]
    path = write_csv(tmp_path / "long.csv", ["Client ID", "First Name", "Notes"], *rows)
    (result,) = read(path, ReadOptions())
    assert result.plan is None
    assert any(f.code == "IN012" and "sources" in f.message for f in result.findings)


def test_formula_text_after_any_white_space_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Text that a formula sign starts after white space of any kind (tab, no-break space,
    ideographic space) gets its info finding, as the fields' reading gives it."""
    values = ["\t=SUM(A1)", "\u00a0+1", "\u3000-2", "\u2029@x", "plain", "x=1"]
    path = write_csv(
        tmp_path / "formulas.csv",
        ["Client ID", "Presenting Problem"],
        *[[f"C-{n}", value] for n, value in enumerate(values)],
    )
    fast = _results(path, ReadOptions())
    made = tabular._record
    monkeypatch.setattr(tabular, "_record", lambda *args: _as_fields(made(*args)))
    assert _results(path, ReadOptions()) == fast
    flagged = [any(f.code == "IN007" for f in findings) for _where, _plan, findings in fast]
    assert flagged == [True, True, True, True, False, False]


def test_a_rows_place_is_its_sources_text() -> None:
    """A measure's row, as findings name it, is the text of its source without the column."""
    from pipeline.readers.mapping.scores import row_place

    known: dict = {}
    for file, sheet, page, row in [("a.csv", None, None, 3), ("b.xlsx", "Clients", None, 12),
                                   ("c.pdf", None, 2, None), ("d.xlsx", "S", 4, 5),
                                   ("e.json", None, None, None)]:  # fmt: skip
        cell = Source(file=file, sheet=sheet, page=page, row=row, column="PHQ-9 Item 1")
        expected = str(Source(file=file, sheet=sheet, page=page, row=row))
        assert row_place(cell, known) == expected == row_place(cell, known)


def test_row_places_are_row_sources() -> None:
    """The rows a table record lists (made from a per-table template) are row_source's."""
    path = DATA / "intake" / "win1252_semicolon.csv"
    plans = [r.plan for r in read(path, ReadOptions()) if r.plan is not None]
    assert plans
    for plan in plans:
        for place in plan.provenance.sources:
            made = row_source(place.file, place.sheet, place.row)
            assert place == made and place.model_fields_set == made.model_fields_set
            assert list(place.__dict__) == list(made.__dict__) and validated(place)
