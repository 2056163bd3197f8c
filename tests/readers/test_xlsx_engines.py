"""calamine (the fast default) and openpyxl read every workbook to the same plans."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pipeline.errors import TxplanError
from pipeline.readers import ReadOptions, grid, read, xlsx
from tests.support import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_intake_xlsx  # noqa: E402

WORKBOOKS = sorted(
    p
    for folder in ("inputs", "tests/data")
    for p in (ROOT / folder).rglob("*.xlsx")
    if p.name not in {"not_a_workbook.xlsx", "encrypted.xlsx", "corrupt.xlsx"}
)


def _plans(path: Path, engine: str, monkeypatch) -> list[str]:
    monkeypatch.setenv(xlsx.ENGINE_VARIABLE, engine)
    out = []
    try:
        for result in read(path, ReadOptions()):
            plan = result.plan.model_dump_json() if result.plan is not None else None
            out.append((str(result.where), plan, [f.model_dump_json() for f in result.findings]))
    except TxplanError as exc:  # a file the readers refuse: refused the same way
        out.append(("error", exc.where, exc.message))
    return out


def _trimmed(rows: dict) -> dict:
    def trim(row: tuple) -> tuple:
        row = list(row)
        while row and row[-1] is None:
            row.pop()
        return tuple(row)

    return {name: [trim(r) for r in sheet] for name, sheet in rows.items()}


@pytest.mark.parametrize("path", WORKBOOKS, ids=[p.name for p in WORKBOOKS])
def test_both_engines_give_the_same_plans_and_findings(path: Path, monkeypatch) -> None:
    assert _plans(path, "auto", monkeypatch) == _plans(path, "openpyxl", monkeypatch)


@pytest.mark.parametrize("path", WORKBOOKS, ids=[p.name for p in WORKBOOKS])
def test_both_engines_give_the_same_cells(path: Path) -> None:
    fast, fast_sheets = xlsx.sheets(path, None, engine="auto")
    assert fast is None  # calamine read it (no openpyxl book to close)
    book, slow_sheets = xlsx.sheets(path, None, engine="openpyxl")
    try:
        assert _trimmed(xlsx.rows_of(fast_sheets)) == _trimmed(xlsx.rows_of(slow_sheets))
    finally:
        book.close()


def test_a_real_shaped_export_reads_the_same_with_both_engines(tmp_path, monkeypatch) -> None:
    path = write_intake_xlsx(tmp_path / "export.xlsx", 40)
    plans = _plans(path, "auto", monkeypatch)
    assert len(plans) == 40 and all(plan for _where, plan, _f in plans)
    assert plans == _plans(path, "openpyxl", monkeypatch)


def test_cells_spread_far_apart_are_streamed_with_openpyxl(tmp_path, monkeypatch) -> None:
    """A dense grid of A1..XFD1048576 would take hundreds of GB in calamine: not opened there."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"] = "Client ID", "First Name"
    sheet["A2"], sheet["B2"] = "C-1", "Ana"
    sheet["XFD1048576"] = "far away"
    path = tmp_path / "sparse.xlsx"
    book.save(path)
    assert not grid.grid_fits(path)
    closer, _sheets = xlsx.sheets(path, None)
    assert closer is not None  # openpyxl's streaming reader
    closer.close()


def test_the_grid_check_passes_an_ordinary_export(tmp_path) -> None:
    assert grid.grid_fits(write_intake_xlsx(tmp_path / "export.xlsx", 20))


def test_the_grid_check_finds_a_wide_cell_in_a_later_chunk(tmp_path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Clients")
    sheet.append(["Client ID", "First Name"])
    for n in range(20_000):  # several 1 MB chunks of sheet XML before the wide cell
        sheet.append([f"C-{n}", "Ana " * 10])
    sheet.append(["C-x", *([None] * 300), "wide"])  # column KP: 20,002 rows x 302 > 4 million
    book.save(tmp_path / "late.xlsx")
    assert not grid.grid_fits(tmp_path / "late.xlsx")
