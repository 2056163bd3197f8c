"""A workbook's cells are read as calamine gives them, unconverted (blank "", dates as dates):
the ids, row numbers and footers found are those openpyxl's cells give."""

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


def _ids(path: Path, found: list) -> list[list[tuple[int, str | None]]]:
    ids = []
    for sheet in found:
        try:
            table = find_header(str(path), sheet, ReadOptions())
        except Exception:  # noqa: BLE001 - a sheet the reader refuses is not compared
            continue
        if table is not None:
            ids.append([(number, cid) for number, _row, cid in data_rows(table)])
    return ids


def test_calamine_cells_as_they_come_give_the_ids_openpyxl_gives(tmp_path: Path) -> None:
    """The reader takes calamine's cells unconverted (blank "", dates as dates): the header,
    row numbers, ids, continuation rows and footers found are openpyxl's."""
    compared = 0
    for path in _workbooks(tmp_path):
        _none, fast = sheets(path, None, engine="auto")
        book, slow = sheets(path, None, engine="openpyxl")
        try:
            assert [s.name for s in fast] == [s.name for s in slow]
            for quick, sheet in zip(fast, slow, strict=True):
                rows = list(quick.rows())
                assert any("" in row for row in rows) or path.name != "odd.xlsx"
                assert len(rows) == len(list(sheet.rows()))
            ids = _ids(path, fast)
            assert ids == _ids(path, slow), path
        finally:
            book.close()
        compared += len(ids)
    assert compared >= 3


@pytest.mark.parametrize("name", ["odd.xlsx"])
def test_a_client_on_two_rows_far_apart_is_one_record(tmp_path: Path, name: str) -> None:
    path = _workbook(tmp_path / name)
    plans = {r.plan.client.id: r.plan for r in read(path, ReadOptions()) if r.plan is not None}
    assert set(plans) == {"CT-1", "2026-02-01", "1001"}
    rows = sorted(s.row for s in plans["CT-1"].provenance.sources)
    assert rows == [5, 6, 11]
