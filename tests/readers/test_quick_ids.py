"""The first pass over a workbook (which row is each client's last) reads the cells as calamine
gives them, unconverted: the ids, row numbers and footers it finds are those of the rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from pipeline.readers import ReadOptions, read
from pipeline.readers.tabular import data_rows, find_header
from pipeline.readers.xlsx import sheets
from tests.support import DATA, ROOT


def _workbook(path: Path) -> Path:
    """A used range right of column A and below row 1, dates and numbers as ids, blank and
    empty-text cells, a continuation row, a footer."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Intake"
    sheet["C2"] = "Clinic export"
    header = ["Client ID", "First Name", "Last Name", "Intake Date", "Diagnosis", "PHQ-9 Total"]
    rows = [
        header,
        ["CT-1", "Ana", "Ito", dt.datetime(2026, 1, 5), "F41.1", 7],
        [None, None, None, None, "F43.10", None],  # continues CT-1 (items only)
        [dt.datetime(2026, 2, 1), "Bo", "Ng", dt.datetime(2026, 1, 6), "F33.1", 12],
        [],
        [1001, "Cy", "Oh", dt.datetime(2026, 1, 7), "F41.1", 3.0],
        ["", "", "", "", "", ""],
        ["CT-1", "Ana", "Ito", dt.datetime(2026, 1, 5), "F41.1", 7],  # CT-1 again, later
        [" ", None, None, None, None, None],
        ["Total clients: 3"],
    ]
    for number, row in enumerate(rows, start=4):
        for column, value in enumerate(row, start=3):
            sheet.cell(number, column, value)
    book.save(path)
    return path


def _workbooks(tmp_path: Path) -> list[Path]:
    found = [_workbook(tmp_path / "odd.xlsx")]
    for folder in (DATA / "intake", ROOT / "inputs", DATA / "real"):
        found += sorted(p for p in folder.rglob("*.xlsx") if not p.name.startswith(("corrupt",
                        "encrypted", "not_a")))  # fmt: skip
    return found


def test_the_quick_rows_give_the_ids_the_rows_give(tmp_path: Path) -> None:
    compared = 0
    for path in _workbooks(tmp_path):
        _book, found = sheets(path, None)
        for sheet in found:
            assert sheet.quick is not None
            quick = list(sheet.quick())
            rows = list(sheet.rows())
            assert len(quick) == len(rows)
            for fast, slow in zip(quick, rows, strict=True):
                assert len(fast) == len(slow)
            try:
                table = find_header(str(path), sheet, ReadOptions())
            except Exception:  # noqa: BLE001 - a sheet the reader refuses is not compared
                continue
            if table is None:
                continue
            ids = [(number, cid) for number, _row, cid in data_rows(table, quick=True)]
            assert ids == [(number, cid) for number, _row, cid in data_rows(table)], path
            compared += 1
    assert compared >= 3


@pytest.mark.parametrize("name", ["odd.xlsx"])
def test_a_client_on_two_rows_far_apart_is_one_record(tmp_path: Path, name: str) -> None:
    path = _workbook(tmp_path / name)
    plans = {r.plan.client.id: r.plan for r in read(path, ReadOptions()) if r.plan is not None}
    assert set(plans) == {"CT-1", "2026-02-01", "1001"}
    rows = sorted(s.row for s in plans["CT-1"].provenance.sources)
    assert rows == [5, 6, 11]
