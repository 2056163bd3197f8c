"""The goal bank read by calamine gives exactly the rows openpyxl gives (values, types, row
numbers); what calamine does not read as plain cells goes to openpyxl."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline.goalbank import sheets
from pipeline.goalbank.sheets import DEFAULT_GOALBANK, read_sheets


def _by_openpyxl(path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    with monkeypatch.context() as patch:
        patch.setattr(sheets, "_calamine_grids", lambda path: None)
        return read_sheets(path)


def _typed(found: dict) -> dict:
    return {
        sheet: [(r.row, [(k, type(v).__name__, v) for k, v in r.values.items()]) for r in rows]
        for sheet, rows in found.items()
    }


def _edited(tmp_path: Path, edits: dict[tuple[str, int, int], object]) -> Path:
    wb = load_workbook(DEFAULT_GOALBANK)
    for (sheet, row, column), value in edits.items():
        wb[sheet].cell(row, column).value = value
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    return path


def test_the_shipped_bank_reads_the_same_by_calamine(monkeypatch) -> None:
    assert sheets._calamine_grids(DEFAULT_GOALBANK) is not None  # the fast path is taken
    assert _typed(read_sheets(DEFAULT_GOALBANK)) == _typed(
        _by_openpyxl(DEFAULT_GOALBANK, monkeypatch)
    )


def test_numbers_blanks_and_gaps_read_the_same(tmp_path, monkeypatch) -> None:
    edits = {
        ("Objectives", 3, 9): 7, ("Objectives", 4, 9): 2.5, ("Objectives", 5, 9): -3,
        ("Objectives", 6, 2): None, ("Goals", 4, 1): "  spaced  ", ("Goals", 60, 1): "far",
        ("Families", 2, 20): "beyond the header", ("Instruments", 3, 4): True,
    }  # fmt: skip
    path = _edited(tmp_path, edits)
    found = read_sheets(path)
    assert sheets._calamine_grids(path) is not None
    assert _typed(found) == _typed(_by_openpyxl(path, monkeypatch))
    assert found["Goals"][-1].row == 60


def test_a_date_cell_sends_the_bank_to_openpyxl(tmp_path, monkeypatch) -> None:
    path = _edited(tmp_path, {("Goals", 3, 3): dt.datetime(2026, 1, 5)})
    assert sheets._calamine_grids(path) is None
    assert _typed(read_sheets(path)) == _typed(_by_openpyxl(path, monkeypatch))
