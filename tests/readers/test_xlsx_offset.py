"""A used range that begins below row 1 (a blank first row, a title further down) or right of
column A: calamine numbers rows and columns as openpyxl does, so every finding's row is the
sheet's row (python-calamine gives the blank rows above the range; they were added twice)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from pipeline.readers import ReadOptions, read, xlsx
from tests.readers.test_xlsx_engines import _plans, _trimmed


def _workbook(path: Path, top: int, left: int) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Intake"
    rows = [
        ["Clinic export"],
        [],
        ["Client ID", "First Name", "Last Name", "Intake Date", "PHQ-9 Total"],
        ["CT-1", "Ana", "Ito", dt.datetime(2026, 1, 5), 7],
        ["CT-2", "Bo", "Ng", "13/45/2026", 12],  # a bad date: a finding names its row
    ]
    for number, row in enumerate(rows, start=top):
        for column, value in enumerate(row, start=left):
            sheet.cell(number, column, value)
    book.save(path)
    return path


@pytest.mark.parametrize(("top", "left"), [(1, 1), (2, 1), (5, 1), (3, 3), (1, 4)])
def test_rows_and_columns_are_numbered_as_in_the_sheet(tmp_path: Path, top: int, left: int,
                                                        monkeypatch) -> None:  # fmt: skip
    path = _workbook(tmp_path / "export.xlsx", top, left)
    fast, fast_sheets = xlsx.sheets(path, None, engine="auto")
    assert fast is None  # calamine read it
    book, slow_sheets = xlsx.sheets(path, None, engine="openpyxl")
    try:
        assert _trimmed(xlsx.rows_of(fast_sheets)) == _trimmed(xlsx.rows_of(slow_sheets))
    finally:
        book.close()
    assert _plans(path, "auto", monkeypatch) == _plans(path, "openpyxl", monkeypatch)
    monkeypatch.setenv(xlsx.ENGINE_VARIABLE, "auto")
    results = list(read(path, ReadOptions()))
    plans = {r.plan.client.id: r.plan for r in results if r.plan is not None}
    assert [s.row for s in plans["CT-1"].provenance.sources] == [top + 3]
    bad = [f for r in results for f in r.findings if "13/45/2026" in f.message]
    assert bad and all(f"row {top + 4}," in f.where for f in bad), bad
