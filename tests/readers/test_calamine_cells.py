"""Calamine's cells go to the mapping as calamine gives them (a blank cell "", a date a
``date``, a number a float): the plans, findings and places are those of openpyxl's cells
(None, the datetime at midnight, an int), with a profile's value maps and ``--explain`` too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from pipeline.readers import ReadOptions, read, xlsx
from pipeline.readers.mapping.profile import profile_from_data

DAY = dt.datetime(2026, 1, 5)
ITEMS = [f"PHQ-9 Item {n}" for n in range(1, 10)]
HEADER = ["Client ID", "First Name", "Last Name", "Intake Date", *ITEMS, "PHQ-9 Total",
          "Presenting Problem", "Session Minutes", "Diagnosis 1", "Diagnosis 2", "Goal 1",
          "Objective 1.1", "Objective 1.1 Target Date", "Risk Level"]  # fmt: skip
ROWS = [
    ["CT-1", "Ana", "Ito", DAY, 2, 1, 0, 0, 1, 0, 0, 1, 0, 5, "Poor sleep", 53, "F41.1", "",
     "Sleep", "Rest", DAY, "Low"],
    ["CT-2", "Bo", "Ng", DAY, DAY, 1, 0, 0, 1, 0, 0, 1, 0, DAY, DAY, DAY, "F33.1", None, DAY,
     DAY, "x", DAY],
    ["0042", "Cy", "Oh", "01/07/2026", "2", "1", "0", "0", "1", "0", "0", "1", "0", "", " ",
     "53", "F43.10", "F41.1", "Calm", "Breathe", "04/07/2026", "low"],
    [],
    [""] * 22,  # blank text only: a blank row
    [DAY, "Di", "Ra", 46027, 2.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 4.0, 12.0, 53.0,
     "F41.1", "", "Work", "Go", 46117, ""],
    [None] * 16 + ["F43.10"] + [None] * 5,  # continues the client above (items only)
    ["Total clients: 4"],
]  # fmt: skip


def _workbook(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Intake"
    sheet["B1"] = "Clinic export - intake"  # a title row, merged across the header's width
    sheet.merge_cells("B1:F1")
    sheet["B2"] = dt.datetime(2026, 1, 31)  # the run date under it
    for number, row in enumerate([HEADER, *ROWS], start=4):
        for column, value in enumerate(row, start=2):
            if value is not None:
                sheet.cell(number, column, value)
    sheet.merge_cells("R6:S6")  # merged cells in a record: the first holds the value
    book.save(path)
    return path


#: a profile whose value map is keyed by a date's text as openpyxl's datetime never writes it
PROFILE = {"values": {"PHQ-9 Item 1": {"2026-01-05": 3}, "Risk Level": {"2026-01-05": "High"}}}


def _read(path: Path, engine: str, monkeypatch, **options) -> list:
    monkeypatch.setenv(xlsx.ENGINE_VARIABLE, engine)
    return [
        (r.where, r.plan.model_dump_json() if r.plan else None,
         [f.model_dump_json() for f in r.findings])
        for r in read(path, ReadOptions(**options))
    ]  # fmt: skip


@pytest.mark.parametrize(
    "options",
    [{}, {"explain": True}, {"profile": PROFILE}, {"profile": PROFILE, "explain": True}],
    ids=["plain", "explain", "value-map", "value-map-explain"],
)
def test_calamine_cells_read_as_openpyxl_cells(tmp_path: Path, monkeypatch, options) -> None:
    path = _workbook(tmp_path / "export.xlsx")
    if "profile" in options:
        options = options | {"profile": profile_from_data(options["profile"], "profile.yaml")}
    fast = _read(path, "auto", monkeypatch, **options)
    assert fast == _read(path, "openpyxl", monkeypatch, **options)
    plans = [plan for _where, plan, _findings in fast if plan]
    assert len(plans) >= 2  # some records map, others are refused: both compared
    assert any(findings for _where, plan, findings in fast if plan is None)


def test_the_places_are_the_sheets_rows_and_columns(tmp_path: Path, monkeypatch) -> None:
    path = _workbook(tmp_path / "export.xlsx")
    monkeypatch.setenv(xlsx.ENGINE_VARIABLE, "auto")
    results = list(read(path, ReadOptions()))
    plans = {r.plan.client.id: r.plan for r in results if r.plan is not None}
    assert set(plans) >= {"CT-1", "0042"}
    assert [s.row for s in plans["CT-1"].provenance.sources] == [5]
    assert [s.row for s in plans["0042"].provenance.sources] == [7]
    assert plans["CT-1"].provenance.fields["intake_date"].column == "Intake Date"
    refused = {f.where for r in results if r.plan is None for f in r.findings}
    assert any('row 6, column "Objective 1.1 Target Date"' in w for w in refused), refused


def test_a_date_in_a_value_mapped_column_is_openpyxls_datetime(tmp_path: Path) -> None:
    """calamine gives the cell as a ``date`` ("2026-01-05" as text): mapped as openpyxl's
    datetime ("2026-01-05 00:00:00"), it does not match the profile's "2026-01-05"."""
    path = _workbook(tmp_path / "export.xlsx")
    profile = profile_from_data(PROFILE, "profile.yaml")
    results = list(read(path, ReadOptions(profile=profile)))
    said = [f.message for r in results for f in r.findings if "row 6" in f.where]
    assert any("is not a PHQ-9 item score" in m for m in said), said
